//! One command, C2C before-send, end to end: `parse_event` (which links that command's decoder
//! alone), `MsgBody` iterated, the masked answer written and compared. With the `checks`
//! feature, every C2C before-send body in flash is also checked against the host's reading.
//! Exits 0 only when all pass.
#![no_std]
#![no_main]

use tim_callback::answer::ReplyElem;
use tim_callback::events::c2c::C2cBeforeSendMsg;
use tim_callback::{Callback, Error, MsgElem};
use tim_callback_embedded::{Body, exit, print, run};

const BANNED: &[&str] = &["lottery", "抽奖"];

/// The masked answer to the C2C sample: its text with the banned words starred.
const MASKED: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"Want a free ******* ticket? Reply \"YES\"\n** today only"}},{"MsgType":"TIMFaceElem","MsgContent":{"Index":3,"Data":"wink"}}]}"#;

fn parse<'b>(_: &Body, input: &'b mut [u8]) -> Result<Callback<'b>, Error> {
    tim_callback::parse_event::<C2cBeforeSendMsg>(input).map(Callback::C2cBeforeSendMsg)
}

#[cortex_m_rt::entry]
fn main() -> ! {
    print("tim-callback on Cortex-M, C2C before-send alone\n");
    let ok = run(
        // By name: a program that handles one command has no use for the command table.
        |body| body.of == C2cBeforeSendMsg::COMMAND,
        parse,
        |_| true,
        |body, cb| match cb {
            Callback::C2cBeforeSendMsg(msg) if body.name == "samples/c2c_before_send_msg.json" => {
                let texts = msg
                    .msg_body
                    .iter()
                    .filter(|e| matches!(e, MsgElem::Text(_)))
                    .count();
                let mask = |e| match e {
                    MsgElem::Text(t) => Some(ReplyElem::masked(t.text, BANNED)),
                    other => Some(ReplyElem::Elem(other)),
                };
                let mut out = [0u8; 512];
                let written = msg
                    .answer()
                    .msg_body_mapped(msg.msg_body, &mask)
                    .ok()
                    .and_then(|answer| answer.write_into(&mut out).ok());
                msg.from_account == "alice"
                    && msg.msg_random == 3_141_592_653
                    && texts == 1
                    && written.and_then(|n| out.get(..n)) == Some(MASKED.as_bytes())
            }
            Callback::C2cBeforeSendMsg(_) => true,
            _ => false,
        },
    );
    exit(ok)
}

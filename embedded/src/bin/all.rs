//! Every command family linked: parses every body in flash (see build.rs), checks each against
//! the host's reading, and a few values of the group sample by hand; exits 0 only when all pass.
#![no_std]
#![no_main]

use tim_callback::{Callback, MsgElem};
use tim_callback_embedded::{command_of, exit, parse_any, print, run};

#[cortex_m_rt::entry]
fn main() -> ! {
    print("tim-callback on Cortex-M, every command family\n");
    let ok = run(
        |_| true,
        parse_any,
        |body| command_of(body).is_linked(),
        |body, cb| match cb {
            Callback::GroupAfterSendMsg(msg)
                if body.name == "samples/group_after_send_msg.json" =>
            {
                let mut elems = msg.msg_body.iter();
                msg.group_id == "@TGS#2SAMPLE"
                    && msg.from_account == "carol"
                    && msg.msg_body.len() == 2
                    && matches!(elems.next(), Some(MsgElem::Text(t)) if t.text.starts_with("Meeting moved to 3 pm \u{23f0}"))
                    && matches!(elems.next(), Some(MsgElem::Location(_)))
            }
            _ => true,
        },
    );
    exit(ok)
}

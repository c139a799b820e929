//! For scale in the size table: serde-json-core reads the C2C sample's scalar fields into a
//! borrowed struct. It links no tim-callback parser. What it does not do: decode escapes (a
//! borrowed field with one fails), read `MsgBody`, or check what it skips as strictly.
#![no_std]
#![no_main]

use serde::Deserialize;
use tim_callback_embedded::{BODIES, exit, print};

#[derive(Deserialize)]
struct C2c<'a> {
    #[serde(rename = "CallbackCommand")]
    command: &'a str,
    #[serde(rename = "From_Account")]
    from: &'a str,
    #[serde(rename = "To_Account")]
    to: &'a str,
    #[serde(rename = "MsgSeq")]
    seq: u32,
    #[serde(rename = "MsgRandom")]
    random: u32,
    #[serde(rename = "MsgTime")]
    time: u64,
    #[serde(rename = "MsgKey")]
    key: &'a str,
    #[serde(rename = "OnlineOnlyFlag")]
    online: u8,
}

#[cortex_m_rt::entry]
fn main() -> ! {
    print("serde-json-core on Cortex-M: the C2C sample's scalar fields\n");
    let Some(body) = BODIES
        .iter()
        .find(|b| b.name == "samples/c2c_before_send_msg.json")
    else {
        exit(false)
    };
    let ok = match serde_json_core::from_slice::<C2c<'_>>(body.bytes) {
        Ok((msg, _)) => {
            msg.command == "C2C.CallbackBeforeSendMsg"
                && msg.from == "alice"
                && msg.to == "bob"
                && msg.seq == 1024
                && msg.random == 3_141_592_653
                && msg.time == 1_764_547_200
                && msg.key == "1024_3141592653_1764547200"
                && msg.online == 0
        }
        Err(_) => false,
    };
    print(if ok { "ok\n" } else { "FAILED\n" });
    exit(ok)
}

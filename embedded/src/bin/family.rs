//! One command family, `c2c`, through `parse`: every body in flash checked, and the bodies of
//! other families must come back as `Callback::Unknown`, answered allow; exits 0 only when all
//! pass.
#![no_std]
#![no_main]

use tim_callback::Callback;
use tim_callback_embedded::{command_of, exit, parse_any, print, run};

#[cortex_m_rt::entry]
fn main() -> ! {
    print("tim-callback on Cortex-M, the c2c family alone\n");
    let ok = run(
        |_| true,
        parse_any,
        |body| command_of(body).is_linked(),
        |body, cb| match cb {
            Callback::C2cBeforeSendMsg(msg) if body.name == "samples/c2c_before_send_msg.json" => {
                msg.from_account == "alice" && msg.msg_body.len() == 2
            }
            _ => true,
        },
    );
    exit(ok)
}

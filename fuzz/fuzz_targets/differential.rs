//! The parser against the serde_json reference model (`tim_callback_testkit::model`): same accept/reject, same
//! values. The first byte picks the command.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_callback::Command;

use tim_callback_testkit::model;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let command = Command::KNOWN[usize::from(pick) % Command::KNOWN.len()].as_str();
    let expected = model::model(command, body);
    let mut buf = body.to_vec();
    match (tim_callback::parse_as(command, &mut buf), expected) {
        (Ok(cb), Ok(want)) => assert_eq!(serde_json::to_value(&cb).unwrap(), want),
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("parser accepted, model rejected: {e}"),
        (Err(e), Ok(_)) => panic!("parser rejected ({e}), model accepted"),
    }
});

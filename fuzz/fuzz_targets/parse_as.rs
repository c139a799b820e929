//! `parse_as` with a command chosen by the first byte (every known command, plus unknown ones).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_callback::Command;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let extra = [
        "Live.CallbackAfterCreateRoom",
        "Mic.CallbackAfterSeatInfoChanged",
        "",
    ];
    let i = usize::from(pick) % (Command::KNOWN.len() + extra.len());
    let command = match Command::KNOWN.get(i) {
        Some(c) => c.as_str(),
        None => extra[i - Command::KNOWN.len()],
    };
    let mut body = rest.to_vec();
    match tim_callback::parse_as(command, &mut body) {
        Ok(callback) => {
            // An unknown command's `Callback::Unknown` carries the body's own (or nothing).
            if Command::from_name(command).is_known() {
                assert_eq!(callback.command().as_str(), command);
            }
            serde_json::to_vec(&callback).expect("an accepted body serializes");
        }
        Err(e) => assert!(e.offset() <= rest.len()),
    }
});

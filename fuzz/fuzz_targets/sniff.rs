//! `sniff` on arbitrary bytes: never panics, and agrees with `parse` whenever `parse` accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let sniffed = tim_callback::sniff(data);
    let mut body = data.to_vec();
    if let Ok(callback) = tim_callback::parse(&mut body) {
        assert_eq!(sniffed.ok(), Some(callback.command()));
    }
});

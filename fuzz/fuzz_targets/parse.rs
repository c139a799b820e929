//! `parse` on arbitrary bytes: never panics; an accepted body can be walked completely, and its
//! command is the one `sniff` reads.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut body = data.to_vec();
    match tim_callback::parse(&mut body) {
        Ok(callback) => {
            assert_eq!(tim_callback::sniff(data).ok(), Some(callback.command()));
            // Walks every list at every depth (lazy re-reads of the rewritten buffer).
            serde_json::to_vec(&callback).expect("an accepted body serializes");
            let _ = format!("{callback:?}");
        }
        Err(e) => assert!(
            e.offset() <= data.len(),
            "offset {} past {}",
            e.offset(),
            data.len()
        ),
    }
});

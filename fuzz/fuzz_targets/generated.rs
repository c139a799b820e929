//! Structured callbacks from the workspace's generator (`tim_callback_gen::Body`'s `Arbitrary`):
//! the fuzzer's bytes choose the command, the knobs and every value, so its mutations explore
//! bodies a parser meets, not only random bytes. A valid body must parse and agree with the
//! serde reference model; an invalid one must be rejected with the kind its flaw names.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_callback_gen::{Body, Expect};
use tim_callback_testkit::model;

fuzz_target!(|body: Body| {
    let mut buf = body.bytes.clone();
    let parsed = tim_callback::parse_as(body.command, &mut buf);
    match body.expect {
        Expect::Valid => {
            let event = parsed.unwrap_or_else(|e| panic!("valid body rejected: {e}"));
            let want = model::model(body.command, &body.bytes).expect("the model accepts it");
            assert_eq!(serde_json::to_value(&event).unwrap(), want);
        }
        Expect::Invalid(flaw) => match parsed {
            Ok(_) => panic!("{flaw} accepted"),
            Err(e) => assert!(flaw.matches(e.kind()), "{flaw} rejected as {e}"),
        },
        Expect::Unknown => {}
    }
});

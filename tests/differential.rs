//! Differential testing against a reference model written independently with serde_json
//! (owned `String`/`Vec`, serde derive). The workspace's generator (`tim-callback-gen`, its edge
//! cases) makes bodies for every command from a schema of its fields — shuffled keys, unknown keys with arbitrary JSON, whitespace
//! everywhere, escapes of every kind (surrogate pairs, `\/`, every CJK character escaped),
//! numbers at the u32/u64/i64 edges, numeric-string EventTime, lists up to 300 elements, nested
//! relays (and relays nested to the depth limit and past it), elements with unknown keys,
//! without a `MsgType` or with one that is not a string, elements that are arrays, unknown keys
//! spelt like known ones (case, a letter lost or added, padding), known keys given twice — and
//! checks that the parser and the model agree on accept/reject and on every value.
//! Mutated bodies must never panic and must be judged the same way too.
#![cfg(feature = "serde")]

mod common;

use tim_callback_gen::source::Seeded;
use tim_callback_gen::strategy;
use tim_callback_testkit::model;

use model::model;
use proptest::prelude::*;

/// Bodies at the edges of validity, as (command, bytes).
fn rendered() -> impl Strategy<Value = (&'static str, Vec<u8>)> {
    strategy::edge_cases().prop_map(|body| (body.command, body.bytes))
}

/// Short texts of any characters, those JSON must escape often among them.
fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('\u{4e00}', '\u{9fa5}'),
        1 => proptest::char::range('\u{1F600}', '\u{1F64F}'),
        1 => prop::sample::select(vec!['"', '\\', '/', '\n', '\t', '\u{1}', '\u{1f}', '\u{7f}', 'é', '\u{ffff}', ' ']),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..12).prop_map(|v| v.into_iter().collect())
}

// ============================================================================================
// The properties

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig {
        cases: if cfg!(miri) { 2 } else { n },
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Parser and model agree on `body` read as `command`; returns whether it was accepted.
fn agree(command: &str, body: &[u8]) -> Result<bool, TestCaseError> {
    let expected = model(command, body);
    let mut buf = body.to_vec();
    let got = tim_callback::parse_as(command, &mut buf);
    match (&got, &expected) {
        (Ok(cb), Ok(want)) => {
            let have = serde_json::to_value(cb).unwrap();
            prop_assert_eq!(&have, want, "body: {}", String::from_utf8_lossy(body));
            Ok(true)
        }
        (Err(_), Err(_)) => Ok(false),
        (Ok(_), Err(e)) => Err(TestCaseError::fail(format!(
            "parser accepted, model rejected ({e}): {}",
            String::from_utf8_lossy(body)
        ))),
        (Err(e), Ok(_)) => Err(TestCaseError::fail(format!(
            "parser rejected ({e}), model accepted: {}",
            String::from_utf8_lossy(body)
        ))),
    }
}

proptest! {
    #![proptest_config(cases(1500))]

    #[test]
    // Under Miri, `generated_bodies_are_mostly_valid` runs the same check on deterministic
    // bodies; proptest's random runs took minutes a case there.
    #[cfg_attr(miri, ignore)]
    fn parser_and_model_agree_on_generated_bodies((command, body) in rendered()) {
        agree(command, &body)?;
        // Without a query command the body's own command selects the same type.
        let mut a = body.clone();
        if tim_callback::sniff(&body).is_ok() {
            let mut b = body.clone();
            prop_assert_eq!(tim_callback::parse(&mut a).ok(), tim_callback::parse_as(command, &mut b).ok());
        } else {
            // Nor does anything else in the body pass for its command.
            prop_assert!(tim_callback::parse(&mut a).is_err(), "{}", String::from_utf8_lossy(&body));
        }
    }

    #[test]
    // Under Miri, `generated_bodies_are_mostly_valid` runs the same check on deterministic
    // bodies; proptest's random runs took minutes a case there.
    #[cfg_attr(miri, ignore)]
    fn parse_serialize_parse_is_the_identity((command, body) in rendered()) {
        let mut buf = body.clone();
        if let Ok(first) = tim_callback::parse_as(command, &mut buf) {
            let mut again = serde_json::to_vec(&first).unwrap();
            let second = tim_callback::parse(&mut again)
                .map_err(|e| TestCaseError::fail(format!("re-parse: {e}")))?;
            // Typed fields compare exactly; raw JSON (unknown element content) compares by value,
            // since serde carries numbers as u64/i64/f64, not as their original text.
            prop_assert_eq!(first.command(), second.command());
            prop_assert_eq!(serde_json::to_value(&first).unwrap(), serde_json::to_value(&second).unwrap());
        }
    }

    #[test]
    // Run natively (and by the fuzz targets, under the address sanitizer); under Miri a mutated
    // body can take minutes, and the parser's memory safety is checked there by the other tests.
    #[cfg_attr(miri, ignore)]
    fn mutated_bodies_never_panic_and_agree_with_the_model(
        (command, body) in rendered(),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(vec![b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'0', b'-', b'e', b'n', b' ', 0x00, 0x1f, 0x80, 0xC3, 0xF8, 0xFF]),
        how in 0..3u8,
    ) {
        let mut b = body.clone();
        let i = at.index(b.len().max(1)).min(b.len());
        match how {
            0 if i < b.len() => b[i] = byte,
            1 => b.truncate(i),
            _ => b.insert(i, byte),
        }
        agree(command, &b)?;
    }
}

// The in-place invariant: after unescaping, every list can be walked again (and again) and
// yields the decoded strings, whatever escapes they were sent with.
proptest! {
    #![proptest_config(cases(500))]

    #[test]
    // Under Miri, tests/reread.rs walks the same rereads on fixed bodies; proptest's
    // strategies took minutes a case there.
    #[cfg_attr(miri, ignore)]
    fn lists_reread_decoded_strings_after_in_place_unescaping(
        names in prop::collection::vec(text(), 0..40),
        seed in any::<u64>(),
        escape_all in any::<bool>(),
    ) {
        let mut source = Seeded::new(seed);
        let escapes = if escape_all { 1.0 } else { 0.2 };
        let mut buf = br#"{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","NewMemberList":["#.to_vec();
        for (i, n) in names.iter().enumerate() {
            if i > 0 { buf.push(b','); }
            buf.extend_from_slice(br#"{"Member_Account":"#);
            tim_callback_gen::write_string(n, escapes, &mut source, &mut buf);
            buf.push(b'}');
        }
        buf.extend_from_slice(b"]}");
        let Ok(tim_callback::Callback::GroupAfterNewMemberJoin(ev)) = tim_callback::parse(&mut buf) else {
            return Err(TestCaseError::fail("rejected"));
        };
        for _ in 0..2 {
            let got: Vec<&str> = ev.new_member_list.iter().map(|m| m.member_account).collect();
            prop_assert_eq!(&got, &names);
        }
        for (i, n) in names.iter().enumerate() {
            prop_assert_eq!(ev.new_member_list.get(i).map(|m| m.member_account), Some(n.as_str()));
        }
    }
}

/// A body whose `MsgBody` holds `levels` relays nested in each other around `inner`.
fn relay_chain(levels: usize, inner: &str) -> String {
    let mut elem = inner.to_string();
    for _ in 0..levels {
        elem = format!(
            r#"{{"MsgType":"TIMRelayElem","MsgContent":{{"MsgList":[{{"MsgBody":[{elem}]}}]}}}}"#
        );
    }
    format!(
        r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","MsgBody":[{elem}]}}"#
    )
}

/// Message elements to put at the bottom of a relay chain: elements the generator makes (from
/// C2C bodies' `MsgBody`, any shape, escapes, unknown keys), and a plain text.
fn inner_element() -> impl Strategy<Value = String> {
    strategy::edge_cases().prop_filter_map("a C2C body with a message element", |body| {
        let v: serde_json::Value = serde_json::from_slice(&body.bytes).ok()?;
        let elem = v.get("MsgBody")?.as_array()?.first()?.clone();
        Some(elem.to_string())
    })
}

const TEXT_ELEM: &str = r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"x"}}"#;

proptest! {
    #![proptest_config(cases(300))]

    /// Relays nested to the depth limit and past it, around any element: the typed recursion
    /// agrees with the model (whose serde_json pass counts the same depth) on both sides of it.
    #[test]
    #[cfg_attr(miri, ignore)]
    fn relays_nested_to_the_depth_limit_agree_with_the_model(
        extra in 0usize..3,
        inner in prop_oneof![1 => Just(TEXT_ELEM.to_string()), 3 => inner_element()],
    ) {
        // The innermost element's `MsgContent` sits at depth 5 × levels + 4.
        let deepest = (tim_callback::MAX_DEPTH as usize - 4) / 5;
        let levels = deepest - 1 + extra;
        let out = relay_chain(levels, &inner);
        let accepted = agree("C2C.CallbackBeforeSendMsg", out.as_bytes())?;
        prop_assert!(!(accepted && levels > deepest), "{levels} levels accepted");
    }
}

/// The nesting limit is the model's (serde_json's) too: both accept the deepest body allowed and
/// both reject one level more.
#[test]
fn parser_and_model_agree_at_the_nesting_limit() {
    for extra in [0, 1] {
        // The top-level object is one level; `n` arrays inside an unknown key make the rest.
        let n = tim_callback::MAX_DEPTH as usize - 1 + extra;
        let body = format!(
            r#"{{"CallbackCommand":"C2C.CallbackAfterMsgReport","X":{}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        );
        let accepted = agree("C2C.CallbackAfterMsgReport", body.as_bytes()).unwrap();
        assert_eq!(accepted, extra == 0);
    }
    // Through typed recursion too: relays to the deepest level allowed, and one more. (Not
    // under Miri, where the model's serde_json passes over them take a minute; the crate's side
    // runs there in tests/hostile.rs.)
    let deepest = (tim_callback::MAX_DEPTH as usize - 4) / 5;
    for extra in [0, 1].into_iter().filter(|_| !cfg!(miri)) {
        let out = relay_chain(deepest + extra, TEXT_ELEM);
        let accepted = agree("C2C.CallbackBeforeSendMsg", out.as_bytes()).unwrap();
        assert_eq!(accepted, extra == 0);
    }
}

/// The generator must mostly produce bodies that are accepted, or the value comparison above
/// would be testing little; and it must produce some that are rejected.
#[test]
// Building the generator's strategies alone takes minutes under Miri; the parse paths it
// drives are the ones the fixture and reread tests run there.
#[cfg_attr(miri, ignore)]
fn generated_bodies_are_mostly_valid() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = rendered();
    let n = if cfg!(miri) { 2 } else { 400 };
    let mut accepted = 0;
    for _ in 0..n {
        let (command, body) = strategy.new_tree(&mut runner).unwrap().current();
        if agree(command, &body).unwrap() {
            accepted += 1;
        }
    }
    eprintln!("generated: {accepted}/{n} accepted");
    if !cfg!(miri) {
        assert!(accepted * 3 > n, "only {accepted}/{n} accepted");
        assert!(accepted < n, "nothing rejected");
    }
}

/// Every fixture the project wrote is accepted by the model too, with the same values.
#[test]
// Parser and model agreeing is logic, and serde_json is slow under Miri, which runs the parser
// on every fixture elsewhere: not run under Miri.
#[cfg_attr(miri, ignore)]
fn the_model_agrees_on_every_fixture() {
    let mut n = 0;
    for (name, command, bytes) in common::command_fixtures() {
        assert!(
            agree(&command, &bytes).unwrap_or_else(|e| panic!("{name}: {e}")),
            "{name}"
        );
        n += 1;
    }
    for (name, bytes) in common::fixtures() {
        if let Ok(command) = tim_callback::sniff(&bytes).map(|c| c.as_str().to_string())
            && tim_callback::Command::from_name(&command).is_known()
        {
            assert!(
                agree(&command, &bytes).unwrap_or_else(|e| panic!("{name}: {e}")),
                "{name}"
            );
            n += 1;
        }
    }
    assert!(n >= 90, "{n} fixtures");
}

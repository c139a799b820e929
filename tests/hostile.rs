//! Hostile and malformed input: every rejection is an `Error` at the right offset with the
//! right key; nothing panics; nothing a chat message contains can change the callback's type.

mod common;

use tim_callback::{error::*, msg::*, vocab::*, *};

fn parse_str(body: &str) -> Result<String, Error> {
    let mut b = body.as_bytes().to_vec();
    parse(&mut b).map(|cb| format!("{cb:?}"))
}

fn err(body: &str) -> Error {
    match parse_str(body) {
        Ok(cb) => panic!("accepted {body}: {cb}"),
        Err(e) => e,
    }
}

const C2C: &str =
    r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","MsgSeq":1}"#;

/// `C2C` with `member` spliced in after the command.
fn c2c_with(member: &str) -> String {
    C2C.replacen(r#"Msg","#, &format!(r#"Msg",{member},"#), 1)
}

#[test]
fn errors_name_the_key_the_offset_and_what_was_expected() {
    let body = c2c_with(r#""MsgRandom":4294967296"#);
    let e = err(&body);
    assert_eq!(e.kind(), ErrorKind::OutOfRange(NumberType::U32));
    assert_eq!(e.key(), Some("MsgRandom"));
    assert_eq!(e.offset(), body.find("4294967296").unwrap());
    assert_eq!(
        e.to_string(),
        format!("MsgRandom at byte {}: number does not fit u32", e.offset())
    );

    let body = c2c_with(r#""To_Account":7"#);
    let e = err(&body);
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::Expected(Expected::String), Some("To_Account"))
    );
    assert_eq!(e.offset(), body.find(":7").unwrap() + 1);

    // Inside a list: the innermost key and the list index.
    let body = c2c_with(
        r#""MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"ok"}},{"MsgType":"TIMTextElem","MsgContent":{"Text":5}}]"#,
    );
    let e = err(&body);
    assert_eq!((e.key(), e.index()), (Some("Text"), Some(1)));
    assert_eq!(e.offset(), body.find(":5").unwrap() + 1);
    assert!(e.to_string().starts_with("Text in item 1 at byte"));
}

#[test]
fn numbers_at_the_edges_of_their_types() {
    let ok = |m: &str| parse_str(&c2c_with(m)).unwrap_or_else(|e| panic!("{m}: {e}"));
    let bad = |m: &str| err(&c2c_with(m)).kind();
    ok(r#""MsgRandom":4294967295"#);
    ok(r#""MsgRandom":0"#);
    assert_eq!(
        bad(r#""MsgRandom":-1"#),
        ErrorKind::OutOfRange(NumberType::U32)
    );
    assert_eq!(
        bad(r#""MsgRandom":-0"#),
        ErrorKind::Expected(Expected::Integer)
    );
    assert_eq!(
        bad(r#""MsgRandom":1.0"#),
        ErrorKind::Expected(Expected::Integer)
    );
    assert_eq!(
        bad(r#""MsgRandom":1e2"#),
        ErrorKind::Expected(Expected::Integer)
    );
    assert_eq!(
        bad(r#""MsgRandom":"1""#),
        ErrorKind::Expected(Expected::Integer)
    );
    assert_eq!(
        bad(r#""MsgRandom":01"#),
        ErrorKind::Expected(Expected::CommaOrBrace)
    );
    ok(r#""MsgTime":18446744073709551615"#);
    assert_eq!(
        bad(r#""MsgTime":18446744073709551616"#),
        ErrorKind::OutOfRange(NumberType::U64)
    );
    ok(r#""EventTime":"18446744073709551615""#);
    assert_eq!(
        bad(r#""EventTime":"18446744073709551616""#),
        ErrorKind::OutOfRange(NumberType::U64)
    );
    assert_eq!(bad(r#""EventTime":"""#), ErrorKind::InvalidNumericString);
    // The offset is the string's, even though reading it moved the reader's window.
    let body = format!("  {}", c2c_with(r#""To_Account":"b\n","EventTime":"1x""#));
    let e = err(&body);
    assert_eq!(
        (e.offset(), e.key()),
        (body.find(r#""1x""#).unwrap(), Some("EventTime"))
    );
    let body = c2c_with(r#""EventTime":"99999999999999999999""#);
    assert_eq!(err(&body).offset(), body.find(r#""9999"#).unwrap());
    assert_eq!(bad(r#""EventTime":"12a""#), ErrorKind::InvalidNumericString);
    assert_eq!(bad(r#""EventTime":" 12""#), ErrorKind::InvalidNumericString);
    assert_eq!(
        bad(r#""EventTime":true"#),
        ErrorKind::Expected(Expected::NumberOrNumericString)
    );
    // Escaped digits are digits.
    ok(r#""EventTime":"\u0031\u0032""#);

    let after = |m: &str| format!(r#"{{"CallbackCommand":"C2C.CallbackAfterSendMsg",{m}}}"#);
    assert!(
        parse_str(&after(r#""UnreadMsgNum":-1"#))
            .unwrap()
            .contains("unread_msg_num: -1")
    );
    assert!(parse_str(&after(r#""UnreadMsgNum":-9223372036854775808"#)).is_ok());
    assert_eq!(
        err(&after(r#""UnreadMsgNum":-9223372036854775809"#)).kind(),
        ErrorKind::OutOfRange(NumberType::I64)
    );
    assert_eq!(
        err(&after(r#""UnreadMsgNum":9223372036854775808"#)).kind(),
        ErrorKind::OutOfRange(NumberType::I64)
    );
    let loc = |v: &str| {
        c2c_with(&format!(
            r#""MsgBody":[{{"MsgType":"TIMLocationElem","MsgContent":{{"Latitude":{v}}}}}]"#
        ))
    };
    assert!(parse_str(&loc("-1.5e-3")).is_ok());
    assert!(parse_str(&loc("7")).is_ok());
    assert_eq!(
        err(&loc("1e400")).kind(),
        ErrorKind::OutOfRange(NumberType::F64)
    );
}

#[test]
fn strings_reject_bad_escapes_surrogates_controls_and_invalid_utf8() {
    for (text, kind) in [
        (r#""\x""#, ErrorKind::InvalidEscape),
        (r#""\u12G4""#, ErrorKind::InvalidEscape),
        (r#""\ud800""#, ErrorKind::LoneSurrogate),
        (r#""\udc00\ud800""#, ErrorKind::LoneSurrogate),
        (r#""\ud800\u0041""#, ErrorKind::LoneSurrogate),
        ("\"tab\there\"", ErrorKind::ControlCharacter),
        ("\"nul\u{0}\"", ErrorKind::ControlCharacter),
    ] {
        let body = c2c_with(&format!(r#""To_Account":{text}"#));
        let e = err(&body);
        assert_eq!(e.kind(), kind, "{text}");
        assert_eq!(e.key(), Some("To_Account"), "{text}");
    }
    // Invalid UTF-8, in a known field and in an unknown one: the offset is the bad byte.
    for key in ["To_Account", "Unmodelled"] {
        let mut body = c2c_with(&format!(r#""{key}":"ab__cd""#)).into_bytes();
        let at = body.windows(2).position(|w| w == b"__").unwrap();
        body[at] = 0xC3; // lead byte followed by '_' (not a continuation)
        let e = parse(&mut body).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::InvalidUtf8, at),
            "{key}"
        );
    }
    // Invalid UTF-8 in keys (known position, unknown key, escaped key) and after an escape.
    for member in [
        r#""To_Acc__nt":"b""#,
        r#""X__":1"#,
        r#""X\n__":1"#,
        r#""To_Account":"\n__""#,
    ] {
        let mut body = c2c_with(member).into_bytes();
        let at = body.windows(2).position(|w| w == b"__").unwrap();
        body[at] = 0xE4; // a 3-byte lead followed by '_'
        let e = parse(&mut body).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::InvalidUtf8, at),
            "{member}"
        );
    }
    // Keys with escapes fail the same way inside a list element (where a good one is rewritten
    // for the second read) as at the top level: same kind, same offset from the key.
    let top = r#"{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"g","#;
    let in_list = r#"{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","NewMemberList":[{"Member_Account":"a"},{"#;
    for (key, kind) in [
        (r#""\x""#, ErrorKind::InvalidEscape),
        (r#""M\u12G4""#, ErrorKind::InvalidEscape),
        (r#""\ud800""#, ErrorKind::LoneSurrogate),
        ("\"\\u0041\tb\"", ErrorKind::ControlCharacter),
        (r#""\u0041" 1"#, ErrorKind::Expected(Expected::Colon)),
        // Cut short after the key.
        (r#""\u0041""#, ErrorKind::Eof),
    ] {
        let found: Vec<(ErrorKind, usize)> = [(top, r#":"v"}"#), (in_list, r#":"v"}]}"#)]
            .into_iter()
            .map(|(prefix, tail)| {
                let tail = if kind == ErrorKind::Eof { "" } else { tail };
                let e = err(&format!("{prefix}{key}{tail}"));
                (e.kind(), e.offset() - prefix.len())
            })
            .collect();
        assert_eq!(found[0].0, kind, "{key}");
        assert_eq!(found[0], found[1], "{key}");
    }
    // Surrogate pairs decode; U+FFFF and other noncharacters are fine.
    let mut body = c2c_with(r#""To_Account":"\uD834\uDD1E\uffff""#).into_bytes();
    let Ok(Callback::C2cBeforeSendMsg(ev)) = parse(&mut body) else {
        panic!()
    };
    assert_eq!(ev.to_account, "𝄞\u{ffff}");
}

#[test]
fn structure_errors_are_precise() {
    let cases: &[(&str, ErrorKind, usize)] = &[
        ("", ErrorKind::Eof, 0),
        ("   ", ErrorKind::Eof, 3),
        ("[]", ErrorKind::Expected(Expected::Object), 0),
        ("null", ErrorKind::Expected(Expected::Object), 0),
        ("\u{feff}{}", ErrorKind::Expected(Expected::Object), 0),
        ("{}", ErrorKind::MissingCommand, 2),
        (r#"{"CallbackCommand":"X"} x"#, ErrorKind::TrailingBytes, 24),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport"}{}"#,
            ErrorKind::TrailingBytes,
            48,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","#,
            ErrorKind::Eof,
            48,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport",}"#,
            ErrorKind::Expected(Expected::Key),
            48,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport" "x":1}"#,
            ErrorKind::Expected(Expected::CommaOrBrace),
            48,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","x" 1}"#,
            ErrorKind::Expected(Expected::Colon),
            52,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","x":[1,]}"#,
            ErrorKind::Expected(Expected::Value),
            55,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","x":tru}"#,
            ErrorKind::Expected(Expected::Value),
            52,
        ),
        (
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","x":1.}"#,
            ErrorKind::InvalidNumber,
            54,
        ),
        (
            r#"{"CallbackCommand":1}"#,
            ErrorKind::Expected(Expected::String),
            19,
        ),
    ];
    for &(body, kind, at) in cases {
        let e = err(body);
        assert_eq!((e.kind(), e.offset()), (kind, at), "{body}: {e}");
    }
}

#[test]
fn nesting_is_limited_and_never_overflows_the_stack() {
    // Under Miri a shallower excess: the limit is hit at the same byte either way.
    for n in [MAX_DEPTH as usize, if cfg!(miri) { 1_000 } else { 100_000 }] {
        let deep = format!(
            r#"{{"CallbackCommand":"C2C.CallbackAfterMsgReport","x":{}{}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        );
        let e = err(&deep);
        assert_eq!(e.kind(), ErrorKind::TooDeep, "{n}");
        assert_eq!(e.offset(), 52 + MAX_DEPTH as usize - 1);
    }
    // One level less than the limit is accepted (the top-level object is depth 1).
    let n = MAX_DEPTH as usize - 1;
    let ok = format!(
        r#"{{"CallbackCommand":"C2C.CallbackAfterMsgReport","x":{}{}}}"#,
        "[".repeat(n),
        "]".repeat(n)
    );
    assert!(parse_str(&ok).is_ok());
    // Relays nested past the limit through typed decoding are rejected too.
    let e = err(&common::nested_relays(40, "x"));
    assert_eq!(e.kind(), ErrorKind::TooDeep);
    // The deepest relay nesting the limit allows decodes (typed recursion is bounded by it,
    // so the stack is too: this runs on a test thread's default stack, in debug builds). Found
    // by trying, so that it also checks `relay_levels_within`'s arithmetic.
    let mut levels = 0;
    while parse_str(&common::nested_relays(levels + 1, "deepest")).is_ok() {
        levels += 1;
    }
    assert_eq!(levels, common::relay_levels_within(MAX_DEPTH));
    assert_eq!(levels, (MAX_DEPTH as usize - 4) / 5);
    let mut body = common::nested_relays(levels, "deepest").into_bytes();
    let Ok(Callback::C2cBeforeSendMsg(ev)) = parse(&mut body) else {
        panic!()
    };
    let mut elem = ev.msg_body.get(0).unwrap();
    for _ in 0..levels {
        let MsgElem::Relay(r) = elem else { panic!() };
        elem = r.msg_list.get(0).unwrap().msg_body.get(0).unwrap();
    }
    assert_eq!(elem, MsgElem::Text(TextElem { text: "deepest" }));
    assert_eq!(
        parse_str(&"[".repeat(1_000_000)).unwrap_err().kind(),
        ErrorKind::Expected(Expected::Object)
    );
}

#[test]
fn duplicate_known_keys_are_rejected_and_unknown_duplicates_allowed() {
    let body = c2c_with(r#""To_Account":"b","To_Account":"c""#);
    let e = err(&body);
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::DuplicateKey, Some("To_Account"))
    );
    assert_eq!(e.offset(), body.rfind(r#""To_Account""#).unwrap());
    // The same key spelled with an escape is the same key.
    let e = err(&c2c_with(r#""To_Account":"b","To_\u0041ccount":"c""#));
    assert_eq!(e.kind(), ErrorKind::DuplicateKey);
    assert!(parse_str(&c2c_with(r#""Extra":1,"Extra":2"#)).is_ok());
    let e = err(&c2c_with(
        r#""MsgBody":[{"MsgType":"TIMTextElem","MsgType":"TIMFaceElem","MsgContent":{}}]"#,
    ));
    assert_eq!(
        (e.kind(), e.key(), e.index()),
        (ErrorKind::DuplicateKey, Some("MsgType"), Some(0))
    );
}

#[test]
fn a_body_that_only_seems_to_name_a_command_has_none() {
    // The key's text ends in `"CallbackCommand` after an escaped quote: the body names no
    // command, wherever that key stands among the containers, so `parse` rejects it as `sniff`
    // does, and `parse_as` types it by the command it is given.
    let info = r#""Info":{"To_Account":"a","Action":"Login"}"#;
    for fake in [r#""x\"CallbackCommand""#, r#""\\\"CallbackCommand""#] {
        let member = format!(r#"{fake}:"State.StateChange""#);
        for body in [
            format!(r#"{{"A":1,{member},{info}}}"#),
            format!(r#"{{{info},{member}}}"#),
            format!(r#"{{{info},{member},"B":[1]}}"#),
            format!(r#"{{"B":[1],{member},{info}}}"#),
        ] {
            assert_eq!(
                sniff(body.as_bytes()).unwrap_err().kind(),
                ErrorKind::MissingCommand,
                "{body}"
            );
            let e = err(&body);
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::MissingCommand, body.len()),
                "{body}"
            );
            let mut b = body.clone().into_bytes();
            assert_eq!(
                parse_as("State.StateChange", &mut b).unwrap().command(),
                Command::StateChange,
                "{body}"
            );
        }
    }
}

#[test]
fn a_nested_or_later_command_cannot_change_the_type() {
    let spoofs = [
        // In message text.
        r#"{"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"\"CallbackCommand\":\"Group.CallbackBeforeSendMsg\""}}],"CallbackCommand":"C2C.CallbackBeforeSendMsg"}"#,
        // In a MsgBody element and in its content.
        r#"{"MsgBody":[{"CallbackCommand":"Group.CallbackBeforeSendMsg","MsgType":"TIMCustomElem","MsgContent":{"CallbackCommand":"State.StateChange"}}],"CallbackCommand":"C2C.CallbackBeforeSendMsg"}"#,
        // In an unknown inner object and array, before the real one.
        r#"{"X":{"CallbackCommand":"State.StateChange"},"Y":[{"CallbackCommand":"State.StateChange"}],"CallbackCommand":"C2C.CallbackBeforeSendMsg"}"#,
        // As a key's text.
        r#"{"CallbackCommand\u0000":"State.StateChange","CallbackCommand":"C2C.CallbackBeforeSendMsg"}"#,
        // As the end of a key's text, after an escaped quote, before and after the real one.
        r#"{"A":1,"x\"CallbackCommand":"State.StateChange","CallbackCommand":"C2C.CallbackBeforeSendMsg","B":[]}"#,
        r#"{"B":[],"CallbackCommand":"C2C.CallbackBeforeSendMsg","x\\\"CallbackCommand":"State.StateChange"}"#,
    ];
    for body in spoofs {
        assert_eq!(
            sniff(body.as_bytes()).unwrap(),
            Command::C2cBeforeSendMsg,
            "{body}"
        );
        let mut b = body.as_bytes().to_vec();
        assert_eq!(
            parse(&mut b).unwrap().command(),
            Command::C2cBeforeSendMsg,
            "{body}"
        );
    }
    // A second top-level command is a duplicate, for known and unknown commands alike, and
    // wherever the two stand (the command is looked for from both ends of the body), the first
    // one spelled plainly or with an escape.
    for first in [
        "C2C.CallbackBeforeSendMsg",
        "Some.NewCommand",
        "State.StateChange",
    ] {
        for spelling in ["CallbackCommand", r"Callback\u0043ommand"] {
            for (before, between, after) in [
                ("", "", ""),
                (r#""A":[1,2],"#, r#""B":{},"#, r#","Z":"z""#),
                (r#""A":1,"#, "", ""),
            ] {
                let body = format!(
                    r#"{{{before}"{spelling}":"{first}",{between}"CallbackCommand":"State.StateChange"{after}}}"#
                );
                let e = err(&body);
                assert_eq!(
                    (e.kind(), e.key(), e.offset()),
                    (
                        ErrorKind::DuplicateKey,
                        Some("CallbackCommand"),
                        body.rfind("\"CallbackCommand\"").unwrap()
                    ),
                    "{body}"
                );
            }
        }
    }
}

#[test]
fn the_command_is_found_wherever_it_stands() {
    // Every position among members whose values a backward walk must step over correctly,
    // compact and spaced; `parse` must agree with the validating `sniff`.
    let members = [
        r#""GroupId":"@TGS#1\"}]""#,
        r#""MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"a\\"}},{"MsgType":"TIMCustomElem","MsgContent":{"Data":"{\"CallbackCommand\":\"State.StateChange\"}"}}]"#,
        r#""X":{"CallbackCommand":"State.StateChange","y":[[],{}]}"#,
        r#""MsgSeq":123"#,
        r#""OnlineOnlyFlag":0"#,
        r#""CloudCustomData":"""#,
    ];
    for at in 0..=members.len() {
        for spaced in [false, true] {
            let mut list: Vec<String> = members.iter().map(|m| m.to_string()).collect();
            list.insert(
                at,
                r#""CallbackCommand":"Group.CallbackBeforeSendMsg""#.into(),
            );
            let mut body = format!("{{{}}}", list.join(","));
            if spaced {
                body = format!(
                    " {} \n",
                    body.replace("\":", "\" : ").replace(",\"", " ,\n \"")
                );
            }
            assert_eq!(
                sniff(body.as_bytes()).unwrap(),
                Command::GroupBeforeSendMsg,
                "{body}"
            );
            let mut b = body.as_bytes().to_vec();
            let cb = parse(&mut b).unwrap_or_else(|e| panic!("{e}: {body}"));
            assert_eq!(cb.command(), Command::GroupBeforeSendMsg, "{body}");
        }
    }
}

#[test]
fn query_command_and_body_command_must_agree() {
    let mut b = C2C.as_bytes().to_vec();
    let e = parse_as("C2C.CallbackAfterSendMsg", &mut b).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::CommandMismatch, 19));
    let mut b = C2C.as_bytes().to_vec();
    assert_eq!(
        parse_as("New.Command", &mut b).unwrap_err().kind(),
        ErrorKind::CommandMismatch
    );
    let mut b = br#"{"CallbackCommand":"New.Command","A":1}"#.to_vec();
    assert!(
        matches!(parse_as("Other.Command", &mut b), Err(e) if e.kind() == ErrorKind::CommandMismatch)
    );
    // Escaped spelling of the same command agrees, for known and unknown commands.
    let mut b = br#"{"CallbackCommand":"C2C.Callback\u0042eforeSendMsg"}"#.to_vec();
    assert_eq!(sniff(&b).unwrap(), Command::C2cBeforeSendMsg);
    assert!(parse_as("C2C.CallbackBeforeSendMsg", &mut b).is_ok());
    let mut b = br#"{"CallbackCommand":"New.\u0043ommand"}"#.to_vec();
    assert_eq!(sniff(&b).unwrap(), Command::Unknown(r"New.\u0043ommand"));
    assert!(parse_as("New.Command", &mut b).is_ok());
    // A body without a command takes the query's.
    let mut b = br#"{"From_Account":"a"}"#.to_vec();
    let Callback::C2cAfterMsgWithDraw(ev) =
        parse_as("C2C.CallbackAfterMsgWithDraw", &mut b).unwrap()
    else {
        panic!()
    };
    assert_eq!(ev.from_account, "a");
}

#[test]
fn absent_keys_read_as_defaults_and_null_only_fills_options() {
    let mut b =
        br#"{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","Name":null}"#.to_vec();
    let Callback::GroupAfterGroupInfoChanged(ev) = parse(&mut b).unwrap() else {
        panic!()
    };
    assert_eq!(
        (ev.group_id, ev.name, ev.face_url, ev.event_time),
        ("", None, None, None)
    );
    assert_eq!(ev.group_type, GroupType::Other(""));
    let e = err(r#"{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":null}"#);
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::Expected(Expected::String), Some("GroupId"))
    );
    let e = err(&c2c_with(r#""MsgBody":null"#));
    assert_eq!(
        (e.kind(), e.key()),
        (ErrorKind::Expected(Expected::Array), Some("MsgBody"))
    );
}

/// Every prefix of every fixture is rejected; every single-byte change either parses or is
/// rejected (never a panic), and whatever serde_json rejects as JSON is rejected here too.
#[test]
fn truncations_and_byte_changes_never_panic() {
    let mut checked = 0usize;
    // Under Miri (about 1000x slower) a sample: every 41st cut and change, two fixtures.
    let (step, take) = if cfg!(miri) { (41, 2) } else { (1, usize::MAX) };
    for (name, bytes) in common::fixtures().into_iter().take(take) {
        let trimmed = bytes.trim_ascii_end().len();
        for cut in (0..trimmed).step_by(step) {
            let mut b = bytes[..cut].to_vec();
            let e = parse(&mut b).expect_err(&name);
            assert!(e.offset() <= cut, "{name} cut {cut}: {e}");
            checked += 1;
        }
        for at in (0..bytes.len()).step_by(3 * step) {
            for new in [b'"', b'\\', b'{', b']', b',', b'0', 0x00, 0xC3, 0xFF, 0xF8] {
                let mut b = bytes.clone();
                b[at] = new;
                let json_ok = serde_json::from_slice::<serde_json::Value>(&b).is_ok();
                let copy = b.clone();
                let r = parse(&mut b);
                if !json_ok {
                    assert!(
                        r.is_err(),
                        "{name}: accepted invalid JSON {:?}",
                        String::from_utf8_lossy(&copy)
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > if cfg!(miri) { 20 } else { 10_000 });
}

#[test]
fn a_parser_enforces_a_lower_depth_limit_everywhere_it_is_counted() {
    // Under Miri, where each limit takes seconds, both clamps and one limit between them.
    let limits: &[u32] = if cfg!(miri) {
        &[0, 8, 128]
    } else {
        &[0, 1, 2, 3, 8, 32, 64, 126, 127, 128, 1_000]
    };
    for &limit in limits {
        let parser = Parser::new().max_depth(limit);
        let effective = limit.clamp(1, MAX_DEPTH);
        assert_eq!(parser.depth_limit(), effective);
        // Arrays under an unknown key of a known command (skipped, never typed), of an unknown
        // command (`Callback::Unknown` is validated all the same), and the same via `parse_as`.
        for command in ["C2C.CallbackAfterMsgReport", "Unknown.Command"] {
            let deep = |n: usize| {
                format!(
                    r#"{{"CallbackCommand":"{command}","x":{}0{}}}"#,
                    "[".repeat(n),
                    "]".repeat(n)
                )
            };
            let first = deep(0).find(r#""x":"#).unwrap() + 4;
            let ok = deep(effective as usize - 1);
            assert!(
                parser.parse(&mut ok.clone().into_bytes()).is_ok(),
                "{limit} {command}"
            );
            assert!(
                parser.parse_as(command, &mut ok.into_bytes()).is_ok(),
                "{limit} {command}"
            );
            let too_deep = deep(effective as usize);
            for e in [
                parser
                    .parse(&mut too_deep.clone().into_bytes())
                    .unwrap_err(),
                parser
                    .parse_as(command, &mut too_deep.clone().into_bytes())
                    .unwrap_err(),
            ] {
                assert_eq!(e.kind(), ErrorKind::TooDeep, "{limit} {command}");
                assert_eq!(
                    e.offset(),
                    first + effective as usize - 1,
                    "{limit} {command}"
                );
            }
        }
        // Typed recursion: the deepest relay nesting the limit allows, and one more.
        if effective >= 4 {
            let levels = common::relay_levels_within(effective);
            let mut body = common::nested_relays(levels, "deepest").into_bytes();
            let Ok(Callback::C2cBeforeSendMsg(ev)) = parser.parse(&mut body) else {
                panic!("{limit}: {levels} levels rejected")
            };
            let mut elem = ev.msg_body.get(0).unwrap();
            for _ in 0..levels {
                let MsgElem::Relay(r) = elem else { panic!() };
                elem = r.msg_list.get(0).unwrap().msg_body.get(0).unwrap();
            }
            assert_eq!(elem, MsgElem::Text(TextElem { text: "deepest" }));
            let mut body = common::nested_relays(levels + 1, "x").into_bytes();
            let e = parser.parse(&mut body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::TooDeep, "{limit}");
        }
    }
    assert_eq!(Parser::default(), Parser::new());
    assert_eq!(Parser::new().depth_limit(), MAX_DEPTH);
}

/// `parse`'s command against `sniff`'s (the validating reader of the top-level command), and a
/// body `parse` rejects against `parse_as` with `sniff`'s command: on bodies assembled from
/// members that try to look like the command to a pre-pass (escaped quotes before the key,
/// brackets and quotes in text, the key in text, nested, escaped) in every order and spacing.
#[test]
fn parse_types_a_body_by_its_own_command_whatever_surrounds_it() {
    const PIECES: &[&str] = &[
        r#""CallbackCommand":"State.StateChange""#,
        r#""CallbackCommand":"C2C.CallbackBeforeSendMsg""#,
        r#""Callback\u0043ommand":"State.StateChange""#,
        r#""x\"CallbackCommand":"C2C.CallbackBeforeSendMsg""#,
        r#""x\\":"CallbackCommand""#,
        r#""y\\\"CallbackCommand":"Group.CallbackBeforeSendMsg""#,
        r#""T":"a ] b [ \" } {""#,
        r#""T":"\\""#,
        r#""K":"\"CallbackCommand\":\"State.StateChange\"""#,
        r#""X":{"CallbackCommand":"State.StateChange"}"#,
        r#""Y":[{"CallbackCommand":"State.StateChange","k":"]\""}]"#,
        r#""Info":{"To_Account":"a","Action":"Login"}"#,
        r#""MsgBody":[{"MsgContent":{"Text":"hi \"}] CallbackCommand"},"MsgType":"TIMTextElem"}]"#,
        r#""From_Account":"a\\""#,
        r#""E":"\u005c""#,
        r#""L":"long text long text long text long text long text long text long text long""#,
    ];
    let mut state = 0x1234_5678_9ABC_DEF1u64;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let cases = if cfg!(miri) { 60 } else { 60_000 };
    let mut typed = 0;
    for _ in 0..cases {
        let members: Vec<&str> = (0..below(7)).map(|_| PIECES[below(PIECES.len())]).collect();
        let sep = [",", " , ", ",\n  "][below(3)];
        let body = format!("{{{}}}", members.join(sep));
        let sniffed = sniff(body.as_bytes());
        let mut b = body.clone().into_bytes();
        match (sniffed, parse(&mut b).map(|cb| cb.command())) {
            (Ok(s), Ok(p)) => {
                assert_eq!(s, p, "{body}");
                typed += 1;
            }
            (Err(e), Ok(p)) => panic!("parse typed {p:?}, sniff failed ({e}): {body}"),
            (Ok(s), Err(e)) => {
                let mut b = body.clone().into_bytes();
                assert!(
                    parse_as(s.as_str(), &mut b).is_err(),
                    "parse rejected ({e}) what parse_as({s:?}) accepts: {body}"
                );
            }
            (Err(_), Err(_)) => {}
        }
    }
    assert!(typed * 10 >= cases, "{typed} of {cases}");
}

#[test]
fn a_bad_byte_in_escape_dense_text_is_reported_where_it_is() {
    // A body whose texts and JSON-in-a-string `Data` have an escape every few bytes (which the
    // decoder may take sixteen bytes at a time), spoilt at one byte of its strings at a time:
    // with a byte that is not UTF-8, or a control byte. The error is at that byte (for bad
    // UTF-8: where its character starts), whatever the bytes around it.
    let fixture = "Group.CallbackAfterSendMsg.dense_escapes.json";
    let path = format!(
        "{}/tests/fixtures/commands/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let body = std::fs::read(path).unwrap();
    let content = |from: &str| {
        let key = format!("\"{from}\":\"");
        let at = body
            .windows(key.len())
            .position(|w| w == key.as_bytes())
            .unwrap();
        at + key.len()
    };
    // Which bytes are inside strings (between unescaped quotes).
    let mut inside = vec![false; body.len()];
    let (mut open, mut escaped) = (false, false);
    for (k, &c) in body.iter().enumerate() {
        if open && !escaped && c == b'"' {
            open = false;
        } else if !open && c == b'"' {
            open = true;
        } else if open {
            inside[k] = true;
        }
        escaped = open && !escaped && c == b'\\';
    }
    let mut tried = 0;
    let step = if cfg!(miri) { 97 } else { 1 };
    for at in (content("Text")..body.len()).step_by(step) {
        // Not an escape's own bytes (that would be a bad escape).
        let before = &body[at.saturating_sub(5)..at];
        if !inside[at] || body[at] == b'\\' || before.contains(&b'\\') {
            continue;
        }
        for (bad, kind) in [
            (0xFF, ErrorKind::InvalidUtf8),
            (0x01, ErrorKind::ControlCharacter),
        ] {
            let mut spoilt = body.clone();
            spoilt[at] = bad;
            let want = match kind {
                ErrorKind::InvalidUtf8 => std::str::from_utf8(&spoilt).unwrap_err().valid_up_to(),
                _ => at,
            };
            let e = parse(&mut spoilt).expect_err("a spoilt string");
            assert_eq!(
                (e.kind(), e.offset()),
                (kind, want),
                "byte {at} as {bad:#x}"
            );
            tried += 1;
        }
    }
    assert!(
        tried > if cfg!(miri) { 4 } else { 600 },
        "{tried} bytes spoilt"
    );
}

//! Tencent's own published examples (../shared/corpus/tim-docs): every request example parses to
//! the variant of its command, and every value it sends comes back unchanged.
#![cfg(feature = "serde")]

mod common;

use tim_callback::{Callback, Command, MsgElem, error::ErrorKind, parse, parse_as};

#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn every_request_example_parses_to_its_command_with_every_value() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut known = 0;
    // Under Miri (about 1000x slower), every third example.
    let step = if cfg!(miri) { 3 } else { 1 };
    for (name, command, bytes) in common::corpus_requests(&shared).into_iter().step_by(step) {
        // Every command with an example in the corpus is modelled.
        let expected = Command::from_name(&command);
        assert!(expected.is_known(), "{name}: {command} is not modelled");
        let mut body = bytes.clone();
        // As the query's command (some bodies name none) …
        let cb = parse_as(&command, &mut body).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(cb.command(), expected, "{name}");
        let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let ser = serde_json::to_value(&cb).unwrap();
        common::covers_except(&json, &ser, &name, &["CallbackCommand"])
            .unwrap_or_else(|e| panic!("{e}"));
        // … and as the body's own, when it names one.
        if json.get("CallbackCommand").is_some() {
            let mut again = bytes.clone();
            assert_eq!(
                parse(&mut again).unwrap_or_else(|e| panic!("{name}: {e}")),
                cb,
                "{name}"
            );
        }
        known += 1;
    }
    eprintln!("corpus: {known} request examples");
    assert!(known >= 50 / step, "only {known} request examples found");
}

fn corpus_file(name: &str) -> Option<Vec<u8>> {
    let shared = common::shared_dir()?;
    Some(std::fs::read(shared.join("corpus/tim-docs").join(name)).unwrap())
}

#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn quirks_of_the_examples_read_as_documented() {
    let Some(mut body) = corpus_file("Group.CallbackAfterSendMsg.1.json") else {
        return;
    };
    let Callback::GroupAfterSendMsg(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(ev.group_type, tim_callback::vocab::GroupType::Public);
    assert_eq!(
        (ev.random, ev.msg_seq, ev.msg_time),
        (123456, 123, 1490686222)
    );
    // EventTime arrives as a string here.
    let t = ev.event_time.unwrap();
    assert_eq!((t.millis, t.quoted), (1670574414123, true));
    let first = ev.msg_body.get(0).unwrap();
    assert_eq!(
        first,
        MsgElem::Text(tim_callback::msg::TextElem { text: "red packet" })
    );

    let Some(mut body) = corpus_file("State.StateChange.1.json") else {
        return;
    };
    let Callback::StateChange(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(
        ev.event_time.map(|t| (t.millis, t.quoted)),
        Some((1629883332497, false))
    );
    assert_eq!(ev.info.action, tim_callback::vocab::StateAction::Login);
    assert_eq!(ev.info.reason, tim_callback::vocab::StateReason::Register);
    assert_eq!(ev.info.to_account, "testuser316");
    let platforms: Vec<_> = ev.kicked_device.iter().map(|d| d.platform).collect();
    assert_eq!(
        platforms,
        [
            tim_callback::vocab::Platform::Windows,
            tim_callback::vocab::Platform::Android
        ]
    );

    // Old bodies: no EventTime, and the pre-2023 spelling CreatedGroupNum.
    let Some(mut body) = corpus_file("Group.CallbackBeforeCreateGroup.2.json") else {
        return;
    };
    let Callback::GroupBeforeCreateGroup(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.event_time, None);
    // Read as the current spelling's field.
    assert_eq!(ev.create_group_num, 123);
    let members: Vec<_> = ev.member_list.iter().map(|m| m.member_account).collect();
    assert_eq!(members, ["bob", "peter"]);

    let Some(mut body) = corpus_file("Sns.CallbackPrevFriendAdd.1.json") else {
        return;
    };
    let Callback::SnsPrevFriendAdd(ev) = parse(&mut body).unwrap() else {
        panic!()
    };
    assert_eq!(ev.requester_account, "id");
    assert_eq!(ev.add_type, tim_callback::vocab::AddType::Both);
    assert_eq!(ev.friend_item.len(), 2);
    assert_eq!(ev.friend_item.get(1).unwrap().add_wording, "this is id2!");
}

/// Each element example, placed in a real message body, reads as its element type with every
/// value; the merged-forward examples keep `MsgRandom` 3998651049 (above i32) at depth.
#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn every_message_element_example_reads_with_every_value() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut seen = 0;
    for (name, event) in common::element_events(&shared) {
        let mut body = serde_json::to_vec(&event).unwrap();
        let cb = parse(&mut body).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Callback::C2cBeforeSendMsg(ev) = &cb else {
            panic!("{name}")
        };
        for e in &ev.msg_body {
            assert!(!matches!(e, MsgElem::Unknown { .. }), "{name}: {e:?}");
        }
        if name.starts_with("MsgBody.TIMRelayElem") {
            let Some(MsgElem::Relay(relay)) = ev.msg_body.get(0) else {
                panic!("{name}")
            };
            let first = relay.msg_list.get(0).unwrap();
            assert_eq!(first.msg_random, 3998651049, "{name}");
            assert_eq!(relay.abstract_list.len(), 2);
            assert!(matches!(first.msg_body.get(0), Some(MsgElem::Text(_))));
        }
        common::covers(&event, &serde_json::to_value(&cb).unwrap(), &name)
            .unwrap_or_else(|e| panic!("{e}"));
        seen += 1;
    }
    assert!(seen >= 19, "only {seen} element examples");
}

/// Deletes `//` comments (to the end of the line) outside strings, as the corpus's derived
/// files were made (sources.md).
fn strip_comments(bytes: &[u8]) -> Vec<u8> {
    let (mut out, mut i, mut in_string) = (Vec::new(), 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            if b == b'\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1]);
                i += 2;
                continue;
            }
            in_string = b != b'"';
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        } else {
            in_string = b == b'"';
            out.push(b);
        }
        i += 1;
    }
    out
}

/// The first byte of `needle` in `hay`, or past it and the whitespace after it.
fn locate(hay: &[u8], needle: &str, after: bool) -> usize {
    let at = hay
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .unwrap_or_else(|| panic!("{needle:?} not found"));
    if !after {
        return at;
    }
    let end = at + needle.len();
    end + hay[end..]
        .iter()
        .take_while(|b| b.is_ascii_whitespace())
        .count()
}

/// The documented typos (doc-errata/) are rejected at the defect, byte for byte. As published
/// (with `//` comments) the error is the first comment; with the comments deleted, it is the
/// erratum's own defect, which each file's entry below names.
#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn doc_errata_are_rejected_at_the_defect() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    // (file, the defect, whether the error sits past it rather than on it)
    const CURLY: &str = r#""MsgContent": {}"#; // `{}` typed for `{`: the next key is outside
    let defects: &[(&str, &str, bool)] = &[
        ("C2C.CallbackAfterSendMsg.1.txt", CURLY, true),
        ("C2C.CallbackBeforeSendMsg.1.txt", CURLY, true),
        ("C2C.CallbackBeforeSendMsg.response.1.txt", CURLY, true),
        // The opening quote of a key is missing.
        ("Group.CallbackAfterCreateGroup.1.txt", "GroupId\"", false),
        (
            "Group.CallbackAfterGroupDestroyed.1.txt",
            "GroupId\"",
            false,
        ),
        ("Group.CallbackAfterNewMemberJoin.1.txt", "GroupId\"", false),
        (
            "Group.CallbackBeforeApplyJoinGroup.1.txt",
            "GroupId\"",
            false,
        ),
        // The comma before the last key is missing.
        (
            "Group.CallbackSendMsgException.1.txt",
            "\"EventTime\"",
            false,
        ),
        // An ideographic comma (U+3001) for `,`.
        ("MsgBody.TIMSoundElem.1.txt", "\u{3001}", false),
        ("MsgBody.TIMVideoFileElem.1.txt", "\u{3001}", false),
        // Indentation with no-break spaces (U+00A0).
        ("Sns.CallbackBlackListAdd.1.txt", "\u{a0}", false),
        ("Sns.CallbackBlackListDelete.1.txt", "\u{a0}", false),
        (
            "Sns.CallbackBlackListDelete.response.1.txt",
            "\u{a0}",
            false,
        ),
    ];
    let dir = shared.join("corpus/tim-docs/doc-errata");
    let files = common::files(&dir, "txt");
    let listed: Vec<&str> = defects.iter().map(|d| d.0).collect();
    let present: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(listed, present, "every erratum has its defect named here");
    let parse_file = |name: &str, bytes: &[u8]| {
        let mut body = bytes.to_vec();
        let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
        match Command::from_name(&command).is_known() {
            true => parse_as(&command, &mut body).unwrap_err(),
            false => parse_as("Unmodelled.Element", &mut body).unwrap_err(),
        }
    };
    for ((name, bytes), &(_, defect, after)) in files.iter().zip(defects) {
        let published = parse_file(name, bytes);
        let comment = bytes.windows(2).position(|w| w == b"//");
        let stripped = strip_comments(bytes);
        let err = parse_file(name, &stripped);
        let expected = locate(&stripped, defect, after);
        assert_eq!(
            err.offset(),
            expected,
            "{name}: {err} points at {:?}",
            String::from_utf8_lossy(
                &stripped[err.offset()..(err.offset() + 20).min(stripped.len())]
            )
        );
        match comment {
            // Published with comments: the first comment (none sits inside a string here).
            Some(at) if at < expected => assert_eq!(published.offset(), at, "{name}"),
            _ => assert_eq!(published.offset(), locate(bytes, defect, after), "{name}"),
        }
    }
}

#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn content_callback_without_a_command_needs_the_query_command() {
    let Some(bytes) = corpus_file("ContentCallback.ResultNotify.1.json") else {
        return;
    };
    let mut body = bytes.clone();
    assert_eq!(
        parse(&mut body).unwrap_err().kind(),
        ErrorKind::MissingCommand
    );
    let mut body = bytes.clone();
    // The query's command is a temporary: the result borrows only the body.
    let cb = parse_as(&String::from("ContentCallback.ResultNotify"), &mut body).unwrap();
    let Callback::ContentResultNotify(n) = cb else {
        panic!("{:?}", cb.command())
    };
    assert_eq!(n.scene, tim_callback::vocab::ModerationScene::C2c);
    assert_eq!(n.sdk_app_id, 1_400_187_352);
    assert_eq!(
        n.contact_item.contact_type,
        tim_callback::vocab::ContactType::C2c
    );
    assert_eq!(n.contact_item.to_account, Some("Jonh"));
    let texts: Vec<_> = n.text_content.iter().collect();
    assert_eq!(texts, ["aaabbbccc", "1234567"]);
    assert_eq!(n.msg_id, "1434460578_4137340972_1661154487");
    assert_eq!(
        n.ctxcb_suggestion,
        Some(tim_callback::vocab::Suggestion::Review)
    );
    assert_eq!(n.ctxcb_sub_label_desc, Some("影射XX"));
}

/// Every key of the examples whose line breaks were lost (flattened/, not JSON any more) is a key
/// the crate reads: it appears in what the crate writes back for that command, from an empty
/// body (every non-optional field), the project's fixtures and Tencent's examples.
#[test]
// Evidence of key spellings in text, not a memory check: not run under Miri.
#[cfg_attr(miri, ignore)]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn flattened_examples_use_only_keys_the_crate_reads() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut bodies: Vec<(String, Vec<u8>)> = common::command_fixtures()
        .into_iter()
        .map(|(_, c, b)| (c, b))
        .collect();
    for (_, bytes) in common::fixtures() {
        if let Some(c) = tim_callback::sniff(&bytes).ok().and_then(|c| c.known()) {
            bodies.push((c.as_str().into(), bytes));
        }
    }
    for (_, c, bytes) in common::corpus_requests(&shared) {
        bodies.push((c, bytes));
    }
    let mut checked = 0;
    for (name, bytes) in common::files(&shared.join("corpus/tim-docs/flattened"), "txt") {
        let command = name.split('.').take(2).collect::<Vec<_>>().join(".");
        assert!(Command::from_name(&command).is_known(), "{name}");
        let mut known = std::collections::BTreeSet::new();
        for (c, b) in bodies
            .iter()
            .filter(|(c, _)| *c == command)
            .chain([&(command.clone(), b"{}".to_vec())])
        {
            let mut body = b.clone();
            let cb = parse_as(c, &mut body).unwrap();
            keys(&serde_json::to_value(&cb).unwrap(), &mut known);
        }
        let text = String::from_utf8_lossy(&bytes);
        let mut i = 0;
        let mut seen = 0;
        // `"Key":` (or `"Key" :`), outside the comments' prose.
        while let Some(q) = text[i..].find('"') {
            let start = i + q + 1;
            let Some(len) = text[start..].find('"') else {
                break;
            };
            let word = &text[start..start + len];
            i = start + len + 1;
            // A key is followed by `:` and a JSON value; a quoted word in a comment's prose
            // (`// "set": Reset …`) is followed by more prose.
            let value = text[i..]
                .trim_start()
                .strip_prefix(':')
                .map(str::trim_start);
            let placed = value.is_some_and(|v| {
                v.starts_with(['"', '-', '[', '{'])
                    || v.starts_with(|c: char| c.is_ascii_digit())
                    || ["true", "false", "null"].iter().any(|l| v.starts_with(l))
            });
            if placed
                && !word.is_empty()
                && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                // Written back under its key when it is an alias.
                let as_alias = common::ALIASES
                    .iter()
                    .any(|(a, k)| *a == word && known.contains(*k));
                assert!(
                    known.contains(word) || as_alias,
                    "{name}: key {word} is not read by the crate"
                );
                seen += 1;
            }
        }
        assert!(seen >= 3, "{name}: only {seen} keys found");
        checked += 1;
    }
    assert!(checked >= 13, "{checked} flattened examples");
}

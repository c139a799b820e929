//! Answers: every intent against every command's documented rules, every extra, Tencent's own
//! answer examples reproduced value for value, the event's own elements written back, and
//! arbitrary strings read back by serde_json exactly as they went in.
#![cfg(feature = "serde")]

mod common;

use proptest::prelude::*;
use serde_json::{Value, json};
use tim_callback::{
    Answer, Callback, Command, MsgElem, answer::ActionStatus, answer::AnswerError,
    answer::BufferTooSmall, answer::Intent, answer::MaskedText, answer::NewImage,
    answer::ReplyElem, answer::ResultItem, msg::CustomElem, msg::ImageInfo, msg::TextElem, parse,
    vocab::ImageFormat, vocab::ImageType,
};

/// Writes `answer` every way there is, checks that they agree, and returns it as JSON.
fn written(answer: &Answer<'_>) -> Value {
    let text = answer.to_string();
    assert_eq!(answer.len(), text.len());
    let mut buf = vec![0u8; text.len()];
    assert_eq!(answer.write_into(&mut buf), Ok(text.len()));
    assert_eq!(buf, text.as_bytes());
    let mut s = String::new();
    answer.write_to(&mut s).unwrap();
    assert_eq!(s, text);
    let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert!(value.is_object(), "{text}");
    // serde writes the same keys and values.
    assert_eq!(serde_json::to_value(answer).unwrap(), value, "{text}");
    value
}

/// What §1.5 of the protocol reference documents for each command, written out here
/// independently of the crate's own table.
struct Documented {
    reject: bool,
    drop: bool,
    fail: bool,
    codes: Option<(u32, u32)>,
    replace_msg: bool,
    refuse: bool,
    result_items: bool,
}

fn documented(command: Command<'_>) -> Documented {
    let after = Documented {
        reject: false,
        drop: false,
        fail: true,
        codes: None,
        replace_msg: false,
        refuse: false,
        result_items: false,
    };
    let group_before = Documented {
        reject: true,
        fail: false,
        codes: Some((10_100, 10_200)),
        ..after
    };
    match command.as_str() {
        "C2C.CallbackBeforeSendMsg" => Documented {
            drop: true,
            codes: Some((120_001, 130_000)),
            replace_msg: true,
            ..group_before
        },
        "Group.CallbackBeforeSendMsg" => Documented {
            drop: true,
            replace_msg: true,
            ..group_before
        },
        "Group.CallbackBeforeCreateGroup" | "Group.CallbackBeforeApplyJoinGroup" => group_before,
        "Group.CallbackBeforeInviteJoinGroup" => Documented {
            refuse: true,
            ..group_before
        },
        "Group.CallbackBeforeCreateTopic" => group_before,
        // "固定填 OK / 0 / 空字符串": nothing but the default.
        "Group.CallbackSendMsgException" => Documented {
            fail: false,
            ..after
        },
        // No custom range or extras documented: allow or reject.
        "OfficialAccount.CallbackBeforeCreateOfficialAccount"
        | "OfficialAccount.CallbackBeforeAddSubscriber"
        | "OfficialAccount.CallbackBeforeSendMsg" => Documented {
            reject: true,
            fail: false,
            ..after
        },
        "Sns.CallbackPrevFriendAdd" | "Sns.CallbackPrevFriendResponse" => Documented {
            result_items: true,
            ..after
        },
        name if name.contains(".CallbackBefore") || name.contains(".CallbackPrev") => {
            panic!("{name}: a before-callback this test does not know")
        }
        _ => after,
    }
}

fn unsupported(intent: Intent, command: Command<'_>) -> AnswerError {
    AnswerError::Unsupported {
        intent,
        command: command.known(),
    }
}

#[test]
fn every_command_answers_allow_by_default() {
    let default = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#;
    let commands = Command::KNOWN
        .iter()
        .copied()
        .chain([Command::Unknown("Group.CallbackBeforeSomethingNew")]);
    for command in commands {
        let answer = command.answer();
        assert_eq!(answer.to_string(), default, "{command}");
        assert_eq!(answer.command(), command.known());
        assert_eq!(answer.status(), ActionStatus::Ok);
        assert_eq!((answer.code(), answer.info()), (0, ""));
    }
}

#[test]
fn every_intent_follows_the_documented_rules_of_every_command() {
    // Under Miri (about 1000x slower) every eighth command: rules of several families.
    let step = if cfg!(miri) { 8 } else { 1 };
    let commands = Command::KNOWN
        .iter()
        .copied()
        .step_by(step)
        .chain([Command::Unknown("New.CallbackBeforeThing")]);
    for command in commands {
        let doc = if command.is_known() {
            documented(command)
        } else {
            // Unknown: only the default answer.
            Documented {
                reject: false,
                drop: false,
                fail: false,
                codes: None,
                replace_msg: false,
                refuse: false,
                result_items: false,
            }
        };
        let a = command.answer();
        let check =
            |got: Result<Answer<'_>, AnswerError>, ok: bool, intent: Intent, want: Value| match got
            {
                Ok(answer) if ok => assert_eq!(written(&answer), want, "{command} {intent:?}"),
                Err(e) if !ok => assert_eq!(e, unsupported(intent, command), "{command}"),
                other => panic!("{command} {intent:?}: {other:?}"),
            };
        let base = |status: &str, code: u32, info: &str| json!({"ActionStatus": status, "ErrorCode": code, "ErrorInfo": info});
        check(a.reject(), doc.reject, Intent::Reject, base("OK", 1, ""));
        check(
            a.drop_silently(),
            doc.drop,
            Intent::DropSilently,
            base("OK", 2, ""),
        );
        check(
            a.fail("db down"),
            doc.fail,
            Intent::Fail,
            base("FAIL", 1, "db down"),
        );
        match doc.codes {
            Some((min, max)) => {
                for code in [min, (min + max) / 2, max] {
                    let answer = a.reject_with(code, "nope").unwrap();
                    assert_eq!(written(&answer), base("OK", code, "nope"), "{command}");
                }
                for code in [0, 1, 2, min - 1, max + 1, u32::MAX] {
                    assert_eq!(
                        a.reject_with(code, "").unwrap_err(),
                        AnswerError::CodeOutOfRange { code, min, max },
                        "{command} {code}"
                    );
                }
            }
            None => assert_eq!(
                a.reject_with(120_001, "").unwrap_err(),
                unsupported(Intent::RejectWithCode, command)
            ),
        }
        let body = [ReplyElem::text("hi")];
        let elems = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}]);
        let with = |key: &str, value: Value| {
            let mut v = base("OK", 0, "");
            v[key] = value;
            v
        };
        check(
            a.msg_body(&body),
            doc.replace_msg,
            Intent::ReplaceMsgBody,
            with("MsgBody", elems),
        );
        check(
            a.cloud_custom_data("{\"x\":1}"),
            doc.replace_msg,
            Intent::ReplaceCloudCustomData,
            with("CloudCustomData", json!("{\"x\":1}")),
        );
        check(
            a.refused_members(&["jared", "tommy"]),
            doc.refuse,
            Intent::RefuseMembers,
            with("RefusedMembers_Account", json!(["jared", "tommy"])),
        );
        let items = [ResultItem::allow("id1")];
        check(
            a.result_items(&items),
            doc.result_items,
            Intent::ResultItems,
            with(
                "ResultItem",
                json!([{"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""}]),
            ),
        );
    }
}

#[test]
fn extras_take_effect_only_with_an_allow() {
    let c2c = Command::C2cBeforeSendMsg.answer();
    let body = [ReplyElem::text("x")];
    let needs = |intent| AnswerError::NeedsAllow { intent };
    // An extra after a decision that is not an allow …
    let rejected = c2c.reject().unwrap();
    assert_eq!(
        rejected.msg_body(&body).unwrap_err(),
        needs(Intent::ReplaceMsgBody)
    );
    assert_eq!(
        c2c.drop_silently()
            .unwrap()
            .cloud_custom_data("")
            .unwrap_err(),
        needs(Intent::ReplaceCloudCustomData)
    );
    assert_eq!(
        c2c.reject_with(120_001, "")
            .unwrap()
            .msg_body(&body)
            .unwrap_err(),
        needs(Intent::ReplaceMsgBody)
    );
    // … and a decision after an extra.
    let replaced = c2c.msg_body(&body).unwrap();
    assert_eq!(replaced.reject().unwrap_err(), needs(Intent::Reject));
    assert_eq!(
        replaced.drop_silently().unwrap_err(),
        needs(Intent::DropSilently)
    );
    assert_eq!(
        replaced.reject_with(120_001, "").unwrap_err(),
        needs(Intent::RejectWithCode)
    );
    let invite = Command::GroupBeforeInviteJoinGroup.answer();
    assert_eq!(
        invite
            .refused_members(&["a"])
            .unwrap()
            .reject()
            .unwrap_err(),
        needs(Intent::Reject)
    );
    let friend = Command::SnsPrevFriendAdd.answer();
    assert_eq!(
        friend.fail("x").unwrap().result_items(&[]).unwrap_err(),
        needs(Intent::ResultItems)
    );
    // Both replacements together are fine.
    let both = c2c.msg_body(&body).unwrap().cloud_custom_data("d").unwrap();
    assert_eq!(written(&both)["CloudCustomData"], "d");
    // Errors say what went wrong, in words.
    assert_eq!(
        Command::SnsPrevFriendAdd
            .answer()
            .drop_silently()
            .unwrap_err()
            .to_string(),
        "the answer to Sns.CallbackPrevFriendAdd does not support dropping silently (ErrorCode 2)"
    );
    assert_eq!(
        c2c.reject_with(5, "").unwrap_err().to_string(),
        "code 5 is outside the command's range 120001..=130000"
    );
    assert_eq!(
        rejected.msg_body(&body).unwrap_err().to_string(),
        "replacing MsgBody takes effect only in an answer that allows (ErrorCode 0)"
    );
}

#[test]
fn friend_verdicts_deny_only_with_codes_in_38000_to_39000() {
    for code in [38_000, 38_500, 39_000] {
        let item = ResultItem::deny("id2", code, "blocked").unwrap();
        assert_eq!(
            (item.to_account(), item.result_code(), item.result_info()),
            ("id2", code, "blocked")
        );
    }
    for code in [0, 1, 37_999, 39_001] {
        assert_eq!(
            ResultItem::deny("id2", code, "").unwrap_err(),
            AnswerError::CodeOutOfRange {
                code,
                min: 38_000,
                max: 39_000
            }
        );
    }
    let items = [
        ResultItem::allow("id1"),
        ResultItem::deny("id2", 38_001, "no").unwrap(),
    ];
    let answer = Command::SnsPrevFriendResponse
        .answer()
        .result_items(&items)
        .unwrap();
    assert_eq!(
        written(&answer)["ResultItem"],
        json!([
            {"To_Account": "id1", "ResultCode": 0, "ResultInfo": ""},
            {"To_Account": "id2", "ResultCode": 38001, "ResultInfo": "no"},
        ])
    );
}

/// Tencent's published answers, each built with the typed builders, compare equal value for
/// value; every answer example in the corpus is covered.
#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn the_documented_answer_examples_are_reproduced() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("corpus/tim-docs");
    let replaced = [
        ReplyElem::text("red packet"),
        ReplyElem::Elem(MsgElem::Custom(CustomElem {
            desc: " CustomElement.MemberLevel ",
            data: " LV1",
            ext: "",
            sound: "",
        })),
    ];
    let group_replaced = [
        ReplyElem::text("red packet"),
        ReplyElem::Elem(MsgElem::Custom(CustomElem {
            desc: "CustomElement.MemberLevel",
            data: "LV1",
            ext: "",
            sound: "",
        })),
    ];
    let friends = [ResultItem::allow("id1"), ResultItem::allow("id2")];
    let c2c = Command::C2cBeforeSendMsg.answer();
    let group = Command::GroupBeforeSendMsg.answer();
    // The command each example answers is in the corpus's sources.md.
    let built: Vec<(&str, Answer<'_>)> = vec![
        (
            "Response.generic.1.json",
            Command::C2cAfterMsgReport.answer(),
        ),
        ("Response.generic.2.json", c2c.reject().unwrap()),
        ("Response.generic.3.json", c2c.drop_silently().unwrap()),
        ("Response.generic.4.json", Command::StateChange.answer()),
        (
            "C2C.CallbackBeforeSendMsg.response.1.json",
            c2c.msg_body(&replaced)
                .unwrap()
                .cloud_custom_data("your new cloud custom data")
                .unwrap(),
        ),
        (
            "C2C.CallbackBeforeSendMsg.response.2.json",
            c2c.msg_body(&replaced).unwrap(),
        ),
        (
            "Group.CallbackBeforeSendMsg.response.1.json",
            group
                .msg_body(&group_replaced)
                .unwrap()
                .cloud_custom_data("your cloud custom data")
                .unwrap(),
        ),
        (
            "Group.CallbackBeforeSendMsg.response.2.json",
            group.msg_body(&group_replaced).unwrap(),
        ),
        (
            "Group.CallbackBeforeInviteJoinGroup.response.1.json",
            Command::GroupBeforeInviteJoinGroup
                .answer()
                .refused_members(&["jared"])
                .unwrap(),
        ),
        (
            "Sns.CallbackPrevFriendAdd.response.1.json",
            Command::SnsPrevFriendAdd
                .answer()
                .result_items(&friends)
                .unwrap(),
        ),
    ];
    let examples: Vec<String> = common::files(&dir, "json")
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.contains(".response.") || name.starts_with("Response."))
        .collect();
    let mut names: Vec<&str> = built.iter().map(|(n, _)| *n).collect();
    names.sort();
    assert_eq!(names, examples, "every answer example, and only those");
    for (name, answer) in &built {
        let doc: Value = serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap();
        assert_eq!(written(answer), doc, "{name}");
    }
    // The HTTP example's body too.
    let http = std::fs::read_to_string(dir.join("envelope/http-response.1.txt")).unwrap();
    let body: Value = serde_json::from_str(&http[http.find('{').unwrap()..]).unwrap();
    assert_eq!(written(&Command::GroupAfterNewMemberJoin.answer()), body);
}

/// `body`'s members with empty-string values left out, at every depth (answers leave them out:
/// a missing string key reads as empty).
fn without_empty_strings(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (k.clone(), without_empty_strings(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_empty_strings).collect()),
        v => v.clone(),
    }
}

/// Members of `ours` that `theirs` lacks are numeric zeros: the defaults of absent number keys.
fn extras_are_zero(theirs: &Value, ours: &Value, path: &str) {
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, ov) in o {
                match t.get(k) {
                    Some(tv) => extras_are_zero(tv, ov, &format!("{path}.{k}")),
                    None => assert_eq!(ov.as_f64(), Some(0.0), "{path}.{k}: {ov}"),
                }
            }
        }
        (Value::Array(t), Value::Array(o)) => {
            for (i, (tv, ov)) in t.iter().zip(o).enumerate() {
                extras_are_zero(tv, ov, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

/// Bodies with messages: the project's fixtures and every corpus element example.
fn message_events() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = common::fixtures()
        .into_iter()
        .filter(|(_, b)| {
            let v: Value = serde_json::from_slice(b).unwrap();
            v.get("MsgBody").is_some()
        })
        .collect();
    if let Some(shared) = common::shared_dir() {
        for (name, event) in common::element_events(&shared) {
            out.push((name, serde_json::to_vec(&event).unwrap()));
        }
        for (name, command, bytes) in common::corpus_requests(&shared) {
            if command.ends_with("SendMsg") && Command::from_name(&command).is_known() {
                out.push((name, bytes));
            }
        }
    }
    assert!(out.len() >= 4);
    out
}

fn msg_body_of<'a>(cb: &Callback<'a>) -> Option<tim_callback::List<'a, MsgElem<'a>>> {
    Some(match cb {
        Callback::C2cBeforeSendMsg(e) => e.msg_body,
        Callback::C2cAfterSendMsg(e) => e.msg_body,
        Callback::GroupBeforeSendMsg(e) => e.msg_body,
        Callback::GroupAfterSendMsg(e) => e.msg_body,
        _ => return None,
    })
}

/// Every element of every message body, kept, is written back with the body's own values:
/// text with escapes, custom data holding JSON, faces, locations' floats, sounds, images with
/// their renditions, files, videos, merged-forward relays nested, unknown elements as sent.
#[test]
fn kept_elements_are_written_back_with_their_own_values() {
    let mut checked = 0;
    // Under Miri, a few bodies of each source.
    let step = if cfg!(miri) { 18 } else { 1 };
    for (name, bytes) in message_events().into_iter().step_by(step) {
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let mut body = bytes.clone();
        let cb = parse(&mut body).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Some(list) = msg_body_of(&cb) else {
            panic!("{name}: no message body")
        };
        let kept: Vec<ReplyElem<'_>> = list.iter().map(ReplyElem::Elem).collect();
        let c2c = Command::C2cBeforeSendMsg.answer().msg_body(&kept).unwrap();
        let ours = written(&c2c)["MsgBody"].clone();
        let theirs = without_empty_strings(&original["MsgBody"]);
        common::covers(&theirs, &ours, &name).unwrap_or_else(|e| panic!("{e}"));
        extras_are_zero(&theirs, &ours, &name);
        // The same through the mapped form, which needs no storage.
        let keep = |e| Some(ReplyElem::Elem(e));
        let mapped = Command::C2cBeforeSendMsg
            .answer()
            .msg_body_mapped(list, &keep)
            .unwrap();
        assert_eq!(mapped.to_string(), c2c.to_string(), "{name}");
        checked += 1;
    }
    eprintln!("{checked} message bodies written back");
}

#[test]
fn a_moderation_handler_masks_drops_and_keeps_elements_of_the_event() {
    let mut body = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/c2c_before_send_msg.json"),
    )
    .unwrap();
    let Callback::C2cBeforeSendMsg(msg) = parse(&mut body).unwrap() else {
        panic!()
    };
    let words = ["quoted", "line"];
    // Texts masked, custom elements dropped, the rest kept as they were.
    let moderate = |e| match e {
        MsgElem::Text(t) => Some(ReplyElem::masked(t.text, &words)),
        MsgElem::Custom(_) => None,
        other => Some(ReplyElem::Elem(other)),
    };
    let answer = msg
        .answer()
        .msg_body_mapped(msg.msg_body, &moderate)
        .unwrap();
    let v = written(&answer);
    let elems = v["MsgBody"].as_array().unwrap();
    assert_eq!(elems.len(), msg.msg_body.len() - 1);
    assert_eq!(
        elems[0],
        json!({"MsgType": "TIMTextElem",
               "MsgContent": {"Text": "****1\n****2 \"******\" \\ tab\t emoji 😀 é /"}})
    );
    assert_eq!(elems[1]["MsgType"], "TIMFaceElem");
    assert_eq!(elems[2]["MsgContent"]["Latitude"], 22.543096);
    // The unknown element goes back as it came.
    assert_eq!(
        elems[3],
        json!({"MsgType": "TIMGroupTipElem",
               "MsgContent": {"OpType": 1, "Nested": {"CallbackCommand": "Group.CallbackBeforeSendMsg"}}})
    );
}

#[test]
fn new_images_carry_their_renditions() {
    let infos = [
        ImageInfo {
            image_type: ImageType::Original,
            size: 1_853_095,
            width: 2448,
            height: 3264,
            url: "https://x/1",
        },
        ImageInfo {
            image_type: ImageType::Thumbnail,
            size: 0,
            width: 0,
            height: 0,
            url: "",
        },
    ];
    let image = ReplyElem::Image(NewImage {
        uuid: "1853095_D61040894AC3DE44CDFFFB3EC7EB720F",
        image_format: ImageFormat::Png,
        image_info_array: &infos,
    });
    let body = [
        image,
        ReplyElem::Elem(MsgElem::Text(TextElem { text: "see" })),
    ];
    let answer = Command::GroupBeforeSendMsg
        .answer()
        .msg_body(&body)
        .unwrap();
    assert_eq!(
        written(&answer)["MsgBody"],
        json!([
            {"MsgType": "TIMImageElem", "MsgContent": {
                "UUID": "1853095_D61040894AC3DE44CDFFFB3EC7EB720F", "ImageFormat": 3,
                "ImageInfoArray": [
                    {"Type": 1, "Size": 1853095, "Width": 2448, "Height": 3264, "URL": "https://x/1"},
                    {"Type": 3, "Size": 0, "Width": 0, "Height": 0},
                ]}},
            {"MsgType": "TIMTextElem", "MsgContent": {"Text": "see"}},
        ])
    );
}

#[test]
fn masking_replaces_each_character_of_every_occurrence() {
    for (text, words, want) in [
        ("darn it, darn", &["darn"][..], "**** it, ****"),
        ("abcd", &["abc", "bcd"], "****"),
        ("红包来了 红包", &["红包"], "**来了 **"),
        ("no match", &["x", ""], "no match"),
        ("", &["x"], ""),
        ("aaa", &["aa"], "***"),
        ("😀😀 ok", &["😀"], "** ok"),
    ] {
        let m = MaskedText::new(text, words);
        assert_eq!(m.to_string(), want, "{text:?} {words:?}");
        assert_eq!(m.changes(), want != text, "{text:?}");
        assert_eq!(m.original(), text);
    }
    assert_eq!(
        MaskedText::new("bad", &["bad"]).with_mask('#').to_string(),
        "###"
    );
}

#[test]
fn a_short_buffer_says_exactly_how_long_it_had_to_be() {
    let words = ["x"];
    let body = [
        ReplyElem::masked("a \"x\" 😀", &words),
        ReplyElem::text("\u{1}"),
    ];
    let answer = Command::C2cBeforeSendMsg.answer().msg_body(&body).unwrap();
    let len = answer.len();
    let mut buf = vec![0u8; len + 8];
    for n in 0..len {
        assert_eq!(
            answer.write_into(&mut buf[..n]),
            Err(BufferTooSmall { needed: len }),
            "{n}"
        );
    }
    assert_eq!(answer.write_into(&mut buf[..len]), Ok(len));
    assert_eq!(answer.write_into(&mut buf), Ok(len));
    assert_eq!(
        BufferTooSmall { needed: len }.to_string(),
        format!("buffer too small (need at least {len} bytes)")
    );
    #[cfg(feature = "heapless")]
    {
        let v = answer.to_heapless::<512>().unwrap();
        assert_eq!(&v[..], answer.to_string().as_bytes());
        assert_eq!(
            answer.to_heapless::<16>(),
            Err(BufferTooSmall { needed: len })
        );
    }
}

/// The masked text a naive oracle computes: a flag per byte, set for every occurrence.
fn naive_mask(text: &str, words: &[&str]) -> String {
    let mut covered = vec![false; text.len()];
    for w in words.iter().filter(|w| !w.is_empty()) {
        for (i, _) in text.match_indices(w) {
            covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
        }
        // Overlapping occurrences, which match_indices skips.
        for i in 0..text.len() {
            if text.is_char_boundary(i) && text[i..].starts_with(w) {
                covered[i..i + w.len()].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    text.char_indices()
        .map(|(i, c)| if covered[i] { '*' } else { c })
        .collect()
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ab\"\\\\\n\t\u{0}\u{1f}红😀]{0,12}",]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: if cfg!(miri) { 2 } else { 256 },
        ..ProptestConfig::default()
    })]

    #[test]
    // The writer is safe code; under Miri proptest's string strategies took minutes.
    #[cfg_attr(miri, ignore)]
    fn arbitrary_strings_read_back_exactly(
        info in any_text(),
        data in any_text(),
        texts in prop::collection::vec(any_text(), 0..4),
        custom in (any_text(), any_text(), any_text(), any_text()),
        members in prop::collection::vec(any_text(), 0..4),
        code in 120_001u32..=130_000,
    ) {
        let mut body: Vec<ReplyElem<'_>> = texts.iter().map(|t| ReplyElem::text(t)).collect();
        body.push(ReplyElem::Elem(MsgElem::Custom(CustomElem {
            data: &custom.0, desc: &custom.1, ext: &custom.2, sound: &custom.3,
        })));
        let answer = Command::C2cBeforeSendMsg.answer().msg_body(&body).unwrap()
            .cloud_custom_data(&data).unwrap();
        let v = written(&answer);
        prop_assert_eq!(v["CloudCustomData"].as_str(), Some(data.as_str()));
        for (i, t) in texts.iter().enumerate() {
            let got = &v["MsgBody"][i]["MsgContent"]["Text"];
            // An empty text is an absent key.
            prop_assert_eq!(got.as_str().unwrap_or(""), t.as_str());
        }
        let c = &v["MsgBody"][texts.len()]["MsgContent"];
        for (key, want) in [("Data", &custom.0), ("Desc", &custom.1), ("Ext", &custom.2), ("Sound", &custom.3)] {
            prop_assert_eq!(c[key].as_str().unwrap_or(""), want.as_str());
        }

        let rejected = Command::C2cBeforeSendMsg.answer().reject_with(code, &info).unwrap();
        let v = written(&rejected);
        prop_assert_eq!(&v["ErrorInfo"], &json!(info));
        prop_assert_eq!(&v["ErrorCode"], &json!(code));

        let refs: Vec<&str> = members.iter().map(String::as_str).collect();
        let refused = Command::GroupBeforeInviteJoinGroup.answer().refused_members(&refs).unwrap();
        prop_assert_eq!(&written(&refused)["RefusedMembers_Account"], &json!(members));

        let items: Vec<ResultItem<'_>> = members.iter()
            .map(|m| ResultItem::deny(m, 38_000, &info).unwrap()).collect();
        let friends = Command::SnsPrevFriendAdd.answer().result_items(&items).unwrap();
        let v = written(&friends);
        for (i, m) in members.iter().enumerate() {
            prop_assert_eq!(&v["ResultItem"][i]["To_Account"], &json!(m));
            prop_assert_eq!(&v["ResultItem"][i]["ResultInfo"], &json!(info));
        }
        let failed = Command::C2cAfterSendMsg.answer().fail(&info).unwrap();
        prop_assert_eq!(&written(&failed)["ErrorInfo"], &json!(info));
    }

    #[test]
    // Safe code; proptest's regex strategies take minutes under Miri.
    #[cfg_attr(miri, ignore)]
    fn masking_matches_a_naive_oracle(
        text in "[ab红😀 ]{0,16}",
        words in prop::collection::vec("[ab红😀]{0,3}", 0..4),
    ) {
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let m = MaskedText::new(&text, &refs);
        let want = naive_mask(&text, &refs);
        prop_assert_eq!(m.to_string(), want.clone());
        prop_assert_eq!(m.changes(), want != text);
        let body = [ReplyElem::Masked(m)];
        let answer = Command::C2cBeforeSendMsg.answer().msg_body(&body).unwrap();
        let got = written(&answer)["MsgBody"][0]["MsgContent"]["Text"].clone();
        prop_assert_eq!(got, json!(want));
    }
}

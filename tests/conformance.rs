//! JSONTestSuite (../shared/conformance/JSONTestSuite/test_parsing): every case embedded in a
//! real callback body, in three places that run different code — the value of an unknown
//! top-level key (skipped), a `UserDefinedDataList[].Value` (kept raw, inside a lazy list), and
//! the content of an unknown message element (kept raw, re-read through the list). Every `y_`
//! case is accepted, every `n_` case rejected, and each `i_` case follows the table below.

mod common;

use tim_callback::{Callback, parse};

/// Decisions for the implementation-defined cases: `true` = accepted.
const IMPLEMENTATION_DEFINED: &[(&str, bool, &str)] = &[
    (
        "i_number_double_huge_neg_exp.json",
        true,
        "underflows to 0.0, a finite f64",
    ),
    (
        "i_number_huge_exp.json",
        false,
        "not a finite f64: nothing downstream could hold it",
    ),
    (
        "i_number_neg_int_huge_exp.json",
        false,
        "not a finite f64: nothing downstream could hold it",
    ),
    (
        "i_number_pos_double_huge_exp.json",
        false,
        "not a finite f64: nothing downstream could hold it",
    ),
    (
        "i_number_real_neg_overflow.json",
        false,
        "not a finite f64: nothing downstream could hold it",
    ),
    (
        "i_number_real_pos_overflow.json",
        false,
        "not a finite f64: nothing downstream could hold it",
    ),
    (
        "i_number_real_underflow.json",
        true,
        "underflows to 0.0, a finite f64",
    ),
    (
        "i_number_too_big_neg_int.json",
        true,
        "beyond i64 but a finite f64; kept as raw JSON",
    ),
    (
        "i_number_too_big_pos_int.json",
        true,
        "beyond u64 but a finite f64; kept as raw JSON",
    ),
    (
        "i_number_very_big_negative_int.json",
        true,
        "a finite f64; kept as raw JSON",
    ),
    (
        "i_object_key_lone_2nd_surrogate.json",
        false,
        "a lone surrogate escape is not text",
    ),
    (
        "i_string_1st_surrogate_but_2nd_missing.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_1st_valid_surrogate_2nd_invalid.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_UTF-16LE_with_BOM.json",
        false,
        "bodies are UTF-8 (RFC 8259 §8.1)",
    ),
    ("i_string_UTF-8_invalid_sequence.json", false, "not UTF-8"),
    (
        "i_string_UTF8_surrogate_U+D800.json",
        false,
        "UTF-8 cannot encode surrogates",
    ),
    (
        "i_string_incomplete_surrogate_and_escape_valid.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_incomplete_surrogate_pair.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_incomplete_surrogates_escape_valid.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_invalid_lonely_surrogate.json",
        false,
        "lone surrogate",
    ),
    ("i_string_invalid_surrogate.json", false, "lone surrogate"),
    ("i_string_invalid_utf-8.json", false, "not UTF-8"),
    (
        "i_string_inverted_surrogates_U+1D11E.json",
        false,
        "low surrogate before high",
    ),
    ("i_string_iso_latin_1.json", false, "not UTF-8"),
    (
        "i_string_lone_second_surrogate.json",
        false,
        "lone surrogate",
    ),
    (
        "i_string_lone_utf8_continuation_byte.json",
        false,
        "not UTF-8",
    ),
    (
        "i_string_not_in_unicode_range.json",
        false,
        "above U+10FFFF is not UTF-8",
    ),
    (
        "i_string_overlong_sequence_2_bytes.json",
        false,
        "overlong encodings are not UTF-8",
    ),
    (
        "i_string_overlong_sequence_6_bytes.json",
        false,
        "not UTF-8",
    ),
    (
        "i_string_overlong_sequence_6_bytes_null.json",
        false,
        "not UTF-8",
    ),
    ("i_string_truncated-utf-8.json", false, "not UTF-8"),
    ("i_string_utf16BE_no_BOM.json", false, "bodies are UTF-8"),
    ("i_string_utf16LE_no_BOM.json", false, "bodies are UTF-8"),
    (
        "i_structure_500_nested_arrays.json",
        false,
        "deeper than MAX_DEPTH (127)",
    ),
    (
        "i_structure_UTF-8_BOM_empty_object.json",
        false,
        "a BOM is not JSON whitespace",
    ),
];

/// The three bodies a case is embedded in.
fn embeddings(case: &[u8]) -> [Vec<u8>; 3] {
    let wrap = |before: &str, after: &str| {
        let mut b = before.as_bytes().to_vec();
        b.extend_from_slice(case);
        b.extend_from_slice(after.as_bytes());
        b
    };
    [
        wrap(
            r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","Report_Account":"a","X":"#,
            r#","UnreadMsgNum":1}"#,
        ),
        wrap(
            r#"{"CallbackCommand":"Group.CallbackAfterCreateGroup","UserDefinedDataList":[{"Key":"k","Value":"#,
            r#"},{"Key":"z","Value":"z"}]}"#,
        ),
        wrap(
            r#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","MsgBody":[{"MsgType":"TIMNewElem","MsgContent":"#,
            r#"},{"MsgType":"TIMTextElem","MsgContent":{"Text":"after"}}]}"#,
        ),
    ]
}

/// Parses `body`, walking every list, and (with serde) serializing what was kept raw.
fn accepts(body: &[u8]) -> bool {
    let mut b = body.to_vec();
    let Ok(cb) = parse(&mut b) else { return false };
    match &cb {
        Callback::C2cAfterMsgReport(e) => {
            assert_eq!((e.report_account, e.unread_msg_num), ("a", 1))
        }
        Callback::GroupAfterCreateGroup(e) => {
            let items: Vec<_> = e.user_defined_data_list.iter().collect();
            assert_eq!(items.len(), 2);
            assert_eq!(items[1].value.as_str(), Some("z"));
        }
        Callback::C2cBeforeSendMsg(e) => {
            let items: Vec<_> = e.msg_body.iter().collect();
            assert_eq!(items.len(), 2);
            assert!(matches!(&items[1], tim_callback::MsgElem::Text(t) if t.text == "after"));
        }
        other => panic!("unexpected {:?}", other.command()),
    }
    #[cfg(feature = "serde")]
    serde_json::to_vec(&cb).expect("an accepted value serializes");
    true
}

#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn json_test_suite_embedded_in_callbacks() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("conformance/JSONTestSuite/test_parsing");
    let (mut y, mut n, mut i) = (0, 0, 0);
    let mut failures = Vec::new();
    // Under Miri every fourth case (the unchecked reads are the same for all of them).
    let step = if cfg!(miri) { 4 } else { 1 };
    for (name, case) in common::files(&dir, "json").into_iter().step_by(step) {
        let expected = match &name[..2] {
            "y_" => {
                y += 1;
                true
            }
            "n_" => {
                n += 1;
                false
            }
            "i_" => {
                i += 1;
                IMPLEMENTATION_DEFINED
                    .iter()
                    .find(|(f, ..)| *f == name)
                    .unwrap_or_else(|| panic!("{name}: no decision in the table"))
                    .1
            }
            _ => continue,
        };
        for (k, body) in embeddings(&case).iter().enumerate() {
            if accepts(body) != expected {
                failures.push(format!(
                    "{name} (embedding {k}): expected {}",
                    if expected { "accept" } else { "reject" }
                ));
            }
        }
    }
    eprintln!("JSONTestSuite: {y} y_, {n} n_, {i} i_ cases, 3 embeddings each");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
    if step == 1 {
        assert_eq!(
            (y, n, i),
            (95, 188, 35),
            "the suite changed; review the table"
        );
    }
}

/// A case's verdict in one typed position: accepted with the value serde_json reads, or
/// rejected with the error inside the case's own bytes.
fn typed_position_failures(
    name: &str,
    case: &[u8],
    before: &str,
    after: &str,
    check: impl Fn(&Callback<'_>, &serde_json::Value) -> bool,
    fits: impl Fn(&serde_json::Value) -> bool,
) -> Option<String> {
    let mut body = before.as_bytes().to_vec();
    body.extend_from_slice(case);
    body.extend_from_slice(after.as_bytes());
    let start = before.len();
    let end = start + case.len();
    // What serde_json reads in the same position (its own verdict on the case alone, then
    // whether the value fits the field's type).
    let theirs: Option<serde_json::Value> = serde_json::from_slice(case).ok();
    let want = theirs.as_ref().filter(|v| fits(v));
    let mut buf = body.clone();
    match (parse(&mut buf), want) {
        (Ok(cb), Some(v)) if check(&cb, v) => None,
        (Ok(cb), Some(v)) => Some(format!("{name}: read {cb:?}, serde_json {v}")),
        (Ok(_), None) => Some(format!("{name}: accepted where it must be refused")),
        (Err(e), None) if (start..=end).contains(&e.offset()) => None,
        // A case that leaves a string open runs on into the bytes after it; the error then
        // lies past it, where serde_json also rejects the whole body.
        (Err(e), None)
            if e.offset() > end && serde_json::from_slice::<serde_json::Value>(&body).is_err() =>
        {
            None
        }
        (Err(e), None) => Some(format!("{name}: {e}, outside bytes {start}..{end}")),
        (Err(e), Some(v)) => Some(format!("{name}: {e}, but serde_json reads {v}")),
    }
}

/// JSONTestSuite in typed positions: as a typed string field, a typed integer field, a key of
/// a typed record, and the whole document. A `y_` case is accepted exactly when its value fits
/// the position, with serde_json's value; an `n_` case is rejected with the error inside its
/// own bytes (`i_` cases follow the table above).
#[test]
#[cfg_attr(
    not(has_shared),
    ignore = "needs ../shared (Tencent's examples, JSONTestSuite)"
)]
fn json_test_suite_in_typed_positions() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = shared.join("conformance/JSONTestSuite/test_parsing");
    // Under Miri every sixteenth case (four positions each).
    let step = if cfg!(miri) { 16 } else { 1 };
    let mut failures = Vec::new();
    let (mut cases, mut checked) = (0, 0);
    for (name, case) in common::files(&dir, "json").into_iter().step_by(step) {
        // The suite's cases are whole documents: leading and trailing whitespace is theirs,
        // and an implementation-defined case is read as the table decides.
        let accepted_alone = match &name[..2] {
            "y_" => true,
            "n_" => false,
            "i_" => {
                IMPLEMENTATION_DEFINED
                    .iter()
                    .find(|(f, ..)| *f == name)
                    .unwrap()
                    .1
            }
            _ => continue,
        };
        cases += 1;
        // serde_json's verdict must be the crate's on the case alone (as the embedded test
        // shows); where they differ (the i_ table), the value position is not compared.
        if serde_json::from_slice::<serde_json::Value>(&case).is_ok() != accepted_alone {
            continue;
        }
        // Most cases are one value in an array: its bytes are a case of their own.
        let trimmed = case.trim_ascii();
        let inner = trimmed
            .strip_prefix(b"[")
            .and_then(|t| t.strip_suffix(b"]"))
            .filter(|t| !t.is_empty())
            .map(<[u8]>::to_vec);
        for (name, case) in [(name.clone(), case.clone())]
            .into_iter()
            .chain(inner.map(|inner| (format!("{name}[0]"), inner)))
        {
            checked += 1;
            failures.extend(typed_positions(&name, &case));
        }
    }
    assert!(cases > 300 / step, "{cases} cases");
    assert!(checked > 500 / step, "{checked} values");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The disagreements of one case in the four positions.
fn typed_positions(name: &str, case: &[u8]) -> Vec<String> {
    let mut failures = Vec::new();
    {
        let report = r#"{"CallbackCommand":"C2C.CallbackAfterMsgReport","#;
        // A typed string field.
        failures.extend(typed_position_failures(
            &format!("{name} as Report_Account"),
            case,
            &format!("{report}\"Report_Account\":"),
            r#","UnreadMsgNum":1}"#,
            |cb, v| matches!(cb, Callback::C2cAfterMsgReport(e) if Some(e.report_account) == v.as_str()),
            |v| v.is_string(),
        ));
        // A typed integer field (i64).
        failures.extend(typed_position_failures(
            &format!("{name} as UnreadMsgNum"),
            case,
            &format!("{report}\"UnreadMsgNum\":"),
            "}",
            |cb, v| matches!(cb, Callback::C2cAfterMsgReport(e) if Some(e.unread_msg_num) == v.as_i64()),
            |v| v.is_i64(),
        ));
        // A key of a typed record (an unknown key: validated and skipped).
        failures.extend(typed_position_failures(
            &format!("{name} as a key"),
            case,
            report,
            r#":1,"Report_Account":"a"}"#,
            |cb, v| {
                matches!(cb, Callback::C2cAfterMsgReport(e) if e.report_account == "a")
                    // A key that is itself one of the record's keys is a duplicate or a
                    // value of the wrong type; the others are skipped.
                    && !matches!(v.as_str(), Some("Report_Account" | "UnreadMsgNum" | "CallbackCommand"))
            },
            |v| {
                v.as_str().is_some_and(|k| {
                    !matches!(k, "Report_Account" | "CallbackCommand" | "Peer_Account" | "LastReadTime" | "EventTime")
                })
            },
        ));
        // The whole document: never a callback (none of the cases names a command), and
        // rejected inside its bytes.
        let mut buf = case.to_vec();
        match parse(&mut buf) {
            Ok(cb) => failures.push(format!("{name} as a body: accepted as {:?}", cb.command())),
            Err(e) if e.offset() <= case.len() => {}
            Err(e) => failures.push(format!("{name} as a body: {e} past its end")),
        }
    }
    failures
}

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

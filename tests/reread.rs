//! Lists are validated once and decoded again on every read. The first read rewrites what it
//! passed (escaped strings, and the keys of list elements with notes on their values); these
//! tests put every shape of key and value that rewriting treats differently into lists, and
//! check that each read of each list gives what the body says.

use serde_json::{Value, json};
use tim_callback::{Callback, parse};

/// Parses `body` and returns its serialized form, read twice (they must agree).
fn read_twice(body: &str) -> Value {
    let mut buf = body.as_bytes().to_vec();
    let cb = parse(&mut buf).unwrap_or_else(|e| panic!("{e}: {body}"));
    let first = serde_json::to_value(&cb).unwrap();
    let second = serde_json::to_value(&cb).unwrap();
    assert_eq!(first, second, "a second read differs");
    first
}

fn members(body: &Value) -> Vec<&str> {
    body["NewMemberList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Member_Account"].as_str().unwrap())
        .collect()
}

#[test]
fn member_lists_read_back_whatever_their_keys_look_like() {
    // Longer than two note bytes can count (shorter under Miri, which is slow at this).
    let long = "m".repeat(if cfg!(miri) { 700 } else { 70_000 });
    let unknown_long = "u".repeat(300);
    let elements = [
        // Plain: the key is rewritten, the value's length noted.
        (r#"{"Member_Account":"a1"}"#.to_string(), "a1".to_string()),
        // Space before the colon: the key is left as it is.
        (r#"{"Member_Account" :"a2"}"#.into(), "a2".into()),
        // Escaped key: unescaped in place instead.
        (r#"{"Member\u005fAccount":"a3"}"#.into(), "a3".into()),
        // An unknown one-letter key: too short to note a 300-byte value.
        (
            format!(r#"{{"x":"{unknown_long}","Member_Account":"a4"}}"#),
            "a4".into(),
        ),
        // Unknown keys with containers, numbers and literals.
        (
            r#"{"xy":{"deep":[1,2,{"k":"v"}]},"n":-1.5e3,"t":true,"Member_Account":"a5","z":null}"#
                .into(),
            "a5".into(),
        ),
        // A value longer than two bytes can count.
        (format!(r#"{{"Member_Account":"{long}"}}"#), long.clone()),
        // An escaped value.
        (
            r#"{"Member_Account":"e\"s\\c\u4e2d\ud83d\ude00"}"#.into(),
            "e\"s\\c中😀".into(),
        ),
        // Pretty: spaces and newlines around everything.
        ("{\n  \"Member_Account\": \"a8\"\n}".into(), "a8".into()),
    ];
    let list: Vec<&str> = elements.iter().map(|(e, _)| e.as_str()).collect();
    let body = format!(
        r#"{{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"g","Type":"Public","JoinType":"Apply","Operator_Account":"o","NewMemberList":[{}],"EventTime":1}}"#,
        list.join(",")
    );
    let want: Vec<&str> = elements.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(members(&read_twice(&body)), want);

    // Each element alone, and each after every other (notes must not leak between elements).
    for (a, wa) in &elements {
        for (b, wb) in &elements {
            let body = format!(
                r#"{{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","NewMemberList":[{a},{b}]}}"#
            );
            assert_eq!(members(&read_twice(&body)), [wa.as_str(), wb.as_str()]);
        }
    }
}

#[test]
fn nested_lists_read_back_with_and_without_notes() {
    let info = |n: u32| {
        format!(
            r#"{{"Type":{n},"Size":{},"Width":{},"Height":{},"URL":"https://example.com/{n}/{}"}}"#,
            n * 1000,
            n * 10,
            n * 20,
            "p".repeat(n as usize * 40)
        )
    };
    let infos = [info(1), info(2), info(3)].join(",");
    // The same image element with its list under a plain key (noted), a spaced key (not
    // rewritten), an escaped key, and behind unknown members of every length.
    let elements = [
        format!(
            r#"{{"MsgType":"TIMImageElem","MsgContent":{{"UUID":"u","ImageFormat":1,"ImageInfoArray":[{infos}]}}}}"#
        ),
        format!(
            r#"{{"MsgType":"TIMImageElem","MsgContent":{{"UUID":"u","ImageFormat":1,"ImageInfoArray" : [{infos}]}}}}"#
        ),
        format!(
            r#"{{"MsgType":"TIMImageElem","MsgContent":{{"UUID":"u","ImageFormat":1,"Image\u0049nfoArray":[{infos}]}}}}"#
        ),
        format!(
            r#"{{"MsgType":"TIMImageElem","q":[[[]]],"MsgContent":{{"a":[1],"UUID":"u","ImageFormat":1,"ImageInfoArray":[{infos}],"b":{{}}}}}}"#
        ),
        // Content first: the type is looked up ahead, over rewritten keys on the second read.
        format!(
            r#"{{"MsgContent":{{"UUID":"u","ImageFormat":1,"ImageInfoArray":[{infos}]}},"MsgType":"TIMImageElem"}}"#
        ),
    ];
    let body = format!(
        r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgBody":[{}]}}"#,
        elements.join(",")
    );
    let got = read_twice(&body);
    let want_infos: Vec<Value> = (1..=3u32)
        .map(|n| {
            json!({"Type": n, "Size": n * 1000, "Width": n * 10, "Height": n * 20,
                   "URL": format!("https://example.com/{n}/{}", "p".repeat(n as usize * 40))})
        })
        .collect();
    let body_list = got["MsgBody"].as_array().unwrap();
    assert_eq!(body_list.len(), elements.len());
    for (k, elem) in body_list.iter().enumerate() {
        assert_eq!(elem["MsgType"], "TIMImageElem", "element {k}");
        assert_eq!(elem["MsgContent"]["UUID"], "u", "element {k}");
        assert_eq!(
            elem["MsgContent"]["ImageInfoArray"],
            Value::Array(want_infos.clone()),
            "element {k}"
        );
    }

    // Iterating the typed list twice by hand gives the same elements.
    let mut buf = body.into_bytes();
    let Ok(Callback::C2cBeforeSendMsg(ev)) = parse(&mut buf) else {
        panic!("not parsed as C2C.CallbackBeforeSendMsg");
    };
    let once: Vec<_> = ev.msg_body.iter().collect();
    let twice: Vec<_> = ev.msg_body.iter().collect();
    assert_eq!(once, twice);
    assert_eq!(once.len(), elements.len());
}

#[test]
fn content_first_elements_read_back_their_type() {
    // `MsgContent` before `MsgType`: the first read notes where the type lies (plain type) or
    // that there is no note (escaped type, no type, spaced key, unknown type); the second read
    // must find the same type either way, whatever the content holds.
    let text = r#"{"Text":"hi \"there\" 中"}"#;
    let custom = r#"{"Data":"{\"k\":[1,2]}","Desc":"d","Ext":"","Sound":""}"#;
    let cases = [
        // Plain type after content: noted.
        (
            format!(r#"{{"MsgContent":{text},"MsgType":"TIMTextElem"}}"#),
            "TIMTextElem",
        ),
        // Unknown members between content and type.
        (
            format!(
                r#"{{"MsgContent":{custom},"x":[{{"MsgType":"TIMTextElem"}}],"MsgType":"TIMCustomElem"}}"#
            ),
            "TIMCustomElem",
        ),
        // Escaped type: not noted, walked to on the second read.
        (
            format!(r#"{{"MsgContent":{text},"MsgType":"TIM\u0054extElem"}}"#),
            "TIMTextElem",
        ),
        // No type: the content is kept raw.
        (format!(r#"{{"MsgContent":{text}}}"#), ""),
        // An unknown type with content that is not an object.
        (
            r#"{"MsgContent":[1,"two",{"3":null}],"MsgType":"TIMNewElem"}"#.to_string(),
            "TIMNewElem",
        ),
        // A space before the colon: the key is not rewritten.
        (
            format!(r#"{{"MsgContent" :{text},"MsgType":"TIMTextElem"}}"#),
            "TIMTextElem",
        ),
        // Pretty.
        (
            format!("{{\n  \"MsgContent\": {text},\n  \"MsgType\": \"TIMTextElem\"\n}}"),
            "TIMTextElem",
        ),
    ];
    let check = |elements: &[&(String, &str)]| {
        let list: Vec<&str> = elements.iter().map(|(e, _)| e.as_str()).collect();
        let body = format!(
            r#"{{"CallbackCommand":"C2C.CallbackBeforeSendMsg","From_Account":"a","To_Account":"b","MsgBody":[{}]}}"#,
            list.join(",")
        );
        let got = read_twice(&body);
        let want_body: Value = serde_json::from_str(&body).unwrap();
        for (k, (elem, (_, ty))) in got["MsgBody"]
            .as_array()
            .unwrap()
            .iter()
            .zip(elements)
            .enumerate()
        {
            assert_eq!(elem["MsgType"], *ty, "element {k} of {body}");
            assert_eq!(
                elem["MsgContent"], want_body["MsgBody"][k]["MsgContent"],
                "element {k} of {body}"
            );
        }
    };
    check(&cases.iter().collect::<Vec<_>>());
    for a in &cases {
        for b in &cases {
            check(&[a, b]);
        }
    }
}

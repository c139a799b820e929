//! The write-back half on hostile input: the first line is a query string, checked with a
//! token; the rest is the body. Whatever is accepted is answered, and every answer — the
//! default one, and one whose strings and masked text come from the input — is one JSON object
//! that serde_json reads back with the input's strings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_callback::{Command, MsgElem, Query, Verifier, answer::ReplyElem, answer::ResultItem};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (query, rest) = data.split_at(split);
    let Ok(query) = std::str::from_utf8(query) else {
        return;
    };
    let body = rest.get(1..).unwrap_or_default();

    if let Ok(q) = Query::parse(query) {
        let _ = (q.app_id(), q.command(), q.platform());
        for v in [q.sign(), q.request_time(), q.client_ip()]
            .into_iter()
            .flatten()
        {
            let mut buf = [0u8; 32];
            let _ = v.decode_into(&mut buf);
            assert_eq!(v.decoded().count() <= v.raw().len(), true);
        }
        let mut b = body.to_vec();
        if let Ok(cb) = q.parse_body(&mut b) {
            let answer = cb.answer();
            let text = answer.to_string();
            let v: serde_json::Value = serde_json::from_str(&text).expect("answers are JSON");
            assert_eq!(v["ErrorCode"], 0);
        }
    }
    let verifier = Verifier::new(1_400_000_000).token("xxxxyyyy");
    let mut b = body.to_vec();
    let _ = verifier.accept(query, 1_669_872_112, &mut b);

    // Answers built from the input's text: split into a text and words at '|'.
    let text = String::from_utf8_lossy(body);
    let mut parts = text.split('|');
    let main = parts.next().unwrap_or_default();
    let words: Vec<&str> = parts.collect();
    let elems = [
        ReplyElem::masked(main, &words),
        ReplyElem::text(main),
        ReplyElem::Elem(MsgElem::Custom(tim_callback::msg::CustomElem {
            data: main,
            desc: query,
            ext: "",
            sound: main,
        })),
    ];
    let items = [
        ResultItem::allow(main),
        ResultItem::deny(query, 38_000, main).unwrap(),
    ];
    let answers = [
        Command::C2cBeforeSendMsg
            .answer()
            .msg_body(&elems)
            .unwrap()
            .cloud_custom_data(query)
            .unwrap(),
        Command::GroupBeforeSendMsg
            .answer()
            .reject_with(10_100, main)
            .unwrap(),
        Command::SnsPrevFriendAdd
            .answer()
            .result_items(&items)
            .unwrap(),
        Command::GroupBeforeInviteJoinGroup
            .answer()
            .refused_members(&words)
            .unwrap(),
    ];
    for answer in &answers {
        let text = answer.to_string();
        assert_eq!(text.len(), answer.len());
        let v: serde_json::Value = serde_json::from_str(&text).expect("answers are JSON");
        assert_eq!(serde_json::to_value(answer).unwrap(), v);
    }
    let v: serde_json::Value = serde_json::from_str(&answers[0].to_string()).unwrap();
    if !main.is_empty() {
        assert_eq!(v["MsgBody"][1]["MsgContent"]["Text"], main);
    }
    assert_eq!(v["CloudCustomData"], query);
});

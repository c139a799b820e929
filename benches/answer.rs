//! The write-back half: checking a callback's query (app id, `Sign`) and writing answers,
//! against serde_json writing the same answer through the crate's `Serialize`.
//!
//! `cargo bench --bench answer --features sign`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tim_callback::{Callback, MsgElem, Verifier, answer::ReplyElem};

const QUERY: &str = "SdkAppid=1400000000&CallbackCommand=C2C.CallbackBeforeSendMsg\
    &contenttype=json&ClientIP=127.0.0.1&OptPlatform=iOS\
    &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112";

fn bench(c: &mut Criterion) {
    let fixture = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/c2c_before_send_msg.json"),
    )
    .unwrap();
    let mut body = fixture.clone();
    let Ok(Callback::C2cBeforeSendMsg(msg)) = tim_callback::parse(&mut body) else {
        panic!("fixture")
    };
    let words = ["quoted", "line", "emoji"];
    let moderate = |e| match e {
        MsgElem::Text(t) => Some(ReplyElem::masked(t.text, &words)),
        other => Some(ReplyElem::Elem(other)),
    };
    let default = msg.answer();
    let masked = msg
        .answer()
        .msg_body_mapped(msg.msg_body, &moderate)
        .unwrap();
    let mut out = vec![0u8; 4096];

    let mut g = c.benchmark_group("answer");
    for (name, answer) in [("default", default), ("masked body", masked)] {
        g.bench_function(format!("{name}/write_into"), |b| {
            b.iter(|| black_box(answer).write_into(black_box(&mut out)).unwrap())
        });
        g.bench_function(format!("{name}/serde_json"), |b| {
            b.iter(|| {
                let w: &mut [u8] = &mut out;
                serde_json::to_writer(w, black_box(&answer)).unwrap();
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("envelope");
    let plain = Verifier::new(1_400_000_000);
    let signed = plain.token("xxxxyyyy");
    g.bench_function("query + app id", |b| {
        b.iter(|| {
            let q = tim_callback::Query::parse(black_box(QUERY)).unwrap();
            plain.check(&q, 1_669_872_112).unwrap();
        })
    });
    g.bench_function("query + app id + Sign", |b| {
        b.iter(|| {
            let q = tim_callback::Query::parse(black_box(QUERY)).unwrap();
            signed.check(&q, 1_669_872_112).unwrap();
        })
    });
    g.bench_function("accept (query, Sign, parse) + answer", |b| {
        b.iter(|| {
            body.copy_from_slice(&fixture);
            let cb = signed
                .accept(black_box(QUERY), 1_669_872_112, &mut body)
                .unwrap();
            cb.answer().write_into(&mut out).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! A deterministic generator of realistic callback traffic, written for this project: mostly
//! message callbacks (C2C and group send; CJK and ASCII text with newlines and quotes; custom
//! elements whose `Data` is JSON in a string; images with three renditions; CloudCustomData),
//! plus state changes and member joins with 1–200 members. Also re-renders any body pretty,
//! with shuffled keys, or with every string character as `\uXXXX`.

use serde_json::Value;
use std::fmt::Write;

/// xorshift64*: reproducible across runs and machines.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    #[allow(clippy::should_implement_trait)] // never ends: not an `Iterator`
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const CJK: &[&str] = &[
    "你好",
    "红包",
    "谢谢",
    "今天",
    "晚上",
    "一起",
    "吃饭",
    "好的",
    "没问题",
    "哈哈",
    "收到",
    "辛苦了",
    "明天见",
];
const WORDS: &[&str] = &[
    "ok",
    "see you",
    "meeting at 3pm",
    "lol",
    "thanks!",
    "https://example.com/x?id=42",
    "on my way",
    "\"quoted\"",
    "C'est la vie",
    "👍",
    "🎉🎉",
];

/// How message texts (and custom elements) are written: the benchmark's mix has short texts of
/// 1–12 words; the wider workloads (`workloads.rs`) vary length, script, escape density and the
/// size of JSON-in-a-string `Data`.
#[derive(Clone, Copy)]
pub struct Style {
    /// Words per text, at least and at most.
    pub words: (u64, u64),
    /// Out of 100: how many words are CJK (the rest are ASCII-ish words and emoji).
    pub cjk: u64,
    /// 1 in `newline` separators is a newline (the rest are spaces).
    pub newline: u64,
    /// 1 in `quote` words is wrapped in double quotes (0: never, beyond the word list's own).
    pub quote: u64,
    /// Out of 10: text, custom and image elements (the rest of 10 is images).
    pub text_elems: u64,
    /// Out of 10: custom elements.
    pub custom_elems: u64,
    /// Entries in a custom element's `Data` JSON beyond the gift itself (each ~60 bytes).
    pub data_entries: u64,
    /// Entries in `CloudCustomData`'s JSON beyond `vip` and `lang`.
    pub cloud_entries: u64,
}

impl Style {
    /// The benchmark's original mix.
    pub const MIX: Style = Style {
        words: (1, 12),
        cjk: 50,
        newline: 8,
        quote: 0,
        text_elems: 6,
        custom_elems: 2,
        data_entries: 0,
        cloud_entries: 0,
    };
}

const ASCII_WORDS: &[&str] = &[
    "the", "meeting", "is", "moved", "to", "tomorrow", "at", "3pm", "please", "bring", "your",
    "laptop", "and", "the", "slides", "we", "talked", "about", "ok", "thanks", "see", "you",
    "there", "order", "#4521", "shipped", "today", "can't", "wait", "lol",
];

fn text_with(r: &mut Rng, st: &Style) -> String {
    let mut s = String::new();
    let (lo, hi) = st.words;
    for i in 0..lo + r.below(hi - lo + 1) {
        if i > 0 {
            s.push_str(if r.below(st.newline) == 0 { "\n" } else { " " });
        }
        let quoted = st.quote > 0 && r.below(st.quote) == 0;
        if quoted {
            s.push('"');
        }
        s.push_str(if r.below(100) < st.cjk {
            r.pick(CJK)
        } else if st.quote > 0 || st.words.1 > 12 {
            r.pick(ASCII_WORDS)
        } else {
            r.pick(WORDS)
        });
        if quoted {
            s.push('"');
        }
    }
    s
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn account(r: &mut Rng) -> String {
    format!("user_{}", r.below(1_000_000))
}

/// JSON of `n` entries like an app's custom payload (nested objects, arrays, text), ~60 B each.
fn app_json(r: &mut Rng, n: u64) -> String {
    let mut s = String::new();
    for i in 0..n {
        let _ = write!(
            s,
            r#","item{i}":{{"sku":"{:08x}","tags":["{}","{}"],"price":{}.{:02},"note":"{}"}}"#,
            r.next() as u32,
            r.pick(CJK),
            r.pick(ASCII_WORDS),
            r.below(1000),
            r.below(100),
            r.pick(ASCII_WORDS)
        );
    }
    s
}

fn element(r: &mut Rng, st: &Style) -> String {
    let kind = r.below(10);
    if kind < st.text_elems {
        format!(
            r#"{{"MsgType":"TIMTextElem","MsgContent":{{"Text":{}}}}}"#,
            q(&text_with(r, st))
        )
    } else if kind < st.text_elems + st.custom_elems {
        {
            let data = format!(
                r#"{{"type":"gift","id":{},"name":"玫瑰","count":{}{}}}"#,
                r.below(10_000),
                1 + r.below(99),
                app_json(r, st.data_entries)
            );
            format!(
                r#"{{"MsgType":"TIMCustomElem","MsgContent":{{"Data":{},"Desc":{},"Ext":"","Sound":""}}}}"#,
                q(&data),
                q("礼物")
            )
        }
    } else {
        {
            let uuid = format!("{:016X}{:016X}", r.next(), r.next());
            let mut infos = String::new();
            for (i, (w, h)) in [(2448, 3264), (720, 960), (198, 264)].iter().enumerate() {
                if i > 0 {
                    infos.push(',');
                }
                let _ = write!(
                    infos,
                    r#"{{"Type":{},"Size":{},"Width":{w},"Height":{h},"URL":"https://im.example.com/{uuid}/{}"}}"#,
                    i + 1,
                    r.below(3_000_000),
                    [0, 720, 198][i]
                );
            }
            format!(
                r#"{{"MsgType":"TIMImageElem","MsgContent":{{"UUID":"{uuid}","ImageFormat":1,"ImageInfoArray":[{infos}]}}}}"#
            )
        }
    }
}

fn body_of(r: &mut Rng, st: &Style) -> String {
    let mut b = String::new();
    for i in 0..1 + r.below(3) {
        if i > 0 {
            b.push(',');
        }
        b.push_str(&element(r, st));
    }
    b
}

fn cloud(r: &mut Rng, st: &Style) -> String {
    if st.cloud_entries == 0 && r.below(2) == 0 {
        q("")
    } else {
        let more = app_json(r, st.cloud_entries);
        q(&format!(r#"{{"vip":{},"lang":"zh-CN"{more}}}"#, r.below(5)))
    }
}

/// A C2C send callback (before or after) in the mix's style.
pub fn c2c(r: &mut Rng) -> String {
    c2c_with(r, &Style::MIX)
}

/// A C2C send callback (before or after) whose texts and custom elements follow `st`.
pub fn c2c_with(r: &mut Rng, st: &Style) -> String {
    let (seq, rand, time) = (
        r.below(1 << 32),
        r.below(1 << 32),
        1_700_000_000 + r.below(10_000_000),
    );
    let after = r.below(2) == 0;
    format!(
        r#"{{"CallbackCommand":"C2C.Callback{}SendMsg","From_Account":"{}","To_Account":"{}","MsgSeq":{seq},"MsgRandom":{rand},"MsgTime":{time},"MsgKey":"{seq}_{rand}_{time}","OnlineOnlyFlag":0,{}"MsgBody":[{}],"CloudCustomData":{},"EventTime":{}}}"#,
        if after { "After" } else { "Before" },
        account(r),
        account(r),
        if after {
            format!(
                r#""SendMsgResult":0,"ErrorInfo":"send msg succeed","UnreadMsgNum":{},"#,
                r.below(100)
            )
        } else {
            String::new()
        },
        body_of(r, st),
        cloud(r, st),
        time * 1000 + r.below(1000)
    )
}

/// A group send callback (before or after) whose texts and custom elements follow `st`.
pub fn group_with(r: &mut Rng, st: &Style) -> String {
    let after = r.below(2) == 0;
    let time = 1_700_000_000 + r.below(10_000_000);
    format!(
        r#"{{"CallbackCommand":"Group.Callback{}SendMsg","GroupId":"@TGS#{}","Type":"{}","From_Account":"{}","Operator_Account":"{}","Random":{},{}"OnlineOnlyFlag":0,"MsgBody":[{}],"CloudCustomData":{},"EventTime":"{}"}}"#,
        if after { "After" } else { "Before" },
        r.below(1 << 40),
        r.pick(&["Public", "Work", "AVChatRoom", "Community"]),
        account(r),
        account(r),
        r.below(1 << 32),
        if after {
            format!(r#""MsgSeq":{},"MsgTime":{time},"#, r.below(100_000))
        } else {
            String::new()
        },
        body_of(r, st),
        cloud(r, st),
        time * 1000 + r.below(1000)
    )
}

pub fn state(r: &mut Rng) -> String {
    let kicked = if r.below(4) == 0 {
        r#","KickedDevice":[{"Platform":"iOS"},{"Platform":"Web"}]"#
    } else {
        ""
    };
    format!(
        r#"{{"CallbackCommand":"State.StateChange","EventTime":{},"Info":{{"Action":"{}","To_Account":"{}","Reason":"{}"}}{kicked}}}"#,
        1_700_000_000_000 + r.below(10_000_000_000),
        r.pick(&["Login", "Logout", "Disconnect"]),
        account(r),
        r.pick(&["Register", "Unregister", "LinkClose", "TimeOut"])
    )
}

pub fn join(r: &mut Rng) -> String {
    let mut members = String::new();
    for i in 0..1 + r.below(200) {
        if i > 0 {
            members.push(',');
        }
        let _ = write!(members, r#"{{"Member_Account":"{}"}}"#, account(r));
    }
    format!(
        r#"{{"CallbackCommand":"Group.CallbackAfterNewMemberJoin","GroupId":"@TGS#{}","Type":"Public","JoinType":"{}","Operator_Account":"{}","NewMemberList":[{members}],"EventTime":"{}"}}"#,
        r.below(1 << 40),
        r.pick(&["Apply", "Invited"]),
        account(r),
        1_700_000_000_000 + r.below(10_000_000_000)
    )
}

/// `n` message callbacks, half C2C and half group, in style `st`.
pub fn messages(n: usize, seed: u64, st: &Style) -> Vec<Vec<u8>> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| {
            if r.below(2) == 0 {
                c2c_with(&mut r, st)
            } else {
                group_with(&mut r, st)
            }
            .into_bytes()
        })
        .collect()
}

/// `n` state changes (login, logout, disconnect; ~150 bytes each): the smallest bodies.
pub fn states(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut r = Rng::new(seed);
    (0..n).map(|_| state(&mut r).into_bytes()).collect()
}

/// `n` bodies: 40% C2C messages, 40% group messages, 12% state changes, 8% member joins.
pub fn mix(n: usize, seed: u64) -> Vec<Vec<u8>> {
    let mut r = Rng::new(seed);
    (0..n)
        .map(|_| {
            match r.below(100) {
                0..=39 => c2c(&mut r),
                40..=79 => group_with(&mut r, &Style::MIX),
                80..=91 => state(&mut r),
                _ => join(&mut r),
            }
            .into_bytes()
        })
        .collect()
}

/// The same JSON pretty-printed (4-space indent, key order kept).
pub fn pretty(body: &[u8]) -> Vec<u8> {
    let v: Value = serde_json::from_slice(body).unwrap();
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    serde::Serialize::serialize(&v, &mut ser).unwrap();
    out
}

/// The same JSON with the keys of every object in a different order (reversed, then rotated).
pub fn shuffled(body: &[u8]) -> Vec<u8> {
    fn go(v: Value, r: &mut Rng) -> Value {
        match v {
            Value::Object(m) => {
                let mut kv: Vec<_> = m.into_iter().map(|(k, v)| (k, go(v, r))).collect();
                kv.reverse();
                let n = kv.len().max(1);
                kv.rotate_left(r.below(n as u64) as usize);
                Value::Object(kv.into_iter().collect())
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|v| go(v, r)).collect()),
            v => v,
        }
    }
    let v: Value = serde_json::from_slice(body).unwrap();
    serde_json::to_vec(&go(v, &mut Rng::new(body.len() as u64))).unwrap()
}

/// The same JSON with the keys of every object in alphabetical order (what a serializer that
/// sorts its maps writes): `CallbackCommand` is no longer first.
pub fn sorted(body: &[u8]) -> Vec<u8> {
    fn go(v: Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut kv: Vec<_> = m.into_iter().map(|(k, v)| (k, go(v))).collect();
                kv.sort_by(|a, b| a.0.cmp(&b.0));
                Value::Object(kv.into_iter().collect())
            }
            Value::Array(a) => Value::Array(a.into_iter().map(go).collect()),
            v => v,
        }
    }
    serde_json::to_vec(&go(serde_json::from_slice(body).unwrap())).unwrap()
}

/// The same JSON with the keys of every object in a random order (a Fisher–Yates shuffle
/// seeded by `seed`).
pub fn random_order(body: &[u8], seed: u64) -> Vec<u8> {
    fn go(v: Value, r: &mut Rng) -> Value {
        match v {
            Value::Object(m) => {
                let mut kv: Vec<_> = m.into_iter().map(|(k, v)| (k, go(v, r))).collect();
                for i in (1..kv.len()).rev() {
                    kv.swap(i, r.below(i as u64 + 1) as usize);
                }
                Value::Object(kv.into_iter().collect())
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|v| go(v, r)).collect()),
            v => v,
        }
    }
    let v: Value = serde_json::from_slice(body).unwrap();
    serde_json::to_vec(&go(v, &mut Rng::new(seed))).unwrap()
}

/// The same JSON with every character of every string (keys too) written as `\uXXXX`.
pub fn all_escaped(body: &[u8]) -> Vec<u8> {
    fn s(out: &mut String, text: &str) {
        out.push('"');
        for c in text.chars() {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        }
        out.push('"');
    }
    fn go(out: &mut String, v: &Value) {
        match v {
            Value::Object(m) => {
                out.push('{');
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    s(out, k);
                    out.push(':');
                    go(out, v);
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for (i, v) in a.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    go(out, v);
                }
                out.push(']');
            }
            Value::String(t) => s(out, t),
            v => out.push_str(&v.to_string()),
        }
    }
    let v: Value = serde_json::from_slice(body).unwrap();
    let mut out = String::new();
    go(&mut out, &v);
    out.into_bytes()
}

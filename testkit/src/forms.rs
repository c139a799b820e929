//! The same bodies in other forms, for the benchmark's `mix/*` workloads: pretty-printed, keys
//! reordered (reversed and rotated, sorted, shuffled), every string character as `\uXXXX`.

use serde_json::Value;
use std::fmt::Write;

/// xorshift64*: the reorderings' choices, reproducible across runs and machines.
struct Rng(u64);
impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D) % n
    }
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

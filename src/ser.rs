//! `serde::Serialize` support shared by the crate's types: map entries that skip absent
//! options ([`Entry`]), the compact form of answers, and a serializer for raw JSON text that
//! needs no allocation. The impls for each type sit beside the type; this module depends only
//! on the JSON reader.

use core::fmt;

use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::json;

/// One member of a serialized record: written under `key`, unless it stands for an absent key.
pub trait Entry {
    /// Writes `key: self` into `m`, or nothing.
    fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error>;

    /// [`put`](Self::put) in the compact form of answers, which also leaves out empty
    /// strings, at every depth (as `crate::emit` writes records).
    #[inline]
    fn put_compact<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
        self.put(key, m)
    }
}

/// A record or element serialized in the compact form (see [`Entry::put_compact`]).
pub(crate) struct Compact<T>(pub(crate) T);

/// Serialization in the compact form of answers.
pub(crate) trait SerializeCompact {
    fn serialize_compact<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error>;
}

impl<T: SerializeCompact> SerializeCompact for &T {
    fn serialize_compact<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        (**self).serialize_compact(z)
    }
}

impl<T: SerializeCompact> Serialize for Compact<T> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        self.0.serialize_compact(z)
    }
}

/// Implements [`Entry`] for types that are always written.
macro_rules! always {
    ($($t:ty),* $(,)?) => {$(
        impl Entry for $t {
            #[inline]
            fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
                m.serialize_entry(key, self)
            }
        }
    )*};
}
always!(u32, u64, i64);

impl Entry for &str {
    #[inline]
    fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry(key, self)
    }
    #[inline]
    fn put_compact<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
        if self.is_empty() {
            return Ok(());
        }
        m.serialize_entry(key, self)
    }
}

impl<T: Entry> Entry for Option<T> {
    #[inline]
    fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => v.put(key, m),
            None => Ok(()),
        }
    }
    #[inline]
    fn put_compact<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
        match self {
            Some(v) => v.put_compact(key, m),
            None => Ok(()),
        }
    }
}

/// A list element in the compact form: records and elements compact, strings as they are
/// (an empty string in a list is a value, not an absent key).
pub(crate) trait CompactItem {
    fn serialize_item<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error>;
}

impl CompactItem for &str {
    fn serialize_item<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        z.serialize_str(self)
    }
}

impl<T: SerializeCompact> CompactItem for T {
    fn serialize_item<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        self.serialize_compact(z)
    }
}

/// One list element through [`CompactItem`].
pub(crate) struct Item<T>(pub(crate) T);

impl<T: CompactItem> Serialize for Item<T> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        self.0.serialize_item(z)
    }
}

/// Re-emits one validated JSON value (raw text) through serde's data model: objects as maps,
/// arrays as sequences, strings unescaped on the fly, numbers as `u64`/`i64` when integral and
/// in range, else `f64`.
pub(crate) fn raw_json<Z: Serializer>(text: &str, z: Z) -> Result<Z::Ok, Z::Error> {
    Node(text.as_bytes()).serialize(z)
}

const BROKEN: &str = "raw JSON that was validated at parse failed to re-read";

/// Exactly one validated JSON value, possibly surrounded by whitespace.
struct Node<'a>(&'a [u8]);

/// Raw string content and whether it holds escapes.
struct Text<'a>(&'a [u8], bool);

/// Finds the value starting at or after `i`; returns it and the index after it.
fn value_at(b: &[u8], i: usize) -> Option<(Node<'_>, usize)> {
    let start = json::skip_ws(b, i);
    let end = json::skip_value(b, start, 0, false).ok()?;
    Some((Node(b.get(start..end)?), end))
}

/// Finds the string starting at `b[i]`; returns it and the index after it.
fn text_at(b: &[u8], i: usize) -> Option<(Text<'_>, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = json::scan_string(b, i + 1).ok()?;
    Some((Text(b.get(i + 1..end - 1)?, escaped), end))
}

impl Serialize for Node<'_> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let b = self.0;
        let i = json::skip_ws(b, 0);
        match b.get(i) {
            Some(b'{') => {
                let mut m = z.serialize_map(None)?;
                let mut j = json::skip_ws(b, i + 1);
                if b.get(j) != Some(&b'}') {
                    loop {
                        let (key, after) = text_at(b, j).ok_or_else(|| Z::Error::custom(BROKEN))?;
                        m.serialize_key(&key)?;
                        let colon = json::skip_ws(b, after);
                        let (value, after) =
                            value_at(b, colon + 1).ok_or_else(|| Z::Error::custom(BROKEN))?;
                        m.serialize_value(&value)?;
                        j = json::skip_ws(b, after);
                        if b.get(j) != Some(&b',') {
                            break;
                        }
                        j = json::skip_ws(b, j + 1);
                    }
                }
                m.end()
            }
            Some(b'[') => {
                let mut s = z.serialize_seq(None)?;
                let mut j = json::skip_ws(b, i + 1);
                if b.get(j) != Some(&b']') {
                    loop {
                        let (value, after) =
                            value_at(b, j).ok_or_else(|| Z::Error::custom(BROKEN))?;
                        s.serialize_element(&value)?;
                        j = json::skip_ws(b, after);
                        if b.get(j) != Some(&b',') {
                            break;
                        }
                        j += 1;
                    }
                }
                s.end()
            }
            Some(b'"') => text_at(b, i)
                .ok_or_else(|| Z::Error::custom(BROKEN))?
                .0
                .serialize(z),
            Some(b't') => z.serialize_bool(true),
            Some(b'f') => z.serialize_bool(false),
            Some(b'n') => z.serialize_unit(),
            _ => {
                let t = json::scan_number(b, i).map_err(|_| Z::Error::custom(BROKEN))?;
                let text = core::str::from_utf8(b.get(i..t.end).unwrap_or_default())
                    .map_err(Z::Error::custom)?;
                if t.integer && text != "-0" {
                    if t.negative {
                        if let Ok(v) = text.parse::<i64>() {
                            return z.serialize_i64(v);
                        }
                    } else if let Ok(v) = text.parse::<u64>() {
                        return z.serialize_u64(v);
                    }
                }
                let v: f64 = text.parse().map_err(Z::Error::custom)?;
                z.serialize_f64(v)
            }
        }
    }
}

impl Serialize for Text<'_> {
    fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
        let raw = core::str::from_utf8(self.0).map_err(Z::Error::custom)?;
        if self.1 {
            z.collect_str(&Unescaped(raw))
        } else {
            z.serialize_str(raw)
        }
    }
}

/// Displays raw string content with its escapes decoded.
struct Unescaped<'a>(&'a str);

impl fmt::Display for Unescaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        json::for_each_unescaped(self.0, |piece| f.write_str(piece))
    }
}

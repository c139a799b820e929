//! Values kept as validated JSON text: those whose shape Tencent does not fix, and numbers.

use crate::error::Error;
use crate::read::Decode;
use crate::read::Source;

/// The raw text of a JSON value, validated at parse and kept exactly as sent (escapes included).
/// Used where the shape is open, such as the content of an unknown message element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RawJson<'a>(&'a str);

impl<'a> RawJson<'a> {
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) const fn new(text: &'a str) -> Self {
        RawJson(text)
    }

    /// The JSON text, e.g. `{"Foo":1}`; empty when the key was absent.
    pub const fn get(&self) -> &'a str {
        self.0
    }
}

impl crate::read::Sealed for RawJson<'_> {}
impl Decode for RawJson<'_> {
    type Of<'x> = RawJson<'x>;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<RawJson<'x>, Error> {
        s.raw().map(RawJson)
    }
    #[inline]
    fn absent<'x>() -> RawJson<'x> {
        RawJson("")
    }
}

/// A JSON number, kept as the text that was sent. The parse checks it: the grammar of JSON,
/// and a magnitude that a finite `f64` holds (`1e400` is rejected). Converting it is the
/// caller's step, so a program that never calls [`to_f64`](Number::to_f64) (nor serializes
/// it with the `serde` feature, which converts it) links no float parser (about 16 KB of flash
/// on a Cortex-M), and an answer that writes it back writes the same text, digit for digit.
///
/// ```
/// let mut body = br#"{"CallbackCommand":"C2C.CallbackBeforeSendMsg","MsgBody":[
///     {"MsgType":"TIMLocationElem","MsgContent":{"Desc":"here","Latitude":29.340656774469956,"Longitude":-104.5}}]}"#.to_vec();
/// let tim_callback::Callback::C2cBeforeSendMsg(msg) = tim_callback::parse(&mut body)? else { unreachable!() };
/// let Some(tim_callback::MsgElem::Location(place)) = msg.msg_body.iter().next() else { unreachable!() };
/// assert_eq!(place.latitude.as_str(), "29.340656774469956");
/// assert_eq!(place.longitude.to_f64(), -104.5);
/// # Ok::<(), tim_callback::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Number<'a>(&'a str);

impl<'a> Number<'a> {
    /// The number's text as sent, e.g. `29.340656774469956`; `0` when the key was absent.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }

    /// The number as the nearest `f64` (always finite: the parse checked its magnitude).
    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(0.0)
    }
}

impl crate::read::Sealed for Number<'_> {}
/// Absent reads as `0`.
impl Decode for Number<'_> {
    type Of<'x> = Number<'x>;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Number<'x>, Error> {
        match s.peek() {
            // A whole value, checked as every number is (finite included).
            Some(b'-' | b'0'..=b'9') => s.raw().map(Number),
            _ => s.expected(crate::error::Expected::Number),
        }
    }
    #[inline]
    fn absent<'x>() -> Number<'x> {
        Number("0")
    }
}

/// Written back as it came.
impl crate::emit::Emit for Number<'_> {
    fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        w.write_str(self.0)
    }
}

/// A value documented as "number or string" (e.g. `ProfileItem[].Value`, whose type depends on
/// its `Tag`): strings are decoded, anything else is kept as raw JSON.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value<'a> {
    /// A JSON string, unescaped.
    String(&'a str),
    /// Any other JSON value (number, object, array, `true`, `false`, `null`), as sent; empty
    /// text when the key was absent.
    Json(RawJson<'a>),
}

impl<'a> Value<'a> {
    /// The string, if the value is one.
    pub const fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::String(s) => Some(s),
            Value::Json(_) => None,
        }
    }

    /// The value as an unsigned integer, if it is a JSON integer that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Json(raw) => raw.get().parse().ok(),
            Value::String(_) => None,
        }
    }
}

/// An absent key reads as `Json` with empty text.
impl Default for Value<'_> {
    fn default() -> Self {
        Value::Json(RawJson(""))
    }
}

impl crate::read::Sealed for Value<'_> {}
impl Decode for Value<'_> {
    type Of<'x> = Value<'x>;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Value<'x>, Error> {
        match s.peek() {
            Some(b'"') => s.string().map(Value::String),
            Some(crate::json::OPEN) if s.trusted() => s.string().map(Value::String),
            _ => s.raw().map(|r| Value::Json(RawJson(r))),
        }
    }
    #[inline]
    fn absent<'x>() -> Value<'x> {
        Value::Json(RawJson(""))
    }
}

/// The validated text as it was sent; an absent value writes nothing.
impl crate::emit::Emit for RawJson<'_> {
    fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        w.write_str(self.0)
    }
    fn is_absent(&self) -> bool {
        self.0.is_empty()
    }
}

impl crate::emit::Emit for Value<'_> {
    fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        match self {
            Value::String(s) => crate::emit::string(w, s),
            Value::Json(raw) => raw.emit(w),
        }
    }
    fn is_absent(&self) -> bool {
        matches!(self, Value::Json(raw) if raw.0.is_empty())
    }
}

/// A millisecond Unix timestamp that Tencent sends as a number in some callbacks and as a
/// numeric string (`"EventTime":"1670574414123"`) in others; both are accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct EventTime {
    /// Milliseconds since the Unix epoch.
    pub millis: u64,
    /// Whether the body sent it as a string; serialization writes it back the same way.
    pub quoted: bool,
}

/// Written back as it came: a number, or a string of digits.
impl crate::emit::Emit for EventTime {
    fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        let mut buf = [0u8; 20];
        let digits = crate::emit::decimal_str(self.millis, &mut buf);
        if self.quoted {
            w.write_char('"')?;
            w.write_str(digits)?;
            w.write_char('"')
        } else {
            w.write_str(digits)
        }
    }
}

impl crate::read::Sealed for EventTime {}
impl Decode for EventTime {
    type Of<'x> = EventTime;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<EventTime, Error> {
        let (millis, quoted) = s.u64_or_digits()?;
        Ok(EventTime { millis, quoted })
    }
    #[inline]
    fn absent<'x>() -> Self::Of<'x> {
        EventTime::default()
    }
    #[inline]
    fn reread(buf: &[u8], i: usize, note: (usize, usize)) -> Option<(EventTime, usize)> {
        let (millis, quoted, end) = match buf.get(i)? {
            b'"' => {
                let (text, end) = crate::read::reread_str(buf, i, note.0)?;
                // Validated as a non-empty run of digits by the first read.
                let digits = Some(text.as_bytes()).filter(|d| !d.is_empty())?;
                (crate::json::parse_u64(digits)?, true, end)
            }
            _ => {
                let (v, end) = crate::read::reread_unsigned(buf, i, u64::MAX)?;
                (v, false, end)
            }
        };
        Some((EventTime { millis, quoted }, end))
    }
}

/// `serde::Serialize` for the types above.
#[cfg(feature = "serde")]
mod ser {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::{EventTime, Number, RawJson, Value};
    use crate::ser::Entry;

    impl Entry for EventTime {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            m.serialize_entry(key, self)
        }
    }

    impl Entry for Number<'_> {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            m.serialize_entry(key, self)
        }
    }

    /// As an `f64`, as a serde reader of the same JSON would hold it.
    impl Serialize for Number<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            z.serialize_f64(self.to_f64())
        }
    }

    /// An absent value (empty raw text) writes nothing.
    impl Entry for Value<'_> {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            match self {
                Value::Json(raw) => raw.put(key, m),
                Value::String(_) => m.serialize_entry(key, self),
            }
        }
    }

    /// An absent raw value (empty text) writes nothing.
    impl Entry for RawJson<'_> {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            if self.get().is_empty() {
                return Ok(());
            }
            m.serialize_entry(key, self)
        }
    }

    /// Written back as it came: a number, or a string of digits.
    impl Serialize for EventTime {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            if !self.quoted {
                return z.serialize_u64(self.millis);
            }
            let mut buf = [0u8; 20];
            z.serialize_str(crate::emit::decimal_str(self.millis, &mut buf))
        }
    }

    impl Serialize for Value<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            match self {
                Value::String(s) => z.serialize_str(s),
                Value::Json(raw) => raw.serialize(z),
            }
        }
    }

    /// Re-emits the JSON value through serde's data model: objects as maps, arrays as sequences,
    /// strings unescaped on the fly, numbers as `u64`/`i64` when integral and in range, else `f64`.
    impl Serialize for RawJson<'_> {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            crate::ser::raw_json(self.get(), z)
        }
    }
}

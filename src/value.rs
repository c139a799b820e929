//! Values whose shape Tencent does not fix: kept as validated JSON, never as an error.

use crate::decode::Decode;
use crate::error::Error;
use crate::reader::Source;

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

impl Decode for RawJson<'_> {
    type Of<'x> = RawJson<'x>;
    #[inline]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<RawJson<'x>, Error> {
        s.raw().map(RawJson)
    }
    #[inline]
    fn absent<'x>() -> RawJson<'x> {
        RawJson("")
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

impl Decode for Value<'_> {
    type Of<'x> = Value<'x>;
    #[inline]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Value<'x>, Error> {
        match s.peek() {
            Some(b'"') => s.string().map(Value::String),
            Some(crate::json::OPEN) if S::TRUSTED => s.string().map(Value::String),
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

//! The one error type: small, `Copy`, and precise about where it happened.

use core::fmt;

/// What went wrong. The byte offset and the key are on [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The body ended in the middle of a value.
    Eof,
    /// A byte that cannot start or continue the JSON expected here.
    Expected(Expected),
    /// Bytes other than whitespace after the top-level object.
    TrailingBytes,
    /// Objects and arrays nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH), or than the
    /// lower limit of a [`Parser`](crate::Parser).
    TooDeep,
    /// A string's bytes are not UTF-8.
    InvalidUtf8,
    /// A control character (below U+0020) inside a string.
    ControlCharacter,
    /// A backslash escape that JSON does not define, or a malformed `\uXXXX`.
    InvalidEscape,
    /// A `\uXXXX` surrogate without its pair.
    LoneSurrogate,
    /// A number cut short: `1.`, `1e`, `1e+`, `-`. (A number that cannot start a value, like
    /// `.5` or `+1`, is [`Expected`](ErrorKind::Expected) a value; one with a leading zero, like
    /// `01`, ends after the `0` and is `Expected` a `,` there.)
    InvalidNumber,
    /// A well-formed number outside the range of the field's type.
    OutOfRange(NumberType),
    /// A numeric string (e.g. `"EventTime":"1670574414123"`) that is not all ASCII digits.
    InvalidNumericString,
    /// A known key given twice in one object.
    DuplicateKey,
    /// The body has no top-level `CallbackCommand`, and no command was given.
    MissingCommand,
    /// The body's `CallbackCommand` is not the one the query string or the caller named.
    CommandMismatch,
}

/// What the parser expected where it found something else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Expected {
    /// Any JSON value.
    Value,
    /// A JSON object (`{`).
    Object,
    /// A JSON array (`[`).
    Array,
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON number without fraction or exponent.
    Integer,
    /// A number, or a string of digits.
    NumberOrNumericString,
    /// An object key (a string).
    Key,
    /// The `:` after a key.
    Colon,
    /// `,` or `}` after an object member.
    CommaOrBrace,
    /// `,` or `]` after an array element.
    CommaOrBracket,
}

/// The Rust type a number had to fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberType {
    /// `u32`
    U32,
    /// `u64`
    U64,
    /// `i64`
    I64,
    /// `f64` (finite)
    F64,
}

/// Why a body was rejected: kind, byte offset, and the innermost known key and list index.
///
/// `Display` reads like `MsgSeq at byte 212: number does not fit u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    key: Option<&'static str>,
    index: Option<u32>,
}

impl Error {
    #[inline]
    pub(crate) const fn new(kind: ErrorKind, offset: usize) -> Self {
        Error {
            kind,
            offset,
            key: None,
            index: None,
        }
    }

    /// What went wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Byte offset into the body where the problem was found.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// The innermost known JSON key whose value holds the problem, e.g. `MsgSeq`.
    pub const fn key(&self) -> Option<&'static str> {
        self.key
    }

    /// The innermost list index (0-based) whose element holds the problem.
    pub const fn index(&self) -> Option<u32> {
        self.index
    }

    /// 1-based line and column (in bytes) of [`offset`](Self::offset) within `body`,
    /// computed only when asked.
    pub fn line_column(&self, body: &[u8]) -> (usize, usize) {
        let end = self.offset.min(body.len());
        let before = &body[..end];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let col = match before.iter().rposition(|&b| b == b'\n') {
            Some(nl) => end - nl,
            None => end + 1,
        };
        (line, col)
    }

    #[inline]
    pub(crate) fn shift(mut self, by: usize) -> Self {
        self.offset += by;
        self
    }

    /// Records `key` unless an inner key was recorded already.
    #[inline]
    pub(crate) fn in_key(mut self, key: &'static str) -> Self {
        if self.key.is_none() {
            self.key = Some(key);
        }
        self
    }

    /// Records list index `i` unless an inner index was recorded already.
    #[inline]
    pub(crate) fn in_item(mut self, i: usize) -> Self {
        if self.index.is_none() {
            self.index = Some(u32::try_from(i).unwrap_or(u32::MAX));
        }
        self
    }
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Value => "a JSON value",
            Expected::Object => "an object",
            Expected::Array => "an array",
            Expected::String => "a string",
            Expected::Number => "a number",
            Expected::Integer => "an integer",
            Expected::NumberOrNumericString => "a number or a string of digits",
            Expected::Key => "a string key",
            Expected::Colon => "':' after the key",
            Expected::CommaOrBrace => "',' or '}'",
            Expected::CommaOrBracket => "',' or ']'",
        })
    }
}

impl fmt::Display for NumberType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NumberType::U32 => "u32",
            NumberType::U64 => "u64",
            NumberType::I64 => "i64",
            NumberType::F64 => "a finite f64",
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Eof => f.write_str("unexpected end of body"),
            ErrorKind::Expected(e) => write!(f, "expected {e}"),
            ErrorKind::TrailingBytes => f.write_str("bytes after the top-level object"),
            ErrorKind::TooDeep => f.write_str("nesting deeper than the depth limit"),
            ErrorKind::InvalidUtf8 => f.write_str("string is not valid UTF-8"),
            ErrorKind::ControlCharacter => f.write_str("unescaped control character in string"),
            ErrorKind::InvalidEscape => f.write_str("invalid escape sequence"),
            ErrorKind::LoneSurrogate => f.write_str("unpaired UTF-16 surrogate escape"),
            ErrorKind::InvalidNumber => f.write_str("malformed number"),
            ErrorKind::OutOfRange(t) => write!(f, "number does not fit {t}"),
            ErrorKind::InvalidNumericString => f.write_str("string is not all ASCII digits"),
            ErrorKind::DuplicateKey => f.write_str("key given twice"),
            ErrorKind::MissingCommand => f.write_str("no top-level CallbackCommand"),
            ErrorKind::CommandMismatch => {
                f.write_str("CallbackCommand differs from the command named by the caller")
            }
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(key) = self.key {
            write!(f, "{key} ")?;
        }
        if let Some(i) = self.index {
            write!(f, "in item {i} ")?;
        }
        write!(f, "at byte {}: {}", self.offset, self.kind)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

//! JSON output without an allocator: string escaping, a byte-slice sink that measures what did
//! not fit, and [`Emit`], the writer every field type implements (records get theirs from
//! `record!`). Nothing here knows Tencent's keys; the answer types use it to write themselves.

use core::fmt::{self, Write};

/// Writes `s` as a JSON string, quotes included: `"` and `\` escaped, control characters as
/// `\n`, `\t`, … or `\u00XX`; everything else (any Unicode, non-BMP included) as its UTF-8.
pub(crate) fn string<W: Write>(w: &mut W, s: &str) -> fmt::Result {
    w.write_char('"')?;
    string_content(w, s)?;
    w.write_char('"')
}

/// The bytes a JSON string cannot hold as they are: `"`, `\\` and the control characters.
const ESCAPED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = true;
        b += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// [`string`] without the quotes.
pub(crate) fn string_content<W: Write>(w: &mut W, s: &str) -> fmt::Result {
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Runs that need no escape are written whole (a table lookup per byte, as serde_json).
        let b = bytes[i];
        if !ESCAPED[usize::from(b)] {
            i += 1;
            continue;
        }
        let escape: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            _ => "",
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        w.write_str(s.get(run..i).unwrap_or_default())?;
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            w.write_str("\\u00")?;
            w.write_char(char::from(HEX[usize::from(b >> 4)]))?;
            w.write_char(char::from(HEX[usize::from(b & 0xf)]))?;
        } else {
            w.write_str(escape)?;
        }
        i += 1;
        run = i;
    }
    w.write_str(s.get(run..).unwrap_or_default())
}

/// Writes `v` in decimal.
pub(crate) fn unsigned<W: Write>(w: &mut W, v: u64) -> fmt::Result {
    let mut buf = [0u8; 20];
    w.write_str(decimal_str(v, &mut buf))
}

/// The two digits of every number below 100.
static PAIRS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// `v` in decimal, in the tail of `buf` (20 digits hold any `u64`): two digits per division,
/// since a 13-digit timestamp is written back with every event that has one.
pub(crate) fn decimal(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    let mut put = |i: usize, digits: &[u8]| {
        if let Some(dst) = buf.get_mut(i..i + digits.len()) {
            dst.copy_from_slice(digits);
        }
    };
    while v >= 100 {
        let (q, r) = div_rem_100(v);
        i -= 2;
        put(i, &PAIRS[r as usize]);
        v = q;
    }
    // The one or two leading digits.
    let lead = &PAIRS[v as usize][usize::from(v < 10)..];
    i -= lead.len();
    put(i, lead);
    buf.get(i..).unwrap_or_default()
}

/// `v / 100` and `v % 100`.
#[cfg(feature = "perf")]
#[inline]
fn div_rem_100(v: u64) -> (u64, u32) {
    (v / 100, (v % 100) as u32)
}

/// `v / 100` and `v % 100` by long division in 16-bit limbs, each step a 32-bit division: a
/// 32-bit core divides a `u64` only through a library routine of about 0.9 KB.
#[cfg(not(feature = "perf"))]
fn div_rem_100(v: u64) -> (u64, u32) {
    let mut q: u64 = 0;
    let mut r: u32 = 0;
    for shift in [48u32, 32, 16, 0] {
        // `r < 100`, so this holds in 32 bits.
        let cur = (r << 16) | ((v >> shift) as u32 & 0xFFFF);
        q = (q << 16) | u64::from(cur / 100);
        r = cur % 100;
    }
    (q, r)
}

/// [`decimal`] as text (digits are ASCII: the check takes the short ASCII path).
pub(crate) fn decimal_str(v: u64, buf: &mut [u8; 20]) -> &str {
    crate::utf8::as_str(decimal(v, buf)).unwrap_or_default()
}

/// A `fmt::Write` into a byte slice. It never fails: past the end it only counts, so that a
/// short buffer reports how long it had to be.
pub(crate) struct SliceSink<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> SliceSink<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        SliceSink { buf, len: 0 }
    }

    /// The bytes written, or the length the buffer needed when it was too short.
    pub(crate) fn finish(self) -> Result<usize, BufferTooSmall> {
        if self.len <= self.buf.len() {
            Ok(self.len)
        } else {
            Err(BufferTooSmall { needed: self.len })
        }
    }
}

impl Write for SliceSink<'_> {
    #[inline]
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.saturating_add(s.len());
        if let Some(room) = self.buf.get_mut(self.len..end) {
            room.copy_from_slice(s.as_bytes());
        }
        self.len = end;
        Ok(())
    }

    /// Punctuation without a call into `memcpy`.
    #[inline]
    fn write_char(&mut self, c: char) -> fmt::Result {
        if c.is_ascii() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = c as u8;
            }
            self.len = self.len.saturating_add(1);
            return Ok(());
        }
        self.write_str(c.encode_utf8(&mut [0; 4]))
    }
}

/// A `fmt::Write` that only counts bytes.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

impl Write for Counter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 = self.0.saturating_add(s.len());
        Ok(())
    }
}

/// The output buffer was too short; `needed` is the whole output's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BufferTooSmall {
    /// Bytes the output needs.
    pub needed: usize,
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "buffer too small (need at least {} bytes)", self.needed)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BufferTooSmall {}

/// A value that writes itself as JSON.
pub(crate) trait Emit {
    /// Writes the value.
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result;

    /// Whether a record leaves this member out, as standing for an absent key: `None`, empty
    /// raw JSON, and the empty string (a missing string key reads as empty, in Tencent's
    /// callbacks as in this crate).
    #[inline]
    fn is_absent(&self) -> bool {
        false
    }
}

/// Writes `,"key":` (without the comma for the first member). Keys are the crate's own
/// constants, which need no escapes.
pub(crate) fn key<W: Write>(w: &mut W, first: &mut bool, key: &str) -> fmt::Result {
    debug_assert!(!key.bytes().any(|b| ESCAPED[usize::from(b)]));
    if !core::mem::replace(first, false) {
        w.write_char(',')?;
    }
    w.write_char('"')?;
    w.write_str(key)?;
    w.write_str("\":")
}

/// Writes `,"key":value` (without the comma for the first member) unless `value` is absent.
pub(crate) fn member<W: Write, T: Emit + ?Sized>(
    w: &mut W,
    first: &mut bool,
    name: &str,
    value: &T,
) -> fmt::Result {
    if value.is_absent() {
        return Ok(());
    }
    key(w, first, name)?;
    value.emit(w)
}

/// Writes `[a,b,…]`.
pub(crate) fn array<W: Write, T: Emit>(
    w: &mut W,
    items: impl IntoIterator<Item = T>,
) -> fmt::Result {
    w.write_char('[')?;
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            w.write_char(',')?;
        }
        item.emit(w)?;
    }
    w.write_char(']')
}

impl Emit for str {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        string(w, self)
    }
    #[inline]
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: Emit + ?Sized> Emit for &T {
    #[inline]
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        (**self).emit(w)
    }
    #[inline]
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl Emit for u32 {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        unsigned(w, u64::from(*self))
    }
}

impl Emit for u64 {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        unsigned(w, *self)
    }
}

impl Emit for i64 {
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        if *self < 0 {
            w.write_char('-')?;
        }
        unsigned(w, self.unsigned_abs())
    }
}

impl<T: Emit> Emit for Option<T> {
    #[inline]
    fn emit<W: Write>(&self, w: &mut W) -> fmt::Result {
        match self {
            Some(v) => v.emit(w),
            None => w.write_str("null"),
        }
    }
    #[inline]
    fn is_absent(&self) -> bool {
        self.as_ref().is_none_or(T::is_absent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;

    #[test]
    fn decimal_agrees_with_display() {
        // Every power of ten and its neighbours, the extremes, and a spread of timestamps.
        let mut values = std::vec![0u64, 1, 9, 10, 11, 99, 100, 101, u64::MAX, u64::MAX - 1];
        // Where the long division's 16-bit limbs carry.
        values.extend([
            65_535,
            65_536,
            6_553_599,
            6_553_600,
            u64::from(u32::MAX),
            1 << 32,
        ]);
        let mut p = 1u64;
        while let Some(next) = p.checked_mul(10) {
            values.extend([p - 1, p, p + 1, next - 1]);
            p = next;
        }
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..if cfg!(miri) { 100 } else { 10_000 } {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.extend([x, x % 10_000_000_000_000, x >> (x % 64)]);
        }
        for v in values {
            let mut buf = [0u8; 20];
            assert_eq!(decimal_str(v, &mut buf), std::format!("{v}"), "{v}");
        }
    }

    fn escaped(s: &str) -> ([u8; 64], usize) {
        let mut buf = [0u8; 64];
        let mut sink = SliceSink::new(&mut buf);
        string(&mut sink, s).unwrap();
        let n = sink.finish().unwrap();
        (buf, n)
    }

    #[test]
    fn strings_escape_quotes_backslashes_and_controls_only() {
        for (input, want) in [
            ("", r#""""#),
            ("plain", r#""plain""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("\n\r\t\u{8}\u{c}", r#""\n\r\t\b\f""#),
            ("\u{0}\u{1f}\u{7f}", "\"\\u0000\\u001f\u{7f}\""),
            ("红包 😀", "\"红包 😀\""),
        ] {
            let (buf, n) = escaped(input);
            assert_eq!(core::str::from_utf8(&buf[..n]).unwrap(), want);
        }
    }

    #[test]
    fn a_short_slice_reports_the_whole_length() {
        let mut buf = [0u8; 4];
        let mut sink = SliceSink::new(&mut buf);
        string(&mut sink, "abcdef").unwrap();
        assert_eq!(sink.finish(), Err(BufferTooSmall { needed: 8 }));
        let mut exact = [0u8; 8];
        let mut sink = SliceSink::new(&mut exact);
        string(&mut sink, "abcdef").unwrap();
        assert_eq!(sink.finish(), Ok(8));
        assert_eq!(&exact, b"\"abcdef\"");
    }

    #[test]
    fn records_write_their_members_and_leave_absent_ones_out() {
        let mut body = *br#"{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"g\"1","Name":"","Notification":"n","EventTime":"007"}"#;
        let Ok(crate::Callback::GroupAfterGroupInfoChanged(ev)) = crate::parse(&mut body) else {
            panic!("parses")
        };
        let mut buf = [0u8; 256];
        let mut sink = SliceSink::new(&mut buf);
        ev.emit(&mut sink).unwrap();
        let n = sink.finish().unwrap();
        // `Type` and `Operator_Account` are empty, `Name` is `Some("")`, `Introduction` and
        // `FaceUrl` absent: all left out. EventTime stays a string (of its value's digits).
        assert_eq!(
            core::str::from_utf8(&buf[..n]).unwrap(),
            r#"{"CallbackCommand":"Group.CallbackAfterGroupInfoChanged","GroupId":"g\"1","Notification":"n","EventTime":"7"}"#
        );
    }

    #[test]
    fn integers_at_their_edges() {
        let mut buf = [0u8; 64];
        let mut check = |v: &dyn Fn(&mut SliceSink<'_>) -> fmt::Result, want: &str| {
            let mut sink = SliceSink::new(&mut buf);
            v(&mut sink).unwrap();
            let n = sink.finish().unwrap();
            assert_eq!(core::str::from_utf8(&buf[..n]).unwrap(), want);
        };
        check(&|w| 0u32.emit(w), "0");
        check(&|w| u32::MAX.emit(w), "4294967295");
        check(&|w| u64::MAX.emit(w), "18446744073709551615");
        check(&|w| (-1i64).emit(w), "-1");
        check(&|w| i64::MIN.emit(w), "-9223372036854775808");
        check(&|w| i64::MAX.emit(w), "9223372036854775807");
    }
}

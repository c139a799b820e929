//! Byte-level JSON scanning (RFC 8259). Knows nothing of Tencent.
//!
//! Every function takes a slice and an index into it and returns the index after what it read,
//! or an [`Error`] whose offset is relative to that slice. Nothing here panics on any input.
//!
//! # In-place rewriting invariant
//!
//! [`decode_string_in_place`] (with the reader) turns a string that contains escapes, `"…\n…"`, into
//! `OPEN decoded-text CLOSE spaces…` of exactly the same length. UTF-8 never contains the bytes
//! [`OPEN`] (0xF8) or [`CLOSE`] (0xF9), so the decoded text cannot hold `CLOSE`, and the padding
//! is JSON whitespace. A string that was read by the typed decoder and still starts with `"`
//! therefore contains no backslash. Readers of an already-decoded buffer ("trusted" mode) accept
//! both forms; readers of raw input never accept `OPEN`.
//!
//! Inside lists (the only values read twice), the typed decoder also rewrites the keys of
//! the records it reads, so that the second read neither compares the key nor scans the value
//! again: the span from the whitespace before a key (right after the `{` or `,`; a key with
//! escapes is checked and decoded first) to the whitespace after its colon, 4 to 255 bytes
//! long, becomes [`KEY`] `index` `length` `note…` of the same length, so that a pretty-printed
//! element reads again as a compact one. `index` is the key's position in its record's key
//! table (0xFF: not in it), `length` the span's length (its value starts right after), and the
//! `length - 3` note bytes describe the value that follows: its length, or a
//! list's length and count, written by the first read of a value that the second read will use
//! them for (zero: not noted; see the reader). [`KEY`] (0xFA) is not UTF-8 either, so it cannot
//! be confused with text; readers of raw input never accept it.

use crate::error::{Error, ErrorKind, Expected};

/// Opens a string that was unescaped in place.
pub(crate) const OPEN: u8 = 0xF8;
/// Closes a string that was unescaped in place.
pub(crate) const CLOSE: u8 = 0xF9;
/// Opens a key rewritten in place (see the invariant).
pub(crate) const KEY: u8 = 0xFA;

/// Nesting limit for objects and arrays, counted from the top-level object (depth 1). It is the
/// limit serde_json applies (127 nested containers), so a body one accepts the other does too.
pub const MAX_DEPTH: u32 = 127;

#[inline]
pub(crate) fn err<T>(kind: ErrorKind, at: usize) -> Result<T, Error> {
    Err(Error::new(kind, at))
}

#[inline]
pub(crate) fn expected<T>(what: Expected, b: &[u8], at: usize) -> Result<T, Error> {
    if at >= b.len() {
        err(ErrorKind::Eof, at)
    } else {
        err(ErrorKind::Expected(what), at)
    }
}

/// Bytes that end a run of plain string content: `"`, `\`, and controls below 0x20.
static STRING_SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// Byte equality for short strings (keys, vocabulary words), with word loads instead of a call
/// into `memcmp`, which dominates at these lengths.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    #[inline(always)]
    fn word(s: &[u8], i: usize) -> u64 {
        s.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes)
    }
    #[inline(always)]
    fn half(s: &[u8], i: usize) -> u32 {
        s.get(i..i + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, u32::from_le_bytes)
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        // The last (possibly overlapping) word.
        return word(a, n - 8) == word(b, n - 8);
    }
    if n >= 4 {
        return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4);
    }
    a == b
}

/// The index of `text` in `table`.
#[inline]
pub(crate) fn lookup(table: &[&str], text: &[u8]) -> Option<usize> {
    table.iter().position(|k| same_bytes(k.as_bytes(), text))
}

/// The index of the first byte at or after `i` that is not JSON whitespace (or `b.len()`).
#[inline]
pub(crate) fn skip_ws(b: &[u8], i: usize) -> usize {
    // Compact JSON has none, and pretty JSON one space after a colon: both decided here.
    // Every whitespace byte is at most b' ', so one comparison passes any other token.
    match b.get(i) {
        Some(&c) if c > b' ' => return i,
        Some(b' ' | b'\n' | b'\r' | b'\t') => {}
        _ => return i,
    }
    match b.get(i + 1) {
        Some(b' ' | b'\n' | b'\r' | b'\t') => skip_ws_run(b, i + 2),
        _ => i + 1,
    }
}

/// [`skip_ws`] over a run (a newline and an indent), eight bytes at a time. An indent is spaces:
/// a word of them is one comparison, and the first byte that is not a space ends the run
/// unless it is other whitespace (then the walk goes on after it).
fn skip_ws_run(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    while let Some(chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let not_space = u64::from_le_bytes(*chunk) ^ SPACES;
        if not_space == 0 {
            i += 8;
            continue;
        }
        let at = (not_space.trailing_zeros() / 8) as usize;
        if !matches!(chunk.get(at), Some(b'\n' | b'\r' | b'\t')) {
            return i + at;
        }
        i += at + 1;
    }
    while let Some(&c) = b.get(i) {
        if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        i += 1;
    }
    i
}

/// Hex digit values; 0xFF for bytes that are not hex digits.
static HEX: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

#[inline]
fn hex4(b: &[u8], i: usize) -> Result<u32, Error> {
    if let Some(&[a, c, d, e]) = b.get(i..i + 4) {
        let (a, c, d, e) = (
            HEX[a as usize],
            HEX[c as usize],
            HEX[d as usize],
            HEX[e as usize],
        );
        if a < 16 && c < 16 && d < 16 && e < 16 {
            return Ok(u32::from(a) << 12 | u32::from(c) << 8 | u32::from(d) << 4 | u32::from(e));
        }
    }
    // The exact error: the first byte that is missing or not a hex digit.
    for k in 0..4 {
        match b.get(i + k) {
            None => return err(ErrorKind::Eof, i + k),
            Some(&c) if HEX[c as usize] == 0xFF => return err(ErrorKind::InvalidEscape, i + k),
            Some(_) => {}
        }
    }
    err(ErrorKind::InvalidEscape, i)
}

/// What each one-character escape (`\\n`…) stands for; 0: not one.
static SIMPLE_ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t[b'b' as usize] = 0x08;
    t[b'f' as usize] = 0x0C;
    t[b'n' as usize] = b'\n';
    t[b'r' as usize] = b'\r';
    t[b't' as usize] = b'\t';
    t
};

/// The escape at `b[i] == b'\\'` when it is a one-character escape or a `\\uXXXX` outside the
/// surrogates (what a body holds almost always), without branching on which: `None` for
/// anything else, valid or not, which [`escape`] then reads.
#[inline(always)]
fn common_escape(b: &[u8], i: usize) -> Option<(usize, u32)> {
    let c = *b.get(i + 1)?;
    let simple = SIMPLE_ESCAPE[usize::from(c)];
    if simple != 0 {
        return Some((i + 2, u32::from(simple)));
    }
    let &[u, h0, h1, h2, h3] = b.get(i + 1..i + 6)? else {
        return None;
    };
    let digits = [h0, h1, h2, h3].map(|h| HEX[usize::from(h)]);
    if u != b'u' || digits.iter().any(|&d| d > 15) {
        return None;
    }
    let cp = digits.iter().fold(0u32, |cp, &d| cp << 4 | u32::from(d));
    if (0xD800..=0xDFFF).contains(&cp) {
        return None;
    }
    Some((i + 6, cp))
}

/// Writes `cp` (below U+10000, not a surrogate) at `b[w..]` as UTF-8; returns its length.
#[inline(always)]
fn put_bmp(b: &mut [u8], w: usize, cp: u32) -> usize {
    if cp < 0x80 {
        if let Some(d) = b.get_mut(w) {
            *d = cp as u8;
        }
        1
    } else if cp < 0x800 {
        if let Some([d0, d1]) = b.get_mut(w..w + 2) {
            *d0 = 0xC0 | (cp >> 6) as u8;
            *d1 = 0x80 | (cp & 0x3F) as u8;
        }
        2
    } else {
        if let Some([d0, d1, d2]) = b.get_mut(w..w + 3) {
            *d0 = 0xE0 | (cp >> 12) as u8;
            *d1 = 0x80 | (cp >> 6 & 0x3F) as u8;
            *d2 = 0x80 | (cp & 0x3F) as u8;
        }
        3
    }
}

/// Validates the escape at `b[i] == b'\\'`; returns the index after it and the code point
/// it stands for.
#[inline]
fn escape(b: &[u8], i: usize) -> Result<(usize, u32), Error> {
    let Some(&c) = b.get(i + 1) else {
        return err(ErrorKind::Eof, i + 1);
    };
    let simple = match c {
        b'"' => b'"',
        b'\\' => b'\\',
        b'/' => b'/',
        b'b' => 0x08,
        b'f' => 0x0C,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'u' => {
            let hi = hex4(b, i + 2)?;
            return match hi {
                0xD800..=0xDBFF => {
                    if b.get(i + 6) != Some(&b'\\') || b.get(i + 7) != Some(&b'u') {
                        return err(ErrorKind::LoneSurrogate, i);
                    }
                    let lo = hex4(b, i + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&lo) {
                        return err(ErrorKind::LoneSurrogate, i);
                    }
                    Ok((i + 12, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)))
                }
                0xDC00..=0xDFFF => err(ErrorKind::LoneSurrogate, i),
                _ => Ok((i + 6, hi)),
            };
        }
        _ => return err(ErrorKind::InvalidEscape, i),
    };
    Ok((i + 2, u32::from(simple)))
}

/// The index of the first `"`, `\\` or control byte at or after `i` (or `b.len()`), and whether
/// any byte before it is not ASCII.
///
/// Reads eight bytes at a time: for each byte, `x - 0x01…01 & !x & 0x80…80` flags a zero byte,
/// applied to `x ^ '"'`, to `x ^ '\\'`, and (with `0x20…20`) to bytes below 0x20. A borrow can
/// only set flags above a byte that really matches, so the lowest flag is exact.
#[inline]
pub(crate) fn next_special(b: &[u8], mut i: usize) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut high = 0u64;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let quote = x ^ (ONES * u64::from(b'"'));
        let slash = x ^ (ONES * u64::from(b'\\'));
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash)
            | (x.wrapping_sub(ONES * 0x20) & !x))
            & HIGH;
        if found != 0 {
            let at = found.trailing_zeros();
            // Only the bytes before the special one count.
            high |= x & HIGH & ((1u64 << at) - 1);
            return (i + (at / 8) as usize, high != 0);
        }
        high |= x & HIGH;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if STRING_SPECIAL[c as usize] {
            break;
        }
        high |= u64::from(c & 0x80);
        i += 1;
    }
    (i, high != 0)
}

/// Checks that `b[start..end]` (string content) is UTF-8.
#[inline(never)]
fn check_utf8(b: &[u8], start: usize, end: usize) -> Result<(), Error> {
    let run = b.get(start..end).unwrap_or_default();
    if crate::utf8::is_valid(run) {
        return Ok(());
    }
    utf8_error(run, start)
}

/// Where `run` (at `start`) stops being UTF-8.
#[cold]
fn utf8_error(run: &[u8], start: usize) -> Result<(), Error> {
    match core::str::from_utf8(run) {
        Ok(_) => Ok(()),
        Err(e) => err(ErrorKind::InvalidUtf8, start + e.valid_up_to()),
    }
}

/// Checks a run that [`next_special`] found to hold non-ASCII bytes.
#[inline]
pub(crate) fn utf8_if(non_ascii: bool, b: &[u8], start: usize, end: usize) -> Result<(), Error> {
    if non_ascii {
        check_utf8(b, start, end)
    } else {
        Ok(())
    }
}

/// Scans the string whose content starts at `start` (just after the opening quote), checking
/// escapes, control characters and UTF-8 (only strings with non-ASCII bytes pay for the last).
/// Returns the index after the closing quote and whether any escape was seen.
///
/// Every string of a body passes through here (or through the key path of
/// `Source::next_field`, which makes the same check), and every byte outside strings is matched
/// by the grammar, which accepts only ASCII: so a body that parses is UTF-8 throughout.
pub(crate) fn scan_string(b: &[u8], start: usize) -> Result<(usize, bool), Error> {
    let mut i = start;
    let mut escaped = false;
    let mut non_ascii = false;
    loop {
        let (at, high) = next_special(b, i);
        non_ascii |= high;
        i = at;
        match b.get(i) {
            None => return err(ErrorKind::Eof, i),
            Some(b'"') => {
                utf8_if(non_ascii, b, start, i)?;
                return Ok((i + 1, escaped));
            }
            Some(b'\\') => {
                escaped = true;
                i = escape(b, i)?.0;
            }
            Some(_) => return err(ErrorKind::ControlCharacter, i),
        }
    }
}

/// Writes `cp` as UTF-8 at `b[w..]`; returns the length written (0 if it does not fit, which
/// callers rule out: every escape is longer than the character it encodes).
#[inline]
fn put_char(b: &mut [u8], w: usize, cp: u32) -> usize {
    let ch = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
    match b.get_mut(w..w + ch.len_utf8()) {
        Some(dst) => ch.encode_utf8(dst).len(),
        None => 0,
    }
}

/// Reads the string whose content starts at `start`, checking it as [`scan_string`] does, and
/// decodes its escapes in place in the same pass: the decoded text is moved to start at `start`
/// (the write position never passes the read position, since every escape is longer than what
/// it decodes to). `b[start..plain]` must already be checked plain content (no escape, control
/// byte or invalid UTF-8; `plain == start` when nothing was checked): decoding resumes there.
/// Returns the index after the closing quote, the decoded length, and whether there were
/// escapes. On error, the bytes read so far may have been rewritten.
pub(crate) fn decode_string_in_place(
    b: &mut [u8],
    start: usize,
    plain: usize,
) -> Result<(usize, usize, bool), Error> {
    let (mut r, mut w) = (plain, plain);
    let mut escaped = false;
    loop {
        let (at, non_ascii) = next_special(b, r);
        // A UTF-8 sequence cannot span an escape, so each run is checked on its own, at its
        // original offsets.
        utf8_if(non_ascii, b, r, at)?;
        if escaped && at > r {
            b.copy_within(r..at, w);
        }
        w += at - r;
        r = at;
        match b.get(r) {
            None => return err(ErrorKind::Eof, r),
            Some(b'"') => return Ok((r + 1, w - start, escaped)),
            Some(b'\\') => {
                escaped = true;
                // Escapes often come in runs (a fully escaped CJK text): take them directly.
                while b.get(r) == Some(&b'\\') {
                    if let Some((next, cp)) = common_escape(b, r) {
                        w += put_bmp(b, w, cp);
                        r = next;
                        continue;
                    }
                    let (next, cp) = escape(b, r)?;
                    w += put_char(b, w, cp);
                    r = next;
                }
            }
            Some(_) => return err(ErrorKind::ControlCharacter, r),
        }
    }
}

/// The index of the first `byte` at or after `i` (or `b.len()`), eight bytes at a time.
#[inline]
pub(crate) fn find_byte(b: &[u8], mut i: usize, byte: u8) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]))
            ^ (ONES * u64::from(byte));
        let found = x.wrapping_sub(ONES) & !x & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == byte {
            break;
        }
        i += 1;
    }
    i
}

/// Calls `f` with the decoded text of raw (still escaped, validated) string content, in pieces.
pub(crate) fn for_each_unescaped<E>(
    raw: &str,
    mut f: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let run = b[i..]
            .iter()
            .position(|&c| c == b'\\')
            .unwrap_or(b.len() - i);
        if run > 0 {
            f(raw.get(i..i + run).unwrap_or_default())?;
        }
        i += run;
        if i >= b.len() {
            break;
        }
        let Ok((next, cp)) = escape(b, i) else {
            break;
        };
        let mut tmp = [0u8; 4];
        f(char::from_u32(cp)
            .unwrap_or(char::REPLACEMENT_CHARACTER)
            .encode_utf8(&mut tmp))?;
        i = next;
    }
    Ok(())
}

/// Decodes raw (escaped, validated) string content into `buf`; `None` if it does not fit.
pub(crate) fn unescape_into<'b>(raw: &str, buf: &'b mut [u8]) -> Option<&'b [u8]> {
    let mut n = 0;
    for_each_unescaped(raw, |piece| {
        let dst = buf.get_mut(n..n + piece.len()).ok_or(())?;
        dst.copy_from_slice(piece.as_bytes());
        n += piece.len();
        Ok::<(), ()>(())
    })
    .ok()?;
    buf.get(..n)
}

/// Whether raw (escaped, validated) string content decodes to exactly `target`.
pub(crate) fn unescaped_eq(raw: &str, target: &str) -> bool {
    let mut buf = [0u8; 64];
    if target.len() <= buf.len() {
        // The decoded text is never longer than the raw text; one decode, one compare.
        return match unescape_into(raw, &mut buf[..target.len().max(1)]) {
            Some(text) => same_bytes(text, target.as_bytes()),
            None => false,
        };
    }
    let mut rest = target.as_bytes();
    for_each_unescaped(raw, |piece| match rest.strip_prefix(piece.as_bytes()) {
        Some(r) => {
            rest = r;
            Ok(())
        }
        None => Err(()),
    })
    .is_ok()
        && rest.is_empty()
}

/// The shape of a scanned number.
#[derive(Clone, Copy)]
pub struct NumberToken {
    /// Index after the number.
    pub end: usize,
    /// No fraction and no exponent.
    pub integer: bool,
    /// Starts with `-`.
    pub negative: bool,
}

/// Scans a JSON number starting at `i`.
pub(crate) fn scan_number(b: &[u8], start: usize) -> Result<NumberToken, Error> {
    let mut i = start;
    let negative = b.get(i) == Some(&b'-');
    if negative {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            i += 1;
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
        }
        None => return err(ErrorKind::Eof, i),
        Some(_) => return err(ErrorKind::InvalidNumber, i),
    }
    let mut integer = true;
    if b.get(i) == Some(&b'.') {
        integer = false;
        i += 1;
        i = digits1(b, i)?;
    }
    if let Some(b'e' | b'E') = b.get(i) {
        integer = false;
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        i = digits1(b, i)?;
    }
    Ok(NumberToken {
        end: i,
        integer,
        negative,
    })
}

/// Reads the run of ASCII digits at `i`: returns its end, its value, and whether the value
/// overflowed `u64` (the end is exact either way).
///
/// Eight bytes at a time: `x ^ '0'…'0'` maps digits to 0..=9, and `(y + 0x76…76 | y) & 0x80…80`
/// flags each byte that is not (a carry only rises above a byte already flagged, so the lowest
/// flag is exact). The digits found are turned into their value with three multiplications
/// (pairs, then quads, then the eight), after shifting them up so that the missing leading
/// digits read as zeros.
#[inline]
pub(crate) fn digits(b: &[u8], mut i: usize) -> (usize, u64, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const POW10: [u64; 9] = [
        1,
        10,
        100,
        1_000,
        10_000,
        100_000,
        1_000_000,
        10_000_000,
        100_000_000,
    ];
    // A single digit (flags, small counts) needs none of the arithmetic below.
    if let (Some(&d @ b'0'..=b'9'), Some(c)) = (b.get(i), b.get(i + 1))
        && !c.is_ascii_digit()
    {
        return (i + 1, u64::from(d - b'0'), false);
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    while let Some(chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let y = u64::from_le_bytes(*chunk) ^ (ONES * u64::from(b'0'));
        let other = ((y.wrapping_add(ONES * 0x76)) | y) & (ONES * 0x80);
        let n = (other.trailing_zeros() / 8) as usize;
        if n == 0 {
            return (i, v, overflow);
        }
        // The digits to the top bytes, zeros below: an eight-digit number with leading zeros.
        let mut x = y << (8 * (8 - n));
        x = x.wrapping_mul(10).wrapping_add(x >> 8);
        x = ((x & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32))
            + ((x >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32)))
            >> 32;
        match v.checked_mul(POW10[n]).and_then(|v| v.checked_add(x)) {
            Some(next) => v = next,
            None => overflow = true,
        }
        i += n;
        if n < 8 {
            return (i, v, overflow);
        }
    }
    while let Some(&c) = b.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(c - b'0')))
        {
            Some(next) => v = next,
            None => overflow = true,
        }
        i += 1;
    }
    (i, v, overflow)
}

/// Scans a number that must also be a finite `f64` (1e400 is grammar-valid JSON, but no
/// consumer can represent it, so it is rejected wherever it appears). Returns its end.
#[inline]
pub(crate) fn scan_finite_number(b: &[u8], start: usize) -> Result<usize, Error> {
    let t = scan_number(b, start)?;
    // Integers of up to 308 digits are finite; only exponents and longer ones need a look.
    if t.integer && t.end - start <= 308 {
        return Ok(t.end);
    }
    let finite = core::str::from_utf8(b.get(start..t.end).unwrap_or_default())
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .is_some_and(f64::is_finite);
    if !finite {
        return err(ErrorKind::OutOfRange(crate::error::NumberType::F64), start);
    }
    Ok(t.end)
}

#[inline]
fn digits1(b: &[u8], mut i: usize) -> Result<usize, Error> {
    match b.get(i) {
        Some(b'0'..=b'9') => i += 1,
        None => return err(ErrorKind::Eof, i),
        Some(_) => return err(ErrorKind::InvalidNumber, i),
    }
    while let Some(b'0'..=b'9') = b.get(i) {
        i += 1;
    }
    Ok(i)
}

#[inline]
fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize, Error> {
    for (k, &w) in word.iter().enumerate() {
        match b.get(i + k) {
            Some(&c) if c == w => {}
            None => return err(ErrorKind::Eof, i + k),
            Some(_) => return err(ErrorKind::Expected(Expected::Value), i),
        }
    }
    Ok(i + word.len())
}

/// Finds the end of a string rewritten in place, which starts at `b[i] == OPEN`.
#[inline]
fn skip_rewritten(b: &[u8], i: usize) -> Result<usize, Error> {
    let end = find_byte(b, i + 1, CLOSE);
    if end >= b.len() {
        return err(ErrorKind::Eof, b.len());
    }
    Ok(end + 1)
}

/// Skips (and fully validates) one JSON value starting at or after `i`, without recursion.
/// `depth` is the nesting depth the value sits at (its containers count from `depth + 1`).
pub(crate) fn skip_value(b: &[u8], i: usize, depth: u32, trusted: bool) -> Result<usize, Error> {
    // One bit per open container: 1 = object, 0 = array.
    let mut stack = [0u64; (MAX_DEPTH as usize).div_ceil(64)];
    let mut level = 0usize;
    let mut i = skip_ws(b, i);
    'value: loop {
        match b.get(i) {
            Some(b'{') | Some(b'[') => {
                let is_obj = b[i] == b'{';
                if depth as usize + level + 1 > MAX_DEPTH as usize {
                    return err(ErrorKind::TooDeep, i);
                }
                stack[level / 64] = (stack[level / 64] & !(1 << (level % 64)))
                    | (u64::from(is_obj) << (level % 64));
                level += 1;
                i = skip_ws(b, i + 1);
                if b.get(i) == Some(if is_obj { &b'}' } else { &b']' }) {
                    level -= 1;
                    i += 1;
                } else if is_obj {
                    i = skip_ws(b, skip_key(b, i, trusted)?);
                    continue 'value;
                } else {
                    continue 'value;
                }
            }
            // Trusted bytes were checked when they were first read: only find the ends.
            Some(b'"') if trusted => i = skip_trusted_string(b, i + 1)?,
            Some(b'"') => i = scan_string(b, i + 1)?.0,
            Some(&OPEN) if trusted => i = skip_rewritten(b, i)?,
            Some(b't') => i = literal(b, i, b"true")?,
            Some(b'f') => i = literal(b, i, b"false")?,
            Some(b'n') => i = literal(b, i, b"null")?,
            Some(b'-' | b'0'..=b'9') if trusted => i = scan_number(b, i)?.end,
            Some(b'-' | b'0'..=b'9') => i = scan_finite_number(b, i)?,
            _ => return expected(Expected::Value, b, i),
        }
        // After a complete value: close containers or move to the next element.
        loop {
            if level == 0 {
                return Ok(i);
            }
            let top = level - 1;
            let is_obj = stack[top / 64] >> (top % 64) & 1 == 1;
            i = skip_ws(b, i);
            match b.get(i) {
                Some(b',') => {
                    i = skip_ws(b, i + 1);
                    if is_obj {
                        i = skip_ws(b, skip_key(b, i, trusted)?);
                    }
                    continue 'value;
                }
                Some(b'}') if is_obj => {
                    level -= 1;
                    i += 1;
                }
                Some(b']') if !is_obj => {
                    level -= 1;
                    i += 1;
                }
                _ if is_obj => return expected(Expected::CommaOrBrace, b, i),
                _ => return expected(Expected::CommaOrBracket, b, i),
            }
        }
    }
}

/// A key rewritten in [`KEY`] form at `b[i]`: its table index and the index after its colon.
#[inline]
pub(crate) fn tagged_key(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let (&index, &len) = (b.get(i + 1)?, b.get(i + 2)?);
    (len >= 4).then_some((index, i + usize::from(len)))
}

/// Skips `"key"` and the following `:`; returns the index after the colon.
#[inline]
fn skip_key(b: &[u8], i: usize, trusted: bool) -> Result<usize, Error> {
    let i = match b.get(i) {
        Some(&KEY) if trusted => {
            return tagged_key(b, i).map_or_else(|| err(ErrorKind::Eof, b.len()), |(_, e)| Ok(e));
        }
        Some(b'"') if trusted => skip_trusted_string(b, i + 1)?,
        Some(b'"') => scan_string(b, i + 1)?.0,
        Some(&OPEN) if trusted => skip_rewritten(b, i)?,
        _ => return expected(Expected::Key, b, i),
    };
    let i = skip_ws(b, i);
    match b.get(i) {
        Some(b':') => Ok(i + 1),
        _ => expected(Expected::Colon, b, i),
    }
}

/// A string found by [`find_key`]: raw content bounds (inside the quotes) and whether it holds
/// escapes (always `false` for rewritten strings, whose content is already decoded).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoundStr {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// Reads the string at `b[i]` as [`FoundStr`] and returns the index after it.
fn found_str(b: &[u8], i: usize, trusted: bool) -> Result<(FoundStr, usize), Error> {
    match b.get(i) {
        Some(b'"') => {
            let (end, escaped) = scan_string(b, i + 1)?;
            Ok((
                FoundStr {
                    start: i + 1,
                    end: end - 1,
                    escaped,
                },
                end,
            ))
        }
        Some(&OPEN) if trusted => {
            let end = skip_rewritten(b, i)?;
            Ok((
                FoundStr {
                    start: i + 1,
                    end: end - 1,
                    escaped: false,
                },
                end,
            ))
        }
        _ => expected(Expected::String, b, i),
    }
}

fn key_is(b: &[u8], k: FoundStr, key: &str) -> bool {
    let raw = b.get(k.start..k.end).unwrap_or_default();
    if !k.escaped {
        return raw == key.as_bytes();
    }
    // Validated by `scan_string`, so this is UTF-8.
    core::str::from_utf8(raw).is_ok_and(|raw| unescaped_eq(raw, key))
}

/// How [`find_key`] walks an object.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Walk {
    /// Stop at the first member named `key`.
    First,
    /// Walk (and validate) the whole object; a second member named `key` is an error.
    Whole,
}

/// Looks for a member named `key` in the object at or after `i` (at depth `depth`), whose value
/// must be a string. Returns that string and the index after the object (or after the string
/// with [`Walk::First`]). Values of other members are skipped and validated.
pub(crate) fn find_key(
    b: &[u8],
    i: usize,
    depth: u32,
    key: &'static str,
    walk: Walk,
    trusted: bool,
) -> Result<(Option<FoundStr>, usize), Error> {
    let i = skip_ws(b, i);
    if b.get(i) != Some(&b'{') {
        return expected(Expected::Object, b, i);
    }
    if depth + 1 > MAX_DEPTH {
        return err(ErrorKind::TooDeep, i);
    }
    let i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return Ok((None, i + 1));
    }
    find_in_members(b, i, depth, (key, NO_INDEX), walk, trusted)
}

/// No key table index: a [`KEY`]-form key never matches it.
const NO_INDEX: u8 = 0xFF;

/// Like [`find_key`], from the middle of an object: skips the member value at `i` (the object
/// sits at depth `depth + 1`), then looks through the members after it. In trusted bytes, a key
/// in [`KEY`] form matches when its index is `key.1` (its position in the record's key table).
pub(crate) fn find_key_after_value(
    b: &[u8],
    i: usize,
    depth: u32,
    key: (&'static str, u8),
    trusted: bool,
) -> Result<Option<FoundStr>, Error> {
    let i = skip_ws(b, skip_value(b, i, depth + 1, trusted)?);
    match b.get(i) {
        Some(b'}') => Ok(None),
        Some(b',') => {
            Ok(find_in_members(b, skip_ws(b, i + 1), depth, key, Walk::First, trusted)?.0)
        }
        _ => expected(Expected::CommaOrBrace, b, i),
    }
}

/// The members of an object from the key at `i` on; see [`find_key`].
fn find_in_members(
    b: &[u8],
    mut i: usize,
    depth: u32,
    (key, index): (&'static str, u8),
    walk: Walk,
    trusted: bool,
) -> Result<(Option<FoundStr>, usize), Error> {
    let mut found = None;
    loop {
        let key_at = i;
        let is_key = if let (Some(&KEY), true) = (b.get(i), trusted) {
            let Some((tag, after)) = tagged_key(b, i) else {
                return err(ErrorKind::Eof, b.len());
            };
            i = skip_ws(b, after);
            tag == index
        } else {
            let (k, after) = match found_str(b, i, trusted) {
                Ok(v) => v,
                Err(e) if e.kind() == ErrorKind::Expected(Expected::String) => {
                    return err(ErrorKind::Expected(Expected::Key), e.offset());
                }
                Err(e) => return Err(e),
            };
            i = skip_ws(b, after);
            if b.get(i) != Some(&b':') {
                return expected(Expected::Colon, b, i);
            }
            i = skip_ws(b, i + 1);
            key_is(b, k, key)
        };
        if is_key {
            if found.is_some() {
                return Err(Error::new(ErrorKind::DuplicateKey, key_at).in_key(key));
            }
            let (v, after) = found_str(b, i, trusted).map_err(|e| e.in_key(key))?;
            found = Some(v);
            i = after;
            if walk == Walk::First {
                return Ok((found, i));
            }
        } else {
            i = skip_value(b, i, depth + 1, trusted)?;
        }
        i = skip_ws(b, i);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return Ok((found, i + 1)),
            _ => return expected(Expected::CommaOrBrace, b, i),
        }
    }
}

/// [`skip_string_unchecked`] for bytes already checked, as an error when the string never ends.
#[inline]
fn skip_trusted_string(b: &[u8], i: usize) -> Result<usize, Error> {
    match skip_string_unchecked(b, i) {
        Some(end) => Ok(end),
        None => err(ErrorKind::Eof, b.len()),
    }
}

/// Skips a string whose content starts at `i` without checking it; `None` if it never ends.
#[inline]
fn skip_string_unchecked(b: &[u8], i: usize) -> Option<usize> {
    skip_string_unchecked_escaped(b, i).map(|(end, _)| end)
}

/// [`skip_string_unchecked`], also saying whether the string holds a backslash.
#[inline]
fn skip_string_unchecked_escaped(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
    let mut escaped = false;
    loop {
        let (at, _) = next_special(b, i);
        match b.get(at)? {
            b'"' => return Some((at + 1, escaped)),
            b'\\' => {
                escaped = true;
                i = at + 2;
            }
            _ => i = at + 1,
        }
    }
}

/// Skips the value at or after `i` without validating it: strings are jumped over and
/// containers matched by depth. Only for input that is validated completely afterwards: on
/// invalid input the answer is arbitrary (but never a panic).
fn skip_value_unchecked(b: &[u8], i: usize) -> Option<usize> {
    let mut i = skip_ws(b, i);
    match b.get(i)? {
        b'"' => skip_string_unchecked(b, i + 1),
        b'{' | b'[' => {
            let mut depth = 0usize;
            loop {
                match b.get(i)? {
                    b'"' => {
                        i = skip_string_unchecked(b, i + 1)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            while let Some(&c) = b.get(i) {
                if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                    break;
                }
                i += 1;
            }
            Some(i)
        }
    }
}

/// The first top-level member named `key`, walking forward only: the oracle the tests hold
/// [`find_key_both_ends_unchecked`] to.
#[cfg(test)]
fn find_key_unchecked(b: &[u8], key: &'static str) -> Option<FoundStr> {
    let i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    find_in_members_unchecked(b, skip_ws(b, i + 1), key)
}

/// Where [`find_key_both_ends_unchecked`] found the member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FoundFrom {
    /// Walking forward: the first member of that name.
    Front,
    /// Walking backward: the last member of that name, whose key starts at this index.
    Back(usize),
}

/// The top-level member named `key`, whose value is a string, found by walking the object
/// without validating what it skips: a fast pre-pass for callers that validate the whole body
/// afterwards (and that fall back to [`find_key`] for a precise error when this returns
/// `None`). Only the found string itself is checked.
///
/// It walks from both ends of the object, stepping over members whose value is a string,
/// number or literal first and over an array or object only when both ends face one: the
/// member sought has a string value, so the long lists of a body (message elements, members)
/// are usually never walked at all, wherever the member stands. Exact on valid JSON with one
/// such top-level member (with several: the first or the last); arbitrary, never a panic, on
/// anything else.
pub(crate) fn find_key_both_ends_unchecked(
    b: &[u8],
    key: &'static str,
) -> Option<(FoundStr, FoundFrom)> {
    // The usual body: compact, the member sought first, its value plain text.
    let start = key.len() + 5;
    if b.get(..2) == Some(b"{\"")
        && b.get(key.len() + 2..start) == Some(b"\":\"")
        && same_bytes(b.get(2..key.len() + 2).unwrap_or_default(), key.as_bytes())
    {
        // Plain ASCII only, so that the string is checked as the walk below checks it.
        let (end, non_ascii) = next_special(b, start);
        if b.get(end) == Some(&b'"') && !non_ascii {
            let found = FoundStr {
                start,
                end,
                escaped: false,
            };
            return Some((found, FoundFrom::Front));
        }
    }
    let open = skip_ws(b, 0);
    if b.get(open) != Some(&b'{') {
        return None;
    }
    // `front`: the next key from the start, with its value's start once read; `back`: just
    // past the last member not yet seen from the end (the index of the `,` or `}` after it).
    let mut front = skip_ws(b, open + 1);
    let mut front_value = None;
    let mut back = ws_before(b, b.len()).checked_sub(1)?;
    if b.get(back) != Some(&b'}') {
        return None;
    }
    loop {
        if front > back {
            // The walks have met: no such member at the top level.
            return None;
        }
        let value = match front_value {
            Some(value) => value,
            None => {
                let (k, value) = member_unchecked(b, front)?;
                if key_is(b, k, key) {
                    return Some((found_str(b, value, false).ok()?.0, FoundFrom::Front));
                }
                front_value = Some(value);
                value
            }
        };
        let value_end = ws_before(b, back);
        let front_container = matches!(b.get(value), Some(b'{' | b'['));
        let back_container = matches!(
            value_end.checked_sub(1).and_then(|i| b.get(i)),
            Some(b'}' | b']')
        );
        if front_container && !back_container {
            // One member backward: value, colon, key, then `,` or `{`.
            let value = value_start_rev_unchecked(b, value_end)?;
            let colon = ws_before(b, value).checked_sub(1)?;
            if b.get(colon) != Some(&b':') {
                return None;
            }
            let key_end = ws_before(b, colon).checked_sub(1)?;
            if b.get(key_end) != Some(&b'"') {
                return None;
            }
            let key_start = string_start_rev_unchecked(b, key_end)?;
            if key_start < front {
                return None;
            }
            let raw = b.get(key_start + 1..key_end)?;
            let k = FoundStr {
                start: key_start + 1,
                end: key_end,
                escaped: raw.contains(&b'\\'),
            };
            if key_is(b, k, key) {
                let (v, _) = found_str(b, value, false).ok()?;
                return Some((v, FoundFrom::Back(key_start)));
            }
            let before = ws_before(b, key_start).checked_sub(1)?;
            match b.get(before)? {
                b',' => back = before,
                _ => return None,
            }
        } else {
            // One member forward.
            let after = skip_ws(b, skip_value_unchecked(b, value)?);
            match b.get(after)? {
                b',' => {
                    front = skip_ws(b, after + 1);
                    front_value = None;
                }
                _ => return None,
            }
        }
    }
}

/// The index just past the last byte before `end` that is not JSON whitespace (0 if none).
#[inline]
fn ws_before(b: &[u8], mut end: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = end.checked_sub(1).and_then(|i| b.get(i)) {
        end -= 1;
    }
    end
}

/// The index of the last `"` before `end` (eight bytes at a time, from the back). Flags are
/// exact here: `(x & 0x7F…7F) + 0x7F…7F | x` sets a byte's high bit exactly when the byte is
/// not zero, with no carry between bytes, so the highest flag is a real match.
#[inline]
fn quote_before(b: &[u8], mut end: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    while end >= 8 {
        let chunk = b.get(end - 8..end)?.first_chunk::<8>()?;
        let x = u64::from_le_bytes(*chunk) ^ (ONES * u64::from(b'"'));
        let zero = !(((x & LOW).wrapping_add(LOW)) | x) & !LOW;
        if zero != 0 {
            return Some(end - 8 + (7 - zero.leading_zeros() as usize / 8));
        }
        end -= 8;
    }
    b.get(..end)?.iter().rposition(|&c| c == b'"')
}

/// The opening quote of the string whose closing quote is at `close`, without checking it: the
/// nearest `"` before it that is not escaped (not preceded by an odd run of backslashes). In
/// valid JSON every `"` inside a string is escaped, so that quote opens it.
fn string_start_rev_unchecked(b: &[u8], close: usize) -> Option<usize> {
    let mut end = close;
    loop {
        let q = quote_before(b, end)?;
        let slashes = b
            .get(..q)?
            .iter()
            .rev()
            .take_while(|&&c| c == b'\\')
            .count();
        if slashes % 2 == 0 {
            return Some(q);
        }
        end = q;
    }
}

/// The start of the value whose last byte is at `end - 1`, walking back without validating:
/// strings to their opening quote, containers to their matching bracket (over the strings in
/// them), numbers and literals to the byte after the token before them.
fn value_start_rev_unchecked(b: &[u8], end: usize) -> Option<usize> {
    let last = end.checked_sub(1)?;
    match *b.get(last)? {
        b'"' => string_start_rev_unchecked(b, last),
        b'}' | b']' => {
            let mut depth = 0usize;
            let mut i = last;
            loop {
                match *b.get(i)? {
                    b'"' => i = string_start_rev_unchecked(b, i)?,
                    b'}' | b']' => depth += 1,
                    b'{' | b'[' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i);
                        }
                    }
                    _ => {}
                }
                i = i.checked_sub(1)?;
            }
        }
        _ => {
            let mut i = last;
            while let Some(c) = i.checked_sub(1).and_then(|p| b.get(p)) {
                if matches!(c, b',' | b':' | b'[' | b'{' | b' ' | b'\n' | b'\r' | b'\t') {
                    break;
                }
                i -= 1;
            }
            Some(i)
        }
    }
}

/// Like [`find_key_after_value`] on raw input, without validating what it skips (see
/// [`find_key_both_ends_unchecked`]): for look-aheads whose region is validated when it is read.
pub(crate) fn find_key_after_value_unchecked(
    b: &[u8],
    i: usize,
    key: &'static str,
) -> Option<FoundStr> {
    let i = skip_ws(b, skip_value_unchecked(b, i)?);
    match b.get(i)? {
        b',' => find_in_members_unchecked(b, skip_ws(b, i + 1), key),
        _ => None,
    }
}

/// The key at `i` (its `"`) and the start of its value, past the colon, without checking the
/// key; `None` if they are not there.
#[inline]
fn member_unchecked(b: &[u8], i: usize) -> Option<(FoundStr, usize)> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let (end, escaped) = skip_string_unchecked_escaped(b, i + 1)?;
    let k = FoundStr {
        start: i + 1,
        end: end - 1,
        escaped,
    };
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return None;
    }
    Some((k, skip_ws(b, colon + 1)))
}

/// The members of an object from the key at `i` on, for the unchecked finders.
fn find_in_members_unchecked(b: &[u8], mut i: usize, key: &'static str) -> Option<FoundStr> {
    loop {
        let (k, value) = member_unchecked(b, i)?;
        if key_is(b, k, key) {
            return found_str(b, value, false).ok().map(|(v, _)| v);
        }
        i = skip_ws(b, skip_value_unchecked(b, value)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;

    #[test]
    fn unescape_decodes_every_escape_kind() {
        // Decoding from the start, or resuming after the plain "a".
        for plain in [0, 1] {
            let mut s = *br#"a\"b\\c\/d\be\ff\ng\rh\ti\u00e9\u4e2d\ud83d\ude00""#;
            assert_eq!(scan_string(&s, 0), Ok((s.len(), true)));
            let (end, n, escaped) = decode_string_in_place(&mut s, 0, plain).unwrap();
            assert_eq!((end, escaped), (s.len(), true));
            assert_eq!(
                core::str::from_utf8(&s[..n]).unwrap(),
                "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti\u{e9}\u{4e2d}\u{1f600}"
            );
        }
    }

    #[test]
    fn common_escapes_agree_with_the_full_reader() {
        // Every byte after the backslash; then every code point as `\uXXXX`, in lower and upper
        // case hex (a slice of them under Miri), with a bad digit at each position.
        for c in 0..=255u8 {
            let s = [b'\\', c, b'0', b'0', b'4', b'1', b'"'];
            match common_escape(&s, 0) {
                Some(got) => assert_eq!(Ok(got), escape(&s, 0), "{c:02x}"),
                None => assert!(c == b'u' || escape(&s, 0).is_err(), "{c:02x}"),
            }
        }
        let step = if cfg!(miri) { 257 } else { 1 };
        for cp in (0..=0xFFFFu32).step_by(step) {
            for hex in [std::format!("\\u{cp:04x}"), std::format!("\\u{cp:04X}")] {
                let s = hex.as_bytes();
                let want = escape(s, 0).unwrap_or((0, u32::MAX));
                match common_escape(s, 0) {
                    Some(got) => assert_eq!(got, want, "{hex}"),
                    None => assert!((0xD800..=0xDFFF).contains(&cp), "{hex}"),
                }
                let mut bad = hex.clone().into_bytes();
                for k in 2..6 {
                    let keep = bad[k];
                    bad[k] = b'g';
                    assert_eq!(common_escape(&bad, 0), None, "{hex} {k}");
                    bad[k] = keep;
                }
                // Cut short: nothing read past the end.
                assert_eq!(common_escape(&s[..5], 0), None, "{hex}");
            }
            if let Some(ch) = char::from_u32(cp) {
                let mut want = [0u8; 4];
                let want = ch.encode_utf8(&mut want).as_bytes();
                let mut got = [0u8; 6];
                let n = put_bmp(&mut got, 1, cp);
                assert_eq!(&got[1..1 + n], want, "{cp:x}");
            }
        }
    }

    #[test]
    fn lone_surrogates_are_rejected() {
        for s in [
            &br#"\ud800""#[..],
            br#"\udc00""#,
            br#"\ud800\u0041""#,
            br#"\ud800x""#,
        ] {
            assert_eq!(
                scan_string(s, 0).unwrap_err().kind(),
                ErrorKind::LoneSurrogate
            );
        }
    }

    #[test]
    fn skip_value_rejects_deep_nesting_without_recursion() {
        let deep = [b'['; 100_000];
        assert_eq!(
            skip_value(&deep, 0, 0, false).unwrap_err().kind(),
            ErrorKind::TooDeep
        );
        let mut ok = [0u8; 2 * MAX_DEPTH as usize];
        ok[..MAX_DEPTH as usize].fill(b'[');
        ok[MAX_DEPTH as usize..].fill(b']');
        assert_eq!(skip_value(&ok, 0, 0, false), Ok(ok.len()));
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for good in ["0", "-0", "12", "1.5", "1e5", "-1.25E-3", "0.0"] {
            let t = scan_number(good.as_bytes(), 0).unwrap();
            assert_eq!(t.end, good.len(), "{good}");
        }
        for bad in ["-", "1.", ".5", "1e", "1e+", "-a", "+1"] {
            assert!(
                scan_number(bad.as_bytes(), 0).is_err()
                    || scan_number(bad.as_bytes(), 0).unwrap().end != bad.len(),
                "{bad}"
            );
        }
    }

    #[test]
    fn find_byte_agrees_with_position() {
        for len in 0..30 {
            for at in 0..=len {
                let mut b = [0x20u8; 30];
                if at < len {
                    b[at] = 0xF9;
                }
                let want = b[..len].iter().position(|&c| c == 0xF9).unwrap_or(len);
                assert_eq!(find_byte(&b[..len], 0, 0xF9), want);
            }
        }
    }

    #[test]
    fn same_bytes_agrees_with_slice_equality() {
        // Every length up to 40, equal and differing at each position.
        let a: [u8; 40] = core::array::from_fn(|i| b'a' + (i % 26) as u8);
        for n in 0..=40 {
            assert!(same_bytes(&a[..n], &a[..n]));
            for at in 0..n {
                let mut b = a;
                b[at] ^= 0x20;
                assert!(!same_bytes(&a[..n], &b[..n]), "{n} {at}");
            }
            if n > 0 {
                assert!(!same_bytes(&a[..n], &a[..n - 1]));
            }
        }
    }

    #[test]
    fn next_special_finds_the_first_special_byte_and_non_ascii_before_it() {
        // Against a byte-by-byte oracle, for every position of each kind of special byte.
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for len in 0..40 {
                for at in 0..=len {
                    let mut b = [b'x'; 40];
                    let mut with_high = b;
                    if at < len {
                        b[at] = special;
                        with_high[at] = special;
                    }
                    if at > 0 {
                        with_high[at - 1] = 0xC3;
                    }
                    let want = b[..len]
                        .iter()
                        .position(|&c| STRING_SPECIAL[c as usize])
                        .unwrap_or(len);
                    assert_eq!(
                        next_special(&b[..len], 0),
                        (want, false),
                        "{special} {len} {at}"
                    );
                    assert_eq!(
                        next_special(&with_high[..len], 0),
                        (want, at > 0),
                        "{special} {len} {at}"
                    );
                    // Non-ASCII after the special byte does not count.
                    let mut after = b;
                    if at + 1 < len {
                        after[at + 1] = 0xC3;
                        assert_eq!(
                            next_special(&after[..len], 0),
                            (want, at >= len),
                            "{len} {at}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn digits_agree_with_a_byte_loop() {
        // Every run length up to 25 (chunks, tails, overflow past 20 digits), every stop byte
        // class (including bytes just outside '0'..='9' and ones whose carry could spill), at
        // every alignment against the end of the slice.
        fn oracle(b: &[u8], i: usize) -> (usize, u64, bool) {
            let end = b[i..]
                .iter()
                .position(|c| !c.is_ascii_digit())
                .map_or(b.len(), |n| i + n);
            let s = core::str::from_utf8(&b[i..end]).unwrap();
            match s.parse::<u64>() {
                Ok(v) => (end, v, false),
                Err(_) if s.is_empty() => (end, 0, false),
                Err(_) => (end, 0, true),
            }
        }
        let pattern = b"9876543210123456789018446744073709551615";
        for len in 0..=25 {
            for stop in [
                None,
                Some(b'/'),
                Some(b':'),
                Some(b'.'),
                Some(0xFF),
                Some(0x89),
                Some(b' '),
            ] {
                for tail in 0..10 {
                    for offset in [0usize, 20] {
                        let mut b = std::vec![b'x'; 1];
                        b.extend_from_slice(&pattern[offset..offset + len.min(20)]);
                        b.extend(core::iter::repeat_n(b'7', len.saturating_sub(20)));
                        if let Some(c) = stop {
                            b.push(c);
                        }
                        b.extend(core::iter::repeat_n(b'5', tail));
                        let got = digits(&b, 1);
                        let want = oracle(&b, 1);
                        assert_eq!(got.0, want.0, "{b:?}");
                        assert_eq!(got.2, want.2, "{b:?}");
                        if !want.2 {
                            assert_eq!(got.1, want.1, "{b:?}");
                        }
                    }
                }
            }
        }
        // u64::MAX exactly, and one past it.
        assert_eq!(digits(b"18446744073709551615,", 0), (20, u64::MAX, false));
        assert!(digits(b"18446744073709551616,", 0).2);
    }

    #[test]
    fn both_ends_finds_what_the_forward_walk_finds() {
        use std::format;
        use std::string::String;
        use std::vec::Vec;
        // Values that a backward walk must get right: escaped quotes and trailing backslashes,
        // brackets and decoy keys inside strings and nested objects, numbers and literals,
        // empty containers.
        let values = [
            r#""plain""#,
            r#""q\"uote\"""#,
            r#""ends in a backslash\\""#,
            r#""\\\"\\""#,
            r#""} ] { [ , : \"CallbackCommand\":\"X\"""#,
            r#"{"CallbackCommand":"Nested.One","a":[1,{"b":"}"}]}"#,
            r#"[{"CallbackCommand":"In.List"},"]",[[]],{}]"#,
            "-12.5e+3",
            "0",
            "true",
            "null",
            "{}",
            "[]",
            r#""中文\u4e2d""#,
        ];
        let spaces = ["", " ", "\n  ", "\t\r\n "];
        // The command's value: plain, escaped (both the fast path for a compact body whose
        // first member is the command, and the walk behind it, must get it right).
        let commands = [r#""C2C.X""#, r#""C2\u0043.X""#, r#""a\"b\\""#, r#""""#];
        // Every combination natively; a slice of them under Miri, which is slow at this.
        let (members, kinds, spacings) = if cfg!(miri) {
            (4, 5, 2)
        } else {
            (6, values.len(), 4)
        };
        let mut checked = 0;
        for n in 0..members {
            for at in 0..=n {
                for vi in 0..kinds {
                    for ws in &spaces[..spacings] {
                        // `n` members; the command at `at` (== n: absent).
                        let mut members: Vec<String> = (0..n)
                            .map(|k| {
                                let v = values[(vi + k * 5) % values.len()];
                                format!("{ws}\"k{k}\"{ws}:{ws}{v}{ws}")
                            })
                            .collect();
                        if at < n {
                            let command = commands[(vi + n) % commands.len()];
                            members[at] = format!("{ws}\"CallbackCommand\"{ws}:{ws}{command}{ws}");
                        }
                        let body = format!("{ws}{{{}}}{ws}", members.join(","));
                        let b = body.as_bytes();
                        assert!(
                            serde_json::from_str::<serde_json::Value>(&body).is_ok(),
                            "{body}"
                        );
                        let forward = find_key_unchecked(b, "CallbackCommand");
                        let both = find_key_both_ends_unchecked(b, "CallbackCommand");
                        assert_eq!(forward.is_some(), at < n, "{body}");
                        match (forward, both) {
                            (Some(f), Some((g, _))) => {
                                assert_eq!(
                                    (f.start, f.end, f.escaped),
                                    (g.start, g.end, g.escaped),
                                    "{body}"
                                )
                            }
                            (None, None) => {}
                            (f, g) => panic!("{body}: forward {f:?}, both ends {g:?}"),
                        }
                        if let Some((_, FoundFrom::Back(key))) = both {
                            assert_eq!(&b[key..key + 17], b"\"CallbackCommand\"", "{body}");
                        }
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked >= if cfg!(miri) { 100 } else { 1000 });
        // Not objects, or cut short: nothing, and no panic.
        for body in [
            "", "[]", "{", "}", "{\"a\":1", "\"x\"", "{\"a\":}", "{,}", "{\"\\\"}",
        ] {
            assert!(
                find_key_both_ends_unchecked(body.as_bytes(), "CallbackCommand").is_none(),
                "{body}"
            );
        }
    }

    #[test]
    fn quote_before_finds_the_last_quote() {
        for len in 0..40 {
            for at in 0..=len {
                let mut b = [b'x'; 41];
                if at < len {
                    b[at] = b'"';
                }
                // A decoy just after the range must not count.
                b[len] = b'"';
                let want = b[..len].iter().rposition(|&c| c == b'"');
                assert_eq!(quote_before(&b, len), want, "{len} {at}");
            }
        }
    }

    #[test]
    fn skip_ws_agrees_with_position() {
        // Every run length (short, eight-byte blocks, tails) of every whitespace character
        // mix, stopped by each kind of byte, including ones a carry could confuse.
        let ws = [b' ', b'\n', b'\r', b'\t'];
        for len in 0..40 {
            for stop in [
                None,
                Some(b'x'),
                Some(0x00),
                Some(0x1F),
                Some(0x21),
                Some(0x8A),
                Some(0xA0),
            ] {
                // Mixes of all four (seeds 0–3); an indent, spaces only (4); spaces with one
                // other whitespace byte in the middle (5–7).
                for seed in 0..8 {
                    let mut buf = [b'y'; 48];
                    for (k, c) in buf[..len].iter_mut().enumerate() {
                        *c = match seed {
                            0..4 => ws[(k * 7 + seed) % 4],
                            _ if k == len / 2 && seed > 4 => ws[seed - 4],
                            _ => b' ',
                        };
                    }
                    let mut n = len;
                    if let Some(c) = stop {
                        buf[n] = c;
                        n += 1;
                    }
                    buf[n..n + 2].copy_from_slice(b"  ");
                    let b = &buf[..n + 3];
                    for from in 0..=len.min(3) {
                        let want = b[from..]
                            .iter()
                            .position(|c| !ws.contains(c))
                            .map_or(b.len(), |p| from + p);
                        assert_eq!(skip_ws(b, from), want, "{len} {stop:?} {seed} {from}");
                    }
                }
            }
        }
        assert_eq!(skip_ws(b"", 0), 0);
        assert_eq!(skip_ws(b"   ", 1), 3);
    }

    #[test]
    fn unchecked_skip_agrees_with_the_validating_skip() {
        // Brackets and braces inside strings, escapes, nesting, and what follows the value.
        let values: [&[u8]; 8] = [
            br#"{"Yy_":"}]{[","a":[1,{"b":"\"}"}],"c":{}}"#,
            br#"[[[["yYy_\u005d"]]],{"_":true},null,-1.5e3]"#,
            br#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"a]}\"b"}}"#,
            br#"[]"#,
            br#"{}"#,
            br#"[{"Type":1,"URL":"https://example.com/y_Y?x=[1]"},{"Type":2}]"#,
            br#""just a string with ] and }""#,
            br#"{"k":[{"k":[{"k":[{"k":"yyyyyyyyyyyyyyyyyyyy"}]}]}]}"#,
        ];
        for v in values {
            for pad in 0..9 {
                let mut buf = [b' '; 128];
                buf[..v.len()].copy_from_slice(v);
                buf[v.len() + pad] = b',';
                let b = &buf[..v.len() + pad + 1];
                let checked = skip_value(b, 0, 0, false).unwrap();
                assert_eq!(skip_value_unchecked(b, 0), Some(checked), "{pad}");
            }
        }
    }

    #[test]
    fn unescaped_eq_compares_decoded_text() {
        assert!(unescaped_eq(r"Call\u0062ackCommand", "CallbackCommand"));
        assert!(!unescaped_eq(r"Call\u0062ack", "CallbackCommand"));
        assert!(!unescaped_eq(r"Call\u0062ackCommandX", "CallbackCommand"));
    }
}

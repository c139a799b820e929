//! Strings: scanning, escapes, UTF-8 checks, and decoding in place into the rewritten form
//! (see [`super::format`]).

use super::*;
use crate::error::{Error, ErrorKind};
use crate::word::{HIGH, ONES};

/// Bytes that end a run of plain string content: `"`, `\`, and controls below 0x20.
pub(super) static STRING_SPECIAL: [bool; 256] = {
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

/// Hex digit values; 0xFF for bytes that are not hex digits.
pub(super) static HEX: [u8; 256] = {
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
pub(super) fn hex4(b: &[u8], i: usize) -> Result<u32, Error> {
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
pub(super) static SIMPLE_ESCAPE: [u8; 256] = {
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
pub(super) fn common_escape(b: &[u8], i: usize) -> Option<(usize, u32)> {
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
pub(super) fn put_bmp(b: &mut [u8], w: usize, cp: u32) -> usize {
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
/// it stands for. The usual escapes go by table ([`common_escape`]); the rest (surrogate pairs,
/// every error, with its exact offset) through [`escape_full`].
#[inline]
pub(super) fn escape(b: &[u8], i: usize) -> Result<(usize, u32), Error> {
    match common_escape(b, i) {
        Some(found) => Ok(found),
        None => escape_full(b, i),
    }
}

/// [`escape`] without the table: every escape JSON defines, read branch by branch (and the
/// oracle the table is tested against).
#[inline]
pub(super) fn escape_full(b: &[u8], i: usize) -> Result<(usize, u32), Error> {
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
    let mut high = 0u64;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        let found = special_flags(x);
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

/// Checks that `b[start..end]` (string content that holds a non-ASCII byte) is UTF-8.
#[inline(never)]
pub(super) fn check_utf8(b: &[u8], start: usize, end: usize) -> Result<(), Error> {
    let run = b.get(start..end).unwrap_or_default();
    if crate::utf8::is_valid_non_ascii(run) {
        return Ok(());
    }
    utf8_error(run, start)
}

/// Where `run` (at `start`) stops being UTF-8.
#[cold]
pub(super) fn utf8_error(run: &[u8], start: usize) -> Result<(), Error> {
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
                // Escapes often come in runs (a fully escaped text): the next one is taken here
                // rather than by a word scan that would stop at once.
                while b.get(i) == Some(&b'\\') {
                    i = escape(b, i)?.0;
                }
            }
            Some(_) => return err(ErrorKind::ControlCharacter, i),
        }
    }
}

/// Writes `cp` as UTF-8 at `b[w..]`; returns the length written (0 if it does not fit, which
/// callers rule out: every escape is longer than the character it encodes).
#[inline]
pub(super) fn put_char(b: &mut [u8], w: usize, cp: u32) -> usize {
    let ch = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
    match b.get_mut(w..w + ch.len_utf8()) {
        Some(dst) => ch.encode_utf8(dst).len(),
        None => 0,
    }
}

/// Flags (bit 7 of each byte) the bytes of `x` that end a run of plain string content: `"`,
/// `\\` and controls below 0x20. See [`next_special`] for why the lowest flag is exact.
#[inline(always)]
fn special_flags(x: u64) -> u64 {
    let quote = x ^ (ONES * u64::from(b'"'));
    let slash = x ^ (ONES * u64::from(b'\\'));
    ((quote.wrapping_sub(ONES) & !quote)
        | (slash.wrapping_sub(ONES) & !slash)
        | (x.wrapping_sub(ONES * 0x20) & !x))
        & HIGH
}

/// Reads the string whose content starts at `start`, checking it as [`scan_string`] does, and
/// decodes its escapes in place in the same pass: the decoded text is moved to start at `start`
/// (the write position never passes the read position, since every escape is longer than what
/// it decodes to). `b[start..plain]` must already be scanned plain content (no escape or control
/// byte; `plain == start` when nothing was scanned), holding a non-ASCII byte when
/// `plain_non_ascii`: decoding resumes at `plain`, and that content is checked for UTF-8 with
/// the first run.
/// Returns the index after the closing quote, the decoded length, and whether there were
/// escapes. On error, the bytes read so far may have been rewritten.
///
/// Plain content is scanned and moved eight bytes at a time in one step: a word is loaded at
/// the read position `r` and stored at the write position `w`. A word with no special byte is
/// consumed whole, so its store (within `b[w..r + 8]`) covers only bytes already read. A word
/// whose special byte is at `k` is stored whole when the store ends before that byte (`w + 8 <=
/// r + k`: once escapes have put `w` eight bytes behind), else blended with the bytes at `w`, so
/// that only its first `k` bytes are written and every byte from the special one on is left to
/// be read. The special byte itself is taken from the loaded word.
///
/// The runs of plain content that hold non-ASCII bytes are checked for UTF-8 where they were
/// moved to, all together when the string closes (or eight at a time): so an `Ok` means every
/// run was checked. A bad byte is reported at its offset in the input, and never later than
/// [`scan_string`] would report its own first error.
///
/// After a short run and its escapes, escape-dense blocks are decoded sixteen bytes at a time
/// where the CPU allows ([`super::dense`]); a block with non-ASCII bytes is checked for UTF-8
/// there, before it is written, and any block that fails is left to this loop, whose runs are
/// checked as above.
pub(crate) fn decode_string_in_place(
    b: &mut [u8],
    start: usize,
    plain: usize,
    plain_non_ascii: bool,
) -> Result<(usize, usize, bool), Error> {
    decode_in_place::<true>(b, start, plain, plain_non_ascii)
}

/// [`decode_string_in_place`], with the sixteen-byte blocks when `DENSE` (without: the
/// definition they are tested against).
#[inline(always)]
pub(super) fn decode_in_place<const DENSE: bool>(
    b: &mut [u8],
    start: usize,
    plain: usize,
    plain_non_ascii: bool,
) -> Result<(usize, usize, bool), Error> {
    let (mut r, mut w) = (plain, plain);
    let mut escaped = false;
    // The run of plain content being moved: where it started (read and write positions), and
    // the OR of its bytes (its high bits say whether it holds non-ASCII bytes). The first run
    // starts with the content scanned before.
    let (mut run_r, mut run_w) = (start, start);
    let mut high = if plain_non_ascii { HIGH } else { 0 };
    // The runs with non-ASCII bytes not yet checked. They are checked as one stretch of output
    // when the string closes (or this fills up): the text decoded between them is whole
    // characters, none starting with a continuation byte, so the stretch is UTF-8 exactly when
    // each run is. One check per string is much cheaper than one per run on text with a few
    // escapes.
    let mut pending = [MovedRun::default(); PENDING_RUNS];
    let mut pending_len = 0;
    loop {
        let special;
        if let Some(&chunk) = b.get(r..).and_then(|s| s.first_chunk::<8>()) {
            let x = u64::from_le_bytes(chunk);
            let found = special_flags(x);
            // `w <= r`, so `b[w..w + 8]` is in bounds whenever `b[r..r + 8]` is.
            let dst = b.get_mut(w..).and_then(|d| d.first_chunk_mut::<8>());
            if found == 0 {
                if let Some(dst) = dst {
                    *dst = chunk;
                }
                high |= x;
                r += 8;
                w += 8;
                continue;
            }
            // The special byte's flag is bit `8k + 7`.
            let bits = found.trailing_zeros() - 7;
            let keep = (1u64 << bits) - 1;
            let k = (bits / 8) as usize;
            high |= x & keep;
            if let Some(dst) = dst {
                let y = if w + 8 <= r + k {
                    x
                } else {
                    (x & keep) | (u64::from_le_bytes(*dst) & !keep)
                };
                *dst = y.to_le_bytes();
            }
            r += k;
            w += k;
            special = (x >> bits) as u8;
        } else {
            // The last bytes of the buffer, one at a time.
            match b.get(r) {
                None => return err(ErrorKind::Eof, r),
                Some(&c) if !STRING_SPECIAL[usize::from(c)] => {
                    high |= u64::from(c);
                    if let Some(d) = b.get_mut(w) {
                        *d = c;
                    }
                    r += 1;
                    w += 1;
                    continue;
                }
                Some(&c) => special = c,
            }
        }
        let short_run = r - run_r < 16;
        // The run ends here. A UTF-8 sequence cannot span an escape, so each run can be checked
        // on its own (where it now is; errors give its original offsets): a run with non-ASCII
        // bytes joins the pending ones, checked before the string is accepted.
        if high & HIGH != 0 {
            if pending_len == PENDING_RUNS {
                check_runs(b, &pending)?;
                pending_len = 0;
            }
            if let Some(slot) = pending.get_mut(pending_len) {
                *slot = MovedRun {
                    input: run_r,
                    from: run_w,
                    to: w,
                };
            }
            pending_len += 1;
            high = 0;
        }
        match special {
            b'\\' => {}
            b'"' => {
                check_runs(b, pending.get(..pending_len).unwrap_or_default())?;
                return Ok((r + 1, w - start, escaped));
            }
            _ => return err(ErrorKind::ControlCharacter, r),
        }
        escaped = true;
        // Escapes often come in runs (a fully escaped CJK text): take them directly.
        loop {
            // The table's escapes are below U+10000: the short writer; the rest in full.
            if let Some((next, cp)) = common_escape(b, r) {
                w += put_bmp(b, w, cp);
                r = next;
            } else {
                let (next, cp) = escape_full(b, r)?;
                w += put_char(b, w, cp);
                r = next;
            }
            match b.get(r) {
                Some(b'\\') => {}
                Some(b'"') => {
                    check_runs(b, pending.get(..pending_len).unwrap_or_default())?;
                    return Ok((r + 1, w - start, escaped));
                }
                // A lone `:` or `,` between two escapes (`\":\"`, `\",\"`: JSON held in a
                // string) is moved here rather than by a word step of its own.
                _ => match b.get(r..r + 2) {
                    Some(&[c @ (b':' | b','), b'\\']) => {
                        if let Some(d) = b.get_mut(w) {
                            *d = c;
                        }
                        r += 1;
                        w += 1;
                    }
                    _ => break,
                },
            }
        }
        if DENSE && short_run {
            // Escapes a few bytes apart: the blocks that follow may be escape-dense too.
            (r, w) = super::simd::dense::run(b, r, w);
        }
        (run_r, run_w) = (r, w);
    }
}

/// How many runs [`decode_string_in_place`] keeps before checking them.
const PENDING_RUNS: usize = 8;

/// A run of plain content that [`decode_string_in_place`] moved: where it started in the input,
/// and where it now is (`from..to`).
#[derive(Clone, Copy, Default)]
struct MovedRun {
    input: usize,
    from: usize,
    to: usize,
}

/// Checks the output of `runs` (in order, with only whole decoded characters between them) as
/// one stretch; on failure, finds the run at fault, for the error's offset in the input.
fn check_runs(b: &[u8], runs: &[MovedRun]) -> Result<(), Error> {
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return Ok(());
    };
    let stretch = b.get(first.from..last.to);
    if crate::utf8::is_valid_non_ascii(stretch.unwrap_or_default()) {
        return Ok(());
    }
    // Then each run on its own (`utf8_error` passes the valid ones).
    runs.iter()
        .try_for_each(|run| utf8_error(b.get(run.from..run.to).unwrap_or_default(), run.input))
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

/// Decodes raw (escaped, validated) string content into `buf`; `None` if it does not fit (or,
/// on content that was not validated, at a malformed escape).
///
/// Plain runs are copied whole and escapes written straight into `buf`, so that an escaped
/// command or key (every character a `\uXXXX`) costs no call and no copy per character.
pub(crate) fn unescape_into<'b>(raw: &[u8], buf: &'b mut [u8]) -> Option<&'b [u8]> {
    let (mut i, mut n) = (0, 0);
    while i < raw.len() {
        if raw.get(i) != Some(&b'\\') {
            let run = find_byte(raw, i, b'\\');
            let piece = raw.get(i..run)?;
            buf.get_mut(n..n + piece.len())?.copy_from_slice(piece);
            n += piece.len();
            i = run;
            continue;
        }
        let (next, cp) = escape(raw, i).ok()?;
        i = next;
        // ASCII (what an escaped command or key decodes to) is one byte.
        if let (Ok(c @ 0..0x80), Some(d)) = (u8::try_from(cp), buf.get_mut(n)) {
            *d = c;
            n += 1;
            continue;
        }
        let ch = char::from_u32(cp)?;
        ch.encode_utf8(buf.get_mut(n..n + ch.len_utf8())?);
        n += ch.len_utf8();
    }
    buf.get(..n)
}

/// Whether raw (escaped) string content decodes to exactly `target`. Content that was not
/// validated may be passed: only text equal to `target` (UTF-8) matches.
pub(crate) fn unescaped_eq(raw: &[u8], target: &str) -> bool {
    let mut buf = [0u8; 64];
    if target.len() <= buf.len() {
        // The decoded text is never longer than the raw text; one decode, one compare.
        return match unescape_into(raw, &mut buf[..target.len().max(1)]) {
            Some(text) => same_bytes(text, target.as_bytes()),
            None => false,
        };
    }
    let Ok(raw) = core::str::from_utf8(raw) else {
        return false;
    };
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

//! The in-place format: what the first read writes into the buffer so that lists can be read
//! again cheaply, and the second read's side of it. Everything that knows the marker bytes
//! [`OPEN`], [`CLOSE`] and [`KEY`] and the notes is here.
//!
//! # The invariant
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

use super::skip_ws;

/// Opens a string that was unescaped in place.
pub(crate) const OPEN: u8 = 0xF8;

/// Closes a string that was unescaped in place.
pub(crate) const CLOSE: u8 = 0xF9;

/// Opens a key rewritten in place (see the invariant).
pub(crate) const KEY: u8 = 0xFA;

/// A key rewritten in [`KEY`] form at `b[i]`: its table index and the index after its colon.
#[inline]
pub(crate) fn tagged_key(b: &[u8], i: usize) -> Option<(u8, usize)> {
    let (&index, &len) = (b.get(i + 1)?, b.get(i + 2)?);
    (len >= 4).then_some((index, i + usize::from(len)))
}

/// No key table index: a [`KEY`]-form key never matches it.
pub(super) const NO_INDEX: u8 = 0xFF;

// ---------------------------------------------------------------------------------------------
// Notes and the second read

/// Writes a note into the [`KEY`]-form key at `buf[key]` (see the invariant above):
/// `a` alone, in up to four bytes, or `a` and `b` in four bytes each. Values are stored plus one;
/// a note that does not fit is written as zeros, which mean "no note" (the second read then
/// scans, as it would without one). Every value that reads a note writes one here first, so
/// the note bytes never keep the key's old text where a note is read.
pub(crate) fn write_note(buf: &mut [u8], key: usize, a: usize, b: Option<usize>) {
    let Some(&len) = buf.get(key + 2) else {
        return;
    };
    let Some(note) = buf.get_mut(key + 3..key + usize::from(len)) else {
        return;
    };
    let fit = |v: usize| u32::try_from(v + 1).unwrap_or(0);
    // Fixed-size stores: a variable-length copy would be a call into `memcpy`.
    if let Some(b) = b {
        match note.first_chunk_mut::<8>() {
            Some(two) => {
                let (a, b) = (fit(a), fit(b));
                let (a, b) = if a == 0 || b == 0 { (0, 0) } else { (a, b) };
                *two = (u64::from(a) | u64::from(b) << 32).to_le_bytes();
            }
            // Too short for two values: a zero first value says "no note".
            None => clear_note(note),
        }
        return;
    }
    let a = fit(a);
    match note.first_chunk_mut::<4>() {
        Some(one) => *one = a.to_le_bytes(),
        None => {
            let a = if a >> (8 * note.len()) == 0 { a } else { 0 };
            for (k, d) in note.iter_mut().enumerate() {
                *d = (a >> (8 * k)) as u8;
            }
        }
    }
}

/// Zeros what [`read_note`] reads of a note: "no note".
pub(crate) fn clear_note(note: &mut [u8]) {
    match note.first_chunk_mut::<4>() {
        Some(one) => *one = [0; 4],
        None => note.iter_mut().for_each(|d| *d = 0),
    }
}

/// Reads a note written by [`write_note`]: (`a` + 1, `b` + 1), each 0 when absent.
#[inline]
pub(crate) fn read_note(buf: &[u8], key: usize) -> (usize, usize) {
    let len = buf.get(key + 2).map_or(0, |&l| usize::from(l));
    let note = buf.get(key + 3..key + len).unwrap_or_default();
    if let Some(&eight) = note.first_chunk::<8>() {
        // Two four-byte values, or one and zeros.
        let w = u64::from_le_bytes(eight);
        return ((w & 0xFFFF_FFFF) as usize, (w >> 32) as usize);
    }
    if let Some(&four) = note.first_chunk::<4>() {
        return (u32::from_le_bytes(four) as usize, 0);
    }
    let a = note
        .iter()
        .rev()
        .fold(0usize, |acc, &d| acc << 8 | usize::from(d));
    (a, 0)
}

/// Second read: the rewritten key at `buf[i]` — its table index (0xFF: not in the table),
/// the index of its value (right after the colon) and its note.
#[inline]
pub(crate) fn reread_key(buf: &[u8], i: usize) -> Option<(u8, usize, (usize, usize))> {
    match buf.get(i..i + 3)? {
        &[KEY, tag, len] if len >= 4 => Some((tag, i + usize::from(len), read_note(buf, i))),
        _ => None,
    }
}

/// Second read: the `}` that closes a pretty-printed element, after the whitespace at `buf[i]`;
/// the index after it. (Out of line: compact elements close right after their last value.)
#[inline(never)]
pub(crate) fn reread_close_after_ws(buf: &[u8], i: usize) -> Option<usize> {
    let i = skip_ws(buf, i);
    (buf.get(i) == Some(&b'}')).then_some(i + 1)
}

/// Puts the string `s` (from its `"` to just after its closing `"`), whose escapes were decoded
/// in place into `len` bytes of text, in rewritten form — `OPEN` text `CLOSE` spaces, see the
/// invariant above — and returns the text; `None` if `s` is not that long.
pub(crate) fn mark_rewritten(s: &mut [u8], len: usize) -> Option<&mut [u8]> {
    let (open, body) = s.split_first_mut()?;
    let (close, content) = body.split_last_mut()?;
    let (text, tail) = content.split_at_mut(len.min(content.len()));
    *open = OPEN;
    match tail.split_first_mut() {
        Some((c, pad)) => {
            *c = CLOSE;
            pad.fill(b' ');
            *close = b' ';
        }
        None => *close = CLOSE,
    }
    Some(text)
}

/// The end of the spaces that pad a rewritten string (out of line: most strings are plain).
#[inline(never)]
pub(crate) fn pad_end(buf: &[u8], i: usize) -> usize {
    skip_ws(buf, i)
}

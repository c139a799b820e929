//! Finding a key's value in an object without decoding the rest: the command pre-pass from the
//! front, from both ends, and after a value (a `MsgType` that follows its `MsgContent`).

use super::*;
use crate::error::{Error, ErrorKind, Expected};
use crate::word::{LOW, ONES};

/// A string found by [`find_key`]: raw content bounds (inside the quotes) and whether it holds
/// escapes (always `false` for rewritten strings, whose content is already decoded).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FoundStr {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// Reads the string at `b[i]` as [`FoundStr`] and returns the index after it.
pub(super) fn found_str(b: &[u8], i: usize, trusted: bool) -> Result<(FoundStr, usize), Error> {
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

pub(super) fn key_is(b: &[u8], k: FoundStr, key: &str) -> bool {
    let raw = b.get(k.start..k.end).unwrap_or_default();
    if !k.escaped {
        return raw == key.as_bytes();
    }
    unescaped_eq(raw, key)
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
pub(super) fn find_in_members(
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

/// The first top-level member named `key`, walking forward only: the oracle the tests hold
/// [`find_key_both_ends_unchecked`] to.
#[cfg(test)]
pub(super) fn find_key_unchecked(b: &[u8], key: &'static str) -> Option<FoundStr> {
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
    /// Walking backward (or by [`find_key_near_ends`]): possibly not the first member of that
    /// name, whose key starts at this index.
    Back(usize),
}

/// The top-level member named `key` (spelled without escapes), whose value is a string, when
/// it stands before the object's first bracket or after its last: found by a search from each
/// end 64 bytes at a time ([`super::simd::blocks::find_key_near_ends`]), with no walk over the
/// members. Unchecked like [`find_key_both_ends_unchecked`], which callers fall back to when
/// this finds nothing. The member may not be the first of its name (one spelled with escapes
/// may come before it), so it is always reported as found from the back.
///
/// Only where the masks come from SIMD compares (SSE2 on x86_64), and not when the first key
/// holds an escape (a sender that escapes keys would have the search read the body for
/// nothing): elsewhere this says `None` at once.
pub(crate) fn find_key_near_ends(b: &[u8], key: &'static str) -> Option<(FoundStr, FoundFrom)> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if !first_key_escaped(b) {
        let (quote, value) = super::simd::blocks::find_key_near_ends(b, key)?;
        return Some((value_str(b, value)?, FoundFrom::Back(quote)));
    }
    let _ = (b, key);
    None
}

/// Whether the first key of the object `b` holds a backslash before its closing quote: one
/// word scan that stops at the first backslash (an escaped key can be six times its length).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn first_key_escaped(b: &[u8]) -> bool {
    let open = skip_ws(b, 0);
    let quote = skip_ws(b, open + 1);
    if b.get(open) != Some(&b'{') || b.get(quote) != Some(&b'"') {
        return false;
    }
    b.get(next_special(b, quote + 1).0) == Some(&b'\\')
}

/// The top-level member named `key`, whose value is a string, found by walking the object
/// without validating what it skips: a fast pre-pass for callers that validate the whole body
/// afterwards (and that fall back to [`find_key`] for a precise error when this returns
/// `None`). Nothing is checked, not even the found string unless it is plain ASCII: its bytes
/// may hold malformed escapes or UTF-8, which the caller's decoding must reject.
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
    let open = skip_ws(b, 0);
    if b.get(open) != Some(&b'{') {
        return None;
    }
    // `front`: the next key from the start; `back`: just past the last member not yet seen
    // from the end (the index of the `,` or `}` after it).
    let mut front = skip_ws(b, open + 1);
    let mut back = ws_before(b, b.len()).checked_sub(1)?;
    if b.get(back) != Some(&b'}') {
        return None;
    }
    loop {
        // Forward, over members whose value is a string, number or literal.
        let container = loop {
            if front > back {
                // The walks have met: no such member at the top level.
                return None;
            }
            let (k, value) = member_unchecked(b, front)?;
            if is_key(b, k, key) {
                return Some((value_str(b, value)?, FoundFrom::Front));
            }
            let end = match b.get(value)? {
                b'{' | b'[' => break value,
                b'"' => skip_string_unchecked(b, value + 1)?,
                _ => scalar_end(b, value),
            };
            front = after_comma(b, end)?;
        };
        // The front faces a list or an object: backward, over members whose value is not one.
        loop {
            let value_end = ws_before(b, back);
            let last = value_end.checked_sub(1)?;
            let value = match *b.get(last)? {
                b'}' | b']' => break,
                b'"' => string_start_rev_unchecked(b, last)?,
                _ => scalar_start_rev(b, last),
            };
            // Value, colon, key, then `,` (or `{`: nothing left before it).
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
            // Only a key longer than the one sought can hold escapes that decode to it.
            let k = FoundStr {
                start: key_start + 1,
                end: key_end,
                escaped: raw.len() > key.len() && raw.contains(&b'\\'),
            };
            if is_key(b, k, key) {
                return Some((value_str(b, value)?, FoundFrom::Back(key_start)));
            }
            back = ws_before(b, key_start).checked_sub(1)?;
            if b.get(back) != Some(&b',') {
                return None;
            }
        }
        // Both ends face one: step over the front one.
        front = after_comma(b, skip_value_unchecked(b, container)?)?;
    }
}

/// Whether the key `k` is `key`, cheaply for the usual keys: those of another length never
/// hold it, unless they are longer and hold an escape.
#[inline]
fn is_key(b: &[u8], k: FoundStr, key: &str) -> bool {
    let raw = b.get(k.start..k.end).unwrap_or_default();
    if raw.len() == key.len() {
        return same_bytes(raw, key.as_bytes());
    }
    raw.len() > key.len() && k.escaped && key_is(b, k, key)
}

/// The string value at `b[i]`, unchecked like the walk: plain ASCII text is valid as it stands;
/// anything else is only jumped over (its escapes are checked when the caller decodes them, and
/// the whole body afterwards). An escaped command is then decoded once, not also scanned.
#[inline]
fn value_str(b: &[u8], i: usize) -> Option<FoundStr> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    plain_string(b, i + 1).or_else(|| {
        let (end, escaped) = skip_string_unchecked_escaped(b, i + 1)?;
        Some(FoundStr {
            start: i + 1,
            end: end - 1,
            escaped,
        })
    })
}

/// The string whose content starts at `start` when it is plain ASCII (no escape, control
/// character or non-ASCII byte before its closing quote): then it is valid as it stands.
#[inline]
fn plain_string(b: &[u8], start: usize) -> Option<FoundStr> {
    let (end, non_ascii) = next_special(b, start);
    (b.get(end) == Some(&b'"') && !non_ascii).then_some(FoundStr {
        start,
        end,
        escaped: false,
    })
}

/// The start of the number or literal whose last byte is at `last`, unchecked.
#[inline]
fn scalar_start_rev(b: &[u8], last: usize) -> usize {
    let mut i = last;
    while let Some(c) = i.checked_sub(1).and_then(|p| b.get(p)) {
        if matches!(c, b',' | b':' | b'[' | b'{' | b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        i -= 1;
    }
    i
}

/// The next key's index after the value ending at `end`, when a `,` follows it.
#[inline]
fn after_comma(b: &[u8], end: usize) -> Option<usize> {
    let after = skip_ws(b, end);
    (b.get(after) == Some(&b',')).then(|| skip_ws(b, after + 1))
}

/// The index just past the last byte before `end` that is not JSON whitespace (0 if none).
#[inline]
pub(super) fn ws_before(b: &[u8], mut end: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = end.checked_sub(1).and_then(|i| b.get(i)) {
        end -= 1;
    }
    end
}

/// The index of the last `"` before `end` (eight bytes at a time, from the back). Flags are
/// exact here: `(x & 0x7F…7F) + 0x7F…7F | x` sets a byte's high bit exactly when the byte is
/// not zero, with no carry between bytes, so the highest flag is a real match.
#[inline]
pub(super) fn quote_before(b: &[u8], mut end: usize) -> Option<usize> {
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
pub(super) fn string_start_rev_unchecked(b: &[u8], close: usize) -> Option<usize> {
    let mut end = close;
    loop {
        let q = quote_before(b, end)?;
        if !escaped_at(b, q) {
            return Some(q);
        }
        end = q;
    }
}

/// Whether the byte at `b[i]` follows an odd run of backslashes (so that, in a string, a
/// backslash escapes it).
#[inline]
pub(super) fn escaped_at(b: &[u8], i: usize) -> bool {
    let before = b.get(..i).unwrap_or_default();
    before.iter().rev().take_while(|&&c| c == b'\\').count() % 2 == 1
}

/// Like [`find_key_after_value`] on raw input, without validating what it skips, nor the string
/// it finds unless that is plain ASCII (see [`find_key_both_ends_unchecked`]): for look-aheads
/// whose region is validated when it is read.
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
#[inline(always)]
pub(super) fn member_unchecked(b: &[u8], i: usize) -> Option<(FoundStr, usize)> {
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
pub(super) fn find_in_members_unchecked(
    b: &[u8],
    mut i: usize,
    key: &'static str,
) -> Option<FoundStr> {
    loop {
        let (k, value) = member_unchecked(b, i)?;
        if key_is(b, k, key) {
            return value_str(b, value);
        }
        i = skip_ws(b, skip_value_unchecked(b, value)?);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            _ => return None,
        }
    }
}

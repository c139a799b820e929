//! Skipping values: validating (for the first read), trusted (for regions already read), and
//! unchecked (for the command pre-pass, whose result the whole-body parse checks).

use super::*;
use crate::error::{Error, ErrorKind, Expected};
use crate::word::{HIGH, ONES};

/// Finds the end of a string rewritten in place, which starts at `b[i] == OPEN`.
#[inline]
pub(super) fn skip_rewritten(b: &[u8], i: usize) -> Result<usize, Error> {
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

/// Skips `"key"` and the following `:`; returns the index after the colon.
#[inline]
pub(super) fn skip_key(b: &[u8], i: usize, trusted: bool) -> Result<usize, Error> {
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

/// [`skip_string_unchecked`] for bytes already checked, as an error when the string never ends.
#[inline]
pub(super) fn skip_trusted_string(b: &[u8], i: usize) -> Result<usize, Error> {
    match skip_string_unchecked(b, i) {
        Some(end) => Ok(end),
        None => err(ErrorKind::Eof, b.len()),
    }
}

/// Skips a string whose content starts at `i` without checking it; `None` if it never ends.
#[inline]
pub(super) fn skip_string_unchecked(b: &[u8], i: usize) -> Option<usize> {
    skip_string_unchecked_escaped(b, i).map(|(end, _)| end)
}

/// The end of the number or literal at `i`, without checking it: the first byte at or after
/// `i` that is whitespace (or any byte below `!`), `,`, `]` or `}`, eight bytes at a time.
#[inline]
pub(super) fn scalar_end(b: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = b.get(i..).and_then(|r| r.first_chunk::<8>()) {
        let x = u64::from_le_bytes(*chunk);
        let comma = x ^ (ONES * u64::from(b','));
        // `]` and `}` differ only in bit 5.
        let close = (x | (ONES * 0x20)) ^ (ONES * u64::from(b'}'));
        // The lowest flag is exact (a borrow only flags bytes above a flagged one).
        let found = ((x.wrapping_sub(ONES * 0x21) & !x)
            | (comma.wrapping_sub(ONES) & !comma)
            | (close.wrapping_sub(ONES) & !close))
            & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c <= b' ' || matches!(c, b',' | b']' | b'}') {
            break;
        }
        i += 1;
    }
    i
}

/// [`skip_string_unchecked`], also saying whether the string holds a backslash.
#[inline]
pub(super) fn skip_string_unchecked_escaped(b: &[u8], mut i: usize) -> Option<(usize, bool)> {
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
/// containers matched by depth (64 bytes at a time where there is SIMD, see
/// [`super::blocks`]). Only for input that is validated completely afterwards: on invalid input
/// the answer is arbitrary (but never a panic).
pub(super) fn skip_value_unchecked(b: &[u8], i: usize) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let i = skip_ws(b, i);
        if let Some(b'{' | b'[') = b.get(i) {
            return super::simd::blocks::skip_container(b, i);
        }
    }
    skip_value_unchecked_bytes(b, i)
}

/// [`skip_value_unchecked`] a byte at a time (strings a word at a time): the portable path,
/// and the block skip's second opinion in the tests.
pub(super) fn skip_value_unchecked_bytes(b: &[u8], i: usize) -> Option<usize> {
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
        _ => Some(scalar_end(b, i)),
    }
}

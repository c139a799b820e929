//! Whitespace, literals and byte search.

use super::*;
use crate::error::{Error, ErrorKind, Expected};
use crate::word::{HIGH, ONES};

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
pub(super) fn skip_ws_run(b: &[u8], mut i: usize) -> usize {
    const SPACES: u64 = ONES * b' ' as u64;
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

#[inline]
pub(super) fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize, Error> {
    for (k, &w) in word.iter().enumerate() {
        match b.get(i + k) {
            Some(&c) if c == w => {}
            None => return err(ErrorKind::Eof, i + k),
            Some(_) => return err(ErrorKind::Expected(Expected::Value), i),
        }
    }
    Ok(i + word.len())
}

/// The index of the first `byte` at or after `i` (or `b.len()`), eight bytes at a time.
#[inline]
pub(crate) fn find_byte(b: &[u8], mut i: usize, byte: u8) -> usize {
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

//! Byte-level JSON reading (RFC 8259). Knows nothing of Tencent.
//!
//! Every function takes a slice and an index into it and returns the index after what it read,
//! or an [`Error`] whose offset is relative to that slice. Nothing here panics on any input.
//! One module per job: [`lex`] (whitespace, literals), [`strings`], [`numbers`], [`skip`]
//! (skipping values), [`find`] (the command pre-pass and other key finders), and
//! [`format`],
//! the in-place format the first read writes for the second. The SIMD kernels are in [`simd`],
//! each behind its own availability check, with the word-at-a-time code as the fallback.

mod find;
pub(crate) mod format;
mod lex;
mod numbers;
mod simd;
mod skip;
mod strings;
#[cfg(test)]
mod tests;

pub(crate) use find::*;
pub(crate) use format::*;
pub(crate) use lex::*;
pub(crate) use numbers::*;
pub(crate) use skip::*;
pub(crate) use strings::*;

use crate::error::{Error, ErrorKind, Expected};

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

/// Nesting limit for objects and arrays, counted from the top-level object (depth 1). It is the
/// limit serde_json applies (127 nested containers), so a body one accepts the other does too.
pub const MAX_DEPTH: u32 = 127;

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

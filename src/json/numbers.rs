//! Numbers: validation and fast digit runs.

use super::*;
use crate::error::{Error, ErrorKind};
use crate::word::ONES;

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
pub(super) fn digits1(b: &[u8], mut i: usize) -> Result<usize, Error> {
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

/// Decimal digits to `u64`; `None` on overflow or a non-digit.
#[inline]
pub(crate) fn parse_u64(digits: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    Some(v)
}

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

/// Reads a non-negative integer no larger than `max` at `start`; returns it and its end.
/// Shared by both readers (inlined into each with `perf`).
#[cfg_attr(feature = "perf", inline)]
pub(crate) fn unsigned_at(
    b: &[u8],
    start: usize,
    ty: crate::error::NumberType,
    max: u64,
) -> Result<(u64, usize), Error> {
    // Fast path: plain digits, accumulated as they are scanned.
    if let Some(&first @ b'0'..=b'9') = b.get(start) {
        let (i, v, overflow) = digits(b, start);
        // A fraction, an exponent or a leading zero take the general path (and its errors).
        let general =
            matches!(b.get(i), Some(b'.' | b'e' | b'E')) || (first == b'0' && i > start + 1);
        if !general {
            if overflow || v > max {
                return err(ErrorKind::OutOfRange(ty), start);
            }
            return Ok((v, i));
        }
    }
    match b.get(start) {
        Some(b'-' | b'0'..=b'9') => {}
        _ => return expected(crate::error::Expected::Integer, b, start),
    }
    let t = scan_number(b, start)?;
    let text = b.get(start..t.end).unwrap_or_default();
    if !t.integer || text == b"-0" {
        return err(ErrorKind::Expected(crate::error::Expected::Integer), start);
    }
    if t.negative {
        return err(ErrorKind::OutOfRange(ty), start);
    }
    match parse_u64(text) {
        Some(v) if v <= max => Ok((v, t.end)),
        _ => err(ErrorKind::OutOfRange(ty), start),
    }
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
    if !is_finite_f64(b.get(start..t.end).unwrap_or_default()) {
        return err(ErrorKind::OutOfRange(crate::error::NumberType::F64), start);
    }
    Ok(t.end)
}

/// The digits of 2^1024 − 2^970, halfway between `f64::MAX` and 2^1024. A decimal number
/// rounds to a finite `f64` exactly when its magnitude is below it: a tie rounds to the even
/// neighbour, which is 2^1024, infinity.
pub(super) const HALF_PAST_MAX: &[u8; 309] = b"\
179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977\
587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845\
817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559\
699508093042880177904174497792";

/// Whether a JSON number token (as [`scan_number`] accepts it) rounds to a finite `f64`,
/// decided on its digits, without parsing it: so that validating a body links no float
/// parser (about 16 KB of flash on a Cortex-M).
pub(crate) fn is_finite_f64(token: &[u8]) -> bool {
    let t = token.strip_prefix(b"-").unwrap_or(token);
    let digits_end = |s: &[u8]| {
        s.iter()
            .position(|c| !c.is_ascii_digit())
            .unwrap_or(s.len())
    };
    let (int, rest) = t.split_at(digits_end(t));
    let (frac, rest) = match rest.strip_prefix(b".") {
        Some(r) => r.split_at(digits_end(r)),
        None => (&[][..], rest),
    };
    // The exponent, saturated far beyond where the answer is settled.
    const LIMIT: i64 = 1 << 40;
    let mut exp: i64 = 0;
    if let Some(e) = rest.strip_prefix(b"e").or_else(|| rest.strip_prefix(b"E")) {
        let (negative, e) = match e.first() {
            Some(b'-') => (true, e.get(1..).unwrap_or_default()),
            Some(b'+') => (false, e.get(1..).unwrap_or_default()),
            _ => (false, e),
        };
        for &c in e {
            exp = (exp * 10 + i64::from(c - b'0')).min(LIMIT);
        }
        if negative {
            exp = -exp;
        }
    }
    // The significant digits `d1 d2 …` and the power `e` with value 0.d1d2… × 10^e.
    let int = &int[int.iter().take_while(|&&c| c == b'0').count()..];
    let (significant, frac, power): (&[u8], &[u8], i64) = if int.is_empty() {
        let zeros = frac.iter().take_while(|&&c| c == b'0').count();
        if zeros == frac.len() {
            return true; // zero
        }
        (&frac[zeros..], &[], -(zeros as i64))
    } else {
        (int, frac, int.len() as i64)
    };
    let power = power + exp;
    let limit = HALF_PAST_MAX.len() as i64;
    if power != limit {
        return power < limit;
    }
    // Same power: compare the digits. The threshold's last digit is not 0, so a number whose
    // digits are a proper prefix of it is smaller, and one that has it as a prefix is not.
    let mut threshold = HALF_PAST_MAX.iter();
    for &d in significant.iter().chain(frac) {
        match threshold.next() {
            Some(&o) if d == o => {}
            Some(&o) => return d < o,
            None => return false,
        }
    }
    // Equal is a tie, which rounds to infinity.
    threshold.next().is_some()
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

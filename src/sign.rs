//! Callback authentication (回调鉴权, feature `sign`): with a token set in the console, Tencent
//! adds `Sign` = lower-case hex SHA-256 of the token followed by the decimal `RequestTime` (Unix
//! seconds) to the query. SHA-256 is RustCrypto's `sha2`; the digests are compared in constant
//! time (`subtle`); there is no clock in `no_std`, so the caller passes the time.
//!
//! ```
//! use tim_callback::sign;
//!
//! let expected = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";
//! assert_eq!(sign::sign("xxxxyyyy", 1669872112).to_string(), expected);
//! assert_eq!(sign::verify("xxxxyyyy", expected, "1669872112", 1669872130, 60), Ok(()));
//! assert_eq!(
//!     sign::verify("xxxxyyyy", expected, "1669872112", 1669872500, 60),
//!     Err(sign::SignError::Stale { request_time: 1669872112, now: 1669872500 })
//! );
//! ```

use core::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// How far `RequestTime` may be from the caller's clock by default, in seconds (the one
/// minute of Tencent's TRTC webhook docs, which share the mechanism).
pub const DEFAULT_WINDOW: u64 = 60;

/// A SHA-256 signature; `Display` writes it as lower-case hex, as Tencent sends it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Signature([u8; 32]);

impl Signature {
    /// The 32 digest bytes.
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lower-case hex digits.
    pub fn to_hex(&self) -> [u8; 64] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [0u8; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(self.0) {
            pair[0] = HEX[usize::from(b >> 4)];
            pair[1] = HEX[usize::from(b & 0xf)];
        }
        out
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex = self.to_hex();
        // Hex digits are ASCII.
        f.write_str(core::str::from_utf8(&hex).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature({self})")
    }
}

/// Why a signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignError {
    /// No `Sign` parameter.
    MissingSign,
    /// No `RequestTime` parameter.
    MissingRequestTime,
    /// `Sign` is not 64 hex digits.
    MalformedSign,
    /// `RequestTime` is not a decimal number of seconds.
    MalformedRequestTime,
    /// `RequestTime` is further from `now` than the replay window.
    Stale {
        /// The signed time.
        request_time: u64,
        /// The caller's time.
        now: u64,
    },
    /// `Sign` is not the signature of `RequestTime` with this token.
    Mismatch,
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::MissingSign => f.write_str("no Sign in the query"),
            SignError::MissingRequestTime => f.write_str("no RequestTime in the query"),
            SignError::MalformedSign => f.write_str("Sign is not 64 hex digits"),
            SignError::MalformedRequestTime => f.write_str("RequestTime is not decimal seconds"),
            SignError::Stale { request_time, now } => write!(
                f,
                "RequestTime {request_time} is outside the replay window around {now}"
            ),
            SignError::Mismatch => f.write_str("Sign does not match the token"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for SignError {}

/// The signature of `request_time` with `token`: SHA-256 of the token followed by the decimal
/// time.
pub fn sign(token: &str, request_time: u64) -> Signature {
    let mut digits = [0u8; 20];
    let text = crate::emit::decimal(request_time, &mut digits);
    sign_text(token, text)
}

fn sign_text(token: &str, request_time: &[u8]) -> Signature {
    let mut h = Sha256::new();
    h.update(token.as_bytes());
    h.update(request_time);
    Signature(h.finalize().into())
}

/// Checks `sign` (hex, either case) against `request_time` (the decimal text as received,
/// signed as is) with `token`, and that the time is at most `window` seconds from `now`.
///
/// The time is checked first, so a replayed old signature is `Stale` whether or not it
/// matches; the digest comparison takes the same time wherever the digests differ.
pub fn verify(
    token: &str,
    sign: &str,
    request_time: &str,
    now: u64,
    window: u64,
) -> Result<(), SignError> {
    let given = parse_hex(sign.as_bytes()).ok_or(SignError::MalformedSign)?;
    let time = request_time.as_bytes();
    if time.is_empty() || time.len() > 20 || !time.iter().all(u8::is_ascii_digit) {
        return Err(SignError::MalformedRequestTime);
    }
    let secs = crate::json::parse_u64(time).ok_or(SignError::MalformedRequestTime)?;
    if secs.abs_diff(now) > window {
        return Err(SignError::Stale {
            request_time: secs,
            now,
        });
    }
    let expected = sign_text(token, time);
    if bool::from(expected.0.ct_eq(&given)) {
        Ok(())
    } else {
        Err(SignError::Mismatch)
    }
}

/// 64 hex digits (either case) as 32 bytes.
fn parse_hex(hex: &[u8]) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (b, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        *b = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "xxxxyyyy";
    const SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    #[test]
    fn the_documented_vector() {
        assert_eq!(sign(TOKEN, 1_669_872_112).to_hex(), *SIGN.as_bytes());
        // The doc's own text prints `xxxyyy`, whose digest is another (tim-callbacks.md §1.3).
        assert_eq!(
            sign("xxxyyy", 1_669_872_112).to_hex(),
            *b"e78a85473bed2cdc8d6fa8c4d5a4ba4735fd64156e15a99516b9890293e135de"
        );
    }

    #[test]
    fn every_failure_has_its_own_error() {
        let t = "1669872112";
        let now = 1_669_872_112;
        assert_eq!(verify(TOKEN, SIGN, t, now, 60), Ok(()));
        let mut upper = [0u8; 64];
        upper.copy_from_slice(SIGN.as_bytes());
        upper.make_ascii_uppercase();
        let upper = core::str::from_utf8(&upper).unwrap();
        assert_eq!(verify(TOKEN, upper, t, now, 60), Ok(()));
        assert_eq!(verify(TOKEN, SIGN, t, now + 60, 60), Ok(()));
        assert_eq!(verify(TOKEN, SIGN, t, now - 60, 60), Ok(()));
        assert_eq!(
            verify(TOKEN, SIGN, t, now + 61, 60),
            Err(SignError::Stale {
                request_time: now,
                now: now + 61
            })
        );
        assert_eq!(
            verify(TOKEN, SIGN, t, now - 61, 60),
            Err(SignError::Stale {
                request_time: now,
                now: now - 61
            })
        );
        assert_eq!(verify("other", SIGN, t, now, 60), Err(SignError::Mismatch));
        assert_eq!(
            verify(TOKEN, SIGN, "1669872113", now, 60),
            Err(SignError::Mismatch)
        );
        // Signed as received: leading zeros are part of the signed text.
        assert_eq!(
            verify(TOKEN, SIGN, "01669872112", now, 60),
            Err(SignError::Mismatch)
        );
        assert_eq!(
            verify(TOKEN, &SIGN[1..], t, now, 60),
            Err(SignError::MalformedSign)
        );
        let mut bad = [0u8; 64];
        bad.copy_from_slice(SIGN.as_bytes());
        bad[10] = b'g';
        let bad = core::str::from_utf8(&bad).unwrap();
        assert_eq!(
            verify(TOKEN, bad, t, now, 60),
            Err(SignError::MalformedSign)
        );
        for time in ["", "-1", "1e9", "16698721120000000000000", " 1669872112"] {
            assert_eq!(
                verify(TOKEN, SIGN, time, now, 60),
                Err(SignError::MalformedRequestTime),
                "{time:?}"
            );
        }
    }
}

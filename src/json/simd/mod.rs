//! The SIMD kernels of the JSON reader, x86_64 only, each with one availability check and the
//! portable word-at-a-time code of its caller as the fallback (tested against it):
//!
//! - [`blocks`] (SSE2, part of the x86_64 baseline, so checked by `cfg` at build time): arrays
//!   and objects skipped 64 bytes at a time in the unchecked pre-passes, and the command's key
//!   looked for near the ends of a body. Elsewhere [`skip`](super::skip) and
//!   [`find`](super::find) walk byte by byte.
//! - [`dense`] (SSSE3 and POPCNT, detected at run time with `std`, or set at build time):
//!   escape-dense string content decoded sixteen bytes at a time. Elsewhere the word decoder of
//!   [`strings`](super::strings) does it all.

#[cfg(any(test, all(target_arch = "x86_64", target_feature = "sse2")))]
pub(super) mod blocks;
pub(super) mod dense;

//! Word-at-a-time byte tests (SWAR): the constants that look at the eight bytes of a `u64` at
//! once, for the scanners that have no SIMD path or need none.

/// `0x01` in every byte: times a byte, that byte in every lane; subtracted, it borrows out of
/// each zero byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of every byte: the lanes' flags, and the non-ASCII bytes.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The low seven bits of every byte: added, they carry into the high bit of each non-zero
/// low part without crossing into the next byte.
pub(crate) const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;

//! UTF-8 validation of short string runs without branches per character.
//!
//! Callback text mixes CJK (three-byte), emoji (four-byte) and ASCII words, so a validator that
//! branches on each character's width mispredicts at every change of script, as
//! `str::from_utf8` does. Here each byte is one table
//! load and one shift: a shift-based DFA, where the row of a byte holds, for every state, the
//! next state as a 6-bit field at that state's offset, and the state *is* the offset of its
//! field. The dependency chain from byte to byte is the single shift.
//!
//! Only the verdict comes from here; the caller asks `str::from_utf8` for the position of an
//! error, which is rare and off the fast path.

use crate::word::HIGH;
/// The states, each the bit offset of its field in a row. `ERROR` is 0 and every row's low
/// field is 0, so an error is absorbing.
const ERROR: u64 = 0;
const ACCEPT: u64 = 6;
/// One continuation byte (80..=BF) left.
const CONT1: u64 = 12;
/// Two left.
const CONT2: u64 = 18;
/// Three left.
const CONT3: u64 = 24;
/// After E0: A0..=BF, then one more (no overlong three-byte forms).
const AFTER_E0: u64 = 30;
/// After ED: 80..=9F, then one more (no surrogates).
const AFTER_ED: u64 = 36;
/// After F0: 90..=BF, then two more (no overlong four-byte forms).
const AFTER_F0: u64 = 42;
/// After F4: 80..=8F, then two more (nothing above U+10FFFF).
const AFTER_F4: u64 = 48;

/// The next state from `state` on byte `b` (RFC 3629's table of well-formed sequences).
const fn next(state: u64, b: u8) -> u64 {
    match state {
        ACCEPT => match b {
            0x00..=0x7F => ACCEPT,
            0xC2..=0xDF => CONT1,
            0xE0 => AFTER_E0,
            0xE1..=0xEC | 0xEE..=0xEF => CONT2,
            0xED => AFTER_ED,
            0xF0 => AFTER_F0,
            0xF1..=0xF3 => CONT3,
            0xF4 => AFTER_F4,
            _ => ERROR,
        },
        CONT1 | CONT2 | CONT3 => match b {
            0x80..=0xBF => state - 6,
            _ => ERROR,
        },
        AFTER_E0 => match b {
            0xA0..=0xBF => CONT1,
            _ => ERROR,
        },
        AFTER_ED => match b {
            0x80..=0x9F => CONT1,
            _ => ERROR,
        },
        AFTER_F0 => match b {
            0x90..=0xBF => CONT2,
            _ => ERROR,
        },
        AFTER_F4 => match b {
            0x80..=0x8F => CONT2,
            _ => ERROR,
        },
        _ => ERROR,
    }
}

const ROWS: [u64; 256] = {
    let mut rows = [0u64; 256];
    let mut b = 0;
    while b < 256 {
        let mut row = 0u64;
        let mut state = ACCEPT;
        while state <= AFTER_F4 {
            row |= next(state, b as u8) << state;
            state += 6;
        }
        rows[b] = row;
        b += 1;
    }
    rows
};

/// From this length on, with `std`, text is checked by `simdutf8` (SIMD, the CPU's best
/// instruction set detected at run time; below 64 bytes it would hand the text to
/// `str::from_utf8` anyway). Long CJK messages are checked at every read of a string, and the
/// table walk below costs about two cycles a byte.
#[cfg(all(feature = "std", not(miri)))]
const SIMD_FROM: usize = 64;

/// `simdutf8` is asked only when at least this much of the text follows its leading ASCII
/// words: a shorter tail is cheaper to walk than a call into it.
#[cfg(all(feature = "std", not(miri)))]
const SIMD_TAIL: usize = 16;

/// Whether `b` is well-formed UTF-8 (the same verdict as `str::from_utf8`).
#[inline]
pub(crate) fn is_valid(b: &[u8]) -> bool {
    // ASCII words first (ASCII characters are whole, so what follows them is checked on its
    // own): many strings are ASCII throughout, and others hold their first non-ASCII byte late.
    let ascii = ascii_words(b);
    // Fewer than eight bytes after the ASCII words: most often ASCII too (ids, names), which
    // two overlapping reads tell without walking the table.
    if b.len() - ascii < 8 && short_tail_is_ascii(b) {
        return true;
    }
    past_ascii_is_valid_apart(b, ascii)
}

/// [`past_ascii_is_valid`], never inlined: so that the ASCII checks of [`is_valid`] stay small
/// enough to inline where every string of a list is checked.
#[inline(never)]
fn past_ascii_is_valid_apart(b: &[u8], ascii: usize) -> bool {
    past_ascii_is_valid(b, ascii)
}

/// [`is_valid`] for text that the caller already found to hold a non-ASCII byte (the first
/// read's runs): without the short-tail check, which could only fail.
#[inline]
pub(crate) fn is_valid_non_ascii(b: &[u8]) -> bool {
    past_ascii_is_valid(b, ascii_words(b))
}

/// Whether `b`, whose first `ascii` bytes are ASCII, is UTF-8.
#[inline(always)]
fn past_ascii_is_valid(b: &[u8], ascii: usize) -> bool {
    #[cfg(all(feature = "std", not(miri)))]
    if b.len() >= SIMD_FROM && b.len() - ascii >= SIMD_TAIL {
        // At least the last 64 bytes, from a character boundary: where fewer than 64 follow
        // the ASCII words, the window starts inside them.
        let from = ascii.min(b.len() - SIMD_FROM);
        return simdutf8::basic::from_utf8(b.get(from..).unwrap_or_default()).is_ok();
    }
    walk_table(b.get(ascii..).unwrap_or_default())
}

/// [`is_valid`] by the table walk alone, without `simdutf8` (the tests' second opinion).
#[cfg(test)]
fn is_valid_by_table(b: &[u8]) -> bool {
    walk_table(b.get(ascii_words(b)..).unwrap_or_default())
}

/// The length of the longest prefix of `b` made of whole eight-byte words of ASCII.
#[inline]
fn ascii_words(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).unwrap_or([0; 8]));
        if x & HIGH != 0 {
            break;
        }
        i += 8;
    }
    i
}

/// Whether the last `min(b.len(), 8)` bytes of `b` are all ASCII: one eight-byte read, two
/// overlapping four-byte reads, or the first, middle and last byte, by length.
#[inline]
fn short_tail_is_ascii(b: &[u8]) -> bool {
    let n = b.len();
    let word = |i: usize| b.get(i..).and_then(|s| s.first_chunk::<8>());
    let half = |i: usize| b.get(i..).and_then(|s| s.first_chunk::<4>());
    let bits = if let Some(&w) = n.checked_sub(8).and_then(word) {
        u64::from_le_bytes(w)
    } else if let (Some(&x), Some(&y)) = (half(0), n.checked_sub(4).and_then(half)) {
        u64::from(u32::from_le_bytes(x) | u32::from_le_bytes(y))
    } else {
        b.first().map_or(0, |&c| u64::from(c))
            | b.get(n / 2).map_or(0, |&c| u64::from(c))
            | b.last().map_or(0, |&c| u64::from(c))
    };
    bits & HIGH == 0
}

/// The table walk over `b`, a byte at a time.
#[inline]
fn walk_table(b: &[u8]) -> bool {
    let mut state = ACCEPT;
    for &c in b {
        // The shift takes its count modulo 64: the bits of `state` above its own field are
        // other states' fields of the previous row, and do not matter.
        state = ROWS[usize::from(c)].wrapping_shr(state as u32);
    }
    state & 63 == ACCEPT
}

/// `b` as `&str` when it is well-formed UTF-8: `str::from_utf8` without the error position,
/// at this module's speed (the second read of a list checks every string with it).
#[inline]
pub(crate) fn as_str(b: &[u8]) -> Option<&str> {
    if !is_valid(b) {
        return None;
    }
    // SAFETY: `is_valid` just returned true for exactly these bytes, and it gives
    // `str::from_utf8`'s verdict (the tests below compare the two on every sequence of up to
    // three bytes, every four-byte lead with its continuations, and corrupted text, short and
    // long enough for `simdutf8`, with ASCII heads of every length around its window).
    #[allow(unsafe_code)]
    Some(unsafe { core::str::from_utf8_unchecked(b) })
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;

    fn std_says(b: &[u8]) -> bool {
        core::str::from_utf8(b).is_ok()
    }

    /// Bytes from every class the table tells apart, at the edges of each range.
    const EDGES: &[u8] = &[
        0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
        0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
    ];

    #[test]
    fn agrees_with_std_on_every_sequence_up_to_three_bytes() {
        // All one- and two-byte inputs (the edges only under Miri, where this is slow), then
        // every lead and second byte with a third byte from each class.
        let all: [u8; 256] = core::array::from_fn(|b| b as u8);
        let bytes: &[u8] = if cfg!(miri) { EDGES } else { &all };
        for &a in bytes {
            assert_eq!(is_valid(&[a]), std_says(&[a]), "{a:02x}");
            for &b in bytes {
                assert_eq!(is_valid(&[a, b]), std_says(&[a, b]), "{a:02x} {b:02x}");
                for &c in EDGES {
                    let s = [a, b, c];
                    assert_eq!(is_valid(&s), std_says(&s), "{s:02x?}");
                }
            }
        }
    }

    #[test]
    fn one_non_ascii_byte_anywhere_in_short_text_is_seen() {
        // ASCII text of every length up to 24 with one byte of each class at each position
        // (and a valid two-byte character there): the short-tail check must see every byte
        // it vouches for, whatever the length.
        // Under Miri, the lengths at the edges of each read's case.
        let all: std::vec::Vec<usize> = (0..=24).collect();
        let lengths: &[usize] = if cfg!(miri) {
            &[1, 3, 4, 7, 8, 9, 16, 17]
        } else {
            &all
        };
        for &len in lengths {
            let ascii = std::vec![b'a'; len];
            assert!(is_valid(&ascii), "{len}");
            for at in 0..len {
                for &c in EDGES {
                    let mut s = ascii.clone();
                    s[at] = c;
                    assert_eq!(is_valid(&s), std_says(&s), "{len} {at} {c:02x}");
                    assert_eq!(is_valid_non_ascii(&s), std_says(&s), "{len} {at} {c:02x}");
                }
                let mut s = ascii.clone();
                s.splice(at..at + 1, "é".bytes());
                assert!(is_valid(&s), "{len} {at}");
                s.truncate(at + 1);
                assert!(!is_valid(&s), "{len} {at}: cut");
            }
        }
    }

    #[test]
    fn agrees_with_std_on_four_byte_sequences() {
        // Under Miri, one byte of each kind a four-byte sequence's tail can meet.
        let tail: &[u8] = if cfg!(miri) {
            &[0x41, 0x80, 0x8F, 0x90, 0xBF, 0xC0]
        } else {
            EDGES
        };
        for a in 0xF0..=0xF8u8 {
            for &b in tail {
                for &c in tail {
                    for &d in tail {
                        let s = [a, b, c, d];
                        assert_eq!(is_valid(&s), std_says(&s), "{s:02x?}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_text_agrees_with_std_and_with_the_table_walk() {
        // Long enough for the SIMD validator (`std` builds): CJK, emoji and ASCII runs across
        // its 64-byte blocks; every prefix, and a byte corrupted every few positions.
        let piece =
            "群聊记录 meeting moved to tomorrow 👍 明天见 C'est la vie — 没问题 ok ".as_bytes();
        let mut buf = [0u8; 5 * 96];
        assert!(piece.len() <= 96);
        for k in 0..5 {
            buf[k * piece.len()..(k + 1) * piece.len()].copy_from_slice(piece);
        }
        let bytes = &buf[..5 * piece.len()];
        assert!(bytes.len() > 4 * 64);
        let step = if cfg!(miri) { 61 } else { 1 };
        for end in (0..=bytes.len()).step_by(step) {
            let s = &bytes[..end];
            assert_eq!(is_valid(s), std_says(s), "prefix {end}");
            assert_eq!(is_valid_by_table(s), std_says(s), "prefix {end}");
            assert_eq!(is_valid_non_ascii(s), std_says(s), "prefix {end}");
        }
        let step = if cfg!(miri) { 97 } else { 3 };
        for at in (0..bytes.len()).step_by(step) {
            for with in [0x00, 0x41, 0x80, 0xBF, 0xC0, 0xE0, 0xED, 0xF4, 0xFF] {
                let mut copy = buf;
                let s = &mut copy[..bytes.len()];
                s[at] = with;
                assert_eq!(is_valid(s), std_says(s), "{at} {with:02x}");
                assert_eq!(is_valid_by_table(s), std_says(s), "{at} {with:02x}");
                assert_eq!(is_valid_non_ascii(s), std_says(s), "{at} {with:02x}");
            }
        }
    }

    #[test]
    fn ascii_heads_before_non_ascii_tails_agree_with_std() {
        // Where the non-ASCII part starts after leading ASCII words (at, before or past the
        // start of a last 64-byte window), and how long it is; each tail also with one byte
        // replaced, and cut inside a character.
        let tail = "中文😀é测试".as_bytes();
        let heads: &[usize] = if cfg!(miri) {
            &[0, 9, 70]
        } else {
            &[0, 1, 7, 8, 9, 15, 16, 40, 63, 64, 65, 80]
        };
        for &head in heads {
            for cut in 0..=tail.len() * 4 {
                let mut buf = [b'a'; 256];
                for k in 0..cut {
                    buf[head + k] = tail[k % tail.len()];
                }
                let s = &buf[..head + cut];
                assert_eq!(is_valid(s), std_says(s), "head {head} tail {cut}");
                if cut > 0 && !cfg!(miri) {
                    for with in [0x41, 0x80, 0xE4, 0xFF] {
                        let mut bad = buf;
                        bad[head + cut / 2] = with;
                        let s = &bad[..head + cut];
                        assert_eq!(
                            is_valid(s),
                            std_says(s),
                            "head {head} tail {cut} {with:02x}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn agrees_with_std_on_text_cut_and_corrupted_anywhere() {
        // Mixed scripts with ASCII words longer than a word of the fast path; every prefix (a
        // cut inside a character is invalid) and every byte replaced by a few others.
        let text =
            "see you at 3pm 你好 ok 👍🎉 C'est la vie — 没问题 https://example.com/x?id=42 é";
        let bytes = text.as_bytes();
        for end in 0..=bytes.len() {
            let s = &bytes[..end];
            assert_eq!(is_valid(s), std_says(s), "prefix {end}");
        }
        let step = if cfg!(miri) { 7 } else { 1 };
        for at in (0..bytes.len()).step_by(step) {
            for with in [0x00, 0x41, 0x80, 0xBF, 0xC0, 0xE0, 0xED, 0xF4, 0xFF] {
                let mut s = [0u8; 128];
                let s = &mut s[..bytes.len()];
                s.copy_from_slice(bytes);
                s[at] = with;
                assert_eq!(is_valid(s), std_says(s), "{at} {with:02x}");
            }
        }
    }
}

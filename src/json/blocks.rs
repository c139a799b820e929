//! Arrays and objects skipped 64 bytes at a time, without looking at each byte.
//!
//! Each block of 64 bytes becomes bit masks (one bit per byte): quotes, backslashes, and
//! opening and closing brackets. From those, with no branch per byte, come the bytes a
//! backslash escapes (an odd run of backslashes before them) and the bytes inside strings (a
//! running XOR of the unescaped quotes); only the brackets outside strings are then visited, to
//! follow the depth. On x86_64 the masks come from SSE2 compares (part of every x86_64 target);
//! [`masks_portable`] is the definition they are tested against, and elsewhere the byte-at-a-time
//! skipper runs instead.
//!
//! Unchecked, like the other skips it stands in for: exact on valid JSON, arbitrary (never a
//! panic, never a read out of bounds) on anything else. A backslash escapes the byte after it
//! wherever it stands (valid JSON has none outside strings).

/// One block's bit masks: bit `k` is byte `k` of the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Masks {
    pub(super) quote: u64,
    pub(super) backslash: u64,
    /// `{` and `[`.
    pub(super) open: u64,
    /// `}` and `]`.
    pub(super) close: u64,
}

/// The masks of `block`, a byte at a time: what the SIMD version must give.
#[cfg_attr(
    all(target_arch = "x86_64", target_feature = "sse2", not(test)),
    allow(dead_code)
)]
pub(super) fn masks_portable(block: &[u8; 64]) -> Masks {
    let mut m = Masks::default();
    for (k, &c) in block.iter().enumerate() {
        let bit = 1u64 << k;
        // `{`/`[` and `}`/`]` differ only in bit 5.
        let folded = c | 0x20;
        if c == b'"' {
            m.quote |= bit;
        }
        if c == b'\\' {
            m.backslash |= bit;
        }
        if folded == b'{' {
            m.open |= bit;
        }
        if folded == b'}' {
            m.close |= bit;
        }
    }
    m
}

/// The masks of `block` by SSE2: sixteen bytes per compare.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(super) fn masks(block: &[u8; 64]) -> Masks {
    // SAFETY: `masks_sse2` requires SSE2 and nothing else; `cfg(target_feature = "sse2")` on
    // this function proves at compile time that the target has it (every x86_64 target does).
    #[allow(unsafe_code)]
    unsafe {
        masks_sse2(block)
    }
}

/// Elsewhere (where this module is compiled for its tests only): the portable masks.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(super) fn masks(block: &[u8; 64]) -> Masks {
    masks_portable(block)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn masks_sse2(block: &[u8; 64]) -> Masks {
    use core::arch::x86_64::*;
    let splat = |c: u8| _mm_set1_epi8(c as i8);
    let (quote, backslash, open, close, fold) = (
        splat(b'"'),
        splat(b'\\'),
        splat(b'{'),
        splat(b'}'),
        splat(0x20),
    );
    let mut m = Masks::default();
    for (j, chunk) in block.chunks_exact(16).enumerate() {
        let word = |k: usize| {
            let bytes = chunk
                .get(k..k + 8)
                .and_then(|w| <[u8; 8]>::try_from(w).ok());
            u64::from_le_bytes(bytes.unwrap_or_default()) as i64
        };
        // Two halves set into one register: the compiler loads them as one.
        let v = _mm_set_epi64x(word(8), word(0));
        let folded = _mm_or_si128(v, fold);
        let bits = |x| u64::from(_mm_movemask_epi8(x) as u16) << (16 * j);
        m.quote |= bits(_mm_cmpeq_epi8(v, quote));
        m.backslash |= bits(_mm_cmpeq_epi8(v, backslash));
        m.open |= bits(_mm_cmpeq_epi8(folded, open));
        m.close |= bits(_mm_cmpeq_epi8(folded, close));
    }
    m
}

/// The bytes of a block that a backslash escapes: each byte right after an odd-length run of
/// backslashes. `odd_carry` is 1 when the previous block ended inside such a run (an odd
/// number of its trailing backslashes still waiting for the byte they escape), and is updated
/// for the next block. (The carry-propagation method of simdjson's stage 1: adding each run's
/// start to the run carries to just past its end; the parity of start and end tells odd runs.)
#[inline]
pub(super) fn escaped(backslash: u64, odd_carry: &mut u64) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    const ODD: u64 = !EVEN;
    if backslash == 0 && *odd_carry == 0 {
        return 0;
    }
    let starts = backslash & !(backslash << 1);
    // A run that continues the previous block's odd run starts, in effect, one bit earlier.
    let even_start_mask = EVEN ^ *odd_carry;
    let even_starts = starts & even_start_mask;
    let odd_starts = starts & !even_start_mask;
    let even_carries = backslash.wrapping_add(even_starts);
    let (odd_carries, ends_odd) = backslash.overflowing_add(odd_starts);
    // The previous block's odd run, if any, ends at bit 0 unless this block goes on with it.
    let odd_carries = odd_carries | *odd_carry;
    *odd_carry = u64::from(ends_odd);
    let even_ends = even_carries & !backslash;
    let odd_ends = odd_carries & !backslash;
    (even_ends & ODD) | (odd_ends & EVEN)
}

/// The running XOR of `x`'s bits from bit 0 up: bit `k` is the parity of bits `0..=k`.
#[inline]
pub(super) fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The end of the array or object whose opening bracket is at `b[start]` (the index after its
/// closing bracket), or `None` if the input ends first. Unchecked; see the module. Each block
/// costs the same whatever it holds; only its brackets outside strings are then visited, one
/// by one, to follow the depth.
pub(crate) fn skip_container(b: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0i64;
    let mut odd_carry = 0u64;
    // All ones while the previous block ended inside a string.
    let mut inside_carry = 0u64;
    let mut i = start;
    while i < b.len() {
        let block = match b.get(i..i + 64) {
            Some(full) => <[u8; 64]>::try_from(full).unwrap_or([b' '; 64]),
            // The last bytes, padded with spaces (which change nothing).
            None => {
                let mut tail = [b' '; 64];
                let rest = b.get(i..).unwrap_or_default();
                if let Some(dst) = tail.get_mut(..rest.len()) {
                    dst.copy_from_slice(rest);
                }
                tail
            }
        };
        let m = masks(&block);
        let quotes = m.quote & !escaped(m.backslash, &mut odd_carry);
        let inside = prefix_xor(quotes) ^ inside_carry;
        inside_carry = ((inside as i64) >> 63) as u64;
        let opens = m.open & !inside;
        let mut brackets = (m.open | m.close) & !inside;
        while brackets != 0 {
            let k = brackets.trailing_zeros();
            if opens >> k & 1 == 1 {
                depth += 1;
            } else {
                depth -= 1;
                if depth <= 0 {
                    return Some(i + k as usize + 1);
                }
            }
            brackets &= brackets - 1;
        }
        i += 64;
    }
    None
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// A small xorshift generator: deterministic cases.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Bytes of the kinds the masks and the skip tell apart, and a few others.
    const ALPHABET: &[u8] = b"\"\\{}[]:, aC\x00\xFF{";

    #[test]
    fn the_masks_agree_with_the_portable_definition() {
        let mut r = Rng(0x1234_5678_9ABC_DEF1);
        let cases = if cfg!(miri) { 20 } else { 20_000 };
        for case in 0..cases {
            let mut block = [0u8; 64];
            for c in &mut block {
                *c = match case % 3 {
                    0 => r.next() as u8,
                    _ => ALPHABET[r.below(ALPHABET.len() as u64) as usize],
                };
            }
            assert_eq!(masks(&block), masks_portable(&block), "{block:?}");
        }
        // Every byte value at every position.
        for c in 0..=255u8 {
            let block = [c; 64];
            assert_eq!(masks(&block), masks_portable(&block), "{c}");
        }
    }

    /// Which bytes a backslash escapes, one byte at a time, over the whole input.
    fn escaped_naive(b: &[u8]) -> Vec<bool> {
        let mut escape = false;
        b.iter()
            .map(|&c| {
                let was = escape;
                escape = !was && c == b'\\';
                was
            })
            .collect()
    }

    #[test]
    fn escaped_bytes_agree_with_a_byte_loop_across_blocks() {
        // Runs of backslashes of every length, across block boundaries, before quotes and
        // other bytes; the mask marks the escaped bytes that are not themselves backslashes.
        let mut r = Rng(0x0DDB_1A5E_5BAD_5EED);
        let cases = if cfg!(miri) { 30 } else { 20_000 };
        for _ in 0..cases {
            let blocks = 1 + r.below(4) as usize;
            let mut b = Vec::new();
            while b.len() < 64 * blocks {
                match r.below(4) {
                    0 => b.extend(core::iter::repeat_n(b'\\', r.below(70) as usize)),
                    1 => b.push(b'"'),
                    _ => b.push(b'a'),
                }
            }
            b.truncate(64 * blocks);
            let want = escaped_naive(&b);
            let mut carry = 0;
            for (j, block) in b.chunks_exact(64).enumerate() {
                let m = masks_portable(<&[u8; 64]>::try_from(block).unwrap());
                let got = escaped(m.backslash, &mut carry);
                for k in 0..64 {
                    let expect = want[64 * j + k] && block[k] != b'\\';
                    assert_eq!(got >> k & 1 == 1, expect, "{:?} at {}", b, 64 * j + k);
                }
            }
        }
    }

    #[test]
    fn prefix_xor_is_the_running_parity() {
        let mut r = Rng(0xFACE_FEED_0000_0001);
        for _ in 0..if cfg!(miri) { 50 } else { 10_000 } {
            let x = r.next() & r.next();
            let got = prefix_xor(x);
            let mut parity = 0;
            for k in 0..64 {
                parity ^= x >> k & 1;
                assert_eq!(got >> k & 1, parity, "{x:x}");
            }
        }
    }

    /// [`skip_container`] a byte at a time: a backslash escapes the next byte (an escaped
    /// quote neither opens nor closes a string), brackets outside strings count depth.
    fn skip_naive(b: &[u8], start: usize) -> Option<usize> {
        let (mut escape, mut inside, mut depth) = (false, false, 0i64);
        for (k, &c) in b.iter().enumerate().skip(start) {
            let was = core::mem::replace(&mut escape, false);
            match c {
                b'\\' if !was => escape = true,
                b'"' if !was => inside = !inside,
                b'{' | b'[' if !inside => depth += 1,
                b'}' | b']' if !inside => {
                    depth -= 1;
                    if depth <= 0 {
                        return Some(k + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }

    #[test]
    fn containers_end_where_a_byte_loop_says() {
        // Values whose strings hold brackets, escaped quotes and backslashes, nested to several
        // levels and long enough to span blocks; every one also cut short, and random bytes of
        // the same alphabet. On valid JSON the end is also the byte-at-a-time skipper's and
        // serde_json's.
        const PIECES: &[&str] = &[
            r#"{"a":"}"}"#,
            r#"["\"]","\\"]"#,
            r#"{"x":[1,2,{"y":"[{"}],"z":"\\\""}"#,
            r#"[]"#,
            r#"{}"#,
            r#""plain text that is long enough to cross a block boundary, and more""#,
            r#"-1.5e3"#,
            r#"{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi \"you\" \\ {"}}"#,
        ];
        let mut r = Rng(0x5EED_0F0B_10C5_0001);
        let cases = if cfg!(miri) { 40 } else { 30_000 };
        for case in 0..cases {
            let b: Vec<u8> = if case % 10 == 9 {
                core::iter::once(b'{')
                    .chain(
                        (0..r.below(300))
                            .map(|_| ALPHABET[r.below(ALPHABET.len() as u64) as usize]),
                    )
                    .collect()
            } else {
                let mut v = std::string::String::new();
                for _ in 0..r.below(4) {
                    v = std::format!(
                        "[{v}{}{}]",
                        if v.is_empty() { "" } else { "," },
                        PIECES[r.below(PIECES.len() as u64) as usize]
                    );
                }
                let body = std::format!(
                    "{{\"k\":{},\"v\":{}}},\"after\":1}}",
                    if v.is_empty() { "0" } else { &v },
                    PIECES[r.below(PIECES.len() as u64) as usize]
                );
                let mut body = body.into_bytes();
                if case % 7 == 0 {
                    body.truncate(r.below(body.len() as u64 + 1) as usize);
                }
                body
            };
            let want = skip_naive(&b, 0);
            assert_eq!(
                skip_container(&b, 0),
                want,
                "{}",
                std::string::String::from_utf8_lossy(&b)
            );
            if case % 10 != 9 && case % 7 != 0 {
                let end = want.expect("a whole value");
                assert_eq!(Some(end), super::super::skip_value_unchecked_bytes(&b, 0));
                assert!(serde_json::from_slice::<serde_json::Value>(&b[..end]).is_ok());
            }
        }
    }
}

//! Escape-dense string content decoded sixteen bytes at a time (x86_64, SSSE3).
//!
//! [`decode_string_in_place`](crate::json::decode_string_in_place) moves plain content a word at a
//! time and takes each escape on its own: where escapes are a few bytes apart (JSON held in a
//! string, `{\"sku\":\"4a1f\",\"n\":2}`, or a text with a quote every few words), each escape
//! costs a word step and an escape step. [`run`] decodes a block of sixteen bytes with any
//! number of one-character escapes at once: their characters are mapped by one table lookup,
//! and the backslashes are squeezed out by one shuffle.
//!
//! A block is decoded up to its first byte that needs more than that: the closing quote, a
//! control byte, `\\` (whose second backslash escapes nothing), or an escape that is not one
//! character (`\u`); before it, every backslash starts a one-character escape (`\"`, `\/`,
//! `\b`, `\f`, `\n`, `\r`, `\t`), and the decoded text is those bytes minus the backslashes.
//! It is cut where a character starts, so that it holds whole UTF-8 sequences, and when it holds
//! non-ASCII bytes they are checked in the block, before it is written: a block that is not
//! UTF-8, or whose cut leaves no escape (plain text, which the word decoder moves as fast), is
//! left to the word-at-a-time decoder, which finds every error at its offset. That decoder is
//! what the blocks are tested against (`tests::dense_blocks_decode_as_the_word_decoder_does`).
//! What the blocks decode is thus UTF-8 already, and the decoder's record of runs to check needs
//! nothing from here.
//!
//! Without SSSE3 (known at compile time, or with `std` at run time), [`run`] decodes nothing.

/// Decodes the blocks of sixteen bytes at `b[r..]` as the module says, moving the text to
/// `b[w..]`, while each holds an escape before its cut, and returns the read and write positions
/// after the last one: never inside an escape or a character. Returns `(r, w)` when the first
/// block is not decoded, and when `w == r`: each store writes sixteen bytes at `w`, which must
/// stay behind the bytes not yet read, so the caller has decoded an escape first. `w <= r`
/// must hold, as in the decoder, and `r` must not be inside an escape or a character.
#[inline]
pub(in crate::json) fn run(b: &mut [u8], r: usize, w: usize) -> (usize, usize) {
    #[cfg(all(
        target_arch = "x86_64",
        any(
            feature = "std",
            all(target_feature = "ssse3", target_feature = "popcnt")
        )
    ))]
    if ssse3::available() {
        // SAFETY: `ssse3::run` needs SSSE3 and POPCNT, which `available` just found: known at
        // compile time, or with `std` detected on this CPU.
        #[allow(unsafe_code)]
        return unsafe { ssse3::run(b, r, w) };
    }
    // Without them: nothing decoded.
    let _ = b;
    (r, w)
}

/// Whether [`run`] can decode anything on this machine (for tests that check it did).
#[cfg(test)]
pub(in crate::json) fn available() -> bool {
    #[cfg(all(
        target_arch = "x86_64",
        any(
            feature = "std",
            all(target_feature = "ssse3", target_feature = "popcnt")
        )
    ))]
    return ssse3::available();
    #[allow(unreachable_code)]
    false
}

/// The blocks, compiled where they can run: x86_64 with SSSE3 and POPCNT known at build time,
/// or with `std` to detect them.
#[cfg(all(
    target_arch = "x86_64",
    any(
        feature = "std",
        all(target_feature = "ssse3", target_feature = "popcnt")
    )
))]
pub(in crate::json) mod ssse3 {
    use core::arch::x86_64::*;

    /// Whether this CPU has SSSE3 and POPCNT.
    #[inline]
    pub(in crate::json) fn available() -> bool {
        #[cfg(all(target_feature = "ssse3", target_feature = "popcnt"))]
        return true;
        #[cfg(not(all(target_feature = "ssse3", target_feature = "popcnt")))]
        return std::is_x86_feature_detected!("ssse3") && std::is_x86_feature_detected!("popcnt");
    }

    /// [`utf8_block`] on `block`, for tests.
    #[cfg(test)]
    pub(in crate::json) fn utf8_block_checked(block: [u8; 16]) -> bool {
        assert!(available());
        // SAFETY: `load` and `utf8_block` need SSSE3, which `available` (asserted above) found.
        #[allow(unsafe_code)]
        unsafe {
            utf8_block(load(&block))
        }
    }

    /// Sixteen bytes as one register (two halves set into it: the compiler loads them as one).
    #[target_feature(enable = "ssse3")]
    #[inline]
    fn load(bytes: &[u8; 16]) -> __m128i {
        let (lo, hi) = bytes.split_at(8);
        let word = |s: &[u8]| u64::from_le_bytes(<[u8; 8]>::try_from(s).unwrap_or_default());
        _mm_set_epi64x(word(hi) as i64, word(lo) as i64)
    }

    /// For each eight-bit mask of bytes to drop, the shuffle that packs the bytes kept to the front
    /// (0x80 past them: a zero byte, which the store after it overwrites or leaves unread).
    static PACK: [u64; 256] = {
        let mut t = [0u64; 256];
        let mut m = 0;
        while m < 256 {
            let mut out = [0x80u8; 8];
            let (mut k, mut n) = (0, 0);
            while k < 8 {
                if m >> k & 1 == 0 {
                    out[n] = k as u8;
                    n += 1;
                }
                k += 1;
            }
            t[m] = u64::from_le_bytes(out);
            m += 1;
        }
        t
    };

    /// [`super::run`], sixteen bytes at a time.
    #[target_feature(enable = "ssse3,popcnt")]
    pub(super) fn run(b: &mut [u8], mut r: usize, mut w: usize) -> (usize, usize) {
        if w >= r {
            return (r, w);
        }
        let splat = |c: u8| _mm_set1_epi8(c as i8);
        // What `b`, `f`, `n`, `r` and `t` stand for, by bits 1–4 of the letter (`"` and `/` stand
        // for themselves and are not looked up).
        let letters = load(&[
            0, 0x08, 0, 0x0C, 0, 0, 0, 0x0A, 0, 0x0D, 0x09, 0, 0, 0, 0, 0,
        ]);
        let index = load(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
        while let Some(&block) = b.get(r..).and_then(|s| s.first_chunk::<16>()) {
            let v = load(&block);
            let bits = |x| _mm_movemask_epi8(x) as u32;
            let non_ascii = bits(v);
            let ascii = !non_ascii & 0xFFFF;
            let backslash = bits(_mm_cmpeq_epi8(v, splat(b'\\')));
            // The bytes right after a backslash (bit 16: after the last byte).
            let escaped = backslash << 1;
            let quote = bits(_mm_cmpeq_epi8(v, splat(b'"')));
            // Escapes other than `\"` (the usual one in JSON held in a string) are looked at only
            // when there are some: each must be one of the others with one character.
            let mut other = escaped & !quote & 0xFFFF;
            if other != 0 {
                let simple = _mm_or_si128(
                    _mm_or_si128(
                        _mm_or_si128(
                            _mm_cmpeq_epi8(v, splat(b'/')),
                            _mm_cmpeq_epi8(v, splat(b'b')),
                        ),
                        _mm_or_si128(
                            _mm_cmpeq_epi8(v, splat(b'f')),
                            _mm_cmpeq_epi8(v, splat(b'n')),
                        ),
                    ),
                    _mm_or_si128(
                        _mm_cmpeq_epi8(v, splat(b'r')),
                        _mm_cmpeq_epi8(v, splat(b't')),
                    ),
                );
                other &= !bits(simple);
            }
            // Signed: bytes below 0x20, and bytes of 0x80 and up (taken out with `ascii`).
            let control = bits(_mm_cmplt_epi8(v, splat(0x20))) & ascii;
            // Where this decoding must stop: the closing quote, a control byte, `\\` (at its second
            // backslash), an escape that is not one-character (at its letter). Each is ASCII.
            let stops = (quote & !escaped) | control | (backslash & escaped) | other;
            let len = if stops | non_ascii == 0 {
                16
            } else {
                let first_stop = stops.trailing_zeros().min(16);
                // The block is cut where a character starts (before an ASCII byte, or after one),
                // at the first stop or before: whole UTF-8 sequences only.
                let starts = (ascii | ascii << 1) & ((2u32 << first_stop) - 1);
                if starts & !1 == 0 {
                    break;
                }
                31 - starts.leading_zeros() as usize
            };
            let keep = (1u32 << len) - 1;
            let backslash = backslash & keep;
            if backslash == 0 {
                // Plain content: the word decoder moves it as fast.
                break;
            }
            // A backslash in the last byte kept is left, with its escape, to what reads next.
            let read = len - (backslash >> (len - 1) & 1) as usize;
            // The store below ends at `w + 16`, which must be behind the bytes not yet read.
            if w + 16 > r + read {
                break;
            }
            if non_ascii & keep != 0 {
                // What is kept must be UTF-8 (whole sequences, the rest of the block zeroed);
                // else the word decoder finds the error, at its offset.
                let kept = _mm_and_si128(v, _mm_cmplt_epi8(index, _mm_set1_epi8(len as i8)));
                if !utf8_block(kept) {
                    break;
                }
            }
            // The byte after each backslash, mapped when it is a letter (ASCII above 0x5F).
            let after_backslash = _mm_cmpeq_epi8(_mm_slli_si128::<1>(v), splat(b'\\'));
            let letter = _mm_and_si128(after_backslash, _mm_cmpgt_epi8(v, splat(0x5F)));
            let mapped =
                _mm_shuffle_epi8(letters, _mm_and_si128(_mm_srli_epi16::<1>(v), splat(0x0F)));
            let decoded = _mm_or_si128(_mm_andnot_si128(letter, v), _mm_and_si128(letter, mapped));
            // The shuffle that packs the bytes kept, without the backslashes: each half's from the
            // table, the second's placed right after the first's.
            let dropped = backslash | (!keep & 0xFFFF);
            let (drop_lo, drop_hi) = ((dropped & 0xFF) as usize, (dropped >> 8 & 0xFF) as usize);
            let kept_lo = 8 - drop_lo.count_ones();
            let pack_lo = u128::from(PACK.get(drop_lo).copied().unwrap_or_default());
            let pack_hi =
                u128::from(PACK.get(drop_hi).copied().unwrap_or_default() + 0x0808_0808_0808_0808);
            let pack = (pack_lo & ((1u128 << (8 * kept_lo)) - 1)) | pack_hi << (8 * kept_lo);
            let pack = _mm_set_epi64x((pack >> 64) as i64, pack as i64);
            let packed = _mm_shuffle_epi8(decoded, pack);
            if let Some(dst) = b.get_mut(w..).and_then(|d| d.first_chunk_mut::<16>()) {
                let lo = _mm_cvtsi128_si64(packed) as u64;
                let hi = _mm_cvtsi128_si64(_mm_unpackhi_epi64(packed, packed)) as u64;
                *dst = (u128::from(lo) | u128::from(hi) << 64).to_le_bytes();
            }
            r += read;
            w += len - backslash.count_ones() as usize;
            if stops != 0 {
                // At a stop (`len` is at most its offset): the word decoder takes it.
                break;
            }
        }
        (r, w)
    }

    /// Whether sixteen bytes that start and end on whole characters (the bytes before and after
    /// them taken as ASCII) are UTF-8: the lookup method of Keiser and Lemire ("Validating UTF-8
    /// in less than one instruction per byte", 2021), one block.
    #[target_feature(enable = "ssse3")]
    fn utf8_block(v: __m128i) -> bool {
        // Error classes, one bit each: a byte pair's first byte's high and low nibbles and the
        // second byte's high nibble each allow some; an error is a class all three allow.
        const TOO_SHORT: u8 = 1 << 0;
        const TOO_LONG: u8 = 1 << 1;
        const OVERLONG_3: u8 = 1 << 2;
        const TOO_LARGE: u8 = 1 << 3;
        const SURROGATE: u8 = 1 << 4;
        const OVERLONG_2: u8 = 1 << 5;
        const TOO_LARGE_1000: u8 = 1 << 6;
        const OVERLONG_4: u8 = 1 << 6;
        const TWO_CONTS: u8 = 1 << 7;
        const CARRY: u8 = TOO_SHORT | TOO_LONG | TWO_CONTS;
        let first_high = load(&[
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TOO_LONG,
            TWO_CONTS,
            TWO_CONTS,
            TWO_CONTS,
            TWO_CONTS,
            TOO_SHORT | OVERLONG_2,
            TOO_SHORT,
            TOO_SHORT | OVERLONG_3 | SURROGATE,
            TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,
        ]);
        const L: u8 = CARRY | TOO_LARGE | TOO_LARGE_1000;
        let first_low = load(&[
            CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4,
            CARRY | OVERLONG_2,
            CARRY,
            CARRY,
            CARRY | TOO_LARGE,
            L,
            L,
            L,
            L,
            L,
            L,
            L,
            L,
            L | SURROGATE,
            L,
            L,
        ]);
        const CONT_80: u8 =
            TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4;
        const CONT_90: u8 = TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE;
        const CONT_A0: u8 = TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE;
        let second_high = load(&[
            TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
            CONT_80, CONT_90, CONT_A0, CONT_A0, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
        ]);
        let nibbles = _mm_set1_epi8(0x0F);
        let high = |x| _mm_and_si128(_mm_srli_epi16::<4>(x), nibbles);
        // The byte before each (zero before the first: ASCII), and two and three before.
        let prev1 = _mm_slli_si128::<1>(v);
        let classes = _mm_and_si128(
            _mm_and_si128(
                _mm_shuffle_epi8(first_high, high(prev1)),
                _mm_shuffle_epi8(first_low, _mm_and_si128(prev1, nibbles)),
            ),
            _mm_shuffle_epi8(second_high, high(v)),
        );
        // Continuations that a three- or four-byte lead two or three bytes before requires: they
        // must be where the pairs say `TWO_CONTS` (bit 7), and nowhere else.
        let third = _mm_subs_epu8(_mm_slli_si128::<2>(v), _mm_set1_epi8((0xE0u8 - 0x80) as i8));
        let fourth = _mm_subs_epu8(_mm_slli_si128::<3>(v), _mm_set1_epi8((0xF0u8 - 0x80) as i8));
        let required = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(0x80u8 as i8));
        let error = _mm_xor_si128(classes, required);
        _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF
    }
}

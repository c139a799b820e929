//! Arrays and objects skipped, and a top-level key looked for near the ends of a body, 64 bytes
//! at a time, without looking at each byte.
//!
//! Each block of 64 bytes becomes bit masks (one bit per byte): quotes, backslashes, opening
//! and closing brackets, and (for the search) a key's first byte. For a skip, with no branch
//! per byte, come from those the bytes a backslash escapes (an odd run of backslashes before
//! them) and the bytes inside strings (a running XOR of the unescaped quotes); only the
//! brackets outside strings are then visited, to follow the depth. The search needs neither:
//! it stops at the first bracket from either end, and tells an escaped quote from a key's
//! opening one where it finds it, by the backslashes before it. On x86_64 the masks come from
//! SSE2 compares (part of every x86_64 target); [`masks_portable`] is the definition they are
//! tested against, and elsewhere the byte-at-a-time skipper and the member walk run instead.
//!
//! Unchecked, like the skips and walks they stand in for: exact on valid JSON, arbitrary (never
//! a panic, never a read out of bounds) on anything else. A backslash escapes the byte after it
//! wherever it stands (valid JSON has none outside strings).

/// One block's bit masks: bit `k` is byte `k` of the block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(in crate::json) struct Masks {
    pub(in crate::json) quote: u64,
    pub(in crate::json) backslash: u64,
    /// `{` and `[`.
    pub(in crate::json) open: u64,
    /// `}` and `]`.
    pub(in crate::json) close: u64,
    /// The byte asked for (a key's first byte), when asked for.
    pub(in crate::json) lead: u64,
}

/// The masks of `block`, a byte at a time: what the SIMD version must give.
#[cfg_attr(
    all(target_arch = "x86_64", target_feature = "sse2", not(test)),
    allow(dead_code)
)]
pub(in crate::json) fn masks_portable<const LEAD: bool>(block: &[u8; 64], lead: u8) -> Masks {
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
        if LEAD && c == lead {
            m.lead |= bit;
        }
    }
    m
}

/// The masks of `block` by SSE2: sixteen bytes per compare.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(in crate::json) fn masks<const LEAD: bool>(block: &[u8; 64], lead: u8) -> Masks {
    // SAFETY: `masks_sse2` requires SSE2 and nothing else; `cfg(target_feature = "sse2")` on
    // this function proves at compile time that the target has it (every x86_64 target does).
    #[allow(unsafe_code)]
    unsafe {
        masks_sse2::<LEAD>(block, lead)
    }
}

/// Elsewhere (where this module is compiled for its tests only): the portable masks.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(in crate::json) fn masks<const LEAD: bool>(block: &[u8; 64], lead: u8) -> Masks {
    masks_portable::<LEAD>(block, lead)
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn masks_sse2<const LEAD: bool>(block: &[u8; 64], lead: u8) -> Masks {
    use core::arch::x86_64::*;
    let splat = |c: u8| _mm_set1_epi8(c as i8);
    let (quote, backslash, open, close, fold, first) = (
        splat(b'"'),
        splat(b'\\'),
        splat(b'{'),
        splat(b'}'),
        splat(0x20),
        splat(lead),
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
        if LEAD {
            m.lead |= bits(_mm_cmpeq_epi8(v, first));
        }
    }
    m
}

/// The bytes of a block that a backslash escapes: each byte right after an odd-length run of
/// backslashes. `odd_carry` is 1 when the previous block ended inside such a run (an odd
/// number of its trailing backslashes still waiting for the byte they escape), and is updated
/// for the next block. (The carry-propagation method of simdjson's stage 1: adding each run's
/// start to the run carries to just past its end; the parity of start and end tells odd runs.)
#[inline]
pub(in crate::json) fn escaped(backslash: u64, odd_carry: &mut u64) -> u64 {
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
pub(in crate::json) fn prefix_xor(mut x: u64) -> u64 {
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
        // Past the end, spaces (which change nothing).
        let m = masks::<false>(&block_at(b, i), 0);
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

/// The member named `key` (spelled without escapes) among the members of the object `b` that
/// stand before its first bracket or after its last one (the top-level object's own excepted),
/// looked for from both ends with the same masks: before any bracket the depth can only be
/// one, so no walk is needed to know that a key found there is a member of the top-level
/// object. Returns the index of the key's opening quote and of its value: from the front, the
/// first such member; else, from the back, the last. `None` when both
/// searches reach a bracket first (a bracket inside a string counts too: the search is only
/// ever cut short by one, never misled) or the body is not `{ … }`.
///
/// Exact on valid JSON, where an unescaped quote followed by the key, a quote and a colon is
/// always a key ([`key_at`] passes over escaped ones). Unchecked; see the module.
pub(crate) fn find_key_near_ends(b: &[u8], key: &str) -> Option<(usize, usize)> {
    let key = key.as_bytes();
    let &lead = key.first()?;
    let open = super::super::skip_ws(b, 0);
    let close = super::super::ws_before(b, b.len()).checked_sub(1)?;
    if b.get(open) != Some(&b'{') || b.get(close) != Some(&b'}') || close <= open {
        return None;
    }
    // Forward from just after `{`.
    let mut s = open + 1;
    while s < close {
        let (brackets, candidates) = search_block(b, s, close - s, lead);
        let before = if brackets == 0 {
            u64::MAX
        } else {
            low_bits(brackets.trailing_zeros() as usize)
        };
        let mut quotes = candidates & before;
        while quotes != 0 {
            let quote = s + quotes.trailing_zeros() as usize;
            if let Some(value) = key_at(b, quote, key) {
                return Some((quote, value));
            }
            quotes &= quotes - 1;
        }
        if brackets != 0 {
            break;
        }
        s += 64;
    }
    // Backward from just before the closing `}`.
    let mut e = close;
    while e > open + 1 {
        let s = e.saturating_sub(64).max(open + 1);
        let (brackets, candidates) = search_block(b, s, e - s, lead);
        let after = if brackets == 0 {
            u64::MAX
        } else {
            !low_bits(64 - brackets.leading_zeros() as usize)
        };
        let mut quotes = candidates & after;
        while quotes != 0 {
            let k = 63 - quotes.leading_zeros() as usize;
            if let Some(value) = key_at(b, s + k, key) {
                return Some((s + k, value));
            }
            quotes &= !(1u64 << k);
        }
        if brackets != 0 {
            break;
        }
        e = s;
    }
    None
}

/// The block of `b` at `s`, of which the first `len` bytes count: its brackets, and its quotes
/// followed by `lead` (the candidates for a key starting with it).
#[inline]
fn search_block(b: &[u8], s: usize, len: usize, lead: u8) -> (u64, u64) {
    let valid = low_bits(len);
    let m = masks::<true>(&block_at(b, s), lead);
    let candidates = m.quote & followed_by_lead(b, s, m.lead, lead);
    ((m.open | m.close) & valid, candidates & valid)
}

/// The bits of the block at `s` whose next byte is `lead` (the last one's next byte is the
/// next block's first), from the block's `lead` mask: the quotes worth comparing with a key.
#[inline]
fn followed_by_lead(b: &[u8], s: usize, lead_mask: u64, lead: u8) -> u64 {
    lead_mask >> 1 | u64::from(b.get(s + 64) == Some(&lead)) << 63
}

/// The bits below bit `n` (all 64 from `n = 64` on).
#[inline]
fn low_bits(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
}

/// The 64 bytes of `b` from `s`, padded with spaces past its end.
#[inline]
fn block_at(b: &[u8], s: usize) -> [u8; 64] {
    if let Some(full) = b.get(s..s + 64).and_then(|w| <[u8; 64]>::try_from(w).ok()) {
        return full;
    }
    let mut tail = [b' '; 64];
    let rest = b.get(s..).unwrap_or_default();
    if let Some(dst) = tail.get_mut(..rest.len()) {
        dst.copy_from_slice(rest);
    }
    tail
}

/// Whether the string at `b[quote]` is `"key"` followed by `:`; the index of the value. (Not
/// `member_unchecked`: that scans the whole string, where a key of known length needs only its
/// closing quote checked.)
///
/// A quote after an odd run of backslashes is string content, not the start of a key: in
/// `"x\"CallbackCommand":…` the key is `x"CallbackCommand`. Any other quote followed by the
/// key's text opens a string (a closing quote is followed by `,`, `:`, a bracket or
/// whitespace), which the key's closing quote ends and the colon makes a key.
#[inline]
fn key_at(b: &[u8], quote: usize, key: &[u8]) -> Option<usize> {
    let end = quote + 1 + key.len();
    if b.get(end) != Some(&b'"')
        || !super::super::same_bytes(b.get(quote + 1..end)?, key)
        || super::super::escaped_at(b, quote)
    {
        return None;
    }
    let colon = super::super::skip_ws(b, end + 1);
    (b.get(colon) == Some(&b':')).then(|| super::super::skip_ws(b, colon + 1))
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

    /// Fewer than `max` random bytes of [`ALPHABET`]: hostile input.
    fn noise(r: &mut Rng, max: u64) -> Vec<u8> {
        (0..r.below(max))
            .map(|_| ALPHABET[r.below(ALPHABET.len() as u64) as usize])
            .collect()
    }

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
            let lead = r.next() as u8;
            assert_eq!(
                masks::<true>(&block, lead),
                masks_portable::<true>(&block, lead),
                "{block:?}"
            );
            assert_eq!(
                masks::<false>(&block, lead),
                masks_portable::<false>(&block, lead)
            );
        }
        // Every byte value at every position.
        for c in 0..=255u8 {
            let block = [c; 64];
            assert_eq!(
                masks::<true>(&block, b'C'),
                masks_portable::<true>(&block, b'C')
            );
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
                let m = masks_portable::<false>(<&[u8; 64]>::try_from(block).unwrap(), 0);
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
                let mut b = std::vec![b'{'];
                b.extend(noise(&mut r, 300));
                b
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
                assert_eq!(
                    Some(end),
                    super::super::super::skip_value_unchecked_bytes(&b, 0)
                );
                assert!(serde_json::from_slice::<serde_json::Value>(&b[..end]).is_ok());
            }
        }
    }

    /// [`find_key_near_ends`] a byte at a time: the first `"key"` followed by `:` between the
    /// object's `{` and its first bracket, else the last one between its last bracket and its
    /// closing `}`; its opening quote not escaped (each backslash, from the first byte on,
    /// escaping the byte after it unless it is escaped itself).
    fn near_ends_naive(b: &[u8], key: &str) -> Option<(usize, usize)> {
        let open = super::super::super::skip_ws(b, 0);
        let close = super::super::super::ws_before(b, b.len()).checked_sub(1)?;
        if b.get(open) != Some(&b'{') || b.get(close) != Some(&b'}') || close <= open {
            return None;
        }
        let mut escaped = std::vec![false; b.len()];
        for k in 1..b.len() {
            escaped[k] = b[k - 1] == b'\\' && !escaped[k - 1];
        }
        let is_key = |k: usize| {
            let end = k + 1 + key.len();
            let text = b.get(k + 1..end) == Some(key.as_bytes()) && b.get(end) == Some(&b'"');
            let colon = super::super::super::skip_ws(b, end + 1);
            (b[k] == b'"' && !escaped[k] && text && b.get(colon) == Some(&b':'))
                .then(|| super::super::super::skip_ws(b, colon + 1))
        };
        let is_bracket = |c: u8| matches!(c, b'{' | b'[' | b'}' | b']');
        let inner = open + 1..close;
        let first = inner.clone().find(|&k| is_bracket(b[k])).unwrap_or(close);
        let found = |k: usize| is_key(k).map(|value| (k, value));
        if let Some(hit) = (open + 1..first).find_map(found) {
            return Some(hit);
        }
        let last = inner.clone().rev().find(|&k| is_bracket(b[k]))?;
        (last + 1..close).rev().find_map(found)
    }

    #[test]
    fn the_key_near_the_ends_agrees_with_a_byte_loop() {
        // Members with and without brackets in every order, the key among them (plain, spaced,
        // escaped, nested, in text), long members so that the searches cross blocks, cut and
        // random bodies of the same alphabet.
        const PIECES: &[&str] = &[
            r#""CallbackCommand":"State.StateChange""#,
            r#""CallbackCommand" : "C2C.CallbackAfterSendMsg""#,
            r#""X":{"CallbackCommand":"Nested"}"#,
            r#""T":"\"CallbackCommand\":\"InText\"""#,
            r#""Callback\u0043ommand":"Escaped""#,
            r#""W":["CallbackCommand"]"#,
            r#""S":"a [ in text""#,
            r#""CallbackComman":"Short""#,
            r#""x\"CallbackCommand":"AfterEscapedQuote""#,
            r#""x\\\"CallbackCommand":"AfterThreeBackslashes""#,
            r#""x\\":"CallbackCommand""#,
            r#""N":12345678901234567890"#,
            r#""L":"long text long text long text long text long text long text long""#,
        ];
        let mut r = Rng(0xBEEF_0000_1234_5678);
        let cases = if cfg!(miri) { 40 } else { 30_000 };
        let mut found = 0;
        for case in 0..cases {
            let b: Vec<u8> = if case % 10 == 9 {
                let mut b = std::vec![b'{'];
                b.extend(noise(&mut r, 200));
                b.extend_from_slice(b"\"CallbackCommand\":1}");
                b
            } else {
                let n = r.below(12) as usize;
                let members: Vec<&str> = (0..n)
                    .map(|_| PIECES[r.below(PIECES.len() as u64) as usize])
                    .collect();
                let sep = [",", " , ", ",\n    "][r.below(3) as usize];
                let mut body = std::format!(" {{{}}}\n", members.join(sep)).into_bytes();
                if case % 7 == 0 {
                    body.truncate(r.below(body.len() as u64 + 1) as usize);
                }
                body
            };
            let want = near_ends_naive(&b, "CallbackCommand");
            found += usize::from(want.is_some());
            assert_eq!(
                find_key_near_ends(&b, "CallbackCommand"),
                want,
                "{}",
                std::string::String::from_utf8_lossy(&b)
            );
        }
        assert!(found > cases / 4, "{found} of {cases}");
    }
}

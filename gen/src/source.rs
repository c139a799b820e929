//! Where the generator's choices come from: a seeded generator for reproducible streams, or a
//! fuzzer's bytes, so that a mutation of the bytes is a mutation of the body's structure.

/// A source of choices. Every decision the generator makes is one call.
pub trait Source {
    /// A number in `0..n` (`n > 0`); `0` is the simplest choice (the one a fuzzer's shrinking
    /// or an exhausted byte string falls back to).
    fn below(&mut self, n: u64) -> u64;

    /// `true` with probability `p` (a seeded source; a byte source draws a byte).
    fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            return false;
        }
        if p >= 1.0 {
            return true;
        }
        (self.below(1 << 20) as f64) < p * f64::from(1u32 << 20)
    }

    /// An index by `weights` (not all zero).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut at = self.below(total.max(1));
        for (i, &w) in weights.iter().enumerate() {
            if at < u64::from(w) {
                return i;
            }
            at -= u64::from(w);
        }
        weights.len() - 1
    }
}

impl dyn Source + '_ {
    /// One of `items` (not empty).
    pub fn pick<'t, T>(&mut self, items: &'t [T]) -> &'t T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A seeded pseudo-random source (SplitMix64): the same seed gives the same choices on every
/// platform and release of this crate's major version.
#[derive(Clone, Debug)]
pub struct Seeded(u64);

impl Seeded {
    /// A source for `seed`.
    pub fn new(seed: u64) -> Self {
        Seeded(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Source for Seeded {
    fn below(&mut self, n: u64) -> u64 {
        // Lemire's multiply-shift: unbiased enough for test traffic, and no division.
        ((u128::from(self.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }
}

/// Choices read from bytes, as a fuzzer or a shrinking property test supplies them: each
/// choice takes as few bytes as its range needs, and an exhausted string gives `0`s, the
/// simplest choices, so shorter bytes make smaller bodies.
#[derive(Clone, Debug)]
pub struct Bytes<'a> {
    bytes: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// A source reading `bytes` from the start.
    pub fn new(bytes: &'a [u8]) -> Self {
        Bytes { bytes }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.bytes
    }
}

impl Source for Bytes<'_> {
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        let width = (64 - (n - 1).leading_zeros()).div_ceil(8) as usize;
        let take = width.min(self.bytes.len());
        let (head, tail) = self.bytes.split_at(take);
        self.bytes = tail;
        let raw = head.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
        raw % n
    }
}

#[cfg(feature = "arbitrary")]
impl Source for arbitrary::Unstructured<'_> {
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        self.int_in_range(0..=n - 1).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_choices_stay_in_range_and_cover_it() {
        let mut s = Seeded::new(7);
        let mut seen = [0u32; 5];
        for _ in 0..5_000 {
            seen[s.below(5) as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
        assert_eq!(Seeded::new(1).below(1000), Seeded::new(1).below(1000));
    }

    #[test]
    fn bytes_give_zeros_when_exhausted_and_stay_in_range() {
        let mut b = Bytes::new(&[0xFF, 0x01, 0x02]);
        assert_eq!(b.below(10), 0xFF % 10);
        assert_eq!(b.below(1000), 258);
        assert_eq!(b.below(1000), 0);
        assert_eq!(b.rest(), &[] as &[u8]);
    }

    #[test]
    fn weighted_follows_the_weights() {
        let mut seeded = Seeded::new(3);
        let s: &mut dyn Source = &mut seeded;
        let mut seen = [0u32; 3];
        for _ in 0..10_000 {
            seen[s.weighted(&[1, 0, 9])] += 1;
        }
        assert_eq!(seen[1], 0);
        assert!(seen[2] > 8 * seen[0], "{seen:?}");
    }
}

//! The check that a list's second read gives what its first read gave, value for value.
//!
//! The first read of a list decodes every element (validating and rewriting it) and drops the
//! values; iteration decodes them again from the rewritten bytes, trusting the notes the first
//! read left. The two must agree, and nothing but this check compares them: as each element is
//! decoded the first time, its `Debug` text is hashed; once the whole list is validated, the
//! list is iterated as a user would and hashed the same way, and the two must match.
//!
//! It costs a `Debug` formatting of every element twice, so it runs only where it is wanted: in
//! the fuzz targets (`cfg(fuzzing)`) and in debug builds with the hidden feature
//! `__check-rereads` (which `cargo test --all-features` turns on), but not under Miri, which
//! looks for undefined behaviour and would take twice as long. A mismatch panics: it is a
//! bug in this crate, never a property of the input.

use core::fmt::{self, Debug, Write};

use crate::read::Decode;
use crate::read::List;

/// FNV-1a over the text written into it, with a separator between values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Fingerprint(u64);

impl Fingerprint {
    pub(crate) const fn new() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }

    /// Adds one value: its `Debug` text, then a byte that no such text holds.
    pub(crate) fn add(&mut self, value: &impl Debug) {
        // `Fingerprint::write_str` never fails; an error could only come from a `Debug` impl.
        let _ = write!(self, "{value:?}");
        self.byte(0xFF);
    }
}

impl Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        s.bytes().for_each(|b| self.byte(b));
        Ok(())
    }
}

/// Iterates the list over `region` (validated and rewritten, `len` elements) and panics unless
/// its elements hash to `first`, the first read's fingerprint.
pub(crate) fn check<T: Decode>(region: &[u8], len: usize, first: Fingerprint) {
    let mut second = Fingerprint::new();
    let mut count = 0;
    for item in List::<T>::new(region, len).iter() {
        second.add(&item);
        count += 1;
    }
    assert!(
        count == len && second == first,
        "the second read of a list differs from its first read ({count} of {len} elements read \
         again); list bytes: {region:?}"
    );
}

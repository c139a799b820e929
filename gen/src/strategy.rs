//! `proptest` strategies: bodies drawn from a byte string that proptest shrinks, so a failing
//! case shrinks towards fewer and simpler choices (shorter lists, shorter texts, the first
//! command), not only towards another seed.
//!
//! ```
//! use proptest::prelude::*;
//! use tim_callback_gen::{Expect, Options, strategy};
//!
//! proptest! {
//!     #![proptest_config(ProptestConfig::with_cases(50))]
//!     fn my_handler_takes_every_valid_body(body in strategy::bodies(Options::default())) {
//!         let mut bytes = body.bytes.clone();
//!         prop_assert!(tim_callback::parse_as(body.command, &mut bytes).is_ok());
//!         prop_assert_eq!(body.expect, Expect::Valid);
//!     }
//! }
//! # my_handler_takes_every_valid_body();
//! ```

use proptest::prelude::*;

use crate::source::Bytes;
use crate::{Body, Options};

/// Bodies generated with `options`.
pub fn bodies(options: Options) -> impl Strategy<Value = Body> {
    choices().prop_map(move |bytes| from_choices(&bytes, &options))
}

/// Bodies at the edges of validity ([`Options::edge_cases`]), for differential tests.
pub fn edge_cases() -> impl Strategy<Value = Body> {
    bodies(Options::edge_cases())
}

/// The byte strings bodies are drawn from.
fn choices() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..16_384)
}

/// The body `bytes` choose; once they run out, every choice is the simplest.
fn from_choices(bytes: &[u8], options: &Options) -> Body {
    Body::generate(&mut Bytes::new(bytes), options)
}

//! Tencent Cloud IM callback bodies for fuzz targets, property tests and load tests: every one
//! of the 58 commands, realistic or hostile, deterministic for a seed.
//!
//! - [`Generator`]: a seeded stream of [`Body`]s, shaped by [`Options`] (which commands, text
//!   length and script, escapes, JSON in `Data`, relay depth, list lengths, key order, layout,
//!   unknown keys, the share of invalid bodies). What `tim-callback gen` writes.
//! - Each body says what to expect of it ([`Expect`]): valid (it parses with
//!   [`tim_callback::parse_as`] and its command), or invalid by one named [`Flaw`], with the
//!   rejection that flaw must get ([`Flaw::matches`]).
//! - [`Body`] implements [`arbitrary::Arbitrary`] (feature `arbitrary`): a `cargo fuzz` target
//!   receives structured callbacks, and the fuzzer's mutations of its bytes are mutations of
//!   the body's structure.
//! - [`strategy`] has `proptest` strategies (feature `proptest`) that shrink towards smaller
//!   bodies.
//! - [`schema`]: the fields and types of every command and message element.
//!
//! ```
//! use tim_callback_gen::{Expect, Generator, Options};
//!
//! let options = Options { invalid: 0.2, ..Options::default() };
//! for body in Generator::new(42, options).take(100) {
//!     let mut bytes = body.bytes.clone();
//!     let parsed = tim_callback::parse_as(body.command, &mut bytes);
//!     match body.expect {
//!         Expect::Valid => assert!(parsed.is_ok()),
//!         Expect::Invalid(flaw) => assert!(flaw.matches(parsed.unwrap_err().kind())),
//!         Expect::Unknown => {}
//!     }
//! }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod flaw;
mod generate;
mod options;
pub mod schema;
pub mod source;
#[cfg(feature = "proptest")]
pub mod strategy;
mod tree;

pub use flaw::{Flaw, UnknownFlaw};
pub use generate::MAX_RELAY_DEPTH;
pub use options::{KeyOrder, Layout, Mix, Options, Script};
use source::{Seeded, Source};

/// A generated callback body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    /// The command it is for: what the query string's `CallbackCommand` says.
    pub command: &'static str,
    /// The bytes, as Tencent would POST them.
    pub bytes: Vec<u8>,
    /// Whether it must be accepted.
    pub expect: Expect,
}

/// What a parser must do with a [`Body`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Accept it.
    Valid,
    /// Reject it, for this flaw.
    Invalid(Flaw),
    /// Not known to the generator ([`Options::edge_cases`]): a reference parser decides.
    Unknown,
}

impl Body {
    /// One body from `source`'s choices.
    pub fn generate(source: &mut dyn Source, options: &Options) -> Body {
        generate::body(source, options)
    }
}

/// Writes `text` as a JSON string to `out` the way the generator does: quotes, backslashes and
/// control characters always escaped, any other character escaped with probability `escapes`
/// (`\uXXXX` in either case of hex, surrogate pairs beyond the BMP, `\/`).
pub fn write_string(text: &str, escapes: f64, source: &mut dyn Source, out: &mut Vec<u8>) {
    let style = tree::Style {
        layout: Layout::Compact,
        escapes,
        escape_all: false,
        random_spaces: false,
    };
    tree::string(text, out, &style, source);
}

/// A seeded, endless stream of bodies: the same seed and options give the same bodies.
#[derive(Clone, Debug)]
pub struct Generator {
    source: Seeded,
    options: Options,
}

impl Generator {
    /// A stream for `seed`.
    pub fn new(seed: u64, options: Options) -> Self {
        Generator {
            source: Seeded::new(seed),
            options,
        }
    }

    /// The options it generates with.
    pub fn options(&self) -> &Options {
        &self.options
    }
}

impl Iterator for Generator {
    type Item = Body;
    fn next(&mut self) -> Option<Body> {
        Some(generate::body(&mut self.source, &self.options))
    }
}

#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
/// A body with options drawn from the bytes too: any command, knobs anywhere in their ranges,
/// valid a little over half of the time, otherwise invalid by one flaw.
///
/// ```
/// use arbitrary::{Arbitrary, Unstructured};
/// use tim_callback_gen::{Body, Expect};
///
/// // What a fuzz target's `|body: Body|` receives, from the fuzzer's bytes.
/// let bytes = [7u8; 512];
/// let body = Body::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
/// let mut copy = body.bytes.clone();
/// let parsed = tim_callback::parse_as(body.command, &mut copy);
/// match body.expect {
///     Expect::Valid => assert!(parsed.is_ok()),
///     Expect::Invalid(flaw) => assert!(flaw.matches(parsed.unwrap_err().kind())),
///     Expect::Unknown => unreachable!("not asked for"),
/// }
/// ```
impl<'a> arbitrary::Arbitrary<'a> for Body {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let options = arbitrary_options(u);
        Ok(generate::body(u, &options))
    }
}

/// Options with every knob drawn from `source`.
pub fn arbitrary_options(source: &mut dyn Source) -> Options {
    Options {
        commands: Vec::new(),
        mix: *source.pick(&[Mix::Uniform, Mix::Realistic]),
        text_len: source.below(200) as usize,
        text_min: source.below(20) as usize,
        specials: *source.pick(&[0.0, 0.025, 0.3]),
        data_len: *source.pick(&[0, 0, 500, 3000]),
        elements: Vec::new(),
        script: *source.pick(&[Script::Mixed, Script::Ascii, Script::Cjk, Script::Emoji]),
        escapes: *source.pick(&[0.0, 0.01, 0.2, 1.0]),
        json_in_data: source.below(2) == 0,
        relay_depth: source.below(u64::from(MAX_RELAY_DEPTH) + 1) as u32,
        list_len: source.below(40) as usize,
        key_order: *source.pick(&[KeyOrder::Documented, KeyOrder::Shuffled, KeyOrder::Sorted]),
        layout: *source.pick(&[Layout::Compact, Layout::Pretty]),
        unknown_keys: *source.pick(&[0.0, 0.05, 0.5, 1.0]),
        invalid: *source.pick(&[0.0, 0.4, 1.0]),
        edge_cases: false,
    }
}

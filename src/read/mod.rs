//! The two-pass reading of a body: the validating first read ([`MutReader`], which rewrites
//! the buffer as described in [`crate::json::format`]), the [`Decode`] trait every field type
//! implements and the `record!` macro that writes a struct's decoder, and the lazy second read
//! of lists ([`List`] over a [`SharedReader`]). These modules call each other (a list is
//! decoded by the reader and read again through it), so they live together here and nowhere
//! else depends back on them.

#[cfg(not(feature = "perf"))]
mod any_reader;
mod decode;
#[cfg(check_rereads)]
mod first_read;
mod list;
mod reader;

#[cfg(not(feature = "perf"))]
pub(crate) use any_reader::AnyReader;
pub use decode::Decode;
pub(crate) use decode::*;
#[cfg(check_rereads)]
pub(crate) use first_read::*;
pub use list::{Iter, List};
pub(crate) use reader::*;

/// The reader of a body's first read: with `perf`, the [`MutReader`] itself; without it, one
/// reader type for both reads, so that each decoder is compiled once.
#[cfg(feature = "perf")]
pub(crate) type FirstReader<'a> = MutReader<'a>;
/// The reader of a body's first read: with `perf`, the [`MutReader`] itself; without it, one
/// reader type for both reads, so that each decoder is compiled once.
#[cfg(not(feature = "perf"))]
pub(crate) type FirstReader<'a> = AnyReader<'a>;

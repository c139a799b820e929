//! The two-pass reading of a body: the validating first read ([`MutReader`], which rewrites
//! the buffer as described in [`crate::json::format`]), the [`Decode`] trait every field type
//! implements and the `record!` macro that writes a struct's decoder, and the lazy second read
//! of lists ([`List`] over a [`SharedReader`]). These modules call each other (a list is
//! decoded by the reader and read again through it), so they live together here and nowhere
//! else depends back on them.

mod decode;
#[cfg(check_rereads)]
mod first_read;
mod list;
mod reader;

pub use decode::Decode;
pub(crate) use decode::*;
#[cfg(check_rereads)]
pub(crate) use first_read::*;
pub use list::{Iter, List};
pub(crate) use reader::*;

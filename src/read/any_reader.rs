//! Without `perf`: one reader type for both reads, so that every decoder is compiled once
//! instead of once per reader. Each call goes to the reader inside, a branch the `perf` build
//! does not pay.

use crate::error::Error;
use crate::read::{Decode, Items, MutReader, SharedReader, Source};

/// The first read's [`MutReader`] or the second read's [`SharedReader`], behind one type.
pub(crate) enum AnyReader<'a> {
    /// Validating and rewriting.
    Mut(MutReader<'a>),
    /// Re-reading what a `MutReader` checked.
    Shared(SharedReader<'a>),
}

impl<'a> AnyReader<'a> {
    /// The first read of `body` (see [`MutReader::new`]).
    pub(crate) fn new(body: &'a mut [u8], skipped: u32) -> Self {
        AnyReader::Mut(MutReader::new(body, skipped))
    }

    /// See [`MutReader::finish`]; nothing to check on a second read.
    pub(crate) fn finish(&mut self) -> Result<(), Error> {
        match self {
            AnyReader::Mut(r) => r.finish(),
            AnyReader::Shared(_) => Ok(()),
        }
    }

    /// See [`MutReader::read_command`]; a second read holds no event.
    pub(crate) fn read_command(&self) -> bool {
        match self {
            AnyReader::Mut(r) => r.read_command(),
            AnyReader::Shared(_) => false,
        }
    }
}

/// Calls the same method on whichever reader is inside.
macro_rules! both {
    ($self:ident, $r:ident => $call:expr) => {
        match $self {
            AnyReader::Mut($r) => $call,
            AnyReader::Shared($r) => $call,
        }
    };
}

impl<'a> Source<'a> for AnyReader<'a> {
    fn trusted(&self) -> bool {
        matches!(self, AnyReader::Shared(_))
    }
    fn buf(&self) -> &[u8] {
        both!(self, r => r.buf())
    }
    fn pos(&self) -> usize {
        both!(self, r => r.pos())
    }
    fn set_pos(&mut self, i: usize) {
        both!(self, r => r.set_pos(i))
    }
    fn base(&self) -> usize {
        both!(self, r => r.base())
    }
    fn depth(&self) -> u32 {
        both!(self, r => r.depth())
    }
    fn set_depth(&mut self, depth: u32) {
        both!(self, r => r.set_depth(depth))
    }
    fn set_slot(&mut self, key: usize) {
        both!(self, r => r.set_slot(key))
    }
    fn escaped_key_in_list(
        &mut self,
        lead: usize,
        quote: usize,
        keys: &[&str],
    ) -> Result<Option<(usize, usize, bool)>, Error> {
        both!(self, r => r.escaped_key_in_list(lead, quote, keys))
    }
    fn tag_key(&mut self, start: usize, value: usize, index: usize) -> bool {
        both!(self, r => r.tag_key(start, value, index))
    }
    fn note(&mut self, a: usize, b: Option<usize>) {
        both!(self, r => r.note(a, b))
    }
    fn noted(&mut self) -> (usize, usize) {
        both!(self, r => r.noted())
    }
    fn no_note(&mut self) {
        both!(self, r => r.no_note())
    }
    fn command_read(&mut self) {
        both!(self, r => r.command_read())
    }
    fn string(&mut self) -> Result<&'a str, Error> {
        both!(self, r => r.string())
    }
    fn raw(&mut self) -> Result<&'a str, Error> {
        both!(self, r => r.raw())
    }
    /// The first read validates each element through an `AnyReader` too, so that `T`'s decoder
    /// is the one the second read uses.
    fn array<T: Decode>(&mut self) -> Result<(&'a [u8], usize), Error> {
        let r = match self {
            AnyReader::Mut(r) => r,
            AnyReader::Shared(r) => return r.array_skip(),
        };
        let start = r.array_start()?;
        let mut elements = AnyReader::Mut(r.elements(start));
        let mut items = Items::default();
        while items.next(&mut elements)? {
            if let Err(e) = T::decode(&mut elements) {
                return Err(items.in_item(e));
            }
        }
        let end = elements.base() + elements.pos();
        Ok(r.array_end(start, end, items.count))
    }
}

//! [`List`]: a lazy, allocation-free view of a JSON array that was validated at parse.

use core::fmt;
use core::marker::PhantomData;

use crate::error::Error;
use crate::read::Decode;
use crate::read::{SharedReader, Source};

/// A JSON array of `T`, validated completely when the body was parsed, and decoded one element
/// at a time as you iterate. It never allocates and has no length limit.
///
/// `len()` is O(1); `get(i)` walks from the start (O(i)). Iterating twice decodes twice; the
/// decode of an element is the cost of reading its bytes once more.
pub struct List<'a, T> {
    /// The array's bytes, from `[` to `]`, already validated and unescaped in place.
    bytes: &'a [u8],
    len: usize,
    _item: PhantomData<T>,
}

impl<'a, T> List<'a, T> {
    pub(crate) const fn new(bytes: &'a [u8], len: usize) -> Self {
        List {
            bytes,
            len,
            _item: PhantomData,
        }
    }

    /// An empty list (what an absent key reads as).
    pub const fn empty() -> Self {
        List::new(&[], 0)
    }

    /// Number of elements.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the list has no elements.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<'a, T: Decode> List<'a, T> {
    /// Iterates over the elements, decoding each on the fly.
    pub fn iter(&self) -> Iter<'a, T> {
        Iter {
            reader: SharedReader::new(self.bytes, 1),
            remaining: self.len,
            first: true,
            _item: PhantomData,
        }
    }

    /// The element at `index`, or `None` past the end. Walks from the start.
    pub fn get(&self, index: usize) -> Option<T::Of<'a>> {
        self.iter().nth(index)
    }

    /// Collects the elements into a fixed-capacity `heapless::Vec`; gives back the list's
    /// length as the error when it holds more than `N`.
    #[cfg(feature = "heapless")]
    pub fn to_heapless<const N: usize>(&self) -> Result<heapless::Vec<T::Of<'a>, N>, usize> {
        if self.len > N {
            return Err(self.len);
        }
        let mut v = heapless::Vec::new();
        for item in self.iter() {
            v.push(item).map_err(|_| self.len)?;
        }
        Ok(v)
    }

    /// Collects the elements into a `Vec`.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> alloc::vec::Vec<T::Of<'a>> {
        let mut v = alloc::vec::Vec::with_capacity(self.len);
        v.extend(self.iter());
        v
    }
}

impl<T> Clone for List<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for List<'_, T> {}

impl<T> Default for List<'_, T> {
    fn default() -> Self {
        List::empty()
    }
}

impl<'a, T: Decode> IntoIterator for List<'a, T> {
    type Item = T::Of<'a>;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: Decode> IntoIterator for &List<'a, T> {
    type Item = T::Of<'a>;
    type IntoIter = Iter<'a, T>;
    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: Decode> fmt::Debug for List<'a, T>
where
    T::Of<'a>: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a, 'b, T: Decode, U: Decode> PartialEq<List<'b, U>> for List<'a, T>
where
    T::Of<'a>: PartialEq<U::Of<'b>>,
{
    fn eq(&self, other: &List<'b, U>) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl<T: Decode> crate::read::Sealed for List<'_, T> {}
impl<T: Decode> Decode for List<'_, T> {
    type Of<'x> = List<'x, T::Of<'x>>;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Self::Of<'x>, Error> {
        s.array::<T>().map(|(bytes, len)| List::new(bytes, len))
    }
    #[inline]
    fn absent<'x>() -> Self::Of<'x> {
        List::empty()
    }
    #[inline]
    fn reread<'x>(buf: &'x [u8], i: usize, note: (usize, usize)) -> Option<(Self::Of<'x>, usize)> {
        // The note: the array's length in bytes and its element count (each + 1).
        let (bytes @ 1.., len @ 1.., Some(b'[')) = (note.0, note.1, buf.get(i)) else {
            return None;
        };
        let end = i + bytes - 1;
        let region = buf.get(i..end)?;
        (region.last() == Some(&b']')).then_some((List::new(region, len - 1), end))
    }
}

impl<'a, T: Decode> crate::emit::Emit for List<'a, T>
where
    T::Of<'a>: crate::emit::Emit,
{
    fn emit<W: fmt::Write>(&self, w: &mut W) -> fmt::Result {
        crate::emit::array(w, self.iter())
    }
}

/// Iterator over a [`List`]; decodes each element as it is reached.
pub struct Iter<'a, T> {
    reader: SharedReader<'a>,
    remaining: usize,
    first: bool,
    _item: PhantomData<T>,
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Iter {
            reader: self.reader.clone(),
            remaining: self.remaining,
            first: self.first,
            _item: PhantomData,
        }
    }
}

impl<'a, T: Decode> Iterator for Iter<'a, T> {
    type Item = T::Of<'a>;

    #[inline]
    fn next(&mut self) -> Option<T::Of<'a>> {
        if self.remaining == 0 {
            return None;
        }
        if !core::mem::replace(&mut self.first, false) && self.reader.peek() == Some(b',') {
            self.reader.set_pos(self.reader.pos() + 1);
        }
        // The element's start (past a pretty-printed list's newline and indent).
        self.reader.peek();
        if let Some(v) = self.reader.reread::<T>() {
            self.remaining -= 1;
            return Some(v);
        }
        // The bytes were validated at parse, so this cannot fail; if it somehow did, the list
        // ends rather than panicking.
        #[cfg(feature = "perf")]
        let decoded = T::decode(&mut self.reader);
        // Through the reader type the first read used, whose decoders are the only copies.
        #[cfg(not(feature = "perf"))]
        let decoded = {
            let mut any = crate::read::AnyReader::Shared(self.reader.clone());
            let decoded = T::decode(&mut any);
            if let crate::read::AnyReader::Shared(r) = any {
                self.reader = r;
            }
            decoded
        };
        match decoded {
            Ok(v) => {
                self.remaining -= 1;
                Some(v)
            }
            Err(_) => {
                debug_assert!(false, "re-reading a validated list failed");
                self.remaining = 0;
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<'a, T: Decode> ExactSizeIterator for Iter<'a, T> {}
impl<'a, T: Decode> core::iter::FusedIterator for Iter<'a, T> {}

/// `serde::Serialize` for the types above.
#[cfg(feature = "serde")]
mod ser {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::List;
    use crate::read::Decode;
    use crate::ser::{Compact, CompactItem, Entry, Item, SerializeCompact};

    impl<'a, T: Decode> Entry for List<'a, T>
    where
        T::Of<'a>: Serialize + CompactItem,
    {
        #[inline]
        fn put<M: SerializeMap>(&self, key: &'static str, m: &mut M) -> Result<(), M::Error> {
            m.serialize_entry(key, self)
        }
        #[inline]
        fn put_compact<M: SerializeMap>(
            &self,
            key: &'static str,
            m: &mut M,
        ) -> Result<(), M::Error> {
            m.serialize_entry(key, &Compact(self))
        }
    }

    impl<'a, T: Decode> SerializeCompact for List<'a, T>
    where
        T::Of<'a>: CompactItem,
    {
        fn serialize_compact<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            z.collect_seq(self.iter().map(Item))
        }
    }

    impl<'a, T: Decode> Serialize for List<'a, T>
    where
        T::Of<'a>: Serialize,
    {
        fn serialize<Z: Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
            z.collect_seq(self.iter())
        }
    }
}

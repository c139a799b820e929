//! How each field type is read from a [`Source`], and the `record!` macro that writes a struct's
//! decoder from its list of keys. Event modules declare keys and types; this module turns them
//! into code that reads bytes.

use crate::error::{Error, NumberType};
use crate::read::Source;

mod private {
    /// The seal of [`Decode`](super::Decode): public, so that it can bound a public trait, in
    /// a private module, so that no other crate can name it.
    pub trait Sealed {}
}
pub(crate) use private::Sealed;

/// A type the typed decoder can read. `Of<'x>` is the same type borrowing for `'x`, so one
/// decoder serves both the validating pass and lazy list iteration.
///
/// Implemented by every field type of the crate, and sealed: its methods read the crate's
/// internal formats, so no other crate can implement it.
pub trait Decode: Sealed {
    /// This type, borrowing from a buffer that lives for `'x`.
    type Of<'x>: Decode + core::fmt::Debug;
    /// Reads one value at the cursor.
    #[doc(hidden)]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Self::Of<'x>, Error>;
    /// The value of a key that is absent from its object.
    #[doc(hidden)]
    fn absent<'x>() -> Self::Of<'x>;
    /// Second read, fast path: the value at `buf[i]` in a list region that a first read
    /// checked and rewrote, `note` being its key's note (see `reader`); returns the value and
    /// the index after it. `None` for anything but the usual rewritten shape (every key a tag,
    /// nothing between a value and the `,` after it): the caller then reads the value
    /// generically, from where it was.
    #[doc(hidden)]
    #[inline]
    fn reread<'x>(buf: &'x [u8], i: usize, note: (usize, usize)) -> Option<(Self::Of<'x>, usize)> {
        let _ = (buf, i, note);
        None
    }
}

impl Sealed for &str {}
impl Decode for &str {
    type Of<'x> = &'x str;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<&'x str, Error> {
        s.string()
    }
    #[inline]
    fn absent<'x>() -> &'x str {
        ""
    }
    #[inline]
    fn reread(buf: &[u8], i: usize, note: (usize, usize)) -> Option<(&str, usize)> {
        crate::read::reread_str(buf, i, note.0)
    }
}

/// A plain unsigned integer at `buf[i]` in a region validated for type `max`.
#[inline]
pub(crate) fn reread_unsigned(buf: &[u8], i: usize, max: u64) -> Option<(u64, usize)> {
    let (end, v, overflow) = crate::json::digits(buf, i);
    (end > i && !overflow && v <= max).then_some((v, end))
}

impl Sealed for u32 {}
impl Decode for u32 {
    type Of<'x> = u32;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<u32, Error> {
        // The bound makes the cast lossless.
        s.unsigned(NumberType::U32, u64::from(u32::MAX))
            .map(|v| v as u32)
    }
    #[inline]
    fn absent<'x>() -> Self::Of<'x> {
        0
    }
    #[inline]
    fn reread(buf: &[u8], i: usize, _: (usize, usize)) -> Option<(u32, usize)> {
        // The bound makes the cast lossless.
        reread_unsigned(buf, i, u64::from(u32::MAX)).map(|(v, end)| (v as u32, end))
    }
}

impl Sealed for u64 {}
impl Decode for u64 {
    type Of<'x> = u64;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<u64, Error> {
        s.unsigned(NumberType::U64, u64::MAX)
    }
    #[inline]
    fn absent<'x>() -> Self::Of<'x> {
        0
    }
    #[inline]
    fn reread(buf: &[u8], i: usize, _: (usize, usize)) -> Option<(u64, usize)> {
        reread_unsigned(buf, i, u64::MAX)
    }
}

impl Sealed for i64 {}
impl Decode for i64 {
    type Of<'x> = i64;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<i64, Error> {
        s.signed()
    }
    #[inline]
    fn absent<'x>() -> Self::Of<'x> {
        0
    }
}

/// `null` and an absent key both read as `None`.
impl<T: Decode> Sealed for Option<T> {}
impl<T: Decode> Decode for Option<T> {
    type Of<'x> = Option<T::Of<'x>>;
    #[cfg_attr(feature = "perf", inline)]
    #[cfg_attr(not(feature = "perf"), inline(never))]
    fn decode<'x, S: Source<'x>>(s: &mut S) -> Result<Option<T::Of<'x>>, Error> {
        if s.null()? {
            return Ok(None);
        }
        T::decode(s).map(Some)
    }
    #[inline]
    fn absent<'x>() -> Option<T::Of<'x>> {
        None
    }
    #[inline]
    fn reread<'x>(
        buf: &'x [u8],
        i: usize,
        note: (usize, usize),
    ) -> Option<(Option<T::Of<'x>>, usize)> {
        // A validated `n` here starts `null`.
        if buf.get(i) == Some(&b'n') {
            return Some((None, i + 4));
        }
        T::reread(buf, i, note).map(|(v, end)| (Some(v), end))
    }
}

/// Writes a borrowed record struct, its [`Decode`] impl and (with `serde`) its `Serialize` impl
/// from a list of `"JsonKey" field: Type` lines. With `command "X";` first, the struct is a
/// top-level event: it accepts one `CallbackCommand` member, which must equal `"X"`.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(<$lt:lifetime>)? $(command $cmd:literal;)? $(marker $ph:ident;)? {
            $( $(#[$fmeta:meta])* $key:literal $(| $alias:literal)? $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name $(<$lt>)? {
            $(
                $(#[$fmeta])*
                #[doc = ""]
                #[doc = concat!("JSON key: `", $key, "`.")]
                $(
                    #[doc = concat!(
                        "Also read from `", $alias, "`, the other spelling Tencent's sources use;",
                        " a body with both is a duplicate key. Written back as `", $key, "`."
                    )]
                )?
                pub $field: $ty,
            )*
            $(
                /// Carries the lifetime every event has, for an event without borrowed fields.
                #[doc(hidden)]
                pub $ph: core::marker::PhantomData<&'a ()>,
            )?
        }

        $(
            // Events always borrow (`'a`).
            impl $name<'_> {
                /// The `CallbackCommand` of this event.
                pub const COMMAND: &'static str = $cmd;
            }
        )?

        impl<'a> $crate::read::Sealed for $crate::read::lt!($name $(, $lt)?; 'a) {}
        impl<'a> $crate::read::Decode for $crate::read::lt!($name $(, $lt)?; 'a) {
            type Of<'x> = $crate::read::lt!($name $(, $lt)?; 'x);

            #[cfg(feature = "perf")]
            #[inline]
            fn decode<'x, S: $crate::read::Source<'x>>(
                s: &mut S,
            ) -> Result<$crate::read::lt!($name $(, $lt)?; 'x), $crate::error::Error> {
                use $crate::read::Decode;
                #[allow(non_camel_case_types, dead_code)]
                #[derive(Clone, Copy)]
                enum F { __command, $( $field, )* }
                // Events take `CallbackCommand` first, as Tencent sends it; an alias follows
                // its key, naming the same field.
                const KEYS: &[&str] = &[
                    $( $crate::read::command_key!($cmd), )?
                    $( $key, $( $alias, )? )*
                ];
                const FIELDS: &[F] = &[
                    $( $crate::read::command_key!($cmd, F::__command), )?
                    $( F::$field, $( $crate::read::command_key!($alias, F::$field), )? )*
                ];
                $( let mut $field: Option<<$ty as Decode>::Of<'x>> = None; )*
                let mut command_seen = false;
                s.begin_object()?;
                let mut first = true;
                // Each key's successor in byte order; the last entry: the first key.
                const ALPHABETICAL: [u8; KEYS.len() + 1] = $crate::read::alphabetical(KEYS);
                let mut hint = (0, usize::from(ALPHABETICAL[KEYS.len()]));
                while let Some((index, at)) = s.next_field(&mut first, KEYS, hint)? {
                    let Some(&field) = FIELDS.get(index) else {
                        s.skip()?;
                        continue;
                    };
                    let next = ALPHABETICAL.get(index).copied().unwrap_or(u8::MAX);
                    hint = (index + 1, usize::from(next));
                    match field {
                        $(
                            F::$field => {
                                // Errors name the spelling this body used (the key or its
                                // alias), looked up only when there is one.
                                let key = || KEYS.get(index).copied().unwrap_or($key);
                                if $field.is_some() {
                                    return Err($crate::read::duplicate(at, key()));
                                }
                                $field = Some(
                                    <$ty as Decode>::decode(s).map_err(|e| e.in_key(key()))?,
                                );
                            }
                        )*
                        F::__command => {
                            let expected = $crate::read::command_key!(@value $($cmd)?);
                            $crate::read::command_member(s, &mut command_seen, at, expected)?;
                        }
                    }
                }
                Ok($name {
                    $( $field: match $field {
                        Some(v) => v,
                        None => <$ty as Decode>::absent(),
                    }, )*
                    $( $ph: core::marker::PhantomData, )?
                })
            }

            // Without `perf`: the loop is shared (`Fields`), and this decoder keeps only what
            // is its own, storing each field.
            #[cfg(not(feature = "perf"))]
            fn decode<'x, S: $crate::read::Source<'x>>(
                s: &mut S,
            ) -> Result<$crate::read::lt!($name $(, $lt)?; 'x), $crate::error::Error> {
                use $crate::read::Decode;
                #[allow(non_camel_case_types, dead_code)]
                #[derive(Clone, Copy)]
                #[repr(u8)]
                enum F { $( $field, )* __command }
                const KEYS: &[&str] = &[
                    $( $crate::read::command_key!($cmd), )?
                    $( $key, $( $alias, )? )*
                ];
                const FIELDS: &[u8] = &[
                    $( $crate::read::command_key!($cmd, F::__command as u8), )?
                    $( F::$field as u8, $( $crate::read::command_key!($alias, F::$field as u8), )? )*
                ];
                const ALPHABETICAL: [u8; KEYS.len() + 1] = $crate::read::alphabetical(KEYS);
                // A bit per field in `Fields`.
                const _: () = assert!((F::__command as u8) < 64);
                const RECORD: $crate::read::RecordKeys = $crate::read::RecordKeys {
                    keys: KEYS,
                    fields: FIELDS,
                    alphabetical: &ALPHABETICAL,
                    command: F::__command as u8,
                    expected: $crate::read::command_key!(@value $($cmd)?),
                };
                // Absent fields keep their absent value; `Fields` rejects a field given twice,
                // so each is set once.
                let mut value = <Self as Decode>::absent::<'x>();
                let mut fields = $crate::read::Fields::default();
                let mut read = Ok(());
                while let Some(field) = fields.next(s, &RECORD, read)? {
                    read = match field {
                        $(
                            f if f == F::$field as u8 => {
                                <$ty as Decode>::decode(s).map(|v| value.$field = v)
                            }
                        )*
                        _ => Ok(()),
                    };
                }
                Ok(value)
            }

            fn absent<'x>() -> Self::Of<'x> {
                $name {
                    $( $field: <$ty as $crate::read::Decode>::absent(), )*
                    $( $ph: core::marker::PhantomData, )?
                }
            }

            #[inline]
            fn reread<'x>(
                buf: &'x [u8],
                i: usize,
                _note: (usize, usize),
            ) -> Option<($crate::read::lt!($name $(, $lt)?; 'x), usize)> {
                use $crate::read::Decode;
                #[allow(non_camel_case_types, dead_code)]
                #[derive(Clone, Copy)]
                enum F { __command, $( $field, )* }
                const FIELDS: &[F] = &[
                    $( $crate::read::command_key!($cmd, F::__command), )?
                    $( F::$field, $( $crate::read::command_key!($alias, F::$field), )? )*
                ];
                $( let mut $field: Option<<$ty as Decode>::Of<'x>> = None; )*
                if buf.get(i) != Some(&b'{') {
                    return None;
                }
                let mut i = i + 1;
                if buf.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    loop {
                        let (tag, value, note) = $crate::json::format::reread_key(buf, i)?;
                        i = value;
                        match FIELDS.get(usize::from(tag)) {
                            $(
                                Some(F::$field) => {
                                    let (v, end) = <$ty as Decode>::reread(buf, i, note)?;
                                    $field = Some(v);
                                    i = end;
                                }
                            )*
                            Some(F::__command) => return None,
                            // Unknown: its length is noted.
                            None => i += note.0.checked_sub(1)?,
                        }
                        match buf.get(i)? {
                            b',' => i += 1,
                            b'}' => {
                                i += 1;
                                break;
                            }
                            _ => {
                                i = $crate::json::format::reread_close_after_ws(buf, i)?;
                                break;
                            }
                        }
                    }
                }
                Some((
                    $name {
                        $( $field: match $field {
                            Some(v) => v,
                            None => <$ty as Decode>::absent(),
                        }, )*
                        $( $ph: core::marker::PhantomData, )?
                    },
                    i,
                ))
            }
        }

        impl $crate::emit::Emit for $crate::read::lt!($name $(, $lt)?; '_) {
            fn emit<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
                let mut first = true;
                w.write_char('{')?;
                $( $crate::emit::member(w, &mut first, "CallbackCommand", $cmd)?; )?
                $( $crate::emit::member(w, &mut first, $key, &self.$field)?; )*
                w.write_char('}')
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $crate::read::lt!($name $(, $lt)?; '_) {
            fn serialize<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                use serde::ser::SerializeMap;
                let mut m = z.serialize_map(None)?;
                $( m.serialize_entry("CallbackCommand", $cmd)?; )?
                $( $crate::ser::Entry::put(&self.$field, $key, &mut m)?; )*
                m.end()
            }
        }

        #[cfg(feature = "serde")]
        impl $crate::ser::SerializeCompact for $crate::read::lt!($name $(, $lt)?; '_) {
            fn serialize_compact<Z: serde::Serializer>(&self, z: Z) -> Result<Z::Ok, Z::Error> {
                use serde::ser::SerializeMap;
                let mut m = z.serialize_map(None)?;
                $( m.serialize_entry("CallbackCommand", $cmd)?; )?
                $( $crate::ser::Entry::put_compact(&self.$field, $key, &mut m)?; )*
                m.end()
            }
        }

        #[cfg(feature = "serde")]
        impl $crate::ser::Entry for $crate::read::lt!($name $(, $lt)?; '_) {
            #[inline]
            fn put<M: serde::ser::SerializeMap>(
                &self,
                key: &'static str,
                m: &mut M,
            ) -> Result<(), M::Error> {
                m.serialize_entry(key, self)
            }
            #[inline]
            fn put_compact<M: serde::ser::SerializeMap>(
                &self,
                key: &'static str,
                m: &mut M,
            ) -> Result<(), M::Error> {
                m.serialize_entry(key, &$crate::ser::Compact(self))
            }
        }
    };
}
pub(crate) use record;

/// In `record!`: the record's type borrowing for the given lifetime (records without borrowed
/// fields have no lifetime parameter).
macro_rules! lt {
    ($name:ident, $lt:lifetime; $x:lifetime) => {
        $name<$x>
    };
    ($name:ident; $x:lifetime) => {
        $name
    };
}
pub(crate) use lt;

/// In `record!`: `"CallbackCommand"` (or the second argument) when an event's command is given;
/// also the second argument alone once for each alias.
macro_rules! command_key {
    (@value $cmd:literal) => {
        $cmd
    };
    (@value) => {
        ""
    };
    ($cmd:literal) => {
        "CallbackCommand"
    };
    ($cmd:literal, $then:expr) => {
        $then
    };
}
pub(crate) use command_key;

/// For each key of `keys`, the index of the key that follows it in byte order (as a sorted map
/// writes them: Go's `encoding/json`, `sort_keys` in Python), `u8::MAX` for the last; the
/// extra last entry is the first key. Keys come in this order from a body built from a sorted
/// map, which the readers then guess right.
pub(crate) const fn alphabetical<const M: usize>(keys: &[&str]) -> [u8; M] {
    const fn before(a: &[u8], b: &[u8]) -> bool {
        let mut i = 0;
        while i < a.len() && i < b.len() {
            if a[i] != b[i] {
                return a[i] < b[i];
            }
            i += 1;
        }
        a.len() < b.len()
    }
    assert!(M == keys.len() + 1 && keys.len() < u8::MAX as usize);
    let mut next = [u8::MAX; M];
    let mut i = 0;
    while i < M {
        let mut best = M;
        let mut j = 0;
        while j < keys.len() {
            let after = i == keys.len() || before(keys[i].as_bytes(), keys[j].as_bytes());
            if after && (best == M || before(keys[j].as_bytes(), keys[best].as_bytes())) {
                best = j;
            }
            j += 1;
        }
        if best < M {
            next[i] = best as u8;
        }
        i += 1;
    }
    next
}

/// A record's keys, as [`Fields`] reads them.
#[cfg(not(feature = "perf"))]
pub(crate) struct RecordKeys {
    /// The JSON keys (aliases after their key; `CallbackCommand` first for an event).
    pub keys: &'static [&'static str],
    /// For each key, the field it sets: aliases share their key's field.
    pub fields: &'static [u8],
    /// Each key's successor in byte order, and the first key (see [`alphabetical`]).
    pub alphabetical: &'static [u8],
    /// The field number that stands for `CallbackCommand` (one past the last field).
    pub command: u8,
    /// The command an event's `CallbackCommand` must name.
    pub expected: &'static str,
}

/// Without `perf`, the part of every record's decoder that is the same for all: reads the
/// object's keys, skips unknown ones, reads `CallbackCommand`, rejects a field given twice, and
/// names the key in errors. The decoder keeps only its `match` on the field number, so it
/// calls no closure: the stack analysis (`scripts/stack_sizes.py`) sees every call.
#[cfg(not(feature = "perf"))]
#[derive(Default)]
pub(crate) struct Fields {
    /// One bit per field number read so far (`command` is the last number, below 64).
    seen: u64,
    command_seen: bool,
    /// Past the `{`.
    begun: bool,
    /// At the first key.
    first: bool,
    hint: (usize, usize),
    /// The key of the field read last, for its errors.
    key: &'static str,
}

#[cfg(not(feature = "perf"))]
impl Fields {
    /// The number of the next field, the cursor on its value; `None` after the closing `}`.
    /// `read` is how reading the last field's value went: its error comes back here, with the
    /// key, so that no decoder has an error path of its own.
    pub(crate) fn next<'x, S: Source<'x>>(
        &mut self,
        s: &mut S,
        record: &RecordKeys,
        read: Result<(), Error>,
    ) -> Result<Option<u8>, Error> {
        if let Err(e) = read {
            return Err(e.in_key(self.key));
        }
        let keys = record.keys;
        if !core::mem::replace(&mut self.begun, true) {
            s.begin_object()?;
            self.first = true;
            let start = record.alphabetical.get(keys.len()).copied();
            self.hint = (0, usize::from(start.unwrap_or(u8::MAX)));
        }
        while let Some((index, at)) = s.next_field(&mut self.first, keys, self.hint)? {
            let (Some(&f), Some(&key)) = (record.fields.get(index), keys.get(index)) else {
                s.skip()?;
                continue;
            };
            let next = record.alphabetical.get(index).copied().unwrap_or(u8::MAX);
            self.hint = (index + 1, usize::from(next));
            if f == record.command {
                command_member(s, &mut self.command_seen, at, record.expected)?;
                continue;
            }
            let bit = 1u64.checked_shl(u32::from(f)).unwrap_or(0);
            if self.seen & bit != 0 {
                return Err(duplicate(at, key));
            }
            self.seen |= bit;
            self.key = key;
            return Ok(Some(f));
        }
        Ok(None)
    }
}

/// Reads the value of a top-level `CallbackCommand` member: once only, and equal to `expected`.
pub(crate) fn command_member<'x, S: Source<'x>>(
    s: &mut S,
    seen: &mut bool,
    key_at: usize,
    expected: &str,
) -> Result<(), Error> {
    let key = "CallbackCommand";
    if core::mem::replace(seen, true) {
        return Err(duplicate(key_at, key));
    }
    s.peek();
    let at = s.base() + s.pos();
    let value = s.string().map_err(|e| e.in_key(key))?;
    if value != expected {
        return Err(Error::new(crate::error::ErrorKind::CommandMismatch, at).in_key(key));
    }
    s.command_read();
    Ok(())
}

/// The error for a known key given twice; `at` is the second key's absolute offset.
#[cold]
pub(crate) fn duplicate(at: usize, key: &'static str) -> Error {
    Error::new(crate::error::ErrorKind::DuplicateKey, at).in_key(key)
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::vec::Vec;

    #[test]
    fn alphabetical_gives_each_keys_successor_in_byte_order() {
        const KEYS: &[&str] = &[
            "CallbackCommand",
            "From_Account",
            "To_Account",
            "MsgBody",
            "MsgSeq",
            "Msg",
            "a",
            "EventTime",
            "CloudCustomData",
            "中文",
        ];
        const NEXT: [u8; KEYS.len() + 1] = super::alphabetical(KEYS);
        let mut sorted: Vec<usize> = (0..KEYS.len()).collect();
        sorted.sort_by(|&a, &b| KEYS[a].as_bytes().cmp(KEYS[b].as_bytes()));
        // Following the chain from the extra last entry visits the keys in sorted order.
        let mut chain = Vec::new();
        let mut at = usize::from(NEXT[KEYS.len()]);
        while at != usize::from(u8::MAX) {
            chain.push(at);
            at = usize::from(NEXT[at]);
        }
        assert_eq!(chain, sorted);
        const NONE: [u8; 1] = super::alphabetical(&[]);
        assert_eq!(NONE, [u8::MAX]);
    }
}

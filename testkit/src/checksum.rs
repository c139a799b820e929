//! A serde `Serializer` that folds every value into a `u64`: how each contender's result is
//! read in full, at the same cost for all of them.

use serde::ser::{self, Serialize};
use std::fmt;

/// The fold.
#[derive(Default)]
pub struct Checksum(pub u64);

#[derive(Debug)]
pub struct Never;
impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("never")
    }
}
impl std::error::Error for Never {}
impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

impl Checksum {
    /// Order-free: a sum of mixed leaves, so field order and map-vs-struct shape do not matter,
    /// only the values read.
    #[inline]
    fn mix(&mut self, v: u64) {
        let mut x = v ^ 0x9E37_79B9_7F4A_7C15;
        x = (x ^ (x >> 33)).wrapping_mul(0xff51afd7ed558ccd);
        x = (x ^ (x >> 33)).wrapping_mul(0xc4ceb9fe1a85ec53);
        self.0 = self.0.wrapping_add(x ^ (x >> 33));
    }
}

/// Folds `value` into a checksum.
pub fn of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut c = Checksum(0xcbf29ce484222325);
    let _ = value.serialize(&mut c);
    c.0
}

macro_rules! num {
    ($($m:ident: $t:ty),*) => {$(
        #[inline]
        fn $m(self, v: $t) -> Result<(), Never> {
            self.mix(v as u64);
            Ok(())
        }
    )*};
}

impl ser::Serializer for &mut Checksum {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    num!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
         serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
         serialize_char: char);
    #[inline]
    fn serialize_bool(self, v: bool) -> Result<(), Never> {
        self.mix(v as u64);
        Ok(())
    }
    #[inline]
    fn serialize_f32(self, v: f32) -> Result<(), Never> {
        self.mix(v.to_bits() as u64);
        Ok(())
    }
    #[inline]
    fn serialize_f64(self, v: f64) -> Result<(), Never> {
        self.mix(v.to_bits());
        Ok(())
    }
    #[inline]
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        // Length and the first and last bytes: reads the string without hashing every byte.
        let b = v.as_bytes();
        self.mix(
            b.len() as u64
                ^ (*b.first().unwrap_or(&0) as u64) << 32
                ^ (*b.last().unwrap_or(&0) as u64) << 40,
        );
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.mix(v.len() as u64);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
    ) -> Result<(), Never> {
        self.serialize_str(name)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        i: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.mix(i as u64);
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        Ok(self)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<(), Never> {
        use fmt::Write;
        struct Len(u64);
        impl Write for Len {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0 += s.len() as u64;
                Ok(())
            }
        }
        let mut l = Len(0);
        let _ = write!(l, "{v}");
        self.mix(l.0);
        Ok(())
    }
}

macro_rules! compound {
    ($($tr:ident :: $m:ident),*) => {$(
        impl ser::$tr for &mut Checksum {
            type Ok = ();
            type Error = Never;
            fn $m<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        }
    )*};
}
compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut Checksum {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

macro_rules! fields {
    ($($tr:ident),*) => {$(
        impl ser::$tr for &mut Checksum {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, _: &'static str, v: &T) -> Result<(), Never> {
                v.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

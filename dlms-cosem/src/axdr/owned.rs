//! The owned A-XDR value (feature `alloc`).

use super::codec::{data_codec, encode_via_write, put_bits, tag_table};
use super::{BitString, Data, Date, DateTime, Time, tag};
use crate::error::Result;
use crate::util::Sink;
use alloc::vec::Vec;
use meterwire_core::EncodeError;

/// An owned A-XDR `Data` value: build it, encode it, or keep a decoded value.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Value {
    /// null-data
    Null,
    /// array
    Array(Vec<Value>),
    /// structure
    Structure(Vec<Value>),
    /// boolean
    Boolean(bool),
    /// bit-string
    BitString {
        /// Number of bits.
        bits: usize,
        /// ceil(bits / 8) bytes.
        bytes: Vec<u8>,
    },
    /// double-long
    DoubleLong(i32),
    /// double-long-unsigned
    DoubleLongUnsigned(u32),
    /// octet-string
    OctetString(Vec<u8>),
    /// visible-string
    VisibleString(Vec<u8>),
    /// utf8-string
    Utf8String(Vec<u8>),
    /// bcd
    Bcd(u8),
    /// integer
    Integer(i8),
    /// long
    Long(i16),
    /// unsigned
    Unsigned(u8),
    /// long-unsigned
    LongUnsigned(u16),
    /// compact-array, kept encoded
    CompactArray {
        /// Type description bytes.
        description: Vec<u8>,
        /// Contents bytes.
        contents: Vec<u8>,
    },
    /// long64
    Long64(i64),
    /// long64-unsigned
    Long64Unsigned(u64),
    /// enum
    Enum(u8),
    /// float32
    Float32(f32),
    /// float64
    Float64(f64),
    /// date-time
    DateTime(DateTime),
    /// date
    Date(Date),
    /// time
    Time(Time),
    /// delta-integer
    DeltaInteger(i8),
    /// delta-long
    DeltaLong(i16),
    /// delta-double-long
    DeltaDoubleLong(i32),
    /// delta-unsigned
    DeltaUnsigned(u8),
    /// delta-long-unsigned
    DeltaLongUnsigned(u16),
    /// delta-double-long-unsigned
    DeltaDoubleLongUnsigned(u32),
    /// dont-care
    DontCare,
}

impl From<&Data<'_>> for Value {
    fn from(d: &Data<'_>) -> Self {
        match *d {
            Data::Null => Value::Null,
            Data::Array(s) => Value::Array(s.iter().map(|e| Value::from(&e)).collect()),
            Data::Structure(s) => Value::Structure(s.iter().map(|e| Value::from(&e)).collect()),
            Data::Boolean(v) => Value::Boolean(v),
            Data::BitString(BitString { bits, bytes }) => Value::BitString {
                bits,
                bytes: bytes.to_vec(),
            },
            Data::DoubleLong(v) => Value::DoubleLong(v),
            Data::DoubleLongUnsigned(v) => Value::DoubleLongUnsigned(v),
            Data::OctetString(v) => Value::OctetString(v.to_vec()),
            Data::VisibleString(v) => Value::VisibleString(v.to_vec()),
            Data::Utf8String(v) => Value::Utf8String(v.to_vec()),
            Data::Bcd(v) => Value::Bcd(v),
            Data::Integer(v) => Value::Integer(v),
            Data::Long(v) => Value::Long(v),
            Data::Unsigned(v) => Value::Unsigned(v),
            Data::LongUnsigned(v) => Value::LongUnsigned(v),
            Data::CompactArray(ca) => Value::CompactArray {
                description: ca.description.to_vec(),
                contents: ca.contents.to_vec(),
            },
            Data::Long64(v) => Value::Long64(v),
            Data::Long64Unsigned(v) => Value::Long64Unsigned(v),
            Data::Enum(v) => Value::Enum(v),
            Data::Float32(v) => Value::Float32(v),
            Data::Float64(v) => Value::Float64(v),
            Data::DateTime(v) => Value::DateTime(v),
            Data::Date(v) => Value::Date(v),
            Data::Time(v) => Value::Time(v),
            Data::DeltaInteger(v) => Value::DeltaInteger(v),
            Data::DeltaLong(v) => Value::DeltaLong(v),
            Data::DeltaDoubleLong(v) => Value::DeltaDoubleLong(v),
            Data::DeltaUnsigned(v) => Value::DeltaUnsigned(v),
            Data::DeltaLongUnsigned(v) => Value::DeltaLongUnsigned(v),
            Data::DeltaDoubleLongUnsigned(v) => Value::DeltaDoubleLongUnsigned(v),
            Data::DontCare => Value::DontCare,
        }
    }
}

impl Value {
    /// Decodes one value (trailing bytes are an error).
    pub fn parse(input: &[u8]) -> Result<Self> {
        Ok(Value::from(&Data::parse(input)?))
    }

    data_codec!(Value);

    fn write_composite<S: Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        match self {
            Value::Array(v) | Value::Structure(v) => {
                w.put_len(v.len())?;
                v.iter().try_for_each(|e| e.write(w))
            }
            Value::BitString { bits, bytes } => put_bits(w, *bits, bytes),
            Value::CompactArray {
                description,
                contents,
            } => {
                w.put(description)?;
                w.put_octets(contents)
            }
            _ => Ok(()),
        }
    }
}

encode_via_write!(Value);

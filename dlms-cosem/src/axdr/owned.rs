//! The owned A-XDR value (feature `alloc`).

use super::{BitString, Data, Date, DateTime, Time, tag};
use crate::error::Result;
use crate::util::{len_len, write_len};
use alloc::vec::Vec;
use meterwire_core::{Encode, EncodeError, Writer};

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

    fn body_len(&self) -> usize {
        match self {
            Value::Null | Value::DontCare => 0,
            Value::Array(v) | Value::Structure(v) => v
                .iter()
                .fold(len_len(v.len()), |a, e| a.saturating_add(e.encoded_len())),
            Value::Boolean(_)
            | Value::Bcd(_)
            | Value::Integer(_)
            | Value::Unsigned(_)
            | Value::Enum(_)
            | Value::DeltaInteger(_)
            | Value::DeltaUnsigned(_) => 1,
            Value::DeltaLong(_) | Value::DeltaLongUnsigned(_) => 2,
            Value::DeltaDoubleLong(_) | Value::DeltaDoubleLongUnsigned(_) => 4,
            Value::BitString { bits, bytes } => len_len(*bits).saturating_add(bytes.len()),
            Value::DoubleLong(_)
            | Value::DoubleLongUnsigned(_)
            | Value::Float32(_)
            | Value::Time(_) => 4,
            Value::OctetString(b) | Value::VisibleString(b) | Value::Utf8String(b) => {
                len_len(b.len()).saturating_add(b.len())
            }
            Value::Long(_) | Value::LongUnsigned(_) => 2,
            Value::CompactArray {
                description,
                contents,
            } => description
                .len()
                .saturating_add(len_len(contents.len()))
                .saturating_add(contents.len()),
            Value::Long64(_) | Value::Long64Unsigned(_) | Value::Float64(_) => 8,
            Value::DateTime(_) => 12,
            Value::Date(_) => 5,
        }
    }

    fn tag(&self) -> u8 {
        match self {
            Value::Null => tag::NULL,
            Value::Array(_) => tag::ARRAY,
            Value::Structure(_) => tag::STRUCTURE,
            Value::Boolean(_) => tag::BOOLEAN,
            Value::BitString { .. } => tag::BIT_STRING,
            Value::DoubleLong(_) => tag::DOUBLE_LONG,
            Value::DoubleLongUnsigned(_) => tag::DOUBLE_LONG_UNSIGNED,
            Value::OctetString(_) => tag::OCTET_STRING,
            Value::VisibleString(_) => tag::VISIBLE_STRING,
            Value::Utf8String(_) => tag::UTF8_STRING,
            Value::Bcd(_) => tag::BCD,
            Value::Integer(_) => tag::INTEGER,
            Value::Long(_) => tag::LONG,
            Value::Unsigned(_) => tag::UNSIGNED,
            Value::LongUnsigned(_) => tag::LONG_UNSIGNED,
            Value::CompactArray { .. } => tag::COMPACT_ARRAY,
            Value::Long64(_) => tag::LONG64,
            Value::Long64Unsigned(_) => tag::LONG64_UNSIGNED,
            Value::Enum(_) => tag::ENUM,
            Value::Float32(_) => tag::FLOAT32,
            Value::Float64(_) => tag::FLOAT64,
            Value::DateTime(_) => tag::DATE_TIME,
            Value::Date(_) => tag::DATE,
            Value::Time(_) => tag::TIME,
            Value::DeltaInteger(_) => tag::DELTA_INTEGER,
            Value::DeltaLong(_) => tag::DELTA_LONG,
            Value::DeltaDoubleLong(_) => tag::DELTA_DOUBLE_LONG,
            Value::DeltaUnsigned(_) => tag::DELTA_UNSIGNED,
            Value::DeltaLongUnsigned(_) => tag::DELTA_LONG_UNSIGNED,
            Value::DeltaDoubleLongUnsigned(_) => tag::DELTA_DOUBLE_LONG_UNSIGNED,
            Value::DontCare => tag::DONT_CARE,
        }
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_u8(self.tag())?;
        match self {
            Value::Null | Value::DontCare => Ok(()),
            Value::Array(v) | Value::Structure(v) => {
                write_len(w, v.len())?;
                v.iter().try_for_each(|e| e.write(w))
            }
            Value::Boolean(b) => w.write_u8(u8::from(*b)),
            Value::BitString { bits, bytes } => {
                if bits.div_ceil(8) != bytes.len() {
                    return Err(EncodeError::Invalid {
                        field: "bit-string",
                        reason: "byte count must be ceil(bits / 8)",
                    });
                }
                write_len(w, *bits)?;
                w.write_bytes(bytes)
            }
            Value::DoubleLong(v) => w.write_u32_be(*v as u32),
            Value::DoubleLongUnsigned(v) => w.write_u32_be(*v),
            Value::OctetString(b) | Value::VisibleString(b) | Value::Utf8String(b) => {
                write_len(w, b.len())?;
                w.write_bytes(b)
            }
            Value::Bcd(v) | Value::Unsigned(v) | Value::Enum(v) => w.write_u8(*v),
            Value::Integer(v) => w.write_u8(*v as u8),
            Value::Long(v) => w.write_u16_be(*v as u16),
            Value::LongUnsigned(v) => w.write_u16_be(*v),
            Value::CompactArray {
                description,
                contents,
            } => {
                w.write_bytes(description)?;
                write_len(w, contents.len())?;
                w.write_bytes(contents)
            }
            Value::Long64(v) => w.write_u64_be(*v as u64),
            Value::Long64Unsigned(v) => w.write_u64_be(*v),
            Value::Float32(v) => w.write_u32_be(v.to_bits()),
            Value::Float64(v) => w.write_u64_be(v.to_bits()),
            Value::DateTime(v) => w.write_bytes(&v.to_bytes()),
            Value::Date(v) => w.write_bytes(&v.to_bytes()),
            Value::Time(v) => w.write_bytes(&v.to_bytes()),
            Value::DeltaInteger(v) => w.write_u8(*v as u8),
            Value::DeltaLong(v) => w.write_u16_be(*v as u16),
            Value::DeltaDoubleLong(v) => w.write_u32_be(*v as u32),
            Value::DeltaUnsigned(v) => w.write_u8(*v),
            Value::DeltaLongUnsigned(v) => w.write_u16_be(*v),
            Value::DeltaDoubleLongUnsigned(v) => w.write_u32_be(*v),
        }
    }
}

impl Encode for Value {
    fn encoded_len(&self) -> usize {
        1usize.saturating_add(self.body_len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        crate::util::encode_with(out, self.encoded_len(), |w| self.write(w))
    }
}

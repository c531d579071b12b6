//! The owned A-XDR value (feature `alloc`).

use super::codec::{data_codec, encode_via_write, put_bits, tag_table};
use super::{BitString, Data, Value, tag};
use crate::error::Result;
use crate::util::Sink;
use meterwire_core::EncodeError;

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

//! Encoding of [`Data`] and [`Value`](super::Value): the two enums have the same
//! variants (borrowed or owned payloads), so their tag and the encoding of every
//! scalar are written once, in [`data_codec!`], and the length comes from a dry run of
//! the same code (`Sink`/`Counter`).

use super::{Data, tag};
use crate::util::Sink;
use meterwire_core::EncodeError;

/// `match v { T::Variant { .. } => tag::CONST, ... }` from a `Variant = CONST` table.
macro_rules! tag_table {
    ($T:ident, $v:expr; $($V:ident = $t:ident),* $(,)?) => {
        match $v {
            $($T::$V { .. } => tag::$t,)*
        }
    };
}
#[cfg(feature = "alloc")]
pub(super) use tag_table;

/// `tag()` and `write()` for an enum with the `Data` variant names; `$T::write_composite`
/// encodes arrays, structures, bit-strings and compact arrays (their payloads differ).
macro_rules! data_codec {
    ($T:ident) => {
        /// The type tag.
        pub fn tag(&self) -> u8 {
            tag_table!($T, self; Null = NULL, Array = ARRAY, Structure = STRUCTURE,
                Boolean = BOOLEAN, BitString = BIT_STRING, DoubleLong = DOUBLE_LONG,
                DoubleLongUnsigned = DOUBLE_LONG_UNSIGNED, OctetString = OCTET_STRING,
                VisibleString = VISIBLE_STRING, Utf8String = UTF8_STRING, Bcd = BCD,
                Integer = INTEGER, Long = LONG, Unsigned = UNSIGNED, LongUnsigned = LONG_UNSIGNED,
                CompactArray = COMPACT_ARRAY, Long64 = LONG64, Long64Unsigned = LONG64_UNSIGNED,
                Enum = ENUM, Float32 = FLOAT32, Float64 = FLOAT64, DateTime = DATE_TIME,
                Date = DATE, Time = TIME, DeltaInteger = DELTA_INTEGER, DeltaLong = DELTA_LONG,
                DeltaDoubleLong = DELTA_DOUBLE_LONG, DeltaUnsigned = DELTA_UNSIGNED,
                DeltaLongUnsigned = DELTA_LONG_UNSIGNED,
                DeltaDoubleLongUnsigned = DELTA_DOUBLE_LONG_UNSIGNED, DontCare = DONT_CARE)
        }

        /// Writes the tagged encoding.
        pub(crate) fn write<S: crate::util::Sink>(
            &self,
            w: &mut S,
        ) -> Result<(), meterwire_core::EncodeError> {
            w.put_u8(self.tag())?;
            match self {
                $T::Null | $T::DontCare => Ok(()),
                $T::Boolean(b) => w.put_u8(u8::from(*b)),
                $T::DoubleLong(v) | $T::DeltaDoubleLong(v) => w.put_u32(*v as u32),
                $T::DoubleLongUnsigned(v) | $T::DeltaDoubleLongUnsigned(v) => w.put_u32(*v),
                $T::OctetString(b) | $T::VisibleString(b) | $T::Utf8String(b) => w.put_octets(b),
                $T::Bcd(v) | $T::Unsigned(v) | $T::Enum(v) | $T::DeltaUnsigned(v) => w.put_u8(*v),
                $T::Integer(v) | $T::DeltaInteger(v) => w.put_u8(*v as u8),
                $T::Long(v) | $T::DeltaLong(v) => w.put_u16(*v as u16),
                $T::LongUnsigned(v) | $T::DeltaLongUnsigned(v) => w.put_u16(*v),
                $T::Long64(v) => w.put_u64(*v as u64),
                $T::Long64Unsigned(v) => w.put_u64(*v),
                $T::Float32(v) => w.put_u32(v.to_bits()),
                $T::Float64(v) => w.put_u64(v.to_bits()),
                $T::DateTime(v) => w.put(&v.to_bytes()),
                $T::Date(v) => w.put(&v.to_bytes()),
                $T::Time(v) => w.put(&v.to_bytes()),
                _ => self.write_composite(w),
            }
        }
    };
}
#[cfg(feature = "alloc")]
pub(super) use data_codec;

/// Implements `Encode` from `write` (length from a dry run into a `Counter`).
macro_rules! encode_via_write {
    ($t:ty) => {
        impl meterwire_core::Encode for $t {
            fn encoded_len(&self) -> usize {
                let mut c = crate::util::Counter(0);
                let _ = self.write(&mut c);
                c.0
            }
            fn encode(&self, out: &mut [u8]) -> Result<usize, meterwire_core::EncodeError> {
                let n = meterwire_core::Encode::encoded_len(self);
                crate::util::encode_with(out, n, |w| self.write(w))
            }
        }
    };
}
#[cfg(feature = "alloc")]
pub(super) use encode_via_write;

/// A bit-string's length and bytes (the byte count must be ceil(bits / 8)).
pub(super) fn put_bits<S: Sink>(w: &mut S, bits: usize, bytes: &[u8]) -> Result<(), EncodeError> {
    if bits.div_ceil(8) != bytes.len() {
        return Err(EncodeError::Invalid {
            field: "bit-string",
            reason: "byte count must be ceil(bits / 8)",
        });
    }
    w.put_len(bits)?;
    w.put(bytes)
}

impl<'a> Data<'a> {
    data_codec!(Data);

    fn write_composite<S: Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        match self {
            Data::Array(s) | Data::Structure(s) => {
                w.put_len(s.len())?;
                if s.is_tagged() {
                    w.put(s.body())
                } else {
                    s.iter().try_for_each(|e| e.write(w))
                }
            }
            Data::BitString(b) => put_bits(w, b.bits, b.bytes),
            Data::CompactArray(ca) => {
                w.put(ca.description)?;
                w.put_octets(ca.contents)
            }
            _ => Ok(()),
        }
    }
}

encode_via_write!(Data<'_>);

/// Writers for building A-XDR data without allocation.
pub mod write {
    use meterwire_core::{EncodeError, Writer};

    /// Writes an array or structure header (`tag`, element count).
    pub fn seq_header(w: &mut Writer<'_>, t: u8, count: usize) -> Result<(), EncodeError> {
        w.write_u8(t)?;
        crate::util::write_len(w, count)
    }
}

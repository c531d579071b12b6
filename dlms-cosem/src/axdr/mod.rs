//! A-XDR encoded COSEM `Data` (IEC 62056-6-2 clause 4.1.5 / Blue Book "Data" CHOICE,
//! A-XDR rules of IEC 61334-6).
//!
//! [`Data::parse_prefix`] validates a whole value (nested arrays and structures up to
//! [`MAX_DEPTH`]) once, without allocating; arrays and structures are then walked lazily
//! with [`Seq::iter`] over the borrowed bytes. Compact arrays are decoded with their
//! type description. [`Value`] (feature `alloc`) is the owned form.

mod codec;
mod parse;
mod seq;
mod time;
mod visit;

pub use codec::write;
pub use seq::{BitString, CompactArray, Seq, SeqIter};
pub use time::{Date, DateTime, Time};
pub use visit::Visit;

/// Deepest nesting of arrays/structures (and type descriptions) accepted.
pub const MAX_DEPTH: usize = 32;

/// Data type tags.
pub mod tag {
    /// null-data
    pub const NULL: u8 = 0;
    /// array
    pub const ARRAY: u8 = 1;
    /// structure
    pub const STRUCTURE: u8 = 2;
    /// boolean
    pub const BOOLEAN: u8 = 3;
    /// bit-string
    pub const BIT_STRING: u8 = 4;
    /// double-long (i32)
    pub const DOUBLE_LONG: u8 = 5;
    /// double-long-unsigned (u32)
    pub const DOUBLE_LONG_UNSIGNED: u8 = 6;
    /// octet-string
    pub const OCTET_STRING: u8 = 9;
    /// visible-string
    pub const VISIBLE_STRING: u8 = 10;
    /// utf8-string
    pub const UTF8_STRING: u8 = 12;
    /// bcd
    pub const BCD: u8 = 13;
    /// integer (i8)
    pub const INTEGER: u8 = 15;
    /// long (i16)
    pub const LONG: u8 = 16;
    /// unsigned (u8)
    pub const UNSIGNED: u8 = 17;
    /// long-unsigned (u16)
    pub const LONG_UNSIGNED: u8 = 18;
    /// compact-array
    pub const COMPACT_ARRAY: u8 = 19;
    /// long64 (i64)
    pub const LONG64: u8 = 20;
    /// long64-unsigned (u64)
    pub const LONG64_UNSIGNED: u8 = 21;
    /// enum
    pub const ENUM: u8 = 22;
    /// float32
    pub const FLOAT32: u8 = 23;
    /// float64
    pub const FLOAT64: u8 = 24;
    /// date-time (12 bytes)
    pub const DATE_TIME: u8 = 25;
    /// date (5 bytes)
    pub const DATE: u8 = 26;
    /// time (4 bytes)
    pub const TIME: u8 = 27;
    /// delta-integer (i8, Blue Book ed. 14)
    pub const DELTA_INTEGER: u8 = 28;
    /// delta-long (i16)
    pub const DELTA_LONG: u8 = 29;
    /// delta-double-long (i32)
    pub const DELTA_DOUBLE_LONG: u8 = 30;
    /// delta-unsigned (u8)
    pub const DELTA_UNSIGNED: u8 = 31;
    /// delta-long-unsigned (u16)
    pub const DELTA_LONG_UNSIGNED: u8 = 32;
    /// delta-double-long-unsigned (u32)
    pub const DELTA_DOUBLE_LONG_UNSIGNED: u8 = 33;
    /// dont-care
    pub const DONT_CARE: u8 = 255;
}

/// `Data` and `Value` from one list of variants in tag order: a row is a variant with
/// its docs and payload, `/ payload` where the owned one differs (and `From<&Data>` for
/// `Value` converts it by hand); the rows are munched into the two enums' bodies.
macro_rules! data_enums {
    (
        $(#[$dm:meta])* pub enum $D:ident<$a:lifetime>;
        $(#[$vm:meta])* pub enum $O:ident;
        $($rows:tt)*
    ) => {
        data_enums!(@munch [$(#[$dm])* pub enum $D<$a>] [$(#[$vm])* pub enum $O] [] [] $($rows)*);
    };
    // a variant whose owned payload differs
    (@munch $dh:tt $vh:tt [$($d:tt)*] [$($v:tt)*]
        $(#[doc = $doc:literal])* $V:ident($T:ty) / $P:tt, $($rest:tt)*) => {
        data_enums!(@munch $dh $vh [$($d)* $(#[doc = $doc])* $V($T),]
            [$($v)* $(#[doc = $doc])* $V $P,] $($rest)*);
    };
    // a variant with the same payload in both
    (@munch $dh:tt $vh:tt [$($d:tt)*] [$($v:tt)*]
        $(#[doc = $doc:literal])* $V:ident $(($T:ty))?, $($rest:tt)*) => {
        data_enums!(@munch $dh $vh [$($d)* $(#[doc = $doc])* $V $(($T))?,]
            [$($v)* $(#[doc = $doc])* $V $(($T))?,] $($rest)*);
    };
    (@munch [$($dh:tt)*] [$($vh:tt)*] [$($d:tt)*] [$($v:tt)*]) => {
        $($dh)* { $($d)* }

        #[cfg(feature = "alloc")]
        $($vh)* { $($v)* }
    };
}

data_enums! {
    /// One A-XDR `Data` value, borrowed.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub enum Data<'a>;

    /// An owned A-XDR `Data` value (feature `alloc`): build it, encode it, or keep a
    /// decoded value.
    #[derive(Debug, Clone, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
    pub enum Value;

    /// null-data (0).
    Null,
    /// array (1).
    Array(Seq<'a>) / (Vec<Value>),
    /// structure (2).
    Structure(Seq<'a>) / (Vec<Value>),
    /// boolean (3).
    Boolean(bool),
    /// bit-string (4).
    BitString(BitString<'a>) / {
        /// Number of bits.
        bits: usize,
        /// ceil(bits / 8) bytes.
        bytes: Vec<u8>,
    },
    /// double-long (5).
    DoubleLong(i32),
    /// double-long-unsigned (6).
    DoubleLongUnsigned(u32),
    /// octet-string (9).
    OctetString(&'a [u8]) / (Vec<u8>),
    /// visible-string (10), as bytes (ASCII expected).
    VisibleString(&'a [u8]) / (Vec<u8>),
    /// utf8-string (12), as bytes.
    Utf8String(&'a [u8]) / (Vec<u8>),
    /// bcd (13).
    Bcd(u8),
    /// integer (15).
    Integer(i8),
    /// long (16).
    Long(i16),
    /// unsigned (17).
    Unsigned(u8),
    /// long-unsigned (18).
    LongUnsigned(u16),
    /// compact-array (19) (owned: kept encoded).
    CompactArray(CompactArray<'a>) / {
        /// Type description bytes.
        description: Vec<u8>,
        /// Contents bytes.
        contents: Vec<u8>,
    },
    /// long64 (20).
    Long64(i64),
    /// long64-unsigned (21).
    Long64Unsigned(u64),
    /// enum (22).
    Enum(u8),
    /// float32 (23).
    Float32(f32),
    /// float64 (24).
    Float64(f64),
    /// date-time (25).
    DateTime(DateTime),
    /// date (26).
    Date(Date),
    /// time (27).
    Time(Time),
    /// delta-integer (28): a difference to the previous value of a compact array or profile.
    DeltaInteger(i8),
    /// delta-long (29).
    DeltaLong(i16),
    /// delta-double-long (30).
    DeltaDoubleLong(i32),
    /// delta-unsigned (31).
    DeltaUnsigned(u8),
    /// delta-long-unsigned (32).
    DeltaLongUnsigned(u16),
    /// delta-double-long-unsigned (33).
    DeltaDoubleLongUnsigned(u32),
    /// dont-care (255).
    DontCare,
}

impl<'a> Data<'a> {
    /// The integer value of any integer type (and enum, bcd, boolean).
    pub fn as_i128(&self) -> Option<i128> {
        Some(match *self {
            Data::Boolean(b) => i128::from(b),
            Data::DoubleLong(v) => i128::from(v),
            Data::DoubleLongUnsigned(v) => i128::from(v),
            Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) | Data::DeltaUnsigned(v) => {
                i128::from(v)
            }
            Data::DeltaInteger(v) => i128::from(v),
            Data::DeltaLong(v) => i128::from(v),
            Data::DeltaDoubleLong(v) => i128::from(v),
            Data::DeltaLongUnsigned(v) => i128::from(v),
            Data::DeltaDoubleLongUnsigned(v) => i128::from(v),
            Data::Integer(v) => i128::from(v),
            Data::Long(v) => i128::from(v),
            Data::LongUnsigned(v) => i128::from(v),
            Data::Long64(v) => i128::from(v),
            Data::Long64Unsigned(v) => i128::from(v),
            _ => return None,
        })
    }

    /// The elements of an array, structure or compact array.
    pub fn as_seq(&self) -> Option<Seq<'a>> {
        match self {
            Data::Array(s) | Data::Structure(s) => Some(*s),
            Data::CompactArray(ca) => Some(ca.elements()),
            _ => None,
        }
    }

    /// Octet-string bytes.
    pub fn as_octets(&self) -> Option<&'a [u8]> {
        match self {
            Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => Some(b),
            _ => None,
        }
    }

    /// A date-time, also from a 12-byte octet string (a common meter quirk).
    pub fn as_date_time(&self) -> Option<DateTime> {
        match self {
            Data::DateTime(dt) => Some(*dt),
            Data::OctetString(b) => DateTime::from_octets(b),
            _ => None,
        }
    }
}

#[cfg(feature = "alloc")]
mod owned;
#[cfg(feature = "alloc")]
use alloc::vec::Vec;

#[cfg(feature = "fuzzing")]
mod fuzzing;
#[cfg(feature = "fuzzing")]
pub use fuzzing::FUZZ_DEPTH;

#[cfg(feature = "serde")]
mod ser;

#[cfg(test)]
mod tests;

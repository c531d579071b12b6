//! The object layout table (IEEE 1815-2012 Annex A): the one place that says
//! how each group/variation is laid out on the wire.

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

/// How an object's fields are laid out on the wire (fixed-size kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // the names spell the fields in wire order
pub enum Kind {
    /// No bytes (class data g60).
    Empty,
    Flags,
    FlagsTime48,
    FlagsTime16,
    FlagsU32,
    FlagsU16,
    U32,
    U16,
    FlagsU32Time48,
    FlagsU16Time48,
    FlagsI32,
    FlagsI16,
    I32,
    I16,
    F32,
    FlagsF32,
    FlagsF64,
    FlagsI32Time48,
    FlagsI16Time48,
    FlagsF32Time48,
    FlagsF64Time48,
    I32Status,
    I16Status,
    F32Status,
    F64Status,
    /// Control relay output block / pattern control block (11 bytes).
    Crob,
    Time48,
    Time48Interval,
    Time48IntervalUnits,
    /// Time delay (u16).
    Delay,
}

/// The numeric field of a fixed-size kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Num {
    /// No numeric field.
    None,
    /// u16 ([`Value::Uint`]).
    U16,
    /// u32 ([`Value::Uint`]).
    U32,
    /// i16 ([`Value::Int`]).
    I16,
    /// i32 ([`Value::Int`]).
    I32,
    /// f32 ([`Value::Float`]).
    F32,
    /// f64 ([`Value::Float`]).
    F64,
    /// Control relay output block, 11 bytes ([`Value::Crob`]).
    Crob,
    /// Interval u32 then units u8 ([`Value::Interval`]).
    IntervalUnits,
}

impl Num {
    /// Size in bytes.
    pub const fn size(self) -> usize {
        match self {
            Num::None => 0,
            Num::U16 | Num::I16 => 2,
            Num::U32 | Num::I32 | Num::F32 => 4,
            Num::F64 => 8,
            Num::Crob => 11,
            Num::IntervalUnits => 5,
        }
    }
}

/// The time field of a fixed-size kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeField {
    /// None.
    None,
    /// 48-bit absolute time ([`Point::time`]).
    Abs48,
    /// 16-bit time relative to the fragment's CTO ([`Point::relative_time`]).
    Rel16,
}

impl TimeField {
    /// Size in bytes.
    pub const fn size(self) -> usize {
        match self {
            TimeField::None => 0,
            TimeField::Abs48 => 6,
            TimeField::Rel16 => 2,
        }
    }
}

/// What a fixed-size kind holds, in wire order: flags, (time when `time_first`),
/// the number, (time), status. This table is the one description each object
/// kind has: decode, the fast path and encode all follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// A leading flags (quality) byte.
    pub flags: bool,
    /// The time comes before the number (g50v2, g50v4).
    pub time_first: bool,
    /// The number.
    pub num: Num,
    /// The time.
    pub time: TimeField,
    /// A trailing control-status byte (g41).
    pub status: bool,
}

const fn spec(flags: bool, num: Num, time: TimeField, status: bool) -> Spec {
    Spec {
        flags,
        time_first: false,
        num,
        time,
        status,
    }
}

impl Kind {
    /// The kind's fields (the object-kind table).
    pub const fn spec(self) -> Spec {
        use Kind::*;
        use Num as N;
        use TimeField as T;
        match self {
            Empty => spec(false, N::None, T::None, false),
            Flags => spec(true, N::None, T::None, false),
            FlagsTime48 => spec(true, N::None, T::Abs48, false),
            FlagsTime16 => spec(true, N::None, T::Rel16, false),
            FlagsU32 => spec(true, N::U32, T::None, false),
            FlagsU16 => spec(true, N::U16, T::None, false),
            U32 => spec(false, N::U32, T::None, false),
            U16 | Delay => spec(false, N::U16, T::None, false),
            FlagsU32Time48 => spec(true, N::U32, T::Abs48, false),
            FlagsU16Time48 => spec(true, N::U16, T::Abs48, false),
            FlagsI32 => spec(true, N::I32, T::None, false),
            FlagsI16 => spec(true, N::I16, T::None, false),
            I32 => spec(false, N::I32, T::None, false),
            I16 => spec(false, N::I16, T::None, false),
            F32 => spec(false, N::F32, T::None, false),
            FlagsF32 => spec(true, N::F32, T::None, false),
            FlagsF64 => spec(true, N::F64, T::None, false),
            FlagsI32Time48 => spec(true, N::I32, T::Abs48, false),
            FlagsI16Time48 => spec(true, N::I16, T::Abs48, false),
            FlagsF32Time48 => spec(true, N::F32, T::Abs48, false),
            FlagsF64Time48 => spec(true, N::F64, T::Abs48, false),
            I32Status => spec(false, N::I32, T::None, true),
            I16Status => spec(false, N::I16, T::None, true),
            F32Status => spec(false, N::F32, T::None, true),
            F64Status => spec(false, N::F64, T::None, true),
            Crob => spec(false, N::Crob, T::None, false),
            Time48 => spec(false, N::None, T::Abs48, false),
            Time48Interval => Spec {
                time_first: true,
                ..spec(false, N::U32, T::Abs48, false)
            },
            Time48IntervalUnits => Spec {
                time_first: true,
                ..spec(false, N::IntervalUnits, T::Abs48, false)
            },
        }
    }

    /// Size in bytes, from [`Kind::spec`].
    pub const fn size(self) -> usize {
        let s = self.spec();
        (s.flags as usize)
            .wrapping_add(s.num.size())
            .wrapping_add(s.time.size())
            .wrapping_add(s.status as usize)
    }
}

/// The layout of an object (group, variation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Packed bits, `bits` per object (1 or 2).
    Packed(u8),
    /// Fixed-size fields.
    Fixed(Kind),
    /// Octet string whose length is the variation (g110-g113).
    Octets(u8),
    /// Device attribute (g0): data type code, length, value.
    Attribute,
    /// Secure Authentication and file-transfer objects, typed to their fields
    /// (sized by a size prefix, or fixed where the standard fixes them).
    Typed(Typed),
    /// Unknown: size only known from a size prefix.
    Unknown,
}

/// The object layout table (IEEE 1815-2012 Annex A) for the groups this crate decodes.
pub const fn layout(group: u8, variation: u8) -> Layout {
    use Kind::*;
    use Layout::{Fixed as F, Packed as P};
    match (group, variation) {
        (0, 1..=255) => Layout::Attribute,
        (1, 1) | (10, 1) | (12, 3) | (80, 1) => P(1),
        (3, 1) => P(2),
        (1, 2) | (3, 2) | (10, 2) | (2, 1) | (4, 1) | (11, 1) | (13, 1) => F(Flags),
        (2, 2) | (4, 2) | (11, 2) | (13, 2) => F(FlagsTime48),
        (2, 3) | (4, 3) => F(FlagsTime16),
        (12, 1) | (12, 2) => F(Crob),
        (20, 1) | (20, 3) | (21, 1) | (21, 3) | (22, 1) | (22, 3) | (23, 1) | (23, 3) => {
            F(FlagsU32)
        }
        (20, 2) | (20, 4) | (21, 2) | (21, 4) | (22, 2) | (22, 4) | (23, 2) | (23, 4) => {
            F(FlagsU16)
        }
        (20, 5) | (20, 7) | (21, 9) | (21, 11) | (34, 2) => F(U32),
        (20, 6) | (20, 8) | (21, 10) | (21, 12) | (34, 1) => F(U16),
        (21, 5) | (21, 7) | (22, 5) | (22, 7) | (23, 5) | (23, 7) => F(FlagsU32Time48),
        (21, 6) | (21, 8) | (22, 6) | (22, 8) | (23, 6) | (23, 8) => F(FlagsU16Time48),
        (30, 1) | (31, 1) | (32, 1) | (33, 1) | (40, 1) | (42, 1) | (43, 1) => F(FlagsI32),
        (30, 2) | (31, 2) | (32, 2) | (33, 2) | (40, 2) | (42, 2) | (43, 2) => F(FlagsI16),
        (30, 3) | (31, 5) => F(I32),
        (30, 4) | (31, 6) => F(I16),
        (34, 3) => F(F32),
        (30, 5) | (31, 7) | (32, 5) | (33, 5) | (40, 3) | (42, 5) | (43, 5) => F(FlagsF32),
        (30, 6) | (31, 8) | (32, 6) | (33, 6) | (40, 4) | (42, 6) | (43, 6) => F(FlagsF64),
        (31, 3) | (32, 3) | (33, 3) | (42, 3) | (43, 3) => F(FlagsI32Time48),
        (31, 4) | (32, 4) | (33, 4) | (42, 4) | (43, 4) => F(FlagsI16Time48),
        (32, 7) | (33, 7) | (42, 7) | (43, 7) => F(FlagsF32Time48),
        (32, 8) | (33, 8) | (42, 8) | (43, 8) => F(FlagsF64Time48),
        (41, 1) => F(I32Status),
        (41, 2) => F(I16Status),
        (41, 3) => F(F32Status),
        (41, 4) => F(F64Status),
        (50, 1) | (50, 3) | (51, 1) | (51, 2) => F(Time48),
        (50, 2) => F(Time48Interval),
        (50, 4) => F(Time48IntervalUnits),
        (52, 1) | (52, 2) => F(Delay),
        (60, 1..=4) => F(Empty),
        (110..=113, v) => Layout::Octets(v),
        (70, v @ 2..=7) => Layout::Typed(Typed::File(v)),
        (120, v @ (1..=7 | 9 | 15)) => Layout::Typed(Typed::Auth(v)),
        (121, 1) | (122, 1) => Layout::Typed(Typed::Statistic { time: false }),
        (122, 2) => Layout::Typed(Typed::Statistic { time: true }),
        _ => Layout::Unknown,
    }
}

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

impl Kind {
    /// Size in bytes.
    pub const fn size(self) -> usize {
        use Kind::*;
        match self {
            Empty => 0,
            Flags => 1,
            FlagsTime48 => 7,
            FlagsTime16 => 3,
            FlagsU32 | FlagsI32 | FlagsF32 | I32Status | F32Status => 5,
            FlagsU16 | FlagsI16 | I16Status => 3,
            U32 | I32 | F32 => 4,
            U16 | I16 | Delay => 2,
            FlagsU32Time48 | FlagsI32Time48 | FlagsF32Time48 | Crob | Time48IntervalUnits => 11,
            FlagsU16Time48 | FlagsI16Time48 | FlagsF64 | F64Status => 9,
            FlagsF64Time48 => 15,
            Time48 => 6,
            Time48Interval => 10,
        }
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

//! Decoded object values and points.

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

/// A control relay output block (g12v1) or pattern control block (g12v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Crob {
    /// Control code (op type bits 0-3, queue 4, clear 5, trip-close code 6-7).
    pub code: u8,
    /// Count.
    pub count: u8,
    /// On time, ms.
    pub on_time: u32,
    /// Off time, ms.
    pub off_time: u32,
    /// Status code.
    pub status: u8,
}

impl Crob {
    /// Operation type (bits 0-3): 1 pulse on, 2 pulse off, 3 latch on, 4 latch off.
    pub const fn op_type(&self) -> u8 {
        self.code & 0x0F
    }
    /// Trip-close code (bits 6-7): 0 nul, 1 close, 2 trip.
    pub const fn tcc(&self) -> u8 {
        self.code >> 6
    }
}

/// The value of one object.
#[derive(Debug, Clone, Copy, PartialEq)]
// u8 tag: the fast path stores the tag as a byte and callers read it back; an
// inferred wider tag load after a byte store stalled on store forwarding (perf).
#[repr(u8)]
pub enum Value<'a> {
    /// No value (class objects, time objects whose time is in [`Point::time`]).
    None,
    /// A binary state.
    Bool(bool),
    /// A double-bit state (0 intermediate, 1 off, 2 on, 3 indeterminate).
    DoubleBit(u8),
    /// An unsigned value (counters, deadbands, time delays, intervals).
    Uint(u32),
    /// A signed value (analogs).
    Int(i32),
    /// A floating-point value (f32 widened exactly, or f64).
    Float(f64),
    /// A CROB / PCB.
    Crob(Crob),
    /// An interval with units (g50v4).
    Interval {
        /// The interval count.
        interval: u32,
        /// Units code.
        units: u8,
    },
    /// An octet string (g110-g113).
    Octets(&'a [u8]),
    /// A device attribute (g0).
    Attribute {
        /// Data type code.
        data_type: u8,
        /// Value bytes.
        bytes: &'a [u8],
    },
    /// Bytes of an object whose layout this crate does not decode.
    Raw(&'a [u8]),
    /// A Secure Authentication (g120-g122) or file-transfer (g70) object whose
    /// bytes hold its fixed fields: [`Value::typed`] names them (decoded lazily, so
    /// every point stays small); `bytes` is the object as on the wire (what encoding
    /// writes).
    Typed {
        /// The object's layout.
        kind: Typed,
        /// The object's bytes.
        bytes: &'a [u8],
    },
}

/// One object (point) of an object header.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point<'a> {
    /// Point index (from the index prefix or the range; the position for counts).
    pub index: u32,
    /// The value.
    pub value: Value<'a>,
    /// Flags (quality) byte where the object has one.
    pub flags: Option<u8>,
    /// 48-bit absolute time, ms since 1970-01-01 UTC.
    pub time: Option<u64>,
    /// 16-bit relative time, ms after the preceding CTO (g2v3, g4v3).
    pub relative_time: Option<u16>,
    /// Control status (g41).
    pub status: Option<u8>,
}

impl<'a> Point<'a> {
    /// A point with only an index and a value.
    pub const fn new(index: u32, value: Value<'a>) -> Self {
        Point {
            index,
            value,
            flags: None,
            time: None,
            relative_time: None,
            status: None,
        }
    }
}

impl<'a> Value<'a> {
    /// The named fields of a [`Value::Typed`] object.
    pub fn typed(&self) -> Option<TypedValue<'a>> {
        match *self {
            Value::Typed { kind, bytes } => kind.decode(bytes),
            _ => None,
        }
    }
}

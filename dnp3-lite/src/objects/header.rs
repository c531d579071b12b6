//! Object headers: qualifier (prefix code, range specifier code) and range
//! (IEEE 1815-2012 clause 4.2.2.7).

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

/// The range part of an object header (range specifier code, qualifier bits 0-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Range {
    /// Codes 0x00/0x01/0x02: start and stop indices (1, 2 or 4 bytes each).
    StartStop {
        /// Width of start/stop in bytes (1, 2, 4).
        width: u8,
        /// First index.
        start: u32,
        /// Last index (inclusive).
        stop: u32,
    },
    /// Codes 0x03/0x04/0x05: start and stop virtual addresses.
    VirtualStartStop {
        /// Width in bytes (1, 2, 4).
        width: u8,
        /// First address.
        start: u32,
        /// Last address (inclusive).
        stop: u32,
    },
    /// Code 0x06: all objects, no range field.
    All,
    /// Codes 0x07/0x08/0x09: object count (1, 2 or 4 bytes).
    Count {
        /// Width in bytes (1, 2, 4).
        width: u8,
        /// Number of objects.
        count: u32,
    },
    /// Code 0x0B: free-format, a 1-byte object count.
    FreeFormat {
        /// Number of objects.
        count: u8,
    },
    /// A qualifier the standard reserves (bit 7 set, prefix code 7, or range code
    /// 0x0A or 0x0C-0x0F): nothing after it can be sized. Decoded only as the header
    /// of an undecoded block; never encoded.
    Reserved {
        /// The whole qualifier byte.
        qualifier: u8,
    },
}

/// Whether a qualifier byte is reserved (see [`Range::Reserved`]).
pub const fn is_reserved_qualifier(q: u8) -> bool {
    q & 0x80 != 0 || (q >> 4) & 0x07 == 7 || matches!(q & 0x0F, 0x0A | 0x0C..=0x0F)
}

impl Range {
    /// The range specifier code (qualifier low nibble).
    pub const fn code(&self) -> u8 {
        match *self {
            Range::StartStop { width, .. } => width_code(width),
            Range::VirtualStartStop { width, .. } => 3u8.wrapping_add(width_code(width)),
            Range::All => 6,
            Range::Count { width, .. } => 7u8.wrapping_add(width_code(width)),
            Range::FreeFormat { .. } => 0x0B,
            Range::Reserved { qualifier } => qualifier & 0x0F,
        }
    }

    /// The name printed in JSON.
    pub const fn name(&self) -> &'static str {
        match self {
            Range::StartStop { .. } => "start_stop",
            Range::VirtualStartStop { .. } => "virtual_start_stop",
            Range::All => "all",
            Range::Count { .. } => "count",
            Range::FreeFormat { .. } => "free_format",
            Range::Reserved { .. } => "reserved",
        }
    }

    /// Number of objects the range designates (0 for [`Range::All`]).
    pub fn count(&self) -> Result<u64, Error> {
        match *self {
            Range::StartStop { start, stop, .. } | Range::VirtualStartStop { start, stop, .. } => {
                if stop < start {
                    return Err(Error::malformed(
                        "object range",
                        "stop index below start index",
                    ));
                }
                Ok(u64::from(stop)
                    .saturating_sub(u64::from(start))
                    .saturating_add(1))
            }
            Range::All => Ok(0),
            Range::Count { count, .. } => Ok(u64::from(count)),
            Range::FreeFormat { count } => Ok(u64::from(count)),
            Range::Reserved { .. } => {
                Err(Error::malformed("object qualifier", "reserved qualifier"))
            }
        }
    }

    /// Reads the range fields of range specifier code `code` (qualifier low nibble).
    #[inline(always)]
    fn parse(code: u8, c: &mut Cursor<'_>) -> Result<Self, Error> {
        let rw = |c: &mut Cursor<'_>, w: u8| -> Result<u32, Error> {
            let v = c.read_uint_le(usize::from(w))?;
            Ok(u32::try_from(v).unwrap_or(u32::MAX))
        };
        Ok(match code {
            0..=2 => {
                let width = range_width(code);
                let start = rw(c, width)?;
                let stop = rw(c, width)?;
                Range::StartStop { width, start, stop }
            }
            3..=5 => {
                let width = range_width(code.saturating_sub(3));
                let start = rw(c, width)?;
                let stop = rw(c, width)?;
                Range::VirtualStartStop { width, start, stop }
            }
            6 => Range::All,
            7..=9 => {
                let width = range_width(code.saturating_sub(7));
                Range::Count {
                    width,
                    count: rw(c, width)?,
                }
            }
            0x0B => Range::FreeFormat {
                count: c.read_u8()?,
            },
            _ => {
                return Err(Error::unsupported(
                    "object range specifier code",
                    u32::from(code),
                ));
            }
        })
    }

    fn encoded_len(&self) -> usize {
        match *self {
            Range::StartStop { width, .. } | Range::VirtualStartStop { width, .. } => {
                usize::from(width).saturating_mul(2)
            }
            Range::All => 0,
            Range::Count { width, .. } => usize::from(width),
            Range::FreeFormat { .. } => 1,
            Range::Reserved { .. } => 0,
        }
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let check = |width: u8, v: u32| -> Result<(), EncodeError> {
            let max = match width {
                1 => u32::from(u8::MAX),
                2 => u32::from(u16::MAX),
                4 => u32::MAX,
                _ => {
                    return Err(EncodeError::Invalid {
                        field: "object range width",
                        reason: "1, 2 or 4 bytes",
                    });
                }
            };
            if v > max {
                return Err(EncodeError::Invalid {
                    field: "object range",
                    reason: "value does not fit the range width",
                });
            }
            Ok(())
        };
        match *self {
            Range::StartStop { width, start, stop }
            | Range::VirtualStartStop { width, start, stop } => {
                check(width, start)?;
                check(width, stop)?;
                if stop < start {
                    return Err(EncodeError::Invalid {
                        field: "object range",
                        reason: "stop below start",
                    });
                }
                w.write_uint_le(u64::from(start), usize::from(width))?;
                w.write_uint_le(u64::from(stop), usize::from(width))
            }
            Range::All => Ok(()),
            Range::Count { width, count } => {
                check(width, count)?;
                w.write_uint_le(u64::from(count), usize::from(width))
            }
            Range::FreeFormat { count } => w.write_u8(count),
            Range::Reserved { .. } => Err(EncodeError::Invalid {
                field: "object qualifier",
                reason: "a reserved qualifier is never encoded",
            }),
        }
    }
}

/// The width in bytes of a range field from its code's offset in the code's
/// family (0: 1 byte, 1: 2 bytes, 2: 4 bytes); the inverse of [`width_code`].
#[inline(always)]
fn range_width(offset: u8) -> u8 {
    [1u8, 2, 4].get(usize::from(offset)).copied().unwrap_or(1)
}

const fn width_code(width: u8) -> u8 {
    match width {
        1 => 0,
        2 => 1,
        _ => 2,
    }
}

/// Width in bytes of the object prefix for a prefix code (qualifier bits 4-6).
pub const fn prefix_width(code: u8) -> Option<u8> {
    match code {
        0 => Some(0),
        1 | 4 => Some(1),
        2 | 5 => Some(2),
        3 | 6 => Some(4),
        _ => None,
    }
}

/// Whether a prefix code is an index prefix (1..=3).
pub const fn is_index_prefix(code: u8) -> bool {
    matches!(code, 1..=3)
}

/// Whether a prefix code is an object-size prefix (4..=6).
pub const fn is_size_prefix(code: u8) -> bool {
    matches!(code, 4..=6)
}

/// A decoded object header: group, variation, qualifier and range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ObjectHeader {
    /// Object group.
    pub group: u8,
    /// Object variation.
    pub variation: u8,
    /// Object prefix code (qualifier bits 4-6).
    pub prefix: u8,
    /// The range.
    pub range: Range,
}

impl ObjectHeader {
    /// The qualifier byte.
    pub const fn qualifier(&self) -> u8 {
        match self.range {
            Range::Reserved { qualifier } => qualifier,
            _ => ((self.prefix & 0x07) << 4) | self.range.code(),
        }
    }

    /// Parses one object header (group, variation, qualifier, range).
    pub fn parse(c: &mut Cursor<'_>) -> Result<Self, Error> {
        let group = c.read_u8()?;
        let variation = c.read_u8()?;
        let qualifier = c.read_u8()?;
        if qualifier & 0x80 != 0 {
            return Err(Error::malformed("object qualifier", "reserved bit 7 set"));
        }
        let prefix = (qualifier >> 4) & 0x07;
        if prefix == 7 {
            return Err(Error::malformed("object prefix code", "code 7 is reserved"));
        }
        Ok(ObjectHeader {
            group,
            variation,
            prefix,
            range: Range::parse(qualifier & 0x0F, c)?,
        })
    }

    /// Encoded size of the header (3 + range).
    pub fn encoded_len(&self) -> usize {
        3usize.saturating_add(self.range.encoded_len())
    }

    /// Writes the header.
    pub fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.prefix > 6 {
            return Err(EncodeError::Invalid {
                field: "object prefix code",
                reason: "0..=6",
            });
        }
        w.write_u8(self.group)?;
        w.write_u8(self.variation)?;
        w.write_u8(self.qualifier())?;
        self.range.write(w)
    }
}

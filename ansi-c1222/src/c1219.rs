//! ANSI C12.19 utility industry end device data tables (C12.19-1997 / -2008).
//!
//! Table ids on the wire are u16 big endian: bits 0-10 the number, bit 11 a
//! manufacturer table, bit 12 a pending table.

use core::fmt;

/// A table id as carried by PSEM reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct TableId(pub u16);

impl TableId {
    /// Manufacturer bit.
    pub const MFG: u16 = 0x0800;
    /// Pending bit.
    pub const PENDING: u16 = 0x1000;

    /// A standard table.
    pub const fn standard(number: u16) -> Self {
        TableId(number & 0x07FF)
    }
    /// A manufacturer table (MT number).
    pub const fn manufacturer(number: u16) -> Self {
        TableId((number & 0x07FF) | Self::MFG)
    }
    /// The table number (0..=2047).
    pub const fn number(self) -> u16 {
        self.0 & 0x07FF
    }
    /// A manufacturer table.
    pub const fn is_manufacturer(self) -> bool {
        self.0 & Self::MFG != 0
    }
    /// A pending table.
    pub const fn is_pending(self) -> bool {
        self.0 & Self::PENDING != 0
    }
}

impl fmt::Display for TableId {
    /// `ST0`, `MT64`, `pending ST7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_pending() {
            f.write_str("pending ")?;
        }
        let kind = if self.is_manufacturer() { "MT" } else { "ST" };
        write!(f, "{kind}{}", self.number())
    }
}

//! ERT SCM+ : 16 bytes, CRC-16/GENIBUS over bytes 2..13.
//!
//! Layout: 0..1 sync 0x16A3; 2 protocol id 0x1E; 3 endpoint type (low nibble = ERT
//! type); 4..7 endpoint id; 8..11 consumption; 12..13 tamper; 14..15 CRC.

use crate::{Check, Commodity, Error};
use meterwire_core::crc::CRC16_GENIBUS;
use meterwire_core::{Cursor, Diagnostic, Encode, EncodeError, Strictness, Writer};

/// Field positions.
pub mod field {
    use core::ops::Range;
    /// Packet length.
    pub const LEN: usize = 16;
    /// Sync word.
    pub const SYNC: [u8; 2] = [0x16, 0xA3];
    /// Protocol id value of SCM+.
    pub const PROTOCOL_ID: u8 = 0x1E;
    /// Bytes covered by the CRC.
    pub const CHECKED: Range<usize> = 2..14;
}

/// A zero-copy view of an SCM+ packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScmPlus<T> {
    buf: T,
}

impl<T: AsRef<[u8]>> ScmPlus<T> {
    /// Wraps without checks.
    pub const fn new_unchecked(buf: T) -> Self {
        ScmPlus { buf }
    }

    /// As `new_checked`; strictness has no effect yet: scm+ packets that pass their
    /// checks have no departures this crate reports ([`Self::diagnostics`] is empty).
    pub fn new_checked_with(buf: T, strictness: Strictness) -> Result<Self, Error> {
        let s = Self::new_checked(buf)?;
        crate::error::enforce(strictness, || s.diagnostics())?;
        Ok(s)
    }

    /// Departures that still decode: none are known for scm+ (the iterator is empty;
    /// it exists so every view has the same shape).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<T> {
        core::iter::empty()
    }

    /// Wraps and checks length, sync, protocol id and CRC.
    pub fn new_checked(buf: T) -> Result<Self, Error> {
        let s = ScmPlus { buf };
        let len = s.buf.as_ref().len();
        if len < field::LEN {
            return Err(Error::truncated(field::LEN.saturating_sub(len)));
        }
        if s.buf.as_ref().get(..2) != Some(&field::SYNC[..]) {
            return Err(Error::malformed("scm+ sync", "expected 0x16a3"));
        }
        if s.protocol_id() != field::PROTOCOL_ID {
            return Err(Error::malformed("scm+ protocol id", "expected 0x1e"));
        }
        s.check_crc()?;
        Ok(s)
    }

    /// Checks the CRC.
    pub fn check_crc(&self) -> Result<(), Error> {
        let (expected, actual) = (self.computed_crc(), self.crc());
        if expected != actual {
            return Err(Error::Checksum {
                check: Check::ScmPlusCrc,
                expected,
                actual,
            });
        }
        Ok(())
    }

    /// The packet bytes.
    pub fn as_bytes(&self) -> &[u8] {
        let b = self.buf.as_ref();
        b.get(..field::LEN).unwrap_or(b)
    }

    fn byte(&self, i: usize) -> u8 {
        self.buf.as_ref().get(i).copied().unwrap_or(0)
    }
    fn be(&self, start: usize, n: usize) -> u32 {
        (0..n).fold(0u32, |acc, k| {
            (acc << 8) | u32::from(self.byte(start.wrapping_add(k)))
        })
    }

    /// Protocol id (0x1E).
    pub fn protocol_id(&self) -> u8 {
        self.byte(2)
    }
    /// Endpoint type; its low nibble is the ERT type.
    pub fn endpoint_type(&self) -> u8 {
        self.byte(3)
    }
    /// ERT type (low nibble of the endpoint type).
    pub fn ert_type(&self) -> u8 {
        self.endpoint_type() & 0x0F
    }
    /// Commodity of the ERT type.
    pub fn commodity(&self) -> Commodity {
        Commodity::from_ert_type(self.endpoint_type())
    }
    /// Endpoint id.
    pub fn endpoint_id(&self) -> u32 {
        self.be(4, 4)
    }
    /// Consumption.
    pub fn consumption(&self) -> u32 {
        self.be(8, 4)
    }
    /// Tamper flags.
    pub fn tamper(&self) -> u16 {
        self.be(12, 2) as u16
    }
    /// CRC in the packet.
    pub fn crc(&self) -> u16 {
        self.be(14, 2) as u16
    }
    /// CRC computed over bytes 2..13.
    pub fn computed_crc(&self) -> u16 {
        CRC16_GENIBUS.checksum(self.buf.as_ref().get(field::CHECKED).unwrap_or(&[]))
    }
}

/// The owned fields of an SCM+ packet (sync, protocol id and CRC are implied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScmPlusRepr {
    /// Endpoint type.
    pub endpoint_type: u8,
    /// Endpoint id.
    pub endpoint_id: u32,
    /// Consumption.
    pub consumption: u32,
    /// Tamper flags.
    pub tamper: u16,
}

impl ScmPlusRepr {
    /// Reads a view.
    pub fn parse<T: AsRef<[u8]>>(p: &ScmPlus<T>) -> Self {
        ScmPlusRepr {
            endpoint_type: p.endpoint_type(),
            endpoint_id: p.endpoint_id(),
            consumption: p.consumption(),
            tamper: p.tamper(),
        }
    }

    /// Parses bytes with a Cursor (checks included).
    pub fn parse_bytes(b: &[u8]) -> Result<Self, Error> {
        let v = ScmPlus::new_checked(b)?;
        let mut c = Cursor::new(v.as_bytes());
        c.skip(3)?;
        Ok(ScmPlusRepr {
            endpoint_type: c.read_u8()?,
            endpoint_id: c.read_u32_be()?,
            consumption: c.read_u32_be()?,
            tamper: c.read_u16_be()?,
        })
    }

    /// Encodes into a fixed array.
    pub fn to_bytes(&self) -> Result<[u8; field::LEN], EncodeError> {
        let mut out = [0u8; field::LEN];
        self.encode(&mut out)?;
        Ok(out)
    }
}

impl Encode for ScmPlusRepr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(out);
        w.reserve(field::LEN)?;
        let mut w = Writer::new(out);
        w.write_bytes(&field::SYNC)?;
        w.write_u8(field::PROTOCOL_ID)?;
        w.write_u8(self.endpoint_type)?;
        w.write_u32_be(self.endpoint_id)?;
        w.write_u32_be(self.consumption)?;
        w.write_u16_be(self.tamper)?;
        let crc = CRC16_GENIBUS.checksum(w.written().get(field::CHECKED).unwrap_or(&[]));
        w.write_u16_be(crc)?;
        Ok(w.position())
    }
}

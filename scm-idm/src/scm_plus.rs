//! ERT SCM+ : 16 bytes, CRC-16/GENIBUS over bytes 2..13.
//!
//! Layout: 0..1 sync 0x16A3; 2 protocol id 0x1E; 3 endpoint type (low nibble = ERT
//! type); 4..7 endpoint id; 8..11 consumption; 12..13 tamper; 14..15 CRC.

use crate::{Check, Commodity, Error};
use meterwire_core::crc::CRC16_GENIBUS;
use meterwire_core::{Cursor, Encode, EncodeError, Writer};

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

view!(
    /// A zero-copy view of an SCM+ packet.
    ScmPlus,
    field::LEN
);

impl<T: AsRef<[u8]>> ScmPlus<T> {
    no_diagnostics!("scm+");

    /// Wraps and checks length, sync, protocol id and CRC.
    pub fn new_checked(buf: T) -> Result<Self, Error> {
        let s = ScmPlus { buf };
        crate::error::need_len(s.buf.as_ref().len(), field::LEN)?;
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
        crate::error::crc_matches(Check::ScmPlusCrc, self.computed_crc(), self.crc())
    }

    /// ERT type (low nibble of the endpoint type).
    pub fn ert_type(&self) -> u8 {
        self.endpoint_type() & 0x0F
    }
    /// Commodity of the ERT type.
    pub fn commodity(&self) -> Commodity {
        Commodity::from_ert_type(self.endpoint_type())
    }
    bit_getters! {
        /// Protocol id (0x1E).
        protocol_id -> u8 = 16, 8;
        /// Endpoint type; its low nibble is the ERT type.
        endpoint_type -> u8 = 24, 8;
        /// Endpoint id.
        endpoint_id -> u32 = 32, 32;
        /// Consumption.
        consumption -> u32 = 64, 32;
        /// Tamper flags.
        tamper -> u16 = 96, 16;
        /// CRC in the packet.
        crc -> u16 = 112, 16;
    }
    /// CRC computed over bytes 2..13.
    pub fn computed_crc(&self) -> u16 {
        CRC16_GENIBUS.checksum(self.buf.as_ref().get(field::CHECKED).unwrap_or(&[]))
    }
}

/// The owned fields of an SCM+ packet (sync, protocol id and CRC are implied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
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

    to_bytes!(field::LEN);
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

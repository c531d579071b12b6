//! Writing P1 telegrams (a meter simulator, test generators): header, lines and the
//! CRC-16/ARC, into a caller's buffer without allocation.

use meterwire_core::{EncodeError, Writer};

use crate::crc::CRC16_ARC;

/// Builds one telegram: `/ident CR LF CR LF`, lines `address(group)…CR LF`, then `!CRC CR LF`.
pub struct TelegramWriter<'b> {
    w: Writer<'b>,
}

impl core::fmt::Debug for TelegramWriter<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TelegramWriter")
            .field("written", &self.w.position())
            .finish()
    }
}

fn clean(s: &str, forbidden: &[u8]) -> bool {
    s.bytes()
        .all(|c| (0x20..0x7F).contains(&c) && !forbidden.contains(&c))
}

impl<'b> TelegramWriter<'b> {
    /// Starts a telegram whose header is `/` + `identification` (e.g. `ISk5\2MT382-1000`).
    pub fn new(out: &'b mut [u8], identification: &str) -> Result<Self, EncodeError> {
        if identification.len() < 4 || !clean(identification, b"/!") {
            return Err(EncodeError::Invalid {
                field: "identification",
                reason: "at least XXXZ, printable ascii without / or !",
            });
        }
        let mut w = Writer::new(out);
        w.write_u8(b'/')?;
        w.write_bytes(identification.as_bytes())?;
        w.write_bytes(b"\r\n\r\n")?;
        Ok(TelegramWriter { w })
    }

    /// Adds a line: `address` then one `(group)` per item (a group is `value` or
    /// `value*unit`, without parentheses).
    pub fn line(&mut self, address: &str, groups: &[&str]) -> Result<&mut Self, EncodeError> {
        if address.is_empty() || !clean(address, b"()!/") {
            return Err(EncodeError::Invalid {
                field: "p1 line address",
                reason: "printable ascii without ( ) ! /",
            });
        }
        if groups.is_empty() || groups.iter().any(|g| !clean(g, b"()!/")) {
            return Err(EncodeError::Invalid {
                field: "p1 line groups",
                reason: "one or more groups of printable ascii without ( ) ! /",
            });
        }
        self.w.write_bytes(address.as_bytes())?;
        for g in groups {
            self.w.write_u8(b'(')?;
            self.w.write_bytes(g.as_bytes())?;
            self.w.write_u8(b')')?;
        }
        self.w.write_bytes(b"\r\n")?;
        Ok(self)
    }

    /// Ends with `!`, the CRC-16/ARC as 4 upper-case hex digits, CR LF (DSMR 4+);
    /// returns the telegram length.
    pub fn finish(mut self) -> Result<usize, EncodeError> {
        self.w.write_u8(b'!')?;
        let crc = CRC16_ARC.checksum(self.w.written());
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for shift in [12u32, 8, 4, 0] {
            let d = usize::from(crc.wrapping_shr(shift) as u8 & 0x0F);
            self.w.write_u8(HEX.get(d).copied().unwrap_or(b'0'))?;
        }
        self.w.write_bytes(b"\r\n")?;
        Ok(self.w.position())
    }

    /// Ends with `!` CR LF and no CRC (DSMR 2.2/3); returns the telegram length.
    pub fn finish_without_crc(mut self) -> Result<usize, EncodeError> {
        self.w.write_bytes(b"!\r\n")?;
        Ok(self.w.position())
    }
}

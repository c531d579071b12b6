//! CRC algorithms used by more than one meterwire crate, from the `crc` catalog.
//!
//! All are slice-by-16 tables computed at compile time.

use crc::{Crc, Table};

/// CRC-16/MODBUS (poly 0x8005 reflected, init 0xFFFF). Modbus RTU; sent low byte first.
pub const CRC16_MODBUS: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_MODBUS);

/// CRC-16/DNP (poly 0x3D65 reflected, init 0, xorout 0xFFFF). DNP3 link layer.
pub const CRC16_DNP: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_DNP);

/// CRC-16/IBM-SDLC, also called CRC-16/X-25 (poly 0x1021 reflected, init and xorout 0xFFFF).
/// DLMS HDLC HCS/FCS and ANSI C12.18 packets.
pub const CRC16_X25: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_IBM_SDLC);

/// CRC-16/GENIBUS (poly 0x1021, init 0xFFFF, xorout 0xFFFF, not reflected). ERT SCM+, IDM, NetIDM.
pub const CRC16_GENIBUS: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_GENIBUS);

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK: &[u8] = b"123456789";

    #[test]
    fn check_values() {
        assert_eq!(CRC16_MODBUS.checksum(CHECK), 0x4B37);
        assert_eq!(CRC16_DNP.checksum(CHECK), 0xEA82);
        assert_eq!(CRC16_X25.checksum(CHECK), 0x906E);
        assert_eq!(CRC16_GENIBUS.checksum(CHECK), 0xD64E);
    }

    #[test]
    fn modbus_real_frame() {
        // Read holding registers, unit 1, address 0, quantity 10: 01 03 00 00 00 0A C5 CD
        let crc = CRC16_MODBUS.checksum(&[0x01, 0x03, 0x00, 0x00, 0x00, 0x0A]);
        assert_eq!(crc.to_le_bytes(), [0xC5, 0xCD]);
    }
}

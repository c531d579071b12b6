//! CRC-16/ARC of DSMR P1 telegrams (DSMR 4.0+ §6.2: poly 0x8005 reflected, init 0).

use crc::{Crc, Table};

/// CRC-16/ARC from the `crc` catalog (slice-by-16 table).
pub const CRC16_ARC: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&crc::CRC_16_ARC);

/// CRC-16/ARC of `data`.
#[inline]
pub fn crc16_arc(data: &[u8]) -> u16 {
    CRC16_ARC.checksum(data)
}

#[cfg(test)]
mod tests {
    #[test]
    fn check_value() {
        assert_eq!(super::crc16_arc(b"123456789"), 0xBB3D);
    }
}

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

/// The byte table of a reflected 16-bit CRC (init 0): entry `b` is the register
/// after shifting byte `b` through it, for the bit-reversed polynomial
/// `poly_reflected` (0xA001 for CRC-16/MODBUS, 0xA6BC for CRC-16/DNP). For table
/// loops a crate writes itself; evaluate it in a `const` or `static`.
// compile time in practice: indices and counters are bounded by the loop conditions
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
pub const fn reflected_table16(poly_reflected: u16) -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut b = 0usize;
    while b < 256 {
        let mut crc = b as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ poly_reflected
            } else {
                crc >> 1
            };
            bit += 1;
        }
        t[b] = crc;
        b += 1;
    }
    t
}

/// CRC-16/DNP tables for short inputs: `DNP_TABLES[k][b]` is the CRC register (init 0)
/// after byte `b` followed by `k` zero bytes. With init 0 the CRC is linear, so the CRC of
/// `n <= 16` bytes is the XOR of one lookup per byte, `DNP_TABLES[n - 1 - i][m[i]]`: the
/// lookups are independent (no chain from byte to byte), which suits DNP3's 8-byte link
/// header and its blocks of at most 16 bytes.
static DNP_TABLES: [[u16; 256]; 16] = dnp_tables();

// compile time only: indices and counters are bounded by the loop conditions
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn dnp_tables() -> [[u16; 256]; 16] {
    let mut t = [[0u16; 256]; 16];
    t[0] = reflected_table16(0xA6BC);
    let mut k = 1usize;
    while k < 16 {
        let mut b = 0usize;
        while b < 256 {
            let prev = t[k - 1][b];
            t[k][b] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            b += 1;
        }
        k += 1;
    }
    t
}

#[inline(always)]
fn dnp_lookup(k: usize, b: u8) -> u16 {
    DNP_TABLES
        .get(k)
        .and_then(|t| t.get(usize::from(b)))
        .copied()
        .unwrap_or(0)
}

/// CRC-16/DNP of one full 16-byte DNP3 link block: 16 independent table lookups
/// (same result as [`CRC16_DNP`]).
#[inline]
pub fn crc16_dnp_16(block: &[u8; 16]) -> u16 {
    let mut crc = 0u16;
    for (k, &b) in block.iter().rev().enumerate() {
        crc ^= dnp_lookup(k, b);
    }
    !crc
}

/// CRC-16/DNP of a DNP3 link header (8 bytes) or block (at most 16 bytes) with one
/// independent table lookup per byte; longer inputs fall back to [`CRC16_DNP`]. Same
/// result as `CRC16_DNP.checksum(bytes)`.
#[inline]
pub fn crc16_dnp_short(bytes: &[u8]) -> u16 {
    if let Some(block) = bytes.first_chunk::<16>().filter(|_| bytes.len() == 16) {
        return crc16_dnp_16(block);
    }
    if bytes.len() > 16 {
        return CRC16_DNP.checksum(bytes);
    }
    let mut crc = 0u16;
    for (k, &b) in bytes.iter().rev().enumerate() {
        crc ^= dnp_lookup(k, b);
    }
    !crc
}

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
    fn reflected_table_runs_crc16_modbus() {
        let t = reflected_table16(0xA001);
        let crc = CHECK
            .iter()
            .fold(0xFFFF_u16, |c, &b| (c >> 8) ^ t[usize::from((c as u8) ^ b)]);
        assert_eq!(crc, 0x4B37);
    }

    #[test]
    fn dnp_short_agrees_with_the_catalog() {
        let data: [u8; 40] = core::array::from_fn(|i| (i as u8).wrapping_mul(151).wrapping_add(7));
        for start in 0..8 {
            for len in 0..=(data.len() - start) {
                let m = &data[start..start + len];
                assert_eq!(crc16_dnp_short(m), CRC16_DNP.checksum(m), "{start} {len}");
            }
        }
        let b16: &[u8; 16] = data[3..19].try_into().unwrap();
        assert_eq!(crc16_dnp_16(b16), CRC16_DNP.checksum(b16));
        assert_eq!(crc16_dnp_short(CHECK), 0xEA82);
        // a real link header: request link status, CRC DA FE (sent low byte first)
        let h = [0x05, 0x64, 0x05, 0xC9, 0x0A, 0x00, 0x01, 0x00];
        assert_eq!(crc16_dnp_short(&h).to_le_bytes(), [0xFE, 0xDA]);
    }

    #[test]
    fn modbus_real_frame() {
        // Read holding registers, unit 1, address 0, quantity 10: 01 03 00 00 00 0A C5 CD
        let crc = CRC16_MODBUS.checksum(&[0x01, 0x03, 0x00, 0x00, 0x00, 0x0A]);
        assert_eq!(crc.to_le_bytes(), [0xC5, 0xCD]);
    }
}

//! ERT Standard Consumption Message (SCM): 96 bits, CRC-16 poly 0x6F63.
//!
//! Layout (bits, MSB-first): 0..20 preamble `1_1111_0010_1010_0110_0000`, 21..22 id bits
//! 25..24, 23 reserved, 24..25 physical tamper, 26..29 ERT type, 30..31 encoder tamper,
//! 32..55 consumption, 56..79 id bits 23..0, 80..95 CRC over bytes 2..9.
//! The CRC is a shortened cyclic (BCH) code of generator 0x16F63 whose 80-bit
//! codewords (bytes 2..11) have pairwise distinct syndromes for all 1- and 2-bit
//! errors, so [`correct`] fixes up to 2 bit errors.

use crate::{Check, Commodity, Error};
use crc::{Algorithm, Crc, Table};
use meterwire_core::{Encode, EncodeError};

/// Field positions.
pub mod field {
    use core::ops::Range;
    /// The whole packet length in bytes.
    pub const LEN: usize = 12;
    /// Preamble bytes (the preamble continues with 5 zero bits of byte 2).
    pub const PREAMBLE: [u8; 2] = [0xF9, 0x53];
    /// The 21-bit preamble value.
    pub const PREAMBLE_BITS: u32 = 0x1F_2A60;
    /// Preamble length in bits.
    pub const PREAMBLE_LEN_BITS: u32 = 21;
    /// Consumption, 24 bits.
    pub const CONSUMPTION: Range<usize> = 4..7;
    /// Id bits 23..0.
    pub const ID_LOW: Range<usize> = 7..10;
    /// CRC (big-endian).
    pub const CRC: Range<usize> = 10..12;
    /// Bytes covered by the CRC.
    pub const CHECKED: Range<usize> = 2..10;
    /// The BCH codeword (data + CRC) used for correction.
    pub const CODEWORD: Range<usize> = 2..12;
}

/// The SCM CRC: poly 0x6F63, init 0, not reflected, xorout 0.
pub const SCM_CRC_ALGO: Algorithm<u16> = Algorithm {
    width: 16,
    poly: 0x6F63,
    init: 0,
    refin: false,
    refout: false,
    xorout: 0,
    check: 0xBDF4,
    residue: 0,
};

/// Table-driven SCM CRC.
pub const SCM_CRC: Crc<u16, Table<16>> = Crc::<u16, Table<16>>::new(&SCM_CRC_ALGO);

view!(
    /// A zero-copy view of an SCM packet (12 bytes from the preamble).
    Scm,
    field::LEN
);

impl<T: AsRef<[u8]>> Scm<T> {
    no_diagnostics!("scm");

    /// Wraps and checks length, preamble and CRC. Bytes past 12 are ignored.
    pub fn new_checked(buf: T) -> Result<Self, Error> {
        let s = Scm { buf };
        s.check_len()?;
        s.check_preamble()?;
        s.check_crc()?;
        Ok(s)
    }

    /// Checks that 12 bytes are present.
    pub fn check_len(&self) -> Result<(), Error> {
        crate::error::need_len(self.buf.as_ref().len(), field::LEN)
    }

    /// Checks the 21-bit preamble.
    pub fn check_preamble(&self) -> Result<(), Error> {
        if self.bits(0, field::PREAMBLE_LEN_BITS) != field::PREAMBLE_BITS {
            return Err(Error::malformed(
                "scm preamble",
                "expected 0xf953 and 5 zero bits",
            ));
        }
        Ok(())
    }

    /// Checks the CRC.
    pub fn check_crc(&self) -> Result<(), Error> {
        crate::error::crc_matches(Check::ScmCrc, self.computed_crc(), self.crc())
    }

    /// The 26-bit ERT id.
    pub fn id(&self) -> u32 {
        (self.bits(21, 2) << 24) | self.bits(56, 24)
    }
    /// Bit 23, reserved (seen set in real packets).
    pub fn reserved(&self) -> bool {
        self.bits(23, 1) != 0
    }
    /// Commodity of the ERT type.
    pub fn commodity(&self) -> Commodity {
        Commodity::from_ert_type(self.ert_type())
    }
    bit_getters! {
        /// Physical tamper, 2 bits.
        physical_tamper -> u8 = 24, 2;
        /// ERT type, 4 bits.
        ert_type -> u8 = 26, 4;
        /// Encoder tamper, 2 bits.
        encoder_tamper -> u8 = 30, 2;
        /// Consumption, 24 bits.
        consumption -> u32 = 32, 24;
        /// The CRC in the packet.
        crc -> u16 = 80, 16;
    }
    /// The CRC computed over bytes 2..9.
    pub fn computed_crc(&self) -> u16 {
        SCM_CRC.checksum(self.buf.as_ref().get(field::CHECKED).unwrap_or(&[]))
    }
}

/// The owned fields of an SCM packet; the CRC is computed when encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ScmRepr {
    /// ERT id, 26 bits.
    pub id: u32,
    /// ERT type, 4 bits.
    pub ert_type: u8,
    /// Physical tamper, 2 bits.
    pub physical_tamper: u8,
    /// Encoder tamper, 2 bits.
    pub encoder_tamper: u8,
    /// Consumption, 24 bits.
    pub consumption: u32,
    /// Reserved bit 23.
    pub reserved: bool,
}

impl ScmRepr {
    /// Reads the fields of a view.
    pub fn parse<T: AsRef<[u8]>>(p: &Scm<T>) -> Self {
        ScmRepr {
            id: p.id(),
            ert_type: p.ert_type(),
            physical_tamper: p.physical_tamper(),
            encoder_tamper: p.encoder_tamper(),
            consumption: p.consumption(),
            reserved: p.reserved(),
        }
    }

    /// Commodity of the ERT type.
    pub fn commodity(&self) -> Commodity {
        Commodity::from_ert_type(self.ert_type)
    }

    to_bytes!(field::LEN);
}

impl Encode for ScmRepr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        use crate::bits::fits;
        fits("id", self.id, 26, "at most 26 bits")?;
        fits("ert_type", self.ert_type.into(), 4, "at most 4 bits")?;
        fits(
            "physical_tamper",
            self.physical_tamper.into(),
            2,
            "at most 2 bits",
        )?;
        fits(
            "encoder_tamper",
            self.encoder_tamper.into(),
            2,
            "at most 2 bits",
        )?;
        fits("consumption", self.consumption, 24, "at most 24 bits")?;
        let out = crate::bits::out_zeroed(out, field::LEN)?;
        use crate::bits::set_bits;
        set_bits(out, 0, field::PREAMBLE_LEN_BITS, field::PREAMBLE_BITS);
        set_bits(out, 21, 2, self.id >> 24);
        set_bits(out, 23, 1, u32::from(self.reserved));
        set_bits(out, 24, 2, self.physical_tamper.into());
        set_bits(out, 26, 4, self.ert_type.into());
        set_bits(out, 30, 2, self.encoder_tamper.into());
        set_bits(out, 32, 24, self.consumption);
        set_bits(out, 56, 24, self.id & 0xFF_FFFF);
        let crc = SCM_CRC.checksum(out.get(field::CHECKED).unwrap_or(&[]));
        set_bits(out, 80, 16, crc.into());
        Ok(field::LEN)
    }
}

// ---- BCH correction ----

const CODE_BITS: usize = 80;

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// Syndrome (CRC over the 80-bit codeword) of a single error at codeword bit `p`.
const fn single_syndrome(p: usize) -> u16 {
    // CRC of a message with one bit set: shift the register through the remaining bits.
    let mut crc: u16 = 0;
    let mut i = 0;
    while i < CODE_BITS {
        let bit = if i == p { 1u16 } else { 0 };
        let top = ((crc >> 15) & 1) ^ bit;
        crc <<= 1;
        if top != 0 {
            crc ^= 0x6F63;
        }
        i += 1;
    }
    crc
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
const SYNDROMES: [u16; CODE_BITS] = {
    let mut t = [0u16; CODE_BITS];
    let mut i = 0;
    while i < CODE_BITS {
        t[i] = single_syndrome(i);
        i += 1;
    }
    t
};

/// Slots of the syndrome table: 3 240 correctable patterns (80 single, 3 160 double
/// bit errors) in 8 192 slots, so probes are short.
const TABLE_BITS: u32 = 13;
const TABLE_LEN: usize = 1 << TABLE_BITS;
/// An empty slot (syndrome 0 is no error pattern: the minimum distance is 5).
const EMPTY: u32 = 0;

/// The home slot of a syndrome (multiplicative hash).
const fn home(s: u16) -> usize {
    ((s as u32).wrapping_mul(0x9E37_79B1) >> (32 - TABLE_BITS)) as usize
}

/// A slot: syndrome in bits 16..31, first bit position + 1 in 8..15, second + 1 in
/// 0..7 (0 = no second bit).
const fn slot(s: u16, a: usize, b: usize) -> u32 {
    ((s as u32) << 16) | ((a.wrapping_add(1) as u32) << 8) | (b as u32)
}

#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)] // const-evaluated: a bad index or a duplicate fails the build
const fn insert(t: &mut [u32; TABLE_LEN], s: u16, v: u32) {
    let mut i = home(s);
    loop {
        if t[i] == EMPTY {
            t[i] = v;
            return;
        }
        if (t[i] >> 16) as u16 == s {
            panic!("two correctable error patterns share a syndrome");
        }
        i = (i + 1) & (TABLE_LEN - 1);
    }
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// Open-addressing table from syndrome to the 1 or 2 error positions, built at compile
/// time (the build fails if two patterns of weight <= 2 shared a syndrome).
static TABLE_S: [u32; TABLE_LEN] = {
    let mut t = [EMPTY; TABLE_LEN];
    let mut i = 0;
    while i < CODE_BITS {
        insert(&mut t, SYNDROMES[i], slot(SYNDROMES[i], i, 0));
        let mut j = i + 1;
        while j < CODE_BITS {
            let s = SYNDROMES[i] ^ SYNDROMES[j];
            insert(&mut t, s, slot(s, i, j + 1));
            j += 1;
        }
        i += 1;
    }
    t
};

/// The codeword bit positions (0 = MSB of byte 2) of a 1- or 2-bit error with syndrome
/// `s`: one hashed lookup and a short probe.
fn locate(s: u16) -> Option<[Option<usize>; 2]> {
    let mut i = home(s);
    for _ in 0..TABLE_LEN {
        let v = *TABLE_S.get(i)?;
        if v == EMPTY {
            return None;
        }
        if (v >> 16) as u16 == s {
            let a = ((v >> 8) & 0xFF) as usize;
            let b = (v & 0xFF) as usize;
            return Some([a.checked_sub(1), b.checked_sub(1)]);
        }
        i = i.wrapping_add(1) & (TABLE_LEN - 1);
    }
    None
}

/// The SCM CRC's byte table (MSB first), for the syndrome on the correction path.
static SYNDROME_TABLE: [u16; 256] = syndrome_table();

// compile time only: indices and counters are bounded by the loop conditions
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn syndrome_table() -> [u16; 256] {
    let mut t = [0u16; 256];
    let mut b = 0usize;
    while b < 256 {
        let mut crc = (b as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ SCM_CRC_ALGO.poly
            } else {
                crc << 1
            };
            bit += 1;
        }
        t[b] = crc;
        b += 1;
    }
    t
}

/// The CRC syndrome of bytes 2..11 (zero for a valid packet).
///
/// The same CRC as [`SCM_CRC`] (init 0, no reflection, no xorout), as a plain byte
/// loop over a static table: the generic `Crc::checksum` is not always inlined, and
/// when it is not, the correction path pays for the call and for the algorithm's
/// runtime parameters (seen as +20 % on `scm_correct_2bit`).
#[inline]
pub fn syndrome(packet: &[u8]) -> u16 {
    packet
        .get(field::CODEWORD)
        .unwrap_or(&[])
        .iter()
        .fold(0u16, |crc, &b| {
            let i = usize::from((crc >> 8) as u8 ^ b);
            (crc << 8) ^ SYNDROME_TABLE.get(i).copied().unwrap_or(0)
        })
}

/// Corrects up to 2 bit errors in bytes 2..11 of a 12-byte SCM packet in place and
/// returns how many bits were flipped (0 when it was valid). More errors: the packet
/// is left unchanged and [`Error::Uncorrectable`] is returned. The 16 preamble bits in
/// bytes 0..1 are not part of the code and are not touched; the 5 zero preamble bits
/// of byte 2 are, and a correction that leaves them non-zero is rejected.
pub fn correct(packet: &mut [u8]) -> Result<u8, Error> {
    correct_max(packet, 2)
}

/// As [`correct`], but corrects at most `max_bits` (0, 1 or 2) bit errors. A lower
/// limit rejects more noisy packets instead of risking a miscorrection (see the README
/// for measured rates).
pub fn correct_max(packet: &mut [u8], max_bits: u8) -> Result<u8, Error> {
    let len = packet.len();
    if len < field::LEN {
        return Err(Error::truncated(field::LEN.saturating_sub(len)));
    }
    let s = syndrome(packet);
    if s == 0 {
        return Ok(0);
    }
    let positions = locate(s)
        .filter(|p| p.iter().flatten().count() <= usize::from(max_bits))
        .ok_or(Error::Uncorrectable {
            check: Check::ScmCrc,
        })?;
    let mut fixed = [0u8; field::LEN];
    if let Some(src) = packet.get(..field::LEN) {
        fixed.copy_from_slice(src);
    }
    let base = field::CODEWORD.start.wrapping_mul(8);
    let mut n = 0u8;
    for p in positions.into_iter().flatten() {
        let pos = base.wrapping_add(p);
        let v = crate::bits::get_bit(&fixed, pos);
        crate::bits::set_bit(&mut fixed, pos, !v);
        n = n.wrapping_add(1);
    }
    if crate::bits::get_bits(&fixed, 0, field::PREAMBLE_LEN_BITS) != field::PREAMBLE_BITS {
        return Err(Error::Uncorrectable {
            check: Check::ScmCrc,
        });
    }
    if let Some(dst) = packet.get_mut(..field::LEN) {
        dst.copy_from_slice(&fixed);
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_check_value() {
        assert_eq!(SCM_CRC.checksum(b"123456789"), 0xBDF4);
    }

    #[test]
    fn syndrome_is_the_scm_crc_of_the_codeword() {
        let mut p = [0u8; field::LEN];
        for seed in 0..2000u32 {
            for (i, b) in p.iter_mut().enumerate() {
                *b = (seed.wrapping_mul(2654435761).rotate_left(i as u32 * 3) >> 7) as u8;
            }
            assert_eq!(
                syndrome(&p),
                SCM_CRC.checksum(&p[field::CODEWORD]),
                "seed {seed}"
            );
        }
    }

    #[test]
    fn syndromes_distinct() {
        for (i, &a) in SYNDROMES.iter().enumerate() {
            assert_ne!(a, 0);
            assert_eq!(locate(a), Some([Some(i), None]));
            for (j, &b) in SYNDROMES.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b);
                let d = a ^ b;
                assert_eq!(locate(d), Some([Some(i), Some(j)]), "pair {i},{j}");
            }
        }
    }
}

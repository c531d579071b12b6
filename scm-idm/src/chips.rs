//! Chip helpers: Manchester chips to bits for ERT, R900 chips to base-6 symbols (and
//! back), and a whole R900 transmission for test transmitters. Re-exported from
//! [`crate::bitstream`].

use crate::bits::get_bits;
use crate::bitstream::{R900_CHIPS, R900_PREAMBLE, R900_PREAMBLE_BITS};
use crate::{Error, r900, rs};

/// Manchester conventions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manchester {
    /// Chips `10` are a 1 and `01` a 0 (G. E. Thomas).
    OneIsHighLow,
    /// Chips `01` are a 1 and `10` a 0 (IEEE 802.3).
    OneIsLowHigh,
}

impl Manchester {
    /// The chip pair of a 1 (a 0 is its complement).
    const fn one(self) -> u32 {
        match self {
            Manchester::OneIsHighLow => 0b10,
            Manchester::OneIsLowHigh => 0b01,
        }
    }
}

/// Decodes `nchips` Manchester chips (packed MSB-first) into bits packed in `out`;
/// returns the number of bits. A `00` or `11` pair is an error naming its chip index
/// in the message-free form of a malformed error; `out` must hold `nchips / 16` bytes.
pub fn manchester_decode(
    chips: &[u8],
    nchips: usize,
    conv: Manchester,
    out: &mut [u8],
) -> Result<usize, Error> {
    transcode(chips, nchips, 2, 1, out, |pair| match pair ^ conv.one() {
        0b00 => Ok(1),
        0b11 => Ok(0),
        _ => Err(Error::malformed(
            "manchester chips",
            "a chip pair is 00 or 11",
        )),
    })
}

/// Manchester-encodes `nbits` bits into chips (2 per bit) in `out`; returns the chip count.
pub fn manchester_encode(
    bits: &[u8],
    nbits: usize,
    conv: Manchester,
    out: &mut [u8],
) -> Result<usize, Error> {
    transcode(bits, nbits, 1, 2, out, |bit| {
        Ok(if bit != 0 {
            conv.one()
        } else {
            conv.one() ^ 0b11
        })
    })
}

/// Maps each `from`-bit unit of the first `nbits` bits of `src` (at most what it
/// holds) to a `to`-bit unit of `out`, MSB-first; returns the bits written. `out`
/// too short for them is a length error before anything is written; an error of
/// `map` stops there.
fn transcode(
    src: &[u8],
    nbits: usize,
    from: u32,
    to: u32,
    out: &mut [u8],
    map: impl Fn(u32) -> Result<u32, Error>,
) -> Result<usize, Error> {
    let units = nbits
        .min(src.len().saturating_mul(8))
        .checked_div(from as usize)
        .unwrap_or(0);
    let written = units.saturating_mul(to as usize);
    room(out, written)?;
    for i in 0..units {
        let v = map(get_bits(src, i.wrapping_mul(from as usize), from))?;
        crate::bits::set_bits(out, i.wrapping_mul(to as usize), to, v);
    }
    Ok(written)
}

/// Base-6 digit to its 4 chips.
const DIGIT_CHIPS: [u8; 6] = [0b0011, 0b0101, 0b0110, 0b1100, 0b1010, 0b1001];

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// 4 chips to a base-6 digit (`0xFF` = invalid).
const CHIPS_DIGIT: [u8; 16] = {
    let mut t = [0xFFu8; 16];
    let mut d = 0;
    while d < 6 {
        t[DIGIT_CHIPS[d] as usize] = d as u8;
        d += 1;
    }
    t
};

/// Converts the 168 R900 payload chips starting at chip `start` of `chips` into the
/// 21 five-bit symbols. Errors: an invalid 4-chip group, a digit pair >= 32, or too
/// few chips.
pub fn r900_chips_to_symbols(chips: &[u8], start: usize) -> Result<[u8; rs::SYMBOLS], Error> {
    let (sym, erased) = r900_chips_to_symbols_erasures(chips, start)?;
    if erased != 0 {
        let i = erased.trailing_zeros() as usize;
        let byte = get_bits(chips, start.wrapping_add(i.wrapping_mul(8)), 8);
        let valid = |n: u32| CHIPS_DIGIT.get(n as usize).is_some_and(|&d| d != 0xFF);
        return Err(if valid(byte >> 4) && valid(byte & 0xF) {
            Error::malformed("r900 chips", "a base-6 digit pair is 32 or more")
        } else {
            Error::malformed("r900 chips", "a 4-chip group is not a base-6 digit")
        });
    }
    Ok(sym)
}

/// As [`r900_chips_to_symbols`], but a symbol whose chips are not a valid base-6
/// digit pair (an invalid 4-chip group, or a pair >= 32) is an erasure: it reads as 0
/// and bit `i` of the returned mask is set, for [`crate::r900::correct_symbols`].
pub fn r900_chips_to_symbols_erasures(
    chips: &[u8],
    start: usize,
) -> Result<([u8; rs::SYMBOLS], u32), Error> {
    let need = start.saturating_add(R900_CHIPS);
    let have = chips.len().saturating_mul(8);
    if need > have {
        return Err(Error::truncated((need.saturating_sub(have)).div_ceil(8)));
    }
    let mut out = [0u8; rs::SYMBOLS];
    let mut erased = 0u32;
    for (i, o) in out.iter_mut().enumerate() {
        let byte = get_bits(chips, start.wrapping_add(i.wrapping_mul(8)), 8);
        let hi = CHIPS_DIGIT
            .get((byte >> 4) as usize)
            .copied()
            .unwrap_or(0xFF);
        let lo = CHIPS_DIGIT
            .get((byte & 0xF) as usize)
            .copied()
            .unwrap_or(0xFF);
        let v = hi.wrapping_mul(6).wrapping_add(lo);
        if hi == 0xFF || lo == 0xFF || v >= 32 {
            erased |= 1u32.wrapping_shl(i as u32);
        } else {
            *o = v;
        }
    }
    Ok((out, erased))
}

/// Converts 21 symbols (each < 32) into the 168 payload chips (21 bytes).
pub fn r900_symbols_to_chips(sym: &[u8; rs::SYMBOLS]) -> [u8; 21] {
    core::array::from_fn(|i| {
        let v = sym.get(i).copied().unwrap_or(0) & 31;
        let hi = DIGIT_CHIPS.get(usize::from(v / 6)).copied().unwrap_or(0);
        let lo = DIGIT_CHIPS.get(usize::from(v % 6)).copied().unwrap_or(0);
        (hi << 4) | lo
    })
}

/// A whole R900 transmission in chips: the 63-chip preamble and sync, then the 168
/// payload chips of a 14-byte packet. Returns the chips and their count (231).
pub fn r900_transmission(packet: &[u8]) -> ([u8; 29], usize) {
    let sym = r900::R900::new_unchecked(packet).symbols();
    let payload = r900_symbols_to_chips(&sym);
    let mut out = [0u8; 29];
    crate::bits::copy_bits(&R900_PREAMBLE, 0, R900_PREAMBLE_BITS, &mut out, 0);
    crate::bits::copy_bits(&payload, 0, R900_CHIPS, &mut out, R900_PREAMBLE_BITS);
    (out, R900_PREAMBLE_BITS.wrapping_add(R900_CHIPS))
}

/// `Ok` when `out` holds `nbits` bits, else the length error naming the output.
fn room(out: &[u8], nbits: usize) -> Result<(), Error> {
    if out.len().saturating_mul(8) < nbits {
        return Err(Error::Core(meterwire_core::Error::length(
            "manchester output",
            nbits.div_ceil(8),
            out.len(),
        )));
    }
    Ok(())
}

//! Neptune R900 (and R900 BCD) water meter packets, in the 14-byte form: the 105
//! payload bits (21 five-bit symbols: 16 data + 5 Reed-Solomon parity) packed MSB-first,
//! the last 7 bits zero.
//!
//! Data fields (80 bits): id 32 | unkn1 8 | nouse 6 | backflow 2 | consumption 24 |
//! unkn3 2 | leak 4 | leaknow 2 (rtlamr's reading). rtl_433 reads unkn1 as 4 + 4 bits
//! ("metertype" in the low nibble), nouse as 3 unknown + 3 bits and, on binary meters,
//! the top 3 bits of byte 9 as a wrap above the consumption: see [`R900::wrap`] etc.

use crate::bits::{get_bits, set_bits};
use crate::rs;
use crate::{Check, Error};
use meterwire_core::{Diagnostic, DiagnosticKind, Encode, EncodeError, Strictness};

/// Field positions.
pub mod field {
    /// Packet length in the byte form.
    pub const LEN: usize = 14;
    /// Payload bits (21 symbols of 5 bits).
    pub const BITS: usize = 105;
    /// Data bits.
    pub const DATA_BITS: usize = 80;
}

view!(
    /// A zero-copy view of an R900 packet in the 14-byte form.
    R900,
    field::LEN
);

impl<T: AsRef<[u8]>> R900<T> {
    /// Wraps and checks the length and the Reed-Solomon syndromes (lenient: non-zero
    /// pad bits after the 105 payload bits are a [`diagnostic`](Self::diagnostics)).
    #[inline]
    pub fn new_checked(buf: T) -> Result<Self, Error> {
        Self::new_checked_with(buf, Strictness::Lenient)
    }

    /// As [`Self::new_checked`]; [`Strictness::Strict`] also rejects every diagnostic
    /// with `Error::Core(Nonconforming)`.
    #[inline]
    pub fn new_checked_with(buf: T, strictness: Strictness) -> Result<Self, Error> {
        checked!(R900 { buf }, strictness, check_len, check_fec)
    }

    /// Departures that still decode: the 7 pad bits after the 105 payload bits are
    /// not zero (`noise`: they are not part of the code and are ignored).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<T> {
        let pad = self.padding();
        (pad != 0)
            .then(|| {
                Diagnostic::with_value(
                    DiagnosticKind::Noise,
                    "r900 padding",
                    "the 7 bits after the 105 payload bits are not zero (ignored)",
                    pad.into(),
                )
            })
            .into_iter()
    }

    /// Checks that 14 bytes are present.
    pub fn check_len(&self) -> Result<(), Error> {
        crate::error::need_len(self.buf.as_ref().len(), field::LEN)
    }

    /// Checks that the 7 bits after the 105 payload bits are zero.
    pub fn check_padding(&self) -> Result<(), Error> {
        if self.padding() != 0 {
            return Err(Error::malformed(
                "r900 padding",
                "the last 7 bits must be zero",
            ));
        }
        Ok(())
    }

    /// Checks the Reed-Solomon syndromes.
    pub fn check_fec(&self) -> Result<(), Error> {
        let syndromes = rs::syndromes(&self.symbols());
        if syndromes.iter().any(|&s| s != 0) {
            return Err(Error::Syndromes {
                check: Check::R900ReedSolomon,
                syndromes,
            });
        }
        Ok(())
    }

    /// The 21 five-bit symbols.
    pub fn symbols(&self) -> [u8; rs::SYMBOLS] {
        symbols_of(self.buf.as_ref())
    }

    bit_getters! {
        /// Meter id, 32 bits.
        id -> u32 = 0, 32;
        /// Unknown byte 4 (rtl_433: unkn1 high nibble, metertype low nibble).
        unkn1 -> u8 = 32, 8;
        /// No-use days, 6 bits (rtl_433: 3 unknown bits + 3-bit nouse).
        nouse -> u8 = 40, 6;
        /// Backflow, 2 bits.
        backflow -> u8 = 46, 2;
        /// Consumption, 24 raw bits (binary meters; BCD meters: see [`R900Bcd`]).
        consumption -> u32 = 48, 24;
        /// Unknown 2 bits.
        unkn3 -> u8 = 72, 2;
        /// Leak days, 4 bits.
        leak -> u8 = 74, 4;
        /// Leak now, 2 bits.
        leaknow -> u8 = 78, 2;
        /// rtl_433's 3-bit wrap (top 3 bits of byte 9) above the consumption of binary meters.
        wrap -> u8 = 72, 3;
        /// The 7 bits after the 105 payload bits (zero in the byte form this crate writes).
        padding -> u8 = field::BITS, 7;
    }
    /// The 5 parity symbols.
    pub fn parity(&self) -> [u8; rs::PARITY] {
        core::array::from_fn(|i| {
            self.bits(field::DATA_BITS.wrapping_add(i.wrapping_mul(5)), 5) as u8
        })
    }
    /// rtl_433's binary reading: `wrap << 24 | consumption`.
    pub fn consumption_with_wrap(&self) -> u32 {
        (u32::from(self.wrap()) << 24) | self.consumption()
    }
    /// rtl_433's metertype (low nibble of unkn1).
    pub fn meter_type(&self) -> u8 {
        self.unkn1() & 0x0F
    }
    /// The consumption read as six BCD digits, if every nibble is 0..=9.
    pub fn consumption_bcd(&self) -> Option<u32> {
        bcd_to_u32(self.consumption())
    }
}

/// Six BCD digits (24 bits) to a number, `None` if a nibble is above 9.
pub fn bcd_to_u32(raw: u32) -> Option<u32> {
    let mut v = 0u32;
    for i in (0..6u32).rev() {
        let d = raw.wrapping_shr(i.wrapping_mul(4)) & 0xF;
        if d > 9 {
            return None;
        }
        v = v.wrapping_mul(10).wrapping_add(d);
    }
    Some(v)
}

/// A number 0..=999999 to six BCD digits.
pub fn u32_to_bcd(mut v: u32) -> Option<u32> {
    if v > 999_999 {
        return None;
    }
    let mut raw = 0u32;
    for i in 0..6u32 {
        raw |= (v % 10).wrapping_shl(i.wrapping_mul(4));
        v /= 10;
    }
    Some(raw)
}

/// A zero-copy view of an R900 BCD packet: the same packet, the consumption in BCD.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct R900Bcd<T>(pub R900<T>);

impl<T: AsRef<[u8]>> R900Bcd<T> {
    /// Wraps and checks as [`R900::new_checked`], and that the consumption is BCD.
    pub fn new_checked(buf: T) -> Result<Self, Error> {
        let p = R900::new_checked(buf)?;
        Self::from_r900(p)
    }

    /// As [`R900::new_checked_with`], and that the consumption is BCD.
    pub fn new_checked_with(buf: T, strictness: Strictness) -> Result<Self, Error> {
        Self::from_r900(R900::new_checked_with(buf, strictness)?)
    }

    /// The departures of the packet, as [`R900::diagnostics`].
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<T> {
        self.0.diagnostics()
    }

    /// Reads a checked R900 packet as BCD.
    pub fn from_r900(p: R900<T>) -> Result<Self, Error> {
        if p.consumption_bcd().is_none() {
            return Err(Error::malformed(
                "r900 bcd consumption",
                "every nibble must be 0..=9",
            ));
        }
        Ok(R900Bcd(p))
    }

    /// The consumption as a decimal number (0..=999999).
    pub fn consumption(&self) -> u32 {
        self.0.consumption_bcd().unwrap_or(0)
    }

    /// The plain R900 view.
    pub fn r900(&self) -> &R900<T> {
        &self.0
    }
}

/// The owned fields of an R900 packet; parity is computed when encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct R900Repr {
    /// Meter id.
    pub id: u32,
    /// Unknown byte.
    pub unkn1: u8,
    /// No-use, 6 bits.
    pub nouse: u8,
    /// Backflow, 2 bits.
    pub backflow: u8,
    /// Consumption, 24 bits (raw; BCD meters: see [`R900BcdRepr`]).
    pub consumption: u32,
    /// Unknown, 2 bits.
    pub unkn3: u8,
    /// Leak, 4 bits.
    pub leak: u8,
    /// Leak now, 2 bits.
    pub leaknow: u8,
}

impl R900Repr {
    /// Reads a view.
    pub fn parse<T: AsRef<[u8]>>(p: &R900<T>) -> Self {
        R900Repr {
            id: p.id(),
            unkn1: p.unkn1(),
            nouse: p.nouse(),
            backflow: p.backflow(),
            consumption: p.consumption(),
            unkn3: p.unkn3(),
            leak: p.leak(),
            leaknow: p.leaknow(),
        }
    }

    to_bytes!(field::LEN);
}

/// The 21 five-bit symbols (most significant bit first) of the first 14 bytes, missing
/// bytes read as zero: one 128-bit load and a shift per symbol (`bits::get_bits` per
/// symbol cost five byte loads each).
fn symbols_of(b: &[u8]) -> [u8; rs::SYMBOLS] {
    let mut w = [0u8; 16];
    let n = b.len().min(field::LEN);
    if let (Some(d), Some(s)) = (w.get_mut(..n), b.get(..n)) {
        d.copy_from_slice(s);
    }
    let v = u128::from_be_bytes(w);
    core::array::from_fn(|i| {
        (v.wrapping_shr(123u32.wrapping_sub(5u32.wrapping_mul(i as u32))) & 31) as u8
    })
}

/// `Ok` when `v` fits in `bits` bits.
fn check_width(field: &'static str, v: u32, bits: u32) -> Result<(), EncodeError> {
    crate::bits::fits(field, v, bits, "value wider than the field")
}

/// The 5 Reed-Solomon syndromes of 21 symbols (all zero for a valid packet).
pub fn syndromes(sym: &[u8; rs::SYMBOLS]) -> [u8; rs::PARITY] {
    rs::syndromes(sym)
}

/// Writes 21 symbols into the 14-byte form.
pub fn symbols_to_bytes(sym: &[u8; rs::SYMBOLS]) -> [u8; field::LEN] {
    let mut out = [0u8; field::LEN];
    for (i, &s) in sym.iter().enumerate() {
        set_bits(&mut out, i.wrapping_mul(5), 5, u32::from(s & 31));
    }
    out
}

impl Encode for R900Repr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        check_width("nouse", self.nouse.into(), 6)?;
        check_width("backflow", self.backflow.into(), 2)?;
        check_width("consumption", self.consumption, 24)?;
        check_width("unkn3", self.unkn3.into(), 2)?;
        check_width("leak", self.leak.into(), 4)?;
        check_width("leaknow", self.leaknow.into(), 2)?;
        let o = crate::bits::out_zeroed(out, field::LEN)?;
        let mut d = [0u8; 10];
        set_bits(&mut d, 0, 32, self.id);
        set_bits(&mut d, 32, 8, self.unkn1.into());
        set_bits(&mut d, 40, 6, self.nouse.into());
        set_bits(&mut d, 46, 2, self.backflow.into());
        set_bits(&mut d, 48, 24, self.consumption);
        set_bits(&mut d, 72, 2, self.unkn3.into());
        set_bits(&mut d, 74, 4, self.leak.into());
        set_bits(&mut d, 78, 2, self.leaknow.into());
        let data: [u8; rs::DATA] =
            core::array::from_fn(|i| get_bits(&d, i.wrapping_mul(5), 5) as u8);
        let par = rs::parity(&data);
        let mut sym = [0u8; rs::SYMBOLS];
        for (s, v) in sym.iter_mut().zip(data.iter().chain(par.iter())) {
            *s = *v;
        }
        o.copy_from_slice(&symbols_to_bytes(&sym));
        Ok(field::LEN)
    }
}

/// The owned fields of an R900 BCD packet: `consumption` is decimal 0..=999999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct R900BcdRepr(pub R900Repr);

impl R900BcdRepr {
    /// Reads a view.
    pub fn parse<T: AsRef<[u8]>>(p: &R900Bcd<T>) -> Self {
        let mut r = R900Repr::parse(&p.0);
        r.consumption = p.consumption();
        R900BcdRepr(r)
    }
    to_bytes!(field::LEN);
}

impl Encode for R900BcdRepr {
    fn encoded_len(&self) -> usize {
        field::LEN
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let raw = u32_to_bcd(self.0.consumption).ok_or(EncodeError::Invalid {
            field: "consumption",
            reason: "bcd holds at most 999999",
        })?;
        R900Repr {
            consumption: raw,
            ..self.0
        }
        .encode(out)
    }
}

/// Corrects up to 2 symbol errors of a 14-byte R900 packet in place; returns the
/// number of symbols corrected, or [`Error::Uncorrectable`] (packet left unchanged).
pub fn correct(packet: &mut [u8]) -> Result<u8, Error> {
    let len = packet.len();
    if len < field::LEN {
        return Err(Error::truncated(field::LEN.saturating_sub(len)));
    }
    let mut sym = R900::new_unchecked(&*packet).symbols();
    let n = rs::correct(&mut sym).ok_or(Error::Uncorrectable {
        check: Check::R900ReedSolomon,
    })?;
    if n > 0 {
        let bytes = symbols_to_bytes(&sym);
        // keep the 7 pad bits as they were
        let pad = get_bits(packet, field::BITS, 7);
        if let Some(dst) = packet.get_mut(..field::LEN) {
            dst.copy_from_slice(&bytes);
        }
        set_bits(packet, field::BITS, 7, pad);
    }
    Ok(n)
}

pub use crate::rs::{BOUND, DATA, Fix, PARITY, SYMBOLS};

/// Errors-and-erasures correction of the 21 symbols of a packet (as read from chips):
/// bit `i` of `erased` marks symbol `i` as an erasure (its chips were not a base-6
/// digit pair, so its value is unknown but its position is known). Corrects `e`
/// errors and `f` erasures when `2e + f <= 5` (5 parity symbols, minimum distance 6;
/// a pattern with `2e + f = 6` is always detected, never miscorrected). Returns what
/// was fixed, or [`Error::Uncorrectable`] (symbols left unchanged).
pub fn correct_symbols(sym: &mut [u8; rs::SYMBOLS], erased: u32) -> Result<Fix, Error> {
    rs::correct_erasures(sym, erased).ok_or(Error::Uncorrectable {
        check: Check::R900ReedSolomon,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::arithmetic_side_effects, clippy::indexing_slicing)]
    use super::*;

    /// The 128-bit symbol reader agrees with the bit reader for every length and
    /// many byte patterns, including short buffers (missing bytes read as zero).
    #[test]
    fn symbols_of_matches_the_bit_reader() {
        let mut x = meterwire_testkit::rng::XorShift(0x9e37_79b9_7f4a_7c15);
        for len in 0..=16usize {
            for _ in 0..200 {
                let buf: std::vec::Vec<u8> = (0..len).map(|_| x.next_u64() as u8).collect();
                let want: [u8; rs::SYMBOLS] =
                    core::array::from_fn(|i| get_bits(&buf, i * 5, 5) as u8);
                assert_eq!(symbols_of(&buf), want, "{buf:02x?}");
            }
        }
    }
}

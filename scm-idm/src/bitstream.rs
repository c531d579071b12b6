//! Bit-stream framing: find packets at any bit offset of a demodulated stream, plus
//! the chip helpers (Manchester chips to bits for ERT, R900 chips to base-6 symbols).
//!
//! Streams are bits packed MSB-first in bytes (`bits[0] & 0x80` is bit 0). ERT packets
//! (SCM, SCM+, IDM, NetIDM) are searched in Manchester-decoded bits; R900 packets in
//! raw chips (4 chips per base-6 digit, two digits per 5-bit symbol).
//!
//! One pass finds every enabled packet kind at every bit offset: anchor-byte tables
//! reject almost every byte, a 64-bit compare confirms a sync (see `find_sync`).

use crate::bits::extract;
use crate::{Error, idm, r900, rs, scm, scm_plus};
use meterwire_core::{Decoded, Diagnostic, DiagnosticKind, Framer, Needed, Strictness};

/// The R900 sync as searched: 56 chips (the tail of `AA AA AA AB 52 CC D2` and the 7
/// chips `1100101` that follow it, as rtl_433's neptune_r900 decoder matches them);
/// the 168 payload chips follow immediately.
pub const R900_SYNC: u64 = 0x0055_5555_A966_6965;
/// Length of [`R900_SYNC`] in chips.
pub const R900_SYNC_BITS: u32 = 56;
/// Payload chips of an R900 packet.
pub const R900_CHIPS: usize = 168;
/// The chips an R900 transmitter sends before the payload (63 chips).
pub const R900_PREAMBLE: [u8; 8] = [0xAA, 0xAA, 0xAA, 0xAB, 0x52, 0xCC, 0xD2, 0xCA];
/// Bits of [`R900_PREAMBLE`] that are sent.
pub const R900_PREAMBLE_BITS: usize = 63;
const ERT_SYNC_SCM_PLUS: u32 = 0x16_A31E;
const ERT_SYNC_IDM: u32 = 0x16_A31C;

/// Which interval-data reading to use for packets of type 0x1C (the bytes cannot tell).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalKind {
    /// Read as IDM.
    Idm,
    /// Read as NetIDM.
    NetIdm,
}

/// Which R900 reading to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum R900Kind {
    /// Binary consumption.
    Binary,
    /// BCD consumption.
    Bcd,
}

/// What to search for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    /// SCM (21-bit preamble).
    pub scm: bool,
    /// SCM+ (sync 0x16A3, protocol id 0x1E).
    pub scm_plus: bool,
    /// IDM or NetIDM (sync 0x16A3, type 0x1C), read as chosen.
    pub interval: Option<IntervalKind>,
    /// R900 in a chip stream.
    pub r900: Option<R900Kind>,
}

impl Kinds {
    /// All ERT kinds, type 0x1C read as IDM; no R900.
    pub const ERT: Kinds = Kinds {
        scm: true,
        scm_plus: true,
        interval: Some(IntervalKind::Idm),
        r900: None,
    };
    /// Only R900 (binary).
    pub const R900: Kinds = Kinds {
        scm: false,
        scm_plus: false,
        interval: None,
        r900: Some(R900Kind::Binary),
    };
    /// Nothing.
    pub const NONE: Kinds = Kinds {
        scm: false,
        scm_plus: false,
        interval: None,
        r900: None,
    };
}

/// A packet found in a bit stream (copied out: it need not be byte-aligned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packet {
    /// SCM, 12 bytes.
    Scm([u8; scm::field::LEN]),
    /// SCM+, 16 bytes.
    ScmPlus([u8; scm_plus::field::LEN]),
    /// IDM, 90 bytes.
    Idm([u8; idm::field::LEN]),
    /// NetIDM, 90 bytes.
    NetIdm([u8; idm::field::LEN]),
    /// R900 in the 14-byte form.
    R900([u8; r900::field::LEN]),
    /// R900 BCD in the 14-byte form.
    R900Bcd([u8; r900::field::LEN]),
}

impl Packet {
    /// The packet bytes.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Packet::Scm(b) => b,
            Packet::ScmPlus(b) => b,
            Packet::Idm(b) | Packet::NetIdm(b) => b,
            Packet::R900(b) | Packet::R900Bcd(b) => b,
        }
    }
    /// The protocol name (`scm`, `scm-plus`, `idm`, `netidm`, `r900`, `r900-bcd`).
    pub fn name(&self) -> &'static str {
        match self {
            Packet::Scm(_) => "scm",
            Packet::ScmPlus(_) => "scm-plus",
            Packet::Idm(_) => "idm",
            Packet::NetIdm(_) => "netidm",
            Packet::R900(_) => "r900",
            Packet::R900Bcd(_) => "r900-bcd",
        }
    }
}

/// A checked packet found in a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Bit offset of the preamble/sync start in the searched input.
    pub bit_offset: usize,
    /// Bits from `bit_offset` to the end of the packet.
    pub bit_len: usize,
    /// The packet.
    pub packet: Packet,
    /// Bits (SCM) or symbols (R900, errors and erasures) corrected, when correction
    /// is enabled.
    pub corrected: Option<u8>,
    /// R900 symbols whose chips were not a base-6 digit pair and were decoded as
    /// Reed-Solomon erasures (0 otherwise; see [`Found::diagnostics`]).
    pub erasures: u8,
}

impl Found {
    /// Departures that still decode: R900 symbols restored from erasures (`noise`,
    /// the value is their count) and the packet view's own diagnostics (IDM/NetIDM
    /// packet length and serial CRC).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> {
        let erasures = (self.erasures != 0).then(|| {
            Diagnostic::with_value(
                DiagnosticKind::Noise,
                "r900 chips",
                "invalid 4-chip groups decoded as reed-solomon erasures",
                self.erasures.into(),
            )
        });
        let b = self.packet.bytes();
        let (idm, netidm) = match self.packet {
            Packet::Idm(_) => (Some(idm::Idm::new_unchecked(b).diagnostics()), None),
            Packet::NetIdm(_) => (None, Some(idm::NetIdm::new_unchecked(b).diagnostics())),
            _ => (None, None),
        };
        erasures
            .into_iter()
            .chain(idm.into_iter().flatten())
            .chain(netidm.into_iter().flatten())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    Scm,
    ScmPlus,
    Interval(IntervalKind),
    R900(R900Kind),
}

/// A sync candidate: where the sync starts and which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Candidate {
    sync_bit: usize,
    hit: Hit,
}

impl Candidate {
    /// Bits from the sync start to the packet end.
    fn span(&self) -> usize {
        match self.hit {
            Hit::Scm => 96,
            Hit::ScmPlus => 128,
            Hit::Interval(_) => 720,
            Hit::R900(_) => (R900_SYNC_BITS as usize).wrapping_add(R900_CHIPS),
        }
    }
}

/// The syncs searched, in the order a tie is resolved: (pattern, length in bits).
const SYNCS: [(u64, u32); 4] = [
    (
        scm::field::PREAMBLE_BITS as u64,
        scm::field::PREAMBLE_LEN_BITS,
    ),
    (ERT_SYNC_SCM_PLUS as u64, 24),
    (ERT_SYNC_IDM as u64, 24),
    (R900_SYNC, R900_SYNC_BITS),
];

// The search. A sync of L bits that ends `e` bits (0..8) into a byte of the stream
// contains, just before those e bits, one whole byte of the stream (the "anchor") and,
// for every sync but the 21-bit SCM preamble ending 1 or 2 bits into a byte, the whole
// byte before it. Both are fixed by (sync, e), so two 256-entry tables of 32-bit masks
// (bit 4e + sync) say which (sync, e) pairs a stream byte can anchor: the scan reads
// one byte at a time, looks at the previous byte only when the anchor table hits
// (about 1 byte in 11 for the ERT syncs on random bits), and compares the whole sync
// (one unaligned 64-bit read) only when both hit (about 1 byte in 2 800).

/// Bit of (sync `k`, end offset `e`) in the anchor masks.
const fn combo(k: usize, e: u32) -> u32 {
    1u32.wrapping_shl(e.wrapping_mul(4).wrapping_add(k as u32))
}

#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)] // const-evaluated: a bad index fails the build
/// `[anchor, byte before the anchor]`: masks of the (sync, e) pairs each byte value can
/// be for; a pair without a whole byte before its anchor accepts every value there.
const ANCHORS: [[u32; 256]; 2] = {
    let mut t = [[0u32; 256]; 2];
    let mut k = 0;
    while k < SYNCS.len() {
        let (pat, len) = SYNCS[k];
        let mut e = 0u32;
        while e < 8 {
            let bit = combo(k, e);
            t[0][((pat >> e) & 0xFF) as usize] |= bit;
            if len >= e + 16 {
                t[1][((pat >> (e + 8)) & 0xFF) as usize] |= bit;
            } else {
                let mut v = 0;
                while v < 256 {
                    t[1][v] |= bit;
                    v += 1;
                }
            }
            e += 1;
        }
        k += 1;
    }
    t
};
static ANCHOR_S: [u32; 256] = ANCHORS[0];
static BEFORE_S: [u32; 256] = ANCHORS[1];

/// The anchor-mask bits of the enabled syncs.
fn enabled_mask(kinds: &Kinds) -> u32 {
    let ks = [
        kinds.scm,
        kinds.scm_plus,
        kinds.interval.is_some(),
        kinds.r900.is_some(),
    ];
    let mut m = 0u32;
    for (k, on) in ks.into_iter().enumerate() {
        if on {
            m |= 0x1111_1111u32.wrapping_shl(k as u32);
        }
    }
    m
}

/// The 64 bits of `bits` ending at bit `end` (MSB-first; bits before the start read 0).
#[inline]
fn window_ending_at(bits: &[u8], end: usize) -> u64 {
    // the 8 bytes ending with the byte that holds bit end - 1, then drop the bits after
    let last = end.saturating_sub(1) >> 3;
    let first = last.saturating_sub(7);
    let mut w = 0u64;
    if let Some(chunk) = bits.get(first..=last) {
        if let Ok(a) = <[u8; 8]>::try_from(chunk) {
            w = u64::from_be_bytes(a);
        } else {
            for &b in chunk {
                w = (w << 8) | u64::from(b);
            }
        }
    }
    let unused = (last.wrapping_add(1) << 3).wrapping_sub(end) as u32; // 0..=7
    w.wrapping_shr(unused)
}

/// Finds the first sync that starts at or after bit `from` and ends at or before `nbits`
/// (the earliest end wins; SCM, SCM+, IDM, R900 on a tie).
fn find_sync(bits: &[u8], nbits: usize, from: usize, kinds: &Kinds) -> Option<Candidate> {
    let en = enabled_mask(kinds);
    if en == 0 {
        return None;
    }
    let bits = bits.get(..nbits.div_ceil(8)).unwrap_or(bits);
    // the earliest anchor: a sync starting at `from` (>= 21 bits) ends at >= from + 21,
    // (8i + 8 + e with e <= 7), so the first anchor byte is ceil((from + 6) / 8)
    let mut i = from.saturating_add(13) >> 3;
    let len = bits.len();
    loop {
        // fast path: 8 anchor bytes per step, both tables, one branch
        while let Some(chunk) = i
            .checked_sub(1)
            .and_then(|j| bits.get(j..j.wrapping_add(9)))
        {
            let mut acc = 0u32;
            for w in chunk.windows(2) {
                if let [p, b] = *w {
                    acc |= anchor(b) & before(p);
                }
            }
            if acc & en != 0 {
                break;
            }
            i = i.wrapping_add(8);
        }
        if i >= len {
            return None;
        }
        // one step of 8 bytes (or what is left) byte by byte
        let stop = i.wrapping_add(8).min(len);
        while i < stop {
            let b = bits.get(i).copied().unwrap_or(0);
            let p = i.checked_sub(1).and_then(|j| bits.get(j)).copied();
            let m = anchor(b) & p.map_or(u32::MAX, before) & en;
            if m != 0 {
                if let Some(c) = check_anchor(bits, nbits, from, kinds, i, m) {
                    return Some(c);
                }
            }
            i = i.wrapping_add(1);
        }
    }
}

#[inline(always)]
fn anchor(b: u8) -> u32 {
    ANCHOR_S.get(usize::from(b)).copied().unwrap_or(0)
}

#[inline(always)]
fn before(b: u8) -> u32 {
    BEFORE_S.get(usize::from(b)).copied().unwrap_or(0)
}

/// Checks the (sync, e) pairs of mask `m` anchored at byte `i`, earliest end first.
#[cold]
fn check_anchor(
    bits: &[u8],
    nbits: usize,
    from: usize,
    kinds: &Kinds,
    i: usize,
    mut m: u32,
) -> Option<Candidate> {
    while m != 0 {
        let bit = m.trailing_zeros();
        m &= m.wrapping_sub(1);
        let (e, k) = ((bit / 4) as usize, (bit % 4) as usize);
        let end = i.wrapping_add(1).wrapping_mul(8).wrapping_add(e);
        let Some(&(pat, len)) = SYNCS.get(k) else {
            continue;
        };
        let start = end.wrapping_sub(len as usize);
        if end > nbits || end < len as usize || start < from {
            continue;
        }
        let mask = u64::MAX.wrapping_shr(64u32.wrapping_sub(len));
        if window_ending_at(bits, end) & mask != pat {
            continue;
        }
        let hit = match k {
            0 => Hit::Scm,
            1 => Hit::ScmPlus,
            2 => Hit::Interval(kinds.interval?),
            _ => Hit::R900(kinds.r900?),
        };
        return Some(Candidate {
            sync_bit: start,
            hit,
        });
    }
    None
}

/// Cuts and checks the packet of a candidate whose bits are all present.
fn extract_packet(
    bits: &[u8],
    c: Candidate,
    correct: bool,
    st: Strictness,
) -> Result<Found, Error> {
    let f = extract_lenient(bits, c, correct)?;
    crate::error::enforce(st, || f.diagnostics())?;
    Ok(f)
}

fn extract_lenient(bits: &[u8], c: Candidate, correct: bool) -> Result<Found, Error> {
    let corrected0 = if correct { Some(0) } else { None };
    let mk = |packet, corrected| Found {
        bit_offset: c.sync_bit,
        bit_len: c.span(),
        packet,
        corrected,
        erasures: 0,
    };
    match c.hit {
        Hit::Scm => {
            let mut a = [0u8; scm::field::LEN];
            extract(bits, c.sync_bit, 96, &mut a);
            match scm::Scm::new_checked(&a[..]) {
                Ok(_) => Ok(mk(Packet::Scm(a), corrected0)),
                Err(e) if correct => {
                    let n = scm::correct(&mut a).map_err(|_| e)?;
                    scm::Scm::new_checked(&a[..])?;
                    Ok(mk(Packet::Scm(a), Some(n)))
                }
                Err(e) => Err(e),
            }
        }
        Hit::ScmPlus => {
            let mut a = [0u8; scm_plus::field::LEN];
            extract(bits, c.sync_bit, 128, &mut a);
            scm_plus::ScmPlus::new_checked(&a[..])?;
            Ok(mk(Packet::ScmPlus(a), None))
        }
        Hit::Interval(k) => {
            let mut a = [0u8; idm::field::LEN];
            extract(bits, c.sync_bit, 720, &mut a);
            match k {
                IntervalKind::Idm => {
                    idm::Idm::new_checked(&a[..])?;
                    Ok(mk(Packet::Idm(a), None))
                }
                IntervalKind::NetIdm => {
                    idm::NetIdm::new_checked(&a[..])?;
                    Ok(mk(Packet::NetIdm(a), None))
                }
            }
        }
        Hit::R900(k) => {
            let start = c.sync_bit.wrapping_add(R900_SYNC_BITS as usize);
            let (out, fix) = if correct {
                let (mut sym, erased) = r900_chips_to_symbols_erasures(bits, start)?;
                let fix = rs::correct_erasures(&mut sym, erased).ok_or(Error::Uncorrectable {
                    check: crate::Check::R900ReedSolomon,
                })?;
                (r900::symbols_to_bytes(&sym), Some(fix))
            } else {
                let sym = r900_chips_to_symbols(bits, start)?;
                let a = r900::symbols_to_bytes(&sym);
                r900::R900::new_checked(&a[..])?;
                (a, None)
            };
            let found = Found {
                erasures: fix.map_or(0, |f| f.erasures),
                ..mk(Packet::R900(out), fix.map(rs::Fix::total))
            };
            match k {
                R900Kind::Binary => Ok(found),
                R900Kind::Bcd => {
                    r900::R900Bcd::from_r900(r900::R900::new_unchecked(&out[..]))?;
                    Ok(Found {
                        packet: Packet::R900Bcd(out),
                        ..found
                    })
                }
            }
        }
    }
}

/// An event of a [`BitScan`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanEvent {
    /// A checked packet.
    Packet(Found),
    /// A sync was found at `bit_offset` but the packet failed its check (or the stream
    /// ended inside it).
    Rejected {
        /// Bit offset of the sync.
        bit_offset: usize,
        /// Protocol name.
        kind: &'static str,
        /// Why.
        error: Error,
    },
}

fn hit_name(h: Hit) -> &'static str {
    match h {
        Hit::Scm => "scm",
        Hit::ScmPlus => "scm-plus",
        Hit::Interval(IntervalKind::Idm) => "idm",
        Hit::Interval(IntervalKind::NetIdm) => "netidm",
        Hit::R900(R900Kind::Binary) => "r900",
        Hit::R900(R900Kind::Bcd) => "r900-bcd",
    }
}

/// Scans a complete bit stream for packets; an iterator of [`ScanEvent`]s. This is
/// the entry point for a demodulated stream (see the crate README). In strict mode
/// a packet with diagnostics becomes a [`ScanEvent::Rejected`] with
/// `Error::Core(Nonconforming)`.
///
/// ```
/// use meterwire_scm_idm::{BitScan, Kinds, ScanEvent};
/// // an SCM packet (rtlamr2mqtt issue #254) 3 bits into a stream
/// let pkt = [0xf9u8, 0x53, 0x06, 0x1d, 0x90, 0xa9, 0xd3, 0xa9, 0x13, 0xcd, 0x13, 0x0e];
/// let mut bits = [0u8; 13];
/// for (i, b) in pkt.iter().enumerate() {
///     bits[i] |= b >> 3;
///     bits[i + 1] |= b << 5;
/// }
/// let found: Vec<_> = BitScan::new(&bits, 104, Kinds::ERT).correct().collect();
/// let ScanEvent::Packet(f) = found[0] else { panic!() };
/// assert_eq!((f.bit_offset, f.packet.name()), (3, "scm"));
/// ```
#[derive(Debug, Clone)]
pub struct BitScan<'a> {
    bits: &'a [u8],
    nbits: usize,
    pos: usize,
    kinds: Kinds,
    correct: bool,
    strictness: Strictness,
}

impl<'a> BitScan<'a> {
    /// Scans the first `nbits` bits of `bits` (clamped to `bits.len() * 8`) for
    /// `kinds`, without correction, lenient.
    pub fn new(bits: &'a [u8], nbits: usize, kinds: Kinds) -> Self {
        let nbits = nbits.min(bits.len().saturating_mul(8));
        BitScan {
            bits,
            nbits,
            pos: 0,
            kinds,
            correct: false,
            strictness: Strictness::Lenient,
        }
    }

    builders!(
        correct: "Enables correction: SCM up to 2 bit errors; R900 Reed-Solomon errors and erasures (invalid chip groups) with `2 * errors + erasures <= 5`."
    );
}

impl Iterator for BitScan<'_> {
    type Item = ScanEvent;
    fn next(&mut self) -> Option<ScanEvent> {
        let c = find_sync(self.bits, self.nbits, self.pos, &self.kinds)?;
        let end = c.sync_bit.saturating_add(c.span());
        if end > self.nbits {
            self.pos = self.nbits;
            let missing = end.saturating_sub(self.nbits);
            return Some(ScanEvent::Rejected {
                bit_offset: c.sync_bit,
                kind: hit_name(c.hit),
                error: Error::truncated(missing.div_ceil(8)),
            });
        }
        match extract_packet(self.bits, c, self.correct, self.strictness) {
            Ok(f) => {
                self.pos = end;
                Some(ScanEvent::Packet(f))
            }
            Err(error) => {
                self.pos = c.sync_bit.saturating_add(1);
                Some(ScanEvent::Rejected {
                    bit_offset: c.sync_bit,
                    kind: hit_name(c.hit),
                    error,
                })
            }
        }
    }
}

/// A streaming [`Framer`] over a bit stream packed in bytes: each frame is a packet
/// found at any bit offset, from the byte that holds its first sync bit
/// ([`Found::bit_offset`], 0..8, is the offset in that byte). The bytes before are
/// noise, reported as a malformed error run (also a long run with no sync at all, so
/// the buffer does not grow): every byte is accounted for, the same way whatever the
/// chunking.
#[derive(Debug, Clone, Copy)]
pub struct BitStreamFramer {
    kinds: Kinds,
    correct: bool,
    strictness: Strictness,
    resync: usize,
}

/// Bytes kept after a run with no sync (a sync may straddle the cut).
const KEEP: usize = 8;

impl BitStreamFramer {
    /// A framer for `kinds`, without correction, lenient.
    pub const fn new(kinds: Kinds) -> Self {
        BitStreamFramer {
            kinds,
            correct: false,
            strictness: Strictness::Lenient,
            resync: 1,
        }
    }

    builders!(
        correct: "Enables correction, as [`BitScan::correct`]."
    );

    /// What the framer searches for.
    pub const fn kinds(&self) -> Kinds {
        self.kinds
    }
}

impl Framer for BitStreamFramer {
    type Frame<'a> = Found;
    type Error = Error;

    fn decode(&mut self, input: &[u8]) -> Result<Decoded<Found>, Error> {
        let nbits = input.len().saturating_mul(8);
        let Some(c) = find_sync(input, nbits, 0, &self.kinds) else {
            // every byte but the last KEEP is noise: no sync (at most 7 bytes from the
            // byte it starts in) can start there. Dropping them as soon as there are any
            // (not only past a threshold) keeps the events the same however the stream
            // is cut into chunks (found by the scm_idm_streaming fuzz target).
            if input.len() <= KEEP {
                return Ok(Decoded::Incomplete {
                    needed: Needed::at_least(1),
                });
            }
            self.resync = input.len().saturating_sub(KEEP);
            return Err(Error::malformed(
                "bit stream",
                "no preamble or sync word found",
            ));
        };
        let sync_byte = c.sync_bit / 8;
        if sync_byte > 0 {
            // the bytes before the sync's first byte are noise: one error run, however
            // the stream was cut into chunks (streaming equivalence)
            self.resync = sync_byte;
            return Err(Error::malformed(
                "bit stream",
                "no preamble or sync word found",
            ));
        }
        let end = c.sync_bit.saturating_add(c.span());
        if end > nbits {
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(end.div_ceil(8).saturating_sub(input.len())),
            });
        }
        match extract_packet(input, c, self.correct, self.strictness) {
            Ok(f) => Ok(Decoded::Frame {
                frame: f,
                consumed: (end / 8).max(1),
            }),
            Err(e) => {
                // a packet rejected by strict mode passed its check and is delimited:
                // drop all of it; after a failed check, resume one byte on
                self.resync = match e {
                    Error::Core(meterwire_core::Error::Nonconforming(_)) => (end / 8).max(1),
                    _ => (c.sync_bit / 8).saturating_add(1),
                };
                Err(e)
            }
        }
    }

    fn resync(&mut self, _input: &[u8]) -> usize {
        self.resync.max(1)
    }
}

// The chip helpers live in `chips.rs` and are part of this module's API.
pub use crate::chips::{
    Manchester, manchester_decode, manchester_encode, r900_chips_to_symbols,
    r900_chips_to_symbols_erasures, r900_symbols_to_chips, r900_transmission,
};

#[cfg(test)]
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    dead_code
)]
mod reference {
    //! The previous search (a 64-bit shift register with a last-byte prefilter, every
    //! bit offset in order), kept as the oracle of the anchor-table search.
    use super::*;
    use crate::bits::get_bits;
    use std::vec::Vec;

    /// Last 8 bits of each sync: 0x60 (SCM), 0x1E (SCM+), 0x1C (IDM), 0x65 (R900). A
    /// 256-entry table says whether a window's last byte can end any enabled sync, so the
    /// full comparison runs only at about 1 bit offset in 64.
    #[allow(clippy::indexing_slicing)] // const-evaluated: a bad index fails the build
    const LAST_BYTE: [u8; 256] = {
        let mut t = [0u8; 256];
        t[0x60] = 1;
        t[0x1E] = 2;
        t[0x1C] = 4;
        t[0x65] = 8;
        t
    };
    static LAST_BYTE_S: [u8; 256] = LAST_BYTE;

    fn enabled_mask_ref(kinds: &Kinds) -> u8 {
        u8::from(kinds.scm)
            | (u8::from(kinds.scm_plus) << 1)
            | (u8::from(kinds.interval.is_some()) << 2)
            | (u8::from(kinds.r900.is_some()) << 3)
    }

    #[inline]
    fn may_end_sync(w: u64, mask: u8) -> bool {
        LAST_BYTE_S
            .get((w & 0xFF) as usize)
            .is_some_and(|&m| m & mask != 0)
    }

    /// Finds the first sync at or after bit `from` (sync fully inside `nbits`).
    fn find_sync_reference(
        bits: &[u8],
        nbits: usize,
        from: usize,
        kinds: &Kinds,
    ) -> Option<Candidate> {
        let mask = enabled_mask_ref(kinds);
        if mask == 0 {
            return None;
        }
        let mut window: u64 = 0;
        let mut have: u32 = 0;
        let mut pos = from;
        let ert_idm = kinds.interval.is_some();
        while pos < nbits {
            // fast path: whole bytes when aligned
            if pos & 7 == 0 && pos.wrapping_add(8) <= nbits {
                let byte = bits.get(pos >> 3).copied().unwrap_or(0);
                window = window.wrapping_shl(8) | u64::from(byte);
                have = have.saturating_add(8);
                // check the 8 end positions inside this byte, earliest first
                for k in (0..8u32).rev() {
                    let w = window.wrapping_shr(k);
                    if !may_end_sync(w, mask) {
                        continue;
                    }
                    let avail = have.saturating_sub(k);
                    let end = pos.wrapping_add(8).wrapping_sub(k as usize); // bits consumed
                    if let Some(c) = check_window(w, avail, end, kinds, ert_idm) {
                        return Some(c);
                    }
                }
                pos = pos.wrapping_add(8);
            } else {
                let b = u64::from(get_bits(bits, pos, 1));
                window = window.wrapping_shl(1) | b;
                have = have.saturating_add(1);
                pos = pos.wrapping_add(1);
                if may_end_sync(window, mask) {
                    if let Some(c) = check_window(window, have, pos, kinds, ert_idm) {
                        return Some(c);
                    }
                }
            }
        }
        None
    }

    #[inline]
    fn check_window(
        w: u64,
        have: u32,
        end: usize,
        kinds: &Kinds,
        ert_idm: bool,
    ) -> Option<Candidate> {
        if kinds.scm && have >= 21 && (w & 0x1F_FFFF) as u32 == scm::field::PREAMBLE_BITS {
            return Some(Candidate {
                sync_bit: end.wrapping_sub(21),
                hit: Hit::Scm,
            });
        }
        if have >= 24 {
            let s = (w & 0xFF_FFFF) as u32;
            if kinds.scm_plus && s == ERT_SYNC_SCM_PLUS {
                return Some(Candidate {
                    sync_bit: end.wrapping_sub(24),
                    hit: Hit::ScmPlus,
                });
            }
            if ert_idm && s == ERT_SYNC_IDM {
                if let Some(k) = kinds.interval {
                    return Some(Candidate {
                        sync_bit: end.wrapping_sub(24),
                        hit: Hit::Interval(k),
                    });
                }
            }
        }
        if let Some(k) = kinds.r900 {
            if have >= R900_SYNC_BITS && (w & 0x00FF_FFFF_FFFF_FFFF) == R900_SYNC {
                return Some(Candidate {
                    sync_bit: end.wrapping_sub(R900_SYNC_BITS as usize),
                    hit: Hit::R900(k),
                });
            }
        }
        None
    }

    #[test]
    fn anchor_search_agrees_with_the_shift_register_search() {
        let all = Kinds {
            scm: true,
            scm_plus: true,
            interval: Some(IntervalKind::Idm),
            r900: Some(R900Kind::Binary),
        };
        let kinds = [
            all,
            Kinds::ERT,
            Kinds::R900,
            Kinds {
                scm: true,
                ..Kinds::NONE
            },
        ];
        let mut x = meterwire_testkit::rng::XorShift(0x1234_5678_9ABC_DEF1);
        let mut found = 0;
        for round in 0..20_000 {
            let len = 1 + x.index(40);
            let mut buf: Vec<u8> = (0..len).map(|_| x.next_u64() as u8).collect();
            // plant 1-3 syncs at random bit offsets (possibly overlapping or cut)
            for _ in 0..1 + x.below(3) {
                let (pat, l) = SYNCS[x.index(4)];
                let at = x.index(len * 8);
                for b in 0..l as usize {
                    let v = (pat >> (l as usize - 1 - b)) & 1 != 0;
                    crate::bits::set_bit(&mut buf, at + b, v);
                }
            }
            let nbits = len * 8 - x.index(8);
            let from = x.index(nbits + 1);
            let k = kinds[round % kinds.len()];
            let new = find_sync(&buf, nbits, from, &k);
            assert_eq!(
                new,
                find_sync_reference(&buf, nbits, from, &k),
                "{buf:02x?} {nbits} {from}"
            );
            found += usize::from(new.is_some());
        }
        assert!(found > 4000, "{found}");
    }
}

//! Byte-aligned framers (the packet bytes from the preamble/sync word on, as the
//! CLI's `--hex` input gives them), with opt-in error correction for SCM and R900.

use crate::idm::{Idm, NetIdm};
use crate::r900::{R900, R900Bcd};
use crate::scm::Scm;
use crate::scm_plus::ScmPlus;
use crate::{Error, idm, r900, scm, scm_plus};
use meterwire_core::{Decoded, Framer, Needed};

/// Packet bytes: borrowed from the input, or an owned copy when correction changed them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketBuf<'a, const N: usize> {
    /// The input bytes (nothing was corrected).
    Borrowed(&'a [u8]),
    /// The corrected packet.
    Owned([u8; N]),
}

impl<const N: usize> AsRef<[u8]> for PacketBuf<'_, N> {
    fn as_ref(&self) -> &[u8] {
        match self {
            PacketBuf::Borrowed(b) => b,
            PacketBuf::Owned(a) => a,
        }
    }
}

/// A checked packet and, when correction was enabled, how many bits (SCM) or
/// symbols (R900) it corrected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrected<V> {
    /// The packet view.
    pub packet: V,
    /// `None`: correction disabled; `Some(n)`: correction ran and fixed `n` bits/symbols.
    pub corrected: Option<u8>,
}

/// Checks that `input` starts with (a prefix of) `marker`; `Some(result)` to return early.
fn start<F>(
    input: &[u8],
    marker: &[u8],
    len: usize,
    what: &'static str,
) -> Option<Result<Decoded<F>, Error>> {
    let n = input.len().min(marker.len());
    if input.get(..n) != marker.get(..n) {
        return Some(Err(Error::malformed(what, "start marker not found")));
    }
    if input.len() < len {
        return Some(Ok(Decoded::Incomplete {
            needed: Needed::exact(len.saturating_sub(input.len())),
        }));
    }
    None
}

fn next_marker(input: &[u8], first: u8) -> usize {
    input
        .iter()
        .skip(1)
        .position(|&b| b == first)
        .map_or(input.len(), |p| p.saturating_add(1))
}

/// SCM framer: 12-byte packets starting with `F9 53`.
#[derive(Debug, Clone, Copy)]
pub struct ScmFramer {
    /// Correct bit errors (up to `max_bits`).
    pub correct: bool,
    /// The most bit errors corrected (2 by default; 1 never miscorrects a 3-bit error).
    pub max_bits: u8,
}

impl Default for ScmFramer {
    fn default() -> Self {
        ScmFramer::new(false)
    }
}

impl ScmFramer {
    /// A framer; `correct` enables BCH correction of up to 2 bit errors.
    pub const fn new(correct: bool) -> Self {
        ScmFramer {
            correct,
            max_bits: 2,
        }
    }

    /// Limits correction to `max_bits` (0..=2) bit errors.
    pub const fn with_max_bits(mut self, max_bits: u8) -> Self {
        self.max_bits = max_bits;
        self
    }
}

impl Framer for ScmFramer {
    type Frame<'a> = Corrected<Scm<PacketBuf<'a, { scm::field::LEN }>>>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
        const LEN: usize = scm::field::LEN;
        if let Some(r) = start(input, &scm::field::PREAMBLE, LEN, "scm preamble") {
            return r;
        }
        let raw = input.get(..LEN).ok_or(Error::truncated(LEN))?;
        let corrected = if self.correct { Some(0) } else { None };
        match Scm::new_checked(raw) {
            Ok(_) => Ok(Decoded::Frame {
                frame: Corrected {
                    packet: Scm::new_unchecked(PacketBuf::Borrowed(raw)),
                    corrected,
                },
                consumed: LEN,
            }),
            Err(e) if self.correct => {
                let mut a = [0u8; LEN];
                a.copy_from_slice(raw);
                let n = scm::correct_max(&mut a, self.max_bits).map_err(|_| e)?;
                let p = Scm::new_checked(PacketBuf::Owned(a))?;
                Ok(Decoded::Frame {
                    frame: Corrected {
                        packet: p,
                        corrected: Some(n),
                    },
                    consumed: LEN,
                })
            }
            Err(e) => Err(e),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        next_marker(input, scm::field::PREAMBLE[0])
    }
}

/// Makes a simple framer for a fixed-length packet with a checked view.
macro_rules! fixed_framer {
    ($(#[$m:meta])* $name:ident, $view:ident, $len:expr, $marker:expr, $what:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl Framer for $name {
            type Frame<'a> = $view<&'a [u8]>;
            type Error = Error;

            fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
                if let Some(r) = start(input, &$marker, $len, $what) {
                    return r;
                }
                let raw = input.get(..$len).ok_or(Error::truncated($len))?;
                Ok(Decoded::Frame { frame: $view::new_checked(raw)?, consumed: $len })
            }

            fn resync(&mut self, input: &[u8]) -> usize {
                next_marker(input, $marker[0])
            }
        }
    };
}

fixed_framer!(
    /// SCM+ framer: 16-byte packets starting with `16 A3 1E`.
    ScmPlusFramer, ScmPlus, scm_plus::field::LEN, [0x16u8, 0xA3, 0x1E], "scm+ sync"
);
fixed_framer!(
    /// IDM framer: 90-byte packets starting with `16 A3 1C 5C`.
    IdmFramer, Idm, idm::field::LEN, [0x16u8, 0xA3, 0x1C, 0x5C], "idm sync"
);
fixed_framer!(
    /// NetIDM framer: 90-byte packets starting with `16 A3 1C 5C`.
    NetIdmFramer, NetIdm, idm::field::LEN, [0x16u8, 0xA3, 0x1C, 0x5C], "netidm sync"
);

/// R900 framer over the 14-byte form (no start marker: packets follow each other).
#[derive(Debug, Clone, Copy, Default)]
pub struct R900Framer {
    /// Correct up to 2 symbol errors.
    pub correct: bool,
}

impl R900Framer {
    /// A framer; `correct` enables Reed-Solomon correction.
    pub const fn new(correct: bool) -> Self {
        R900Framer { correct }
    }
}

/// Decodes one R900 packet with optional correction.
pub fn decode_r900(
    input: &[u8],
    correct: bool,
) -> Result<Decoded<Corrected<R900<PacketBuf<'_, { r900::field::LEN }>>>>, Error> {
    const LEN: usize = r900::field::LEN;
    let Some(raw) = input.get(..LEN) else {
        return Ok(Decoded::Incomplete {
            needed: Needed::exact(LEN.saturating_sub(input.len())),
        });
    };
    let corrected = if correct { Some(0) } else { None };
    match R900::new_checked(raw) {
        Ok(_) => Ok(Decoded::Frame {
            frame: Corrected {
                packet: R900::new_unchecked(PacketBuf::Borrowed(raw)),
                corrected,
            },
            consumed: LEN,
        }),
        Err(e @ Error::Syndromes { .. }) if correct => {
            let mut a = [0u8; LEN];
            a.copy_from_slice(raw);
            let n = r900::correct(&mut a).map_err(|_| e)?;
            let p = R900::new_checked(PacketBuf::Owned(a))?;
            Ok(Decoded::Frame {
                frame: Corrected {
                    packet: p,
                    corrected: Some(n),
                },
                consumed: LEN,
            })
        }
        Err(e) => Err(e),
    }
}

impl Framer for R900Framer {
    type Frame<'a> = Corrected<R900<PacketBuf<'a, { r900::field::LEN }>>>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
        decode_r900(input, self.correct)
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        input.len().min(r900::field::LEN)
    }
}

/// R900 BCD framer over the 14-byte form.
#[derive(Debug, Clone, Copy, Default)]
pub struct R900BcdFramer {
    /// Correct up to 2 symbol errors.
    pub correct: bool,
}

impl R900BcdFramer {
    /// A framer; `correct` enables Reed-Solomon correction.
    pub const fn new(correct: bool) -> Self {
        R900BcdFramer { correct }
    }
}

impl Framer for R900BcdFramer {
    type Frame<'a> = Corrected<R900Bcd<PacketBuf<'a, { r900::field::LEN }>>>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
        match decode_r900(input, self.correct)? {
            Decoded::Frame { frame, consumed } => Ok(Decoded::Frame {
                frame: Corrected {
                    packet: R900Bcd::from_r900(frame.packet)?,
                    corrected: frame.corrected,
                },
                consumed,
            }),
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        input.len().min(r900::field::LEN)
    }
}

//! Byte-aligned framers (the packet bytes from the preamble/sync word on, as the
//! CLI's `--hex` input gives them), with opt-in error correction for SCM and R900.

use crate::idm::{Idm, NetIdm};
use crate::r900::{R900, R900Bcd};
use crate::scm::Scm;
use crate::scm_plus::ScmPlus;
use crate::{Error, idm, r900, scm, scm_plus};
use meterwire_core::{Decoded, Framer, Needed, Strictness};

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

/// The frame of a packet that failed its check with `e`: `fix` corrects a copy (the
/// corrected count, or `e` when it cannot), `check` checks the corrected copy.
fn corrected_frame<'a, const LEN: usize, V>(
    raw: &[u8],
    e: Error,
    fix: impl FnOnce(&mut [u8; LEN]) -> Result<u8, Error>,
    check: impl FnOnce(PacketBuf<'a, LEN>) -> Result<V, Error>,
) -> Result<Decoded<Corrected<V>>, Error> {
    let mut a = [0u8; LEN];
    a.copy_from_slice(raw.get(..LEN).ok_or(e)?);
    let n = fix(&mut a).map_err(|_| e)?;
    Ok(Decoded::Frame {
        frame: Corrected {
            packet: check(PacketBuf::Owned(a))?,
            corrected: Some(n),
        },
        consumed: LEN,
    })
}

/// SCM framer: 12-byte packets starting with `F9 53`.
///
/// ```
/// use meterwire_scm_idm::{Decoded, Framer, ScmFramer};
/// let mut f = ScmFramer::new().correct().strict();
/// let b = [0xf9, 0x53, 0x06, 0x1d, 0x90, 0xa9, 0xd3, 0xa9, 0x13, 0xcd, 0x13, 0x0e];
/// let Ok(Decoded::Frame { frame, .. }) = f.decode(&b) else { panic!() };
/// assert_eq!((frame.packet.id(), frame.corrected), (61412301, Some(0)));
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct ScmFramer {
    correct: bool,
    max_bits: u8,
    strictness: Strictness,
}

impl ScmFramer {
    /// A framer without correction, lenient.
    pub const fn new() -> Self {
        ScmFramer {
            correct: false,
            max_bits: 2,
            strictness: Strictness::Lenient,
        }
    }

    builders!(
        correct: "Enables BCH correction of up to 2 bit errors (see [`Self::with_max_bits`])."
    );

    /// Limits correction to `max_bits` (0..=2) bit errors (1 never miscorrects a
    /// 3-bit error).
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
        match Scm::new_checked_with(raw, self.strictness) {
            Ok(_) => Ok(Decoded::Frame {
                frame: Corrected {
                    packet: Scm::new_unchecked(PacketBuf::Borrowed(raw)),
                    corrected,
                },
                consumed: LEN,
            }),
            Err(e) if self.correct => corrected_frame(
                raw,
                e,
                |a| scm::correct_max(a, self.max_bits),
                |b| Scm::new_checked_with(b, self.strictness),
            ),
            Err(e) => Err(e),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        meterwire_core::skip_to_start(input, |b| b == scm::field::PREAMBLE[0])
    }
}

/// Makes a simple framer for a fixed-length packet with a checked view.
macro_rules! fixed_framer {
    ($(#[$m:meta])* $name:ident, $view:ident, $len:expr, $marker:expr, $what:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name {
            strictness: Strictness,
            /// The last error was a whole packet rejected by strict mode: skip it all.
            skip_packet: bool,
        }

        impl $name {
            /// A lenient framer.
            pub const fn new() -> Self {
                $name {
                    strictness: Strictness::Lenient,
                    skip_packet: false,
                }
            }

            meterwire_core::strictness_builders!(strictness);
        }

        impl Framer for $name {
            type Frame<'a> = $view<&'a [u8]>;
            type Error = Error;

            fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
                if let Some(r) = start(input, &$marker, $len, $what) {
                    return r;
                }
                let raw = input.get(..$len).ok_or(Error::truncated($len))?;
                match $view::new_checked_with(raw, self.strictness) {
                    Ok(frame) => Ok(Decoded::Frame { frame, consumed: $len }),
                    Err(e) => {
                        // a packet that passed its CRC but departs from the standard is
                        // still delimited: strict mode drops all of it, not one byte
                        self.skip_packet = matches!(
                            e,
                            Error::Core(meterwire_core::Error::Nonconforming(_))
                        );
                        Err(e)
                    }
                }
            }

            fn resync(&mut self, input: &[u8]) -> usize {
                if core::mem::take(&mut self.skip_packet) {
                    return input.len().min($len).max(1);
                }
                meterwire_core::skip_to_start(input, |b| b == $marker[0])
            }
        }
    };
}

fixed_framer!(
    /// SCM+ framer: 16-byte packets starting with `16 A3 1E` (SCM+ has no
    /// diagnostics yet: strict and lenient accept the same packets).
    ScmPlusFramer, ScmPlus, scm_plus::field::LEN, [0x16u8, 0xA3, 0x1E], "scm+ sync"
);
fixed_framer!(
    /// IDM framer: 90-byte packets starting with `16 A3 1C` (a packet length
    /// byte other than 0x5C is a diagnostic, as is a serial CRC mismatch).
    IdmFramer, Idm, idm::field::LEN, [0x16u8, 0xA3, 0x1C], "idm sync"
);
fixed_framer!(
    /// NetIDM framer: 90-byte packets starting with `16 A3 1C` (diagnostics as
    /// for [`IdmFramer`]).
    NetIdmFramer, NetIdm, idm::field::LEN, [0x16u8, 0xA3, 0x1C], "netidm sync"
);

/// R900 framer over the 14-byte form (no start marker: packets follow each other).
#[derive(Debug, Clone, Copy, Default)]
pub struct R900Framer {
    correct: bool,
    strictness: Strictness,
}

/// R900 BCD framer over the 14-byte form.
#[derive(Debug, Clone, Copy, Default)]
pub struct R900BcdFramer {
    correct: bool,
    strictness: Strictness,
}

macro_rules! r900_builder {
    ($name:ident) => {
        impl $name {
            /// A framer without correction, lenient.
            pub const fn new() -> Self {
                $name {
                    correct: false,
                    strictness: Strictness::Lenient,
                }
            }

            builders!(
                correct: "Enables Reed-Solomon correction of up to 2 symbol errors."
            );
        }
    };
}
r900_builder!(R900Framer);
r900_builder!(R900BcdFramer);

/// Decodes one R900 packet with optional correction.
pub(crate) fn decode_r900(
    input: &[u8],
    correct: bool,
    strictness: Strictness,
) -> Result<Decoded<Corrected<R900<PacketBuf<'_, { r900::field::LEN }>>>>, Error> {
    const LEN: usize = r900::field::LEN;
    let Some(raw) = input.get(..LEN) else {
        return Ok(Decoded::Incomplete {
            needed: Needed::exact(LEN.saturating_sub(input.len())),
        });
    };
    let corrected = if correct { Some(0) } else { None };
    match R900::new_checked_with(raw, strictness) {
        Ok(_) => Ok(Decoded::Frame {
            frame: Corrected {
                packet: R900::new_unchecked(PacketBuf::Borrowed(raw)),
                corrected,
            },
            consumed: LEN,
        }),
        Err(e @ Error::Syndromes { .. }) if correct => corrected_frame(
            raw,
            e,
            |a| r900::correct(a),
            |b| R900::new_checked_with(b, strictness),
        ),
        Err(e) => Err(e),
    }
}

impl Framer for R900Framer {
    type Frame<'a> = Corrected<R900<PacketBuf<'a, { r900::field::LEN }>>>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
        decode_r900(input, self.correct, self.strictness)
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        input.len().min(r900::field::LEN)
    }
}

impl Framer for R900BcdFramer {
    type Frame<'a> = Corrected<R900Bcd<PacketBuf<'a, { r900::field::LEN }>>>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Error> {
        match decode_r900(input, self.correct, self.strictness)? {
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

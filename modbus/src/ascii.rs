//! Modbus ASCII (Modbus over Serial Line V1.02, clause 2.5.2):
//! `':' | hex(address, PDU, LRC) | CR LF`, LRC = two's complement of the byte sum.
//!
//! The binary bytes are not in the input, so [`AsciiAdu`] (the framer's view)
//! carries them in a fixed 256-byte array (no allocation) and hands out the
//! PDU view borrowing that array.

use meterwire_core::{Decoded, Encode, EncodeError, Framer, Needed, Strictness, Writer};

use crate::Error;
use crate::pdu::PduOf;
#[cfg(feature = "alloc")]
use crate::pdu::PduRepr;
use crate::pdu::{Direction, Pdu, limits};
#[cfg(feature = "alloc")]
use crate::storage::Owned;
use crate::storage::{Borrowed, Storage};

/// Character positions of the ASCII ADU.
pub mod field {
    /// The start character `:`.
    pub const START: usize = 0;
    /// Hex pairs (address, PDU, LRC) start here.
    pub const HEX: usize = 1;
    /// The end of frame, CR LF.
    pub const END: &[u8; 2] = b"\r\n";
}

/// Largest ASCII ADU in characters (':' + 2 * 255 + CR LF).
pub const MAX_CHARS: usize = 513;
/// Smallest ASCII ADU (':' + address + function code + LRC + CR LF).
pub const MIN_CHARS: usize = 9;
/// Binary bytes: address + PDU + LRC.
const MAX_BIN: usize = 255;

/// The LRC of clause 6.2.1: two's complement of the 8-bit sum.
pub fn lrc(bytes: &[u8]) -> u8 {
    bytes
        .iter()
        .fold(0u8, |acc, &b| acc.wrapping_add(b))
        .wrapping_neg()
}

serial_frame!(
    /// A Modbus ASCII ADU to encode (or an owned decoded one).
    AsciiFrame,
    "LRC"
);

const HEX: &[u8; 16] = b"0123456789ABCDEF";

fn hex_pair(b: u8) -> [u8; 2] {
    [
        HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'),
        HEX.get(usize::from(b & 0x0F)).copied().unwrap_or(b'0'),
    ]
}

impl<S: Storage> Encode for AsciiFrame<'_, S> {
    fn encoded_len(&self) -> usize {
        self.pdu
            .encoded_len()
            .saturating_add(2)
            .saturating_mul(2)
            .saturating_add(3)
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let pdu_len = self.pdu.encoded_len();
        if pdu_len > limits::MAX_PDU {
            return Err(too_long!(self.pdu));
        }
        let total = self.encoded_len();
        if out.len() < total {
            return Err(EncodeError::BufferTooSmall {
                needed: total,
                available: out.len(),
            });
        }
        let mut bin = [0u8; MAX_BIN];
        let bin_len = pdu_len.saturating_add(1);
        let (head, rest) = bin.split_at_mut(1);
        if let Some(a) = head.first_mut() {
            *a = self.address;
        }
        self.pdu.encode(rest)?;
        let body = bin.get(..bin_len).unwrap_or(&[]);
        let check = lrc(body);
        let mut w = Writer::new(out);
        w.write_u8(b':')?;
        for &b in body {
            w.write_bytes(&hex_pair(b))?;
        }
        w.write_bytes(&hex_pair(check))?;
        w.write_bytes(b"\r\n")?;
        Ok(total)
    }
}

/// The framer's view of one ASCII ADU: the raw characters and the decoded bytes.
#[derive(Clone)]
pub struct AsciiAdu<'a> {
    raw: &'a [u8],
    bin: [u8; MAX_BIN],
    /// address + PDU + trailing bytes (without LRC)
    len: usize,
    /// PDU bytes the decoded PDU uses
    pdu_len: usize,
    direction: Direction,
}

impl core::fmt::Debug for AsciiAdu<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AsciiAdu")
            .field("address", &self.address())
            .field("pdu", &self.pdu())
            .finish()
    }
}

impl<'a> AsciiAdu<'a> {
    /// Parses one complete ADU (`:` ... CR LF, LRC checked); with `None` the PDU is
    /// tried as a request, then as a response.
    pub fn parse(raw: &'a [u8], direction: Option<Direction>) -> Result<Self, Error> {
        Self::parse_with(raw, direction, Strictness::Lenient)
    }

    fn parse_with(
        raw: &'a [u8],
        direction: Option<Direction>,
        strictness: Strictness,
    ) -> Result<Self, Error> {
        if raw.first() != Some(&b':') {
            return Err(Error::malformed("start", "expected ':'"));
        }
        if raw.len() > MAX_CHARS {
            return Err(Error::Core(meterwire_core::Error::Length {
                field: "adu length",
                expected: MAX_CHARS,
                actual: raw.len(),
            }));
        }
        let Some(hex) = raw.get(1..).and_then(|r| r.strip_suffix(b"\r\n")) else {
            return Err(Error::malformed("end", "expected cr lf"));
        };
        if hex.len() % 2 != 0 {
            return Err(Error::malformed("hex", "odd number of hex digits"));
        }
        if hex.len() < 6 {
            return Err(Error::Core(meterwire_core::Error::Truncated {
                needed: MIN_CHARS.saturating_sub(raw.len()),
            }));
        }
        let mut bin = [0u8; MAX_BIN];
        let n = hex.len() / 2;
        for (dst, pair) in bin.iter_mut().zip(hex.chunks_exact(2)) {
            *dst = match pair {
                [h, l] => match (nibble(*h), nibble(*l)) {
                    (Some(h), Some(l)) => (h << 4) | l,
                    _ => return Err(Error::malformed("hex", "expected 0-9, a-f or A-F")),
                },
                _ => return Err(Error::malformed("hex", "odd number of hex digits")),
            };
        }
        let len = n.saturating_sub(1);
        let body = bin.get(..len).unwrap_or(&[]);
        let found = bin.get(len).copied().unwrap_or(0);
        let expected = lrc(body);
        if expected != found {
            return Err(Error::Core(meterwire_core::Error::Checksum {
                field: "lrc",
                expected: u32::from(expected),
                actual: u32::from(found),
            }));
        }
        let (pdu, pdu_len) = Pdu::parse_prefix(body.get(1..).unwrap_or(&[]), direction)?;
        let direction = pdu.direction();
        let adu = AsciiAdu {
            raw,
            bin,
            len,
            pdu_len,
            direction,
        };
        if strictness.is_strict() {
            if let Some(d) = adu.frame()?.diagnostics().next() {
                return Err(Error::Core(meterwire_core::Error::Nonconforming(d)));
            }
        }
        Ok(adu)
    }

    /// The raw characters, `:` to LF.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The decoded address and PDU bytes (without the LRC).
    pub fn bytes(&self) -> &[u8] {
        self.bin.get(..self.len).unwrap_or(&[])
    }

    /// The server address.
    pub fn address(&self) -> u8 {
        self.bin.first().copied().unwrap_or(0)
    }

    /// The LRC byte.
    pub fn lrc(&self) -> u8 {
        self.bin.get(self.len).copied().unwrap_or(0)
    }

    /// The direction that fitted.
    pub fn direction(&self) -> Direction {
        self.direction
    }

    /// The PDU view (borrows this value; it was checked when the ADU was decoded).
    pub fn pdu(&self) -> Result<Pdu<'_>, Error> {
        let end = self.pdu_len.saturating_add(1);
        Pdu::parse(
            self.bytes().get(1..end).unwrap_or(&[]),
            Some(self.direction),
        )
    }

    /// Bytes between the PDU and the LRC (see [`AsciiFrame::trailing`]).
    pub fn trailing(&self) -> &[u8] {
        self.bytes()
            .get(self.pdu_len.saturating_add(1)..)
            .unwrap_or(&[])
    }

    /// Departures from the standard (see [`AsciiFrame::diagnostics`]).
    pub fn diagnostics(&self) -> crate::diag::FrameDiagnostics {
        let pdu = self
            .pdu()
            .map_or_else(|_| crate::diag::none(), |p| p.diagnostics());
        crate::diag::frame(None, pdu, "adu length", self.trailing().len())
    }

    /// The frame (borrows this value).
    pub fn frame(&self) -> Result<AsciiFrame<'_>, Error> {
        Ok(AsciiFrame {
            address: self.address(),
            pdu: self.pdu()?,
            trailing: self.trailing(),
        })
    }
}

const fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// Streaming Modbus ASCII framer: `:` to CR LF, resync to the next `:`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AsciiFramer {
    direction: Option<Direction>,
    strictness: Strictness,
}

impl AsciiFramer {
    /// A lenient framer that tries each PDU as a request, then as a response.
    pub const fn new() -> Self {
        AsciiFramer {
            direction: None,
            strictness: Strictness::Lenient,
        }
    }

    /// Parses one complete ADU (`:` to LF) with this framer's direction and strictness.
    pub fn parse<'a>(&self, raw: &'a [u8]) -> Result<AsciiAdu<'a>, Error> {
        AsciiAdu::parse_with(raw, self.direction, self.strictness)
    }
}

framer_builders!(
    AsciiFramer,
    "Strict mode: a frame with a diagnostic is [`meterwire_core::Error::Nonconforming`]."
);

impl Framer for AsciiFramer {
    type Frame<'a> = AsciiAdu<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<AsciiAdu<'a>>, Error> {
        match input.first() {
            None => {
                return Ok(Decoded::Incomplete {
                    needed: Needed::at_least(MIN_CHARS),
                });
            }
            Some(b':') => {}
            Some(_) => return Err(Error::malformed("start", "expected ':'")),
        }
        let window = input.get(..MAX_CHARS).unwrap_or(input);
        let Some(lf) = window.iter().position(|&b| b == b'\n') else {
            if input.len() >= MAX_CHARS {
                return Err(Error::Core(meterwire_core::Error::Length {
                    field: "adu length",
                    expected: MAX_CHARS,
                    actual: input.len(),
                }));
            }
            // a new ':' before the end means the previous frame was cut off
            if input.iter().skip(1).any(|&b| b == b':') {
                return Err(Error::malformed("end", "a new ':' before cr lf"));
            }
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(MIN_CHARS.saturating_sub(input.len())),
            });
        };
        let raw = input.get(..=lf).unwrap_or(input);
        let adu = AsciiAdu::parse_with(raw, self.direction, self.strictness)?;
        Ok(Decoded::Frame {
            frame: adu,
            consumed: raw.len(),
        })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        input
            .iter()
            .skip(1)
            .position(|&b| b == b':')
            .map_or(input.len(), |p| p.saturating_add(1))
    }
}

//! Wired M-Bus long frames carrying DLMS/COSEM APDUs (EN 13757-2 link layer with the
//! DLMS transport of IEC 62056-7-6 / EN 13757-1), as sent by P1/customer ports such
//! as the Austrian and Norwegian Kaifa, Iskra and Landis+Gyr meters.
//!
//! Long frame: `68 L L 68 C A CI data.. CS 16`, L counting C, A, CI and data, CS the
//! sum of those bytes modulo 256. For DLMS the CI field carries the segmentation
//! (bits 0-3 sequence number, bit 4 last segment) and the data starts with the
//! source and destination TSAPs, followed by a segment of the APDU.

use crate::error::{Error, Result};
use meterwire_core::{Decoded, Encode, EncodeError, Framer, Needed};

/// Start byte of a long frame.
pub const START: u8 = 0x68;
/// Stop byte.
pub const STOP: u8 = 0x16;
/// CI bit: last segment of the APDU.
pub const CI_LAST: u8 = 0x10;

/// One checked M-Bus long frame, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct MbusFrame<'a> {
    /// C field (0x53/0x73 SND_UD, 0x08 RSP_UD, ...).
    pub control: u8,
    /// A field (primary address; 0xFF broadcast).
    pub address: u8,
    /// CI field.
    pub ci: u8,
    /// The bytes after CI (for DLMS: STSAP, DTSAP, APDU segment).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::bytes")
    )]
    pub data: &'a [u8],
}

fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |a, b| a.wrapping_add(*b))
}

impl<'a> MbusFrame<'a> {
    /// Parses one complete long frame; trailing bytes are an error.
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        crate::util::parse_exact(input, "m-bus frame", Self::parse_prefix)
    }

    /// Parses one long frame at the start of `input`; returns it and its size.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let head = input
            .get(..4)
            .ok_or(Error::truncated(4usize.saturating_sub(input.len())))?;
        let [s1, l1, l2, s2] = <[u8; 4]>::try_from(head).map_err(|_| Error::truncated(4))?;
        if s1 != START || s2 != START {
            return Err(Error::malformed(
                "m-bus start",
                "long frame must start with 68 L L 68",
            ));
        }
        if l1 != l2 {
            return Err(Error::length(
                "m-bus length",
                usize::from(l1),
                usize::from(l2),
            ));
        }
        let len = usize::from(l1);
        if len < 3 {
            return Err(Error::length("m-bus length", 3, len));
        }
        let total = len.saturating_add(6);
        let body = input
            .get(4..4usize.saturating_add(len))
            .ok_or(Error::truncated(total.saturating_sub(input.len())))?;
        let cs = *input
            .get(4usize.saturating_add(len))
            .ok_or(Error::truncated(2))?;
        let stop = *input
            .get(5usize.saturating_add(len))
            .ok_or(Error::truncated(1))?;
        let expected = checksum(body);
        if cs != expected {
            return Err(Error::checksum(
                "m-bus checksum",
                u16::from(expected),
                u16::from(cs),
            ));
        }
        if stop != STOP {
            return Err(Error::malformed(
                "m-bus stop",
                "long frame must end with 0x16",
            ));
        }
        let (control, address, ci) = match body {
            [c, a, ci, ..] => (*c, *a, *ci),
            _ => return Err(Error::length("m-bus length", 3, len)),
        };
        Ok((
            MbusFrame {
                control,
                address,
                ci,
                data: body.get(3..).unwrap_or(&[]),
            },
            total,
        ))
    }

    /// DLMS segment: `(stsap, dtsap, segment)`, when the data holds the two TSAPs.
    pub fn dlms_segment(&self) -> Option<(u8, u8, &'a [u8])> {
        match self.data {
            [s, d, rest @ ..] => Some((*s, *d, rest)),
            _ => None,
        }
    }

    /// Segment sequence number (CI bits 0-3).
    pub const fn sequence(&self) -> u8 {
        self.ci & 0x0F
    }

    /// Last segment of the APDU (CI bit 4).
    pub const fn last(&self) -> bool {
        self.ci & CI_LAST != 0
    }
}

impl Encode for MbusFrame<'_> {
    fn encoded_len(&self) -> usize {
        self.data.len().saturating_add(9)
    }

    fn encode(&self, out: &mut [u8]) -> core::result::Result<usize, EncodeError> {
        let len =
            u8::try_from(self.data.len().saturating_add(3)).map_err(|_| EncodeError::Invalid {
                field: "m-bus length",
                reason: "at most 252 data bytes per long frame",
            })?;
        let cs = checksum(&[self.control, self.address, self.ci]).wrapping_add(checksum(self.data));
        crate::util::encode_with(out, self.encoded_len(), |w| {
            w.write_bytes(&[START, len, len, START, self.control, self.address, self.ci])?;
            w.write_bytes(self.data)?;
            w.write_bytes(&[cs, STOP])
        })
    }
}

/// Streaming M-Bus long-frame framer.
#[derive(Debug, Clone, Copy, Default)]
pub struct MbusFramer;

impl MbusFramer {
    /// A new framer.
    pub const fn new() -> Self {
        MbusFramer
    }
}

impl Framer for MbusFramer {
    type Frame<'a> = MbusFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<MbusFrame<'a>>> {
        match input {
            [] => {
                return Ok(Decoded::Incomplete {
                    needed: Needed::at_least(6),
                });
            }
            [b, ..] if *b != START => {
                return Err(Error::malformed(
                    "m-bus start",
                    "long frame must start with 68 L L 68",
                ));
            }
            _ => {}
        }
        let Some(&l) = input.get(1) else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(5),
            });
        };
        let total = usize::from(l).saturating_add(6);
        if input.len() < total {
            // reject a bad header early
            if let Some(&[_, _, l2, s2]) = input.get(..4) {
                if l2 != l || s2 != START {
                    return Err(Error::malformed("m-bus header", "expected 68 L L 68"));
                }
            }
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(input.len())),
            });
        }
        let (frame, consumed) = MbusFrame::parse_prefix(input)?;
        Ok(Decoded::Frame { frame, consumed })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        meterwire_core::skip_to_start(input, |b| b == START)
    }
}

/// Joins the DLMS segments of consecutive long frames into one APDU over a caller buffer.
#[derive(Debug, Clone)]
pub struct MbusReassembler<B> {
    buf: B,
    len: usize,
    next_seq: Option<u8>,
    done: bool,
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> MbusReassembler<B> {
    /// A reassembler writing into `buf`.
    pub fn new(buf: B) -> Self {
        MbusReassembler {
            buf,
            len: 0,
            next_seq: None,
            done: false,
        }
    }

    /// Feeds one frame; returns the APDU when this frame ends one. A segment out of
    /// sequence drops the partial APDU and reports [`Error::Sequence`].
    pub fn push(&mut self, frame: &MbusFrame<'_>) -> Result<Option<&[u8]>> {
        if self.done {
            self.done = false;
            self.len = 0;
        }
        let (_, _, seg) = frame.dlms_segment().ok_or(Error::malformed(
            "m-bus dlms data",
            "missing transport service access points",
        ))?;
        let seq = frame.sequence();
        match self.next_seq {
            Some(want) if want != seq => {
                self.next_seq = None;
                self.len = 0;
                return Err(Error::Sequence {
                    reason: "unexpected m-bus segment number",
                });
            }
            None if seq != 0 => {
                return Err(Error::Sequence {
                    reason: "first m-bus segment must be number 0",
                });
            }
            _ => {}
        }
        if let Err(e) = crate::util::append_segment(self.buf.as_mut(), &mut self.len, seg) {
            self.next_seq = None;
            return Err(e);
        }
        if frame.last() {
            self.next_seq = None;
            self.done = true;
            Ok(self.buf.as_ref().get(..self.len))
        } else {
            self.next_seq = Some(seq.wrapping_add(1) & 0x0F);
            Ok(None)
        }
    }
}

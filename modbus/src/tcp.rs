//! Modbus TCP: the MBAP header (Modbus Messaging on TCP/IP V1.0b, clause 3.1.3).
//!
//! `transaction id u16 | protocol id u16 (0) | length u16 (unit id + PDU) | unit id u8 | PDU`

use meterwire_core::{Decoded, Encode, EncodeError, Framer, Needed};

use crate::Error;
use crate::pdu::{Direction, Pdu};

/// Byte ranges of the MBAP header.
pub mod field {
    use core::ops::Range;
    /// Transaction identifier.
    pub const TRANSACTION_ID: Range<usize> = 0..2;
    /// Protocol identifier (0 = Modbus).
    pub const PROTOCOL_ID: Range<usize> = 2..4;
    /// Length of unit id + PDU.
    pub const LENGTH: Range<usize> = 4..6;
    /// Unit identifier.
    pub const UNIT_ID: usize = 6;
    /// The PDU starts here.
    pub const PDU: usize = 7;
}

/// MBAP header length.
pub const MBAP_LEN: usize = 7;
/// Smallest MBAP length field (unit id + function code).
pub const MIN_LENGTH: u16 = 2;
/// Largest MBAP length field (unit id + 253-byte PDU).
pub const MAX_LENGTH: u16 = 254;
/// The IANA port.
pub const PORT: u16 = 502;

/// A Modbus TCP ADU: a view when decoded, the value to encode when built.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
pub struct TcpFrame<'a> {
    /// Transaction identifier (echoed by the server).
    pub transaction_id: u16,
    /// Protocol identifier; always 0 (others are rejected when decoding and encoding).
    pub protocol_id: u16,
    /// Unit identifier (the serial address behind a gateway; 0xFF or 0 for a direct server).
    pub unit_id: u8,
    /// The PDU.
    #[cfg_attr(all(feature = "serde", feature = "alloc"), serde(flatten))]
    pub pdu: Pdu<'a>,
}

/// What the header says, before the PDU is looked at.
#[inline(always)]
fn header(input: &[u8]) -> Result<Option<(u16, u16, usize)>, Error> {
    let (Some(&[t0, t1]), Some(&[p0, p1]), Some(&[l0, l1])) = (
        input.get(field::TRANSACTION_ID),
        input.get(field::PROTOCOL_ID),
        input.get(field::LENGTH),
    ) else {
        // protocol id is checked as soon as it is there
        if let Some(&[p0, p1]) = input.get(field::PROTOCOL_ID) {
            check_protocol(u16::from_be_bytes([p0, p1]))?;
        }
        return Ok(None);
    };
    let protocol_id = check_protocol(u16::from_be_bytes([p0, p1]))?;
    let length = u16::from_be_bytes([l0, l1]);
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(Error::Length {
            field: "mbap length",
            expected: usize::from(length.clamp(MIN_LENGTH, MAX_LENGTH)),
            actual: usize::from(length),
        });
    }
    Ok(Some((
        u16::from_be_bytes([t0, t1]),
        protocol_id,
        usize::from(length).saturating_add(6),
    )))
}

fn check_protocol(p: u16) -> Result<u16, Error> {
    if p != 0 {
        return Err(Error::Unsupported {
            field: "protocol_id",
            value: u32::from(p),
        });
    }
    Ok(p)
}

/// Parses the PDU of a complete ADU, mapping "short" to an MBAP length error.
#[inline(always)]
fn pdu<'a>(adu: &'a [u8], direction: Option<Direction>) -> Result<Pdu<'a>, Error> {
    let bytes = adu.get(field::PDU..).unwrap_or(&[]);
    Pdu::parse(bytes, direction).map_err(|e| match e {
        Error::Truncated { needed } => Error::Length {
            field: "mbap length",
            expected: adu.len().saturating_add(needed).saturating_sub(6),
            actual: adu.len().saturating_sub(6),
        },
        Error::Length {
            field: "pdu length",
            expected,
            ..
        } => Error::Length {
            field: "mbap length",
            expected: expected.saturating_add(1),
            actual: bytes.len().saturating_add(1),
        },
        other => other,
    })
}

impl<'a> TcpFrame<'a> {
    /// Parses one complete ADU; its length must be exactly what the MBAP header says.
    pub fn parse(adu: &'a [u8], direction: Option<Direction>) -> Result<Self, Error> {
        let Some((transaction_id, protocol_id, total)) = header(adu)? else {
            return Err(Error::Truncated {
                needed: MBAP_LEN.saturating_sub(adu.len()),
            });
        };
        if adu.len() != total {
            return Err(Error::Length {
                field: "mbap length",
                expected: adu.len().saturating_sub(6),
                actual: total.saturating_sub(6),
            });
        }
        let unit_id = adu.get(field::UNIT_ID).copied().unwrap_or(0);
        Ok(TcpFrame {
            transaction_id,
            protocol_id,
            unit_id,
            pdu: pdu(adu, direction)?,
        })
    }

    /// A frame with protocol id 0.
    pub const fn new(transaction_id: u16, unit_id: u8, pdu: Pdu<'a>) -> Self {
        TcpFrame {
            transaction_id,
            protocol_id: 0,
            unit_id,
            pdu,
        }
    }

    /// An owned copy.
    #[cfg(feature = "alloc")]
    pub fn into_owned(self) -> TcpFrame<'static> {
        TcpFrame {
            transaction_id: self.transaction_id,
            protocol_id: self.protocol_id,
            unit_id: self.unit_id,
            pdu: self.pdu.into_owned(),
        }
    }
}

impl Encode for TcpFrame<'_> {
    #[inline]
    fn encoded_len(&self) -> usize {
        self.pdu.encoded_len().saturating_add(MBAP_LEN)
    }

    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        if self.protocol_id != 0 {
            return Err(EncodeError::Invalid {
                field: "protocol_id",
                reason: "must be 0 (Modbus)",
            });
        }
        // the PDU first (it checks its own limits and length, once), then the header
        let available = out.len();
        let too_small = |needed: usize| EncodeError::BufferTooSmall {
            needed: needed.saturating_add(MBAP_LEN),
            available,
        };
        let (head, rest) = match out.split_at_mut_checked(MBAP_LEN) {
            Some(parts) => parts,
            None => return Err(too_small(self.pdu.encoded_len())),
        };
        let pdu_len = self.pdu.encode(rest).map_err(|e| match e {
            EncodeError::BufferTooSmall { needed, .. } => too_small(needed),
            other => other,
        })?;
        let length = u16::try_from(pdu_len.saturating_add(1)).unwrap_or(u16::MAX);
        let [t0, t1] = self.transaction_id.to_be_bytes();
        let [l0, l1] = length.to_be_bytes();
        head.copy_from_slice(&[t0, t1, 0, 0, l0, l1, self.unit_id]);
        Ok(pdu_len.saturating_add(MBAP_LEN))
    }
}

/// Streaming Modbus TCP framer: honours the MBAP length and leaves the bytes
/// after it for the next frame.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpFramer {
    direction: Option<Direction>,
    skip: usize,
}

impl TcpFramer {
    /// A framer that tries each PDU as a request, then as a response.
    pub const fn new() -> Self {
        TcpFramer {
            direction: None,
            skip: 0,
        }
    }

    /// A framer for one direction (e.g. from the TCP port: to 502 = requests).
    pub const fn with_direction(direction: Option<Direction>) -> Self {
        TcpFramer { direction, skip: 0 }
    }

    /// The configured direction.
    pub const fn direction(&self) -> Option<Direction> {
        self.direction
    }
}

impl Framer for TcpFramer {
    type Frame<'a> = TcpFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<TcpFrame<'a>>, Error> {
        self.skip = 0;
        let Some((transaction_id, protocol_id, total)) = header(input)? else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(MBAP_LEN.saturating_sub(input.len())),
            });
        };
        let Some(adu) = input.get(..total) else {
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(input.len())),
            });
        };
        let unit_id = adu.get(field::UNIT_ID).copied().unwrap_or(0);
        match pdu(adu, self.direction) {
            Ok(pdu) => Ok(Decoded::Frame {
                frame: TcpFrame {
                    transaction_id,
                    protocol_id,
                    unit_id,
                    pdu,
                },
                consumed: total,
            }),
            Err(e) => {
                // the header is sound: the MBAP length delimits the ADU, drop all of it
                self.skip = total;
                Err(e)
            }
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        if self.skip > 0 {
            return core::mem::take(&mut self.skip).min(input.len()).max(1);
        }
        // next position where a plausible MBAP header starts (protocol id 0, length in range)
        (1..input.len())
            .find(|&i| {
                let h = input.get(i..).unwrap_or(&[]);
                match (h.get(2..4), h.get(4..6)) {
                    (Some([0, 0]), Some(&[l0, l1])) => {
                        (MIN_LENGTH..=MAX_LENGTH).contains(&u16::from_be_bytes([l0, l1]))
                    }
                    (Some([0, 0]) | None, None) => true,
                    _ => false,
                }
            })
            .unwrap_or(input.len())
    }
}

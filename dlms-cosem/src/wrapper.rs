//! The DLMS/COSEM transport layer for IP networks: the wrapper (IEC 62056-47 / DLMS UA
//! Green Book 7.3.3.4), used over TCP and UDP port 4059.
//!
//! Header: version (u16, = 1), source wPort (u16), destination wPort (u16), length (u16)
//! of the APDU that follows.

use crate::error::{Error, Result};
use meterwire_core::{Cursor, Decoded, Encode, EncodeError, Framer, Needed};

/// The IANA port for DLMS/COSEM over TCP and UDP.
pub const PORT: u16 = 4059;
/// Wrapper header length.
pub const HEADER_LEN: usize = 8;
/// The only defined wrapper version.
pub const VERSION: u16 = 1;

/// One wrapper frame, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct WrapperFrame<'a> {
    /// Version (always 1).
    pub version: u16,
    /// Source wPort (e.g. 0x10 public client, 0x01 management logical device).
    #[cfg_attr(feature = "serde", serde(rename = "source_wport"))]
    pub source: u16,
    /// Destination wPort.
    #[cfg_attr(feature = "serde", serde(rename = "destination_wport"))]
    pub destination: u16,
    /// The APDU.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub apdu: &'a [u8],
}

impl<'a> WrapperFrame<'a> {
    /// A frame around `apdu`.
    pub const fn new(source: u16, destination: u16, apdu: &'a [u8]) -> Self {
        WrapperFrame {
            version: VERSION,
            source,
            destination,
            apdu,
        }
    }

    /// Parses one complete frame; trailing bytes are an error.
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        let (f, used) = Self::parse_prefix(input)?;
        if used != input.len() {
            return Err(Error::length(
                "wrapper length",
                used.saturating_sub(HEADER_LEN),
                input.len().saturating_sub(HEADER_LEN),
            ));
        }
        Ok(f)
    }

    /// Parses one frame at the start of `input`; returns it and its size.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let version = c.read_u16_be()?;
        if version != VERSION {
            return Err(Error::unsupported("wrapper version", u32::from(version)));
        }
        let source = c.read_u16_be()?;
        let destination = c.read_u16_be()?;
        let len = usize::from(c.read_u16_be()?);
        let apdu = c.take(len)?;
        Ok((
            WrapperFrame {
                version,
                source,
                destination,
                apdu,
            },
            c.position(),
        ))
    }
}

impl Encode for WrapperFrame<'_> {
    fn encoded_len(&self) -> usize {
        HEADER_LEN.saturating_add(self.apdu.len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = u16::try_from(self.apdu.len()).map_err(|_| EncodeError::Invalid {
            field: "wrapper length",
            reason: "apdu longer than 65535 bytes",
        })?;
        crate::util::encode_with(out, self.encoded_len(), |w| {
            w.write_u16_be(self.version)?;
            w.write_u16_be(self.source)?;
            w.write_u16_be(self.destination)?;
            w.write_u16_be(len)?;
            w.write_bytes(self.apdu)
        })
    }
}

/// Streaming wrapper framer.
#[derive(Debug, Clone, Copy, Default)]
pub struct WrapperFramer;

impl WrapperFramer {
    /// A new framer.
    pub const fn new() -> Self {
        WrapperFramer
    }
}

impl Framer for WrapperFramer {
    type Frame<'a> = WrapperFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<WrapperFrame<'a>>> {
        // the version is checked as soon as it arrives
        match input {
            [] => {
                return Ok(Decoded::Incomplete {
                    needed: Needed::at_least(HEADER_LEN),
                });
            }
            [a] | [a, _, ..] if *a != 0 => {
                return Err(Error::unsupported("wrapper version", u32::from(*a) << 8));
            }
            [_, b, ..] if *b != 1 => {
                return Err(Error::unsupported("wrapper version", u32::from(*b)));
            }
            _ => {}
        }
        let Some(hdr) = input.get(..HEADER_LEN) else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(HEADER_LEN.saturating_sub(input.len())),
            });
        };
        let len = usize::from(u16::from_be_bytes([
            hdr.get(6).copied().unwrap_or(0),
            hdr.get(7).copied().unwrap_or(0),
        ]));
        let total = HEADER_LEN.saturating_add(len);
        if input.len() < total {
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(input.len())),
            });
        }
        let (frame, used) = WrapperFrame::parse_prefix(input.get(..total).unwrap_or(&[]))?;
        Ok(Decoded::Frame {
            frame,
            consumed: used,
        })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        // next "00 01" version marker, or a last 00 whose 01 may be still to come
        // (dropping it made the events depend on where a stream was cut: found by
        // the stream_props fuzzer)
        (1..input.len())
            .find(|&p| matches!(input.get(p..), Some([0x00, 0x01, ..] | [0x00])))
            .unwrap_or(input.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_streaming_needs() {
        let apdu = [
            0xC0, 0x01, 0x81, 0x00, 0x08, 0, 0, 1, 0, 0, 0xFF, 0x02, 0x00,
        ];
        let f = WrapperFrame::new(0x10, 0x01, &apdu);
        let mut buf = [0u8; 32];
        let n = f.encode(&mut buf).unwrap();
        assert_eq!(&buf[..8], &[0, 1, 0, 0x10, 0, 1, 0, 13]);
        assert_eq!(WrapperFrame::parse(&buf[..n]).unwrap(), f);
        let mut fr = WrapperFramer::new();
        assert_eq!(
            fr.decode(&buf[..5]).unwrap(),
            Decoded::Incomplete {
                needed: Needed::at_least(3)
            }
        );
        assert_eq!(
            fr.decode(&buf[..10]).unwrap(),
            Decoded::Incomplete {
                needed: Needed::exact(11)
            }
        );
        assert!(fr.decode(&[0, 2]).is_err());
    }
}

//! ANSI C12.18 packets on the optical port (ANSI C12.18-2006 clause 6.3 "Packet definition").
//!
//! ```text
//! EE  identity u8  control u8  seq u8  length u16 BE  data[length]  crc u16 LE
//! ```
//!
//! The CRC is CRC-16/X-25 over everything from `EE` to the end of the data, sent low
//! byte first. Single `ACK` (0x06) and `NAK` (0x15) bytes travel between packets; the
//! [`PacketFramer`] returns them as [`LinkFrame::Ack`] / [`LinkFrame::Nak`].
//!
//! A PSEM message longer than one packet is split into a multi-packet transmission:
//! every packet has [`control::MULTI_PACKET`] set, the first also
//! [`control::FIRST_PACKET`], and `seq` counts the packets still to come (0 = last).
//! [`Reassembler`] joins them into a caller's buffer; [`ToggleState`] detects the
//! retransmitted duplicates that the toggle bit marks.

use crate::error::{Error, Result, incomplete};
use meterwire_core::crc::CRC16_X25;
use meterwire_core::{
    Cursor, Decoded, Diagnostic, DiagnosticKind, Encode, EncodeError, Framer, Needed, Strictness,
    Writer,
};

/// The start-of-packet byte.
pub const START: u8 = 0xEE;
/// Link-layer acknowledge.
pub const ACK: u8 = 0x06;
/// Link-layer negative acknowledge.
pub const NAK: u8 = 0x15;
/// Header length (`EE` .. length).
pub const HEADER_LEN: usize = 6;
/// CRC length.
pub const CRC_LEN: usize = 2;
/// Header plus CRC.
pub const OVERHEAD: usize = HEADER_LEN + CRC_LEN;
/// The largest packet the standard allows (8192 bytes including the 8 overhead bytes).
pub const MAX_PACKET_LEN: usize = 8192;
/// The largest data field.
pub const MAX_DATA_LEN: usize = MAX_PACKET_LEN - OVERHEAD;

/// Byte offsets of the header fields.
pub mod field {
    /// Start byte.
    pub const START: usize = 0;
    /// Identity (reserved in C12.18: 0).
    pub const IDENTITY: usize = 1;
    /// Control bits.
    pub const CONTROL: usize = 2;
    /// Packets still to come in a multi-packet transmission.
    pub const SEQ: usize = 3;
    /// Data length, big endian.
    pub const LENGTH: core::ops::Range<usize> = 4..6;
}

/// Bits of the control byte.
pub mod control {
    /// Part of a multi-packet transmission.
    pub const MULTI_PACKET: u8 = 0x80;
    /// First packet of a multi-packet transmission.
    pub const FIRST_PACKET: u8 = 0x40;
    /// Toggle bit: alternates with each new packet; a repeat with the same value is a duplicate.
    pub const TOGGLE: u8 = 0x20;
    /// Data format (bits 0-1): 0 = PSEM.
    pub const DATA_FORMAT: u8 = 0x03;
}

/// A checked C12.18 packet (zero-copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    buf: &'a [u8],
}

impl<'a> Packet<'a> {
    /// Validates one complete packet: start byte, length and CRC. Trailing bytes are an error.
    pub fn new_checked(buf: &'a [u8]) -> Result<Self> {
        let (p, used) = Self::parse_prefix(buf)?;
        if used != buf.len() {
            return Err(Error::length("packet length", used, buf.len()));
        }
        Ok(p)
    }

    /// Parses the packet at the start of `buf`, returning it and its length.
    pub fn parse_prefix(buf: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(buf);
        let start = c.read_u8()?;
        if start != START {
            return Err(Error::malformed("start byte", "expected 0xee"));
        }
        c.skip(3)?;
        let len = usize::from(c.read_u16_be()?);
        if len > MAX_DATA_LEN {
            return Err(Error::length("packet length", MAX_DATA_LEN, len));
        }
        c.skip(len.saturating_add(CRC_LEN))?;
        let total = HEADER_LEN.saturating_add(len).saturating_add(CRC_LEN);
        let buf = buf.get(..total).ok_or(Error::truncated(CRC_LEN))?;
        let body = buf.get(..total.saturating_sub(CRC_LEN)).unwrap_or(&[]);
        let crc_bytes = buf.get(total.saturating_sub(CRC_LEN)..).unwrap_or(&[]);
        let actual = Cursor::new(crc_bytes).read_u16_le()?;
        let expected = CRC16_X25.checksum(body);
        if expected != actual {
            return Err(Error::checksum(
                "crc",
                u32::from(expected),
                u32::from(actual),
            ));
        }
        Ok((Packet { buf }, total))
    }

    /// The whole packet.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }
    fn byte(&self, i: usize) -> u8 {
        self.buf.get(i).copied().unwrap_or(0)
    }
    /// Identity byte (0 in C12.18).
    pub fn identity(&self) -> u8 {
        self.byte(field::IDENTITY)
    }
    /// Control byte.
    pub fn control(&self) -> u8 {
        self.byte(field::CONTROL)
    }
    bit_flags! { (self.control())
        /// Part of a multi-packet transmission.
        pub fn multi_packet = control::MULTI_PACKET;
        /// First packet of a multi-packet transmission.
        pub fn first_packet = control::FIRST_PACKET;
        /// The toggle bit.
        pub fn toggle = control::TOGGLE;
    }
    /// Data format (0 = PSEM).
    pub fn data_format(&self) -> u8 {
        self.control() & control::DATA_FORMAT
    }
    /// Packets still to come (0 = last or single).
    pub fn seq(&self) -> u8 {
        self.byte(field::SEQ)
    }
    /// Data length.
    pub fn length(&self) -> u16 {
        u16::from_be_bytes([self.byte(4), self.byte(5)])
    }
    /// The data (a PSEM message or part of one).
    pub fn data(&self) -> &'a [u8] {
        let end = self.buf.len().saturating_sub(CRC_LEN);
        self.buf.get(HEADER_LEN..end).unwrap_or(&[])
    }
    /// The departures from the standard: a data format other than 0 (PSEM) is reserved.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let f = self.data_format();
        (f != 0)
            .then_some(Diagnostic::with_value(
                DiagnosticKind::ReservedCode,
                "control data format",
                "reserved data format (0 = psem)",
                u64::from(f),
            ))
            .into_iter()
    }
    /// The CRC as sent.
    pub fn crc(&self) -> u16 {
        let n = self.buf.len();
        u16::from_le_bytes([
            self.byte(n.saturating_sub(2)),
            self.byte(n.saturating_sub(1)),
        ])
    }
}

/// An owned-fields description of a packet, for encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PacketRepr<'a> {
    /// Identity byte.
    pub identity: u8,
    /// Control byte (see [`control`]).
    pub control: u8,
    /// Packets still to come.
    pub seq: u8,
    /// The data.
    pub data: &'a [u8],
}

impl<'a> PacketRepr<'a> {
    /// A single-packet PSEM message (toggle bit clear; see [`PacketRepr::with_toggle`]).
    pub fn single(data: &'a [u8]) -> Self {
        PacketRepr {
            identity: 0,
            control: 0,
            seq: 0,
            data,
        }
    }
    /// Sets or clears the toggle bit.
    pub fn with_toggle(mut self, toggle: bool) -> Self {
        if toggle {
            self.control |= control::TOGGLE;
        } else {
            self.control &= !control::TOGGLE;
        }
        self
    }
    /// The fields of a parsed packet.
    pub fn parse(p: &Packet<'a>) -> Self {
        PacketRepr {
            identity: p.identity(),
            control: p.control(),
            seq: p.seq(),
            data: p.data(),
        }
    }
}

impl Encode for PacketRepr<'_> {
    fn encoded_len(&self) -> usize {
        self.data.len().saturating_add(OVERHEAD)
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = u16::try_from(self.data.len())
            .ok()
            .filter(|&l| usize::from(l) <= MAX_DATA_LEN)
            .ok_or(EncodeError::Invalid {
                field: "length",
                reason: "at most 8184 data bytes per packet",
            })?;
        let total = self.encoded_len();
        let mut w = Writer::new(out);
        w.write_u8(START)?;
        w.write_u8(self.identity)?;
        w.write_u8(self.control)?;
        w.write_u8(self.seq)?;
        w.write_u16_be(len)?;
        w.write_bytes(self.data)?;
        let crc = CRC16_X25.checksum(w.written());
        w.write_u16_le(crc)?;
        Ok(total)
    }
}

/// Splits a PSEM message into packets of at most `max_data` data bytes, toggling from
/// a clear toggle bit (see [`Packets::first_toggle`]). A message that fits in one packet
/// gives one single packet. The sequence number is one byte, so a transmission has at
/// most 256 packets: `max_data` is raised as needed to respect that.
pub fn packetize(message: &[u8], max_data: usize) -> Packets<'_> {
    let max_data = max_data
        .max(message.len().div_ceil(256))
        .clamp(1, MAX_DATA_LEN);
    Packets {
        message,
        max_data,
        n: message.len().div_ceil(max_data).max(1),
        i: 0,
        first_toggle: false,
    }
}

/// The packets of one message, from [`packetize`].
#[derive(Debug, Clone)]
pub struct Packets<'a> {
    message: &'a [u8],
    max_data: usize,
    n: usize,
    i: usize,
    first_toggle: bool,
}

impl Packets<'_> {
    /// The toggle bit of the first packet (it alternates from there).
    pub fn first_toggle(mut self, toggle: bool) -> Self {
        self.first_toggle = toggle;
        self
    }
}

impl<'a> Iterator for Packets<'a> {
    type Item = PacketRepr<'a>;
    fn next(&mut self) -> Option<PacketRepr<'a>> {
        let i = self.i;
        if i >= self.n {
            return None;
        }
        self.i = i.saturating_add(1);
        let start = i.saturating_mul(self.max_data);
        let end = start.saturating_add(self.max_data).min(self.message.len());
        let data = self.message.get(start..end).unwrap_or(&[]);
        let toggle = self.first_toggle ^ (i % 2 == 1);
        let mut c = if toggle { control::TOGGLE } else { 0 };
        if self.n > 1 {
            c |= control::MULTI_PACKET;
            if i == 0 {
                c |= control::FIRST_PACKET;
            }
        }
        let remaining = self.n.saturating_sub(i).saturating_sub(1);
        Some(PacketRepr {
            identity: 0,
            control: c,
            seq: u8::try_from(remaining).unwrap_or(u8::MAX),
            data,
        })
    }
}

/// What travels on the optical link: a packet or a single ACK/NAK byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFrame<'a> {
    /// `0x06`.
    Ack,
    /// `0x15`.
    Nak,
    /// A checked packet.
    Packet(Packet<'a>),
}

/// Streaming framer for C12.18 packets and ACK/NAK bytes (the link layer: start byte,
/// length, CRC). [`crate::stack::C1218Framer`] adds reassembly and PSEM.
#[derive(Debug, Clone, Default)]
pub struct PacketFramer {
    strictness: Strictness,
}

impl PacketFramer {
    /// A new (lenient) framer.
    pub fn new() -> Self {
        PacketFramer {
            strictness: Strictness::Lenient,
        }
    }
    meterwire_core::strictness_builders!(non_const strictness);
}

impl Framer for PacketFramer {
    type Frame<'a> = LinkFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<LinkFrame<'a>>> {
        let Some(&first) = input.first() else {
            return incomplete(Needed::at_least(1));
        };
        match first {
            ACK => {
                return Ok(Decoded::Frame {
                    frame: LinkFrame::Ack,
                    consumed: 1,
                });
            }
            NAK => {
                return Ok(Decoded::Frame {
                    frame: LinkFrame::Nak,
                    consumed: 1,
                });
            }
            START => {}
            _ => {
                return Err(Error::malformed(
                    "start byte",
                    "expected 0xee, 0x06 or 0x15",
                ));
            }
        }
        if input.len() < HEADER_LEN {
            return incomplete(Needed::at_least(HEADER_LEN.saturating_sub(input.len())));
        }
        let len = usize::from(u16::from_be_bytes([
            input.get(4).copied().unwrap_or(0),
            input.get(5).copied().unwrap_or(0),
        ]));
        if len > MAX_DATA_LEN {
            return Err(Error::length("packet length", MAX_DATA_LEN, len));
        }
        let total = len.saturating_add(OVERHEAD);
        if input.len() < total {
            return incomplete(Needed::exact(total.saturating_sub(input.len())));
        }
        let (p, used) = Packet::parse_prefix(input)?;
        crate::c1222::check(self.strictness, p.diagnostics())?;
        Ok(Decoded::Frame {
            frame: LinkFrame::Packet(p),
            consumed: used,
        })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        // the next byte `decode` could take as a frame start: a packet, an ACK or a
        // NAK (skipping only to 0xEE made the events depend on where a stream was
        // cut: found by the stream_props fuzzer)
        input
            .iter()
            .skip(1)
            .position(|&b| matches!(b, START | ACK | NAK))
            .map_or(input.len(), |p| p.saturating_add(1))
            .max(1)
    }
}

/// Whether a received packet is new or a retransmission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// A new packet: ACK it and use it.
    New,
    /// Same toggle bit as the previous packet: ACK it and discard it.
    Duplicate,
}

/// Tracks the toggle bit of one direction (C12.18 clause 6.3.2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToggleState {
    last: Option<bool>,
}

impl ToggleState {
    /// A fresh state (the first packet is always new).
    pub const fn new() -> Self {
        ToggleState { last: None }
    }
    /// Classifies `p` and remembers its toggle bit.
    pub fn accept(&mut self, p: &Packet<'_>) -> Delivery {
        let t = p.toggle();
        let d = if self.last == Some(t) {
            Delivery::Duplicate
        } else {
            Delivery::New
        };
        self.last = Some(t);
        d
    }
    /// The toggle bit to use for the next packet this side sends, and flips it.
    pub fn next_to_send(&mut self) -> bool {
        let t = !self.last.unwrap_or(true);
        self.last = Some(t);
        t
    }
}

/// Joins the packets of a multi-packet transmission into a caller's buffer: any
/// `B: AsMut<[u8]>` (`&mut [u8]`, `&mut [u8; N]`, or a `Vec<u8>` with `alloc`).
#[derive(Debug, Clone)]
pub struct Reassembler<B> {
    buf: B,
    len: usize,
    expected_seq: Option<u8>,
}

impl<B: AsMut<[u8]>> Reassembler<B> {
    /// Reassembles into `buf` (its length is the largest message accepted).
    pub fn new(buf: B) -> Self {
        Reassembler {
            buf,
            len: 0,
            expected_seq: None,
        }
    }

    /// The buffer's length: the largest message accepted.
    pub fn capacity(&mut self) -> usize {
        self.buf.as_mut().len()
    }

    /// True while a multi-packet transmission is incomplete.
    pub fn in_progress(&self) -> bool {
        self.expected_seq.is_some()
    }

    /// Drops a partial transmission.
    pub fn reset(&mut self) {
        self.len = 0;
        self.expected_seq = None;
    }

    fn append(&mut self, data: &[u8]) -> Result<()> {
        let end = self.len.saturating_add(data.len());
        let dst = self
            .buf
            .as_mut()
            .get_mut(self.len..end)
            .ok_or(Error::length("reassembly buffer", end, self.len))?;
        dst.copy_from_slice(data);
        self.len = end;
        Ok(())
    }

    /// Adds a (new, not duplicate) packet. Returns the complete PSEM message when
    /// `p` is a single packet or the last one of a transmission.
    pub fn push(&mut self, p: &Packet<'_>) -> Result<Option<&[u8]>> {
        if !p.multi_packet() {
            if self.in_progress() {
                self.reset();
                return Err(Error::malformed(
                    "multi-packet transmission",
                    "single packet before the last packet",
                ));
            }
            self.len = 0;
            self.append(p.data())?;
            return Ok(self.buf.as_mut().get(..self.len));
        }
        if p.first_packet() {
            self.reset();
        } else {
            match self.expected_seq {
                Some(s) if s == p.seq() => {}
                Some(_) => {
                    self.reset();
                    return Err(Error::malformed("seq", "packet out of sequence"));
                }
                None => {
                    return Err(Error::malformed(
                        "multi-packet transmission",
                        "continuation without a first packet",
                    ));
                }
            }
        }
        if let Err(e) = self.append(p.data()) {
            self.reset();
            return Err(e);
        }
        match p.seq().checked_sub(1) {
            Some(next) => {
                self.expected_seq = Some(next);
                Ok(None)
            }
            None => {
                self.expected_seq = None;
                Ok(self.buf.as_mut().get(..self.len))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ident_request_from_fact_sheet() {
        let raw = [0xee, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x13, 0x10];
        let p = Packet::new_checked(&raw).unwrap();
        assert_eq!(p.data(), &[0x20]);
        assert_eq!(p.crc(), 0x1013);
        let mut out = [0u8; 9];
        PacketRepr::parse(&p).encode(&mut out).unwrap();
        assert_eq!(out, raw);
    }
}

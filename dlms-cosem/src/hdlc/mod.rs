//! HDLC framing for DLMS/COSEM (IEC 62056-46 / DLMS UA Green Book clause 8.4, "3-layer,
//! connection-oriented, HDLC based communication profile").
//!
//! Frame layout between two 0x7E flags: frame format (type 0xA, segmentation bit,
//! 11-bit length), destination and source addresses (1, 2 or 4 bytes, extension bit in
//! the LSB), control byte, HCS (only when an information field follows), information
//! field, FCS. HCS and FCS are CRC-16/X.25 stored little-endian.
//!
//! [`HdlcFramer`] cuts frames from a byte stream; [`Reassembler`] joins segmented
//! I-/UI-frames into one APDU over a caller buffer; [`HdlcRepr`] encodes; [`Segmenter`]
//! splits a long APDU into frames; [`HdlcParameters`] is the SNRM/UA negotiation.

use crate::error::{Error, Result};
use meterwire_core::crc::CRC16_X25;
use meterwire_core::{Cursor, Decoded, Encode, EncodeError, Framer, Needed};

/// The HDLC flag.
pub const FLAG: u8 = 0x7E;
/// LLC header of a command (client to server): destination LSAP, source LSAP, quality.
pub const LLC_COMMAND: [u8; 3] = [0xE6, 0xE6, 0x00];
/// LLC header of a response (server to client).
pub const LLC_RESPONSE: [u8; 3] = [0xE6, 0xE7, 0x00];
/// Largest frame length the 11-bit length field can carry.
pub const MAX_FRAME_LEN: usize = 0x7FF;

/// Frame format field layout.
mod field {
    /// Frame type 3 in the top nibble (0xA).
    pub const TYPE_MASK: u16 = 0xF000;
    /// Frame type 3 value.
    pub const TYPE_3: u16 = 0xA000;
    /// Segmentation bit.
    pub const SEGMENT: u16 = 0x0800;
    /// Length bits.
    pub const LENGTH: u16 = 0x07FF;
}

/// An HDLC address: 1, 2 or 4 bytes on the wire, LSB of each byte is the extension bit.
///
/// Server addresses of 2 or 4 bytes carry an upper (logical device) and a lower
/// (physical device) HDLC address; a 1-byte address has only `upper`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Address {
    /// Upper HDLC address (the whole address when `size == 1`).
    pub upper: u16,
    /// Lower HDLC address (2- and 4-byte addresses).
    pub lower: Option<u16>,
    /// Bytes on the wire: 1, 2 or 4.
    pub size: u8,
}

impl Address {
    /// A 1-byte address (client SAPs, e.g. 0x10 public client): value 0..=0x7F.
    pub const fn one(value: u8) -> Self {
        Address {
            upper: value as u16,
            lower: None,
            size: 1,
        }
    }
    /// A 2-byte server address: upper and lower 0..=0x7F.
    pub const fn two(upper: u8, lower: u8) -> Self {
        Address {
            upper: upper as u16,
            lower: Some(lower as u16),
            size: 2,
        }
    }
    /// A 4-byte server address: upper and lower 0..=0x3FFF.
    pub const fn four(upper: u16, lower: u16) -> Self {
        Address {
            upper,
            lower: Some(lower),
            size: 4,
        }
    }

    fn parse(c: &mut Cursor<'_>) -> Result<Self> {
        let mut bytes = [0u8; 4];
        let mut n = 0usize;
        loop {
            let b = c.read_u8()?;
            let slot = bytes
                .get_mut(n)
                .ok_or(Error::malformed("hdlc address", "longer than 4 bytes"))?;
            *slot = b >> 1;
            n = n.saturating_add(1);
            if b & 1 == 1 {
                break;
            }
        }
        let [b0, b1, b2, b3] = bytes;
        match n {
            1 => Ok(Address::one(b0)),
            2 => Ok(Address::two(b0, b1)),
            4 => Ok(Address::four(
                (u16::from(b0) << 7) | u16::from(b1),
                (u16::from(b2) << 7) | u16::from(b3),
            )),
            _ => Err(Error::malformed("hdlc address", "must be 1, 2 or 4 bytes")),
        }
    }

    fn bytes(&self) -> Result<([u8; 4], usize), EncodeError> {
        let bad = EncodeError::Invalid {
            field: "hdlc address",
            reason: "value out of range for its size",
        };
        let lower = self.lower.unwrap_or(0);
        match self.size {
            1 if self.upper <= 0x7F && self.lower.is_none() => {
                Ok(([((self.upper as u8) << 1) | 1, 0, 0, 0], 1))
            }
            2 if self.upper <= 0x7F && lower <= 0x7F => {
                Ok(([(self.upper as u8) << 1, ((lower as u8) << 1) | 1, 0, 0], 2))
            }
            4 if self.upper <= 0x3FFF && lower <= 0x3FFF => Ok((
                [
                    ((self.upper >> 7) as u8) << 1,
                    ((self.upper & 0x7F) as u8) << 1,
                    ((lower >> 7) as u8) << 1,
                    (((lower & 0x7F) as u8) << 1) | 1,
                ],
                4,
            )),
            _ => Err(bad),
        }
    }
}

/// The control field (Green Book 8.4.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", rename_all = "UPPERCASE"))]
pub enum Control {
    /// Information frame.
    I {
        /// Send sequence number N(S), 0..=7.
        ns: u8,
        /// Receive sequence number N(R), 0..=7.
        nr: u8,
        /// Poll/final bit.
        pf: bool,
    },
    /// Receive ready.
    RR {
        /// N(R).
        nr: u8,
        /// Poll/final bit.
        pf: bool,
    },
    /// Receive not ready.
    RNR {
        /// N(R).
        nr: u8,
        /// Poll/final bit.
        pf: bool,
    },
    /// Set normal response mode (0x83 / 0x93).
    SNRM {
        /// Poll bit.
        pf: bool,
    },
    /// Disconnect (0x43 / 0x53).
    DISC {
        /// Poll bit.
        pf: bool,
    },
    /// Unnumbered acknowledge (0x63 / 0x73).
    UA {
        /// Final bit.
        pf: bool,
    },
    /// Disconnected mode (0x0F / 0x1F).
    DM {
        /// Final bit.
        pf: bool,
    },
    /// Frame reject (0x87 / 0x97).
    FRMR {
        /// Final bit.
        pf: bool,
    },
    /// Unnumbered information (0x03 / 0x13).
    UI {
        /// Poll/final bit.
        pf: bool,
    },
}

impl Control {
    /// Decodes a control byte.
    pub fn from_byte(b: u8) -> Result<Self> {
        let pf = b & 0x10 != 0;
        let nr = b >> 5;
        if b & 1 == 0 {
            return Ok(Control::I {
                ns: (b >> 1) & 7,
                nr,
                pf,
            });
        }
        match b & 0x0F {
            0x01 => return Ok(Control::RR { nr, pf }),
            0x05 => return Ok(Control::RNR { nr, pf }),
            _ => {}
        }
        match b & !0x10 {
            0x83 => Ok(Control::SNRM { pf }),
            0x43 => Ok(Control::DISC { pf }),
            0x63 => Ok(Control::UA { pf }),
            0x0F => Ok(Control::DM { pf }),
            0x87 => Ok(Control::FRMR { pf }),
            0x03 => Ok(Control::UI { pf }),
            _ => Err(Error::unsupported("hdlc control", u32::from(b))),
        }
    }

    /// Encodes the control byte.
    pub fn to_byte(self) -> u8 {
        let p = |pf: bool| if pf { 0x10u8 } else { 0 };
        match self {
            Control::I { ns, nr, pf } => ((nr & 7) << 5) | p(pf) | ((ns & 7) << 1),
            Control::RR { nr, pf } => ((nr & 7) << 5) | p(pf) | 0x01,
            Control::RNR { nr, pf } => ((nr & 7) << 5) | p(pf) | 0x05,
            Control::SNRM { pf } => 0x83 | p(pf),
            Control::DISC { pf } => 0x43 | p(pf),
            Control::UA { pf } => 0x63 | p(pf),
            Control::DM { pf } => 0x0F | p(pf),
            Control::FRMR { pf } => 0x87 | p(pf),
            Control::UI { pf } => 0x03 | p(pf),
        }
    }

    /// Short name: "I", "RR", "RNR", "SNRM", "DISC", "UA", "DM", "FRMR", "UI".
    pub const fn name(self) -> &'static str {
        match self {
            Control::I { .. } => "I",
            Control::RR { .. } => "RR",
            Control::RNR { .. } => "RNR",
            Control::SNRM { .. } => "SNRM",
            Control::DISC { .. } => "DISC",
            Control::UA { .. } => "UA",
            Control::DM { .. } => "DM",
            Control::FRMR { .. } => "FRMR",
            Control::UI { .. } => "UI",
        }
    }

    /// The poll/final bit.
    pub const fn pf(self) -> bool {
        match self {
            Control::I { pf, .. }
            | Control::RR { pf, .. }
            | Control::RNR { pf, .. }
            | Control::SNRM { pf }
            | Control::DISC { pf }
            | Control::UA { pf }
            | Control::DM { pf }
            | Control::FRMR { pf }
            | Control::UI { pf } => pf,
        }
    }
}

/// The LLC header found at the start of an information field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Llc {
    /// E6 E6 00: client to server.
    Command,
    /// E6 E7 00: server to client.
    Response,
}

/// One checked HDLC frame, borrowed from the input (flags excluded from `raw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HdlcFrame<'a> {
    raw: &'a [u8],
    /// Segmentation bit: more segments of this APDU follow.
    pub segmented: bool,
    /// Destination address.
    pub destination: Address,
    /// Source address.
    pub source: Address,
    /// Control field.
    pub control: Control,
    /// The information field (LLC header included when present), empty if none.
    pub info: &'a [u8],
}

/// Checks the CRC-16/X.25 of `bytes[..end]` against the little-endian pair at `end`
/// (the HCS after the header, the FCS after the body).
#[inline]
fn check_crc(field: &'static str, bytes: &[u8], end: usize) -> Result<()> {
    let sum = bytes.get(end..end.saturating_add(2)).unwrap_or(&[]);
    let found = u16::from_le_bytes([
        sum.first().copied().unwrap_or(0),
        sum.get(1).copied().unwrap_or(0),
    ]);
    let expected = CRC16_X25.checksum(bytes.get(..end).unwrap_or(&[]));
    if found != expected {
        return Err(Error::checksum(field, expected, found));
    }
    Ok(())
}

impl<'a> HdlcFrame<'a> {
    /// Parses one complete frame *with* its flags (`7E ... 7E`); trailing bytes are an error.
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        let inner = match input {
            [FLAG, inner @ .., FLAG] => inner,
            _ => {
                return Err(Error::malformed(
                    "hdlc flag",
                    "frame must start and end with 0x7e",
                ));
            }
        };
        let f = Self::parse_inner(inner)?;
        Ok(f)
    }

    /// Parses the bytes between the flags and checks HCS and FCS.
    pub fn parse_inner(inner: &'a [u8]) -> Result<Self> {
        let mut c = Cursor::new(inner);
        let format = c.read_u16_be()?;
        if format & field::TYPE_MASK != field::TYPE_3 {
            return Err(Error::malformed("hdlc frame format", "type must be 0xa"));
        }
        let len = usize::from(format & field::LENGTH);
        if len != inner.len() {
            return Err(Error::length("hdlc frame length", len, inner.len()));
        }
        let destination = Address::parse(&mut c)?;
        let source = Address::parse(&mut c)?;
        let control = Control::from_byte(c.read_u8()?)?;
        let header_len = c.position();
        let body_end = len.checked_sub(2).ok_or(Error::length(
            "hdlc frame length",
            header_len.saturating_add(2),
            len,
        ))?;
        if body_end < header_len {
            return Err(Error::length(
                "hdlc frame length",
                header_len.saturating_add(2),
                len,
            ));
        }
        let info = if body_end > header_len {
            let hcs_end = header_len.saturating_add(2);
            if body_end < hcs_end {
                return Err(Error::length(
                    "hdlc frame length",
                    hcs_end.saturating_add(2),
                    len,
                ));
            }
            check_crc("hdlc hcs", inner, header_len)?;
            inner.get(hcs_end..body_end).unwrap_or(&[])
        } else {
            &[]
        };
        check_crc("hdlc fcs", inner, body_end)?;
        Ok(HdlcFrame {
            raw: inner,
            segmented: format & field::SEGMENT != 0,
            destination,
            source,
            control,
            info,
        })
    }

    /// The frame bytes between the flags.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The LLC header at the start of the information field, if any.
    pub fn llc(&self) -> Option<Llc> {
        match self.info.get(..3) {
            Some([0xE6, 0xE6, 0x00]) => Some(Llc::Command),
            Some([0xE6, 0xE7, 0x00]) => Some(Llc::Response),
            _ => None,
        }
    }

    /// The information field without the LLC header (the APDU or APDU segment).
    pub fn payload(&self) -> &'a [u8] {
        if self.llc().is_some() {
            self.info.get(3..).unwrap_or(&[])
        } else {
            self.info
        }
    }

    /// The SNRM/UA parameter negotiation in the information field, if this frame has one.
    pub fn parameters(&self) -> Option<Result<HdlcParameters>> {
        match self.control {
            Control::SNRM { .. } | Control::UA { .. } if !self.info.is_empty() => {
                Some(HdlcParameters::parse(self.info))
            }
            _ => None,
        }
    }

    /// The encoder view of this frame.
    pub fn repr(&self) -> HdlcRepr<'a> {
        HdlcRepr {
            segmented: self.segmented,
            destination: self.destination,
            source: self.source,
            control: self.control,
            info: self.info,
        }
    }
}

/// An HDLC frame to encode (flags, HCS and FCS are computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HdlcRepr<'a> {
    /// Segmentation bit.
    pub segmented: bool,
    /// Destination address.
    pub destination: Address,
    /// Source address.
    pub source: Address,
    /// Control field.
    pub control: Control,
    /// Information field (include the LLC header yourself, e.g. [`LLC_COMMAND`]).
    pub info: &'a [u8],
}

impl HdlcRepr<'_> {
    fn header_len(&self) -> usize {
        2usize
            .saturating_add(usize::from(self.destination.size))
            .saturating_add(usize::from(self.source.size))
            .saturating_add(1)
    }

    fn frame_len(&self) -> usize {
        let h = self.header_len();
        if self.info.is_empty() {
            h.saturating_add(2)
        } else {
            h.saturating_add(4).saturating_add(self.info.len())
        }
    }
}

impl Encode for HdlcRepr<'_> {
    fn encoded_len(&self) -> usize {
        self.frame_len().saturating_add(2)
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = self.frame_len();
        if len > MAX_FRAME_LEN {
            return Err(EncodeError::Invalid {
                field: "hdlc frame length",
                reason: "at most 2047 bytes; segment the information field",
            });
        }
        let (d, dn) = self.destination.bytes()?;
        let (s, sn) = self.source.bytes()?;
        crate::util::encode_with(out, self.encoded_len(), |w| {
            w.write_u8(FLAG)?;
            let seg = if self.segmented { field::SEGMENT } else { 0 };
            w.write_u16_be(field::TYPE_3 | seg | len as u16)?;
            w.write_bytes(d.get(..dn).unwrap_or(&[]))?;
            w.write_bytes(s.get(..sn).unwrap_or(&[]))?;
            w.write_u8(self.control.to_byte())?;
            if !self.info.is_empty() {
                let hcs = CRC16_X25.checksum(w.written().get(1..).unwrap_or(&[]));
                w.write_u16_le(hcs)?;
                w.write_bytes(self.info)?;
            }
            let fcs = CRC16_X25.checksum(w.written().get(1..).unwrap_or(&[]));
            w.write_u16_le(fcs)?;
            w.write_u8(FLAG)
        })
    }
}

/// SNRM/UA parameter negotiation (Green Book 8.4.5.3.2; ISO/IEC 13239 format 0x81, group 0x80).
///
/// Absent parameters take the defaults (128 bytes, window 1) on the link; here they are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HdlcParameters {
    /// Maximum information field length, transmit (parameter 0x05).
    pub max_info_tx: Option<u32>,
    /// Maximum information field length, receive (parameter 0x06).
    pub max_info_rx: Option<u32>,
    /// Window size, transmit (parameter 0x07).
    pub window_tx: Option<u32>,
    /// Window size, receive (parameter 0x08).
    pub window_rx: Option<u32>,
}

impl HdlcParameters {
    /// Parses the information field of a SNRM or UA frame.
    pub fn parse(info: &[u8]) -> Result<Self> {
        let mut c = Cursor::new(info);
        if c.read_u8()? != 0x81 {
            return Err(Error::malformed(
                "hdlc parameters",
                "format identifier must be 0x81",
            ));
        }
        if c.read_u8()? != 0x80 {
            return Err(Error::malformed(
                "hdlc parameters",
                "group identifier must be 0x80",
            ));
        }
        let glen = usize::from(c.read_u8()?);
        let group = c.take(glen)?;
        if !c.is_empty() {
            return Err(Error::length(
                "hdlc parameters",
                glen,
                info.len().saturating_sub(3),
            ));
        }
        let mut g = Cursor::new(group);
        let mut out = HdlcParameters::default();
        while !g.is_empty() {
            let id = g.read_u8()?;
            let n = usize::from(g.read_u8()?);
            if n > 4 {
                return Err(Error::malformed(
                    "hdlc parameter",
                    "value longer than 4 bytes",
                ));
            }
            let v = g.read_uint_be(n)? as u32;
            match id {
                0x05 => out.max_info_tx = Some(v),
                0x06 => out.max_info_rx = Some(v),
                0x07 => out.window_tx = Some(v),
                0x08 => out.window_rx = Some(v),
                _ => {} // unknown parameters are ignored (ISO/IEC 13239)
            }
        }
        Ok(out)
    }

    fn width(id: u8, v: u32) -> usize {
        if id >= 0x07 {
            4 // window sizes are sent as 4 bytes by convention (Green Book 8.4.5.3.2 example)
        } else if v <= 0xFF {
            1
        } else if v <= 0xFFFF {
            2
        } else {
            4
        }
    }

    fn items(&self) -> [(u8, Option<u32>); 4] {
        [
            (0x05, self.max_info_tx),
            (0x06, self.max_info_rx),
            (0x07, self.window_tx),
            (0x08, self.window_rx),
        ]
    }
}

impl Encode for HdlcParameters {
    fn encoded_len(&self) -> usize {
        let body = self
            .items()
            .iter()
            .filter_map(|(_id, v)| v.map(|v| 2usize.saturating_add(Self::width(*_id, v))))
            .fold(0usize, |a, b| a.saturating_add(b));
        3usize.saturating_add(body)
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let len = self.encoded_len();
        crate::util::encode_with(out, len, |w| {
            w.write_u8(0x81)?;
            w.write_u8(0x80)?;
            w.write_u8(len.saturating_sub(3) as u8)?;
            for (id, v) in self.items() {
                if let Some(v) = v {
                    let n = Self::width(id, v);
                    w.write_u8(id)?;
                    w.write_u8(n as u8)?;
                    w.write_uint_be(u64::from(v), n)?;
                }
            }
            Ok(())
        })
    }
}

/// Streaming HDLC framer: cuts checked frames from a byte stream.
///
/// Leading extra flags are skipped; a closing flag may double as the next opening flag.
#[derive(Debug, Clone, Default)]
pub struct HdlcFramer {
    /// The previous frame's closing flag can open the next frame.
    after_flag: bool,
}

impl HdlcFramer {
    /// A new framer.
    pub const fn new() -> Self {
        HdlcFramer { after_flag: false }
    }
}

impl Framer for HdlcFramer {
    type Frame<'a> = HdlcFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<HdlcFrame<'a>>> {
        // skip repeated flags (inter-frame fill); keep the last one as the opening flag
        let mut start = 0usize;
        while input.get(start) == Some(&FLAG) && input.get(start.saturating_add(1)) == Some(&FLAG) {
            start = start.saturating_add(1);
        }
        let (open, shared) = match input.get(start) {
            None => {
                return Ok(Decoded::Incomplete {
                    needed: Needed::at_least(1),
                });
            }
            Some(&FLAG) => (start.saturating_add(1), false),
            Some(b) if self.after_flag && b & 0xF0 == 0xA0 => (start, true),
            Some(_) => {
                self.after_flag = false;
                return Err(Error::malformed("hdlc flag", "frame must start with 0x7e"));
            }
        };
        let rest = input.get(open..).unwrap_or(&[]);
        let Some(fmt) = rest.get(..2) else {
            if let Some(b) = rest.first() {
                if b & 0xF0 != 0xA0 {
                    self.after_flag = false;
                    return Err(Error::malformed("hdlc frame format", "type must be 0xa"));
                }
            }
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(2usize.saturating_sub(rest.len())),
            });
        };
        let format = u16::from_be_bytes([
            fmt.first().copied().unwrap_or(0),
            fmt.get(1).copied().unwrap_or(0),
        ]);
        if format & field::TYPE_MASK != field::TYPE_3 {
            self.after_flag = false;
            return Err(Error::malformed("hdlc frame format", "type must be 0xa"));
        }
        let len = usize::from(format & field::LENGTH);
        let total = len.saturating_add(1); // frame + closing flag
        if rest.len() < total {
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(rest.len())),
            });
        }
        let inner = rest.get(..len).unwrap_or(&[]);
        if rest.get(len) != Some(&FLAG) {
            self.after_flag = false;
            return Err(Error::malformed("hdlc flag", "frame must end with 0x7e"));
        }
        let _ = shared;
        match HdlcFrame::parse_inner(inner) {
            Ok(frame) => {
                self.after_flag = true;
                Ok(Decoded::Frame {
                    frame,
                    consumed: open.saturating_add(total),
                })
            }
            Err(e) => {
                self.after_flag = false;
                Err(e)
            }
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        self.after_flag = false;
        meterwire_core::skip_to_start(input, |b| b == FLAG)
    }
}

/// Reassembles segmented HDLC information fields into one APDU over a caller buffer.
///
/// Feed every frame of one direction; frames without information (RR, RNR) are ignored.
/// The LLC header of the first segment is removed. A segment out of sequence (wrong
/// N(S), other addresses) drops the partial APDU, restarts with the new frame and reports
/// [`Error::Sequence`].
#[derive(Debug, Clone)]
pub struct Reassembler<B> {
    buf: B,
    len: usize,
    active: bool,
    done: bool,
    next_ns: Option<u8>,
    destination: Option<Address>,
    source: Option<Address>,
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Reassembler<B> {
    /// A reassembler writing into `buf` (its length is the largest APDU accepted).
    pub fn new(buf: B) -> Self {
        Reassembler {
            buf,
            len: 0,
            active: false,
            done: false,
            next_ns: None,
            destination: None,
            source: None,
        }
    }

    /// Whether a partial APDU is pending.
    pub fn in_progress(&self) -> bool {
        self.active
    }

    /// The N(S) the next I-frame segment must carry (`None` when idle or for UI segments).
    pub fn expected_ns(&self) -> Option<u8> {
        if self.active { self.next_ns } else { None }
    }

    /// Accepts `ns` as the next segment's N(S): for senders that do not advance N(S)
    /// between the segments of a push (Aidon HAN ports send every segment with N(S) = 0).
    pub fn accept_ns(&mut self, ns: u8) {
        if self.active {
            self.next_ns = Some(ns & 7);
        }
    }

    /// Feeds one frame. Returns the complete APDU (LLC removed) when this frame ends one;
    /// `Ok(None)` while more segments are expected or for frames without information.
    pub fn push(&mut self, frame: &HdlcFrame<'_>) -> Result<Option<&[u8]>> {
        if self.done {
            self.done = false;
            self.len = 0;
        }
        let ns = match frame.control {
            Control::I { ns, .. } => Some(ns),
            Control::UI { .. } => None,
            _ => return Ok(None),
        };
        let mut seq_err = None;
        if self.active {
            let same =
                self.destination == Some(frame.destination) && self.source == Some(frame.source);
            let ns_ok = match (self.next_ns, ns) {
                (Some(want), Some(got)) => want == got,
                (None, None) => true,
                _ => false,
            };
            if !same {
                seq_err = Some(Error::Sequence {
                    reason: "segment from other addresses",
                });
            } else if !ns_ok {
                seq_err = Some(Error::Sequence {
                    reason: "unexpected n(s)",
                });
            }
            if seq_err.is_some() {
                self.active = false;
                self.len = 0;
            }
        }
        let data = if self.active {
            frame.info
        } else {
            frame.payload()
        };
        if let Err(e) = crate::util::append_segment(self.buf.as_mut(), &mut self.len, data) {
            self.active = false;
            return Err(e);
        }
        if let Some(e) = seq_err {
            // restart with this frame as the first segment
            self.active = frame.segmented;
            self.destination = Some(frame.destination);
            self.source = Some(frame.source);
            self.next_ns = ns.map(|n| n.wrapping_add(1) & 7);
            if !frame.segmented {
                self.done = true;
            }
            return Err(e);
        }
        self.destination = Some(frame.destination);
        self.source = Some(frame.source);
        self.next_ns = ns.map(|n| n.wrapping_add(1) & 7);
        if frame.segmented {
            self.active = true;
            Ok(None)
        } else {
            self.active = false;
            self.done = true;
            Ok(self.buf.as_ref().get(..self.len))
        }
    }

    /// After a [`Error::Sequence`] on a final frame, the APDU formed by that frame alone.
    pub fn last_apdu(&self) -> Option<&[u8]> {
        if self.done {
            self.buf.as_ref().get(..self.len)
        } else {
            None
        }
    }

    /// Drops any partial APDU.
    pub fn reset(&mut self) {
        self.active = false;
        self.done = false;
        self.len = 0;
        self.next_ns = None;
    }
}

/// Splits an information field (LLC + APDU) into I-frames of at most `max_info` bytes.
#[derive(Debug, Clone)]
pub struct Segmenter<'a> {
    info: &'a [u8],
    max_info: usize,
    destination: Address,
    source: Address,
    ns: u8,
    nr: u8,
    first: bool,
}

impl<'a> Segmenter<'a> {
    /// Segments `info` starting at send sequence `ns`, acknowledging `nr`.
    pub fn new(
        info: &'a [u8],
        max_info: usize,
        destination: Address,
        source: Address,
        ns: u8,
        nr: u8,
    ) -> Self {
        Segmenter {
            info,
            max_info: max_info.max(1),
            destination,
            source,
            ns: ns & 7,
            nr: nr & 7,
            first: true,
        }
    }
}

impl<'a> Iterator for Segmenter<'a> {
    type Item = HdlcRepr<'a>;

    fn next(&mut self) -> Option<HdlcRepr<'a>> {
        if self.info.is_empty() && !self.first {
            return None;
        }
        self.first = false;
        let n = self.info.len().min(self.max_info);
        let (chunk, rest) = self.info.split_at_checked(n)?;
        self.info = rest;
        let repr = HdlcRepr {
            segmented: !rest.is_empty(),
            destination: self.destination,
            source: self.source,
            control: Control::I {
                ns: self.ns,
                nr: self.nr,
                pf: true,
            },
            info: chunk,
        };
        self.ns = self.ns.wrapping_add(1) & 7;
        Some(repr)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for HdlcFrame<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        self.serialize_entries(&mut m, true)?;
        m.end()
    }
}

#[cfg(feature = "serde")]
impl HdlcFrame<'_> {
    /// The frame's entries, into a map being serialized (also the stack frame's link
    /// fields); `info` (when no parameters are shown) only `with_info`.
    pub(crate) fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        m: &mut M,
        with_info: bool,
    ) -> core::result::Result<(), M::Error> {
        m.serialize_entry("frame_type", self.control.name())?;
        m.serialize_entry("control", &self.control)?;
        m.serialize_entry("segmented", &self.segmented)?;
        m.serialize_entry("destination_address", &self.destination)?;
        m.serialize_entry("source_address", &self.source)?;
        if let Some(llc) = self.llc() {
            m.serialize_entry("llc", &llc)?;
        }
        if let Some(Ok(p)) = self.parameters() {
            m.serialize_entry("parameters", &p)?;
        } else if with_info && !self.info.is_empty() {
            m.serialize_entry("info", &crate::util::HexStr(self.payload()))?;
        }
        Ok(())
    }
}

/// Split helper for tests and the CLI: `HdlcFrame` from a frame with flags.
pub fn parse_frame(input: &[u8]) -> Result<HdlcFrame<'_>> {
    HdlcFrame::parse(input)
}

#[cfg(test)]
mod tests;

//! Link layer: FT3 frames with a header CRC and 16-byte user-data blocks
//! (IEEE 1815-2012 clause 9.2).
//!
//! A frame is `05 64 LEN CTRL DEST(le) SRC(le) CRC(le)` followed by the user data in
//! blocks of 16 bytes, each followed by its CRC-16/DNP (the last block may be shorter).
//! `LEN` counts control, addresses and user data (5..=255), not the CRCs.

use crate::Error;
use meterwire_core::crc::{crc16_dnp_16, crc16_dnp_short};
use meterwire_core::{
    Decoded, Diagnostic, Encode, EncodeError, Framer, Needed, Strictness, Writer,
};

/// Layout constants of the link header.
pub mod field {
    use core::ops::Range;
    /// Start bytes 0x05 0x64.
    pub const START: Range<usize> = 0..2;
    /// Length byte.
    pub const LENGTH: usize = 2;
    /// Control byte.
    pub const CONTROL: usize = 3;
    /// Destination address, little-endian.
    pub const DESTINATION: Range<usize> = 4..6;
    /// Source address, little-endian.
    pub const SOURCE: Range<usize> = 6..8;
    /// Header CRC, little-endian, over bytes 0..8.
    pub const HEADER_CRC: Range<usize> = 8..10;
}

/// The two start bytes.
pub const START: [u8; 2] = [0x05, 0x64];
/// Header length including its CRC.
pub const HEADER_LEN: usize = 10;
/// User-data bytes per CRC block.
pub const BLOCK_LEN: usize = 16;
/// Largest user-data length (255 - 5).
pub const MAX_USER_DATA: usize = 250;
/// Largest frame on the wire (10 + 250 + 16 * 2).
pub const MAX_FRAME_LEN: usize = 292;

/// Control-byte bits.
pub mod control {
    /// Direction: set on frames from the master.
    pub const DIR: u8 = 0x80;
    /// Primary message (from the initiating station).
    pub const PRM: u8 = 0x40;
    /// Frame count bit (primary).
    pub const FCB: u8 = 0x20;
    /// Frame count valid (primary) / data flow control (secondary).
    pub const FCV: u8 = 0x10;
    /// Function code mask.
    pub const FUNCTION: u8 = 0x0F;
}

/// Number of bytes a frame with `user_data_len` user-data bytes occupies on the wire.
pub const fn frame_len(user_data_len: usize) -> usize {
    let blocks = user_data_len.div_ceil(BLOCK_LEN);
    HEADER_LEN
        .saturating_add(user_data_len)
        .saturating_add(blocks.saturating_mul(2))
}

/// The name of a link function code given the PRM bit.
pub const fn function_name(prm: bool, function: u8) -> &'static str {
    match (prm, function) {
        (true, 0) => "reset_link_states",
        (true, 1) => "reset_user_process",
        (true, 2) => "test_link_states",
        (true, 3) => "confirmed_user_data",
        (true, 4) => "unconfirmed_user_data",
        (true, 9) => "request_link_status",
        (false, 0) => "ack",
        (false, 1) => "nack",
        (false, 11) => "link_status",
        (false, 14) => "not_functioning",
        (false, 15) => "not_supported",
        _ => "reserved",
    }
}

/// Whether a link function (given PRM) is defined by IEEE 1815-2012 (obsolete 1,
/// reset user process, counts as not defined: it was removed in 1815-2010).
pub const fn function_defined(prm: bool, function: u8) -> bool {
    matches!(
        (prm, function),
        (true, 0 | 2 | 3 | 4 | 9) | (false, 0 | 1 | 11 | 14 | 15)
    )
}

/// Whether a (defined) link function carries user data: confirmed and
/// unconfirmed user data.
pub const fn function_carries_data(prm: bool, function: u8) -> bool {
    prm && matches!(function, 3 | 4)
}

meterwire_core::diagnostics! {
    /// Diagnostic: a reserved or obsolete link function code.
    pub DIAG_RESERVED_FUNCTION = ReservedCode, "link function", "reserved or obsolete link function code";
    /// Diagnostic: user data under a link function that carries none (e.g. TEST_LINK_STATES).
    pub DIAG_UNEXPECTED_DATA = UnexpectedPayload, "link user data", "user data under a link function that carries none";
    /// Diagnostic: a user-data function (3 or 4) without user data.
    pub DIAG_MISSING_DATA = OutOfRange, "link user data", "user-data link function without user data";
}

fn read_le16(buf: &[u8], at: core::ops::Range<usize>) -> u16 {
    match buf.get(at) {
        Some(&[a, b]) => u16::from_le_bytes([a, b]),
        _ => 0,
    }
}

/// `Ok` when user-data block `block`'s computed CRC `expected` matches the
/// frame's `actual`, else the block CRC error.
#[inline(always)]
fn block_crc(block: usize, expected: u16, actual: u16) -> Result<(), Error> {
    if expected == actual {
        Ok(())
    } else {
        Err(Error::BlockCrc {
            block,
            expected,
            actual,
        })
    }
}

/// Checks the start bytes, length and header CRC of a (possibly partial) frame whose
/// first `HEADER_LEN` bytes are present. Returns the total wire length.
fn check_header(header: &[u8]) -> Result<usize, Error> {
    let start = header
        .get(field::START)
        .ok_or(Error::truncated(HEADER_LEN))?;
    if start != START {
        return Err(Error::BadStart {
            found: read_le16(header, field::START).swap_bytes(),
        });
    }
    let hdr = header
        .get(..HEADER_LEN)
        .ok_or(Error::truncated(HEADER_LEN.saturating_sub(header.len())))?;
    let length = hdr.get(field::LENGTH).copied().unwrap_or(0);
    if length < 5 {
        return Err(Error::BadLength { length });
    }
    let expected = crc16_dnp_short(hdr.get(..8).unwrap_or(&[]));
    let actual = read_le16(hdr, field::HEADER_CRC);
    if expected != actual {
        return Err(Error::HeaderCrc { expected, actual });
    }
    Ok(frame_len(usize::from(length).saturating_sub(5)))
}

/// A checked, zero-copy view of one link frame (header and CRC-protected blocks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFrame<'a> {
    buf: &'a [u8],
}

impl<'a> LinkFrame<'a> {
    /// Parses one complete frame at the start of `buf` (bytes after it are ignored),
    /// checking the start bytes, the length, the header CRC and every block CRC.
    /// Short input is a truncation error.
    pub fn parse(buf: &'a [u8]) -> Result<Self, Error> {
        if buf.len() < HEADER_LEN {
            // report a bad start before a short header
            if let Some(&b) = buf.first() {
                if b != 0x05 || buf.get(1).is_some_and(|&b| b != 0x64) {
                    return Err(Error::BadStart {
                        found: u16::from_be_bytes([b, buf.get(1).copied().unwrap_or(0)]),
                    });
                }
            }
            return Err(Error::truncated(HEADER_LEN.saturating_sub(buf.len())));
        }
        let total = check_header(buf)?;
        let frame = buf
            .get(..total)
            .ok_or(Error::truncated(total.saturating_sub(buf.len())))?;
        let view = LinkFrame { buf: frame };
        view.check_blocks()?;
        Ok(view)
    }

    fn check_blocks(&self) -> Result<(), Error> {
        let body = self.buf.get(HEADER_LEN..).unwrap_or(&[]);
        // full blocks: 16 data bytes and their CRC, as fixed-size arrays
        let mut full = body.chunks_exact(BLOCK_LEN.saturating_add(2));
        let mut block = 0usize;
        for chunk in full.by_ref() {
            if let (Some(data), Some(&[c0, c1])) = (chunk.first_chunk::<16>(), chunk.get(16..)) {
                block_crc(block, crc16_dnp_16(data), u16::from_le_bytes([c0, c1]))?;
            }
            block = block.saturating_add(1);
        }
        // the last, shorter block (its CRC is the last two bytes)
        let last = full.remainder();
        if let Some((data, crc)) = last.split_at_checked(last.len().saturating_sub(2)) {
            if !crc.is_empty() {
                block_crc(block, crc16_dnp_short(data), read_le16(crc, 0..2))?;
            }
        }
        Ok(())
    }

    /// The whole frame as it was on the wire, CRCs included.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The frame's length on the wire.
    pub fn wire_len(&self) -> usize {
        self.buf.len()
    }

    /// The length byte (control + addresses + user data).
    pub fn length(&self) -> u8 {
        self.buf.get(field::LENGTH).copied().unwrap_or(0)
    }

    /// The control byte.
    pub fn control(&self) -> u8 {
        self.buf.get(field::CONTROL).copied().unwrap_or(0)
    }

    /// DIR bit: set when the frame comes from the master.
    pub fn dir(&self) -> bool {
        self.control() & control::DIR != 0
    }

    /// PRM bit: set on primary (initiating) frames.
    pub fn prm(&self) -> bool {
        self.control() & control::PRM != 0
    }

    /// FCB bit (primary frames).
    pub fn fcb(&self) -> bool {
        self.control() & control::FCB != 0
    }

    /// FCV bit (primary) — the same bit is DFC on secondary frames: see [`Self::dfc`].
    pub fn fcv(&self) -> bool {
        self.control() & control::FCV != 0
    }

    /// DFC (data flow control) on secondary frames: bit 4, the FCV position of a
    /// primary frame; `None` on primary frames.
    pub fn dfc(&self) -> Option<bool> {
        (!self.prm()).then(|| self.fcv())
    }

    /// Departures from IEEE 1815-2012 clause 9 this CRC-valid frame shows, computed
    /// from the view: a reserved or obsolete function code, user data under a function
    /// that carries none (TEST_LINK_STATES with data), a user-data function without data.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let (prm, function, has_data) = (self.prm(), self.function(), self.user_data_len() > 0);
        let defined = function_defined(prm, function);
        let carries = function_carries_data(prm, function);
        [
            (!defined).then_some(DIAG_RESERVED_FUNCTION),
            (defined && !carries && has_data).then_some(DIAG_UNEXPECTED_DATA),
            (carries && !has_data).then_some(DIAG_MISSING_DATA),
        ]
        .into_iter()
        .flatten()
    }

    /// Whether the user data goes up to transport and application: the user-data
    /// functions and, as Wireshark does, a reserved function that carries data.
    pub fn offers_user_data(&self) -> bool {
        let (prm, function) = (self.prm(), self.function());
        self.user_data_len() > 0
            && (function_carries_data(prm, function) || !function_defined(prm, function))
    }

    /// The 4-bit link function code.
    pub fn function(&self) -> u8 {
        self.control() & control::FUNCTION
    }

    /// The function's name (see [`function_name`]).
    pub fn function_name(&self) -> &'static str {
        function_name(self.prm(), self.function())
    }

    /// Destination address.
    pub fn destination(&self) -> u16 {
        read_le16(self.buf, field::DESTINATION)
    }

    /// Source address.
    pub fn source(&self) -> u16 {
        read_le16(self.buf, field::SOURCE)
    }

    /// The header CRC as found in the frame.
    pub fn header_crc(&self) -> u16 {
        read_le16(self.buf, field::HEADER_CRC)
    }

    /// Number of user-data bytes (length - 5).
    pub fn user_data_len(&self) -> usize {
        usize::from(self.length()).saturating_sub(5)
    }

    /// The header as an owned [`LinkHeader`].
    pub fn header(&self) -> LinkHeader {
        LinkHeader::from_control(self.control(), self.destination(), self.source())
    }

    /// Iterates over the user-data blocks (CRCs stripped), without copying.
    pub fn blocks(&self) -> Blocks<'a> {
        Blocks {
            rest: self.buf.get(HEADER_LEN..).unwrap_or(&[]),
        }
    }

    /// The first user-data byte (the transport header), if any.
    pub fn transport_byte(&self) -> Option<u8> {
        self.buf.get(HEADER_LEN).copied()
    }

    /// Copies the user data (CRCs stripped) into `out`; returns its length.
    pub fn copy_user_data(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(out);
        for block in self.blocks() {
            w.write_bytes(block)?;
        }
        Ok(w.position())
    }

    /// The user data as a fixed-size array (no allocation) and its length.
    pub fn user_data_array(&self) -> ([u8; MAX_USER_DATA], usize) {
        let mut out = [0u8; MAX_USER_DATA];
        let n = self.copy_user_data(&mut out).unwrap_or(0);
        (out, n)
    }
}

/// Iterator over the user-data blocks of a [`LinkFrame`].
#[derive(Debug, Clone)]
pub struct Blocks<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Blocks<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.len() <= 2 {
            return None;
        }
        let data_len = self.rest.len().saturating_sub(2).min(BLOCK_LEN);
        let data = self.rest.get(..data_len)?;
        self.rest = self.rest.get(data_len.saturating_add(2)..).unwrap_or(&[]);
        Some(data)
    }
}

/// Streaming framer for link frames on a byte stream (TCP, serial), and the
/// one-shot parser ([`LinkFramer::parse`]) with the same options.
///
/// Errors name the failing check; [`Framer::resync`] skips to the next 0x05 0x64.
/// Lenient by default: a CRC-valid frame with a reserved function code or
/// unexpected user data decodes and carries [`LinkFrame::diagnostics`];
/// [`LinkFramer::strict`] rejects it with a nonconforming error.
#[derive(Debug, Default, Clone, Copy)]
pub struct LinkFramer {
    strictness: Strictness,
}

impl LinkFramer {
    /// A new (lenient) framer.
    pub const fn new() -> Self {
        LinkFramer {
            strictness: Strictness::Lenient,
        }
    }

    meterwire_core::strictness_builders!(strictness);

    /// Parses one complete frame like [`LinkFrame::parse`], then applies the strictness.
    pub fn parse<'a>(&self, buf: &'a [u8]) -> Result<LinkFrame<'a>, Error> {
        let frame = LinkFrame::parse(buf)?;
        check_link(self.strictness, &frame)?;
        Ok(frame)
    }
}

/// In strict mode, the first diagnostic of `frame` as an error.
pub(crate) fn check_link(strictness: Strictness, frame: &LinkFrame<'_>) -> Result<(), Error> {
    if strictness.is_strict() {
        if let Some(d) = frame.diagnostics().next() {
            return Err(Error::nonconforming(d));
        }
    }
    Ok(())
}

/// Decodes one link frame at the start of `input` with the streaming contract.
pub fn decode_link(input: &[u8]) -> Result<Decoded<LinkFrame<'_>>, Error> {
    match input {
        [] | [0x05] => {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(HEADER_LEN.saturating_sub(input.len())),
            });
        }
        [a, ..] if *a != 0x05 => {
            return Err(Error::BadStart {
                found: u16::from_be_bytes([*a, input.get(1).copied().unwrap_or(0)]),
            });
        }
        [a, b, ..] if *b != 0x64 => {
            return Err(Error::BadStart {
                found: u16::from_be_bytes([*a, *b]),
            });
        }
        _ => {}
    }
    if input.len() < HEADER_LEN {
        if let Some(&length) = input.get(field::LENGTH) {
            if length < 5 {
                return Err(Error::BadLength { length });
            }
        }
        return Ok(Decoded::Incomplete {
            needed: Needed::at_least(HEADER_LEN.saturating_sub(input.len())),
        });
    }
    let total = check_header(input)?;
    if input.len() < total {
        return Ok(Decoded::Incomplete {
            needed: Needed::exact(total.saturating_sub(input.len())),
        });
    }
    let frame = LinkFrame {
        buf: input.get(..total).unwrap_or(input),
    };
    frame.check_blocks()?;
    Ok(Decoded::Frame {
        frame,
        consumed: total,
    })
}

/// Bytes to drop after an error: up to the next 0x05 0x64 (or a trailing 0x05).
pub fn resync_link(input: &[u8]) -> usize {
    let mut i = 1usize;
    while let Some(&b) = input.get(i) {
        if b == 0x05 && input.get(i.saturating_add(1)).is_none_or(|&n| n == 0x64) {
            return i;
        }
        i = i.saturating_add(1);
    }
    input.len().max(1)
}

impl Framer for LinkFramer {
    type Frame<'a> = LinkFrame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<LinkFrame<'a>>, Error> {
        let d = decode_link(input)?;
        if let Decoded::Frame { frame, .. } = &d {
            check_link(self.strictness, frame)?;
        }
        Ok(d)
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        resync_link(input)
    }
}

/// The link header fields as an owned value (the `Repr` of the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkHeader {
    /// DIR: from the master.
    pub dir: bool,
    /// PRM: primary frame.
    pub prm: bool,
    /// FCB.
    pub fcb: bool,
    /// Bit 4 of the control byte: FCV on primary frames, DFC (data flow control)
    /// on secondary frames (see [`LinkHeader::dfc`]).
    pub fcv: bool,
    /// Function code, 0..=15.
    pub function: u8,
    /// Destination address.
    pub destination: u16,
    /// Source address.
    pub source: u16,
}

impl LinkHeader {
    /// Builds the header from a control byte and addresses.
    pub const fn from_control(control: u8, destination: u16, source: u16) -> Self {
        LinkHeader {
            dir: control & control::DIR != 0,
            prm: control & control::PRM != 0,
            fcb: control & control::FCB != 0,
            fcv: control & control::FCV != 0,
            function: control & control::FUNCTION,
            destination,
            source,
        }
    }

    /// An unconfirmed-user-data primary header from the master (DIR set).
    pub const fn from_master(destination: u16, source: u16) -> Self {
        LinkHeader {
            dir: true,
            ..Self::from_outstation(destination, source)
        }
    }

    /// An unconfirmed-user-data primary header from an outstation (DIR clear).
    pub const fn from_outstation(destination: u16, source: u16) -> Self {
        LinkHeader {
            dir: false,
            prm: true,
            fcb: false,
            fcv: false,
            function: 4,
            destination,
            source,
        }
    }

    /// DFC on a secondary frame (bit 4); `None` on primary frames, where it is FCV.
    pub const fn dfc(&self) -> Option<bool> {
        if self.prm { None } else { Some(self.fcv) }
    }

    /// The control byte.
    pub const fn control(&self) -> u8 {
        (if self.dir { control::DIR } else { 0 })
            | (if self.prm { control::PRM } else { 0 })
            | (if self.fcb { control::FCB } else { 0 })
            | (if self.fcv { control::FCV } else { 0 })
            | (self.function & control::FUNCTION)
    }
}

/// A link frame to encode: header plus user data, split into CRC blocks on output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkFrameRepr<'d> {
    /// The header.
    pub header: LinkHeader,
    /// The user data (transport header + application bytes), at most 250 bytes.
    pub user_data: &'d [u8],
}

impl Encode for LinkFrameRepr<'_> {
    fn encoded_len(&self) -> usize {
        frame_len(self.user_data.len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        if self.header.function > 15 {
            return Err(EncodeError::Invalid {
                field: "link function",
                reason: "at most 15",
            });
        }
        let length = u8::try_from(self.user_data.len().saturating_add(5))
            .ok()
            .filter(|_| self.user_data.len() <= MAX_USER_DATA)
            .ok_or(EncodeError::Invalid {
                field: "link user data",
                reason: "at most 250 bytes",
            })?;
        let needed = self.encoded_len();
        if out.len() < needed {
            return Err(EncodeError::BufferTooSmall {
                needed,
                available: out.len(),
            });
        }
        let mut w = Writer::new(out);
        w.write_bytes(&START)?;
        w.write_u8(length)?;
        w.write_u8(self.header.control())?;
        w.write_u16_le(self.header.destination)?;
        w.write_u16_le(self.header.source)?;
        let crc = crc16_dnp_short(w.written().get(..8).unwrap_or(&[]));
        w.write_u16_le(crc)?;
        for chunk in self.user_data.chunks(BLOCK_LEN) {
            w.write_bytes(chunk)?;
            w.write_u16_le(crc16_dnp_short(chunk))?;
        }
        Ok(w.position())
    }
}

/// An owned link frame (header + user data).
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LinkFrameOwned {
    /// The header.
    pub header: LinkHeader,
    /// The user data without CRCs.
    pub user_data: alloc::vec::Vec<u8>,
}

#[cfg(feature = "alloc")]
impl LinkFrameOwned {
    /// Copies a view.
    pub fn from_view(frame: &LinkFrame<'_>) -> Self {
        let mut user_data = alloc::vec::Vec::with_capacity(frame.user_data_len());
        for b in frame.blocks() {
            user_data.extend_from_slice(b);
        }
        LinkFrameOwned {
            header: frame.header(),
            user_data,
        }
    }

    /// The borrowed encoder.
    pub fn repr(&self) -> LinkFrameRepr<'_> {
        LinkFrameRepr {
            header: self.header,
            user_data: &self.user_data,
        }
    }
}

#[cfg(feature = "alloc")]
impl Encode for LinkFrameOwned {
    fn encoded_len(&self) -> usize {
        self.repr().encoded_len()
    }
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        self.repr().encode(out)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for LinkFrame<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut st = s.serialize_map(None)?;
        st.serialize_entry("length", &self.length())?;
        st.serialize_entry("control", &self.control())?;
        st.serialize_entry("dir", &self.dir())?;
        st.serialize_entry("prm", &self.prm())?;
        st.serialize_entry("fcb", &self.fcb())?;
        // bit 4 is FCV on primary frames and DFC on secondary frames
        st.serialize_entry(if self.prm() { "fcv" } else { "dfc" }, &self.fcv())?;
        st.serialize_entry("function", &self.function())?;
        st.serialize_entry("function_name", self.function_name())?;
        st.serialize_entry("destination", &self.destination())?;
        st.serialize_entry("source", &self.source())?;
        crate::ser::diagnostics_entry::<3, _>(&mut st, self.diagnostics())?;
        st.end()
    }
}

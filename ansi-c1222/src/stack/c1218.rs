//! C12.18 stack: packets -> duplicates and reassembly -> PSEM with pairing.

use crate::c1218::{LinkFrame, PacketFramer, Reassembler};
use crate::c1222::{check, owned};
use crate::error::{Error, Result};
use crate::psem::Answered;
use crate::psem::{Message, Service, Variant, service_name};
use alloc::vec;
use alloc::vec::Vec;
use meterwire_core::{Decoded, Diagnostic, Diagnostics, Framer, Strictness};

/// The default largest reassembled PSEM message (64 KiB).
pub const DEFAULT_MAX_MESSAGE: usize = 1 << 16;

meterwire_core::diagnostics! {
    /// Diagnostic: a multi-packet transmission could not be reassembled.
    UNREASSEMBLED = Unreassembled, "multi-packet transmission",
        "packet out of sequence, without a first packet, or over the maximum message size";
}

/// One link frame seen by [`C1218Framer`], with the PSEM message it completes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct C1218Frame<'a> {
    /// The link frame (packet, ACK or NAK).
    pub link: LinkFrame<'a>,
    /// Same toggle bit, length and CRC as the previous packet: a retransmission, not
    /// passed to reassembly or PSEM.
    pub duplicate: bool,
    reassembled: Option<Vec<u8>>,
    has_psem: bool,
    answers: Option<Answered>,
    diags: Diagnostics<4>,
}

impl C1218Frame<'_> {
    /// The PSEM message of this frame: a single packet's data, or on the last packet of
    /// a multi-packet transmission the reassembled message. `None` for ACK/NAK,
    /// fragments, duplicates and reserved data formats.
    pub fn psem(&self) -> Option<Message<'_>> {
        if !self.has_psem {
            return None;
        }
        let bytes = match (&self.reassembled, &self.link) {
            (Some(m), _) => m.as_slice(),
            (None, LinkFrame::Packet(p)) => p.data(),
            _ => return None,
        };
        Message::parse(bytes, Variant::C1218).ok()
    }
    /// The reassembled message, on the last packet of a multi-packet transmission.
    pub fn reassembled(&self) -> Option<&[u8]> {
        self.reassembled.as_deref()
    }
    /// For a response: the request it answers (the last request seen).
    pub fn answers(&self) -> Option<Answered> {
        self.answers
    }
    /// Departures from the standard: the packet's, the reassembly's and the PSEM
    /// message's.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        let packet = match &self.link {
            LinkFrame::Packet(p) => Some(p.diagnostics()),
            _ => None,
        };
        packet
            .into_iter()
            .flatten()
            .chain(self.diags.iter().copied())
            .chain(self.psem().into_iter().flat_map(|m| m.diagnostics()))
    }
    /// A short name: `ack`, `nak`, `fragment`, `duplicate` or the PSEM service name.
    pub fn label(&self) -> &'static str {
        match &self.link {
            LinkFrame::Ack => "ack",
            LinkFrame::Nak => "nak",
            _ if self.duplicate => "duplicate",
            LinkFrame::Packet(p) => match self.psem() {
                Some(m) => service_name(m.code()),
                None if p.multi_packet() => "fragment",
                None => "packet",
            },
        }
    }
}

/// The C12.18 stack framer: [`PacketFramer`] plus duplicate detection, multi-packet
/// reassembly (bounded by [`C1218Framer::max_message`]) and PSEM with pairing.
///
/// ```
/// use meterwire_ansi_c1222::stack::C1218Framer;
/// use meterwire_core::{Decoded, Framer};
/// // termineter 1.0.6: C1218Packet(C1218ReadRequest(1)).build()
/// let pkt = [0xee, 0, 0, 0, 0, 3, 0x30, 0x00, 0x01, 0x55, 0x0d];
/// let Ok(Decoded::Frame { frame, .. }) = C1218Framer::new().decode(&pkt) else { panic!() };
/// assert_eq!(frame.label(), "full_read");
/// ```
#[derive(Debug, Clone)]
pub struct C1218Framer {
    inner: PacketFramer,
    reassembler: Reassembler<Vec<u8>>,
    max_message: usize,
    last: Option<(bool, u16, u16)>,
    pending: Option<Answered>,
    strictness: Strictness,
    bad_len: Option<usize>,
}

impl Default for C1218Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl C1218Framer {
    /// A lenient framer reassembling messages of up to [`DEFAULT_MAX_MESSAGE`] bytes.
    pub fn new() -> Self {
        C1218Framer {
            inner: PacketFramer::new(),
            reassembler: Reassembler::new(Vec::new()),
            max_message: DEFAULT_MAX_MESSAGE,
            last: None,
            pending: None,
            strictness: Strictness::Lenient,
            bad_len: None,
        }
    }
    /// The largest reassembled message (the reassembly buffer never grows beyond it).
    pub fn max_message(mut self, n: usize) -> Self {
        self.max_message = n;
        self.reassembler = Reassembler::new(Vec::new());
        self
    }
    strictness_builders!();
    /// Bytes the reassembly buffer holds (at most the configured maximum).
    pub fn reassembly_capacity(&mut self) -> usize {
        self.reassembler.capacity()
    }

    fn psem(&mut self, bytes: &[u8], diags: &mut Diagnostics<4>) -> Result<Option<Answered>> {
        let m = Message::parse(bytes, Variant::C1218)?;
        let answers = match &m.service {
            Service::Request(r) => {
                self.pending = Some(Answered::of(r));
                None
            }
            Service::Response(_) => self.pending.take(),
        };
        match answers {
            Some(a) => a.verify_message(&m)?,
            None => crate::psem::verify_unpaired(&m)?,
        }
        check(self.strictness, m.diagnostics().chain(owned(*diags)))?;
        Ok(answers)
    }
}

impl Framer for C1218Framer {
    type Frame<'a> = C1218Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<C1218Frame<'a>>> {
        let (link, consumed) = match self.inner.decode(input)? {
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => (frame, consumed),
        };
        let mut frame = C1218Frame {
            link,
            duplicate: false,
            reassembled: None,
            has_psem: false,
            answers: None,
            diags: Diagnostics::new(),
        };
        let LinkFrame::Packet(p) = link else {
            return Ok(Decoded::Frame { frame, consumed });
        };
        let id = (p.toggle(), p.crc(), p.length());
        if self.last.replace(id) == Some(id) {
            frame.duplicate = true;
            return Ok(Decoded::Frame { frame, consumed });
        }
        if p.data_format() != 0 {
            return Ok(Decoded::Frame { frame, consumed });
        }
        if p.multi_packet() {
            if p.first_packet() && p.data().len() > self.max_message {
                frame.diags.push(UNREASSEMBLED);
            } else {
                if self.reassembler.capacity() < self.max_message {
                    self.reassembler = Reassembler::new(vec![0u8; self.max_message]);
                }
                match self.reassembler.push(&p) {
                    Ok(Some(m)) => frame.reassembled = Some(m.to_vec()),
                    Ok(None) => {}
                    Err(_) => frame.diags.push(UNREASSEMBLED),
                }
            }
        } else if self.reassembler.in_progress() {
            self.reassembler.reset();
            frame.diags.push(UNREASSEMBLED);
        }
        let bytes: Option<&[u8]> = match &frame.reassembled {
            Some(m) => Some(m),
            None if !p.multi_packet() => Some(p.data()),
            None => None,
        };
        let r = match bytes {
            Some(b) => match self.psem(b, &mut frame.diags) {
                Ok(a) => {
                    frame.has_psem = true;
                    frame.answers = a;
                    Ok(())
                }
                Err(e) => Err(e),
            },
            None => check(self.strictness, frame.diags.iter().copied()),
        };
        if let Err(e) = r {
            self.bad_len = Some(consumed);
            return Err(e);
        }
        Ok(Decoded::Frame { frame, consumed })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match self.bad_len.take() {
            Some(n) => n.clamp(1, input.len().max(1)),
            None => self.inner.resync(input),
        }
    }
}

//! The entry point for a stream of DNP3: a framer over link + transport +
//! application. Every CRC-valid link frame comes out with its transport header,
//! and the frame that completes a fragment carries the reassembled fragment (so a
//! multi-frame fragment surfaces once). Problems above the link layer (a segment
//! without FIR, a sequence gap, an oversized fragment, an application header that
//! does not parse) never reject the link frame: they are diagnostics, and strict
//! mode ([`Dnp3Framer::strict`]) turns them into errors.

use crate::Error;
use crate::app::Fragment;
use crate::link::{LinkFrame, decode_link, resync_link};
use crate::transport::{DEFAULT_MAX_FRAGMENT, Progress, Reassembler, TransportHeader};
use alloc::vec::Vec;
use meterwire_core::{Decoded, Diagnostic, Diagnostics, Framer, Strictness};

meterwire_core::diagnostics! {
    /// Diagnostic: a segment without FIR while no fragment is in progress (a capture
    /// that starts mid-message, or a lost first segment).
    pub DIAG_NO_FIRST = Unreassembled, "transport sequence", "segment without fir and no fragment in progress";
    /// Diagnostic: a sequence gap; the fragment in progress was dropped.
    pub DIAG_GAP = Unreassembled, "transport sequence", "sequence gap: the fragment in progress was dropped";
    /// Diagnostic: a repeated segment, ignored.
    pub DIAG_DUPLICATE = Unreassembled, "transport sequence", "duplicate segment ignored";
    /// Diagnostic: the fragment outgrew the reassembly limit and was dropped.
    pub DIAG_OVERFLOW = OutOfRange, "transport fragment", "fragment exceeds the reassembly limit: dropped";
    /// Diagnostic: the reassembled fragment is too short for an application header.
    pub DIAG_APP_HEADER = Unrecognized, "application header", "fragment too short for an application header";
}

/// The diagnostic a transport error becomes.
pub fn transport_diagnostic(e: &Error) -> Diagnostic {
    match e {
        Error::NoFirst { seq } => DIAG_NO_FIRST.value(u64::from(*seq)),
        Error::SequenceGap { actual, .. } => DIAG_GAP.value(u64::from(*actual)),
        Error::Duplicate { seq } => DIAG_DUPLICATE.value(u64::from(*seq)),
        Error::Overflow { actual, .. } => DIAG_OVERFLOW.value(*actual as u64),
        _ => DIAG_NO_FIRST,
    }
}

trait WithValue {
    fn value(self, v: u64) -> Diagnostic;
}
impl WithValue for Diagnostic {
    fn value(self, v: u64) -> Diagnostic {
        Diagnostic::with_value(self.kind, self.field, self.message, v)
    }
}

/// One link frame seen by [`Dnp3Framer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dnp3Frame<'a> {
    /// The link frame.
    pub link: LinkFrame<'a>,
    /// The transport header (frames whose user data goes up to transport).
    pub transport: Option<TransportHeader>,
    /// The completed fragment, on the frame that finished it.
    pub fragment: Option<Vec<u8>>,
    /// The transport error behind a transport diagnostic (gap, duplicate, overflow,
    /// no FIR): the link frame itself was still decoded.
    pub transport_error: Option<Error>,
    /// Link and transport diagnostics (application ones: [`Fragment::diagnostics`]).
    pub diagnostics: Diagnostics<4>,
}

impl Dnp3Frame<'_> {
    /// Parses the completed fragment's application header, if there is one.
    pub fn application(&self) -> Option<Result<Fragment<'_>, Error>> {
        self.fragment.as_deref().map(Fragment::parse)
    }

    /// Every diagnostic of the frame: link, transport, then application.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        let app = self.application();
        let (bad_header, frag) = match app {
            Some(Ok(f)) => (None, Some(f)),
            Some(Err(_)) => (Some(DIAG_APP_HEADER), None),
            None => (None, None),
        };
        self.diagnostics
            .iter()
            .copied()
            .chain(bad_header)
            .chain(frag.into_iter().flat_map(|f| f.diagnostics()))
    }
}

#[derive(Debug, Clone)]
struct Channel {
    key: (u16, u16),
    reassembler: Reassembler<Vec<u8>>,
}

/// Link framer plus transport reassembly, one reassembler per direction (DIR bit)
/// and address pair: the entry point for a stream of DNP3.
///
/// Memory is bounded: each of the two reassemblers holds at most `max_fragment`
/// bytes (default 2048), whatever the input. Strict mode ([`Dnp3Framer::strict`])
/// rejects a frame with any diagnostic (link, transport or application) with a
/// nonconforming error.
#[derive(Debug, Clone)]
pub struct Dnp3Framer {
    channels: [Option<Channel>; 2],
    max_fragment: usize,
    strictness: Strictness,
}

impl Default for Dnp3Framer {
    fn default() -> Self {
        Self::new()
    }
}

impl Dnp3Framer {
    /// A lenient framer whose fragments may be up to 2048 bytes.
    pub const fn new() -> Self {
        Dnp3Framer {
            channels: [None, None],
            max_fragment: DEFAULT_MAX_FRAGMENT,
            strictness: Strictness::Lenient,
        }
    }

    /// Sets the largest fragment reassembled (bytes); larger ones are dropped.
    pub fn max_fragment(mut self, max_fragment: usize) -> Self {
        self.max_fragment = max_fragment;
        self.channels = [None, None];
        self
    }

    meterwire_core::strictness_builders!(strictness);

    /// The configured fragment bound.
    pub const fn fragment_limit(&self) -> usize {
        self.max_fragment
    }

    /// Bytes currently held by the reassembly buffers (never above twice the bound).
    pub fn buffered(&self) -> usize {
        self.channels
            .iter()
            .flatten()
            .map(|c| c.reassembler.limit())
            .sum()
    }

    fn feed(&mut self, link: &LinkFrame<'_>) -> Result<Progress, Error> {
        let key = (link.source(), link.destination());
        let dir = usize::from(link.dir());
        let max = self.max_fragment;
        let slot = self.channels.get_mut(dir).ok_or(Error::truncated(1))?;
        let ch = match slot {
            Some(ch) if ch.key == key => ch,
            _ => slot.insert(Channel {
                key,
                reassembler: Reassembler::with_capacity(max),
            }),
        };
        ch.reassembler.push_frame(link)
    }

    fn fragment(&self, link: &LinkFrame<'_>) -> Option<Vec<u8>> {
        let ch = self.channels.get(usize::from(link.dir()))?.as_ref()?;
        Some(ch.reassembler.fragment().to_vec())
    }
}

impl Framer for Dnp3Framer {
    type Frame<'a> = Dnp3Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Dnp3Frame<'a>>, Error> {
        let (link, consumed) = match decode_link(input)? {
            Decoded::Incomplete { needed } => return Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => (frame, consumed),
        };
        let mut diagnostics = Diagnostics::new();
        link.diagnostics().for_each(|d| diagnostics.push(d));
        let (mut transport, mut fragment, mut transport_error) = (None, None, None);
        if link.offers_user_data() {
            transport = link.transport_byte().map(TransportHeader::from_byte);
            match self.feed(&link) {
                Ok(Progress::Complete { .. }) => fragment = self.fragment(&link),
                Ok(Progress::Partial { .. }) => {}
                Err(e) => {
                    diagnostics.push(transport_diagnostic(&e));
                    transport_error = Some(e);
                }
            }
        }
        let frame = Dnp3Frame {
            link,
            transport,
            fragment,
            transport_error,
            diagnostics,
        };
        if self.strictness.is_strict() {
            if let Some(d) = frame.all_diagnostics().next() {
                return Err(Error::nonconforming(d));
            }
        }
        Ok(Decoded::Frame { frame, consumed })
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        resync_link(input)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Dnp3Frame<'_> {
    /// `{"link", "transport"?, "application"?, "diagnostics"?}`: diagnostics (link,
    /// transport and an application header that does not parse) only when there are any.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("link", &self.link)?;
        if let Some(th) = &self.transport {
            m.serialize_entry("transport", th)?;
        }
        if let Some(Ok(f)) = self.application() {
            m.serialize_entry("application", &f)?;
        }
        let mut diags = Diagnostics::<6>::new();
        self.diagnostics.iter().for_each(|d| diags.push(*d));
        if let Some(Err(_)) = self.application() {
            diags.push(DIAG_APP_HEADER);
        }
        if !diags.is_empty() {
            m.serialize_entry("diagnostics", &diags)?;
        }
        m.end()
    }
}

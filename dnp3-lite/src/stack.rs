//! A streaming framer over link + transport + application: every link frame comes
//! out with its transport header, and the frame that completes a fragment carries
//! the reassembled fragment (so a multi-frame fragment surfaces once).

use crate::Error;
use crate::app::Fragment;
use crate::link::{LinkFrame, decode_link, resync_link};
use crate::transport::{DEFAULT_MAX_FRAGMENT, Progress, Reassembler, TransportHeader};
use alloc::vec::Vec;
use meterwire_core::{Decoded, Framer};

/// One link frame seen by [`Dnp3Framer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dnp3Frame<'a> {
    /// The link frame.
    pub link: LinkFrame<'a>,
    /// The transport header (frames with user data).
    pub transport: Option<TransportHeader>,
    /// The completed fragment, on the frame that finished it.
    pub fragment: Option<Vec<u8>>,
    /// A transport error for this segment (gap, duplicate, overflow, no FIR).
    pub transport_error: Option<Error>,
}

impl Dnp3Frame<'_> {
    /// Parses the completed fragment's application header, if there is one.
    pub fn application(&self) -> Option<Result<Fragment<'_>, Error>> {
        self.fragment.as_deref().map(Fragment::parse)
    }
}

#[derive(Debug, Clone)]
struct Channel {
    key: (u16, u16),
    reassembler: Reassembler<Vec<u8>>,
}

/// Link framer plus transport reassembly, one reassembler per direction (DIR bit)
/// and address pair.
#[derive(Debug, Clone)]
pub struct Dnp3Framer {
    channels: [Option<Channel>; 2],
    max_fragment: usize,
}

impl Default for Dnp3Framer {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_FRAGMENT)
    }
}

impl Dnp3Framer {
    /// A framer whose fragments may be up to `max_fragment` bytes.
    pub fn new(max_fragment: usize) -> Self {
        Dnp3Framer {
            channels: [None, None],
            max_fragment,
        }
    }

    fn feed(
        &mut self,
        link: &LinkFrame<'_>,
    ) -> (Option<TransportHeader>, Option<Vec<u8>>, Option<Error>) {
        let Some(th) = link.transport_byte().map(TransportHeader::from_byte) else {
            return (None, None, None);
        };
        let th = Some(th);
        let key = (link.source(), link.destination());
        let slot = self
            .channels
            .get_mut(usize::from(link.dir()))
            .and_then(Option::as_mut);
        let ch = match slot {
            Some(ch) if ch.key == key => ch,
            _ => {
                let ch = Channel {
                    key,
                    reassembler: Reassembler::with_capacity(self.max_fragment),
                };
                let dst = self.channels.get_mut(usize::from(link.dir()));
                match dst {
                    Some(d) => d.insert(ch),
                    None => return (th, None, None),
                }
            }
        };
        match ch.reassembler.push_frame(link) {
            Ok(Progress::Complete { .. }) => (th, Some(ch.reassembler.fragment().to_vec()), None),
            Ok(Progress::Partial { .. }) => (th, None, None),
            Err(e) => (th, None, Some(e)),
        }
    }
}

impl Framer for Dnp3Framer {
    type Frame<'a> = Dnp3Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Dnp3Frame<'a>>, Error> {
        match decode_link(input)? {
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => {
                let (transport, fragment, transport_error) =
                    if frame.prm() && matches!(frame.function(), 3 | 4) {
                        self.feed(&frame)
                    } else {
                        (None, None, None)
                    };
                Ok(Decoded::Frame {
                    frame: Dnp3Frame {
                        link: frame,
                        transport,
                        fragment,
                        transport_error,
                    },
                    consumed,
                })
            }
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        resync_link(input)
    }
}

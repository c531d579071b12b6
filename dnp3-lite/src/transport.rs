//! Transport function: one header byte per link frame and fragment reassembly
//! (IEEE 1815-2012 clause 8).

use crate::Error;

/// FIN bit: last segment of a fragment.
pub const FIN: u8 = 0x80;
/// FIR bit: first segment of a fragment.
pub const FIR: u8 = 0x40;
/// Sequence number mask (6 bits).
pub const SEQ: u8 = 0x3F;
/// Default maximum fragment size (IEEE 1815 default, 2048 bytes).
pub const DEFAULT_MAX_FRAGMENT: usize = 2048;

/// The transport header byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct TransportHeader {
    /// FIR: first segment.
    pub fir: bool,
    /// FIN: final segment.
    pub fin: bool,
    /// Sequence number, 0..=63.
    pub seq: u8,
}

impl TransportHeader {
    /// Decodes the header byte.
    pub const fn from_byte(b: u8) -> Self {
        TransportHeader {
            fir: b & FIR != 0,
            fin: b & FIN != 0,
            seq: b & SEQ,
        }
    }

    /// Encodes the header byte (the sequence is taken modulo 64).
    pub const fn to_byte(self) -> u8 {
        (if self.fin { FIN } else { 0 }) | (if self.fir { FIR } else { 0 }) | (self.seq & SEQ)
    }
}

/// Splits a segment (link user data) into its transport header and payload.
pub fn split_segment(segment: &[u8]) -> Result<(TransportHeader, &[u8]), Error> {
    match segment.split_first() {
        Some((&b, rest)) => Ok((TransportHeader::from_byte(b), rest)),
        None => Err(Error::truncated(1)),
    }
}

/// What [`Reassembler::push`] did with a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The segment was appended; the fragment is not complete yet.
    Partial {
        /// Bytes collected so far.
        len: usize,
    },
    /// The segment completed a fragment of `len` bytes; read it with
    /// [`Reassembler::fragment`] before the next push.
    Complete {
        /// Fragment length.
        len: usize,
    },
}

/// Reassembles transport segments into application fragments inside a caller's
/// buffer (no allocation). The buffer's length is the size bound.
///
/// Rules (IEEE 1815-2012 8.2.1.2): a segment with FIR starts a new fragment and drops
/// any unfinished one; a segment without FIR must carry the next sequence number
/// (modulo 64) of the fragment in progress; a repeated number is a duplicate and is
/// ignored; any other number is a gap and drops the fragment; a fragment that would
/// exceed the buffer is dropped.
#[derive(Debug, Clone)]
pub struct Reassembler<B> {
    buf: B,
    len: usize,
    next_seq: Option<u8>,
    complete: bool,
    dropped: u32,
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Reassembler<B> {
    /// A reassembler over `buf`; fragments may be up to `buf.len()` bytes.
    pub fn new(buf: B) -> Self {
        Reassembler {
            buf,
            len: 0,
            next_seq: None,
            complete: false,
            dropped: 0,
        }
    }

    /// The size bound (the buffer's length).
    pub fn limit(&self) -> usize {
        self.buf.as_ref().len()
    }

    /// Whether a fragment is partly collected.
    pub fn in_progress(&self) -> bool {
        self.next_seq.is_some()
    }

    /// How many unfinished fragments were dropped (restart by FIR, gap, overflow).
    pub fn dropped(&self) -> u32 {
        self.dropped
    }

    /// Forgets any partial fragment.
    pub fn reset(&mut self) {
        self.len = 0;
        self.next_seq = None;
        self.complete = false;
    }

    /// The last completed fragment (empty when none).
    pub fn fragment(&self) -> &[u8] {
        if self.complete {
            self.buf.as_ref().get(..self.len).unwrap_or(&[])
        } else {
            &[]
        }
    }

    /// Feeds one segment (the link frame's user data: transport header + payload).
    pub fn push(&mut self, segment: &[u8]) -> Result<Progress, Error> {
        let (th, payload) = split_segment(segment)?;
        self.push_parts(th, payload)
    }

    /// Feeds the user data of a checked link frame, copying its CRC blocks straight
    /// into the buffer (no intermediate copy).
    pub fn push_frame(&mut self, frame: &crate::link::LinkFrame<'_>) -> Result<Progress, Error> {
        let first = frame.blocks().next().ok_or(Error::truncated(1))?;
        let (th, payload) = split_segment(first)?;
        // sequence rules and the first block, as a non-final segment
        self.push_parts(TransportHeader { fin: false, ..th }, payload)?;
        let rest = frame
            .user_data_len()
            .saturating_sub(1)
            .saturating_sub(payload.len());
        let (end, mut dst) = self.reserve(rest)?;
        // the blocks after the first, straight from the wire: 16 data bytes + 2 CRC
        // bytes each (checked by the link layer), full blocks as fixed-size copies
        let wire = frame
            .as_bytes()
            .get(crate::link::HEADER_LEN.saturating_add(18)..)
            .unwrap_or(&[]);
        let mut chunks = wire.chunks_exact(18);
        for chunk in chunks.by_ref() {
            let d = core::mem::take(&mut dst);
            match (d.split_first_chunk_mut::<16>(), chunk.first_chunk::<16>()) {
                (Some((head, tail)), Some(b16)) => {
                    *head = *b16;
                    dst = tail;
                }
                // cannot happen: `dst` is exactly the user data after the first block
                _ => break,
            }
        }
        let last = chunks.remainder();
        let data = last.get(..last.len().saturating_sub(2)).unwrap_or(&[]);
        let n = data.len().min(dst.len());
        if let (Some(head), Some(src)) = (dst.get_mut(..n), data.get(..n)) {
            head.copy_from_slice(src);
        }
        Ok(self.advance(th, end))
    }

    /// Feeds one segment already split into header and payload.
    pub fn push_parts(&mut self, th: TransportHeader, payload: &[u8]) -> Result<Progress, Error> {
        if self.complete {
            self.reset();
        }
        if th.fir {
            if self.next_seq.is_some() {
                self.dropped = self.dropped.saturating_add(1);
            }
            self.len = 0;
        } else {
            match self.next_seq {
                None => return Err(Error::NoFirst { seq: th.seq }),
                Some(expected) if th.seq != expected => {
                    if th.seq == expected.wrapping_sub(1) & SEQ {
                        return Err(Error::Duplicate { seq: th.seq });
                    }
                    self.reset();
                    self.dropped = self.dropped.saturating_add(1);
                    return Err(Error::SequenceGap {
                        expected,
                        actual: th.seq,
                    });
                }
                Some(_) => {}
            }
        }
        let (end, dst) = self.reserve(payload.len())?;
        dst.copy_from_slice(payload);
        Ok(self.advance(th, end))
    }

    /// The next `n` bytes of the buffer after what is collected, and where they end;
    /// a fragment that would not fit is dropped (overflow).
    fn reserve(&mut self, n: usize) -> Result<(usize, &mut [u8]), Error> {
        let limit = self.limit();
        let end = self.len.saturating_add(n);
        if end > limit {
            self.reset();
            self.dropped = self.dropped.saturating_add(1);
            return Err(Error::Overflow { limit, actual: end });
        }
        let dst = self.buf.as_mut().get_mut(self.len..end).unwrap_or(&mut []);
        Ok((end, dst))
    }

    /// Records a segment of header `th` whose payload now ends at `end`.
    fn advance(&mut self, th: TransportHeader, end: usize) -> Progress {
        self.len = end;
        if th.fin {
            self.next_seq = None;
            self.complete = true;
            Progress::Complete { len: end }
        } else {
            self.next_seq = Some(th.seq.wrapping_add(1) & SEQ);
            Progress::Partial { len: end }
        }
    }
}

#[cfg(feature = "alloc")]
impl Reassembler<alloc::vec::Vec<u8>> {
    /// A reassembler with its own heap buffer of `max_fragment` bytes.
    pub fn with_capacity(max_fragment: usize) -> Self {
        Reassembler::new(alloc::vec![0u8; max_fragment])
    }
}

#[cfg(feature = "alloc")]
impl Default for Reassembler<alloc::vec::Vec<u8>> {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_MAX_FRAGMENT)
    }
}

/// Splits an application fragment into transport segments of at most
/// `max_payload` bytes each (1..=249), calling `emit` with each segment's header
/// byte and payload. `seq` is the first sequence number; returns the next one.
pub fn segment<E>(
    fragment: &[u8],
    max_payload: usize,
    seq: u8,
    mut emit: impl FnMut(u8, &[u8]) -> Result<(), E>,
) -> Result<u8, E> {
    let max = max_payload.clamp(1, 249);
    let mut seq = seq & SEQ;
    let count = fragment.len().div_ceil(max).max(1);
    let mut chunks = fragment.chunks(max);
    for i in 0..count {
        let chunk = chunks.next().unwrap_or(&[]);
        let th = TransportHeader {
            fir: i == 0,
            fin: i.saturating_add(1) == count,
            seq,
        };
        emit(th.to_byte(), chunk)?;
        seq = seq.wrapping_add(1) & SEQ;
    }
    Ok(seq)
}

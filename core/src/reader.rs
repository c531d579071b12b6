//! Driving a [`Framer`] over a byte stream.

use crate::{Decoded, Framer, Needed};

/// What [`FrameReader::next_event`] and [`Frames`] yield.
#[derive(Debug)]
pub enum Event<'a, F: Framer + 'a> {
    /// A decoded frame.
    Frame {
        /// The zero-copy view.
        frame: F::Frame<'a>,
        /// Stream offset of the frame's first byte.
        offset: u64,
        /// The frame's raw bytes.
        raw: &'a [u8],
    },
    /// Bytes that could not be decoded; they were dropped (resync) and decoding goes on.
    Error {
        /// Why.
        error: F::Error,
        /// Stream offset of the first dropped byte.
        offset: u64,
        /// The dropped bytes.
        skipped: &'a [u8],
    },
    /// The stream ended inside a frame (only after [`FrameReader::finish`] or at the
    /// end of a [`Frames`] slice), or a [`FrameReader`]'s framer needs more bytes
    /// than the reader can ever hold (hostile or corrupt length fields); the
    /// bytes are dropped. In the second case `rest` is what the framer's
    /// `resync` drops (at least 1 byte) and decoding goes on after it, so memory
    /// stays bounded and every byte is still accounted for.
    Truncated {
        /// How many bytes were missing.
        needed: Needed,
        /// Stream offset of the first dropped byte.
        offset: u64,
        /// The incomplete bytes.
        rest: &'a [u8],
    },
}

/// [`FrameReader::push`] could not take all bytes: the fixed buffer is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("frame reader buffer full: accepted {accepted} byte(s); pull frames, then push the rest")]
pub struct PushError {
    /// How many of the pushed bytes were accepted.
    pub accepted: usize,
}

/// Storage for a [`FrameReader`]: a fixed array or slice (no_std) or a growable `Vec`.
pub trait Storage: AsRef<[u8]> + AsMut<[u8]> {
    /// Makes the storage at least `len` bytes long if it can; returns whether it is.
    fn grow(&mut self, len: usize) -> bool {
        self.as_ref().len() >= len
    }

    /// The most bytes this storage can ever hold (`None`: only the reader's
    /// `max_len` limits it). A fixed buffer answers its length.
    fn capacity_limit(&self) -> Option<usize> {
        Some(self.as_ref().len())
    }
}

impl<const N: usize> Storage for [u8; N] {}
impl Storage for &mut [u8] {}
#[cfg(feature = "alloc")]
impl Storage for alloc::vec::Vec<u8> {
    fn capacity_limit(&self) -> Option<usize> {
        None
    }

    fn grow(&mut self, len: usize) -> bool {
        if self.len() < len {
            self.resize(len, 0);
        }
        true
    }
}

/// Drives a [`Framer`] over a growing buffer: push bytes as they arrive, pull
/// frames, errors are reported with their stream offset and followed by resync.
///
/// No allocation per frame: frames are views into the reader's buffer. With a
/// fixed buffer (`[u8; N]` or `&mut [u8]`) it needs no allocator at all.
///
/// ```
/// use meterwire_core::{Event, FrameReader, Framer, Decoded, Needed, Error};
/// # struct Toy;
/// # impl Framer for Toy {
/// #     type Frame<'a> = &'a [u8];
/// #     type Error = Error;
/// #     fn decode<'a>(&mut self, i: &'a [u8]) -> Result<Decoded<&'a [u8]>, Error> {
/// #         match i {
/// #             [0xAA, len, rest @ ..] => match rest.get(..usize::from(*len)) {
/// #                 Some(p) => Ok(Decoded::Frame { frame: p, consumed: p.len() + 2 }),
/// #                 None => Ok(Decoded::Incomplete { needed: Needed::exact(usize::from(*len) - rest.len()) }),
/// #             },
/// #             [] | [0xAA] => Ok(Decoded::Incomplete { needed: Needed::at_least(1) }),
/// #             _ => Err(Error::malformed("start byte", "expected 0xaa")),
/// #         }
/// #     }
/// # }
/// // Toy frames are `0xAA len payload` (see the `Framer` docs).
/// let mut reader = FrameReader::new(Toy, [0u8; 64]);
/// reader.push(&[0xAA, 2, 7]).unwrap();
/// assert!(reader.next_event().is_none()); // waiting for one more byte
/// reader.push(&[8, 0x00, 0xAA, 1, 9]).unwrap();
/// let mut got = Vec::new();
/// while let Some(ev) = reader.next_event() {
///     match ev {
///         Event::Frame { frame, offset, .. } => got.push((offset, frame.to_vec())),
///         Event::Error { offset, skipped, .. } => got.push((offset, skipped.to_vec())),
///         Event::Truncated { .. } => unreachable!(),
///     }
/// }
/// assert_eq!(got, vec![(0, vec![7, 8]), (4, vec![0x00]), (5, vec![9])]);
/// ```
#[derive(Debug)]
pub struct FrameReader<F, B> {
    framer: F,
    buf: B,
    start: usize,
    end: usize,
    /// Stream offset of `buf[start]`.
    offset: u64,
    finished: bool,
    max_len: usize,
}

impl<F: Framer, B: Storage> FrameReader<F, B> {
    /// A reader over `storage` (its length is the capacity of a fixed buffer; a
    /// `Vec` grows up to [`FrameReader::with_max_len`], 1 MiB by default).
    pub fn new(framer: F, storage: B) -> Self {
        FrameReader {
            framer,
            buf: storage,
            start: 0,
            end: 0,
            offset: 0,
            finished: false,
            max_len: 1 << 20,
        }
    }

    /// Sets the most a growable buffer may hold.
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// The framer (e.g. to read its state).
    pub fn framer(&self) -> &F {
        &self.framer
    }

    /// The framer, mutably (e.g. to change direction or keys).
    pub fn framer_mut(&mut self) -> &mut F {
        &mut self.framer
    }

    /// Bytes pushed but not yet consumed.
    pub fn buffered(&self) -> &[u8] {
        self.buf.as_ref().get(self.start..self.end).unwrap_or(&[])
    }

    /// Stream offset of the next unconsumed byte.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Appends bytes. With a fixed buffer that is full, accepts what fits and
    /// returns [`PushError`] with the count; pull events, then push the rest.
    pub fn push(&mut self, data: &[u8]) -> Result<(), PushError> {
        if data.is_empty() {
            return Ok(());
        }
        self.finished = false;
        let len = self.end.saturating_sub(self.start);
        // compact when the tail has no room
        if self.end.saturating_add(data.len()) > self.buf.as_ref().len() && self.start > 0 {
            self.buf.as_mut().copy_within(self.start..self.end, 0);
            self.start = 0;
            self.end = len;
        }
        let needed_len = self.end.saturating_add(data.len());
        if needed_len > self.buf.as_ref().len() {
            // a fixed buffer cannot grow; what does not fit is reported below
            let _ = self.buf.grow(needed_len.min(self.max_len));
        }
        let room = self.buf.as_ref().len().saturating_sub(self.end);
        let n = room.min(data.len());
        if let (Some(dst), Some(src)) = (
            self.buf
                .as_mut()
                .get_mut(self.end..self.end.saturating_add(n)),
            data.get(..n),
        ) {
            dst.copy_from_slice(src);
            self.end = self.end.saturating_add(n);
        }
        if n < data.len() {
            Err(PushError { accepted: n })
        } else {
            Ok(())
        }
    }

    /// Marks the end of the stream: a trailing incomplete frame is then reported
    /// as [`Event::Truncated`] and dropped. Pushing again un-finishes the reader.
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// The next frame or error, or `None` when more bytes are needed (or, after
    /// [`finish`](Self::finish), when the buffer is empty).
    pub fn next_event(&mut self) -> Option<Event<'_, F>> {
        let input = self.buf.as_ref().get(self.start..self.end)?;
        if input.is_empty() {
            return None;
        }
        let offset = self.offset;
        let limit = self
            .buf
            .capacity_limit()
            .map_or(self.max_len, |c| c.min(self.max_len));
        let (event, used) = step(&mut self.framer, input, offset, self.finished, limit)?;
        self.start = self.start.saturating_add(used);
        self.offset = self.offset.saturating_add(used as u64);
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
        Some(event)
    }
}

/// What the framer's resync drops from the start of `input` after a failure there
/// (at least one byte, so the reader always moves on), and its length.
#[inline]
fn dropped<'a, F: Framer>(framer: &mut F, input: &'a [u8]) -> (&'a [u8], usize) {
    let used = framer.resync(input).clamp(1, input.len());
    (input.get(..used).unwrap_or(input), used)
}

/// One decode step on `input`: the event and how many bytes it used. `limit`:
/// the most bytes the reader can hold; an incomplete frame that needs more can
/// never complete and is dropped at once.
fn step<'a, F: Framer>(
    framer: &mut F,
    input: &'a [u8],
    offset: u64,
    at_end: bool,
    limit: usize,
) -> Option<(Event<'a, F>, usize)> {
    match framer.decode(input) {
        Ok(Decoded::Frame { frame, consumed }) => {
            let used = consumed.clamp(1, input.len());
            let raw = input.get(..used).unwrap_or(input);
            Some((Event::Frame { frame, offset, raw }, used))
        }
        Ok(Decoded::Incomplete { needed }) => {
            if at_end {
                Some((
                    Event::Truncated {
                        needed,
                        offset,
                        rest: input,
                    },
                    input.len(),
                ))
            } else if input.len().saturating_add(needed.bytes()) > limit {
                let (rest, used) = dropped(framer, input);
                Some((
                    Event::Truncated {
                        needed,
                        offset,
                        rest,
                    },
                    used,
                ))
            } else {
                None
            }
        }
        Err(error) => {
            let (skipped, used) = dropped(framer, input);
            Some((
                Event::Error {
                    error,
                    offset,
                    skipped,
                },
                used,
            ))
        }
    }
}

/// An iterator of [`Event`]s over a complete byte slice (a file, a capture
/// payload), without copying. A trailing incomplete frame ends it with
/// [`Event::Truncated`].
#[derive(Debug)]
pub struct Frames<'a, F> {
    framer: F,
    input: &'a [u8],
    pos: usize,
}

impl<'a, F: Framer> Frames<'a, F> {
    /// Iterates the frames of `input`.
    pub fn new(framer: F, input: &'a [u8]) -> Self {
        Frames {
            framer,
            input,
            pos: 0,
        }
    }

    /// The framer.
    pub fn framer(&self) -> &F {
        &self.framer
    }
}

impl<'a, F: Framer + 'a> Iterator for Frames<'a, F> {
    type Item = Event<'a, F>;

    fn next(&mut self) -> Option<Self::Item> {
        let input = self.input.get(self.pos..)?;
        if input.is_empty() {
            return None;
        }
        let (event, used) = step(&mut self.framer, input, self.pos as u64, true, usize::MAX)?;
        self.pos = self.pos.saturating_add(used);
        Some(event)
    }
}

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
                let used = framer.resync(input).clamp(1, input.len());
                let rest = input.get(..used).unwrap_or(input);
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
            let used = framer.resync(input).clamp(1, input.len());
            let skipped = input.get(..used).unwrap_or(input);
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

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use crate::Error;
    use std::{vec, vec::Vec};

    /// `0xAA len payload` frames.
    struct Toy;
    impl Framer for Toy {
        type Frame<'a> = &'a [u8];
        type Error = Error;
        fn decode<'a>(&mut self, i: &'a [u8]) -> Result<Decoded<&'a [u8]>, Error> {
            match i {
                [0xAA, len, rest @ ..] => match rest.get(..usize::from(*len)) {
                    Some(p) => Ok(Decoded::Frame {
                        frame: p,
                        consumed: p.len() + 2,
                    }),
                    None => Ok(Decoded::Incomplete {
                        needed: Needed::exact(usize::from(*len) - rest.len()),
                    }),
                },
                [] | [0xAA] => Ok(Decoded::Incomplete {
                    needed: Needed::at_least(1),
                }),
                _ => Err(Error::malformed("start byte", "expected 0xaa")),
            }
        }
        fn resync(&mut self, i: &[u8]) -> usize {
            i.iter()
                .skip(1)
                .position(|&b| b == 0xAA)
                .map_or(i.len(), |p| p + 1)
        }
    }

    #[derive(Debug, PartialEq)]
    enum Ev {
        F(u64, Vec<u8>),
        E(u64, Vec<u8>),
        T(u64, Vec<u8>),
    }

    /// Collects events; contiguous error runs are merged, because where a run of
    /// garbage is cut into error events depends on how much of it had arrived.
    fn collect<B: Storage>(r: &mut FrameReader<Toy, B>, out: &mut Vec<Ev>) {
        while let Some(ev) = r.next_event() {
            let ev = match ev {
                Event::Frame { frame, offset, .. } => Ev::F(offset, frame.to_vec()),
                Event::Error {
                    offset, skipped, ..
                } => Ev::E(offset, skipped.to_vec()),
                Event::Truncated { offset, rest, .. } => Ev::T(offset, rest.to_vec()),
            };
            if let (Some(Ev::E(o, prev)), Ev::E(o2, more)) = (out.last_mut(), &ev) {
                if *o + prev.len() as u64 == *o2 {
                    prev.extend_from_slice(more);
                    continue;
                }
            }
            out.push(ev);
        }
    }

    const STREAM: &[u8] = &[
        0xAA, 2, 1, 2, 0x00, 0x01, 0xAA, 0, 0xAA, 3, 5, 6, 7, 0xAA, 5, 1,
    ];

    fn expected() -> Vec<Ev> {
        vec![
            Ev::F(0, vec![1, 2]),
            Ev::E(4, vec![0, 1]),
            Ev::F(6, vec![]),
            Ev::F(8, vec![5, 6, 7]),
            Ev::T(13, vec![0xAA, 5, 1]),
        ]
    }

    #[test]
    fn every_split_point_and_byte_by_byte() {
        for split in 0..=STREAM.len() {
            let mut r = FrameReader::new(Toy, Vec::new());
            let mut out = vec![];
            r.push(&STREAM[..split]).unwrap();
            collect(&mut r, &mut out);
            r.push(&STREAM[split..]).unwrap();
            collect(&mut r, &mut out);
            r.finish();
            collect(&mut r, &mut out);
            assert_eq!(out, expected(), "split at {split}");
        }
        let mut r = FrameReader::new(Toy, [0u8; 8]);
        let mut out = vec![];
        for b in STREAM {
            r.push(core::slice::from_ref(b)).unwrap();
            collect(&mut r, &mut out);
        }
        r.finish();
        collect(&mut r, &mut out);
        assert_eq!(out, expected());
    }

    #[test]
    fn frames_iterator_matches_reader() {
        let out: Vec<Ev> = Frames::new(Toy, STREAM)
            .map(|ev| match ev {
                Event::Frame { frame, offset, .. } => Ev::F(offset, frame.to_vec()),
                Event::Error {
                    offset, skipped, ..
                } => Ev::E(offset, skipped.to_vec()),
                Event::Truncated { offset, rest, .. } => Ev::T(offset, rest.to_vec()),
            })
            .collect();
        assert_eq!(out, expected());
    }

    #[test]
    fn fixed_buffer_full_is_reported() {
        let mut r = FrameReader::new(Toy, [0u8; 4]);
        assert_eq!(
            r.push(&[0xAA, 5, 1, 2, 3, 4]),
            Err(PushError { accepted: 4 })
        );
        assert_eq!(r.buffered(), &[0xAA, 5, 1, 2]);
        // the frame can never fit: it is dropped as truncated (up to the next
        // possible start) instead of stalling the reader with a full buffer
        match r.next_event() {
            Some(Event::Truncated {
                offset: 0,
                rest,
                needed,
            }) => {
                assert_eq!(rest, &[0xAA, 5, 1, 2]);
                assert_eq!(needed, Needed::Exact(3));
            }
            _ => panic!("expected a truncated event"),
        }
        assert!(r.buffered().is_empty());
        r.push(&[3, 4]).unwrap();
        assert!(matches!(
            r.next_event(),
            Some(Event::Error { offset: 4, .. })
        ));
    }

    #[test]
    fn hostile_lengths_never_stall_or_grow_past_the_maximum() {
        // valid-looking headers announcing 255-byte frames through a 64-byte
        // buffer, then a real frame: memory stays at 64 bytes, every byte is in
        // exactly one event and the real frame is still found
        let mut stream = std::vec::Vec::new();
        for _ in 0..2000 {
            stream.extend_from_slice(&[0xAA, 0xFF, 1, 2, 3]);
        }
        // (a frame right after the last header would be inside its announced
        // length: a length-prefixed framer cannot see it, so garbage first)
        stream.extend_from_slice(&[0u8; 32]);
        stream.extend_from_slice(&[0xAA, 1, 7]);
        for cap in [16usize, 64] {
            let mut r = FrameReader::new(Toy, Vec::new()).with_max_len(cap);
            let (mut pos, mut frames) = (0u64, 0);
            for chunk in stream.chunks(37) {
                let mut data = chunk;
                while !data.is_empty() {
                    let n = match r.push(data) {
                        Ok(()) => data.len(),
                        Err(e) => e.accepted,
                    };
                    data = &data[n..];
                    assert!(r.buffered().len() <= cap);
                    while let Some(ev) = r.next_event() {
                        let (o, l) = match ev {
                            Event::Frame { offset, raw, frame } => {
                                assert_eq!(frame, &[7]);
                                frames += 1;
                                (offset, raw.len())
                            }
                            Event::Error {
                                offset, skipped, ..
                            } => (offset, skipped.len()),
                            Event::Truncated { offset, rest, .. } => (offset, rest.len()),
                        };
                        assert_eq!(o, pos);
                        pos += l as u64;
                    }
                }
            }
            r.finish();
            while let Some(ev) = r.next_event() {
                if let Event::Truncated { rest, .. } = ev {
                    pos += rest.len() as u64;
                }
            }
            assert_eq!(pos, stream.len() as u64);
            assert_eq!(frames, 1);
        }
    }

    #[test]
    fn growable_buffer_respects_max_len() {
        let mut r = FrameReader::new(Toy, Vec::new()).with_max_len(3);
        assert_eq!(r.push(&[0xAA, 5, 1, 2]), Err(PushError { accepted: 3 }));
    }
}

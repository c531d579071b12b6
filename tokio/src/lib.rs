//! A [`tokio_util::codec`] adapter for any meterwire [`Framer`].
//!
//! [`FramedCodec`] turns a framer (Modbus TCP, DNP3 link, DLMS HDLC, ...) into a
//! `Decoder` and, for any [`Encode`] value, an `Encoder`.
//!
//! # The decoded item: raw frame bytes, or your owned value
//!
//! Framer views borrow the input buffer, so they cannot outlive one `decode`
//! call. [`FramedCodec`] therefore yields the **validated frame's raw bytes** as a
//! [`Bytes`] handle cut from the read buffer with `BytesMut::split_to` (no copy,
//! no per-frame allocation beyond the reference count), generic over every
//! protocol. [`TypedCodec`] instead hands each frame view to your mapping
//! (`for<'a> FnMut(F::Frame<'a>) -> T`, or a [`FrameMap`] implementation) and
//! yields the owned `T`: what the framer decided while decoding (a Modbus RTU
//! frame's direction, a DNP3 fragment's reassembly, a DLMS decryption) reaches you
//! without re-parsing.
//!
//! A bad frame does not end the stream: the decoder yields
//! [`Item::Rejected`], drops the bytes the framer's `resync` names and carries
//! on (tokio's `FramedRead` stops after a decoder `Err`, so rejection is an
//! item, and only I/O errors are the decoder's error). Bytes left at end of
//! stream come out as [`Item::Truncated`]: nothing is dropped silently.
//!
//! ```
//! use futures_util::StreamExt;
//! use meterwire_core::Framer;
//! use meterwire_tokio::{FramedCodec, Item};
//! use tokio_util::codec::FramedRead;
//!
//! /// Counts the frames and the rejected bytes on any async reader.
//! async fn count<F, R>(io: R, framer: F) -> Result<(usize, usize), meterwire_tokio::CodecError>
//! where
//!     F: Framer,
//!     F::Error: 'static,
//!     R: tokio::io::AsyncRead + Unpin,
//! {
//!     let mut frames = FramedRead::new(io, FramedCodec::new(framer));
//!     let (mut ok, mut bad) = (0, 0);
//!     while let Some(item) = frames.next().await {
//!         match item? {
//!             Item::Frame(_raw) => ok += 1,
//!             Item::Rejected(r) => bad += r.skipped.len(),
//!             Item::Truncated { rest, .. } => bad += rest.len(),
//!         }
//!     }
//!     Ok((ok, bad))
//! }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use bytes::{Bytes, BytesMut};
use meterwire_core::{Decoded, Encode, EncodeError, Framer, Needed};
use tokio_util::codec::{Decoder, Encoder};

/// Bytes the framer rejected, with the framer's error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error} ({} byte(s) skipped)", skipped.len())]
pub struct Rejected<E> {
    /// The framer's error.
    pub error: E,
    /// The bytes dropped to resync.
    pub skipped: Bytes,
}

/// One item of the decoded stream: `T` is the frame's raw [`Bytes`] for
/// [`FramedCodec`], the mapping's output for [`TypedCodec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<E, T = Bytes> {
    /// A validated frame: its raw bytes, or what the mapping made of it.
    Frame(T),
    /// Bytes the framer rejected; decoding goes on after them.
    Rejected(Rejected<E>),
    /// The stream ended inside a frame: these bytes never completed.
    Truncated {
        /// The incomplete bytes.
        rest: Bytes,
        /// How many more bytes the framer wanted.
        needed: Needed,
    },
}

/// Errors of the codec itself.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// An I/O error from the transport.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// A frame could not be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// The read buffer outgrew the configured limit without completing a frame.
    #[error("frame exceeds the {limit}-byte buffer limit")]
    TooLong {
        /// The limit.
        limit: usize,
    },
}

/// A `Decoder`/`Encoder` over a meterwire [`Framer`].
#[derive(Debug, Clone)]
pub struct FramedCodec<F> {
    framer: F,
    max_buffer: usize,
}

/// `with_max_buffer`, `framer` and `framer_mut` of a codec holding `framer` and
/// `max_buffer`.
macro_rules! codec_accessors {
    () => {
        /// Sets the largest incomplete frame buffered before [`CodecError::TooLong`].
        pub fn with_max_buffer(mut self, max_buffer: usize) -> Self {
            self.max_buffer = max_buffer;
            self
        }

        /// The framer.
        pub fn framer(&self) -> &F {
            &self.framer
        }

        /// The framer, mutably.
        pub fn framer_mut(&mut self) -> &mut F {
            &mut self.framer
        }
    };
}

impl<F: Framer> FramedCodec<F> {
    /// Wraps `framer`; the read buffer may hold at most 1 MiB of an incomplete frame.
    pub fn new(framer: F) -> Self {
        FramedCodec {
            framer,
            max_buffer: 1 << 20,
        }
    }

    codec_accessors!();
}

/// One decode step on the read buffer: the framer's decision, with `on_frame`
/// applied to a frame view before the buffer moves on.
fn step<F: Framer, T>(
    framer: &mut F,
    max_buffer: usize,
    src: &mut BytesMut,
    on_frame: impl for<'a> FnOnce(F::Frame<'a>) -> T,
) -> Result<Option<(usize, T)>, StepOutcome<F::Error>> {
    if src.is_empty() {
        return Ok(None);
    }
    // end the view's borrow of `src` before the buffer is touched
    let outcome = match framer.decode(src) {
        Ok(Decoded::Frame { frame, consumed }) => Ok(Ok((consumed, on_frame(frame)))),
        Ok(Decoded::Incomplete { needed }) => Ok(Err(needed)),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(Ok((consumed, t))) => Ok(Some((consumed.clamp(1, src.len()), t))),
        Ok(Err(needed)) => {
            if src.len() >= max_buffer {
                return Err(StepOutcome::TooLong(max_buffer));
            }
            src.reserve(needed.bytes());
            Ok(None)
        }
        Err(error) => {
            let n = framer.resync(src).clamp(1, src.len());
            let skipped = src.split_to(n).freeze();
            Err(StepOutcome::Rejected(Rejected { error, skipped }))
        }
    }
}

/// The non-frame outcomes of [`step`].
enum StepOutcome<E> {
    Rejected(Rejected<E>),
    TooLong(usize),
}

impl<E> StepOutcome<E> {
    /// The decoder's answer to a [`step`]: `frame(consumed, t)` makes a frame's item
    /// (and moves the buffer on).
    fn answer<T, I>(
        step: Result<Option<(usize, T)>, Self>,
        frame: impl FnOnce(usize, T) -> I,
    ) -> Result<Option<Item<E, I>>, CodecError> {
        match step {
            Ok(Some((n, t))) => Ok(Some(Item::Frame(frame(n, t)))),
            Ok(None) => Ok(None),
            Err(outcome) => outcome.into_item(),
        }
    }

    fn into_item<T>(self) -> Result<Option<Item<E, T>>, CodecError> {
        match self {
            StepOutcome::Rejected(r) => Ok(Some(Item::Rejected(r))),
            StepOutcome::TooLong(limit) => Err(CodecError::TooLong { limit }),
        }
    }
}

/// At end of stream: what is left after the last frame is [`Item::Truncated`].
fn truncated<F: Framer, T>(framer: &mut F, src: &mut BytesMut) -> Option<Item<F::Error, T>> {
    if src.is_empty() {
        return None;
    }
    let needed = match framer.decode(src) {
        Ok(Decoded::Incomplete { needed }) => Some(needed),
        _ => None,
    }
    .unwrap_or(Needed::at_least(1));
    let rest = src.split_to(src.len()).freeze();
    Some(Item::Truncated { rest, needed })
}

impl<F> Decoder for FramedCodec<F>
where
    F: Framer,
    F::Error: 'static,
{
    type Item = Item<F::Error>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        let r = step(&mut self.framer, self.max_buffer, src, |_| ());
        StepOutcome::answer(r, |n, ()| src.split_to(n).freeze())
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        Ok(self
            .decode(src)?
            .or_else(|| truncated(&mut self.framer, src)))
    }
}

/// What a [`TypedCodec`] makes of each frame view: an owned value that outlives
/// the read buffer. Implemented for every `for<'a> FnMut(F::Frame<'a>) -> T`.
pub trait FrameMap<F: Framer> {
    /// The decoded item.
    type Output;
    /// Maps one frame view.
    fn map(&mut self, frame: F::Frame<'_>) -> Self::Output;
}

impl<F, T, M> FrameMap<F> for M
where
    F: Framer,
    M: for<'a> FnMut(F::Frame<'a>) -> T,
{
    type Output = T;
    fn map(&mut self, frame: F::Frame<'_>) -> T {
        self(frame)
    }
}

/// A `Decoder` whose items are owned values made from each frame view by a
/// mapping (e.g. `|f: RtuFrame<'_>| (f.address, PduRepr::parse(&f.pdu))`, keeping the
/// direction the RTU framer found), and an `Encoder` for any [`Encode`] value.
///
/// ```
/// use futures_util::StreamExt;
/// use meterwire_core::{Decoded, Error, Framer, Needed};
/// use meterwire_tokio::{Item, TypedCodec};
/// use tokio_util::codec::FramedRead;
///
/// /// `len payload...`: a toy framer whose frames borrow the buffer.
/// struct LenPrefixed;
/// impl Framer for LenPrefixed {
///     type Frame<'a> = &'a [u8];
///     type Error = Error;
///     fn decode<'a>(&mut self, i: &'a [u8]) -> Result<Decoded<&'a [u8]>, Error> {
///         let Some((&len, rest)) = i.split_first() else {
///             return Ok(Decoded::Incomplete { needed: Needed::at_least(1) });
///         };
///         match rest.get(..usize::from(len)) {
///             Some(p) => Ok(Decoded::Frame { frame: p, consumed: p.len() + 1 }),
///             None => Ok(Decoded::Incomplete { needed: Needed::exact(usize::from(len) - rest.len()) }),
///         }
///     }
///     fn resync(&mut self, _: &[u8]) -> usize { 1 }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let input: &[u8] = b"\x02hi\x05there";
/// // the item is the mapping's owned output, not raw bytes
/// let codec = TypedCodec::new(LenPrefixed, |p: &[u8]| String::from_utf8_lossy(p).into_owned());
/// let words: Vec<String> = FramedRead::new(input, codec)
///     .filter_map(|item| async move {
///         match item {
///             Ok(Item::Frame(word)) => Some(word),
///             _ => None,
///         }
///     })
///     .collect()
///     .await;
/// assert_eq!(words, ["hi", "there"]);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TypedCodec<F, M> {
    framer: F,
    map: M,
    max_buffer: usize,
}

impl<F: Framer, M: FrameMap<F>> TypedCodec<F, M> {
    /// Wraps `framer` with `map`; the read buffer may hold at most 1 MiB of an
    /// incomplete frame.
    pub fn new(framer: F, map: M) -> Self {
        TypedCodec {
            framer,
            map,
            max_buffer: 1 << 20,
        }
    }

    codec_accessors!();
}

impl<F, M> Decoder for TypedCodec<F, M>
where
    F: Framer,
    F::Error: 'static,
    M: FrameMap<F>,
{
    type Item = Item<F::Error, M::Output>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        let TypedCodec {
            framer,
            map,
            max_buffer,
        } = self;
        let r = step(framer, *max_buffer, src, |f| map.map(f));
        StepOutcome::answer(r, |n, t| {
            let _ = src.split_to(n);
            t
        })
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        Ok(self
            .decode(src)?
            .or_else(|| truncated(&mut self.framer, src)))
    }
}

impl<F, M, T: Encode> Encoder<T> for TypedCodec<F, M> {
    type Error = CodecError;

    fn encode(&mut self, item: T, dst: &mut BytesMut) -> Result<(), CodecError> {
        encode_into(item, dst)
    }
}

impl<F, T: Encode> Encoder<T> for FramedCodec<F> {
    type Error = CodecError;

    fn encode(&mut self, item: T, dst: &mut BytesMut) -> Result<(), CodecError> {
        encode_into(item, dst)
    }
}

/// Appends `item`'s encoding to `dst`; on error `dst` is left as it was.
fn encode_into<T: Encode>(item: T, dst: &mut BytesMut) -> Result<(), CodecError> {
    let len = item.encoded_len();
    let start = dst.len();
    dst.resize(start.saturating_add(len), 0);
    let out = dst.get_mut(start..).unwrap_or_default();
    match item.encode(out) {
        Ok(n) => {
            dst.truncate(start.saturating_add(n));
            Ok(())
        }
        Err(e) => {
            dst.truncate(start);
            Err(e.into())
        }
    }
}

/// The README's examples, compiled and run as doctests (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! A [`tokio_util::codec`] adapter for any meterwire [`Framer`].
//!
//! [`FramedCodec`] turns a framer (Modbus TCP, DNP3 link, DLMS HDLC, ...) into a
//! `Decoder` and, for any [`Encode`] value, an `Encoder`.
//!
//! # The decoded item: raw frame bytes
//!
//! Framer views borrow the input buffer, so they cannot outlive one `decode`
//! call. The codec therefore yields the **validated frame's raw bytes** as a
//! [`Bytes`] handle cut from the read buffer with `BytesMut::split_to` (no copy,
//! no per-frame allocation beyond the reference count). Re-viewing them with the
//! protocol crate's `parse`/`new_checked` is cheap: the framer already checked
//! the length and checksum. This keeps the codec generic over every protocol and
//! independent of the `alloc` owned types.
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

/// One item of the decoded stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<E> {
    /// A validated frame's raw bytes.
    Frame(Bytes),
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

impl<F: Framer> FramedCodec<F> {
    /// Wraps `framer`; the read buffer may hold at most 1 MiB of an incomplete frame.
    pub fn new(framer: F) -> Self {
        FramedCodec {
            framer,
            max_buffer: 1 << 20,
        }
    }

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
}

impl<F> Decoder for FramedCodec<F>
where
    F: Framer,
    F::Error: 'static,
{
    type Item = Item<F::Error>;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        if src.is_empty() {
            return Ok(None);
        }
        let outcome = match self.framer.decode(src) {
            Ok(Decoded::Frame { consumed, .. }) => Ok(Ok(consumed)),
            Ok(Decoded::Incomplete { needed }) => Ok(Err(needed)),
            Err(e) => Err(e),
        };
        match outcome {
            Ok(Ok(consumed)) => {
                let n = consumed.clamp(1, src.len());
                Ok(Some(Item::Frame(src.split_to(n).freeze())))
            }
            Ok(Err(needed)) => {
                if src.len() >= self.max_buffer {
                    return Err(CodecError::TooLong {
                        limit: self.max_buffer,
                    });
                }
                src.reserve(needed.bytes());
                Ok(None)
            }
            Err(error) => {
                let n = self.framer.resync(src).clamp(1, src.len());
                let skipped = src.split_to(n).freeze();
                Ok(Some(Item::Rejected(Rejected { error, skipped })))
            }
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, CodecError> {
        if let Some(item) = self.decode(src)? {
            return Ok(Some(item));
        }
        if src.is_empty() {
            return Ok(None);
        }
        let needed = match self.framer.decode(src) {
            Ok(Decoded::Incomplete { needed }) => Some(needed),
            _ => None,
        }
        .unwrap_or(Needed::at_least(1));
        let rest = src.split_to(src.len()).freeze();
        Ok(Some(Item::Truncated { rest, needed }))
    }
}

impl<F, T: Encode> Encoder<T> for FramedCodec<F> {
    type Error = CodecError;

    fn encode(&mut self, item: T, dst: &mut BytesMut) -> Result<(), CodecError> {
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
}

/// The README's examples, compiled and run as doctests (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! The streaming framing contract shared by every protocol crate.

use crate::{Classify, EncodeError};

/// How many more bytes a streaming decoder needs. Always at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Needed {
    /// Exactly this many more bytes complete the frame (a header told the length).
    Exact(usize),
    /// At least this many more bytes are needed; the exact count is not known yet.
    AtLeast(usize),
}

impl Needed {
    /// Exactly `n` more bytes (clamped to at least 1).
    #[inline]
    pub const fn exact(n: usize) -> Self {
        Needed::Exact(if n == 0 { 1 } else { n })
    }

    /// At least `n` more bytes (clamped to at least 1).
    #[inline]
    pub const fn at_least(n: usize) -> Self {
        Needed::AtLeast(if n == 0 { 1 } else { n })
    }

    /// The number of bytes (exact or lower bound), at least 1.
    #[inline]
    pub const fn bytes(self) -> usize {
        match self {
            Needed::Exact(n) | Needed::AtLeast(n) => {
                if n == 0 {
                    1
                } else {
                    n
                }
            }
        }
    }
}

/// The outcome of one [`Framer::decode`] call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded<F> {
    /// A complete frame at the start of the input.
    Frame {
        /// The zero-copy view.
        frame: F,
        /// How many input bytes the frame occupies (>= 1).
        consumed: usize,
    },
    /// The input is a valid but incomplete prefix.
    Incomplete {
        /// How many more bytes to wait for.
        needed: Needed,
    },
}

impl<F> Decoded<F> {
    /// The frame, if complete.
    pub fn frame(self) -> Option<F> {
        match self {
            Decoded::Frame { frame, .. } => Some(frame),
            Decoded::Incomplete { .. } => None,
        }
    }
}

/// A streaming frame decoder; a framer may be stateful (direction, reassembly,
/// sequence tracking, keys).
///
/// # The streaming contract
///
/// A [`Framer`] is handed the bytes received so far, starting where the previous
/// frame ended. It answers with exactly one of:
///
/// * `Ok(Decoded::Frame { frame, consumed })`: a complete, checked frame was found
///   at the *start* of the input. `frame` is a zero-copy view borrowing the input;
///   `consumed` (>= 1) bytes belong to it and the caller drops them before the next
///   call. Bytes after `consumed` are left for the next frame.
/// * `Ok(Decoded::Incomplete { needed })`: the input is a valid prefix of a frame
///   but too short. `needed` says how many more bytes to wait for: exact when a
///   header told the length, a lower bound (at least 1) otherwise. Short data is
///   **never** an error in a streaming decoder.
/// * `Err(e)`: the bytes at the start of the input cannot be a frame (bad checksum,
///   bad start byte, malformed field). The caller then asks
///   [`Framer::resync`] how many bytes to drop (>= 1) and tries again; a framer
///   typically skips to the next possible start marker.
///
/// Parsers of one complete frame (`parse(&[u8])` functions of the protocol
/// crates) are different: they never return `Incomplete`, short input is an
/// error there.
///
/// [`FrameReader`](crate::FrameReader) implements this loop over a buffer.
///
/// # Example: a toy length-prefixed framer
///
/// ```
/// use meterwire_core::{Decoded, Error, Framer, Needed};
///
/// /// Frames are `0xAA len payload...`.
/// struct Toy;
///
/// impl Framer for Toy {
///     type Frame<'a> = &'a [u8];
///     type Error = Error;
///     fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<&'a [u8]>, Error> {
///         match input {
///             [] => Ok(Decoded::Incomplete { needed: Needed::at_least(1) }),
///             [0xAA] => Ok(Decoded::Incomplete { needed: Needed::at_least(1) }),
///             [0xAA, len, rest @ ..] => {
///                 let len = usize::from(*len);
///                 match rest.get(..len) {
///                     Some(payload) => Ok(Decoded::Frame { frame: payload, consumed: len + 2 }),
///                     None => Ok(Decoded::Incomplete { needed: Needed::exact(len - rest.len()) }),
///                 }
///             }
///             _ => Err(Error::malformed("start byte", "expected 0xaa")),
///         }
///     }
///     fn resync(&mut self, input: &[u8]) -> usize {
///         // drop everything up to the next possible start byte
///         meterwire_core::skip_to_start(input, |b| b == 0xAA)
///     }
/// }
///
/// let mut toy = Toy;
/// assert!(matches!(toy.decode(&[0xAA, 2, 1, 2, 0xAA]),
///     Ok(Decoded::Frame { frame: &[1, 2], consumed: 4 })));
/// assert!(matches!(toy.decode(&[0xAA, 3, 1]),
///     Ok(Decoded::Incomplete { needed }) if needed.bytes() == 2));
/// assert!(toy.decode(&[0x55]).is_err());
/// assert_eq!(toy.resync(&[0x55, 0x00, 0xAA]), 2);
/// ```
pub trait Framer {
    /// The borrowed view of one frame.
    type Frame<'a>;
    /// The protocol crate's error.
    type Error: core::error::Error + Classify;

    /// Tries to cut one frame from the start of `input`.
    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Self::Frame<'a>>, Self::Error>;

    /// After `decode` returned an error for `input`, how many bytes to drop before
    /// trying again. Must be at least 1 when `input` is not empty (callers clamp it).
    /// The default drops one byte; framers with a start marker skip to the next one.
    fn resync(&mut self, input: &[u8]) -> usize {
        let _ = input;
        1
    }
}

/// The usual [`Framer::resync`] of a framer whose frames begin with a marker byte:
/// how many bytes lie before the next byte (after the first) that `is_start`
/// accepts; all of `input` when there is none, and at least 1.
///
/// ```
/// use meterwire_core::skip_to_start;
/// assert_eq!(skip_to_start(&[0xAA, 0x55, 0xAA], |b| b == 0xAA), 2);
/// assert_eq!(skip_to_start(&[0xAA, 0x55], |b| b == 0xAA), 2);
/// assert_eq!(skip_to_start(&[], |b| b == 0xAA), 1);
/// ```
#[inline]
pub fn skip_to_start(input: &[u8], is_start: impl Fn(u8) -> bool) -> usize {
    input
        .iter()
        .skip(1)
        .position(|&b| is_start(b))
        .map_or(input.len(), |p| p.saturating_add(1))
        .max(1)
}

/// Encoding into a caller's buffer, without allocation.
pub trait Encode {
    /// The exact number of bytes [`Encode::encode`] writes.
    fn encoded_len(&self) -> usize;

    /// Writes the encoding into the start of `out` and returns its length.
    /// A value that breaks a limit of the standard is an error, never a truncated frame.
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError>;

    /// Encodes into a new `Vec`.
    #[cfg(feature = "alloc")]
    fn encode_to_vec(&self) -> Result<alloc::vec::Vec<u8>, EncodeError> {
        let mut v = alloc::vec![0u8; self.encoded_len()];
        let n = self.encode(&mut v)?;
        v.truncate(n);
        Ok(v)
    }
}

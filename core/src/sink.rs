//! One description of a layout for both `Encode` methods: an encoder writes its
//! `emit` once against a [`Sink`]; [`Writer`] writes the bytes, [`Counter`] only
//! counts them, and [`encode_via_emit!`](crate::encode_via_emit) derives
//! `encoded_len` (a dry run) and `encode` from that one function, so the two can
//! never disagree.
//!
//! ```
//! use meterwire_core::sink::{Counter, Sink};
//! use meterwire_core::{Encode, EncodeError, encode_via_emit};
//!
//! struct Tlv<'a>(u8, &'a [u8]);
//! impl Tlv<'_> {
//!     fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
//!         s.put_u8(self.0)?;
//!         s.put_octets(self.1)
//!     }
//! }
//! encode_via_emit!(Tlv<'_>);
//!
//! let t = Tlv(0x04, &[1, 2, 3]);
//! assert_eq!(t.encoded_len(), 5);
//! let mut out = [0u8; 8];
//! assert_eq!(t.encode(&mut out), Ok(5));
//! assert_eq!(out[..5], [0x04, 3, 1, 2, 3]);
//! ```

use crate::{EncodeError, Writer};

/// Output of an `emit` function: a real [`Writer`] or a byte [`Counter`].
pub trait Sink {
    /// Appends bytes.
    fn put(&mut self, b: &[u8]) -> Result<(), EncodeError>;
    /// Appends one byte.
    fn put_u8(&mut self, v: u8) -> Result<(), EncodeError> {
        self.put(&[v])
    }
    /// Appends a big-endian u16.
    fn put_u16(&mut self, v: u16) -> Result<(), EncodeError> {
        self.put(&v.to_be_bytes())
    }
    /// Appends a big-endian u32.
    fn put_u32(&mut self, v: u32) -> Result<(), EncodeError> {
        self.put(&v.to_be_bytes())
    }
    /// Appends a big-endian u64.
    fn put_u64(&mut self, v: u64) -> Result<(), EncodeError> {
        self.put(&v.to_be_bytes())
    }
    /// Appends a BER / A-XDR length in minimal form ([`crate::ber`]).
    fn put_len(&mut self, n: usize) -> Result<(), EncodeError> {
        if n < 0x80 {
            return self.put_u8(n as u8);
        }
        let (b, l) = crate::ber::length_bytes(n)?;
        self.put(b.get(..l).unwrap_or(&[]))
    }
    /// Appends a length-prefixed octet string.
    fn put_octets(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.put_len(b.len())?;
        self.put(b)
    }
}

impl Sink for Writer<'_> {
    fn put(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.write_bytes(b)
    }
}

/// Counts bytes instead of writing them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counter(pub usize);

impl Sink for Counter {
    fn put(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.0 = self.0.saturating_add(b.len());
        Ok(())
    }
}

/// Runs `f` on a [`Writer`] over `out` after checking that `len` bytes fit,
/// and returns the bytes written.
#[inline]
pub fn encode_with(
    out: &mut [u8],
    len: usize,
    f: impl FnOnce(&mut Writer<'_>) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    if out.len() < len {
        return Err(EncodeError::BufferTooSmall {
            needed: len,
            available: out.len(),
        });
    }
    let mut w = Writer::new(out);
    f(&mut w)?;
    Ok(w.position())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_and_writer_agree_on_lengths() {
        for n in [
            0usize, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x1_0000, 0xFF_FFFF, 0x100_0000,
        ] {
            let mut c = Counter(0);
            c.put_len(n).unwrap();
            let mut buf = [0u8; 8];
            let mut w = Writer::new(&mut buf);
            w.put_len(n).unwrap();
            assert_eq!(c.0, w.position(), "n = {n:#x}");
            assert_eq!(c.0, crate::ber::length_len(n), "n = {n:#x}");
        }
    }

    #[test]
    fn short_buffer_is_reported_before_writing() {
        let mut out = [0u8; 2];
        assert_eq!(
            encode_with(&mut out, 3, |w| w.put(&[1, 2, 3])),
            Err(EncodeError::BufferTooSmall {
                needed: 3,
                available: 2
            })
        );
    }
}

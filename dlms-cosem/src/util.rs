//! Small shared helpers: A-XDR/BER length form, hex display.

use crate::error::Result;
use meterwire_core::{Cursor, EncodeError, Writer};

/// Reads an A-XDR / BER length (`meterwire_core::ber`, 1 to 4 length bytes).
#[inline]
pub(crate) fn read_len(c: &mut Cursor<'_>) -> Result<usize> {
    Ok(meterwire_core::ber::read_length(c)?)
}

/// Reads a length then that many bytes.
#[inline]
pub(crate) fn read_octets<'a>(c: &mut Cursor<'a>) -> Result<&'a [u8]> {
    let n = read_len(c)?;
    Ok(c.take(n)?)
}

/// One whole unit from `input` with a prefix parser (trailing bytes are a length error
/// naming `field`).
#[inline]
pub(crate) fn parse_exact<'a, T>(
    input: &'a [u8],
    field: &'static str,
    prefix: impl FnOnce(&'a [u8]) -> Result<(T, usize)>,
) -> Result<T> {
    let (v, used) = prefix(input)?;
    if used != input.len() {
        return Err(crate::Error::length(field, used, input.len()));
    }
    Ok(v)
}

/// Appends a reassembly segment to `buf[..*len]`. When it does not fit, the partial
/// APDU is dropped (`*len = 0`) and the error is `Error::BufferFull`.
#[inline]
pub(crate) fn append_segment(buf: &mut [u8], len: &mut usize, seg: &[u8]) -> Result<()> {
    let end = len.saturating_add(seg.len());
    let available = buf.len();
    match buf.get_mut(*len..end) {
        Some(dst) => {
            dst.copy_from_slice(seg);
            *len = end;
            Ok(())
        }
        None => {
            *len = 0;
            Err(crate::Error::BufferFull {
                needed: end,
                available,
            })
        }
    }
}

/// A framer's resync point: the next `start` byte after the first byte, else the end.
pub(crate) fn next_start(input: &[u8], start: u8) -> usize {
    input
        .iter()
        .skip(1)
        .position(|&b| b == start)
        .map_or(input.len(), |p| p.saturating_add(1))
}

/// Bytes the length form of `n` takes (`meterwire_core::ber`).
#[inline]
pub(crate) const fn len_len(n: usize) -> usize {
    meterwire_core::ber::length_len(n)
}

/// Writes the length form of `n` (`meterwire_core::ber`, minimal form).
#[inline]
pub(crate) fn write_len(w: &mut Writer<'_>, n: usize) -> Result<(), EncodeError> {
    meterwire_core::ber::write_length(w, n)
}

/// Encoded size of a length-prefixed octet string.
#[inline]
pub(crate) const fn octets_len(data: &[u8]) -> usize {
    len_len(data.len()).saturating_add(data.len())
}

pub use meterwire_core::Hex;

/// Serializes as a hex string (serde feature): core's `Hex` does that itself.
#[cfg(feature = "serde")]
pub(crate) use meterwire_core::Hex as HexStr;

/// serde helpers: bytes as hex strings.
#[cfg(feature = "serde")]
pub(crate) mod hex_serde {
    use super::Hex;
    use serde::Serializer;

    /// Serializes bytes as a hex string.
    pub(crate) fn bytes<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&Hex(v))
    }

    /// Serializes optional bytes as a hex string or null.
    pub(crate) fn opt<S: Serializer>(v: &Option<&[u8]>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(b) => s.collect_str(&Hex(b)),
            None => s.serialize_none(),
        }
    }

    /// Optional bytes that serialize as [`opt`] does, for hand-written `Serialize` impls.
    pub(crate) struct OptHex<'a>(pub(crate) Option<&'a [u8]>);

    impl serde::Serialize for OptHex<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            opt(&self.0, s)
        }
    }
}

/// Writer with encode length checks done up front, for `Encode` impls.
#[inline]
pub(crate) fn encode_with(
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

/// Test helper: hex (whitespace ignored) to bytes.
#[cfg(test)]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used
)]
pub(crate) fn unhex(s: &str) -> std::vec::Vec<u8> {
    let s: std::string::String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_forms_roundtrip() {
        for n in [
            0usize, 1, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0xFF_FFFF, 0x100_0000,
        ] {
            let mut buf = [0u8; 8];
            let mut w = Writer::new(&mut buf);
            write_len(&mut w, n).unwrap();
            assert_eq!(w.position(), len_len(n));
            let p = w.position();
            let mut c = Cursor::new(&buf[..p]);
            assert_eq!(read_len(&mut c).unwrap(), n);
        }
        assert!(read_len(&mut Cursor::new(&[0x80])).is_err());
        assert!(read_len(&mut Cursor::new(&[0x85, 0, 0, 0, 0, 1])).is_err());
    }
}

/// Output of the emit functions: a real [`Writer`] or a byte [`Counter`], so that
/// `encoded_len` and `encode` share one description of the layout.
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
    /// Appends an A-XDR/BER length.
    fn put_len(&mut self, n: usize) -> Result<(), EncodeError> {
        let l = len_len(n);
        if l == 1 {
            return self.put_u8(n as u8);
        }
        let k = l.saturating_sub(1);
        self.put_u8(0x80 | k as u8)?;
        let b = (n as u64).to_be_bytes();
        self.put(b.get(8usize.saturating_sub(k)..).unwrap_or(&[]))
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
#[derive(Debug, Default)]
pub struct Counter(pub usize);

impl Sink for Counter {
    fn put(&mut self, b: &[u8]) -> Result<(), EncodeError> {
        self.0 = self.0.saturating_add(b.len());
        Ok(())
    }
}

/// Implements `Encode` from an `emit<S: Sink>(&self, &mut S)` method.
macro_rules! encode_via_emit {
    ($t:ty) => {
        impl meterwire_core::Encode for $t {
            fn encoded_len(&self) -> usize {
                let mut c = $crate::util::Counter(0);
                let _ = self.emit(&mut c);
                c.0
            }
            fn encode(
                &self,
                out: &mut [u8],
            ) -> core::result::Result<usize, meterwire_core::EncodeError> {
                let n = meterwire_core::Encode::encoded_len(self);
                $crate::util::encode_with(out, n, |w| self.emit(w))
            }
        }
    };
}
pub(crate) use encode_via_emit;

/// One `pub const fn NAME(self) -> bool` per flag of a packed newtype (`self.0`):
/// whether the bits of `MASK` are set.
macro_rules! flag_bits {
    ($($(#[$doc:meta])* $name:ident = $mask:expr;)+) => {
        $(
            $(#[$doc])*
            pub const fn $name(self) -> bool {
                self.0 & $mask != 0
            }
        )+
    };
}
pub(crate) use flag_bits;

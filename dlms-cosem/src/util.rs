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

pub(crate) use meterwire_core::sink::encode_with;

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

pub(crate) use meterwire_core::encode_via_emit;
/// The emit/dry-run pair lives in core ([`meterwire_core::sink`]), shared with
/// every crate's encoders.
pub use meterwire_core::sink::{Counter, Sink};

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

//! BER/DER definite lengths (ITU-T X.690 §8.1.3), also the A-XDR length form of
//! DLMS/COSEM: one implementation for every crate, minimal form on encode.
//!
//! ```
//! use meterwire_core::{ber, Cursor, Writer};
//! let mut buf = [0u8; 5];
//! let mut w = Writer::new(&mut buf);
//! ber::write_length(&mut w, 0x1_0000).unwrap();
//! assert_eq!(&buf[..4], &[0x83, 0x01, 0x00, 0x00]);
//! assert_eq!(ber::read_length(&mut Cursor::new(&buf)).unwrap(), 0x1_0000);
//! ```

use crate::{Cursor, EncodeError, Error, Writer};

/// The most length bytes after the `0x8N` byte that are read or written.
pub const MAX_LENGTH_BYTES: usize = 4;

/// Reads a definite length: short form (`0x00..=0x7F`) or long form with 1 to 4
/// length bytes. The indefinite form `0x80` and more than 4 bytes are errors.
/// Non-minimal long forms (`0x81 0x05`) are accepted, as BER allows.
#[inline]
pub fn read_length(c: &mut Cursor<'_>) -> Result<usize, Error> {
    let first = c.read_u8()?;
    if first < 0x80 {
        return Ok(usize::from(first));
    }
    let n = usize::from(first & 0x7F);
    if n == 0 {
        return Err(Error::unsupported("ber length", 0x80));
    }
    if n > MAX_LENGTH_BYTES {
        return Err(Error::malformed(
            "ber length",
            "expected 1 to 4 length bytes",
        ));
    }
    let v = c.read_uint_be(n)?;
    usize::try_from(v).map_err(|_| Error::malformed("ber length", "too large for this platform"))
}

/// Bytes the minimal encoding of `n` takes (1 to 5).
#[inline]
pub const fn length_len(n: usize) -> usize {
    if n < 0x80 {
        1
    } else if n <= 0xFF {
        2
    } else if n <= 0xFFFF {
        3
    } else if n <= 0xFF_FFFF {
        4
    } else {
        5
    }
}

/// The minimal encoding of `n` as (bytes, used length). Lengths over
/// `u32::MAX` are an error.
pub fn length_bytes(n: usize) -> Result<([u8; 5], usize), EncodeError> {
    let v = u32::try_from(n).map_err(|_| EncodeError::Invalid {
        field: "ber length",
        reason: "at most 4 length bytes",
    })?;
    let be = v.to_be_bytes();
    let out = match length_len(n) {
        1 => [be[3], 0, 0, 0, 0],
        2 => [0x81, be[3], 0, 0, 0],
        3 => [0x82, be[2], be[3], 0, 0],
        4 => [0x83, be[1], be[2], be[3], 0],
        _ => [0x84, be[0], be[1], be[2], be[3]],
    };
    Ok((out, length_len(n)))
}

/// Writes the minimal encoding of `n`.
pub fn write_length(w: &mut Writer<'_>, n: usize) -> Result<(), EncodeError> {
    let (b, l) = length_bytes(n)?;
    w.write_bytes(b.get(..l).unwrap_or(&[]))
}

/// Length of a TLV with a one-byte tag and `content_len` content bytes.
pub const fn tlv_len(content_len: usize) -> usize {
    1usize
        .saturating_add(length_len(content_len))
        .saturating_add(content_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_forms_at_every_boundary() {
        // the dlms-cosem and ansi-c1222 writers disagreed on 0x10000..=0xFFFFFF
        // (0x84 + 4 bytes vs 0x83 + 3 bytes); the minimal form is 0x83.
        let cases: &[(usize, &[u8])] = &[
            (0, &[0x00]),
            (0x7F, &[0x7F]),
            (0x80, &[0x81, 0x80]),
            (0xFF, &[0x81, 0xFF]),
            (0x100, &[0x82, 0x01, 0x00]),
            (0xFFFF, &[0x82, 0xFF, 0xFF]),
            (0x1_0000, &[0x83, 0x01, 0x00, 0x00]),
            (0xFF_FFFF, &[0x83, 0xFF, 0xFF, 0xFF]),
            (0x100_0000, &[0x84, 0x01, 0x00, 0x00, 0x00]),
        ];
        for (n, want) in cases {
            let mut buf = [0u8; 5];
            let mut w = Writer::new(&mut buf);
            write_length(&mut w, *n).unwrap();
            assert_eq!(w.position(), want.len());
            assert_eq!(&buf[..want.len()], *want, "{n:#x}");
            assert_eq!(length_len(*n), want.len());
            assert_eq!(read_length(&mut Cursor::new(want)).unwrap(), *n);
        }
    }

    #[test]
    fn bad_forms() {
        assert!(read_length(&mut Cursor::new(&[0x80])).is_err());
        assert!(read_length(&mut Cursor::new(&[0x85, 0, 0, 0, 0, 1])).is_err());
        assert!(matches!(
            read_length(&mut Cursor::new(&[0x82, 0x01])),
            Err(Error::Truncated { .. })
        ));
        assert_eq!(read_length(&mut Cursor::new(&[0x81, 0x05])).unwrap(), 5);
    }
}

//! Lower-case hex display of byte slices, shared by every crate (Display and serde).
//!
//! ```
//! use meterwire_core::Hex;
//! assert_eq!(Hex(&[0x01, 0xab]).to_string(), "01ab");
//! assert_eq!(format!("{:X}", Hex(&[0x01, 0xab])), "01AB");
//! ```

use core::fmt;

/// Bytes shown as hex: `Display`/`LowerHex` lower case, `UpperHex` upper case,
/// and serialized as a hex string under the `serde` feature.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(self, f)
    }
}

impl fmt::Debug for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hex({self})")
    }
}

impl fmt::LowerHex for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::UpperHex for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The value of one hex digit (`0-9a-fA-F`).
pub const fn hex_digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c.wrapping_sub(b'0')),
        b'a'..=b'f' => Some(c.wrapping_sub(b'a').wrapping_add(10)),
        b'A'..=b'F' => Some(c.wrapping_sub(b'A').wrapping_add(10)),
        _ => None,
    }
}

/// Decodes hex text (an even number of hex digits, no separators) into `out`;
/// returns the number of bytes written, or `None` for a bad digit, an odd
/// length or a too-small `out`.
pub fn decode_hex_into(text: &[u8], out: &mut [u8]) -> Option<usize> {
    if text.len() % 2 != 0 || out.len() < text.len() / 2 {
        return None;
    }
    for (pair, o) in text.chunks_exact(2).zip(out.iter_mut()) {
        let (hi, lo) = match pair {
            [hi, lo] => (hex_digit(*hi)?, hex_digit(*lo)?),
            _ => return None,
        };
        *o = (hi << 4) | lo;
    }
    Some(text.len() / 2)
}

/// A `Display` value serialized as a string (serde's `collect_str`).
#[cfg(feature = "serde")]
pub(crate) struct DisplayStr<T>(pub T);

#[cfg(feature = "serde")]
impl<T: fmt::Display> serde::Serialize for DisplayStr<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn hex_both_cases_and_decode() {
        assert_eq!(format!("{}", Hex(&[0, 0x7f, 0xff])), "007fff");
        assert_eq!(format!("{:X}", Hex(&[0, 0x7f, 0xff])), "007FFF");
        let mut out = [0u8; 3];
        assert_eq!(decode_hex_into(b"007FfF", &mut out), Some(3));
        assert_eq!(out, [0, 0x7f, 0xff]);
        assert_eq!(decode_hex_into(b"0", &mut out), None);
        assert_eq!(decode_hex_into(b"0g", &mut out), None);
        assert_eq!(decode_hex_into(b"00000000", &mut out), None);
    }
}

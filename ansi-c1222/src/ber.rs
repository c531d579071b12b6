//! The small BER subset C12.22 uses (ITU-T X.690): single-byte tags, definite lengths
//! of up to 4 length bytes, OIDs and relative OIDs, non-negative INTEGERs.

use crate::error::{Error, Result};
use core::fmt;
use meterwire_core::{Cursor, EncodeError, Writer};

// definite lengths: the one implementation in core (minimal form on encode)
pub use meterwire_core::ber::{length_bytes, length_len, read_length, tlv_len};

/// Writes a BER length in minimal form: core's `write_length`, with the short form
/// (every C12.22 header element) inlined at the call site.
#[inline]
pub fn write_length(w: &mut Writer<'_>, n: usize) -> Result<(), EncodeError> {
    match u8::try_from(n) {
        Ok(b) if b < 0x80 => w.write_u8(b),
        _ => meterwire_core::ber::write_length(w, n),
    }
}

/// One TLV: tag byte, content, and the whole element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag byte.
    pub tag: u8,
    /// The content octets.
    pub content: &'a [u8],
    /// The whole element (tag, length and content).
    pub raw: &'a [u8],
}

/// Reads one TLV with a single-byte tag.
#[inline(always)]
pub fn read_tlv<'a>(c: &mut Cursor<'a>) -> Result<Tlv<'a>> {
    let start = c.rest();
    // fast path: short-form length (every C12.22 header element); ~9 % of a mode-2
    // decrypt went to the general path in the c12 bench
    if let [tag, len, rest @ ..] = start {
        if *len < 0x80 && tag & 0x1F != 0x1F {
            let l = usize::from(*len);
            if let (Some(content), Some(raw)) = (rest.get(..l), start.get(..l.saturating_add(2))) {
                c.skip(raw.len())?;
                return Ok(Tlv {
                    tag: *tag,
                    content,
                    raw,
                });
            }
        }
        // one length byte in long form (minimal: 0x80..=0xFF), as user-information
        // and the EPSEM of a 128-255 byte message use
        if let (0x81, [l, rest @ ..]) = (*len, rest) {
            let l = usize::from(*l);
            if l >= 0x80 && tag & 0x1F != 0x1F {
                if let (Some(content), Some(raw)) =
                    (rest.get(..l), start.get(..l.saturating_add(3)))
                {
                    c.skip(raw.len())?;
                    return Ok(Tlv {
                        tag: *tag,
                        content,
                        raw,
                    });
                }
            }
        }
    }
    read_tlv_general(c)
}

/// [`read_tlv`] for long-form lengths and errors (kept out of line).
#[inline(never)]
fn read_tlv_general<'a>(c: &mut Cursor<'a>) -> Result<Tlv<'a>> {
    let start = c.rest();
    let tag = c.read_u8()?;
    if tag & 0x1F == 0x1F {
        return Err(Error::unsupported("ber tag", u32::from(tag)));
    }
    let len = read_length(c)?;
    let content = c.take(len)?;
    let used = start.len().saturating_sub(c.remaining());
    Ok(Tlv {
        tag,
        content,
        raw: start.get(..used).unwrap_or(&[]),
    })
}

/// Reads one TLV and checks its tag.
#[inline]
pub fn expect_tlv<'a>(c: &mut Cursor<'a>, tag: u8, field: &'static str) -> Result<Tlv<'a>> {
    let t = read_tlv(c)?;
    if t.tag != tag {
        return Err(Error::malformed(field, "unexpected ber tag"));
    }
    Ok(t)
}

/// Writes tag, minimal length and content.
pub fn write_tlv(w: &mut Writer<'_>, tag: u8, content: &[u8]) -> Result<(), EncodeError> {
    w.write_u8(tag)?;
    write_length(w, content.len())?;
    w.write_bytes(content)
}

/// Decodes a non-negative INTEGER content (1 to 5 bytes, fitting in u32).
#[inline]
pub fn decode_uint(content: &[u8]) -> Result<u32> {
    if content.is_empty() || content.len() > 5 {
        return Err(Error::malformed("integer", "1 to 5 content bytes"));
    }
    if content.first().is_some_and(|&b| b & 0x80 != 0) {
        return Err(Error::malformed("integer", "negative"));
    }
    let v = content.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
    u32::try_from(v).map_err(|_| Error::malformed("integer", "larger than 32 bits"))
}

/// Minimal INTEGER content for a non-negative value: (bytes, len).
pub fn uint_bytes(v: u32) -> ([u8; 5], usize) {
    let be = v.to_be_bytes();
    let mut skip = 0usize;
    while skip < 3
        && be.get(skip) == Some(&0)
        && be
            .get(skip.saturating_add(1))
            .is_some_and(|b| b & 0x80 == 0)
    {
        skip = skip.saturating_add(1);
    }
    let mut out = [0u8; 5];
    let mut len = 0usize;
    if be.get(skip).is_some_and(|b| b & 0x80 != 0) {
        // a leading zero keeps the value non-negative
        out[0] = 0;
        len = 1;
    }
    for b in be.iter().skip(skip) {
        if let Some(d) = out.get_mut(len) {
            *d = *b;
        }
        len = len.saturating_add(1);
    }
    (out, len)
}

/// Checks that OID content is well formed (no empty, no unterminated arc, arcs fit in u64).
#[inline]
pub fn check_oid(content: &[u8], relative: bool) -> Result<()> {
    if content.is_empty() && !relative {
        return Err(Error::malformed("oid", "empty"));
    }
    if content.last().is_some_and(|b| b & 0x80 != 0) {
        return Err(Error::malformed("oid", "unterminated arc"));
    }
    let mut bits = 0u32;
    for &b in content {
        if bits == 0 && b == 0x80 {
            return Err(Error::malformed("oid", "arc with a leading 0x80"));
        }
        bits = bits.saturating_add(7);
        if bits > 63 {
            return Err(Error::malformed("oid", "arc larger than 63 bits"));
        }
        if b & 0x80 == 0 {
            bits = 0;
        }
    }
    Ok(())
}

/// The arcs of OID content (base-128 groups), without the first-arc split.
pub fn arcs(content: &[u8]) -> impl Iterator<Item = u64> + '_ {
    let mut i = 0usize;
    core::iter::from_fn(move || {
        let mut v = 0u64;
        loop {
            let b = *content.get(i)?;
            i = i.saturating_add(1);
            v = (v << 7) | u64::from(b & 0x7F);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
    })
}

/// An object identifier, absolute or relative, displayed in dotted form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Oid<'a> {
    content: &'a [u8],
    relative: bool,
}

impl<'a> Oid<'a> {
    /// An absolute OID from its content octets (checked).
    pub fn absolute(content: &'a [u8]) -> Result<Self> {
        check_oid(content, false)?;
        Ok(Oid {
            content,
            relative: false,
        })
    }
    /// A relative OID from its content octets (checked).
    pub fn relative(content: &'a [u8]) -> Result<Self> {
        check_oid(content, true)?;
        Ok(Oid {
            content,
            relative: true,
        })
    }
    /// From content already checked by [`check_oid`].
    pub(crate) const fn from_parts(content: &'a [u8], relative: bool) -> Self {
        Oid { content, relative }
    }
    /// The content octets.
    pub fn content(&self) -> &'a [u8] {
        self.content
    }
    /// True for a RELATIVE-OID.
    pub fn is_relative(&self) -> bool {
        self.relative
    }
}

impl fmt::Display for Oid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, arc) in arcs(self.content).enumerate() {
            if i == 0 && !self.relative {
                let (a, b) = match arc {
                    0..=39 => (0, arc),
                    40..=79 => (1, arc.saturating_sub(40)),
                    _ => (2, arc.saturating_sub(80)),
                };
                write!(f, "{a}.{b}")?;
            } else {
                if i > 0 {
                    f.write_str(".")?;
                }
                write!(f, "{arc}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::string::ToString;

    #[test]
    fn oid_display() {
        // 2.16.124.113620.1.22 (the C12.22 root)
        let c = [0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16];
        assert_eq!(
            Oid::absolute(&c).unwrap().to_string(),
            "2.16.124.113620.1.22"
        );
        assert_eq!(
            Oid::relative(&[0x11, 0x82, 0x02]).unwrap().to_string(),
            "17.258"
        );
    }

    #[test]
    fn uint_minimal() {
        assert_eq!(uint_bytes(2), ([2, 0, 0, 0, 0], 1));
        assert_eq!(uint_bytes(0x80), ([0, 0x80, 0, 0, 0], 2));
        assert_eq!(uint_bytes(0x39a00ebb).1, 4);
        assert_eq!(uint_bytes(0xFFFF_FFFF).1, 5);
        assert_eq!(
            decode_uint(&[0, 0xff, 0xff, 0xff, 0xff]).unwrap(),
            0xFFFF_FFFF
        );
    }
}

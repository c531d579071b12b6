//! Bounds-checked writing.

use crate::EncodeError;

/// A bounds-checked writer into a caller's buffer; never allocates, never panics.
///
/// A write that does not fit returns [`EncodeError::BufferTooSmall`] and writes nothing.
#[derive(Debug)]
pub struct Writer<'a> {
    buf: &'a mut [u8],
    pos: usize,
}

/// Integer writers, one line a type: `type: name(conversion, "endianness"), ...;`.
macro_rules! write_ints {
    ($($t:ty: $($name:ident($to:ident, $endian:literal)),+;)+) => {
        $($(
            #[doc = concat!("Writes a ", $endian, "-endian `", stringify!($t), "`.")]
            #[inline]
            pub fn $name(&mut self, v: $t) -> Result<(), EncodeError> {
                self.write_bytes(&v.$to())
            }
        )+)+
    };
}

impl<'a> Writer<'a> {
    /// A writer at the start of `buf`.
    #[inline]
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    /// Bytes written so far.
    #[inline]
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Space left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// The bytes written so far.
    #[inline]
    pub fn written(&self) -> &[u8] {
        self.buf.get(..self.pos).unwrap_or(&[])
    }

    /// Mutable access to the bytes written so far (e.g. to patch a length field).
    #[inline]
    pub fn written_mut(&mut self) -> &mut [u8] {
        self.buf.get_mut(..self.pos).unwrap_or(&mut [])
    }

    /// Reserves `n` bytes and returns them for the caller to fill.
    #[inline]
    pub fn reserve(&mut self, n: usize) -> Result<&mut [u8], EncodeError> {
        let available = self.buf.len();
        let end = self.pos.checked_add(n).filter(|&e| e <= available).ok_or(
            EncodeError::BufferTooSmall {
                needed: self.pos.saturating_add(n),
                available,
            },
        )?;
        let start = self.pos;
        self.pos = end;
        self.buf
            .get_mut(start..end)
            .ok_or(EncodeError::BufferTooSmall {
                needed: end,
                available,
            })
    }

    /// Writes a byte slice.
    #[inline]
    pub fn write_bytes(&mut self, data: &[u8]) -> Result<(), EncodeError> {
        self.reserve(data.len())?.copy_from_slice(data);
        Ok(())
    }

    /// Writes one byte.
    #[inline]
    pub fn write_u8(&mut self, v: u8) -> Result<(), EncodeError> {
        self.write_bytes(&[v])
    }

    write_ints! {
        u16: write_u16_be(to_be_bytes, "big"), write_u16_le(to_le_bytes, "little");
        u32: write_u32_be(to_be_bytes, "big"), write_u32_le(to_le_bytes, "little");
        u64: write_u64_be(to_be_bytes, "big"), write_u64_le(to_le_bytes, "little");
    }

    /// Writes the low `n` bytes of `v` big-endian (`n <= 8`).
    pub fn write_uint_be(&mut self, v: u64, n: usize) -> Result<(), EncodeError> {
        let bytes = v.to_be_bytes();
        let start = 8usize.checked_sub(n).ok_or(EncodeError::Invalid {
            field: "integer width",
            reason: "at most 8 bytes",
        })?;
        self.write_bytes(bytes.get(start..).unwrap_or(&[]))
    }

    /// Writes the low `n` bytes of `v` little-endian (`n <= 8`).
    pub fn write_uint_le(&mut self, v: u64, n: usize) -> Result<(), EncodeError> {
        let bytes = v.to_le_bytes();
        let part = bytes.get(..n).ok_or(EncodeError::Invalid {
            field: "integer width",
            reason: "at most 8 bytes",
        })?;
        self.write_bytes(part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cursor;

    #[test]
    fn writes_and_refuses_overflow() {
        let mut buf = [0u8; 16];
        let mut w = Writer::new(&mut buf);
        w.write_u8(0xAA).unwrap();
        w.write_u16_le(0x0201).unwrap();
        w.write_u32_be(0x0304_0506).unwrap();
        w.write_uint_be(0x07_0809, 3).unwrap();
        w.write_uint_le(0x0C_0B0A, 3).unwrap();
        assert_eq!(w.position(), 13);
        assert_eq!(
            w.write_u32_le(0),
            Err(EncodeError::BufferTooSmall {
                needed: 17,
                available: 16
            })
        );
        assert_eq!(w.position(), 13, "failed write must not advance");
        assert!(w.write_uint_be(0, 9).is_err());
        w.written_mut()[0] = 0xAB;
        assert_eq!(
            w.written(),
            &[0xAB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x0A, 0x0B, 0x0C]
        );
        let mut c = Cursor::new(&buf[1..]);
        assert_eq!(c.read_u16_le().unwrap(), 0x0201);
        assert_eq!(c.read_u32_be().unwrap(), 0x0304_0506);
    }
}

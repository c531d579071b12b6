//! Bounds-checked reading.

use crate::Error;

/// A bounds-checked reader over a borrowed byte slice.
///
/// Every read returns [`Error::Truncated`] with the number of missing bytes
/// instead of panicking. Slices returned by [`Cursor::take`] borrow the input.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

/// Integer readers, one line a type: `type: name(conversion, "endianness"), ...;`.
macro_rules! read_ints {
    ($($t:ty: $($name:ident($from:ident, $endian:literal)),+;)+) => {
        $($(
            #[doc = concat!("Reads a ", $endian, "-endian `", stringify!($t), "`.")]
            #[inline]
            pub fn $name(&mut self) -> Result<$t, Error> {
                let arr = self.read_array::<{ core::mem::size_of::<$t>() }>()?;
                Ok(<$t>::$from(arr))
            }
        )+)+
    };
}

/// `acc` with byte `b` shifted in at the low end.
fn shift_in(acc: u64, b: &u8) -> u64 {
    (acc << 8) | u64::from(*b)
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`.
    #[inline]
    pub const fn new(data: &'a [u8]) -> Self {
        Cursor { data, pos: 0 }
    }

    /// Bytes read so far.
    #[inline]
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left to read.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// `true` when nothing is left.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The unread rest of the input, without consuming it.
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    /// Takes `n` bytes as a borrowed slice.
    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let rest = self.rest();
        match rest.get(..n) {
            Some(s) => {
                self.pos = self.pos.saturating_add(n);
                Ok(s)
            }
            None => Err(Error::Truncated {
                needed: n.saturating_sub(rest.len()),
            }),
        }
    }

    /// Takes everything that is left.
    #[inline]
    pub fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.data.len();
        rest
    }

    /// Skips `n` bytes.
    #[inline]
    pub fn skip(&mut self, n: usize) -> Result<(), Error> {
        self.take(n).map(|_| ())
    }

    /// Reads a fixed-size array.
    #[inline]
    pub fn read_array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let s = self.take(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// Returns the next byte without consuming it.
    #[inline]
    pub fn peek_u8(&self) -> Result<u8, Error> {
        self.rest()
            .first()
            .copied()
            .ok_or(Error::Truncated { needed: 1 })
    }

    /// Reads one byte.
    #[inline]
    pub fn read_u8(&mut self) -> Result<u8, Error> {
        let b = self.peek_u8()?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    read_ints! {
        u16: read_u16_be(from_be_bytes, "big"), read_u16_le(from_le_bytes, "little");
        u32: read_u32_be(from_be_bytes, "big"), read_u32_le(from_le_bytes, "little");
        u64: read_u64_be(from_be_bytes, "big"), read_u64_le(from_le_bytes, "little");
    }

    /// Reads a big-endian unsigned integer of `n` bytes (`n <= 8`), e.g. 24 or 48 bits.
    pub fn read_uint_be(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self.take_uint(n)?.iter().fold(0u64, shift_in))
    }

    /// Reads a little-endian unsigned integer of `n` bytes (`n <= 8`), e.g. 24 or 48 bits.
    pub fn read_uint_le(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self.take_uint(n)?.iter().rev().fold(0u64, shift_in))
    }

    /// The `n <= 8` bytes of an integer.
    fn take_uint(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > 8 {
            return Err(Error::malformed("integer width", "at most 8 bytes"));
        }
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_widths_both_orders() {
        let d = [
            1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
            24, 25, 26, 27, 28, 29, 30,
        ];
        let mut c = Cursor::new(&d);
        assert_eq!(c.read_u8().unwrap(), 1);
        assert_eq!(c.read_u16_be().unwrap(), 0x0203);
        assert_eq!(c.read_u16_le().unwrap(), 0x0504);
        assert_eq!(c.read_u32_be().unwrap(), 0x0607_0809);
        assert_eq!(c.read_u32_le().unwrap(), 0x0D0C_0B0A);
        assert_eq!(c.read_u64_be().unwrap(), 0x0E0F_1011_1213_1415);
        assert_eq!(c.position(), 21);
        assert_eq!(c.read_uint_le(3).unwrap(), 0x18_1716);
        assert_eq!(c.read_uint_be(3).unwrap(), 0x19_1A1B);
        assert_eq!(c.remaining(), 3);
        assert_eq!(c.read_u64_le(), Err(Error::Truncated { needed: 5 }));
        // a failed read consumes nothing
        assert_eq!(c.remaining(), 3);
        assert_eq!(c.take(2).unwrap(), &[28, 29]);
        assert_eq!(c.peek_u8().unwrap(), 30);
        assert_eq!(c.take_rest(), &[30]);
        assert!(c.is_empty());
        assert_eq!(c.read_u8(), Err(Error::Truncated { needed: 1 }));
        assert_eq!(
            c.take(usize::MAX),
            Err(Error::Truncated { needed: usize::MAX })
        );
        assert!(c.read_uint_be(9).is_err());
    }
}

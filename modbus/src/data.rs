//! Zero-copy payload types: registers (u16 big-endian), bits (LSB first), raw
//! bytes and lists of records. Each one is either a view over validated wire
//! bytes (what the decoders hand out) or a borrowed slice of values (what an
//! encoder is given without an allocator); all are `Copy`. The owned payloads
//! of the Reprs (`Vec`s) are in [`storage`](crate::storage).

use core::fmt;
use meterwire_core::{Cursor, EncodeError, Writer};

use crate::Error;

// ---------------------------------------------------------------- registers

#[derive(Clone, Copy)]
enum RegInner<'a> {
    Wire(&'a [u8]),
    Slice(&'a [u16]),
}

/// 16-bit registers: a lazy big-endian view over the frame or a list of values.
#[derive(Clone, Copy)]
pub struct Registers<'a>(RegInner<'a>);

impl<'a> Registers<'a> {
    /// A view over wire bytes (big-endian pairs). An odd trailing byte is ignored.
    pub const fn from_wire(bytes: &'a [u8]) -> Self {
        Registers(RegInner::Wire(bytes))
    }

    /// Values to encode.
    pub const fn from_slice(values: &'a [u16]) -> Self {
        Registers(RegInner::Slice(values))
    }

    /// Number of registers.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            RegInner::Wire(b) => b.len() / 2,
            RegInner::Slice(s) => s.len(),
        }
    }

    /// `true` when there are none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The register at `index`.
    pub fn get(&self, index: usize) -> Option<u16> {
        match &self.0 {
            RegInner::Wire(b) => {
                let i = index.checked_mul(2)?;
                let hi = *b.get(i)?;
                let lo = *b.get(i.checked_add(1)?)?;
                Some(u16::from_be_bytes([hi, lo]))
            }
            RegInner::Slice(s) => s.get(index).copied(),
        }
    }

    /// The raw big-endian bytes when this is a view over a frame.
    pub fn as_wire_bytes(&self) -> Option<&'a [u8]> {
        match self.0 {
            RegInner::Wire(b) => Some(b),
            _ => None,
        }
    }

    /// Iterates the values (no allocation).
    #[inline]
    pub fn iter(&self) -> RegisterIter<'_> {
        match &self.0 {
            RegInner::Wire(b) => RegisterIter::Wire(b.chunks_exact(2)),
            RegInner::Slice(s) => RegisterIter::Slice(s.iter()),
        }
    }

    /// Byte length on the wire.
    #[inline]
    pub fn wire_len(&self) -> usize {
        self.len().saturating_mul(2)
    }

    #[inline]
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if let RegInner::Wire(b) = self.0 {
            let n = b.len() & !1;
            return w.write_bytes(b.get(..n).unwrap_or(&[]));
        }
        let values: &[u16] = match &self.0 {
            RegInner::Slice(s) => s,
            RegInner::Wire(_) => &[],
        };
        let out = w.reserve(values.len().saturating_mul(2))?;
        for (dst, v) in out.chunks_exact_mut(2).zip(values) {
            dst.copy_from_slice(&v.to_be_bytes());
        }
        Ok(())
    }
}

/// Iterator over [`Registers`].
#[derive(Debug, Clone)]
pub enum RegisterIter<'a> {
    /// Over wire bytes.
    #[doc(hidden)]
    Wire(core::slice::ChunksExact<'a, u8>),
    /// Over values.
    #[doc(hidden)]
    Slice(core::slice::Iter<'a, u16>),
}

impl Iterator for RegisterIter<'_> {
    type Item = u16;
    #[inline]
    fn next(&mut self) -> Option<u16> {
        match self {
            RegisterIter::Wire(c) => c.next().map(|p| match p {
                [hi, lo] => u16::from_be_bytes([*hi, *lo]),
                _ => 0,
            }),
            RegisterIter::Slice(s) => s.next().copied(),
        }
    }
    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            RegisterIter::Wire(c) => c.size_hint(),
            RegisterIter::Slice(s) => s.size_hint(),
        }
    }
    /// One dispatch for the whole iteration (`sum`, `for_each`, `collect` ...).
    #[inline]
    fn fold<B, F: FnMut(B, u16) -> B>(self, init: B, mut f: F) -> B {
        match self {
            RegisterIter::Wire(c) => c.fold(init, |acc, p| match p {
                [hi, lo] => f(acc, u16::from_be_bytes([*hi, *lo])),
                _ => acc,
            }),
            RegisterIter::Slice(s) => s.fold(init, |acc, v| f(acc, *v)),
        }
    }
}
impl ExactSizeIterator for RegisterIter<'_> {}

impl<'a> IntoIterator for &'a Registers<'_> {
    type Item = u16;
    type IntoIter = RegisterIter<'a>;
    fn into_iter(self) -> RegisterIter<'a> {
        self.iter()
    }
}

// ---------------------------------------------------------------- bits

#[derive(Clone, Copy)]
enum BitInner<'a> {
    Wire { bytes: &'a [u8], count: usize },
    Slice(&'a [bool]),
}

/// Coils or discrete inputs: a lazy LSB-first view over packed bytes or a list of values.
#[derive(Clone, Copy)]
pub struct Bits<'a>(BitInner<'a>);

impl<'a> Bits<'a> {
    /// A view over `count` bits packed LSB first in `bytes` (count is capped at `8 * bytes.len()`).
    pub fn from_wire(bytes: &'a [u8], count: usize) -> Self {
        Bits(BitInner::Wire {
            bytes,
            count: count.min(bytes.len().saturating_mul(8)),
        })
    }

    /// Values to encode.
    pub const fn from_slice(values: &'a [bool]) -> Self {
        Bits(BitInner::Slice(values))
    }

    /// Number of bits.
    #[inline]
    pub fn len(&self) -> usize {
        match &self.0 {
            BitInner::Wire { count, .. } => *count,
            BitInner::Slice(s) => s.len(),
        }
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bit at `index`.
    pub fn get(&self, index: usize) -> Option<bool> {
        match &self.0 {
            BitInner::Wire { bytes, count } => {
                if index >= *count {
                    return None;
                }
                let byte = bytes.get(index / 8)?;
                Some(byte >> (index % 8) & 1 == 1)
            }
            BitInner::Slice(s) => s.get(index).copied(),
        }
    }

    /// The packed bytes when this is a view over a frame.
    pub fn as_wire_bytes(&self) -> Option<&'a [u8]> {
        match self.0 {
            BitInner::Wire { bytes, .. } => Some(bytes),
            _ => None,
        }
    }

    /// Iterates the bits (no allocation).
    pub fn iter(&self) -> BitIter<'_> {
        BitIter {
            bits: self,
            index: 0,
        }
    }

    /// Packed byte length on the wire: `ceil(len / 8)`.
    pub fn wire_len(&self) -> usize {
        self.len().div_ceil(8)
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let n = self.wire_len();
        if let BitInner::Wire { bytes, .. } = self.0 {
            return w.write_bytes(bytes.get(..n).unwrap_or(&[]));
        }
        let out = w.reserve(n)?;
        out.fill(0);
        for (i, b) in self.iter().enumerate() {
            if b {
                if let Some(byte) = out.get_mut(i / 8) {
                    *byte |= 1 << (i % 8);
                }
            }
        }
        Ok(())
    }
}

/// Iterator over [`Bits`].
#[derive(Debug, Clone)]
pub struct BitIter<'a> {
    bits: &'a Bits<'a>,
    index: usize,
}

impl Iterator for BitIter<'_> {
    type Item = bool;
    #[inline]
    fn next(&mut self) -> Option<bool> {
        let b = self.bits.get(self.index)?;
        self.index = self.index.saturating_add(1);
        Some(b)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.bits.len().saturating_sub(self.index);
        (n, Some(n))
    }
}
impl ExactSizeIterator for BitIter<'_> {}

/// Equal when the values are equal (a wire view equals a slice of the same
/// values); `Debug` as a list of the values.
macro_rules! value_eq_debug {
    ($($t:ident),*) => {$(
        impl PartialEq for $t<'_> {
            fn eq(&self, other: &Self) -> bool {
                self.len() == other.len() && self.iter().eq(other.iter())
            }
        }
        impl Eq for $t<'_> {}

        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.iter()).finish()
            }
        }
    )*};
}
value_eq_debug!(Registers, Bits);

impl fmt::Debug for BitInner<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bits")
    }
}

// ---------------------------------------------------------------- bytes

/// Opaque bytes (diagnostic data, server id, event log, unknown PDUs). Serialized as hex.
#[derive(Clone, Copy)]
pub struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    /// Borrowed bytes.
    pub const fn new(bytes: &'a [u8]) -> Self {
        Bytes(bytes)
    }

    /// The bytes.
    pub const fn as_slice(&self) -> &'a [u8] {
        self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// `true` when empty.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

impl PartialEq for Bytes<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Bytes<'_> {}

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Lower-case hex.
impl fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.as_slice() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------- record lists

/// A record that appears repeated in a PDU (file records, device id objects),
/// read lazily from the wire.
pub trait Record<'a>: WriteRecord + Copy {
    /// Reads one record; the input was validated, but errors are still reported.
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error>;
}

/// Encoding of one record, borrowed or owned.
pub trait WriteRecord {
    /// Encoded length in bytes.
    fn wire_len(&self) -> usize;
    /// Writes the record.
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError>;
}

#[derive(Clone, Copy)]
enum SeqInner<'a, T> {
    Wire(&'a [u8]),
    Slice(&'a [T]),
}

/// A list of records: a lazy view over validated wire bytes or a list of values.
#[derive(Clone, Copy)]
pub struct Seq<'a, T>(SeqInner<'a, T>);

impl<'a, T: Record<'a>> Seq<'a, T> {
    /// A view over wire bytes that [`Seq::validate`] accepted.
    pub(crate) const fn from_wire(bytes: &'a [u8]) -> Self {
        Seq(SeqInner::Wire(bytes))
    }

    /// Checks that `bytes` is exactly a whole number of records.
    pub(crate) fn validate(bytes: &'a [u8]) -> Result<usize, Error> {
        let mut c = Cursor::new(bytes);
        let mut n = 0usize;
        while !c.is_empty() {
            T::read(&mut c)?;
            n = n.saturating_add(1);
        }
        Ok(n)
    }

    /// Values to encode.
    pub const fn from_slice(values: &'a [T]) -> Self {
        Seq(SeqInner::Slice(values))
    }

    /// Iterates the records.
    pub fn iter(&self) -> SeqIter<'_, 'a, T> {
        match &self.0 {
            SeqInner::Wire(b) => SeqIter::Wire(Cursor::new(b)),
            SeqInner::Slice(s) => SeqIter::Slice(s.iter()),
        }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        match &self.0 {
            SeqInner::Wire(_) => self.iter().count(),
            SeqInner::Slice(s) => s.len(),
        }
    }

    /// `true` when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Encoded length of all records.
    pub fn wire_len(&self) -> usize {
        match &self.0 {
            SeqInner::Wire(b) => b.len(),
            _ => self
                .iter()
                .fold(0usize, |acc, r| acc.saturating_add(r.wire_len())),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if let SeqInner::Wire(b) = self.0 {
            return w.write_bytes(b);
        }
        for r in self.iter() {
            r.write(w)?;
        }
        Ok(())
    }
}

/// Iterator over a [`Seq`].
#[derive(Debug, Clone)]
pub enum SeqIter<'s, 'a, T> {
    /// Over wire bytes.
    #[doc(hidden)]
    Wire(Cursor<'a>),
    /// Over values.
    #[doc(hidden)]
    Slice(core::slice::Iter<'s, T>),
}

impl<'a, T: Record<'a>> Iterator for SeqIter<'_, 'a, T> {
    type Item = T;
    fn next(&mut self) -> Option<T> {
        match self {
            SeqIter::Wire(c) => {
                if c.is_empty() {
                    None
                } else {
                    T::read(c).ok()
                }
            }
            SeqIter::Slice(s) => s.next().cloned(),
        }
    }
}

impl<'a, T: Record<'a> + PartialEq> PartialEq for Seq<'a, T> {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl<'a, T: Record<'a> + fmt::Debug> fmt::Debug for Seq<'a, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

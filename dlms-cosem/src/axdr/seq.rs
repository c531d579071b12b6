//! The borrowed containers: bit-strings, arrays and structures ([`Seq`], walked lazily
//! over validated bytes) and compact arrays.

use super::Data;
use super::parse::{parse_fast, parse_untagged};
use meterwire_core::Cursor;

/// A bit-string: `bits` bits, MSB first, in `bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitString<'a> {
    /// Number of bits.
    pub bits: usize,
    /// The bytes (ceil(bits / 8)).
    pub bytes: &'a [u8],
}

impl BitString<'_> {
    /// Bit `i` (0 = MSB of the first byte).
    pub fn get(&self, i: usize) -> Option<bool> {
        if i >= self.bits {
            return None;
        }
        let byte = self.bytes.get(i / 8)?;
        Some(byte & (0x80 >> (i % 8)) != 0)
    }
}

/// Sentinel count: walk until the body is used up (compact-array contents).
const UNKNOWN_COUNT: u32 = u32::MAX;

/// The elements of an array or structure, validated, walked lazily.
///
/// Kept small (40 bytes) because every decoded value is moved around by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seq<'a> {
    pub(super) body: &'a [u8],
    /// `None`: tagged elements. `Some`: untagged elements (compact-array contents)
    /// described by one type description (`repeat`, arrays) or one per element.
    pub(super) desc: Option<&'a [u8]>,
    pub(super) count: u32,
    pub(super) repeat: bool,
    pub(super) depth: u8,
}

impl<'a> Seq<'a> {
    pub(super) fn tagged(count: usize, body: &'a [u8], depth: usize) -> Self {
        Seq {
            body,
            desc: None,
            count: u32::try_from(count).unwrap_or(UNKNOWN_COUNT),
            repeat: false,
            depth: depth as u8,
        }
    }

    pub(super) fn typed(
        count: Option<usize>,
        body: &'a [u8],
        desc: &'a [u8],
        repeat: bool,
        depth: usize,
    ) -> Self {
        Seq {
            body,
            desc: Some(desc),
            count: count
                .and_then(|c| u32::try_from(c).ok())
                .unwrap_or(UNKNOWN_COUNT),
            repeat,
            depth: depth as u8,
        }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        if self.count == UNKNOWN_COUNT {
            self.iter().count()
        } else {
            self.count as usize
        }
    }
    /// `true` when there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The elements' encoded bytes (tagged, or untagged inside a compact array).
    pub fn body(&self) -> &'a [u8] {
        self.body
    }
    /// Whether the elements carry tags (false inside compact arrays).
    pub fn is_tagged(&self) -> bool {
        self.desc.is_none()
    }
    /// Iterates the elements.
    #[inline]
    pub fn iter(&self) -> SeqIter<'a> {
        SeqIter {
            left: (self.count != UNKNOWN_COUNT).then_some(self.count as usize),
            cur: Cursor::new(self.body),
            desc: self.desc.map(Cursor::new),
            repeat: self.repeat,
            depth: usize::from(self.depth),
        }
    }
    /// Element `i` (walks from the start).
    pub fn get(&self, i: usize) -> Option<Data<'a>> {
        self.iter().nth(i)
    }
}

impl<'a> IntoIterator for Seq<'a> {
    type Item = Data<'a>;
    type IntoIter = SeqIter<'a>;
    fn into_iter(self) -> SeqIter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &Seq<'a> {
    type Item = Data<'a>;
    type IntoIter = SeqIter<'a>;
    fn into_iter(self) -> SeqIter<'a> {
        self.iter()
    }
}

/// Iterator over a [`Seq`]'s elements (they were validated when the `Seq` was parsed).
#[derive(Debug, Clone)]
pub struct SeqIter<'a> {
    left: Option<usize>,
    cur: Cursor<'a>,
    desc: Option<Cursor<'a>>,
    pub(super) repeat: bool,
    pub(super) depth: usize,
}

impl<'a> Iterator for SeqIter<'a> {
    type Item = Data<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Data<'a>> {
        match self.left {
            Some(0) => return None,
            Some(n) => self.left = Some(n.saturating_sub(1)),
            None if self.cur.is_empty() => return None,
            None => {}
        }
        let r = match &mut self.desc {
            None => parse_fast(&mut self.cur, self.depth),
            Some(d) => {
                if self.repeat {
                    let mut d2 = d.clone();
                    parse_untagged(&mut d2, &mut self.cur, self.depth)
                } else {
                    parse_untagged(d, &mut self.cur, self.depth)
                }
            }
        };
        match r {
            Ok(v) => Some(v),
            Err(_) => {
                self.left = Some(0);
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self.left {
            Some(n) => (n, Some(n)),
            None => (0, Some(self.cur.remaining())),
        }
    }
}

/// A compact-array: a type description and contents of untagged elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompactArray<'a> {
    /// The encoded type description of each element.
    pub description: &'a [u8],
    /// The array contents (untagged elements back to back).
    pub contents: &'a [u8],
    pub(super) depth: usize,
}

impl<'a> CompactArray<'a> {
    /// The elements.
    pub fn elements(&self) -> Seq<'a> {
        Seq::typed(None, self.contents, self.description, true, self.depth)
    }
}

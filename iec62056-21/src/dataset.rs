//! The data-set grammar shared by IEC 62056-21 data messages and DSMR P1 lines
//! (IEC 62056-21:2002 §6.5 "data set": `address(value[*unit])`, one or more value
//! groups per address, several sets per line), written with nom 8 over a complete,
//! already framed input; every piece borrows the input.

use nom::{
    IResult, Parser,
    bytes::complete::{take_till, take_till1},
    character::complete::char,
    combinator::recognize,
    multi::many1_count,
    sequence::delimited,
};

// The grammar runs over bytes: nom's `take_till` on `&[u8]` is a plain byte search,
// on `&str` it decodes chars (measured 3x slower on P1 lines). Delimiters are ASCII,
// so every cut is a char boundary and the pieces go back to `&str` unchanged.

/// One `(…)` group: the bytes between the parentheses.
fn group(i: &[u8]) -> IResult<&[u8], &[u8]> {
    delimited(
        char('('),
        take_till(|c| matches!(c, b')' | b'(' | b'\r' | b'\n')),
        char(')'),
    )
    .parse(i)
}

/// One or more groups, as the bytes `(…)(…)` that hold them.
fn groups_bytes(i: &[u8]) -> IResult<&[u8], &[u8]> {
    recognize(many1_count(group)).parse(i)
}

/// An address (OBIS or a vendor register) up to its first group.
fn address(i: &[u8]) -> IResult<&[u8], &[u8]> {
    take_till1(|c| matches!(c, b'(' | b')' | b'\r' | b'\n' | b'!' | b'/')).parse(i)
}

/// Cuts `i` (whose bytes the grammar ran over) into `(rest, piece)` by byte counts; the
/// cuts are at ASCII delimiters, so `str::get` only checks the boundaries.
fn cut(i: &str, start: usize, len: usize) -> &str {
    i.get(start..start.saturating_add(len)).unwrap_or("")
}

/// One or more groups, as the text `(…)(…)` that holds them.
pub(crate) fn groups(i: &str) -> IResult<&str, &str> {
    match groups_bytes(i.as_bytes()) {
        Ok((rest, g)) => {
            let used = i.len().saturating_sub(rest.len());
            Ok((cut(i, used, rest.len()), cut(i, 0, g.len())))
        }
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Many1Count,
        ))),
    }
}

/// `address(…)(…)`: the address and the text of its groups.
pub(crate) fn data_set(i: &str) -> IResult<&str, (&str, &str)> {
    match (address, groups_bytes).parse(i.as_bytes()) {
        Ok((rest, (a, g))) => {
            let used = i.len().saturating_sub(rest.len());
            Ok((
                cut(i, used, rest.len()),
                (cut(i, 0, a.len()), cut(i, a.len(), g.len())),
            ))
        }
        Err(_) => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::TakeTill1,
        ))),
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The high bit of every zero byte of `x` (exact for the lowest one, which is all
/// the scans below use).
#[inline(always)]
const fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// The first position in `hay` that `hits` marks, eight bytes at a time: `hits`
/// gives the high bit of the wanted bytes of a little-endian word, `wanted` tests
/// a byte of the remainder.
#[inline(always)]
fn swar_position(
    hay: &[u8],
    hits: impl Fn(u64) -> u64,
    wanted: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    let mut base = 0usize;
    for c in chunks.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let found = hits(u64::from_le_bytes(w));
        if found != 0 {
            let i = (found.trailing_zeros() / 8) as usize;
            return Some(base.saturating_add(i));
        }
        base = base.saturating_add(8);
    }
    chunks
        .remainder()
        .iter()
        .position(|&c| wanted(c))
        .map(|i| base.saturating_add(i))
}

/// Position of a byte in `hay`, eight bytes at a time (SWAR: a word has the byte iff
/// `(x - 0x01..) & !x & 0x80..` is non-zero after XOR with the repeated byte).
#[inline]
pub(crate) fn memchr(b: u8, hay: &[u8]) -> Option<usize> {
    let rep = LO.wrapping_mul(u64::from(b));
    swar_position(hay, |w| zero_bytes(w ^ rep), |c| c == b)
}

/// Position of the first of two bytes in `hay`, eight bytes at a time (as [`memchr`]).
#[inline]
pub(crate) fn memchr2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    let (ra, rb) = (LO.wrapping_mul(u64::from(a)), LO.wrapping_mul(u64::from(b)));
    swar_position(
        hay,
        |w| zero_bytes(w ^ ra) | zero_bytes(w ^ rb),
        |c| c == a || c == b,
    )
}

/// Position of an ASCII byte in `s` (a byte scan: `str::find(char)` runs a char
/// searcher with a memcmp per candidate, measured 20% of a P1 decode).
#[inline]
pub(crate) fn find_byte(s: &str, b: u8) -> Option<usize> {
    memchr(b, s.as_bytes())
}

/// Splits `s` at the first ASCII byte `b` (excluded).
#[inline]
pub(crate) fn split_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let p = find_byte(s, b)?;
    Some((s.get(..p)?, s.get(p.saturating_add(1)..)?))
}

/// One value group `value[*unit]` of a data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group<'a> {
    raw: &'a str,
    /// Index of the first `*` in `raw` (`usize::MAX` without one), found once.
    star: usize,
}

/// Index of the first `*` in `raw`, `usize::MAX` if none.
const fn star_of(raw: &str) -> usize {
    let mut b = raw.as_bytes();
    let mut i = 0usize;
    while let [c, rest @ ..] = b {
        if *c == b'*' {
            return i;
        }
        i = i.wrapping_add(1);
        b = rest;
    }
    usize::MAX
}

impl<'a> Group<'a> {
    /// A group from the text between its parentheses.
    #[inline]
    pub const fn new(raw: &'a str) -> Self {
        Group {
            raw,
            star: star_of(raw),
        }
    }

    /// The text between the parentheses.
    #[inline]
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The value: the text before `*` (all of it without a unit).
    #[inline]
    pub fn value(&self) -> &'a str {
        self.raw.get(..self.star).unwrap_or(self.raw)
    }

    /// The unit after `*`, if any.
    #[inline]
    pub fn unit(&self) -> Option<&'a str> {
        self.raw.get(self.star.checked_add(1)?..)
    }

    /// Whether the group is `()`.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }
}

/// Index of the first byte below 0x2B from `i` on: every delimiter inside a
/// group (`( ) *` CR LF) is below it, digits and letters are not, so a value is
/// skipped eight bytes at a time (SWAR: a byte `c < n` sets bit 7 of
/// `(x - n·0x01..) & !x`, exactly for the lowest such byte).
#[inline(always)]
fn next_low(b: &[u8], mut i: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(w) = b.get(i..i.checked_add(8)?) {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        let x = u64::from_le_bytes(a);
        let m = x.wrapping_sub(LO.wrapping_mul(0x2B)) & !x & HI;
        if m != 0 {
            return Some(i.wrapping_add((m.trailing_zeros() / 8) as usize));
        }
        i = i.wrapping_add(8);
    }
    while let Some(&c) = b.get(i) {
        if c < 0x2B {
            return Some(i);
        }
        i = i.wrapping_add(1);
    }
    None
}

/// `(`, CR and LF as bits of a mask (all below 64, as `next_low` stops below 0x2B).
const REJECT: u64 = (1 << b'(') | (1 << b'\r') | (1 << b'\n');

/// Cuts the group that opens `s` as the grammar reads it (`(…)`, no `(`, CR or LF
/// inside): the group and the text after its `)`. One byte loop that also finds
/// the `*` of the unit. (Every text it walks was accepted by the grammar, so the
/// checks only matter for [`crate::p1::Line::parse`], which calls it first.)
#[inline(always)]
pub(crate) fn next_group(s: &str) -> Option<(Group<'_>, &str)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'(') {
        return None;
    }
    let mut star = usize::MAX;
    let mut i = 1usize;
    loop {
        i = next_low(b, i)?;
        // `)` first, the rejected bytes by a bit mask (a `match` here became a
        // jump table whose indirect branch mispredicted)
        let c = *b.get(i)?;
        if c == b')' {
            break;
        }
        if c == b'*' {
            if star == usize::MAX {
                star = i.wrapping_sub(1);
            }
        } else if REJECT.wrapping_shr(u32::from(c)) & 1 != 0 {
            return None;
        }
        i = i.wrapping_add(1);
    }
    let raw = s.get(1..i)?;
    Some((Group { raw, star }, s.get(i.wrapping_add(1)..)?))
}

/// Iterator over the groups of `(…)(…)` text (lazy, no allocation).
#[derive(Debug, Clone)]
pub struct Groups<'a> {
    rest: &'a str,
    more: &'a str,
}

impl<'a> Groups<'a> {
    /// Groups of `first` then of `more` (a continuation line).
    #[inline]
    pub(crate) const fn new(first: &'a str, more: &'a str) -> Self {
        Groups { rest: first, more }
    }
}

impl<'a> Iterator for Groups<'a> {
    type Item = Group<'a>;
    #[inline]
    fn next(&mut self) -> Option<Group<'a>> {
        if self.rest.is_empty() {
            self.rest = core::mem::take(&mut self.more);
        }
        // the text was accepted by the grammar when the line was parsed; walking it
        // again is a plain byte loop (measured: twice as fast as re-running the
        // combinator on every access)
        match next_group(self.rest) {
            Some((g, rest)) => {
                self.rest = rest;
                Some(g)
            }
            None => {
                self.rest = "";
                self.more = "";
                None
            }
        }
    }
}

/// Iterator over the data sets of one line of an IEC 62056-21 data block
/// (`12(12*kWh)13(13*kWh)`); yields `(address, groups)`; `Err(rest)` once with
/// the unparsed remainder if the line does not follow the grammar.
#[derive(Debug, Clone)]
pub struct DataSets<'a> {
    rest: &'a str,
}

impl<'a> DataSets<'a> {
    /// The data sets of `line` (without its line end).
    #[inline]
    pub const fn new(line: &'a str) -> Self {
        DataSets { rest: line }
    }
}

/// One data set `address(value*unit)(…)` of an IEC 62056-21 data block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataSet<'a> {
    /// The address text (often a reduced OBIS code such as `1.8.0` or `F.F`); may be empty.
    pub address: &'a str,
    /// The `(…)(…)` text of its groups.
    pub groups_text: &'a str,
}

impl<'a> DataSet<'a> {
    /// Its value groups.
    pub fn groups(&self) -> Groups<'a> {
        Groups::new(self.groups_text, "")
    }

    /// The first value group.
    pub fn first(&self) -> Option<Group<'a>> {
        self.groups().next()
    }

    /// The address as an OBIS code, when it is one.
    pub fn obis(&self) -> Option<meterwire_core::Obis> {
        meterwire_core::Obis::parse_bytes(self.address.as_bytes()).ok()
    }
}

impl<'a> Iterator for DataSets<'a> {
    type Item = Result<DataSet<'a>, &'a str>;
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        // an address may be empty (P commands: `(pwd)`)
        let parsed = data_set(self.rest).or_else(|_| groups(self.rest).map(|(r, g)| (r, ("", g))));
        match parsed {
            Ok((rest, (address, groups_text))) => {
                self.rest = rest;
                Some(Ok(DataSet {
                    address,
                    groups_text,
                }))
            }
            Err(_) => Some(Err(core::mem::take(&mut self.rest))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swar_memchr() {
        for len in 0..40usize {
            let hay: std::vec::Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(37) | 1).collect();
            for b in [0u8, 1, 0x80, b'!', b'\n', 0xFF, 38] {
                assert_eq!(
                    memchr(b, &hay),
                    hay.iter().position(|&c| c == b),
                    "{len} {b}"
                );
            }
        }
        assert_eq!(memchr(b'!', b"0123456789abcdef!"), Some(16));
        for len in 0..40usize {
            let hay: std::vec::Vec<u8> = (0..len).map(|i| (i as u8).wrapping_mul(37) | 1).collect();
            for (a, b) in [(b'!', b'/'), (0, 0xFF), (38, 75), (0x80, 1)] {
                assert_eq!(
                    memchr2(a, b, &hay),
                    hay.iter().position(|&c| c == a || c == b),
                    "{len} {a} {b}"
                );
            }
        }
        assert_eq!(memchr(0x81, &[0x80, 0x81]), Some(1));
    }

    #[test]
    fn sets_and_groups() {
        // pwitab/iec62056-21 tests TestDataLine: several sets per line, several values per set
        let sets: std::vec::Vec<_> = DataSets::new("12(12*kWh)13(13*kWh)(7)").collect();
        assert_eq!(sets.len(), 2);
        let a = sets[0].unwrap();
        assert_eq!(a.address, "12");
        assert_eq!(a.first().unwrap().value(), "12");
        assert_eq!(a.first().unwrap().unit(), Some("kWh"));
        let b = sets[1].unwrap();
        let g: std::vec::Vec<_> = b.groups().map(|g| g.raw()).collect();
        assert_eq!(g, ["13*kWh", "7"]);
        let bad: std::vec::Vec<_> = DataSets::new("1.8.0(1").collect();
        assert_eq!(bad, [Err("1.8.0(1")]);
        let p: std::vec::Vec<_> = DataSets::new("(1234567)").collect();
        assert_eq!(p[0].unwrap().address, "");
        assert_eq!(p[0].unwrap().first().unwrap().value(), "1234567");
    }
}

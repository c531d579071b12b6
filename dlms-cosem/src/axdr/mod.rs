//! A-XDR encoded COSEM `Data` (IEC 62056-6-2 clause 4.1.5 / Blue Book "Data" CHOICE,
//! A-XDR rules of IEC 61334-6).
//!
//! [`Data::parse_prefix`] validates a whole value (nested arrays and structures up to
//! [`MAX_DEPTH`]) once, without allocating; arrays and structures are then walked lazily
//! with [`Seq::iter`] over the borrowed bytes. Compact arrays are decoded with their
//! type description. [`Value`] (feature `alloc`) is the owned form.
//!
//! Parsing uses `Cursor` directly rather than nom: the grammar is one tag byte and a
//! fixed or length-prefixed body, and the hot loop walks every element twice.

use crate::error::{Error, Result};
use crate::util::{len_len, read_len, read_octets};
use meterwire_core::{Cursor, Encode, EncodeError, Writer};

/// Deepest nesting of arrays/structures (and type descriptions) accepted.
pub const MAX_DEPTH: usize = 32;

/// Data type tags.
pub mod tag {
    /// null-data
    pub const NULL: u8 = 0;
    /// array
    pub const ARRAY: u8 = 1;
    /// structure
    pub const STRUCTURE: u8 = 2;
    /// boolean
    pub const BOOLEAN: u8 = 3;
    /// bit-string
    pub const BIT_STRING: u8 = 4;
    /// double-long (i32)
    pub const DOUBLE_LONG: u8 = 5;
    /// double-long-unsigned (u32)
    pub const DOUBLE_LONG_UNSIGNED: u8 = 6;
    /// octet-string
    pub const OCTET_STRING: u8 = 9;
    /// visible-string
    pub const VISIBLE_STRING: u8 = 10;
    /// utf8-string
    pub const UTF8_STRING: u8 = 12;
    /// bcd
    pub const BCD: u8 = 13;
    /// integer (i8)
    pub const INTEGER: u8 = 15;
    /// long (i16)
    pub const LONG: u8 = 16;
    /// unsigned (u8)
    pub const UNSIGNED: u8 = 17;
    /// long-unsigned (u16)
    pub const LONG_UNSIGNED: u8 = 18;
    /// compact-array
    pub const COMPACT_ARRAY: u8 = 19;
    /// long64 (i64)
    pub const LONG64: u8 = 20;
    /// long64-unsigned (u64)
    pub const LONG64_UNSIGNED: u8 = 21;
    /// enum
    pub const ENUM: u8 = 22;
    /// float32
    pub const FLOAT32: u8 = 23;
    /// float64
    pub const FLOAT64: u8 = 24;
    /// date-time (12 bytes)
    pub const DATE_TIME: u8 = 25;
    /// date (5 bytes)
    pub const DATE: u8 = 26;
    /// time (4 bytes)
    pub const TIME: u8 = 27;
    /// delta-integer (i8, Blue Book ed. 14)
    pub const DELTA_INTEGER: u8 = 28;
    /// delta-long (i16)
    pub const DELTA_LONG: u8 = 29;
    /// delta-double-long (i32)
    pub const DELTA_DOUBLE_LONG: u8 = 30;
    /// delta-unsigned (u8)
    pub const DELTA_UNSIGNED: u8 = 31;
    /// delta-long-unsigned (u16)
    pub const DELTA_LONG_UNSIGNED: u8 = 32;
    /// delta-double-long-unsigned (u32)
    pub const DELTA_DOUBLE_LONG_UNSIGNED: u8 = 33;
    /// dont-care
    pub const DONT_CARE: u8 = 255;
}

/// A COSEM date (5 bytes): 0xFFFF / 0xFF mean "not specified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Date {
    /// Year, 0xFFFF = not specified.
    pub year: u16,
    /// Month 1..=12; 0xFD daylight savings end, 0xFE begin, 0xFF not specified.
    pub month: u8,
    /// Day of month 1..=31; 0xFD second last, 0xFE last day, 0xFF not specified.
    pub day: u8,
    /// Day of week 1 (Monday)..=7, 0xFF not specified.
    pub weekday: u8,
}

/// A COSEM time (4 bytes): 0xFF means "not specified".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Time {
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
    /// Second 0..=59.
    pub second: u8,
    /// Hundredths 0..=99.
    pub hundredths: u8,
}

/// A COSEM date-time (12 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DateTime {
    /// The date part.
    pub date: Date,
    /// The time part.
    pub time: Time,
    /// Deviation in minutes (local time to UTC, as sent: UTC = local + deviation);
    /// 0x8000 (`i16::MIN`) = not specified.
    pub deviation: i16,
    /// Clock status bits (0x80 daylight saving active, 0x01 invalid, ...); 0xFF = not specified.
    pub clock_status: u8,
}

const NS8: u8 = 0xFF;

impl Date {
    /// Reads 5 bytes.
    pub fn from_bytes(b: [u8; 5]) -> Self {
        let [y0, y1, month, day, weekday] = b;
        Date {
            year: u16::from_be_bytes([y0, y1]),
            month,
            day,
            weekday,
        }
    }
    /// The 5 bytes.
    pub fn to_bytes(self) -> [u8; 5] {
        let [y0, y1] = self.year.to_be_bytes();
        [y0, y1, self.month, self.day, self.weekday]
    }
    /// Year, if specified.
    pub fn year(self) -> Option<u16> {
        (self.year != 0xFFFF).then_some(self.year)
    }
    /// Month 1..=12, if a plain month.
    pub fn month(self) -> Option<u8> {
        (1..=12).contains(&self.month).then_some(self.month)
    }
    /// Day 1..=31, if a plain day.
    pub fn day(self) -> Option<u8> {
        (1..=31).contains(&self.day).then_some(self.day)
    }
}

impl Time {
    /// Reads 4 bytes.
    pub fn from_bytes(b: [u8; 4]) -> Self {
        let [hour, minute, second, hundredths] = b;
        Time {
            hour,
            minute,
            second,
            hundredths,
        }
    }
    /// The 4 bytes.
    pub fn to_bytes(self) -> [u8; 4] {
        [self.hour, self.minute, self.second, self.hundredths]
    }
}

impl DateTime {
    /// Reads 12 bytes.
    pub fn from_bytes(b: [u8; 12]) -> Self {
        let [y0, y1, mo, d, wd, h, mi, s, hu, d0, d1, st] = b;
        DateTime {
            date: Date::from_bytes([y0, y1, mo, d, wd]),
            time: Time::from_bytes([h, mi, s, hu]),
            deviation: i16::from_be_bytes([d0, d1]),
            clock_status: st,
        }
    }
    /// The 12 bytes.
    pub fn to_bytes(self) -> [u8; 12] {
        let [y0, y1, mo, d, wd] = self.date.to_bytes();
        let [h, mi, s, hu] = self.time.to_bytes();
        let [d0, d1] = self.deviation.to_be_bytes();
        [y0, y1, mo, d, wd, h, mi, s, hu, d0, d1, self.clock_status]
    }
    /// From a 12-byte octet string (meters often send date-times so), if it looks like one:
    /// month, day, hour, minute, second in range or "not specified".
    pub fn from_octets(b: &[u8]) -> Option<Self> {
        let arr: [u8; 12] = b.try_into().ok()?;
        let dt = DateTime::from_bytes(arr);
        let ok = |v: u8, max: u8| v <= max || v == NS8;
        let plausible = (ok(dt.date.month, 12) || dt.date.month >= 0xFD)
            && (ok(dt.date.day, 31) || dt.date.day >= 0xFD)
            && ok(dt.date.weekday, 7)
            && ok(dt.time.hour, 23)
            && ok(dt.time.minute, 59)
            && ok(dt.time.second, 59)
            && ok(dt.time.hundredths, 99)
            && (dt.deviation == i16::MIN || (-840..=840).contains(&dt.deviation));
        plausible.then_some(dt)
    }
    /// Deviation in minutes, if specified.
    pub fn deviation(self) -> Option<i16> {
        (self.deviation != i16::MIN).then_some(self.deviation)
    }
}

fn two(f: &mut core::fmt::Formatter<'_>, v: u8, max: u8) -> core::fmt::Result {
    if v <= max {
        write!(f, "{v:02}")
    } else {
        f.write_str("XX")
    }
}

/// ISO-8601 form; unspecified fields print as `XX` (`XXXX` for the year).
impl core::fmt::Display for Date {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.year() {
            Some(y) => write!(f, "{y:04}-")?,
            None => f.write_str("XXXX-")?,
        }
        two(f, self.month, 12)?;
        f.write_str("-")?;
        two(f, self.day, 31)
    }
}

/// `hh:mm:ss[.hh]`; unspecified fields print as `XX`.
impl core::fmt::Display for Time {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        two(f, self.hour, 23)?;
        f.write_str(":")?;
        two(f, self.minute, 59)?;
        f.write_str(":")?;
        two(f, self.second, 59)?;
        if self.hundredths <= 99 && self.hundredths != 0 {
            write!(f, ".{:02}", self.hundredths)?;
        }
        Ok(())
    }
}

/// `date T time [offset]`; the ISO offset is the negated DLMS deviation.
impl core::fmt::Display for DateTime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}T{}", self.date, self.time)?;
        if let Some(d) = self.deviation() {
            let off = i32::from(d).saturating_neg();
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)?;
        }
        Ok(())
    }
}

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
    body: &'a [u8],
    /// `None`: tagged elements. `Some`: untagged elements (compact-array contents)
    /// described by one type description (`repeat`, arrays) or one per element.
    desc: Option<&'a [u8]>,
    count: u32,
    repeat: bool,
    depth: u8,
}

impl<'a> Seq<'a> {
    fn tagged(count: usize, body: &'a [u8], depth: usize) -> Self {
        Seq {
            body,
            desc: None,
            count: u32::try_from(count).unwrap_or(UNKNOWN_COUNT),
            repeat: false,
            depth: depth as u8,
        }
    }

    fn typed(
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
    repeat: bool,
    depth: usize,
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
    depth: usize,
}

impl<'a> CompactArray<'a> {
    /// The elements.
    pub fn elements(&self) -> Seq<'a> {
        Seq::typed(None, self.contents, self.description, true, self.depth)
    }
}

/// One A-XDR `Data` value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Data<'a> {
    /// null-data (0).
    Null,
    /// array (1).
    Array(Seq<'a>),
    /// structure (2).
    Structure(Seq<'a>),
    /// boolean (3).
    Boolean(bool),
    /// bit-string (4).
    BitString(BitString<'a>),
    /// double-long (5).
    DoubleLong(i32),
    /// double-long-unsigned (6).
    DoubleLongUnsigned(u32),
    /// octet-string (9).
    OctetString(&'a [u8]),
    /// visible-string (10), as bytes (ASCII expected).
    VisibleString(&'a [u8]),
    /// utf8-string (12), as bytes.
    Utf8String(&'a [u8]),
    /// bcd (13).
    Bcd(u8),
    /// integer (15).
    Integer(i8),
    /// long (16).
    Long(i16),
    /// unsigned (17).
    Unsigned(u8),
    /// long-unsigned (18).
    LongUnsigned(u16),
    /// compact-array (19).
    CompactArray(CompactArray<'a>),
    /// long64 (20).
    Long64(i64),
    /// long64-unsigned (21).
    Long64Unsigned(u64),
    /// enum (22).
    Enum(u8),
    /// float32 (23).
    Float32(f32),
    /// float64 (24).
    Float64(f64),
    /// date-time (25).
    DateTime(DateTime),
    /// date (26).
    Date(Date),
    /// time (27).
    Time(Time),
    /// delta-integer (28): a difference to the previous value of a compact array or profile.
    DeltaInteger(i8),
    /// delta-long (29).
    DeltaLong(i16),
    /// delta-double-long (30).
    DeltaDoubleLong(i32),
    /// delta-unsigned (31).
    DeltaUnsigned(u8),
    /// delta-long-unsigned (32).
    DeltaLongUnsigned(u16),
    /// delta-double-long-unsigned (33).
    DeltaDoubleLongUnsigned(u32),
    /// dont-care (255).
    DontCare,
}

#[inline]
fn parse_scalar<'a>(t: u8, c: &mut Cursor<'a>) -> Result<Data<'a>> {
    Ok(match t {
        tag::NULL => Data::Null,
        tag::BOOLEAN => Data::Boolean(c.read_u8()? != 0),
        tag::BIT_STRING => {
            let bits = read_len(c)?;
            let n = bits.div_ceil(8);
            Data::BitString(BitString {
                bits,
                bytes: c.take(n)?,
            })
        }
        tag::DOUBLE_LONG => Data::DoubleLong(c.read_u32_be()? as i32),
        tag::DOUBLE_LONG_UNSIGNED => Data::DoubleLongUnsigned(c.read_u32_be()?),
        tag::OCTET_STRING => Data::OctetString(read_octets(c)?),
        tag::VISIBLE_STRING => Data::VisibleString(read_octets(c)?),
        tag::UTF8_STRING => Data::Utf8String(read_octets(c)?),
        tag::BCD => Data::Bcd(c.read_u8()?),
        tag::INTEGER => Data::Integer(c.read_u8()? as i8),
        tag::LONG => Data::Long(c.read_u16_be()? as i16),
        tag::UNSIGNED => Data::Unsigned(c.read_u8()?),
        tag::LONG_UNSIGNED => Data::LongUnsigned(c.read_u16_be()?),
        tag::LONG64 => Data::Long64(c.read_u64_be()? as i64),
        tag::LONG64_UNSIGNED => Data::Long64Unsigned(c.read_u64_be()?),
        tag::ENUM => Data::Enum(c.read_u8()?),
        tag::FLOAT32 => Data::Float32(f32::from_bits(c.read_u32_be()?)),
        tag::FLOAT64 => Data::Float64(f64::from_bits(c.read_u64_be()?)),
        tag::DATE_TIME => Data::DateTime(DateTime::from_bytes(c.read_array()?)),
        tag::DATE => Data::Date(Date::from_bytes(c.read_array()?)),
        tag::TIME => Data::Time(Time::from_bytes(c.read_array()?)),
        tag::DELTA_INTEGER => Data::DeltaInteger(c.read_u8()? as i8),
        tag::DELTA_LONG => Data::DeltaLong(c.read_u16_be()? as i16),
        tag::DELTA_DOUBLE_LONG => Data::DeltaDoubleLong(c.read_u32_be()? as i32),
        tag::DELTA_UNSIGNED => Data::DeltaUnsigned(c.read_u8()?),
        tag::DELTA_LONG_UNSIGNED => Data::DeltaLongUnsigned(c.read_u16_be()?),
        tag::DELTA_DOUBLE_LONG_UNSIGNED => Data::DeltaDoubleLongUnsigned(c.read_u32_be()?),
        tag::DONT_CARE => Data::DontCare,
        other => return Err(Error::unsupported("data type tag", u32::from(other))),
    })
}

#[inline]
fn deeper(depth: usize) -> Result<usize> {
    if depth >= MAX_DEPTH {
        Err(Error::DepthLimit {
            field: "data",
            limit: MAX_DEPTH,
        })
    } else {
        Ok(depth.saturating_add(1))
    }
}

/// Encoded size after the tag of fixed-size types; 0xFF = variable or not a data tag.
// Indexing in a const initialiser: an out-of-range index fails the build, not a run.
#[allow(clippy::indexing_slicing)]
const FIXED_LEN: [u8; 256] = {
    let mut t = [0xFFu8; 256];
    t[tag::NULL as usize] = 0;
    t[tag::BOOLEAN as usize] = 1;
    t[tag::DOUBLE_LONG as usize] = 4;
    t[tag::DOUBLE_LONG_UNSIGNED as usize] = 4;
    t[tag::BCD as usize] = 1;
    t[tag::INTEGER as usize] = 1;
    t[tag::LONG as usize] = 2;
    t[tag::UNSIGNED as usize] = 1;
    t[tag::LONG_UNSIGNED as usize] = 2;
    t[tag::LONG64 as usize] = 8;
    t[tag::LONG64_UNSIGNED as usize] = 8;
    t[tag::ENUM as usize] = 1;
    t[tag::FLOAT32 as usize] = 4;
    t[tag::FLOAT64 as usize] = 8;
    t[tag::DATE_TIME as usize] = 12;
    t[tag::DATE as usize] = 5;
    t[tag::TIME as usize] = 4;
    t[tag::DELTA_INTEGER as usize] = 1;
    t[tag::DELTA_LONG as usize] = 2;
    t[tag::DELTA_DOUBLE_LONG as usize] = 4;
    t[tag::DELTA_UNSIGNED as usize] = 1;
    t[tag::DELTA_LONG_UNSIGNED as usize] = 2;
    t[tag::DELTA_DOUBLE_LONG_UNSIGNED as usize] = 4;
    t[tag::DONT_CARE as usize] = 0;
    t
};

/// Validates one tagged value and moves past it without building it (the hot path of
/// validating arrays and structures).
fn skip_tagged(c: &mut Cursor<'_>, depth: usize) -> Result<()> {
    let t = c.read_u8()?;
    let fixed = FIXED_LEN.get(usize::from(t)).copied().unwrap_or(0xFF);
    if fixed != 0xFF {
        return Ok(c.skip(usize::from(fixed))?);
    }
    match t {
        tag::ARRAY | tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(c)?;
            skip_seq(c, n, d)
        }
        tag::OCTET_STRING | tag::VISIBLE_STRING | tag::UTF8_STRING => {
            let n = read_len(c)?;
            Ok(c.skip(n)?)
        }
        tag::BIT_STRING => {
            let bits = read_len(c)?;
            Ok(c.skip(bits.div_ceil(8))?)
        }
        tag::COMPACT_ARRAY => parse_compact(c, depth).map(|_| ()),
        other => Err(Error::unsupported("data type tag", u32::from(other))),
    }
}

/// Validates `count` tagged values (the elements of an array or structure at `depth`).
///
/// Fixed-size values, short strings and containers with a short count are measured
/// straight from the slice, nesting kept on a small stack (no call per container);
/// long lengths, rare tags, the depth limit and every error go through
/// [`skip_tagged`] on the same cursor, so the errors are the ones the
/// element-by-element path reports.
fn skip_seq(c: &mut Cursor<'_>, count: usize, depth: usize) -> Result<()> {
    // elements left per open container; [0] is this sequence (counts fit u32: at
    // most 4 length bytes)
    let mut left = [0u32; MAX_DEPTH.saturating_add(1)];
    let mut top = 0usize;
    if let Some(l) = left.first_mut() {
        *l = u32::try_from(count).unwrap_or(u32::MAX);
    }
    loop {
        let rest = c.rest();
        let mut used = 0usize;
        while let Some(cur) = left.get_mut(top) {
            if *cur == 0 {
                if top == 0 {
                    c.skip(used)?;
                    return Ok(());
                }
                top = top.saturating_sub(1);
                continue;
            }
            let Some(&[t, n, ..]) = rest.get(used..) else {
                break;
            };
            // constant sizes for the common tags: a predicted branch, so the next
            // position does not wait for a table load (it did: ~10 cycles per element)
            let size = match t {
                tag::DOUBLE_LONG_UNSIGNED | tag::DOUBLE_LONG | tag::FLOAT32 => 5,
                tag::LONG_UNSIGNED | tag::LONG => 3,
                tag::UNSIGNED | tag::ENUM | tag::INTEGER | tag::BOOLEAN => 2,
                tag::OCTET_STRING | tag::VISIBLE_STRING | tag::UTF8_STRING if n < 0x80 => {
                    usize::from(n).saturating_add(2)
                }
                tag::ARRAY | tag::STRUCTURE
                    if n < 0x80 && depth.saturating_add(top) < MAX_DEPTH =>
                {
                    // a nested container: its elements come next
                    *cur = cur.saturating_sub(1);
                    used = used.saturating_add(2);
                    top = top.saturating_add(1);
                    let Some(l) = left.get_mut(top) else {
                        break;
                    };
                    *l = u32::from(n);
                    continue;
                }
                _ => match FIXED_LEN.get(usize::from(t)).copied().unwrap_or(0xFF) {
                    0xFF => break,
                    fixed => usize::from(fixed).saturating_add(1),
                },
            };
            let end = used.saturating_add(size);
            if end > rest.len() {
                break;
            }
            used = end;
            *cur = cur.saturating_sub(1);
        }
        c.skip(used)?;
        // one element the element-by-element way (errors included)
        let Some(cur) = left.get_mut(top) else {
            return Err(Error::DepthLimit {
                field: "data",
                limit: MAX_DEPTH,
            });
        };
        skip_tagged(c, depth.saturating_add(top))?;
        *cur = cur.saturating_sub(1);
    }
}

#[inline(never)]
fn parse_tagged<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<Data<'a>> {
    let t = c.read_u8()?;
    match t {
        tag::ARRAY | tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(c)?;
            let start = c.rest();
            let before = c.position();
            skip_seq(c, n, d)?;
            let used = c.position().saturating_sub(before);
            let seq = Seq::tagged(n, start.get(..used).unwrap_or(&[]), d);
            Ok(if t == tag::ARRAY {
                Data::Array(seq)
            } else {
                Data::Structure(seq)
            })
        }
        tag::COMPACT_ARRAY => parse_compact(c, depth).map(Data::CompactArray),

        other => parse_scalar(other, c),
    }
}

/// Parses a compact-array after its tag and validates every element.
fn parse_compact<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<CompactArray<'a>> {
    let d = deeper(depth)?;
    let dstart = c.rest();
    let before = c.position();
    skip_desc(c, d)?;
    let description = dstart
        .get(..c.position().saturating_sub(before))
        .unwrap_or(&[]);
    let contents = read_octets(c)?;
    let ca = CompactArray {
        description,
        contents,
        depth: d,
    };
    // validate every element now
    let mut cc = Cursor::new(contents);
    while !cc.is_empty() {
        let p = cc.position();
        parse_untagged(&mut Cursor::new(description), &mut cc, d)?;
        if cc.position() == p {
            return Err(Error::malformed("compact-array", "element of zero size"));
        }
    }
    Ok(ca)
}

/// The common scalars decoded straight from the slice (the hot path of walking pushes
/// and profile buffers); everything else goes through [`parse_tagged`].
#[inline(always)]
fn parse_fast<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<Data<'a>> {
    let rest = c.rest();
    let (v, used) = match *rest {
        [tag::DOUBLE_LONG_UNSIGNED, a, b, d, e, ..] => (
            Data::DoubleLongUnsigned(u32::from_be_bytes([a, b, d, e])),
            5,
        ),
        [tag::DOUBLE_LONG, a, b, d, e, ..] => {
            (Data::DoubleLong(i32::from_be_bytes([a, b, d, e])), 5)
        }
        [tag::LONG_UNSIGNED, a, b, ..] => (Data::LongUnsigned(u16::from_be_bytes([a, b])), 3),
        [tag::LONG, a, b, ..] => (Data::Long(i16::from_be_bytes([a, b])), 3),
        [tag::UNSIGNED, a, ..] => (Data::Unsigned(a), 2),
        [tag::INTEGER, a, ..] => (Data::Integer(a as i8), 2),
        [tag::ENUM, a, ..] => (Data::Enum(a), 2),
        [tag::OCTET_STRING, n, ref tail @ ..] if n < 0x80 => match tail.get(..usize::from(n)) {
            Some(b) => (Data::OctetString(b), usize::from(n).saturating_add(2)),
            None => return parse_tagged(c, depth),
        },
        _ => return parse_tagged(c, depth),
    };
    c.skip(used)?;
    Ok(v)
}

/// `count` tagged values and everything in them, post-order, in one pass (see
/// [`Data::walk`]); recursion only for nested arrays and structures.
fn walk_seq<'a>(
    c: &mut Cursor<'a>,
    count: usize,
    depth: usize,
    f: &mut impl FnMut(&Data<'a>),
) -> Result<usize> {
    let mut n = 0usize;
    for _ in 0..count {
        let t = c.peek_u8()?;
        if t == tag::ARRAY || t == tag::STRUCTURE {
            c.skip(1)?;
            let d = deeper(depth)?;
            let inner = read_len(c)?;
            let start = c.rest();
            let before = c.position();
            n = n.saturating_add(walk_seq(c, inner, d, f)?);
            let seq = Seq::tagged(
                inner,
                start
                    .get(..c.position().saturating_sub(before))
                    .unwrap_or(&[]),
                d,
            );
            f(&if t == tag::ARRAY {
                Data::Array(seq)
            } else {
                Data::Structure(seq)
            });
            n = n.saturating_add(1);
        } else {
            let v = parse_fast(c, depth)?;
            if let Data::CompactArray(_) = v {
                n = n.saturating_add(v.walk(f));
            } else {
                f(&v);
                n = n.saturating_add(1);
            }
        }
    }
    Ok(n)
}

/// Skips one TypeDescription.
fn skip_desc(c: &mut Cursor<'_>, depth: usize) -> Result<()> {
    match c.read_u8()? {
        tag::ARRAY => {
            let d = deeper(depth)?;
            c.read_u16_be()?;
            skip_desc(c, d)
        }
        tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(c)?;
            for _ in 0..n {
                skip_desc(c, d)?;
            }
            Ok(())
        }
        tag::COMPACT_ARRAY => Err(Error::malformed(
            "type description",
            "compact-array cannot nest",
        )),
        t if t == tag::NULL
            || t == tag::DONT_CARE
            || (3..=27).contains(&t) && ![7, 8, 11, 14].contains(&t) =>
        {
            Ok(())
        }
        t => Err(Error::unsupported("type description tag", u32::from(t))),
    }
}

fn parse_untagged<'a>(desc: &mut Cursor<'a>, c: &mut Cursor<'a>, depth: usize) -> Result<Data<'a>> {
    let t = desc.read_u8()?;
    match t {
        tag::ARRAY => {
            let d = deeper(depth)?;
            let n = usize::from(desc.read_u16_be()?);
            let dstart = desc.rest();
            let dbefore = desc.position();
            skip_desc(desc, d)?;
            let edesc = dstart
                .get(..desc.position().saturating_sub(dbefore))
                .unwrap_or(&[]);
            let start = c.rest();
            let before = c.position();
            for _ in 0..n {
                let p = c.position();
                parse_untagged(&mut Cursor::new(edesc), c, d)?;
                if c.position() == p {
                    return Err(Error::malformed("compact-array", "element of zero size"));
                }
            }
            Ok(Data::Array(Seq::typed(
                Some(n),
                start
                    .get(..c.position().saturating_sub(before))
                    .unwrap_or(&[]),
                edesc,
                true,
                d,
            )))
        }
        tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(desc)?;
            let dstart = desc.rest();
            let dbefore = desc.position();
            let start = c.rest();
            let before = c.position();
            for _ in 0..n {
                parse_untagged(desc, c, d)?;
            }
            let descs = dstart
                .get(..desc.position().saturating_sub(dbefore))
                .unwrap_or(&[]);
            Ok(Data::Structure(Seq::typed(
                Some(n),
                start
                    .get(..c.position().saturating_sub(before))
                    .unwrap_or(&[]),
                descs,
                false,
                d,
            )))
        }
        tag::COMPACT_ARRAY => Err(Error::malformed(
            "type description",
            "compact-array cannot nest",
        )),
        other => parse_scalar(other, c),
    }
}

impl<'a> Data<'a> {
    /// Parses one value at the start of `input`; returns it and the bytes used.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let d = parse_tagged(&mut c, 0)?;
        Ok((d, c.position()))
    }

    /// Parses exactly one value (trailing bytes are an error).
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        let (d, used) = Self::parse_prefix(input)?;
        if used != input.len() {
            return Err(Error::length("data", used, input.len()));
        }
        Ok(d)
    }

    /// Reads one value from a cursor.
    #[allow(dead_code)]
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        parse_tagged(c, 0)
    }

    /// The type tag.
    pub fn tag(&self) -> u8 {
        match self {
            Data::Null => tag::NULL,
            Data::Array(_) => tag::ARRAY,
            Data::Structure(_) => tag::STRUCTURE,
            Data::Boolean(_) => tag::BOOLEAN,
            Data::BitString(_) => tag::BIT_STRING,
            Data::DoubleLong(_) => tag::DOUBLE_LONG,
            Data::DoubleLongUnsigned(_) => tag::DOUBLE_LONG_UNSIGNED,
            Data::OctetString(_) => tag::OCTET_STRING,
            Data::VisibleString(_) => tag::VISIBLE_STRING,
            Data::Utf8String(_) => tag::UTF8_STRING,
            Data::Bcd(_) => tag::BCD,
            Data::Integer(_) => tag::INTEGER,
            Data::Long(_) => tag::LONG,
            Data::Unsigned(_) => tag::UNSIGNED,
            Data::LongUnsigned(_) => tag::LONG_UNSIGNED,
            Data::CompactArray(_) => tag::COMPACT_ARRAY,
            Data::Long64(_) => tag::LONG64,
            Data::Long64Unsigned(_) => tag::LONG64_UNSIGNED,
            Data::Enum(_) => tag::ENUM,
            Data::Float32(_) => tag::FLOAT32,
            Data::Float64(_) => tag::FLOAT64,
            Data::DateTime(_) => tag::DATE_TIME,
            Data::Date(_) => tag::DATE,
            Data::Time(_) => tag::TIME,
            Data::DeltaInteger(_) => tag::DELTA_INTEGER,
            Data::DeltaLong(_) => tag::DELTA_LONG,
            Data::DeltaDoubleLong(_) => tag::DELTA_DOUBLE_LONG,
            Data::DeltaUnsigned(_) => tag::DELTA_UNSIGNED,
            Data::DeltaLongUnsigned(_) => tag::DELTA_LONG_UNSIGNED,
            Data::DeltaDoubleLongUnsigned(_) => tag::DELTA_DOUBLE_LONG_UNSIGNED,
            Data::DontCare => tag::DONT_CARE,
        }
    }

    /// The integer value of any integer type (and enum, bcd, boolean).
    pub fn as_i128(&self) -> Option<i128> {
        Some(match *self {
            Data::Boolean(b) => i128::from(b),
            Data::DoubleLong(v) => i128::from(v),
            Data::DoubleLongUnsigned(v) => i128::from(v),
            Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) | Data::DeltaUnsigned(v) => {
                i128::from(v)
            }
            Data::DeltaInteger(v) => i128::from(v),
            Data::DeltaLong(v) => i128::from(v),
            Data::DeltaDoubleLong(v) => i128::from(v),
            Data::DeltaLongUnsigned(v) => i128::from(v),
            Data::DeltaDoubleLongUnsigned(v) => i128::from(v),
            Data::Integer(v) => i128::from(v),
            Data::Long(v) => i128::from(v),
            Data::LongUnsigned(v) => i128::from(v),
            Data::Long64(v) => i128::from(v),
            Data::Long64Unsigned(v) => i128::from(v),
            _ => return None,
        })
    }

    /// The elements of an array, structure or compact array.
    pub fn as_seq(&self) -> Option<Seq<'a>> {
        match self {
            Data::Array(s) | Data::Structure(s) => Some(*s),
            Data::CompactArray(ca) => Some(ca.elements()),
            _ => None,
        }
    }

    /// Octet-string bytes.
    pub fn as_octets(&self) -> Option<&'a [u8]> {
        match self {
            Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => Some(b),
            _ => None,
        }
    }

    /// A date-time, also from a 12-byte octet string (a common meter quirk).
    pub fn as_date_time(&self) -> Option<DateTime> {
        match self {
            Data::DateTime(dt) => Some(*dt),
            Data::OctetString(b) => DateTime::from_octets(b),
            _ => None,
        }
    }

    /// Visits every value once, depth-first and post-order (elements before the array or
    /// structure holding them, this value last); returns the count.
    ///
    /// One pass over the bytes: tagged arrays and structures are walked with a single
    /// cursor, so a nested value is read once (iterating with [`Seq::iter`] re-skips each
    /// nested container to find where it ends).
    pub fn walk(&self, f: &mut impl FnMut(&Data<'a>)) -> usize {
        let mut n = 1usize;
        match self {
            Data::Array(s) | Data::Structure(s) if s.is_tagged() => {
                let mut c = Cursor::new(s.body);
                // validated when parsed: an error cannot happen here
                if let Ok(k) = walk_seq(&mut c, s.count as usize, usize::from(s.depth), f) {
                    n = n.saturating_add(k);
                }
            }
            _ => {
                if let Some(s) = self.as_seq() {
                    for e in s.iter() {
                        n = n.saturating_add(e.walk(f));
                    }
                }
            }
        }
        f(self);
        n
    }

    fn body_len(&self) -> usize {
        match self {
            Data::Null | Data::DontCare => 0,
            Data::Array(s) | Data::Structure(s) => {
                let body = if s.is_tagged() {
                    s.body.len()
                } else {
                    s.iter()
                        .fold(0usize, |a, e| a.saturating_add(e.encoded_len()))
                };
                len_len(s.len()).saturating_add(body)
            }
            Data::Boolean(_)
            | Data::Bcd(_)
            | Data::Integer(_)
            | Data::Unsigned(_)
            | Data::Enum(_)
            | Data::DeltaInteger(_)
            | Data::DeltaUnsigned(_) => 1,
            Data::DeltaLong(_) | Data::DeltaLongUnsigned(_) => 2,
            Data::DeltaDoubleLong(_) | Data::DeltaDoubleLongUnsigned(_) => 4,
            Data::BitString(b) => len_len(b.bits).saturating_add(b.bytes.len()),
            Data::DoubleLong(_)
            | Data::DoubleLongUnsigned(_)
            | Data::Float32(_)
            | Data::Time(_) => 4,
            Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => {
                len_len(b.len()).saturating_add(b.len())
            }
            Data::Long(_) | Data::LongUnsigned(_) => 2,
            Data::CompactArray(ca) => ca
                .description
                .len()
                .saturating_add(len_len(ca.contents.len()))
                .saturating_add(ca.contents.len()),
            Data::Long64(_) | Data::Long64Unsigned(_) | Data::Float64(_) => 8,
            Data::DateTime(_) => 12,
            Data::Date(_) => 5,
        }
    }

    /// Writes the tagged encoding.
    pub(crate) fn write<S: crate::util::Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        w.put_u8(self.tag())?;
        match self {
            Data::Null | Data::DontCare => Ok(()),
            Data::Array(s) | Data::Structure(s) => {
                w.put_len(s.len())?;
                if s.is_tagged() {
                    w.put(s.body)
                } else {
                    for e in s.iter() {
                        e.write(w)?;
                    }
                    Ok(())
                }
            }
            Data::Boolean(b) => w.put_u8(u8::from(*b)),
            Data::BitString(b) => {
                if b.bits.div_ceil(8) != b.bytes.len() {
                    return Err(EncodeError::Invalid {
                        field: "bit-string",
                        reason: "byte count must be ceil(bits / 8)",
                    });
                }
                w.put_len(b.bits)?;
                w.put(b.bytes)
            }
            Data::DoubleLong(v) => w.put_u32(*v as u32),
            Data::DoubleLongUnsigned(v) => w.put_u32(*v),
            Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => {
                w.put_len(b.len())?;
                w.put(b)
            }
            Data::Bcd(v) | Data::Unsigned(v) | Data::Enum(v) => w.put_u8(*v),
            Data::Integer(v) => w.put_u8(*v as u8),
            Data::Long(v) => w.put_u16(*v as u16),
            Data::LongUnsigned(v) => w.put_u16(*v),
            Data::CompactArray(ca) => {
                w.put(ca.description)?;
                w.put_len(ca.contents.len())?;
                w.put(ca.contents)
            }
            Data::Long64(v) => w.put_u64(*v as u64),
            Data::Long64Unsigned(v) => w.put_u64(*v),
            Data::Float32(v) => w.put_u32(v.to_bits()),
            Data::Float64(v) => w.put_u64(v.to_bits()),
            Data::DateTime(v) => w.put(&v.to_bytes()),
            Data::Date(v) => w.put(&v.to_bytes()),
            Data::Time(v) => w.put(&v.to_bytes()),
            Data::DeltaInteger(v) => w.put_u8(*v as u8),
            Data::DeltaLong(v) => w.put_u16(*v as u16),
            Data::DeltaDoubleLong(v) => w.put_u32(*v as u32),
            Data::DeltaUnsigned(v) => w.put_u8(*v),
            Data::DeltaLongUnsigned(v) => w.put_u16(*v),
            Data::DeltaDoubleLongUnsigned(v) => w.put_u32(*v),
        }
    }
}

impl Encode for Data<'_> {
    fn encoded_len(&self) -> usize {
        1usize.saturating_add(self.body_len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        crate::util::encode_with(out, self.encoded_len(), |w| self.write(w))
    }
}

/// Writers for building A-XDR data without allocation.
pub mod write {
    use super::*;

    /// Writes an array or structure header (`tag`, element count).
    pub fn seq_header(w: &mut Writer<'_>, t: u8, count: usize) -> Result<(), EncodeError> {
        w.write_u8(t)?;
        crate::util::write_len(w, count)
    }
}

mod visit;
pub use visit::Visit;

#[cfg(feature = "alloc")]
mod owned;
#[cfg(feature = "alloc")]
pub use owned::Value;

#[cfg(feature = "serde")]
mod ser;

#[cfg(test)]
mod tests;

//! Decoding: validation of a whole value once (no allocation), the scalar and compact
//! array decoders, and the post-order [`Data::walk`].
//!
//! Parsing uses `Cursor` directly rather than nom: the grammar is one tag byte and a
//! fixed or length-prefixed body, and the hot loop walks every element twice.

use super::{BitString, CompactArray, Data, Date, DateTime, MAX_DEPTH, Seq, Time, tag};
use crate::error::{Error, Result};
use crate::util::{read_len, read_octets};
use meterwire_core::Cursor;

#[inline]
pub(super) fn parse_scalar<'a>(t: u8, c: &mut Cursor<'a>) -> Result<Data<'a>> {
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
pub(super) fn deeper(depth: usize) -> Result<usize> {
    if depth >= MAX_DEPTH {
        Err(Error::DepthLimit {
            field: "data",
            limit: MAX_DEPTH,
        })
    } else {
        Ok(depth.saturating_add(1))
    }
}

/// Runs `f` on the cursor and returns the bytes it consumed with its result.
#[inline]
fn spanned<'a, T>(
    c: &mut Cursor<'a>,
    f: impl FnOnce(&mut Cursor<'a>) -> Result<T>,
) -> Result<(&'a [u8], T)> {
    let start = c.rest();
    let before = c.position();
    let v = f(c)?;
    let used = c.position().saturating_sub(before);
    Ok((start.get(..used).unwrap_or(&[]), v))
}

/// Untagged elements that all follow one type description `desc`: `count` of them,
/// or until `c` is used up; an element of zero size is an error (it would loop).
fn untagged_run<'a>(
    desc: &'a [u8],
    c: &mut Cursor<'a>,
    count: Option<usize>,
    depth: usize,
) -> Result<()> {
    let mut n = 0usize;
    while count.map_or(!c.is_empty(), |k| n < k) {
        let p = c.position();
        parse_untagged(&mut Cursor::new(desc), c, depth)?;
        if c.position() == p {
            return Err(Error::malformed("compact-array", "element of zero size"));
        }
        n = n.saturating_add(1);
    }
    Ok(())
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
    // elements left at the current level (in a register), and in the containers
    // around it (counts fit u32: at most 4 length bytes)
    let mut cur = u32::try_from(count).unwrap_or(u32::MAX);
    let mut outer = [0u32; MAX_DEPTH];
    let mut top = 0usize;
    loop {
        let rest = c.rest();
        let mut used = 0usize;
        loop {
            if cur == 0 {
                if top == 0 {
                    c.skip(used)?;
                    return Ok(());
                }
                top = top.saturating_sub(1);
                cur = outer.get(top).copied().unwrap_or(0);
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
                    let Some(o) = outer.get_mut(top) else {
                        break;
                    };
                    *o = cur.saturating_sub(1);
                    top = top.saturating_add(1);
                    cur = u32::from(n);
                    used = used.saturating_add(2);
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
            cur = cur.saturating_sub(1);
        }
        c.skip(used)?;
        // one element the element-by-element way (errors included)
        skip_tagged(c, depth.saturating_add(top))?;
        cur = cur.saturating_sub(1);
    }
}

#[inline(never)]
pub(super) fn parse_tagged<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<Data<'a>> {
    let t = c.read_u8()?;
    match t {
        tag::ARRAY | tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(c)?;
            let (body, ()) = spanned(c, |c| skip_seq(c, n, d))?;
            let seq = Seq::tagged(n, body, d);
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
pub(super) fn parse_compact<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<CompactArray<'a>> {
    let d = deeper(depth)?;
    let (description, ()) = spanned(c, |c| skip_desc(c, d))?;
    let contents = read_octets(c)?;
    // validate every element now
    untagged_run(description, &mut Cursor::new(contents), None, d)?;
    Ok(CompactArray {
        description,
        contents,
        depth: d,
    })
}

/// The common scalars decoded straight from the slice (the hot path of walking pushes
/// and profile buffers); everything else goes through [`parse_tagged`].
#[inline(always)]
pub(super) fn parse_fast<'a>(c: &mut Cursor<'a>, depth: usize) -> Result<Data<'a>> {
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
            let (body, k) = spanned(c, |c| walk_seq(c, inner, d, f))?;
            n = n.saturating_add(k);
            let seq = Seq::tagged(inner, body, d);
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

pub(super) fn parse_untagged<'a>(
    desc: &mut Cursor<'a>,
    c: &mut Cursor<'a>,
    depth: usize,
) -> Result<Data<'a>> {
    let t = desc.read_u8()?;
    match t {
        tag::ARRAY => {
            let d = deeper(depth)?;
            let n = usize::from(desc.read_u16_be()?);
            let (edesc, ()) = spanned(desc, |x| skip_desc(x, d))?;
            let (body, ()) = spanned(c, |c| untagged_run(edesc, c, Some(n), d))?;
            Ok(Data::Array(Seq::typed(Some(n), body, edesc, true, d)))
        }
        tag::STRUCTURE => {
            let d = deeper(depth)?;
            let n = read_len(desc)?;
            // one description per element, read along with the elements
            let (descs, body) = spanned(desc, |desc| {
                spanned(c, |c| {
                    (0..n).try_for_each(|_| parse_untagged(desc, c, d).map(drop))
                })
                .map(|(body, ())| body)
            })?;
            Ok(Data::Structure(Seq::typed(Some(n), body, descs, false, d)))
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
        crate::util::parse_exact(input, "data", Self::parse_prefix)
    }

    /// Reads one value from a cursor.
    #[allow(dead_code)]
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        parse_tagged(c, 0)
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
}

//! A one-pass visitor over validated A-XDR data: each value is handed to the visitor
//! where it is decoded, in registers (a tag byte and a `u64`, `i64`, `f64` or slice),
//! instead of being built as a [`Data`] and moved (issue 17: the per-element cost of the
//! walk was the 48-byte `Data` written and re-read for every element).
//!
//! Order is the encoding order (pre-order): [`Visit::begin`] for an array or structure,
//! its elements, then [`Visit::end`]. Compact-array elements are visited as if tagged
//! (the default [`Visit::compact_array`] expands them).

use super::parse::{deeper, parse_tagged};
use super::{BitString, CompactArray, Data, Date, DateTime, MAX_DEPTH, Seq, Time, tag};
use crate::error::{Error, Result};
use crate::util::read_len;
use meterwire_core::Cursor;

/// Receives the values of a walk ([`Data::visit`], [`Seq::visit`]). Every method has a
/// default that ignores the value, so a visitor implements what it reads.
pub trait Visit<'a> {
    /// An array or structure (`tag`) of `count` elements starts; its elements follow,
    /// then [`end`](Visit::end).
    #[inline(always)]
    fn begin(&mut self, tag: u8, count: usize) {
        let _ = (tag, count);
    }
    /// The array or structure opened by the matching [`begin`](Visit::begin) ends.
    #[inline(always)]
    fn end(&mut self, tag: u8) {
        let _ = tag;
    }
    /// unsigned, long-unsigned, double-long-unsigned, long64-unsigned, enum, bcd,
    /// boolean (0 or 1) and the unsigned delta types, zero-extended.
    #[inline(always)]
    fn unsigned(&mut self, tag: u8, value: u64) {
        let _ = (tag, value);
    }
    /// integer, long, double-long, long64 and the signed delta types, sign-extended.
    #[inline(always)]
    fn signed(&mut self, tag: u8, value: i64) {
        let _ = (tag, value);
    }
    /// float32 (widened exactly) and float64.
    #[inline(always)]
    fn float(&mut self, tag: u8, value: f64) {
        let _ = (tag, value);
    }
    /// octet-string, visible-string and utf8-string.
    #[inline(always)]
    fn bytes(&mut self, tag: u8, value: &'a [u8]) {
        let _ = (tag, value);
    }
    /// date-time.
    #[inline(always)]
    fn date_time(&mut self, value: DateTime) {
        let _ = value;
    }
    /// date.
    #[inline(always)]
    fn date(&mut self, value: Date) {
        let _ = value;
    }
    /// time.
    #[inline(always)]
    fn time(&mut self, value: Time) {
        let _ = value;
    }
    /// A bit-string.
    #[inline(always)]
    fn bit_string(&mut self, value: BitString<'a>) {
        let _ = value;
    }
    /// null-data and dont-care.
    #[inline(always)]
    fn null(&mut self, tag: u8) {
        let _ = tag;
    }
    /// A compact-array; the default visits its elements between `begin` and `end` as
    /// `tag::COMPACT_ARRAY`.
    fn compact_array(&mut self, value: CompactArray<'a>)
    where
        Self: Sized,
    {
        let seq = value.elements();
        self.begin(tag::COMPACT_ARRAY, seq.len());
        seq.visit(self);
        self.end(tag::COMPACT_ARRAY);
    }
}

/// One decoded value to the visitor (the path of untagged elements and rare tags).
fn one<'a, V: Visit<'a>>(d: &Data<'a>, v: &mut V) {
    let t = d.tag();
    match *d {
        Data::Array(s) | Data::Structure(s) => {
            v.begin(t, s.len());
            s.visit(v);
            v.end(t);
        }
        Data::CompactArray(ca) => v.compact_array(ca),
        Data::Null | Data::DontCare => v.null(t),
        Data::BitString(b) => v.bit_string(b),
        Data::OctetString(b) | Data::VisibleString(b) | Data::Utf8String(b) => v.bytes(t, b),
        Data::Float32(f) => v.float(t, f64::from(f)),
        Data::Float64(f) => v.float(t, f),
        Data::DateTime(x) => v.date_time(x),
        Data::Date(x) => v.date(x),
        Data::Time(x) => v.time(x),
        Data::Integer(x) | Data::DeltaInteger(x) => v.signed(t, i64::from(x)),
        Data::Long(x) | Data::DeltaLong(x) => v.signed(t, i64::from(x)),
        Data::DoubleLong(x) | Data::DeltaDoubleLong(x) => v.signed(t, i64::from(x)),
        Data::Long64(x) => v.signed(t, x),
        Data::Boolean(x) => v.unsigned(t, u64::from(x)),
        Data::Bcd(x) | Data::Unsigned(x) | Data::Enum(x) | Data::DeltaUnsigned(x) => {
            v.unsigned(t, u64::from(x))
        }
        Data::LongUnsigned(x) | Data::DeltaLongUnsigned(x) => v.unsigned(t, u64::from(x)),
        Data::DoubleLongUnsigned(x) | Data::DeltaDoubleLongUnsigned(x) => {
            v.unsigned(t, u64::from(x))
        }
        Data::Long64Unsigned(x) => v.unsigned(t, x),
    }
}

/// One step of the hot loop of [`tagged`] and [`checked`] (a macro, not a function, so
/// each loop keeps its state in registers and its own exits): close finished
/// containers, then decode one common element straight from the slice. `done` runs when
/// the outermost count is used up, `open` guards entering a nested container, `miss`
/// runs when a container or string cannot be taken here, `rest` are the last arms.
macro_rules! hot_step {
    ($r:ident, $v:ident, $cur:ident, $cur_tag:ident, $outer:ident, $top:ident,
     done: $done:expr, open: $open:expr, miss: $miss:expr, rest: {$($rest:tt)*}) => {
        if $cur == 0 {
            if $top == 0 {
                $done
            }
            $v.end($cur_tag);
            $top = $top.saturating_sub(1);
            ($cur, $cur_tag) = $outer.get($top).copied().unwrap_or((0, 0));
            continue;
        }
        $cur = $cur.saturating_sub(1);
        match *$r {
            [tag::DOUBLE_LONG_UNSIGNED, a, b, c, d, ref tail @ ..] => {
                let x = u32::from_be_bytes([a, b, c, d]);
                $v.unsigned(tag::DOUBLE_LONG_UNSIGNED, u64::from(x));
                $r = tail;
            }
            [t @ (tag::ARRAY | tag::STRUCTURE), n, ref tail @ ..] if n < 0x80 && $open => {
                let Some(o) = $outer.get_mut($top) else {
                    $miss
                };
                *o = ($cur, $cur_tag);
                $top = $top.saturating_add(1);
                ($cur, $cur_tag) = (u32::from(n), t);
                $v.begin(t, usize::from(n));
                $r = tail;
            }
            [tag::OCTET_STRING, n, ref tail @ ..] if n < 0x80 => {
                let Some((b, tail)) = tail.split_at_checked(usize::from(n)) else {
                    $miss
                };
                $v.bytes(tag::OCTET_STRING, b);
                $r = tail;
            }
            [tag::LONG_UNSIGNED, a, b, ref tail @ ..] => {
                $v.unsigned(tag::LONG_UNSIGNED, u64::from(u16::from_be_bytes([a, b])));
                $r = tail;
            }
            [t @ (tag::UNSIGNED | tag::ENUM), a, ref tail @ ..] => {
                $v.unsigned(t, u64::from(a));
                $r = tail;
            }
            [tag::DOUBLE_LONG, a, b, c, d, ref tail @ ..] => {
                let x = i32::from_be_bytes([a, b, c, d]);
                $v.signed(tag::DOUBLE_LONG, i64::from(x));
                $r = tail;
            }
            [tag::LONG, a, b, ref tail @ ..] => {
                $v.signed(tag::LONG, i64::from(i16::from_be_bytes([a, b])));
                $r = tail;
            }
            [tag::INTEGER, a, ref tail @ ..] => {
                $v.signed(tag::INTEGER, i64::from(a as i8));
                $r = tail;
            }
            $($rest)*
        }
    };
}

/// `count` tagged values from `body` (validated when their `Seq` was parsed, nested at
/// `depth`). The common tags are decoded straight from the slice, each value handed
/// over in registers; nesting is kept on a small stack rather than by recursion, so the
/// hot loop makes no call and a visitor's state can stay in registers; long-form counts
/// and the rarer tags leave the hot loop for the `Data` parser.
fn tagged<'a, V: Visit<'a>>(body: &'a [u8], count: usize, depth: usize, v: &mut V) {
    // elements left and tag of the current container (in registers), and of the
    // containers around it (counts fit u32: at most 4 length bytes)
    let mut cur = u32::try_from(count).unwrap_or(u32::MAX);
    let mut cur_tag = 0u8;
    let mut outer = [(0u32, 0u8); MAX_DEPTH.saturating_add(1)];
    let mut top = 0usize;
    let mut r = body;
    loop {
        // the hot loop
        let t = loop {
            hot_step!(r, v, cur, cur_tag, outer, top,
                done: return, open: true, miss: return,
                rest: { [t, ..] => break t, [] => return, });
        };
        // one rarer element: a long-form count, or a tag the hot loop leaves to `Data`
        let mut c = Cursor::new(r);
        let d = depth.saturating_add(top);
        if t == tag::ARRAY || t == tag::STRUCTURE {
            let Ok(n) = c
                .skip(1)
                .map_err(Into::into)
                .and_then(|()| read_len(&mut c))
            else {
                return;
            };
            let Some(o) = outer.get_mut(top) else {
                return;
            };
            *o = (cur, cur_tag);
            top = top.saturating_add(1);
            (cur, cur_tag) = (u32::try_from(n).unwrap_or(u32::MAX), t);
            v.begin(t, n);
        } else {
            let Ok(x) = super::parse::parse_tagged(&mut c, d) else {
                return;
            };
            one(&x, v);
        }
        r = c.rest();
    }
}

/// [`tagged`] on bytes not validated yet: `count` tagged values from `body`, nested at
/// `depth`, visited in one pass; returns the bytes they take. The common tags are decoded straight from the slice, each value
/// handed over in registers; nesting is kept on a small stack rather than by recursion,
/// so the hot loop makes no call and a visitor's state can stay in registers; long-form
/// counts, the rarer tags, the depth limit and anything short or malformed leave the hot
/// loop for the element-by-element parser on the same bytes, so the checks and errors
/// are those of validation ([`Data::parse`]): the first error in encoding order.
///
/// A separate function from [`tagged`] sharing its hot loop ([`hot_step!`]) but not its
/// exits: one body for both (a const-generic flag or a `Result` return) made the
/// validated walk of profile buffers ~30 % slower (measured, issue 17).
fn checked<'a, V: Visit<'a>>(
    body: &'a [u8],
    count: usize,
    depth: usize,
    v: &mut V,
) -> Result<usize> {
    // elements left and tag of the current container (in registers), and of the
    // containers around it (counts fit u32: at most 4 length bytes)
    let mut cur = u32::try_from(count).unwrap_or(u32::MAX);
    let mut cur_tag = 0u8;
    let mut outer = [(0u32, 0u8); MAX_DEPTH.saturating_add(1)];
    let mut top = 0usize;
    // nested containers the hot loop may open (deeper ones get the depth error)
    let room = MAX_DEPTH.saturating_sub(depth);
    let mut r = body;
    loop {
        // the hot loop
        loop {
            hot_step!(r, v, cur, cur_tag, outer, top,
                done: return Ok(body.len().saturating_sub(r.len())),
                open: top < room, miss: break, rest: { _ => break, });
        }
        // one element the element-by-element way: a long-form count, a tag the hot
        // loop leaves to `Data`, the depth limit, or an error
        let mut c = Cursor::new(r);
        let d = depth.saturating_add(top);
        let t = c.peek_u8()?;
        if t == tag::ARRAY || t == tag::STRUCTURE {
            c.skip(1)?;
            deeper(d)?;
            let n = read_len(&mut c)?;
            let Some(o) = outer.get_mut(top) else {
                return Err(Error::DepthLimit {
                    field: "data",
                    limit: MAX_DEPTH,
                });
            };
            *o = (cur, cur_tag);
            top = top.saturating_add(1);
            (cur, cur_tag) = (u32::try_from(n).unwrap_or(u32::MAX), t);
            v.begin(t, n);
        } else {
            one(&parse_tagged(&mut c, d)?, v);
        }
        r = c.rest();
    }
}

/// One value at the cursor, validated and visited in one pass (see
/// [`Data::parse_visit_prefix`]).
pub(crate) fn read_visit<'a, V: Visit<'a>>(c: &mut Cursor<'a>, v: &mut V) -> Result<Data<'a>> {
    let t = c.peek_u8()?;
    if t != tag::ARRAY && t != tag::STRUCTURE {
        let x = parse_tagged(c, 0)?;
        one(&x, v);
        return Ok(x);
    }
    c.skip(1)?;
    let d = deeper(0)?;
    let n = read_len(c)?;
    let rest = c.rest();
    v.begin(t, n);
    let used = checked(rest, n, d, v)?;
    v.end(t);
    let seq = Seq::tagged(n, c.take(used)?, d);
    Ok(if t == tag::ARRAY {
        Data::Array(seq)
    } else {
        Data::Structure(seq)
    })
}

impl<'a> Seq<'a> {
    /// Visits the elements (and everything in them) in one pass; see [`Visit`].
    pub fn visit<V: Visit<'a>>(&self, v: &mut V) {
        if self.is_tagged() {
            tagged(self.body, self.count as usize, usize::from(self.depth), v);
        } else {
            for e in self.iter() {
                one(&e, v);
            }
        }
    }
}

impl<'a> Data<'a> {
    /// Visits this value and everything in it in one pass, in encoding order; see
    /// [`Visit`]. Each value reaches the visitor where it is decoded (no `Data` is
    /// built for the common scalar tags), so a walk that folds or copies values costs
    /// little more than reading the bytes.
    #[inline]
    pub fn visit<V: Visit<'a>>(&self, v: &mut V) {
        one(self, v);
    }

    /// Parses one value at the start of `input` and visits it in the same pass (no
    /// separate validation pass); returns it and the bytes used.
    ///
    /// Makes the checks [`Data::parse_prefix`] makes and returns the same error for the
    /// same bytes (the first problem in encoding order), but values before the problem
    /// have already reached the visitor when it is found: a visitor that must not act
    /// on a rejected value should buffer until this returns `Ok`.
    pub fn parse_visit_prefix<V: Visit<'a>>(input: &'a [u8], v: &mut V) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let d = read_visit(&mut c, v)?;
        Ok((d, c.position()))
    }
}

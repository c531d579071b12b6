//! Object blocks (a header with its objects) and the lazy iterators over
//! headers and points.

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

/// One object header with its objects (a borrowed view; objects decode lazily).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObjectBlock<'a> {
    /// The header.
    pub header: ObjectHeader,
    /// 0-based position of the header in its fragment.
    pub position: usize,
    /// Number of objects carried (0 when the header carries no object data).
    pub count: u32,
    /// The object bytes after the header (prefixes included).
    pub data: &'a [u8],
    /// The header lists indices only (an index-prefixed header in a read or other
    /// request without object data): points carry [`Value::None`].
    pub indices_only: bool,
    /// The time of the most recent common time-of-occurrence object (g51) before this
    /// header in the fragment: relative times (g2v3, g4v3) are added to it.
    pub cto: Option<u64>,
    /// The crate cannot size this header's objects (unknown group/variation without
    /// a size prefix): `data` is the raw rest of the fragment, there are no points,
    /// and the block carries [`DIAG_UNDECODED`]. It is the last block of its fragment.
    pub undecoded: bool,
}

meterwire_core::diagnostics! {
    /// Diagnostic: an object header whose objects the crate cannot size.
    pub DIAG_UNDECODED = Unrecognized, "object header", "object size unknown: the rest of the fragment is kept raw";
}

impl<'a> ObjectBlock<'a> {
    /// A block with objects (no CTO yet, decodable, not indices only).
    const fn plain(header: ObjectHeader, position: usize, count: u32, data: &'a [u8]) -> Self {
        ObjectBlock {
            header,
            position,
            count,
            data,
            indices_only: false,
            cto: None,
            undecoded: false,
        }
    }

    /// The diagnostic of an undecoded header ([`ObjectBlock::undecoded`]).
    pub fn diagnostic(&self) -> Option<meterwire_core::Diagnostic> {
        self.undecoded.then(|| {
            let h = &self.header;
            if let Range::Reserved { qualifier } = h.range {
                return meterwire_core::Diagnostic::with_value(
                    meterwire_core::DiagnosticKind::ReservedCode,
                    "object qualifier",
                    "reserved qualifier: the rest of the fragment is kept raw",
                    u64::from(qualifier),
                );
            }
            let gv = (u64::from(h.group) << 8) | u64::from(h.variation);
            meterwire_core::Diagnostic::with_value(
                DIAG_UNDECODED.kind,
                DIAG_UNDECODED.field,
                DIAG_UNDECODED.message,
                gv,
            )
        })
    }

    /// The raw rest of the fragment after an undecoded header.
    pub fn raw_rest(&self) -> Option<&'a [u8]> {
        self.undecoded.then_some(self.data)
    }

    /// The layout of this header's objects.
    pub fn layout(&self) -> Layout {
        layout(self.header.group, self.header.variation)
    }

    /// Iterates over the objects, decoding each lazily.
    pub fn points(&self) -> Points<'a> {
        let layout = if self.indices_only {
            Layout::Fixed(Kind::Empty)
        } else {
            self.layout()
        };
        // the fast path: fixed-size objects without a prefix or with an index prefix
        let fast = match (self.header.prefix, layout, self.header.range) {
            (
                0,
                Layout::Fixed(kind),
                Range::StartStop { start, .. } | Range::VirtualStartStop { start, .. },
            ) => Some((kind, kind.size(), start, 0)),
            (0, Layout::Fixed(kind), Range::Count { .. }) => Some((kind, kind.size(), 0, 0)),
            (prefix @ 1..=3, Layout::Fixed(kind), _) => {
                let pw = usize::from(prefix_width(prefix).unwrap_or(0));
                Some((kind, kind.size().wrapping_add(pw), 0, pw))
            }
            _ => None,
        }
        // only the kinds the hand-written fast path decodes
        .filter(|(kind, ..)| has_fast_path(*kind));
        Points {
            header: self.header,
            layout,
            rest: self.data,
            i: 0,
            count: if self.undecoded { 0 } else { self.count },
            fast,
            cto: self.cto,
        }
    }
}

/// Lazy iterator over the objects of an [`ObjectBlock`]. Never fails: the block's
/// size was checked when the header was parsed.
#[derive(Debug, Clone)]
pub struct Points<'a> {
    header: ObjectHeader,
    layout: Layout,
    /// The object bytes not yet consumed.
    rest: &'a [u8],
    i: u32,
    count: u32,
    /// Fast path: (kind, size with prefix, start index, index prefix width).
    fast: Option<(Kind, usize, u32, usize)>,
    cto: Option<u64>,
}

impl<'a> Points<'a> {
    fn next_point(&self, c: &mut Cursor<'a>) -> Result<Point<'a>, Error> {
        let h = self.header;
        let i = self.i;
        let mut index = match h.range {
            Range::StartStop { start, .. } | Range::VirtualStartStop { start, .. } => {
                start.saturating_add(i)
            }
            _ => i,
        };
        if let Layout::Packed(bits) = self.layout {
            let bit = u64::from(i).saturating_mul(u64::from(bits));
            let byte = usize::try_from(bit / 8).unwrap_or(usize::MAX);
            let b = c.rest().get(byte).copied().ok_or(Error::truncated(1))?;
            let v = (b >> (bit % 8)) & if bits == 2 { 3 } else { 1 };
            let value = if bits == 2 {
                Value::DoubleBit(v)
            } else {
                Value::Bool(v != 0)
            };
            return Ok(Point::new(index, value));
        }
        let pw = usize::from(prefix_width(h.prefix).unwrap_or(0));
        let mut size = None;
        if is_index_prefix(h.prefix) {
            index = u32::try_from(c.read_uint_le(pw)?).unwrap_or(u32::MAX);
        } else if is_size_prefix(h.prefix) {
            size = Some(usize::try_from(c.read_uint_le(pw)?).unwrap_or(usize::MAX));
        }
        match (self.layout, size) {
            (Layout::Fixed(kind), Some(n)) if n != kind.size() => {
                Ok(Point::new(index, Value::Raw(c.take(n)?)))
            }
            (Layout::Fixed(kind), _) => {
                let b = c.take(kind.size())?;
                let mut p = decode_generic(h.group, kind, index, b).ok_or(Error::truncated(1))?;
                if let (Some(rel), Some(cto)) = (p.relative_time, self.cto) {
                    p.time = Some(cto.wrapping_add(u64::from(rel)) & 0xFFFF_FFFF_FFFF);
                }
                Ok(p)
            }
            (Layout::Octets(v), None) => {
                Ok(Point::new(index, Value::Octets(c.take(usize::from(v))?)))
            }
            (Layout::Octets(_), Some(n)) => Ok(Point::new(index, Value::Octets(c.take(n)?))),
            (Layout::Attribute, None) => {
                let data_type = c.read_u8()?;
                let len = c.read_u8()?;
                let bytes = c.take(usize::from(len))?;
                Ok(Point::new(index, Value::Attribute { data_type, bytes }))
            }
            (Layout::Typed(t), n) => {
                let n = n
                    .or(t.fixed_size())
                    .ok_or(Error::unsupported("object layout", u32::from(h.group)))?;
                let bytes = c.take(n)?;
                let value = match t.decode(bytes) {
                    Some(_) => Value::Typed { kind: t, bytes },
                    None => Value::Raw(bytes),
                };
                Ok(Point::new(index, value))
            }
            (_, Some(n)) => Ok(Point::new(index, Value::Raw(c.take(n)?))),
            _ => Err(Error::unsupported("object layout", u32::from(h.group))),
        }
    }
}

impl<'a> Points<'a> {
    /// Everything but the fast path, out of line so that the fast path inlines into
    /// the caller's loop and the point stays in registers (measured: returning the
    /// point through memory from an out-of-line `next` stalled on store forwarding).
    /// It takes a copy of the iterator and returns the new position instead of
    /// taking `&mut self`: a reference would make the caller's iterator escape, so
    /// its cursor would live in memory and every fast-path step would reload it
    /// (a store-to-load chain per point, perf).
    #[inline(never)]
    fn next_slow(self) -> (Option<Point<'a>>, &'a [u8], u32) {
        let mut c = Cursor::new(self.rest);
        let p = self.next_point(&mut c).ok();
        let i = if p.is_some() {
            self.i.saturating_add(1)
        } else {
            self.count
        };
        (p, c.rest(), i)
    }
}

impl<'a> Iterator for Points<'a> {
    type Item = Point<'a>;
    // always: the fast path must inline into the caller's loop (see `next_slow`)
    #[inline(always)]
    fn next(&mut self) -> Option<Point<'a>> {
        if self.i >= self.count {
            return None;
        }
        // the commonest static analog (g30v1, g32v1..: flags + i32) in a range, first:
        // a fixed 5-byte step without the kind dispatch (integrity-poll bench)
        if let Some((Kind::FlagsI32, _, start, 0)) = self.fast {
            if let Some((&[f, a, b1, c, d], after)) = self.rest.split_first_chunk::<5>() {
                let mut p = Point::new(
                    start.wrapping_add(self.i),
                    Value::Int(i32::from_le_bytes([a, b1, c, d])),
                );
                p.flags = Some(f);
                self.rest = after;
                self.i = self.i.wrapping_add(1);
                return Some(p);
            }
        }
        if let Some((kind, size, start, pw)) = self.fast {
            if let Some((b, after)) = self.rest.split_at_checked(size) {
                let (index, body) = match (pw, b) {
                    (1, [i, body @ ..]) => (u32::from(*i), body),
                    (2, [i0, i1, body @ ..]) => (u32::from(u16::from_le_bytes([*i0, *i1])), body),
                    (4, [i0, i1, i2, i3, body @ ..]) => {
                        (u32::from_le_bytes([*i0, *i1, *i2, *i3]), body)
                    }
                    _ => (start.wrapping_add(self.i), b),
                };
                // (no relative times here: g2v3/g4v3 take the slow path, which adds the CTO)
                if let Some(p) = fast_fixed(self.header.group, kind, index, body) {
                    self.rest = after;
                    self.i = self.i.wrapping_add(1);
                    return Some(p);
                }
            }
        }
        let (p, rest, i) = self.clone().next_slow();
        self.rest = rest;
        self.i = i;
        p
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = usize::try_from(self.count.saturating_sub(self.i)).unwrap_or(usize::MAX);
        (0, Some(n))
    }
}

/// Parses one object header and cuts its object bytes from `c`.
///
/// `with_data` is false in requests whose headers carry no objects (read, freeze,
/// enable/disable unsolicited, assign class).
pub(crate) fn parse_block<'a>(
    c: &mut Cursor<'a>,
    with_data: bool,
    position: usize,
) -> Result<ObjectBlock<'a>, Error> {
    // a reserved qualifier: keep the header and the raw rest (nothing can be sized)
    if let [group, variation, qualifier, ..] = *c.rest() {
        if is_reserved_qualifier(qualifier) {
            c.skip(3)?;
            let header = ObjectHeader {
                group,
                variation,
                prefix: (qualifier >> 4) & 0x07,
                range: Range::Reserved { qualifier },
            };
            return Ok(ObjectBlock {
                undecoded: true,
                ..ObjectBlock::plain(header, position, 0, c.take_rest())
            });
        }
    }
    let header = ObjectHeader::parse(c)?;
    let n = header.range.count()?;
    let lay = layout(header.group, header.variation);
    // size-prefixed objects always carry their bytes (e.g. g70v5 in a read request)
    let carries = (with_data || is_size_prefix(header.prefix) || is_index_prefix(header.prefix))
        && header.range != Range::All
        && n > 0
        && lay != Layout::Fixed(Kind::Empty);
    if !carries {
        return Ok(ObjectBlock::plain(header, position, 0, &[]));
    }
    let count = u32::try_from(n).map_err(|_| {
        Error::length(
            "object count",
            u32::MAX as usize,
            usize::try_from(n).unwrap_or(usize::MAX),
        )
    })?;
    let pw = u64::from(prefix_width(header.prefix).unwrap_or(0));
    if !with_data && is_index_prefix(header.prefix) {
        let len = usize::try_from(n.saturating_mul(pw)).unwrap_or(usize::MAX);
        let data = c.take(len)?;
        return Ok(ObjectBlock {
            indices_only: true,
            ..ObjectBlock::plain(header, position, count, data)
        });
    }
    let start = c.rest();
    // an object the crate cannot size: keep the header and the raw rest
    let rest_raw = |c: &mut Cursor<'a>| -> Result<ObjectBlock<'a>, Error> {
        let data = c.take(c.remaining())?;
        Ok(ObjectBlock {
            undecoded: true,
            ..ObjectBlock::plain(header, position, count, data)
        })
    };
    let len: u64 = if is_size_prefix(header.prefix) {
        // walk the size prefixes
        let mut walk = Cursor::new(start);
        for _ in 0..count {
            let size = walk.read_uint_le(usize::try_from(pw).unwrap_or(0))?;
            walk.skip(usize::try_from(size).unwrap_or(usize::MAX))?;
        }
        walk.position() as u64
    } else {
        match lay {
            Layout::Packed(bits) => {
                if header.prefix != 0 {
                    return Err(Error::malformed(
                        "object prefix code",
                        "packed objects take no prefix",
                    ));
                }
                n.saturating_mul(u64::from(bits)).div_ceil(8)
            }
            Layout::Fixed(kind) => n.saturating_mul(pw.saturating_add(kind.size() as u64)),
            Layout::Octets(v) => {
                if v == 0 {
                    return rest_raw(c);
                }
                n.saturating_mul(pw.saturating_add(u64::from(v)))
            }
            Layout::Attribute => {
                let mut walk = Cursor::new(start);
                for _ in 0..count {
                    walk.skip(usize::try_from(pw).unwrap_or(0))?;
                    let _data_type = walk.read_u8()?;
                    let l = walk.read_u8()?;
                    walk.skip(usize::from(l))?;
                }
                walk.position() as u64
            }
            Layout::Typed(t) => match t.fixed_size() {
                Some(size) => n.saturating_mul(pw.saturating_add(size as u64)),
                None => return rest_raw(c),
            },
            Layout::Unknown => return rest_raw(c),
        }
    };
    let len = usize::try_from(len).unwrap_or(usize::MAX);
    let data = c.take(len)?;
    Ok(ObjectBlock::plain(header, position, count, data))
}

/// Lazy iterator over the object headers of a fragment. After the first error it
/// yields that error once and stops; the headers before it stay usable. A header
/// the crate cannot size comes out as an [`ObjectBlock::undecoded`] block holding the
/// raw rest (lenient), or as a nonconforming error (strict).
#[derive(Debug, Clone)]
pub struct ObjectBlocks<'a> {
    cursor: Cursor<'a>,
    with_data: bool,
    strict: bool,
    position: usize,
    done: bool,
    cto: Option<u64>,
}

impl<'a> ObjectBlocks<'a> {
    /// Iterates over the object headers in `data`, each followed by its objects.
    pub fn new(data: &'a [u8]) -> Self {
        ObjectBlocks {
            cursor: Cursor::new(data),
            with_data: true,
            strict: false,
            position: 0,
            done: false,
            cto: None,
        }
    }

    /// Headers without object data (read, freeze, enable/disable unsolicited,
    /// assign class requests): only index prefixes and size-prefixed objects follow.
    pub fn headers_only(mut self) -> Self {
        self.with_data = false;
        self
    }

    /// Sets the strictness: strict mode yields an undecoded header as an error.
    pub fn strictness(mut self, strictness: meterwire_core::Strictness) -> Self {
        self.strict = strictness.is_strict();
        self
    }
}

impl<'a> Iterator for ObjectBlocks<'a> {
    type Item = Result<ObjectBlock<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.cursor.is_empty() {
            return None;
        }
        let mut r = parse_block(&mut self.cursor, self.with_data, self.position);
        self.position = self.position.saturating_add(1);
        match &mut r {
            Ok(block) if block.undecoded => {
                self.done = true;
                if self.strict {
                    if let Some(d) = block.diagnostic() {
                        return Some(Err(Error::nonconforming(d)));
                    }
                }
            }
            Ok(block) => {
                block.cto = self.cto;
                if block.header.group == 51 {
                    if let Some(t) = block.points().next().and_then(|p| p.time) {
                        self.cto = Some(t);
                    }
                }
            }
            Err(_) => self.done = true,
        }
        Some(r)
    }
}

//! P1 telegram lines: `OBIS(value[*unit])(…)`, with the structured lines of DSMR
//! (power-failure log `99.97.0`, Belgian peak history `98.1.0`, DSMR 2.2/3 two-line
//! gas `24.3.0`), typed into core [`Reading`]s.

use meterwire_core::{DateTime, Decimal, Diagnostic, DiagnosticKind, Obis, Reading, Unit, Value};

use super::value::{decode_hex_text, number, parse_tst};
use crate::dataset::{Group, Groups, next_group};

/// What a line holds, decided by its OBIS code (DSMR 5.0.2 §6.12, e-MUCS 1.7.1 §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LineKind {
    /// A value with an optional capture time before it (`(TST)(value*unit)`).
    Value,
    /// Hex-encoded ASCII: equipment ids (`96.1.x`), text messages (`96.13.x`),
    /// logical device name (`42.0.0`).
    HexText,
    /// A plain identifier kept as text (`0.0.0`, serial numbers with leading zeros).
    Id,
    /// The telegram time `0-0:1.0.0`.
    Timestamp,
    /// Power-failure event log `1-0:99.97.0(n)(0-0:96.7.19)(TST)(dur*s)…`.
    EventLog,
    /// Monthly peak history `0-0:98.1.0` (Belgian form with a count and column
    /// OBIS codes; Hungarian form `(TST)(v1)…` without a count).
    History,
    /// DSMR 2.2/3 gas `0-n:24.3.0(TST12)(status)(period)(count)(obis)(unit)` with the
    /// value on the next line `(00001.001)`.
    LegacyGas,
    /// A line that does not follow the grammar (kept raw).
    Unrecognized,
}

/// One line of a P1 telegram (a DSMR 2.2/3 gas value line is joined to its line).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    text: &'a str,
    address: &'a str,
    groups: &'a str,
    more: &'a str,
    // found by the one scan of `Line::parse` (all derived from `text`):
    /// the OBIS bytes (0-5), the kind (6) and 1 when there is an OBIS code (7) in
    /// one word: kept as separate fields they were written byte by byte and read
    /// back as a word each time a line was moved (a store-forwarding stall,
    /// measured 19% of a telegram decode)
    code: u64,
    first: Option<Group<'a>>,
    second: Option<Group<'a>>,
}

impl core::fmt::Debug for Line<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Line")
            .field("text", &self.text)
            .field("address", &self.address)
            .field("groups", &self.groups)
            .field("more", &self.more)
            .field("obis", &self.obis())
            .finish()
    }
}

const HAS_OBIS: u64 = 1 << 56;

/// Packs the OBIS bytes (as `obis_prefix` gathers them) and the kind.
#[inline(always)]
const fn pack(obis: Option<u64>) -> u64 {
    match obis {
        Some(o) => {
            let o = o & 0xFFFF_FFFF_FFFF;
            let b = o.to_le_bytes();
            let k = kind_code(kind_of(Some(Obis([b[0], b[1], b[2], b[3], b[4], b[5]]))));
            o | k.wrapping_shl(48) | HAS_OBIS
        }
        None => kind_code(LineKind::Unrecognized).wrapping_shl(48),
    }
}

const fn obis_word(o: Obis) -> u64 {
    let b = o.0;
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], 0, 0])
}

/// Splits the text after the `/…` header line into lines (CR LF or LF).
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a str,
}

impl<'a> Lines<'a> {
    /// Lines of the data block `body` (text between the header line and `!`).
    pub const fn new(body: &'a str) -> Self {
        Lines { rest: body }
    }

    fn next_raw(&mut self) -> Option<&'a str> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (line, rest) =
                crate::dataset::split_byte(self.rest, b'\n').unwrap_or((self.rest, ""));
            self.rest = rest;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.is_empty() {
                return Some(line);
            }
        }
    }

    /// The next line when it is an OBIS line that follows the grammar, cut and
    /// parsed in one scan (the same [`Line`] as `Line::parse(self.next_raw())`);
    /// `None` leaves `self` unchanged for the general path.
    #[inline]
    fn next_fast(&mut self) -> Option<Line<'a>> {
        let mut s = self.rest;
        // empty lines (CR LF or LF alone) are skipped, as `next_raw` does
        while let Some(r) = s.strip_prefix("\r\n").or_else(|| s.strip_prefix('\n')) {
            s = r;
        }
        let (code, a) = obis_prefix(s.as_bytes())?;
        let code = pack(Some(code));
        if kind_from(code.to_le_bytes()[6]) == LineKind::LegacyGas {
            // joined to its value line by the general path
            return None;
        }
        let (first, mut rest) = next_group(s.get(a..)?)?;
        let mut second = None;
        let (end, next) = loop {
            let b = rest.as_bytes();
            let at = s.len().wrapping_sub(rest.len());
            match (b.first(), b.get(1)) {
                (Some(b'('), _) => {
                    let (g, r) = next_group(rest)?;
                    second = second.or(Some(g));
                    rest = r;
                }
                (Some(b'\r'), Some(b'\n')) => break (at, at.wrapping_add(2)),
                (Some(b'\n'), _) => break (at, at.wrapping_add(1)),
                (Some(b'\r'), None) => break (at, s.len()),
                (None, _) => break (at, at),
                _ => return None,
            }
        };
        let text = s.get(..end)?;
        self.rest = s.get(next..)?;
        Some(Line {
            text,
            address: text.get(..a)?,
            groups: text.get(a..)?,
            more: "",
            code,
            first: Some(first),
            second,
        })
    }

    fn peek_continuation(&mut self) -> Option<&'a str> {
        let trimmed = self.rest.trim_start_matches(['\r', '\n']);
        if trimmed.starts_with('(') {
            self.rest = trimmed;
            return self.next_raw();
        }
        None
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;
    #[inline]
    fn next(&mut self) -> Option<Line<'a>> {
        if let Some(l) = self.next_fast() {
            return Some(l);
        }
        let mut line = Line::parse(self.next_raw()?);
        if line.kind() == LineKind::LegacyGas {
            if let Some(more) = self.peek_continuation() {
                if crate::dataset::groups(more).is_ok_and(|(rest, _)| rest.is_empty()) {
                    line.more = more;
                }
            }
        }
        Some(line)
    }
}

#[inline]
fn is_tst(g: &Group<'_>) -> bool {
    g.unit().is_none() && parse_tst(g.value()).is_some()
}

/// One OBIS group of 1 to 3 decimal digits (0..=255) from `s[i..]`, and the index
/// after it; `None` for no digit, a fourth digit or a value above 255.
#[inline(always)]
fn obis_group(s: &[u8], mut i: usize) -> Option<(u8, usize)> {
    let start = i;
    let mut v: u16 = 0;
    while let Some(c) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = v
            .wrapping_mul(10)
            .wrapping_add(u16::from(c.wrapping_sub(b'0')));
        i = i.wrapping_add(1);
        if i.wrapping_sub(start) > 3 {
            return None;
        }
    }
    if i == start {
        return None;
    }
    Some((u8::try_from(v).ok()?, i))
}

/// `A-B:C.D.E` with an optional `*F` (the form of every DSMR line), parsed without
/// the general text forms; `None` sends the address to [`Obis::parse_bytes`].
fn fast_obis(s: &[u8]) -> Option<Obis> {
    let mut g = [0u8; 6];
    let mut i = 0usize;
    let mut n = 0usize;
    let seps = [b'-', b':', b'.', b'.', b'*'];
    for (k, slot) in g.iter_mut().enumerate() {
        (*slot, i) = obis_group(s, i)?;
        n = k.saturating_add(1);
        match (s.get(i), seps.get(k)) {
            (None, _) => break,
            (Some(c), Some(sep)) if c == sep => i = i.saturating_add(1),
            _ => return None,
        }
    }
    match n {
        5 => Some(Obis([g[0], g[1], g[2], g[3], g[4], 255])),
        6 if i == s.len() => Some(Obis(g)),
        _ => None,
    }
}

/// `address(…)(…)` as the nom grammar of [`crate::dataset`] reads it (an address
/// without `( ) CR LF ! /`, then one or more groups `(…)` without `( ) CR LF`, then
/// nothing), written as one byte loop for the P1 hot path. Why not nom here: with
/// the nom form a DSMR 5 telegram read in full took 2.9 µs against dsmr5 0.4.0's
/// 2.6 µs in the same run; with this scan (and the rest of the read-path work) 1.1 µs
/// against 2.5 µs (`cargo bench -p meterwire-benches --bench p1`, see the README).
/// nom stays for the IEC 62056-21 data blocks, where it does not cost.
/// Returns the address length and the first two groups.
#[inline]
fn scan_line(text: &str) -> Option<(usize, Group<'_>, Option<Group<'_>>)> {
    let b = text.as_bytes();
    let mut i = 0usize;
    loop {
        match b.get(i)? {
            b'(' => break,
            b')' | b'\r' | b'\n' | b'!' | b'/' => return None,
            _ => i = i.wrapping_add(1),
        }
    }
    if i == 0 {
        return None;
    }
    groups_of(text, i).map(|(f, s)| (i, f, s))
}

/// The groups from `a` to the end of `text` (one or more, nothing after): the
/// first two.
#[inline]
fn groups_of(text: &str, a: usize) -> Option<(Group<'_>, Option<Group<'_>>)> {
    let (first, mut rest) = next_group(text.get(a..)?)?;
    let mut second = None;
    while !rest.is_empty() {
        let (g, r) = next_group(rest)?;
        second = second.or(Some(g));
        rest = r;
    }
    Some((first, second))
}

#[inline]
const fn kind_of(obis: Option<Obis>) -> LineKind {
    let Some(Obis([a, _, c, d, e, _])) = obis else {
        return LineKind::Unrecognized;
    };
    match (c, d, e) {
        (99, 97, 0) => LineKind::EventLog,
        (98, 1, 0) => LineKind::History,
        (24, 3, 0) => LineKind::LegacyGas,
        (96, 1, 0..=2) => LineKind::HexText,
        (96, 13, _) | (42, 0, 0) => LineKind::HexText,
        (96, 1, _) | (0, 0, _) => LineKind::Id,
        (1, 0, 0) if a == 0 => LineKind::Timestamp,
        _ => LineKind::Value,
    }
}

const fn kind_from(b: u8) -> LineKind {
    match b {
        0 => LineKind::Value,
        1 => LineKind::HexText,
        2 => LineKind::Id,
        3 => LineKind::Timestamp,
        4 => LineKind::EventLog,
        5 => LineKind::History,
        6 => LineKind::LegacyGas,
        _ => LineKind::Unrecognized,
    }
}

const fn kind_code(k: LineKind) -> u64 {
    match k {
        LineKind::Value => 0,
        LineKind::HexText => 1,
        LineKind::Id => 2,
        LineKind::Timestamp => 3,
        LineKind::EventLog => 4,
        LineKind::History => 5,
        LineKind::LegacyGas => 6,
        LineKind::Unrecognized => 7,
    }
}

/// The OBIS code `A-B:C.D.E[*F]` that opens `b` when a `(` follows it (the
/// address of nearly every P1 line, read in the same loop that finds it), with
/// its length; `None` sends the line to the general address scan.
#[inline(always)]
fn obis_prefix(b: &[u8]) -> Option<(u64, usize)> {
    // the six bytes are gathered in one word: built byte by byte in memory, they
    // were read back as a word when the line was moved (a store-forwarding stall)
    let mut acc = 0u64;
    let mut i = 0usize;
    let seps = [b'-', b':', b'.', b'.', b'*'];
    for k in 0..6u32 {
        let v;
        (v, i) = obis_group(b, i)?;
        acc |= u64::from(v).wrapping_shl(k.wrapping_mul(8));
        match (b.get(i), seps.get(k as usize)) {
            (Some(b'('), _) if k == 4 => return Some((acc | 0xFF_u64.wrapping_shl(40), i)),
            (Some(b'('), _) if k == 5 => return Some((acc, i)),
            (Some(c), Some(sep)) if c == sep => i = i.wrapping_add(1),
            _ => return None,
        }
    }
    None
}

impl<'a> Line<'a> {
    /// Parses one line (without its line end). Never fails: a line off the grammar
    /// is kept as [`LineKind::Unrecognized`].
    pub fn parse(text: &'a str) -> Self {
        let fast = obis_prefix(text.as_bytes());
        let scanned = match fast {
            Some((_, a)) => groups_of(text, a).map(|(f, s)| (a, f, s)),
            None => scan_line(text),
        };
        match scanned {
            Some((a, first, second)) => {
                let address = text.get(..a).unwrap_or("");
                let code = match fast {
                    Some((o, _)) => Some(o),
                    None => fast_obis(address.as_bytes())
                        .or_else(|| Obis::parse_bytes(address.as_bytes()).ok())
                        .map(obis_word),
                };
                Line {
                    text,
                    address,
                    groups: text.get(a..).unwrap_or(""),
                    more: "",
                    code: pack(code),
                    first: Some(first),
                    second,
                }
            }
            None => Line {
                text,
                address: "",
                groups: "",
                more: "",
                code: pack(None),
                first: None,
                second: None,
            },
        }
    }

    /// The raw line text (the first line of a two-line gas reading).
    #[inline]
    pub const fn text(&self) -> &'a str {
        self.text
    }

    /// The address text before the first group (`1-0:1.8.1`, `1-0:1.8.0*255`).
    pub const fn address(&self) -> &'a str {
        self.address
    }

    /// The OBIS code, if the address is one.
    #[inline]
    pub const fn obis(&self) -> Option<Obis> {
        if self.code & HAS_OBIS == 0 {
            return None;
        }
        let b = self.code.to_le_bytes();
        Some(Obis([b[0], b[1], b[2], b[3], b[4], b[5]]))
    }

    /// The raw `(…)(…)` text of the groups (the continuation line not included).
    pub const fn groups_text(&self) -> &'a str {
        self.groups
    }

    /// The value groups, a DSMR 2.2/3 continuation line included.
    #[inline]
    pub fn groups(&self) -> Groups<'a> {
        Groups::new(self.groups, self.more)
    }

    /// What the line holds.
    #[inline]
    pub fn kind(&self) -> LineKind {
        kind_from(self.code.to_le_bytes()[6])
    }

    /// The group that holds the line's value (after a capture time, if any).
    #[inline]
    fn value_group(&self) -> Option<Group<'a>> {
        match self.kind() {
            LineKind::LegacyGas => self.groups().nth(6),
            LineKind::EventLog | LineKind::History => self.first,
            _ => {
                let first = self.first?;
                match self.second {
                    Some(second) if is_tst(&first) => Some(second),
                    _ => Some(first),
                }
            }
        }
    }

    /// The capture time of the value: `(TST)(value)` lines (M-Bus readings,
    /// peak demand `1.6.0`), the first group of a DSMR 2.2/3 gas line, or the
    /// telegram time itself.
    pub fn time(&self) -> Option<DateTime> {
        let mut g = self.groups();
        let first = g.next()?;
        let has_more = g.next().is_some();
        match self.kind() {
            LineKind::LegacyGas | LineKind::Timestamp => parse_tst(first.value()).map(|t| t.0),
            LineKind::Value if has_more && is_tst(&first) => parse_tst(first.value()).map(|t| t.0),
            _ => None,
        }
    }

    /// The OBIS code the reading is filed under: the line's own, or for a DSMR
    /// 2.2/3 gas line the code in its 5th group (`0-1:24.2.1`).
    #[inline]
    pub fn reading_obis(&self) -> Option<Obis> {
        if self.kind() == LineKind::LegacyGas {
            if let Some(o) = self
                .groups()
                .nth(4)
                .and_then(|g| Obis::parse_bytes(g.value().as_bytes()).ok())
            {
                return Some(o);
            }
        }
        self.obis()
    }

    /// The unit text of the value (for a DSMR 2.2/3 gas line the 6th group).
    #[inline]
    fn unit_text(&self, g: &Group<'a>) -> Option<&'a str> {
        if self.kind() == LineKind::LegacyGas {
            return self.groups().nth(5).map(|g| g.value());
        }
        g.unit()
    }

    /// The value and unit, hex text left as it was sent (see [`Line::decoded_text`]
    /// for decoded text). Numbers are exact and converted to the DLMS base unit
    /// (`kWh` → `Wh`).
    #[inline]
    pub fn value(&self) -> (Value<'a>, Option<Unit>) {
        let Some(g) = self.value_group() else {
            return (Value::Missing, None);
        };
        let v = g.value();
        if v.is_empty() && g.unit().is_none() {
            return (Value::Missing, None);
        }
        match self.kind() {
            LineKind::HexText | LineKind::Id | LineKind::Unrecognized => (Value::Text(v), None),
            LineKind::Timestamp => match parse_tst(v) {
                Some((t, _)) => (Value::DateTime(t), None),
                None => (Value::Text(v), None),
            },
            _ => {
                if g.unit().is_none() && v.len() == 13 {
                    if let Some((t, _)) = parse_tst(v) {
                        return (Value::DateTime(t), None);
                    }
                }
                match number(v, self.unit_text(&g)) {
                    Some((d, u, _)) => (Value::Number(d), u),
                    None => (Value::Text(v), None),
                }
            }
        }
    }

    /// Hex-encoded text decoded into `buf` (ids, text messages); `None` if the
    /// line is not hex text or does not decode to printable ASCII.
    #[inline]
    pub fn decoded_text<'b>(&self, buf: &'b mut [u8]) -> Option<&'b str> {
        if self.kind() != LineKind::HexText && self.kind() != LineKind::Id {
            return None;
        }
        decode_hex_text(self.value_group()?.value(), buf)
    }

    /// The hex text of an id or text-message line, as sent (`None` for other lines).
    #[inline]
    pub fn hex_text(&self) -> Option<&'a str> {
        match self.kind() {
            LineKind::HexText | LineKind::Id => self.value_group().map(|g| g.value()),
            _ => None,
        }
    }

    /// The line as a core [`Reading`] with hex text left undecoded.
    #[inline]
    pub fn reading(&self) -> Option<Reading<'a>> {
        let (value, unit) = self.value();
        Some(Reading::new(self.reading_obis()?, value, unit))
    }

    /// The entries of a power-failure event log `1-0:99.97.0`: end time and
    /// duration in seconds (exact).
    #[inline]
    pub fn events(&self) -> EventLog<'a> {
        let mut g = self.groups();
        if self.kind() == LineKind::EventLog {
            // count, then the OBIS of the columns (0-0:96.7.19)
            let _ = g.next();
            let _ = g.next();
        } else {
            g = Groups::new("", "");
        }
        EventLog { groups: g }
    }

    /// The entries of a Belgian monthly peak history `0-0:98.1.0(n)(1-0:1.6.0)(1-0:1.6.0)
    /// (TST month)(TST peak)(v*kW)…`; empty for other lines (and for the Hungarian
    /// form, whose values are plain groups, see [`Line::groups`]).
    pub fn history(&self) -> History<'a> {
        let mut g = self.groups();
        let belgian = self.kind() == LineKind::History
            && self
                .groups()
                .nth(1)
                .is_some_and(|c| !is_tst(&c) && c.value().contains(':'));
        if belgian {
            let _ = g.next();
            let _ = g.next();
            let _ = g.next();
        } else {
            g = Groups::new("", "");
        }
        History { groups: g }
    }

    /// Departures found on this line (lazy).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<'a> {
        let me = *self;
        let unrecognized = (me.kind() == LineKind::Unrecognized).then_some(Diagnostic::new(
            DiagnosticKind::Unrecognized,
            "p1 line",
            "line does not follow the obis(value*unit) grammar; kept raw",
        ));
        let bad_unit = me
            .groups()
            .filter_map(|g| {
                let u = g.unit()?;
                (!u.is_empty() && Unit::from_symbol(u).is_none()).then_some(())
            })
            .next()
            .map(|()| {
                Diagnostic::new(
                    DiagnosticKind::Unrecognized,
                    "p1 unit",
                    "unknown unit; value kept unscaled",
                )
            });
        let twelve_ok = matches!(me.kind(), LineKind::LegacyGas | LineKind::Timestamp);
        let placeholder = me
            .groups()
            .enumerate()
            .filter_map(|(i, g)| {
                let v = g.value();
                if g.unit().is_some() || (v.len() == 12 && !(twelve_ok && i == 0)) {
                    return None;
                }
                let (_, p) = parse_tst(v)?;
                p.then_some(())
            })
            .next()
            .map(|()| {
                Diagnostic::new(
                    DiagnosticKind::Placeholder,
                    "p1 timestamp",
                    "placeholder or impossible date sent instead of a time",
                )
            });
        let gas =
            (me.kind() == LineKind::LegacyGas && me.more.is_empty()).then_some(Diagnostic::new(
                DiagnosticKind::Unreassembled,
                "p1 gas line",
                "dsmr 2.2/3 gas line without its value line",
            ));
        [unrecognized, bad_unit, placeholder, gas]
            .into_iter()
            .flatten()
    }
}

/// One power-failure event: when it ended and how long it lasted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowerFailure {
    /// End of the failure (local time with DST flag).
    pub end: DateTime,
    /// Duration, in seconds (exact, from `(…*s)`).
    pub duration: Decimal,
}

/// A public iterator `$name` over the records of a log line: each `$item` is read
/// from the line's remaining groups `$g` by `$read` (`None` ends it).
macro_rules! group_records {
    ($(#[$m:meta])* $name:ident -> $item:ty, |$g:ident| $read:block) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name<'a> {
            groups: Groups<'a>,
        }

        impl Iterator for $name<'_> {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<$item> {
                let $g = &mut self.groups;
                $read
            }
        }
    };
}

group_records!(
    /// Iterator over a `99.97.0` log.
    EventLog -> PowerFailure,
    |g| {
        let (t, d) = (g.next()?, g.next()?);
        let (end, _) = parse_tst(t.value())?;
        let (duration, _, _) = number(d.value(), d.unit())?;
        Some(PowerFailure { end, duration })
    }
);

/// One month of a Belgian peak-demand history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlyPeak {
    /// The month the entry covers (its first instant).
    pub month: DateTime,
    /// When the peak occurred.
    pub time: DateTime,
    /// The peak average power, exact, in `unit`.
    pub value: Decimal,
    /// Its unit (W for `kW` text).
    pub unit: Option<Unit>,
}

group_records!(
    /// Iterator over a Belgian `98.1.0` history.
    History -> MonthlyPeak,
    |g| {
        let (m, t, v) = (g.next()?, g.next()?, g.next()?);
        let (month, _) = parse_tst(m.value())?;
        let (time, _) = parse_tst(t.value())?;
        let (value, unit, _) = number(v.value(), v.unit())?;
        Some(MonthlyPeak {
            month,
            time,
            value,
            unit,
        })
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The hand-written line scan accepts exactly what the nom data-set grammar
        /// accepts, with the same address and groups.
        #[test]
        fn scan_matches_nom_grammar(
            text in "([0-9]{1,2}-[0-9]{1,2}:[0-9]{1,3}\\.[0-9]{1,2}\\.[0-9]{1,3}(\\*[0-9]{1,3})?|([0-9]{1,4}[-:.*]){0,7})(\\([-0-9.*a\r]{0,12}\\)){0,3}([-0-9:.*()\r\n!/aW +#é]{1,12})?"
        ) {
            let line = Line::parse(&text);
            match crate::dataset::data_set(&text) {
                Ok(("", (address, groups))) => {
                    prop_assert_eq!(line.address(), address);
                    prop_assert_eq!(line.groups_text(), groups);
                    prop_assert_eq!(
                        line.obis(),
                        fast_obis(address.as_bytes())
                            .or_else(|| Obis::parse_bytes(address.as_bytes()).ok())
                    );
                    let all: std::vec::Vec<_> = line.groups().collect();
                    prop_assert_eq!(line.first, all.first().copied());
                    prop_assert_eq!(line.second, all.get(1).copied());
                }
                _ => {
                    prop_assert_eq!((line.address(), line.groups_text()), ("", ""));
                    prop_assert_eq!(line.kind(), LineKind::Unrecognized);
                }
            }
        }

        /// Lines cut and parsed in one scan are the lines `next_raw` cuts and
        /// `Line::parse` parses.
        #[test]
        fn one_scan_lines_match_split_then_parse(
            body in "(([0-9]-[0-9]:[0-9]{1,3}\\.[0-9]\\.[0-9](\\*[0-9]{1,3})?|[-0-9:.a]{0,4})(\\([-0-9.*a\r]{0,6}\\)){0,3}[()!a]?(\r\n|\n|\r|\r\r\n|\n\n)?){0,6}"
        ) {
            prop_assume!(!body.contains("24.3.0"));
            let fast: std::vec::Vec<Line<'_>> = Lines::new(&body).collect();
            let mut split = Lines::new(&body);
            let mut slow = std::vec::Vec::new();
            while let Some(t) = split.next_raw() {
                slow.push(Line::parse(t));
            }
            prop_assert_eq!(fast, slow);
        }
    }
}

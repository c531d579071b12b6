//! DSMR P1 telegrams (DSMR 5.0.2 P1 Companion Standard §6; e-MUCS P1 1.7.1; the
//! IEC 62056-21 mode D data message they derive from).

use meterwire_core::{DateTime, Diagnostic, DiagnosticKind, Reading, Strictness, Value};

use super::line::{Line, LineKind, Lines};
use crate::Error;
use crate::crc::crc16_arc;
use crate::ident::Identification;

const LF_ONLY: u8 = 1;
const CRC_SHORT: u8 = 2;
const NO_CRLF: u8 = 4;
const NUL_TAIL: u8 = 8;
const CRC_UNVERIFIED: u8 = 16;
const DROPPED_PARTIAL: u8 = 32;

meterwire_core::diagnostics! {
    DIAG_DROPPED_PARTIAL = Unreassembled, "p1 stream",
        "an incomplete telegram before this one was dropped";
    DIAG_LF_ONLY = VendorQuirk, "p1 line end", "lf without cr";
    DIAG_CRC_SHORT = VendorQuirk, "p1 crc", "crc sent with fewer than 4 hex digits (unpadded)";
    DIAG_NO_CRLF = VendorQuirk, "p1 crc", "no cr lf after the crc (next telegram glued on)";
    DIAG_NUL_TAIL = Noise, "p1 crc", "nul byte before the final cr lf";
    DIAG_CRC_UNVERIFIED = NotVerified, "p1 crc16/arc",
        "crc does not match; accepted because crc checking is off";
}

/// The framing flags and their diagnostics, in the order they are reported.
const FLAG_DIAGNOSTICS: [(u8, Diagnostic); 6] = [
    (DROPPED_PARTIAL, DIAG_DROPPED_PARTIAL),
    (LF_ONLY, DIAG_LF_ONLY),
    (CRC_SHORT, DIAG_CRC_SHORT),
    (NO_CRLF, DIAG_NO_CRLF),
    (NUL_TAIL, DIAG_NUL_TAIL),
    (CRC_UNVERIFIED, DIAG_CRC_UNVERIFIED),
];

/// How a telegram is checked (builder; lenient and CRC-checked by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TelegramParser {
    strictness: Strictness,
    skip_crc: bool,
}

impl TelegramParser {
    /// Lenient, CRC checked.
    pub const fn new() -> Self {
        TelegramParser {
            strictness: Strictness::Lenient,
            skip_crc: false,
        }
    }

    parse_builders!();

    /// Parses one complete telegram starting at `/`; bytes after its final line end
    /// are reported as trailing bytes.
    #[inline]
    pub fn parse<'a>(&self, input: &'a [u8]) -> Result<Telegram<'a>, Error> {
        let t = parse_inner(input, self.skip_crc, 0, 0)?;
        if self.strictness.is_strict() {
            if let Some(d) = t.diagnostics().next() {
                self.strictness.reject(d)?;
            }
        }
        Ok(t)
    }
}

/// A borrowed view of one P1 telegram: header, data lines, CRC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Telegram<'a> {
    raw: &'a [u8],
    header: Identification<'a>,
    body: &'a str,
    crc: Option<u16>,
    flags: u8,
    skipped: usize,
    trailing: usize,
}

/// Where the telegram ends: the index after its last byte, the CRC digits and flags.
pub(crate) struct End {
    pub(crate) end: usize,
    pub(crate) bang: usize,
    pub(crate) digits: usize,
    pub(crate) flags: u8,
}

/// Finds the end of a telegram in `raw` (starting at `/`). `Ok(None)` when more
/// bytes are needed to know; the CRC is not checked here.
#[inline]
pub(crate) fn find_end(raw: &[u8], complete: bool) -> Option<End> {
    find_end_at(raw, crate::dataset::memchr(b'!', raw)?, complete)
}

/// [`find_end`] with the first `!` already found at `bang`.
#[inline]
pub(crate) fn find_end_at(raw: &[u8], bang: usize, complete: bool) -> Option<End> {
    let after = raw.get(bang.checked_add(1)?..)?;
    let digits = after
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_hexdigit())
        .count();
    let mut i = digits;
    let mut flags = 0u8;
    if digits > 0 && digits < 4 {
        flags |= CRC_SHORT;
    }
    while after.get(i) == Some(&0) {
        i = i.saturating_add(1);
        flags |= NUL_TAIL;
    }
    match (after.get(i), after.get(i.saturating_add(1))) {
        (Some(b'\r'), Some(b'\n')) => i = i.saturating_add(2),
        (Some(b'\n'), _) => {
            i = i.saturating_add(1);
            flags |= LF_ONLY;
        }
        (Some(b'\r'), None) | (None, _) if !complete => return None,
        _ => flags |= NO_CRLF,
    }
    Some(End {
        end: bang.checked_add(1)?.checked_add(i)?,
        bang,
        digits,
        flags,
    })
}

#[inline]
fn hex_u16(d: &[u8]) -> u16 {
    d.iter().fold(0u16, |acc, &c| {
        let v = meterwire_core::hex::hex_digit(c).unwrap_or(0);
        acc.wrapping_shl(4) | u16::from(v)
    })
}

/// Whether `raw` has an LF not preceded by CR (one vectorised search per line end).
fn lone_lf(raw: &[u8]) -> bool {
    let mut rest = raw;
    let mut prev = 0u8;
    while let Some(p) = crate::dataset::memchr(b'\n', rest) {
        let before = match p.checked_sub(1) {
            Some(q) => rest.get(q).copied().unwrap_or(0),
            None => prev,
        };
        if before != b'\r' {
            return true;
        }
        prev = b'\n';
        rest = rest.get(p.saturating_add(1)..).unwrap_or(&[]);
    }
    false
}

/// Parses the telegram at the start of `input` (which begins with `/`).
#[inline]
pub(crate) fn parse_inner(
    input: &[u8],
    skip_crc: bool,
    skipped: usize,
    extra_flags: u8,
) -> Result<Telegram<'_>, Error> {
    parse_inner_end(input, None, skip_crc, skipped, extra_flags)
}

/// [`parse_inner`] with the end already found by the framer (`find_end` over the
/// same bytes), so that the `!` is searched once per telegram.
#[inline]
pub(crate) fn parse_inner_end(
    input: &[u8],
    known_end: Option<End>,
    skip_crc: bool,
    skipped: usize,
    extra_flags: u8,
) -> Result<Telegram<'_>, Error> {
    if input.first() == Some(&0xAF) {
        return Err(Error::malformed(
            "telegram start",
            "'/' with bit 7 set: a 7e1 line read as 8n1 (see strip_parity)",
        ));
    }
    if input.first() != Some(&b'/') {
        return Err(Error::malformed("telegram start", "expected '/'"));
    }
    let Some(end) = known_end.or_else(|| find_end(input, true)) else {
        return Err(Error::malformed("telegram end", "no '!' end of telegram"));
    };
    let raw = input.get(..end.end).unwrap_or(input);
    let scope = input.get(..=end.bang).unwrap_or(input);
    if !scope.is_ascii() {
        return Err(Error::malformed(
            "telegram",
            "non-ascii byte inside the crc scope (a 7e1 line read as 8n1? see strip_parity)",
        ));
    }
    let mut flags = end.flags | extra_flags;
    let digits = input
        .get(end.bang.saturating_add(1)..end.bang.saturating_add(1).saturating_add(end.digits))
        .unwrap_or(&[]);
    let crc = (!digits.is_empty()).then(|| hex_u16(digits));
    if let Some(sent) = crc {
        let computed = crc16_arc(scope);
        if computed != sent {
            if skip_crc {
                flags |= CRC_UNVERIFIED;
            } else {
                return Err(Error::checksum(
                    "p1 crc16/arc",
                    computed.into(),
                    sent.into(),
                ));
            }
        }
    }
    let text = core::str::from_utf8(scope.get(1..end.bang).unwrap_or(&[]))
        .map_err(|_| Error::malformed("telegram", "not ascii"))?;
    let Some((header, body)) = text.split_once('\n') else {
        return Err(Error::malformed(
            "telegram header",
            "no line end after the header",
        ));
    };
    let header = header.strip_suffix('\r').unwrap_or(header);
    let header = Identification::new(header)
        .ok_or(Error::malformed("telegram header", "shorter than /XXXZ"))?;
    Ok(Telegram {
        raw,
        header,
        body,
        crc,
        flags,
        skipped,
        trailing: input.len().saturating_sub(raw.len()),
    })
}

impl<'a> Telegram<'a> {
    /// Parses one complete telegram (lenient, CRC checked when present); see
    /// [`TelegramParser`] for strict mode.
    #[inline]
    pub fn parse(input: &'a [u8]) -> Result<Self, Error> {
        TelegramParser::new().parse(input)
    }

    /// A configurable parser.
    pub const fn parser() -> TelegramParser {
        TelegramParser::new()
    }

    /// The raw bytes from `/` to the line end after the CRC.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// The header line.
    pub const fn header(&self) -> Identification<'a> {
        self.header
    }

    /// The data block: the text between the header line and `!`.
    pub const fn body(&self) -> &'a str {
        self.body
    }

    /// The CRC sent after `!` (`None` for DSMR 2.2/3 and other telegrams without one).
    pub const fn crc(&self) -> Option<u16> {
        self.crc
    }

    /// The data lines (lazy; a DSMR 2.2/3 gas value line is joined to its line).
    #[inline]
    pub fn lines(&self) -> Lines<'a> {
        Lines::new(self.body)
    }

    /// The first line with this OBIS code.
    pub fn line(&self, obis: meterwire_core::Obis) -> Option<Line<'a>> {
        self.lines().find(|l| l.obis() == Some(obis))
    }

    /// The P1 version line `1-3:0.2.8` (NL, LU) or `0-0:96.1.4` (BE), as sent.
    pub fn version(&self) -> Option<&'a str> {
        self.lines()
            .find(|l| {
                l.obis()
                    .is_some_and(|o| matches!(o.bytes(), [1, 3, 0, 2, 8, _] | [0, 0, 96, 1, 4, _]))
            })
            .and_then(|l| l.groups().next())
            .map(|g| g.value())
    }

    /// The telegram time `0-0:1.0.0`.
    pub fn time(&self) -> Option<DateTime> {
        self.lines()
            .find(|l| l.kind() == LineKind::Timestamp)
            .and_then(|l| l.time())
    }

    /// The meter's equipment id as sent (hex text of `0-0:96.1.1`, or `0-0:96.1.0`
    /// where the meter has no `96.1.1`).
    pub fn equipment_id(&self) -> Option<&'a str> {
        let find = |e: u8| {
            self.lines()
                .find(|l| {
                    l.obis()
                        .is_some_and(|o| matches!(o.bytes(), [0, 0, 96, 1, x, _] if x == e))
                })
                .and_then(|l| l.hex_text())
        };
        find(1).or_else(|| find(0))
    }

    /// Every line as a core [`Reading`] (value in the DLMS base unit, exact), hex
    /// text decoded into `text_buf` where it is printable ASCII and fits (otherwise
    /// kept as sent). Lines without an OBIS code are skipped (see
    /// [`Telegram::diagnostics`]).
    pub fn readings<'b>(&self, text_buf: &'b mut [u8]) -> Readings<'a, 'b> {
        Readings {
            lines: self.lines(),
            buf: text_buf,
        }
    }

    /// Bytes before the `/` that the framer skipped (noise, a partial telegram).
    pub const fn skipped(&self) -> usize {
        self.skipped
    }

    /// Departures from the standard (lazy): framing quirks, then each line's.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<'a> {
        // an LF without CR inside the telegram is looked for here, not at parse
        // time (the final line end is checked by `find_end`)
        let f = self.flags | if lone_lf(self.raw) { LF_ONLY } else { 0 };
        let skipped = (self.skipped > 0).then_some(Diagnostic::with_value(
            DiagnosticKind::Noise,
            "p1 stream",
            "bytes before the telegram header skipped",
            self.skipped as u64,
        ));
        let flagged = FLAG_DIAGNOSTICS
            .into_iter()
            .filter(move |&(bit, _)| f & bit != 0)
            .map(|(_, d)| d);
        let trailing = (self.trailing > 0).then_some(Diagnostic::with_value(
            DiagnosticKind::TrailingBytes,
            "p1 telegram",
            "bytes after the final line end",
            self.trailing as u64,
        ));
        skipped
            .into_iter()
            .chain(flagged)
            .chain(trailing)
            .chain(self.header.diagnostics())
            .chain(self.lines().flat_map(|l| l.diagnostics()))
    }
}

/// Iterator over the readings of a telegram (see [`Telegram::readings`]).
#[derive(Debug)]
pub struct Readings<'a, 'b> {
    lines: Lines<'a>,
    buf: &'b mut [u8],
}

impl<'a: 'b, 'b> Iterator for Readings<'a, 'b> {
    type Item = Reading<'b>;
    fn next(&mut self) -> Option<Reading<'b>> {
        loop {
            let line = self.lines.next()?;
            let Some(r) = line.reading() else {
                continue;
            };
            let Some(hex) = line.hex_text() else {
                return Some(r);
            };
            let n = hex.len() / 2;
            if hex.is_empty() || self.buf.len() < n {
                return Some(r);
            }
            if !super::value::is_printable_hex(hex) {
                return Some(r);
            }
            let buf = core::mem::take(&mut self.buf);
            let (head, tail) = buf.split_at_mut(n);
            self.buf = tail;
            let value = match super::value::decode_hex_text(hex, head) {
                Some(text) => Value::Text(text),
                None => r.value,
            };
            return Some(Reading::new(r.obis, value, None));
        }
    }
}

pub(crate) const fn dropped_partial_flag() -> u8 {
    DROPPED_PARTIAL
}

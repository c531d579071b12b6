//! Readings: OBIS-named values with exact scaling and units, out of DLMS/COSEM
//! pushes (data-notification, IEC 62056-5-3 §6.11 / §7.3.13; value semantics
//! IEC 62056-6-2: class 3 `scaler_unit`, COSEM date-time).
//!
//! A push is mapped in one of three ways ([`Mapping`]):
//!
//! * **self-describing**: the push carries the OBIS codes, as structures
//!   `{logical name octet-string(6), value, [scaler_unit {integer, enum}]}`
//!   (Aidon, Austrian EVN/TINETZ/Wiener Netze Kaifa, Iskra, Landis+Gyr and
//!   Siemens pushes), as a flat alternation of OBIS code and value (Kamstrup,
//!   Swedish Kaifa), or nested arrays of these. No per-vendor code is needed;
//!   a register without `scaler_unit` takes its scaler and unit from the
//!   layout of the push's list identifier, if one is shipped.
//! * **described**: a structure whose first element is the push setup's
//!   `push_object_list` (capture objects; the list is itself the value of the
//!   first capture object, class 40 attribute 2), then one value per object.
//! * **positional**: a plain value list, named through a [`PushLayout`]: the
//!   caller's, or a shipped one chosen by the list identifier (first element,
//!   e.g. `KFM_001`), by shape (Kaifa list 1) or by the system title's
//!   manufacturer.
//!
//! Numbers are exact ([`Decimal`](meterwire_core::Decimal) mantissa = the raw
//! integer, exponent = the scaler); printable octet-strings become text; date-
//! times (also 12-byte octet-strings) become [`DateTime`] with the UTC offset
//! (the negated DLMS deviation, see [`date_time`]) and clock status.
//!
//! The walk needs no allocator: [`Push::for_each`] hands each [`Reading`] to a
//! closure; [`Push::to_vec`] collects them with the `alloc` feature.
//!
//! ```
//! use meterwire_dlms_cosem::readings::{Mapping, Push};
//! // Aidon (Norway) list 1 from toreamun/amshan tests/test_aidon.py: one register
//! // {1-0:1.7.0, 280, {scaler 0, unit W}}
//! let apdu = [0x0F, 0x40, 0, 0, 0, 0x00, 0x01, 0x01, 0x02, 0x03, 0x09, 0x06, 1, 0, 1, 7, 0,
//!     0xFF, 0x06, 0, 0, 0x01, 0x18, 0x02, 0x02, 0x0F, 0x00, 0x16, 0x1B];
//! let push = Push::parse(&apdu)?;
//! assert_eq!(push.mapping(), Mapping::SelfDescribing);
//! let mut out = None;
//! push.for_each(|r| out = Some((r.obis.to_string(), r.value.to_string(), r.unit)));
//! let (obis, value, unit) = out.unwrap();
//! assert_eq!((obis.as_str(), value.as_str()), ("1-0:1.7.0", "280"));
//! assert_eq!(unit.unwrap().symbol(), Some("W"));
//! # Ok::<(), meterwire_dlms_cosem::Error>(())
//! ```

pub mod layout;
mod value;

use core::iter::Peekable;

use meterwire_core::{
    Cursor, DateTime, Diagnostic, DiagnosticKind, Diagnostics, Obis, Reading, Strictness, Unit,
    Value,
};

use crate::axdr::{Data, MAX_DEPTH, Seq, SeqIter};
use crate::{Error, Result};

pub use layout::{Capture, PushLayout};
pub use value::{date_time, printable, value};

/// The data-notification APDU tag.
const DATA_NOTIFICATION: u8 = 0x0F;
/// A-XDR octet-string tag (the Kaifa header date-time quirk).
const OCTET_STRING: u8 = 0x09;

/// How the values of a push were named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapping<'l> {
    /// The push carries its OBIS codes.
    SelfDescribing,
    /// The push carries its capture objects ahead of the values.
    Described,
    /// A positional value list named through this layout.
    Layout(&'l PushLayout<'l>),
    /// No OBIS codes and no known layout: no readings.
    NotMapped,
}

impl Mapping<'_> {
    /// `"self-describing"`, `"described"`, the layout's name, or `"not mapped"`.
    pub fn name(&self) -> &str {
        match self {
            Mapping::SelfDescribing => "self-describing",
            Mapping::Described => "described",
            Mapping::Layout(l) => l.name,
            Mapping::NotMapped => "not mapped",
        }
    }
}

/// Parses data-notification APDUs into [`Push`]es (builder: [`PushParser::strict`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct PushParser {
    strictness: Strictness,
}

impl PushParser {
    /// A lenient parser.
    pub const fn new() -> Self {
        PushParser {
            strictness: Strictness::Lenient,
        }
    }
    // `strict()` rejects the departures from the standard: header date-time quirks,
    // trailing bytes.
    meterwire_core::strictness_builders!(strictness);

    /// Parses a plaintext data-notification (`0F`, long-invoke-id-and-priority,
    /// date-time, notification body).
    ///
    /// The date-time is an octet-string `0C <12 bytes>` or empty `00`; Kaifa
    /// MA304 (Norway/Sweden) and older Kamstrup firmware send it tagged,
    /// `09 0C <12 bytes>`: accepted with a [`DiagnosticKind::VendorQuirk`].
    pub fn parse<'a>(&self, apdu: &'a [u8]) -> Result<Push<'a>> {
        let mut c = Cursor::new(apdu);
        let tag = c.read_u8()?;
        if tag != DATA_NOTIFICATION {
            return Err(Error::unsupported("readings apdu tag", u32::from(tag)));
        }
        let invoke = c.read_u32_be()?;
        let mut diags = Diagnostics::new();
        let mut n = usize::from(c.read_u8()?);
        if n == usize::from(OCTET_STRING) && c.peek_u8().ok() == Some(12) && c.remaining() > 13 {
            diags.push(Diagnostic::new(
                DiagnosticKind::VendorQuirk,
                "data-notification date-time",
                "sent as a tagged octet-string 09 0c (kaifa, kamstrup)",
            ));
            n = usize::from(c.read_u8()?);
        }
        let raw = c.take(n)?;
        let header_time = match crate::axdr::DateTime::from_octets(raw) {
            Some(dt) => Some(date_time(dt)),
            None if raw.is_empty() => None,
            None => {
                diags.push(Diagnostic::with_value(
                    DiagnosticKind::OutOfRange,
                    "data-notification date-time",
                    "not a 12-byte cosem date-time; ignored",
                    raw.len() as u64,
                ));
                None
            }
        };
        let rest = c.rest();
        let (body, used) = Data::parse_prefix(rest)?;
        let trailing = rest.len().saturating_sub(used);
        if trailing > 0 {
            diags.push(Diagnostic::with_value(
                DiagnosticKind::TrailingBytes,
                "data-notification",
                "bytes after the notification body",
                trailing as u64,
            ));
        }
        self.strictness.check(&diags)?;
        Ok(Push {
            invoke: Some(invoke),
            header_time,
            body,
            layout: None,
            system_title: None,
            parse_diags: diags,
        })
    }
}

/// A push (data-notification body) and what is known about it; its readings
/// are computed lazily from the borrowed A-XDR data.
#[derive(Debug, Clone, Copy)]
pub struct Push<'a> {
    invoke: Option<u32>,
    header_time: Option<DateTime>,
    body: Data<'a>,
    layout: Option<&'a PushLayout<'a>>,
    system_title: Option<[u8; 8]>,
    parse_diags: Diagnostics<4>,
}

impl<'a> Push<'a> {
    /// Parses a plaintext data-notification APDU (lenient; see [`PushParser`]).
    pub fn parse(apdu: &'a [u8]) -> Result<Self> {
        PushParser::new().parse(apdu)
    }

    /// A push from its notification body alone.
    pub fn from_data(body: Data<'a>) -> Self {
        Push {
            invoke: None,
            header_time: None,
            body,
            layout: None,
            system_title: None,
            parse_diags: Diagnostics::new(),
        }
    }

    /// Name positional values (and scale registers without `scaler_unit`)
    /// through this layout instead of a shipped one.
    pub fn with_layout(mut self, layout: &'a PushLayout<'a>) -> Self {
        self.layout = Some(layout);
        self
    }

    /// The sender's system title (from the ciphered APDU or the AARE); its
    /// manufacturer id helps choose a shipped layout.
    pub fn with_system_title(mut self, system_title: [u8; 8]) -> Self {
        self.system_title = Some(system_title);
        self
    }

    /// The long-invoke-id-and-priority, when parsed from an APDU.
    pub fn invoke(&self) -> Option<u32> {
        self.invoke
    }

    /// The notification body.
    pub fn body(&self) -> &Data<'a> {
        &self.body
    }

    /// The system title given with [`Push::with_system_title`].
    pub fn system_title(&self) -> Option<[u8; 8]> {
        self.system_title
    }

    fn top(&self) -> Option<Seq<'a>> {
        match self.body {
            Data::Structure(s) | Data::Array(s) => Some(s),
            _ => None,
        }
    }

    /// The list identifier: a leading text element (`KFM_001`,
    /// `Kamstrup_V0001`) or the value of OBIS `x-x:0.2.129` (`AIDON_V0001`).
    pub fn list_id(&self) -> Option<&'a str> {
        let top = self.top()?;
        let mut it = top.iter();
        let first = it.next()?;
        if let Some(t) = text(&first) {
            return Some(t);
        }
        let mut it = top.iter().peekable();
        while let Some(item) = it.next() {
            match item {
                Data::OctetString(b) if is_list_id_obis(b) => {
                    return it.next().as_ref().and_then(text);
                }
                Data::Structure(s) => {
                    let mut e = s.iter();
                    if let (Some(Data::OctetString(b)), Some(v)) = (e.next(), e.next()) {
                        if is_list_id_obis(b) {
                            return text(&v);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The layout that names registers without `scaler_unit` in a
    /// self-describing push, or the values of a positional one.
    fn scaling_layout(&self) -> Option<&'a PushLayout<'a>> {
        self.layout
            .or_else(|| self.list_id().and_then(layout::by_list_id))
    }

    /// How the values are named.
    pub fn mapping(&self) -> Mapping<'a> {
        let Some(top) = self.top() else {
            return Mapping::NotMapped;
        };
        if described(&self.body).is_some() {
            return Mapping::Described;
        }
        if has_obis_pairs(&top, 0) {
            return Mapping::SelfDescribing;
        }
        if let Some(l) = self.scaling_layout() {
            return Mapping::Layout(l);
        }
        let count = top.len();
        if count == 1 && matches!(top.get(0), Some(Data::DoubleLongUnsigned(_))) {
            return Mapping::Layout(&layout::KAIFA_LIST_1);
        }
        if let Some(m) = self.system_title.as_ref().and_then(layout::manufacturer) {
            if let Some(l) = layout::SHIPPED
                .iter()
                .copied()
                .find(|l| l.manufacturer == Some(m) && l.captures.len() == count)
            {
                return Mapping::Layout(l);
            }
        }
        Mapping::NotMapped
    }

    /// Calls `f` with every reading; returns how many there were.
    pub fn for_each(&self, f: impl FnMut(Reading<'a>)) -> usize {
        self.run(f, |_| {})
    }

    /// The time of the push: the data-notification date-time, else the
    /// clock reading (`0-x:1.0.0`), else a leading date-time value.
    pub fn time(&self) -> Option<DateTime> {
        if self.header_time.is_some() {
            return self.header_time;
        }
        let mut clock = None;
        self.for_each(|r| {
            if let (Value::DateTime(t), true) = (r.value, is_clock(r.obis)) {
                clock = clock.or(Some(t));
            }
        });
        clock.or_else(|| {
            let first = self.top()?.get(0)?;
            match first {
                Data::DateTime(dt) => Some(date_time(dt)),
                Data::OctetString(b) => crate::axdr::DateTime::from_octets(b).map(date_time),
                _ => None,
            }
        })
    }

    /// The meter's identifier reading (`0-0:96.1.0`, `0-0:96.1.1`, Kamstrup
    /// `1-1:0.0.5`, `0-0:42.0.0` logical device name), when it is text.
    pub fn meter_id(&self) -> Option<&'a str> {
        let mut id = None;
        self.for_each(|r| {
            let o = r.obis;
            let is_id = (o.c() == 96 && o.d() == 1 && o.e() <= 1)
                || (o.c() == 0 && o.d() == 0 && o.e() == 5)
                || (o.c() == 42 && o.d() == 0 && o.e() == 0);
            if let (Value::Text(t), true, None) = (r.value, is_id, id) {
                id = Some(t);
            }
        });
        id
    }

    /// Departures and values that could not be read: header quirks, a push
    /// whose layout is unknown ([`DiagnosticKind::NotMapped`]), values without
    /// an OBIS code, numbers that do not fit, ignored null placeholders.
    pub fn diagnostics(&self) -> Diagnostics<8> {
        let mut d = Diagnostics::new();
        d.extend(self.parse_diags.iter().copied());
        self.run(|_| {}, |x| d.push(x));
        d
    }

    /// In strict mode, the first of [`Push::diagnostics`] as
    /// [`meterwire_core::Error::Nonconforming`] (the parser's strict mode checks
    /// only the header, since the layout may still be given afterwards).
    pub fn check(&self, strictness: Strictness) -> Result<()> {
        if strictness.is_strict() {
            strictness.check(&self.diagnostics())?;
        }
        Ok(())
    }

    /// Every reading, collected.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> alloc::vec::Vec<Reading<'a>> {
        let mut v = alloc::vec::Vec::new();
        self.for_each(|r| v.push(r));
        v
    }

    fn run(&self, on_reading: impl FnMut(Reading<'a>), on_diag: impl FnMut(Diagnostic)) -> usize {
        let mapping = self.mapping();
        let mut w = Walker {
            push: self,
            // resolved on the first register without scaler_unit (finding the
            // list identifier walks the push once more)
            layout: match mapping {
                Mapping::Layout(l) => Some(Some(l)),
                _ => None,
            },
            on_reading,
            on_diag,
            count: 0,
            unpaired: 0,
            nulls: 0,
        };
        match (mapping, self.top()) {
            (Mapping::SelfDescribing, Some(top)) => w.walk(&top, 0),
            (Mapping::Described, _) => {
                if let Some((caps, values)) = described(&self.body) {
                    w.described(caps, values);
                }
            }
            (Mapping::Layout(l), Some(top)) => w.positional(l, &top),
            _ => (w.on_diag)(Diagnostic::new(
                DiagnosticKind::NotMapped,
                "push",
                "no obis codes and no known layout for this list",
            )),
        }
        // values skipped, counted: one diagnostic each kind
        for (skipped, kind, message) in [
            (
                w.unpaired,
                DiagnosticKind::NotMapped,
                "values without an obis code were skipped",
            ),
            (
                w.nulls,
                DiagnosticKind::Placeholder,
                "null-data placeholders between registers were skipped",
            ),
        ] {
            if skipped > 0 {
                (w.on_diag)(Diagnostic::with_value(
                    kind,
                    "push value",
                    message,
                    skipped as u64,
                ));
            }
        }
        w.count
    }
}

/// Text of a visible-string / utf8-string, or of a printable octet-string
/// that is not 6 bytes (an OBIS code) or a date-time (EVN ends its push
/// with the meter number `181220000009` so, without an OBIS code).
fn text<'a>(d: &Data<'a>) -> Option<&'a str> {
    match *d {
        Data::VisibleString(b) | Data::Utf8String(b) => core::str::from_utf8(b).ok(),
        Data::OctetString(b) if b.len() != 6 && crate::axdr::DateTime::from_octets(b).is_none() => {
            printable(b)
        }
        _ => None,
    }
}

fn is_list_id_obis(b: &[u8]) -> bool {
    matches!(b, [_, _, 0, 2, 129, _])
}

/// A push setup's logical name (`0-x:25.9.0`), which positional lists (Iskra)
/// send first as their identifier.
fn is_push_setup(o: Obis) -> bool {
    o.a() == 0 && o.c() == 25 && o.d() == 9
}

fn is_clock(o: Obis) -> bool {
    o.a() == 0 && o.c() == 1 && o.d() == 0 && o.e() == 0
}

/// A plausible logical name: 6 bytes, group A a defined medium (0-9, 15-18).
fn obis_of(d: &Data<'_>) -> Option<Obis> {
    match d {
        Data::OctetString(b) => {
            let o = Obis::from_bytes(b)?;
            (o.a() <= 9 || (15..=18).contains(&o.a())).then_some(o)
        }
        _ => None,
    }
}

/// A `scaler_unit` structure `{integer, enum}`.
fn scaler_unit(d: &Data<'_>) -> Option<(i8, Option<Unit>)> {
    let Data::Structure(s) = d else {
        return None;
    };
    let mut it = s.iter();
    match (it.next(), it.next(), it.next()) {
        (Some(Data::Integer(sc)), Some(Data::Enum(u)), None) => {
            Some((sc, (u != 0 && u != 255).then_some(Unit(u))))
        }
        _ => None,
    }
}

/// Whether a sequence holds `OBIS, value` pairs (directly or nested).
fn has_obis_pairs(s: &Seq<'_>, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    let mut it = s.iter().peekable();
    while let Some(item) = it.next() {
        if let Some(o) = obis_of(&item) {
            if !is_push_setup(o) && it.peek().is_some() {
                return true;
            }
        }
        if let Data::Structure(x) | Data::Array(x) = item {
            if has_obis_pairs(&x, depth.saturating_add(1)) {
                return true;
            }
        }
    }
    false
}

/// A described list: a structure whose first element is the push setup's
/// `push_object_list` itself (capture object 0 is class 40 attribute 2), one
/// element per capture object: `structure { array of capture objects, value 1, ... }`.
fn described<'a>(body: &Data<'a>) -> Option<(Seq<'a>, SeqIter<'a>)> {
    let Data::Structure(s) = body else {
        return None;
    };
    let it = s.iter();
    let Some(Data::Array(caps)) = s.get(0) else {
        return None;
    };
    let n = caps.len();
    let first = caps
        .get(0)
        .as_ref()
        .and_then(Capture::from_capture_object)?;
    let all = caps
        .iter()
        .all(|c| Capture::from_capture_object(&c).is_some());
    let is_list = first.class_id == layout::class::PUSH_SETUP && first.attribute == 2;
    (all && is_list && s.len() == n).then_some((caps, it))
}

struct Walker<'p, 'a, F, G> {
    push: &'p Push<'a>,
    layout: Option<Option<&'a PushLayout<'a>>>,
    on_reading: F,
    on_diag: G,
    count: usize,
    unpaired: usize,
    nulls: usize,
}

impl<'a, F: FnMut(Reading<'a>), G: FnMut(Diagnostic)> Walker<'_, 'a, F, G> {
    fn emit(&mut self, obis: Obis, v: &Data<'a>, su: Option<(i8, Option<Unit>)>) {
        let (scaler, unit) = match su {
            Some(x) => x,
            None => {
                let push = self.push;
                let layout = *self.layout.get_or_insert_with(|| push.scaling_layout());
                layout
                    .and_then(|l| l.find(obis))
                    .map_or((0, None), |c| (c.scaler, c.unit))
            }
        };
        match value(v, scaler) {
            Ok(val) => {
                let unit = if matches!(val, Value::Number(_)) {
                    unit
                } else {
                    None
                };
                self.count = self.count.saturating_add(1);
                (self.on_reading)(Reading::new(obis, val, unit));
            }
            Err(d) => (self.on_diag)(d),
        }
    }

    fn walk(&mut self, s: &Seq<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let mut it: Peekable<SeqIter<'a>> = s.iter().peekable();
        while let Some(item) = it.next() {
            match item {
                Data::Structure(x) | Data::Array(x) => self.walk(&x, depth.saturating_add(1)),
                Data::Null => self.nulls = self.nulls.saturating_add(1),
                ref d => match obis_of(d) {
                    Some(o) if is_push_setup(o) => {}
                    Some(o) => match it.next() {
                        Some(v) => {
                            let su = it.peek().and_then(scaler_unit);
                            if su.is_some() {
                                it.next();
                            }
                            self.emit(o, &v, su);
                        }
                        None => self.unpaired = self.unpaired.saturating_add(1),
                    },
                    // a list identifier or the push's time, without an OBIS code
                    None if text(d).is_some() || d.as_date_time().is_some() => {}
                    None => self.unpaired = self.unpaired.saturating_add(1),
                },
            }
        }
    }

    fn positional(&mut self, l: &PushLayout<'_>, s: &Seq<'a>) {
        let mut caps = l.captures.iter();
        let mut extra = 0usize;
        for item in s.iter() {
            match caps.next() {
                Some(c) => self.emit(c.obis, &item, Some((c.scaler, c.unit))),
                None => extra = extra.saturating_add(1),
            }
        }
        if extra > 0 {
            (self.on_diag)(Diagnostic::with_value(
                DiagnosticKind::NotMapped,
                "push layout",
                "more values than the layout has capture objects",
                extra as u64,
            ));
        }
    }

    fn described(&mut self, caps: Seq<'a>, values: SeqIter<'a>) {
        for (c, v) in caps.iter().zip(values) {
            match Capture::from_capture_object(&c) {
                // the push setup's own attributes (the list, its logical name)
                Some(c) if c.class_id == layout::class::PUSH_SETUP => {}
                Some(c) => self.emit(c.obis, &v, None),
                None => {}
            }
        }
    }
}

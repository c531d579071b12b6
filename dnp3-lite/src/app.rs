//! Application layer: request and response headers, IIN bits, fragments
//! (IEEE 1815-2012 clause 4.2.2).

use crate::Error;
use crate::objects::{ObjectBlock, ObjectBlocks, ObjectRepr};
use meterwire_core::{Diagnostic, Encode, EncodeError, Strictness, Writer};

/// Application control byte (FIR, FIN, CON, UNS, SEQ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AppControl {
    /// First fragment of a message.
    pub fir: bool,
    /// Final fragment of a message.
    pub fin: bool,
    /// Confirmation requested.
    pub con: bool,
    /// Unsolicited.
    pub uns: bool,
    /// Sequence number, 0..=15.
    pub seq: u8,
}

impl AppControl {
    /// Decodes the control byte.
    pub const fn from_byte(b: u8) -> Self {
        AppControl {
            fir: b & 0x80 != 0,
            fin: b & 0x40 != 0,
            con: b & 0x20 != 0,
            uns: b & 0x10 != 0,
            seq: b & 0x0F,
        }
    }

    /// A single-fragment control (FIR and FIN set).
    pub const fn single(seq: u8) -> Self {
        AppControl {
            fir: true,
            fin: true,
            con: false,
            uns: false,
            seq: seq & 0x0F,
        }
    }

    /// Encodes the control byte.
    pub const fn to_byte(self) -> u8 {
        (if self.fir { 0x80 } else { 0 })
            | (if self.fin { 0x40 } else { 0 })
            | (if self.con { 0x20 } else { 0 })
            | (if self.uns { 0x10 } else { 0 })
            | (self.seq & 0x0F)
    }
}

/// Application function codes (IEEE 1815-2012 table 4-2).
pub mod function {
    #![allow(missing_docs)]
    pub const CONFIRM: u8 = 0;
    pub const READ: u8 = 1;
    pub const WRITE: u8 = 2;
    pub const SELECT: u8 = 3;
    pub const OPERATE: u8 = 4;
    pub const DIRECT_OPERATE: u8 = 5;
    pub const DIRECT_OPERATE_NO_ACK: u8 = 6;
    pub const IMMEDIATE_FREEZE: u8 = 7;
    pub const IMMEDIATE_FREEZE_NO_ACK: u8 = 8;
    pub const FREEZE_CLEAR: u8 = 9;
    pub const FREEZE_CLEAR_NO_ACK: u8 = 10;
    pub const FREEZE_AT_TIME: u8 = 11;
    pub const FREEZE_AT_TIME_NO_ACK: u8 = 12;
    pub const COLD_RESTART: u8 = 13;
    pub const WARM_RESTART: u8 = 14;
    pub const ENABLE_UNSOLICITED: u8 = 20;
    pub const DISABLE_UNSOLICITED: u8 = 21;
    pub const ASSIGN_CLASS: u8 = 22;
    pub const DELAY_MEASURE: u8 = 23;
    pub const RECORD_CURRENT_TIME: u8 = 24;
    pub const RESPONSE: u8 = 129;
    pub const UNSOLICITED_RESPONSE: u8 = 130;
    pub const AUTHENTICATE_RESPONSE: u8 = 131;
}

/// The name of an application function code.
pub const fn function_name(code: u8) -> &'static str {
    match code {
        0 => "confirm",
        1 => "read",
        2 => "write",
        3 => "select",
        4 => "operate",
        5 => "direct_operate",
        6 => "direct_operate_no_ack",
        7 => "immediate_freeze",
        8 => "immediate_freeze_no_ack",
        9 => "freeze_clear",
        10 => "freeze_clear_no_ack",
        11 => "freeze_at_time",
        12 => "freeze_at_time_no_ack",
        13 => "cold_restart",
        14 => "warm_restart",
        15 => "initialize_data",
        16 => "initialize_application",
        17 => "start_application",
        18 => "stop_application",
        19 => "save_configuration",
        20 => "enable_unsolicited",
        21 => "disable_unsolicited",
        22 => "assign_class",
        23 => "delay_measure",
        24 => "record_current_time",
        25 => "open_file",
        26 => "close_file",
        27 => "delete_file",
        28 => "get_file_info",
        29 => "authenticate_file",
        30 => "abort_file",
        31 => "activate_config",
        32 => "authenticate_request",
        33 => "authenticate_request_no_ack",
        129 => "response",
        130 => "unsolicited_response",
        131 => "authenticate_response",
        _ => "reserved",
    }
}

/// Whether a function code is a response (129, 130, 131): those carry IIN.
pub const fn is_response(code: u8) -> bool {
    matches!(code, 129..=131)
}

/// Whether the object headers of a fragment with this function carry object data.
/// Read, freeze, enable/disable unsolicited and assign class send headers only.
pub const fn carries_object_data(code: u8) -> bool {
    !matches!(code, 1 | 7..=10 | 20..=22)
}

/// Internal indications (IIN1 in the high byte, IIN2 in the low byte).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
pub struct Iin {
    /// IIN1.
    pub iin1: u8,
    /// IIN2.
    pub iin2: u8,
}

/// IIN bit names, IIN1 bit 0 first, then IIN2 bit 0..7.
pub const IIN_NAMES: [&str; 16] = [
    "all_stations",
    "class_1_events",
    "class_2_events",
    "class_3_events",
    "need_time",
    "local_control",
    "device_trouble",
    "device_restart",
    "no_func_code_support",
    "object_unknown",
    "parameter_error",
    "event_buffer_overflow",
    "already_executing",
    "config_corrupt",
    "reserved_2",
    "reserved_1",
];

impl Iin {
    /// IIN1.0 broadcast received.
    pub const fn all_stations(&self) -> bool {
        self.iin1 & 0x01 != 0
    }
    /// IIN1.1 class 1 events available.
    pub const fn class_1_events(&self) -> bool {
        self.iin1 & 0x02 != 0
    }
    /// IIN1.2 class 2 events available.
    pub const fn class_2_events(&self) -> bool {
        self.iin1 & 0x04 != 0
    }
    /// IIN1.3 class 3 events available.
    pub const fn class_3_events(&self) -> bool {
        self.iin1 & 0x08 != 0
    }
    /// IIN1.4 time synchronisation required.
    pub const fn need_time(&self) -> bool {
        self.iin1 & 0x10 != 0
    }
    /// IIN1.5 some output points in local mode.
    pub const fn local_control(&self) -> bool {
        self.iin1 & 0x20 != 0
    }
    /// IIN1.6 device trouble.
    pub const fn device_trouble(&self) -> bool {
        self.iin1 & 0x40 != 0
    }
    /// IIN1.7 device restart.
    pub const fn device_restart(&self) -> bool {
        self.iin1 & 0x80 != 0
    }
    /// IIN2.0 function code not supported.
    pub const fn no_func_code_support(&self) -> bool {
        self.iin2 & 0x01 != 0
    }
    /// IIN2.1 object unknown.
    pub const fn object_unknown(&self) -> bool {
        self.iin2 & 0x02 != 0
    }
    /// IIN2.2 parameter error.
    pub const fn parameter_error(&self) -> bool {
        self.iin2 & 0x04 != 0
    }
    /// IIN2.3 event buffer overflow.
    pub const fn event_buffer_overflow(&self) -> bool {
        self.iin2 & 0x08 != 0
    }
    /// IIN2.4 operation already executing.
    pub const fn already_executing(&self) -> bool {
        self.iin2 & 0x10 != 0
    }
    /// IIN2.5 configuration corrupt.
    pub const fn config_corrupt(&self) -> bool {
        self.iin2 & 0x20 != 0
    }

    /// Whether bit `n` (0..16, IIN1 bit 0 first) is set.
    pub const fn bit(&self, n: usize) -> bool {
        if n < 8 {
            self.iin1 & (1 << n) != 0
        } else if n < 16 {
            self.iin2 & (1 << n.wrapping_sub(8)) != 0
        } else {
            false
        }
    }

    /// Names of the bits that are set.
    pub fn set_bits(&self) -> impl Iterator<Item = &'static str> + '_ {
        IIN_NAMES
            .iter()
            .enumerate()
            .filter(|(i, _)| self.bit(*i))
            .map(|(_, n)| *n)
    }
}

/// The application header (the `Repr` of the first 2 or 4 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AppHeader {
    /// Control byte.
    pub control: AppControl,
    /// Function code.
    pub function: u8,
    /// IIN (responses only; ignored when encoding a request).
    pub iin: Iin,
}

impl AppHeader {
    /// Writes the control and function bytes, and the IIN of a response.
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_u8(self.control.to_byte())?;
        w.write_u8(self.function)?;
        if is_response(self.function) {
            w.write_u8(self.iin.iin1)?;
            w.write_u8(self.iin.iin2)?;
        }
        Ok(())
    }

    /// Header length: 4 for responses, 2 for requests.
    pub const fn len(&self) -> usize {
        if is_response(self.function) { 4 } else { 2 }
    }

    /// Always false (a header has at least 2 bytes).
    pub const fn is_empty(&self) -> bool {
        false
    }
}

/// A parsed application fragment (zero-copy view; objects decode lazily).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment<'a> {
    header: AppHeader,
    buf: &'a [u8],
    objects: &'a [u8],
}

impl<'a> Fragment<'a> {
    /// Parses the header of a complete fragment. Objects are checked as they are iterated.
    pub fn parse(buf: &'a [u8]) -> Result<Self, Error> {
        let (&control, rest) = buf.split_first().ok_or(Error::truncated(2))?;
        let (&function, rest) = rest.split_first().ok_or(Error::truncated(1))?;
        let (iin, objects) = if is_response(function) {
            match rest {
                [iin1, iin2, objects @ ..] => (
                    Iin {
                        iin1: *iin1,
                        iin2: *iin2,
                    },
                    objects,
                ),
                _ => {
                    return Err(Error::truncated(2usize.saturating_sub(rest.len())));
                }
            }
        } else {
            (Iin::default(), rest)
        };
        Ok(Fragment {
            header: AppHeader {
                control: AppControl::from_byte(control),
                function,
                iin,
            },
            buf,
            objects,
        })
    }

    /// The fragment bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The header.
    pub fn header(&self) -> AppHeader {
        self.header
    }

    /// The control byte fields.
    pub fn control(&self) -> AppControl {
        self.header.control
    }

    /// The function code.
    pub fn function(&self) -> u8 {
        self.header.function
    }

    /// The function's name.
    pub fn function_name(&self) -> &'static str {
        function_name(self.header.function)
    }

    /// Whether this is a response (has IIN).
    pub fn is_response(&self) -> bool {
        is_response(self.header.function)
    }

    /// IIN, for responses.
    pub fn iin(&self) -> Option<Iin> {
        self.is_response().then_some(self.header.iin)
    }

    /// The object bytes after the header.
    pub fn object_bytes(&self) -> &'a [u8] {
        self.objects
    }

    /// Lazy iterator over object headers.
    pub fn objects(&self) -> ObjectBlocks<'a> {
        let blocks = ObjectBlocks::new(self.objects);
        if carries_object_data(self.header.function) {
            blocks
        } else {
            blocks.headers_only()
        }
    }

    /// A parser with options (strictness); [`Fragment::parse`] is the lenient one.
    pub const fn parser() -> FragmentParser {
        FragmentParser {
            strictness: Strictness::Lenient,
        }
    }

    /// Departures from the standard, computed from the view: an object header whose
    /// objects the crate cannot size (the rest is kept raw).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<'a> {
        self.objects()
            .filter_map(|r| r.ok().and_then(|b| b.diagnostic()))
    }

    /// Walks every object header; returns the first error (if any) and the number of
    /// headers before it.
    pub fn validate(&self) -> (usize, Option<Error>) {
        let mut n = 0usize;
        for r in self.objects() {
            match r {
                Ok(_) => n = n.saturating_add(1),
                Err(e) => return (n, Some(e)),
            }
        }
        (n, None)
    }

    /// The first object header, if any parse.
    pub fn first_object(&self) -> Option<ObjectBlock<'a>> {
        self.objects().next().and_then(Result::ok)
    }
}

/// Parses fragments with options (builder style): `Fragment::parser().strict().parse(b)`.
/// Strict mode rejects a fragment with a diagnostic (nonconforming).
#[derive(Debug, Clone, Copy, Default)]
pub struct FragmentParser {
    strictness: Strictness,
}

impl FragmentParser {
    meterwire_core::strictness_builders!(strictness);

    /// Parses the header; in strict mode also walks the object headers and rejects
    /// the first diagnostic.
    pub fn parse<'a>(&self, buf: &'a [u8]) -> Result<Fragment<'a>, Error> {
        let f = Fragment::parse(buf)?;
        if self.strictness.is_strict() {
            if let Some(d) = f.diagnostics().next() {
                return Err(Error::nonconforming(d));
            }
        }
        Ok(f)
    }
}

/// An application fragment to encode: header and object headers with points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FragmentRepr<'p> {
    /// The header.
    pub header: AppHeader,
    /// The object headers.
    pub objects: &'p [ObjectRepr<'p>],
}

impl Encode for FragmentRepr<'_> {
    fn encoded_len(&self) -> usize {
        let with_data = carries_object_data(self.header.function);
        self.objects.iter().fold(self.header.len(), |n, o| {
            n.saturating_add(if with_data {
                o.encoded_len()
            } else {
                o.indices_len()
            })
        })
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(out);
        self.header.write(&mut w)?;
        let with_data = carries_object_data(self.header.function);
        for o in self.objects {
            if with_data {
                o.write(&mut w)?;
            } else {
                o.write_indices(&mut w)?;
            }
        }
        Ok(w.position())
    }
}

#[cfg(feature = "serde")]
mod ser {
    use super::*;

    use crate::objects::{Point, Range, Value};
    use meterwire_core::ser::SeqWith as Seq;
    use serde::Serialize;
    use serde::ser::{SerializeMap, SerializeStruct, Serializer};

    use meterwire_core::Hex;

    impl Serialize for Iin {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            struct Bits<'a>(&'a Iin);
            impl Serialize for Bits<'_> {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_seq(self.0.set_bits())
                }
            }
            let mut st = s.serialize_struct("Iin", 3)?;
            st.serialize_field("iin1", &self.iin1)?;
            st.serialize_field("iin2", &self.iin2)?;
            st.serialize_field("bits", &Bits(self))?;
            st.end()
        }
    }

    impl Serialize for Value<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match *self {
                Value::None => s.serialize_none(),
                Value::Bool(b) => s.serialize_bool(b),
                Value::DoubleBit(d) => s.serialize_u8(d),
                Value::Uint(u) => s.serialize_u32(u),
                Value::Int(i) => s.serialize_i32(i),
                Value::Float(f) => s.serialize_f64(f),
                Value::Crob(c) => c.serialize(s),
                Value::Interval { interval, units } => {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("interval", &interval)?;
                    m.serialize_entry("units", &units)?;
                    m.end()
                }
                Value::Octets(b) => Hex(b).serialize(s),
                Value::Attribute { data_type, bytes } => {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("data_type", &data_type)?;
                    m.serialize_entry("bytes", &Hex(bytes))?;
                    m.end()
                }
                Value::Raw(b) => {
                    let mut m = s.serialize_map(Some(1))?;
                    m.serialize_entry("raw", &Hex(b))?;
                    m.end()
                }
                Value::Typed { .. } => match self.typed() {
                    Some(crate::objects::TypedValue::Auth(a)) => a.serialize(s),
                    Some(crate::objects::TypedValue::File(f)) => f.serialize(s),
                    None => s.serialize_none(),
                },
            }
        }
    }

    impl Serialize for Point<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("index", &self.index)?;
            m.serialize_entry("value", &self.value)?;
            if let Some(f) = self.flags {
                m.serialize_entry("flags", &f)?;
            }
            if let Some(t) = self.time {
                m.serialize_entry("time", &t)?;
            }
            if let Some(t) = self.relative_time {
                m.serialize_entry("relative_time", &t)?;
            }
            if let Some(st) = self.status {
                m.serialize_entry("status", &st)?;
            }
            m.end()
        }
    }

    impl Serialize for ObjectBlock<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let h = &self.header;
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("group", &h.group)?;
            m.serialize_entry("variation", &h.variation)?;
            m.serialize_entry("qualifier", &h.qualifier())?;
            m.serialize_entry("prefix", &h.prefix)?;
            m.serialize_entry("range", h.range.name())?;
            match h.range {
                Range::StartStop { start, stop, .. }
                | Range::VirtualStartStop { start, stop, .. } => {
                    m.serialize_entry("start", &start)?;
                    m.serialize_entry("stop", &stop)?;
                }
                Range::Count { count, .. } => m.serialize_entry("count", &count)?,
                Range::FreeFormat { count } => m.serialize_entry("count", &count)?,
                Range::All | Range::Reserved { .. } => {}
            }
            match self.raw_rest() {
                Some(raw) => m.serialize_entry("raw", &Hex(raw))?,
                None => m.serialize_entry("points", &Seq(|| self.points()))?,
            }
            m.end()
        }
    }

    impl Serialize for Fragment<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            struct Msg(Error);
            impl Serialize for Msg {
                fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.collect_str(&self.0)
                }
            }
            let c = self.control();
            let mut m = s.serialize_map(None)?;
            m.serialize_entry("fir", &c.fir)?;
            m.serialize_entry("fin", &c.fin)?;
            m.serialize_entry("con", &c.con)?;
            m.serialize_entry("uns", &c.uns)?;
            m.serialize_entry("seq", &c.seq)?;
            m.serialize_entry("function", &self.function())?;
            m.serialize_entry("function_name", self.function_name())?;
            if let Some(iin) = self.iin() {
                m.serialize_entry("iin", &iin)?;
            }
            m.serialize_entry("objects", &Seq(|| self.objects().flatten()))?;
            if let (_, Some(e)) = self.validate() {
                m.serialize_entry("error", &Msg(e))?;
                m.serialize_entry("error_kind", meterwire_core::Classify::kind(&e).as_str())?;
            }
            crate::ser::diagnostics_entry::<2, _>(&mut m, self.diagnostics())?;
            m.end()
        }
    }
}

/// An owned application fragment (the owned form of [`Fragment`]): the header and
/// the object bytes, which decode lazily through [`FragmentOwned::view`].
/// `FragmentOwned::parse(&view)` then `encode` gives the fragment's bytes back.
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentOwned {
    header: AppHeader,
    bytes: alloc::vec::Vec<u8>,
}

#[cfg(feature = "alloc")]
impl FragmentOwned {
    /// A fragment of `header` followed by `objects`.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn from_parts(header: AppHeader, objects: &[u8]) -> Self {
        let mut bytes = alloc::vec![header.control.to_byte(), header.function];
        if is_response(header.function) {
            bytes.extend_from_slice(&[header.iin.iin1, header.iin.iin2]);
        }
        bytes.extend_from_slice(objects);
        FragmentOwned { header, bytes }
    }

    /// Copies a view.
    pub fn parse(view: &Fragment<'_>) -> Self {
        FragmentOwned {
            header: view.header(),
            bytes: view.as_bytes().to_vec(),
        }
    }

    /// The header.
    pub fn header(&self) -> AppHeader {
        self.header
    }

    /// The object bytes after the header.
    pub fn object_bytes(&self) -> &[u8] {
        self.bytes.get(self.header.len()..).unwrap_or(&[])
    }

    /// The borrowed view (objects decode lazily from it).
    pub fn view(&self) -> Fragment<'_> {
        Fragment {
            header: self.header,
            buf: &self.bytes,
            objects: self.object_bytes(),
        }
    }
}

#[cfg(feature = "alloc")]
impl Encode for FragmentOwned {
    fn encoded_len(&self) -> usize {
        self.bytes.len()
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let mut w = Writer::new(out);
        self.header.write(&mut w)?;
        w.write_bytes(self.object_bytes())?;
        Ok(w.position())
    }
}

//! JSON-friendly serialization of borrowed A-XDR data (feature `serde`).
//!
//! Numbers as numbers, visible/utf8 strings as strings, octet strings as
//! `{"octet_string": hex}` (plus `"date_time"` when the 12 bytes hold one), arrays and
//! structures as JSON arrays, `{"date_time": ISO-8601}` when fully specified or the
//! parts otherwise, `{"bit_string": "0101..."}`, `{"compact_array": [...]}`.

use super::{Data, DateTime, Seq};
use crate::util::Hex;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

struct Bits<'a>(super::BitString<'a>);

impl core::fmt::Display for Bits<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for i in 0..self.0.bits {
            f.write_str(if self.0.get(i) == Some(true) {
                "1"
            } else {
                "0"
            })?;
        }
        Ok(())
    }
}

struct Lossy<'a>(&'a [u8]);

impl core::fmt::Display for Lossy<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for chunk in self.0.utf8_chunks() {
            f.write_str(chunk.valid())?;
            if !chunk.invalid().is_empty() {
                f.write_str("\u{FFFD}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for Seq<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for e in self.iter() {
            seq.serialize_element(&e)?;
        }
        seq.end()
    }
}

/// Parts of a date-time with `null` for unspecified fields.
struct Parts(DateTime);

fn opt(v: u8, max: u8) -> Option<u8> {
    (v <= max).then_some(v)
}

impl Serialize for Parts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("year", &d.date.year())?;
        m.serialize_entry("month", &opt(d.date.month, 12))?;
        m.serialize_entry("day", &opt(d.date.day, 31))?;
        m.serialize_entry("weekday", &opt(d.date.weekday, 7))?;
        m.serialize_entry("hour", &opt(d.time.hour, 23))?;
        m.serialize_entry("minute", &opt(d.time.minute, 59))?;
        m.serialize_entry("second", &opt(d.time.second, 59))?;
        m.serialize_entry("hundredths", &opt(d.time.hundredths, 99))?;
        m.serialize_entry("deviation", &d.deviation())?;
        m.serialize_entry(
            "clock_status",
            &(d.clock_status != 0xFF).then_some(d.clock_status),
        )?;
        m.end()
    }
}

fn fully_specified(d: &DateTime) -> bool {
    d.date.year().is_some()
        && d.date.month().is_some()
        && d.date.day().is_some()
        && d.time.hour <= 23
        && d.time.minute <= 59
        && d.time.second <= 59
}

/// `"ISO string"` when fully specified, the parts otherwise.
struct DtValue(DateTime);

impl Serialize for DtValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if fully_specified(&self.0) {
            s.collect_str(&self.0)
        } else {
            Parts(self.0).serialize(s)
        }
    }
}

fn one<S: Serializer, V: Serialize + ?Sized>(s: S, k: &str, v: &V) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(1))?;
    m.serialize_entry(k, v)?;
    m.end()
}

struct Disp<T>(T);
impl<T: core::fmt::Display> Serialize for Disp<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Data::Null => s.serialize_none(),
            Data::DontCare => one(s, "dont_care", &()),
            Data::Array(seq) | Data::Structure(seq) => seq.serialize(s),
            Data::Boolean(b) => s.serialize_bool(b),
            Data::BitString(b) => one(s, "bit_string", &Disp(Bits(b))),
            Data::DoubleLong(v) => s.serialize_i32(v),
            Data::DoubleLongUnsigned(v) => s.serialize_u32(v),
            Data::OctetString(b) => match DateTime::from_octets(b) {
                Some(dt) => {
                    let mut m = s.serialize_map(Some(2))?;
                    m.serialize_entry("octet_string", &Disp(Hex(b)))?;
                    m.serialize_entry("date_time", &DtValue(dt))?;
                    m.end()
                }
                None => one(s, "octet_string", &Disp(Hex(b))),
            },
            Data::VisibleString(b) | Data::Utf8String(b) => s.collect_str(&Lossy(b)),
            Data::Bcd(v) => one(s, "bcd", &v),
            Data::Integer(v) => s.serialize_i8(v),
            Data::Long(v) => s.serialize_i16(v),
            Data::Unsigned(v) => s.serialize_u8(v),
            Data::LongUnsigned(v) => s.serialize_u16(v),
            Data::CompactArray(ca) => one(s, "compact_array", &ca.elements()),
            Data::Long64(v) => s.serialize_i64(v),
            Data::Long64Unsigned(v) => s.serialize_u64(v),
            Data::Enum(v) => one(s, "enum", &v),
            Data::Float32(v) => s.serialize_f32(v),
            Data::Float64(v) => s.serialize_f64(v),
            Data::DateTime(dt) => one(s, "date_time", &DtValue(dt)),
            Data::Date(d) => one(s, "date", &Disp(d)),
            Data::Time(t) => one(s, "time", &Disp(t)),
            Data::DeltaInteger(v) => one(s, "delta", &v),
            Data::DeltaLong(v) => one(s, "delta", &v),
            Data::DeltaDoubleLong(v) => one(s, "delta", &v),
            Data::DeltaUnsigned(v) => one(s, "delta", &v),
            Data::DeltaLongUnsigned(v) => one(s, "delta", &v),
            Data::DeltaDoubleLongUnsigned(v) => one(s, "delta", &v),
        }
    }
}

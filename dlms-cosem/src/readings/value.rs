//! A-XDR `Data` to reading values: exact decimals, text, date-times.
//!
//! Date-time sign convention: the COSEM date-time `deviation` (IEC 62056-6-2
//! §4.1.6.1, Blue Book "date-time") is the number of minutes from local time
//! to UTC, so `UTC = local + deviation`: a meter on CET sends -60 (0xFFC4), on
//! CEST -120 (0xFF88). [`meterwire_core::DateTime::utc_offset_minutes`] is the
//! ISO 8601 offset (local = UTC + offset), so it is the negated deviation. Real
//! pushes confirm it: the EVN Kaifa MA309 push of 2021-09-27 sends 0xFF88 and
//! toreamun/amshan tests/test_kaifa.py reads 0xFFC4 as `timezone(+1h)`.
//! Gurux calls the same fact "deviation is from normal time to UTC"
//! (`GXDLMSSettings.UseUtc2NormalTime` is the opt-in for meters that invert it).

use core::fmt::Write as _;

use meterwire_core::{DateTime, Decimal, Diagnostic, Value};

use crate::axdr::{self, Data};

/// The clock status bit for daylight saving time in effect.
const DST_BIT: u8 = 0x80;
/// "Not specified" for one-byte date-time fields.
const NS: u8 = 0xFF;

/// A COSEM date-time as a reading date-time (fields that are "not specified"
/// or special values such as "last day of month" become `None`).
pub fn date_time(dt: axdr::DateTime) -> DateTime {
    let d = dt.date;
    let t = dt.time;
    let within = |v: u8, max: u8| (v <= max).then_some(v);
    let status = (dt.clock_status != NS).then_some(dt.clock_status);
    DateTime {
        year: d.year(),
        month: d.month(),
        day: d.day(),
        weekday: (1..=7).contains(&d.weekday).then_some(d.weekday),
        hour: within(t.hour, 23),
        minute: within(t.minute, 59),
        second: within(t.second, 59),
        hundredths: within(t.hundredths, 99),
        utc_offset_minutes: dt.deviation().map(i16::saturating_neg),
        dst: status.map(|s| s & DST_BIT != 0),
        clock_status: status,
    }
}

fn date(d: axdr::Date) -> DateTime {
    DateTime {
        year: d.year(),
        month: d.month(),
        day: d.day(),
        weekday: (1..=7).contains(&d.weekday).then_some(d.weekday),
        ..DateTime::default()
    }
}

fn time(t: axdr::Time) -> DateTime {
    let within = |v: u8, max: u8| (v <= max).then_some(v);
    DateTime {
        hour: within(t.hour, 23),
        minute: within(t.minute, 59),
        second: within(t.second, 59),
        hundredths: within(t.hundredths, 99),
        ..DateTime::default()
    }
}

/// `Some(text)` when `b` is non-empty printable ASCII (0x20..=0x7E).
pub fn printable(b: &[u8]) -> Option<&str> {
    if b.is_empty() || !b.iter().all(|c| (0x20..=0x7E).contains(c)) {
        return None;
    }
    core::str::from_utf8(b).ok()
}

/// A small stack buffer for formatting floats.
struct Buf {
    bytes: [u8; 48],
    len: usize,
}

impl core::fmt::Write for Buf {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(core::fmt::Error)?;
        let dst = self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The exact decimal of a float's shortest round-trip text (`0.1f32` is 0.1),
/// `None` for NaN, infinities and values with more than 18 digits.
fn float(v: f64, shortest: impl core::fmt::Display) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let mut b = Buf {
        bytes: [0; 48],
        len: 0,
    };
    write!(b, "{shortest}").ok()?;
    Decimal::parse_bytes(b.bytes.get(..b.len)?)
}

meterwire_core::diagnostics! {
    NOT_A_NUMBER = OutOfRange, "reading value", "number does not fit an exact 64-bit decimal; skipped";
    STRUCTURED = Unrecognized, "reading value", "structured value (array, structure, compact-array) is not a reading; skipped";
}

/// The reading value of `d`, numbers scaled by `scaler` (10^scaler).
///
/// Octet-strings of 12 bytes that are a plausible COSEM date-time become
/// [`Value::DateTime`]; other printable ASCII octet-strings become
/// [`Value::Text`]; the rest stay [`Value::Octets`].
pub fn value<'a>(d: &Data<'a>, scaler: i8) -> Result<Value<'a>, Diagnostic> {
    let num = |m: i64| Ok(Value::Number(Decimal::new(m, scaler)));
    match *d {
        Data::Null | Data::DontCare => Ok(Value::Missing),
        Data::Boolean(b) => Ok(Value::Bool(b)),
        Data::OctetString(b) => Ok(match axdr::DateTime::from_octets(b) {
            Some(dt) => Value::DateTime(date_time(dt)),
            None => printable(b).map_or(Value::Octets(b), Value::Text),
        }),
        Data::VisibleString(b) | Data::Utf8String(b) => {
            Ok(core::str::from_utf8(b).map_or(Value::Octets(b), Value::Text))
        }
        Data::BitString(bits) => Ok(Value::Octets(bits.bytes)),
        Data::DateTime(dt) => Ok(Value::DateTime(date_time(dt))),
        Data::Date(v) => Ok(Value::DateTime(date(v))),
        Data::Time(v) => Ok(Value::DateTime(time(v))),
        Data::Float32(v) => float(f64::from(v), v)
            .and_then(|x| x.scaled(scaler))
            .map(Value::Number)
            .ok_or(NOT_A_NUMBER),
        Data::Float64(v) => float(v, v)
            .and_then(|x| x.scaled(scaler))
            .map(Value::Number)
            .ok_or(NOT_A_NUMBER),
        Data::Array(_) | Data::Structure(_) | Data::CompactArray(_) => Err(STRUCTURED),
        ref other => match other.as_i128().map(i64::try_from) {
            Some(Ok(m)) => num(m),
            _ => Err(NOT_A_NUMBER),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn numbers_are_exact() {
        assert_eq!(
            value(&Data::DoubleLongUnsigned(2337), -1)
                .unwrap()
                .to_string(),
            "233.7"
        );
        assert_eq!(value(&Data::Long(-5), -2).unwrap().to_string(), "-0.05");
        assert_eq!(value(&Data::Unsigned(7), 2).unwrap().to_string(), "700");
        assert_eq!(value(&Data::Float32(0.1), 0).unwrap().to_string(), "0.1");
        assert_eq!(value(&Data::Float64(f64::NAN), 0), Err(NOT_A_NUMBER));
        assert_eq!(value(&Data::Long64Unsigned(u64::MAX), 0), Err(NOT_A_NUMBER));
    }

    #[test]
    fn octets_text_and_dates() {
        assert_eq!(
            value(&Data::OctetString(b"KFM_001"), 0),
            Ok(Value::Text("KFM_001"))
        );
        assert_eq!(
            value(&Data::OctetString(&[1, 2, 0xFF]), 0),
            Ok(Value::Octets(&[1, 2, 0xFF]))
        );
        // EVN Kaifa MA309: 2021-09-27 09:47:15, deviation 0xFF88 (-120), status 0x80
        let b = [0x07, 0xE5, 9, 27, 1, 9, 47, 15, 0, 0xFF, 0x88, 0x80];
        let Ok(Value::DateTime(t)) = value(&Data::OctetString(&b), 0) else {
            panic!()
        };
        assert_eq!(t.utc_offset_minutes, Some(120));
        assert_eq!(t.dst, Some(true));
        assert_eq!(t.clock_status, Some(0x80));
        assert_eq!(t.to_string(), "2021-09-27T09:47:15+02:00");
    }
}

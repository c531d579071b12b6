//! Readings: OBIS-named values with an exact decimal and a DLMS unit, the common
//! output of DLMS/COSEM pushes and IEC 62056-21 / DSMR P1 telegrams.
//!
//! ```
//! use meterwire_core::{Decimal, Obis, Reading, Unit, Value};
//! // a DLMS register: value 12345678 with scaler -3, unit Wh
//! let r = Reading::new(
//!     Obis::new(1, 0, 1, 8, 0, 255),
//!     Value::Number(Decimal::new(12_345_678, -3)),
//!     Some(Unit::WATT_HOUR),
//! );
//! assert_eq!(r.value.to_string(), "12345.678");
//! // a P1 line "1-0:1.8.0(012345.678*kWh)": the same energy, exactly
//! let (unit, exp) = Unit::from_symbol("kWh").unwrap();
//! let d = Decimal::parse("012345.678").unwrap().scaled(exp).unwrap();
//! assert_eq!(d.to_string(), "12345678");
//! assert_eq!(d, Decimal::new(12_345_678, 0));
//! assert_eq!(unit, Unit::WATT_HOUR);
//! ```

use core::fmt;

use crate::{Obis, Unit};

/// An exact decimal number: `mantissa × 10^exponent` (no floating-point rounding).
///
/// Equality is numeric (`Decimal::new(10, -1) == Decimal::new(1, 0)`).
#[derive(Debug, Clone, Copy)]
pub struct Decimal {
    /// The integer mantissa.
    pub mantissa: i64,
    /// The decimal exponent (a DLMS scaler, or minus the number of decimals).
    pub exponent: i8,
}

impl Decimal {
    /// `mantissa × 10^exponent`.
    pub const fn new(mantissa: i64, exponent: i8) -> Self {
        Decimal { mantissa, exponent }
    }

    /// An integer.
    pub const fn from_int(v: i64) -> Self {
        Decimal::new(v, 0)
    }

    /// The same value with `scaler` added to the exponent (a DLMS scaler or a
    /// unit prefix); `None` if the exponent overflows.
    pub fn scaled(self, scaler: i8) -> Option<Self> {
        Some(Decimal::new(
            self.mantissa,
            self.exponent.checked_add(scaler)?,
        ))
    }

    /// Parses `[+-]digits[.digits]` exactly (`"001234.567"` is 1234567e-3).
    /// Also accepts `,` as the decimal mark. `None` for anything else or for
    /// more than 18 significant digits.
    pub fn parse(s: &str) -> Option<Self> {
        Self::parse_bytes(s.as_bytes())
    }

    /// [`Decimal::parse`] over bytes.
    pub fn parse_bytes(s: &[u8]) -> Option<Self> {
        let (neg, digits) = match s {
            [b'-', rest @ ..] => (true, rest),
            [b'+', rest @ ..] => (false, rest),
            _ => (false, s),
        };
        if digits.is_empty() {
            return None;
        }
        let mut m: i64 = 0;
        let mut decimals: i8 = 0;
        let mut seen_point = false;
        let mut any_digit = false;
        for &c in digits {
            match c {
                b'0'..=b'9' => {
                    any_digit = true;
                    m = m
                        .checked_mul(10)?
                        .checked_add(i64::from(c.wrapping_sub(b'0')))?;
                    if seen_point {
                        decimals = decimals.checked_add(1)?;
                    }
                }
                b'.' | b',' if !seen_point => seen_point = true,
                _ => return None,
            }
        }
        if !any_digit {
            return None;
        }
        let m = if neg { m.checked_neg()? } else { m };
        Some(Decimal::new(m, decimals.checked_neg()?))
    }

    /// The nearest `f64` (for convenience; the exact value is the pair).
    pub fn to_f64(self) -> f64 {
        let mut p = 1.0f64;
        for _ in 0..self.exponent.unsigned_abs() {
            p *= 10.0;
        }
        let v = self.mantissa as f64;
        if self.exponent >= 0 { v * p } else { v / p }
    }

    /// The value as an integer if it is one and fits.
    pub fn to_i64(self) -> Option<i64> {
        let n = self.normalized();
        if n.exponent < 0 {
            return None;
        }
        let mut v = n.mantissa;
        for _ in 0..n.exponent {
            v = v.checked_mul(10)?;
        }
        Some(v)
    }

    /// The same value with trailing zeros of the mantissa moved into the exponent.
    pub fn normalized(self) -> Self {
        let (mut m, mut e) = (self.mantissa, self.exponent);
        if m == 0 {
            return Decimal::new(0, 0);
        }
        while m % 10 == 0 && e < i8::MAX {
            m /= 10;
            e = e.saturating_add(1);
        }
        Decimal::new(m, e)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.normalized(), other.normalized());
        a.mantissa == b.mantissa && a.exponent == b.exponent
    }
}
impl Eq for Decimal {}

impl fmt::Display for Decimal {
    /// Exact decimal text: `12345.678`, `-0.05`, `1200` (no exponent notation,
    /// trailing fractional zeros kept as the source gave them).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.mantissa < 0;
        let mag = self.mantissa.unsigned_abs();
        if neg {
            f.write_str("-")?;
        }
        if self.exponent >= 0 {
            write!(f, "{mag}")?;
            if mag != 0 {
                for _ in 0..self.exponent {
                    f.write_str("0")?;
                }
            }
            return Ok(());
        }
        let decimals = u32::from(self.exponent.unsigned_abs());
        // split mag into integer and fractional parts without overflow
        let (int, frac) = match 10u64.checked_pow(decimals) {
            Some(p) => (
                mag.checked_div(p).unwrap_or(0),
                Some((mag.checked_rem(p).unwrap_or(0), p)),
            ),
            None => (0, None),
        };
        write!(f, "{int}.")?;
        match frac {
            Some((frac, _)) => write!(f, "{frac:0width$}", width = decimals as usize),
            None => {
                // more decimals than u64 holds: leading zeros, then the digits
                let mut digits = [0u8; 20];
                let mut n = 0usize;
                let mut m = mag;
                while m > 0 {
                    if let Some(d) = digits.get_mut(n) {
                        *d = b'0'.wrapping_add((m % 10) as u8);
                    }
                    m /= 10;
                    n = n.saturating_add(1);
                }
                for _ in n..decimals as usize {
                    f.write_str("0")?;
                }
                for d in digits.iter().take(n).rev() {
                    write!(f, "{}", char::from(*d))?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Decimal {
    /// As an exact decimal string.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A calendar date and time as meters send it, each field optional where the
/// encoding allows "not specified" (DLMS 0xFF fields, IEC text without seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DateTime {
    /// Year (full, e.g. 2024).
    pub year: Option<u16>,
    /// Month 1-12.
    pub month: Option<u8>,
    /// Day of month 1-31.
    pub day: Option<u8>,
    /// Day of week 1 (Monday) to 7.
    pub weekday: Option<u8>,
    /// Hour 0-23.
    pub hour: Option<u8>,
    /// Minute 0-59.
    pub minute: Option<u8>,
    /// Second 0-59.
    pub second: Option<u8>,
    /// Hundredths of a second.
    pub hundredths: Option<u8>,
    /// Deviation of local time from UTC in minutes (DLMS sign convention
    /// converted: positive means ahead of UTC, e.g. +60 for CET).
    pub utc_offset_minutes: Option<i16>,
    /// Daylight saving time in effect (DLMS clock status bit 7, DSMR `S`/`W`).
    pub dst: Option<bool>,
    /// The raw DLMS clock status byte, when one was sent.
    pub clock_status: Option<u8>,
}

impl fmt::Display for DateTime {
    /// ISO 8601 where specified: `2024-03-01T12:00:00+01:00`; unspecified
    /// fields print as `*`; hundredths print only when not zero (`12:00:00.25`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn two(f: &mut fmt::Formatter<'_>, v: Option<u8>) -> fmt::Result {
            match v {
                Some(v) => write!(f, "{v:02}"),
                None => f.write_str("*"),
            }
        }
        match self.year {
            Some(y) => write!(f, "{y:04}")?,
            None => f.write_str("*")?,
        }
        f.write_str("-")?;
        two(f, self.month)?;
        f.write_str("-")?;
        two(f, self.day)?;
        f.write_str("T")?;
        two(f, self.hour)?;
        f.write_str(":")?;
        two(f, self.minute)?;
        f.write_str(":")?;
        two(f, self.second)?;
        if let Some(h) = self.hundredths.filter(|h| *h != 0) {
            write!(f, ".{h:02}")?;
        }
        if let Some(off) = self.utc_offset_minutes {
            let sign = if off < 0 { '-' } else { '+' };
            let a = off.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", a / 60, a % 60)?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The value of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    /// An exact number (already scaled to the reading's unit).
    Number(Decimal),
    /// Text (P1 text values, visible-strings, hex-decoded ASCII ids).
    Text(&'a str),
    /// Raw bytes (octet-strings that are not text).
    Octets(&'a [u8]),
    /// A date and time.
    DateTime(DateTime),
    /// A boolean.
    Bool(bool),
    /// No value (DLMS null-data, an empty P1 group `()`).
    Missing,
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(d) => fmt::Display::fmt(d, f),
            Value::Text(t) => f.write_str(t),
            Value::Octets(b) => fmt::Display::fmt(&crate::Hex(b), f),
            Value::DateTime(t) => fmt::Display::fmt(t, f),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Missing => Ok(()),
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Value<'_> {
    /// Numbers as exact decimal strings, octets as hex, date-times as ISO 8601,
    /// booleans as booleans, missing as null.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Missing => s.serialize_none(),
            other => s.collect_str(other),
        }
    }
}

/// One reading: an OBIS code, its value and its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading<'a> {
    /// What was measured.
    pub obis: Obis,
    /// The value, in `unit` (a P1 `kWh` value is converted exactly to `Wh`).
    pub value: Value<'a>,
    /// The DLMS unit, `None` for counts, text and unknown units.
    pub unit: Option<Unit>,
}

impl<'a> Reading<'a> {
    /// A reading.
    pub const fn new(obis: Obis, value: Value<'a>, unit: Option<Unit>) -> Self {
        Reading { obis, value, unit }
    }

    /// The name of the OBIS code, when it is a well-known one.
    pub fn name(&self) -> Option<&'static str> {
        self.obis.name()
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Reading<'_> {
    /// `{"obis","name","value","unit"}` (name and unit omitted when unknown).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("obis", &self.obis)?;
        if let Some(n) = self.name() {
            m.serialize_entry("name", n)?;
        }
        m.serialize_entry("value", &self.value)?;
        if let Some(u) = self.unit {
            m.serialize_entry("unit", &u)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn decimal_text_is_exact() {
        let cases: &[(i64, i8, &str)] = &[
            (12_345_678, -3, "12345.678"),
            (-5, -2, "-0.05"),
            (12, 2, "1200"),
            (0, 3, "0"),
            (0, -2, "0.00"),
            (1, -20, "0.00000000000000000001"),
            (i64::MIN, 0, "-9223372036854775808"),
            (i64::MIN, -19, "-0.9223372036854775808"),
        ];
        for (m, e, want) in cases {
            assert_eq!(Decimal::new(*m, *e).to_string(), *want);
        }
        assert_eq!(
            Decimal::parse("001234.567"),
            Some(Decimal::new(1_234_567, -3))
        );
        assert_eq!(
            Decimal::parse("001234.567").unwrap().to_string(),
            "1234.567"
        );
        assert_eq!(Decimal::parse("-063"), Some(Decimal::new(-63, 0)));
        assert_eq!(Decimal::parse("0.48"), Some(Decimal::new(48, -2)));
        assert_eq!(Decimal::parse("1,5"), Some(Decimal::new(15, -1)));
        for bad in ["", "-", ".", "1.2.3", "1e3", "12a", "99999999999999999999"] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
        assert_eq!(Decimal::new(10, -1), Decimal::new(1, 0));
        assert_eq!(Decimal::new(1500, -3).to_i64(), None);
        assert_eq!(Decimal::new(15, 2).to_i64(), Some(1500));
        assert!((Decimal::new(12_345_678, -3).to_f64() - 12345.678).abs() < 1e-9);
    }

    #[test]
    fn datetime_display() {
        let t = DateTime {
            year: Some(2024),
            month: Some(3),
            day: Some(1),
            hour: Some(12),
            minute: Some(0),
            second: Some(5),
            utc_offset_minutes: Some(60),
            ..DateTime::default()
        };
        assert_eq!(t.to_string(), "2024-03-01T12:00:05+01:00");
        let zero = DateTime {
            hundredths: Some(0),
            ..t
        };
        assert_eq!(zero.to_string(), "2024-03-01T12:00:05+01:00");
        let quarter = DateTime {
            hundredths: Some(25),
            ..t
        };
        assert_eq!(quarter.to_string(), "2024-03-01T12:00:05.25+01:00");
        assert_eq!(DateTime::default().to_string(), "*-*-*T*:*:*");
    }
}

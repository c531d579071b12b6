//! Typing of P1 value groups: exact decimals with units, `TST` timestamps,
//! hex-encoded text (DSMR 5.0.2 §6.12, P1 companion standard value formats).

use meterwire_core::{DateTime, Decimal, Unit, Value};

/// Parses a DSMR `TST` timestamp `YYMMDDhhmmssX` (X = `S` summer / `W` winter), or
/// the 12 digits without X of DSMR 2.2/3 gas lines. Returns the date-time (local
/// time, DST flag set when X is present) and whether it is a known placeholder or an
/// impossible date (`000101000001W`, `700101010000W`, `632525252525W`).
#[inline]
pub fn parse_tst(s: &str) -> Option<(DateTime, bool)> {
    let b = s.as_bytes();
    let (digits, dst) = match b.len() {
        13 => match b.get(12) {
            Some(b'S') => (b.get(..12)?, Some(true)),
            Some(b'W') => (b.get(..12)?, Some(false)),
            _ => return None,
        },
        12 => (b, None),
        _ => return None,
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let two = |i: usize| -> Option<u8> {
        let hi = digits.get(i)?.wrapping_sub(b'0');
        let lo = digits.get(i.checked_add(1)?)?.wrapping_sub(b'0');
        Some(hi.wrapping_mul(10).wrapping_add(lo))
    };
    let (yy, mo, d, h, mi, se) = (two(0)?, two(2)?, two(4)?, two(6)?, two(8)?, two(10)?);
    let t = DateTime {
        // POSIX `%y` (as dsmr_parser reads it): 69-99 are 19xx, so the epoch
        // placeholder `700101010000W` is 1970
        year: Some(if yy >= 69 { 1900u16 } else { 2000u16 }.wrapping_add(u16::from(yy))),
        month: Some(mo),
        day: Some(d),
        hour: Some(h),
        minute: Some(mi),
        second: Some(se),
        dst,
        ..DateTime::default()
    };
    let impossible =
        !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 59;
    let known = matches!(
        digits,
        b"000101000001" | b"000101000000" | b"700101010000" | b"000000000000"
    );
    Some((t, impossible || known))
}

/// The units of nearly every P1 line, matched before the general table.
#[inline]
fn common_unit(u: &str) -> Option<(Unit, i8)> {
    Some(match u {
        "kWh" => (Unit::WATT_HOUR, 3),
        "kW" => (Unit::WATT, 3),
        "V" => (Unit::VOLT, 0),
        "A" => (Unit::AMPERE, 0),
        "m3" => (Unit::CUBIC_METRE, 0),
        "s" => (Unit::SECOND, 0),
        "Wh" => (Unit::WATT_HOUR, 0),
        "W" => (Unit::WATT, 0),
        _ => return None,
    })
}

/// [`Decimal::parse`] with the overflow checks left out where they cannot fire:
/// up to 18 unsigned digits always fit an `i64` (the P1 form `000576.239`); any
/// other text goes to `Decimal::parse`.
#[inline]
fn decimal(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    if b.len() > 18 || matches!(b.first(), Some(b'-' | b'+') | None) {
        return Decimal::parse(s);
    }
    // integer digits, then the fraction digits after one `.` or `,`
    let mut m = 0i64;
    let mut i = 0usize;
    while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10) {
        m = m.wrapping_mul(10).wrapping_add(i64::from(d));
        i = i.wrapping_add(1);
    }
    let int_digits = i;
    let mut decimals = 0i8;
    if matches!(b.get(i), Some(b'.' | b',')) {
        i = i.wrapping_add(1);
        while let Some(d) = b.get(i).map(|c| c.wrapping_sub(b'0')).filter(|&d| d < 10) {
            m = m.wrapping_mul(10).wrapping_add(i64::from(d));
            i = i.wrapping_add(1);
            decimals = decimals.wrapping_add(1);
        }
    }
    // something else after the number, or no digit at all (`.`)
    if i != b.len() || (int_digits == 0 && decimals == 0) {
        return None;
    }
    Some(Decimal::new(m, decimals.wrapping_neg()))
}

/// A number with an optional unit text, converted exactly to the DLMS base unit
/// (`kWh` → `Wh` ×10³). Returns the value, the unit, and whether the unit text was
/// not recognised (then the number is kept unscaled and the unit is `None`).
#[inline]
pub fn number(value: &str, unit: Option<&str>) -> Option<(Decimal, Option<Unit>, bool)> {
    let d = decimal(value)?;
    match unit {
        None | Some("") => Some((d, None, false)),
        Some(u) => match common_unit(u).or_else(|| Unit::from_symbol(u)) {
            Some((unit, exp)) => Some((d.scaled(exp)?, Some(unit), false)),
            None => Some((d, None, true)),
        },
    }
}

/// Decodes hex-encoded ASCII text (`4B38…` → `K8…`) into `buf`; `None` unless the
/// text is an even number of hex digits that decode to printable ASCII.
#[inline]
pub fn decode_hex_text<'b>(hex: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    if hex.is_empty() {
        return None;
    }
    let n = meterwire_core::hex::decode_hex_into(hex.as_bytes(), buf)?;
    let out = buf.get(..n)?;
    if !out.iter().all(|c| (0x20..0x7F).contains(c)) {
        return None;
    }
    core::str::from_utf8(out).ok()
}

/// Whether `hex` is an even number of hex digits that decode to printable ASCII.
pub fn is_printable_hex(hex: &str) -> bool {
    let b = hex.as_bytes();
    !b.is_empty()
        && b.len() % 2 == 0
        && b.chunks_exact(2).all(|p| match p {
            [h, l] => match (
                meterwire_core::hex::hex_digit(*h),
                meterwire_core::hex::hex_digit(*l),
            ) {
                (Some(h), Some(l)) => (0x20..0x7F).contains(&((h << 4) | l)),
                _ => false,
            },
            _ => false,
        })
}

/// The untyped value of a group without knowing its line: empty, a timestamp, a
/// number (scaled to its unit), or text.
pub fn plain<'a>(value: &'a str, unit: Option<&'a str>) -> (Value<'a>, Option<Unit>) {
    if value.is_empty() && unit.is_none() {
        return (Value::Missing, None);
    }
    if unit.is_none() && value.len() == 13 {
        if let Some((t, _)) = parse_tst(value) {
            return (Value::DateTime(t), None);
        }
    }
    match number(value, unit) {
        Some((d, u, _)) => (Value::Number(d), u),
        None => (Value::Text(value), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    #[test]
    fn tst_and_placeholders() {
        let (t, p) = parse_tst("161113205757W").unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute, t.second, t.dst),
            (
                Some(2016),
                Some(11),
                Some(13),
                Some(20),
                Some(57),
                Some(57),
                Some(false)
            )
        );
        assert!(!p);
        assert_eq!(parse_tst("221006155014S").unwrap().0.dst, Some(true));
        assert_eq!(parse_tst("090212160000").unwrap().0.dst, None);
        assert!(parse_tst("632525252525W").unwrap().1);
        assert!(parse_tst("700101010000W").unwrap().1);
        assert!(parse_tst("16111320575W").is_none());
        assert!(parse_tst("161113205757X").is_none());
    }

    proptest::proptest! {
        #[test]
        fn fast_decimal_is_decimal_parse(s in "[-+0-9.,a]{0,22}") {
            proptest::prop_assert_eq!(decimal(&s), Decimal::parse(&s));
        }
    }

    #[test]
    fn numbers_scale_exactly() {
        let (d, u, bad) = number("001581.123", Some("kWh")).unwrap();
        assert_eq!(
            (d, u, bad),
            (Decimal::new(1_581_123, 0), Some(Unit::WATT_HOUR), false)
        );
        assert_eq!(d.to_string(), "1581123");
        let (d, u, _) = number("0.48", Some("A")).unwrap();
        assert_eq!((d.to_string(), u), ("0.48".into(), Some(Unit::AMPERE)));
        let (d, u, bad) = number("12", Some("furlong")).unwrap();
        assert_eq!((d, u, bad), (Decimal::new(12, 0), None, true));
        let mut buf = [0u8; 32];
        assert_eq!(
            decode_hex_text("4B384547303034303436333935353037", &mut buf),
            Some("K8EG004046395507")
        );
        assert_eq!(decode_hex_text("00000000000000", &mut buf), None);
    }
}

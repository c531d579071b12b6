//! Helpers shared by the test modules.

use meterwire_core::{Reading, Unit};
use meterwire_dlms_cosem::readings::Push;
use serde_json::Value;

/// tests/vectors/security/vectors.json (written by oracle/security_oracle.py), parsed.
#[allow(dead_code)] // its users are behind the `crypto` feature
pub fn security_vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/security/vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The entry `name` of that file's `apdus` list.
pub fn security_apdu(name: &str) -> Value {
    security_vectors()["apdus"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap()
        .clone()
}

/// (OBIS, value text, unit symbol) of every reading of a push, in order.
pub fn readings(p: &Push<'_>) -> Vec<(String, String, Option<&'static str>)> {
    let mut v = Vec::new();
    p.for_each(|r: Reading<'_>| {
        v.push((
            r.obis.to_string(),
            r.value.to_string(),
            r.unit.and_then(Unit::symbol),
        ))
    });
    v
}

/// One reading in the notation of IEC 62056-21 / DSMR telegrams and of
/// node-dsmr-parser's golden files: `OBIS(value*unit)`, or `OBIS(value)`.
pub fn parse_reading(s: &str) -> (&str, &str, Option<&str>) {
    let (obis, rest) = s
        .split_once('(')
        .unwrap_or_else(|| panic!("not OBIS(value): {s}"));
    let inner = rest.trim_end_matches(')');
    let (value, unit) = inner
        .split_once('*')
        .map_or((inner, None), |(a, b)| (a, Some(b)));
    (obis, value, unit)
}

/// The readings of a text with one `OBIS(value*unit)` per line.
pub fn parse_readings(text: &str) -> Vec<(&str, &str, Option<&str>)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(parse_reading)
        .collect()
}

/// Each reading of `want` (one `OBIS(value*unit)` a line) is among the push's
/// readings, with that value and unit.
#[track_caller]
pub fn assert_readings_include(p: &Push<'_>, want: &str) {
    let t = readings(p);
    for (o, v, u) in parse_readings(want) {
        let got = t
            .iter()
            .find(|x| x.0 == o)
            .unwrap_or_else(|| panic!("{o} missing in {t:?}"));
        assert_eq!((got.1.as_str(), got.2), (v, u), "{o}");
    }
}

/// The push's readings are exactly `want` (one `OBIS(value*unit)` a line), in order.
#[track_caller]
pub fn assert_readings_are(p: &Push<'_>, want: &str) {
    let t = readings(p);
    let want = parse_readings(want);
    assert_eq!(t.len(), want.len(), "{t:?}");
    for ((o, v, u), got) in want.iter().zip(&t) {
        assert_eq!((got.0.as_str(), got.1.as_str(), got.2), (*o, *v, *u));
    }
}

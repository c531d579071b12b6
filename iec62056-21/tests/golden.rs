//! Golden telegrams from public test suites (file and name next to each test).

use meterwire_core::{Classify, Decimal, DiagnosticKind, ErrorKind, Obis, Unit, Value};
use meterwire_iec62056_21::crc::crc16_arc;
use meterwire_iec62056_21::p1::{Line, LineKind, Telegram};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn o(s: &str) -> Obis {
    s.parse().unwrap()
}

fn kinds(t: &Telegram<'_>) -> Vec<DiagnosticKind> {
    t.diagnostics().map(|d| d.kind).collect()
}

fn num(m: i64, e: i8) -> Value<'static> {
    Value::Number(Decimal::new(m, e))
}

/// The line `obis` of `t`, checked to be a `kind` log announcing `n` entries and
/// holding `n` (the event log's or peak history's entries).
fn log_line<'a>(t: &Telegram<'a>, obis: &str, kind: LineKind, n: usize) -> Line<'a> {
    let l = t.line(o(obis)).unwrap();
    assert_eq!(l.kind(), kind);
    assert_eq!(l.value().0, num(n as i64, 0));
    let entries = match kind {
        LineKind::EventLog => l.events().count(),
        _ => l.history().count(),
    };
    assert_eq!(entries, n);
    l
}

/// ndokter/dsmr_parser test/example_telegrams.py TELEGRAM_V4_2 (Kaifa, DSMR 4.2).
#[test]
fn v4_2_kaifa() {
    let b = data("dsmr_parser/TELEGRAM_V4_2.txt");
    let t = Telegram::parse(&b).unwrap();
    assert_eq!(t.crc(), Some(0x6796));
    assert_eq!(t.header().manufacturer(), "KFM");
    assert_eq!(t.header().baud_char(), b'5');
    assert_eq!(t.header().identification(), "KAIFA-METER");
    assert_eq!(t.version(), Some("42"));
    assert_eq!(t.time().unwrap().to_string(), "2016-11-13T20:57:57");
    assert_eq!(t.time().unwrap().dst, Some(false));
    let l = t.line(o("1-0:1.8.1")).unwrap();
    assert_eq!(l.value(), (num(1_581_123, 0), Some(Unit::WATT_HOUR)));
    assert_eq!(
        t.line(o("1-0:1.7.0")).unwrap().value(),
        (num(2027, 0), Some(Unit::WATT))
    );
    assert_eq!(t.line(o("0-0:96.14.0")).unwrap().value().0, num(2, 0));
    // power-failure log: 3 events
    let ev: Vec<_> = log_line(&t, "1-0:99.97.0", LineKind::EventLog, 3)
        .events()
        .collect();
    assert_eq!(ev[0].end.to_string(), "2000-01-04T18:03:20");
    assert_eq!(ev[0].duration, Decimal::new(237_126, 0));
    assert_eq!(ev[2].duration, Decimal::new(2_317_482_647, 0));
    // M-Bus gas with its capture time
    let gas = t.line(o("0-1:24.2.1")).unwrap();
    assert_eq!(gas.value(), (num(981_443, -3), Some(Unit::CUBIC_METRE)));
    assert_eq!(gas.time().unwrap().to_string(), "2016-11-29T20:00:00");
    assert_eq!(t.line(o("0-1:24.1.0")).unwrap().value().0, num(3, 0));
    // 000101000001W is a placeholder
    assert_eq!(kinds(&t), [DiagnosticKind::Placeholder]);
    assert!(Telegram::parser().strict().parse(&b).is_err());
    // every line gives a reading
    let mut buf = [0u8; 256];
    assert_eq!(t.readings(&mut buf).count(), t.lines().count());
    assert_eq!(t.lines().count(), 33);
}

/// TELEGRAM_V2_2: no CRC, two-line gas `0-1:24.3.0(...)(m3)` + `(00001.001)`.
#[test]
fn v2_2_two_line_gas() {
    let b = data("dsmr_parser/TELEGRAM_V2_2.txt");
    let t = Telegram::parser().strict().parse(&b).unwrap();
    assert_eq!(t.crc(), None);
    let gas = t.line(o("0-1:24.3.0")).unwrap();
    assert_eq!(gas.kind(), LineKind::LegacyGas);
    let r = gas.reading().unwrap();
    assert_eq!(r.obis, o("0-1:24.2.1"));
    assert_eq!((r.value, r.unit), (num(1001, -3), Some(Unit::CUBIC_METRE)));
    let time = gas.time().unwrap();
    assert_eq!(
        (time.to_string(), time.dst),
        ("2016-11-07T19:00:00".into(), None)
    );
    assert_eq!(gas.groups().count(), 7);
    // the value line is not a line of its own
    assert!(t.lines().all(|l| !l.text().starts_with('(')));
    assert_eq!(t.line(o("0-0:96.13.0")).unwrap().value().0, Value::Missing);
    // 0-0:96.1.1(00000000000000) is not printable: kept as sent
    let mut buf = [0u8; 512];
    let id = t
        .readings(&mut buf)
        .find(|r| r.obis == o("0-0:96.1.1"))
        .unwrap();
    assert_eq!(id.value, Value::Text("00000000000000"));
}

/// TELEGRAM_V3: hex-encoded text message and ids decoded to text.
#[test]
fn v3_text() {
    let b = data("dsmr_parser/TELEGRAM_V3.txt");
    let t = Telegram::parse(&b).unwrap();
    let mut buf = [0u8; 512];
    let r: Vec<_> = t.readings(&mut buf).collect();
    let get = |s: &str| r.iter().find(|r| r.obis == o(s)).unwrap().value;
    assert_eq!(get("0-0:96.1.1"), Value::Text("K8EG004046395507"));
    assert_eq!(get("0-0:96.13.1"), Value::Text("012345678"));
    assert_eq!(
        get("0-0:96.13.0"),
        Value::Text(
            "0123456789:;<=>?0123456789:;<=>?0123456789:;<=>?0123456789:;<=>?0123456789:;<=>?"
        )
    );
    assert_eq!(get("0-1:96.1.0"), Value::Text("2222ABCD123456789"));
    assert_eq!(get("0-0:17.0.0"), num(16, 0));
    assert_eq!(t.equipment_id(), Some("4B384547303034303436333935353037"));
    // a too-small text buffer keeps the text as sent, never panics
    let mut small = [0u8; 4];
    let r: Vec<_> = t.readings(&mut small).collect();
    assert_eq!(
        r.iter().find(|r| r.obis == o("0-0:96.1.1")).unwrap().value,
        Value::Text("4B384547303034303436333935353037")
    );
}

/// TELEGRAM_UNPADDED_CRC (NWA Warmtelink, `!B9F` = 0x0B9F; dsmr_parser PR #173).
#[test]
fn unpadded_crc() {
    let b = data("dsmr_parser/TELEGRAM_UNPADDED_CRC.txt");
    let t = Telegram::parse(&b).unwrap();
    assert_eq!(t.crc(), Some(0x0B9F));
    assert!(kinds(&t).contains(&DiagnosticKind::VendorQuirk));
    let e = Telegram::parser().strict().parse(&b).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Nonconforming);
    let heat = t.line(o("0-1:24.2.1")).unwrap();
    assert_eq!(heat.value(), (num(240_860, 6), Some(Unit::JOULE)));
    assert_eq!(heat.value().0.to_string(), "240860000000"); // 240.860 GJ in J
}

/// TELEGRAM_FLUVIUS_V171: Belgian peak demand, monthly history, gas on 24.2.3.
#[test]
fn fluvius_peaks() {
    let b = data("dsmr_parser/TELEGRAM_FLUVIUS_V171.txt");
    let t = Telegram::parse(&b).unwrap();
    assert_eq!(t.version(), Some("50217"));
    let peak = t.line(o("1-0:1.6.0")).unwrap();
    assert_eq!(peak.value(), (num(2589, 0), Some(Unit::WATT)));
    assert_eq!(peak.time().unwrap().to_string(), "2020-05-09T13:45:58");
    assert_eq!(peak.time().unwrap().dst, Some(true));
    let h: Vec<_> = log_line(&t, "0-0:98.1.0", LineKind::History, 3)
        .history()
        .collect();
    assert_eq!(h[1].month.to_string(), "2020-04-01T00:00:00");
    assert_eq!(h[1].time.to_string(), "2020-03-05T12:21:39");
    assert_eq!(
        (h[1].value, h[1].unit),
        (Decimal::new(5980, 0), Some(Unit::WATT))
    );
    let gas = t.line(o("0-1:24.2.3")).unwrap();
    assert_eq!(gas.value(), (num(112_384, -3), Some(Unit::CUBIC_METRE)));
    let mut buf = [0u8; 256];
    let ids: Vec<_> = t
        .readings(&mut buf)
        .filter(|r| r.obis.c() == 96 && r.obis.d() == 1 && r.obis.e() == 1)
        .map(|r| r.value)
        .collect();
    assert_eq!(
        ids,
        [
            Value::Text("1SAG3101021605"),
            Value::Text("7FLO2119033733"),
            Value::Text("8SAG1234567890")
        ]
    );
    assert!(kinds(&t).is_empty(), "{:?}", kinds(&t));
}

/// TELEGRAM_V5_EON_HU: Hungarian 98.1.0 without a count.
#[test]
fn eon_hungary_history() {
    let b = data("dsmr_parser/TELEGRAM_V5_EON_HU.txt");
    let t = Telegram::parse(&b).unwrap();
    let hist = t.line(o("0-0:98.1.0")).unwrap();
    assert_eq!(hist.history().count(), 0);
    let g: Vec<_> = hist.groups().collect();
    assert_eq!(g.len(), 20);
    assert_eq!(g[0].value(), "230701000000S");
    assert_eq!(g[1].value(), "000040.777");
    assert_eq!(
        hist.reading().unwrap().value.to_string(),
        "2023-07-01T00:00:00"
    );
    assert_eq!(t.header().manufacturer(), "SAG");
    assert_eq!(
        t.line(o("1-0:14.7.0")).unwrap().value().1,
        Some(Unit::HERTZ)
    );
}

/// TELEGRAM_ISKRA_IE: the header holds byte 0x02 (`\2` in the Python source), CRC AD3B.
#[test]
fn iskra_ie_header_byte() {
    let b = data("dsmr_parser/TELEGRAM_ISKRA_IE.txt");
    assert_eq!(b[5], 0x02);
    let t = Telegram::parse(&b).unwrap();
    assert_eq!(t.crc(), Some(0xAD3B));
    assert_eq!(t.header().manufacturer(), "ISk");
    assert_eq!(t.header().identification(), "\u{2}MIE5T-200");
    let mut escaped = b.clone();
    escaped.splice(5..6, *b"\\2");
    assert_eq!(
        Telegram::parse(&escaped).unwrap_err().kind(),
        ErrorKind::Checksum
    );
}

/// TELEGRAM_ESY5Q3DB1024_V304: EasyMeter Q3D, `*255` OBIS, W units, no CRC, gateway junk after `!`.
#[test]
fn easymeter_q3d() {
    let b = data("dsmr_parser/TELEGRAM_ESY5Q3DB1024_V304.txt");
    let t = Telegram::parse(&b).unwrap();
    assert_eq!(t.crc(), None);
    let l = t.line(o("1-0:1.8.0*255")).unwrap();
    assert_eq!(l.value(), (num(521_857_825_309, -4), Some(Unit::WATT_HOUR)));
    assert_eq!(
        t.line(o("1-0:1.7.0*255")).unwrap().value(),
        (num(212_486, -2), Some(Unit::WATT))
    );
    let id = t.line(o("0-0:96.1.255*255")).unwrap();
    assert_eq!(id.value().0, Value::Text("1ESY1313002565"));
    // unknown OBIS kept with its raw group
    let unk = t.line(o("1-0:96.5.5*255")).unwrap();
    assert_eq!(unk.groups_text(), "(80)");
    assert_eq!(unk.value().0, num(80, 0));
    let d: Vec<_> = t.diagnostics().collect();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].kind, d[0].value),
        (DiagnosticKind::TrailingBytes, Some(47))
    );
    assert!(Telegram::parser().strict().parse(&b).is_err());
}

/// TELEGRAM_SAGEMCOM_T210_D_R (Energienetze Steiermark plaintext): integer Wh/varh.
#[test]
fn sagemcom_t210() {
    let b = data("dsmr_parser/TELEGRAM_SAGEMCOM_T210_D_R.txt");
    let t = Telegram::parser().strict().parse(&b).unwrap();
    assert_eq!(
        t.line(o("1-0:1.8.0")).unwrap().value(),
        (num(6_545_766, 0), Some(Unit::WATT_HOUR))
    );
    assert_eq!(
        t.line(o("1-0:4.8.0")).unwrap().value(),
        (num(3_897_726, 0), Some(Unit::VAR_HOUR))
    );
    assert_eq!(t.time().unwrap().dst, Some(true));
}

/// TELEGRAM_V5_TWO_MBUS: an empty M-Bus channel `700101010000W` / `(00000000)`.
#[test]
fn v5_two_mbus() {
    let b = data("dsmr_parser/TELEGRAM_V5_TWO_MBUS.txt");
    let t = Telegram::parse(&b).unwrap();
    let c1 = t.line(o("0-1:24.2.1")).unwrap();
    assert_eq!(c1.value(), (num(0, 0), None));
    assert_eq!(c1.time().unwrap().year, Some(1970));
    let c2 = t.line(o("0-2:24.2.1")).unwrap();
    assert_eq!(c2.value(), (num(246_138, -3), Some(Unit::CUBIC_METRE)));
    assert_eq!(kinds(&t), [DiagnosticKind::Placeholder]);
    assert_eq!(t.diagnostics().next().unwrap().field, "p1 timestamp");
}

/// athombv/node-dsmr-parser tests/telegrams/dsmr/dsmr-5.0-spec-example-lowercase.txt:
/// lower-case units (its CRC was never right: it is the spec example with edits).
#[test]
fn lowercase_units() {
    let b = data("node_dsmr_parser/dsmr-5.0-spec-example-lowercase.txt");
    assert_eq!(Telegram::parse(&b).unwrap_err().kind(), ErrorKind::Checksum);
    let t = Telegram::parser().skip_crc().parse(&b).unwrap();
    assert!(kinds(&t).contains(&DiagnosticKind::NotVerified));
    let l = t.line(o("1-0:1.8.1")).unwrap();
    assert_eq!(l.groups().next().unwrap().unit(), Some("kwh"));
    assert_eq!(l.value(), (num(123_456_789, 0), Some(Unit::WATT_HOUR)));
    assert_eq!(t.line(o("1-0:32.7.0")).unwrap().value().1, Some(Unit::VOLT));
}

/// node-dsmr-parser dsmr-luxembourgh-spec-example.txt: two values on `1-1:31.4.0`, one negative.
#[test]
fn luxembourg_two_values() {
    let b = data("node_dsmr_parser/dsmr-luxembourgh-spec-example.txt");
    let t = Telegram::parser().skip_crc().parse(&b).unwrap();
    let l = t.line(o("1-1:31.4.0")).unwrap();
    let g: Vec<_> = l.groups().map(|g| (g.value(), g.unit())).collect();
    assert_eq!(g, [("100", Some("A")), ("-063", Some("A"))]);
    assert_eq!(l.value(), (num(100, 0), Some(Unit::AMPERE)));
    assert_eq!(
        t.line(o("1-0:9.7.0")).unwrap().value().1,
        Some(Unit::VOLT_AMPERE)
    );
}

/// A line off the grammar and an unknown unit are kept and reported (built here, CRC computed).
#[test]
fn unrecognized_lines_are_kept() {
    let mut b = b"/XMX5LGBBFG1012345678\r\n\r\n1-0:1.8.1(000001.000*kWh)\r\ngarbage line\r\n1-0:1.8.2(5*furlong)\r\n!".to_vec();
    let crc = crc16_arc(&b);
    b.extend_from_slice(format!("{crc:04X}\r\n").as_bytes());
    let t = Telegram::parse(&b).unwrap();
    let lines: Vec<_> = t.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (lines[1].kind(), lines[1].text()),
        (LineKind::Unrecognized, "garbage line")
    );
    assert_eq!(lines[2].value(), (num(5, 0), None));
    assert_eq!(
        kinds(&t),
        [DiagnosticKind::Unrecognized, DiagnosticKind::Unrecognized]
    );
    let mut buf = [0u8; 8];
    assert_eq!(t.readings(&mut buf).count(), 2);
    // a flipped bit is a checksum error
    let mut bad = b.clone();
    bad[30] ^= 1;
    let e = Telegram::parse(&bad).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Checksum);
    // bit 7 set inside the CRC scope is rejected
    let mut high = b.clone();
    high[40] |= 0x80;
    assert_eq!(
        Telegram::parse(&high).unwrap_err().kind(),
        ErrorKind::Malformed
    );
}

#[cfg(feature = "serde")]
#[test]
fn json_shape() {
    let b = data("dsmr_parser/TELEGRAM_V3.txt");
    let t = Telegram::parse(&b).unwrap();
    let j = serde_json::to_value(t).unwrap();
    assert_eq!(j["manufacturer"], "ISk");
    assert!(j.get("crc").is_none() && j.get("diagnostics").is_none());
    let first = &j["lines"][0];
    assert_eq!(first["obis"], "0-0:96.1.1");
    assert_eq!(first["value"], "K8EG004046395507");
    let e = &j["lines"][1];
    assert_eq!(
        (e["value"].as_str(), e["unit"].as_str()),
        (Some("12345678"), Some("Wh"))
    );
}

//! Field-by-field comparison with PyPI dsmr-parser 1.11.2 (tests/data/oracle/*.json,
//! written by `oracle/gen.py`; `ci.sh` re-runs it live).

use meterwire_core::{Classify, Decimal, ErrorKind, Unit, Value};
use meterwire_iec62056_21::dataset::Group;
use meterwire_iec62056_21::p1::value::parse_tst;
use meterwire_iec62056_21::p1::{LineKind, Telegram};
use serde_json::Value as J;

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Europe/Amsterdam summer time for a local date without a DST flag (DSMR 2.2/3).
fn summer(y: i64, m: i64, d: i64, h: i64) -> bool {
    let last_sunday = |m: i64| {
        let last = days_from_civil(y, m, 31);
        last - (last + 4).rem_euclid(7) // 1970-01-01 was a Thursday
    };
    let day = days_from_civil(y, m, d);
    let (start, end) = (last_sunday(3), last_sunday(10));
    (day > start || (day == start && h >= 2)) && (day < end || (day == end && h < 3))
}

/// A P1 `TST` as the UTC string dsmr_parser prints.
fn tst_utc(s: &str) -> Option<String> {
    let (t, _) = parse_tst(s)?;
    let (y, m, d) = (i64::from(t.year?), i64::from(t.month?), i64::from(t.day?));
    let h = i64::from(t.hour?);
    // dsmr_parser ignores the S/W flag and applies Europe/Amsterdam rules (the
    // Fluvius example sends `200305122139S`, a summer flag in March): do the same
    let dst = summer(y, m, d, h);
    let secs = days_from_civil(y, m, d) * 86_400
        + h * 3600
        + i64::from(t.minute?) * 60
        + i64::from(t.second?)
        - if dst { 7200 } else { 3600 };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let r = secs.rem_euclid(86_400);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        r / 3600,
        r % 3600 / 60,
        r % 60
    ))
}

fn dec(s: &str) -> Option<Decimal> {
    Decimal::parse(s)
}

/// Compares one group with one dsmr_parser {value, unit}; returns a mismatch text.
fn same(g: &Group<'_>, o: &J) -> Result<(), String> {
    let (v, u) = (&o["value"], &o["unit"]);
    let mine = g.value();
    if let Some(u) = u.as_str() {
        let mu = g.unit().ok_or(format!("no unit on {mine:?}, oracle {u}"))?;
        if !mu.eq_ignore_ascii_case(u) {
            return Err(format!("unit {mu} vs {u}"));
        }
    }
    match v {
        J::Null => {
            if mine.is_empty() || parse_tst(mine).is_some_and(|t| t.1) {
                Ok(())
            } else {
                Err(format!("{mine:?} vs null"))
            }
        }
        J::String(s) if s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T' => {
            match tst_utc(mine) {
                Some(t) if t == *s => Ok(()),
                other => Err(format!("time {mine:?} -> {other:?} vs {s}")),
            }
        }
        J::String(s) => match (dec(s), dec(mine)) {
            (Some(a), Some(b)) if a == b => Ok(()),
            _ if s == mine => Ok(()),
            _ => Err(format!("{mine:?} vs {s:?}")),
        },
        other => Err(format!("unexpected oracle value {other}")),
    }
}

#[test]
fn agrees_with_dsmr_parser() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let mut files = 0;
    let mut fields = 0;
    let mut readings = 0;
    for entry in std::fs::read_dir(format!("{dir}/oracle")).unwrap() {
        let path = entry.unwrap().path();
        let o: J = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Some(src) = o["source"].as_str() else {
            continue; // iec62056_21.json: IEC message vectors, tests/iec_oracle.rs
        };
        let bytes = std::fs::read(format!("{dir}/{src}")).unwrap();
        let t = match o["verdict"].as_str().unwrap() {
            "ok" => Telegram::parse(&bytes).unwrap_or_else(|e| panic!("{src}: {e}")),
            "checksum" => {
                let e = Telegram::parse(&bytes).expect_err(src);
                assert_eq!(e.kind(), ErrorKind::Checksum, "{src}");
                Telegram::parser().skip_crc().parse(&bytes).unwrap()
            }
            v => panic!("{src}: verdict {v}"),
        };
        files += 1;
        for obj in o["objects"].as_array().unwrap() {
            let obis = obj["obis"].as_str().unwrap();
            if obj.get("error").is_some() {
                continue;
            }
            let line = t
                .lines()
                .find(|l| l.address() == obis)
                .unwrap_or_else(|| panic!("{src}: no line {obis}"));
            let parts = obj["values"].as_array().unwrap();
            if line.kind() == LineKind::History && !parts.is_empty() && line.history().count() > 0 {
                // Belgian 98.1.0: one part per month
                for (k, (part, peak)) in parts.iter().zip(line.history()).enumerate() {
                    let p = part.as_array().unwrap();
                    for (i, t) in [(0, &peak.month), (1, &peak.time)] {
                        let text = format_tst(t);
                        match p[i]["value"].as_str() {
                            Some(want) => {
                                assert_eq!(tst_utc(&text).unwrap(), want, "{src} {obis} {k}")
                            }
                            None => assert!(
                                parse_tst(&text).unwrap().1,
                                "{src} {obis} {k}: placeholder"
                            ),
                        }
                    }
                    let (u, e) = Unit::from_symbol(p[2]["unit"].as_str().unwrap()).unwrap();
                    let want = dec(p[2]["value"].as_str().unwrap())
                        .unwrap()
                        .scaled(e)
                        .unwrap();
                    assert_eq!(
                        (peak.value, peak.unit),
                        (want, Some(u)),
                        "{src} {obis} value {k}"
                    );
                    fields += 3;
                }
                assert_eq!(parts.len(), line.history().count(), "{src} {obis}");
                continue;
            }
            assert_eq!(parts.len(), 1, "{src} {obis}");
            let vals = parts[0].as_array().unwrap();
            let groups: Vec<_> = line.groups().collect();
            assert_eq!(groups.len(), vals.len(), "{src} {obis}: group count");
            for (g, v) in groups.iter().zip(vals) {
                if let Err(m) = same(g, v) {
                    panic!("{src} {obis}: {m}");
                }
                fields += 1;
            }
            // the reading: exact value in the DLMS base unit
            let r = line.reading().unwrap();
            let last = vals.last().unwrap();
            if let (Some(u), Some(v)) = (last["unit"].as_str(), last["value"].as_str()) {
                if line.kind() == LineKind::Value {
                    let (unit, e) = Unit::from_symbol(u).unwrap();
                    let want = dec(v).unwrap().scaled(e).unwrap();
                    if vals.len() <= 2 {
                        assert_eq!(r.value, Value::Number(want), "{src} {obis}");
                        assert_eq!(r.unit, Some(unit), "{src} {obis}");
                        readings += 1;
                    }
                }
            }
        }
    }
    assert_eq!(files, 24);
    assert!(fields > 700, "{fields}");
    assert!(readings > 300, "{readings}");
    eprintln!("{files} telegrams, {fields} fields, {readings} scaled readings agree");
}

fn format_tst(t: &meterwire_core::DateTime) -> String {
    format!(
        "{:02}{:02}{:02}{:02}{:02}{:02}{}",
        t.year.unwrap() % 100,
        t.month.unwrap(),
        t.day.unwrap(),
        t.hour.unwrap(),
        t.minute.unwrap(),
        t.second.unwrap(),
        match t.dst {
            Some(true) => "S",
            Some(false) => "W",
            None => "",
        }
    )
}

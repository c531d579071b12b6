//! `--readings` for DLMS/COSEM: one JSON object of OBIS readings per push
//! (issue 16). The DLMS stream calls [`dlms_readings_json`] with each plaintext
//! APDU (after HDLC/wrapper framing and decryption).
//!
//! ```text
//! {"meter": "4b464d6750000009", "time": "2021-09-27T09:47:15+02:00",
//!  "readings": [{"obis": "1-0:1.8.0", "name": "active energy import (+A), total",
//!                "value": "12937", "unit": "Wh"}, ...]}
//! ```
//!
//! `value` is the exact decimal text (scaler applied without rounding), text,
//! hex octets or an ISO 8601 date-time; `unit` and `name` are left out when
//! unknown. `"list_id"` is the push's list identifier when it carries one.
//! `"diagnostics"` appears only when there are any; a push without OBIS codes
//! whose layout is unknown gives no readings and a `not_mapped` diagnostic.

use meterwire_core::{DiagnosticKind, Hex, Reading, Value};
use meterwire_dlms_cosem::readings::{Mapping, Push};
use serde_json::{Map, Value as Json, json};

fn reading_json(r: &Reading<'_>) -> Json {
    let mut m = Map::new();
    m.insert("obis".into(), r.obis.to_string().into());
    if let Some(n) = r.name() {
        m.insert("name".into(), n.into());
    }
    let value = match r.value {
        Value::Bool(b) => Json::Bool(b),
        Value::Missing => Json::Null,
        other => other.to_string().into(),
    };
    m.insert("value".into(), value);
    if let Some(u) = r.unit {
        m.insert("unit".into(), u.to_string().into());
    }
    Json::Object(m)
}

/// The readings of one plaintext xDLMS APDU (a data-notification) as JSON:
/// `{"meter","time","readings":[{"obis","name","value","unit"}]}`, plus
/// `"list_id"`, `"layout"` (the positional layout used) and `"diagnostics"`
/// when there are any. `meter` is the sender's
/// system title (hex) when given, else the push's meter identifier reading.
pub fn dlms_readings_json(apdu: &[u8], meter: Option<&[u8]>) -> Json {
    let system_title: Option<[u8; 8]> = meter.and_then(|m| m.try_into().ok());
    let meter_hex = meter.map(|m| Hex(m).to_string());
    let push = match Push::parse(apdu) {
        Ok(p) => p,
        Err(e) => {
            let reason = if apdu.first() == Some(&0x0F) {
                "data-notification does not decode"
            } else {
                "not a data-notification: no readings"
            };
            return json!({
                "meter": meter_hex,
                "time": null,
                "readings": [],
                "diagnostics": [{
                    "kind": DiagnosticKind::NotMapped.as_str(),
                    "field": "apdu",
                    "message": reason,
                    "error": e.to_string(),
                }],
            });
        }
    };
    let push = match system_title {
        Some(st) => push.with_system_title(st),
        None => push,
    };
    let mut readings = Vec::new();
    push.for_each(|r| readings.push(reading_json(&r)));
    let mut m = Map::new();
    let meter = meter_hex.or_else(|| push.meter_id().map(str::to_owned));
    m.insert("meter".into(), meter.into());
    m.insert("time".into(), push.time().map(|t| t.to_string()).into());
    if let Some(id) = push.list_id() {
        m.insert("list_id".into(), id.into());
    }
    if let Mapping::Layout(l) = push.mapping() {
        m.insert("layout".into(), l.name.into());
    }
    m.insert("readings".into(), Json::Array(readings));
    let diags = push.diagnostics();
    if !diags.is_empty() {
        // core's serde form, as every other diagnostic the CLI prints
        m.insert(
            "diagnostics".into(),
            serde_json::to_value(diags).unwrap_or(Json::Null),
        );
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        s.chunks(2)
            .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
            .collect()
    }

    /// Asserts that `j` has `count` readings, and the ones at the given indexes.
    fn assert_readings(j: &Json, count: usize, expected: &[(usize, Json)]) {
        let r = j["readings"].as_array().unwrap();
        assert_eq!(r.len(), count);
        for (i, want) in expected {
            assert_eq!(&r[*i], want, "reading {i}");
        }
    }

    /// The real EVN Kaifa MA309 push (athombv/node-dsmr-parser
    /// tests/telegrams/m-bus/austria-decrypted-1.txt, the decrypted plaintext).
    #[test]
    fn evn_push_readings() {
        let plain = unhex(include_str!("../tests/data/evn_kaifa_ma309_push.plain.hex"));
        let j = dlms_readings_json(&plain, Some(b"KFMgP\x00\x00\x09"));
        assert_eq!(j["meter"], "4b464d6750000009");
        assert_eq!(j["time"], "2021-09-27T09:47:15+02:00");
        assert_readings(
            &j,
            11,
            &[
                (
                    0,
                    json!({"obis": "1-0:1.8.0", "name": "active energy import (+A), total",
                           "value": "12937", "unit": "Wh"}),
                ),
                (
                    4,
                    json!({"obis": "1-0:32.7.0", "name": "voltage L1", "value": "233.7", "unit": "V"}),
                ),
                (
                    10,
                    json!({"obis": "1-0:13.7.0", "name": "power factor", "value": "1.000"}),
                ),
            ],
        );
        assert!(j.get("diagnostics").is_none());
    }

    /// Kaifa MA304 list 2 (toreamun/amshan tests/test_kaifa.py line 28): positional,
    /// shipped layout, header date-time quirk reported.
    #[test]
    fn kaifa_positional_push() {
        let apdu = unhex(
            "0f40000000 090c07e40119060d091eff800000 020d 09074b464d5f303031
             0910 36393730363331343032363134343736 0908 4d41333034483345 0600002611
             0600000000 0600000000 06000001b3 0600008415 0600006dc7 0600004702
             0600000878 0600000000 060000088c",
        );
        let j = dlms_readings_json(&apdu, None);
        assert_eq!(j["meter"], "6970631402614476");
        assert_eq!(j["list_id"], "KFM_001");
        assert_eq!(j["layout"], "kaifa-kfm_001");
        assert_eq!(j["time"], "2020-01-25T13:09:30");
        assert_readings(
            &j,
            13,
            &[(
                7,
                json!({"obis": "1-0:31.7.0", "name": "current L1", "value": "33.813", "unit": "A"}),
            )],
        );
        assert_eq!(j["diagnostics"][0]["kind"], "vendor_quirk");
    }

    /// An unknown positional list: no readings, a not_mapped diagnostic.
    #[test]
    fn unknown_layout_is_not_mapped() {
        let apdu = unhex("0f00000001 00 0203 0600000001 0600000002 0600000003");
        let j = dlms_readings_json(&apdu, None);
        assert_eq!(j["readings"], json!([]));
        assert_eq!(j["meter"], Json::Null);
        assert_eq!(j["diagnostics"][0]["kind"], "not_mapped");
        let j = dlms_readings_json(&[0xC0, 0x01, 0x00], None);
        assert_eq!(j["diagnostics"][0]["kind"], "not_mapped");
        assert_eq!(
            j["diagnostics"][0]["message"],
            "not a data-notification: no readings"
        );
    }
}

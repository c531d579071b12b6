//! Readings of real encrypted pushes with published keys: decrypted with the
//! crate's security API, then mapped to OBIS readings.
#![cfg(feature = "crypto")]

use meterwire_dlms_cosem::readings::{Mapping, Push};
use meterwire_dlms_cosem::security::{self, Key, SecurityKeys};

use crate::common::assert_readings_are;

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s.split_whitespace().collect::<String>()).unwrap()
}

fn vector(name: &str) -> (Vec<u8>, Vec<u8>) {
    let e = crate::common::security_apdu(name);
    (
        unhex(e["apdu"].as_str().unwrap()),
        unhex(e["ek"].as_str().unwrap()),
    )
}

fn decrypt(name: &str) -> Vec<u8> {
    let (apdu, ek) = vector(name);
    let keys = SecurityKeys::new(Key::from_slice(&ek).unwrap());
    let mut out = [0u8; 512];
    security::decrypt_apdu(&apdu, &keys, None, &mut out)
        .unwrap()
        .to_vec()
}

/// EVN (Netz Niederösterreich) Kaifa MA309 M-Bus push, AES-GCM encryption only,
/// key published with it: athombv/node-dsmr-parser
/// tests/telegrams/m-bus/austria-example-1.txt (plaintext: austria-decrypted-1.txt).
/// The values agree with gurux-dlms's translation of the plaintext (see
/// tests/vectors/readings/gurux_readings.json), which also gives the UTC time
/// 07:47:15 for the local 09:47:15 with deviation -120.
#[test]
fn evn_kaifa_ma309() {
    let plain = decrypt("evn_kaifa_ma309_push");
    let p = Push::parse(&plain).unwrap();
    assert_eq!(p.mapping(), Mapping::SelfDescribing);
    // the power factor 1-0:13.7.0 has scaler -3 and unit 255 (none): no unit
    assert_readings_are(
        &p,
        "1-0:1.8.0(12937*Wh)
         1-0:2.8.0(0*Wh)
         1-0:1.7.0(0*W)
         1-0:2.7.0(0*W)
         1-0:32.7.0(233.7*V)
         1-0:52.7.0(0.0*V)
         1-0:72.7.0(0.0*V)
         1-0:31.7.0(0.00*A)
         1-0:51.7.0(0.00*A)
         1-0:71.7.0(0.00*A)
         1-0:13.7.0(1.000)",
    );
    let t = p.time().unwrap();
    assert_eq!(t.to_string(), "2021-09-27T09:47:15+02:00");
    assert_eq!(
        (t.utc_offset_minutes, t.dst, t.clock_status),
        (Some(120), Some(true), Some(0x80))
    );
    // the leading date-time and the trailing meter number carry no OBIS code
    // and are not readings, but are not errors either
    assert!(p.diagnostics().is_empty());
}

/// TINETZ (Tirol) Kaifa push, security suite 1 encryption only, key and plaintext
/// published in fneur/smart-meter-tirol doc/EXAMPLE.md.
#[test]
fn tinetz_kaifa() {
    let plain = decrypt("tirol_kaifa_push");
    let p = Push::parse(&plain)
        .unwrap()
        .with_system_title(*b"KFM\x10\x10\x00\x00\x23");
    assert_eq!(p.mapping(), Mapping::SelfDescribing);
    assert_readings_are(
        &p,
        "0-0:1.0.0(2021-07-19T15:46:35+02:00)
         0-0:96.1.0(1KFM0100000035)
         0-0:42.0.0(KFM1100100000035)
         1-0:32.7.0(230.8*V)
         1-0:31.7.0(0.00*A)
         1-0:1.7.0(0*W)
         1-0:2.7.0(0*W)
         1-0:1.8.0(9108*Wh)
         1-0:2.8.0(0*Wh)
         1-0:3.8.0(96*varh)
         1-0:4.8.0(9*varh)",
    );
    assert_eq!(p.meter_id(), Some("1KFM0100000035"));
    assert!(p.diagnostics().is_empty());
}

//! IEC 62056-21 vectors from PyPI iec62056-21 0.0.2 (tests/data/oracle/iec62056_21.json,
//! written by oracle/gen_iec.py): parsed (BCC checked) and re-encoded byte for byte.

use meterwire_core::Encode;
use meterwire_iec62056_21::iec::Message;
use meterwire_testkit::hex;

#[test]
fn agrees_with_iec62056_21() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/oracle/iec62056_21.json"
    );
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for v in j["vectors"].as_array().unwrap() {
        let bytes = hex(v["hex"].as_str().unwrap());
        let m = Message::parse(&bytes).unwrap_or_else(|e| panic!("{v}: {e}"));
        match (v["kind"].as_str().unwrap(), m) {
            ("request", Message::Request { address }) => assert_eq!(address, v["address"]),
            (
                "option_select",
                Message::OptionSelect {
                    protocol,
                    baud,
                    mode,
                },
            ) => {
                assert_eq!(char::from(protocol).to_string(), v["protocol"]);
                assert_eq!(char::from(baud).to_string(), v["baud"]);
                assert_eq!(char::from(mode).to_string(), v["mode"]);
            }
            ("command", Message::Command { kind, digit, data }) => {
                let c = v["command"].as_str().unwrap();
                assert_eq!(char::from(digit), c.chars().nth(1).unwrap());
                assert_eq!(
                    format!("{kind:?}").chars().next().unwrap(),
                    c.chars().next().unwrap(),
                    "{c}"
                );
                assert_eq!(data, v["data"].as_str());
            }
            ("answer", Message::Answer { data, partial }) => {
                assert!(!partial);
                assert_eq!(data.text(), v["data"]);
                assert!(data.data_sets().all(|d| d.is_ok()));
            }
            (k, m) => panic!("{k}: {m:?}"),
        }
        let mut out = vec![0u8; m.encoded_len()];
        assert_eq!(m.encode(&mut out).unwrap(), bytes.len());
        assert_eq!(out, bytes);
        n += 1;
    }
    assert_eq!(n, 35);
}

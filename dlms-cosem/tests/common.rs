//! Helpers shared by the test modules.

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

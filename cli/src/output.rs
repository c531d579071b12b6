//! JSON-lines records.

use serde_json::{Map, Value};

/// `{"kind": .., "message": ..}` of a rejected frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorJson {
    /// The error class (`truncated`, `checksum`, `length`, `malformed`, `unsupported`, ...).
    pub kind: String,
    /// The human message.
    pub message: String,
}

impl ErrorJson {
    /// A new error record body.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorJson {
            kind: kind.into(),
            message: message.into(),
        }
    }
}

/// One output line.
#[derive(Debug, Clone)]
pub struct Record {
    /// The `-p` name.
    pub protocol: &'static str,
    /// Decoded fields and the `--stats` label, or the error.
    pub result: Result<(String, Map<String, Value>), ErrorJson>,
    /// Stream offset of the first byte.
    pub offset: u64,
    /// The frame's (or the rejected bytes') hex.
    pub hex: String,
}

impl Record {
    /// A decoded frame.
    pub fn frame(
        protocol: &'static str,
        label: String,
        fields: Map<String, Value>,
        offset: u64,
        raw: &[u8],
    ) -> Self {
        Record {
            protocol,
            result: Ok((label, fields)),
            offset,
            hex: hex::encode(raw),
        }
    }

    /// Rejected bytes.
    pub fn rejected(protocol: &'static str, error: ErrorJson, offset: u64, raw: &[u8]) -> Self {
        Record {
            protocol,
            result: Err(error),
            offset,
            hex: hex::encode(raw),
        }
    }

    /// `true` when the frame decoded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
    }

    /// The `--stats` label (`"rejected:<kind>"` for errors).
    pub fn label(&self) -> String {
        match &self.result {
            Ok((label, _)) => label.clone(),
            Err(e) => format!("rejected:{}", e.kind),
        }
    }

    /// The JSON object printed for this record; `extra` fields follow `"protocol"`.
    pub fn to_json(&self, extra: &[(&str, Value)]) -> Value {
        let mut m = Map::new();
        m.insert("protocol".into(), Value::String(self.protocol.into()));
        for (k, v) in extra {
            m.insert((*k).into(), v.clone());
        }
        match &self.result {
            Ok((_, fields)) => {
                for (k, v) in fields {
                    if k != "protocol" {
                        m.insert(k.clone(), v.clone());
                    }
                }
            }
            Err(e) => {
                let mut err = Map::new();
                err.insert("kind".into(), Value::String(e.kind.clone()));
                err.insert("message".into(), Value::String(e.message.clone()));
                m.insert("error".into(), Value::Object(err));
                m.insert("offset".into(), Value::from(self.offset));
                m.insert("hex".into(), Value::String(self.hex.clone()));
            }
        }
        Value::Object(m)
    }
}

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

    /// The `kind` of every diagnostic the decoded frame carries, in output order.
    ///
    /// The crates serialize `"diagnostics":[{"kind","field","message"}]` only when a
    /// frame has any, on the frame or on an inner layer (e.g. DNP3 `application`),
    /// so every `"diagnostics"` array in the fields counts. Rejected records have none.
    pub fn diagnostic_kinds(&self) -> Vec<String> {
        fn walk_map(m: &Map<String, Value>, out: &mut Vec<String>) {
            for (k, v) in m {
                match v {
                    Value::Array(items) if k == "diagnostics" => {
                        for d in items {
                            let kind = d.get("kind").and_then(Value::as_str);
                            out.push(kind.unwrap_or("unknown").to_string());
                        }
                    }
                    other => walk(other, out),
                }
            }
        }
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => walk_map(m, out),
                Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Ok((_, fields)) = &self.result {
            walk_map(fields, &mut out);
        }
        out
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

//! JSON-lines records.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

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
    /// The rejected bytes (printed as `"hex"`); empty for a decoded frame, whose
    /// bytes are not printed.
    pub raw: Vec<u8>,
}

/// The two lower-case hex digits of every byte value.
#[allow(clippy::indexing_slicing)] // const evaluation only
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Appends the lower-case hex of `bytes` to `out` (one table pair per input
/// byte; no per-byte formatting machinery: the CLI prints every skipped byte).
pub fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        // a u8 always indexes the 256 pairs
        out.extend_from_slice(&HEX_PAIRS.get(usize::from(b)).copied().unwrap_or_default());
    }
}

impl Record {
    /// A decoded frame (its raw bytes are not kept: they are not printed).
    pub fn frame(
        protocol: &'static str,
        label: String,
        fields: Map<String, Value>,
        offset: u64,
        _raw: &[u8],
    ) -> Self {
        Record {
            protocol,
            result: Ok((label, fields)),
            offset,
            raw: Vec::new(),
        }
    }

    /// Rejected bytes.
    pub fn rejected(protocol: &'static str, error: ErrorJson, offset: u64, raw: &[u8]) -> Self {
        Record {
            protocol,
            result: Err(error),
            offset,
            raw: raw.to_vec(),
        }
    }

    /// `true` when the frame decoded.
    pub fn is_ok(&self) -> bool {
        self.result.is_ok()
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
                m.insert("hex".into(), Value::String(hex::encode(&self.raw)));
            }
        }
        Value::Object(m)
    }

    /// Appends the compact JSON of [`Record::to_json`] to `out` without building
    /// the `Value` (same bytes, checked by a test): the hot path of the CLI on
    /// long streams. Returns `false`, writing nothing, in the rare case it would
    /// differ (an `extra` key repeated in the fields: the map merges them).
    pub fn write_compact(&self, extra: &[(&str, Value)], out: &mut Vec<u8>) -> bool {
        if let Ok((_, fields)) = &self.result {
            if extra.iter().any(|(k, _)| fields.contains_key(*k)) {
                return false;
            }
        }
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, k: &str| {
            out.push(if first { b'{' } else { b',' });
            first = false;
            let _ = serde_json::to_writer(&mut *out, k);
            out.push(b':');
        };
        key(out, "protocol");
        let _ = serde_json::to_writer(&mut *out, self.protocol);
        for (k, v) in extra {
            key(out, k);
            let _ = serde_json::to_writer(&mut *out, v);
        }
        match &self.result {
            Ok((_, fields)) => {
                for (k, v) in fields {
                    if k != "protocol" {
                        key(out, k);
                        let _ = serde_json::to_writer(&mut *out, v);
                    }
                }
            }
            Err(e) => {
                key(out, "error");
                out.extend_from_slice(b"{\"kind\":");
                let _ = serde_json::to_writer(&mut *out, &e.kind);
                out.extend_from_slice(b",\"message\":");
                let _ = serde_json::to_writer(&mut *out, &e.message);
                out.extend_from_slice(b"},\"offset\":");
                let _ = serde_json::to_writer(&mut *out, &self.offset);
                out.extend_from_slice(b",\"hex\":\"");
                push_hex(out, &self.raw);
                out.push(b'"');
            }
        }
        out.push(b'}');
        true
    }
}

/// Prints records and counts them.
pub struct Printer {
    pretty: bool,
    rejected: usize,
    decoded: usize,
    /// Decoded frames that carry at least one diagnostic.
    with_diagnostics: usize,
    stats: BTreeMap<String, usize>,
    out: std::io::BufWriter<Box<dyn Write>>,
    /// The line being written (reused, so printing allocates nothing per record).
    line: Vec<u8>,
    /// The `rejected:<kind>` label being counted (reused).
    label: String,
}

impl Printer {
    pub fn new(pretty: bool) -> Self {
        Printer::to(pretty, Box::new(std::io::stdout()))
    }

    pub fn to(pretty: bool, out: Box<dyn Write>) -> Self {
        Printer {
            pretty,
            rejected: 0,
            decoded: 0,
            with_diagnostics: 0,
            stats: BTreeMap::new(),
            out: std::io::BufWriter::new(out),
            line: Vec::new(),
            label: String::new(),
        }
    }

    pub fn print(&mut self, rec: &Record, extra: &[(&str, Value)]) {
        if rec.is_ok() {
            self.decoded += 1;
            let kinds = rec.diagnostic_kinds();
            if !kinds.is_empty() {
                self.with_diagnostics += 1;
            }
            for k in kinds {
                *self.stats.entry(format!("diagnostic:{k}")).or_default() += 1;
            }
        } else {
            self.rejected += 1;
        }
        match &rec.result {
            Ok((label, _)) => self.count(label),
            Err(e) => {
                let mut label = std::mem::take(&mut self.label);
                label.clear();
                label.push_str("rejected:");
                label.push_str(&e.kind);
                self.count(&label);
                self.label = label;
            }
        }
        self.line.clear();
        if self.pretty || !rec.write_compact(extra, &mut self.line) {
            let v = rec.to_json(extra);
            let text = if self.pretty {
                serde_json::to_string_pretty(&v)
            } else {
                serde_json::to_string(&v)
            };
            self.line = text.unwrap_or_default().into_bytes();
        }
        self.line.push(b'\n');
        if self.out.write_all(&self.line).is_err() {
            // stdout closed (e.g. piped into `head`): stop quietly
            std::process::exit(0);
        }
    }

    /// Counts one record under `label` (allocating only for a new label).
    fn count(&mut self, label: &str) {
        match self.stats.get_mut(label) {
            Some(n) => *n += 1,
            None => {
                self.stats.insert(label.to_string(), 1);
            }
        }
    }

    /// Pushes what was printed so far to stdout (after each input chunk, so a
    /// live stream shows its frames as they arrive).
    pub fn flush(&mut self) {
        if self.out.flush().is_err() {
            std::process::exit(0);
        }
    }

    /// The `--stats` lines: totals, then a count per label (`rejected:<kind>` for
    /// errors, `diagnostic:<kind>` per diagnostic of decoded frames).
    pub fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "decoded {} ({} with diagnostics) rejected {}",
            self.decoded, self.with_diagnostics, self.rejected
        )];
        for (label, n) in &self.stats {
            lines.push(format!("{n:>8}  {label}"));
        }
        lines
    }

    /// Exit status: 0 when every frame decoded (with or without diagnostics),
    /// 1 when any was rejected (including `nonconforming` under `--strict`).
    pub fn finish(&mut self, stats: bool) -> ExitCode {
        self.flush();
        if stats {
            for line in self.summary() {
                eprintln!("{line}");
            }
        }
        if self.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use meterwire_core::{Diagnostic, DiagnosticKind};
    use serde_json::json;

    fn frame(fields: Value) -> Record {
        let Value::Object(m) = fields else {
            unreachable!()
        };
        Record::frame(
            "modbus-tcp",
            "request:read_holding_registers".into(),
            m,
            0,
            &[1, 2],
        )
    }

    #[test]
    fn diagnostics_are_printed_and_counted_and_do_not_change_the_exit_status() {
        let mut p = Printer::to(false, Box::new(std::io::sink()));
        let with = frame(json!({
            "unit_id": 5,
            "diagnostics": [
                {"kind": "non_zero_protocol_id", "field": "mbap protocol id", "message": "expected 0"},
                {"kind": "trailing_bytes", "field": "pdu", "message": "2 bytes after the pdu"}
            ]
        }));
        // an inner layer's list counts too (e.g. DNP3 application)
        let inner = frame(json!({
            "link": {"function": 4},
            "application": {"diagnostics": [{"kind": "unreassembled", "field": "transport", "message": "fir=0"}]}
        }));
        let without = frame(json!({"unit_id": 5}));
        assert_eq!(
            with.diagnostic_kinds(),
            ["non_zero_protocol_id", "trailing_bytes"]
        );
        assert_eq!(inner.diagnostic_kinds(), ["unreassembled"]);
        assert!(without.diagnostic_kinds().is_empty());
        // the field reaches the printed JSON unchanged
        let printed = with.to_json(&[]);
        assert_eq!(printed["diagnostics"][1]["kind"], "trailing_bytes");
        assert_eq!(printed["diagnostics"][0]["field"], "mbap protocol id");
        for r in [&with, &inner, &without] {
            p.print(r, &[]);
        }
        let summary = p.summary();
        assert_eq!(summary[0], "decoded 3 (2 with diagnostics) rejected 0");
        assert!(summary.contains(&format!("{:>8}  diagnostic:trailing_bytes", 1)));
        assert!(summary.contains(&format!("{:>8}  diagnostic:unreassembled", 1)));
        assert_eq!(p.finish(false), ExitCode::SUCCESS);
    }

    #[test]
    fn compact_writer_prints_what_serde_json_prints() {
        let nasty = "quote \" backslash \\ newline \n tab \t nul \u{0} unicode \u{e9}\u{1F600}";
        let mut recs = vec![
            frame(
                json!({"unit_id": 5, "protocol": "inner", "x": [1.5, -2, null, true], "s": nasty}),
            ),
            frame(json!({})),
            Record::rejected(
                "dnp3",
                ErrorJson::new("checksum", nasty),
                u64::MAX,
                &[0, 0x7f, 0x80, 0xff],
            ),
            Record::rejected("modbus-rtu", ErrorJson::new("truncated", ""), 0, &[]),
        ];
        let all: Vec<u8> = (0..=255).collect();
        recs.push(Record::rejected(
            "scm",
            ErrorJson::new("malformed", "m"),
            3,
            &all,
        ));
        let extras: [&[(&str, Value)]; 3] = [
            &[],
            &[
                ("flow", json!("10.0.0.1:1->10.0.0.2:502")),
                ("file", json!(nasty)),
            ],
            &[("n", json!({"a": [1, {"b": 2}]}))],
        ];
        for r in &recs {
            for extra in extras {
                let mut out = Vec::new();
                assert!(r.write_compact(extra, &mut out));
                let want = serde_json::to_string(&r.to_json(extra)).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want);
            }
        }
        // an extra key repeated in the fields: the map merges them, so the slow path
        let mut out = Vec::new();
        assert!(!recs[0].write_compact(&[("unit_id", json!(1))], &mut out));
        assert!(out.is_empty());
        let mut hex = Vec::new();
        push_hex(&mut hex, &all);
        assert_eq!(hex, hex::encode(&all).into_bytes());
    }

    #[test]
    fn strict_rejection_prints_nonconforming_and_exits_1() {
        let d = Diagnostic::new(
            DiagnosticKind::NonZeroProtocolId,
            "mbap protocol id",
            "expected 0",
        );
        let e = ErrorJson::from_error(&meterwire_core::Error::Nonconforming(d));
        assert_eq!(e.kind, "nonconforming");
        let rec = Record::rejected("modbus-tcp", e, 7, &[0xde, 0xad]);
        let v = rec.to_json(&[]);
        assert_eq!(v["error"]["kind"], "nonconforming");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("non_zero_protocol_id"),
            "{v}"
        );
        assert_eq!(v["offset"], 7);
        assert_eq!(v["hex"], "dead");
        let mut p = Printer::to(false, Box::new(std::io::sink()));
        p.print(&frame(json!({"unit_id": 1})), &[]);
        p.print(&rec, &[]);
        assert_eq!(p.summary()[0], "decoded 1 (0 with diagnostics) rejected 1");
        assert!(
            p.summary()
                .contains(&format!("{:>8}  rejected:nonconforming", 1))
        );
        assert_eq!(p.finish(false), ExitCode::from(1));
    }
}

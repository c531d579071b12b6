//! Demo samples: `cli/samples/<name>.txt`, one sample per line
//! (`title<TAB>source<TAB>direction<TAB>hex`, `#` comments; see `cli/samples/README.md`),
//! compiled in with `include_str!` and parsed once at first use.

use crate::protocols::{Direction, Sample};
use std::sync::OnceLock;

/// `(protocol name, file text)`; a protocol with samples adds one line here.
static FILES: &[(&str, &str)] = &[
    ("modbus-tcp", include_str!("../samples/modbus-tcp.txt")),
    ("modbus-rtu", include_str!("../samples/modbus-rtu.txt")),
    ("modbus-ascii", include_str!("../samples/modbus-ascii.txt")),
    ("dnp3", include_str!("../samples/dnp3.txt")),
    ("dlms-hdlc", include_str!("../samples/dlms-hdlc.txt")),
    ("dlms-wrapper", include_str!("../samples/dlms-wrapper.txt")),
    ("dlms-apdu", include_str!("../samples/dlms-apdu.txt")),
    ("c1218", include_str!("../samples/c1218.txt")),
    ("c1222", include_str!("../samples/c1222.txt")),
    ("scm", include_str!("../samples/scm.txt")),
    ("scm-plus", include_str!("../samples/scm-plus.txt")),
    ("idm", include_str!("../samples/idm.txt")),
    ("netidm", include_str!("../samples/netidm.txt")),
    ("r900", include_str!("../samples/r900.txt")),
    ("r900-bcd", include_str!("../samples/r900-bcd.txt")),
    ("p1", include_str!("../samples/p1.txt")),
    ("iec62056-21", include_str!("../samples/iec62056-21.txt")),
];

/// Parses one samples file.
pub fn parse(text: &'static str) -> Result<Vec<Sample>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [title, source, direction, hex] = fields[..] else {
            return Err(format!(
                "line {}: expected 4 TAB-separated fields, got {}",
                n + 1,
                fields.len()
            ));
        };
        let direction = match direction.trim() {
            "-" => None,
            "request" => Some(Direction::Request),
            "response" => Some(Direction::Response),
            other => return Err(format!("line {}: bad direction {other:?}", n + 1)),
        };
        out.push(Sample {
            title: title.trim(),
            source: source.trim(),
            hex: hex.trim(),
            direction,
        });
    }
    Ok(out)
}

/// The samples of protocol `name` (empty when it has none). The files are checked
/// by a test, so a malformed built-in file cannot ship; at run time it yields none.
pub fn of(name: &str) -> &'static [Sample] {
    static PARSED: OnceLock<Vec<(&'static str, Vec<Sample>)>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| (*name, parse(text).unwrap_or_default()))
            .collect()
    });
    all.iter()
        .find(|(n, _)| *n == name)
        .map_or(&[], |(_, s)| s.as_slice())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn every_file_parses_and_belongs_to_a_protocol() {
        for (name, text) in FILES {
            let samples = parse(text).unwrap_or_else(|e| panic!("{name}.txt: {e}"));
            assert!(!samples.is_empty(), "{name}.txt has no sample");
            assert!(crate::protocols::find(name).is_some(), "{name}");
            for s in &samples {
                assert!(!s.title.is_empty() && !s.source.is_empty(), "{name}");
                crate::input::parse_hex(s.hex).unwrap();
            }
            assert_eq!(of(name), samples.as_slice());
        }
        assert!(of("no-such-protocol").is_empty());
    }

    #[test]
    fn format_errors_name_the_line() {
        assert_eq!(
            parse("# c\n\nt\ts\trequest\t0102\nt2\ts2\t-\t03\n").unwrap(),
            [
                Sample {
                    title: "t",
                    source: "s",
                    hex: "0102",
                    direction: Some(Direction::Request)
                },
                Sample {
                    title: "t2",
                    source: "s2",
                    hex: "03",
                    direction: None
                }
            ]
        );
        assert_eq!(
            parse("a\tb\tc\n").unwrap_err(),
            "line 1: expected 4 TAB-separated fields, got 3"
        );
        assert_eq!(
            parse("a\tb\tup\t00\n").unwrap_err(),
            "line 1: bad direction \"up\""
        );
    }
}

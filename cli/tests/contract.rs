//! The CLI contract that does not depend on a protocol: names, usage errors, exit codes.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::meterwire;

#[test]
fn protocols_lists_every_name_exactly() {
    let (code, out, _) = meterwire(&["protocols"]);
    assert_eq!(code, 0);
    let names: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "auto",
            "modbus-tcp",
            "modbus-rtu",
            "modbus-ascii",
            "dnp3",
            "dlms-hdlc",
            "dlms-wrapper",
            "dlms-apdu",
            "c1218",
            "c1222",
            "scm",
            "scm-plus",
            "idm",
            "netidm",
            "r900",
            "r900-bcd",
            "p1",
            "iec62056-21"
        ]
    );
}

#[test]
fn no_arguments_prints_usage() {
    let (code, out, err) = meterwire(&[]);
    assert_eq!(code, 2);
    assert!(
        format!("{out}{err}").contains("Usage: meterwire"),
        "{out}{err}"
    );
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &["decode", "-p", "nope", "--hex", "00"][..],
        &["decode", "-p", "modbus-tcp", "--hex", "0g"][..],
        &["decode", "-p", "modbus-tcp", "/nonexistent/file.bin"][..],
        &["decode", "-p", "modbus-tcp"][..],
    ] {
        let (code, out, err) = meterwire(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("meterwire: "), "{args:?}: {err}");
    }
}

#[test]
fn unknown_protocol_names_the_known_ones() {
    let (_, _, err) = meterwire(&["decode", "-p", "modbus", "--hex", "00"]);
    assert!(err.contains("unknown protocol \"modbus\""), "{err}");
    assert!(err.contains("modbus-tcp"), "{err}");
}

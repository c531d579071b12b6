//! `-p auto`: per pcap flow from the well-known port or by probing the first bytes,
//! per hex frame by trying every protocol, and for raw streams from the first bytes.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::run;
use serde_json::Value;

fn h(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap()
}

// cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frames 24 and 26
const MODBUS_REQ: &str = "000600000006050300010008";
const MODBUS_RESP: &str = "00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1";
// zeek/zeek testing/btest/Traces/dnp3/dnp3_read.pcap, frame 4 (integrity poll)
const DNP3_POLL: &str = "056414c4020003004503c7c8013c02063c03063c04063c010642ac";
// zeek/zeek testing/btest/Traces/dnp3/dnp3.pcap, frame 4 (unsolicited null response)
const DNP3_NULL: &str = "05640a44030004007caee6f78210004fbd";

use meterwire_testkit::pcap::{file as pcap, tcp, udp};

fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("meterwire-auto-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn mixed_capture_decodes_modbus_and_dnp3_in_one_run() {
    let file = pcap(&[
        tcp(40000, 502, 1, &h(MODBUS_REQ)),
        tcp(40001, 20000, 7, &h(DNP3_POLL)),
        tcp(502, 40000, 100, &h(MODBUS_RESP)),
        // DNP3 on a port no protocol claims: found by probing the first bytes
        tcp(20001, 40002, 50, &h(DNP3_NULL)),
        udp(20000, 40003, &h(DNP3_NULL)),
        // unrelated traffic: skipped, not reported as errors
        tcp(40004, 8080, 1, b"GET / HTTP/1.1\r\nHost: example\r\n\r\n"),
        udp(5353, 5353, &[0u8; 40]),
    ]);
    let path = temp("mixed.pcap", &file);
    let (code, rows) = run(&["decode", "-p", "auto", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{rows:?}");
    let summary: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["protocol"].as_str().unwrap().to_string(),
                r["flow"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        summary,
        [
            s("modbus-tcp", "10.0.0.1:40000->10.0.0.2:502"),
            s("dnp3", "10.0.0.1:40001->10.0.0.2:20000"),
            s("modbus-tcp", "10.0.0.1:502->10.0.0.2:40000"),
            s("dnp3", "10.0.0.1:20001->10.0.0.2:40002"),
            s("dnp3", "10.0.0.1:20000->10.0.0.2:40003"),
        ]
    );
    // values, with the direction from the port
    assert_eq!(rows[0]["direction"], "request");
    assert_eq!(rows[0]["quantity"], 8);
    assert_eq!(rows[2]["direction"], "response");
    assert_eq!(rows[2]["registers"][0], 0xaa);
    assert_eq!(rows[1]["link"]["destination"], 2);
    assert_eq!(rows[1]["link"]["source"], 3);
    assert_eq!(rows[1]["application"]["objects"][0]["group"], 60);
    // the probed flow (a complete frame in its first bytes) and the UDP one
    assert_eq!(rows[3]["link"]["source"], 4);
    assert_eq!(rows[3]["link"]["destination"], 3);
    assert_eq!(rows[4]["link"]["source"], 4);

    // the same capture with one protocol: only its flows (and the probed one)
    let (code, rows) = run(&["decode", "-p", "dnp3", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["protocol"] == "dnp3"));
}

#[test]
fn hex_frames_report_the_protocol_chosen() {
    let (code, rows) = run(&[
        "decode",
        "-p",
        "auto",
        "--hex",
        MODBUS_REQ,
        DNP3_POLL,
        // Modbus Application Protocol V1.1b3 6.3 example in RTU framing
        "1103006b00037687",
        "0001020304",
    ]);
    assert_eq!(code, 1, "the last one is no protocol's frame");
    let protos: Vec<&str> = rows
        .iter()
        .map(|r| r["protocol"].as_str().unwrap())
        .collect();
    assert_eq!(protos, ["modbus-tcp", "dnp3", "modbus-rtu", "auto"]);
    assert_eq!(rows[0]["unit_id"], 5);
    assert_eq!(rows[2]["starting_address"], 107);
    assert_eq!(rows[3]["error"]["kind"], "unsupported");
    assert_eq!(rows[3]["hex"], "0001020304");
}

#[test]
fn raw_stream_protocol_from_the_first_bytes() {
    let mut raw = h(DNP3_POLL);
    raw.extend(h(DNP3_NULL));
    let path = temp("dnp3.bin", &raw);
    let (code, rows) = run(&["decode", "-p", "auto", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["protocol"] == "dnp3"));
    assert_eq!(rows[1]["offset"], Value::Null);
    assert_eq!(rows[1]["link"]["source"], 4);

    let path = temp("noise.bin", &[0x42; 100]);
    let (code, rows) = run(&["decode", "-p", "auto", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["protocol"], "auto");
}

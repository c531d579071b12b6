//! End to end through the binary: pcap input (TCP streams and UDP flows), the demo,
//! raw streams and hex files, with decoded values checked.
#![allow(missing_docs, clippy::unwrap_used, clippy::indexing_slicing)]

mod common;
use common::run;
use serde_json::Value;

/// `meterwire decode -p <protocol> <file>`.
fn decode(protocol: &str, file: &str) -> (i32, Vec<Value>) {
    run(&["decode", "-p", protocol, file])
}

fn errors(rows: &[Value]) -> Vec<&Value> {
    rows.iter().filter(|r| r.get("error").is_some()).collect()
}

#[test]
fn modbus_tcp_pcap_directions_from_port_and_malformed_frames_reported() {
    // cisagov/icsnpp-modbus testing/traces/modbus_example.pcap
    let (code, rows) = decode("modbus-tcp", "modbus/tests/data/icsnpp_modbus_example.pcap");
    // the capture holds FC20/21 frames with byte count 0 (frames 64-70): decoded
    // with an out_of_range diagnostic (issue 12), rejected with --strict
    assert_eq!(code, 0, "{:?}", errors(&rows));
    assert_eq!(rows.len(), 48);
    let diagnosed: Vec<&Value> = rows
        .iter()
        .filter(|r| r.get("diagnostics").is_some())
        .collect();
    assert_eq!(diagnosed.len(), 4);
    for r in &diagnosed {
        assert_eq!(r["diagnostics"][0]["kind"], "out_of_range");
        assert!(r["function_code"] == 20 || r["function_code"] == 21);
    }
    let (code, strict_rows) = run(&[
        "decode",
        "-p",
        "modbus-tcp",
        "--strict",
        "modbus/tests/data/icsnpp_modbus_example.pcap",
    ]);
    assert_eq!(code, 1);
    assert_eq!(strict_rows.len(), 48);
    let errs = errors(&strict_rows);
    assert_eq!(errs.len(), 4);
    for e in &errs {
        assert_eq!(e["error"]["kind"], "nonconforming");
        assert!(e["offset"].is_u64() && e["hex"].is_string());
    }
    let first = &rows[0];
    assert_eq!(first["protocol"], "modbus-tcp");
    assert_eq!(first["flow"], "127.0.0.1:47785->127.0.0.1:502");
    assert_eq!(first["direction"], "request");
    assert_eq!(first["function_code"], 1);
    assert_eq!(first["unit_id"], 4);
    assert!(
        rows.iter()
            .filter(|r| r["flow"] == "127.0.0.1:502->127.0.0.1:47785")
            .all(|r| r.get("error").is_some() || r["direction"] == "response")
    );
}

#[test]
fn dnp3_udp_flow_keeps_transport_state_across_datagrams() {
    // zeek/zeek testing/btest/Traces/dnp3/dnp3_udp_read.pcap: a response fragment
    // spread over several datagrams must reassemble, not fail with "no FIR".
    let (code, rows) = decode("dnp3", "dnp3-lite/tests/data/captures/dnp3_udp_read.pcap");
    assert_eq!(code, 0, "{:?}", errors(&rows));
    assert_eq!(rows.len(), 23);
    let apps: Vec<&Value> = rows.iter().filter_map(|r| r.get("application")).collect();
    assert!(
        apps.iter()
            .any(|a| a["function"] == 129 || a["function"] == "response"),
        "{apps:?}"
    );
}

#[test]
fn demo_decodes_every_protocol_without_error() {
    let (code, rows) = run(&["demo"]);
    assert_eq!(code, 0, "{:?}", errors(&rows));
    let mut protos: Vec<&str> = rows
        .iter()
        .map(|r| r["protocol"].as_str().unwrap())
        .collect();
    protos.dedup();
    // every name `meterwire protocols` lists (but `auto`) has demo samples
    let (_, names, _) = common::meterwire(&["protocols"]);
    let names: Vec<&str> = names
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "auto")
        .collect();
    assert_eq!(names.len(), 17);
    for p in names {
        assert!(protos.contains(&p), "demo lacks {p}");
    }
    assert!(
        rows.iter()
            .all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty()))
    );
}

#[test]
fn raw_stream_file_resyncs_and_hex_file_reads_lines() {
    let dir = std::env::temp_dir().join(format!("meterwire-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // two Modbus TCP frames with garbage between them, as a raw byte stream
    let mut raw = hex::decode("000600000006050300010008").unwrap();
    raw.extend_from_slice(&[0xde, 0xad]);
    raw.extend(hex::decode("00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1").unwrap());
    let bin = dir.join("stream.bin");
    std::fs::write(&bin, &raw).unwrap();
    let (code, rows) = run(&["decode", "-p", "modbus-tcp", bin.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["quantity"], 8);
    assert_eq!(rows[1]["offset"], 12);
    assert_eq!(rows[1]["hex"], "dead");
    assert_eq!(rows[2]["registers"].as_array().unwrap().len(), 8);
    assert_eq!(rows[2]["registers"][0], 0xaa);

    let txt = dir.join("frames.hex");
    std::fs::write(
        &txt,
        "# RTU request and response\n11 03 00 6B 00 03 76 87\n\n",
    )
    .unwrap();
    let (code, rows) = run(&["decode", "-p", "modbus-rtu", txt.to_str().unwrap()]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["address"], 17);
    assert_eq!(rows[0]["starting_address"], 107);
    assert_eq!(rows[0]["quantity"], 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

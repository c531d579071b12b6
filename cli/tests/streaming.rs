//! The CLI streams: a frame written to stdin is printed before stdin is closed
//! (`cat /dev/ttyUSB0 | meterwire decode -p modbus-rtu -`), for raw and hex-line input.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Starts `meterwire ARGS -`, returns its stdin and a channel of stdout lines.
fn spawn(args: &[&str]) -> (std::process::Child, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_meterwire"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn next(rx: &mpsc::Receiver<String>) -> Value {
    let line = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("no record printed while stdin is still open");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn raw_stdin_frames_print_before_stdin_closes() {
    let (mut child, rx) = spawn(&["decode", "-p", "modbus-rtu", "--direction", "request", "-"]);
    let mut stdin = child.stdin.take().unwrap();
    // Modbus Application Protocol V1.1b3 6.3 example in RTU framing: read 3 holding
    // registers from 107, unit 0x11; written in two pieces
    stdin.write_all(&[0x11, 0x03, 0x00]).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stdin.write_all(&[0x6b, 0x00, 0x03, 0x76, 0x87]).unwrap();
    stdin.flush().unwrap();
    let r = next(&rx);
    assert_eq!(r["protocol"], "modbus-rtu");
    assert_eq!(r["address"], 17);
    assert_eq!(r["starting_address"], 107);
    assert_eq!(r["quantity"], 3);
    // a second frame on the still-open pipe
    stdin
        .write_all(&[0x11, 0x03, 0x00, 0x6b, 0x00, 0x03, 0x76, 0x87])
        .unwrap();
    stdin.flush().unwrap();
    assert_eq!(next(&rx)["quantity"], 3);
    drop(stdin);
    assert!(
        rx.recv_timeout(Duration::from_secs(20)).is_err(),
        "nothing more"
    );
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn hex_lines_on_stdin_print_line_by_line() {
    let (mut child, rx) = spawn(&["decode", "-p", "modbus-tcp", "--format", "hex", "-"]);
    let mut stdin = child.stdin.take().unwrap();
    // cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 24
    writeln!(stdin, "# a comment\n00 06 00 00 00 06 05 03 00 01 00 08").unwrap();
    stdin.flush().unwrap();
    let r = next(&rx);
    assert_eq!(r["unit_id"], 5);
    assert_eq!(r["quantity"], 8);
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn pcap_on_stdin_decodes_like_the_file() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    // cisagov/icsnpp-modbus testing/traces/modbus_example.pcap
    let path = format!("{root}/modbus/tests/data/icsnpp_modbus_example.pcap");
    let file = Command::new(env!("CARGO_BIN_EXE_meterwire"))
        .args(["decode", "-p", "modbus-tcp", "--stats", &path])
        .output()
        .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_meterwire"))
        .args(["decode", "-p", "modbus-tcp", "--format", "pcap", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        // in small pieces, as a pipe from a capture tool delivers them
        for piece in bytes.chunks(7) {
            stdin.write_all(piece).unwrap();
        }
    });
    let piped = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    assert_eq!(piped.status.code(), file.status.code());
    assert_eq!(
        String::from_utf8(piped.stdout).unwrap(),
        String::from_utf8(file.stdout.clone()).unwrap()
    );
    let out = String::from_utf8(file.stdout).unwrap();
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 48);
    let rejected = rows.iter().filter(|r| r.get("error").is_some()).count();
    let with_diags = rows
        .iter()
        .filter(|r| {
            r.get("diagnostics")
                .is_some_and(|d| d.as_array().is_some_and(|a| !a.is_empty()))
        })
        .count();
    // --stats: totals (frames with diagnostics counted), then per label
    let stats = String::from_utf8(file.stderr).unwrap();
    assert_eq!(
        stats.lines().next().unwrap(),
        format!(
            "decoded {} ({with_diags} with diagnostics) rejected {rejected}",
            48 - rejected
        ),
        "{stats}"
    );
    assert!(stats.contains("request:read_coils"), "{stats}");
}

/// Constant memory (issue 18), at CI size: 24 MiB of noise through stdin while the
/// child's peak RSS (`VmHWM`) is read before stdin closes. Reading the whole input
/// first, as the CLI once did, would need more than 24 MiB.
#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_on_a_large_noisy_stream() {
    const TOTAL: usize = 24 << 20;
    let mut child = Command::new(env!("CARGO_BIN_EXE_meterwire"))
        .args(["decode", "-p", "dnp3", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let mut stdin = child.stdin.take().unwrap();
    // xorshift noise with a DNP3 start (0x05 0x64) now and then, so the framer
    // also buffers header candidates
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut block = vec![0u8; 1 << 16];
    for _ in 0..TOTAL / block.len() {
        for (i, b) in block.iter_mut().enumerate() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = if i % 997 == 0 {
                0x05
            } else if i % 997 == 1 {
                0x64
            } else {
                x as u8
            };
        }
        stdin.write_all(&block).unwrap();
    }
    stdin.flush().unwrap();
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap();
    let hwm_kib: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    drop(stdin);
    let code = child.wait().unwrap().code();
    reader.join().unwrap().unwrap();
    assert_eq!(code, Some(1), "noise gives rejected records");
    assert!(
        hwm_kib < 16 * 1024,
        "peak RSS {hwm_kib} KiB for a {} MiB stream",
        TOTAL >> 20
    );
}

//! Realistic streams (issue 17): per protocol, 50 MB made of the CLI's real
//! sample frames (cli/samples/<protocol>.txt, in file order, repeated) with 1 %
//! of the bytes corrupted (deterministic xorshift), pushed through core's
//! `FrameReader` and the protocol's stack framer in 1,460-byte chunks (one TCP
//! segment each), so resync runs after every corrupted frame. Every event's
//! offset and length are folded into the returned checksum.
//!
//! Throughput is bytes (MB/s in the report); the frames per pass are printed
//! once per case, so frames/s = frames per pass / time per pass. The size
//! comes from `MW_STREAM_MB` (default 50).
//!
//! `cargo bench -p meterwire-benches --bench streams`
#![allow(
    missing_docs,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]
use criterion::{Criterion, Throughput, black_box};
use meterwire_ansi_c1222 as c12;
use meterwire_benches::CpuTime;
use meterwire_core::{Event, FrameReader, Framer};
use meterwire_dlms_cosem as dlms;
use meterwire_dnp3_lite as dnp3;
use meterwire_iec62056_21 as p1;
use meterwire_modbus as modbus;
use meterwire_scm_idm as scm;
use std::time::Duration;

/// One TCP segment.
const CHUNK: usize = 1460;

fn stream_bytes() -> usize {
    std::env::var("MW_STREAM_MB")
        .ok()
        .and_then(|v| v.parse::<f64>().ok())
        .map_or(50_000_000, |mb| (mb * 1e6) as usize)
}

/// The sample frames of `cli/samples/<name>.txt`, in file order.
fn samples(name: &str) -> Vec<Vec<u8>> {
    let path = format!("{}/../cli/samples/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let h: String = l
                .rsplit('\t')
                .next()
                .unwrap()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            hex::decode(h).unwrap()
        })
        .collect()
}

/// `len` bytes of the frames repeated in order, then 1 % of the bytes
/// (positions from a xorshift) XORed with a non-zero value.
fn corrupted_stream(frames: &[Vec<u8>], len: usize) -> Vec<u8> {
    let mut s = Vec::with_capacity(len + 4096);
    while s.len() < len {
        for f in frames {
            s.extend_from_slice(f);
        }
    }
    s.truncate(len);
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..len / 100 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let at = (x % len as u64) as usize;
        s[at] ^= ((x >> 40) as u8).max(1);
    }
    s
}

/// Pushes `stream` in chunks through `framer`; returns (frames, checksum).
fn run<F: Framer>(framer: F, stream: &[u8]) -> (u64, u64) {
    let mut r = FrameReader::new(framer, Vec::new());
    let mut frames = 0u64;
    let mut acc = 0u64;
    let mut drain = |r: &mut FrameReader<F, Vec<u8>>| {
        while let Some(ev) = r.next_event() {
            let (kind, offset, len) = match ev {
                Event::Frame { offset, raw, .. } => {
                    frames += 1;
                    (1, offset, raw.len())
                }
                Event::Error {
                    offset, skipped, ..
                } => (2, offset, skipped.len()),
                Event::Truncated { offset, rest, .. } => (3, offset, rest.len()),
            };
            acc = acc
                .rotate_left(5)
                .wrapping_add(kind ^ offset ^ (len as u64) << 3);
        }
    };
    for chunk in stream.chunks(CHUNK) {
        let mut data = chunk;
        while !data.is_empty() {
            let n = match r.push(data) {
                Ok(()) => data.len(),
                Err(e) => e.accepted,
            };
            data = &data[n..];
            drain(&mut r);
        }
    }
    r.finish();
    drain(&mut r);
    (frames, acc)
}

fn case<F: Framer>(c: &mut Criterion<CpuTime>, name: &str, sample: &str, make: fn() -> F) {
    let len = stream_bytes();
    let stream = corrupted_stream(&samples(sample), len);
    let (frames, _) = run(make(), &stream);
    eprintln!(
        "streams/{name}: {len} bytes, {} sample frames, {frames} frames per pass",
        samples(sample).len()
    );
    assert!(frames > 0, "{name}: no frame decoded");
    let mut g = c.benchmark_group(format!("streams/{name}_chunked_1pct"));
    g.throughput(Throughput::Bytes(len as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    g.bench_function("meterwire", |b| {
        b.iter(|| black_box(run(make(), black_box(&stream))))
    });
    g.finish();
}

fn streams(c: &mut Criterion<CpuTime>) {
    case(c, "modbus_tcp", "modbus-tcp", modbus::TcpFramer::new);
    case(c, "modbus_rtu", "modbus-rtu", modbus::RtuFramer::new);
    case(c, "modbus_ascii", "modbus-ascii", modbus::AsciiFramer::new);
    case(c, "dnp3", "dnp3", dnp3::stack::Dnp3Framer::new);
    case(c, "dlms_hdlc", "dlms-hdlc", dlms::stack::DlmsFramer::hdlc);
    case(
        c,
        "dlms_wrapper",
        "dlms-wrapper",
        dlms::stack::DlmsFramer::wrapper,
    );
    case(c, "c1218", "c1218", c12::stack::C1218Framer::new);
    case(c, "c1222", "c1222", c12::stack::C1222Framer::new);
    case(c, "scm", "scm", || scm::ScmFramer::new().correct());
    case(c, "idm", "idm", scm::IdmFramer::new);
    case(c, "r900", "r900", || scm::R900Framer::new().correct());
    case(c, "p1", "p1", p1::p1::P1Framer::new);
}

meterwire_benches::main!(streams);

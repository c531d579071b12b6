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
use criterion::{Criterion, Throughput, black_box};
use meterwire_ansi_c1222 as c12;
use meterwire_benches::{CpuTime, bench_iter, cli_samples, corrupted_stream, run_chunked};
use meterwire_core::Framer;
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

fn case<F: Framer>(c: &mut Criterion<CpuTime>, name: &str, sample: &str, make: fn() -> F) {
    let len = stream_bytes();
    let samples = cli_samples(sample).unwrap_or_default();
    let stream = corrupted_stream(&samples, len);
    let (frames, _) = run_chunked(make(), &stream, CHUNK);
    eprintln!(
        "streams/{name}: {len} bytes, {} sample frames, {frames} frames per pass",
        samples.len()
    );
    assert!(frames > 0, "{name}: no frame decoded");
    let mut g = c.benchmark_group(format!("streams/{name}_chunked_1pct"));
    g.throughput(Throughput::Bytes(len as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    bench_iter!(g, "meterwire", || {
        black_box(run_chunked(make(), black_box(&stream), CHUNK))
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

//! Shared helpers for the meterwire criterion benchmarks (see `benches/`).
//!
//! Ids follow `protocol/case/implementation` (`bare_*` for floors such as a bare
//! CRC or a pre-keyed cipher, `ref_*` for reference implementations that are not
//! crates.io peers), throughput is `Throughput::Bytes`, and every bench file
//! measures thread CPU time with [`CpuTime`] through [`config`]: the 2-core
//! machines these figures come from are shared with other builds, and CPU time is
//! what a decoder costs whatever else runs. `benches/report.py` turns
//! `target/criterion` into the table of `benches/README.md`.

use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use meterwire_core::{Event, FrameReader, Framer};
use std::time::Duration;

/// Repeats `frame` until at least `min_len` bytes: a stream for throughput runs.
pub fn stream_of(frame: &[u8], min_len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(min_len + frame.len());
    while v.len() < min_len && !frame.is_empty() {
        v.extend_from_slice(frame);
    }
    v
}

/// The sample frames of `cli/samples/<name>.txt` (real frames, each with its
/// public source), in file order: the last tab-separated field of every line
/// that is not a `#` comment, as hex.
pub fn cli_samples(name: &str) -> std::io::Result<Vec<Vec<u8>>> {
    let path = format!("{}/../cli/samples/{name}.txt", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path)?;
    let mut frames = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let hex: String = line
            .rsplit('\t')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut frame = vec![0u8; hex.len() / 2];
        let n = meterwire_core::hex::decode_hex_into(hex.as_bytes(), &mut frame)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, line.to_owned()))?;
        frame.truncate(n);
        frames.push(frame);
    }
    Ok(frames)
}

/// `len` bytes of `frames` repeated in order, then one byte in a hundred (at
/// positions from a fixed xorshift) XORed with a non-zero value: a realistic
/// stream with 1 % corrupted bytes, the same on every run.
pub fn corrupted_stream(frames: &[Vec<u8>], len: usize) -> Vec<u8> {
    let mut s = Vec::with_capacity(len.saturating_add(4096));
    while s.len() < len && frames.iter().any(|f| !f.is_empty()) {
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
        let at = usize::try_from(x % len as u64).unwrap_or(0);
        if let Some(b) = s.get_mut(at) {
            *b ^= ((x >> 40) as u8).max(1);
        }
    }
    s
}

/// Pushes `stream` through `framer` in `chunk`-byte pieces (a socket's
/// segments) via core's `FrameReader`, pulling every event; returns the frame
/// count and a checksum folding every event's kind, offset and length.
pub fn run_chunked<F: Framer>(framer: F, stream: &[u8], chunk: usize) -> (u64, u64) {
    let mut r = FrameReader::new(framer, Vec::new());
    let mut frames = 0u64;
    let mut acc = 0u64;
    let mut drain = |r: &mut FrameReader<F, Vec<u8>>| {
        while let Some(ev) = r.next_event() {
            let (kind, offset, len) = match ev {
                Event::Frame { offset, raw, .. } => {
                    frames = frames.wrapping_add(1);
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
    for piece in stream.chunks(chunk.max(1)) {
        let mut data = piece;
        while !data.is_empty() {
            let n = match r.push(data) {
                Ok(()) => data.len(),
                Err(e) => e.accepted,
            };
            data = data.get(n..).unwrap_or(&[]);
            drain(&mut r);
        }
    }
    r.finish();
    drain(&mut r);
    (frames, acc)
}

/// Criterion measurement in thread CPU time (CLOCK_THREAD_CPUTIME_ID); values
/// and formatting as `WallTime`.
pub struct CpuTime(pub WallTime);

impl Measurement for CpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = Duration;
    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }
    fn end(&self, i: Self::Intermediate) -> Self::Value {
        i.elapsed()
    }
    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        *v1 + *v2
    }
    fn zero(&self) -> Self::Value {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.0.formatter()
    }
}

/// The criterion configuration every bench file uses: thread CPU time.
pub fn config() -> Criterion<CpuTime> {
    Criterion::default().with_measurement(CpuTime(WallTime))
}

/// Interleaved rounds for cases whose criterion medians come out bimodal on a
/// loaded machine: `rounds` times, each case runs `per_round` calls in turn;
/// returns each case's best round in wall-clock ns per call.
pub fn interleaved_best<R>(rounds: usize, per_round: u32, cases: &[&dyn Fn() -> R]) -> Vec<f64> {
    let mut best = vec![f64::MAX; cases.len()];
    for _round in 0..rounds {
        for (f, b) in cases.iter().zip(best.iter_mut()) {
            let t = std::time::Instant::now();
            for _ in 0..per_round {
                std::hint::black_box(f());
            }
            *b = b.min(t.elapsed().as_secs_f64() * 1e9 / f64::from(per_round));
        }
    }
    best
}

/// The end of every bench file: `criterion_group!` named `benches` with
/// [`config`] (thread CPU time) over the given functions, and `criterion_main!`.
///
/// With `when "VAR" => other;` first, `main` runs `other()` instead when the
/// environment variable `VAR` is set (e.g. interleaved rounds).
///
/// ```ignore
/// meterwire_benches::main!(single, stream);
/// meterwire_benches::main!(when "DLMS_INTERLEAVED" => interleaved; bench, peer);
/// ```
#[macro_export]
macro_rules! main {
    (when $var:literal => $other:path; $($target:path),+ $(,)?) => {
        criterion::criterion_group! {
            name = benches;
            config = $crate::config();
            targets = $($target),+
        }
        fn main() {
            if std::env::var_os($var).is_some() {
                $other();
                return;
            }
            benches();
            $crate::config().configure_from_args().final_summary();
        }
    };
    ($($target:path),+ $(,)?) => {
        criterion::criterion_group! {
            name = benches;
            config = $crate::config();
            targets = $($target),+
        }
        criterion::criterion_main!(benches);
    };
}

/// `bench_iter!(g, case, implementation, routine)`: times `routine` in group `g` as
/// `case/implementation` (a `BenchmarkId`), run by `Bencher::iter`; expands to the
/// `g.bench_function(BenchmarkId::new(case, implementation), |b| b.iter(routine))`
/// of every case. `bench_iter!(g, id, routine)` does the same under a string id
/// (`"case/implementation"`, the form most bench files use; criterion stores the two
/// under different directories, so each file keeps its own).
///
/// A macro rather than a function: the timed loop stays exactly that code (through
/// a function, the routine called via a reference made a 1.4 ns decode measurably
/// slower).
#[macro_export]
macro_rules! bench_iter {
    ($g:expr, $case:expr, $implementation:expr, $routine:expr $(,)?) => {
        $g.bench_function(criterion::BenchmarkId::new($case, $implementation), |b| {
            b.iter($routine)
        })
    };
    ($g:expr, $id:expr, $routine:expr $(,)?) => {
        $g.bench_function($id, |b| b.iter($routine))
    };
}

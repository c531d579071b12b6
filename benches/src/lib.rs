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
use std::time::Duration;

/// Repeats `frame` until at least `min_len` bytes: a stream for throughput runs.
pub fn stream_of(frame: &[u8], min_len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(min_len + frame.len());
    while v.len() < min_len && !frame.is_empty() {
        v.extend_from_slice(frame);
    }
    v
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

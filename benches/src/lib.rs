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

/// The end of every bench file: `criterion_group!` named `benches` with
/// [`config`] (thread CPU time) over the given functions, and `criterion_main!`.
///
/// ```ignore
/// meterwire_benches::main!(single, stream);
/// ```
#[macro_export]
macro_rules! main {
    ($($target:path),+ $(,)?) => {
        criterion::criterion_group! {
            name = benches;
            config = $crate::config();
            targets = $($target),+
        }
        criterion::criterion_main!(benches);
    };
}

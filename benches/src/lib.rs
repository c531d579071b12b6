//! Shared helpers for the meterwire criterion benchmarks (see `benches/`).
//!
//! Ids follow `protocol/case/implementation`, throughput is `Throughput::Bytes`.

/// Repeats `frame` until at least `min_len` bytes: a stream for throughput runs.
pub fn stream_of(frame: &[u8], min_len: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(min_len + frame.len());
    while v.len() < min_len && !frame.is_empty() {
        v.extend_from_slice(frame);
    }
    v
}

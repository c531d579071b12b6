//! The integration tests, one binary (one link instead of six on a small machine):
//! golden frames, oracle vectors, property tests, streaming, tolerated departures,
//! fuzz corpus replay. `tests/resync.rs` (timing) stays apart.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used
)]

#[path = "../common/strategies.rs"]
mod strategies;

mod fuzz_replay;
mod golden;
mod oracle;
mod proptest;
mod streaming;
mod tolerated;

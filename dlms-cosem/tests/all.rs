//! The crate's integration tests, one test binary (one link instead of fifteen; the
//! test-only lint allowances stated once). Each module is one concern; see its header.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod common;
mod fuzz_replay;
mod fuzz_replay_api;
mod golden;
mod mbus;
mod oracle;
mod proptest;
mod readings;
mod readings_encrypted;
mod readings_fuzz_replay;
mod readings_proptest;
mod security_fuzz_replay;
mod security_hls_gbt;
mod security_roundtrip;
#[cfg(feature = "crypto")]
mod security_support;
mod security_vectors;
mod stack;
mod streaming;

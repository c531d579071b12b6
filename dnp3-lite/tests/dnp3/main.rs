//! The integration tests of meterwire-dnp3-lite, one test binary: golden captures,
//! layer rules, diagnostics, the tshark oracle, property tests, streaming properties
//! and the fuzz corpus replay (one module each).
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

mod common;
mod diagnostics;
mod fuzz_replay;
mod golden;
mod layers;
mod oracle;
mod proptests;
mod streaming;

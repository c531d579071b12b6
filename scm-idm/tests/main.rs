//! The integration tests of this crate, one test binary (one link, one lint header):
//! each module is a file beside this one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects,
    clippy::needless_range_loop,
    missing_docs
)]

mod correction;
mod fuzz_replay;
mod golden;
mod oracle;
#[path = "proptest.rs"]
mod props;
mod streaming;

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

#[cfg(feature = "serde")]
mod framer;
mod fuzz_replay;
mod golden;
mod iec;
mod iec_oracle;
mod oracle;
mod roundtrip;
mod smarty;

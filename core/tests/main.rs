//! The integration tests of this crate, one test binary (one link, one lint header):
//! each module is a file beside this one.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod fuzz_replay;
mod reader;

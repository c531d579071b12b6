//! The integration tests of this crate, one test binary (one link, one lint header):
//! each module is a file beside this one.
// a test crate: clippy.toml's allow-*-in-tests cover its helpers too
#![cfg(test)]
#![allow(clippy::arithmetic_side_effects, missing_docs)]

mod correction;
mod fuzz_replay;
mod golden;
mod oracle;
#[path = "proptest.rs"]
mod props;
mod streaming;

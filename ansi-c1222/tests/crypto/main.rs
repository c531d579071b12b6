#![cfg(feature = "crypto")]
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! The tests that need EAX' (feature `crypto`), one test binary: the published EAX'
//! vectors, the tshark oracle, the validity policy and the real captures.

#[path = "../common/mod.rs"]
mod common;

mod eax;
mod oracle_c1222;
mod policy;
mod real_captures;

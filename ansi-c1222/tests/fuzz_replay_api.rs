//! Replays fuzz/corpus/c12_api (and artifacts) through the body of the `c12_api`
//! fuzz target, the decode API the other C12 targets do not call.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic,
    missing_docs
)]

mod c12_api {
    include!("fuzz_bodies/c12_api.rs");
}

#[test]
fn replay_c12_api_corpus() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("c12_api", c12_api::run)]);
}

//! Replays fuzz/corpus/dnp3_api (and artifacts) through the body of the `dnp3_api`
//! fuzz target, the decode API the other DNP3 targets do not call.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic,
    missing_docs
)]

mod dnp3_api {
    include!("fuzz_bodies/dnp3_api.rs");
}

#[test]
fn replay_dnp3_api_corpus() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("dnp3_api", dnp3_api::run)]);
}

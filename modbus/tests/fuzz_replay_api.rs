//! Replays fuzz/corpus/modbus_api (and artifacts) through the body of the `modbus_api`
//! fuzz target, the decode API the framing targets do not call (meterwire-testkit).
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]

mod modbus_api {
    include!("fuzz_bodies/modbus_api.rs");
}

#[test]
fn replay_modbus_api_corpus() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[("modbus_api", modbus_api::run)],
    );
}

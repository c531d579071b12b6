//! Replays fuzz/corpus/dlms_api (and artifacts) through the body of the `dlms_api`
//! fuzz target, the decode API the other DLMS targets do not call.

mod dlms_api {
    include!("fuzz_bodies/dlms_api.rs");
}

#[test]
fn replay_dlms_api_corpus() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("dlms_api", dlms_api::run)]);
}

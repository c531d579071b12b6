//! Replays fuzz/corpus/p1_api/ (and artifacts) through the body of the `p1_api` fuzz
//! target, the decode API the other targets do not call (meterwire-testkit).

mod p1_api {
    include!("fuzz_bodies/p1_api.rs");
}

#[test]
fn replay_p1_api_corpus() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("p1_api", p1_api::run)]);
}

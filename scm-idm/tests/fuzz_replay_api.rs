//! Replays fuzz/corpus/scm_idm_api (and artifacts) through the body of the
//! `scm_idm_api` fuzz target, the decode API the other targets do not call.

mod scm_idm_api {
    include!("fuzz_bodies/scm_idm_api.rs");
}

#[test]
fn replay_scm_idm_api_corpus() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[("scm_idm_api", scm_idm_api::run)],
    );
}

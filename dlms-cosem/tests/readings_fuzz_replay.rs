//! Replays fuzz/corpus/dlms_readings and fuzz/artifacts/dlms_readings (if any)
//! through the fuzz target's body, so stable CI catches old crashers.

include!("fuzz_bodies/dlms_readings.rs");

#[test]
fn replay_dlms_readings_corpus() {
    meterwire_testkit::replay_all(env!("CARGO_MANIFEST_DIR"), &[("dlms_readings", run)]);
}

//! Replays fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through the same bodies
//! as the fuzz targets (`tests/fuzz_bodies/<target>.rs`, meterwire-testkit), so stable
//! CI catches old crashers. `p1_api` covers the decode API the other targets do not call.

meterwire_testkit::fuzz_replay! {
    replay_corpora: "fuzz_bodies" [p1_framer, p1_lines, p1_decrypt, iec21_message, p1_api];
    #[cfg(feature = "fuzzing")]
    replay_structured: "fuzz_bodies" [p1_structured];
}

//! Replays every file of fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through the
//! same bodies as the fuzz targets (`tests/fuzz_bodies/<target>.rs`), so stable CI
//! catches old crashers. `scm_idm_api` covers the decode API the other targets do not call.

meterwire_testkit::fuzz_replay! {
    replay_every_target: "fuzz_bodies" [
        scm_idm_packets,
        scm_idm_bitstream,
        scm_idm_roundtrip,
        scm_idm_streaming,
        scm_idm_api,
    ];
    #[cfg(feature = "fuzzing")]
    replay_structured: "fuzz_bodies" [scm_idm_structured];
}

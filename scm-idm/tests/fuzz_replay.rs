//! Replays every file of fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through the
//! same bodies as the fuzz targets, so stable CI catches old crashers.

mod packets {
    include!("fuzz_bodies/scm_idm_packets.rs");
}
mod bitstream_body {
    include!("fuzz_bodies/scm_idm_bitstream.rs");
}
mod roundtrip {
    include!("fuzz_bodies/scm_idm_roundtrip.rs");
}
mod streaming {
    include!("fuzz_bodies/scm_idm_streaming.rs");
}
#[cfg(feature = "fuzzing")]
mod structured {
    include!("fuzz_bodies/scm_idm_structured.rs");
}

#[test]
fn replay_every_target() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[
            ("scm_idm_packets", packets::run),
            ("scm_idm_bitstream", bitstream_body::run),
            ("scm_idm_roundtrip", roundtrip::run),
            ("scm_idm_streaming", streaming::run),
        ],
    );
}

#[cfg(feature = "fuzzing")]
#[test]
fn replay_structured() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[("scm_idm_structured", structured::run)],
    );
}

#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic,
    missing_docs
)]
//! Replays every file of ../fuzz/corpus/<target>/ and ../fuzz/artifacts/<target>/ through
//! the same bodies as the cargo-fuzz targets, so stable CI catches old crashers.

mod c1218_packet {
    include!("fuzz_bodies/c1218_packet.rs");
}
mod c1222_apdu {
    include!("fuzz_bodies/c1222_apdu.rs");
}
#[cfg(feature = "crypto")]
mod c1222_decrypt {
    include!("fuzz_bodies/c1222_decrypt.rs");
}
mod c12_roundtrip {
    include!("fuzz_bodies/c12_roundtrip.rs");
}
#[cfg(feature = "fuzzing")]
mod c12_structured {
    include!("fuzz_bodies/c12_structured.rs");
}
#[cfg(feature = "crypto")]
mod c12_api {
    include!("fuzz_bodies/c12_api.rs");
}

/// Each target with the body it replays; every one must have a corpus.
#[test]
fn replay_corpora() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[
            ("c1218_packet", c1218_packet::run),
            ("c1222_apdu", c1222_apdu::run),
            #[cfg(feature = "crypto")]
            ("c1222_decrypt", c1222_decrypt::run),
            ("c12_roundtrip", c12_roundtrip::run),
            #[cfg(feature = "fuzzing")]
            ("c12_structured", c12_structured::run),
            // the decode API the other targets do not call
            #[cfg(feature = "crypto")]
            ("c12_api", c12_api::run),
        ],
    );
}

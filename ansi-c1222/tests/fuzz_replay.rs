#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used
)]
//! Replays every file of ../fuzz/corpus/<target>/ and ../fuzz/artifacts/<target>/ through
//! the same bodies as the cargo-fuzz targets, so stable CI catches old crashers.

/// One module per fuzz body (`fuzz_bodies/<name>.rs`, the cargo-fuzz target of the same
/// name) and a test replaying each one's corpus; every one must have a corpus.
macro_rules! replay {
    ($($(#[$cfg:meta])* $name:ident,)*) => {
        $(
            $(#[$cfg])*
            mod $name {
                include!(concat!("fuzz_bodies/", stringify!($name), ".rs"));
            }
        )*

        #[test]
        fn replay_corpora() {
            meterwire_testkit::replay_all(
                env!("CARGO_MANIFEST_DIR"),
                &[$($(#[$cfg])* (stringify!($name), $name::run),)*],
            );
        }
    };
}

replay! {
    c1218_packet,
    c1222_apdu,
    #[cfg(feature = "crypto")]
    c1222_decrypt,
    c12_roundtrip,
    #[cfg(feature = "fuzzing")]
    c12_structured,
    // the decode API the other targets do not call
    #[cfg(feature = "crypto")]
    c12_api,
}

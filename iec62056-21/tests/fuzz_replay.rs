//! Replays fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through the same bodies
//! as the fuzz targets (meterwire-testkit), so stable CI catches old crashers.

mod p1_framer {
    include!("fuzz_bodies/p1_framer.rs");
}
mod p1_lines {
    include!("fuzz_bodies/p1_lines.rs");
}
mod p1_decrypt {
    include!("fuzz_bodies/p1_decrypt.rs");
}
mod iec21_message {
    include!("fuzz_bodies/iec21_message.rs");
}
#[cfg(feature = "fuzzing")]
mod p1_structured {
    include!("fuzz_bodies/p1_structured.rs");
}

#[test]
fn replay_corpora() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[
            ("p1_framer", p1_framer::run),
            ("p1_lines", p1_lines::run),
            ("p1_decrypt", p1_decrypt::run),
            ("iec21_message", iec21_message::run),
        ],
    );
}

#[cfg(feature = "fuzzing")]
#[test]
fn replay_structured() {
    meterwire_testkit::replay_all(
        env!("CARGO_MANIFEST_DIR"),
        &[("p1_structured", p1_structured::run)],
    );
}

//! Replays every file of fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through
//! the same calls as the fuzz targets, so stable CI catches old crashers.

mod link {
    include!("../fuzz_bodies/dnp3_link.rs");
}
mod reassembly {
    include!("../fuzz_bodies/dnp3_reassembly.rs");
}
mod app {
    include!("../fuzz_bodies/dnp3_app.rs");
}
mod roundtrip {
    include!("../fuzz_bodies/dnp3_roundtrip.rs");
}
mod structured {
    include!("../fuzz_bodies/dnp3_structured.rs");
}
mod api {
    include!("../fuzz_bodies/dnp3_api.rs");
}

/// Every target's seed corpus and artifacts, through meterwire-testkit.
#[test]
fn replay_dnp3_corpora() {
    for (target, body) in [
        ("dnp3_link", link::run as fn(&[u8])),
        ("dnp3_reassembly", reassembly::run),
        ("dnp3_app", app::run),
        ("dnp3_roundtrip", roundtrip::run),
        ("dnp3_structured", structured::run),
        ("dnp3_api", api::run),
    ] {
        let n = meterwire_testkit::replay_fuzz(env!("CARGO_MANIFEST_DIR"), target, body);
        assert!(n >= 10, "{target}: {n} inputs");
    }
}

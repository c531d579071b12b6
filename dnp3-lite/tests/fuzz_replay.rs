//! Replays every file of fuzz/corpus/<target>/ and fuzz/artifacts/<target>/ through
//! the same calls as the fuzz targets, so stable CI catches old crashers.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

mod link {
    include!("fuzz_bodies/dnp3_link.rs");
}
mod reassembly {
    include!("fuzz_bodies/dnp3_reassembly.rs");
}
mod app {
    include!("fuzz_bodies/dnp3_app.rs");
}
mod roundtrip {
    include!("fuzz_bodies/dnp3_roundtrip.rs");
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_file() {
                run(&std::fs::read(&p).unwrap());
                n += 1;
            }
        }
    }
    n
}

#[test]
fn replay_dnp3_link() {
    assert!(replay("dnp3_link", link::run) >= 10);
}

#[test]
fn replay_dnp3_reassembly() {
    assert!(replay("dnp3_reassembly", reassembly::run) >= 10);
}

#[test]
fn replay_dnp3_app() {
    assert!(replay("dnp3_app", app::run) >= 10);
}

#[test]
fn replay_dnp3_roundtrip() {
    assert!(replay("dnp3_roundtrip", roundtrip::run) >= 10);
}

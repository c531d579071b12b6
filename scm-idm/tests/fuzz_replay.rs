#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::panic,
    missing_docs
)]
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

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../fuzz")
            .join(dir)
            .join(target);
        let Ok(rd) = std::fs::read_dir(&path) else {
            continue;
        };
        for e in rd {
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
fn replay_packets() {
    assert!(replay("scm_idm_packets", packets::run) > 0);
}

#[test]
fn replay_bitstream() {
    assert!(replay("scm_idm_bitstream", bitstream_body::run) > 0);
}

#[test]
fn replay_roundtrip() {
    assert!(replay("scm_idm_roundtrip", roundtrip::run) > 0);
}

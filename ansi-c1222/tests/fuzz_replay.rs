#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
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

fn replay(target: &str, run: fn(&[u8])) -> usize {
    meterwire_testkit::replay_fuzz(env!("CARGO_MANIFEST_DIR"), target, run)
}

#[test]
fn replay_c1218_packet() {
    let n = replay("c1218_packet", c1218_packet::run);
    assert!(n > 0, "no corpus for c1218_packet");
}

#[test]
fn replay_c1222_apdu() {
    let n = replay("c1222_apdu", c1222_apdu::run);
    assert!(n > 0, "no corpus for c1222_apdu");
}

#[cfg(feature = "crypto")]
#[test]
fn replay_c1222_decrypt() {
    let n = replay("c1222_decrypt", c1222_decrypt::run);
    assert!(n > 0, "no corpus for c1222_decrypt");
}

#[test]
fn replay_c12_roundtrip() {
    let n = replay("c12_roundtrip", c12_roundtrip::run);
    assert!(n > 0, "no corpus for c12_roundtrip");
}

//! Replays every file of fuzz/corpus/modbus_* and fuzz/artifacts/modbus_* (if
//! present) through the same bodies as the fuzz targets, so stable CI catches old
//! crashers.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]

mod modbus_tcp {
    include!("fuzz_bodies/modbus_tcp.rs");
}
mod modbus_rtu {
    include!("fuzz_bodies/modbus_rtu.rs");
}
mod modbus_ascii {
    include!("fuzz_bodies/modbus_ascii.rs");
}
mod modbus_roundtrip {
    include!("fuzz_bodies/modbus_roundtrip.rs");
}

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in entries {
            let path = e.unwrap().path();
            if path.is_file() {
                run(&std::fs::read(&path).unwrap());
                n += 1;
            }
        }
    }
    n
}

#[test]
fn corpus_and_artifacts_replay() {
    let counts = [
        replay("modbus_tcp", modbus_tcp::run),
        replay("modbus_rtu", modbus_rtu::run),
        replay("modbus_ascii", modbus_ascii::run),
        replay("modbus_roundtrip", modbus_roundtrip::run),
    ];
    assert!(
        counts.iter().all(|&n| n > 0),
        "seed corpora missing: {counts:?}"
    );
}

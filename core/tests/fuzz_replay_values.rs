//! Replays the committed fuzz corpus and artifacts of `core_values` on stable.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod core_values {
    include!("fuzz_bodies/core_values.rs");
}

#[test]
fn replay_core_values() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus/core_values", "artifacts/core_values"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            core_values::run(&std::fs::read(e.unwrap().path()).unwrap());
            n += 1;
        }
    }
    assert!(n > 0, "no corpus files found under {}", root.display());
}

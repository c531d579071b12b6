//! Replays the committed fuzz corpus and artifacts of `core_cursor` on stable.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod fuzz_bodies {
    pub mod core_cursor {
        include!("fuzz_bodies/core_cursor.rs");
    }
}

#[test]
fn replay_core_cursor() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus/core_cursor", "artifacts/core_cursor"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let data = std::fs::read(e.unwrap().path()).unwrap();
            fuzz_bodies::core_cursor::run(&data);
            n += 1;
        }
    }
    assert!(n > 0, "no corpus files found under {}", root.display());
}

//! Replays the committed fuzz corpus and artifacts of `dlms_decrypt` on stable.
#![cfg(feature = "crypto")]
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod fuzz_body {
    include!("security_support/fuzz_decrypt.rs");
}

#[test]
fn replay_dlms_decrypt() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus/dlms_decrypt", "artifacts/dlms_decrypt"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries {
            let data = std::fs::read(e.unwrap().path()).unwrap();
            fuzz_body::run(&data);
            n += 1;
        }
    }
    assert!(n >= 19, "only {n} corpus files under {}", root.display());
}

//! Replays every file of `fuzz/corpus/dlms_*` and `fuzz/artifacts/dlms_*` (if present)
//! through the same bodies as the fuzz targets, so stable CI catches old crashers.
#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs
)]

mod hdlc {
    include!("fuzz_bodies/dlms_hdlc.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}
mod wrapper {
    include!("fuzz_bodies/dlms_wrapper.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}
mod apdu {
    include!("fuzz_bodies/dlms_apdu.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}
mod axdr {
    include!("fuzz_bodies/dlms_axdr.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}

fn replay(target: &str, f: fn(&[u8])) -> usize {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(rd) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_file() {
                f(&std::fs::read(&p).unwrap());
                n += 1;
            }
        }
    }
    n
}

#[test]
fn replay_corpora() {
    assert!(replay("dlms_hdlc", hdlc::go) > 0);
    assert!(replay("dlms_wrapper", wrapper::go) > 0);
    assert!(replay("dlms_apdu", apdu::go) > 0);
    assert!(replay("dlms_axdr", axdr::go) > 0);
}

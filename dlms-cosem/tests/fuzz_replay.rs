//! Replays every file of `fuzz/corpus/dlms_*` and `fuzz/artifacts/dlms_*` (if present)
//! through the same bodies as the fuzz targets, so stable CI catches old crashers.

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
#[cfg(all(feature = "crypto", feature = "alloc"))]
mod stack {
    include!("fuzz_bodies/dlms_stack.rs");
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
#[cfg(feature = "fuzzing")]
mod axdr_structured {
    include!("fuzz_bodies/dlms_axdr_structured.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}
#[cfg(all(feature = "fuzzing", feature = "crypto"))]
mod structured {
    include!("fuzz_bodies/dlms_structured.rs");
    pub fn go(d: &[u8]) {
        run(d)
    }
}

/// The structure-aware A-XDR target (issue 18): generated values roundtrip.
#[cfg(feature = "fuzzing")]
#[test]
fn replay_axdr_structured() {
    let dir = env!("CARGO_MANIFEST_DIR");
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_axdr_structured", axdr_structured::go) > 0);
}

#[cfg(all(feature = "fuzzing", feature = "crypto"))]
#[test]
fn replay_structured_corpus() {
    let dir = env!("CARGO_MANIFEST_DIR");
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_structured", structured::go) > 0);
}

#[test]
fn replay_corpora() {
    let dir = env!("CARGO_MANIFEST_DIR");
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_hdlc", hdlc::go) > 0);
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_wrapper", wrapper::go) > 0);
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_apdu", apdu::go) > 0);
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_axdr", axdr::go) > 0);
    #[cfg(all(feature = "crypto", feature = "alloc"))]
    assert!(meterwire_testkit::replay_fuzz(dir, "dlms_stack", stack::go) >= 8);
}

//! Replays the committed fuzz corpus and artifacts of `dlms_decrypt` on stable.
#![cfg(feature = "crypto")]

mod fuzz_body {
    include!("security_support/fuzz_decrypt.rs");
}

#[test]
fn replay_dlms_decrypt() {
    let n =
        meterwire_testkit::replay_fuzz(env!("CARGO_MANIFEST_DIR"), "dlms_decrypt", fuzz_body::run);
    assert!(n >= 20, "only {n} corpus files");
}

/// Issue 18: the harness once decrypted a roundtrip of up to 2,048 bytes into a
/// 1,024-byte buffer and unwrapped `BufferTooSmall`; this input (control byte 0x30:
/// general-glo, authenticated and encrypted, then a 1,100-byte plaintext) is committed
/// in the corpus and must roundtrip.
#[test]
fn plaintext_over_1024_bytes_roundtrips() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus/dlms_decrypt/regression-plaintext-over-1024");
    let data = std::fs::read(path).unwrap();
    assert!(data.len() > 1025);
    fuzz_body::run(&data);
}

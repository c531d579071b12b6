// Fuzz body shared by fuzz/fuzz_targets/p1_decrypt.rs and tests/fuzz_replay.rs: the
// encrypted P1 frame parser, framer and decryption on arbitrary bytes (no panic; a
// decrypted frame parses as a telegram or fails with an error).
use meterwire_core::{Decoded, Framer};
use meterwire_iec62056_21::smarty::{EncryptedFramer, EncryptedTelegram, Keys};

pub fn run(data: &[u8]) {
    let keys = Keys::new([0xAA; 16]);
    if let Ok(e) = EncryptedTelegram::parse(data) {
        assert_eq!(e.raw().len(), data.len());
        let mut out = [0u8; 2048];
        if let Ok(plain) = e.decrypt_into(&keys, &mut out) {
            assert_eq!(plain.len(), e.ciphertext().len());
        }
        let _ = e.telegram(&keys, &mut out);
        let _ = e.decrypt_into(&keys, &mut [0u8; 3]);
    }
    let mut f = EncryptedFramer::new();
    let mut rest = data;
    while !rest.is_empty() {
        match f.decode(rest) {
            Ok(Decoded::Frame { consumed, frame }) => {
                assert!(consumed <= rest.len() && consumed == frame.raw().len());
                rest = &rest[consumed..];
            }
            Ok(Decoded::Incomplete { .. }) => break,
            Err(_) => {
                let n = f.resync(rest);
                assert!(n >= 1);
                rest = &rest[n.min(rest.len())..];
            }
        }
    }
}

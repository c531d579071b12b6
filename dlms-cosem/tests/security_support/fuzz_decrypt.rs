// The body of the `dlms_decrypt` fuzz target, shared with the stable replay test
// (fuzz/fuzz_targets/dlms_decrypt.rs and dlms-cosem/tests/security_fuzz_replay.rs
// include this file). Fixed keys; the input is a ciphered APDU (decrypt path) and,
// with the same bytes as plaintext, an encrypt -> decrypt roundtrip.

/// Runs every decrypt entry point on `data`; never panics, and anything that
/// decrypts re-encrypts to the same bytes.
pub fn run(data: &[u8]) {
    use meterwire_dlms_cosem::security::{
        self, BlockReassembler, Envelope, Key, Protection, SecurityControl, SecurityKeys,
    };
    let ek: [u8; 16] = core::array::from_fn(|i| i as u8);
    let ak: [u8; 16] = core::array::from_fn(|i| 0xD0 | i as u8);
    let keys = SecurityKeys::new(Key::Aes128(ek))
        .with_authentication(Key::Aes128(ak))
        .with_broadcast(Key::Aes128([0x42; 16]))
        .with_dedicated(Key::Aes128([0x17; 16]));
    let keys256 = SecurityKeys::new(Key::Aes256([3; 32])).with_authentication(Key::Aes256([4; 32]));
    let st = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];

    let mut out = [0u8; 1024];
    for k in [&keys, &keys256] {
        let r = security::decrypt_apdu(data, k, Some(st), &mut out);
        let mut buf = data.to_vec();
        let r2 = security::decrypt_apdu_in_place(&mut buf, k, Some(st));
        // Both entry points agree.
        match (&r, &r2) {
            (Ok(p), Ok((_, range))) => assert_eq!(*p, &buf[range.clone()]),
            (Err(_), Err(_)) => {}
            // `out` may be too small where in-place is not.
            (Err(security::SecurityError::BufferTooSmall { .. }), Ok(_)) => {}
            (a, b) => panic!("decrypt_apdu {a:?} vs in place {b:?}"),
        }
        let _ = security::decrypt_apdu_vec(data, k, None);
        // The APDU parser's Ciphered view decrypts to the same plaintext.
        if let Ok(meterwire_dlms_cosem::Apdu::Ciphered(c)) = meterwire_dlms_cosem::Apdu::parse(data)
        {
            if let Ok(view) = security::CipheredApdu::from_ciphered(&c) {
                let mut out2 = [0u8; 1024];
                let r3 = security::decrypt_parsed(&view, k, Some(st), &mut out2);
                if let (Ok(p), Ok((p3, _))) = (&r, &r3) {
                    assert_eq!(p, p3);
                }
            }
        }
        let mut gbt = [0u8; 256];
        let mut scratch = [0u8; 256];
        let mut re = BlockReassembler::new(&mut gbt);
        let _ = re.push_protected(data, k, Some(st), &mut scratch);
        let _ = re.push(data);
    }

    // Roundtrip with the input as the protected APDU.
    if let Some((&ctl, rest)) = data.split_first() {
        let envelope = match ctl % 4 {
            0 => Envelope::GeneralGlo,
            1 => Envelope::GeneralDed,
            2 => Envelope::GeneralCiphering,
            _ => Envelope::Glo,
        };
        let sc = SecurityControl::new(0, ctl & 0x10 != 0, ctl & 0x20 != 0);
        let p = Protection::new(envelope, sc, u32::from(ctl), st);
        // Buffers sized from the encoded length (a fixed 1,024-byte output buffer made
        // this roundtrip fail with BufferTooSmall for plaintexts over 1,024 bytes).
        let mut wire = vec![0u8; p.encrypted_len(rest.len())];
        if let Ok(n) = security::encrypt_apdu(rest, &p, &keys, &mut wire) {
            let mut plain = vec![0u8; rest.len()];
            let back = security::decrypt_apdu(&wire[..n], &keys, Some(st), &mut plain).unwrap();
            assert_eq!(back, rest);
        }
    }
}

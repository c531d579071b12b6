// Fuzz body shared by fuzz/fuzz_targets/c12_structured.rs and tests/fuzz_replay.rs
// (feature `fuzzing`). Structure-aware: a C12.18 `PacketRepr` and a C12.22 `ApduRepr`
// built from the input with `arbitrary` (hand-written impls that keep the encoders'
// rules), each encoded, parsed back and compared; the lenient and strict parsers and
// framers agree (strict rejects exactly when there is a diagnostic); mode 1/2 APDUs
// sealed with a key from the input verify and decrypt back to their services.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use arbitrary::{Arbitrary, Unstructured};
    use meterwire_ansi_c1222::c1218::{LinkFrame, Packet, PacketFramer, PacketRepr};
    use meterwire_ansi_c1222::c1222::{Apdu, ApduFramer, ApduRepr, SecurityMode};
    use meterwire_core::{Decoded, Encode, Framer};

    let mut u = Unstructured::new(data);
    if let Ok(p) = PacketRepr::arbitrary(&mut u) {
        let b = p.encode_to_vec().unwrap();
        assert_eq!(b.len(), p.encoded_len());
        let view = Packet::new_checked(&b).unwrap();
        assert_eq!(PacketRepr::parse(&view), p);
        let conforming = view.diagnostics().next().is_none();
        let lenient = match PacketFramer::new().decode(&b) {
            Ok(Decoded::Frame {
                frame: LinkFrame::Packet(lp),
                consumed,
            }) => Some((PacketRepr::parse(&lp), consumed)),
            _ => None,
        };
        assert_eq!(lenient, Some((p, b.len())));
        let strict = PacketFramer::new().strict().decode(&b);
        assert_eq!(strict.is_ok(), conforming, "strict packet framer: {strict:?}");
    }
    let Ok(repr) = ApduRepr::arbitrary(&mut u) else {
        return;
    };
    let b = repr.encode_to_vec().unwrap();
    assert_eq!(b.len(), repr.encoded_len());
    let a = Apdu::parse(&b).unwrap();
    assert_eq!(ApduRepr::parse(&a), repr);
    let conforming = a.diagnostics().next().is_none();
    let strict = Apdu::parser().strict().parse(&b);
    assert_eq!(strict.is_ok(), conforming, "strict apdu parser: {strict:?}");
    let framed = ApduFramer::new().decode(&b);
    assert!(
        matches!(framed, Ok(Decoded::Frame { consumed, .. }) if consumed == b.len()),
        "apdu framer: {framed:?}"
    );
    // seal with a key from the input, then verify/decrypt back to the services
    let mode = a.epsem().security_mode();
    if let (Some(av), true, Ok(key)) = (
        repr.auth_value,
        matches!(mode, SecurityMode::Authenticated | SecurityMode::Encrypted),
        <[u8; 16]>::arbitrary(&mut u),
    ) {
        let mut sealed = vec![0u8; repr.encoded_len()];
        let n = repr.encode_secured(&key, &[], &mut sealed).unwrap();
        let s = Apdu::parse(&sealed[..n]).unwrap();
        let mut out = vec![0u8; n];
        let plain = s
            .decrypt_into(&[(av.key_id, key)], &[], &mut out)
            .map(<[u8]>::to_vec);
        match mode {
            // the payload (ED class + services) comes back
            SecurityMode::Authenticated => {
                assert_eq!(plain.unwrap(), a.epsem().payload());
            }
            // services that are not a valid service list once decrypted are a
            // plaintext error after a good MAC, never an authentication failure
            _ => match plain {
                Ok(p) => assert_eq!(p, repr.epsem.services),
                Err(e) => assert_ne!(e, meterwire_ansi_c1222::Error::AuthenticationFailed),
            },
        }
    }
}

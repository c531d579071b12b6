//! proptest: encrypt -> decrypt is the identity for suites 0 and 2, every
//! security-control mode and envelope; the streaming GCM path equals aes-gcm;
//! arbitrary bytes never panic the decrypt path.
#![cfg(feature = "crypto")]

use meterwire_dlms_cosem::security::{
    self, CipheredApdu, Envelope, GeneralCipheringFields, Key, KeyInfo, Protection,
    SecurityControl, SecurityError, SecurityKeys, gcm,
};
use proptest::prelude::*;

fn key(suite2: bool, seed: u8) -> Key {
    if suite2 {
        Key::from_slice(&[seed; 32].map(|b| b.wrapping_mul(7).wrapping_add(3))).unwrap()
    } else {
        Key::from_slice(&[seed; 16].map(|b| b.wrapping_mul(5).wrapping_add(1))).unwrap()
    }
}

fn keys(suite2: bool, seed: u8) -> SecurityKeys {
    SecurityKeys::new(key(suite2, seed))
        .with_authentication(key(suite2, seed.wrapping_add(1)))
        .with_broadcast(key(suite2, seed.wrapping_add(2)))
        .with_dedicated(key(suite2, seed.wrapping_add(3)))
}

fn envelope(i: u8) -> Envelope {
    [
        Envelope::Glo,
        Envelope::Ded,
        Envelope::GeneralGlo,
        Envelope::GeneralDed,
        Envelope::GeneralCiphering,
    ][usize::from(i % 5)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn encrypt_then_decrypt_is_identity(
        suite2 in any::<bool>(),
        mode in 1u8..=3,
        broadcast in any::<bool>(),
        env in 0u8..5,
        ic in any::<u32>(),
        st in any::<[u8; 8]>(),
        seed in any::<u8>(),
        body in proptest::collection::vec(any::<u8>(), 0..700),
        tid in proptest::collection::vec(any::<u8>(), 0..12),
        recipient in any::<[u8; 8]>(),
        with_recipient in any::<bool>(),
    ) {
        let envelope = envelope(env);
        // Service-specific envelopes need a plain tag that has a glo/ded form.
        let mut plain = vec![0xC0u8];
        plain.extend_from_slice(&body);
        let suite = if suite2 { 2 } else { 0 };
        let mut sc = SecurityControl::new(suite, mode & 1 != 0, mode & 2 != 0);
        if broadcast { sc = sc.broadcast(); }
        let mut p = Protection::new(envelope, sc, ic, st);
        let rec: &[u8] = if with_recipient { &recipient } else { &[] };
        if envelope == Envelope::GeneralCiphering {
            p.general = Some(GeneralCipheringFields {
                transaction_id: &tid,
                originator_system_title: &[],
                recipient_system_title: rec,
                date_time: &[],
                other_information: &[],
                key_info: Some(KeyInfo::IdentifiedKey { key_id: u8::from(broadcast) }),
            });
        }
        let k = keys(suite2, seed);
        let wire = security::encrypt_apdu_vec(&plain, &p, &k).unwrap();
        prop_assert_eq!(wire.len(), p.encrypted_len(plain.len()));
        let parsed = CipheredApdu::parse(&wire).unwrap();
        prop_assert_eq!(parsed.envelope, envelope);
        prop_assert_eq!(parsed.invocation_counter, ic);
        prop_assert_eq!(parsed.security_control, sc);
        prop_assert_eq!(parsed.consumed, wire.len());
        let mut out = vec![0u8; wire.len()];
        let got = security::decrypt_apdu(&wire, &k, Some(st), &mut out).unwrap();
        prop_assert_eq!(got, &plain[..]);
        let mut buf = wire.clone();
        let (h, r) = security::decrypt_apdu_in_place(&mut buf, &k, Some(st)).unwrap();
        prop_assert_eq!(&buf[r], &plain[..]);
        prop_assert_eq!(h.system_title, st);
        // Ciphertext differs from plaintext when encrypted (except by chance for tiny APDUs).
        if sc.is_encrypted() && plain.len() > 8 {
            prop_assert!(!wire.windows(plain.len()).any(|w| w == &plain[..]));
        }
        // Authenticated: a flipped payload byte fails; other keys fail.
        if sc.is_authenticated() {
            let mut t = wire.clone();
            let last = t.len() - 1 - (usize::from(seed) % (plain.len() + 12).min(t.len() - 1));
            t[last] ^= 0x01;
            prop_assert_eq!(security::decrypt_apdu(&t, &k, Some(st), &mut out), Err(SecurityError::AuthenticationFailed));
            let other = keys(suite2, seed.wrapping_add(50));
            prop_assert!(security::decrypt_apdu(&wire, &other, Some(st), &mut out).is_err());
        }
    }

    /// The streaming GCM (used for general-ciphering AADs and GMAC) equals aes-gcm.
    #[test]
    fn streaming_gcm_equals_aes_gcm(
        suite2 in any::<bool>(),
        seed in any::<u8>(),
        st in any::<[u8; 8]>(),
        ic in any::<u32>(),
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let k = keys(suite2, seed);
        let sc = SecurityControl::new(if suite2 { 2 } else { 0 }, true, true);
        let ak = k.authentication.clone().unwrap();
        let params = gcm::Params { key: &gcm::Cipher::new(&k.unicast), ak: Some(&ak), sc, system_title: &st, invocation_counter: ic, extra_aad: &[] };
        let mut a = body.clone();
        let tag_a = gcm::seal_in_place(&params, &mut a).unwrap().unwrap();
        let mut aad = vec![sc.0];
        aad.extend_from_slice(ak.as_bytes());
        let mut b = body.clone();
        let tag_b = gcm::stream_seal(&k.unicast, &gcm::iv(&st, ic), &aad, &mut b);
        prop_assert_eq!(a, b);
        prop_assert_eq!(tag_a, tag_b);
    }

    /// Random bytes (and random bytes behind a valid ciphered tag) never panic.
    #[test]
    fn arbitrary_bytes_never_panic(tag in prop::sample::select(vec![0xC8u8, 0xD0, 0xDB, 0xDC, 0xDD, 0x21, 0xE0, 0x0F]), data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let k = keys(false, 1);
        let mut input = vec![tag];
        input.extend_from_slice(&data);
        let mut out = vec![0u8; 512];
        let _ = security::decrypt_apdu(&input, &k, Some([1; 8]), &mut out);
        let _ = security::decrypt_apdu(&data, &k, None, &mut out);
        let mut buf = input.clone();
        let _ = security::decrypt_apdu_in_place(&mut buf, &k, Some([1; 8]));
        let mut small = [0u8; 3];
        let _ = security::decrypt_apdu(&input, &k, Some([1; 8]), &mut small);
        let mut gbt = [0u8; 64];
        let mut r = security::BlockReassembler::new(&mut gbt);
        let _ = r.push_protected(&input, &k, Some([1; 8]), &mut out);
    }
}

/// Issue 14: the security encoder and the APDU model once wrote different BER lengths
/// for 0x10000..=0xFFFFFF (0x84 + 4 bytes vs the minimal 0x83 + 3 bytes). Both now use
/// `meterwire_core::ber`: a 70,000-byte APDU encrypts with `83 01 11 ..`, parses as the
/// APDU parser's `Ciphered` view, re-encodes to the same bytes and decrypts back.
#[test]
fn long_lengths_agree_between_security_and_apdu_model() {
    use meterwire_core::Encode;
    let keys = SecurityKeys::new(Key::Aes128([7; 16])).with_authentication(Key::Aes128([9; 16]));
    let st = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];
    let mut plain = vec![0x0F, 0, 0, 0, 1, 0, 0x09, 0x83, 0x01, 0x11, 0x62];
    plain.resize(70_000, 0x55);
    let p = Protection::new(
        Envelope::GeneralGlo,
        SecurityControl::new(0, true, true),
        5,
        st,
    );
    let wire = security::encrypt_apdu_vec(&plain, &p, &keys).unwrap();
    assert_eq!(wire.len(), p.encrypted_len(plain.len()));
    let content = 70_000 + 5 + 12;
    assert_eq!(
        &wire[10..14],
        &[0x83, 0x01, (content >> 8) as u8, content as u8]
    );
    let meterwire_dlms_cosem::Apdu::Ciphered(c) = meterwire_dlms_cosem::Apdu::parse(&wire).unwrap()
    else {
        panic!()
    };
    assert_eq!(c.encode_to_vec().unwrap(), wire);
    let h = security::CipheredApdu::parse(&wire).unwrap();
    assert_eq!(h.consumed, wire.len());
    assert_eq!(h.payload_offset, 19); // tag, st, length, sc, ic
    assert_eq!(
        security::decrypt_apdu_vec(&wire, &keys, None).unwrap(),
        plain
    );
}

/// Found by the `dlms_decrypt` fuzz target once the two ciphered-APDU models became one
/// (fuzz/corpus/dlms_decrypt/regression-glo-information-report-0x38): the APDU parser
/// mapped glo-unconfirmedWriteRequest / glo-informationReportRequest to 0x2F / 0x30,
/// the encoder (and IEC 62056-5-3: [54], [56]; ded- [86], [88]) to 0x36 / 0x38.
#[test]
fn service_specific_sn_tags_follow_the_standard() {
    let keys = SecurityKeys::new(Key::Aes128([7; 16])).with_authentication(Key::Aes128([9; 16]));
    let st = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];
    // informationReportRequest (0x18) and unconfirmedWriteRequest (0x16), glo and ded
    for (plain_tag, env, tag, name) in [
        (
            0x18u8,
            Envelope::Glo,
            0x38u8,
            "glo-information-report-request",
        ),
        (0x16, Envelope::Glo, 0x36, "glo-unconfirmed-write-request"),
        (0x18, Envelope::Ded, 0x58, "ded-information-report-request"),
        (0x16, Envelope::Ded, 0x56, "ded-unconfirmed-write-request"),
    ] {
        let plain = [plain_tag, 0x00, 0x01, 0x02, 0x03];
        let p = Protection::new(env, SecurityControl::new(0, true, true), 1, st);
        let wire = security::encrypt_apdu_vec(
            &plain,
            &p,
            &keys.clone().with_dedicated(Key::Aes128([5; 16])),
        )
        .unwrap();
        assert_eq!(wire[0], tag);
        let a = meterwire_dlms_cosem::Apdu::parse(&wire).unwrap();
        assert_eq!(a.name(), name);
        let back = security::decrypt_apdu_vec(
            &wire,
            &keys.clone().with_dedicated(Key::Aes128([5; 16])),
            Some(st),
        )
        .unwrap();
        assert_eq!(back, plain);
    }
}

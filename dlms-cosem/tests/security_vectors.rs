//! Security vectors: Green Book examples, real published pushes, oracle-generated
//! frames (tests/vectors/security/vectors.json, written by oracle/security_oracle.py
//! with PyPI `cryptography` and cross-checked by gurux-dlms), bit flips.
#![cfg(feature = "crypto")]

use crate::security_support;

use meterwire_core::{Classify, ErrorKind};
use meterwire_dlms_cosem::security::{
    self, CipheredApdu, Envelope, GeneralCipheringFields, Key, KeyInfo, KeyUse, Protection,
    SecurityControl, SecurityError, SecurityKeys,
};
use security_support::{obis_values, unhex};
use serde_json::Value;

use crate::common::{security_apdu as vector, security_vectors as vectors};

fn keys_of(v: &Value) -> SecurityKeys {
    let ek = bytes(v, "ek");
    let mut keys = SecurityKeys::new(Key::from_slice(&ek).unwrap());
    if let Some(ak) = v["ak"].as_str() {
        keys = keys.with_authentication(Key::from_slice(&unhex(ak)).unwrap());
    }
    if let Some(b) = v.get("broadcast").and_then(Value::as_str) {
        keys = keys.with_broadcast(Key::from_slice(&unhex(b)).unwrap());
    }
    if let Some(d) = v.get("dedicated").and_then(Value::as_str) {
        keys = keys.with_dedicated(Key::from_slice(&unhex(d)).unwrap());
    }
    keys
}

fn st_of(v: &Value) -> Option<[u8; 8]> {
    v["system_title"]
        .as_str()
        .map(|s| unhex(s).try_into().unwrap())
}

fn apdus() -> Vec<Value> {
    vectors()["apdus"].as_array().unwrap().clone()
}

/// One entry of the vector file with its fields decoded.
struct Vector {
    name: String,
    apdu: Vec<u8>,
    plain: Vec<u8>,
    /// The system title the caller supplies (the entry's `system_title`), if any.
    st: Option<[u8; 8]>,
    system_title_in_apdu: bool,
    json: Value,
}

impl Vector {
    fn new(json: Value) -> Self {
        Self {
            name: json["name"].as_str().unwrap().to_string(),
            apdu: bytes(&json, "apdu"),
            plain: bytes(&json, "plaintext"),
            st: st_of(&json),
            system_title_in_apdu: json["system_title_in_apdu"].as_bool().unwrap(),
            json,
        }
    }

    /// The entry's keys (a fresh set each call, for tests that alter them).
    fn keys(&self) -> SecurityKeys {
        keys_of(&self.json)
    }

    fn authenticated(&self) -> bool {
        CipheredApdu::parse(&self.apdu)
            .unwrap()
            .security_control
            .is_authenticated()
    }
}

/// Every entry of the vector file.
fn all_vectors() -> impl Iterator<Item = Vector> {
    apdus().into_iter().map(Vector::new)
}

/// A hex field of a vector (`apdu`, `plaintext`, `ek`), as bytes.
fn bytes(v: &Value, field: &str) -> Vec<u8> {
    unhex(v[field].as_str().unwrap())
}

/// The vector `name` decrypted into `out` with its own keys and the system title
/// its APDU carries.
fn decrypt_vector<'o>(name: &str, out: &'o mut [u8]) -> &'o [u8] {
    let v = vector(name);
    security::decrypt_apdu(&bytes(&v, "apdu"), &keys_of(&v), None, out).unwrap()
}

/// Each OBIS code of `want` has that (value, scaler, unit) in the decrypted push `p`.
#[track_caller]
fn assert_obis_values(p: &[u8], want: &[(&str, (i64, i8, u8))]) {
    let vals = obis_values(p);
    for (o, expected) in want {
        let got = vals
            .iter()
            .find(|x| x.0 == *o)
            .map(|x| (x.1, x.2, x.3))
            .unwrap_or_else(|| panic!("{o} missing"));
        assert_eq!(got, *expected, "{o}");
    }
}

#[test]
fn vector_set_is_complete() {
    let names: Vec<String> = apdus()
        .iter()
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect();
    for must in [
        "gb_glo_get_request_auth_suite0",
        "gb_glo_get_request_enc_suite0",
        "gb_glo_get_request_auth_enc_suite0",
        "glo_get_request_auth_enc_suite2",
        "general_ded_data_notification_auth_enc_suite0",
        "ded_get_request_auth_enc_suite0",
        "general_glo_broadcast_auth_enc_suite0",
        "general_ciphering_auth_enc_suite0",
        "general_ciphering_auth_enc_suite2",
        "evn_kaifa_ma309_push",
        "tirol_kaifa_push",
        "lgz_gb_keys_push",
    ] {
        assert!(names.iter().any(|n| n == must), "missing {must}");
    }
    assert!(names.len() >= 19);
}

/// The Green Book's published numbers, independent of the oracle file.
#[test]
fn green_book_glo_get_request_published_values() {
    let keys =
        SecurityKeys::new(Key::from_slice(&unhex("000102030405060708090A0B0C0D0E0F")).unwrap())
            .with_authentication(
                Key::from_slice(&unhex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")).unwrap(),
            );
    let st: [u8; 8] = unhex("4D4D4D0000BC614E").try_into().unwrap();
    let get = unhex("C0010000080000010000FF0200");
    let cases = [
        (
            0x30,
            "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B",
        ),
        (0x20, "C8122001234567411312FF935A47566827C467BC"),
        (
            0x10,
            "C81E1001234567C0010000080000010000FF020006725D910F9221D263877516",
        ),
    ];
    for (sc, wire) in cases {
        let p = Protection::new(Envelope::Glo, SecurityControl(sc), 0x0123_4567, st);
        let mut out = [0u8; 64];
        let n = security::encrypt_apdu(&get, &p, &keys, &mut out).unwrap();
        assert_eq!(&out[..n], &unhex(wire)[..], "sc {sc:#x}");
        let mut plain = [0u8; 64];
        assert_eq!(
            security::decrypt_apdu(&unhex(wire), &keys, Some(st), &mut plain).unwrap(),
            &get[..]
        );
    }
}

#[test]
fn every_vector_decrypts_three_ways() {
    for Vector {
        name,
        apdu,
        plain,
        st,
        system_title_in_apdu,
        json,
    } in all_vectors()
    {
        let keys = keys_of(&json);
        let mut out = vec![0u8; apdu.len()];
        let got = security::decrypt_apdu(&apdu, &keys, st, &mut out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(got, &plain[..], "{name}");
        assert_eq!(
            security::decrypt_apdu_vec(&apdu, &keys, st).unwrap(),
            plain,
            "{name}"
        );
        let mut buf = apdu.clone();
        let (h, r) = security::decrypt_apdu_in_place(&mut buf, &keys, st).unwrap();
        assert_eq!(&buf[r], &plain[..], "{name} in place");
        let c = CipheredApdu::parse(&apdu).unwrap();
        assert_eq!(h.invocation_counter, c.invocation_counter);
        assert_eq!(h.security_control, c.security_control);
        assert_eq!(c.consumed, apdu.len(), "{name}");
        if system_title_in_apdu {
            // The APDU's own system title is used; no caller input needed.
            assert_eq!(
                security::decrypt_apdu(&apdu, &keys, None, &mut out).unwrap(),
                &plain[..],
                "{name}"
            );
        } else {
            assert_eq!(
                security::decrypt_apdu(&apdu, &keys, None, &mut out),
                Err(SecurityError::MissingSystemTitle)
            );
        }
    }
}

/// Re-encrypting the plaintext with the header's parameters gives the same bytes.
#[test]
fn every_vector_reencrypts_bit_exact() {
    for v in all_vectors() {
        let (name, apdu, plain) = (&v.name, &v.apdu, &v.plain);
        let keys = v.keys();
        let c = CipheredApdu::parse(apdu).unwrap();
        let st = c.system_title.or(v.st).unwrap();
        let mut p = Protection::new(c.envelope, c.security_control, c.invocation_counter, st);
        p.general = c.general;
        let mut out = vec![0u8; apdu.len() + 16];
        let n = security::encrypt_apdu(plain, &p, &keys, &mut out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n, p.encrypted_len(plain.len()), "{name}");
        assert_eq!(hex::encode(&out[..n]), hex::encode(apdu), "{name}");
    }
}

#[test]
fn security_control_of_vectors() {
    let c = |n: &str| {
        let a = bytes(&vector(n), "apdu");
        let p = CipheredApdu::parse(&a).unwrap();
        (
            p.security_control,
            p.envelope,
            p.key_use().unwrap(),
            p.invocation_counter,
        )
    };
    assert_eq!(
        c("evn_kaifa_ma309_push"),
        (
            SecurityControl(0x20),
            Envelope::GeneralGlo,
            KeyUse::GlobalUnicast,
            0x23
        )
    );
    assert_eq!(
        c("tirol_kaifa_push"),
        (
            SecurityControl(0x21),
            Envelope::GeneralGlo,
            KeyUse::GlobalUnicast,
            0x0029_5B9A
        )
    );
    assert_eq!(
        c("lgz_gb_keys_push"),
        (
            SecurityControl(0x30),
            Envelope::GeneralGlo,
            KeyUse::GlobalUnicast,
            0x8C
        )
    );
    assert_eq!(
        c("general_glo_broadcast_auth_enc_suite0").2,
        KeyUse::GlobalBroadcast
    );
    assert_eq!(c("ded_get_request_auth_enc_suite0").1, Envelope::Ded);
    assert_eq!(
        c("general_ded_data_notification_auth_enc_suite0").2,
        KeyUse::Dedicated
    );
    assert_eq!(c("glo_get_request_auth_enc_suite2").0.suite(), 2);
    let a = bytes(&vector("general_ciphering_auth_enc_suite2"), "apdu");
    let g = CipheredApdu::parse(&a).unwrap().general.unwrap();
    assert_eq!(g.transaction_id, &unhex("0000000000000016")[..]);
    assert_eq!(g.recipient_system_title, &unhex("4D4D4D0000000001")[..]);
    assert_eq!(g.key_info, Some(KeyInfo::IdentifiedKey { key_id: 0 }));
    assert_eq!(g.date_time.len(), 12);
}

/// Real pushes: decrypted and parsed down to OBIS values.
#[test]
fn evn_kaifa_push_values() {
    let mut out = [0u8; 512];
    let p = decrypt_vector("evn_kaifa_ma309_push", &mut out);
    assert_eq!(p[0], 0x0F, "data-notification");
    assert_obis_values(
        p,
        &[
            ("1-0:1.8.0*255", (12937, 0, 30)), // active energy import, Wh
            ("1-0:2.8.0*255", (0, 0, 30)),
            ("1-0:32.7.0*255", (2337, -1, 35)), // voltage L1: 233.7 V
            ("1-0:13.7.0*255", (1000, -3, 255)), // power factor 1.000
        ],
    );
}

#[test]
fn tirol_kaifa_push_values() {
    let mut out = [0u8; 512];
    let p = decrypt_vector("tirol_kaifa_push", &mut out);
    assert_eq!(&p[..5], &unhex("0F0029B2DC")[..]);
    assert_obis_values(
        p,
        &[
            ("1-0:1.8.0*255", (9108, 0, 30)),
            ("1-0:3.8.0*255", (96, 0, 32)),
            ("1-0:32.7.0*255", (2308, -1, 35)),
            ("1-0:31.7.0*255", (0, -2, 33)),
        ],
    );
}

#[test]
fn lgz_push_header_and_body() {
    let mut out = [0u8; 128];
    let p = decrypt_vector("lgz_gb_keys_push", &mut out);
    // data-notification, long-invoke-id 3, date-time 2016-02-29 08:27:36
    assert_eq!(&p[..8], &unhex("0F000000030C07E0")[..]);
    assert_eq!(p[8..10], [0x02, 0x1D]);
}

/// One bit flipped anywhere in an authenticated APDU: never plaintext. Flips in
/// the security header, ciphertext, tag or system title are authentication
/// failures; flips in tags/lengths are decode errors.
#[test]
fn bit_flips_fail_authentication() {
    let mut checked = 0;
    let mut unauthenticated_ok = 0;
    for v in all_vectors().filter(Vector::authenticated) {
        let (name, apdu, plain, st) = (&v.name, &v.apdu, &v.plain, v.st);
        let keys = v.keys().requiring_authentication();
        let c = CipheredApdu::parse(apdu).unwrap();
        let gc_suite0 = c.envelope == Envelope::GeneralCiphering && c.security_control.suite() == 0;
        let payload_start = c.payload_offset;
        let sc_pos = payload_start - 5;
        for i in 0..apdu.len() {
            for bit in 0..8 {
                let mut t = apdu.clone();
                t[i] ^= 1 << bit;
                let mut out = vec![0u8; t.len() + 64];
                let r = security::decrypt_apdu(&t, &keys, st, &mut out);
                let e = match r {
                    // Suite 0 general-ciphering: transaction-id, recipient, date-time and
                    // other-information are not in the AAD (as in Gurux); a flip there
                    // leaves the (authentic) plaintext unchanged.
                    Ok(p) if gc_suite0 && i < sc_pos - 2 => {
                        assert_eq!(
                            p,
                            &plain[..],
                            "{name}: flip byte {i} bit {bit} changed the plaintext"
                        );
                        unauthenticated_ok += 1;
                        continue;
                    }
                    Ok(_) => panic!("{name}: flip byte {i} bit {bit} accepted"),
                    Err(e) => e,
                };
                if i > sc_pos {
                    // Invocation counter, ciphertext / clear APDU, tag.
                    assert_eq!(
                        e,
                        SecurityError::AuthenticationFailed,
                        "{name}: byte {i} bit {bit}"
                    );
                    assert_eq!(e.kind(), ErrorKind::Authentication);
                } else if i == sc_pos && bit == 4 {
                    // Authentication bit cleared: the policy refuses it, with its own error.
                    assert!(
                        matches!(e, SecurityError::Policy(_)),
                        "{name}: SC bit {bit}: {e}"
                    );
                    assert_eq!(e.kind(), ErrorKind::Authentication);
                } else if i == sc_pos && bit == 0 && c.security_control.suite() == 0 {
                    // Suite 0 <-> 1 (SC is in the AAD).
                    assert_eq!(
                        e,
                        SecurityError::AuthenticationFailed,
                        "{name}: SC bit {bit}"
                    );
                }
                checked += 1;
            }
        }
        // System title (in the APDU, or the caller's) is part of the IV.
        if let Some(mut st) = st {
            st[7] ^= 1;
            let mut a2 = apdu.clone();
            if let Some(pos) = a2.windows(8).position(|w| w == v.st.unwrap()) {
                a2[pos + 7] ^= 1;
            }
            let mut out = vec![0u8; apdu.len()];
            assert_eq!(
                security::decrypt_apdu(&a2, &keys, Some(st), &mut out),
                Err(SecurityError::AuthenticationFailed),
                "{name}"
            );
        }
    }
    assert!(checked > 5000, "{checked}");
    assert!(unauthenticated_ok < 200, "{unauthenticated_ok}");
}

#[test]
fn wrong_key_is_authentication_failed_and_output_cleared() {
    for v in all_vectors().filter(Vector::authenticated) {
        let (name, apdu) = (&v.name, &v.apdu);
        let mut keys = v.keys();
        let mut wrong = keys.unicast.as_bytes().to_vec();
        wrong[0] ^= 0x80;
        keys.unicast = Key::from_slice(&wrong).unwrap();
        if let Some(d) = &keys.dedicated {
            let mut w = d.as_bytes().to_vec();
            w[3] ^= 1;
            keys.dedicated = Some(Key::from_slice(&w).unwrap());
        }
        if let Some(b) = &keys.broadcast {
            let mut w = b.as_bytes().to_vec();
            w[3] ^= 1;
            keys.broadcast = Some(Key::from_slice(&w).unwrap());
        }
        let mut out = vec![0xAAu8; apdu.len()];
        assert_eq!(
            security::decrypt_apdu(apdu, &keys, v.st, &mut out),
            Err(SecurityError::AuthenticationFailed),
            "{name}"
        );
        assert!(
            out.iter()
                .take(CipheredApdu::parse(apdu).unwrap().plaintext_len())
                .all(|&b| b == 0),
            "{name}: output not cleared"
        );
        // Wrong AK as well.
        let mut keys = v.keys();
        keys.authentication = Some(Key::from_slice(&vec![0x55; keys.unicast.len()]).unwrap());
        let mut out = vec![0u8; apdu.len()];
        assert_eq!(
            security::decrypt_apdu(apdu, &keys, v.st, &mut out),
            Err(SecurityError::AuthenticationFailed),
            "{name}"
        );
    }
}

#[test]
fn stripping_authentication_is_rejected_when_required() {
    let v = vector("gb_glo_get_request_enc_suite0");
    let apdu = bytes(&v, "apdu");
    let mut out = [0u8; 64];
    assert!(security::decrypt_apdu(&apdu, &keys_of(&v), st_of(&v), &mut out).is_ok());
    let strict = keys_of(&v).requiring_authentication();
    // a policy failure has its own error (not "gcm tag does not match")
    let e = security::decrypt_apdu(&apdu, &strict, st_of(&v), &mut out).unwrap_err();
    assert_eq!(
        e,
        SecurityError::Policy("apdu is not authenticated and the keys require authentication")
    );
    assert_eq!(
        e.to_string(),
        "security policy: apdu is not authenticated and the keys require authentication"
    );
    assert_eq!(e.kind(), ErrorKind::Authentication);
}

#[test]
fn missing_and_wrong_length_keys() {
    let v = vector("gb_glo_get_request_auth_enc_suite0");
    let apdu = bytes(&v, "apdu");
    let st = st_of(&v);
    let mut out = [0u8; 64];
    let no_ak = SecurityKeys::new(Key::from_slice(&bytes(&v, "ek")).unwrap());
    assert_eq!(
        security::decrypt_apdu(&apdu, &no_ak, st, &mut out),
        Err(SecurityError::MissingKey("authentication"))
    );
    let k256 = SecurityKeys::new(Key::from_slice(&[7u8; 32]).unwrap())
        .with_authentication(Key::from_slice(&[1u8; 32]).unwrap());
    assert!(matches!(
        security::decrypt_apdu(&apdu, &k256, st, &mut out),
        Err(SecurityError::KeyLength {
            expected: 16,
            actual: 32,
            ..
        })
    ));
    let ded = vector("ded_get_request_auth_enc_suite0");
    let mut k = keys_of(&ded);
    k.dedicated = None;
    assert_eq!(
        security::decrypt_apdu(&bytes(&ded, "apdu"), &k, st, &mut out),
        Err(SecurityError::MissingKey("dedicated"))
    );
    assert_eq!(
        Key::from_slice(&[0; 15]).unwrap_err().kind(),
        ErrorKind::Length
    );
    let mut small = [0u8; 4];
    assert!(matches!(
        security::decrypt_apdu(&apdu, &keys_of(&v), st, &mut small),
        Err(SecurityError::BufferTooSmall {
            needed: 13,
            available: 4
        })
    ));
}

#[test]
fn unsupported_and_not_ciphered() {
    let mut out = [0u8; 64];
    let keys = SecurityKeys::new(Key::from_slice(&[0; 16]).unwrap());
    assert_eq!(
        security::decrypt_apdu(&[0xC0, 0x01], &keys, None, &mut out),
        Err(SecurityError::NotCiphered(0xC0))
    );
    // Compression bit.
    let mut a2 = unhex("DB080102030405060708060000000001AA");
    a2[11] = 0xA0; // SC: compression + encryption
    let e = security::decrypt_apdu(&a2, &keys, None, &mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported, "{e:?}");
    // Suite 5.
    let mut a3 = a2.clone();
    a3[11] = 0x25;
    assert_eq!(
        security::decrypt_apdu(&a3, &keys, None, &mut out)
            .unwrap_err()
            .kind(),
        ErrorKind::Unsupported
    );
    // Truncated: declared content longer than the input.
    assert_eq!(
        security::decrypt_apdu(&a2[..a2.len() - 1], &keys, None, &mut out)
            .unwrap_err()
            .kind(),
        ErrorKind::Truncated
    );
    // Wrapped key in general-ciphering is reported as unsupported.
    let gc = GeneralCipheringFields {
        transaction_id: &[1],
        originator_system_title: &[1, 2, 3, 4, 5, 6, 7, 8],
        recipient_system_title: &[],
        date_time: &[],
        other_information: &[],
        key_info: Some(KeyInfo::WrappedKey {
            kek_id: 0,
            key_ciphered_data: &[9; 24],
        }),
    };
    let mut p = Protection::new(
        Envelope::GeneralCiphering,
        SecurityControl(0x20),
        1,
        [1, 2, 3, 4, 5, 6, 7, 8],
    );
    p.general = Some(gc);
    let mut wire = [0u8; 128];
    let n = security::encrypt_apdu(&[0xC0, 1, 2], &p, &keys, &mut wire).unwrap();
    let e = security::decrypt_apdu(&wire[..n], &keys, None, &mut out).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Unsupported);
    // data-notification has no service-specific glo tag.
    let p = Protection::new(Envelope::Glo, SecurityControl(0x30), 1, [0; 8]);
    assert_eq!(
        security::encrypt_apdu(&[0x0F, 0, 0, 0, 1, 0, 0], &p, &keys, &mut wire)
            .unwrap_err()
            .kind(),
        ErrorKind::Unsupported
    );
}

/// Every decrypted get-request / data-notification parses with the crate's APDU parser.
#[test]
fn decrypted_apdus_parse_with_part_one() {
    use meterwire_dlms_cosem::Apdu;
    let mut n = 0;
    for Vector { name, plain, .. } in all_vectors() {
        if matches!(plain[0], 0x0F | 0xC0) {
            let a = Apdu::parse(&plain).unwrap_or_else(|e| panic!("{name}: {e}"));
            match (plain[0], a) {
                (0x0F, Apdu::DataNotification(d)) => assert!(d.data.walk(&mut |_| {}) >= 1),
                (0xC0, Apdu::GetRequest(_)) => {}
                (_, other) => panic!("{name}: {other:?}"),
            }
            n += 1;
        }
    }
    assert!(n >= 15, "{n}");
}

/// The APDU parser's `Ciphered` view converts and decrypts to the same plaintext.
#[test]
fn decrypt_from_part_one_ciphered_view() {
    use meterwire_dlms_cosem::Apdu;
    for v in all_vectors() {
        let (name, apdu) = (&v.name, &v.apdu);
        let Ok(Apdu::Ciphered(c)) = Apdu::parse(apdu) else {
            panic!("{name}: not parsed as ciphered by part 1");
        };
        let mine = CipheredApdu::from_ciphered(&c).unwrap();
        let raw = CipheredApdu::parse(apdu).unwrap();
        assert_eq!(
            (mine.envelope, mine.system_title, mine.general, mine.payload),
            (raw.envelope, raw.system_title, raw.general, raw.payload),
            "{name}"
        );
        let mut out = vec![0u8; apdu.len()];
        let (p, _) = security::decrypt_parsed(&mine, &v.keys(), v.st, &mut out).unwrap();
        assert_eq!(
            hex::encode(p),
            v.json["plaintext"].as_str().unwrap(),
            "{name}"
        );
    }
}

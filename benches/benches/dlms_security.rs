//! DLMS/COSEM security: decrypt + parse a 300-byte general-glo-ciphered
//! data-notification (security suite 0, SC 0x30) next to bare AES-GCM-128 over
//! the same bytes (issue 7 target: parse overhead <= 15% on top of the cipher).
#![allow(
    missing_docs,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::CpuTime;
use meterwire_dlms_cosem::Apdu;
use meterwire_dlms_cosem::security::{
    self, CipheredApdu, Envelope, Key, PreparedKeys, Protection, SecurityControl, SecurityKeys,
    TagCheck, decrypt_prepared, gcm,
};

/// A data-notification with 11 registers (OBIS, u32 value, scaler-unit) and a
/// meter id, sized so that its ciphered form is exactly 300 bytes.
fn notification() -> Vec<u8> {
    let mut p = vec![0x0F, 0x00, 0x00, 0x12, 0x34, 0x0C];
    p.extend_from_slice(&[
        0x07, 0xE9, 0x0B, 0x19, 0x03, 0x0C, 0x00, 0x00, 0xFF, 0x80, 0x00, 0x00,
    ]);
    p.extend_from_slice(&[0x02, 12]);
    for i in 0..11u8 {
        p.extend_from_slice(&[
            0x02,
            0x03,
            0x09,
            0x06,
            1,
            0,
            1 + i,
            8,
            0,
            0xFF,
            0x06,
            0,
            1,
            i,
            0x20,
        ]);
        p.extend_from_slice(&[0x02, 0x02, 0x0F, 0x00, 0x16, 0x1E]);
    }
    p.extend_from_slice(&[0x0A, 17]);
    p.extend_from_slice(b"KFM10203040506070");
    p
}

fn keys() -> SecurityKeys {
    SecurityKeys::new(Key::Aes128(core::array::from_fn(|i| i as u8)))
        .with_authentication(Key::Aes128(core::array::from_fn(|i| 0xD0 | i as u8)))
}

const ST: [u8; 8] = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];

/// The full path a push listener runs: parse the security header, decrypt
/// and verify, parse the APDU and visit every A-XDR value.
fn decrypt_and_parse(wire: &[u8], keys: &SecurityKeys, out: &mut [u8]) -> usize {
    let plain = security::decrypt_apdu(wire, keys, None, out).unwrap();
    match Apdu::parse(plain).unwrap() {
        Apdu::DataNotification(n) => n.data.walk(&mut |_| {}),
        _ => unreachable!(),
    }
}

fn bench(c: &mut Criterion<CpuTime>) {
    let keys = keys();
    let plain = notification();
    let p = Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 0x0000_0042, ST);
    let wire = security::encrypt_apdu_vec(&plain, &p, &keys).unwrap();
    assert_eq!(wire.len(), 300);
    let mut out = vec![0u8; 512];
    assert_eq!(decrypt_and_parse(&wire, &keys, &mut out), 1 + 11 * 6 + 1);

    // Bare AES-GCM-128 inputs, precomputed: IV, AAD = SC || AK, ciphertext, tag.
    let hdr = CipheredApdu::parse(&wire).unwrap();
    let iv = gcm::iv(&ST, hdr.invocation_counter);
    let mut aad = vec![0x30];
    aad.extend_from_slice(keys.authentication.as_ref().unwrap().as_bytes());
    let ct = hdr.payload[..hdr.plaintext_len()].to_vec();
    let tag: [u8; 12] = hdr.tag_bytes().unwrap().try_into().unwrap();
    let ek: [u8; 16] = core::array::from_fn(|i| i as u8);

    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("push_300_decrypt_parse/meterwire", |b| {
        b.iter(|| decrypt_and_parse(black_box(&wire), &keys, &mut out))
    });
    g.bench_function("push_300_decrypt/meterwire", |b| {
        b.iter(|| security::decrypt_apdu(black_box(&wire), &keys, None, &mut out).map(|p| p.len()))
    });
    // Where the parse time goes: the APDU parser alone, then with a full walk.
    g.bench_function("push_300_parse_only/meterwire", |b| {
        b.iter(|| {
            matches!(
                Apdu::parse(black_box(&plain)),
                Ok(Apdu::DataNotification(_))
            )
        })
    });
    g.bench_function("push_300_parse_walk/meterwire", |b| {
        b.iter(|| match Apdu::parse(black_box(&plain)) {
            Ok(Apdu::DataNotification(n)) => n.data.walk(&mut |_| {}),
            _ => 0,
        })
    });
    // black_box on the key, IV and AAD: otherwise LLVM hoists the key schedule
    // of the constant key out of the loop and the "bare" figure is not comparable.
    let mut buf = ct.clone();
    g.bench_function("push_300_decrypt/bare_aes_gcm", |b| {
        b.iter(|| {
            buf.copy_from_slice(black_box(&ct));
            gcm::bare_gcm128_open(
                black_box(&ek),
                black_box(&iv),
                black_box(&aad),
                &mut buf,
                black_box(&tag),
            )
            .unwrap();
            buf[0]
        })
    });
    // Issue 17: the key ring's path (key schedule and GHASH key prepared once) against
    // a pre-keyed bare AES-GCM over the same bytes; both copy the ciphertext into the
    // output buffer and verify the tag.
    let prepared = PreparedKeys::new(&keys);
    g.bench_function("push_300_decrypt/meterwire_keyring", |b| {
        b.iter(|| {
            let c = CipheredApdu::parse(black_box(&wire)).unwrap();
            let (p, _, _) =
                decrypt_prepared(&c, &prepared, None, &mut out, TagCheck::Verify).unwrap();
            p[0]
        })
    });
    let bare = gcm::BareGcm128::new(&ek);
    let mut buf2 = ct.clone();
    g.bench_function("push_300_decrypt/bare_aes_gcm_prekeyed", |b| {
        b.iter(|| {
            buf2.copy_from_slice(black_box(&ct));
            bare.open(black_box(&iv), black_box(&aad), &mut buf2, black_box(&tag))
                .unwrap();
            buf2[0]
        })
    });
    g.finish();
}

/// Issue 17 seal path: protecting the same 283-byte data-notification as a 300-byte
/// general-glo-ciphering APDU (header written, plaintext copied, AES-GCM-128 sealed,
/// tag appended; the key schedule is built per call) next to a bare AES-GCM-128 seal
/// of the same plaintext (key expanded per call, plaintext copied into the buffer).
fn seal(c: &mut Criterion<CpuTime>) {
    let keys = keys();
    let plain = notification();
    let p = Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 0x0000_0042, ST);
    let mut out = vec![0u8; p.encrypted_len(plain.len())];
    let wire = security::encrypt_apdu_vec(&plain, &p, &keys).unwrap();
    let n = security::encrypt_apdu(&plain, &p, &keys, &mut out).unwrap();
    assert_eq!(&out[..n], &wire[..]);

    let iv = gcm::iv(&ST, 0x0000_0042);
    let mut aad = vec![0x30];
    aad.extend_from_slice(keys.authentication.as_ref().unwrap().as_bytes());
    let ek: [u8; 16] = core::array::from_fn(|i| i as u8);
    let mut buf = plain.clone();
    let tag = gcm::bare_gcm128_seal(&ek, &iv, &aad, &mut buf).unwrap();
    // the same ciphertext and tag as the last 295 bytes of meterwire's APDU
    assert_eq!(
        &wire[wire.len() - 12 - buf.len()..wire.len() - 12],
        &buf[..]
    );
    assert_eq!(&wire[wire.len() - 12..], &tag[..]);

    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("push_300_encrypt/meterwire", |b| {
        b.iter(|| security::encrypt_apdu(black_box(&plain), &p, &keys, &mut out).unwrap())
    });
    g.bench_function("push_300_encrypt/bare_aes_gcm_seal", |b| {
        b.iter(|| {
            buf.copy_from_slice(black_box(&plain));
            let t =
                gcm::bare_gcm128_seal(black_box(&ek), black_box(&iv), black_box(&aad), &mut buf)
                    .unwrap();
            t[0]
        })
    });
    g.finish();
}

/// The published TINETZ Kaifa push (security suite 1, encryption only; see
/// the source is named in dlms-cosem/tests/vectors/security/vectors.json) against
/// dlms_cosem 0.2 (reitermarkus), which decrypts general-glo-ciphering pushes
/// (encryption only; it does not verify tags) and parses into owned values.
fn peer(c: &mut Criterion<CpuTime>) {
    let hex = include_str!("../../dlms-cosem/tests/vectors/security/tirol_kaifa_push.hex").trim();
    let wire: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let key: [u8; 16] = core::array::from_fn(|i| 0x10 + i as u8);
    let keys = SecurityKeys::new(Key::Aes128(key));
    let mut out = vec![0u8; 512];
    assert_eq!(
        decrypt_and_parse(&wire, &keys, &mut out),
        1 + 2 + 2 * 3 + 8 * 6
    );
    let peer_ok = dlms_cosem::Apdu::parse_encrypted(&wire, &key.into()).is_ok();
    assert!(peer_ok);

    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("tirol_push_decrypt_parse/meterwire", |b| {
        b.iter(|| decrypt_and_parse(black_box(&wire), &keys, &mut out))
    });
    g.bench_function("tirol_push_decrypt_parse/dlms_cosem", |b| {
        b.iter(|| dlms_cosem::Apdu::parse_encrypted(black_box(&wire), &key.into()).is_ok())
    });
    g.finish();
}

/// `DLMS_INTERLEAVED=1 cargo bench -p meterwire-benches --bench dlms_security`: the
/// decrypt cases run alternately in short rounds and each keeps its best round, so the
/// load of a shared machine hits all of them alike (issue 17: key ring vs pre-keyed bare).
fn interleaved() {
    let keys = keys();
    let plain = notification();
    let p = Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 0x0000_0042, ST);
    let wire = security::encrypt_apdu_vec(&plain, &p, &keys).unwrap();
    let hdr = CipheredApdu::parse(&wire).unwrap();
    let iv = gcm::iv(&ST, hdr.invocation_counter);
    let mut aad = vec![0x30];
    aad.extend_from_slice(keys.authentication.as_ref().unwrap().as_bytes());
    let ct = hdr.payload[..hdr.plaintext_len()].to_vec();
    let tag: [u8; 12] = hdr.tag_bytes().unwrap().try_into().unwrap();
    let ek: [u8; 16] = core::array::from_fn(|i| i as u8);
    let prepared = PreparedKeys::new(&keys);
    let bare = gcm::BareGcm128::new(&ek);
    let out = std::cell::RefCell::new(vec![0u8; 512]);
    let buf = std::cell::RefCell::new(ct.clone());
    type Case<'a> = (&'a str, Box<dyn Fn() -> u8 + 'a>);
    let cases: Vec<Case<'_>> = vec![
        (
            "push_300_decrypt/meterwire_keyring",
            Box::new(|| {
                let mut out = out.borrow_mut();
                let c = CipheredApdu::parse(black_box(&wire)).unwrap();
                let (p, _, _) =
                    decrypt_prepared(&c, &prepared, None, &mut out, TagCheck::Verify).unwrap();
                p[0]
            }),
        ),
        (
            "push_300_decrypt/bare_aes_gcm_prekeyed",
            Box::new(|| {
                let mut buf = buf.borrow_mut();
                buf.copy_from_slice(black_box(&ct));
                bare.open(black_box(&iv), black_box(&aad), &mut buf, black_box(&tag))
                    .unwrap();
                buf[0]
            }),
        ),
        (
            "push_300_decrypt/meterwire",
            Box::new(|| {
                let mut out = out.borrow_mut();
                security::decrypt_apdu(black_box(&wire), &keys, None, &mut out).unwrap()[0]
            }),
        ),
        (
            "push_300_decrypt/bare_aes_gcm",
            Box::new(|| {
                let mut buf = buf.borrow_mut();
                buf.copy_from_slice(black_box(&ct));
                gcm::bare_gcm128_open(
                    black_box(&ek),
                    black_box(&iv),
                    black_box(&aad),
                    &mut buf,
                    black_box(&tag),
                )
                .unwrap();
                buf[0]
            }),
        ),
        (
            "push_300_header_parse/meterwire",
            Box::new(|| {
                CipheredApdu::parse(black_box(&wire))
                    .unwrap()
                    .invocation_counter as u8
            }),
        ),
    ];
    let fns: Vec<&dyn Fn() -> _> = cases.iter().map(|c| &*c.1).collect();
    let best = meterwire_benches::interleaved_best(400, 200, &fns);
    println!("| case | ns/frame (best round) | vs pre-keyed bare |");
    println!("|---|---:|---:|");
    for (i, (name, _)) in cases.iter().enumerate() {
        println!("| {name} | {:.0} | {:.3}x |", best[i], best[i] / best[1]);
    }
}

meterwire_benches::main!(when "DLMS_INTERLEAVED" => interleaved; bench, peer, seal);

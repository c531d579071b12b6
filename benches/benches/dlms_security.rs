//! DLMS/COSEM security: decrypt + parse a 300-byte general-glo-ciphered
//! data-notification (security suite 0, SC 0x30) next to bare AES-GCM-128 over
//! the same bytes (issue 7 target: parse overhead <= 15% on top of the cipher).
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
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

/// The protection of the 300-byte push: general-glo-ciphering, SC 0x30, IC 0x42.
fn protection() -> Protection<'static> {
    Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 0x0000_0042, ST)
}

/// The 300-byte push: keys, plaintext, ciphered APDU, and the bare cases' inputs.
struct Push300 {
    keys: SecurityKeys,
    plain: Vec<u8>,
    wire: Vec<u8>,
    gcm: GcmInputs,
}

/// What the bare AES-GCM-128 cases take from the push, precomputed: IV,
/// AAD = SC || AK, ciphertext, tag and the encryption key.
struct GcmInputs {
    iv: [u8; 12],
    aad: Vec<u8>,
    ct: Vec<u8>,
    tag: [u8; 12],
    ek: [u8; 16],
}

fn push_300() -> Push300 {
    let keys = keys();
    let plain = notification();
    let wire = security::encrypt_apdu_vec(&plain, &protection(), &keys).unwrap();
    assert_eq!(wire.len(), 300);
    let hdr = CipheredApdu::parse(&wire).unwrap();
    let iv = gcm::iv(&ST, hdr.invocation_counter);
    let mut aad = vec![0x30];
    aad.extend_from_slice(keys.authentication.as_ref().unwrap().as_bytes());
    let ct = hdr.payload[..hdr.plaintext_len()].to_vec();
    let tag: [u8; 12] = hdr.tag_bytes().unwrap().try_into().unwrap();
    let gcm = GcmInputs {
        iv,
        aad,
        ct,
        tag,
        ek: core::array::from_fn(|i| i as u8),
    };
    Push300 {
        keys,
        plain,
        wire,
        gcm,
    }
}

/// Bare AES-GCM-128 open of the ciphertext copied into `buf`, the key expanded per
/// call. black_box on the key, IV and AAD: otherwise LLVM hoists the key schedule
/// of the constant key out of the loop and the "bare" figure is not comparable.
#[inline(always)]
fn bare_open(s: &GcmInputs, buf: &mut [u8]) -> u8 {
    buf.copy_from_slice(black_box(&s.ct));
    gcm::bare_gcm128_open(
        black_box(&s.ek),
        black_box(&s.iv),
        black_box(&s.aad),
        buf,
        black_box(&s.tag),
    )
    .unwrap();
    buf[0]
}

/// The same with the key schedule and GHASH key prepared once (`bare`).
#[inline(always)]
fn bare_open_prekeyed(s: &GcmInputs, bare: &gcm::BareGcm128, buf: &mut [u8]) -> u8 {
    buf.copy_from_slice(black_box(&s.ct));
    bare.open(black_box(&s.iv), black_box(&s.aad), buf, black_box(&s.tag))
        .unwrap();
    buf[0]
}

/// The key ring's path: header parse, then decrypt and verify with prepared keys.
#[inline(always)]
fn keyring_decrypt(wire: &[u8], prepared: &PreparedKeys, out: &mut [u8]) -> u8 {
    let c = CipheredApdu::parse(black_box(wire)).unwrap();
    let (p, _, _) = decrypt_prepared(&c, prepared, None, out, TagCheck::Verify).unwrap();
    p[0]
}

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
    let Push300 {
        keys,
        plain,
        wire,
        gcm: bare_in,
    } = push_300();
    let mut out = vec![0u8; 512];
    assert_eq!(decrypt_and_parse(&wire, &keys, &mut out), 1 + 11 * 6 + 1);

    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    bench_iter!(g, "push_300_decrypt_parse/meterwire", || {
        decrypt_and_parse(black_box(&wire), &keys, &mut out)
    });
    bench_iter!(g, "push_300_decrypt/meterwire", || {
        security::decrypt_apdu(black_box(&wire), &keys, None, &mut out).map(|p| p.len())
    });
    // Where the parse time goes: the APDU parser alone, then with a full walk.
    bench_iter!(g, "push_300_parse_only/meterwire", || {
        matches!(
            Apdu::parse(black_box(&plain)),
            Ok(Apdu::DataNotification(_))
        )
    });
    bench_iter!(g, "push_300_parse_walk/meterwire", || {
        match Apdu::parse(black_box(&plain)) {
            Ok(Apdu::DataNotification(n)) => n.data.walk(&mut |_| {}),
            _ => 0,
        }
    });
    let mut buf = bare_in.ct.clone();
    bench_iter!(g, "push_300_decrypt/bare_aes_gcm", || {
        bare_open(&bare_in, &mut buf)
    });
    // Issue 17: the key ring's path (key schedule and GHASH key prepared once) against
    // a pre-keyed bare AES-GCM over the same bytes; both copy the ciphertext into the
    // output buffer and verify the tag.
    let prepared = PreparedKeys::new(&keys);
    bench_iter!(g, "push_300_decrypt/meterwire_keyring", || {
        keyring_decrypt(&wire, &prepared, &mut out)
    });
    let bare = gcm::BareGcm128::new(&bare_in.ek);
    let mut buf2 = bare_in.ct.clone();
    bench_iter!(g, "push_300_decrypt/bare_aes_gcm_prekeyed", || {
        bare_open_prekeyed(&bare_in, &bare, &mut buf2)
    });
    g.finish();
}

/// Issue 17 seal path: protecting the same 283-byte data-notification as a 300-byte
/// general-glo-ciphering APDU (header written, plaintext copied, AES-GCM-128 sealed,
/// tag appended; the key schedule is built per call) next to a bare AES-GCM-128 seal
/// of the same plaintext (key expanded per call, plaintext copied into the buffer).
fn seal(c: &mut Criterion<CpuTime>) {
    let Push300 {
        keys,
        plain,
        wire,
        gcm: GcmInputs { iv, aad, ek, .. },
    } = push_300();
    let p = protection();
    let mut out = vec![0u8; p.encrypted_len(plain.len())];
    let n = security::encrypt_apdu(&plain, &p, &keys, &mut out).unwrap();
    assert_eq!(&out[..n], &wire[..]);

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
    bench_iter!(g, "push_300_encrypt/meterwire", || {
        security::encrypt_apdu(black_box(&plain), &p, &keys, &mut out).unwrap()
    });
    bench_iter!(g, "push_300_encrypt/bare_aes_gcm_seal", || {
        buf.copy_from_slice(black_box(&plain));
        let t = gcm::bare_gcm128_seal(black_box(&ek), black_box(&iv), black_box(&aad), &mut buf)
            .unwrap();
        t[0]
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
    bench_iter!(g, "tirol_push_decrypt_parse/meterwire", || {
        decrypt_and_parse(black_box(&wire), &keys, &mut out)
    });
    bench_iter!(g, "tirol_push_decrypt_parse/dlms_cosem", || {
        dlms_cosem::Apdu::parse_encrypted(black_box(&wire), &key.into()).is_ok()
    });
    g.finish();
}

/// `DLMS_INTERLEAVED=1 cargo bench -p meterwire-benches --bench dlms_security`: the
/// decrypt cases run alternately in short rounds and each keeps its best round, so the
/// load of a shared machine hits all of them alike (issue 17: key ring vs pre-keyed bare).
fn interleaved() {
    let Push300 {
        keys,
        wire,
        gcm: bare_in,
        ..
    } = push_300();
    let prepared = PreparedKeys::new(&keys);
    let bare = gcm::BareGcm128::new(&bare_in.ek);
    let out = std::cell::RefCell::new(vec![0u8; 512]);
    let buf = std::cell::RefCell::new(bare_in.ct.clone());
    type Case<'a> = (&'a str, Box<dyn Fn() -> u8 + 'a>);
    let cases: Vec<Case<'_>> = vec![
        (
            "push_300_decrypt/meterwire_keyring",
            Box::new(|| keyring_decrypt(&wire, &prepared, &mut out.borrow_mut())),
        ),
        (
            "push_300_decrypt/bare_aes_gcm_prekeyed",
            Box::new(|| bare_open_prekeyed(&bare_in, &bare, &mut buf.borrow_mut())),
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
            Box::new(|| bare_open(&bare_in, &mut buf.borrow_mut())),
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

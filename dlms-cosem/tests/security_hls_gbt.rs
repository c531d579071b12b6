//! HLS-GMAC (mechanism 5), invocation-counter monotonicity and general block
//! transfer reassembly (real plain blocks from a Landis+Gyr E450, ciphered blocks).
#![cfg(feature = "crypto")]

use crate::security_support;

use meterwire_core::crc::CRC16_X25;
use meterwire_core::{Classify, ErrorKind};
use meterwire_dlms_cosem::security::{
    self, BlockReassembler, Envelope, GeneralBlock, InvocationCounterGuard, Key, Protection,
    SecurityControl, SecurityError, SecurityKeys, check_invocation_counter, hls_gmac_response,
    hls_gmac_verify,
};
use security_support::{Tok, notification_tokens, unhex};

use crate::common::security_vectors as vectors;

#[test]
fn hls_gmac_vectors() {
    let v = vectors();
    let hls = v["hls_gmac"].as_array().unwrap();
    assert_eq!(hls.len(), 4);
    for h in hls {
        let name = h["name"].as_str().unwrap();
        let keys = SecurityKeys::new(Key::from_slice(&unhex(h["ek"].as_str().unwrap())).unwrap())
            .with_authentication(Key::from_slice(&unhex(h["ak"].as_str().unwrap())).unwrap());
        let st: [u8; 8] = unhex(h["system_title"].as_str().unwrap())
            .try_into()
            .unwrap();
        let ic = h["invocation_counter"].as_u64().unwrap() as u32;
        let suite = h["suite"].as_u64().unwrap() as u8;
        let ch = unhex(h["challenge"].as_str().unwrap());
        let expect = unhex(h["response"].as_str().unwrap());
        let r = hls_gmac_response(&keys, suite, st, ic, &ch).unwrap();
        assert_eq!(&r[..], &expect[..], "{name}");
        assert_eq!(r[0], 0x10 | suite);
        // The peer verifies it with our system title.
        assert_eq!(hls_gmac_verify(&keys, st, &ch, &r), Ok(ic), "{name}");
        // Wrong challenge, system title, tampered byte, wrong key: fail.
        let mut ch2 = ch.clone();
        ch2[0] ^= 1;
        assert_eq!(
            hls_gmac_verify(&keys, st, &ch2, &r),
            Err(SecurityError::AuthenticationFailed)
        );
        let mut st2 = st;
        st2[0] ^= 1;
        assert_eq!(
            hls_gmac_verify(&keys, st2, &ch, &r),
            Err(SecurityError::AuthenticationFailed)
        );
        for i in 1..r.len() {
            let mut t = r;
            t[i] ^= 0x20;
            assert_eq!(
                hls_gmac_verify(&keys, st, &ch, &t),
                Err(SecurityError::AuthenticationFailed),
                "{name} byte {i}"
            );
        }
        assert!(hls_gmac_verify(&keys, st, &ch, &r[..16]).is_err());
        let mut other = keys.clone();
        other.authentication = Some(Key::from_slice(&vec![9; keys.unicast.len()]).unwrap());
        assert_eq!(
            hls_gmac_verify(&other, st, &ch, &r).unwrap_err().kind(),
            ErrorKind::Authentication
        );
    }
}

#[test]
fn hls_gmac_client_server_exchange() {
    let keys = SecurityKeys::new(Key::from_slice(&[0x11; 16]).unwrap())
        .with_authentication(Key::from_slice(&[0x22; 16]).unwrap());
    let client = *b"CLI00001";
    let server = *b"SRV00001";
    let ctos = b"ClientChallenge!";
    let stoc = b"ServerChallenge-32-bytes-long..!";
    // Client -> server: f(StoC) with the client's system title and counter.
    let f_stoc = hls_gmac_response(&keys, 0, client, 100, stoc).unwrap();
    assert_eq!(hls_gmac_verify(&keys, client, stoc, &f_stoc), Ok(100));
    // Server -> client: f(CtoS).
    let f_ctos = hls_gmac_response(&keys, 0, server, 7, ctos).unwrap();
    assert_eq!(hls_gmac_verify(&keys, server, ctos, &f_ctos), Ok(7));
    // Replaying the client's answer as the server's fails.
    assert!(hls_gmac_verify(&keys, server, ctos, &f_stoc).is_err());
}

#[test]
fn invocation_counter_monotonicity() {
    assert_eq!(check_invocation_counter(None, 0), Ok(()));
    assert_eq!(check_invocation_counter(Some(5), 6), Ok(()));
    assert_eq!(
        check_invocation_counter(Some(5), 5),
        Err(SecurityError::Replay {
            last: 5,
            received: 5
        })
    );
    assert_eq!(
        check_invocation_counter(Some(5), 4).unwrap_err().kind(),
        ErrorKind::Authentication
    );
    let mut g = InvocationCounterGuard::new();
    assert_eq!(g.accept(0x23), Ok(()));
    assert_eq!(g.accept(0x24), Ok(()));
    assert_eq!(
        g.accept(0x24),
        Err(SecurityError::Replay {
            last: 0x24,
            received: 0x24
        })
    );
    assert_eq!(g.last(), Some(0x24));
    assert_eq!(g.check(0x1000), Ok(()));
    assert_eq!(g.last(), Some(0x24));
    let g = InvocationCounterGuard::resume(u32::MAX);
    assert!(g.check(u32::MAX).is_err());
}

/// Replay of a real push is caught once its counter has been accepted.
#[test]
fn replayed_push_is_rejected_by_guard() {
    let apdu = unhex(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/security/evn_kaifa_ma309_push.hex"
        ))
        .unwrap(),
    );
    let keys =
        SecurityKeys::new(Key::from_slice(&unhex("36C66639E48A8CA4D6BC8B282A793BBB")).unwrap());
    let mut guard = InvocationCounterGuard::new();
    let mut out = [0u8; 300];
    for round in 0..2 {
        let c = security::CipheredApdu::parse(&apdu).unwrap();
        let (_, h) = security::decrypt_parsed(&c, &keys, None, &mut out).unwrap();
        let r = guard.accept(h.invocation_counter);
        assert_eq!(r.is_ok(), round == 0);
    }
}

/// Landis+Gyr E450 (Swiss customer port) push in six HDLC frames carrying plain
/// general-block-transfer blocks. Source: scs/smartmeter-datacollector
/// tests/utils.py `unencrypted_valid_data_lg`.
const E450_FRAMES: [&str; 6] = [
    "7E A0 84 CE FF 03 13 12 8B E6 E7 00 E0 40 00 01 00 00 70 0F 00 00 CB C2 0C 07 E5 07 06 02 0E 3A 05 FF 80 00 00 02 10 01 10 02 04 12 00 28 09 06 00 08 19 09 00 FF 0F 02 12 00 00 02 04 12 00 28 09 06 00 08 19 09 00 FF 0F 01 12 00 00 02 04 12 00 01 09 06 00 00 2A 00 00 FF 0F 02 12 00 00 02 04 12 00 01 09 06 00 00 60 01 01 FF 0F 02 12 00 00 02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00 77 C8 7E",
    "7E A0 7D CE FF 03 13 D0 45 E0 40 00 02 00 00 6C 02 04 12 00 03 09 06 01 00 01 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 02 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 03 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 04 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 01 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 02 08 00 FF 0F 02 12 00 00 B3 98 7E",
    "7E A0 84 CE FF 03 13 12 8B E6 E7 00 E0 40 00 01 00 00 70 0F 00 00 CB C6 0C 07 E5 07 06 02 0E 3A 10 FF 80 00 00 02 10 01 10 02 04 12 00 28 09 06 00 08 19 09 00 FF 0F 02 12 00 00 02 04 12 00 28 09 06 00 08 19 09 00 FF 0F 01 12 00 00 02 04 12 00 01 09 06 00 00 2A 00 00 FF 0F 02 12 00 00 02 04 12 00 01 09 06 00 00 60 01 01 FF 0F 02 12 00 00 02 04 12 00 08 09 06 00 00 01 00 00 FF 0F 02 12 00 00 27 73 7E",
    "7E A0 7D CE FF 03 13 D0 45 E0 40 00 02 00 00 6C 02 04 12 00 03 09 06 01 00 01 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 02 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 03 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 04 07 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 01 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 02 08 00 FF 0F 02 12 00 00 B3 98 7E",
    "7E A0 8B CE FF 03 13 EE E1 E0 40 00 03 00 00 7A 02 04 12 00 03 09 06 01 01 05 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 06 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 07 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 01 08 08 00 FF 0F 02 12 00 00 02 04 12 00 03 09 06 01 00 0D 07 00 FF 0F 02 12 00 00 09 06 00 08 19 09 00 FF 09 10 4C 47 5A 31 30 33 30 36 35 35 39 33 33 35 31 32 09 07 31 39 33 35 3B 2A 7E",
    "7E A0 57 CE FF 03 13 E9 69 E0 C0 00 04 00 00 46 39 31 32 09 0C 07 E5 07 06 02 0E 3A 12 FF 80 00 81 06 00 00 00 1C 06 00 00 00 00 06 00 00 00 00 06 00 00 00 0A 06 00 0D 88 C1 06 00 00 00 00 06 00 00 00 12 06 00 00 00 01 06 00 00 00 00 06 00 04 72 0D 12 03 AD C2 CE 7E",
];

/// Information field of an HDLC frame (checks FCS; drops the LLC header).
fn hdlc_info(frame: &[u8]) -> &[u8] {
    assert_eq!((frame[0], frame[frame.len() - 1]), (0x7E, 0x7E));
    let body = &frame[1..frame.len() - 1];
    let (data, fcs) = body.split_at(body.len() - 2);
    assert_eq!(
        CRC16_X25.checksum(data),
        u16::from_le_bytes([fcs[0], fcs[1]]),
        "fcs"
    );
    let info = &data[8..]; // format 2, dest 2, src 1, control 1, HCS 2
    info.strip_prefix(&[0xE6, 0xE7, 0x00][..]).unwrap_or(info)
}

#[test]
fn e450_plain_block_transfer() {
    // Frames 0-1 are a first push interrupted (its block 1-2 then restart at
    // block 1); feed the last complete sequence: frames 2..6.
    let frames: Vec<Vec<u8>> = E450_FRAMES.iter().map(|f| unhex(f)).collect();
    let mut buf = [0u8; 1024];
    let mut r = BlockReassembler::new(&mut buf);
    // Blocks 1, 2 of the first push, then block 1 again: a sequence error, then restart.
    assert!(r.push(hdlc_info(&frames[0])).unwrap().is_none());
    assert!(r.push(hdlc_info(&frames[1])).unwrap().is_none());
    let e = r.push(hdlc_info(&frames[2])).unwrap_err();
    assert_eq!(
        e,
        SecurityError::BlockSequence {
            expected: 3,
            actual: 1
        }
    );
    assert_eq!(e.kind(), ErrorKind::Malformed);
    assert!(r.push(hdlc_info(&frames[2])).unwrap().is_none());
    let b = GeneralBlock::parse(hdlc_info(&frames[3])).unwrap();
    assert_eq!(
        (
            b.last_block,
            b.streaming,
            b.block_number,
            b.block_number_ack,
            b.data.len()
        ),
        (false, true, 2, 0, 108)
    );
    assert!(r.push_block(&b).unwrap().is_none());
    assert!(r.push(hdlc_info(&frames[4])).unwrap().is_none());
    let apdu = r.push(hdlc_info(&frames[5])).unwrap().unwrap().to_vec();
    assert_eq!(apdu.len(), 112 + 108 + 122 + 70);
    assert_eq!(&apdu[..5], &unhex("0F0000CBC6")[..]);
    let toks = notification_tokens(&apdu);
    assert_eq!(toks[0], Tok::Struct(16));
    assert_eq!(toks[1], Tok::Array(16));
    assert!(toks.contains(&Tok::Oct(b"LGZ1030655933512".to_vec())));
    assert!(toks.contains(&Tok::Oct(unhex("07E50706020E3A12FF800081"))));
    let nums: Vec<i64> = toks
        .iter()
        .rev()
        .take(11)
        .rev()
        .map(|t| match t {
            Tok::Num(n) => *n,
            t => panic!("{t:?}"),
        })
        .collect();
    // 1-0:1.7.0, 2.7.0, 3.7.0, 4.7.0, 1-1:1.8.0, 2.8.0, 5.8.0, 6.8.0, 7.8.0, 8.8.0, 1-0:13.7.0
    assert_eq!(nums, [28, 0, 0, 10, 0x0D_88C1, 0, 18, 1, 0, 0x04_720D, 941]);
}

fn gb_keys() -> SecurityKeys {
    SecurityKeys::new(Key::from_slice(&unhex("000102030405060708090A0B0C0D0E0F")).unwrap())
        .with_authentication(Key::from_slice(&unhex("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF")).unwrap())
}

fn gbt(block: u16, last: bool, data: &[u8]) -> Vec<u8> {
    let mut v = vec![
        0xE0,
        if last { 0x80 } else { 0x00 },
        (block >> 8) as u8,
        block as u8,
        0,
        0,
    ];
    if data.len() < 0x80 {
        v.push(data.len() as u8);
    } else {
        v.extend_from_slice(&[0x81, data.len() as u8]);
    }
    v.extend_from_slice(data);
    v
}

fn tirol_plain() -> Vec<u8> {
    unhex(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/security/tirol_kaifa_push.plain.hex"
        ))
        .unwrap(),
    )
}

/// A ciphered APDU split into plain GBT blocks: reassemble, then decrypt.
#[test]
fn ciphered_apdu_in_plain_blocks() {
    let keys = gb_keys();
    let st = *b"MMM\x00\x00\xBCaN";
    let plain = tirol_plain();
    let p = Protection::new(Envelope::GeneralGlo, SecurityControl(0x30), 77, st);
    let wire = security::encrypt_apdu_vec(&plain, &p, &keys).unwrap();
    let chunks: Vec<&[u8]> = wire.chunks(100).collect();
    let mut buf = [0u8; 600];
    let mut r = BlockReassembler::new(&mut buf);
    let mut done = None;
    for (i, c) in chunks.iter().enumerate() {
        let last = i + 1 == chunks.len();
        let out = r.push(&gbt(i as u16 + 1, last, c)).unwrap();
        assert_eq!(out.is_some(), last);
        if let Some(o) = out {
            done = Some(o.to_vec());
        }
    }
    let done = done.unwrap();
    assert_eq!(done, wire);
    let mut out = [0u8; 600];
    assert_eq!(
        security::decrypt_apdu(&done, &keys, None, &mut out).unwrap(),
        &plain[..]
    );
}

/// Each GBT block individually ciphered (general-glo-ciphering around the block).
#[test]
fn ciphered_blocks() {
    let keys = gb_keys();
    let st = *b"MMM\x00\x00\xBCaN";
    let plain = tirol_plain();
    let chunks: Vec<&[u8]> = plain.chunks(64).collect();
    let mut buf = [0u8; 600];
    let mut scratch = [0u8; 128];
    let mut r = BlockReassembler::new(&mut buf);
    let mut guard = InvocationCounterGuard::new();
    let mut result = None;
    for (i, c) in chunks.iter().enumerate() {
        let last = i + 1 == chunks.len();
        let block = gbt(i as u16 + 1, last, c);
        let p = Protection::new(
            Envelope::GeneralGlo,
            SecurityControl(0x30),
            1000 + i as u32,
            st,
        );
        let wire = security::encrypt_apdu_vec(&block, &p, &keys).unwrap();
        guard
            .accept(
                security::CipheredApdu::parse(&wire)
                    .unwrap()
                    .invocation_counter,
            )
            .unwrap();
        if i == 1 {
            // A tampered block is rejected and does not disturb the reassembly.
            let mut t = wire.clone();
            let n = t.len();
            t[n - 13] ^= 4;
            assert_eq!(
                r.push_protected(&t, &keys, None, &mut scratch).unwrap_err(),
                SecurityError::AuthenticationFailed
            );
        }
        if let Some(o) = r.push_protected(&wire, &keys, None, &mut scratch).unwrap() {
            result = Some(o.to_vec());
        }
    }
    assert_eq!(result.unwrap(), plain);
    // Plain GBT blocks also go through push_protected.
    let mut buf2 = [0u8; 600];
    let mut r2 = BlockReassembler::new(&mut buf2);
    assert!(
        r2.push_protected(&gbt(1, false, &plain[..10]), &keys, None, &mut scratch)
            .unwrap()
            .is_none()
    );
    assert_eq!(
        r2.push_protected(&gbt(2, true, &plain[10..20]), &keys, None, &mut scratch)
            .unwrap()
            .unwrap(),
        &plain[..20]
    );
}

#[test]
fn reassembly_buffer_bound() {
    let mut buf = [0u8; 16];
    let mut r = BlockReassembler::new(&mut buf);
    assert!(r.push(&gbt(1, false, &[1; 10])).unwrap().is_none());
    assert_eq!(
        r.push(&gbt(2, true, &[2; 10])),
        Err(SecurityError::BufferTooSmall {
            needed: 20,
            available: 16
        })
    );
    assert_eq!(r.collected(), 0);
    assert!(GeneralBlock::parse(&[0xE0, 0x80, 0, 1, 0]).is_err());
    assert!(GeneralBlock::parse(&[0xC0, 0x80, 0, 1, 0, 0, 0]).is_err());
}

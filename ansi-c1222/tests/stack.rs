#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! The stack framers (issue 13) and their bounds under hostile input (issue 18).
#![cfg(all(feature = "crypto", feature = "serde"))]

use meterwire_ansi_c1222::c1218::{PacketRepr, packetize};
use meterwire_ansi_c1222::c1222::{Apdu, Ciphered};
use meterwire_ansi_c1222::psem::{ReadResponse, Request, Service, TableData};
use meterwire_ansi_c1222::stack::{BaseOid, C1218Framer, C1222Framer, Decryption, KeyArray};
use meterwire_ansi_c1222::{Decoded, DiagnosticKind, Encode, Framer};
use meterwire_testkit::{
    Ev, assert_byte_accounting, assert_streaming, check_byte_accounting, hex, run_chunks,
};
use proptest::prelude::*;

/// Wireshark `c1222_std_example8.pcap` frames 1 and 2 (TCP payloads).
const EX8_F1: &str = "604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8";
const EX8_F2: &str = "6048a20480027b04a403020103a60580037bc175a803020103ac0fa20da00ba109800102810448f3d060be1e281c811a884baee4349631ab5e56a0e6e0e90dfad558591ee4ea334cb268";
const KEY2: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];

#[test]
fn base_oid_from_dotted_text() {
    let b: BaseOid = "2.16.124.113620.1.22.0".parse().unwrap();
    assert_eq!(
        b.content(),
        &[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00]
    );
    assert_eq!(
        BaseOid::from_content(&[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00]).unwrap(),
        b
    );
    assert_eq!("".parse::<BaseOid>().unwrap(), BaseOid::NONE);
    for bad in ["2", "x.1", "3.1", "1.40", "2.16..1"] {
        assert!(bad.parse::<BaseOid>().is_err(), "{bad}");
    }
}

#[test]
fn mode2_services_say_ciphered() {
    let raw = hex(EX8_F1);
    let a = Apdu::parse(&raw).unwrap();
    assert_eq!(a.epsem().services().err(), Some(Ciphered));
    assert_eq!(
        Ciphered.to_string(),
        "epsem is ciphered (security mode 2): decrypt it to read its services"
    );
}

#[test]
fn key_array_decrypts_and_missing_key_is_a_diagnostic() {
    let mut ring: KeyArray<2> = KeyArray::new();
    assert!(ring.insert(9, &[0; 16]));
    assert!(ring.insert(2, &KEY2));
    assert!(!ring.insert(3, &[0; 16]), "full");
    let base = "2.16.124.113620.1.22.0".parse().unwrap();
    let mut f = C1222Framer::with_keys(ring).base_oid(base);
    let raw = hex(EX8_F1);
    let Ok(Decoded::Frame { frame, .. }) = f.decode(&raw) else {
        panic!()
    };
    assert_eq!(frame.decryption, Decryption::Decrypted);
    let s: Vec<_> = frame.messages().map(|m| m.service).collect();
    assert_eq!(
        s[1],
        Service::Request(Request::PartialReadOffset {
            table: meterwire_ansi_c1222::c1219::TableId(1),
            offset: 16,
            count: 16
        })
    );
    // no key 2: shown undecrypted with not_decrypted; strict rejects it
    let mut g = C1222Framer::new().with_key(9, [0; 16]);
    let Ok(Decoded::Frame { frame, .. }) = g.decode(&raw) else {
        panic!()
    };
    assert_eq!(frame.decryption, Decryption::NoKey { key_id: Some(2) });
    let d: Vec<_> = frame.diagnostics().collect();
    assert_eq!(
        (d[0].kind, d[0].value),
        (DiagnosticKind::NotDecrypted, Some(2))
    );
    let mut h = C1222Framer::new().strict();
    assert!(h.decode(&raw).is_err());
}

#[test]
fn c1222_stream_at_every_split() {
    let mut s = hex(EX8_F1);
    s.extend(hex(EX8_F2));
    s.extend([0x01, 0x02]); // garbage
    let mut bad = hex(EX8_F1);
    let n = bad.len();
    bad[n - 1] ^= 1; // MAC flipped: authentication error, skipped whole
    s.extend(&bad);
    s.extend(hex(EX8_F2));
    let ev = assert_streaming(C1222Framer::new().with_key(2, KEY2), &s);
    let kinds: Vec<&str> = ev
        .iter()
        .map(|e| match e {
            Ev::Frame(..) => "frame",
            _ => "error",
        })
        .collect();
    // the garbage and the bad APDU are one merged error run
    assert_eq!(kinds, ["frame", "frame", "error", "frame"]);
    let Ev::Frame(_, _, json) = &ev[1] else {
        panic!()
    };
    assert!(
        json.contains("\"answers\":\"partial_read_offset\""),
        "{json}"
    );
    assert!(json.contains("4d414e55464143545552455220534e20"), "{json}");
}

fn c1218_stream() -> Vec<u8> {
    let table: Vec<u8> = (0..150u8).collect();
    let msg = ReadResponse {
        data: TableData::new(&table),
    }
    .encode_to_vec()
    .unwrap();
    let mut s = PacketRepr::single(&[0x30, 0x00, 0x01])
        .encode_to_vec()
        .unwrap();
    s.push(0x06);
    let pk: Vec<Vec<u8>> = packetize(&msg, 64)
        .first_toggle(true)
        .map(|p| p.encode_to_vec().unwrap())
        .collect();
    s.extend(&pk[0]);
    s.extend(&pk[0]); // retransmission: a duplicate
    s.extend([0x55, 0x66]); // noise
    for p in &pk[1..] {
        s.extend(p);
    }
    s.push(0x06);
    s
}

#[test]
fn c1218_stream_at_every_split() {
    let s = c1218_stream();
    let ev = assert_streaming(C1218Framer::new(), &s);
    let frames: Vec<&str> = ev
        .iter()
        .filter_map(|e| match e {
            Ev::Frame(_, _, j) => Some(j.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(frames.len(), 7);
    assert!(frames[2].contains("\"service\":null"));
    assert!(frames[3].contains("\"duplicate\":true"));
    // the last packet carries the reassembled read response, typed by the read
    assert!(
        frames[5].contains("\"reassembled_length\":154"),
        "{}",
        frames[5]
    );
    assert!(
        frames[5].contains("\"answers\":\"full_read\""),
        "{}",
        frames[5]
    );
    assert!(frames[5].contains("\"checksum_ok\":true"));
}

#[test]
fn c1218_read_response_with_bad_checksum_is_rejected_when_paired() {
    let mut f = C1218Framer::new();
    let req = PacketRepr::single(&[0x30, 0x00, 0x01])
        .encode_to_vec()
        .unwrap();
    assert!(f.decode(&req).is_ok());
    // termineter-style read response `00 0003 010203 <cksum>` with cksum 0 (not 0xfa)
    let resp = PacketRepr::single(&[0x00, 0x00, 0x03, 1, 2, 3, 0x00])
        .with_toggle(true)
        .encode_to_vec()
        .unwrap();
    let e = f.decode(&resp).err().unwrap();
    assert_eq!(
        e,
        meterwire_ansi_c1222::Error::Core(meterwire_core::Error::checksum(
            "table data checksum",
            0xfa,
            0
        ))
    );
    assert_eq!(f.resync(&resp), resp.len());
}

/// Hostile multi-packet traffic: first packets, continuations, out-of-sequence and
/// oversized transmissions, mixed with noise.
fn hostile() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        (any::<u8>(), any::<u8>(), 0usize..300, any::<bool>()),
        1..60,
    )
    .prop_map(|items| {
        let mut s = Vec::new();
        for (ctl, seq, len, noise) in items {
            if noise {
                s.extend([ctl, seq]);
                continue;
            }
            let data = vec![seq; len];
            let p = PacketRepr {
                identity: 0,
                control: (ctl & 0xe0) | 0x80,
                seq,
                data: &data,
            };
            s.extend(p.encode_to_vec().unwrap());
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Reassembly never holds more than its configured maximum, whatever arrives.
    #[test]
    fn c1218_reassembly_stays_within_its_maximum(s in hostile(), max in 1usize..2048) {
        let mut f = C1218Framer::new().max_message(max);
        let mut rest = &s[..];
        while !rest.is_empty() {
            let n = match f.decode(rest) {
                Ok(Decoded::Frame { frame, consumed }) => {
                    if let Some(r) = frame.reassembled() {
                        prop_assert!(r.len() <= max);
                    }
                    consumed
                }
                Ok(Decoded::Incomplete { .. }) => break,
                Err(_) => f.resync(rest),
            };
            prop_assert!(f.reassembly_capacity() <= max);
            rest = &rest[n..];
        }
    }

    /// Streaming and byte accounting of the packet stack and of the bare packet framer
    /// on arbitrary input: any two-way split gives the events of the whole feed, and
    /// every byte is in one event.
    #[test]
    fn c1218_framers_streaming_and_byte_accounting(s in hostile(), cut in any::<prop::sample::Index>()) {
        let at = cut.index(s.len() + 1);
        split_gives_the_whole(C1218Framer::new, &s, at);
        split_gives_the_whole(meterwire_ansi_c1222::c1218::PacketFramer::new, &s, at);
    }
}

/// Feeding `s` whole accounts for every byte, and cut at `at` gives the same events.
fn split_gives_the_whole<F: Framer>(new: fn() -> F, s: &[u8], at: usize)
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    let whole = run_chunks(new(), &[s]);
    assert_byte_accounting(&whole, s.len());
    assert_eq!(run_chunks(new(), &[&s[..at], &s[at..]]), whole);
}

/// Hostile streams (issue 18, reduced size): random bytes, and valid-looking
/// headers with huge length fields (256 KiB each in CI; run once at 1 MiB); the reader's buffer never exceeds its maximum and
/// every byte is accounted for.
#[test]
fn hostile_streams_stay_within_the_configured_buffer() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = vec![0u8; 1 << 18];
    for b in random.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    // `60 83 0f ff ff`: an APDU announcing ~1 MiB; `ee 00 00 00 1f f8`: a max-size packet
    let mut huge = Vec::new();
    while huge.len() < 1 << 18 {
        huge.extend([
            0x60, 0x83, 0x0f, 0xff, 0xff, 0xee, 0x00, 0x00, 0x00, 0x1f, 0xf8,
        ]);
    }
    const MAX: usize = 8192 + 64;
    // in TCP-segment pieces, and whole
    for s in [&random, &huge] {
        let cuts: Vec<usize> = (1460..s.len()).step_by(1460).collect();
        check_byte_accounting(C1218Framer::new().max_message(4096), s, &cuts, MAX);
        check_byte_accounting(C1222Framer::new().max_apdu_len(8192), s, &cuts, MAX);
    }
}

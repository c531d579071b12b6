//! The validity policy (issue 12): integrity failures reject with a specific kind;
//! departures the bytes still delimit decode with a typed diagnostic, and strict mode
//! rejects them.
//!
//! Sources. Real frames: parsitects/icsnpp-c1222 (BSD-3) `testing/traces/*.pcap` (TCP
//! payloads, frame numbers below) and Wireshark's `c1222_std_example8.pcap` (frames 1-2).
//! No public capture was found that carries an unknown ACSE element, bytes after the
//! EPSEM services or a reserved PSEM code: those cases are the named real frame with the
//! single change stated next to it (the frame stays otherwise byte for byte public).

use meterwire_ansi_c1222::Error;
use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, PacketRepr};
use meterwire_ansi_c1222::c1222::{
    AFTER_EPSEM, AFTER_USER_INFO, ApTitle, Apdu, ApduFramer, ApduRepr, EpsemRepr,
    TRAILING_AFTER_SERVICES, UNKNOWN_ELEMENT,
};
use meterwire_ansi_c1222::psem::{Message, Parser, Request, Service, Variant};
use meterwire_core::{Classify, Decoded, DiagnosticKind, Encode, ErrorKind, Framer};
use meterwire_testkit::hex;

/// icsnpp-c1222 `c1222_wait_service_tcp.pcap` frame 4: a wait request (`70 70`).
const WAIT_F4: &str = "6031a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be082806810480027070";
/// icsnpp-c1222 `c1222_rw_service_tcp.pcap` frame 5: read response "testdata" whose
/// checksum byte is 0x00 (the sum's two's complement is 0xa6).
const RW_F5: &str = "603ba20a06082b06010401828563a611060f2b060104018285638e7f85f1c24e00a806020413e81421be122810810e800c000008746573746461746100";
/// icsnpp-c1222 `c1222_rw_service_tcp.pcap` frame 4: partial-index read of ST0.
const RW_F4: &str = "6036a211060f2b060104018285638e7f85f1c24e00a60a06082b06010401828563a806020413e81421be0d280b8109800731000000000001";
const KEY2: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];

fn kind(e: &Error) -> ErrorKind {
    e.kind()
}

/// Rewrites the lengths of `60 L .. be L 28 L 81 L <epsem>` after the EPSEM grew by
/// `extra` bytes (all short-form lengths in these frames).
/// The strict parser rejects `raw` as nonconforming.
fn strict_rejects(raw: &[u8]) {
    let e = Apdu::parser().strict().parse(raw).unwrap_err();
    assert_eq!(kind(&e), ErrorKind::Nonconforming);
}

/// Exactly one diagnostic, with this kind, field and value.
fn assert_one(
    d: impl Iterator<Item = meterwire_core::Diagnostic>,
    want: (DiagnosticKind, &str, Option<u64>),
) {
    let d: Vec<_> = d.collect();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].kind, d[0].field, d[0].value), want);
}

fn grow(mut raw: Vec<u8>, extra: &[u8], ui: usize) -> Vec<u8> {
    raw.extend_from_slice(extra);
    let n = extra.len() as u8;
    raw[1] += n;
    for at in [ui + 1, ui + 3, ui + 5] {
        raw[at] += n;
    }
    raw
}

#[test]
fn real_read_response_with_bad_table_checksum_is_a_checksum_error() {
    let raw = hex(RW_F5);
    // the APDU alone cannot tell a read response from another `ok` body ...
    let a = Apdu::parse(&raw).unwrap();
    let body = a.epsem().services().unwrap().next().unwrap().unwrap();
    // ... but typed as the answer to a read it is an integrity failure
    let r = meterwire_ansi_c1222::psem::Response::parse(body).unwrap();
    assert_eq!(kind(&r.read_data().unwrap_err()), ErrorKind::Checksum);
    let mut st = meterwire_ansi_c1222::stack::C1222Framer::new();
    let req = hex(RW_F4);
    assert!(matches!(st.decode(&req), Ok(Decoded::Frame { .. })));
    let e = st.decode(&raw).err().unwrap();
    assert_eq!(kind(&e), ErrorKind::Checksum, "{e}");
    // unpaired (the two directions of a capture decoded apart): an ok body with exactly
    // the read-data shape is read data, so the bad checksum still rejects
    let e = meterwire_ansi_c1222::stack::C1222Framer::new()
        .decode(&raw)
        .err()
        .unwrap();
    assert_eq!(kind(&e), ErrorKind::Checksum, "{e}");
    // a conforming unpaired read response (std example 8 frame 2's plaintext body
    // shape) is untouched: the icsnpp frame with the right checksum 0xa6 decodes
    let mut good = raw.clone();
    *good.last_mut().unwrap() = 0xa6;
    assert!(matches!(
        meterwire_ansi_c1222::stack::C1222Framer::new().decode(&good),
        Ok(Decoded::Frame { .. })
    ));
}

#[test]
fn full_write_with_wrong_table_checksum_rejects_in_every_mode() {
    // EAX' Cipher Mode (NIST 2011) test vector 1: full write of ST7, data
    // 00 05 1a 00 00 02 00, checksum e4; here the checksum byte is e5
    let svc = hex("0b40000700051a00000200e5");
    for mode in 0u8..3 {
        let called = [0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x02];
        let repr = ApduRepr {
            called_ap_title: Some(ApTitle::Absolute(&called)),
            calling_ap_invocation_id: Some(2),
            auth_value: (mode > 0).then_some(meterwire_ansi_c1222::c1222::AuthValue {
                key_id: 2,
                iv: &[0x48, 0xe9, 0x93, 0x88],
            }),
            epsem: EpsemRepr {
                control: 0x80 | (mode << 2),
                ed_class: Some(*b"TEMP"),
                services: &svc,
                mac: None,
            },
            ..ApduRepr::default()
        };
        let mut buf = vec![0u8; repr.encoded_len()];
        let n = repr.encode_secured(&KEY2, &[], &mut buf).unwrap();
        buf.truncate(n);
        let mut f = meterwire_ansi_c1222::stack::C1222Framer::new()
            .with_key(2, KEY2)
            .base_oid(meterwire_ansi_c1222::stack::BaseOid::NONE);
        let e = f.decode(&buf).err().unwrap();
        assert_eq!(kind(&e), ErrorKind::Checksum, "mode {mode}: {e}");
        assert_eq!(
            e,
            Error::Core(meterwire_core::Error::checksum(
                "table data checksum",
                0xe4,
                0xe5
            ))
        );
    }
}

#[test]
fn partial_read_cut_short_is_truncated() {
    // std example 8 frame 1 carries `3f 0001 000010 0010` (partial read of ST1); the
    // same service without its count, in a cleartext EPSEM
    let svc = hex("063f0001000010");
    let repr = ApduRepr {
        calling_ap_invocation_id: Some(3),
        epsem: EpsemRepr {
            control: 0x80,
            ed_class: None,
            services: &svc,
            mac: None,
        },
        ..ApduRepr::default()
    };
    let raw = repr.encode_to_vec().unwrap();
    assert_eq!(kind(&Apdu::parse(&raw).unwrap_err()), ErrorKind::Truncated);
    assert_eq!(
        kind(&ApduFramer::new().decode(&raw).err().unwrap()),
        ErrorKind::Truncated
    );
    // C12.18: the same request in a CRC-valid packet
    let pkt = PacketRepr::single(&svc[1..]).encode_to_vec().unwrap();
    let mut st = meterwire_ansi_c1222::stack::C1218Framer::new();
    assert_eq!(kind(&st.decode(&pkt).err().unwrap()), ErrorKind::Truncated);
    assert_eq!(st.resync(&pkt), pkt.len());
}

#[test]
fn unknown_acse_element_is_skipped_with_a_diagnostic() {
    // WAIT_F4 with a called-AE-invocation-id `a5 03 02 01 07` (an ACSE element C12.22
    // does not use) inserted after the calling AP invocation id
    let mut raw = hex(WAIT_F4);
    let at = raw.iter().position(|&b| b == 0xbe).unwrap();
    raw.splice(at..at, [0xa5, 0x03, 0x02, 0x01, 0x07]);
    raw[1] += 5;
    let a = Apdu::parse(&raw).unwrap();
    assert_one(
        a.diagnostics(),
        (
            DiagnosticKind::Unrecognized,
            UNKNOWN_ELEMENT.field,
            Some(0xa5),
        ),
    );
    let s: Vec<_> = a.epsem().services().unwrap().parsed().collect();
    assert_eq!(s, [Ok(Service::Request(Request::Wait { seconds: 0x70 }))]);
    assert_eq!(a.calling_ap_invocation_id(), Some(0x13e81421));
    // strict: rejected as nonconforming, in the parser and the framer
    let e = Apdu::parser().strict().parse(&raw).unwrap_err();
    assert_eq!(kind(&e), ErrorKind::Nonconforming);
    assert_eq!(
        kind(&ApduFramer::new().strict().decode(&raw).err().unwrap()),
        ErrorKind::Nonconforming
    );
    // the unmodified frame is conforming
    assert_eq!(Apdu::parse(&hex(WAIT_F4)).unwrap().diagnostics().count(), 0);
    assert!(Apdu::parser().strict().parse(&hex(WAIT_F4)).is_ok());
}

#[test]
fn bytes_after_the_services_and_after_the_epsem() {
    // WAIT_F4 with an end-of-services 00 and two bytes after it inside the EPSEM
    let raw = hex(WAIT_F4);
    let ui = raw.iter().position(|&b| b == 0xbe).unwrap();
    let t = grow(raw.clone(), &[0x00, 0xaa, 0xbb], ui);
    let a = Apdu::parse(&t).unwrap();
    assert_one(
        a.diagnostics(),
        (
            DiagnosticKind::TrailingBytes,
            TRAILING_AFTER_SERVICES.field,
            Some(2),
        ),
    );
    assert_eq!(
        a.epsem().services().unwrap().parsed().collect::<Vec<_>>(),
        [Ok(Service::Request(Request::Wait { seconds: 0x70 }))]
    );
    strict_rejects(&t);
    // an element after the EPSEM inside the EXTERNAL (`02 01 00`)
    let mut u = raw.clone();
    u.extend_from_slice(&[0x02, 0x01, 0x00]);
    u[1] += 3;
    u[ui + 1] += 3;
    u[ui + 3] += 3;
    let a = Apdu::parse(&u).unwrap();
    let d: Vec<_> = a.diagnostics().collect();
    assert_eq!(d, [AFTER_EPSEM]);
    assert_eq!(a.epsem().as_bytes(), &[0x80, 0x02, 0x70, 0x70]);
    strict_rejects(&u);
    // an element after user-information (`a5 03 02 01 07` appended to the APDU)
    let mut v = raw.clone();
    v.extend_from_slice(&[0xa5, 0x03, 0x02, 0x01, 0x07]);
    v[1] += 5;
    let a = Apdu::parse(&v).unwrap();
    assert_eq!(a.diagnostics().collect::<Vec<_>>(), [AFTER_USER_INFO]);
    assert_eq!(
        a.epsem().services().unwrap().parsed().collect::<Vec<_>>(),
        [Ok(Service::Request(Request::Wait { seconds: 0x70 }))]
    );
    strict_rejects(&v);
}

#[test]
fn c1218_unreassembled_continuation() {
    // the second packet of a two-packet transmission without its first packet (a
    // capture that starts mid-transmission): decoded, `unreassembled`; strict rejects
    let msg: Vec<u8> = (0..100u8).collect();
    let pk: Vec<Vec<u8>> = meterwire_ansi_c1222::c1218::packetize(&msg, 64)
        .map(|p| p.encode_to_vec().unwrap())
        .collect();
    let mut f = meterwire_ansi_c1222::stack::C1218Framer::new();
    let Ok(Decoded::Frame { frame, .. }) = f.decode(&pk[1]) else {
        panic!()
    };
    assert_eq!(frame.label(), "fragment");
    let d: Vec<_> = frame.diagnostics().collect();
    assert_eq!(d[0].kind, DiagnosticKind::Unreassembled);
    let mut g = meterwire_ansi_c1222::stack::C1218Framer::new().strict();
    assert_eq!(
        kind(&g.decode(&pk[1]).err().unwrap()),
        ErrorKind::Nonconforming
    );
    // in order it reassembles, without diagnostics
    let mut h = meterwire_ansi_c1222::stack::C1218Framer::new().strict();
    assert!(h.decode(&pk[0]).is_ok());
    let Ok(Decoded::Frame { frame, .. }) = h.decode(&pk[1]) else {
        panic!()
    };
    assert_eq!(frame.reassembled(), Some(&msg[..]));
}

#[test]
fn reserved_codes_and_bytes_after_a_request() {
    // WAIT_F4's service `70 70` followed by one padding byte (service length 3)
    let raw = hex(WAIT_F4);
    let ui = raw.iter().position(|&b| b == 0xbe).unwrap();
    let mut t = grow(raw, &[0x00], ui);
    t[ui + 7] = 3; // service length
    let a = Apdu::parse(&t).unwrap();
    let m: Vec<Message<'_>> = a
        .epsem()
        .services()
        .unwrap()
        .messages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        m[0].service,
        Service::Request(Request::Wait { seconds: 0x70 })
    );
    assert_eq!(m[0].trailing, &[0]);
    let d: Vec<_> = a.diagnostics().collect();
    assert_eq!(
        (d[0].kind, d[0].value),
        (DiagnosticKind::TrailingBytes, Some(1))
    );
    // a manufacturer request code (0x7f) and a reserved response code (0x13)
    let m = Message::parse(&[0x7f, 1, 2], Variant::C1222).unwrap();
    let d: Vec<_> = m.diagnostics().collect();
    assert_eq!(
        (d[0].kind, d[0].value),
        (DiagnosticKind::ReservedCode, Some(0x7f))
    );
    let m = Message::parse(&[0x13], Variant::C1222).unwrap();
    assert_eq!(
        m.diagnostics().next().unwrap().kind,
        DiagnosticKind::ReservedCode
    );
    for b in [&[0x7f, 1, 2][..], &[0x13], &[0x70, 0x70, 0x00]] {
        let e = Parser::new(Variant::C1222).strict().parse(b).unwrap_err();
        assert_eq!(kind(&e), ErrorKind::Nonconforming);
    }
    // conforming messages have none
    assert_eq!(
        Message::parse(&[0x70, 0x70], Variant::C1222)
            .unwrap()
            .diagnostics()
            .count(),
        0
    );
}

#[test]
fn c1218_reserved_data_format() {
    // the fact sheet's ident request `ee 00 00 00 00 01 20 <crc>` with data format 1
    let p = PacketRepr {
        identity: 0,
        control: 0x01,
        seq: 0,
        data: &[0x20],
    }
    .encode_to_vec()
    .unwrap();
    let Ok(Decoded::Frame {
        frame: LinkFrame::Packet(pk),
        ..
    }) = PacketFramer::new().decode(&p)
    else {
        panic!()
    };
    let d: Vec<_> = pk.diagnostics().collect();
    assert_eq!(
        (d[0].kind, d[0].value),
        (DiagnosticKind::ReservedCode, Some(1))
    );
    assert_eq!(
        kind(&PacketFramer::new().strict().decode(&p).err().unwrap()),
        ErrorKind::Nonconforming
    );
}

#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! proptest: Repr -> encode -> parse -> Repr is the identity; arbitrary bytes never panic.

use meterwire_ansi_c1222::c1218::{Packet, PacketFramer, PacketRepr, Reassembler, packetize};
use meterwire_ansi_c1222::c1219::{ActRegs, TableContext, TableId, decode_table};
use meterwire_ansi_c1222::c1222::{
    ApTitle, Apdu, ApduFramer, ApduRepr, AuthValue, EpsemRepr, ServiceIter,
};
use meterwire_ansi_c1222::eax::EaxPrime;
use meterwire_ansi_c1222::psem::{Indices, Request, Response, Service, TableData, Variant};
use meterwire_core::{Encode, Framer};
use proptest::prelude::*;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

/// A valid OID content: arcs as base-128 groups.
fn oid(relative: bool) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(0u32..100_000, if relative { 0..5 } else { 1..6 }).prop_map(|arcs| {
        let mut out = vec![];
        for a in arcs {
            let mut groups = vec![(a & 0x7f) as u8];
            let mut v = a >> 7;
            while v > 0 {
                groups.push(0x80 | (v & 0x7f) as u8);
                v >>= 7;
            }
            groups.reverse();
            out.extend(groups);
        }
        out
    })
}

#[derive(Debug, Clone)]
struct ReqSpec {
    kind: u8,
    table: u16,
    offset: u32,
    count: u16,
    data: Vec<u8>,
    cksum: u8,
    n: u8,
    text: Vec<u8>,
    uid: u16,
    opt: bool,
}

fn req_spec() -> impl Strategy<Value = ReqSpec> {
    (
        0u8..22,
        any::<u16>(),
        0u32..0x100_0000,
        any::<u16>(),
        bytes(40),
        any::<u8>(),
        1u8..10,
        proptest::collection::vec(any::<u8>(), 20),
        any::<u16>(),
        any::<bool>(),
    )
        .prop_map(
            |(kind, table, offset, count, data, cksum, n, text, uid, opt)| ReqSpec {
                kind,
                table,
                offset,
                count,
                data,
                cksum,
                n,
                text,
                uid,
                opt,
            },
        )
}

fn build<'a>(s: &'a ReqSpec, idx: &'a [u8]) -> (Request<'a>, Variant) {
    let t = TableId(s.table);
    let d = TableData {
        data: &s.data,
        checksum: s.cksum,
    };
    let v = if s.opt {
        Variant::C1222
    } else {
        Variant::C1218
    };
    let ix = Indices::from_bytes(idx).unwrap();
    let r = match s.kind {
        0 => Request::Ident,
        1 => Request::Terminate,
        2 => Request::Logoff,
        3 => Request::DefaultRead,
        4 => Request::FullRead { table: t },
        5 => Request::PartialReadIndex {
            table: t,
            indices: ix,
            count: s.count,
        },
        6 => Request::PartialReadOffset {
            table: t,
            offset: s.offset,
            count: s.count,
        },
        7 => Request::FullWrite { table: t, data: d },
        8 => Request::PartialWriteIndex {
            table: t,
            indices: ix,
            data: d,
        },
        9 => Request::DefaultWrite { data: d },
        10 => Request::PartialWriteOffset {
            table: t,
            offset: s.offset,
            data: d,
        },
        11 => Request::Logon {
            user_id: s.uid,
            user: &s.text[..10],
            session_idle_timeout: s.opt.then_some(s.count),
        },
        12 => Request::Security {
            password: &s.text,
            user_id: s.opt.then_some(s.uid),
        },
        13 => Request::Authenticate { data: &s.data },
        14 => Request::Negotiate {
            packet_size: s.count,
            nbr_packets: s.n,
            bauds: &s.data[..s.data.len().min(11)],
        },
        15 => Request::Wait { seconds: s.n },
        16 => Request::TimingSetup {
            traffic: s.n,
            inter_char: 1,
            resp_timeout: 2,
            nbr_retries: 3,
        },
        17 => return (Request::Disconnect, Variant::C1222),
        18 => {
            return (
                Request::Register(meterwire_ansi_c1222::psem::Register {
                    node_type: if s.opt { 0x80 } else { 0 } | (s.n & 0x7f),
                    connection_type: s.n,
                    device_class: [s.n; 4],
                    ap_title: &[0x80, 0x01, 0x05],
                    electronic_serial_number: &[0x06, 0x02, 0x2b, 0x06],
                    native_address: &s.data,
                    registration_period: s.offset,
                    my_domain_pattern: s.opt.then_some(&s.text[..5]),
                }),
                Variant::C1222,
            );
        }
        19 => return (Request::Resolve { ap_title: &s.data }, Variant::C1222),
        20 => return (Request::Trace { ap_title: &s.data }, Variant::C1222),
        _ => Request::Other {
            code: 0x72 + (s.n % 10),
            body: &s.data,
        },
    };
    (r, v)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn psem_request_roundtrip(s in req_spec()) {
        let idx: Vec<u8> = (0..s.n as u16 * 2).map(|i| i as u8).collect();
        let (r, v) = build(&s, &idx);
        let b = r.encode_to_vec().unwrap();
        prop_assert_eq!(b.len(), r.encoded_len());
        if r.checksum_ok() == Some(false) {
            // a wrong table checksum is an integrity failure: rejected (issue 12)
            let e = Request::parse(&b, v).unwrap_err();
            prop_assert_eq!(meterwire_core::Classify::kind(&e), meterwire_core::ErrorKind::Checksum);
        } else {
            prop_assert_eq!(Request::parse(&b, v).unwrap(), r);
        }
    }

    #[test]
    fn psem_response_roundtrip(code in 0u8..0x20, body in bytes(60)) {
        let raw = [&[code][..], &body].concat();
        let r = Response::parse(&raw).unwrap();
        let b = r.encode_to_vec().unwrap();
        prop_assert_eq!(Response::parse(&b).unwrap(), r);
        let rd = meterwire_ansi_c1222::psem::ReadResponse { data: TableData::new(&body) };
        let rb = rd.encode_to_vec().unwrap();
        let back = Response::parse(&rb).unwrap().read_data().unwrap();
        prop_assert_eq!(back.data, &body[..]);
        prop_assert!(back.checksum_ok());
    }

    #[test]
    fn c1218_packet_roundtrip(identity in any::<u8>(), control in any::<u8>(), seq in any::<u8>(), data in bytes(300)) {
        let r = PacketRepr { identity, control, seq, data: &data };
        let b = r.encode_to_vec().unwrap();
        let p = Packet::new_checked(&b).unwrap();
        prop_assert_eq!(PacketRepr::parse(&p), r);
    }

    #[test]
    fn c1218_packetize_reassemble(msg in bytes(2000), max in 1usize..300, t in any::<bool>()) {
        let mut buf = vec![0u8; 2000];
        let mut r = Reassembler::new(&mut buf);
        let mut got = None;
        for p in packetize(&msg, max).first_toggle(t) {
            let b = p.encode_to_vec().unwrap();
            if let Some(m) = r.push(&Packet::new_checked(&b).unwrap()).unwrap() {
                got = Some(m.to_vec());
            }
        }
        prop_assert_eq!(got.unwrap(), msg);
    }

    #[test]
    fn c1222_apdu_roundtrip(
        ctx in proptest::option::of(oid(false)),
        called in proptest::option::of((any::<bool>(), oid(false), oid(true))),
        calling in proptest::option::of((any::<bool>(), oid(false), oid(true))),
        ids in (proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>())),
        mech in proptest::option::of(oid(false)),
        auth in proptest::option::of((any::<u8>(), bytes(17))),
        control in 0u8..0x40,
        ed in proptest::option::of(any::<[u8; 4]>()),
        services in proptest::collection::vec(bytes(200), 0..4),
        mac in any::<[u8; 4]>(),
    ) {
        let title = |t: &Option<(bool, Vec<u8>, Vec<u8>)>| -> Option<Vec<u8>> { t.as_ref().map(|(rel, a, r)| if *rel { r.clone() } else { a.clone() }) };
        let called_c = title(&called);
        let calling_c = title(&calling);
        fn mk<'x>(t: &Option<(bool, Vec<u8>, Vec<u8>)>, c: &'x Option<Vec<u8>>) -> Option<ApTitle<'x>> {
            match (t, c) {
                (Some((true, _, _)), Some(c)) => Some(ApTitle::Relative(c.as_slice())),
                (Some((false, _, _)), Some(c)) => Some(ApTitle::Absolute(c.as_slice())),
                _ => None,
            }
        }
        // services: each non-empty, with a BER length prefix
        let refs: Vec<Request<'_>> = services.iter().map(|b| Request::Other { code: 0x7e, body: b }).collect();
        let dynrefs: Vec<&dyn Encode> = refs.iter().map(|r| r as &dyn Encode).collect();
        let mut sb = vec![0u8; 4096];
        let n = meterwire_ansi_c1222::c1222::write_services(&dynrefs, &mut sb).unwrap();
        sb.truncate(n);
        let iv = auth.as_ref().map(|(_, iv)| iv.clone()).unwrap_or_default();
        let control = (control & !0x1c) | 0x80 | if auth.is_some() { 0x04 } else { 0 };
        let repr = ApduRepr {
            context: ctx.as_deref(),
            called_ap_title: mk(&called, &called_c),
            called_ap_invocation_id: ids.0,
            calling_ap_title: mk(&calling, &calling_c),
            calling_ae_qualifier: ids.1,
            calling_ap_invocation_id: ids.2,
            mechanism_name: mech.as_deref(),
            auth_value: auth.as_ref().map(|(k, _)| AuthValue { key_id: *k, iv: &iv }),
            epsem: EpsemRepr { control: control | if ed.is_some() { 0x10 } else { 0 }, ed_class: ed, services: &sb, mac: auth.as_ref().map(|_| mac) },
        };
        let b = repr.encode_to_vec().unwrap();
        prop_assert_eq!(b.len(), repr.encoded_len());
        let a = Apdu::parse(&b).unwrap();
        prop_assert_eq!(ApduRepr::parse(&a), repr);
        let parsed: Vec<_> = a.epsem().services().unwrap().collect::<Result<Vec<_>, _>>().unwrap();
        prop_assert_eq!(parsed.len(), services.len());
        // the canonified header read in place (plainly encoded APDUs) equals the one
        // assembled piece by piece
        for base in [&[][..], &[0x2b, 0x06][..]] {
            let mut pieces = Vec::new();
            a.canonified_cleartext(base, &mut |p| pieces.extend_from_slice(p));
            let mut buf = vec![0u8; 8192];
            let n = a.canonified_into(base, &mut buf).unwrap();
            prop_assert_eq!(&buf[..n], &pieces[..]);
        }
        // and the TCP framer cuts it whole
        let mut f = ApduFramer::new();
        let ok = matches!(f.decode(&b), Ok(meterwire_core::Decoded::Frame { consumed, .. }) if consumed == b.len());
        prop_assert!(ok);
    }

    #[test]
    fn eax_encrypt_decrypt_roundtrip(key in any::<[u8; 16]>(), n in bytes(100), p in bytes(300), flip in any::<usize>()) {
        let e = EaxPrime::new(&key);
        let mut buf = p.clone();
        let mac = e.encrypt_in_place(&n, &mut buf);
        let mut c = buf.clone();
        e.decrypt_in_place(&n, &mut buf, &mac).unwrap();
        prop_assert_eq!(&buf, &p);
        if !c.is_empty() {
            let i = flip % c.len();
            c[i] ^= 1;
            prop_assert!(e.decrypt_in_place(&n, &mut c, &mac).is_err());
        }
        let m1 = e.sign(&n, &p);
        prop_assert!(e.verify(&n, &p, &m1).is_ok());
    }

    #[test]
    fn secured_apdu_roundtrip(key in any::<[u8; 16]>(), key_id in any::<u8>(), mode in 1u8..3, services in bytes(200), iv in any::<[u8; 4]>()) {
        let refs = [Request::Other { code: 0x7e, body: &services }];
        let dynrefs: Vec<&dyn Encode> = refs.iter().map(|r| r as &dyn Encode).collect();
        let mut sb = vec![0u8; 512];
        let n = meterwire_ansi_c1222::c1222::write_services(&dynrefs, &mut sb).unwrap();
        sb.truncate(n);
        let called = [0x2b, 0x06, 0x01];
        let repr = ApduRepr {
            called_ap_title: Some(ApTitle::Absolute(&called)),
            calling_ap_invocation_id: Some(1),
            auth_value: Some(AuthValue { key_id, iv: &iv }),
            epsem: EpsemRepr { control: 0x80 | (mode << 2), ed_class: None, services: &sb, mac: None },
            ..ApduRepr::default()
        };
        let mut out = vec![0u8; repr.encoded_len()];
        let len = repr.encode_secured(&key, &[], &mut out).unwrap();
        let a = Apdu::parse(&out[..len]).unwrap();
        let mut plain = vec![0u8; 600];
        let got = a.decrypt_into(&[(key_id, key)], &[], &mut plain).unwrap();
        prop_assert_eq!(got, &sb[..]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in bytes(400), id in any::<u16>(), nis in (0u8..16, 0u8..16)) {
        let _ = Packet::new_checked(&data);
        let mut f = PacketFramer::new();
        let _ = f.decode(&data);
        let _ = f.resync(&data);
        let mut af = ApduFramer::new();
        let _ = af.decode(&data);
        let _ = af.resync(&data);
        for v in [Variant::C1218, Variant::C1222] {
            let _ = Request::parse(&data, v);
            let _ = Service::parse(&data, v);
        }
        if let Ok(r) = Response::parse(&data) {
            let _ = (r.read_data(), r.ident(), r.negotiate(), r.guess_read_data());
        }
        for s in ServiceIter::new(&data) {
            let _ = s.map(|b| Service::parse(b, Variant::C1222));
        }
        if let Ok(a) = Apdu::parse(&data) {
            let mut out = [0u8; 512];
            let _ = a.decrypt_into(&[(0u8, [0u8; 16])], &[], &mut out);
            let _ = ApduRepr::parse(&a);
            #[cfg(feature = "serde")]
            let _ = serde_json::to_string(&a);
        }
        let mut ctx = TableContext { ni_format1: nis.0, ni_format2: nis.1, dim_mfg_status_used: 3, ..TableContext::default() };
        if let Ok(r) = ActRegs::parse(&data) {
            ctx.act_regs = Some(r);
        }
        for t in [0u16, 1, 3, 5, 7, 8, 21, 23, id] {
            if let Ok(meterwire_ansi_c1222::c1219::Table::St23(c)) = decode_table(TableId(t), &data, &ctx) {
                for i in 0..c.blocks() {
                    let b = c.block(i).unwrap();
                    let _ = b.summations().count();
                    let _ = b.demands().count();
                }
            }
        }
    }
}

//! ANSI C12: C12.18 packet decode with CRC and a 64-byte read response; C12.22
//! cleartext APDU parse; EAX' mode-2 verify+decrypt of a 200-byte EPSEM compared with
//! the bare EAX' primitives (AES-CTR + two CMAC') over the same bytes. No Rust peer
//! exists for C12.18/C12.22; termineter (Python) is timed separately (see the crate README).
#![allow(
    missing_docs,
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::unwrap_used,
    clippy::indexing_slicing
)]
use criterion::{Criterion, Throughput, black_box};
use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, PacketRepr};
use meterwire_ansi_c1222::c1219::TableId;
use meterwire_ansi_c1222::c1222::{ApTitle, Apdu, ApduRepr, AuthValue, EpsemRepr, write_services};
use meterwire_ansi_c1222::eax::{EaxPrime, Tweak};
use meterwire_ansi_c1222::psem::{ReadResponse, Request, Response, Service, TableData, Variant};
use meterwire_ansi_c1222::stack::{KeyArray, KeyRing};
use meterwire_benches::CpuTime;
use meterwire_core::{Decoded, Encode, Framer};

const KEY: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];

fn c1218(c: &mut Criterion<CpuTime>) {
    let table: Vec<u8> = (0..64u32).map(|i| (i * 7) as u8).collect();
    let msg = ReadResponse {
        data: TableData::new(&table),
    }
    .encode_to_vec()
    .unwrap();
    let pkt = PacketRepr::single(&msg).encode_to_vec().unwrap();
    let mut g = c.benchmark_group("c12");
    g.throughput(Throughput::Bytes(pkt.len() as u64));
    g.bench_function("c1218_read_response_64/meterwire", |b| {
        let mut f = PacketFramer::new();
        b.iter(|| {
            let Ok(Decoded::Frame {
                frame: LinkFrame::Packet(p),
                ..
            }) = f.decode(black_box(&pkt))
            else {
                panic!()
            };
            let d = Response::parse(p.data()).unwrap().read_data().unwrap();
            black_box(d.checksum_ok())
        })
    });
    g.finish();
}

fn apdu(services: &[u8], mode: u8) -> Vec<u8> {
    let called = [0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x02];
    let calling = [
        0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x82, 0x11,
    ];
    let repr = ApduRepr {
        called_ap_title: Some(ApTitle::Absolute(&called)),
        calling_ap_title: Some(ApTitle::Absolute(&calling)),
        calling_ae_qualifier: Some(4),
        calling_ap_invocation_id: Some(2),
        auth_value: (mode > 0).then_some(AuthValue {
            key_id: 2,
            iv: &[0x48, 0xe9, 0x93, 0x88],
        }),
        epsem: EpsemRepr {
            control: 0x80 | (mode << 2),
            ed_class: None,
            services,
            mac: None,
        },
        ..ApduRepr::default()
    };
    let mut out = vec![0u8; repr.encoded_len()];
    let n = repr.encode_secured(&KEY, &[], &mut out).unwrap();
    out.truncate(n);
    out
}

fn c1222(c: &mut Criterion<CpuTime>) {
    let pw = [0x30u8; 20];
    let svcs = [
        Request::Security {
            password: &pw,
            user_id: Some(0),
        },
        Request::FullRead { table: TableId(1) },
        Request::PartialReadOffset {
            table: TableId(23),
            offset: 0,
            count: 64,
        },
    ];
    let refs: Vec<&dyn Encode> = svcs.iter().map(|s| s as &dyn Encode).collect();
    let mut sb = vec![0u8; 256];
    let n = write_services(&refs, &mut sb).unwrap();
    sb.truncate(n);
    let clear = apdu(&sb, 0);
    let mut g = c.benchmark_group("c12");
    g.throughput(Throughput::Bytes(clear.len() as u64));
    g.bench_function("c1222_clear_apdu_parse/meterwire", |b| {
        b.iter(|| {
            let a = Apdu::parse(black_box(&clear)).unwrap();
            let mut n = 0usize;
            for s in a.epsem().services().into_iter().flatten() {
                if let Ok(Service::Request(r)) = Service::parse(s.unwrap(), Variant::C1222) {
                    n += usize::from(r.code());
                }
            }
            black_box((a.called_ap_title(), a.calling_ap_invocation_id(), n))
        })
    });
    g.finish();

    // a 200-byte EPSEM payload: one full-write service
    // 1 code + 2 table + 2 count + data + 1 checksum, behind a 2-byte BER length
    let data = vec![0x5au8; 200 - 2 - 6];
    let w = [Request::FullWrite {
        table: TableId(64),
        data: TableData::new(&data),
    }];
    let refs: Vec<&dyn Encode> = w.iter().map(|s| s as &dyn Encode).collect();
    let mut sb = vec![0u8; 512];
    let n = write_services(&refs, &mut sb).unwrap();
    sb.truncate(n);
    assert_eq!(sb.len(), 200);
    let enc = apdu(&sb, 2);
    let parsed = Apdu::parse(&enc).unwrap();
    let mut canon = Vec::new();
    parsed.canonified_cleartext(&[], &mut |b| canon.extend_from_slice(b));
    let ct = parsed.epsem().payload().to_vec();
    let mac = parsed.epsem().mac().unwrap();
    // both sides pre-keyed: the key ring of the stack holds a prepared EaxPrime per key
    let mut ring: KeyArray<4> = KeyArray::new();
    ring.insert(2, &KEY);
    let mut g = c.benchmark_group("c12");
    g.throughput(Throughput::Bytes(ct.len() as u64));
    g.bench_function("c1222_mode2_decrypt_200/meterwire", |b| {
        // parse + key ring lookup + canonify + verify + decrypt + plaintext checks
        // (service lengths, table checksum)
        let mut out = [0u8; 512];
        b.iter(|| {
            let a = Apdu::parse(black_box(&enc)).unwrap();
            let key = ring.key(a.auth_value().unwrap().key_id, None).unwrap();
            let p = a.decrypt_with(key, &[], &mut out).unwrap();
            black_box(p.len())
        })
    });
    let e = EaxPrime::new(&KEY);
    g.bench_function("c1222_mode2_decrypt_200/bare_eax_prime", |b| {
        // the same crypto without parsing, pre-keyed: CMAC'^D(N), CMAC'^Q(C), AES-CTR
        let mut buf = ct.clone();
        b.iter(|| {
            let mut m = e.cmac(Tweak::D);
            m.update(black_box(&canon));
            let np = m.finalize();
            buf.copy_from_slice(&ct);
            assert_eq!(e.mac(&np, &buf), mac);
            e.ctr(&np, &mut buf);
            black_box(buf[0])
        })
    });
    g.bench_function(
        "c1222_mode2_decrypt_200/bare_eax_prime_with_key_setup",
        |b| {
            // the floor of the previous round: key schedule per message, then the same
            let mut buf = ct.clone();
            b.iter(|| {
                let e = EaxPrime::new(black_box(&KEY));
                let mut m = e.cmac(Tweak::D);
                m.update(black_box(&canon));
                let np = m.finalize();
                buf.copy_from_slice(&ct);
                assert_eq!(e.mac(&np, &buf), mac);
                e.ctr(&np, &mut buf);
                black_box(buf[0])
            })
        },
    );
    g.finish();
}

meterwire_benches::main!(c1218, c1222);

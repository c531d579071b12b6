//! ANSI C12: C12.18 packet decode with CRC and a 64-byte read response; C12.22
//! cleartext APDU parse; EAX' mode-2 verify+decrypt of a 200-byte EPSEM compared with
//! the bare EAX' primitives (AES-CTR + two CMAC') over the same bytes. No Rust peer
//! exists for C12.18/C12.22; termineter (Python) is timed separately (see the crate README).
use aes::Aes128Enc;
use aes::cipher::{BlockEncrypt, KeyInit};
use criterion::{Criterion, Throughput, black_box};
use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer, PacketRepr};
use meterwire_ansi_c1222::c1219::TableId;
use meterwire_ansi_c1222::c1222::{ApTitle, Apdu, ApduRepr, AuthValue, EpsemRepr, write_services};
use meterwire_ansi_c1222::eax::{EaxPrime, dbl_prime};
use meterwire_ansi_c1222::psem::{ReadResponse, Request, Response, Service, TableData, Variant};
use meterwire_ansi_c1222::stack::{KeyArray, KeyRing};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::crc::CRC16_X25;
use meterwire_core::{Decoded, Encode, Framer};

const KEY: [u8; 16] = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8];

/// A PSEM read response carrying a 64-byte table (its bytes `i * 7`), encoded.
fn read_response_64() -> Vec<u8> {
    let table: Vec<u8> = (0..64u32).map(|i| (i * 7) as u8).collect();
    ReadResponse {
        data: TableData::new(&table),
    }
    .encode_to_vec()
    .unwrap()
}

fn c1218(c: &mut Criterion<CpuTime>) {
    let msg = read_response_64();
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

fn apdu_repr<'a>(
    called: &'a [u8],
    calling: &'a [u8],
    services: &'a [u8],
    mode: u8,
) -> ApduRepr<'a> {
    ApduRepr {
        called_ap_title: Some(ApTitle::Absolute(called)),
        calling_ap_title: Some(ApTitle::Absolute(calling)),
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
    }
}

fn apdu(services: &[u8], mode: u8) -> Vec<u8> {
    let called = [0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x02];
    let calling = [
        0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x82, 0x11,
    ];
    let repr = apdu_repr(&called, &calling, services, mode);
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
    bench_iter!(g, "c1222_clear_apdu_parse/meterwire", || {
        let a = Apdu::parse(black_box(&clear)).unwrap();
        let mut n = 0usize;
        for s in a.epsem().services().into_iter().flatten() {
            if let Ok(Service::Request(r)) = Service::parse(s.unwrap(), Variant::C1222) {
                n += usize::from(r.code());
            }
        }
        black_box((a.called_ap_title(), a.calling_ap_invocation_id(), n))
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
    let bare = BareEax::new(&KEY);
    g.bench_function("c1222_mode2_decrypt_200/bare_eax_prime", |b| {
        // the same crypto without parsing, pre-keyed, on the aes crate directly:
        // CMAC'^D(N), CMAC'^Q(C), then AES-CTR with 8 blocks per call, C into a buffer
        let mut buf = vec![0u8; ct.len()];
        b.iter(|| {
            let np = bare.cmac(bare.d, black_box(&canon));
            assert_eq!(bare.mac(&np, black_box(&ct)), mac);
            bare.ctr(&np, &ct, &mut buf);
            black_box(&buf);
        })
    });
    g.bench_function(
        "c1222_mode2_decrypt_200/bare_eax_prime_with_key_setup",
        |b| {
            // the floor of the previous round: key schedule per message, then the same
            let mut buf = vec![0u8; ct.len()];
            b.iter(|| {
                let bare = BareEax::new(black_box(&KEY));
                let np = bare.cmac(bare.d, black_box(&canon));
                assert_eq!(bare.mac(&np, black_box(&ct)), mac);
                bare.ctr(&np, &ct, &mut buf);
                black_box(&buf);
            })
        },
    );
    g.finish();

    // encode + seal: the same 200-byte service, mode 2, pre-keyed on both sides
    let repr_services = sb.clone();
    let called = [0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x02];
    let calling = [
        0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16, 0x00, 0x17, 0x82, 0x11,
    ];
    let repr = apdu_repr(&called, &calling, &repr_services, 2);
    let mut g = c.benchmark_group("c12");
    g.throughput(Throughput::Bytes(ct.len() as u64));
    g.bench_function("c1222_mode2_encrypt_200/meterwire", |b| {
        // encode the APDU + canonify + CMAC'^D + AES-CTR + CMAC'^Q + MAC in place
        let mut out = vec![0u8; repr.encoded_len()];
        b.iter(|| {
            let n = black_box(&repr)
                .encode_secured_with(&e, &[], &mut out)
                .unwrap();
            black_box(&out[..n]);
        })
    });
    assert_eq!(
        {
            let mut out = vec![0u8; repr.encoded_len()];
            let n = repr.encode_secured_with(&e, &[], &mut out).unwrap();
            out.truncate(n);
            out
        },
        enc
    );
    let plain = sb.clone();
    g.bench_function("c1222_mode2_encrypt_200/bare_eax_prime_encrypt", |b| {
        // the crypto alone on a prepared header N: CMAC'^D(N), AES-CTR (8 blocks per
        // call) into the output, CMAC'^Q(C)
        let mut buf = vec![0u8; plain.len()];
        b.iter(|| {
            let np = bare.cmac(bare.d, black_box(&canon));
            bare.ctr(&np, black_box(&plain), &mut buf);
            black_box((bare.mac(&np, &buf), &buf));
        })
    });
    g.finish();
}

/// A bare EAX' on the aes crate, for the floors: pre-keyed cipher and subkeys, CMAC'
/// over whole blocks straight from the input, CTR blocks encrypted 8 at a time.
struct BareEax {
    aes: Aes128Enc,
    d: [u8; 16],
    q: [u8; 16],
}

impl BareEax {
    fn new(key: &[u8; 16]) -> Self {
        let aes = Aes128Enc::new(key.into());
        let mut l = aes::Block::default();
        aes.encrypt_block(&mut l);
        let d = dbl_prime(&l.into());
        let q = dbl_prime(&d);
        BareEax { aes, d, q }
    }
    fn cmac(&self, tweak: [u8; 16], data: &[u8]) -> [u8; 16] {
        let mut s = u128::from_ne_bytes(tweak);
        let full = if data.is_empty() {
            0
        } else {
            (data.len() - 1) / 16
        };
        for blk in data[..full * 16].chunks_exact(16) {
            s ^= u128::from_ne_bytes(blk.try_into().unwrap());
            let mut b = aes::Block::from(s.to_ne_bytes());
            self.aes.encrypt_block(&mut b);
            s = u128::from_ne_bytes(b.into());
        }
        let last = &data[full * 16..];
        let mut pad = [0u8; 16];
        pad[..last.len()].copy_from_slice(last);
        let sub = if last.len() == 16 {
            self.d
        } else {
            pad[last.len()] = 0x80;
            self.q
        };
        s ^= u128::from_ne_bytes(pad) ^ u128::from_ne_bytes(sub);
        let mut b = aes::Block::from(s.to_ne_bytes());
        self.aes.encrypt_block(&mut b);
        b.into()
    }
    fn mac(&self, np: &[u8; 16], c: &[u8]) -> [u8; 4] {
        let t = self.cmac(self.q, c);
        [
            np[12] ^ t[12],
            np[13] ^ t[13],
            np[14] ^ t[14],
            np[15] ^ t[15],
        ]
    }
    fn ctr(&self, np: &[u8; 16], src: &[u8], dst: &mut [u8]) {
        let mut n = *np;
        n[12] &= 0x7f;
        n[14] &= 0x7f;
        let mut c = u128::from_be_bytes(n);
        for (s, d) in src.chunks(128).zip(dst.chunks_mut(128)) {
            let mut ks = [aes::Block::default(); 8];
            let nb = s.len().div_ceil(16);
            for k in &mut ks[..nb] {
                *k = aes::Block::from(c.to_be_bytes());
                c = c.wrapping_add(1);
            }
            self.aes.encrypt_blocks(&mut ks[..nb]);
            for ((d, s), k) in d.chunks_mut(16).zip(s.chunks(16)).zip(&ks) {
                if d.len() == 16 {
                    let x = u128::from_ne_bytes(s.try_into().unwrap())
                        ^ u128::from_ne_bytes((*k).into());
                    d.copy_from_slice(&x.to_ne_bytes());
                } else {
                    for ((d, s), k) in d.iter_mut().zip(s).zip(k) {
                        *d = s ^ k;
                    }
                }
            }
        }
    }
}

fn c1218_encode(c: &mut Criterion<CpuTime>) {
    let msg = read_response_64();
    let repr = PacketRepr::single(&msg);
    let mut g = c.benchmark_group("c12");
    g.throughput(Throughput::Bytes(repr.encoded_len() as u64));
    g.bench_function("c1218_packet_encode_64/meterwire", |b| {
        // header + data + CRC-16/X-25 into a caller's buffer
        let mut out = vec![0u8; repr.encoded_len()];
        b.iter(|| {
            let n = black_box(&repr).encode(&mut out).unwrap();
            black_box(&out[..n]);
        })
    });
    g.bench_function("c1218_packet_encode_64/bare_copy_crc", |b| {
        // the floor: the same bytes copied after a 6-byte header, CRC over them
        let mut out = vec![0u8; msg.len() + 8];
        b.iter(|| {
            let m = black_box(&msg);
            out[..6].copy_from_slice(&[0xee, 0, 0x20, 0, 0, m.len() as u8]);
            out[6..6 + m.len()].copy_from_slice(m);
            let crc = CRC16_X25.checksum(&out[..6 + m.len()]);
            out[6 + m.len()..].copy_from_slice(&crc.to_le_bytes());
            black_box(&out);
        })
    });
    g.finish();
}

meterwire_benches::main!(c1218, c1222, c1218_encode);

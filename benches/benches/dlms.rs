//! DLMS/COSEM decoding against the crates.io peers on the same bytes:
//! `dlms-cosem-rs` 0.1 (hupe1980) and `dlms_cosem` 0.2 (reitermarkus, pushes only).
//!
//! Cases (issue 6): an HDLC push frame of ~250 bytes whose data-notification carries a
//! 20-element structure (FCS check + parse + walk every value); AARQ + AARE parse; a
//! get-response with a 100-entry profile-generic buffer (parse + walk).
//! Run: `cargo bench -p meterwire-benches --bench dlms`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use criterion::{Criterion, Throughput, black_box, criterion_group};
use meterwire_benches::CpuTime;
use meterwire_core::{Decoded, Encode, Framer};
use meterwire_dlms_cosem::apdu::Apdu;
use meterwire_dlms_cosem::axdr::{Data, Value};
use meterwire_dlms_cosem::hdlc::{Address, Control, HdlcFramer, HdlcRepr, LLC_RESPONSE};

/// A push like an Austrian/Norwegian P1 port sends: clock + 19 values in one structure.
fn push_apdu() -> Vec<u8> {
    let mut items = vec![Value::OctetString(vec![
        0x07, 0xE5, 9, 27, 1, 9, 47, 15, 0, 0xFF, 0x88, 0x80,
    ])];
    // OBIS code, then {value, {scaler, unit}}, as Kaifa/Landis+Gyr customer ports send
    for i in 0..19u8 {
        items.push(if i % 2 == 0 {
            Value::OctetString(vec![1, 0, i, 8, 0, 255])
        } else {
            Value::Structure(vec![
                Value::DoubleLongUnsigned(0x0001_0000 + u32::from(i) * 977),
                Value::Structure(vec![Value::Integer(-1), Value::Enum(30)]),
            ])
        });
    }
    let body = Value::Structure(items).encode_to_vec().unwrap();
    let mut apdu = vec![
        0x0F, 0x80, 0x06, 0x87, 0x0E, 0x0C, 0x07, 0xE5, 9, 27, 1, 9, 47, 15, 0, 0xFF, 0x88, 0x80,
    ];
    apdu.extend(body);
    apdu
}

fn push_frame(apdu: &[u8]) -> Vec<u8> {
    let info = [&LLC_RESPONSE[..], apdu].concat();
    HdlcRepr {
        segmented: false,
        destination: Address::one(0x10),
        source: Address::two(1, 17),
        control: Control::UI { pf: true },
        info: &info,
    }
    .encode_to_vec()
    .unwrap()
}

fn profile_response() -> Vec<u8> {
    let rows: Vec<Value> = (0..100u32)
        .map(|i| {
            Value::Structure(vec![
                Value::OctetString(vec![
                    0x07,
                    0xE8,
                    1,
                    (i / 24 + 1) as u8,
                    0xFF,
                    (i % 24) as u8,
                    0,
                    0,
                    0,
                    0xFF,
                    0xC4,
                    0,
                ]),
                Value::DoubleLongUnsigned(1_000_000 + i * 250),
                Value::DoubleLongUnsigned(i * 3),
                Value::LongUnsigned(0),
            ])
        })
        .collect();
    let mut apdu = vec![0xC4, 0x01, 0xC1, 0x00];
    apdu.extend(Value::Array(rows).encode_to_vec().unwrap());
    apdu
}

// pwitab/dlms-cosem tests/test_asce/test_aarq.py line 41 and test_aare.py line 58.
const AARQ: &str = "6066a109060760857405080103a60a04084d4d4d0000bc614e8a0207808b0760857405080201ac0a80083132333435363738be34043221303001234567801302ff8a7874133d414ced25b42534d28db0047720606b175bd52211be6841db204d39ee6fdb8e356855";
const AARE: &str = "6142a109060760857405080101a203020100a305a10302010e88020780890760857405080205aa0a8008503677524a323146be10040e0800065f1f040000501f01f40007";

/// AARQ + AARE down to the xDLMS level on both sides (issue 17: the peer used to leave
/// user-information raw): the ciphered InitiateRequest's security header (SC, invocation
/// counter, protected bytes) and the InitiateResponse (conformance, max PDU size, VAA name),
/// every value folded into the returned checksum.
fn mw_aarq_aare(aarq: &[u8], aare: &[u8]) -> usize {
    use meterwire_dlms_cosem::apdu::UserInformation as Ui;
    let mut sum = 0usize;
    if let Ok(Apdu::Aarq(q)) = Apdu::parse(aarq) {
        sum += q.calling_ap_title.map_or(0, <[u8]>::len);
        sum += q.calling_authentication_value.map_or(0, <[u8]>::len);
        if let Some(Ui::Ciphered(c)) = q.user_information {
            let c = c.ciphered().unwrap();
            sum += usize::from(c.security_control.0) + c.invocation_counter as usize;
            sum += c.payload.len();
        }
    }
    if let Ok(Apdu::Aare(r)) = Apdu::parse(aare) {
        sum += usize::from(r.result) + r.responding_ap_title.map_or(0, <[u8]>::len);
        sum += r.responding_authentication_value.map_or(0, <[u8]>::len);
        if let Some(Ui::InitiateResponse(i)) = r.user_information {
            sum += i.negotiated_conformance.0 as usize + usize::from(i.negotiated_dlms_version);
            sum += usize::from(i.server_max_receive_pdu_size) + usize::from(i.vaa_name);
        }
    }
    sum
}

/// The same work with dlms-cosem-rs: its ACSE decoder leaves user-information as bytes,
/// so they go through its xDLMS APDU decoder (`Apdu::Ciphered`, `Apdu::InitiateResponse`).
fn hupe_aarq_aare(aarq: &[u8], aare: &[u8]) -> usize {
    use dlms_cosem_rs::Apdu as A;
    use dlms_cosem_rs::acse::AssociationResult;
    use dlms_cosem_rs::codec::Decode;
    let mut sum = 0usize;
    if let Ok(A::Aarq(q)) = A::from_bytes(aarq) {
        sum += q.calling_ap_title.map_or(0, <[u8]>::len);
        sum += q.calling_authentication_value.map_or(0, <[u8]>::len);
        if let Some(Ok(A::Ciphered { body, .. })) = q.user_information.map(A::from_bytes) {
            sum += usize::from(body.security_control.0) + body.invocation_counter as usize;
            sum += body.payload.len();
        }
    }
    if let Ok(A::Aare(r)) = A::from_bytes(aare) {
        sum += match r.result {
            AssociationResult::Accepted => 0,
            AssociationResult::RejectedPermanent => 1,
            AssociationResult::RejectedTransient => 2,
            AssociationResult::Other(v) => usize::from(v),
        };
        sum += r.responding_ap_title.map_or(0, <[u8]>::len);
        sum += r.responding_authentication_value.map_or(0, <[u8]>::len);
        if let Some(Ok(A::InitiateResponse(i))) = r.user_information.map(A::from_bytes) {
            // its flags number bits from the most significant of the 24 (bit 0 reserved)
            let conformance = i.negotiated_conformance.bits().reverse_bits() >> 8;
            sum += conformance as usize + usize::from(i.negotiated_dlms_version);
            sum += usize::from(i.server_max_receive_pdu_size) + usize::from(i.vaa_name);
        }
    }
    sum
}

fn walk_mw(d: &Data<'_>) -> usize {
    d.walk(&mut |_| {})
}

fn walk_hupe(d: &dlms_cosem_rs::axdr::Data<'_>) -> usize {
    use dlms_cosem_rs::axdr::Data as D;
    match d {
        D::Array(s) | D::Structure(s) => {
            1 + s.iter().map(|e| walk_hupe(&e.unwrap())).sum::<usize>()
        }
        _ => 1,
    }
}

fn mw_push_hdlc(frame: &[u8]) -> usize {
    let mut f = HdlcFramer::new();
    let Ok(Decoded::Frame { frame, .. }) = f.decode(frame) else {
        panic!()
    };
    let Ok(Apdu::DataNotification(dn)) = Apdu::parse(frame.payload()) else {
        panic!()
    };
    walk_mw(&dn.data)
}

fn hupe_push_hdlc(frame: &[u8]) -> usize {
    use dlms_cosem_rs::codec::Decode;
    let (f, _) = dlms_cosem_rs::transport::hdlc::decode_frame(frame).unwrap();
    let apdu = dlms_cosem_rs::Apdu::from_bytes(&f.information[3..]).unwrap();
    let dlms_cosem_rs::Apdu::DataNotification(dn) = apdu else {
        panic!()
    };
    walk_hupe(&dn.body)
}

fn mw_push_apdu(apdu: &[u8]) -> usize {
    let Ok(Apdu::DataNotification(dn)) = Apdu::parse(apdu) else {
        panic!()
    };
    walk_mw(&dn.data)
}

fn hupe_push_apdu(apdu: &[u8]) -> usize {
    use dlms_cosem_rs::codec::Decode;
    let dlms_cosem_rs::Apdu::DataNotification(dn) = dlms_cosem_rs::Apdu::from_bytes(apdu).unwrap()
    else {
        panic!()
    };
    walk_hupe(&dn.body)
}

/// `dlms_cosem` builds an owned tree while parsing (every value is visited then) and has
/// no public accessor for the body, so its case is parse only.
fn reiter_push_apdu(apdu: &[u8]) -> usize {
    let (rest, a) = dlms_cosem::Apdu::parse(apdu).unwrap();
    assert!(rest.is_empty());
    let dlms_cosem::Apdu::DataNotification(dn) = a else {
        panic!()
    };
    black_box(dn);
    1
}

fn mw_profile(apdu: &[u8]) -> usize {
    let Ok(Apdu::GetResponse(meterwire_dlms_cosem::apdu::GetResponse::Normal { result, .. })) =
        Apdu::parse(apdu)
    else {
        panic!()
    };
    let meterwire_dlms_cosem::apdu::GetDataResult::Data(d) = result else {
        panic!()
    };
    walk_mw(&d)
}

fn hupe_profile(apdu: &[u8]) -> usize {
    use dlms_cosem_rs::codec::Decode;
    use dlms_cosem_rs::xdlms::{GetDataResult, GetResponse};
    let dlms_cosem_rs::Apdu::GetResponse(GetResponse::Normal { result, .. }) =
        dlms_cosem_rs::Apdu::from_bytes(apdu).unwrap()
    else {
        panic!()
    };
    let GetDataResult::Data(d) = result else {
        panic!()
    };
    walk_hupe(&d)
}

fn bench(c: &mut Criterion<CpuTime>) {
    let apdu = push_apdu();
    let frame = push_frame(&apdu);
    // all implementations must agree on the work before they are timed
    assert_eq!(mw_push_hdlc(&frame), hupe_push_hdlc(&frame));
    assert_eq!(mw_push_apdu(&apdu), hupe_push_apdu(&apdu));
    assert_eq!(reiter_push_apdu(&apdu), 1);
    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(frame.len() as u64));
    g.bench_function(format!("hdlc_push_{}B/meterwire", frame.len()), |b| {
        b.iter(|| mw_push_hdlc(black_box(&frame)))
    });
    g.bench_function(format!("hdlc_push_{}B/dlms-cosem-rs", frame.len()), |b| {
        b.iter(|| hupe_push_hdlc(black_box(&frame)))
    });
    g.throughput(Throughput::Bytes(apdu.len() as u64));
    g.bench_function("push_apdu/meterwire", |b| {
        b.iter(|| mw_push_apdu(black_box(&apdu)))
    });
    g.bench_function("push_apdu/dlms-cosem-rs", |b| {
        b.iter(|| hupe_push_apdu(black_box(&apdu)))
    });
    g.bench_function("push_apdu/dlms_cosem", |b| {
        b.iter(|| reiter_push_apdu(black_box(&apdu)))
    });

    let aarq = hex::decode(AARQ).unwrap();
    let aare = hex::decode(AARE).unwrap();
    g.throughput(Throughput::Bytes((aarq.len() + aare.len()) as u64));
    let sum = mw_aarq_aare(&aarq, &aare);
    assert_eq!(sum, hupe_aarq_aare(&aarq, &aare));
    // calling-AP-title 8 + challenge 8 + SC 0x30 + IC 0x01234567 + 0x2B protected
    // bytes; AARE: result 0, no responding title, challenge 8, conformance 0x501F,
    // version 6, max PDU 0x01F4, VAA 7.
    assert_eq!(
        sum,
        16 + 0x30 + 0x0123_4567 + 0x2B + 8 + 0x50_1F + 6 + 0x1F4 + 7
    );
    g.bench_function("aarq_aare/meterwire", |b| {
        b.iter(|| mw_aarq_aare(black_box(&aarq), black_box(&aare)))
    });
    g.bench_function("aarq_aare/dlms-cosem-rs", |b| {
        b.iter(|| hupe_aarq_aare(black_box(&aarq), black_box(&aare)))
    });

    let prof = profile_response();
    assert_eq!(mw_profile(&prof), hupe_profile(&prof));
    g.throughput(Throughput::Bytes(prof.len() as u64));
    g.bench_function("get_response_profile_100/meterwire", |b| {
        b.iter(|| mw_profile(black_box(&prof)))
    });
    g.bench_function("get_response_profile_100/dlms-cosem-rs", |b| {
        b.iter(|| hupe_profile(black_box(&prof)))
    });
    g.finish();
}

/// `DLMS_INTERLEAVED=1 cargo bench -p meterwire-benches --bench dlms`: runs the
/// implementations alternately in short rounds and keeps each one's best round, so load
/// from other processes on a shared machine hits all of them alike (the README figures).
fn interleaved() {
    use std::time::Instant;
    let apdu = push_apdu();
    let frame = push_frame(&apdu);
    let prof = profile_response();
    let aarq = hex::decode(AARQ).unwrap();
    let aare = hex::decode(AARE).unwrap();
    type Case<'a> = (&'a str, &'a str, usize, Box<dyn Fn() -> usize + 'a>);
    let cases: Vec<Case<'_>> = vec![
        (
            "hdlc_push",
            "meterwire",
            frame.len(),
            Box::new(|| mw_push_hdlc(black_box(&frame))),
        ),
        (
            "hdlc_push",
            "dlms-cosem-rs",
            frame.len(),
            Box::new(|| hupe_push_hdlc(black_box(&frame))),
        ),
        (
            "push_apdu",
            "meterwire",
            apdu.len(),
            Box::new(|| mw_push_apdu(black_box(&apdu))),
        ),
        (
            "push_apdu",
            "dlms-cosem-rs",
            apdu.len(),
            Box::new(|| hupe_push_apdu(black_box(&apdu))),
        ),
        (
            "push_apdu",
            "dlms_cosem",
            apdu.len(),
            Box::new(|| reiter_push_apdu(black_box(&apdu))),
        ),
        (
            "aarq_aare",
            "meterwire",
            aarq.len() + aare.len(),
            Box::new(|| mw_aarq_aare(black_box(&aarq), black_box(&aare))),
        ),
        (
            "aarq_aare",
            "dlms-cosem-rs",
            aarq.len() + aare.len(),
            Box::new(|| hupe_aarq_aare(black_box(&aarq), black_box(&aare))),
        ),
        (
            "get_response_profile_100",
            "meterwire",
            prof.len(),
            Box::new(|| mw_profile(black_box(&prof))),
        ),
        (
            "get_response_profile_100",
            "dlms-cosem-rs",
            prof.len(),
            Box::new(|| hupe_profile(black_box(&prof))),
        ),
    ];
    let mut best = vec![f64::MAX; cases.len()];
    for _round in 0..200 {
        for (i, (_, _, _, f)) in cases.iter().enumerate() {
            let n = 200;
            let t = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            let ns = t.elapsed().as_nanos() as f64 / f64::from(n);
            best[i] = best[i].min(ns);
        }
    }
    println!("| case | implementation | bytes | ns/frame | MB/s | vs meterwire |");
    println!("|---|---|---:|---:|---:|---:|");
    for (i, (case, imp, len, _)) in cases.iter().enumerate() {
        let base = cases.iter().position(|c| c.0 == *case).unwrap();
        println!(
            "| {case} | {imp} | {len} | {:.0} | {:.1} | {:.2}x |",
            best[i],
            *len as f64 / best[i] * 1e3,
            best[i] / best[base]
        );
    }
}

/// Issue 17 encode path: the HDLC UI frame around the push APDU (header, HCS over the
/// header, information copied, FCS over everything, flags), into a caller buffer on
/// both sides; the two encoders produce the same bytes.
fn hdlc_encode(c: &mut Criterion<CpuTime>) {
    use dlms_cosem_rs::codec::{Encode as _, SliceWriter, Writer as _};
    use dlms_cosem_rs::transport::hdlc as peer;
    let info = [&LLC_RESPONSE[..], &push_apdu()].concat();
    let repr = HdlcRepr {
        segmented: false,
        destination: Address::one(0x10),
        source: Address::two(1, 17),
        control: Control::UI { pf: true }, // dlms-cosem-rs's `Ui` sets P/F (0x13)
        info: &info,
    };
    let frame = peer::Frame {
        segmented: false,
        destination: peer::Address::Single(0x10),
        source: peer::Address::Double {
            upper: 1,
            lower: 17,
        },
        control: peer::Control::Ui,
        information: &info,
    };
    let mut out = vec![0u8; repr.encoded_len()];
    let mut out2 = vec![0u8; frame.encoded_len()];
    assert_eq!(repr.encode(&mut out).unwrap(), out.len());
    frame.encode(&mut SliceWriter::new(&mut out2)).unwrap();
    assert_eq!(out, out2);

    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(out.len() as u64));
    g.bench_function(format!("hdlc_encode_{}B/meterwire", out.len()), |b| {
        b.iter(|| black_box(&repr).encode(&mut out).unwrap())
    });
    g.bench_function(format!("hdlc_encode_{}B/dlms-cosem-rs", out.len()), |b| {
        b.iter(|| {
            let mut w = SliceWriter::new(&mut out2);
            black_box(&frame).encode(&mut w).unwrap();
            w.written()
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = meterwire_benches::config();
    targets = bench, hdlc_encode
}

fn main() {
    if std::env::var_os("DLMS_INTERLEAVED").is_some() {
        interleaved();
        return;
    }
    benches();
    meterwire_benches::config()
        .configure_from_args()
        .final_summary();
}

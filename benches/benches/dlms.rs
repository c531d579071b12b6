//! DLMS/COSEM decoding against the crates.io peers on the same bytes:
//! `dlms-cosem-rs` 0.1 (hupe1980) and `dlms_cosem` 0.2 (reitermarkus, pushes only).
//!
//! Cases (issue 6): an HDLC push frame of ~250 bytes whose data-notification carries a
//! 20-element structure (FCS check + parse + walk every value); AARQ + AARE parse; a
//! get-response with a 100-entry profile-generic buffer (parse + walk).
//! Run: `cargo bench -p meterwire-benches --bench dlms`.

use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::{Decoded, Encode, Framer};
use meterwire_dlms_cosem::apdu::{Apdu, DataNotification};
use meterwire_dlms_cosem::axdr::{Data, Value, Visit};
use meterwire_dlms_cosem::hdlc::{Address, Control, HdlcFramer, HdlcRepr, LLC_RESPONSE};

// push_header() and bench_push_apdu(), the push also used by the crate's tests
include!("../../dlms-cosem/tests/bench_push.rs");

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

/// The checksum every walk folds each value into (containers fold their element
/// count, strings their length and bytes, numbers their value): a wrapping sum, so the
/// fold adds one cycle of latency per value (an xor-rotate-add chain cost three and was
/// 40 % of the walk samples, on every side alike).
#[inline(always)]
fn mix(h: u64, v: u64) -> u64 {
    h.wrapping_add(v)
}

/// Length, then every byte in 8-byte words (a short tail as the last, overlapping
/// word; strings under 8 bytes as one word), without a `memcpy` call.
#[inline(always)]
fn mix_bytes(mut h: u64, b: &[u8]) -> u64 {
    h = mix(h, b.len() as u64);
    if b.len() >= 8 {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            h = mix(h, u64::from_le_bytes(c.try_into().unwrap()));
        }
        if !chunks.remainder().is_empty() {
            h = mix(h, u64::from_le_bytes(b[b.len() - 8..].try_into().unwrap()));
        }
    } else {
        h = mix(h, b.iter().fold(0u64, |a, &x| a << 8 | u64::from(x)));
    }
    h
}

/// meterwire: a visitor that folds every value where it is decoded, and counts them.
#[derive(Default)]
struct Fold {
    h: u64,
    n: usize,
}

impl<'a> Visit<'a> for Fold {
    #[inline(always)]
    fn begin(&mut self, _tag: u8, count: usize) {
        self.h = mix(self.h, count as u64);
        self.n += 1;
    }
    #[inline(always)]
    fn unsigned(&mut self, _tag: u8, v: u64) {
        self.h = mix(self.h, v);
        self.n += 1;
    }
    #[inline(always)]
    fn signed(&mut self, _tag: u8, v: i64) {
        self.h = mix(self.h, v as u64);
        self.n += 1;
    }
    #[inline(always)]
    fn float(&mut self, _tag: u8, v: f64) {
        self.h = mix(self.h, v.to_bits());
        self.n += 1;
    }
    #[inline(always)]
    fn bytes(&mut self, _tag: u8, b: &'a [u8]) {
        self.h = mix_bytes(self.h, b);
        self.n += 1;
    }
    #[inline(always)]
    fn null(&mut self, _tag: u8) {
        self.h = mix(self.h, 0);
        self.n += 1;
    }
}

/// (checksum, values visited)
fn walk_mw(d: &Data<'_>) -> (u64, usize) {
    let mut f = Fold::default();
    d.visit(&mut f);
    (f.h, f.n)
}

fn fold_hupe(h: u64, d: &dlms_cosem_rs::axdr::Data<'_>, n: &mut usize) -> u64 {
    use dlms_cosem_rs::axdr::Data as D;
    *n += 1;
    match d {
        D::Array(s) | D::Structure(s) => {
            let mut h = mix(h, s.len() as u64);
            for e in s.iter() {
                h = fold_hupe(h, &e.unwrap(), n);
            }
            h
        }
        D::OctetString(b) | D::VisibleString(b) | D::Utf8String(b) => mix_bytes(h, b),
        D::Float32(v) => mix(h, f64::from(*v).to_bits()),
        D::Float64(v) => mix(h, v.to_bits()),
        D::Long64Unsigned(v) => mix(h, *v),
        D::Boolean(v) => mix(h, u64::from(*v)),
        other => mix(h, other.as_i64().unwrap_or(0) as u64),
    }
}

fn walk_hupe(d: &dlms_cosem_rs::axdr::Data<'_>) -> (u64, usize) {
    let mut n = 0;
    (fold_hupe(0, d, &mut n), n)
}

/// `dlms_cosem` has no array type and keeps the notification body private, so its
/// case parses the A-XDR body with its public `Data::parse` (owned tree) and folds it.
fn fold_reiter(h: u64, d: &dlms_cosem::Data, n: &mut usize) -> u64 {
    use dlms_cosem::Data as D;
    *n += 1;
    match d {
        D::Structure(v) => {
            let mut h = mix(h, v.len() as u64);
            for e in v {
                h = fold_reiter(h, e, n);
            }
            h
        }
        D::OctetString(b) => mix_bytes(h, b),
        D::Utf8String(b) => mix_bytes(h, b.as_bytes()),
        D::Integer(v) => mix(h, i64::from(*v) as u64),
        D::Long(v) => mix(h, i64::from(*v) as u64),
        D::DoubleLong(v) => mix(h, i64::from(*v) as u64),
        D::Long64(v) => mix(h, *v as u64),
        D::Unsigned(v) | D::Enum(v) => mix(h, u64::from(*v)),
        D::LongUnsigned(v) => mix(h, u64::from(*v)),
        D::DoubleLongUnsigned(v) => mix(h, u64::from(*v)),
        D::Long64Unsigned(v) => mix(h, *v),
        D::Float32(v) => mix(h, f64::from(*v).to_bits()),
        D::Float64(v) => mix(h, v.to_bits()),
        _ => mix(h, 0),
    }
}

/// The floor: a hand-written tag-dispatch walk over the A-XDR bytes in one pass
/// (bounds-checked, the types these workloads use, a loop per container), folding the
/// same checksum in the same order.
fn bare_seq(b: &mut &[u8], count: usize, h: &mut u64, n: &mut usize) -> Option<()> {
    for _ in 0..count {
        *n += 1;
        match **b {
            [6, x0, x1, x2, x3, ref tail @ ..] => {
                *h = mix(*h, u64::from(u32::from_be_bytes([x0, x1, x2, x3])));
                *b = tail;
            }
            [5, x0, x1, x2, x3, ref tail @ ..] => {
                *h = mix(*h, i32::from_be_bytes([x0, x1, x2, x3]) as i64 as u64);
                *b = tail;
            }
            [18, x0, x1, ref tail @ ..] => {
                *h = mix(*h, u64::from(u16::from_be_bytes([x0, x1])));
                *b = tail;
            }
            [16, x0, x1, ref tail @ ..] => {
                *h = mix(*h, i16::from_be_bytes([x0, x1]) as i64 as u64);
                *b = tail;
            }
            [17 | 22, x, ref tail @ ..] => {
                *h = mix(*h, u64::from(x));
                *b = tail;
            }
            [15, x, ref tail @ ..] => {
                *h = mix(*h, x as i8 as i64 as u64);
                *b = tail;
            }
            [9, k, ref tail @ ..] if k < 0x80 => {
                let (s, tail) = tail.split_at_checked(usize::from(k))?;
                *h = mix_bytes(*h, s);
                *b = tail;
            }
            [1 | 2, k, ref tail @ ..] if k < 0x80 => {
                *h = mix(*h, u64::from(k));
                *b = tail;
                bare_seq(b, usize::from(k), h, n)?;
            }
            [1 | 2, 0x82, k0, k1, ref tail @ ..] => {
                let k = u16::from_be_bytes([k0, k1]);
                *h = mix(*h, u64::from(k));
                *b = tail;
                bare_seq(b, usize::from(k), h, n)?;
            }
            _ => return None,
        }
    }
    Some(())
}

fn bare_axdr_walk(mut b: &[u8]) -> (u64, usize) {
    let (mut h, mut n) = (0, 0);
    bare_seq(&mut b, 1, &mut h, &mut n).unwrap();
    (h, n)
}

/// Where the A-XDR body starts in `bench_push_apdu()` (tag, invoke-id, 12-byte date-time).
const PUSH_BODY: usize = 18;
/// Where the A-XDR body starts in a get-response-normal with data.
const GET_BODY: usize = 4;

fn mw_push_hdlc(frame: &[u8]) -> (u64, usize) {
    let mut f = HdlcFramer::new();
    let Ok(Decoded::Frame { frame, .. }) = f.decode(frame) else {
        panic!()
    };
    let Ok(Apdu::DataNotification(dn)) = Apdu::parse(frame.payload()) else {
        panic!()
    };
    walk_mw(&dn.data)
}

fn hupe_push_hdlc(frame: &[u8]) -> (u64, usize) {
    use dlms_cosem_rs::codec::Decode;
    let (f, _) = dlms_cosem_rs::transport::hdlc::decode_frame(frame).unwrap();
    let apdu = dlms_cosem_rs::Apdu::from_bytes(&f.information[3..]).unwrap();
    let dlms_cosem_rs::Apdu::DataNotification(dn) = apdu else {
        panic!()
    };
    walk_hupe(&dn.body)
}

/// meterwire: the one-pass data-notification decode (header, then the body validated
/// and folded as it is read).
fn mw_push_apdu(apdu: &[u8]) -> (u64, usize) {
    let mut f = Fold::default();
    let Ok(_) = DataNotification::parse_visit(apdu, &mut f) else {
        panic!()
    };
    (f.h, f.n)
}

/// meterwire, two passes: `Apdu::parse` (validates the body), then the visitor walk.
fn mw_push_apdu_two_pass(apdu: &[u8]) -> (u64, usize) {
    let Ok(Apdu::DataNotification(dn)) = Apdu::parse(apdu) else {
        panic!()
    };
    walk_mw(&dn.data)
}

fn hupe_push_apdu(apdu: &[u8]) -> (u64, usize) {
    use dlms_cosem_rs::codec::Decode;
    let dlms_cosem_rs::Apdu::DataNotification(dn) = dlms_cosem_rs::Apdu::from_bytes(apdu).unwrap()
    else {
        panic!()
    };
    walk_hupe(&dn.body)
}

fn reiter_push_apdu(apdu: &[u8]) -> (u64, usize) {
    let (rest, d) = dlms_cosem::Data::parse(&apdu[PUSH_BODY..]).unwrap();
    assert!(rest.is_empty());
    let mut n = 0;
    (fold_reiter(0, &d, &mut n), n)
}

fn mw_profile(apdu: &[u8]) -> (u64, usize) {
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

fn hupe_profile(apdu: &[u8]) -> (u64, usize) {
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

/// A load profile as a meter sends it for 30 days of 15-minute periods: 2,880 rows of
/// {date-time as octet-string, +A energy, -A energy, voltage, power factor, power}
/// (profile generic attribute 2, `array of structure`), in a get-response-normal.
fn profile_2880() -> Vec<u8> {
    let rows: Vec<Value> = (0..2880u32)
        .map(|i| {
            let (day, min) = (i / 96, (i % 96) * 15);
            Value::Structure(vec![
                Value::OctetString(vec![
                    0x07,
                    0xEA,
                    1 + (day / 31) as u8,
                    1 + (day % 31) as u8,
                    0xFF,
                    (min / 60) as u8,
                    (min % 60) as u8,
                    0,
                    0,
                    0xFF,
                    0xC4,
                    0,
                ]),
                Value::DoubleLongUnsigned(12_345_678 + i * 311),
                Value::DoubleLongUnsigned(1_000 + i * 7),
                Value::LongUnsigned(2300 + (i % 17) as u16),
                Value::Long(-(i as i16 % 1000)),
                Value::DoubleLong(i as i32 * 13 - 20_000),
            ])
        })
        .collect();
    let mut apdu = vec![0xC4, 0x01, 0xC1, 0x00];
    apdu.extend(Value::Array(rows).encode_to_vec().unwrap());
    apdu
}

/// Cuts an APDU into general-block-transfer APDUs (Green Book 9.1.4.4.12) of `size`
/// data bytes each, numbered from 1, the last with the last-block bit.
fn gbt_blocks(apdu: &[u8], size: usize) -> Vec<Vec<u8>> {
    let n = apdu.len().div_ceil(size);
    apdu.chunks(size)
        .enumerate()
        .map(|(i, chunk)| {
            let bn = (i + 1) as u16;
            let ctrl = if i + 1 == n { 0x80 } else { 0x00 };
            let mut b = vec![0xE0, ctrl];
            b.extend(bn.to_be_bytes());
            b.extend([0, 0, 0x82]);
            b.extend((chunk.len() as u16).to_be_bytes());
            b.extend(chunk);
            b
        })
        .collect()
}

/// meterwire: `BlockReassembler` (caller buffer) + get-response parse + visitor fold.
fn mw_gbt_profile(blocks: &[Vec<u8>], buf: &mut [u8]) -> (u64, usize) {
    let mut r = meterwire_dlms_cosem::security::BlockReassembler::new(buf);
    for b in blocks {
        if let Some(apdu) = r.push(b).unwrap() {
            return mw_profile(apdu);
        }
    }
    panic!("no last block")
}

/// dlms-cosem-rs: each block parsed as an APDU, `GbtReceiver` (caller buffer), then
/// get-response parse + fold.
fn hupe_gbt_profile(blocks: &[Vec<u8>], buf: &mut [u8]) -> (u64, usize) {
    use dlms_cosem_rs::codec::Decode;
    let mut r = dlms_cosem_rs::xdlms::GbtReceiver::new(buf);
    for b in blocks {
        let dlms_cosem_rs::Apdu::GeneralBlockTransfer(g) =
            dlms_cosem_rs::Apdu::from_bytes(b).unwrap()
        else {
            panic!()
        };
        if r.push(&g).unwrap() == dlms_cosem_rs::xdlms::GbtAction::Complete {
            return hupe_profile(r.apdu());
        }
    }
    panic!("no last block")
}

fn bench(c: &mut Criterion<CpuTime>) {
    let apdu = bench_push_apdu();
    let frame = push_frame(&apdu);
    // all implementations must agree on the work before they are timed
    assert_eq!(mw_push_hdlc(&frame), hupe_push_hdlc(&frame));
    let push = mw_push_apdu(&apdu);
    assert_eq!(push, hupe_push_apdu(&apdu));
    assert_eq!(push, reiter_push_apdu(&apdu));
    assert_eq!(push, bare_axdr_walk(&apdu[PUSH_BODY..]));
    assert_eq!(push, mw_push_apdu_two_pass(&apdu));
    let mut g = c.benchmark_group("dlms");
    g.throughput(Throughput::Bytes(frame.len() as u64));
    bench_iter!(g, format!("hdlc_push_{}B/meterwire", frame.len()), || {
        mw_push_hdlc(black_box(&frame))
    });
    bench_iter!(
        g,
        format!("hdlc_push_{}B/dlms-cosem-rs", frame.len()),
        || { hupe_push_hdlc(black_box(&frame)) }
    );
    // push_apdu: 57 A-XDR values (ns/element = time / 57)
    g.throughput(Throughput::Bytes(apdu.len() as u64));
    bench_iter!(g, "push_apdu/meterwire", || {
        mw_push_apdu(black_box(&apdu))
    });
    bench_iter!(g, "push_apdu/dlms-cosem-rs", || {
        hupe_push_apdu(black_box(&apdu))
    });
    bench_iter!(g, "push_apdu/dlms_cosem", || {
        reiter_push_apdu(black_box(&apdu))
    });
    bench_iter!(g, "push_apdu/bare_axdr_walk", || {
        bare_axdr_walk(black_box(&apdu[PUSH_BODY..]))
    });
    bench_iter!(g, "push_apdu/ref_two_pass", || {
        mw_push_apdu_two_pass(black_box(&apdu))
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
    bench_iter!(g, "aarq_aare/meterwire", || {
        mw_aarq_aare(black_box(&aarq), black_box(&aare))
    });
    bench_iter!(g, "aarq_aare/dlms-cosem-rs", || {
        hupe_aarq_aare(black_box(&aarq), black_box(&aare))
    });

    // get_response_profile_100: 501 A-XDR values
    let prof = profile_response();
    let p = mw_profile(&prof);
    assert_eq!(p, hupe_profile(&prof));
    assert_eq!(p, bare_axdr_walk(&prof[GET_BODY..]));
    g.throughput(Throughput::Bytes(prof.len() as u64));
    bench_iter!(g, "get_response_profile_100/meterwire", || {
        mw_profile(black_box(&prof))
    });
    bench_iter!(g, "get_response_profile_100/dlms-cosem-rs", || {
        hupe_profile(black_box(&prof))
    });
    bench_iter!(g, "get_response_profile_100/bare_axdr_walk", || {
        bare_axdr_walk(black_box(&prof[GET_BODY..]))
    });

    // gbt_profile_2880x6: 1,000-byte GBT blocks reassembled, then 20,161 A-XDR values
    let big = profile_2880();
    let blocks = gbt_blocks(&big, 1000);
    let mut buf = vec![0u8; big.len()];
    let q = mw_gbt_profile(&blocks, &mut buf);
    assert_eq!(q, hupe_gbt_profile(&blocks, &mut buf));
    assert_eq!(q, bare_axdr_walk(&big[GET_BODY..]));
    g.throughput(Throughput::Bytes(
        blocks.iter().map(Vec::len).sum::<usize>() as u64,
    ));
    bench_iter!(g, "gbt_profile_2880x6/meterwire", || {
        mw_gbt_profile(black_box(&blocks), &mut buf)
    });
    bench_iter!(g, "gbt_profile_2880x6/dlms-cosem-rs", || {
        hupe_gbt_profile(black_box(&blocks), &mut buf)
    });
    bench_iter!(g, "gbt_profile_2880x6/bare_axdr_walk", || {
        bare_axdr_walk(black_box(&big[GET_BODY..]))
    });
    g.finish();
}

/// `DLMS_INTERLEAVED=1 cargo bench -p meterwire-benches --bench dlms`: runs the
/// implementations alternately in short rounds and keeps each one's best round, so load
/// from other processes on a shared machine hits all of them alike (the README figures).
/// A-XDR cases also print ns per element (values visited).
fn interleaved() {
    use std::cell::RefCell;
    use std::time::Instant;
    let apdu = bench_push_apdu();
    let frame = push_frame(&apdu);
    let prof = profile_response();
    let big = profile_2880();
    let blocks = gbt_blocks(&big, 1000);
    let buf = RefCell::new(vec![0u8; big.len()]);
    let aarq = hex::decode(AARQ).unwrap();
    let aare = hex::decode(AARE).unwrap();
    let gbt_len = blocks.iter().map(Vec::len).sum::<usize>();
    type Case<'a> = (&'a str, &'a str, usize, Box<dyn Fn() -> (u64, usize) + 'a>);
    /// One implementation of a case: the case, the implementation, its input's length
    /// and the routine.
    fn timed<'a>(
        case: &'a str,
        implementation: &'a str,
        len: usize,
        run: impl Fn() -> (u64, usize) + 'a,
    ) -> Case<'a> {
        (case, implementation, len, Box::new(run))
    }
    let cases: Vec<Case<'_>> = vec![
        timed("hdlc_push", "meterwire", frame.len(), || {
            mw_push_hdlc(black_box(&frame))
        }),
        timed("hdlc_push", "dlms-cosem-rs", frame.len(), || {
            hupe_push_hdlc(black_box(&frame))
        }),
        timed("push_apdu", "meterwire", apdu.len(), || {
            mw_push_apdu(black_box(&apdu))
        }),
        timed("push_apdu", "dlms-cosem-rs", apdu.len(), || {
            hupe_push_apdu(black_box(&apdu))
        }),
        timed("push_apdu", "dlms_cosem", apdu.len(), || {
            reiter_push_apdu(black_box(&apdu))
        }),
        timed("push_apdu", "bare_axdr_walk", apdu.len(), || {
            bare_axdr_walk(black_box(&apdu[PUSH_BODY..]))
        }),
        timed("push_apdu", "ref_two_pass", apdu.len(), || {
            mw_push_apdu_two_pass(black_box(&apdu))
        }),
        timed("aarq_aare", "meterwire", aarq.len() + aare.len(), || {
            (mw_aarq_aare(black_box(&aarq), black_box(&aare)) as u64, 0)
        }),
        timed(
            "aarq_aare",
            "dlms-cosem-rs",
            aarq.len() + aare.len(),
            || (hupe_aarq_aare(black_box(&aarq), black_box(&aare)) as u64, 0),
        ),
        timed("get_response_profile_100", "meterwire", prof.len(), || {
            mw_profile(black_box(&prof))
        }),
        timed(
            "get_response_profile_100",
            "dlms-cosem-rs",
            prof.len(),
            || hupe_profile(black_box(&prof)),
        ),
        timed(
            "get_response_profile_100",
            "bare_axdr_walk",
            prof.len(),
            || bare_axdr_walk(black_box(&prof[GET_BODY..])),
        ),
        timed("gbt_profile_2880x6", "meterwire", gbt_len, || {
            mw_gbt_profile(black_box(&blocks), &mut buf.borrow_mut())
        }),
        timed("gbt_profile_2880x6", "dlms-cosem-rs", gbt_len, || {
            hupe_gbt_profile(black_box(&blocks), &mut buf.borrow_mut())
        }),
        timed("gbt_profile_2880x6", "bare_axdr_walk", gbt_len, || {
            bare_axdr_walk(black_box(&big[GET_BODY..]))
        }),
    ];
    let only = std::env::var("DLMS_CASES").ok();
    let mut best = vec![f64::MAX; cases.len()];
    let mut elems = vec![0usize; cases.len()];
    for _round in 0..200 {
        for (i, (case, _, len, f)) in cases.iter().enumerate() {
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|c| c == *case))
            {
                continue;
            }
            // about 50 KB of input per round
            let n = (50_000 / len).max(2);
            let t = Instant::now();
            for _ in 0..n {
                elems[i] = black_box(f()).1;
            }
            let ns = t.elapsed().as_nanos() as f64 / n as f64;
            best[i] = best[i].min(ns);
        }
    }
    println!(
        "| case | implementation | bytes | ns/frame | MB/s | elements | ns/element | vs meterwire |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (i, (case, imp, len, _)) in cases.iter().enumerate() {
        if best[i] == f64::MAX {
            continue;
        }
        let base = cases.iter().position(|c| c.0 == *case).unwrap();
        let per = if elems[i] > 0 {
            format!("{:.2}", best[i] / elems[i] as f64)
        } else {
            "-".into()
        };
        println!(
            "| {case} | {imp} | {len} | {:.0} | {:.1} | {} | {per} | {:.2}x |",
            best[i],
            *len as f64 / best[i] * 1e3,
            elems[i],
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
    let info = [&LLC_RESPONSE[..], &bench_push_apdu()].concat();
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
    bench_iter!(g, format!("hdlc_encode_{}B/meterwire", out.len()), || {
        black_box(&repr).encode(&mut out).unwrap()
    });
    bench_iter!(
        g,
        format!("hdlc_encode_{}B/dlms-cosem-rs", out.len()),
        || {
            let mut w = SliceWriter::new(&mut out2);
            black_box(&frame).encode(&mut w).unwrap();
            w.written()
        }
    );
    g.finish();
}

meterwire_benches::main!(when "DLMS_INTERLEAVED" => interleaved; bench, hdlc_encode);

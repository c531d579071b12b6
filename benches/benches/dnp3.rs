//! DNP3 (meterwire-dnp3-lite) benchmarks.
//!
//! No crates.io DNP3 parser can be compared: stepfunc `dnp3` must not be benchmarked
//! (its licence forbids publishing benchmarks) and no other crate exposes a DNP3
//! decoder (frameassembly's dissector is crate-private). The baselines are therefore
//! the CRC-16/DNP work alone over the same bytes (`crc_only`, slice-by-16 table from
//! meterwire-core) and a CRC check plus block copy without parsing (`crc_copy`).
//!
//! Cases:
//! * `dnp3/integrity_200_g30v1/*`: a class-0 response with 200 g30v1 analogs
//!   (1011-byte fragment in 5 link frames, 1196 bytes on the wire): link CRC checks,
//!   transport reassembly into a caller buffer, object iteration summing every value.
//!   `meterwire_link_only` (link CRC checks only) and `meterwire_objects_only`
//!   (object iteration over the already reassembled fragment) split the total.
//! * `dnp3/link_header/*`: one 10-byte link frame (request link status).
//! * `dnp3/encode_200_g30v1/meterwire`: encoding the same response into link frames.
use criterion::{Criterion, Throughput, black_box, criterion_group, criterion_main};
use meterwire_core::Decoded;
use meterwire_core::crc::CRC16_DNP;
use meterwire_dnp3_lite::link::{HEADER_LEN, decode_link};
use meterwire_dnp3_lite::transport::Progress;
use meterwire_dnp3_lite::{
    AppControl, Fragment, Iin, LinkFrame, LinkHeader, ObjectHeader, ObjectRepr, Point, Range,
    Reassembler, Value, build,
};

fn response_200() -> (Vec<u8>, Vec<u8>) {
    let pts: Vec<Point<'static>> = (0..200u32)
        .map(|i| Point {
            flags: Some(1),
            ..Point::new(i, Value::Int(i as i32 * 1000 - 50_000))
        })
        .collect();
    let objs = [ObjectRepr {
        header: ObjectHeader {
            group: 30,
            variation: 1,
            prefix: 0,
            range: Range::StartStop {
                width: 2,
                start: 0,
                stop: 199,
            },
        },
        points: &pts,
    }];
    let mut frag = vec![0u8; 2048];
    let n = build::response(AppControl::single(3), 129, Iin::default(), &objs, &mut frag).unwrap();
    frag.truncate(n);
    let mut wire = vec![0u8; build::frames_len(n, 249)];
    let m = build::encode_frames(
        LinkHeader::unconfirmed_user_data(false, 1, 1024),
        &frag,
        0,
        249,
        &mut wire,
    )
    .unwrap();
    wire.truncate(m);
    (frag, wire)
}

/// Link CRCs + reassembly + object iteration; returns the sum of the analog values.
fn decode_all(wire: &[u8], r: &mut Reassembler<[u8; 2048]>) -> i64 {
    let mut rest = wire;
    let mut sum = 0i64;
    while !rest.is_empty() {
        let Ok(Decoded::Frame { frame, consumed }) = decode_link(rest) else {
            return -1;
        };
        if let Ok(Progress::Complete { .. }) = r.push_frame(&frame) {
            let f = Fragment::parse(r.fragment()).unwrap();
            for b in f.objects() {
                for p in b.unwrap().points() {
                    if let Value::Int(v) = p.value {
                        sum += i64::from(v);
                    }
                }
            }
        }
        rest = &rest[consumed..];
    }
    sum
}

/// The CRC work alone: header CRC and every block CRC over the same frames.
fn crc_only(wire: &[u8]) -> u32 {
    let mut rest = wire;
    let mut acc = 0u32;
    while rest.len() >= HEADER_LEN {
        let len = usize::from(rest[2]) - 5;
        acc ^= u32::from(CRC16_DNP.checksum(&rest[..8]));
        let mut body = &rest[HEADER_LEN..HEADER_LEN + len + 2 * len.div_ceil(16)];
        let total = HEADER_LEN + body.len();
        while !body.is_empty() {
            let d = (body.len() - 2).min(16);
            acc ^= u32::from(CRC16_DNP.checksum(&body[..d]));
            body = &body[d + 2..];
        }
        rest = &rest[total..];
    }
    acc
}

/// CRC check plus copying the user data into one buffer (no parsing).
fn crc_copy(wire: &[u8], out: &mut [u8; 2048]) -> usize {
    let mut rest = wire;
    let mut pos = 0;
    while rest.len() >= HEADER_LEN {
        let len = usize::from(rest[2]) - 5;
        let mut ok = CRC16_DNP.checksum(&rest[..8]) == u16::from_le_bytes([rest[8], rest[9]]);
        let mut body = &rest[HEADER_LEN..HEADER_LEN + len + 2 * len.div_ceil(16)];
        let total = HEADER_LEN + body.len();
        while !body.is_empty() {
            let d = (body.len() - 2).min(16);
            ok &= CRC16_DNP.checksum(&body[..d]) == u16::from_le_bytes([body[d], body[d + 1]]);
            out[pos..pos + d].copy_from_slice(&body[..d]);
            pos += d;
            body = &body[d + 2..];
        }
        if !ok {
            return 0;
        }
        rest = &rest[total..];
    }
    pos
}

fn bench(c: &mut Criterion) {
    let (frag, wire) = response_200();
    assert_eq!((frag.len(), wire.len()), (1011, 1196));
    let mut r = Reassembler::new([0u8; 2048]);
    let expect: i64 = (0..200i64).map(|i| i * 1000 - 50_000).sum();
    assert_eq!(decode_all(&wire, &mut r), expect);

    let mut g = c.benchmark_group("dnp3/integrity_200_g30v1");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    g.bench_function("meterwire", |b| {
        b.iter(|| decode_all(black_box(&wire), &mut r))
    });
    g.bench_function("meterwire_link_reassembly", |b| {
        b.iter(|| {
            let mut rest = black_box(&wire[..]);
            let mut n = 0;
            while let Ok(Decoded::Frame { frame, consumed }) = decode_link(rest) {
                if let Ok(Progress::Complete { len }) = r.push_frame(&frame) {
                    n = len;
                }
                rest = &rest[consumed..];
            }
            n
        })
    });
    g.bench_function("crc_only", |b| b.iter(|| crc_only(black_box(&wire))));
    g.bench_function("meterwire_objects_only", |b| {
        b.iter(|| {
            let f = Fragment::parse(black_box(&frag)).unwrap();
            let mut sum = 0i64;
            for bl in f.objects() {
                for p in bl.unwrap().points() {
                    if let Value::Int(v) = p.value {
                        sum += i64::from(v);
                    }
                }
            }
            sum
        })
    });
    g.bench_function("meterwire_link_only", |b| {
        b.iter(|| {
            let mut rest = black_box(&wire[..]);
            let mut n = 0;
            while !rest.is_empty() {
                let Ok(Decoded::Frame { frame, consumed }) = decode_link(rest) else {
                    break;
                };
                n += frame.user_data_len();
                rest = &rest[consumed..];
            }
            n
        })
    });
    let mut out = [0u8; 2048];
    g.bench_function("crc_copy", |b| {
        b.iter(|| crc_copy(black_box(&wire), &mut out))
    });
    g.finish();

    let hdr = [0x05, 0x64, 0x05, 0xC9, 0x0A, 0x00, 0x01, 0x00, 0xFE, 0xDA];
    let mut g = c.benchmark_group("dnp3/link_header");
    g.throughput(Throughput::Bytes(hdr.len() as u64));
    g.bench_function("meterwire", |b| {
        b.iter(|| {
            let f = LinkFrame::parse(black_box(&hdr)).unwrap();
            (f.function(), f.destination(), f.source())
        })
    });
    g.bench_function("crc_only", |b| {
        b.iter(|| CRC16_DNP.checksum(black_box(&hdr[..8])))
    });
    g.finish();

    let mut g = c.benchmark_group("dnp3/encode_200_g30v1");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    let mut buf = vec![0u8; wire.len()];
    g.bench_function("meterwire", |b| {
        b.iter(|| {
            build::encode_frames(
                LinkHeader::unconfirmed_user_data(false, 1, 1024),
                black_box(&frag),
                0,
                249,
                &mut buf,
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

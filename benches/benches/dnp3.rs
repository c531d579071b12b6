//! DNP3 (meterwire-dnp3-lite) benchmarks.
//!
//! No crates.io DNP3 parser can be compared: stepfunc `dnp3` must not be benchmarked
//! (its licence forbids publishing benchmarks) and no other crate exposes a DNP3
//! decoder (frameassembly's dissector is crate-private). The baselines are therefore
//! the CRC-16/DNP work alone over the same bytes (`bare_crc_only`, the `crc` crate's
//! slice-by-16 table, `meterwire_core::crc::CRC16_DNP`) and a CRC check plus block copy
//! without parsing (`bare_crc_copy`). `bare_crc_copy_short` is the same floor with the
//! per-block CRC meterwire-dnp3-lite uses (`meterwire_core::crc::crc16_dnp_short`:
//! one independent lookup per byte), so a gain from the CRC itself shows apart.
//!
//! Cases:
//! * `dnp3/integrity_200_g30v1/*`: a class-0 response with 200 g30v1 analogs
//!   (1011-byte fragment in 5 link frames, 1196 bytes on the wire): link CRC checks,
//!   transport reassembly into a caller buffer, object iteration summing every value.
//!   `meterwire_link_only` (link CRC checks only) and `meterwire_objects_only`
//!   (object iteration over the already reassembled fragment) split the total.
//! * `dnp3/link_header/*`: one 10-byte link frame (request link status).
//! * `dnp3/encode_200_g30v1/meterwire`: encoding the same response into link frames.
//! * `dnp3/response_mix/*`: an event response of two application fragments (FIR/FIN),
//!   each several link frames: g1v2 binary inputs with flags, g30v5 float analogs
//!   with flags, g32v3 analog events with time and an index prefix (qualifier 0x28);
//!   every value and time folded into the returned checksum; `bare_crc_copy` is the floor.
//! * `dnp3/response_build_mix/meterwire`: building the same two fragments from their
//!   points and encoding them into link frames with CRCs.
//!
//! Timed in thread CPU time (`meterwire_benches::config`), so other processes on the
//! shared machine count less.
use criterion::{Criterion, Throughput, black_box};
use meterwire_benches::{CpuTime, bench_iter};
use meterwire_core::Decoded;
use meterwire_core::crc::{CRC16_DNP, crc16_dnp_short};
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
        LinkHeader::from_outstation(1, 1024),
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
    crc_copy_with(wire, out, |b| CRC16_DNP.checksum(b))
}

/// [`crc_copy`] with another CRC-16/DNP implementation.
#[inline(always)]
fn crc_copy_with(wire: &[u8], out: &mut [u8; 2048], crc: impl Fn(&[u8]) -> u16) -> usize {
    let mut rest = wire;
    let mut pos = 0;
    while rest.len() >= HEADER_LEN {
        let len = usize::from(rest[2]) - 5;
        let mut ok = crc(&rest[..8]) == u16::from_le_bytes([rest[8], rest[9]]);
        let mut body = &rest[HEADER_LEN..HEADER_LEN + len + 2 * len.div_ceil(16)];
        let total = HEADER_LEN + body.len();
        while !body.is_empty() {
            let d = (body.len() - 2).min(16);
            ok &= crc(&body[..d]) == u16::from_le_bytes([body[d], body[d + 1]]);
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

/// The points of the response mix: (group, variation, qualifier prefix, points).
fn mix_points() -> Vec<(u8, u8, u8, Vec<Point<'static>>)> {
    let bi: Vec<Point<'static>> = (0..64u32)
        .map(|i| Point {
            flags: Some(if i % 3 == 0 { 0x81 } else { 0x01 }),
            ..Point::new(i, Value::Bool(i % 3 == 0))
        })
        .collect();
    let fl: Vec<Point<'static>> = (0..60u32)
        .map(|i| Point {
            flags: Some(1),
            ..Point::new(i, Value::Float(f64::from(i as f32 * 1.25 - 7.5)))
        })
        .collect();
    let ev: Vec<Point<'static>> = (0..40u32)
        .map(|i| Point {
            flags: Some(1),
            time: Some(1_700_000_000_000 + u64::from(i) * 250),
            ..Point::new(i * 7, Value::Int(i as i32 * 100 - 2000))
        })
        .collect();
    vec![(1, 2, 0, bi), (30, 5, 0, fl), (32, 3, 2, ev)]
}

fn mix_header(g: u8, v: u8, prefix: u8, n: usize) -> ObjectHeader {
    ObjectHeader {
        group: g,
        variation: v,
        prefix,
        range: if prefix == 0 {
            Range::StartStop {
                width: 1,
                start: 0,
                stop: n as u32 - 1,
            }
        } else {
            Range::Count {
                width: 1,
                count: n as u32,
            }
        },
    }
}

/// Builds the two fragments of the response mix and encodes them into link frames;
/// returns the wire length.
fn build_mix(pts: &[(u8, u8, u8, Vec<Point<'static>>)], frag: &mut [u8], wire: &mut [u8]) -> usize {
    let mut pos = 0;
    let mut tseq = 0u8;
    for (k, half) in [&pts[..2], &pts[2..]].into_iter().enumerate() {
        let objs: Vec<ObjectRepr<'_>> = half
            .iter()
            .map(|(g, v, p, points)| ObjectRepr {
                header: mix_header(*g, *v, *p, points.len()),
                points,
            })
            .collect();
        let control = AppControl {
            fir: k == 0,
            fin: k == 1,
            con: true,
            uns: false,
            seq: 5,
        };
        let n = build::response(control, 129, Iin::default(), &objs, frag).unwrap();
        let m = build::encode_frames(
            LinkHeader::from_outstation(1, 1024),
            &frag[..n],
            tseq,
            249,
            &mut wire[pos..],
        )
        .unwrap();
        tseq = tseq.wrapping_add(n.div_ceil(249) as u8) & 0x3f;
        pos += m;
    }
    pos
}

/// Decodes the mix: link CRCs, reassembly, every object; folds every value, flag and
/// time into a checksum.
fn decode_mix(wire: &[u8], r: &mut Reassembler<[u8; 2048]>) -> u64 {
    let mut rest = wire;
    let mut acc = 0u64;
    while !rest.is_empty() {
        let Ok(Decoded::Frame { frame, consumed }) = decode_link(rest) else {
            return 0;
        };
        if let Ok(Progress::Complete { .. }) = r.push_frame(&frame) {
            let f = Fragment::parse(r.fragment()).unwrap();
            for b in f.objects() {
                for p in b.unwrap().points() {
                    let v = match p.value {
                        Value::Bool(b) => u64::from(b),
                        Value::Int(i) => i as u64,
                        Value::Float(x) => x.to_bits(),
                        _ => 0,
                    };
                    acc = acc
                        .wrapping_mul(31)
                        .wrapping_add(v ^ u64::from(p.index))
                        .wrapping_add(u64::from(p.flags.unwrap_or(0)))
                        .wrapping_add(p.time.unwrap_or(0));
                }
            }
        }
        rest = &rest[consumed..];
    }
    acc
}

fn bench_mix(c: &mut Criterion<CpuTime>) {
    let pts = mix_points();
    let mut frag = [0u8; 2048];
    let mut wire = vec![0u8; 4096];
    let n = build_mix(&pts, &mut frag, &mut wire);
    wire.truncate(n);
    let mut r = Reassembler::new([0u8; 2048]);
    let expect = decode_mix(&wire, &mut r);
    assert_ne!(expect, 0);
    let mut g = c.benchmark_group("dnp3/response_mix");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    bench_iter!(g, "meterwire", || { decode_mix(black_box(&wire), &mut r) });
    let mut out = [0u8; 2048];
    bench_iter!(g, "bare_crc_copy", || {
        crc_copy_frames(black_box(&wire), &mut out)
    });
    g.finish();

    let mut g = c.benchmark_group("dnp3/response_build_mix");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    let mut out = vec![0u8; 4096];
    bench_iter!(g, "meterwire", || {
        build_mix(black_box(&pts), &mut frag, &mut out)
    });
    g.finish();
}

/// The floor for streams of several fragments: CRC check plus copy of every block
/// into one buffer, restarting it after each final segment (FIN).
fn crc_copy_frames(wire: &[u8], out: &mut [u8; 2048]) -> usize {
    let mut rest = wire;
    let (mut pos, mut total) = (0, 0);
    while rest.len() >= HEADER_LEN {
        let len = usize::from(rest[2]) - 5;
        let mut ok = CRC16_DNP.checksum(&rest[..8]) == u16::from_le_bytes([rest[8], rest[9]]);
        let fin = rest[HEADER_LEN] & 0x80 != 0;
        let mut body = &rest[HEADER_LEN..HEADER_LEN + len + 2 * len.div_ceil(16)];
        let n = HEADER_LEN + body.len();
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
        if fin {
            total += pos;
            pos = 0;
        }
        rest = &rest[n..];
    }
    total
}

fn bench(c: &mut Criterion<CpuTime>) {
    let (frag, wire) = response_200();
    assert_eq!((frag.len(), wire.len()), (1011, 1196));
    let mut r = Reassembler::new([0u8; 2048]);
    let expect: i64 = (0..200i64).map(|i| i * 1000 - 50_000).sum();
    assert_eq!(decode_all(&wire, &mut r), expect);

    let mut g = c.benchmark_group("dnp3/integrity_200_g30v1");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    bench_iter!(g, "meterwire", || { decode_all(black_box(&wire), &mut r) });
    bench_iter!(g, "meterwire_link_reassembly", || {
        let mut rest = black_box(&wire[..]);
        let mut n = 0;
        while let Ok(Decoded::Frame { frame, consumed }) = decode_link(rest) {
            if let Ok(Progress::Complete { len }) = r.push_frame(&frame) {
                n = len;
            }
            rest = &rest[consumed..];
        }
        n
    });
    bench_iter!(g, "bare_crc_only", || { crc_only(black_box(&wire)) });
    bench_iter!(g, "meterwire_objects_only", || {
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
    });
    bench_iter!(g, "meterwire_link_only", || {
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
    });
    let mut out = [0u8; 2048];
    bench_iter!(g, "bare_crc_copy", || {
        crc_copy(black_box(&wire), &mut out)
    });
    bench_iter!(g, "bare_crc_copy_short", || {
        crc_copy_with(black_box(&wire), &mut out, crc16_dnp_short)
    });
    g.finish();

    let hdr = [0x05, 0x64, 0x05, 0xC9, 0x0A, 0x00, 0x01, 0x00, 0xFE, 0xDA];
    let mut g = c.benchmark_group("dnp3/link_header");
    g.throughput(Throughput::Bytes(hdr.len() as u64));
    bench_iter!(g, "meterwire", || {
        let f = LinkFrame::parse(black_box(&hdr)).unwrap();
        (f.function(), f.destination(), f.source())
    });
    bench_iter!(g, "bare_crc_only", || {
        CRC16_DNP.checksum(black_box(&hdr[..8]))
    });
    g.finish();

    let mut g = c.benchmark_group("dnp3/encode_200_g30v1");
    g.throughput(Throughput::Bytes(wire.len() as u64));
    let mut buf = vec![0u8; wire.len()];
    bench_iter!(g, "meterwire", || {
        build::encode_frames(
            LinkHeader::from_outstation(1, 1024),
            black_box(&frag),
            0,
            249,
            &mut buf,
        )
        .unwrap()
    });
    g.finish();
}

fn all(c: &mut Criterion<CpuTime>) {
    bench(c);
    bench_mix(c);
}

meterwire_benches::main!(all);

//! Property tests: link-frame and application-fragment roundtrips, and arbitrary
//! bytes never panic any decoder.

use crate::common::link_frames;
use meterwire_core::{Encode, Event, Frames};
use meterwire_dnp3_lite::app::{AppControl, AppHeader, FragmentRepr, Iin, carries_object_data};
use meterwire_dnp3_lite::objects::{Crob, Kind, Layout, layout};
use meterwire_dnp3_lite::{
    Dnp3Framer, Fragment, LinkFrame, LinkFrameRepr, LinkHeader, ObjectHeader, ObjectRepr, Point,
    Range, Reassembler, Value, build,
};
use meterwire_testkit::rng::XorShift;
use proptest::prelude::*;

static POOL: [u8; 256] = {
    let mut p = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        p[i] = (i as u8).wrapping_mul(37).wrapping_add(11);
        i += 1;
    }
    p
};

/// Every (group, variation) the crate decodes with data, for responses/writes.
const GV: &[(u8, u8)] = &[
    (1, 1),
    (1, 2),
    (2, 1),
    (2, 2),
    (2, 3),
    (3, 1),
    (3, 2),
    (4, 1),
    (4, 2),
    (4, 3),
    (10, 1),
    (10, 2),
    (11, 1),
    (11, 2),
    (12, 1),
    (12, 2),
    (12, 3),
    (13, 1),
    (13, 2),
    (20, 1),
    (20, 2),
    (20, 5),
    (20, 6),
    (21, 1),
    (21, 5),
    (21, 6),
    (21, 9),
    (21, 10),
    (22, 1),
    (22, 2),
    (22, 5),
    (22, 6),
    (23, 1),
    (23, 5),
    (30, 1),
    (30, 2),
    (30, 3),
    (30, 4),
    (30, 5),
    (30, 6),
    (31, 3),
    (32, 1),
    (32, 2),
    (32, 3),
    (32, 4),
    (32, 5),
    (32, 6),
    (32, 7),
    (32, 8),
    (33, 1),
    (34, 1),
    (34, 2),
    (34, 3),
    (40, 1),
    (40, 2),
    (40, 3),
    (40, 4),
    (41, 1),
    (41, 2),
    (41, 3),
    (41, 4),
    (42, 1),
    (42, 8),
    (43, 3),
    (50, 1),
    (50, 2),
    (50, 4),
    (51, 1),
    (51, 2),
    (52, 1),
    (52, 2),
    (80, 1),
    (110, 4),
    (111, 7),
    (112, 2),
    (113, 1),
];

/// Floats from the generator's bits, NaN replaced (a NaN never compares equal
/// after a roundtrip).
trait Floats {
    fn f32(&mut self) -> f32;
    fn f64(&mut self) -> f64;
}

impl Floats for XorShift {
    fn f32(&mut self) -> f32 {
        let f = f32::from_bits(self.next_u64() as u32);
        if f.is_nan() { 1.5 } else { f }
    }
    fn f64(&mut self) -> f64 {
        let f = f64::from_bits(self.next_u64());
        if f.is_nan() { -2.25 } else { f }
    }
}

fn point(r: &mut XorShift, g: u8, v: u8, index: u32) -> Point<'static> {
    let mut p = Point::new(index, Value::None);
    let flags = r.next_u64() as u8;
    let t48 = r.next_u64() & 0xFFFF_FFFF_FFFF;
    match layout(g, v) {
        Layout::Packed(1) => p.value = Value::Bool(r.next_u64() & 1 == 1),
        Layout::Packed(_) => p.value = Value::DoubleBit(r.below(4) as u8),
        Layout::Octets(n) => {
            let off = r.below(200) as usize;
            p.value = Value::Octets(&POOL[off..off + usize::from(n)]);
        }
        Layout::Fixed(k) => {
            use Kind::*;
            let with_flags = |p: &mut Point<'static>| {
                p.flags = Some(flags);
                p.value = match g {
                    1 | 2 | 10 | 11 | 13 => Value::Bool(flags & 0x80 != 0),
                    3 | 4 => Value::DoubleBit(flags >> 6),
                    _ => Value::None,
                };
            };
            match k {
                Flags => with_flags(&mut p),
                FlagsTime48 => {
                    with_flags(&mut p);
                    p.time = Some(t48);
                }
                FlagsTime16 => {
                    with_flags(&mut p);
                    p.relative_time = Some(r.next_u64() as u16);
                }
                FlagsU32 | FlagsU32Time48 | FlagsU16 | FlagsU16Time48 | U32 | U16 | Delay => {
                    let wide = matches!(k, FlagsU32 | FlagsU32Time48 | U32);
                    p.value = Value::Uint(if wide {
                        r.next_u64() as u32
                    } else {
                        u32::from(r.next_u64() as u16)
                    });
                    if matches!(k, FlagsU32 | FlagsU32Time48 | FlagsU16 | FlagsU16Time48) {
                        p.flags = Some(flags);
                    }
                    if matches!(k, FlagsU32Time48 | FlagsU16Time48) {
                        p.time = Some(t48);
                    }
                }
                FlagsI32 | FlagsI32Time48 | FlagsI16 | FlagsI16Time48 | I32 | I16 => {
                    let wide = matches!(k, FlagsI32 | FlagsI32Time48 | I32);
                    p.value = Value::Int(if wide {
                        r.next_u64() as i32
                    } else {
                        i32::from(r.next_u64() as i16)
                    });
                    if !matches!(k, I32 | I16) {
                        p.flags = Some(flags);
                    }
                    if matches!(k, FlagsI32Time48 | FlagsI16Time48) {
                        p.time = Some(t48);
                    }
                }
                F32 | FlagsF32 | FlagsF32Time48 => {
                    p.value = Value::Float(f64::from(r.f32()));
                    if k != F32 {
                        p.flags = Some(flags);
                    }
                    if k == FlagsF32Time48 {
                        p.time = Some(t48);
                    }
                }
                FlagsF64 | FlagsF64Time48 => {
                    p.value = Value::Float(r.f64());
                    p.flags = Some(flags);
                    if k == FlagsF64Time48 {
                        p.time = Some(t48);
                    }
                }
                I32Status => p.value = Value::Int(r.next_u64() as i32),
                I16Status => p.value = Value::Int(i32::from(r.next_u64() as i16)),
                F32Status => p.value = Value::Float(f64::from(r.f32())),
                F64Status => p.value = Value::Float(r.f64()),
                Crob => {
                    p.value = Value::Crob(meterwire_dnp3_lite::objects::Crob {
                        code: flags,
                        count: r.next_u64() as u8,
                        on_time: r.next_u64() as u32,
                        off_time: r.next_u64() as u32,
                        status: r.next_u64() as u8,
                    })
                }
                Time48 => p.time = Some(t48),
                Time48Interval => {
                    p.time = Some(t48);
                    p.value = Value::Uint(r.next_u64() as u32);
                }
                Time48IntervalUnits => {
                    p.time = Some(t48);
                    p.value = Value::Interval {
                        interval: r.next_u64() as u32,
                        units: r.next_u64() as u8,
                    };
                }
                Empty => {}
            }
            if matches!(k, I32Status | I16Status | F32Status | F64Status) {
                p.status = Some(r.next_u64() as u8);
            }
        }
        _ => unreachable!(),
    }
    p
}

/// A random object header with points, honouring the qualifier rules.
fn object(r: &mut XorShift) -> (ObjectHeader, Vec<Point<'static>>) {
    let (g, v) = GV[r.below(GV.len() as u64) as usize];
    let n = 1 + r.below(12) as u32;
    let packed = matches!(layout(g, v), Layout::Packed(_));
    let choice = if packed { r.below(4) } else { r.below(9) };
    let width = [1u8, 2, 4][r.below(3) as usize];
    let max = match width {
        1 => 0xFF,
        2 => 0xFFFF,
        _ => u32::MAX,
    };
    let (prefix, range) = match choice {
        0 | 1 => {
            let start = (r.next_u64() as u32 % (max - n + 1)).min(max - n + 1);
            (
                0,
                Range::StartStop {
                    width,
                    start,
                    stop: start + n - 1,
                },
            )
        }
        2 | 3 => (
            0,
            Range::Count {
                width: width.max(if n > 255 { 2 } else { 1 }),
                count: n,
            },
        ),
        4..=6 => ((r.below(3) + 1) as u8, Range::Count { width, count: n }),
        7 => ((r.below(3) + 1) as u8, Range::FreeFormat { count: n as u8 }),
        _ => ((r.below(3) + 4) as u8, Range::Count { width, count: n }),
    };
    let pmax: u64 = match prefix {
        1 => 0xFF,
        2 => 0xFFFF,
        _ => 0xFFFF_FFFF,
    };
    let points = (0..n)
        .map(|i| {
            let index = match range {
                Range::StartStop { start, .. } => start + i,
                _ if (1..=3).contains(&prefix) => (r.next_u64() % (pmax + 1)) as u32,
                _ => i,
            };
            point(r, g, v, index)
        })
        .collect();
    (
        ObjectHeader {
            group: g,
            variation: v,
            prefix,
            range,
        },
        points,
    )
}

fn check_fragment_roundtrip(seed: u64, nobj: usize, function: u8) {
    let mut r = XorShift(seed | 1);
    let objs: Vec<_> = (0..nobj).map(|_| object(&mut r)).collect();
    let reprs: Vec<ObjectRepr<'_>> = objs
        .iter()
        .map(|(h, p)| ObjectRepr {
            header: *h,
            points: p,
        })
        .collect();
    let header = AppHeader {
        control: AppControl::from_byte(r.next_u64() as u8),
        function,
        iin: Iin {
            iin1: r.next_u64() as u8,
            iin2: r.next_u64() as u8,
        },
    };
    let repr = FragmentRepr {
        header,
        objects: &reprs,
    };
    let bytes = repr.encode_to_vec().unwrap();
    assert_eq!(bytes.len(), repr.encoded_len());
    let f = Fragment::parse(&bytes).unwrap();
    assert_eq!(f.control(), header.control);
    assert_eq!(f.function(), function);
    if f.is_response() {
        assert_eq!(f.iin(), Some(header.iin));
    }
    let blocks: Vec<_> = f.objects().collect::<Result<_, _>>().unwrap();
    assert_eq!(blocks.len(), objs.len());
    for (b, (h, pts)) in blocks.iter().zip(&objs) {
        assert_eq!(&b.header, h);
        // relative times come back with the absolute time of a preceding CTO added
        let got: Vec<_> = b
            .points()
            .map(|mut p| {
                if p.relative_time.is_some() {
                    assert_eq!(p.time.is_some(), b.cto.is_some());
                    p.time = None;
                }
                p
            })
            .collect();
        assert_eq!(
            &got,
            pts,
            "g{}v{} q{:#x}",
            h.group,
            h.variation,
            h.qualifier()
        );
    }
    // through link frames and the reassembling framer
    let wire = link_frames(LinkHeader::from_outstation(1, 1024), &bytes, 7);
    let frags: Vec<Vec<u8>> = Frames::new(Dnp3Framer::new().max_fragment(4096), &wire)
        .filter_map(|e| match e {
            Event::Frame { frame, .. } => frame.fragment,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(frags, vec![bytes]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn link_frame_roundtrip(control in any::<u8>(), dst in any::<u16>(), src in any::<u16>(),
                            data in proptest::collection::vec(any::<u8>(), 0..=250)) {
        let header = LinkHeader::from_control(control, dst, src);
        let repr = LinkFrameRepr { header, user_data: &data };
        let bytes = repr.encode_to_vec().unwrap();
        prop_assert_eq!(bytes.len(), meterwire_dnp3_lite::link::frame_len(data.len()));
        let f = LinkFrame::parse(&bytes).unwrap();
        prop_assert_eq!(f.header(), header);
        prop_assert_eq!(f.control(), control);
        let collected: Vec<u8> = f.blocks().flatten().copied().collect();
        prop_assert_eq!(collected, data);
    }

    #[test]
    fn response_fragment_roundtrip(seed in any::<u64>(), nobj in 0usize..6, f in prop_oneof![Just(129u8), Just(130u8)]) {
        check_fragment_roundtrip(seed, nobj, f);
    }

    #[test]
    fn request_fragment_roundtrip(seed in any::<u64>(), nobj in 0usize..6, f in prop_oneof![Just(2u8), Just(3u8), Just(4u8), Just(5u8)]) {
        check_fragment_roundtrip(seed, nobj, f);
    }

    #[test]
    fn read_requests_with_indices_roundtrip(seed in any::<u64>()) {
        let mut r = XorShift(seed | 1);
        let n = 1 + r.below(10) as u32;
        let prefix = 1 + r.below(3) as u8;
        let pts: Vec<Point<'static>> = (0..n).map(|_| Point::new(r.next_u64() as u8 as u32, Value::None)).collect();
        let objs = [ObjectRepr { header: ObjectHeader { group: 30, variation: 1, prefix, range: Range::Count { width: 1, count: n } }, points: &pts }];
        let repr = FragmentRepr { header: AppHeader { control: AppControl::single(3), function: 1, iin: Iin::default() }, objects: &objs };
        prop_assert!(!carries_object_data(1));
        let bytes = repr.encode_to_vec().unwrap();
        let f = Fragment::parse(&bytes).unwrap();
        let b = f.objects().next().unwrap().unwrap();
        prop_assert!(b.indices_only);
        let got: Vec<_> = b.points().collect();
        prop_assert_eq!(got, pts);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = LinkFrame::parse(&data);
        for ev in Frames::new(Dnp3Framer::new().max_fragment(512), &data) {
            if let Event::Frame { frame, .. } = ev {
                if let Some(Ok(f)) = frame.application() {
                    for b in f.objects().flatten() { for p in b.points() { let _ = p; } }
                    let _ = serde_json::to_string(&f);
                }
            }
        }
        if let Ok(f) = Fragment::parse(&data) {
            for b in f.objects().flatten() { let _ = b.points().count(); }
            let _ = serde_json::to_string(&f);
        }
        let mut r = Reassembler::new([0u8; 64]);
        for seg in data.chunks(7) { let _ = r.push(seg); }
    }

    #[test]
    fn arbitrary_object_bytes_after_valid_header_never_panic(func in any::<u8>(), data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut frag = vec![0xC0, func, 0, 0];
        frag.extend_from_slice(&data);
        if let Ok(f) = Fragment::parse(&frag) {
            for b in f.objects().flatten() { for p in b.points() { let _ = p; } }
            let _ = serde_json::to_string(&f);
        }
    }
}

#[test]
fn crob_and_analog_output_encoders() {
    let crob = Crob {
        code: 0x41,
        count: 1,
        on_time: 1000,
        off_time: 0,
        status: 0,
    };
    let mut out = [0u8; 64];
    let n = build::direct_operate_crob(2, 7, crob, &mut out).unwrap();
    assert_eq!(
        &out[..n],
        &[
            0xC2, 5, 12, 1, 0x28, 1, 0, 7, 0, 0x41, 1, 0xE8, 3, 0, 0, 0, 0, 0, 0, 0
        ]
    );
    let n = build::analog_output_request(3, 5, 4, build::AnalogOutput::F32(1.5), &mut out).unwrap();
    let f = Fragment::parse(&out[..n]).unwrap();
    let b = f.objects().next().unwrap().unwrap();
    assert_eq!((b.header.group, b.header.variation), (41, 3));
    let p = b.points().next().unwrap();
    assert_eq!(
        (p.index, p.value, p.status),
        (4, Value::Float(1.5), Some(0))
    );
    let n = build::confirm_unsolicited(5, &mut out).unwrap();
    assert_eq!(&out[..n], &[0xD5, 0]);
    let n =
        build::read_class(1, build::Classes::CLASS1 | build::Classes::CLASS3, &mut out).unwrap();
    assert_eq!(&out[..n], &[0xC1, 1, 60, 2, 6, 60, 4, 6]);
}

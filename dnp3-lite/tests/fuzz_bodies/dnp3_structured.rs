// Fuzz body shared by fuzz/fuzz_targets/dnp3_structured.rs and tests/dnp3/fuzz_replay.rs.
// Structure-aware: the fuzzer's bytes build owned values (`arbitrary`, feature
// `fuzzing`) that always encode, so every input reaches the decoders with valid CRCs:
// - a link frame: encode -> parse -> the same value; strict and lenient agree
//   (strict accepts exactly the frames without diagnostics, and then the same frame);
// - an application fragment with any object bytes: encode -> parse -> the same value;
//   strict and lenient agree;
// - a response whose objects are built field by field from the object-kind table
//   (`Kind::spec`): encode -> parse -> encode gives the same bytes, the decoded
//   headers and point indices are the ones built, and the fragment comes out of the
//   stack framer unchanged after being cut into link frames.
use arbitrary::{Arbitrary, Unstructured};
use meterwire_core::{Encode, Event, Frames, Strictness};
use meterwire_dnp3_lite::app::FragmentOwned;
use meterwire_dnp3_lite::link::LinkFrameOwned;
use meterwire_dnp3_lite::objects::{Crob, Kind, Layout, Num, TimeField, layout};
use meterwire_dnp3_lite::{
    AppHeader, Dnp3Framer, Fragment, FragmentRepr, LinkFrame, LinkFramer, LinkHeader,
    ObjectHeader, ObjectRepr, Point, Range, Value, build,
};

/// Every (group, variation) with a fixed-size layout that carries bytes (scanned once).
fn fixed_objects() -> &'static [(u8, u8, Kind)] {
    static TABLE: std::sync::OnceLock<Vec<(u8, u8, Kind)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v = Vec::new();
        for g in 0..=255u8 {
            for var in 0..=255u8 {
                if let Layout::Fixed(kind) = layout(g, var) {
                    if kind.size() > 0 {
                        v.push((g, var, kind));
                    }
                }
            }
        }
        v
    })
}

/// One point of `kind`, every field from the fuzzer, following the kind's spec.
fn point(u: &mut Unstructured<'_>, kind: Kind, index: u32) -> arbitrary::Result<Point<'static>> {
    let s = kind.spec();
    let x = u64::arbitrary(u)?;
    let value = match s.num {
        Num::None => Value::None,
        Num::U16 => Value::Uint(u32::from(x as u16)),
        Num::U32 => Value::Uint(x as u32),
        Num::I16 => Value::Int(i32::from(x as i16)),
        Num::I32 => Value::Int(x as i32),
        Num::F32 => Value::Float(f64::from(f32::from_bits(x as u32))),
        Num::F64 => Value::Float(f64::from_bits(x)),
        Num::Crob => Value::Crob(Crob::arbitrary(u)?),
        Num::IntervalUnits => Value::Interval { interval: x as u32, units: u.arbitrary()? },
    };
    let mut p = Point::new(index, value);
    p.flags = if s.flags { Some(u.arbitrary()?) } else { None };
    let t = u64::arbitrary(u)?;
    match s.time {
        TimeField::None => {}
        TimeField::Abs48 => p.time = Some(t & 0xFFFF_FFFF_FFFF),
        TimeField::Rel16 => p.relative_time = Some(t as u16),
    }
    p.status = if s.status { Some(u.arbitrary()?) } else { None };
    Ok(p)
}

/// Up to four object headers of fixed-size objects: a start-stop range (qualifier
/// 0x01) or a count with 16-bit indices (0x28).
fn objects(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<(ObjectHeader, Vec<Point<'static>>)>> {
    let table = fixed_objects();
    let mut out = Vec::new();
    for _ in 0..u.int_in_range(0..=4u8)? {
        let &(group, variation, kind) = u.choose(table)?;
        let n = u.int_in_range(1..=40u32)?;
        let indexed = bool::arbitrary(u)?;
        let start = u32::from(u8::arbitrary(u)?);
        let mut points = Vec::new();
        for i in 0..n {
            let index = if indexed { u32::from(u16::arbitrary(u)?) } else { start + i };
            points.push(point(u, kind, index)?);
        }
        let (prefix, range) = if indexed {
            (2, Range::Count { width: 2, count: n })
        } else {
            (0, Range::StartStop { width: 2, start, stop: start + n - 1 })
        };
        out.push((ObjectHeader { group, variation, prefix, range }, points));
    }
    Ok(out)
}

fn link(frame: &LinkFrameOwned) {
    let bytes = frame.encode_to_vec().expect("an arbitrary link frame encodes");
    let view = LinkFrame::parse(&bytes).expect("an encoded link frame parses");
    assert_eq!(&LinkFrameOwned::from_view(&view), frame);
    let strict = LinkFramer::new().strict().parse(&bytes);
    assert_eq!(strict.is_ok(), view.diagnostics().next().is_none());
    if let Ok(s) = strict {
        assert_eq!(s, view);
    }
}

fn fragment(frag: &FragmentOwned) {
    let bytes = frag.encode_to_vec().expect("an arbitrary fragment encodes");
    let view = Fragment::parse(&bytes).expect("an encoded fragment parses");
    assert_eq!(&FragmentOwned::parse(&view), frag);
    let strict = Fragment::parser().strictness(Strictness::Strict).parse(&bytes);
    assert_eq!(strict.is_ok(), view.diagnostics().next().is_none());
}

fn response(header: AppHeader, objs: &[(ObjectHeader, Vec<Point<'static>>)], link: LinkHeader) {
    let reprs: Vec<ObjectRepr<'_>> =
        objs.iter().map(|(h, p)| ObjectRepr { header: *h, points: p }).collect();
    // a response (129) so that objects carry data, header fields otherwise from the fuzzer
    let header = AppHeader { function: 129, ..header };
    let repr = FragmentRepr { header, objects: &reprs };
    let e1 = repr.encode_to_vec().expect("objects built from the kind table encode");
    assert_eq!(e1.len(), repr.encoded_len());
    let f = Fragment::parse(&e1).expect("an encoded response parses");
    let blocks: Vec<_> = f.objects().collect::<Result<_, _>>().expect("its objects parse");
    assert_eq!(blocks.len(), objs.len());
    let points: Vec<Vec<Point<'_>>> = blocks.iter().map(|b| b.points().collect()).collect();
    for ((b, got), (h, want)) in blocks.iter().zip(&points).zip(objs) {
        assert_eq!(&b.header, h);
        let idx = |p: &[Point<'_>]| p.iter().map(|p| p.index).collect::<Vec<_>>();
        assert_eq!(idx(got), idx(want));
    }
    let again: Vec<ObjectRepr<'_>> = blocks
        .iter()
        .zip(&points)
        .map(|(b, p)| ObjectRepr { header: b.header, points: p })
        .collect();
    let e2 = FragmentRepr { header: f.header(), objects: &again }.encode_to_vec().unwrap();
    assert_eq!(e1, e2);
    // cut into link frames and read back through the stack framer
    let mut wire = vec![0u8; build::frames_len(e1.len(), 249)];
    let link = LinkHeader { prm: true, function: 4, ..link };
    let n = build::encode_frames(link, &e1, 0, 249, &mut wire).unwrap();
    let mut got = None;
    for ev in Frames::new(Dnp3Framer::new(), &wire[..n]) {
        match ev {
            Event::Frame { frame, .. } => got = frame.fragment.or(got),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(got.as_deref(), Some(&e1[..]));
}

pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(frame) = LinkFrameOwned::arbitrary(&mut u) {
        link(&frame);
    }
    if let Ok(frag) = FragmentOwned::arbitrary(&mut u) {
        fragment(&frag);
    }
    if let (Ok(header), Ok(objs), Ok(l)) =
        (AppHeader::arbitrary(&mut u), objects(&mut u), LinkHeader::arbitrary(&mut u))
    {
        response(header, &objs, l);
    }
}

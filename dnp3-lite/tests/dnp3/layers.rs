//! Link, transport and application behaviour: errors name the failing check,
//! reassembly rules, streaming at every split point, JSON field names.

use crate::common::{json_gv, load_json};
use meterwire_core::{Classify, ErrorKind, Event, Frames};
use meterwire_dnp3_lite::link::{decode_link, resync_link};
use meterwire_dnp3_lite::transport::{Progress, segment};
use meterwire_dnp3_lite::{
    Dnp3Framer, Error, Fragment, LinkFrame, LinkFramer, LinkHeader, Reassembler, TransportHeader,
    build,
};
use meterwire_testkit::{assert_byte_accounting, assert_streaming, run_chunks};

fn vector(name: &str) -> Vec<u8> {
    let e = load_json("expected.json");
    hex::decode(e["vectors"][name]["hex"].as_str().unwrap()).unwrap()
}

#[test]
fn crc_errors_name_the_block() {
    let good = vector("rsp_g30v1_q00"); // 35-byte length: 30 user bytes = blocks of 16 and 14
    assert!(LinkFrame::parse(&good).is_ok());
    let mut hdr = good.clone();
    hdr[8] ^= 1;
    assert!(matches!(
        LinkFrame::parse(&hdr),
        Err(Error::HeaderCrc { .. })
    ));
    for (byte, block) in [
        (10usize, 0usize),
        (10 + 15, 0),
        (10 + 16, 0),
        (10 + 18, 1),
        (good.len() - 1, 1),
    ] {
        let mut b = good.clone();
        b[byte] ^= 0x40;
        match LinkFrame::parse(&b) {
            Err(e @ Error::BlockCrc { block: got, .. }) => {
                assert_eq!(got, block, "byte {byte}");
                assert_eq!(e.kind(), ErrorKind::Checksum);
                assert!(
                    e.to_string().contains(&format!("data block {block} crc")),
                    "{e}"
                );
            }
            other => panic!("byte {byte}: {other:?}"),
        }
    }
    assert_eq!(
        LinkFrame::parse(&[0x05, 0x65, 5, 0, 0, 0, 0, 0, 0, 0]),
        Err(Error::BadStart { found: 0x0565 })
    );
    assert_eq!(
        LinkFrame::parse(&good[..20]),
        Err(Error::truncated(good.len() - 20))
    );
    let mut short = good.clone();
    short[2] = 4;
    assert_eq!(
        LinkFrame::parse(&short),
        Err(Error::BadLength { length: 4 })
    );
}

#[test]
fn resync_skips_to_next_start() {
    let junk = [0xde, 0xad, 0x05, 0x00, 0x05, 0x64, 0x05];
    assert!(decode_link(&junk).is_err());
    assert_eq!(resync_link(&junk), 4);
    assert_eq!(resync_link(&[0x05, 0x64, 0x00]), 3);
    assert_eq!(resync_link(&[0x11, 0x05]), 1); // a trailing 0x05 may start a frame
    // a stream with junk, a frame with a bad block CRC, then a good frame
    let mut bad = vector("rsp_g30v1_q00");
    bad[12] ^= 1;
    let good = vector("req_read_class0");
    let mut stream = vec![0xde, 0xad];
    stream.extend_from_slice(&bad);
    stream.extend_from_slice(&good);
    let ev: Vec<_> = Frames::new(LinkFramer::new(), &stream).collect();
    assert_eq!(ev.len(), 3, "{ev:?}");
    assert!(matches!(
        ev[0],
        Event::Error {
            error: Error::BadStart { .. },
            ..
        }
    ));
    assert!(matches!(
        ev[1],
        Event::Error {
            error: Error::BlockCrc { block: 0, .. },
            ..
        }
    ));
    assert!(matches!(ev[2], Event::Frame { offset, .. } if offset as usize == 2 + bad.len()));
}

/// One segment (FIR, FIN, sequence, payload), what the reassembler answers, and its
/// state after it: completed fragment, fragment in progress, fragments dropped so far.
type Step = (
    (bool, bool, u8, &'static [u8]),
    Result<Progress, Error>,
    &'static [u8],
    bool,
    u32,
);

const GAP: Error = Error::SequenceGap {
    expected: 6,
    actual: 7,
};
const OVERFLOW: Error = Error::Overflow {
    limit: 8,
    actual: 9,
};

/// The transport rules in order on one 8-byte reassembler: no FIR while idle; FIR..FIN
/// with consecutive sequence numbers (wrapping 63 -> 0), a repeat ignored as a
/// duplicate; a gap drops the fragment; FIR restarts (the unfinished fragment counts as
/// dropped); overflow of the caller's buffer drops it.
#[rustfmt::skip] // a table: one step per row
const STEPS: [Step; 10] = {
    use Progress::{Complete, Partial};
    [
        ((false, true, 3, b"x"), Err(Error::NoFirst { seq: 3 }), b"", false, 0),
        ((true, false, 63, b"ab"), Ok(Partial { len: 2 }), b"", true, 0),
        ((false, false, 63, b"ab"), Err(Error::Duplicate { seq: 63 }), b"", true, 0),
        ((false, true, 0, b"cd"), Ok(Complete { len: 4 }), b"abcd", false, 0),
        ((true, false, 5, b"a"), Ok(Partial { len: 1 }), b"", true, 0),
        ((false, true, 7, b"b"), Err(GAP), b"", false, 1),
        ((true, false, 1, b"zz"), Ok(Partial { len: 2 }), b"", true, 1),
        ((true, true, 9, b"new"), Ok(Complete { len: 3 }), b"new", false, 2),
        ((true, false, 0, b"12345"), Ok(Partial { len: 5 }), b"", true, 2),
        ((false, true, 1, b"6789"), Err(OVERFLOW), b"", false, 3),
    ]
};

#[test]
fn transport_rules() {
    let mut r = Reassembler::new([0u8; 8]);
    for (k, ((fir, fin, seq, data), expected, fragment, in_progress, dropped)) in
        STEPS.into_iter().enumerate()
    {
        let mut v = vec![TransportHeader { fir, fin, seq }.to_byte()];
        v.extend_from_slice(data);
        assert_eq!(r.push(&v), expected, "step {k}");
        let state = (r.fragment(), r.in_progress(), r.dropped());
        assert_eq!(state, (fragment, in_progress, dropped), "step {k}");
    }
    assert_eq!(OVERFLOW.kind(), ErrorKind::Length);
    assert_eq!(r.push(&[]), Err(Error::truncated(1)));
}

#[test]
fn segmenting_and_reassembling_a_large_fragment() {
    let frag: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
    let mut segs = vec![];
    let next = segment(&frag, 249, 60, |th, p| {
        segs.push((th, p.to_vec()));
        Ok::<_, ()>(())
    })
    .unwrap();
    assert_eq!(segs.len(), 5);
    assert_eq!(next, 1); // 60..=63, 0
    let mut r = Reassembler::<Vec<u8>>::default();
    for (i, (th, p)) in segs.iter().enumerate() {
        let mut s = vec![*th];
        s.extend_from_slice(p);
        let res = r.push(&s).unwrap();
        assert_eq!(matches!(res, Progress::Complete { .. }), i == 4);
    }
    assert_eq!(r.fragment(), &frag[..]);
}

/// Every real capture stream, fed at every split point and byte by byte, gives the
/// same events as the whole stream.
#[test]
fn streaming_split_points() {
    let caps = load_json("captures.json");
    let mut streams: Vec<Vec<u8>> = vec![];
    for (_, pkts) in caps["captures"].as_object().unwrap() {
        let mut by_src: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
        for p in pkts.as_array().unwrap() {
            by_src
                .entry(p["src"].as_str().unwrap().into())
                .or_default()
                .extend(hex::decode(p["payload"].as_str().unwrap()).unwrap());
        }
        streams.extend(by_src.into_values());
    }
    // plus the synthetic error vectors, concatenated
    let e = load_json("expected.json");
    let mut errs = vec![];
    for (n, v) in e["vectors"].as_object().unwrap() {
        if n.starts_with("err_") || n.starts_with("resync") || n.starts_with("two_") {
            errs.extend(hex::decode(v["hex"].as_str().unwrap()).unwrap());
        }
    }
    streams.push(errs);
    // meterwire-testkit: whole / every split / byte by byte agree (frames compared by
    // their JSON, adjacent error runs merged), and byte accounting; long streams are
    // split at 60 points instead of every one
    let mut checked = 0;
    for s in &streams {
        if s.len() <= 1500 {
            let whole = assert_streaming(Dnp3Framer::new(), s);
            assert!(!whole.is_empty());
            checked += s.len() + 1;
            continue;
        }
        let whole = run_chunks(Dnp3Framer::new(), &[s]);
        assert_byte_accounting(&whole, s.len());
        let step = (s.len() / 60).max(1);
        for split in (0..=s.len()).step_by(step) {
            assert_eq!(
                run_chunks(Dnp3Framer::new(), &[&s[..split], &s[split..]]),
                whole,
                "split at {split}"
            );
            checked += 1;
        }
        let bytes: Vec<&[u8]> = s.chunks(1).collect();
        assert_eq!(run_chunks(Dnp3Framer::new(), &bytes), whole, "byte by byte");
    }
    assert!(checked > 1000);
}

#[test]
fn encoders_refuse_invalid_values() {
    let mut out = [0u8; 4];
    assert!(build::integrity_poll(0, &mut out).is_err()); // buffer too small
    let big = [0u8; 251];
    let repr = meterwire_dnp3_lite::LinkFrameRepr {
        header: LinkHeader::default(),
        user_data: &big,
    };
    let mut o = [0u8; 400];
    assert!(meterwire_core::Encode::encode(&repr, &mut o).is_err());
}

#[test]
fn json_field_names() {
    let bytes = vector("rsp_g2v2_q28");
    let link = LinkFrame::parse(&bytes).unwrap();
    let j = serde_json::to_value(link).unwrap();
    for k in [
        "length",
        "control",
        "dir",
        "prm",
        "fcb",
        "fcv",
        "function",
        "destination",
        "source",
    ] {
        assert!(j.get(k).is_some(), "link {k}");
    }
    let (data, n) = link.user_data_array();
    let th = serde_json::to_value(TransportHeader::from_byte(data[0])).unwrap();
    assert_eq!(th, serde_json::json!({"fir": true, "fin": true, "seq": 0}));
    let f = Fragment::parse(&data[1..n]).unwrap();
    let j = serde_json::to_value(f).unwrap();
    for k in [
        "fir", "fin", "con", "uns", "seq", "function", "iin", "objects",
    ] {
        assert!(j.get(k).is_some(), "application {k}");
    }
    assert_eq!(j["iin"]["bits"], serde_json::json!([]));
    let o = &j["objects"][0];
    assert_eq!(
        (
            o["group"].as_u64(),
            o["variation"].as_u64(),
            o["qualifier"].as_u64()
        ),
        (Some(2), Some(2), Some(0x28))
    );
    assert_eq!(o["range"], "count");
    assert_eq!(o["count"], 2);
    assert_eq!(
        o["points"][0],
        serde_json::json!({"index": 1, "value": true, "flags": 0x81, "time": 1_400_000_000_123u64})
    );
    // an object the crate cannot size keeps what came before, then shows its header
    // and the raw rest of the fragment, with a diagnostic (issue 12)
    let bytes = vector("app_unknown_group");
    let link = LinkFrame::parse(&bytes).unwrap();
    let (data, n) = link.user_data_array();
    let j = serde_json::to_value(Fragment::parse(&data[1..n]).unwrap()).unwrap();
    let objs = j["objects"].as_array().unwrap();
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[0]["points"][0]["value"], true);
    assert_eq!(json_gv(&objs[1]), (Some(99), Some(1)));
    assert_eq!(
        (objs[1]["start"].as_u64(), objs[1]["stop"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(objs[1]["raw"], "00");
    assert!(objs[1].get("points").is_none());
    assert!(j.get("error").is_none());
    assert_eq!(j["diagnostics"][0]["kind"], "unrecognized");
    assert_eq!(j["diagnostics"][0]["field"], "object header");
    // strict mode rejects it
    let err = Fragment::parser().strict().parse(&data[1..n]).unwrap_err();
    assert_eq!(
        meterwire_core::Classify::kind(&err),
        meterwire_core::ErrorKind::Nonconforming
    );
}

/// Virtual-address ranges (codes 0x03-0x05), which tshark 4.0 does not decode: the
/// values are the ones gen_vectors.py wrote.
#[test]
fn virtual_ranges_decode() {
    use meterwire_dnp3_lite::{Range, Value};
    for (name, width, start, values) in [
        ("rsp_g30v1_q03_virtual8", 1u8, 4u32, vec![70, 71]),
        ("rsp_g30v2_q04_virtual16", 2, 300, vec![72]),
        ("rsp_g20v1_q05_virtual32", 4, 70000, vec![73]),
    ] {
        let bytes = vector(name);
        let link = LinkFrame::parse(&bytes).unwrap();
        let (data, n) = link.user_data_array();
        let f = Fragment::parse(&data[1..n]).unwrap();
        let b = f.objects().next().unwrap().unwrap();
        let stop = start + values.len() as u32 - 1;
        assert_eq!(
            b.header.range,
            Range::VirtualStartStop { width, start, stop },
            "{name}"
        );
        assert_eq!(
            b.header.range.code(),
            2 + width.trailing_zeros() as u8 + 1,
            "{name}"
        );
        let got: Vec<_> = b.points().map(|p| (p.index, p.value)).collect();
        let want: Vec<_> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let val = if b.header.group == 20 {
                    Value::Uint(v as u32)
                } else {
                    Value::Int(v)
                };
                (start + i as u32, val)
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

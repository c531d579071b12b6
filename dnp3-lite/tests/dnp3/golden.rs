//! Golden tests on real captures (Zeek repository, testing/btest/Traces/dnp3, BSD-3-Clause;
//! copies in tests/data/captures/, payloads extracted by tests/oracle/oracle.py into
//! tests/oracle/captures.json). Frame numbers are Wireshark's (1-based).

use crate::common::{gvq, load_json, master_frames, payload};
use meterwire_core::{Decoded, Encode, Event, FrameReader};
use meterwire_dnp3_lite::objects::Crob;
use meterwire_dnp3_lite::{
    Dnp3Framer, Fragment, LinkFrame, Range, Reassembler, TransportHeader, Value, build,
};

/// Link frame -> transport -> fragment for a single-frame fragment, without allocation.
fn single(bytes: &[u8]) -> (LinkFrame<'_>, TransportHeader, [u8; 2048], usize) {
    let link = LinkFrame::parse(bytes).unwrap();
    let (data, n) = link.user_data_array();
    let mut r = Reassembler::new([0u8; 2048]);
    r.push(&data[..n]).unwrap();
    let len = r.fragment().len();
    let mut buf = [0u8; 2048];
    buf[..len].copy_from_slice(r.fragment());
    (link, TransportHeader::from_byte(data[0]), buf, len)
}

#[test]
fn dnp3_pcap_frame4_unsolicited_null_response() {
    let bytes = payload("dnp3.pcap", 4);
    let (link, th, frag, n) = single(&bytes);
    assert_eq!(
        (
            link.length(),
            link.control(),
            link.destination(),
            link.source()
        ),
        (10, 0x44, 3, 4)
    );
    assert!(!link.dir() && link.prm() && link.function() == 4);
    assert_eq!(link.function_name(), "unconfirmed_user_data");
    assert_eq!(
        th,
        TransportHeader {
            fir: true,
            fin: true,
            seq: 38
        }
    );
    let f = Fragment::parse(&frag[..n]).unwrap();
    let c = f.control();
    assert!(c.fir && c.fin && c.con && c.uns);
    assert_eq!(
        (c.seq, f.function(), f.function_name()),
        (7, 130, "unsolicited_response")
    );
    let iin = f.iin().unwrap();
    assert!(iin.need_time() && !iin.device_restart());
    assert_eq!(iin.set_bits().collect::<Vec<_>>(), ["need_time"]);
    assert_eq!(f.objects().count(), 0);
}

#[test]
fn dnp3_pcap_frame7_write_time_and_encoder() {
    let bytes = payload("dnp3.pcap", 7);
    let (link, _, frag, n) = single(&bytes);
    assert!(link.dir());
    let f = Fragment::parse(&frag[..n]).unwrap();
    assert_eq!(f.function(), 2);
    let b = f.objects().next().unwrap().unwrap();
    assert_eq!(gvq(&b), (50, 1, 0x07));
    assert_eq!(b.header.range, Range::Count { width: 1, count: 1 });
    let p = b.points().next().unwrap();
    assert_eq!(p.time, Some(1_097_487_541_483)); // 2004-10-11T09:39:01.483Z (tshark agrees)
    // our encoder reproduces the whole frame
    let mut app = [0u8; 64];
    let an = build::write_time(1, 1_097_487_541_483, &mut app).unwrap();
    assert_eq!(&app[..an], &frag[..n]);
    assert_eq!(master_frames(&app[..an], 4, 1), bytes);
}

#[test]
fn dnp3_read_frame4_integrity_poll_encoder() {
    let bytes = payload("dnp3_read.pcap", 4);
    let mut app = [0u8; 32];
    let an = build::integrity_poll(8, &mut app).unwrap();
    assert_eq!(master_frames(&app[..an], 2, 7), bytes);
}

#[test]
fn dnp3_read_frame6_static_data() {
    let bytes = payload("dnp3_read.pcap", 6);
    let (_, _, frag, n) = single(&bytes);
    let f = Fragment::parse(&frag[..n]).unwrap();
    assert_eq!(f.iin().unwrap().iin1, 0);
    let blocks: Vec<_> = f.objects().map(Result::unwrap).collect();
    let gv: Vec<_> = blocks
        .iter()
        .map(|b| (b.header.group, b.header.variation, b.count))
        .collect();
    assert_eq!(gv, [(1, 2, 9), (10, 2, 7), (30, 1, 15)]);
    let g1: Vec<_> = blocks[0]
        .points()
        .map(|p| (p.value, p.flags.unwrap()))
        .collect();
    assert_eq!(g1[0], (Value::Bool(true), 0x81));
    assert_eq!(g1[2], (Value::Bool(true), 0x81));
    let ana: Vec<_> = blocks[2].points().map(|p| p.value).collect();
    let expect = [
        1007, 3, 1005, -11989, 1005, 12006, 134423, 0, 134325, 0, 134538, 0, 0, 0, 0,
    ];
    assert_eq!(ana, expect.map(Value::Int));
    assert_eq!(blocks[2].points().next().unwrap().flags, Some(1));
}

#[test]
fn dnp3_select_operate_frames_4_and_6_crob() {
    let crob = Crob {
        code: 3,
        count: 1,
        on_time: 100,
        off_time: 100,
        status: 0,
    };
    for (frame, func) in [(4u64, 3u8), (6, 129)] {
        let bytes = payload("dnp3_select_operate.pcap", frame);
        let (_, _, frag, n) = single(&bytes);
        let f = Fragment::parse(&frag[..n]).unwrap();
        assert_eq!(f.function(), func);
        let b = f.objects().next().unwrap().unwrap();
        assert_eq!(gvq(&b), (12, 1, 0x28));
        let p = b.points().next().unwrap();
        assert_eq!((p.index, p.value), (1, Value::Crob(crob)));
        assert_eq!(crob.op_type(), 3); // latch on
    }
    // encoder reproduces the select request (frame 4)
    let bytes = payload("dnp3_select_operate.pcap", 4);
    let mut app = [0u8; 64];
    let an = build::crob_request(7, 3, 1, crob, &mut app).unwrap();
    assert_eq!(master_frames(&app[..an], 2, 6), bytes);
}

/// dnp3_link_only.pcap frames 9..21: one application fragment in 9 link frames; the
/// application layer surfaces once, on frame 21.
#[test]
fn dnp3_link_only_multiframe_fragment_surfaces_once() {
    let caps = load_json("captures.json");
    let pkts = caps["captures"]["dnp3_link_only.pcap"].as_array().unwrap();
    let mut r = FrameReader::new(Dnp3Framer::default(), Vec::new());
    let mut completed = vec![];
    for p in pkts
        .iter()
        .filter(|p| p["src"].as_str().unwrap().ends_with(":20000"))
    {
        let frame = p["frame"].as_u64().unwrap();
        r.push(&hex::decode(p["payload"].as_str().unwrap()).unwrap())
            .unwrap();
        while let Some(ev) = r.next_event() {
            match ev {
                Event::Frame { frame: f, .. } => {
                    if let Some(frag) = f.fragment {
                        completed.push((frame, frag));
                    }
                }
                other => panic!("frame {frame}: {other:?}"),
            }
        }
    }
    // frames 22..31 form a second fragment (FIR at 22, FIN at 31)
    assert_eq!(completed.iter().map(|c| c.0).collect::<Vec<_>>(), [21, 31]);
    let f = Fragment::parse(&completed[0].1).unwrap();
    let c = f.control();
    assert!(
        c.fir && !c.fin,
        "first fragment of a multi-fragment response"
    );
    assert_eq!(f.iin().unwrap().iin1, 0x14); // need time + local control
    let blocks: Vec<_> = f.objects().map(Result::unwrap).collect();
    let gv: Vec<_> = blocks
        .iter()
        .map(|b| (b.header.group, b.header.variation, b.header.range))
        .collect();
    assert_eq!(
        gv,
        [
            (
                1,
                1,
                Range::StartStop {
                    width: 2,
                    start: 0,
                    stop: 1023
                }
            ),
            (
                10,
                2,
                Range::StartStop {
                    width: 2,
                    start: 0,
                    stop: 511
                }
            ),
            (
                30,
                5,
                Range::StartStop {
                    width: 2,
                    start: 0,
                    stop: 275
                }
            ),
        ]
    );
    let g1: Vec<_> = blocks[0].points().take(2).map(|p| p.value).collect();
    assert_eq!(g1, [Value::Bool(true), Value::Bool(false)]);
    let floats: Vec<f64> = blocks[2]
        .points()
        .take(8)
        .map(|p| match p.value {
            Value::Float(v) => v,
            v => panic!("{v:?}"),
        })
        .collect();
    assert!((floats[0] - 0.014252).abs() < 1e-6 && (floats[7] - 59.9996).abs() < 1e-4);
    assert_eq!(blocks[2].points().count(), 276);
}

#[test]
fn file_read_g70_free_format_is_typed() {
    // dnp3_file_read.pcap frame 7: read g70v5 (file transport) with qualifier 0x5b:
    // file handle 0x12345678, block 0, no data
    let bytes = payload("dnp3_file_read.pcap", 7);
    let (_, _, frag, n) = single(&bytes);
    let f = Fragment::parse(&frag[..n]).unwrap();
    assert_eq!(f.function(), 1);
    let b = f.objects().next().unwrap().unwrap();
    assert_eq!(gvq(&b), (70, 5, 0x5B));
    let p = b.points().next().unwrap();
    let bytes = [0x78, 0x56, 0x34, 0x12, 0, 0, 0, 0];
    assert_eq!(
        p.value,
        Value::Typed {
            kind: meterwire_dnp3_lite::objects::Typed::File(5),
            bytes: &bytes[..],
        }
    );
    assert_eq!(
        p.value.typed(),
        Some(meterwire_dnp3_lite::objects::TypedValue::File(
            meterwire_dnp3_lite::objects::FileObject::Transport {
                handle: 0x1234_5678,
                block: 0,
                last: false,
                data: &[],
            }
        ))
    );
}

#[test]
fn link_framer_streaming_decode_reports_exact_needed() {
    let bytes = payload("dnp3_read.pcap", 6);
    let mut framer = meterwire_dnp3_lite::LinkFramer::new();
    use meterwire_core::Framer;
    match framer.decode(&bytes[..12]).unwrap() {
        Decoded::Incomplete { needed } => {
            assert_eq!(needed, meterwire_core::Needed::Exact(bytes.len() - 12))
        }
        other => panic!("{other:?}"),
    }
    match framer.decode(&bytes).unwrap() {
        Decoded::Frame { frame, consumed } => {
            assert_eq!(consumed, bytes.len());
            assert_eq!(frame.user_data_len(), 116 - 5);
            assert_eq!(frame.blocks().count(), 7);
        }
        other => panic!("{other:?}"),
    }
    // and the encoder of the owned copy gives back the same bytes
    let owned =
        meterwire_dnp3_lite::link::LinkFrameOwned::from_view(&LinkFrame::parse(&bytes).unwrap());
    assert_eq!(owned.encode_to_vec().unwrap(), bytes);
}

/// g2v3 events after a g51v1 CTO (synthetic vector rsp_g2v3_cto): the relative times
/// (16 and 32 ms, tshark agrees) are added to the CTO (1400000000123 ms).
#[test]
fn relative_times_add_the_cto() {
    let e = load_json("expected.json");
    let bytes = hex::decode(e["vectors"]["rsp_g2v3_cto"]["hex"].as_str().unwrap()).unwrap();
    let (_, _, frag, n) = single(&bytes);
    let f = Fragment::parse(&frag[..n]).unwrap();
    let blocks: Vec<_> = f.objects().map(Result::unwrap).collect();
    assert_eq!((blocks[0].header.group, blocks[0].cto), (51, None));
    assert_eq!(blocks[1].cto, Some(1_400_000_000_123));
    let t: Vec<_> = blocks[1]
        .points()
        .map(|p| (p.index, p.relative_time, p.time))
        .collect();
    assert_eq!(
        t,
        [
            (0, Some(16), Some(1_400_000_000_139)),
            (1, Some(32), Some(1_400_000_000_155))
        ]
    );
}

/// The owned fragment: parse -> encode gives the capture's fragment bytes back, and
/// parse -> encode -> parse -> owned is the identity.
#[test]
fn fragment_owned_roundtrips_capture_fragments() {
    use meterwire_dnp3_lite::FragmentOwned;
    for (file, frame) in [
        ("dnp3_read.pcap", 4),
        ("dnp3_read.pcap", 6),
        ("dnp3_select_operate.pcap", 4),
        ("dnp3.pcap", 4),
        ("dnp3_file_read.pcap", 6),
    ] {
        let bytes = payload(file, frame);
        let (_, _, frag, n) = single(&bytes);
        let view = Fragment::parse(&frag[..n]).unwrap();
        let owned = FragmentOwned::parse(&view);
        let out = owned.encode_to_vec().unwrap();
        assert_eq!(out, &frag[..n], "{file} {frame}");
        assert_eq!(owned.encoded_len(), n);
        let again = FragmentOwned::parse(&Fragment::parse(&out).unwrap());
        assert_eq!(again, owned);
        assert_eq!(owned.view(), view);
        assert_eq!(
            owned.view().objects().count(),
            view.objects().count(),
            "{file} {frame}"
        );
    }
}

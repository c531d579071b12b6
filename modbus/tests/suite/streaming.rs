//! Streaming: golden frames concatenated into one stream and fed through core's
//! `FrameReader` split at every point and byte by byte give the same frames;
//! RTU resynchronises after garbage by rescanning for a valid CRC.

use meterwire_core::Framer;
use meterwire_modbus::{AsciiFramer, Direction, RtuFramer, TcpFramer};
use meterwire_testkit::{Ev, assert_streaming, hex, run_chunks};

fn h(s: &str) -> Vec<u8> {
    hex(s)
}

/// The shared harness: whole, split at every point, byte by byte, `Frames`, and
/// byte accounting (meterwire-testkit).
fn every_split<F: Framer + Clone>(framer: F, stream: &[u8]) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    assert_streaming(framer, stream)
}

/// Every Modbus/TCP frame of the icsnpp capture (frames 4..=100), in capture order.
const ICSNPP: &[&str] = &[
    "000100000006040100010001",
    "00010000000404010101",
    "000200000006050100010008",
    "000200000004050101e9",
    "000300000006040200010001",
    "00030000000404020100",
    "000500000006040300010001",
    "00050000000504030200aa",
    "00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1",
    "00090000000606050001ff00",
    "00090000000606050001ff00",
    "000e0000000f0710000100040800aa00bb00cc00dd",
    "000e00000006071000010004",
    "0016000000060a1800020000",
    "001700000005012b0e0100",
    "000100000003008302",
];

#[test]
fn tcp_capture_stream_every_split_point() {
    let stream: Vec<u8> = ICSNPP.iter().flat_map(|s| h(s)).collect();
    let evs = every_split(TcpFramer::new(), &stream);
    assert_eq!(evs.len(), ICSNPP.len());
    assert!(evs.iter().all(|e| matches!(e, Ev::Frame(..))));
    let Ev::Frame(_, _, json) = &evs[8] else {
        panic!()
    };
    assert!(
        json.contains("\"registers\":[170,170,187,204,61316,58347,40843,58561]"),
        "{json}"
    );
}

#[test]
fn tcp_garbage_and_bad_frames_resync() {
    // garbage, a frame, an FC16 request with a bad byte count (dropped whole), a frame, a cut-off frame
    let mut stream = h("ffff");
    stream.extend(h("000500000006040300010001"));
    stream.extend(h("0007000000090110000000010300aa")); // byte count 3 for quantity 1
    stream.extend(h("00050000000504030200aa"));
    stream.extend(h("0006000000060503"));
    let evs = every_split(TcpFramer::new(), &stream);
    assert!(
        matches!(&evs[0], Ev::Error(0, b) if b == &h("ffff")),
        "{evs:?}"
    );
    assert!(matches!(&evs[1], Ev::Frame(2, ..)));
    assert!(
        matches!(&evs[2], Ev::Error(14, b) if b.len() == 15),
        "{evs:?}"
    );
    assert!(matches!(&evs[3], Ev::Frame(29, ..)));
    assert!(matches!(&evs[4], Ev::Truncated(40, ..)));
    assert_eq!(evs.len(), 5);
}

#[test]
fn rtu_exchange_every_split_point_without_direction() {
    // spec 6.3 example and its response, an exception, an FC16 write and its echo, broadcast FC5
    let mut stream = h("1103006b00037687");
    stream.extend(h("110306022b00000064c8ba"));
    stream.extend(h("118302c134"));
    stream.extend(h("01100001000204000a01029230"));
    let resp16 = rtu(&h("011000010002"));
    stream.extend(&resp16);
    stream.extend(rtu(&h("0005ac00ff00")));
    let evs = every_split(RtuFramer::new(), &stream);
    let dirs: Vec<&str> = evs
        .iter()
        .map(|e| match e {
            Ev::Frame(_, _, j) if j.contains("\"request\"") => "request",
            Ev::Frame(_, _, j) if j.contains("\"response\"") => "response",
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        dirs,
        [
            "request", "response", "response", "request", "response", "request"
        ]
    );
}

fn rtu(body: &[u8]) -> Vec<u8> {
    let mut v = body.to_vec();
    v.extend(
        meterwire_core::crc::CRC16_MODBUS
            .checksum(body)
            .to_le_bytes(),
    );
    v
}

#[test]
fn rtu_resyncs_after_garbage_by_crc_rescan() {
    let mut stream = h("00ff1203"); // noise
    stream.extend(h("1103006b00037687"));
    stream.extend(h("5a")); // one stray byte between frames
    stream.extend(h("110306022b00000064c8ba"));
    let mut corrupt = h("1103006b00037687");
    corrupt[3] ^= 0x10; // bit error: CRC fails, the frame is dropped
    stream.extend(&corrupt);
    stream.extend(h("118302c134"));
    let evs = every_split(RtuFramer::new(), &stream);
    let frames: Vec<(u64, usize)> = evs
        .iter()
        .filter_map(|e| match e {
            Ev::Frame(o, raw, _) => Some((*o, raw.len())),
            _ => None,
        })
        .collect();
    assert_eq!(frames, [(4, 8), (13, 11), (32, 5)], "{evs:?}");
    // told the direction, the same stream keeps only that direction's frames
    let evs = run_chunks(
        RtuFramer::with_direction(Some(Direction::Response)),
        &[&stream],
    );
    let frames = frame_offsets(&evs);
    assert_eq!(frames, [13, 32]);
}

#[test]
fn ascii_stream_every_split_point() {
    let mut stream = b"junk".to_vec();
    stream.extend(b":1103006B00037E\r\n");
    stream.extend(b":1103006B00037F\r\n"); // bad LRC
    stream.extend(b":11030"); // cut off by the next frame
    stream.extend(b":1183026A\r\n");
    let evs = every_split(AsciiFramer::new(), &stream);
    let frames = frame_offsets(&evs);
    assert_eq!(frames, [4, 44], "{evs:?}");
    let Ev::Frame(_, _, json) = &evs.last().unwrap() else {
        panic!()
    };
    assert!(json.contains("\"exception_code\":2"), "{json}");
}

/// The whole icsnpp capture (48 Modbus/TCP payloads, 4 of them malformed FC 20/21
/// frames) and every generated RTU and ASCII vector of the oracle file, as streams.
#[test]
fn oracle_vector_streams_every_split_point() {
    let vectors: Vec<serde_json::Value> = include_str!("../data/oracle_vectors.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let stream = |framing: &str, capture: bool| -> (Vec<u8>, usize, usize) {
        let mut s = Vec::new();
        let (mut good, mut bad) = (0, 0);
        for v in &vectors {
            let src = v["source"].as_str().unwrap();
            if v["framing"] != framing
                || src.contains("icsnpp") != capture
                || (!capture && v.get("expect_error").is_some())
            {
                continue;
            }
            // in the capture, the four FC 20/21 frames with byte count 0 are counted apart
            if v.get("expect_error").is_some() || (capture && v.get("expect_diagnostic").is_some())
            {
                bad += 1
            } else {
                good += 1
            }
            s.extend(h(v["hex"].as_str().unwrap()));
        }
        (s, good, bad)
    };
    let (tcp, good, bad) = stream("tcp", true);
    assert_eq!((good, bad), (44, 4));
    // lenient (issue 12): the four FC 20/21 frames with byte count 0 (frames 64-70)
    // decode too, each with one out_of_range diagnostic
    let evs = every_split(TcpFramer::new(), &tcp);
    assert_eq!(
        evs.iter().filter(|e| matches!(e, Ev::Frame(..))).count(),
        good + bad
    );
    let diagnosed = evs
        .iter()
        .filter(|e| matches!(e, Ev::Frame(_, _, json) if json.contains("out_of_range")))
        .count();
    assert_eq!(diagnosed, bad);
    // strict: they are rejected
    let evs = every_split(TcpFramer::new().strict(), &tcp);
    assert_eq!(
        evs.iter().filter(|e| matches!(e, Ev::Frame(..))).count(),
        good
    );
    // the four malformed frames are adjacent (frames 64-70): one merged run of 4 x 9 bytes
    let dropped: usize = evs
        .iter()
        .map(|e| if let Ev::Error(_, b) = e { b.len() } else { 0 })
        .sum();
    assert_eq!((bad, dropped), (4, 36));

    // RTU and ASCII: the framer is told each frame's direction, frame by frame
    for framing in ["rtu", "ascii"] {
        let (s, good, _) = stream(framing, false);
        let dirs: Vec<Direction> = vectors
            .iter()
            .filter(|v| v["framing"] == framing && v.get("expect_error").is_none())
            .map(|v| {
                if v["direction"] == "request" {
                    Direction::Request
                } else {
                    Direction::Response
                }
            })
            .collect();
        let mut pos = 0;
        let mut n = 0;
        for d in dirs {
            let got = if framing == "rtu" {
                RtuFramer::with_direction(Some(d))
                    .decode(&s[pos..])
                    .unwrap()
            } else {
                match AsciiFramer::with_direction(Some(d))
                    .decode(&s[pos..])
                    .unwrap()
                {
                    meterwire_core::Decoded::Frame { consumed, .. } => {
                        pos += consumed;
                        n += 1;
                        continue;
                    }
                    other => panic!("{other:?}"),
                }
            };
            let meterwire_core::Decoded::Frame { consumed, .. } = got else {
                panic!()
            };
            pos += consumed;
            n += 1;
        }
        assert_eq!((n, pos), (good, s.len()), "{framing}");
        if framing == "ascii" {
            // undirected, whole stream, every split point of the first 1000 characters
            let cut = s[..1000].iter().rposition(|&b| b == b'\n').unwrap() + 1;
            let evs = every_split(AsciiFramer::new(), &s[..cut]);
            assert!(evs.iter().all(|e| matches!(e, Ev::Frame(..))), "{evs:?}");
        }
    }
}

/// The stream offsets of the frames among the events.
fn frame_offsets(evs: &[Ev]) -> Vec<u64> {
    evs.iter()
        .filter_map(|e| match e {
            Ev::Frame(o, ..) => Some(*o),
            _ => None,
        })
        .collect()
}

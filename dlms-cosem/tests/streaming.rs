//! Streaming: real frames fed at every split point and byte by byte through
//! `meterwire_core::FrameReader` give the same frames as one complete buffer; segmented
//! HDLC reassembles to the original APDU at every split point; the wrapper likewise.
//! The every-split harness is meterwire-testkit's `assert_streaming` (frames compared by
//! their serde JSON, so this file needs the `serde` feature).
#![cfg(feature = "serde")]

use meterwire_core::{Encode, Event, FrameReader, Frames};
use meterwire_dlms_cosem::Error;
use meterwire_dlms_cosem::apdu::{Apdu, ApduFramer};
use meterwire_dlms_cosem::hdlc::{
    Address, Control, HdlcFramer, HdlcRepr, LLC_RESPONSE, Reassembler, Segmenter,
};
use meterwire_dlms_cosem::wrapper::WrapperFramer;
use meterwire_testkit::{Ev, assert_streaming, hex as unhex};

/// Real HDLC frames: pwitab/dlms-cosem tests/test_hdlc/test_hdlc.py (SNRM, UA, AARQ, AARE)
/// and frames from the Gurux forum (gurux.fi/comment/15532, /comment/20883).
fn hdlc_frames() -> Vec<Vec<u8>> {
    [
        "7ea00802232193bd647e",
        "7ea01f21022373e6c781801205019a06019a070400000001080400000001cca27e",
        "7ea02c02232110af9fe6e600601da109060760857405080101be10040e01000000065f1f0400001e1dffffc5e47e",
        "7ea0382102233034e7e6e7006129a109060760857405080101a203020100a305a103020100be10040e0800065f1f0400001e1d04c80007b86a7e",
        "7EA0190341323ABDE6E600C001C100030100 0C0700FF02001137 7E",
        "7EA043610002BA69301351E6E7000FC000000100020 40A0937303232303030353 90A0F3836353233343033303334373637370F0C090C07E5050A0100362CFF8000FF78647E",
    ]
    .iter()
    .map(|h| unhex(h))
    .collect()
}

#[test]
fn hdlc_every_split_point() {
    let frames = hdlc_frames();
    let mut stream = vec![0x7E, 0x7E]; // idle flags first
    for (i, f) in frames.iter().enumerate() {
        if i == 3 {
            // shared flag: the previous closing flag opens this frame
            stream.extend_from_slice(&f[1..]);
        } else {
            stream.extend_from_slice(f);
        }
        if i == 1 {
            stream.extend_from_slice(&[0x00, 0x55, 0xAA]); // line noise
        }
    }
    let evs = assert_streaming(HdlcFramer::new(), &stream);
    let decoded: Vec<_> = evs
        .iter()
        .filter_map(|e| {
            if let Ev::Frame(_, b, _) = e {
                Some(b.clone())
            } else {
                None
            }
        })
        .collect();
    assert_eq!(decoded.len(), frames.len());
    for (i, (d, f)) in decoded.iter().zip(&frames).enumerate() {
        // the raw bytes of each event: its flags (the shared one belongs to the previous frame)
        let inner = &f[1..f.len() - 1];
        assert!(d.windows(inner.len()).any(|w| w == inner), "frame {i}");
    }
    assert_eq!(evs.iter().filter(|e| matches!(e, Ev::Error(..))).count(), 1);
    // the Frames iterator agrees
    let n = Frames::new(HdlcFramer::new(), &stream)
        .filter(|e| matches!(e, Event::Frame { .. }))
        .count();
    assert_eq!(n, frames.len());
}

/// A real push APDU (EVN Kaifa MA309 plaintext, see golden.rs) split into I-frame segments
/// of 32 bytes, reassembled at every split point of the byte stream.
#[test]
fn segmented_hdlc_every_split_point() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/security/evn_kaifa_ma309_push.plain.hex"
    ))
    .unwrap();
    let apdu = unhex(text.trim());
    let info = [&LLC_RESPONSE[..], &apdu].concat();
    let (dst, src) = (Address::one(0x10), Address::two(1, 17));
    let mut stream = vec![];
    let segs: Vec<_> = Segmenter::new(&info, 32, dst, src, 5, 2).collect();
    assert!(segs.len() > 5);
    for (i, s) in segs.iter().enumerate() {
        stream.extend(s.encode_to_vec().unwrap());
        if i == 1 {
            // the client's RR between segments (other direction, no information field)
            let rr = HdlcRepr {
                segmented: false,
                destination: src,
                source: dst,
                control: Control::RR { nr: 7, pf: true },
                info: &[],
            };
            stream.extend(rr.encode_to_vec().unwrap());
        }
    }
    for split in (0..=stream.len()).step_by(7).chain([stream.len()]) {
        let mut reasm = Reassembler::new(vec![0u8; 4096]);
        let mut got = vec![];
        let mut r = FrameReader::new(HdlcFramer::new(), Vec::new());
        for part in [&stream[..split], &stream[split..]] {
            r.push(part).unwrap();
            while let Some(ev) = r.next_event() {
                let Event::Frame { frame, .. } = ev else {
                    panic!("{ev:?}")
                };
                if let Some(a) = reasm.push(&frame).unwrap() {
                    got.push(a.to_vec());
                }
            }
        }
        assert_eq!(got, vec![apdu.clone()], "split at {split}");
        let Apdu::DataNotification(_) = Apdu::parse(&got[0]).unwrap() else {
            panic!()
        };
    }
    // out of sequence: drop the second segment
    let mut reasm = Reassembler::new(vec![0u8; 4096]);
    let frames: Vec<Vec<u8>> = segs.iter().map(|s| s.encode_to_vec().unwrap()).collect();
    let parsed: Vec<_> = frames
        .iter()
        .map(|f| meterwire_dlms_cosem::hdlc::HdlcFrame::parse(f).unwrap())
        .collect();
    assert_eq!(reasm.push(&parsed[0]).unwrap(), None);
    assert!(matches!(
        reasm.push(&parsed[2]),
        Err(Error::Sequence { .. })
    ));
    // buffer too small
    let mut small = Reassembler::new([0u8; 40]);
    assert_eq!(small.push(&parsed[0]).unwrap(), None);
    assert!(matches!(
        small.push(&parsed[1]),
        Err(Error::BufferFull { .. })
    ));
}

/// pwitab/dlms-cosem tests/test_udp_message.py lines 6-18: 13 UDP wrapper pushes back to back.
#[test]
fn wrapper_every_split_point() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/oracle/pypi_test_bytes.txt"
    ))
    .unwrap();
    let frames: Vec<Vec<u8>> = src
        .lines()
        .filter(|l| {
            l.starts_with("tests/test_udp_message.py") && l.split(' ').nth(2).unwrap().len() > 20
        })
        .map(|l| unhex(l.split(' ').nth(2).unwrap()))
        .collect();
    assert_eq!(frames.len(), 13);
    let stream = frames.concat();
    let evs = assert_streaming(WrapperFramer::new(), &stream);
    assert_eq!(evs.len(), 13);
    let mut offset = 0u64;
    for (e, f) in evs.iter().zip(&frames) {
        let Ev::Frame(o, raw, _) = e else {
            panic!("{e:?}")
        };
        assert_eq!((*o, raw), (offset, f));
        offset += f.len() as u64;
    }
}

/// Bare APDUs back to back (AARQ, get-request, set-request) through the APDU framer.
#[test]
fn bare_apdus_every_split_point() {
    let apdus = [
        unhex(
            "6036a1090607608574050801018a0207808b0760857405080201ac0a80083132333435363738be10040e01000000065f1f0400007e1f04b0",
        ),
        unhex(
            "c001c100070100630100ff0201010204020412000809060000010000ff0f02120000090c07e20601ff000300ffff8880090c07e50106ff000300ffffc4000100",
        ),
        unhex("c101c100080000010000ff0200090c07e50118ff0e303950ffc400"),
    ];
    let stream = apdus.concat();
    let evs = assert_streaming(ApduFramer, &stream);
    let got: Vec<_> = evs
        .into_iter()
        .map(|e| {
            if let Ev::Frame(_, b, _) = e {
                b
            } else {
                panic!("{e:?}")
            }
        })
        .collect();
    assert_eq!(got, apdus);
    for a in &apdus {
        assert_eq!(Apdu::parse(a).unwrap().encode_to_vec().unwrap(), *a);
    }
}

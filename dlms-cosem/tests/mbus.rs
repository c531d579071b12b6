//! M-Bus long frames carrying DLMS: the real EVN Kaifa MA309 push (athombv/node-dsmr-parser
//! tests/telegrams/m-bus/austria-example-1.txt, whose first frame header is printed there;
//! the full ciphered APDU is in tests/vectors/security) framed into two long frames.

use meterwire_core::{Encode, Event, FrameReader, Frames};
use meterwire_dlms_cosem::Error;
use meterwire_dlms_cosem::apdu::{Apdu, SecurityControl};
use meterwire_dlms_cosem::mbus::{MbusFrame, MbusFramer, MbusReassembler};

use meterwire_testkit::hex as unhex;

fn evn_frames() -> (Vec<u8>, Vec<Vec<u8>>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/security/evn_kaifa_ma309_push.hex"
    ))
    .unwrap();
    let apdu = unhex(text.trim());
    // C=53 A=FF, TSAPs 01 67, then the CI field's part of the APDU
    let frame = |ci: u8, part: &[u8]| {
        MbusFrame {
            control: 0x53,
            address: 0xFF,
            ci,
            data: &[&[0x01, 0x67][..], part].concat(),
        }
        .encode_to_vec()
        .unwrap()
    };
    // first frame: CI=00, 245 bytes of the APDU (L = 0xFA); second: CI=11, the rest
    let (a, b) = apdu.split_at(245);
    let frames = vec![frame(0x00, a), frame(0x11, b)];
    (apdu, frames)
}

#[test]
fn evn_push_over_mbus() {
    let (apdu, frames) = evn_frames();
    // the first frame starts exactly as published in austria-example-1.txt
    assert_eq!(
        &frames[0][..36],
        &unhex(
            "68 FA FA 68 53 FF 00 01 67 DB 08 4B464D6750000009 81 F8 20 00000023 88 D5 AB 4F 97 51 5A AF C6 B8"
        )[..]
    );
    let mut reasm = MbusReassembler::new([0u8; 1024]);
    let f1 = MbusFrame::parse(&frames[0]).unwrap();
    assert_eq!(
        (f1.control, f1.address, f1.sequence(), f1.last()),
        (0x53, 0xFF, 0, false)
    );
    assert_eq!(reasm.push(&f1).unwrap(), None);
    let f2 = MbusFrame::parse(&frames[1]).unwrap();
    assert!(f2.last());
    let got = reasm.push(&f2).unwrap().unwrap().to_vec();
    assert_eq!(got, apdu);
    let Apdu::Ciphered(c) = Apdu::parse(&got).unwrap() else {
        panic!()
    };
    assert_eq!(c.system_title.unwrap(), b"KFMgP\x00\x00\x09");
    assert_eq!(c.security_control, SecurityControl(0x20));
    assert_eq!(c.invocation_counter, 0x23);
    // checksum and sequence errors
    let mut bad = frames[1].clone();
    let n = bad.len();
    bad[n - 2] ^= 1;
    assert!(matches!(MbusFrame::parse(&bad), Err(e) if e.to_string().contains("checksum")));
    let mut r2 = MbusReassembler::new([0u8; 1024]);
    assert!(matches!(r2.push(&f2), Err(Error::Sequence { .. })));
}

#[test]
fn mbus_every_split_point() {
    let (apdu, frames) = evn_frames();
    let stream = [&[0x00u8, 0xE5][..], &frames[0], &frames[1]].concat();
    for split in 0..=stream.len() {
        let mut r = FrameReader::new(MbusFramer::new(), Vec::new());
        let mut reasm = MbusReassembler::new(vec![0u8; 1024]);
        let mut got = vec![];
        for part in [&stream[..split], &stream[split..]] {
            r.push(part).unwrap();
            while let Some(ev) = r.next_event() {
                if let Event::Frame { frame, .. } = ev {
                    if let Some(a) = reasm.push(&frame).unwrap() {
                        got.push(a.to_vec());
                    }
                }
            }
        }
        assert_eq!(got, vec![apdu.clone()], "split {split}");
    }
    assert_eq!(
        Frames::new(MbusFramer::new(), &stream)
            .filter(|e| matches!(e, Event::Frame { .. }))
            .count(),
        2
    );
}

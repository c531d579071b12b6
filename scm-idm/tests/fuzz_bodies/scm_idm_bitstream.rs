// Fuzz body shared by fuzz/fuzz_targets/scm_idm_bitstream.rs and tests/fuzz_replay.rs:
// the bit-stream scanner, the streaming bit framer and the chip helpers.
use meterwire_core::{Event, Frames};
use meterwire_scm_idm::*;

pub fn run(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else { return };
    let correct = sel & 1 != 0;
    let kinds = match (sel >> 1) & 3 {
        0 => Kinds::ERT,
        1 => Kinds::R900,
        2 => Kinds { interval: Some(IntervalKind::NetIdm), r900: Some(R900Kind::Bcd), ..Kinds::ERT },
        _ => Kinds::NONE,
    };
    let nbits = rest.len() * 8 - usize::from(sel >> 5).min(rest.len() * 8);
    let mut last = None;
    for ev in { let s = BitScan::new(rest, nbits, kinds); if correct { s.correct() } else { s } } {
        match ev {
            ScanEvent::Packet(f) => {
                assert!(f.bit_offset + f.bit_len <= nbits);
                if let Some(l) = last {
                    assert!(f.bit_offset >= l);
                }
                last = Some(f.bit_offset + f.bit_len);
            }
            ScanEvent::Rejected { bit_offset, .. } => assert!(bit_offset < nbits),
        }
    }
    for ev in Frames::new(if correct { BitStreamFramer::new(kinds).correct() } else { BitStreamFramer::new(kinds) }, rest) {
        if let Event::Frame { frame, .. } = ev {
            let _ = frame.packet.bytes();
        }
    }
    let _ = bitstream::r900_chips_to_symbols(rest, usize::from(sel));
    let mut out = [0u8; 128];
    if let Ok(n) = bitstream::manchester_decode(rest, rest.len() * 8, Manchester::OneIsLowHigh, &mut out) {
        let mut back = [0u8; 256];
        let chips = bitstream::manchester_encode(&out, n, Manchester::OneIsLowHigh, &mut back).unwrap();
        assert_eq!(&back[..chips / 8], &rest[..chips / 8]);
    }
}

// Fuzz body shared by fuzz/fuzz_targets/p1_framer.rs and tests/fuzz_replay.rs: the P1
// framer (lenient, strict, small bound) over arbitrary bytes in two chunks; every
// telegram it returns (CRC checking on) has a CRC that verifies over its raw bytes and readings that
// never panic.
use meterwire_core::{Event, FrameReader, Framer};
use meterwire_iec62056_21::crc::crc16_arc;
use meterwire_iec62056_21::p1::P1Framer;

fn check<F: for<'a> Framer<Frame<'a> = meterwire_iec62056_21::p1::Telegram<'a>>>(f: F, data: &[u8], crc_checked: bool) {
    let split = usize::from(data.first().copied().unwrap_or(0)).min(data.len());
    let mut r = FrameReader::new(f, Vec::new());
    let mut total = 0usize;
    for chunk in [&data[..split], &data[split..]] {
        r.push(chunk).unwrap();
        while let Some(ev) = r.next_event() {
            match ev {
                Event::Frame { frame, raw, .. } => {
                    total += raw.len();
                    let t = frame.raw();
                    if let (Some(crc), true) = (frame.crc(), crc_checked) {
                        let bang = t.iter().position(|&b| b == b'!').unwrap();
                        assert_eq!(crc16_arc(&t[..=bang]), crc);
                    }
                    let mut buf = [0u8; 64];
                    let n = frame.readings(&mut buf).count();
                    assert!(n <= frame.lines().count());
                    let _ = frame.diagnostics().count();
                    let _ = (frame.time(), frame.version(), frame.equipment_id());
                }
                Event::Error { skipped, .. } => total += skipped.len(),
                Event::Truncated { .. } => {}
            }
        }
    }
    r.finish();
    while let Some(ev) = r.next_event() {
        if let Event::Truncated { rest, .. } = ev {
            total += rest.len();
        }
    }
    assert_eq!(total, data.len());
}

pub fn run(data: &[u8]) {
    check(P1Framer::new(), data, true);
    check(P1Framer::new().strict(), data, true);
    check(P1Framer::new().max_len(64).skip_crc(), data, false);
}

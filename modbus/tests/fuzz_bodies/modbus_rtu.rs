// Body of fuzz target `modbus_rtu`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the RTU framer (both directions and undirected),
// including resync after garbage: never panics, frames without diagnostics
// re-encode to their bytes (the strict encoder refuses the others), and the
// strict one-shot parser accepts exactly those.
use meterwire_core::{Encode, Event, Framer, Frames};
use meterwire_modbus::{Direction, RtuFrame, RtuFramer};

pub fn run(data: &[u8]) {
    for d in [None, Some(Direction::Request), Some(Direction::Response)] {
        let mut f = RtuFramer::with_direction(d);
        let _ = f.decode(data);
        let r = f.resync(data);
        assert!(data.is_empty() || (1..=data.len()).contains(&r));
        for ev in Frames::new(RtuFramer::with_direction(d), data) {
            if let Event::Frame { frame, raw, .. } = ev {
                let clean = frame.diagnostics().next().is_none();
                let mut buf = [0u8; 300];
                match frame.encode(&mut buf) {
                    Ok(n) => assert!(!clean || &buf[..n] == raw),
                    Err(_) => assert!(!clean, "{frame:?}"),
                }
                let dir = frame.pdu.direction();
                assert_eq!(RtuFrame::parse(raw, Some(dir)).unwrap(), frame);
                let strict = RtuFramer::new().direction(dir).strict().parse(raw);
                assert_eq!(strict.is_ok(), clean, "{frame:?}");
            }
        }
        let _ = RtuFrame::parse(data, d);
    }
}

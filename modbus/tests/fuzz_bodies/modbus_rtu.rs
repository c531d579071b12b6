// Body of fuzz target `modbus_rtu`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the RTU framer (both directions and undirected),
// including resync after garbage: never panics, frames re-encode to their bytes.
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
                let mut buf = [0u8; 300];
                let n = frame.encode(&mut buf).unwrap();
                assert_eq!(&buf[..n], raw);
                assert_eq!(RtuFrame::parse(raw, Some(frame.pdu.direction())).unwrap(), frame);
            }
        }
        let _ = RtuFrame::parse(data, d);
    }
}

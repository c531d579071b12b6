// Body of fuzz target `modbus_tcp`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the TCP framer (both directions and undirected):
// never panics, every frame re-encodes to exactly the bytes it was cut from.
use meterwire_core::{Encode, Event, Framer, Frames};
use meterwire_modbus::{Direction, TcpFrame, TcpFramer};

pub fn run(data: &[u8]) {
    for d in [None, Some(Direction::Request), Some(Direction::Response)] {
        let mut f = TcpFramer::with_direction(d);
        let _ = f.decode(data);
        let r = f.resync(data);
        assert!(data.is_empty() || (1..=data.len()).contains(&r));
        for ev in Frames::new(TcpFramer::with_direction(d), data) {
            if let Event::Frame { frame, raw, .. } = ev {
                let mut buf = [0u8; 300];
                let n = frame.encode(&mut buf).unwrap();
                assert_eq!(&buf[..n], raw);
                assert_eq!(TcpFrame::parse(raw, Some(frame.pdu.direction())).unwrap(), frame);
            }
        }
        let _ = TcpFrame::parse(data, d);
    }
}

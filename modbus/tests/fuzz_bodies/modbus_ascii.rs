// Body of fuzz target `modbus_ascii`, also replayed by tests/fuzz_replay.rs.
// Decodes a character stream with the ASCII framer: never panics; every frame
// re-encodes (upper-case hex) to characters that decode to the same frame.
use meterwire_core::{Encode, Event, Framer, Frames};
use meterwire_modbus::{AsciiAdu, AsciiFramer, Direction};

pub fn run(data: &[u8]) {
    for d in [None, Some(Direction::Request), Some(Direction::Response)] {
        let mut f = AsciiFramer::with_direction(d);
        let _ = f.decode(data);
        let r = f.resync(data);
        assert!(data.is_empty() || (1..=data.len()).contains(&r));
        for ev in Frames::new(AsciiFramer::with_direction(d), data) {
            if let Event::Frame { frame, raw, .. } = ev {
                let owned = frame.frame().unwrap();
                let mut buf = [0u8; 600];
                let n = owned.encode(&mut buf).unwrap();
                assert_eq!(n, raw.len());
                assert!(raw.eq_ignore_ascii_case(&buf[..n]));
                let again = AsciiAdu::parse(&buf[..n], Some(frame.direction())).unwrap();
                assert_eq!(again.frame().unwrap(), owned);
            }
        }
        let _ = AsciiAdu::parse(data, d);
    }
}

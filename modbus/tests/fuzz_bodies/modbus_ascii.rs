// Body of fuzz target `modbus_ascii`, also replayed by tests/fuzz_replay.rs.
// Decodes a character stream with the ASCII framer: never panics; every frame
// without diagnostics re-encodes (upper-case hex) to characters that decode to
// the same frame (the strict encoder may refuse the others).
use meterwire_core::Encode;
use meterwire_modbus::{AsciiAdu, AsciiFramer};

include!("stream_common.rs");

pub fn run(data: &[u8]) {
    each_frame(
        data,
        AsciiFramer::with_direction,
        AsciiAdu::parse,
        |frame, raw| {
            let owned = frame.frame().unwrap();
            let clean = owned.diagnostics().next().is_none();
            assert_eq!(frame.diagnostics().count(), owned.diagnostics().count());
            let mut buf = [0u8; 600];
            let n = match owned.encode(&mut buf) {
                Ok(n) => n,
                Err(_) => {
                    assert!(!clean, "{owned:?}");
                    return;
                }
            };
            if clean {
                assert_eq!(n, raw.len());
                assert!(raw.eq_ignore_ascii_case(&buf[..n]));
            }
            let again = AsciiAdu::parse(&buf[..n], Some(frame.direction())).unwrap();
            assert_eq!(again.frame().unwrap().pdu, owned.pdu);
        },
    );
}

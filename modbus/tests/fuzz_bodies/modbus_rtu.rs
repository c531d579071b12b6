// Body of fuzz target `modbus_rtu`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the RTU framer (both directions and undirected),
// including resync after garbage: never panics, frames without diagnostics
// re-encode to their bytes (the strict encoder refuses the others), and the
// strict one-shot parser accepts exactly those.
use meterwire_core::Encode;
use meterwire_modbus::{RtuFrame, RtuFramer};

include!("stream_common.rs");

pub fn run(data: &[u8]) {
    each_frame(
        data,
        RtuFramer::with_direction,
        RtuFrame::parse,
        |frame, raw| {
            let clean = frame.diagnostics().next().is_none();
            let mut buf = [0u8; 300];
            match frame.encode(&mut buf) {
                Ok(n) => assert!(!clean || &buf[..n] == raw),
                Err(_) => assert!(!clean, "{frame:?}"),
            }
            parses_back!(RtuFrame, RtuFramer, frame, raw);
        },
    );
}

// Body of fuzz target `modbus_rtu`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the RTU framer (both directions and undirected),
// including resync after garbage: never panics, frames without diagnostics
// re-encode to their bytes (the strict encoder refuses the others), and the
// strict one-shot parser accepts exactly those.
use meterwire_core::Encode;
use meterwire_modbus::{RtuFrame, RtuFramer};

include!("stream_common.rs");

encoding_stream_body!(RtuFrame, RtuFramer, |frame, raw, clean, bytes| {
    assert!(!clean || bytes == raw);
});

// Body of fuzz target `modbus_tcp`, also replayed by tests/fuzz_replay.rs.
// Decodes a byte stream with the TCP framer (both directions and undirected):
// never panics; a frame without diagnostics re-encodes to exactly the bytes it
// was cut from, one with diagnostics re-encodes its standard parts (header and
// PDU without the trailing bytes) or is refused by the strict encoder; the
// strict framer accepts exactly the frames without diagnostics.
use meterwire_core::Encode;
use meterwire_modbus::{TcpFrame, TcpFramer};

include!("stream_common.rs");

encoding_stream_body!(TcpFrame, TcpFramer, |frame, raw, clean, bytes| {
    let pdu_end = raw.len() - frame.trailing.len();
    assert_eq!(&bytes[..4], &raw[..4]);
    assert_eq!(&bytes[6..], &raw[6..pdu_end]);
    if clean {
        assert_eq!(bytes, raw);
    }
});

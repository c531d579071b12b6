// Fuzz body shared by fuzz/fuzz_targets/iec21_message.rs and tests/fuzz_replay.rs:
// IEC 62056-21 messages (parse, and encode back to the same bytes when the encoder
// accepts the message) and the session sniffer over arbitrary bytes.
use meterwire_core::{Decoded, Encode, Framer};
use meterwire_iec62056_21::iec::{Message, Session};

pub fn run(data: &[u8]) {
    if let Ok(m) = Message::parse(data) {
        let mut out = vec![0u8; m.encoded_len()];
        if let Ok(n) = m.encode(&mut out) {
            assert_eq!(&out[..n], data, "{m:?}");
            assert_eq!(Message::parse(&out[..n]).unwrap(), m);
        }
        if let Message::Readout(b) | Message::ModeD(b) | Message::Answer { data: b, .. } = m {
            let _ = (b.data_sets().count(), b.is_error());
        }
    }
    let mut s = Session::new();
    let mut rest = data;
    while !rest.is_empty() {
        match s.decode(rest) {
            Ok(Decoded::Frame { consumed, .. }) => rest = &rest[consumed..],
            Ok(Decoded::Incomplete { .. }) => break,
            Err(_) => {
                let n = s.resync(rest);
                rest = &rest[n.min(rest.len())..];
            }
        }
    }
}

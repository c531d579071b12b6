// Fuzz body shared by fuzz/fuzz_targets/dlms_hdlc.rs and tests/fuzz_replay.rs:
// the HDLC framer over arbitrary bytes, reassembly, APDU parsing of each payload, and
// the encoder roundtrip of every accepted frame.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_core::{Encode, Event, Frames};
    use meterwire_dlms_cosem::apdu::Apdu;
    use meterwire_dlms_cosem::hdlc::{HdlcFrame, HdlcFramer, Reassembler};
    let mut reasm = Reassembler::new([0u8; 1024]);
    for ev in Frames::new(HdlcFramer::new(), data) {
        if let Event::Frame { frame, .. } = ev {
            let bytes = frame.repr().encode_to_vec().expect("a decoded frame encodes");
            let again = HdlcFrame::parse(&bytes).expect("an encoded frame parses");
            assert_eq!(again, HdlcFrame::parse_inner(frame.raw()).expect("reparse"));
            let _ = frame.parameters();
            let _ = Apdu::parse(frame.payload());
            if let Ok(Some(apdu)) = reasm.push(&frame) {
                let _ = Apdu::parse(apdu);
            }
        }
    }
}

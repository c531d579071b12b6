// Fuzz body shared by fuzz/fuzz_targets/dlms_wrapper.rs and tests/fuzz_replay.rs.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_core::{Encode, Event, Frames};
    use meterwire_dlms_cosem::apdu::Apdu;
    use meterwire_dlms_cosem::wrapper::{WrapperFrame, WrapperFramer};
    for ev in Frames::new(WrapperFramer::new(), data) {
        if let Event::Frame { frame, raw, .. } = ev {
            assert_eq!(frame.encode_to_vec().expect("encodes"), raw);
            assert_eq!(WrapperFrame::parse(raw).expect("reparse"), frame);
            let _ = Apdu::parse(frame.apdu);
        }
    }
    // the M-Bus long-frame transport shares this target
    use meterwire_dlms_cosem::mbus::{MbusFramer, MbusReassembler};
    let mut reasm = MbusReassembler::new([0u8; 1024]);
    for ev in Frames::new(MbusFramer::new(), data) {
        if let Event::Frame { frame, raw, .. } = ev {
            assert_eq!(frame.encode_to_vec().expect("encodes"), raw);
            if let Ok(Some(apdu)) = reasm.push(&frame) {
                let _ = Apdu::parse(apdu);
            }
        }
    }
}

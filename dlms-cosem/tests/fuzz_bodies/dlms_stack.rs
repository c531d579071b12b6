// Fuzz body shared by fuzz/fuzz_targets/dlms_stack.rs and tests/fuzz_replay.rs: the stack
// framer over every transport, with keys, with and without tag check; never panics, and
// strict mode accepts exactly the frames that lenient mode decodes without diagnostics.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_core::{Event, Frames};
    use meterwire_dlms_cosem::security::{Key, PreparedKeys, SecurityKeys, TagCheck};
    use meterwire_dlms_cosem::stack::{DlmsFramer, Transport};
    let keys = PreparedKeys::new(
        &SecurityKeys::new(Key::Aes128(core::array::from_fn(|i| i as u8)))
            .with_authentication(Key::Aes128(core::array::from_fn(|i| 0xD0 | i as u8))),
    );
    for transport in [
        Transport::Hdlc,
        Transport::Wrapper,
        Transport::Mbus,
        Transport::Apdu,
    ] {
        for check in [TagCheck::Verify, TagCheck::Skip] {
            let lenient = DlmsFramer::new(transport)
                .keys(keys.clone())
                .tag_check(check)
                .system_title([0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E])
                .max_apdu(4096);
            let strict = lenient.clone().strict();
            let mut strict_events = Frames::new(strict, data);
            for ev in Frames::new(lenient, data) {
                let Event::Frame { frame, offset, .. } = ev else {
                    // the two runs may part ways after an error (resync)
                    break;
                };
                let _ = frame.inner();
                let _ = frame.plaintext_text();
                let clean = frame.diagnostics().count() == 0;
                match strict_events.next() {
                    Some(Event::Frame {
                        frame: s,
                        offset: o,
                        ..
                    }) => {
                        assert_eq!(o, offset);
                        assert!(clean, "strict accepted a frame with diagnostics");
                        assert_eq!(s.name(), frame.name());
                        assert_eq!(s.plaintext(), frame.plaintext());
                    }
                    Some(Event::Error { offset: o, .. }) => {
                        assert_eq!(o, offset);
                        assert!(!clean, "strict rejected a clean frame");
                        break;
                    }
                    _ => break,
                }
            }
        }
    }
}

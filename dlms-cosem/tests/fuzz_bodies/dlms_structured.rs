// Fuzz body shared by fuzz/fuzz_targets/dlms_structured.rs and tests/fuzz_replay.rs
// (feature `fuzzing`): an HDLC frame Repr and a ciphered APDU built by `arbitrary` from
// the fuzzer's bytes encode, and parse back to the same Repr (the HDLC one through the
// one-shot parser and through the stream framer fed whole and byte by byte; the
// ciphered one through the APDU parser, the security module's view and an HDLC frame).
#[allow(dead_code)]
fn run(data: &[u8]) {
    use arbitrary::{Arbitrary, Unstructured};
    use meterwire_core::{Encode, Event, Frames};
    use meterwire_dlms_cosem::apdu::{Apdu, Ciphered};
    use meterwire_dlms_cosem::hdlc::{HdlcFrame, HdlcFramer, HdlcRepr};
    let mut u = Unstructured::new(data);
    if let Ok(repr) = HdlcRepr::arbitrary(&mut u) {
        let bytes = repr.encode_to_vec().expect("an arbitrary HdlcRepr encodes");
        assert_eq!(bytes.len(), repr.encoded_len());
        assert_eq!(HdlcFrame::parse(&bytes).expect("parses").repr(), repr);
        let whole: Vec<_> = Frames::new(HdlcFramer::new(), &bytes)
            .filter_map(|ev| match ev {
                Event::Frame { frame, .. } => Some(frame.repr().encode_to_vec().unwrap()),
                _ => None,
            })
            .collect();
        assert_eq!(whole, core::slice::from_ref(&bytes));
    }
    if let Ok(c) = Ciphered::arbitrary(&mut u) {
        let bytes = c.encode_to_vec().expect("an arbitrary ciphered APDU encodes");
        let (back, used) = Ciphered::parse_prefix(&bytes).expect("parses");
        assert_eq!((back, used), (c, bytes.len()));
        match Apdu::parse(&bytes) {
            Ok(Apdu::Ciphered(a)) => assert_eq!(a, c),
            other => panic!("not a ciphered apdu: {other:?}"),
        }
        // the security view (feature `crypto`) accepts what has an 8-byte system title
        // where one is carried
        use meterwire_dlms_cosem::security::CipheredApdu;
        if let Ok(v) = CipheredApdu::parse(&bytes) {
            assert_eq!(v.payload, c.payload);
            assert_eq!(v.invocation_counter, c.invocation_counter);
            assert_eq!(v.security_control.0, c.security_control.0);
            assert_eq!(v.consumed, bytes.len());
        } else {
            assert!(c.system_title.is_some_and(|t| t.len() != 8));
        }
    }
}

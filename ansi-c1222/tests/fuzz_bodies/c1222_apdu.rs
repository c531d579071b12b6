// Fuzz body shared by fuzz/fuzz_targets/c1222_apdu.rs and tests/fuzz_replay.rs.
// The C12.22 APDU parser and TCP framer over arbitrary bytes: no panic; a parsed APDU
// re-encodes to an APDU that parses to the same fields.
#[allow(dead_code)]
pub fn run(data: &[u8]) {
    use meterwire_ansi_c1222::c1222::{Apdu, ApduFramer, ApduRepr};
    use meterwire_ansi_c1222::psem::{Service, Variant};
    use meterwire_core::{Decoded, Encode, Framer, Strictness};
    let mut f = ApduFramer::new();
    if let Ok(Decoded::Frame { consumed, .. }) = f.decode(data) {
        assert!(consumed <= data.len());
    }
    let _ = f.resync(data);
    // the stack framer over the same bytes, lenient and strict
    for s in [Strictness::Lenient, Strictness::Strict] {
        let mut st = meterwire_ansi_c1222::stack::C1222Framer::new()
            .with_key(0, [0; 16])
            .strictness(s);
        let mut i = 0usize;
        while i < data.len() {
            match st.decode(&data[i..]) {
                Ok(Decoded::Frame { frame, consumed }) => {
                    let _ = (frame.label(), frame.diagnostics().count(), frame.messages().count());
                    i += consumed;
                }
                Ok(Decoded::Incomplete { .. }) => break,
                Err(_) => i += st.resync(&data[i..]),
            }
        }
    }
    if let Ok(a) = Apdu::parse(data) {
        // strict accepts exactly the APDUs without diagnostics
        let strict_ok = Apdu::parser().strict().parse(data).is_ok();
        assert_eq!(strict_ok, a.diagnostics().next().is_none());
        let _ = (
            a.called_ap_title().map(|t| t.to_string()),
            a.calling_ap_title(),
            a.auth_value(),
        );
        for b in a.epsem().services().into_iter().flatten().flatten() {
            let _ = Service::parse(b, Variant::C1222);
        }
        let mut canon = Vec::new();
        a.canonified_cleartext(&[1, 2], &mut |b| canon.extend_from_slice(b));
        let repr = ApduRepr::parse(&a);
        let again = repr.encode_to_vec().unwrap();
        let b = Apdu::parse(&again).unwrap();
        assert_eq!(ApduRepr::parse(&b), repr);
    }
}

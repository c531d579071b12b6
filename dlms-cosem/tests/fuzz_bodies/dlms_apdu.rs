// Fuzz body shared by fuzz/fuzz_targets/dlms_apdu.rs and tests/fuzz_replay.rs: every
// APDU parser on arbitrary bytes, and parse -> encode -> parse -> encode is stable.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_core::{Encode, Frames};
    use meterwire_dlms_cosem::apdu::{Apdu, ApduFramer};
    if let Ok(a) = Apdu::parse(data) {
        let n = a.encoded_len();
        let bytes = a.encode_to_vec().expect("an accepted APDU encodes");
        assert_eq!(bytes.len(), n);
        let b = Apdu::parse(&bytes).expect("the encoding parses");
        assert_eq!(b.encode_to_vec().expect("encodes again"), bytes);
        assert_eq!(b.name(), a.name());
    }
    let _ = Frames::new(ApduFramer, data).count();
}

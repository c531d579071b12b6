// Fuzz body shared by fuzz/fuzz_targets/dlms_axdr.rs and tests/fuzz_replay.rs: A-XDR
// data parsing, lazy walking, owned conversion and the encoder roundtrip.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use meterwire_core::Encode;
    use meterwire_dlms_cosem::axdr::{Data, Value};
    if let Ok((d, used)) = Data::parse_prefix(data) {
        assert!(used <= data.len());
        let mut n = 0usize;
        d.walk(&mut |_| n += 1);
        let _ = d.as_date_time();
        let bytes = d.encode_to_vec().expect("accepted data encodes");
        let again = Data::parse(&bytes).expect("the encoding parses");
        assert_eq!(again.encode_to_vec().expect("encodes"), bytes);
        let v = Value::from(&d);
        assert_eq!(v.encode_to_vec().expect("value encodes").len(), v.encoded_len());
    }
}

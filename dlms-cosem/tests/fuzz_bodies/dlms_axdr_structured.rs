// Fuzz body shared by fuzz/fuzz_targets/dlms_axdr_structured.rs and tests/fuzz_replay.rs
// (feature `fuzzing`): an A-XDR `Value` built from the fuzzer's bytes (hand-written
// `Arbitrary`: bounded depth, valid bit-strings and compact arrays) encodes, parses back
// to the same value and bytes, and the walk, the visitor and the owned form agree.
// A-XDR data has no lenient/strict modes (no diagnostics), so there is no agreement to check.
#[allow(dead_code)]
fn run(data: &[u8]) {
    use arbitrary::{Arbitrary, Unstructured};
    use meterwire_core::Encode;
    use meterwire_dlms_cosem::axdr::{Data, Value, Visit};
    let Ok(v) = Value::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let bytes = v.encode_to_vec().expect("generated values encode");
    assert_eq!(bytes.len(), v.encoded_len());
    let d = Data::parse(&bytes).expect("the encoding parses");
    assert_eq!(d.encode_to_vec().expect("parsed data encodes"), bytes);
    // Debug compares floats by what they print, so NaN equals NaN
    assert_eq!(format!("{:?}", Value::from(&d)), format!("{v:?}"));
    struct Count(usize);
    impl Visit<'_> for Count {
        fn begin(&mut self, _: u8, _: usize) {
            self.0 += 1;
        }
        fn unsigned(&mut self, _: u8, _: u64) {
            self.0 += 1;
        }
        fn signed(&mut self, _: u8, _: i64) {
            self.0 += 1;
        }
        fn float(&mut self, _: u8, _: f64) {
            self.0 += 1;
        }
        fn bytes(&mut self, _: u8, _: &[u8]) {
            self.0 += 1;
        }
        fn bit_string(&mut self, _: meterwire_dlms_cosem::axdr::BitString<'_>) {
            self.0 += 1;
        }
        fn date_time(&mut self, _: meterwire_dlms_cosem::axdr::DateTime) {
            self.0 += 1;
        }
        fn date(&mut self, _: meterwire_dlms_cosem::axdr::Date) {
            self.0 += 1;
        }
        fn time(&mut self, _: meterwire_dlms_cosem::axdr::Time) {
            self.0 += 1;
        }
        fn null(&mut self, _: u8) {
            self.0 += 1;
        }
    }
    let mut c = Count(0);
    d.visit(&mut c);
    assert_eq!(c.0, d.walk(&mut |_| {}));
}

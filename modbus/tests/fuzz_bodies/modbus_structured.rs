// Body of fuzz target `modbus_structured` (issue 18), also replayed by
// tests/suite/fuzz_replay.rs. A PduRepr built from the fuzzer's bytes (the
// hand-written `Arbitrary` keeps it inside the encoder's limits) encodes, parses
// back to the same Repr (Repr -> encode -> parse -> Repr), alone and inside TCP,
// RTU and ASCII frames; lenient and strict parsing agree (strict refuses exactly
// the frames with diagnostics).
use arbitrary::{Arbitrary, Unstructured};
use meterwire_core::Encode;
use meterwire_modbus::{
    AsciiAdu, AsciiFrame, AsciiFramer, Diagnostic, Error, Pdu, PduRepr, RtuFrame, RtuFramer,
    TcpFrame, TcpFramer,
};

fn agree<F: PartialEq + core::fmt::Debug>(
    lenient: &F,
    diagnostics: Option<Diagnostic>,
    strict: Result<F, Error>,
) {
    match strict {
        Ok(f) => {
            assert_eq!(diagnostics, None);
            assert_eq!(&f, lenient);
        }
        Err(e) => assert!(
            diagnostics.is_some(),
            "strict refused a conforming frame: {e}"
        ),
    }
}

pub fn run(data: &[u8]) {
    let Ok(repr) = PduRepr::arbitrary(&mut Unstructured::new(data)) else {
        return;
    };
    let d = repr.direction();
    let bytes = repr.encode_to_vec().unwrap(); // a generated Repr encodes
    assert_eq!(bytes.len(), repr.encoded_len());
    let view = Pdu::parse(&bytes, Some(d)).unwrap();
    assert_eq!(PduRepr::parse(&view), repr);
    assert_eq!(view.encode_to_vec().unwrap(), bytes);

    let tcp = TcpFrame::new(0x1234, 17, repr.clone())
        .encode_to_vec()
        .unwrap();
    let f = TcpFrame::parse(&tcp, Some(d)).unwrap();
    assert_eq!(f.to_repr().pdu, repr);
    agree(
        &f,
        f.diagnostics().next(),
        TcpFramer::new().direction(d).strict().parse(&tcp),
    );

    let rtu = RtuFrame::new(17, repr.clone()).encode_to_vec().unwrap();
    let f = RtuFrame::parse(&rtu, Some(d)).unwrap();
    assert_eq!(f.to_repr().pdu, repr);
    agree(
        &f,
        f.diagnostics().next(),
        RtuFramer::new().direction(d).strict().parse(&rtu),
    );

    let ascii = AsciiFrame::new(17, repr.clone()).encode_to_vec().unwrap();
    let adu = AsciiAdu::parse(&ascii, Some(d)).unwrap();
    assert_eq!(adu.frame().unwrap().to_repr().pdu, repr);
    let strict = AsciiFramer::new().direction(d).strict().parse(&ascii);
    agree(
        &adu.raw(),
        adu.diagnostics().next(),
        strict.map(|a| a.raw()),
    );
}

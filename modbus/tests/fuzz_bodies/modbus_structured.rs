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

include!("stream_common.rs");

/// `lenient` (a frame of `repr`) is `repr` again, and strict parsing agrees.
fn framed<F: PartialEq + core::fmt::Debug>(
    repr: &PduRepr,
    lenient: F,
    strict: Result<F, Error>,
    to_repr: impl Fn(&F) -> PduRepr,
    diagnostics: impl Fn(&F) -> Option<Diagnostic>,
) {
    assert_eq!(&to_repr(&lenient), repr);
    agree(&lenient, diagnostics(&lenient), strict);
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

    // TCP and RTU: the frame parsed back, lenient and strict
    macro_rules! via {
        ($Frame:ident, $Framer:ident, $($header:expr),*) => {{
            let wire = $Frame::new($($header,)* repr.clone()).encode_to_vec().unwrap();
            let strict = $Framer::new().direction(d).strict().parse(&wire);
            let lenient = $Frame::parse(&wire, Some(d)).unwrap();
            framed(&repr, lenient, strict, |f| f.to_repr().pdu, |f| f.diagnostics().next());
        }};
    }
    via!(TcpFrame, TcpFramer, 0x1234, 17);
    via!(RtuFrame, RtuFramer, 17);
    let ascii = AsciiFrame::new(17, repr.clone()).encode_to_vec().unwrap();
    let (lenient, strict) = (
        AsciiAdu::parse(&ascii, Some(d)).unwrap(),
        AsciiFramer::new().direction(d).strict().parse(&ascii),
    );
    framed(
        &repr,
        lenient.frame().unwrap(),
        strict.as_ref().map_err(|e| *e).and_then(|a| a.frame()),
        |f| f.to_repr().pdu,
        |f| f.diagnostics().next(),
    );
}

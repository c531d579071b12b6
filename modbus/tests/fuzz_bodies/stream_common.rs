// Shared by the modbus fuzz bodies (included by each).

/// Lenient and strict parsing agree: strict accepts exactly the frames without
/// diagnostics, and then gives the same frame.
#[allow(dead_code)]
fn agree<F: PartialEq + core::fmt::Debug>(
    lenient: &F,
    diagnostics: Option<meterwire_modbus::Diagnostic>,
    strict: Result<F, meterwire_modbus::Error>,
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

// `frame`, cut from `raw` by a `$Framer`, parses back from `raw` alone in its own
// direction (`$Frame::parse`), and the strict framer agrees with it (`agree`). A
// macro: the TCP and RTU frames share these methods but no trait.
#[allow(unused_macros)]
macro_rules! parses_back {
    ($Frame:ident, $Framer:ident, $frame:expr, $raw:expr) => {{
        let dir = $frame.pdu.direction();
        assert_eq!($Frame::parse($raw, Some(dir)).unwrap(), $frame);
        let strict = $Framer::new().direction(dir).strict().parse($raw);
        agree(&$frame, $frame.diagnostics().next(), strict);
    }};
}

// For every direction setting: the one-shot parse of the whole input (`whole`),
// one decode and one resync (which drops 1..=len bytes) never panic, then every
// frame of the stream goes to `check` with its raw bytes.
#[allow(dead_code)]
fn each_frame<'a, F: meterwire_core::Framer + 'a, W>(
    data: &'a [u8],
    framer: impl Fn(Option<meterwire_modbus::Direction>) -> F,
    whole: impl Fn(&'a [u8], Option<meterwire_modbus::Direction>) -> W,
    mut check: impl FnMut(F::Frame<'a>, &'a [u8]),
) {
    use meterwire_modbus::Direction;
    for d in [None, Some(Direction::Request), Some(Direction::Response)] {
        let _ = whole(data, d);
        let mut f = framer(d);
        let _ = f.decode(data);
        let r = f.resync(data);
        assert!(data.is_empty() || (1..=data.len()).contains(&r));
        for ev in meterwire_core::Frames::new(framer(d), data) {
            if let meterwire_core::Event::Frame { frame, raw, .. } = ev {
                check(frame, raw);
            }
        }
    }
}

// The `run` of a body whose frames encode themselves (TCP, RTU): `each_frame`
// with the `$Framer`; a frame the strict encoder refuses has diagnostics, one it
// encodes goes to `$encoded` (`$clean`: it has none; `$bytes`: the encoding),
// then it parses back (`parses_back!`).
#[allow(unused_macros)]
macro_rules! encoding_stream_body {
    ($Frame:ident, $Framer:ident, |$frame:ident, $raw:ident, $clean:ident, $bytes:ident| $encoded:block) => {
        pub fn run(data: &[u8]) {
            each_frame(data, $Framer::with_direction, $Frame::parse, |$frame, $raw| {
                let $clean = $frame.diagnostics().next().is_none();
                let mut buf = [0u8; 300];
                match $frame.encode(&mut buf) {
                    Ok(n) => {
                        let $bytes = &buf[..n];
                        $encoded
                    }
                    Err(_) => assert!(!$clean, "{:?}", $frame),
                }
                parses_back!($Frame, $Framer, $frame, $raw);
            });
        }
    };
}

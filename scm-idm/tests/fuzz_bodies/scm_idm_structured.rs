// Fuzz body shared by fuzz/fuzz_targets/scm_idm_structured.rs and tests/fuzz_replay.rs:
// owned forms built by `arbitrary` (feature `fuzzing`, within the encoders' limits)
// encode, then decode back equal, lenient and strict alike (an encoded packet has no
// diagnostics), and through the byte framer of their kind.
use arbitrary::{Arbitrary, Unstructured};
use meterwire_core::{Decoded, Framer};
use meterwire_scm_idm::*;

/// Lenient and strict views of `b` agree, have no diagnostics, and parse to `r`.
macro_rules! both_modes {
    ($view:ident, $repr:ident, $b:expr, $r:expr) => {{
        let lenient = $view::new_checked(&$b[..]).unwrap();
        let strict = $view::new_checked_with(&$b[..], Strictness::Strict).unwrap();
        assert_eq!(lenient.diagnostics().count(), 0);
        assert_eq!($repr::parse(&lenient), $r);
        assert_eq!($repr::parse(&strict), $r);
    }};
}

/// A packet of one kind: both modes, then its strict byte framer.
macro_rules! byte_framed {
    ($u:ident, $view:ident, $repr:ident, $framer:ident) => {{
        let r = $repr::arbitrary($u)?;
        let b = r.to_bytes().unwrap();
        both_modes!($view, $repr, b, r);
        assert_eq!($repr::parse(&frame($framer::new().strict(), &b)), r);
    }};
    // with correction on: the framer reports zero corrections
    (corrected $u:ident, $view:ident, $repr:ident, $framer:ident) => {{
        let r = $repr::arbitrary($u)?;
        let b = r.to_bytes().unwrap();
        both_modes!($view, $repr, b, r);
        let f = frame($framer::new().correct().strict(), &b);
        assert_eq!(($repr::parse(&f.packet), f.corrected), (r, Some(0)));
    }};
}

/// The frame the strict framer `f` decodes from the whole packet `b`.
fn frame<F: Framer>(mut f: F, b: &[u8]) -> F::Frame<'_>
where
    F::Error: core::fmt::Debug,
{
    match f.decode(b).unwrap() {
        Decoded::Frame { frame, consumed } => {
            assert_eq!(consumed, b.len());
            frame
        }
        _ => panic!("not one whole frame of {} bytes", b.len()),
    }
}

fn one(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    match u.choose_index(6)? {
        0 => byte_framed!(corrected u, Scm, ScmRepr, ScmFramer),
        1 => byte_framed!(u, ScmPlus, ScmPlusRepr, ScmPlusFramer),
        2 => byte_framed!(u, Idm, IdmRepr, IdmFramer),
        3 => byte_framed!(u, NetIdm, NetIdmRepr, NetIdmFramer),
        4 => byte_framed!(corrected u, R900, R900Repr, R900Framer),
        _ => {
            let r = R900BcdRepr::arbitrary(u)?;
            let b = r.to_bytes().unwrap();
            both_modes!(R900Bcd, R900BcdRepr, b, r);
            let f = frame(R900BcdFramer::new().strict(), &b);
            assert_eq!(R900BcdRepr::parse(&f.packet), r);
        }
    }
    Ok(())
}

pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    while !u.is_empty() {
        if one(&mut u).is_err() {
            break;
        }
    }
}

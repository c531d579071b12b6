// Fuzz body shared by fuzz/fuzz_targets/scm_idm_packets.rs and tests/fuzz_replay.rs:
// every byte-domain decoder, framer and corrector on arbitrary input.
use meterwire_core::{Decoded, Framer};
use meterwire_scm_idm::*;

pub fn run(data: &[u8]) {
    if let Ok(p) = Scm::new_checked(data) {
        let r = ScmRepr::parse(&p);
        assert_eq!(&r.to_bytes().unwrap()[..], p.as_bytes());
    }
    if let Ok(p) = ScmPlus::new_checked(data) {
        assert_eq!(&ScmPlusRepr::parse(&p).to_bytes().unwrap()[..], p.as_bytes());
    }
    // lenient decode -> encode: the identity for conforming packets; a packet with
    // diagnostics re-encodes to the conforming packet with the same fields (encoders
    // stay strict), and strict mode rejects the original
    macro_rules! lenient_then_strict {
        ($view:ident, $repr:ident) => {
            if let Ok(p) = $view::new_checked(data) {
                let r = $repr::parse(&p);
                let again = r.to_bytes().unwrap();
                if p.diagnostics().count() == 0 {
                    assert_eq!(&again[..], p.as_bytes());
                } else {
                    assert!($view::new_checked_with(data, Strictness::Strict).is_err());
                    assert_eq!($repr::parse(&$view::new_checked_with(&again[..], Strictness::Strict).unwrap()), r);
                }
            }
        };
    }
    lenient_then_strict!(Idm, IdmRepr);
    lenient_then_strict!(NetIdm, NetIdmRepr);
    if let Ok(p) = R900::new_checked(data) {
        let r = R900Repr::parse(&p);
        let again = r.to_bytes().unwrap();
        if p.diagnostics().count() == 0 {
            assert_eq!(&again[..], p.as_bytes());
        } else {
            assert!(R900::new_checked_with(data, Strictness::Strict).is_err());
            assert_eq!(&again[..13], &p.as_bytes()[..13]);
            assert_eq!(again[13] & 0x80, p.as_bytes()[13] & 0x80);
        }
    }
    let u = Idm::new_unchecked(data);
    let _ = (u.intervals().count(), u.crc_status(), NetIdm::new_unchecked(data).intervals().count());
    let mut b = data.to_vec();
    if let Ok(n) = scm::correct(&mut b) {
        assert!(n <= 2);
        assert_eq!(scm::syndrome(&b), 0);
    }
    let mut b = data.to_vec();
    if let Ok(n) = r900::correct(&mut b) {
        assert!(n <= 2);
        assert!(R900::new_unchecked(&b[..]).check_fec().is_ok());
    }
    for correct in [false, true] {
        if let Ok(Decoded::Frame { frame, consumed }) = (if correct { ScmFramer::new().correct() } else { ScmFramer::new() }).decode(data) {
            assert_eq!(consumed, 12);
            assert!(Scm::new_checked(frame.packet.as_bytes()).is_ok());
        }
        if let Ok(Decoded::Frame { frame, .. }) = (if correct { R900Framer::new().correct() } else { R900Framer::new() }).decode(data) {
            assert!(R900::new_checked(frame.packet.as_bytes()).is_ok());
        }
        let _ = (if correct { R900BcdFramer::new().correct() } else { R900BcdFramer::new() }).decode(data);
    }
    let mut f = ScmPlusFramer::new();
    if f.decode(data).is_err() {
        assert!(f.resync(data) >= 1 || data.is_empty());
    }
    let _ = IdmFramer::new().decode(data);
    let _ = NetIdmFramer::new().decode(data);
}

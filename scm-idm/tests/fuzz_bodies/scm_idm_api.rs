// Fuzz body shared by fuzz/fuzz_targets/scm_idm_api.rs and tests/fuzz_replay.rs: the
// decode API the other SCM/IDM/R900 targets leave alone (issue 18, corpus coverage):
// every packet view's getters and checks, lenient and strict, the owned forms, the
// commodity of each ERT type, R900 BCD, the bit scanner's strict mode and found
// packets' diagnostics, the R900 chip helpers. Never panics.
use meterwire_core::{Classify, Strictness};
use meterwire_scm_idm::*;

// The owned forms' `parse` reads every field getter of its view; the calls below add
// the getters and checks the owned forms leave out.

fn scm(b: &[u8], st: Strictness) {
    if let Ok(p) = Scm::new_checked_with(b, st) {
        let r = ScmRepr::parse(&p);
        let _ = (r.commodity(), p.commodity().as_str(), p.crc(), p.computed_crc());
        let _ = (p.diagnostics().count(), p.into_inner());
    }
    let u = Scm::new_unchecked(b);
    let _ = (u.check_len(), u.check_preamble());
    if let Ok(p) = ScmPlus::new_checked_with(b, st) {
        let _ = (p.protocol_id(), p.ert_type(), p.commodity(), p.crc());
        let _ = (p.computed_crc(), p.diagnostics().count());
        assert_eq!(
            ScmPlusRepr::parse_bytes(b).ok(),
            Some(ScmPlusRepr::parse(&p))
        );
    }
    let _ = ScmPlus::new_unchecked(b).check_crc();
}

fn idm(b: &[u8], st: Strictness) {
    if let Ok(p) = Idm::new_checked_with(b, st) {
        let r = IdmRepr::parse(&p);
        let _ = (r.commodity(), p.packet_type(), p.packet_length(), p.commodity());
        let _ = (p.serial_crc(), p.packet_crc(), p.computed_serial_crc());
        let _ = (p.computed_packet_crc(), p.crc_status(), p.intervals().size_hint());
        let _ = (p.diagnostics().count(), p.into_inner());
    }
    if let Ok(p) = NetIdm::new_checked_with(b, st) {
        let r = NetIdmRepr::parse(&p);
        let _ = (r.commodity(), p.intervals().count(), p.commodity());
        let _ = (p.check_serial_crc(), p.check_header(), p.into_inner());
    }
}

fn r900(b: &[u8], st: Strictness) {
    if let Ok(p) = R900::new_checked_with(b, st) {
        let _ = R900Repr::parse(&p);
        let _ = (p.parity(), p.wrap(), p.consumption_with_wrap(), p.meter_type());
        let _ = (p.consumption_bcd(), p.padding(), p.symbols(), p.check_padding());
        let _ = p.diagnostics().count();
        let chips = bitstream::r900_symbols_to_chips(&p.symbols());
        assert_eq!(
            bitstream::r900_chips_to_symbols(&chips, 0).ok(),
            Some(p.symbols())
        );
        let _ = bitstream::r900_transmission(p.as_bytes());
        if let Ok(bcd) = R900Bcd::from_r900(p) {
            let _ = (bcd.consumption(), bcd.r900().id(), bcd.diagnostics().count());
        }
    }
    if let Ok(p) = R900Bcd::new_checked_with(b, st) {
        let _ = (p.consumption(), p.diagnostics().count());
    }
    let _ = R900::new_unchecked(b).check_len();
}

pub fn run(data: &[u8]) {
    let Some((sel, st, rest)) = meterwire_testkit::fuzz_selector(data) else {
        return;
    };
    let _ = (
        Commodity::from_ert_type(sel).as_str(),
        r900::bcd_to_u32(u32::from_le_bytes([sel, sel, 0, 0])),
    );
    for off in 0..rest.len().min(4) {
        let b = &rest[off..];
        scm(b, st);
        idm(b, st);
        r900(b, st);
    }
    let mut b = rest.to_vec();
    let _ = scm::correct_max(&mut b, sel & 3);
    let kinds = if sel & 2 != 0 {
        Kinds::R900
    } else {
        Kinds::ERT
    };
    let nbits = rest.len() * 8;
    for ev in BitScan::new(rest, nbits, kinds).strictness(st) {
        match ev {
            ScanEvent::Packet(f) => {
                let _ = (
                    f.packet.name(),
                    f.packet.bytes().len(),
                    f.diagnostics().count(),
                );
            }
            ScanEvent::Rejected { error, .. } => {
                let _ = (
                    error.kind(),
                    error.check().map(Check::as_str),
                    error.to_string(),
                );
            }
        }
    }
    let f = BitStreamFramer::new(kinds).strict();
    let _ = f.kinds();
    let _ = (
        ScmFramer::new().with_max_bits(sel & 3).strict(),
        NetIdmFramer::new().strict(),
        R900BcdFramer::new().strict(),
    );
}

// Fuzz body shared by fuzz/fuzz_targets/scm_idm_api.rs and tests/fuzz_replay_api.rs: the
// decode API the other SCM/IDM/R900 targets leave alone (issue 18, corpus coverage):
// every packet view's getters and checks, lenient and strict, the owned forms, the
// commodity of each ERT type, R900 BCD, the bit scanner's strict mode and found
// packets' diagnostics, the R900 chip helpers. Never panics.
use meterwire_core::{Classify, Strictness};
use meterwire_scm_idm::*;

fn scm(b: &[u8], st: Strictness) {
    if let Ok(p) = Scm::new_checked_with(b, st) {
        let _ = (
            p.id(),
            p.reserved(),
            p.physical_tamper(),
            p.ert_type(),
            p.commodity().as_str(),
            p.consumption(),
        );
        let _ = (
            p.crc(),
            p.computed_crc(),
            p.diagnostics().count(),
            ScmRepr::parse(&p).commodity(),
        );
        let _ = p.into_inner();
    }
    let u = Scm::new_unchecked(b);
    let _ = (u.check_len(), u.check_preamble());
    if let Ok(p) = ScmPlus::new_checked_with(b, st) {
        let _ = (
            p.protocol_id(),
            p.endpoint_type(),
            p.ert_type(),
            p.commodity(),
            p.endpoint_id(),
            p.consumption(),
        );
        let _ = (
            p.tamper(),
            p.crc(),
            p.computed_crc(),
            p.diagnostics().count(),
        );
        assert_eq!(
            ScmPlusRepr::parse_bytes(b).ok(),
            Some(ScmPlusRepr::parse(&p))
        );
    }
    let _ = ScmPlus::new_unchecked(b).check_crc();
}

fn idm(b: &[u8], st: Strictness) {
    if let Ok(p) = Idm::new_checked_with(b, st) {
        let _ = (
            p.packet_type(),
            p.packet_length(),
            p.hamming_code(),
            p.application_version(),
            p.ert_type(),
        );
        let _ = (
            p.commodity(),
            p.serial(),
            p.interval_count(),
            p.programming_state(),
            p.tamper_counters(),
        );
        let _ = (
            p.tx_time_offset(),
            p.serial_crc(),
            p.packet_crc(),
            p.computed_serial_crc(),
            p.computed_packet_crc(),
        );
        let _ = (
            p.async_counters(),
            p.power_outage_flags(),
            p.last_consumption(),
            p.padding(),
            p.crc_status(),
        );
        let _ = (
            p.intervals().size_hint(),
            p.diagnostics().count(),
            IdmRepr::parse(&p).commodity(),
        );
        let _ = p.into_inner();
    }
    if let Ok(p) = NetIdm::new_checked_with(b, st) {
        let _ = (
            p.unknown_1(),
            p.last_consumption(),
            p.last_generation(),
            p.unknown_2(),
            p.last_consumption_net(),
        );
        let _ = (
            p.intervals().count(),
            p.padding(),
            p.commodity(),
            p.check_serial_crc(),
            p.check_header(),
        );
        let _ = (NetIdmRepr::parse(&p).commodity(), p.into_inner());
    }
}

fn r900(b: &[u8], st: Strictness) {
    if let Ok(p) = R900::new_checked_with(b, st) {
        let _ = (
            p.id(),
            p.unkn1(),
            p.nouse(),
            p.backflow(),
            p.consumption(),
            p.unkn3(),
            p.leak(),
            p.leaknow(),
        );
        let _ = (
            p.parity(),
            p.wrap(),
            p.consumption_with_wrap(),
            p.meter_type(),
            p.consumption_bcd(),
            p.padding(),
        );
        let _ = (p.symbols(), p.check_padding(), p.diagnostics().count());
        let chips = bitstream::r900_symbols_to_chips(&p.symbols());
        assert_eq!(
            bitstream::r900_chips_to_symbols(&chips, 0).ok(),
            Some(p.symbols())
        );
        let _ = bitstream::r900_transmission(p.as_bytes());
        if let Ok(bcd) = R900Bcd::from_r900(p) {
            let _ = (
                bcd.consumption(),
                bcd.r900().id(),
                bcd.diagnostics().count(),
            );
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

// Fuzz body shared by fuzz/fuzz_targets/modbus_api.rs and tests/suite/fuzz_replay.rs: the
// decode API the framing targets leave alone (issue 18, corpus coverage): one-shot
// parsers with every direction and strictness, the PDU's and ADU's getters, function
// and exception names, and the register/bit views over arbitrary wire bytes.
// Never panics; a view's getters agree with its iterator.
use meterwire_core::Classify;
use meterwire_modbus::pdu::{exception_name, function_name};
use meterwire_modbus::{AsciiFramer, Bits, Direction, Pdu, Registers, RtuFramer, TcpFramer};

fn pdu(p: &Pdu<'_>) {
    let _ = (
        p.function_code(),
        p.name(),
        p.exception(),
        p.unsupported(),
        p.direction().as_str(),
    );
    if let Some(r) = p.request() {
        let _ = r.name();
    }
    if let Some(r) = p.response() {
        let _ = r.name();
    }
    let _ = (function_name(p.function_code()), p.diagnostics().count());
}

pub fn run(data: &[u8]) {
    let Some((sel, st, rest)) = meterwire_testkit::fuzz_selector(data) else {
        return;
    };
    let dir = match (sel >> 1) & 3 {
        0 => None,
        1 => Some(Direction::Request),
        _ => Some(Direction::Response),
    };
    let _ = (exception_name(sel), function_name(sel));
    if let Some(d) = dir {
        assert_eq!(d.opposite().opposite(), d);
    }
    match TcpFramer::with_direction(dir).strictness(st).parse(rest) {
        Ok(f) => {
            pdu(&f.pdu);
            let _ = f.diagnostics().count();
        }
        Err(e) => {
            let _ = (e.kind(), e.to_string());
        }
    }
    let mut rtu = RtuFramer::with_direction(dir).strictness(st);
    let _ = rtu.configured_direction();
    rtu.set_direction(dir.map(Direction::opposite));
    if let Ok(f) = rtu.parse(rest) {
        pdu(&f.pdu);
        let _ = f.diagnostics().count();
    }
    if let Ok(f) = RtuFramer::new().parse(rest) {
        pdu(&f.pdu);
    }
    let ascii = AsciiFramer::with_direction(dir).strictness(st);
    if let Ok(a) = ascii.parse(rest) {
        let _ = (
            a.raw(),
            a.bytes(),
            a.address(),
            a.lrc(),
            a.direction(),
            a.trailing(),
            a.diagnostics().count(),
        );
        if let Ok(p) = a.pdu() {
            pdu(&p);
        }
        let _ = a.frame().map(|f| f.diagnostics().count());
    }
    if let Ok(p) = Pdu::parse(rest, dir) {
        pdu(&p);
    }
    let regs = Registers::from_wire(rest);
    let all: Vec<u16> = regs.iter().collect();
    assert_eq!(all.len(), regs.len());
    assert_eq!(regs.is_empty(), all.is_empty());
    for (i, v) in all.iter().enumerate() {
        assert_eq!(regs.get(i), Some(*v));
    }
    let _ = (
        regs.as_wire_bytes(),
        regs.wire_len(),
        Registers::from_slice(&all).as_wire_bytes(),
    );
    let n = usize::from(sel) % (rest.len() * 8 + 1);
    let bits = Bits::from_wire(rest, n);
    let all: Vec<bool> = bits.iter().collect();
    assert_eq!(all.len(), bits.len());
    for (i, v) in all.iter().enumerate() {
        assert_eq!(bits.get(i), Some(*v));
    }
    let _ = (
        bits.is_empty(),
        bits.as_wire_bytes(),
        bits.wire_len(),
        Bits::from_slice(&all).is_empty(),
    );
}

// Fuzz body shared by fuzz/fuzz_targets/p1_lines.rs and tests/fuzz_replay.rs: the line
// grammar, values, structured lines and readings on any text, never panicking.
use meterwire_iec62056_21::p1::{Line, Lines, Telegram};

fn lines(body: &str) {
    for l in Lines::new(body) {
        let _ = (l.kind(), l.obis(), l.value(), l.time(), l.reading_obis(), l.hex_text());
        let _ = (l.events().count(), l.history().count(), l.diagnostics().count());
        let mut buf = [0u8; 16];
        let _ = l.decoded_text(&mut buf);
        for g in l.groups() {
            let _ = (g.value(), g.unit());
        }
        assert_eq!(Line::parse(l.text()).address(), l.address());
    }
}

pub fn run(data: &[u8]) {
    if let Ok(s) = core::str::from_utf8(data) {
        lines(s);
    }
    let mut t = b"/ABC5x\r\n\r\n".to_vec();
    t.extend_from_slice(data);
    t.extend_from_slice(b"\r\n!\r\n");
    if let Ok(t) = Telegram::parser().skip_crc().parse(&t) {
        lines(t.body());
        let mut buf = [0u8; 32];
        for r in t.readings(&mut buf) {
            let _ = r.value;
        }
        let _ = t.diagnostics().count();
    }
    if let Ok(t) = Telegram::parse(data) {
        lines(t.body());
    }
}

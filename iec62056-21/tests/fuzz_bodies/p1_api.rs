// Fuzz body shared by fuzz/fuzz_targets/p1_api.rs and tests/fuzz_replay.rs: the
// decode API the other P1/IEC targets leave alone (issue 18, corpus coverage): the P1
// stack framer (plain and encrypted frames, lenient and strict), every telegram and
// line getter, decryption with both key forms, data sets, identifications, the
// session's state and the value helpers, on arbitrary bytes. Never panics.
use meterwire_core::{Event, Frames};
use meterwire_iec62056_21::dataset::{DataSets, Group};
use meterwire_iec62056_21::ident::{Identification, baud_rate};
use meterwire_iec62056_21::iec::{Message, Session, bcc};
use meterwire_iec62056_21::p1::{self, Line, P1Framer, Telegram};
use meterwire_iec62056_21::smarty::{EncryptedTelegram, Keys};
use meterwire_iec62056_21::stack::{P1Frame, P1StackFramer};

fn telegram(t: &Telegram<'_>) {
    let _ = (
        t.raw().len(),
        t.header().manufacturer(),
        t.header().mode_e(),
        t.body().len(),
    );
    let _ = (
        t.crc(),
        t.version(),
        t.time(),
        t.equipment_id(),
        t.skipped(),
    );
    let _ = t.diagnostics().count();
    if let Some(l) = t.lines().next() {
        if let Some(o) = l.obis() {
            assert!(t.line(o).is_some());
        }
    }
    let mut buf = [0u8; 48];
    for r in t.readings(&mut buf) {
        let _ = (r.obis, r.unit);
    }
    for l in t.lines() {
        line(&l);
    }
}

fn line(l: &Line<'_>) {
    // the address, then its groups (both empty for an unrecognized line)
    assert!(l.text().starts_with(l.address()));
    assert!(l.text().ends_with(l.groups_text()));
    let _ = (l.kind(), l.time(), l.reading());
    for e in l.events() {
        let _ = e;
    }
    for h in l.history() {
        let _ = h;
    }
}

pub fn run(data: &[u8]) {
    let Some((sel, st, rest)) = meterwire_testkit::fuzz_selector(data) else {
        return;
    };
    let keys = Keys::new([0xAA; 16]).with_ak([0xBB; 16]);
    let plain = P1Framer::new()
        .strictness(st)
        .max_len(usize::from(sel) * 64 + 64);
    let framer = P1StackFramer::new()
        .strictness(st)
        .with_plain(if sel & 2 != 0 {
            plain.skip_crc()
        } else {
            plain
        });
    for ev in Frames::new(framer, rest) {
        if let Event::Frame { frame, .. } = ev {
            match frame {
                P1Frame::Plain(t) => telegram(&t),
                P1Frame::Encrypted(e) => {
                    let _ = (
                        e.system_title(),
                        e.security_control(),
                        e.invocation_counter(),
                        e.tag(),
                    );
                    let mut out = [0u8; 2048];
                    if let Ok(t) = e.telegram_with(
                        &keys,
                        &mut out,
                        Telegram::parser().strictness(st).skip_crc(),
                    ) {
                        telegram(&t);
                    }
                }
            }
        }
    }
    if let Ok(e) = EncryptedTelegram::parse(rest) {
        let mut out = [0u8; 2048];
        let _ = e.telegram(&Keys::new([0xAA; 16]), &mut out);
    }
    if let Ok(t) = Telegram::parser().strictness(st).parse(rest) {
        telegram(&t);
    }
    let mut copy = rest.to_vec();
    let n = p1::strip_parity(&mut copy);
    assert!(n <= copy.len());
    let _ = bcc(rest);
    let _ = baud_rate(sel);
    if let Ok(s) = core::str::from_utf8(rest) {
        if let Some(id) = Identification::new(s) {
            // `XXXZ`, then the enhanced characters, then the identification
            let (head, tail) = s.split_at(4);
            assert_eq!(id.text(), s);
            assert_eq!(id.baud_char(), head.as_bytes()[3]);
            assert_eq!(tail, format!("{}{}", id.enhanced(), id.identification()));
            assert!(id.diagnostics().count() <= 2);
        }
        for ds in DataSets::new(s).flatten() {
            let _ = (
                ds.obis(),
                ds.first().map(|g| (g.value(), g.unit(), g.is_empty())),
            );
        }
        let g = Group::new(s);
        let _ = (g.raw(), g.value(), g.unit());
        let _ = (
            p1::value::parse_tst(s),
            p1::value::number(s, Some("kWh")),
            p1::value::is_printable_hex(s),
            p1::value::plain(s, None),
        );
        let mut buf = [0u8; 32];
        let _ = p1::value::decode_hex_text(s, &mut buf);
    }
    if let Ok(Message::Readout(b)) = Message::parse(rest) {
        let _ = (b.text(), b.is_error());
    }
    let mut s = Session::new();
    let _ = (s.state(), s.handed_over(), s.last_sender());
    let mut at = rest;
    while let Ok(meterwire_core::Decoded::Frame { consumed, .. }) =
        meterwire_core::Framer::decode(&mut s, at)
    {
        let _ = (s.state(), s.handed_over(), s.last_sender());
        at = at.get(consumed..).unwrap_or(&[]);
        if consumed == 0 {
            break;
        }
    }
}

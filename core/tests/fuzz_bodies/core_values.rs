// Fuzz body shared by fuzz/fuzz_targets/core_values.rs and tests/fuzz_replay.rs:
// core's shared value types and stream reader on arbitrary bytes (issue 18, corpus
// coverage): exact decimals, OBIS text and bytes, units, readings, diagnostics, BER
// lengths, hex text, and a FrameReader over the test kit's toy length-prefixed
// framer with the three kinds of storage. Never panics; a decimal or OBIS code printed in full form
// parses back to the same value.
use meterwire_core::{
    Cursor, Decimal, Diagnostic, DiagnosticKind, Diagnostics, Event, FrameReader, Framer, Hex,
    Obis, Reading, Unit, Value, ber, hex,
};
use meterwire_testkit::Toy;

fn drain<B: meterwire_core::Storage>(r: &mut FrameReader<Toy, B>) -> usize {
    let mut n = 0;
    while let Some(ev) = r.next_event() {
        n += match ev {
            Event::Frame { raw, .. } => raw.len(),
            Event::Error { skipped, .. } => skipped.len(),
            Event::Truncated { rest, .. } => rest.len(),
        };
    }
    n
}

fn reader<B: meterwire_core::Storage>(storage: B, data: &[u8], cut: usize) -> usize {
    let mut r = FrameReader::new(Toy, storage).with_max_len(200);
    let (a, b) = data.split_at(cut.min(data.len()));
    let mut n = 0;
    for mut part in [a, b] {
        // a full buffer accepts what fits: pull events, then push the rest
        while let Err(e) = r.push(part) {
            part = &part[e.accepted..];
            let pulled = drain(&mut r);
            n += pulled;
            assert!(e.accepted > 0 || pulled > 0, "FrameReader stalled on a full buffer");
        }
        n += drain(&mut r);
        let _ = (r.buffered().len(), r.offset(), r.framer());
        let _ = r.framer_mut();
    }
    r.finish();
    n + drain(&mut r)
}

const KINDS: [DiagnosticKind; 13] = [
    DiagnosticKind::TrailingBytes,
    DiagnosticKind::NonZeroProtocolId,
    DiagnosticKind::OutOfRange,
    DiagnosticKind::ReservedCode,
    DiagnosticKind::VendorQuirk,
    DiagnosticKind::Unreassembled,
    DiagnosticKind::NotDecrypted,
    DiagnosticKind::NotVerified,
    DiagnosticKind::UnexpectedPayload,
    DiagnosticKind::NotMapped,
    DiagnosticKind::Placeholder,
    DiagnosticKind::Noise,
    DiagnosticKind::Unrecognized,
];

pub fn run(data: &[u8]) {
    let Some((sel, strict, rest)) = meterwire_testkit::fuzz_selector(data) else {
        return;
    };
    if let Some(d) = Decimal::parse_bytes(rest) {
        let _ = (d.scaled(sel as i8), d.to_f64(), d.to_i64(), d.normalized());
        assert_eq!(Decimal::parse(&d.to_string()), Some(d), "{d:?}");
        assert_eq!(d, Decimal::new(d.mantissa, d.exponent));
        let _ = d == Decimal::from_int(i64::from(sel));
    }
    if let Ok(o) = Obis::parse_bytes(rest) {
        let full = format!("{o:#}");
        assert_eq!(full.parse::<Obis>(), Ok(o), "{o:?}");
        let _ = (
            o.to_string(),
            o.name(),
            o.without_f(),
            o.is_reduced(),
            o.a(),
            o.b(),
            o.c(),
            o.d(),
            o.e(),
            o.f(),
        );
        let r = Reading::new(
            o,
            Value::Number(Decimal::from_int(i64::from(sel))),
            Some(Unit(sel)),
        );
        let _ = (r.name(), r.value.to_string());
    }
    if let Some(o) = rest.get(..6).and_then(Obis::from_bytes) {
        let _ = (
            o.name(),
            Obis::new(o.a(), o.b(), o.c(), o.d(), o.e(), sel).to_string(),
        );
    }
    let u = Unit(sel);
    let _ = (u.symbol(), u.quantity());
    if let Ok(s) = core::str::from_utf8(rest) {
        if let Some((unit, exp)) = Unit::from_symbol(s) {
            let _ = (unit.symbol(), exp);
        }
        let _ = Decimal::parse(s);
        let _ = s.parse::<Obis>();
    }
    let mut diags: Diagnostics<4> = Diagnostics::new();
    for (i, &b) in rest.iter().take(8).enumerate() {
        let kind = KINDS[usize::from(b) % KINDS.len()];
        let d = if b & 0x80 != 0 {
            Diagnostic::with_value(kind, "field", "message", u64::from(b))
        } else {
            Diagnostic::new(kind, "field", "message")
        };
        let _ = (
            kind.as_str(),
            d.message_display().to_string(),
            d.to_string(),
        );
        if i % 2 == 0 {
            diags.push(d);
        } else {
            diags.extend([d]);
        }
    }
    // the list keeps the first 4 and counts the rest
    let pushed = rest.len().min(8);
    assert_eq!(diags.len(), pushed.min(4));
    assert_eq!(diags.overflowed(), pushed - diags.len());
    assert_eq!(diags.is_empty(), pushed == 0);
    assert_eq!(diags.iter().count(), diags.len());
    assert_eq!(diags.first(), diags.iter().next());
    let _ = strict.check(&diags);
    let mut c = Cursor::new(rest);
    if let Ok(n) = ber::read_length(&mut c) {
        let (bytes, len) = ber::length_bytes(n).unwrap();
        assert_eq!(len, ber::length_len(n));
        let mut c2 = Cursor::new(&bytes[..len]);
        assert_eq!(ber::read_length(&mut c2).unwrap(), n);
        let _ = ber::tlv_len(n);
    }
    let mut out = [0u8; 64];
    let _ = hex::decode_hex_into(rest, &mut out);
    let _ = (Hex(rest).to_string(), format!("{:X}", Hex(rest)));
    let cut = usize::from(sel);
    let whole = rest.len();
    assert_eq!(reader(Vec::new(), rest, cut), whole);
    let _ = reader([0u8; 64], rest, cut);
    let mut buf = [0u8; 300];
    let _ = reader(&mut buf[..], rest, cut);
    if let Ok(d) = Toy.decode(rest) {
        let _ = d.frame();
    }
    let _ = Toy.resync(rest);
}

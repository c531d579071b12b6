//! Read a P1 serial stream (here: public golden telegrams back to back, with the
//! encrypted Smarty frame of the meterwire tests) and print every telegram's readings:
//! OBIS code, name, exact value in the DLMS base unit, unit, and the power-failure log.
//!
//! * ndokter/dsmr_parser test/example_telegrams.py TELEGRAM_V4_2 and TELEGRAM_FLUVIUS_V171;
//! * an encrypted P1 frame (EK AA..AA, public Smarty AK) around TELEGRAM_SAGEMCOM_T210_D_R,
//!   built as dsmr_parser's test_parse_sagemcom_t210_d_r.py does.
//!
//! Run: `cargo run -p meterwire-examples --example p1_readings`
use meterwire_core::{Event, Frames};
use meterwire_iec62056_21::p1::{P1Framer, Telegram};
use meterwire_iec62056_21::smarty::{EncryptedTelegram, Keys};

fn print(t: &Telegram<'_>) {
    println!(
        "telegram from {} ({}), time {}",
        t.header().manufacturer(),
        t.header().identification(),
        t.time().map_or("?".into(), |d| d.to_string())
    );
    let mut text = [0u8; 1024];
    for r in t.readings(&mut text) {
        let unit = r.unit.map_or(String::new(), |u| u.to_string());
        println!(
            "  {:<12} {:<45} {} {unit}",
            r.obis.to_string(),
            r.name().unwrap_or("-"),
            r.value
        );
    }
    for l in t.lines() {
        for e in l.events() {
            println!("  power failure ended {} lasting {} s", e.end, e.duration);
        }
    }
    for d in t.diagnostics() {
        println!("  diagnostic: {d}");
    }
}

fn main() {
    let mut stream = Vec::new();
    stream.extend_from_slice(include_bytes!(
        "../../iec62056-21/tests/data/dsmr_parser/TELEGRAM_V4_2.txt"
    ));
    stream.extend_from_slice(include_bytes!(
        "../../iec62056-21/tests/data/dsmr_parser/TELEGRAM_FLUVIUS_V171.txt"
    ));
    for ev in Frames::new(P1Framer::new(), &stream) {
        match ev {
            Event::Frame { frame, .. } => print(&frame),
            Event::Error { error, .. } => println!("rejected: {error}"),
            Event::Truncated { .. } => println!("stream ended inside a telegram"),
        }
    }
    let hex = include_str!("../../iec62056-21/tests/data/encrypted/t210_public_ak.hex").trim();
    let frame: Vec<u8> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    let enc = EncryptedTelegram::parse(&frame).expect("an encrypted P1 frame");
    let mut plain = [0u8; 1024];
    match enc.telegram(&Keys::new([0xAA; 16]), &mut plain) {
        Ok(t) => print(&t),
        Err(e) => println!("encrypted frame rejected: {e}"),
    }
}

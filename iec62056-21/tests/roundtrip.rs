//! Writers against the parsers: random telegrams and encrypted frames roundtrip; the
//! encrypted writer reproduces the frame built with Python `cryptography` byte for byte.

use meterwire_core::{Decimal, Unit, Value};
use meterwire_iec62056_21::p1::{Telegram, TelegramWriter};
use meterwire_iec62056_21::smarty::{EncryptedTelegram, Keys, encrypt_into};
use proptest::prelude::*;

/// oracle/gen_encrypted.py `t210_dsmr_parser_keys` (checked there by dsmr_parser).
#[test]
fn encrypt_matches_python() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let want = meterwire_testkit::hex(
        &std::fs::read_to_string(format!(
            "{dir}/tests/data/encrypted/t210_dsmr_parser_keys.hex"
        ))
        .unwrap(),
    );
    let plain = std::fs::read(format!(
        "{dir}/tests/data/dsmr_parser/TELEGRAM_SAGEMCOM_T210_D_R.txt"
    ))
    .unwrap();
    let keys = Keys::new([0xAA; 16]).with_ak([0xBB; 16]);
    let mut out = vec![0u8; 1024];
    let n = encrypt_into(&keys, *b"SYSTEMID", 0x1000_0001, &plain, &mut out).unwrap();
    assert_eq!(&out[..n], &want[..]);
    assert!(encrypt_into(&keys, *b"SYSTEMID", 1, &plain, &mut [0u8; 100]).is_err());
}

#[test]
fn writer_refuses_bad_text() {
    let mut out = [0u8; 128];
    assert!(TelegramWriter::new(&mut out, "AB").is_err());
    let mut w = TelegramWriter::new(&mut out, "XMX5LGBBFG").unwrap();
    assert!(w.line("1-0:1.8.1", &["1(2"]).is_err());
    assert!(w.line("1-0:1.8.1", &[]).is_err());
    w.line("1-0:1.8.1", &["000001.000*kWh"]).unwrap();
    let n = w.finish().unwrap();
    let t = Telegram::parser().strict().parse(&out[..n]).unwrap();
    assert_eq!(
        t.lines().next().unwrap().value(),
        (Value::Number(Decimal::new(1000, 0)), Some(Unit::WATT_HOUR))
    );
}

include!("fuzz_bodies/p1_units.rs");

proptest! {
    /// Plain value lines (C not 24, 42, 96, 98, 99: those are the structured and text
    /// lines, covered by the golden tests).
    #[test]
    fn telegrams_roundtrip(
        lines in proptest::collection::vec(((1u8..96).prop_map(|c| if c == 24 || c == 42 { c + 1 } else { c }), 0u8..10, 0u8..3, 0u64..10_000_000, 0u8..4, 0usize..6), 1..30),
        crc in any::<bool>(),
    ) {
        let texts: Vec<(String, String)> = lines
            .iter()
            .map(|(c, d, e, v, dec, u)| {
                let value = if *dec == 0 { format!("{v}") } else {
                    let s = format!("{v:0>w$}", w = usize::from(*dec) + 1);
                    format!("{}.{}", &s[..s.len() - usize::from(*dec)], &s[s.len() - usize::from(*dec)..])
                };
                (format!("1-0:{c}.{d}.{e}"), format!("{value}*{}", UNITS[*u].0))
            })
            .collect();
        let mut out = vec![0u8; 8192];
        let mut w = TelegramWriter::new(&mut out, "ISk5\\2MT382-1000").unwrap();
        for (a, g) in &texts {
            w.line(a, &[g.as_str()]).unwrap();
        }
        let n = if crc { w.finish().unwrap() } else { w.finish_without_crc().unwrap() };
        let t = Telegram::parser().strict().parse(&out[..n]).unwrap();
        prop_assert_eq!(t.lines().count(), lines.len());
        for (l, (c, d, e, v, dec, u)) in t.lines().zip(&lines) {
            prop_assert_eq!(l.obis().unwrap().bytes(), [1, 0, *c, *d, *e, 255]);
            let (_, unit, exp) = UNITS[*u];
            let want = Decimal::new(*v as i64, -(*dec as i8)).scaled(exp).unwrap();
            prop_assert_eq!(l.value(), (Value::Number(want), Some(unit)));
        }
        // and the same telegram encrypted
        let keys = Keys::new([7; 16]);
        let mut enc = vec![0u8; n + 64];
        let m = encrypt_into(&keys, *b"SAG12345", 42, &out[..n], &mut enc).unwrap();
        let e = EncryptedTelegram::parse(&enc[..m]).unwrap();
        let mut plain = vec![0u8; n];
        prop_assert_eq!(e.decrypt_into(&keys, &mut plain).unwrap(), &out[..n]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(t) = Telegram::parser().skip_crc().parse(&b) {
            let mut buf = [0u8; 64];
            let _ = t.readings(&mut buf).count();
            let _ = t.diagnostics().count();
        }
        let _ = EncryptedTelegram::parse(&b);
    }
}

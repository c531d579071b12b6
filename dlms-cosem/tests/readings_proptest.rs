//! Property tests of readings: OBIS text <-> bytes, exact decimal text, the
//! generic walk over generated self-describing pushes, and no panic on
//! arbitrary A-XDR.

use meterwire_core::{Decimal, Obis, Unit, Value};
use meterwire_dlms_cosem::axdr::Data;
use meterwire_dlms_cosem::readings::{Mapping, Push, layout};
use proptest::prelude::*;

include!("fuzz_bodies/dlms_readings.rs");

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Every 6-byte logical name prints and parses back to the same bytes, in
    /// the short form (`1-0:1.8.0`, `*F` only when F != 255, reduced when A = B = 255)
    /// and the full form (`{:#}`, `A-B:C.D.E*F`).
    #[test]
    fn obis_text_roundtrip(b in any::<[u8; 6]>()) {
        let o = Obis::from_bytes(&b).unwrap();
        prop_assert_eq!(o.to_string().parse::<Obis>(), Ok(o));
        prop_assert_eq!(format!("{o:#}").parse::<Obis>(), Ok(o));
        prop_assert_eq!(Obis::parse_bytes(format!("{o:#}").as_bytes()).unwrap().bytes(), b);
    }

    /// Decimal text is exact: it parses back to the same value (numeric
    /// equality), unless it has more digits than an i64 holds.
    #[test]
    fn decimal_text_roundtrip(m in any::<i64>(), e in -25i8..=6) {
        let d = Decimal::new(m, e);
        let s = d.to_string();
        prop_assert!(!s.contains('e') && !s.contains('E'));
        match Decimal::parse(&s) {
            Some(p) => prop_assert_eq!(p, d),
            None => {
                let digits = s.trim_start_matches('-').trim_start_matches(['0', '.']).chars().filter(char::is_ascii_digit).count();
                prop_assert!(digits >= 19, "{} did not parse", s);
            }
        }
        // the f64 convenience is the nearest double of the exact text
        if let Ok(f) = s.parse::<f64>() {
            let g = d.to_f64();
            prop_assert!((f - g).abs() <= f.abs() * 1e-12, "{} vs {}", f, g);
        }
    }

    /// A generated self-describing push (structures {OBIS, double-long, scaler_unit},
    /// optionally flattened into one alternation) reads back exactly.
    #[test]
    fn generated_pushes_read_back(
        regs in prop::collection::vec((0u8..=9, any::<[u8; 5]>(), any::<i32>(), -9i8..=9, 1u8..=80, any::<bool>()), 1..20),
        flat in any::<bool>(),
    ) {
        let mut body = Vec::new();
        if flat {
            body.push(0x02);
        } else {
            body.push(0x01);
        }
        let n: usize = if flat { regs.iter().map(|r| if r.5 { 3 } else { 2 }).sum() } else { regs.len() };
        prop_assume!(n < 128);
        // a push setup's logical name (0-x:25.9.0) is a list identifier, not a register
        prop_assume!(!regs.iter().any(|r| r.0 == 0 && r.1[1] == 25 && r.1[2] == 9));
        body.push(n as u8);
        for (a, rest, v, sc, u, with_su) in &regs {
            if !flat {
                body.extend([0x02, if *with_su { 3 } else { 2 }]);
            }
            body.extend([0x09, 0x06, *a]);
            body.extend(rest);
            body.push(0x05);
            body.extend(v.to_be_bytes());
            if *with_su {
                body.extend([0x02, 0x02, 0x0F, *sc as u8, 0x16, *u]);
            }
        }
        let mut apdu = vec![0x0F, 0, 0, 0, 1, 0];
        apdu.extend(&body);
        let p = Push::parse(&apdu).unwrap();
        prop_assert_eq!(p.mapping(), Mapping::SelfDescribing);
        let mut got = Vec::new();
        p.for_each(|r| got.push(r));
        prop_assert_eq!(got.len(), regs.len());
        for ((a, rest, v, sc, u, with_su), r) in regs.iter().zip(&got) {
            let mut b = vec![*a];
            b.extend(rest);
            prop_assert_eq!(r.obis.bytes().to_vec(), b);
            let scaler = if *with_su { *sc } else { 0 };
            prop_assert_eq!(r.value, Value::Number(Decimal::new(i64::from(*v), scaler)));
            prop_assert_eq!(r.unit, with_su.then_some(Unit(*u)));
        }
    }

    /// Arbitrary bytes, and arbitrary bytes behind a data-notification header,
    /// never panic through any mapping.
    #[test]
    fn arbitrary_axdr_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        run(&bytes);
        let mut apdu = vec![0x0F, 0x40, 0, 0, 0, 0x00];
        apdu.extend(&bytes);
        run(&apdu);
        if let Ok((d, _)) = Data::parse_prefix(&bytes) {
            let p = Push::from_data(d).with_layout(&layout::KAMSTRUP_V0001);
            let _ = p.for_each(|_| {});
        }
    }
}

//! Names of well-known OBIS codes.
//!
//! Sources (facts, names written here): IEC 62056-6-1 value group C/D tables
//! (electricity quantities C = 1..=82, abstract objects C = 96..=99), the DSMR
//! 5.0.2 P1 companion standard §6.12 object list (as listed in
//! ndokter/dsmr_parser `obis_references.py`), the Fluvius e-MUCS P1 list
//! (capacity tariff `1.4.0`, `1.6.0`, `98.1.0`) and EN 13757-3 M-Bus channel
//! objects (`0-n:24.x`).
//!
//! Lookup ignores group B (the channel) and group F (the historical value);
//! electricity codes (A = 1) match for any B so that `1-1:1.8.1` (Swiss channel 1
//! layout) is named like `1-0:1.8.1`.

use crate::Obis;

/// (A, C, D, E or 255 for "any tariff", name)
const TABLE: &[(u8, u8, u8, u8, &str)] = &[
    // electricity energy registers (C = 1..4 import/export active/reactive, D = 8 time integral 1)
    (1, 1, 8, 0, "active energy import (+A), total"),
    (1, 1, 8, 1, "active energy import (+A), tariff 1"),
    (1, 1, 8, 2, "active energy import (+A), tariff 2"),
    (1, 1, 8, 3, "active energy import (+A), tariff 3"),
    (1, 1, 8, 4, "active energy import (+A), tariff 4"),
    (1, 2, 8, 0, "active energy export (-A), total"),
    (1, 2, 8, 1, "active energy export (-A), tariff 1"),
    (1, 2, 8, 2, "active energy export (-A), tariff 2"),
    (1, 2, 8, 3, "active energy export (-A), tariff 3"),
    (1, 2, 8, 4, "active energy export (-A), tariff 4"),
    (1, 3, 8, 0, "reactive energy import (+R), total"),
    (1, 4, 8, 0, "reactive energy export (-R), total"),
    (1, 5, 8, 0, "reactive energy QI, total"),
    (1, 6, 8, 0, "reactive energy QII, total"),
    (1, 7, 8, 0, "reactive energy QIII, total"),
    (1, 8, 8, 0, "reactive energy QIV, total"),
    (1, 9, 8, 0, "apparent energy import (+S), total"),
    (1, 10, 8, 0, "apparent energy export (-S), total"),
    (1, 15, 8, 0, "absolute active energy (|+A|+|-A|), total"),
    (1, 16, 8, 0, "sum active energy (+A - -A), total"),
    // instantaneous values (D = 7)
    (1, 1, 7, 0, "active power import (+P)"),
    (1, 2, 7, 0, "active power export (-P)"),
    (1, 3, 7, 0, "reactive power import (+Q)"),
    (1, 4, 7, 0, "reactive power export (-Q)"),
    (1, 9, 7, 0, "apparent power import (+S)"),
    (1, 10, 7, 0, "apparent power export (-S)"),
    (1, 13, 7, 0, "power factor"),
    (1, 14, 7, 0, "supply frequency"),
    (1, 15, 7, 0, "absolute active power"),
    (1, 16, 7, 0, "sum active power"),
    (1, 21, 7, 0, "active power import L1"),
    (1, 22, 7, 0, "active power export L1"),
    (1, 23, 7, 0, "reactive power import L1"),
    (1, 24, 7, 0, "reactive power export L1"),
    (1, 31, 7, 0, "current L1"),
    (1, 32, 7, 0, "voltage L1"),
    (1, 33, 7, 0, "power factor L1"),
    (1, 41, 7, 0, "active power import L2"),
    (1, 42, 7, 0, "active power export L2"),
    (1, 43, 7, 0, "reactive power import L2"),
    (1, 44, 7, 0, "reactive power export L2"),
    (1, 51, 7, 0, "current L2"),
    (1, 52, 7, 0, "voltage L2"),
    (1, 53, 7, 0, "power factor L2"),
    (1, 61, 7, 0, "active power import L3"),
    (1, 62, 7, 0, "active power export L3"),
    (1, 63, 7, 0, "reactive power import L3"),
    (1, 64, 7, 0, "reactive power export L3"),
    (1, 71, 7, 0, "current L3"),
    (1, 72, 7, 0, "voltage L3"),
    (1, 73, 7, 0, "power factor L3"),
    (1, 91, 7, 0, "current neutral"),
    (1, 90, 7, 0, "current sum of phases"),
    // demand (D = 4 current average, D = 6 maximum)
    (1, 1, 4, 0, "active power import, current average demand"),
    (1, 2, 4, 0, "active power export, current average demand"),
    (1, 1, 6, 0, "active power import, maximum demand"),
    (1, 2, 6, 0, "active power export, maximum demand"),
    // quality (D = 32 sags, 36 swells)
    (1, 32, 32, 0, "voltage sags L1 (count)"),
    (1, 52, 32, 0, "voltage sags L2 (count)"),
    (1, 72, 32, 0, "voltage sags L3 (count)"),
    (1, 32, 36, 0, "voltage swells L1 (count)"),
    (1, 52, 36, 0, "voltage swells L2 (count)"),
    (1, 72, 36, 0, "voltage swells L3 (count)"),
    (1, 31, 4, 0, "current threshold (fuse) L1"),
    (1, 99, 97, 0, "power failure event log"),
    (1, 0, 2, 8, "p1 output version"),
    (1, 0, 2, 0, "firmware version"),
    (1, 0, 0, 0, "meter serial number"),
    // abstract objects (A = 0)
    (0, 1, 0, 0, "clock, telegram time"),
    (0, 96, 1, 0, "equipment identifier"),
    (0, 96, 1, 1, "equipment identifier"),
    (0, 96, 1, 2, "equipment identifier (secondary)"),
    (0, 96, 1, 4, "p1 version (e-mucs)"),
    (0, 96, 3, 10, "breaker / valve state"),
    (0, 96, 7, 9, "long power failures in any phase (count)"),
    (0, 96, 7, 19, "power failure event log"),
    (0, 96, 7, 21, "power failures in any phase (count)"),
    (0, 96, 13, 0, "text message"),
    (0, 96, 13, 1, "text message code"),
    (0, 96, 14, 0, "tariff indicator"),
    (0, 17, 0, 0, "limiter threshold"),
    (0, 42, 0, 0, "logical device name"),
    (0, 98, 1, 0, "monthly billing values"),
    (0, 24, 1, 0, "m-bus device type"),
    (0, 24, 2, 1, "m-bus last reading (temperature corrected)"),
    (
        0,
        24,
        2,
        3,
        "m-bus last reading (not temperature corrected)",
    ),
    (0, 24, 3, 0, "m-bus reading profile (dsmr 2.2/3)"),
    (0, 24, 4, 0, "m-bus valve position"),
    (0, 25, 9, 0, "push setup"),
    // gas (A = 7), water (A = 8/9), heat (A = 6)
    (7, 3, 0, 0, "gas volume, unconverted, total"),
    (7, 3, 1, 0, "gas volume, unconverted, total"),
    (7, 13, 0, 0, "gas volume, converted, total"),
    (8, 1, 0, 0, "cold water volume, total"),
    (9, 1, 0, 0, "hot water volume, total"),
    (6, 8, 0, 0, "heat energy, total"),
    (6, 26, 0, 0, "heat volume, total"),
];

/// The name of a well-known OBIS code, `None` otherwise.
pub fn name(o: Obis) -> Option<&'static str> {
    let a = if o.is_reduced() { 1 } else { o.a() };
    TABLE
        .iter()
        .find(|(ta, c, d, e, _)| *ta == a && *c == o.c() && *d == o.d() && *e == o.e())
        .or_else(|| {
            // reduced IEC 62056-21 codes (`C.1.0`, `96.1.1`) may be abstract objects
            if o.is_reduced() {
                TABLE
                    .iter()
                    .find(|(ta, c, d, e, _)| *ta == 0 && *c == o.c() && *d == o.d() && *e == o.e())
            } else {
                None
            }
        })
        .map(|t| t.4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            name(Obis::new(1, 0, 1, 8, 1, 255)),
            Some("active energy import (+A), tariff 1")
        );
        assert_eq!(
            name(Obis::new(1, 1, 1, 8, 1, 255)),
            Some("active energy import (+A), tariff 1")
        );
        assert_eq!(
            name(Obis::new(0, 1, 24, 2, 1, 255)),
            Some("m-bus last reading (temperature corrected)")
        );
        assert_eq!(name(Obis::new(1, 0, 32, 7, 0, 255)), Some("voltage L1"));
        assert_eq!(name("C.1.0".parse().unwrap()), Some("equipment identifier"));
        assert_eq!(
            name("96.1.1".parse().unwrap()),
            Some("equipment identifier")
        );
        assert_eq!(name(Obis::new(1, 0, 200, 8, 0, 255)), None);
    }
}

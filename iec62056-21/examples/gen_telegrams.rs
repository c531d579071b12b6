//! Generates random DSMR 5 telegrams (CRC included) and prints, per telegram, one
//! JSON line with the telegram text and what meterwire reads from it; `ci.sh` feeds
//! them to dsmr_parser (oracle/differential.py) and compares every value.
//! Usage: cargo run -p meterwire-iec62056-21 --example gen_telegrams -- N [SEED]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use meterwire_iec62056_21::crc::crc16_arc;
use meterwire_iec62056_21::p1::Telegram;
use meterwire_testkit::rng::XorShift as Rng;

fn telegram(r: &mut Rng) -> String {
    let tst = |r: &mut Rng| {
        format!(
            "{:02}{:02}{:02}{:02}{:02}{:02}{}",
            r.below(30) + 10,
            r.below(12) + 1,
            r.below(28) + 1,
            r.below(24),
            r.below(60),
            r.below(60),
            if r.below(2) == 0 { 'S' } else { 'W' }
        )
    };
    let mut t = String::from("/ISk5\\2MT382-1000\r\n\r\n1-3:0.2.8(50)\r\n");
    t += &format!("0-0:1.0.0({})\r\n", tst(r));
    t += "0-0:96.1.1(4B384547303034303436333935353037)\r\n";
    for o in ["1.8.1", "1.8.2", "2.8.1", "2.8.2"] {
        t += &format!(
            "1-0:{o}({:06}.{:03}*kWh)\r\n",
            r.below(1_000_000),
            r.below(1000)
        );
    }
    t += &format!("0-0:96.14.0({:04})\r\n", r.below(2) + 1);
    for o in [
        "1.7.0", "2.7.0", "21.7.0", "41.7.0", "61.7.0", "22.7.0", "42.7.0", "62.7.0",
    ] {
        t += &format!("1-0:{o}({:02}.{:03}*kW)\r\n", r.below(100), r.below(1000));
    }
    t += &format!(
        "0-0:96.7.21({:05})\r\n0-0:96.7.9({:05})\r\n",
        r.below(99999),
        r.below(99999)
    );
    let n = r.below(4);
    t += &format!("1-0:99.97.0({n})(0-0:96.7.19)");
    for _ in 0..n {
        t += &format!("({})({:010}*s)", tst(r), r.below(4_000_000_000));
    }
    t += "\r\n";
    for o in [
        "32.32.0", "52.32.0", "72.32.0", "32.36.0", "52.36.0", "72.36.0",
    ] {
        t += &format!("1-0:{o}({:05})\r\n", r.below(100));
    }
    t += "0-0:96.13.0()\r\n";
    for o in ["32.7.0", "52.7.0", "72.7.0"] {
        t += &format!("1-0:{o}({:03}.{}*V)\r\n", 200 + r.below(50), r.below(10));
    }
    for o in ["31.7.0", "51.7.0", "71.7.0"] {
        t += &format!("1-0:{o}({:03}*A)\r\n", r.below(100));
    }
    t += "0-1:24.1.0(003)\r\n0-1:96.1.0(3232323241424344313233343536373839)\r\n";
    t += &format!(
        "0-1:24.2.1({})({:05}.{:03}*m3)\r\n!",
        tst(r),
        r.below(100_000),
        r.below(1000)
    );
    let crc = crc16_arc(t.as_bytes());
    t += &format!("{crc:04X}\r\n");
    t
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(100, |s| s.parse().unwrap());
    let seed: u64 = args.get(2).map_or(0x5eed_1234, |s| s.parse().unwrap());
    let mut r = Rng(seed | 1);
    for _ in 0..n {
        let t = telegram(&mut r);
        let parsed = Telegram::parse(t.as_bytes()).unwrap();
        let mut m = serde_json::Map::new();
        for l in parsed.lines() {
            let rd = l.reading().unwrap();
            m.insert(
                l.address().to_string(),
                serde_json::json!([rd.value.to_string(), rd.unit.map(|u| u.to_string())]),
            );
        }
        println!("{}", serde_json::json!({"telegram": t, "meterwire": m}));
    }
}

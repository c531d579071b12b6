//! Writes proptest-generated Modbus frames (TCP, RTU, ASCII; requests and
//! responses of every function code) as JSON lines for the pymodbus differential
//! check in `modbus/ci.sh`: `{"framing", "direction", "hex", "frame": <meterwire JSON>}`.
//!
//! `cargo run -p meterwire-modbus --example gen_frames -- [COUNT] [SEED]`
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    missing_docs
)]

#[path = "../tests/common/strategies.rs"]
mod strategies;

use meterwire_core::Encode;
use meterwire_modbus::{AsciiFrame, RtuFrame, TcpFrame};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(3000, |s| s.parse().expect("COUNT"));
    let seed: u64 = args
        .next()
        .map_or(0x6d62_7573, |s| s.parse().expect("SEED"));
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = strategies::pdu();
    let out = std::io::stdout();
    let mut out = out.lock();
    for i in 0..count {
        let pdu = strategy.new_tree(&mut runner).expect("strategy").current();
        let direction = pdu.direction().as_str();
        let (framing, bytes, json) = match i % 3 {
            0 => {
                let f = TcpFrame::new((i & 0xFFFF) as u16, (i % 251) as u8, pdu);
                (
                    "tcp",
                    f.encode_to_vec().unwrap(),
                    serde_json::to_value(&f).unwrap(),
                )
            }
            1 => {
                let f = RtuFrame::new(1 + (i % 247) as u8, pdu);
                (
                    "rtu",
                    f.encode_to_vec().unwrap(),
                    serde_json::to_value(&f).unwrap(),
                )
            }
            _ => {
                let f = AsciiFrame::new(1 + (i % 247) as u8, pdu);
                (
                    "ascii",
                    f.encode_to_vec().unwrap(),
                    serde_json::to_value(&f).unwrap(),
                )
            }
        };
        let line = serde_json::json!({
            "framing": framing,
            "direction": direction,
            "hex": hex::encode(&bytes),
            "frame": json,
        });
        writeln!(out, "{line}").unwrap();
    }
}

#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! Every golden stream fed at every split point and byte by byte gives the same frames
//! as the whole slice (meterwire_core::FrameReader / Frames).

#![cfg(feature = "serde")]

mod common;
use common::*;
use meterwire_ansi_c1222::c1218::PacketFramer;
use meterwire_ansi_c1222::c1222::ApduFramer;
use meterwire_testkit::{Ev, assert_streaming};

fn check<F: meterwire_core::Framer + Clone>(f: F, s: &[u8], frames: usize) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    let r = assert_streaming(f, s);
    assert_eq!(
        r.iter().filter(|e| matches!(e, Ev::Frame(..))).count(),
        frames,
        "{r:?}"
    );
    r
}

fn c1218_stream() -> Vec<u8> {
    let text = std::fs::read_to_string("tests/oracle/c1218_termineter.jsonl").unwrap();
    let mut s = vec![];
    for line in text.lines().take(12) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        s.extend(hex(v["hex"].as_str().unwrap()));
        s.push(0x06);
    }
    s
}

#[test]
fn c1218_packets_and_acks_at_every_split() {
    let s = c1218_stream();
    check(PacketFramer::new(), &s, 24);
}

#[test]
fn c1218_with_garbage_and_truncated_tail() {
    let mut s = vec![0x42, 0x43];
    s.extend(c1218_stream());
    s.extend([0xee, 0x00, 0x00]); // a packet cut short at the end
    let r = check(PacketFramer::new(), &s, 24);
    assert!(matches!(r.first(), Some(Ev::Error(0, _))));
    assert!(matches!(r.last(), Some(Ev::Truncated(..))));
}

#[test]
fn c1222_tcp_stream_at_every_split() {
    let mut s = vec![];
    let mut n = 0;
    for (_, nn, _, c, mac) in EAX_VECTORS {
        s.extend(apdu_from_vector(&hex(nn), &hex(c), &hex(mac)));
        n += 1;
    }
    let text = std::fs::read_to_string("tests/oracle/c1222_inputs.jsonl").unwrap();
    for line in text.lines().take(20) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        s.extend(hex(v["hex"].as_str().unwrap()));
        n += 1;
    }
    check(ApduFramer::new(), &s, n);
}

#[test]
fn c1222_malformed_apdu_is_skipped_whole() {
    // a complete `60 len` frame whose content is not an APDU (an unknown element 0xA9,
    // skipped, and no user-information), followed by EAX' vector 1: the error drops
    // exactly the bad frame
    let bad = hex("6007a9050603600000");
    let (_, nn, _, c, mac) = EAX_VECTORS[0];
    let good = apdu_from_vector(&hex(nn), &hex(c), &hex(mac));
    let mut s = bad.clone();
    s.extend(&good);
    let r = check(ApduFramer::new(), &s, 1);
    assert_eq!(r[0], Ev::Error(0, bad.clone()));
    assert!(matches!(&r[1], Ev::Frame(o, raw, _) if *o == bad.len() as u64 && *raw == good));
}

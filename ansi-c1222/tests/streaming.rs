#![allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    missing_docs
)]
//! Every golden stream fed at every split point and byte by byte gives the same frames
//! as the whole slice (meterwire_core::FrameReader / Frames).

mod common;
use common::*;
use meterwire_ansi_c1222::c1218::PacketFramer;
use meterwire_ansi_c1222::c1222::ApduFramer;
use meterwire_core::{Event, FrameReader, Framer, Frames};

#[derive(Debug, PartialEq)]
enum Ev {
    F(u64, Vec<u8>),
    E(u64, Vec<u8>),
    T(u64, Vec<u8>),
}

fn push_ev<F: Framer>(out: &mut Vec<Ev>, ev: Event<'_, F>) {
    let ev = match ev {
        Event::Frame { offset, raw, .. } => Ev::F(offset, raw.to_vec()),
        Event::Error {
            offset, skipped, ..
        } => Ev::E(offset, skipped.to_vec()),
        Event::Truncated { offset, rest, .. } => Ev::T(offset, rest.to_vec()),
    };
    // merge contiguous error runs (how garbage is cut depends on what had arrived)
    if let (Some(Ev::E(o, prev)), Ev::E(o2, more)) = (out.last_mut(), &ev) {
        if *o + prev.len() as u64 == *o2 {
            prev.extend_from_slice(more);
            return;
        }
    }
    out.push(ev);
}

fn whole<F: Framer + Clone>(f: F, s: &[u8]) -> Vec<Ev> {
    let mut out = vec![];
    for ev in Frames::new(f, s) {
        push_ev::<F>(&mut out, ev);
    }
    out
}

fn chunked<F: Framer + Clone>(f: F, s: &[u8], cuts: &[usize]) -> Vec<Ev> {
    let mut r = FrameReader::new(f, Vec::new());
    let mut out = vec![];
    let mut prev = 0;
    for &c in cuts.iter().chain(std::iter::once(&s.len())) {
        r.push(&s[prev..c]).unwrap();
        prev = c;
        while let Some(ev) = r.next_event() {
            push_ev::<F>(&mut out, ev);
        }
    }
    r.finish();
    while let Some(ev) = r.next_event() {
        push_ev::<F>(&mut out, ev);
    }
    out
}

fn check<F: Framer + Clone>(f: F, s: &[u8], frames: usize) {
    let reference = whole(f.clone(), s);
    assert_eq!(
        reference.iter().filter(|e| matches!(e, Ev::F(..))).count(),
        frames,
        "{reference:?}"
    );
    for cut in 0..=s.len() {
        assert_eq!(chunked(f.clone(), s, &[cut]), reference, "split at {cut}");
    }
    let bytes: Vec<usize> = (1..s.len()).collect();
    assert_eq!(chunked(f, s, &bytes), reference, "byte by byte");
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
    let r = whole(PacketFramer::new(), &s);
    assert!(matches!(r.first(), Some(Ev::E(0, _))));
    assert!(matches!(r.last(), Some(Ev::T(..))));
    for cut in 0..=s.len() {
        assert_eq!(
            chunked(PacketFramer::new(), &s, &[cut]),
            r,
            "split at {cut}"
        );
    }
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
    // a complete `60 len` frame whose content is not an APDU (unknown element 0xA9),
    // followed by EAX' vector 1: the error drops exactly the bad frame
    let bad = hex("6007a9050603600000");
    let (_, nn, _, c, mac) = EAX_VECTORS[0];
    let good = apdu_from_vector(&hex(nn), &hex(c), &hex(mac));
    let mut s = bad.clone();
    s.extend(&good);
    let r = whole(ApduFramer::new(), &s);
    assert_eq!(
        r,
        vec![Ev::E(0, bad.clone()), Ev::F(bad.len() as u64, good.clone())]
    );
    for cut in 0..=s.len() {
        assert_eq!(chunked(ApduFramer::new(), &s, &[cut]), r, "split at {cut}");
    }
}

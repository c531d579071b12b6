//! `FrameReader` and `Frames` over the test kit's toy framer (`0xAA len payload`).

use meterwire_core::{Event, FrameReader, Needed, PushError};
use meterwire_testkit::{
    Ev, Toy, assert_spans_account, assert_streaming, frames_events, hex, run_chunks_in, spans,
};

const STREAM: &[u8] = &[
    0xAA, 2, 1, 2, 0x00, 0x01, 0xAA, 0, 0xAA, 3, 5, 6, 7, 0xAA, 5, 1,
];

/// The events of [`STREAM`]: frame payloads as JSON, contiguous error runs merged
/// (where a run of garbage is cut into error events depends on how much of it had
/// arrived).
fn expected() -> Vec<Ev> {
    vec![
        Ev::Frame(0, hex("aa 02 01 02"), "[1,2]".into()),
        Ev::Error(4, hex("00 01")),
        Ev::Frame(6, hex("aa 00"), "[]".into()),
        Ev::Frame(8, hex("aa 03 05 06 07"), "[5,6,7]".into()),
        Ev::Truncated(13, hex("aa 05 01")),
    ]
}

#[test]
fn every_split_point_and_byte_by_byte() {
    // whole, split at every point, byte by byte (growable buffer)
    assert_eq!(assert_streaming(Toy, STREAM), expected());
    // byte by byte through a fixed 8-byte buffer
    let bytes: Vec<&[u8]> = STREAM.chunks(1).collect();
    assert_eq!(run_chunks_in(Toy, [0u8; 8], &bytes), expected());
}

#[test]
fn frames_iterator_matches_reader() {
    assert_eq!(frames_events(Toy, STREAM), expected());
}

#[test]
fn fixed_buffer_full_is_reported() {
    let mut r = FrameReader::new(Toy, [0u8; 4]);
    assert_eq!(
        r.push(&[0xAA, 5, 1, 2, 3, 4]),
        Err(PushError { accepted: 4 })
    );
    assert_eq!(r.buffered(), &[0xAA, 5, 1, 2]);
    // the frame can never fit: it is dropped as truncated (up to the next
    // possible start) instead of stalling the reader with a full buffer
    match r.next_event() {
        Some(Event::Truncated {
            offset: 0,
            rest,
            needed,
        }) => {
            assert_eq!(rest, &[0xAA, 5, 1, 2]);
            assert_eq!(needed, Needed::Exact(3));
        }
        _ => panic!("expected a truncated event"),
    }
    assert!(r.buffered().is_empty());
    r.push(&[3, 4]).unwrap();
    assert!(matches!(
        r.next_event(),
        Some(Event::Error { offset: 4, .. })
    ));
}

#[test]
fn hostile_lengths_never_stall_or_grow_past_the_maximum() {
    // valid-looking headers announcing 255-byte frames through a 64-byte
    // buffer, then a real frame: memory stays at 64 bytes, every byte is in
    // exactly one event and the real frame is still found
    let mut stream = Vec::new();
    for _ in 0..2000 {
        stream.extend_from_slice(&[0xAA, 0xFF, 1, 2, 3]);
    }
    // (a frame right after the last header would be inside its announced
    // length: a length-prefixed framer cannot see it, so garbage first)
    stream.extend_from_slice(&[0u8; 32]);
    stream.extend_from_slice(&[0xAA, 1, 7]);
    let chunks: Vec<&[u8]> = stream.chunks(37).collect();
    for cap in [16usize, 64] {
        // `spans` asserts that the buffer never grows past `cap`
        let events = spans(Toy, &chunks, cap);
        assert_spans_account(&events, stream.len());
        let frames: Vec<_> = events.iter().filter(|(kind, ..)| *kind == 'F').collect();
        // the one frame is the real one (payload [7])
        assert_eq!(frames, [&('F', stream.len() as u64 - 3, vec![0xAA, 1, 7])]);
    }
}

#[test]
fn growable_buffer_respects_max_len() {
    let mut r = FrameReader::new(Toy, Vec::new()).with_max_len(3);
    assert_eq!(r.push(&[0xAA, 5, 1, 2]), Err(PushError { accepted: 3 }));
}

//! Issue 18: streaming equivalence and byte accounting for the link framer and the
//! stack over random streams (valid frames, multi-frame fragments, junk, corruption),
//! and bounded reassembly memory under hostile streams.

use meterwire_core::{Decoded, Framer};
use meterwire_dnp3_lite::link::{LinkFramer, frame_len};
use meterwire_dnp3_lite::{Dnp3Framer, Encode, LinkFrameRepr, LinkHeader};
use meterwire_testkit::{assert_byte_accounting, assert_streaming, run_chunks};
use proptest::prelude::*;

/// One piece of a random stream.
#[derive(Debug, Clone)]
enum Piece {
    /// A valid link frame: control byte, transport byte, payload length.
    Frame(u8, u8, usize),
    /// Junk bytes (often starting like a frame).
    Junk(Vec<u8>),
    /// A valid frame with one byte flipped.
    Corrupt(u8, usize, usize),
}

fn frame(control: u8, th: u8, len: usize, salt: usize) -> Vec<u8> {
    let mut ud = vec![th];
    ud.extend((0..len).map(|i| (i * 31 + salt) as u8));
    let repr = LinkFrameRepr {
        header: LinkHeader::from_control(control, 10, 1),
        user_data: &ud,
    };
    repr.encode_to_vec().unwrap()
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => (prop_oneof![Just(0x44u8), Just(0xc4), Just(0x43), Just(0xc2), Just(0x45), Just(0x0b)],
              any::<u8>(), 0usize..260)
            .prop_map(|(c, t, l)| Piece::Frame(c, t, l.min(249))),
        1 => proptest::collection::vec(any::<u8>(), 0..20).prop_map(|mut v| {
            if v.len() > 2 { v[0] = 0x05; v[1] = 0x64; }
            Piece::Junk(v)
        }),
        1 => (any::<u8>(), 0usize..40, any::<usize>()).prop_map(|(t, l, at)| Piece::Corrupt(t, l, at)),
    ]
}

fn stream(pieces: &[Piece]) -> Vec<u8> {
    let mut out = vec![];
    for (i, p) in pieces.iter().enumerate() {
        match p {
            Piece::Frame(c, t, l) => out.extend(frame(*c, *t, *l, i)),
            Piece::Junk(v) => out.extend(v),
            Piece::Corrupt(t, l, at) => {
                let mut f = frame(0x44, *t, *l, i);
                let at = at % f.len();
                f[at] ^= 0x5a;
                out.extend(f);
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whole, every split, byte by byte: the same frames and errors; every byte in
    /// exactly one frame, one error's skipped range or the remainder.
    #[test]
    fn link_framer_streaming_equivalence(pieces in proptest::collection::vec(piece(), 0..5)) {
        let s = stream(&pieces);
        assert_streaming(LinkFramer::new(), &s);
        assert_streaming(LinkFramer::new().strict(), &s);
    }

    #[test]
    fn stack_streaming_equivalence(pieces in proptest::collection::vec(piece(), 0..5)) {
        let s = stream(&pieces);
        assert_streaming(Dnp3Framer::new().max_fragment(600), &s);
        assert_streaming(Dnp3Framer::new().strict(), &s);
    }

    /// Random bytes: byte accounting over arbitrary (mostly invalid) input.
    #[test]
    fn stack_byte_accounting_random(data in proptest::collection::vec(any::<u8>(), 0..2000),
                                    cut in any::<usize>()) {
        let cut = cut % (data.len() + 1);
        let ev = run_chunks(Dnp3Framer::new(), &[&data[..cut], &data[cut..]]);
        assert_byte_accounting(&ev, data.len());
        prop_assert_eq!(ev, run_chunks(Dnp3Framer::new(), &[&data]));
    }
}

/// Drives `framer` over `data`, asserting after every frame that the reassembly
/// buffers stay within twice the bound and every fragment within the bound.
fn drive(framer: &mut Dnp3Framer, data: &[u8]) -> (usize, usize, usize) {
    let limit = framer.fragment_limit();
    let (mut frames, mut errors, mut fragments) = (0, 0, 0);
    let mut rest = data;
    while !rest.is_empty() {
        match framer.decode(rest) {
            Ok(Decoded::Frame { frame, consumed }) => {
                frames += 1;
                if let Some(f) = &frame.fragment {
                    assert!(f.len() <= limit);
                    fragments += 1;
                }
                rest = &rest[consumed..];
            }
            Ok(Decoded::Incomplete { .. }) => break,
            Err(_) => {
                errors += 1;
                rest = &rest[framer.resync(rest)..];
            }
        }
        assert!(framer.buffered() <= 2 * limit, "{}", framer.buffered());
    }
    (frames, errors, fragments)
}

#[test]
fn hostile_streams_never_grow_reassembly_beyond_its_bound() {
    // endless FIR=0 continuation segments of maximum size, both directions
    let mut endless = vec![];
    for i in 0..2000usize {
        let control = if i % 2 == 0 { 0x44 } else { 0xc4 };
        endless.extend(frame(control, (i % 64) as u8, 249, i));
    }
    let mut f = Dnp3Framer::new().max_fragment(1024);
    let (frames, errors, fragments) = drive(&mut f, &endless);
    assert_eq!((frames, errors, fragments), (2000, 0, 0));

    // a FIR segment, then continuations in sequence forever: the fragment overflows
    // and is dropped, repeatedly
    let mut seq = vec![];
    for i in 0..3000usize {
        let th = if i % 40 == 0 {
            0x40
        } else {
            (i % 64) as u8 & 0x3f
        };
        seq.extend(frame(0x44, th, 249, i));
    }
    let mut f = Dnp3Framer::new().max_fragment(2048);
    let (frames, errors, _) = drive(&mut f, &seq);
    assert_eq!((frames, errors), (3000, 0));
    assert!(f.buffered() <= 2 * 2048);

    // valid-looking headers with huge or odd lengths (0..=255) and valid header CRCs,
    // followed by garbage: the link layer never waits for more than one frame
    let mut odd = vec![];
    for i in 0..5000usize {
        let len = (i % 256) as u8;
        let mut h = vec![0x05, 0x64, len, 0x44, 1, 0, 10, 0];
        let crc = meterwire_core::crc::CRC16_DNP.checksum(&h);
        h.extend(crc.to_le_bytes());
        odd.extend(h);
        odd.extend((0..(i % 7)).map(|k| (k * 13 + i) as u8));
        assert!(frame_len(usize::from(len.max(5)) - 5) <= meterwire_dnp3_lite::link::MAX_FRAME_LEN);
    }
    let mut f = Dnp3Framer::new();
    let (frames, errors, fragments) = drive(&mut f, &odd);
    assert!(errors > 0 && fragments == 0, "{frames} {errors}");
    assert!(f.buffered() <= 2 * 2048);

    // a reader over the same hostile bytes in 1460-byte chunks keeps its buffer
    // within one frame plus one chunk
    let mut r = meterwire_core::FrameReader::new(Dnp3Framer::new(), Vec::new());
    let mut peak = 0;
    for chunk in odd.chunks(1460).chain(seq.chunks(1460)) {
        r.push(chunk).unwrap();
        while r.next_event().is_some() {}
        peak = peak.max(r.buffered().len());
    }
    assert!(
        peak <= meterwire_dnp3_lite::link::MAX_FRAME_LEN + 1460,
        "{peak}"
    );
}

//! Shared test kit of the meterwire crates (a dev-dependency, never published).
//!
//! * [`hex`] / [`hex_bytes`]: hex text to bytes, tolerant of spaces, `:` and `0x`.
//! * [`assert_streaming`]: feeds a stream through core's `FrameReader` whole, split
//!   at every point and byte by byte, asserts the same events each time (error
//!   runs merged, since how garbage is cut into errors depends on how much of it
//!   had arrived) and checks byte accounting; returns the events.
//! * [`replay_fuzz`]: runs a fuzz body over `fuzz/corpus/<target>` and
//!   `fuzz/artifacts/<target>`, so stable CI replays old crashers; [`fuzz_replay!`]
//!   declares a crate's replay tests from the target names.
//! * [`Toy`]: a tiny length-prefixed framer for tests of generic code.
//! * [`pcap`]: Ethernet/IPv4 TCP and UDP packets and legacy pcap files, for
//!   capture-reading tests.
//! * [`rng`]: small deterministic generators ([`rng::XorShift`]) for test inputs.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::unwrap_used,
    clippy::expect_used
)]

pub mod rng;

use std::path::Path;

use meterwire_core::{
    Decoded, Error, Event, FrameReader, Framer, Frames, Needed, Storage, Strictness,
};

/// Hex text to bytes; spaces, newlines, `:`, `,`, `_` and `0x` prefixes are ignored.
///
/// # Panics
/// On a non-hex character or an odd number of digits (a broken test vector).
pub fn hex(s: &str) -> Vec<u8> {
    let cleaned: String = s
        .replace("0x", "")
        .replace("0X", "")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\n' | '\r' | '\t' | ':' | ',' | '_'))
        .collect();
    assert!(cleaned.len() % 2 == 0, "odd hex length in {s:?}");
    (0..cleaned.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&cleaned[i..i + 2], 16).unwrap_or_else(|_| panic!("bad hex {s:?}"))
        })
        .collect()
}

/// [`hex`] for several vectors at once.
pub fn hex_bytes(v: &[&str]) -> Vec<Vec<u8>> {
    v.iter().map(|s| hex(s)).collect()
}

/// Bytes to lower-case hex.
pub fn to_hex(b: &[u8]) -> String {
    meterwire_core::Hex(b).to_string()
}

/// One event of a stream, with owned bytes, for comparisons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    /// A frame: offset, raw bytes, the frame's JSON (serde).
    Frame(u64, Vec<u8>, String),
    /// Rejected bytes: offset, the bytes (contiguous error runs merged).
    Error(u64, Vec<u8>),
    /// The remainder at the end of the stream.
    Truncated(u64, Vec<u8>),
}

impl Ev {
    /// Offset and length in the stream.
    pub fn span(&self) -> (u64, usize) {
        match self {
            Ev::Frame(o, b, _) | Ev::Error(o, b) | Ev::Truncated(o, b) => (*o, b.len()),
        }
    }
    /// The frame JSON, if a frame.
    pub fn json(&self) -> Option<&str> {
        match self {
            Ev::Frame(_, _, j) => Some(j),
            _ => None,
        }
    }
}

/// One event as an [`Ev`].
fn ev_of<F: Framer>(ev: Event<'_, F>) -> Ev
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    match ev {
        Event::Frame { frame, offset, raw } => {
            Ev::Frame(offset, raw.to_vec(), serde_json::to_string(&frame).unwrap())
        }
        Event::Error {
            offset, skipped, ..
        } => Ev::Error(offset, skipped.to_vec()),
        Event::Truncated { offset, rest, .. } => Ev::Truncated(offset, rest.to_vec()),
    }
}

/// Appends `ev`, merged into the last event when both are touching error runs.
fn push_merged(out: &mut Vec<Ev>, ev: Ev) {
    if let (Some(Ev::Error(o, prev)), Ev::Error(o2, more)) = (out.last_mut(), &ev) {
        if *o + prev.len() as u64 == *o2 {
            prev.extend_from_slice(more);
            return;
        }
    }
    out.push(ev);
}

fn collect<F: Framer, B: Storage>(r: &mut FrameReader<F, B>, out: &mut Vec<Ev>)
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    while let Some(ev) = r.next_event() {
        push_merged(out, ev_of(ev));
    }
}

/// Runs `framer` over the stream given as chunks and returns the events.
pub fn run_chunks<F: Framer>(framer: F, chunks: &[&[u8]]) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    run_chunks_in(framer, Vec::new(), chunks)
}

/// [`run_chunks`] with a reader over `storage` (e.g. a fixed array); every chunk
/// must fit once the events before it are taken.
pub fn run_chunks_in<F: Framer, B: Storage>(framer: F, storage: B, chunks: &[&[u8]]) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    let mut r = FrameReader::new(framer, storage);
    let mut out = vec![];
    for c in chunks {
        r.push(c).unwrap();
        collect(&mut r, &mut out);
    }
    r.finish();
    collect(&mut r, &mut out);
    out
}

/// The events of the zero-copy [`Frames`] iterator over a whole stream, as [`Ev`]s
/// (touching error runs merged, as for the reader).
pub fn frames_events<F: Framer>(framer: F, stream: &[u8]) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    let mut out = vec![];
    for ev in Frames::new(framer, stream) {
        push_merged(&mut out, ev_of(ev));
    }
    out
}

/// Asserts that every byte of a stream of `len` bytes is in exactly one event.
pub fn assert_byte_accounting(events: &[Ev], len: usize) {
    let mut pos = 0u64;
    for e in events {
        let (o, l) = e.span();
        assert_eq!(o, pos, "gap or overlap before {e:?}");
        pos += l as u64;
    }
    assert_eq!(pos, len as u64, "bytes unaccounted at the end");
}

/// Feeds `stream` whole, split at every point, and byte by byte; asserts the
/// same events each time, byte accounting, and agreement of the zero-copy
/// `Frames` iterator on the frame count. Returns the events of the whole feed.
pub fn assert_streaming<F: Framer + Clone>(framer: F, stream: &[u8]) -> Vec<Ev>
where
    for<'a> F::Frame<'a>: serde::Serialize,
{
    let whole = run_chunks(framer.clone(), &[stream]);
    assert_byte_accounting(&whole, stream.len());
    for split in 0..=stream.len() {
        assert_eq!(
            run_chunks(framer.clone(), &[&stream[..split], &stream[split..]]),
            whole,
            "split at {split}"
        );
    }
    let bytes: Vec<&[u8]> = stream.chunks(1).collect();
    assert_eq!(run_chunks(framer.clone(), &bytes), whole, "byte by byte");
    let frames = Frames::new(framer, stream)
        .filter(|e| matches!(e, Event::Frame { .. }))
        .count();
    assert_eq!(
        frames,
        whole.iter().filter(|e| matches!(e, Ev::Frame(..))).count(),
        "Frames iterator"
    );
    whole
}

/// Where an event came from and what kind it was, without the frame view (for
/// framers whose views are not serde): (kind 'F'/'E'/'T', offset, raw bytes).
pub type Span = (char, u64, Vec<u8>);

/// Before the end of the stream a `Truncated` event is an oversize drop (a
/// frame that cannot fit the reader): like errors, where it is cut depends on
/// how much had arrived, so it is merged with touching error runs as 'E'.
fn spans_of<F: Framer>(r: &mut FrameReader<F, Vec<u8>>, out: &mut Vec<Span>, at_end: bool) {
    while let Some(ev) = r.next_event() {
        let s = match ev {
            Event::Frame { offset, raw, .. } => ('F', offset, raw.to_vec()),
            Event::Error {
                offset, skipped, ..
            } => ('E', offset, skipped.to_vec()),
            Event::Truncated { offset, rest, .. } if !at_end => ('E', offset, rest.to_vec()),
            Event::Truncated { offset, rest, .. } => ('T', offset, rest.to_vec()),
        };
        // merge touching error runs (how garbage is cut depends on arrival)
        if let (Some(('E', o, prev)), ('E', o2, more)) = (out.last_mut(), &s) {
            if *o + prev.len() as u64 == *o2 {
                prev.extend_from_slice(more);
                continue;
            }
        }
        out.push(s);
    }
}

/// The events of a stream fed in the given pieces, as [`Span`]s.
pub fn spans<F: Framer>(framer: F, chunks: &[&[u8]], max_len: usize) -> Vec<Span> {
    let mut r = FrameReader::new(framer, Vec::new()).with_max_len(max_len);
    let mut out = vec![];
    for c in chunks {
        let mut data = *c;
        while !data.is_empty() {
            let n = match r.push(data) {
                Ok(()) => data.len(),
                Err(e) => e.accepted,
            };
            data = &data[n..];
            assert!(
                r.buffered().len() <= max_len,
                "buffer grew past its maximum"
            );
            spans_of(&mut r, &mut out, false);
        }
    }
    r.finish();
    spans_of(&mut r, &mut out, true);
    out
}

/// `stream` cut at `cuts` (taken modulo the length + 1, sorted, deduplicated).
fn cut_at<'s>(stream: &'s [u8], cuts: &[usize]) -> Vec<&'s [u8]> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.sort_unstable();
    points.dedup();
    let mut pieces = vec![];
    let mut last = 0;
    for p in points {
        pieces.push(&stream[last..p]);
        last = p;
    }
    pieces.push(&stream[last..]);
    pieces
}

/// Asserts that every byte of a `len`-byte stream is in exactly one span, in order.
pub fn assert_spans_account(events: &[Span], len: usize) {
    let mut pos = 0u64;
    for (_, o, b) in events {
        assert_eq!(*o, pos, "byte accounting: gap or overlap at {o}");
        pos += b.len() as u64;
    }
    assert_eq!(pos, len as u64, "byte accounting: bytes lost at the end");
}

/// The two stream properties every framer must hold, for fuzzing and proptest:
/// **streaming equivalence** (the stream cut at `cuts` gives the same events
/// as the whole stream) and **byte accounting** (every input byte is in exactly
/// one frame, error run or final remainder, in order). `cuts` are taken modulo
/// the stream length. Uses a reader maximum of `max_len` bytes.
pub fn check_stream_properties<F: Framer + Clone>(
    framer: F,
    stream: &[u8],
    cuts: &[usize],
    max_len: usize,
) {
    let whole = spans(framer.clone(), &[stream], max_len);
    assert_spans_account(&whole, stream.len());
    if stream.is_empty() {
        return;
    }
    let pieces = cut_at(stream, cuts);
    assert_eq!(spans(framer, &pieces, max_len), whole, "split at {cuts:?}");
}

/// Byte accounting only, whole and cut at `cuts`: for framers whose resync is
/// a bounded heuristic (Modbus RTU without timing finds CRC-valid frames by
/// chance in noise, and which of them it finds depends on the window the
/// buffer gives it), so equivalence is not promised there, but no byte may be
/// lost or counted twice.
pub fn check_byte_accounting<F: Framer + Clone>(
    framer: F,
    stream: &[u8],
    cuts: &[usize],
    max_len: usize,
) {
    let pieces = cut_at(stream, cuts);
    for events in [
        spans(framer.clone(), &[stream], max_len),
        spans(framer, &pieces, max_len),
    ] {
        assert_spans_account(&events, stream.len());
    }
}

/// Runs `body` over every file of `fuzz/corpus/<target>` and
/// `fuzz/artifacts/<target>` under the workspace root (`manifest_dir/..`);
/// returns how many inputs ran.
pub fn replay_fuzz(manifest_dir: &str, target: &str, body: fn(&[u8])) -> usize {
    let root = Path::new(manifest_dir).join("../fuzz");
    let mut n = 0;
    for dir in ["corpus", "artifacts"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            body(&std::fs::read(&path).unwrap());
            n += 1;
        }
    }
    n
}

/// The strictness a fuzz input's selector bit picks (`true`: strict).
pub fn strictness_if(strict: bool) -> Strictness {
    if strict {
        Strictness::Strict
    } else {
        Strictness::Lenient
    }
}

/// The prologue of the `*_api` fuzz bodies: the selector byte, the strictness
/// its bit 0 picks and the bytes after it; `None` for an empty input.
pub fn fuzz_selector(data: &[u8]) -> Option<(u8, Strictness, &[u8])> {
    let (&sel, rest) = data.split_first()?;
    Some((sel, strictness_if(sel & 1 != 0), rest))
}

/// A fuzz target's name and body.
pub type FuzzTarget<'a> = (&'a str, fn(&[u8]));

/// Replays several targets and asserts each has a seed corpus.
pub fn replay_all(manifest_dir: &str, targets: &[FuzzTarget<'_>]) {
    let counts: Vec<(&str, usize)> = targets
        .iter()
        .map(|(t, body)| (*t, replay_fuzz(manifest_dir, t, *body)))
        .collect();
    assert!(
        counts.iter().all(|(_, n)| *n > 0),
        "seed corpora missing: {counts:?}"
    );
}

/// The fuzz-replay tests of a crate, one line a test: `name: "dir" [target, ...];`
/// declares a module `name` holding one module per target (the target's body,
/// `include!`d from `<dir>/<target>.rs` beside the calling file, with its `pub fn
/// run(&[u8])`) and a `#[test] fn replay` that runs [`replay_all`] over them.
/// Attributes before a line (e.g. `#[cfg(feature = "fuzzing")]`) apply to its module.
///
/// ```ignore
/// meterwire_testkit::fuzz_replay! {
///     replay_every_target: "fuzz_bodies" [scm_idm_packets, scm_idm_bitstream];
///     #[cfg(feature = "fuzzing")]
///     replay_structured: "fuzz_bodies" [scm_idm_structured];
/// }
/// ```
#[macro_export]
macro_rules! fuzz_replay {
    ($($(#[$attr:meta])* $test:ident: $dir:literal [$($target:ident),+ $(,)?];)+) => {
        $(
            $(#[$attr])*
            mod $test {
                $(
                    mod $target {
                        include!(concat!($dir, "/", stringify!($target), ".rs"));
                    }
                )+

                #[test]
                fn replay() {
                    $crate::replay_all(
                        env!("CARGO_MANIFEST_DIR"),
                        &[$((stringify!($target), $target::run)),+],
                    );
                }
            }
        )+
    };
}

/// Captures for tests: packets from 10.0.0.1 to 10.0.0.2 over Ethernet, and
/// legacy little-endian pcap files (Ethernet link type, packet `i` at `i` seconds).
pub mod pcap {
    fn ipv4() -> etherparse::PacketBuilderStep<etherparse::IpHeaders> {
        etherparse::PacketBuilder::ethernet2([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]).ipv4(
            [10, 0, 0, 1],
            [10, 0, 0, 2],
            64,
        )
    }

    /// A TCP segment (window 1024) carrying `payload`.
    pub fn tcp(src_port: u16, dst_port: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        ipv4()
            .tcp(src_port, dst_port, seq, 1024)
            .write(&mut v, payload)
            .unwrap();
        v
    }

    /// A UDP datagram carrying `payload`.
    pub fn udp(src_port: u16, dst_port: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        ipv4()
            .udp(src_port, dst_port)
            .write(&mut v, payload)
            .unwrap();
        v
    }

    /// A legacy little-endian pcap file of `packets`.
    pub fn file(packets: &[Vec<u8>]) -> Vec<u8> {
        let mut f = Vec::new();
        f.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
        f.extend_from_slice(&2u16.to_le_bytes());
        f.extend_from_slice(&4u16.to_le_bytes());
        for v in [0u32, 0, 65535, 1] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        for (i, p) in packets.iter().enumerate() {
            for v in [i as u32, 0, p.len() as u32, p.len() as u32] {
                f.extend_from_slice(&v.to_le_bytes());
            }
            f.extend_from_slice(p);
        }
        f
    }
}

/// A toy framer: frames are `0xAA len payload...`; the frame is the payload.
#[derive(Debug, Clone, Copy, Default)]
pub struct Toy;

impl Framer for Toy {
    type Frame<'a> = &'a [u8];
    type Error = Error;
    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<&'a [u8]>, Error> {
        match input {
            [] | [0xAA] => Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            }),
            [0xAA, len, rest @ ..] => {
                let len = usize::from(*len);
                match rest.get(..len) {
                    Some(p) => Ok(Decoded::Frame {
                        frame: p,
                        consumed: len + 2,
                    }),
                    None => Ok(Decoded::Incomplete {
                        needed: Needed::exact(len - rest.len()),
                    }),
                }
            }
            _ => Err(Error::malformed("start byte", "expected 0xaa")),
        }
    }
    fn resync(&mut self, input: &[u8]) -> usize {
        meterwire_core::skip_to_start(input, |b| b == 0xAA)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toy_stream_properties() {
        let stream = hex("ff aa 03 01 02 03 aa ff 00 aa 01 09 aa");
        for a in 0..stream.len() {
            for b in a..stream.len() {
                check_stream_properties(Toy, &stream, &[a, b], 8);
            }
        }
    }

    #[test]
    fn toy_stream_every_split() {
        let stream = hex("ff ff aa 02 01 02 55 aa 01 09 aa 05 01");
        let evs = assert_streaming(Toy, &stream);
        assert_eq!(
            evs,
            vec![
                Ev::Error(0, hex("ffff")),
                Ev::Frame(2, hex("aa020102"), "[1,2]".into()),
                Ev::Error(6, hex("55")),
                Ev::Frame(7, hex("aa0109"), "[9]".into()),
                Ev::Truncated(10, hex("aa0501")),
            ]
        );
    }
}

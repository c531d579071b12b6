//! Hostile streams (issue 18): random bytes, valid-looking headers with huge
//! length fields, and floods that keep reassembly going, pushed through every
//! stack framer via `FrameReader` (in 1,460-byte pieces, as from a socket).
//! Asserts that the reader's buffer never grows past its configured maximum,
//! that the reassembly buffers (DNP3 transport, DLMS HDLC/GBT, C12.18
//! segments) stay within their bounds, and that every byte is accounted for
//! (in exactly one frame, error or dropped remainder, in order).
//!
//! Size per case from `MW_HOSTILE_MB` (default 1 MB, so CI stays fast); run once
//! at full size with
//! `MW_HOSTILE_MB=100 cargo test --release -p meterwire-cli --test hostile_streams -- --nocapture --test-threads 1`
//! (figures in cli/README.md). The time-per-byte test runs every framer's
//! resync on 1/4 and the full size of garbage and asserts the cost per byte
//! does not grow with the size (no quadratic path).
// (unwrap, indexing and panics in the test functions are allowed by clippy.toml;
// the helpers below need them too)
#![allow(
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing,
    clippy::unwrap_used
)]

use meterwire_ansi_c1222 as c12;
use meterwire_core::{Encode, Event, FrameReader, Framer, Storage};
use meterwire_dlms_cosem as dlms;
use meterwire_dnp3_lite as dnp3;
use meterwire_iec62056_21 as p1;
use meterwire_modbus as modbus;
use meterwire_scm_idm as scm;
use meterwire_testkit::rng::XorShift;
use std::cell::Cell;
use std::rc::Rc;

/// The reader maximum every case is configured with.
const MAX: usize = 4096;
/// Bytes per push (one TCP segment).
const PIECE: usize = 1460;

/// Bytes per case: `MW_HOSTILE_MB` megabytes (default 1).
fn case_bytes() -> usize {
    let mb: f64 = std::env::var("MW_HOSTILE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1.0);
    (mb * 1_000_000.0) as usize
}

/// A `Vec` storage that records the largest size the reader made it.
struct Tracked {
    buf: Vec<u8>,
    peak: Rc<Cell<usize>>,
}

impl AsRef<[u8]> for Tracked {
    fn as_ref(&self) -> &[u8] {
        &self.buf
    }
}

impl AsMut<[u8]> for Tracked {
    fn as_mut(&mut self) -> &mut [u8] {
        &mut self.buf
    }
}

impl Storage for Tracked {
    fn grow(&mut self, len: usize) -> bool {
        if self.buf.len() < len {
            self.buf.resize(len, 0);
            self.peak.set(self.peak.get().max(len));
        }
        true
    }
    fn capacity_limit(&self) -> Option<usize> {
        None
    }
}

/// What one case measured.
#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    bytes: usize,
    cpu_secs: f64,
    peak_buffer: usize,
    peak_reassembly: usize,
    frames: usize,
    errors: usize,
    dropped: usize,
}

impl Figures {
    fn ns_per_byte(&self) -> f64 {
        self.cpu_secs * 1e9 / self.bytes as f64
    }
}

/// How a case's stream is made, one piece at a time.
type Gen<'a> = &'a mut dyn FnMut(&mut XorShift, &mut Vec<u8>);

/// The reassembly bytes a framer holds now (0 for framers without reassembly).
type Reasm<F> = fn(&mut F) -> usize;

/// An event's offset and length in the stream.
fn span<F: Framer>(ev: &Event<'_, F>) -> (u64, usize) {
    match ev {
        Event::Frame { offset, raw, .. } => (*offset, raw.len()),
        Event::Error {
            offset, skipped, ..
        } => (*offset, skipped.len()),
        Event::Truncated { offset, rest, .. } => (*offset, rest.len()),
    }
}

/// Pulls every event, checking that each starts where the previous ended.
fn drain<F: Framer, B: Storage>(r: &mut FrameReader<F, B>, pos: &mut u64, f: &mut Figures) {
    while let Some(ev) = r.next_event() {
        let (o, n) = span(&ev);
        match ev {
            Event::Frame { .. } => f.frames += 1,
            Event::Error { .. } => f.errors += 1,
            Event::Truncated { .. } => f.dropped += 1,
        }
        assert_eq!(o, *pos, "byte accounting: gap or overlap");
        assert!(n > 0, "an event of no bytes");
        *pos += n as u64;
    }
}

/// Pushes `total` bytes made by `generate` through `framer` in 1,460-byte
/// pieces; asserts the bounds and byte accounting; returns the figures.
fn drive<F: Framer>(
    framer: F,
    total: usize,
    generate: Gen<'_>,
    reassembly: Reasm<F>,
    reassembly_bound: usize,
) -> Figures {
    let peak = Rc::new(Cell::new(0));
    let storage = Tracked {
        buf: Vec::new(),
        peak: peak.clone(),
    };
    let mut r = FrameReader::new(framer, storage).with_max_len(MAX);
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15 ^ total as u64);
    let mut f = Figures {
        bytes: total,
        ..Figures::default()
    };
    let mut pos = 0u64;
    let mut pushed = 0usize;
    let mut block = Vec::with_capacity(1 << 17);
    let mut spent = std::time::Duration::ZERO;
    while pushed < total {
        block.clear();
        while block.len() < 1 << 16 {
            generate(&mut rng, &mut block);
        }
        block.truncate(total - pushed);
        pushed += block.len();
        // only the framing is timed, not making the stream
        let start = cpu_time::ThreadTime::now();
        for piece in block.chunks(PIECE) {
            let mut data = piece;
            while !data.is_empty() {
                let n = match r.push(data) {
                    Ok(()) => data.len(),
                    Err(e) => e.accepted,
                };
                data = &data[n..];
                let before = pos;
                drain(&mut r, &mut pos, &mut f);
                assert!(n > 0 || pos > before, "reader stuck: full and no event");
                assert!(peak.get() <= MAX, "buffer {} > max {MAX}", peak.get());
                let held = reassembly(r.framer_mut());
                assert!(
                    held <= reassembly_bound,
                    "reassembly {held} > bound {reassembly_bound}"
                );
                f.peak_reassembly = f.peak_reassembly.max(held);
            }
        }
        spent += start.elapsed();
    }
    r.finish();
    drain(&mut r, &mut pos, &mut f);
    f.cpu_secs = spent.as_secs_f64();
    assert_eq!(pos, total as u64, "byte accounting: bytes lost at the end");
    f.peak_buffer = peak.get();
    f
}

fn none<F>(_: &mut F) -> usize {
    0
}

/// The DLMS stacks run with `max_apdu(8192)`: HDLC or M-Bus reassembly plus
/// the general-block-transfer buffer, each within it.
const DLMS_BOUND: usize = 3 * 8192;

fn dlms_held(f: &mut dlms::stack::DlmsFramer) -> usize {
    f.reassembly_capacity()
}

/// The first bytes of the first sample of `cli/samples/<name>.txt`.
fn sample_prefix(name: &str, n: usize) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().find(|l| !l.starts_with('#')).unwrap();
    let mut b = meterwire_testkit::hex(line.rsplit('\t').next().unwrap());
    b.truncate(n);
    b
}

/// A DNP3 link header claiming 255 bytes (valid header CRC), cut from an encoded frame.
fn dnp3_header() -> Vec<u8> {
    let data = [0u8; 250];
    let repr = dnp3::LinkFrameRepr {
        header: dnp3::LinkHeader::from_control(0xC4, 1, 2),
        user_data: &data,
    };
    let mut out = vec![0u8; repr.encoded_len()];
    repr.encode(&mut out).unwrap();
    assert_eq!(out[2], 0xFF);
    out.truncate(10);
    out
}

/// An HDLC header claiming a 2,000-byte segmented frame (valid HCS).
fn hdlc_header() -> Vec<u8> {
    let info = [0u8; 1990];
    let repr = dlms::hdlc::HdlcRepr {
        segmented: true,
        destination: dlms::hdlc::Address::two(1, 1),
        source: dlms::hdlc::Address::one(0x10),
        control: dlms::hdlc::Control::I {
            ns: 0,
            nr: 0,
            pf: false,
        },
        info: &info,
    };
    let mut out = vec![0u8; repr.encoded_len()];
    repr.encode(&mut out).unwrap();
    out.truncate(9);
    out
}

/// Random bytes.
fn random(rng: &mut XorShift, out: &mut Vec<u8>) {
    rng.fill(out, 4096);
}

/// `header` then up to twice the reader maximum of filler (random, or from
/// `alphabet` for text protocols), so some headers find bytes that decode as
/// a frame start and some claim more than the reader may hold.
fn headers<'a>(
    header: &'a [u8],
    alphabet: Option<&'a [u8]>,
) -> impl FnMut(&mut XorShift, &mut Vec<u8>) + 'a {
    move |rng, out| {
        out.extend_from_slice(header);
        let n = rng.index(2 * MAX);
        match alphabet {
            Some(a) => rng.fill_from(out, n, a),
            None => rng.fill(out, n),
        }
    }
}

const HEX: &[u8] = b"0123456789ABCDEF";
const P1_TEXT: &[u8] = b"0123456789.()*:-kWh\r\n";

/// One framer: its name, and a runner for a stream generator.
struct Case {
    name: &'static str,
    header: Vec<u8>,
    alphabet: Option<&'static [u8]>,
    run: fn(usize, Gen<'_>) -> Figures,
}

macro_rules! case {
    ($name:expr, $header:expr, $alphabet:expr, $framer:expr) => {
        case!($name, $header, $alphabet, $framer, none, 0)
    };
    ($name:expr, $header:expr, $alphabet:expr, $framer:expr, $reasm:expr, $bound:expr) => {
        Case {
            name: $name,
            header: $header,
            alphabet: $alphabet,
            run: |total, g| drive($framer, total, g, $reasm, $bound),
        }
    };
}

/// Every stack framer (the 16 of cli/tests/stream_props.rs).
fn cases() -> Vec<Case> {
    let tcp = vec![0x00, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x01, 0x03];
    let rtu = vec![0x01, 0x10, 0x00, 0x00, 0x00, 0x7B, 0xF6];
    let c1218 = vec![0xEE, 0x00, 0x20, 0x00, 0xFF, 0xFF];
    let c1222 = vec![0x60, 0x84, 0x7F, 0xFF, 0xFF, 0xFF];
    let mut smarty = vec![0xDB, 0x08];
    smarty.extend_from_slice(b"SAG\x11\x22\x33\x44\x55");
    smarty.extend_from_slice(&[0x82, 0xFF, 0xFF, 0x30, 0, 0, 0, 1]);
    vec![
        case!("modbus-tcp", tcp, None, modbus::TcpFramer::new()),
        case!("modbus-rtu", rtu, None, modbus::RtuFramer::new()),
        case!(
            "modbus-ascii",
            b":01100000007BF6".to_vec(),
            Some(HEX),
            modbus::AsciiFramer::new()
        ),
        case!("dnp3-link", dnp3_header(), None, dnp3::LinkFramer::new()),
        case!(
            "dnp3-stack",
            dnp3_header(),
            None,
            dnp3::stack::Dnp3Framer::new(),
            |f: &mut dnp3::stack::Dnp3Framer| f.buffered(),
            2 * 2048
        ),
        case!(
            "dlms-hdlc",
            hdlc_header(),
            None,
            dlms::stack::DlmsFramer::hdlc().max_apdu(8192),
            dlms_held,
            DLMS_BOUND
        ),
        case!(
            "dlms-wrapper",
            vec![0x00, 0x01, 0x00, 0x01, 0x00, 0x10, 0xFF, 0xFF],
            None,
            dlms::stack::DlmsFramer::wrapper().max_apdu(8192),
            dlms_held,
            DLMS_BOUND
        ),
        case!(
            "dlms-mbus",
            vec![0x68, 0xFF, 0xFF, 0x68, 0x08, 0x01, 0x72],
            None,
            dlms::stack::DlmsFramer::mbus().max_apdu(8192),
            dlms_held,
            DLMS_BOUND
        ),
        case!(
            "c1218-packet",
            c1218.clone(),
            None,
            c12::c1218::PacketFramer::new()
        ),
        case!(
            "c1218-stack",
            c1218,
            None,
            c12::stack::C1218Framer::new().max_message(8192),
            c12::stack::C1218Framer::reassembly_capacity,
            8192
        ),
        case!("c1222-stack", c1222, None, c12::stack::C1222Framer::new()),
        case!(
            "scm",
            sample_prefix("scm", 3),
            None,
            scm::ScmFramer::new().correct()
        ),
        case!("idm", sample_prefix("idm", 6), None, scm::IdmFramer::new()),
        case!(
            "r900",
            sample_prefix("r900", 4),
            None,
            scm::R900Framer::new().correct()
        ),
        case!(
            "p1",
            b"/ISK5\\2M550T-1012\r\n\r\n1-0:1.8.0(".to_vec(),
            Some(P1_TEXT),
            p1::p1::P1Framer::new()
        ),
        case!(
            "p1-smarty",
            smarty,
            None,
            p1::smarty::EncryptedFramer::new()
        ),
    ]
}

fn report(kind: &str, name: &str, f: &Figures) {
    println!(
        "{kind:<8} {name:<13} {:>7.1} MB {:>7.3} s {:>8.1} MB/s {:>6.2} ns/B  peak buffer {:>5} B  peak reassembly {:>5} B  frames {} errors {} dropped {}",
        f.bytes as f64 / 1e6,
        f.cpu_secs,
        f.bytes as f64 / 1e6 / f.cpu_secs,
        f.ns_per_byte(),
        f.peak_buffer,
        f.peak_reassembly,
        f.frames,
        f.errors,
        f.dropped
    );
}

#[test]
fn random_bytes_through_every_framer() {
    let total = case_bytes();
    let cases = cases();
    assert_eq!(cases.len(), 16);
    for c in &cases {
        let f = (c.run)(total, &mut random);
        report("random", c.name, &f);
        assert!(
            f.errors + f.dropped > 0,
            "{}: noise was not rejected",
            c.name
        );
    }
}

#[test]
fn huge_length_headers_through_every_framer() {
    let total = case_bytes();
    for c in &cases() {
        let f = (c.run)(total, &mut headers(&c.header, c.alphabet));
        report("headers", c.name, &f);
        assert!(f.errors + f.dropped > 0, "{}: nothing rejected", c.name);
    }
}

/// No quadratic path: the resync cost per byte on a small and on the full size
/// of garbage (1 MB and 100 MB at `MW_HOSTILE_MB=100`; 0.25 MB and 1 MB by
/// default) is the same, within a factor that absorbs a loaded machine (CPU
/// time, best of three below 10 MB).
#[test]
fn time_per_byte_is_flat() {
    let total = case_bytes().max(400_000);
    let small_size = (total / 100).max((total / 4).min(1_000_000));
    let rounds = if total < 10_000_000 { 3 } else { 1 };
    for c in &cases() {
        let best = |n: usize| {
            (0..rounds)
                .map(|_| (c.run)(n, &mut random).ns_per_byte())
                .fold(f64::INFINITY, f64::min)
        };
        let small = best(small_size);
        let large = best(total);
        println!(
            "flat     {:<13} {:>6.2} ns/B at {:.1} MB, {:>6.2} ns/B at {:.1} MB (x{:.2})",
            c.name,
            small,
            small_size as f64 / 1e6,
            large,
            total as f64 / 1e6,
            large / small
        );
        assert!(
            large < small * 2.0 + 1.0,
            "{}: {small:.2} ns/B at {small_size} B but {large:.2} ns/B at {total} B",
            c.name
        );
    }
}

/// Valid frames that keep reassembly going: DNP3 fragments of 16 KB (limit
/// 2,048) and DLMS HDLC segmented APDUs of 20 KB (limit 8,192), forever.
#[test]
fn reassembly_floods_stay_bounded() {
    let total = case_bytes();
    let mut dnp3_flood = |rng: &mut XorShift, out: &mut Vec<u8>| {
        let mut fragment = vec![0xC0, 0x81, 0, 0];
        rng.fill(&mut fragment, 16_000);
        let header = dnp3::LinkHeader::from_control(0x44, 1, 2);
        let mut buf = vec![0u8; dnp3::build::frames_len(fragment.len(), 249)];
        let n = dnp3::build::encode_frames(header, &fragment, rng.index(64) as u8, 249, &mut buf)
            .unwrap();
        out.extend_from_slice(&buf[..n]);
    };
    let f = drive(
        dnp3::stack::Dnp3Framer::new(),
        total,
        &mut dnp3_flood,
        |f: &mut dnp3::stack::Dnp3Framer| f.buffered(),
        2 * 2048,
    );
    report("flood", "dnp3-stack", &f);
    assert!(f.frames > 0 && f.peak_reassembly > 0, "{f:?}");
    let mut hdlc_flood = |rng: &mut XorShift, out: &mut Vec<u8>| {
        let mut info = vec![0xE6, 0xE7, 0x00, 0x0F];
        rng.fill(&mut info, 20_000);
        let segs = dlms::hdlc::Segmenter::new(
            &info,
            1000,
            dlms::hdlc::Address::one(0x10),
            dlms::hdlc::Address::two(1, 1),
            0,
            0,
        );
        for (i, repr) in segs.enumerate() {
            let repr = dlms::hdlc::HdlcRepr {
                control: dlms::hdlc::Control::I {
                    ns: (i % 8) as u8,
                    nr: 0,
                    pf: false,
                },
                ..repr
            };
            let mut buf = vec![0u8; repr.encoded_len()];
            repr.encode(&mut buf).unwrap();
            out.extend_from_slice(&buf);
        }
    };
    let f = drive(
        dlms::stack::DlmsFramer::hdlc().max_apdu(8192),
        total,
        &mut hdlc_flood,
        dlms_held,
        DLMS_BOUND,
    );
    report("flood", "dlms-hdlc", &f);
    assert!(f.frames > 0 && f.peak_reassembly > 0, "{f:?}");
}

/// A-XDR nested 30,000 deep (a data-notification of arrays of arrays): the
/// decoder's depth limit (32) rejects it, no stack overflow.
#[test]
fn axdr_depth_is_bounded() {
    let mut apdu = vec![0x0F, 0, 0, 0, 1, 0x00];
    apdu.extend(std::iter::repeat_n([0x01, 0x01], 30_000).flatten());
    apdu.push(0x00);
    let mut wrapper = vec![0x00, 0x01, 0x00, 0x01, 0x00, 0x10];
    wrapper.extend_from_slice(&(apdu.len() as u16).to_be_bytes());
    wrapper.extend_from_slice(&apdu);
    let mut events = meterwire_core::Frames::new(dlms::stack::DlmsFramer::wrapper(), &wrapper);
    match events.next() {
        Some(Event::Error { error, offset, .. }) => {
            assert_eq!(offset, 0);
            assert!(
                matches!(error, dlms::Error::DepthLimit { limit: 32, .. }),
                "{error:?}"
            );
        }
        other => panic!("expected the depth limit, got {other:?}"),
    }
    // the rest is resynchronised over (and accounted for) without recursion
    let mut pos = 0;
    for ev in meterwire_core::Frames::new(dlms::stack::DlmsFramer::wrapper(), &wrapper) {
        let (o, n) = span(&ev);
        assert_eq!(o, pos);
        pos += n as u64;
    }
    assert_eq!(pos, wrapper.len() as u64);
}

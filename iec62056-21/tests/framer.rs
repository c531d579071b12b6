//! Streaming: golden telegrams at every split point, and the serial-line quirks.

use meterwire_core::{Classify, DiagnosticKind, ErrorKind, Framer, Frames};
use meterwire_iec62056_21::p1::{P1Framer, strip_parity};
use meterwire_testkit::{Ev, assert_streaming, run_chunks};

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn frames(ev: &[Ev]) -> Vec<serde_json::Value> {
    ev.iter()
        .filter_map(|e| e.json().map(|j| serde_json::from_str(j).unwrap()))
        .collect()
}

fn diag_kinds(j: &serde_json::Value) -> Vec<String> {
    j["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| d["kind"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Three golden telegrams back to back (dsmr_parser example_telegrams.py V4_2, V5, FLUVIUS_V171).
#[test]
fn golden_stream_every_split() {
    let mut s = data("dsmr_parser/TELEGRAM_V4_2.txt");
    s.extend(data("dsmr_parser/TELEGRAM_V5.txt"));
    s.extend(data("dsmr_parser/TELEGRAM_FLUVIUS_V171.txt"));
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 3);
    assert_eq!(f[0]["crc"], "6796");
    assert_eq!(f[2]["manufacturer"], "FLU");
}

/// Every golden telegram of dsmr_parser streams identically at every split.
#[test]
fn each_golden_streams() {
    for name in [
        "TELEGRAM_V2_2",
        "TELEGRAM_V3",
        "TELEGRAM_V5_TWO_MBUS",
        "TELEGRAM_UNPADDED_CRC",
        "TELEGRAM_FLUVIUS_V171_ALT",
        "TELEGRAM_SAGEMCOM_T210_D_R",
        "TELEGRAM_ISKRA_IE",
        "TELEGRAM_V5_EON_HU",
    ] {
        let s = data(&format!("dsmr_parser/{name}.txt"));
        let ev = assert_streaming(P1Framer::new(), &s);
        assert_eq!(frames(&ev).len(), 1, "{name}");
    }
}

/// EasyMeter Q3D (TELEGRAM_ESY5Q3DB1024_V304): gateway junk and 0xFF after `!` become
/// counted noise before the next telegram.
#[test]
fn gateway_junk_is_noise() {
    let mut s = data("dsmr_parser/TELEGRAM_ESY5Q3DB1024_V304.txt");
    s.extend(data("dsmr_parser/TELEGRAM_ESY5Q3DA1004_V304.txt"));
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 2);
    assert!(diag_kinds(&f[0]).is_empty());
    assert_eq!(diag_kinds(&f[1]), ["noise"]);
    assert!(first_message(&f[1]).contains("47"));
    // strict mode rejects the junk as an error event; both telegrams still decode
    let ev = run_chunks(P1Framer::new().strict(), &[&s]);
    let f = frames(&ev);
    assert_eq!(f.len(), 2);
    assert!(diag_kinds(&f[1]).is_empty());
    assert!(matches!(&ev[1], Ev::Error(_, junk) if junk.len() == 47));
}

/// Telegrams glued after the CRC (ndokter/dsmr_parser#91 shape): V5 without its final
/// CR LF, then V4_2.
#[test]
fn glued_telegrams() {
    let mut s = data("dsmr_parser/TELEGRAM_V5.txt");
    s.truncate(s.len() - 2);
    s.extend(data("dsmr_parser/TELEGRAM_V4_2.txt"));
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 2);
    assert_eq!(diag_kinds(&f[0]), ["vendor_quirk"]);
    assert!(first_message(&f[0]).contains("glued"));
    assert_eq!(diag_kinds(&f[1]), ["placeholder"]);
}

/// A capture that starts inside a telegram (home-assistant/core#56805 shape): the tail
/// of V5 then a whole V4_2; and a telegram cut short by a new header.
#[test]
fn partial_telegrams() {
    let v5 = data("dsmr_parser/TELEGRAM_V5.txt");
    let v4 = data("dsmr_parser/TELEGRAM_V4_2.txt");
    let mut s = v5[300..].to_vec();
    s.extend(&v4);
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 1);
    assert_eq!(diag_kinds(&f[0])[0], "noise");
    // cut at a line start: the new header is seen before any `!`
    let cut = v5.windows(10).position(|w| w == b"1-0:32.7.0").unwrap();
    let mut s = v5[..cut].to_vec();
    s.extend(&v4);
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 1);
    assert_eq!(diag_kinds(&f[0]), ["noise", "unreassembled", "placeholder"]);
    // cut inside a line: the cut telegram runs into the next one's `!`, fails its
    // CRC and is dropped as an error; the next telegram decodes
    let mut s = v5[..400].to_vec();
    s.extend(&v4);
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 1);
    assert!(matches!(ev[0], Ev::Error(0, _)));
    assert_eq!(f[0]["manufacturer"], "KFM");
    assert_eq!(f[0]["manufacturer"], "KFM");
}

/// LF-only lines (svrooij/smartmeter2mqtt#47): DSMR 2.2 example without CRs.
#[test]
fn lf_only() {
    let s: Vec<u8> = data("dsmr_parser/TELEGRAM_V2_2.txt")
        .into_iter()
        .filter(|&b| b != b'\r')
        .collect();
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f.len(), 1);
    assert_eq!(diag_kinds(&f[0]), ["vendor_quirk"]);
    assert_eq!(f[0]["lines"].as_array().unwrap().len(), 16);
    assert!(frames(&run_chunks(P1Framer::new().strict(), &[&s])).is_empty());
}

/// A flipped bit is a checksum error; the next telegram still decodes.
#[test]
fn bad_crc_then_good() {
    let mut s = data("dsmr_parser/TELEGRAM_V5.txt");
    s[200] ^= 0x01;
    s.extend(data("dsmr_parser/TELEGRAM_V4_2.txt"));
    let ev = assert_streaming(P1Framer::new(), &s);
    assert_eq!(frames(&ev).len(), 1);
    assert!(matches!(ev[0], Ev::Error(0, _)));
    let mut f = P1Framer::new();
    let e = f.decode(&s).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Checksum);
}

/// 7E1 read as 8N1 (jantenhove/P1-Meter-ESP8266#3): rejected as is, decoded after
/// strip_parity, which says how many bytes it changed.
#[test]
fn seven_e1() {
    let clean = data("dsmr_parser/TELEGRAM_V5.txt");
    let mut s: Vec<u8> = clean
        .iter()
        .map(|&b| if b.count_ones() % 2 == 1 { b | 0x80 } else { b })
        .collect();
    let mut f = P1Framer::new();
    assert_eq!(f.decode(&s).unwrap_err().kind(), ErrorKind::Malformed);
    let changed = strip_parity(&mut s);
    assert!(changed > 300);
    assert_eq!(s, clean);
    assert_eq!(frames(&run_chunks(P1Framer::new(), &[&s])).len(), 1);
}

/// NUL noise before the header, and a stream without `!` stays bounded.
#[test]
fn noise_and_bound() {
    let mut s = vec![0u8; 20];
    s.extend(data("dsmr_parser/TELEGRAM_V5.txt"));
    let ev = assert_streaming(P1Framer::new(), &s);
    let f = frames(&ev);
    assert_eq!(f[0]["diagnostics"][0]["kind"], "noise");
    // 5000 bytes of a header without end, max 1024: errors, then the next telegram
    let mut s = b"/ISK5\\2MT382-1000\r\n".to_vec();
    s.extend(std::iter::repeat_n(b'x', 5000));
    s.extend(data("dsmr_parser/TELEGRAM_V4_2.txt"));
    let ev = run_chunks(P1Framer::new().max_len(1024), &[&s]);
    assert_eq!(frames(&ev).len(), 1);
    let mut f = P1Framer::new().max_len(1024);
    assert_eq!(f.decode(&s).unwrap_err().kind(), ErrorKind::Length);
    let n = Frames::new(P1Framer::new().max_len(1024), &s).count();
    assert!(n >= 2);
    let _ = DiagnosticKind::Noise;
}

/// The message of the first diagnostic of a frame's JSON.
fn first_message(frame: &serde_json::Value) -> &str {
    frame["diagnostics"][0]["message"].as_str().unwrap()
}

//! Shared helpers for the integration tests: our decode of a byte stream
//! rendered as tshark-style field lists, and the oracle data loaders.

use meterwire_core::{Event, FrameReader};
use meterwire_dnp3_lite::objects::{Layout, is_index_prefix, is_size_prefix};
use meterwire_dnp3_lite::{Dnp3Framer, Error, Fragment, Range, Value};
use std::collections::BTreeMap;

/// Field lists in tshark order, keyed by tshark field name.
pub type Fields = BTreeMap<String, Vec<String>>;

/// What our decoder saw in one payload.
#[derive(Debug, Default)]
pub struct Ours {
    pub fields: Fields,
    /// Link-layer errors (with resync), in order.
    pub link_errors: Vec<Error>,
    /// Bytes left at the end that do not make a whole frame.
    pub truncated: bool,
    /// Application-layer errors (fragment header or object header), with the header position.
    pub app_errors: Vec<(usize, Error)>,
    /// Transport errors.
    pub transport_errors: Vec<Error>,
    /// Number of link frames decoded.
    pub frames: usize,
    /// Number of application fragments completed.
    pub fragments: usize,
}

fn push(f: &mut Fields, k: &str, v: impl ToString) {
    f.entry(k.to_string()).or_default().push(v.to_string());
}

/// Renders one application fragment the way tshark names its fields.
pub fn render_fragment(frag: &[u8], f: &mut Fields, errors: &mut Vec<(usize, Error)>) {
    let fr = match Fragment::parse(frag) {
        Ok(fr) => fr,
        Err(e) => {
            if let Some(&func) = frag.get(1) {
                push(f, "dnp3.al.func", func);
            }
            errors.push((0, e));
            return;
        }
    };
    push(
        f,
        "dnp3.al.ctl",
        format!("0x{:02x}", fr.control().to_byte()),
    );
    push(f, "dnp3.al.func", fr.function());
    if let Some(iin) = fr.iin() {
        push(
            f,
            "dnp3.al.iin",
            format!("0x{:02x}{:02x}", iin.iin1, iin.iin2),
        );
    }
    for (pos, r) in fr.objects().enumerate() {
        let b = match r {
            Ok(b) => b,
            Err(e) => {
                errors.push((pos, e));
                break;
            }
        };
        let h = b.header;
        if b.undecoded {
            // tshark stops at an object it cannot size; we keep the header and the raw rest
            errors.push((
                pos,
                Error::UnknownObject {
                    group: h.group,
                    variation: h.variation,
                    qualifier: h.qualifier(),
                    header: pos,
                },
            ));
            break;
        }
        let var = if (110..=113).contains(&h.group) {
            0
        } else {
            h.variation
        };
        push(f, "dnp3.al.obj", format!("0x{:02x}{:02x}", h.group, var));
        push(f, "dnp3.al.objq.prefix", h.prefix);
        push(f, "dnp3.al.objq.range", h.range.code());
        match h.range {
            Range::StartStop { start, stop, .. } | Range::VirtualStartStop { start, stop, .. } => {
                push(f, "dnp3.al.range.start", start);
                push(f, "dnp3.al.range.stop", stop);
            }
            Range::Count { count, .. } => push(f, "dnp3.al.range.quantity", count),
            Range::FreeFormat { count } => push(f, "dnp3.al.range.quantity", count),
            Range::All | Range::Reserved { .. } => {}
        }
        let layout = b.layout();
        let mut prefix_reader = meterwire_core::Cursor::new(b.data);
        let pw = usize::from(meterwire_dnp3_lite::objects::prefix_width(h.prefix).unwrap_or(0));
        for p in b.points() {
            if is_index_prefix(h.prefix) {
                push(f, "dnp3.al.index", p.index);
            } else if is_size_prefix(h.prefix) {
                let size = prefix_reader.read_uint_le(pw).unwrap();
                prefix_reader.skip(size as usize).unwrap();
                push(f, "dnp3.al.size", size);
            } else {
                push(f, "dnp3.al.point_index", p.index);
            }
            let g = h.group;
            match p.value {
                Value::Bool(v) if matches!(layout, Layout::Packed(_)) => {
                    push(f, "dnp3.al.bit", u8::from(v))
                }
                Value::DoubleBit(v) if matches!(layout, Layout::Packed(_)) => {
                    push(f, "dnp3.al.2bit", v)
                }
                Value::Uint(v) if (20..=23).contains(&g) => push(f, "dnp3.al.cnt", v),
                Value::Uint(v) if g == 34 => push(f, "dnp3.al.ana.int", v),
                Value::Uint(v) if g == 52 => push(f, "dnp3.al.time_delay", v),
                Value::Int(v) if matches!(g, 30 | 32 | 34) => push(f, "dnp3.al.ana.int", v),
                Value::Int(v) if matches!(g, 40..=43) => push(f, "dnp3.al.anaout.int", v),
                Value::Float(v) => {
                    let double = matches!(
                        (g, h.variation),
                        (30, 6) | (32, 6) | (32, 8) | (40, 4) | (41, 4) | (42, 6) | (42, 8)
                    );
                    let base = if matches!(g, 40..=43) {
                        "dnp3.al.anaout"
                    } else {
                        "dnp3.al.ana"
                    };
                    push(
                        f,
                        &format!("{base}.{}", if double { "double" } else { "float" }),
                        v,
                    );
                }
                Value::Crob(c) => {
                    push(f, "dnp3.ctl.op", c.op_type());
                    push(f, "dnp3.al.count", c.count);
                    push(f, "dnp3.al.on_time", c.on_time);
                    push(f, "dnp3.al.off_time", c.off_time);
                    push(f, "dnp3.al.ctrlstatus", c.status);
                }
                Value::Octets(o) => push(f, "dnp3.al.octet_string", hex::encode(o)),

                _ => {}
            }
            // tshark shows only the relative part of g2v3/g4v3 (we also add the CTO)
            if let (Some(t), None) = (p.time, p.relative_time) {
                push(f, "dnp3.al.timestamp", t);
            }
            if let Some(t) = p.relative_time {
                push(f, "dnp3.al.reltimestamp", t);
            }
            if let Some(s) = p.status {
                push(f, "dnp3.al.ctrlstatus", s);
            }
            if g == 13 {
                push(f, "dnp3.al.ctrlstatus", p.flags.unwrap_or(0) & 0x7F);
            }
        }
    }
}

/// A per-stream reader (frames may span packets).
pub type Reader = FrameReader<Dnp3Framer, Vec<u8>>;

pub fn reader() -> Reader {
    FrameReader::new(Dnp3Framer::default(), Vec::new())
}

/// Drains every event the reader can produce into `ours`.
pub fn drain(reader: &mut Reader, ours: &mut Ours) {
    while let Some(ev) = reader.next_event() {
        match ev {
            Event::Frame { frame, .. } => {
                ours.frames += 1;
                let l = frame.link;
                push(&mut ours.fields, "dnp3.len", l.length());
                push(
                    &mut ours.fields,
                    "dnp3.ctl",
                    format!("0x{:02x}", l.control()),
                );
                push(&mut ours.fields, "dnp3.dst", l.destination());
                push(&mut ours.fields, "dnp3.src", l.source());
                if let Some(th) = frame.transport {
                    push(
                        &mut ours.fields,
                        "dnp3.tr.ctl",
                        format!("0x{:02x}", th.to_byte()),
                    );
                }
                if let Some(e) = frame.transport_error {
                    ours.transport_errors.push(e);
                }
                if let Some(frag) = &frame.fragment {
                    ours.fragments += 1;
                    render_fragment(frag, &mut ours.fields, &mut ours.app_errors);
                }
            }
            Event::Error { error, skipped, .. } => {
                if let (Error::BlockCrc { .. }, true) = (error, skipped.len() >= 10) {
                    // the header is intact: tshark still shows it
                    push(&mut ours.fields, "dnp3.len", skipped[2]);
                    push(
                        &mut ours.fields,
                        "dnp3.ctl",
                        format!("0x{:02x}", skipped[3]),
                    );
                    push(
                        &mut ours.fields,
                        "dnp3.dst",
                        u16::from_le_bytes([skipped[4], skipped[5]]),
                    );
                    push(
                        &mut ours.fields,
                        "dnp3.src",
                        u16::from_le_bytes([skipped[6], skipped[7]]),
                    );
                }
                ours.link_errors.push(error);
            }
            Event::Truncated { .. } => ours.truncated = true,
        }
    }
}

/// Decodes one complete byte string (end of stream after it).
pub fn decode(data: &[u8]) -> Ours {
    let mut ours = Ours::default();
    let mut r = reader();
    r.push(data).unwrap();
    drain(&mut r, &mut ours);
    r.finish();
    drain(&mut r, &mut ours);
    ours
}

pub fn load_json(name: &str) -> serde_json::Value {
    let p = format!("{}/tests/oracle/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Compares one field list: floats and times numerically, everything else as text.
pub fn same_field(name: &str, ours: &[String], theirs: &[String]) -> bool {
    if ours.len() != theirs.len() {
        return false;
    }
    ours.iter().zip(theirs).all(|(a, b)| match name {
        "dnp3.al.ana.float" | "dnp3.al.anaout.float" => {
            let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
            // tshark prints 6 significant digits
            (a - b).abs() <= 1e-5 * a.abs().max(1e-30)
        }
        "dnp3.al.ana.double" | "dnp3.al.anaout.double" => {
            let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
            a == b || ((a - b) / a).abs() < 1e-12
        }
        "dnp3.al.reltimestamp" => {
            let b: f64 = b.parse().unwrap();
            a.parse::<f64>().unwrap() == (b * 1000.0).round()
        }
        _ => a == b,
    })
}

/// The fields compared with tshark.
pub const COMPARED: &[&str] = &[
    "dnp3.len",
    "dnp3.ctl",
    "dnp3.dst",
    "dnp3.src",
    "dnp3.tr.ctl",
    "dnp3.al.ctl",
    "dnp3.al.func",
    "dnp3.al.iin",
    "dnp3.al.obj",
    "dnp3.al.objq.prefix",
    "dnp3.al.objq.range",
    "dnp3.al.range.start",
    "dnp3.al.range.stop",
    "dnp3.al.range.quantity",
    "dnp3.al.index",
    "dnp3.al.point_index",
    "dnp3.al.size",
    "dnp3.al.bit",
    "dnp3.al.2bit",
    "dnp3.al.cnt",
    "dnp3.al.ana.int",
    "dnp3.al.ana.float",
    "dnp3.al.ana.double",
    "dnp3.al.anaout.int",
    "dnp3.al.anaout.float",
    "dnp3.al.anaout.double",
    "dnp3.al.timestamp",
    "dnp3.al.reltimestamp",
    "dnp3.al.time_delay",
    "dnp3.ctl.op",
    "dnp3.al.count",
    "dnp3.al.on_time",
    "dnp3.al.off_time",
    "dnp3.al.ctrlstatus",
    "dnp3.al.octet_string",
];

/// tshark's list for a field.
pub fn theirs(t: &serde_json::Value, k: &str) -> Vec<String> {
    t.get(k)
        .and_then(|v| v.as_str())
        .map(|s| s.split('|').map(str::to_string).collect())
        .unwrap_or_default()
}

/// Field-by-field differences between our decode and tshark's.
pub fn diff(ours: &Fields, t: &serde_json::Value, only: &[&str]) -> Vec<String> {
    let mut out = vec![];
    for k in only {
        let a = ours.get(*k).cloned().unwrap_or_default();
        let b = theirs(t, k);
        if !same_field(k, &a, &b) {
            out.push(format!("{k}: ours {a:?} tshark {b:?}"));
        }
    }
    out
}

/// The TCP/UDP payload of `frame` in `file`.
pub fn payload(file: &str, frame: u64) -> Vec<u8> {
    let caps = load_json("captures.json");
    let p = caps["captures"][file]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["frame"] == frame)
        .unwrap()
        .clone();
    hex::decode(p["payload"].as_str().unwrap()).unwrap()
}

/// The first point of the first object header of `f`.
pub fn first_point<'a>(f: &meterwire_dnp3_lite::Fragment<'a>) -> meterwire_dnp3_lite::Point<'a> {
    f.objects()
        .next()
        .unwrap()
        .unwrap()
        .points()
        .next()
        .unwrap()
}

/// `app` encoded into link frames from master 3 to outstation `dst` (control 0xC4),
/// first transport sequence `tseq`, as a capture's master requests are.
pub fn master_frames(app: &[u8], dst: u16, tseq: u8) -> Vec<u8> {
    link_frames(
        meterwire_dnp3_lite::LinkHeader::from_control(0xC4, dst, 3),
        app,
        tseq,
    )
}

/// `app` cut into link frames (249-byte transport payloads) under `header`, first
/// transport sequence `tseq`; the encoder fills exactly `frames_len` bytes.
pub fn link_frames(header: meterwire_dnp3_lite::LinkHeader, app: &[u8], tseq: u8) -> Vec<u8> {
    use meterwire_dnp3_lite::build::{encode_frames, frames_len};
    let mut out = vec![0u8; frames_len(app.len(), 249)];
    let n = encode_frames(header, app, tseq, 249, &mut out).unwrap();
    assert_eq!(n, out.len());
    out
}

/// A block's header as (group, variation, qualifier).
pub fn gvq(b: &meterwire_dnp3_lite::ObjectBlock<'_>) -> (u8, u8, u8) {
    (b.header.group, b.header.variation, b.header.qualifier())
}

/// An object's group and variation in the JSON view.
pub fn json_gv(o: &serde_json::Value) -> (Option<u64>, Option<u64>) {
    (o["group"].as_u64(), o["variation"].as_u64())
}

//! Decoding inputs as they arrive: hex frames, raw streams in chunks, hex lines,
//! pcap/pcapng packet by packet; `-p auto` probing.

use crate::input;
use crate::output::{ErrorJson, Printer, Record};
use crate::protocols::{self, Direction, Options, Protocol, StreamCtx, StreamDecoder};
use crate::protocols::{c12, dlms, dnp3, modbus, scm_idm};
use serde_json::Value;
use std::io::{BufRead, Read};

/// Size of one read from a file or stdin.
pub const CHUNK: usize = 1 << 16;

/// The longest line of a hex-line input (2 hex digits per byte: frames up to 8 MiB).
const MAX_LINE: usize = 16 << 20;

/// `-p auto` (or an unknown TCP port) gives up on a stream whose first this many
/// bytes no candidate protocol decodes.
const PROBE_BYTES: usize = 4096;

/// `-p auto` tries this many datagrams of a UDP flow on an unknown port.
const PROBE_DATAGRAMS: usize = 8;

/// The `-p auto` candidates, strongest framing checks first (a tie in the probe
/// goes to the earlier one): CRC/FCS-protected link layers and radio packets, then
/// length-delimited ones, and bare DLMS APDUs (no framing at all) last.
static AUTO_ORDER: &[&[&dyn Protocol]] = &[
    &[
        &dnp3::Dnp3Protocol,
        &dlms::DlmsHdlc,
        &c12::C1218,
        &modbus::ModbusRtu,
        &modbus::ModbusAscii,
    ],
    scm_idm::PACKETS,
    &[&modbus::ModbusTcp, &dlms::DlmsWrapper, &c12::C1222],
    &[&dlms::DlmsApdu],
];

/// [`AUTO_ORDER`], one protocol after the other.
fn auto_order() -> impl Iterator<Item = &'static dyn Protocol> {
    AUTO_ORDER.iter().flat_map(|group| group.iter().copied())
}

/// The protocols `-p auto` tries, in [`AUTO_ORDER`] (protocols not listed there,
/// e.g. newly added ones, follow in `meterwire protocols` order).
pub fn auto_candidates() -> Vec<&'static dyn Protocol> {
    let mut v: Vec<_> = auto_order().collect();
    for p in protocols::ALL {
        if !auto_order().any(|a| a.name() == p.name()) {
            v.push(*p);
        }
    }
    v
}

/// An input that failed mid-way: a read error or a bad hex line (usage errors).
pub struct InputError(pub String);

/// How well a candidate decoded probe bytes: `None` when it decoded no frame or
/// rejected more than it decoded; lower is better (rejections, then diagnostics).
fn probe_score(recs: &[Record], whole: bool) -> Option<(usize, usize)> {
    let ok = recs.iter().filter(|r| r.is_ok()).count();
    let rejected = recs.len() - ok;
    let diags = recs.iter().map(|r| r.diagnostic_kinds().len()).sum();
    let qualifies = ok > 0 && if whole { rejected == 0 } else { rejected < ok };
    qualifies.then_some((rejected, diags))
}

/// Runs every candidate over `bytes` (one complete frame when `whole`, else the
/// first bytes of a stream, ended when `at_end`) and returns the best one with
/// its records.
fn probe(
    candidates: &[&'static dyn Protocol],
    opts: &Options,
    bytes: &[u8],
    whole: bool,
    at_end: bool,
) -> Option<(&'static dyn Protocol, Vec<Record>)> {
    type Scored = ((usize, usize), &'static dyn Protocol, Vec<Record>);
    let mut best: Option<Scored> = None;
    for p in candidates {
        let Ok(mut s) = p.stream(opts, StreamCtx::default()) else {
            continue;
        };
        let mut recs = Vec::new();
        if whole {
            s.push_hex_frame(bytes, &mut |r| recs.push(r));
        } else {
            s.push(bytes, &mut |r| recs.push(r));
            if at_end {
                s.finish(&mut |r| recs.push(r));
            }
        }
        if let Some(score) = probe_score(&recs, whole) {
            if best.as_ref().is_none_or(|(b, _, _)| score < *b) {
                best = Some((score, *p, recs));
            }
        }
    }
    best.map(|(_, p, recs)| (p, recs))
}

/// The record printed when `-p auto` recognises nothing.
fn unrecognised(bytes: &[u8], what: &str) -> Record {
    Record::rejected(
        "auto",
        ErrorJson::new(
            "unsupported",
            format!(
                "no protocol decodes {what} (tried: {})",
                auto_order()
                    .map(|p| p.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        0,
        bytes,
    )
}

/// Decodes inputs, printing each record as soon as it is complete.
pub struct Session<'a> {
    /// One protocol (`-p NAME`) or every candidate (`-p auto`).
    pub candidates: Vec<&'static dyn Protocol>,
    /// `-p auto`.
    pub auto: bool,
    /// Command-line options.
    pub opts: &'a Options,
    /// Where records go.
    pub printer: Printer,
}

impl Session<'_> {
    /// The protocol of `-p NAME` (the first candidate of `-p auto`).
    pub fn first(&self) -> Result<&'static dyn Protocol, InputError> {
        self.candidates
            .first()
            .copied()
            .ok_or_else(|| InputError("no protocol".into()))
    }

    pub fn stream(&self, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, InputError> {
        self.first()?.stream(self.opts, ctx).map_err(InputError)
    }

    /// One complete frame (`--hex`, a line of a hex file); `-p auto` tries every
    /// protocol and prints the records of the one that decodes it (its name is the
    /// records' `"protocol"`).
    pub fn hex_frame(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        if self.auto {
            match probe(&self.candidates, self.opts, bytes, true, true) {
                Some((_, recs)) => recs.iter().for_each(|r| self.printer.print(r, &[])),
                None => self.printer.print(&unrecognised(bytes, "this frame"), &[]),
            }
            return Ok(());
        }
        let mut s = self.stream(StreamCtx::default())?;
        let p = &mut self.printer;
        s.push_hex_frame(bytes, &mut |r| p.print(&r, &[]));
        Ok(())
    }

    /// A raw byte stream, read in chunks: bounded memory, and each frame is
    /// printed (and stdout flushed) as soon as the chunk that completes it arrives.
    /// `-p auto` picks the protocol from the first bytes (up to [`PROBE_BYTES`], or
    /// the first chunk read).
    pub fn raw(&mut self, name: &str, mut r: impl Read) -> Result<(), InputError> {
        let mut decoder = if self.auto {
            None
        } else {
            Some(self.stream(StreamCtx::default())?)
        };
        let mut head = Vec::new();
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(InputError(format!("cannot read {name}: {e}"))),
            };
            let chunk = buf.get(..n).unwrap_or(&[]);
            let p = &mut self.printer;
            if let Some(s) = decoder.as_mut() {
                s.push(chunk, &mut |r| p.print(&r, &[]));
            } else {
                head.extend_from_slice(chunk);
                if let Some((proto, _)) = probe(&self.candidates, self.opts, &head, false, false) {
                    let mut s = proto
                        .stream(self.opts, StreamCtx::default())
                        .map_err(InputError)?;
                    s.push(&head, &mut |r| p.print(&r, &[]));
                    head = Vec::new();
                    decoder = Some(s);
                } else if head.len() >= PROBE_BYTES {
                    let what = format!("the first {} bytes of {name}", head.len());
                    p.print(&unrecognised(&head, &what), &[]);
                    return Ok(());
                }
            }
            self.printer.flush();
        }
        let p = &mut self.printer;
        match decoder {
            Some(mut s) => s.finish(&mut |r| p.print(&r, &[])),
            None if head.is_empty() => {}
            None => match probe(&self.candidates, self.opts, &head, false, true) {
                Some((_, recs)) => recs.iter().for_each(|r| p.print(r, &[])),
                None => p.print(&unrecognised(&head, name), &[]),
            },
        }
        Ok(())
    }

    /// Text with one hex frame per line (`#` comments, blank lines), line by line.
    pub fn hex_lines(
        &mut self,
        name: &str,
        mut r: std::io::BufReader<Box<dyn Read>>,
    ) -> Result<(), InputError> {
        let mut line = Vec::new();
        for n in 1.. {
            if r.buffer().is_empty() {
                // about to wait for input: show what is decoded so far
                self.printer.flush();
            }
            line.clear();
            // a line is at most MAX_LINE bytes: memory stays bounded on any input
            match std::io::Read::by_ref(&mut r)
                .take(MAX_LINE as u64)
                .read_until(b'\n', &mut line)
            {
                Ok(0) => break,
                Ok(got) if got == MAX_LINE && line.last() != Some(&b'\n') => {
                    return Err(InputError(format!(
                        "{name}:{n}: line longer than {} MiB",
                        MAX_LINE >> 20
                    )));
                }
                Ok(_) => {}
                Err(e) => return Err(InputError(format!("cannot read {name}: {e}"))),
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let bytes =
                input::parse_hex(text).map_err(|e| InputError(format!("{name}:{n}: {e}")))?;
            self.hex_frame(&bytes)?;
        }
        Ok(())
    }

    /// A capture, packet by packet: one decoder per TCP stream direction and per
    /// UDP flow (datagram by datagram, so state such as DNP3 transport reassembly
    /// carries across datagrams). A flow's protocol comes from the candidates'
    /// well-known ports (the direction too: to the port is a request); a flow on
    /// another port is probed: its first bytes (TCP, up to [`PROBE_BYTES`]) or
    /// datagrams (UDP, up to [`PROBE_DATAGRAMS`]) are tried with every candidate,
    /// and it is skipped when none decodes them.
    pub fn pcap(&mut self, name: &str, r: impl Read) -> Result<(), InputError> {
        let mut flows: Vec<FlowState> = Vec::new();
        let mut failed = None;
        let (candidates, opts, printer) = (&self.candidates, self.opts, &mut self.printer);
        let read = input::read_pcap(r, &mut |ev| match ev {
            input::PcapEvent::NewFlow {
                id,
                name: flow,
                tcp,
                src_port,
                dst_port,
            } => {
                debug_assert_eq!(id, flows.len());
                let flow = Value::String(flow);
                let by_port = candidates.iter().find_map(|p| {
                    if p.ports().contains(&dst_port) {
                        Some((*p, Direction::Request))
                    } else if p.ports().contains(&src_port) {
                        Some((*p, Direction::Response))
                    } else {
                        None
                    }
                });
                let state = match by_port {
                    Some((proto, direction)) => {
                        let ctx = StreamCtx {
                            direction: Some(direction),
                        };
                        match proto.stream(opts, ctx) {
                            Ok(decoder) => FlowState::Decoding(PcapFlow { flow, tcp, decoder }),
                            Err(e) => {
                                failed.get_or_insert(e);
                                FlowState::Ignored
                            }
                        }
                    }
                    None => FlowState::Probing {
                        flow,
                        tcp,
                        head: Vec::new(),
                        tries: 0,
                    },
                };
                flows.push(state);
                true
            }
            input::PcapEvent::Data { id, data } => {
                let Some(state) = flows.get_mut(id) else {
                    return false;
                };
                if let FlowState::Probing {
                    flow,
                    tcp,
                    head,
                    tries,
                } = state
                {
                    let tcp = *tcp;
                    let bytes: &[u8] = if tcp {
                        head.extend_from_slice(data);
                        head
                    } else {
                        data
                    };
                    *tries += 1;
                    match probe(candidates, opts, bytes, !tcp, false) {
                        Some((proto, _)) => {
                            let decoder = match proto.stream(opts, StreamCtx::default()) {
                                Ok(d) => d,
                                Err(e) => {
                                    failed.get_or_insert(e);
                                    *state = FlowState::Ignored;
                                    return false;
                                }
                            };
                            let mut f = PcapFlow {
                                flow: flow.clone(),
                                tcp,
                                decoder,
                            };
                            let head = std::mem::take(head);
                            f.feed(if tcp { &head } else { data }, printer);
                            *state = FlowState::Decoding(f);
                        }
                        None if (tcp && head.len() >= PROBE_BYTES)
                            || (!tcp && *tries >= PROBE_DATAGRAMS) =>
                        {
                            *state = FlowState::Ignored;
                            return false;
                        }
                        None => {}
                    }
                } else if let FlowState::Decoding(f) = state {
                    f.feed(data, printer);
                }
                printer.flush();
                !matches!(state, FlowState::Ignored)
            }
            input::PcapEvent::End { id, gaps } => {
                let Some(state) = flows.get_mut(id) else {
                    return true;
                };
                // the flow is over: free its decoder
                let state = std::mem::replace(state, FlowState::Ignored);
                let mut f = match state {
                    FlowState::Decoding(f) => f,
                    FlowState::Probing {
                        flow,
                        tcp: true,
                        head,
                        ..
                    } if !head.is_empty() => match probe(candidates, opts, &head, false, true) {
                        Some((proto, _)) => match proto.stream(opts, StreamCtx::default()) {
                            Ok(decoder) => {
                                let mut f = PcapFlow {
                                    flow,
                                    tcp: true,
                                    decoder,
                                };
                                f.feed(&head, printer);
                                f
                            }
                            Err(_) => return true,
                        },
                        None => return true,
                    },
                    _ => return true,
                };
                if gaps > 0 {
                    eprintln!(
                        "meterwire: {name}: {}: {gaps} byte(s) missing from the capture",
                        f.flow.as_str().unwrap_or_default()
                    );
                }
                if f.tcp {
                    let extra = [("flow", f.flow.clone())];
                    f.decoder.finish(&mut |r| printer.print(&r, &extra));
                }
                true
            }
        });
        if let Some(e) = failed {
            return Err(InputError(e));
        }
        read.map_err(|e| InputError(format!("{name}: {e}")))
    }
}

/// A capture flow being decoded.
struct PcapFlow {
    flow: Value,
    tcp: bool,
    decoder: Box<dyn StreamDecoder>,
}

impl PcapFlow {
    /// TCP stream bytes, or one UDP datagram.
    fn feed(&mut self, data: &[u8], printer: &mut Printer) {
        let extra = [("flow", self.flow.clone())];
        let out = &mut |r: Record| printer.print(&r, &extra);
        if self.tcp {
            self.decoder.push(data, out);
        } else {
            self.decoder.push_hex_frame(data, out);
        }
    }
}

/// What a capture flow is.
enum FlowState {
    Decoding(PcapFlow),
    /// On an unknown port: the first bytes are tried with every candidate.
    Probing {
        flow: Value,
        tcp: bool,
        head: Vec<u8>,
        tries: usize,
    },
    Ignored,
}

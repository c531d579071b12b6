//! `meterwire`: decode utility-metering frames (Modbus, DNP3, DLMS/COSEM, ANSI C12,
//! ERT/R900) from hex, files and pcaps into JSON lines.
//!
//! ```text
//! meterwire decode -p <PROTOCOL> [options] (--hex HEX ... | FILE ... | -)
//! meterwire demo
//! meterwire protocols
//! ```
#![forbid(unsafe_code)]
// A command-line program, not library code: aborting on a broken stdout is fine,
// and the counters below cannot overflow in practice.
#![allow(clippy::arithmetic_side_effects)]

mod input;
mod output;
mod protocols;
mod samples;

use clap::{Parser, Subcommand};
use input::Format;
use output::Record;
use protocols::{Direction, Options, Protocol, StreamCtx, StreamDecoder};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "meterwire",
    version,
    about = "Decode utility-metering protocol frames (Modbus, DNP3, DLMS/COSEM, ANSI C12, ERT/R900) to JSON lines",
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode frames from hex arguments, files (raw stream, .hex/.txt lines, .pcap/.pcapng) or stdin (-).
    Decode(DecodeArgs),
    /// Decode the built-in real sample frames of every protocol.
    Demo {
        /// Indented JSON.
        #[arg(long)]
        pretty: bool,
        /// Only this protocol's samples.
        #[arg(short, long)]
        protocol: Option<String>,
    },
    /// List protocol names with one-line descriptions.
    Protocols,
}

#[derive(clap::Args)]
struct DecodeArgs {
    /// Protocol name (see `meterwire protocols`).
    #[arg(short, long)]
    protocol: String,
    /// One or more frames as hex (spaces, colons and 0x prefixes tolerated).
    #[arg(long, num_args = 1.., value_name = "HEX")]
    hex: Vec<String>,
    /// A demodulated bit stream (`0101...`) to search for packets (SCM/IDM/R900).
    #[arg(long, num_args = 1.., value_name = "BITS")]
    bits: Vec<String>,
    /// Files to read; `-` is stdin.
    #[arg(value_name = "FILE")]
    files: Vec<String>,
    /// How to read FILEs (default: by extension and magic; stdin is raw).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Frame direction where framing depends on it (Modbus RTU/ASCII); default: try both.
    #[arg(long, value_parser = ["request", "response"])]
    direction: Option<String>,
    /// C12.22 key, `KEYID:HEXKEY` (repeatable).
    #[arg(long = "key", value_name = "KEYID:HEX")]
    keys: Vec<String>,
    /// DLMS encryption key (hex).
    #[arg(long)]
    ek: Option<String>,
    /// DLMS authentication key (hex).
    #[arg(long)]
    ak: Option<String>,
    /// DLMS system title of the sender (hex, 8 bytes).
    #[arg(long)]
    system_title: Option<String>,
    /// Enable error correction (SCM BCH, R900 Reed-Solomon).
    #[arg(long)]
    correct: bool,
    /// Reject frames that depart from the standard (diagnostics become errors).
    #[arg(long)]
    strict: bool,
    /// Decrypt without verifying the authentication tag (DLMS/P1 with only the
    /// encryption key); results are marked `not_verified`.
    #[arg(long)]
    no_verify: bool,
    /// Print OBIS readings (`{"protocol","meter","time","readings":[...]}`) instead of frames.
    #[arg(long)]
    readings: bool,
    /// Indented JSON.
    #[arg(long)]
    pretty: bool,
    /// Print counts per frame type to stderr.
    #[arg(long)]
    stats: bool,
}

/// Prints records and counts them.
struct Printer {
    pretty: bool,
    rejected: usize,
    decoded: usize,
    /// Decoded frames that carry at least one diagnostic.
    with_diagnostics: usize,
    stats: BTreeMap<String, usize>,
    out: std::io::BufWriter<Box<dyn Write>>,
}

impl Printer {
    fn new(pretty: bool) -> Self {
        Printer::to(pretty, Box::new(std::io::stdout()))
    }

    fn to(pretty: bool, out: Box<dyn Write>) -> Self {
        Printer {
            pretty,
            rejected: 0,
            decoded: 0,
            with_diagnostics: 0,
            stats: BTreeMap::new(),
            out: std::io::BufWriter::new(out),
        }
    }

    fn print(&mut self, rec: &Record, extra: &[(&str, Value)]) {
        if rec.is_ok() {
            self.decoded += 1;
            let kinds = rec.diagnostic_kinds();
            if !kinds.is_empty() {
                self.with_diagnostics += 1;
            }
            for k in kinds {
                *self.stats.entry(format!("diagnostic:{k}")).or_default() += 1;
            }
        } else {
            self.rejected += 1;
        }
        *self.stats.entry(rec.label()).or_default() += 1;
        let v = rec.to_json(extra);
        let text = if self.pretty {
            serde_json::to_string_pretty(&v)
        } else {
            serde_json::to_string(&v)
        }
        .unwrap_or_default();
        if writeln!(self.out, "{text}").is_err() {
            // stdout closed (e.g. piped into `head`): stop quietly
            std::process::exit(0);
        }
    }

    /// Pushes what was printed so far to stdout (after each input chunk, so a
    /// live stream shows its frames as they arrive).
    fn flush(&mut self) {
        if self.out.flush().is_err() {
            std::process::exit(0);
        }
    }

    /// The `--stats` lines: totals, then a count per label (`rejected:<kind>` for
    /// errors, `diagnostic:<kind>` per diagnostic of decoded frames).
    fn summary(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "decoded {} ({} with diagnostics) rejected {}",
            self.decoded, self.with_diagnostics, self.rejected
        )];
        for (label, n) in &self.stats {
            lines.push(format!("{n:>8}  {label}"));
        }
        lines
    }

    /// Exit status: 0 when every frame decoded (with or without diagnostics),
    /// 1 when any was rejected (including `nonconforming` under `--strict`).
    fn finish(&mut self, stats: bool) -> ExitCode {
        self.flush();
        if stats {
            for line in self.summary() {
                eprintln!("{line}");
            }
        }
        if self.rejected == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        }
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("meterwire: {msg}");
    ExitCode::from(2)
}

fn parse_options(a: &DecodeArgs) -> Result<Options, String> {
    let hex_opt = |o: &Option<String>, what: &str| -> Result<Option<Vec<u8>>, String> {
        o.as_deref()
            .map(|h| input::parse_hex(h).map_err(|e| format!("--{what}: {e}")))
            .transpose()
    };
    let mut keys = Vec::new();
    for k in &a.keys {
        let (id, hex) = k
            .split_once(':')
            .ok_or_else(|| format!("--key {k:?}: expected KEYID:HEXKEY"))?;
        keys.push((
            id.to_string(),
            input::parse_hex(hex).map_err(|e| format!("--key: {e}"))?,
        ));
    }
    Ok(Options {
        direction: match a.direction.as_deref() {
            Some("request") => Some(Direction::Request),
            Some("response") => Some(Direction::Response),
            _ => None,
        },
        keys,
        ek: hex_opt(&a.ek, "ek")?,
        ak: hex_opt(&a.ak, "ak")?,
        system_title: hex_opt(&a.system_title, "system-title")?,
        correct: a.correct,
        strictness: if a.strict {
            meterwire_core::Strictness::Strict
        } else {
            meterwire_core::Strictness::Lenient
        },
        no_verify: a.no_verify,
        readings: a.readings,
    })
}

/// Size of one read from a file or stdin.
const CHUNK: usize = 1 << 16;

/// An input that failed mid-way: a read error or a bad hex line (usage errors).
struct InputError(String);

/// Decodes inputs for one protocol, printing each record as soon as it is complete.
struct Session<'a> {
    proto: &'static dyn Protocol,
    opts: &'a Options,
    printer: Printer,
}

impl Session<'_> {
    fn stream(&self, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, InputError> {
        self.proto.stream(self.opts, ctx).map_err(InputError)
    }

    /// One complete frame (`--hex`, a line of a hex file).
    fn hex_frame(&mut self, bytes: &[u8]) -> Result<(), InputError> {
        let mut s = self.stream(StreamCtx::default())?;
        let p = &mut self.printer;
        s.push_hex_frame(bytes, &mut |r| p.print(&r, &[]));
        Ok(())
    }

    /// A raw byte stream, read in chunks: bounded memory, and each frame is
    /// printed (and stdout flushed) as soon as the chunk that completes it arrives.
    fn raw(&mut self, name: &str, mut r: impl Read) -> Result<(), InputError> {
        let mut s = self.stream(StreamCtx::default())?;
        let mut buf = vec![0u8; CHUNK];
        loop {
            let n = match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(InputError(format!("cannot read {name}: {e}"))),
            };
            let p = &mut self.printer;
            s.push(buf.get(..n).unwrap_or(&[]), &mut |r| p.print(&r, &[]));
            self.printer.flush();
        }
        let p = &mut self.printer;
        s.finish(&mut |r| p.print(&r, &[]));
        Ok(())
    }

    /// Text with one hex frame per line (`#` comments, blank lines), line by line.
    fn hex_lines(
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
            match r.read_until(b'\n', &mut line) {
                Ok(0) => break,
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
    /// carries across datagrams), chosen by the protocol's well-known ports.
    fn pcap(&mut self, name: &str, r: impl Read) -> Result<(), InputError> {
        let ports = self.proto.ports();
        if ports.is_empty() {
            return Err(InputError(format!(
                "{}: pcap input needs a TCP/UDP protocol",
                self.proto.name()
            )));
        }
        let mut flows: Vec<Option<PcapFlow>> = Vec::new();
        let mut failed = None;
        let (proto, opts, printer) = (self.proto, self.opts, &mut self.printer);
        let read = input::read_pcap(r, &mut |ev| match ev {
            input::PcapEvent::NewFlow {
                id,
                name: flow,
                tcp,
                src_port,
                dst_port,
            } => {
                let direction = if ports.contains(&dst_port) {
                    Some(Some(Direction::Request))
                } else if ports.contains(&src_port) {
                    Some(Some(Direction::Response))
                } else {
                    None
                };
                let Some(direction) = direction else {
                    flows.push(None);
                    return false;
                };
                debug_assert_eq!(id, flows.len());
                match proto.stream(opts, StreamCtx { direction }) {
                    Ok(decoder) => {
                        flows.push(Some(PcapFlow {
                            flow: Value::String(flow),
                            tcp,
                            decoder,
                        }));
                        true
                    }
                    Err(e) => {
                        failed.get_or_insert(e);
                        flows.push(None);
                        false
                    }
                }
            }
            input::PcapEvent::Data { id, data } => {
                if let Some(Some(f)) = flows.get_mut(id) {
                    let extra = [("flow", f.flow.clone())];
                    let out = &mut |r: Record| printer.print(&r, &extra);
                    if f.tcp {
                        f.decoder.push(data, out);
                    } else {
                        f.decoder.push_hex_frame(data, out);
                    }
                    printer.flush();
                }
                true
            }
            input::PcapEvent::End { id, gaps } => {
                if let Some(Some(f)) = flows.get_mut(id) {
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
                }
                // the flow is over: free its decoder
                if let Some(slot) = flows.get_mut(id) {
                    *slot = None;
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

fn decode(a: DecodeArgs) -> ExitCode {
    let Some(proto) = protocols::find(&a.protocol) else {
        let names: Vec<_> = protocols::ALL.iter().map(|p| p.name()).collect();
        return usage_error(&format!(
            "unknown protocol {:?}; known: {}",
            a.protocol,
            names.join(", ")
        ));
    };
    let opts = match parse_options(&a) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    if a.hex.is_empty() && a.files.is_empty() && a.bits.is_empty() {
        return usage_error("nothing to decode: give --hex HEX, --bits BITS, FILE or - (stdin)");
    }
    // validate every argument (and open every file) before printing anything
    if let Err(e) = proto.stream(&opts, StreamCtx::default()) {
        return usage_error(&e);
    }
    let mut hex_frames = Vec::new();
    for h in &a.hex {
        match input::parse_hex(h) {
            Ok(b) => hex_frames.push(b),
            Err(e) => return usage_error(&e),
        }
    }
    let mut bit_streams = Vec::new();
    for b in &a.bits {
        match input::parse_bits(b) {
            Ok(v) => bit_streams.push(v),
            Err(e) => return usage_error(&e),
        }
    }
    let mut files = Vec::new();
    for f in &a.files {
        let r: Box<dyn Read> = if f == "-" {
            Box::new(std::io::stdin())
        } else {
            match std::fs::File::open(f) {
                Ok(h) => Box::new(h),
                Err(e) => return usage_error(&format!("cannot read {f}: {e}")),
            }
        };
        files.push((f.clone(), std::io::BufReader::with_capacity(CHUNK, r)));
    }
    let mut session = Session {
        proto,
        opts: &opts,
        printer: Printer::new(a.pretty),
    };
    let result = (|| {
        for bytes in &hex_frames {
            session.hex_frame(bytes)?;
        }
        for bits in &bit_streams {
            let mut s = session.stream(StreamCtx::default())?;
            let p = &mut session.printer;
            s.push_bits(proto.name(), bits, &mut |r| p.print(&r, &[]));
        }
        for (name, mut r) in files {
            let format = match a.format {
                Some(f) => f,
                None if name == "-" => Format::Raw,
                None => {
                    let head = r
                        .fill_buf()
                        .map_err(|e| InputError(format!("cannot read {name}: {e}")))?;
                    input::detect_format(&name, head.get(..4).unwrap_or(head))
                }
            };
            match format {
                Format::Raw => session.raw(&name, r)?,
                Format::Hex => session.hex_lines(&name, r)?,
                Format::Pcap => session.pcap(&name, r)?,
            }
        }
        Ok(())
    })();
    if let Err(InputError(e)) = result {
        session.printer.flush();
        return usage_error(&e);
    }
    session.printer.finish(a.stats)
}

fn demo(pretty: bool, only: Option<&str>) -> ExitCode {
    let mut printer = Printer::new(pretty);
    let mut any = false;
    for proto in protocols::ALL {
        if only.is_some_and(|o| o != proto.name()) {
            continue;
        }
        for sample in proto.samples() {
            any = true;
            let bytes = match input::parse_hex(sample.hex) {
                Ok(b) => b,
                Err(e) => return usage_error(&format!("built-in sample {:?}: {e}", sample.title)),
            };
            let opts = Options {
                direction: sample.direction,
                ..protocols::demo_options(proto.name())
            };
            let mut s = match proto.stream(
                &opts,
                StreamCtx {
                    direction: sample.direction,
                },
            ) {
                Ok(s) => s,
                Err(e) => return usage_error(&e),
            };
            let extra = [
                ("sample", Value::String(sample.title.into())),
                ("source", Value::String(sample.source.into())),
            ];
            s.push_hex_frame(&bytes, &mut |r| printer.print(&r, &extra));
        }
    }
    if !any {
        return usage_error("no built-in samples for that protocol");
    }
    printer.finish(false)
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Decode(a) => decode(a),
        Command::Demo { pretty, protocol } => demo(pretty, protocol.as_deref()),
        Command::Protocols => {
            for p in protocols::ALL {
                println!("{:<14} {}", p.name(), p.description());
            }
            ExitCode::SUCCESS
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use meterwire_core::{Diagnostic, DiagnosticKind};
    use output::ErrorJson;
    use serde_json::json;

    fn frame(fields: Value) -> Record {
        let Value::Object(m) = fields else {
            unreachable!()
        };
        Record::frame(
            "modbus-tcp",
            "request:read_holding_registers".into(),
            m,
            0,
            &[1, 2],
        )
    }

    #[test]
    fn diagnostics_are_printed_and_counted_and_do_not_change_the_exit_status() {
        let mut p = Printer::to(false, Box::new(std::io::sink()));
        let with = frame(json!({
            "unit_id": 5,
            "diagnostics": [
                {"kind": "non_zero_protocol_id", "field": "mbap protocol id", "message": "expected 0"},
                {"kind": "trailing_bytes", "field": "pdu", "message": "2 bytes after the pdu"}
            ]
        }));
        // an inner layer's list counts too (e.g. DNP3 application)
        let inner = frame(json!({
            "link": {"function": 4},
            "application": {"diagnostics": [{"kind": "unreassembled", "field": "transport", "message": "fir=0"}]}
        }));
        let without = frame(json!({"unit_id": 5}));
        assert_eq!(
            with.diagnostic_kinds(),
            ["non_zero_protocol_id", "trailing_bytes"]
        );
        assert_eq!(inner.diagnostic_kinds(), ["unreassembled"]);
        assert!(without.diagnostic_kinds().is_empty());
        // the field reaches the printed JSON unchanged
        let printed = with.to_json(&[]);
        assert_eq!(printed["diagnostics"][1]["kind"], "trailing_bytes");
        assert_eq!(printed["diagnostics"][0]["field"], "mbap protocol id");
        for r in [&with, &inner, &without] {
            p.print(r, &[]);
        }
        let summary = p.summary();
        assert_eq!(summary[0], "decoded 3 (2 with diagnostics) rejected 0");
        assert!(summary.contains(&format!("{:>8}  diagnostic:trailing_bytes", 1)));
        assert!(summary.contains(&format!("{:>8}  diagnostic:unreassembled", 1)));
        assert_eq!(p.finish(false), ExitCode::SUCCESS);
    }

    #[test]
    fn strict_rejection_prints_nonconforming_and_exits_1() {
        let d = Diagnostic::new(
            DiagnosticKind::NonZeroProtocolId,
            "mbap protocol id",
            "expected 0",
        );
        let e = ErrorJson::from_error(&meterwire_core::Error::Nonconforming(d));
        assert_eq!(e.kind, "nonconforming");
        let rec = Record::rejected("modbus-tcp", e, 7, &[0xde, 0xad]);
        let v = rec.to_json(&[]);
        assert_eq!(v["error"]["kind"], "nonconforming");
        assert!(
            v["error"]["message"]
                .as_str()
                .unwrap()
                .contains("non_zero_protocol_id"),
            "{v}"
        );
        assert_eq!(v["offset"], 7);
        assert_eq!(v["hex"], "dead");
        let mut p = Printer::to(false, Box::new(std::io::sink()));
        p.print(&frame(json!({"unit_id": 1})), &[]);
        p.print(&rec, &[]);
        assert_eq!(p.summary()[0], "decoded 1 (0 with diagnostics) rejected 1");
        assert!(
            p.summary()
                .contains(&format!("{:>8}  rejected:nonconforming", 1))
        );
        assert_eq!(p.finish(false), ExitCode::from(1));
    }
}

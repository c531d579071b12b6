//! `meterwire`: decode utility-metering frames (Modbus, DNP3, DLMS/COSEM, ANSI C12,
//! ERT/R900) from hex, files and pcaps into JSON lines.
//!
//! ```text
//! meterwire decode -p <PROTOCOL|auto> [options] (--hex HEX ... | FILE ... | -)
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
// DLMS `--readings` (issue 16).
mod readings;
mod samples;
mod session;

use clap::{Parser, Subcommand};
use input::Format;
use output::Printer;
use protocols::{Direction, Options, StreamCtx};
use serde_json::Value;
use session::{CHUNK, InputError, Session, auto_candidates};
use std::io::{BufRead, Read};
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
    /// Protocol name (see `meterwire protocols`), or `auto`: per pcap flow from the
    /// well-known port, otherwise the protocol that decodes the first bytes.
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

/// `-p auto` and its line in `meterwire protocols`.
const AUTO: &str = "auto";
const AUTO_HELP: &str =
    "per pcap flow from the well-known port, otherwise the protocol that decodes the first bytes";

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

fn decode(a: DecodeArgs) -> ExitCode {
    let auto = a.protocol == AUTO;
    let candidates = if auto {
        auto_candidates()
    } else if let Some(proto) = protocols::find(&a.protocol) {
        vec![proto]
    } else {
        let names: Vec<_> = protocols::ALL.iter().map(|p| p.name()).collect();
        return usage_error(&format!(
            "unknown protocol {:?}; known: auto, {}",
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
    for proto in &candidates {
        if let Err(e) = proto.stream(&opts, StreamCtx::default()) {
            return usage_error(&e);
        }
    }
    if auto && !a.bits.is_empty() {
        return usage_error("--bits needs a protocol (-p scm, idm, r900, ...), not auto");
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
        candidates,
        auto,
        opts: &opts,
        printer: Printer::new(a.pretty),
    };
    let result = (|| {
        for bytes in &hex_frames {
            session.hex_frame(bytes)?;
        }
        for bits in &bit_streams {
            let proto = session.first()?;
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
            let ctx = StreamCtx {
                direction: sample.direction,
            };
            let mut s = match proto.stream(&opts, ctx) {
                Ok(s) => s,
                Err(e) => return usage_error(&e),
            };
            let extra = [
                ("sample", Value::String(sample.title.into())),
                ("source", Value::String(sample.source.into())),
            ];
            s.push_hex_frame(&bytes, &mut |r| printer.print(&r, &extra));
            // the real pushes and telegrams also as OBIS readings (`--readings`)
            if matches!(
                proto.name(),
                "dlms-apdu" | "dlms-hdlc" | "dlms-wrapper" | "p1"
            ) {
                let ropts = Options {
                    readings: true,
                    ..opts.clone()
                };
                if let Ok(mut s) = proto.stream(&ropts, ctx) {
                    s.push_hex_frame(&bytes, &mut |r| {
                        if r.to_json(&[]).get("readings").is_some() {
                            printer.print(&r, &extra);
                        }
                    });
                }
            }
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
            println!("{:<14} {}", AUTO, AUTO_HELP);
            for p in protocols::ALL {
                println!("{:<14} {}", p.name(), p.description());
            }
            ExitCode::SUCCESS
        }
    }
}

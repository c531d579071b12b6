//! The protocol registry: each protocol crate plugs in here with one module.
//!
//! A protocol module declares its unit structs with `protocols!` (name, ports,
//! description, how to build the stream decoder) and adds them to [`ALL`]. Most
//! protocols only need [`FramerStream`], which drives a meterwire `Framer` and maps
//! each frame view to JSON.

/// Declares protocols: for each, a unit struct (with the attributes given) and its
/// [`Protocol`] impl, from the `-p` name, the `ports` (optional), the description,
/// and the body of [`Protocol::stream`] written as a closure of the name, the
/// options and the stream context.
///
/// ```text
/// protocols! {
///     /// `-p foo`.
///     Foo "foo" ports [1234] => "Foo frames, port 1234",
///         |name, opts, _ctx| Ok(FramerStream::boxed(name, FooFramer::new(), |f| to_json(f)));
/// }
/// ```
macro_rules! protocols {
    ($(
        $(#[$attr:meta])*
        $ty:ident $name:literal $(ports $ports:expr)? => $desc:literal,
            |$n:ident, $o:pat_param, $c:pat_param| $stream:expr;
    )*) => {$(
        $(#[$attr])*
        pub struct $ty;

        impl $crate::protocols::Protocol for $ty {
            fn name(&self) -> &'static str {
                $name
            }
            fn description(&self) -> &'static str {
                $desc
            }
            $(fn ports(&self) -> &'static [u16] {
                &$ports
            })?
            fn stream(
                &self,
                $o: &$crate::protocols::Options,
                $c: $crate::protocols::StreamCtx,
            ) -> Result<Box<dyn $crate::protocols::StreamDecoder>, String> {
                let $n: &'static str = $name;
                $stream
            }
        }
    )*};
}

pub mod c12;
pub mod dlms;
pub mod dnp3;
pub mod modbus;
pub mod p1;
pub mod scm_idm;

use crate::output::{ErrorJson, Record};
use meterwire_core::{Classify, Event, FrameReader, Framer};
use serde_json::{Map, Value};

/// Options from the command line that protocols may use.
#[derive(Debug, Default, Clone)]
pub struct Options {
    /// `--direction request|response` (Modbus RTU/ASCII); `None` = try both.
    pub direction: Option<Direction>,
    /// `--key KEYID:HEX` (C12.22), in order.
    pub keys: Vec<(String, Vec<u8>)>,
    /// `--ek HEX` (DLMS encryption key).
    pub ek: Option<Vec<u8>>,
    /// `--ak HEX` (DLMS authentication key).
    pub ak: Option<Vec<u8>>,
    /// `--system-title HEX` (DLMS).
    pub system_title: Option<Vec<u8>>,
    /// `--correct` (SCM/R900 error correction).
    pub correct: bool,
    /// `--strict`: diagnostics become errors (lenient by default).
    #[allow(dead_code)] // wired per protocol this round
    pub strictness: meterwire_core::Strictness,
    /// `--no-verify`: decrypt without checking the tag (marked `not_verified`).
    #[allow(dead_code)] // wired per protocol this round
    pub no_verify: bool,
    /// `--readings`: print OBIS readings instead of frames, where the protocol has them.
    #[allow(dead_code)] // wired per protocol this round
    pub readings: bool,
}

/// Direction of a frame, where the protocol's framing depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client/master to server/outstation.
    Request,
    /// Server/outstation to client/master.
    Response,
}

/// Where a byte stream comes from.
#[derive(Debug, Default, Clone, Copy)]
pub struct StreamCtx {
    /// For pcap input: `Some(Request)` when the packets go to the protocol's
    /// well-known port, `Some(Response)` when they come from it.
    pub direction: Option<Direction>,
}

/// A built-in sample frame for `meterwire demo`, parsed from `cli/samples/<name>.txt`
/// (see [`crate::samples`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// What it is.
    pub title: &'static str,
    /// Where it comes from (capture file and frame number, spec clause).
    pub source: &'static str,
    /// The frame (or stream) as hex.
    pub hex: &'static str,
    /// The direction, when it matters.
    pub direction: Option<Direction>,
}

/// One protocol name of the CLI.
pub trait Protocol: Sync {
    /// The `-p` name, e.g. `modbus-tcp`.
    fn name(&self) -> &'static str;
    /// One-line description for `meterwire protocols`.
    fn description(&self) -> &'static str;
    /// TCP/UDP ports whose payloads a pcap holds for this protocol.
    fn ports(&self) -> &'static [u16] {
        &[]
    }
    /// Samples for `meterwire demo`: by default the lines of `cli/samples/<name>.txt`.
    fn samples(&self) -> &'static [Sample] {
        crate::samples::of(self.name())
    }
    /// A decoder for one byte stream; `Err` is a usage error (e.g. a bad key).
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String>;
}

/// Decodes one byte stream into records.
pub trait StreamDecoder {
    /// Feeds bytes; emits every record that is complete.
    fn push(&mut self, data: &[u8], out: &mut dyn FnMut(Record));
    /// End of stream: emits what is left (a truncated frame is a rejected record).
    fn finish(&mut self, out: &mut dyn FnMut(Record));
    /// Parses `line` as hex for `--hex`/`.hex` input in this protocol's own way
    /// (default: plain bytes). SCM/R900 may override to accept bit strings.
    fn push_hex_frame(&mut self, bytes: &[u8], out: &mut dyn FnMut(Record)) {
        self.push(bytes, out);
        self.finish(out);
    }
    /// `--bits 0101...`: a demodulated bit stream to search for packets (SCM/IDM/R900
    /// override this). The default rejects it as unsupported for the protocol.
    fn push_bits(&mut self, protocol: &'static str, bits: &[bool], out: &mut dyn FnMut(Record)) {
        let _ = bits;
        out(Record::rejected(
            protocol,
            ErrorJson::new(
                "unsupported",
                format!("--bits input is not supported by {protocol}"),
            ),
            0,
            &[],
        ));
    }
}

/// What a frame maps to: a short label for `--stats` (e.g. the function name) and
/// the JSON fields printed after `"protocol"` (an object), or why it is rejected.
pub type Fields = Result<(String, Map<String, Value>), ErrorJson>;

/// Maps a frame view to its [`Fields`].
pub type ToJson<F> = for<'a> fn(&<F as Framer>::Frame<'a>) -> Fields;

/// Like [`ToJson`], also given the frame's raw bytes and per-stream state (e.g.
/// reassembly buffers, keys).
pub type ToJsonWith<F, S> = for<'a> fn(&<F as Framer>::Frame<'a>, &[u8], &mut S) -> Fields;

/// The record of a frame at `offset` whose mapping gave `fields`: a frame, or
/// rejected with the mapping's error.
pub fn record(protocol: &'static str, fields: Fields, offset: u64, raw: &[u8]) -> Record {
    match fields {
        Ok((label, fields)) => Record::frame(protocol, label, fields, offset, raw),
        Err(e) => Record::rejected(protocol, e, offset, raw),
    }
}

/// The most a stream decoder buffers of one incomplete frame (memory stays bounded
/// whatever the input).
pub const MAX_BUFFER: usize = 1 << 20;

/// A [`StreamDecoder`] for any `Framer` whose frames map to JSON, with optional
/// per-stream state `S` handed to the mapping function.
pub struct FramerStream<F: Framer, S> {
    protocol: &'static str,
    reader: FrameReader<F, Vec<u8>>,
    state: S,
    to_json: ToJsonWith<F, S>,
    /// `finish` was called: a truncated frame is the end of the stream, not a
    /// frame too long for the buffer.
    finished: bool,
}

impl<F: Framer + 'static> FramerStream<F, ToJson<F>> {
    /// Boxes a stream decoder for `protocol` over `framer`.
    pub fn boxed(protocol: &'static str, framer: F, to_json: ToJson<F>) -> Box<dyn StreamDecoder> {
        let call: ToJsonWith<F, ToJson<F>> = |frame, _raw, to_json| to_json(frame);
        FramerStream::boxed_with(protocol, framer, to_json, call)
    }
}

impl<F: Framer + 'static, S: 'static> FramerStream<F, S> {
    /// Boxes a stream decoder whose mapping function also gets `state`.
    pub fn boxed_with(
        protocol: &'static str,
        framer: F,
        state: S,
        to_json: ToJsonWith<F, S>,
    ) -> Box<dyn StreamDecoder> {
        Box::new(FramerStream {
            protocol,
            reader: FrameReader::new(framer, Vec::new()).with_max_len(MAX_BUFFER),
            state,
            to_json,
            finished: false,
        })
    }

    fn drain(&mut self, out: &mut dyn FnMut(Record)) {
        let FramerStream {
            protocol,
            reader,
            state,
            to_json,
            finished,
        } = self;
        let protocol = *protocol;
        while let Some(ev) = reader.next_event() {
            let rec = match ev {
                Event::Frame { frame, offset, raw } => {
                    record(protocol, to_json(&frame, raw, state), offset, raw)
                }
                Event::Error {
                    error,
                    offset,
                    skipped,
                } => Record::rejected(protocol, ErrorJson::from_error(&error), offset, skipped),
                Event::Truncated {
                    needed,
                    offset,
                    rest,
                } => Record::rejected(
                    protocol,
                    ErrorJson::new(
                        "truncated",
                        if *finished {
                            format!(
                                "truncated: stream ended, {} more byte(s) needed",
                                needed.bytes()
                            )
                        } else {
                            format!(
                                "truncated: the frame needs {} more byte(s), more than the \
                                 {}-byte buffer holds; dropped up to the next possible start",
                                needed.bytes(),
                                MAX_BUFFER
                            )
                        },
                    ),
                    offset,
                    rest,
                ),
            };
            out(rec);
        }
    }
}

impl<F: Framer + 'static, S: 'static> StreamDecoder for FramerStream<F, S> {
    fn push(&mut self, data: &[u8], out: &mut dyn FnMut(Record)) {
        let mut data = data;
        while !data.is_empty() {
            let accepted = match self.reader.push(data) {
                Ok(()) => data.len(),
                Err(e) => e.accepted.min(data.len()),
            };
            self.finished = false;
            data = data.get(accepted..).unwrap_or(&[]);
            let before = self.reader.offset();
            self.drain(out);
            if accepted == 0 && self.reader.offset() == before {
                // cannot happen with a growable buffer (the reader drops a frame
                // that can never fit); never loop forever on a full buffer
                break;
            }
        }
    }

    fn finish(&mut self, out: &mut dyn FnMut(Record)) {
        self.finished = true;
        self.reader.finish();
        self.drain(out);
    }
}

/// Makes [`ErrorJson`] from any classified error.
impl ErrorJson {
    /// `{"kind": .., "message": ..}` from a crate error.
    pub fn from_error<E: core::fmt::Display + Classify>(e: &E) -> Self {
        ErrorJson::new(e.kind().as_str(), e.to_string())
    }
}

/// Serializes any `Serialize` view into a JSON object (for [`ToJson`] functions).
pub fn object<T: serde::Serialize>(v: &T) -> Result<Map<String, Value>, ErrorJson> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => {
            let mut m = Map::new();
            m.insert("value".into(), other);
            Ok(m)
        }
        Err(e) => Err(ErrorJson::new("malformed", e.to_string())),
    }
}

/// Every protocol, in `meterwire protocols` order.
pub static ALL: &[&dyn Protocol] = &[
    &modbus::ModbusTcp,
    &modbus::ModbusRtu,
    &modbus::ModbusAscii,
    &dnp3::Dnp3Protocol,
    &dlms::DlmsHdlc,
    &dlms::DlmsWrapper,
    &dlms::DlmsApdu,
    &c12::C1218,
    &c12::C1222,
    &scm_idm::ScmProtocol,
    &scm_idm::ScmPlusProtocol,
    &scm_idm::IdmProtocol,
    &scm_idm::NetIdmProtocol,
    &scm_idm::R900Protocol,
    &scm_idm::R900BcdProtocol,
    &p1::P1Protocol,
    &p1::Iec21Protocol,
];

/// Options the `demo` needs for a protocol's samples (published test keys).
/// Protocol modules with encrypted samples add their case here.
pub fn demo_options(name: &str) -> Options {
    match name {
        "c1222" => c12::demo_options(),
        "dlms-apdu" => dlms::demo_options(),
        "p1" => p1::demo_options(),
        _ => Options::default(),
    }
}

/// Looks up a protocol by `-p` name.
pub fn find(name: &str) -> Option<&'static dyn Protocol> {
    ALL.iter().copied().find(|p| p.name() == name)
}

/// Runs protocols over test inputs, for the protocol modules' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Options, Protocol, StreamCtx, StreamDecoder};
    use crate::output::Record;
    use serde_json::Value;

    fn records(
        p: &dyn Protocol,
        opts: &Options,
        feed: impl FnOnce(&mut dyn StreamDecoder, &mut dyn FnMut(Record)),
    ) -> Vec<Record> {
        let mut s = p.stream(opts, StreamCtx::default()).unwrap();
        let mut out = Vec::new();
        feed(&mut *s, &mut |r| out.push(r));
        out
    }

    fn json(records: Vec<Record>) -> Vec<Value> {
        records.iter().map(|r| r.to_json(&[])).collect()
    }

    /// The records of `bytes` given as one hex frame (`--hex`, a line of a hex file).
    pub fn hex_frame_records(p: &dyn Protocol, opts: &Options, bytes: &[u8]) -> Vec<Record> {
        records(p, opts, |s, out| s.push_hex_frame(bytes, out))
    }

    /// The JSON of [`hex_frame_records`].
    pub fn hex_frame(p: &dyn Protocol, opts: &Options, bytes: &[u8]) -> Vec<Value> {
        json(hex_frame_records(p, opts, bytes))
    }

    /// The records of `bytes` as a byte stream: pushed whole, then finished.
    pub fn stream_records(p: &dyn Protocol, opts: &Options, bytes: &[u8]) -> Vec<Record> {
        records(p, opts, |s, out| {
            s.push(bytes, out);
            s.finish(out);
        })
    }

    /// The JSON of [`stream_records`].
    pub fn stream(p: &dyn Protocol, opts: &Options, bytes: &[u8]) -> Vec<Value> {
        json(stream_records(p, opts, bytes))
    }

    /// `--strict`.
    pub fn strict() -> Options {
        Options {
            strictness: meterwire_core::Strictness::Strict,
            ..Options::default()
        }
    }

    /// Asserts that `--strict` rejects `bytes`, given as a hex frame, as nonconforming.
    pub fn assert_strict_rejects(p: &dyn Protocol, bytes: &[u8]) {
        let out = hex_frame(p, &strict(), bytes);
        assert_eq!(
            out[0]["error"]["kind"],
            "nonconforming",
            "{}: {}",
            p.name(),
            out[0]
        );
    }

    /// The bytes of sample `i` of `p`.
    pub fn sample(p: &dyn Protocol, i: usize) -> Vec<u8> {
        hex::decode(p.samples()[i].hex.trim()).unwrap()
    }

    /// Asserts that every sample of every protocol in `protocols`, given as a hex
    /// frame, decodes to exactly one record without an error.
    pub fn assert_samples_decode(protocols: &[&dyn Protocol]) {
        for &p in protocols {
            for (i, s) in p.samples().iter().enumerate() {
                let out = hex_frame(p, &Options::default(), &sample(p, i));
                assert_eq!(out.len(), 1, "{}: {}", p.name(), s.title);
                let r = &out[0];
                assert!(r.get("error").is_none(), "{}: {}: {r}", p.name(), s.title);
            }
        }
    }

    /// The JSON of `--bits` input.
    pub fn bits(p: &dyn Protocol, opts: &Options, bits: &[bool]) -> Vec<Value> {
        json(records(p, opts, |s, out| s.push_bits(p.name(), bits, out)))
    }
}

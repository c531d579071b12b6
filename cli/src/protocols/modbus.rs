//! Modbus TCP, RTU and ASCII (meterwire-modbus).

use super::{
    Direction, ErrorJson, FramerStream, Options, Protocol, StreamCtx, StreamDecoder, object,
};
use crate::output::Record;
use meterwire_modbus::{
    self as mb, AsciiAdu, AsciiFramer, Pdu, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
};
use serde_json::{Map, Value};

fn direction(opts: &Options, ctx: StreamCtx) -> Option<mb::Direction> {
    opts.direction.or(ctx.direction).map(|d| match d {
        Direction::Request => mb::Direction::Request,
        Direction::Response => mb::Direction::Response,
    })
}

/// The `--stats` label. Unknown, reserved and user-defined function codes are
/// frames too (raw data and a diagnostic in the JSON), labelled `...:unsupported`.
fn label(pdu: &Pdu<'_>) -> Result<String, ErrorJson> {
    Ok(match pdu.exception() {
        Some((code, _)) => format!(
            "exception:{}",
            mb::pdu::function_name(code & 0x7F).unwrap_or("unknown")
        ),
        None => format!("{}:{}", pdu.direction().as_str(), pdu.name()),
    })
}

fn tcp_json(frame: &TcpFrame<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    Ok((label(&frame.pdu)?, object(frame)?))
}

fn rtu_json(frame: &RtuFrame<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    Ok((label(&frame.pdu)?, object(frame)?))
}

fn ascii_json(adu: &AsciiAdu<'_>) -> Result<(String, Map<String, Value>), ErrorJson> {
    let frame = adu.frame().map_err(|e| ErrorJson::from_error(&e))?;
    Ok((label(&frame.pdu)?, object(&frame)?))
}

/// `modbus-tcp`.
pub struct ModbusTcp;

impl Protocol for ModbusTcp {
    fn name(&self) -> &'static str {
        "modbus-tcp"
    }
    fn description(&self) -> &'static str {
        "Modbus TCP (MBAP), port 502"
    }
    fn ports(&self) -> &'static [u16] {
        &[mb::tcp::PORT]
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-tcp",
            TcpFramer::with_direction(direction(opts, ctx)).strictness(opts.strictness),
            |f| tcp_json(f),
        ))
    }
}

/// `modbus-rtu`.
pub struct ModbusRtu;

impl Protocol for ModbusRtu {
    fn name(&self) -> &'static str {
        "modbus-rtu"
    }
    fn description(&self) -> &'static str {
        "Modbus RTU (CRC-16) over a byte stream"
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        let framer = RtuFramer::with_direction(direction(opts, ctx)).strictness(opts.strictness);
        Ok(Box::new(RtuStream {
            framer,
            inner: FramerStream::boxed("modbus-rtu", framer, |f| rtu_json(f)),
        }))
    }
}

/// `modbus-ascii`.
pub struct ModbusAscii;

impl Protocol for ModbusAscii {
    fn name(&self) -> &'static str {
        "modbus-ascii"
    }
    fn description(&self) -> &'static str {
        "Modbus ASCII (':' hex LRC CRLF)"
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-ascii",
            AsciiFramer::with_direction(direction(opts, ctx)).strictness(opts.strictness),
            |f| ascii_json(f),
        ))
    }
}

/// Modbus RTU: a byte stream goes through [`RtuFramer`]; a hex argument or a
/// line of a hex file is first taken as one whole ADU ([`RtuFramer::parse`]:
/// the CRC over all of it is checked first, so a corrupted frame is a
/// `checksum` error, not "truncated" or a function-code error from the wrong
/// direction). A line whose CRC does not cover it whole is streamed, so a line
/// holding a request and its response still decodes as two frames.
struct RtuStream {
    framer: RtuFramer,
    inner: Box<dyn StreamDecoder>,
}

impl StreamDecoder for RtuStream {
    fn push(&mut self, data: &[u8], out: &mut dyn FnMut(Record)) {
        self.inner.push(data, out);
    }

    fn finish(&mut self, out: &mut dyn FnMut(Record)) {
        self.inner.finish(out);
    }

    fn push_hex_frame(&mut self, bytes: &[u8], out: &mut dyn FnMut(Record)) {
        let whole = match self.framer.parse(bytes) {
            Ok(frame) => {
                out(match rtu_json(&frame) {
                    Ok((label, fields)) => Record::frame("modbus-rtu", label, fields, 0, bytes),
                    Err(e) => Record::rejected("modbus-rtu", e, 0, bytes),
                });
                return;
            }
            Err(e) => e,
        };
        // not one frame: several frames on one line decode through the stream
        let mut records = Vec::new();
        let mut stream = FramerStream::boxed("modbus-rtu", self.framer, |f| rtu_json(f));
        stream.push(bytes, &mut |r| records.push(r));
        stream.finish(&mut |r| records.push(r));
        if records.len() > 1 && records.iter().all(Record::is_ok) {
            records.into_iter().for_each(out);
        } else {
            out(Record::rejected(
                "modbus-rtu",
                ErrorJson::from_error(&whole),
                0,
                bytes,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::protocols::Options;
    use meterwire_core::Strictness;

    fn hex_line(p: &dyn Protocol, opts: &Options, hex: &str) -> Vec<serde_json::Value> {
        let mut s = p.stream(opts, StreamCtx::default()).unwrap();
        let mut out = Vec::new();
        s.push_hex_frame(&hex::decode(hex).unwrap(), &mut |r| {
            out.push(r.to_json(&[]))
        });
        out
    }

    #[test]
    fn rtu_hex_frame_with_a_bad_crc_is_a_checksum_error() {
        // Modbus Application Protocol V1.1b3 6.3 example in RTU framing, CRC altered
        for hex in ["1103006b00037688", "110306022b00000064c8bb", "118302c135"] {
            let rows = hex_line(&ModbusRtu, &Options::default(), hex);
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0]["error"]["kind"], "checksum", "{hex}: {}", rows[0]);
        }
        // the unaltered frames decode, and a request + response line gives both
        let rows = hex_line(&ModbusRtu, &Options::default(), "1103006b00037687");
        assert_eq!(rows[0]["quantity"], 3);
        let rows = hex_line(
            &ModbusRtu,
            &Options::default(),
            "1103006b00037687110306022b00000064c8ba",
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1]["registers"][0], 0x022B);
    }

    #[test]
    fn unknown_codes_are_frames_and_strict_rejects_them() {
        // zeek/zeek testing/btest/Traces/modbus/fuzz-72.pcap frame 3: FC 0x1d, reserved
        let rows = hex_line(&ModbusTcp, &Options::default(), "000000000006011d00000000");
        assert_eq!(rows[0]["function"], "unsupported");
        assert_eq!(rows[0]["data"], "00000000");
        assert_eq!(rows[0]["diagnostics"][0]["kind"], "reserved_code");
        let strict = Options {
            strictness: Strictness::Strict,
            ..Options::default()
        };
        let rows = hex_line(&ModbusTcp, &strict, "000000000006011d00000000");
        assert_eq!(rows[0]["error"]["kind"], "nonconforming");
        // RTU given whole: zeek fuzz-72.pcap frame 28's PDU (FC 0x47, user-defined)
        // with address 1 and its CRC
        let rows = hex_line(&ModbusRtu, &Options::default(), "014700000000b5c5");
        assert_eq!(rows[0]["function_code"], 0x47, "{}", rows[0]);
        assert_eq!(rows[0]["diagnostics"][0]["kind"], "unrecognized");
        let rows = hex_line(&ModbusRtu, &strict, "014700000000b5c5");
        assert_eq!(rows[0]["error"]["kind"], "nonconforming");
    }

    #[test]
    fn device_identification_text_and_hex() {
        // cisagov/icsnpp-modbus testing/traces/modbus_example.pcap frame 94
        let rows = hex_line(
            &ModbusTcp,
            &Options::default(),
            "00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36",
        );
        let objects = rows[0]["objects"].as_array().unwrap();
        assert_eq!(objects[0]["text"], "Zeek Modbus Test");
        assert_eq!(objects[0]["value"], "5a65656b204d6f646275732054657374");
        assert_eq!(objects[2]["text"], "1.2.3.6");
    }
}

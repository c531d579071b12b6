//! Modbus TCP, RTU and ASCII (meterwire-modbus).

use super::{Direction, ErrorJson, Fields, FramerStream, Options, StreamCtx, StreamDecoder};
use super::{object, record};
use crate::output::Record;
use meterwire_modbus::{
    self as mb, AsciiAdu, AsciiFramer, Pdu, RtuFrame, RtuFramer, TcpFrame, TcpFramer,
};

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

fn tcp_json(frame: &TcpFrame<'_>) -> Fields {
    Ok((label(&frame.pdu)?, object(frame)?))
}

fn rtu_json(frame: &RtuFrame<'_>) -> Fields {
    Ok((label(&frame.pdu)?, object(frame)?))
}

fn ascii_json(adu: &AsciiAdu<'_>) -> Fields {
    let frame = adu.frame().map_err(|e| ErrorJson::from_error(&e))?;
    Ok((label(&frame.pdu)?, object(&frame)?))
}

protocols! {
    /// `modbus-tcp`.
    ModbusTcp "modbus-tcp" ports [mb::tcp::PORT] => "Modbus TCP (MBAP), port 502",
        |name, opts, ctx| {
            let framer = TcpFramer::with_direction(direction(opts, ctx));
            Ok(FramerStream::boxed(name, framer.strictness(opts.strictness), |f| tcp_json(f)))
        };
    /// `modbus-rtu`.
    ModbusRtu "modbus-rtu" => "Modbus RTU (CRC-16) over a byte stream",
        |name, opts, ctx| {
            let framer = RtuFramer::with_direction(direction(opts, ctx));
            Ok(Box::new(RtuStream::new(name, framer.strictness(opts.strictness))))
        };
    /// `modbus-ascii`.
    ModbusAscii "modbus-ascii" => "Modbus ASCII (':' hex LRC CRLF)",
        |name, opts, ctx| {
            let framer = AsciiFramer::with_direction(direction(opts, ctx));
            Ok(FramerStream::boxed(name, framer.strictness(opts.strictness), |f| ascii_json(f)))
        };
}

/// Modbus RTU: a byte stream goes through [`RtuFramer`]; a hex argument or a
/// line of a hex file is first taken as one whole ADU ([`RtuFramer::parse`]:
/// the CRC over all of it is checked first, so a corrupted frame is a
/// `checksum` error, not "truncated" or a function-code error from the wrong
/// direction). A line whose CRC does not cover it whole is streamed, so a line
/// holding a request and its response still decodes as two frames.
struct RtuStream {
    protocol: &'static str,
    framer: RtuFramer,
    inner: Box<dyn StreamDecoder>,
}

impl RtuStream {
    fn new(protocol: &'static str, framer: RtuFramer) -> Self {
        RtuStream {
            protocol,
            framer,
            inner: Self::byte_stream(protocol, framer),
        }
    }

    fn byte_stream(protocol: &'static str, framer: RtuFramer) -> Box<dyn StreamDecoder> {
        FramerStream::boxed(protocol, framer, |f| rtu_json(f))
    }
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
                out(record(self.protocol, rtu_json(&frame), 0, bytes));
                return;
            }
            Err(e) => e,
        };
        // not one frame: several frames on one line decode through the stream
        let mut records = Vec::new();
        let mut stream = Self::byte_stream(self.protocol, self.framer);
        stream.push(bytes, &mut |r| records.push(r));
        stream.finish(&mut |r| records.push(r));
        if records.len() > 1 && records.iter().all(Record::is_ok) {
            records.into_iter().for_each(out);
        } else {
            let e = ErrorJson::from_error(&whole);
            out(Record::rejected(self.protocol, e, 0, bytes));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::protocols::testing::{assert_strict_rejects, hex_frame};
    use crate::protocols::{Options, Protocol};

    fn hex_line(p: &dyn Protocol, opts: &Options, hex: &str) -> Vec<serde_json::Value> {
        hex_frame(p, opts, &hex::decode(hex).unwrap())
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
        assert_strict_rejects(
            &ModbusTcp,
            &hex::decode("000000000006011d00000000").unwrap(),
        );
        // RTU given whole: zeek fuzz-72.pcap frame 28's PDU (FC 0x47, user-defined)
        // with address 1 and its CRC
        let rows = hex_line(&ModbusRtu, &Options::default(), "014700000000b5c5");
        assert_eq!(rows[0]["function_code"], 0x47, "{}", rows[0]);
        assert_eq!(rows[0]["diagnostics"][0]["kind"], "unrecognized");
        assert_strict_rejects(&ModbusRtu, &hex::decode("014700000000b5c5").unwrap());
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

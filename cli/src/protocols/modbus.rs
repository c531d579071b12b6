//! Modbus TCP, RTU and ASCII (meterwire-modbus).

use super::{
    Direction, ErrorJson, FramerStream, Options, Protocol, Sample, StreamCtx, StreamDecoder, object,
};
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

/// The `--stats` label, or an `unsupported` error for function codes not decoded
/// (the record keeps the raw bytes).
fn label(pdu: &Pdu<'_>) -> Result<String, ErrorJson> {
    if let Some((code, data)) = pdu.unsupported() {
        return Err(ErrorJson::new(
            "unsupported",
            format!(
                "unsupported function code {code:#04x} ({} data byte(s): {})",
                data.len(),
                hex::encode(data)
            ),
        ));
    }
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
    fn samples(&self) -> &'static [Sample] {
        &[
            Sample {
                title: "read holding registers request (FC 3)",
                source: "cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 24",
                hex: "000600000006050300010008",
                direction: Some(Direction::Request),
            },
            Sample {
                title: "read holding registers response, 8 registers",
                source: "cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 26",
                hex: "00060000001305031000aa00aa00bb00ccef84e3eb9f8be4c1",
                direction: Some(Direction::Response),
            },
            Sample {
                title: "write multiple registers request (FC 16)",
                source: "cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 56",
                hex: "000e0000000f0710000100040800aa00bb00cc00dd",
                direction: Some(Direction::Request),
            },
            Sample {
                title: "read device identification response (FC 43/14)",
                source: "cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 94",
                hex: "00170000003d012b0e018300000300105a65656b204d6f646275732054657374011850726f746f636f6c2050617273696e672069732066756e210207312e322e332e36",
                direction: Some(Direction::Response),
            },
            Sample {
                title: "exception response: illegal data address",
                source: "cisagov/icsnpp-modbus testing/traces/modbus_example.pcap, frame 100",
                hex: "000100000003008302",
                direction: Some(Direction::Response),
            },
        ]
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-tcp",
            TcpFramer::with_direction(direction(opts, ctx)),
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
    fn samples(&self) -> &'static [Sample] {
        &[
            Sample {
                title: "read holding registers request, unit 0x11 (direction found by the framer)",
                source: "Modbus Application Protocol V1.1b3 6.3 example PDU in RTU framing (Serial Line V1.02 2.5.1)",
                hex: "1103006b00037687",
                direction: None,
            },
            Sample {
                title: "read holding registers response, 3 registers",
                source: "Modbus Application Protocol V1.1b3 6.3 example PDU in RTU framing (Serial Line V1.02 2.5.1)",
                hex: "110306022b00000064c8ba",
                direction: Some(Direction::Response),
            },
            Sample {
                title: "exception response: illegal data address",
                source: "Modbus Application Protocol V1.1b3 7 exception example in RTU framing",
                hex: "118302c134",
                direction: Some(Direction::Response),
            },
        ]
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-rtu",
            RtuFramer::with_direction(direction(opts, ctx)),
            |f| rtu_json(f),
        ))
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
    fn samples(&self) -> &'static [Sample] {
        &[Sample {
            title: "read holding registers request, unit 0x11",
            source: "Modbus Application Protocol V1.1b3 6.3 example PDU in ASCII framing (Serial Line V1.02 2.5.2), LRC 0x7E",
            hex: "3a31313033303036423030303337450d0a",
            direction: Some(Direction::Request),
        }]
    }
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-ascii",
            AsciiFramer::with_direction(direction(opts, ctx)),
            |f| ascii_json(f),
        ))
    }
}

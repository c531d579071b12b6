//! Modbus TCP, RTU and ASCII (meterwire-modbus).

use super::{
    Direction, ErrorJson, FramerStream, Options, Protocol, StreamCtx, StreamDecoder, object,
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
    fn stream(&self, opts: &Options, ctx: StreamCtx) -> Result<Box<dyn StreamDecoder>, String> {
        Ok(FramerStream::boxed(
            "modbus-ascii",
            AsciiFramer::with_direction(direction(opts, ctx)),
            |f| ascii_json(f),
        ))
    }
}

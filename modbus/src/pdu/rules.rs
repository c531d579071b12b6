//! The rules of clause 6 shared by request and response parsing and encoding.

use meterwire_core::{Cursor, EncodeError};

use super::limits;
use crate::Error;
use crate::data::{Bits, Bytes, Registers};

pub(super) fn quantity(field: &'static str, v: u16, min: u16, max: u16) -> Result<u16, Error> {
    if v < min || v > max {
        return Err(Error::Quantity {
            field,
            min,
            max,
            actual: v,
        });
    }
    Ok(v)
}

pub(super) fn byte_count(field: &'static str, expected: usize, actual: usize) -> Result<(), Error> {
    if expected != actual {
        return Err(Error::ByteCount {
            field,
            expected,
            actual,
        });
    }
    Ok(())
}

/// A one-shot PDU parse: the PDU must use every byte.
#[inline(always)]
pub(super) fn exact(used: usize, total: usize) -> Result<(), Error> {
    if used != total {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "pdu length",
            expected: used,
            actual: total,
        }));
    }
    Ok(())
}

pub(super) fn check_pdu_len(pdu: &[u8]) -> Result<(), Error> {
    if pdu.len() > limits::MAX_PDU {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "pdu length",
            expected: limits::MAX_PDU,
            actual: pdu.len(),
        }));
    }
    Ok(())
}

pub(super) fn coil_value(v: u16) -> Result<bool, Error> {
    match v {
        0xFF00 => Ok(true),
        0x0000 => Ok(false),
        _ => Err(Error::malformed(
            "value",
            "a coil value must be 0xff00 or 0x0000",
        )),
    }
}

/// A one-byte flag (FC 43/14 more follows): 0xFF or 0x00.
pub(super) fn flag_value(v: u8) -> Result<bool, Error> {
    match v {
        0x00 => Ok(false),
        0xFF => Ok(true),
        _ => Err(Error::malformed("more_follows", "must be 0x00 or 0xff")),
    }
}

/// A byte count that must be `expected` (it follows from the quantity read
/// before it), and the payload of that many bytes after it.
pub(super) fn take_counted<'a>(
    c: &mut Cursor<'a>,
    field: &'static str,
    expected: usize,
) -> Result<(u8, &'a [u8]), Error> {
    let bc = c.read_u8()?;
    byte_count(field, expected, usize::from(bc))?;
    Ok((bc, c.take(usize::from(bc))?))
}

/// The Read Device ID code of FC 43/14 (1 basic, 2 regular, 3 extended, 4 one object).
pub(super) fn read_device_id_code(c: &mut Cursor<'_>) -> Result<u8, Error> {
    let code = c.read_u8()?;
    if !(1..=4).contains(&code) {
        return Err(Error::malformed("read_device_id_code", "must be 1..=4"));
    }
    Ok(code)
}

/// An FC 43 PDU with an MEI type not decoded here: consumes it all and
/// returns everything after the function code (the MEI type included).
pub(super) fn unsupported_mei<'a>(c: &mut Cursor<'a>, pdu: &'a [u8]) -> Bytes<'a> {
    let _ = c.take_rest();
    Bytes::new(pdu.get(1..).unwrap_or(&[]))
}

pub(super) const fn invalid(field: &'static str, reason: &'static str) -> EncodeError {
    EncodeError::Invalid { field, reason }
}

#[inline]
pub(super) fn check_qty(
    field: &'static str,
    v: u16,
    min: u16,
    max: u16,
) -> Result<(), EncodeError> {
    if v < min || v > max {
        // the error names the rule it enforces
        let rule = match max {
            limits::READ_BITS => "must be 1..=2000 (fc 1/2)",
            limits::READ_REGISTERS => "must be 1..=125 registers (fc 3/4/23 read)",
            limits::WRITE_COILS => "must be 1..=1968 coils (fc 15)",
            limits::WRITE_REGISTERS => "must be 1..=123 registers (fc 16)",
            limits::RW_WRITE_REGISTERS => "must be 1..=121 registers (fc 23 write)",
            limits::FIFO_COUNT => "must be 0..=31 (fc 24)",
            _ => "outside the range of the standard",
        };
        return Err(invalid(field, rule));
    }
    Ok(())
}

#[inline]
pub(super) fn check_count(
    field: &'static str,
    declared: usize,
    actual: usize,
) -> Result<(), EncodeError> {
    if declared != actual {
        return Err(invalid(field, "does not agree with the data"));
    }
    Ok(())
}

pub(super) fn read_registers<'a>(
    c: &mut Cursor<'a>,
    field: &'static str,
    min: u8,
) -> Result<(u8, Registers<'a>), Error> {
    let bc = c.read_u8()?;
    if bc % 2 != 0 || bc < min || usize::from(bc) > usize::from(limits::READ_REGISTERS) * 2 {
        return Err(Error::ByteCount {
            field,
            expected: usize::from(bc & !1).clamp(usize::from(min), 250),
            actual: usize::from(bc),
        });
    }
    let data = c.take(usize::from(bc))?;
    Ok((bc, Registers::from_wire(data)))
}

pub(super) fn read_bits<'a>(c: &mut Cursor<'a>) -> Result<(u8, Bits<'a>), Error> {
    let bc = c.read_u8()?;
    if bc == 0 || bc > 250 {
        return Err(Error::ByteCount {
            field: "byte_count",
            expected: usize::from(bc).clamp(1, 250),
            actual: usize::from(bc),
        });
    }
    let data = c.take(usize::from(bc))?;
    Ok((bc, Bits::from_wire(data, usize::from(bc).saturating_mul(8))))
}

/// A byte field outside the range an encoder accepts; `rule` says which.
#[inline]
pub(super) fn check_range(
    field: &'static str,
    v: u8,
    min: u8,
    max: u8,
    rule: &'static str,
) -> Result<(), EncodeError> {
    if v < min || v > max {
        return Err(invalid(field, rule));
    }
    Ok(())
}

/// FC 1/2 responses: the byte count agrees with the bits and is 1..=250.
#[inline]
pub(super) fn check_bits(byte_count: u8, wire_len: usize) -> Result<(), EncodeError> {
    check_count("byte_count", usize::from(byte_count), wire_len)?;
    check_range(
        "byte_count",
        byte_count,
        1,
        250,
        "must be 1..=250 (1..=2000 bits)",
    )
}

/// FC 3/4/23 responses: the byte count agrees with 1..=125 registers.
#[inline]
pub(super) fn check_registers(byte_count: u8, registers: usize) -> Result<(), EncodeError> {
    check_count(
        "byte_count",
        usize::from(byte_count),
        registers.saturating_mul(2),
    )?;
    check_qty(
        "registers",
        u16::try_from(registers).unwrap_or(u16::MAX),
        1,
        limits::READ_REGISTERS,
    )
}

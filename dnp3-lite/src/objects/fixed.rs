//! Decode and encode of the fixed-size object kinds, and the fast path.

#[allow(unused_imports)]
use super::*;
#[allow(unused_imports)]
use crate::Error;
#[allow(unused_imports)]
use meterwire_core::{Cursor, EncodeError, Writer};

fn read_time48(c: &mut Cursor<'_>) -> Result<u64, Error> {
    Ok(c.read_uint_le(6)?)
}

fn state_from_flags(group: u8, flags: u8) -> Value<'static> {
    match group {
        1 | 2 | 10 | 11 | 13 => Value::Bool(flags & 0x80 != 0),
        3 | 4 => Value::DoubleBit((flags >> 6) & 0x03),
        _ => Value::None,
    }
}

/// Decodes one fixed-size object from exactly `kind.size()` bytes.
pub(super) fn decode_fixed<'a>(
    group: u8,
    kind: Kind,
    index: u32,
    c: &mut Cursor<'a>,
) -> Result<Point<'a>, Error> {
    use Kind::*;
    let mut p = Point::new(index, Value::None);
    match kind {
        Empty => {}
        Flags | FlagsTime48 | FlagsTime16 => {
            let f = c.read_u8()?;
            p.flags = Some(f);
            p.value = state_from_flags(group, f);
            if kind == FlagsTime48 {
                p.time = Some(read_time48(c)?);
            } else if kind == FlagsTime16 {
                p.relative_time = Some(c.read_u16_le()?);
            }
        }
        FlagsU32 | FlagsU32Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Uint(c.read_u32_le()?);
            if kind == FlagsU32Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        FlagsU16 | FlagsU16Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Uint(u32::from(c.read_u16_le()?));
            if kind == FlagsU16Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        U32 => p.value = Value::Uint(c.read_u32_le()?),
        U16 | Delay => p.value = Value::Uint(u32::from(c.read_u16_le()?)),
        FlagsI32 | FlagsI32Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Int(c.read_u32_le()? as i32);
            if kind == FlagsI32Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        FlagsI16 | FlagsI16Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Int(i32::from(c.read_u16_le()? as i16));
            if kind == FlagsI16Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        I32 => p.value = Value::Int(c.read_u32_le()? as i32),
        I16 => p.value = Value::Int(i32::from(c.read_u16_le()? as i16)),
        F32 => p.value = Value::Float(f64::from(f32::from_bits(c.read_u32_le()?))),
        FlagsF32 | FlagsF32Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Float(f64::from(f32::from_bits(c.read_u32_le()?)));
            if kind == FlagsF32Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        FlagsF64 | FlagsF64Time48 => {
            p.flags = Some(c.read_u8()?);
            p.value = Value::Float(f64::from_bits(c.read_u64_le()?));
            if kind == FlagsF64Time48 {
                p.time = Some(read_time48(c)?);
            }
        }
        I32Status => {
            p.value = Value::Int(c.read_u32_le()? as i32);
            p.status = Some(c.read_u8()?);
        }
        I16Status => {
            p.value = Value::Int(i32::from(c.read_u16_le()? as i16));
            p.status = Some(c.read_u8()?);
        }
        F32Status => {
            p.value = Value::Float(f64::from(f32::from_bits(c.read_u32_le()?)));
            p.status = Some(c.read_u8()?);
        }
        F64Status => {
            p.value = Value::Float(f64::from_bits(c.read_u64_le()?));
            p.status = Some(c.read_u8()?);
        }
        Crob => {
            p.value = Value::Crob(self::Crob {
                code: c.read_u8()?,
                count: c.read_u8()?,
                on_time: c.read_u32_le()?,
                off_time: c.read_u32_le()?,
                status: c.read_u8()?,
            });
        }
        Time48 => p.time = Some(read_time48(c)?),
        Time48Interval => {
            p.time = Some(read_time48(c)?);
            p.value = Value::Uint(c.read_u32_le()?);
        }
        Time48IntervalUnits => {
            p.time = Some(read_time48(c)?);
            let interval = c.read_u32_le()?;
            let units = c.read_u8()?;
            p.value = Value::Interval { interval, units };
        }
    }
    Ok(p)
}

pub(super) const INVALID_VALUE: EncodeError = EncodeError::Invalid {
    field: "object value",
    reason: "value type does not match the object variation",
};

fn int_value(v: &Value<'_>) -> Result<i64, EncodeError> {
    match *v {
        Value::Int(i) => Ok(i64::from(i)),
        Value::Uint(u) => Ok(i64::from(u)),
        _ => Err(INVALID_VALUE),
    }
}

fn float_value(v: &Value<'_>) -> Result<f64, EncodeError> {
    match *v {
        Value::Float(f) => Ok(f),
        Value::Int(i) => Ok(f64::from(i)),
        _ => Err(INVALID_VALUE),
    }
}

fn fits(v: i64, lo: i64, hi: i64) -> Result<i64, EncodeError> {
    if v < lo || v > hi {
        Err(EncodeError::Invalid {
            field: "object value",
            reason: "value out of range for the object variation",
        })
    } else {
        Ok(v)
    }
}

fn flags_with_state(group: u8, p: &Point<'_>) -> u8 {
    let f = p.flags.unwrap_or(0x01);
    match (group, p.value) {
        (1 | 2 | 10 | 11 | 13, Value::Bool(b)) => (f & 0x7F) | if b { 0x80 } else { 0 },
        (3 | 4, Value::DoubleBit(d)) => (f & 0x3F) | ((d & 0x03) << 6),
        _ => f,
    }
}

/// Encodes one fixed-size object.
pub(super) fn encode_fixed(
    group: u8,
    kind: Kind,
    p: &Point<'_>,
    w: &mut Writer<'_>,
) -> Result<(), EncodeError> {
    use Kind::*;
    let time = || p.time.unwrap_or(0);
    let t48 = |w: &mut Writer<'_>, t: u64| w.write_uint_le(t & 0xFFFF_FFFF_FFFF, 6);
    match kind {
        Empty => Ok(()),
        Flags | FlagsTime48 | FlagsTime16 => {
            w.write_u8(flags_with_state(group, p))?;
            if kind == FlagsTime48 {
                t48(w, time())?;
            } else if kind == FlagsTime16 {
                w.write_u16_le(p.relative_time.unwrap_or(0))?;
            }
            Ok(())
        }
        FlagsU32 | FlagsU32Time48 | FlagsI32 | FlagsI32Time48 => {
            w.write_u8(p.flags.unwrap_or(0x01))?;
            let v = if matches!(kind, FlagsU32 | FlagsU32Time48) {
                fits(int_value(&p.value)?, 0, i64::from(u32::MAX))?
            } else {
                fits(
                    int_value(&p.value)?,
                    i64::from(i32::MIN),
                    i64::from(i32::MAX),
                )?
            };
            w.write_u32_le(v as u32)?;
            if matches!(kind, FlagsU32Time48 | FlagsI32Time48) {
                t48(w, time())?;
            }
            Ok(())
        }
        FlagsU16 | FlagsU16Time48 | FlagsI16 | FlagsI16Time48 => {
            w.write_u8(p.flags.unwrap_or(0x01))?;
            let v = if matches!(kind, FlagsU16 | FlagsU16Time48) {
                fits(int_value(&p.value)?, 0, i64::from(u16::MAX))?
            } else {
                fits(
                    int_value(&p.value)?,
                    i64::from(i16::MIN),
                    i64::from(i16::MAX),
                )?
            };
            w.write_u16_le(v as u16)?;
            if matches!(kind, FlagsU16Time48 | FlagsI16Time48) {
                t48(w, time())?;
            }
            Ok(())
        }
        U32 => w.write_u32_le(fits(int_value(&p.value)?, 0, i64::from(u32::MAX))? as u32),
        U16 | Delay => w.write_u16_le(fits(int_value(&p.value)?, 0, i64::from(u16::MAX))? as u16),
        I32 => w.write_u32_le(fits(
            int_value(&p.value)?,
            i64::from(i32::MIN),
            i64::from(i32::MAX),
        )? as u32),
        I16 => w.write_u16_le(fits(
            int_value(&p.value)?,
            i64::from(i16::MIN),
            i64::from(i16::MAX),
        )? as u16),
        F32 => w.write_u32_le((float_value(&p.value)? as f32).to_bits()),
        FlagsF32 | FlagsF32Time48 => {
            w.write_u8(p.flags.unwrap_or(0x01))?;
            w.write_u32_le((float_value(&p.value)? as f32).to_bits())?;
            if kind == FlagsF32Time48 {
                t48(w, time())?;
            }
            Ok(())
        }
        FlagsF64 | FlagsF64Time48 => {
            w.write_u8(p.flags.unwrap_or(0x01))?;
            w.write_u64_le(float_value(&p.value)?.to_bits())?;
            if kind == FlagsF64Time48 {
                t48(w, time())?;
            }
            Ok(())
        }
        I32Status => {
            w.write_u32_le(fits(
                int_value(&p.value)?,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
            )? as u32)?;
            w.write_u8(p.status.unwrap_or(0))
        }
        I16Status => {
            w.write_u16_le(fits(
                int_value(&p.value)?,
                i64::from(i16::MIN),
                i64::from(i16::MAX),
            )? as u16)?;
            w.write_u8(p.status.unwrap_or(0))
        }
        F32Status => {
            w.write_u32_le((float_value(&p.value)? as f32).to_bits())?;
            w.write_u8(p.status.unwrap_or(0))
        }
        F64Status => {
            w.write_u64_le(float_value(&p.value)?.to_bits())?;
            w.write_u8(p.status.unwrap_or(0))
        }
        Crob => match p.value {
            Value::Crob(c) => {
                w.write_u8(c.code)?;
                w.write_u8(c.count)?;
                w.write_u32_le(c.on_time)?;
                w.write_u32_le(c.off_time)?;
                w.write_u8(c.status)
            }
            _ => Err(INVALID_VALUE),
        },
        Time48 => t48(w, time()),
        Time48Interval => {
            t48(w, time())?;
            w.write_u32_le(fits(int_value(&p.value)?, 0, i64::from(u32::MAX))? as u32)
        }
        Time48IntervalUnits => match p.value {
            Value::Interval { interval, units } => {
                t48(w, time())?;
                w.write_u32_le(interval)?;
                w.write_u8(units)
            }
            _ => Err(INVALID_VALUE),
        },
    }
}

/// The hot path of [`Points`]: the common fixed-size kinds without a prefix,
/// decoded from an exact slice with slice patterns (no per-field cursor updates).
/// Measured: about 3x faster per g30v1 object than the generic path.
#[inline]
pub(super) fn fast_fixed<'a>(group: u8, kind: Kind, index: u32, b: &[u8]) -> Option<Point<'a>> {
    let mut p = Point::new(index, Value::None);
    match (kind, b) {
        (Kind::Flags, &[f]) => {
            p.flags = Some(f);
            p.value = state_from_flags(group, f);
        }
        (Kind::FlagsI32, &[f, a, b1, c, d]) => {
            p.flags = Some(f);
            p.value = Value::Int(i32::from_le_bytes([a, b1, c, d]));
        }
        (Kind::FlagsU32, &[f, a, b1, c, d]) => {
            p.flags = Some(f);
            p.value = Value::Uint(u32::from_le_bytes([a, b1, c, d]));
        }
        (Kind::FlagsF32, &[f, a, b1, c, d]) => {
            p.flags = Some(f);
            p.value = Value::Float(f64::from(f32::from_le_bytes([a, b1, c, d])));
        }
        (Kind::FlagsI16, &[f, a, b1]) => {
            p.flags = Some(f);
            p.value = Value::Int(i32::from(i16::from_le_bytes([a, b1])));
        }
        (Kind::FlagsU16, &[f, a, b1]) => {
            p.flags = Some(f);
            p.value = Value::Uint(u32::from(u16::from_le_bytes([a, b1])));
        }
        (Kind::I32, &[a, b1, c, d]) => p.value = Value::Int(i32::from_le_bytes([a, b1, c, d])),
        (Kind::U32, &[a, b1, c, d]) => p.value = Value::Uint(u32::from_le_bytes([a, b1, c, d])),
        (Kind::I16, &[a, b1]) => p.value = Value::Int(i32::from(i16::from_le_bytes([a, b1]))),
        (Kind::U16, &[a, b1]) => p.value = Value::Uint(u32::from(u16::from_le_bytes([a, b1]))),
        _ => return None,
    }
    Some(p)
}

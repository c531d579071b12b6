//! `arbitrary::Arbitrary` for the owned Reprs (feature `fuzzing`, not a public
//! API): written by hand so that every generated value is inside the limits
//! the encoder enforces (quantities, byte counts, the 253-byte PDU), so a
//! structure-aware fuzz target can encode it and parse it back. The proptest
//! strategies (`tests/common/strategies.rs`) and the pymodbus differential check
//! draw their values from it too.

use alloc::vec::Vec;
use arbitrary::{Arbitrary, Result, Unstructured};

use crate::pdu::{
    DeviceObjectRepr, FileRecordRepr, FileSubRequest, FileSubResponseRepr, PduRepr, RequestRepr,
    ResponseRepr,
};
use crate::storage::BytesBuf;

fn list<'u, T>(
    u: &mut Unstructured<'u>,
    min: usize,
    max: usize,
    mut item: impl FnMut(&mut Unstructured<'u>) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(min..=max)?;
    (0..n).map(|_| item(u)).collect()
}

fn regs<'u>(u: &mut Unstructured<'u>, min: usize, max: usize) -> Result<Vec<u16>> {
    list(u, min, max, u16::arbitrary)
}

fn bytes<'u>(u: &mut Unstructured<'u>, min: usize, max: usize) -> Result<BytesBuf> {
    list(u, min, max, u8::arbitrary).map(BytesBuf)
}

/// A count that fits its byte-count field (the limits keep it under 256).
fn count(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

fn qty(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

fn user_code(u: &mut Unstructured<'_>) -> Result<u8> {
    let i = u.int_in_range(0u8..=18)?;
    Ok(if i < 8 {
        65u8.saturating_add(i)
    } else {
        92u8.saturating_add(i)
    })
}

/// A first address (`$a`) and a quantity of 1..=`$max` (FC 1-4 requests,
/// FC 15/16 responses).
macro_rules! address_quantity {
    ($Repr:ident::$V:ident, $a:ident, $u:ident, $max:literal) => {
        $Repr::$V {
            starting_address: $a,
            quantity: $u.int_in_range(1..=$max)?,
        }
    };
}

/// The PDUs with the same fields in both directions, drawn the same way for a
/// request and a response (`$a` is the address both directions draw first).
macro_rules! same_both_ways {
    ($Repr:ident::WriteSingleCoil, $u:ident, $a:ident) => {
        $Repr::WriteSingleCoil {
            output_address: $a,
            value: $u.arbitrary()?,
        }
    };
    ($Repr:ident::WriteSingleRegister, $u:ident, $a:ident) => {
        $Repr::WriteSingleRegister {
            register_address: $a,
            value: $u.arbitrary()?,
        }
    };
    ($Repr:ident::Diagnostics, $u:ident) => {
        $Repr::Diagnostics {
            sub_function: $u.int_in_range(0..=21)?,
            data: bytes($u, 2, 2)?,
        }
    };
    ($Repr:ident::MaskWriteRegister, $u:ident, $a:ident) => {
        $Repr::MaskWriteRegister {
            reference_address: $a,
            and_mask: $u.arbitrary()?,
            or_mask: $u.arbitrary()?,
        }
    };
    // FC 21: the request and its echo
    ($Repr:ident::WriteFileRecord { $len:ident, $records:ident }, $u:ident) => {{
        let ($len, $records) = records($u)?;
        $Repr::WriteFileRecord { $len, $records }
    }};
    // FC 43/13 or a user-defined code
    ($Repr:ident::CanopenOrUnsupported, $u:ident) => {
        if $u.arbitrary()? {
            $Repr::CanopenGeneralReference {
                data: bytes($u, 0, 20)?,
            }
        } else {
            $Repr::Unsupported {
                function_code: user_code($u)?,
                data: bytes($u, 0, 40)?,
            }
        }
    };
}

impl<'a> Arbitrary<'a> for FileSubRequest {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(FileSubRequest {
            file_number: u.int_in_range(1..=u16::MAX)?,
            record_number: u.int_in_range(0..=9999)?,
            record_length: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for FileRecordRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(FileRecordRepr {
            file_number: u.int_in_range(1..=u16::MAX)?,
            record_number: u.int_in_range(0..=9999)?,
            record_data: regs(u, 1, 8)?,
        })
    }
}

fn records<'u>(u: &mut Unstructured<'u>) -> Result<(u8, Vec<FileRecordRepr>)> {
    let recs = list(u, 1, 4, FileRecordRepr::arbitrary)?;
    let len: usize = recs
        .iter()
        .map(|r| r.record_data.len().saturating_mul(2).saturating_add(7))
        .fold(0, usize::saturating_add);
    Ok((count(len), recs))
}

impl<'a> Arbitrary<'a> for RequestRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let a = u16::arbitrary(u)?;
        Ok(match u.int_in_range(0u8..=19)? {
            0 => address_quantity!(RequestRepr::ReadCoils, a, u, 2000),
            1 => address_quantity!(RequestRepr::ReadDiscreteInputs, a, u, 2000),
            2 => address_quantity!(RequestRepr::ReadHoldingRegisters, a, u, 125),
            3 => address_quantity!(RequestRepr::ReadInputRegisters, a, u, 125),
            4 => same_both_ways!(RequestRepr::WriteSingleCoil, u, a),
            5 => same_both_ways!(RequestRepr::WriteSingleRegister, u, a),
            6 => RequestRepr::ReadExceptionStatus,
            7 => same_both_ways!(RequestRepr::Diagnostics, u),
            8 => RequestRepr::GetCommEventCounter,
            9 => RequestRepr::GetCommEventLog,
            10 => {
                let coils = list(u, 1, 1968, bool::arbitrary)?;
                RequestRepr::WriteMultipleCoils {
                    starting_address: a,
                    quantity: qty(coils.len()),
                    byte_count: count(coils.len().div_ceil(8)),
                    coils,
                }
            }
            11 => {
                let registers = regs(u, 1, 123)?;
                RequestRepr::WriteMultipleRegisters {
                    starting_address: a,
                    quantity: qty(registers.len()),
                    byte_count: count(registers.len().saturating_mul(2)),
                    registers,
                }
            }
            12 => RequestRepr::ReportServerId,
            13 => {
                let sub_requests = list(u, 1, 35, FileSubRequest::arbitrary)?;
                RequestRepr::ReadFileRecord {
                    byte_count: count(sub_requests.len().saturating_mul(7)),
                    sub_requests,
                }
            }
            14 => same_both_ways!(
                RequestRepr::WriteFileRecord {
                    request_data_length,
                    sub_requests
                },
                u
            ),
            15 => same_both_ways!(RequestRepr::MaskWriteRegister, u, a),
            16 => {
                let registers = regs(u, 1, 121)?;
                RequestRepr::ReadWriteMultipleRegisters {
                    read_starting_address: a,
                    quantity_to_read: u.int_in_range(1..=125)?,
                    write_starting_address: u.arbitrary()?,
                    quantity_to_write: qty(registers.len()),
                    write_byte_count: count(registers.len().saturating_mul(2)),
                    registers,
                }
            }
            17 => RequestRepr::ReadFifoQueue {
                fifo_pointer_address: a,
            },
            18 => RequestRepr::ReadDeviceIdentification {
                read_device_id_code: u.int_in_range(1..=4)?,
                object_id: u.arbitrary()?,
            },
            _ => same_both_ways!(RequestRepr::CanopenOrUnsupported, u),
        })
    }
}

impl<'a> Arbitrary<'a> for ResponseRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let a = u16::arbitrary(u)?;
        Ok(match u.int_in_range(0u8..=20)? {
            0 | 1 => {
                let bits = list(u, 1, 250, u8::arbitrary)?;
                let byte_count = count(bits.len());
                let bits = bits
                    .iter()
                    .flat_map(|b| (0..8).map(move |i| b >> i & 1 == 1))
                    .collect();
                if u.arbitrary()? {
                    ResponseRepr::ReadCoils {
                        byte_count,
                        coils: bits,
                    }
                } else {
                    ResponseRepr::ReadDiscreteInputs {
                        byte_count,
                        inputs: bits,
                    }
                }
            }
            2..=4 => {
                let registers = regs(u, 1, 125)?;
                let byte_count = count(registers.len().saturating_mul(2));
                match u.int_in_range(0u8..=2)? {
                    0 => ResponseRepr::ReadHoldingRegisters {
                        byte_count,
                        registers,
                    },
                    1 => ResponseRepr::ReadInputRegisters {
                        byte_count,
                        registers,
                    },
                    _ => ResponseRepr::ReadWriteMultipleRegisters {
                        byte_count,
                        registers,
                    },
                }
            }
            5 => same_both_ways!(ResponseRepr::WriteSingleCoil, u, a),
            6 => same_both_ways!(ResponseRepr::WriteSingleRegister, u, a),
            7 => ResponseRepr::ReadExceptionStatus {
                output_data: u.arbitrary()?,
            },
            8 => same_both_ways!(ResponseRepr::Diagnostics, u),
            9 => ResponseRepr::GetCommEventCounter {
                status: if u.arbitrary()? { 0xFFFF } else { 0 },
                event_count: a,
            },
            10 => {
                let events = bytes(u, 0, 64)?;
                ResponseRepr::GetCommEventLog {
                    byte_count: count(events.0.len().saturating_add(6)),
                    status: if u.arbitrary()? { 0xFFFF } else { 0 },
                    event_count: a,
                    message_count: u.arbitrary()?,
                    events,
                }
            }
            11 => address_quantity!(ResponseRepr::WriteMultipleCoils, a, u, 1968),
            12 => address_quantity!(ResponseRepr::WriteMultipleRegisters, a, u, 123),
            13 => {
                // server id bytes, then the run indicator status (0x00 off, 0xFF on)
                let mut data = bytes(u, 1, 100)?;
                data.0.push(if u.arbitrary()? { 0xFF } else { 0x00 });
                ResponseRepr::ReportServerId {
                    byte_count: count(data.0.len()),
                    data,
                }
            }
            14 => {
                let sub_responses = list(u, 1, 5, |u| {
                    Ok(FileSubResponseRepr {
                        record_data: regs(u, 1, 10)?,
                    })
                })?;
                let len: usize = sub_responses
                    .iter()
                    .map(|s| s.record_data.len().saturating_mul(2).saturating_add(2))
                    .fold(0, usize::saturating_add);
                ResponseRepr::ReadFileRecord {
                    response_data_length: count(len),
                    sub_responses,
                }
            }
            15 => same_both_ways!(
                ResponseRepr::WriteFileRecord {
                    response_data_length,
                    sub_responses
                },
                u
            ),
            16 => same_both_ways!(ResponseRepr::MaskWriteRegister, u, a),
            17 => {
                let values = regs(u, 0, 31)?;
                ResponseRepr::ReadFifoQueue {
                    byte_count: qty(values.len().saturating_mul(2).saturating_add(2)),
                    fifo_count: qty(values.len()),
                    values,
                }
            }
            18 => {
                // object ids distinct and ascending as in a real response, printable values
                let mut next = Some(u8::arbitrary(u)?);
                let mut objects = Vec::new();
                for _ in 0..u.int_in_range(0..=5)? {
                    let Some(object_id) = next else { break };
                    let value = list(u, 0, 20, |u| u.int_in_range(32u8..=126))?;
                    objects.push(DeviceObjectRepr {
                        object_id,
                        value: BytesBuf(value),
                    });
                    next = object_id.checked_add(u.int_in_range(1..=8)?);
                }
                ResponseRepr::ReadDeviceIdentification {
                    read_device_id_code: u.int_in_range(1..=4)?,
                    conformity_level: u.arbitrary()?,
                    more_follows: u.arbitrary()?,
                    next_object_id: u.arbitrary()?,
                    number_of_objects: count(objects.len()),
                    objects,
                }
            }
            19 => ResponseRepr::exception(u.int_in_range(1..=0x7F)?, u.int_in_range(1..=255)?),
            _ => same_both_ways!(ResponseRepr::CanopenOrUnsupported, u),
        })
    }
}

impl<'a> Arbitrary<'a> for PduRepr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.arbitrary()? {
            PduRepr::Request(u.arbitrary()?)
        } else {
            PduRepr::Response(u.arbitrary()?)
        })
    }
}

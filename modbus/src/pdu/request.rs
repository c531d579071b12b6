//! Request PDUs: parsing (every function code of clause 6), encoding and owned copies.

use meterwire_core::{Cursor, EncodeError, Writer};

use super::rules::*;
use super::{FileRecord, FileSubRequest, Request, fc, function_name, limits};
use crate::Error;
use crate::data::{Bits, Bytes, Registers, Seq};

impl<'a> Request<'a> {
    /// Parses a complete request PDU (function code first). Short input is an
    /// error, and so are bytes after the PDU (`pdu length`); a framer that
    /// delimits the PDU itself uses [`Request::parse_prefix`] and reports them
    /// as a diagnostic. Quantities outside the standard's ranges decode (see
    /// [`Request::diagnostics`]).
    #[inline(always)]
    pub fn parse(pdu: &'a [u8]) -> Result<Self, Error> {
        let (r, used) = Self::parse_prefix(pdu)?;
        exact(used, pdu.len())?;
        Ok(r)
    }

    /// Parses the request at the start of `pdu`; returns it and the bytes it
    /// used (the rest are trailing bytes of the ADU).
    #[inline(always)]
    pub fn parse_prefix(pdu: &'a [u8]) -> Result<(Self, usize), Error> {
        // Hot path for the fixed 5-byte requests (FC 1-6): one slice pattern, and the
        // value is built after every check (building it before the trailing-bytes check
        // cost a store-forwarding stall: 12.7 ns -> see modbus/README.md for figures).
        if let &[
            code @ fc::READ_COILS..=fc::WRITE_SINGLE_REGISTER,
            a0,
            a1,
            v0,
            v1,
        ] = pdu
        {
            let a = u16::from_be_bytes([a0, a1]);
            let v = u16::from_be_bytes([v0, v1]);
            return Ok((
                match code {
                    fc::READ_COILS => Request::ReadCoils {
                        starting_address: a,
                        quantity: v,
                    },
                    fc::READ_DISCRETE_INPUTS => Request::ReadDiscreteInputs {
                        starting_address: a,
                        quantity: v,
                    },
                    fc::READ_HOLDING_REGISTERS => Request::ReadHoldingRegisters {
                        starting_address: a,
                        quantity: v,
                    },
                    fc::READ_INPUT_REGISTERS => Request::ReadInputRegisters {
                        starting_address: a,
                        quantity: v,
                    },
                    fc::WRITE_SINGLE_COIL => Request::WriteSingleCoil {
                        output_address: a,
                        value: coil_value(v)?,
                    },
                    _ => Request::WriteSingleRegister {
                        register_address: a,
                        value: v,
                    },
                },
                5,
            ));
        }
        check_pdu_len(pdu)?;
        let mut c = Cursor::new(pdu);
        let code = c.read_u8()?;
        let r = match code {
            fc::READ_COILS..=fc::READ_INPUT_REGISTERS => {
                let starting_address = c.read_u16_be()?;
                let quantity = c.read_u16_be()?;
                match code {
                    fc::READ_COILS => Request::ReadCoils {
                        starting_address,
                        quantity,
                    },
                    fc::READ_DISCRETE_INPUTS => Request::ReadDiscreteInputs {
                        starting_address,
                        quantity,
                    },
                    fc::READ_HOLDING_REGISTERS => Request::ReadHoldingRegisters {
                        starting_address,
                        quantity,
                    },
                    _ => Request::ReadInputRegisters {
                        starting_address,
                        quantity,
                    },
                }
            }
            fc::WRITE_SINGLE_COIL => Request::WriteSingleCoil {
                output_address: c.read_u16_be()?,
                value: coil_value(c.read_u16_be()?)?,
            },
            fc::WRITE_SINGLE_REGISTER => Request::WriteSingleRegister {
                register_address: c.read_u16_be()?,
                value: c.read_u16_be()?,
            },
            fc::READ_EXCEPTION_STATUS => Request::ReadExceptionStatus,
            fc::DIAGNOSTICS => Request::Diagnostics {
                sub_function: c.read_u16_be()?,
                data: Bytes::new(c.take_rest()),
            },
            fc::GET_COMM_EVENT_COUNTER => Request::GetCommEventCounter,
            fc::GET_COMM_EVENT_LOG => Request::GetCommEventLog,
            fc::WRITE_MULTIPLE_COILS => {
                let starting_address = c.read_u16_be()?;
                let quantity = c.read_u16_be()?;
                let bc = c.read_u8()?;
                byte_count(
                    "byte_count",
                    usize::from(quantity).div_ceil(8),
                    usize::from(bc),
                )?;
                let data = c.take(usize::from(bc))?;
                Request::WriteMultipleCoils {
                    starting_address,
                    quantity,
                    byte_count: bc,
                    coils: Bits::from_wire(data, usize::from(quantity)),
                }
            }
            fc::WRITE_MULTIPLE_REGISTERS => {
                let starting_address = c.read_u16_be()?;
                let quantity = c.read_u16_be()?;
                let bc = c.read_u8()?;
                byte_count(
                    "byte_count",
                    usize::from(quantity).saturating_mul(2),
                    usize::from(bc),
                )?;
                let data = c.take(usize::from(bc))?;
                Request::WriteMultipleRegisters {
                    starting_address,
                    quantity,
                    byte_count: bc,
                    registers: Registers::from_wire(data),
                }
            }
            fc::REPORT_SERVER_ID => Request::ReportServerId,
            fc::READ_FILE_RECORD => {
                let bc = c.read_u8()?;
                // 0 (scanners send it) decodes as no sub-requests, with a diagnostic
                if bc % 7 != 0 {
                    return Err(Error::ByteCount {
                        field: "byte_count",
                        expected: usize::from(bc / 7).clamp(1, 35).saturating_mul(7),
                        actual: usize::from(bc),
                    });
                }
                let data = c.take(usize::from(bc))?;
                Seq::<FileSubRequest>::validate(data)?;
                Request::ReadFileRecord {
                    byte_count: bc,
                    sub_requests: Seq::from_wire(data),
                }
            }
            fc::WRITE_FILE_RECORD => {
                // outside 0x09..=0xFB decodes what is there, with a diagnostic
                let len = c.read_u8()?;
                let data = c.take(usize::from(len))?;
                Seq::<FileRecord<'_>>::validate(data)?;
                Request::WriteFileRecord {
                    request_data_length: len,
                    sub_requests: Seq::from_wire(data),
                }
            }
            fc::MASK_WRITE_REGISTER => Request::MaskWriteRegister {
                reference_address: c.read_u16_be()?,
                and_mask: c.read_u16_be()?,
                or_mask: c.read_u16_be()?,
            },
            fc::READ_WRITE_MULTIPLE_REGISTERS => {
                let read_starting_address = c.read_u16_be()?;
                let quantity_to_read = c.read_u16_be()?;
                let write_starting_address = c.read_u16_be()?;
                let quantity_to_write = c.read_u16_be()?;
                let bc = c.read_u8()?;
                byte_count(
                    "write_byte_count",
                    usize::from(quantity_to_write).saturating_mul(2),
                    usize::from(bc),
                )?;
                let data = c.take(usize::from(bc))?;
                Request::ReadWriteMultipleRegisters {
                    read_starting_address,
                    quantity_to_read,
                    write_starting_address,
                    quantity_to_write,
                    write_byte_count: bc,
                    registers: Registers::from_wire(data),
                }
            }
            fc::READ_FIFO_QUEUE => Request::ReadFifoQueue {
                fifo_pointer_address: c.read_u16_be()?,
            },
            fc::ENCAPSULATED_INTERFACE => match c.read_u8()? {
                fc::MEI_READ_DEVICE_ID => {
                    let code = c.read_u8()?;
                    if !(1..=4).contains(&code) {
                        return Err(Error::malformed("read_device_id_code", "must be 1..=4"));
                    }
                    Request::ReadDeviceIdentification {
                        read_device_id_code: code,
                        object_id: c.read_u8()?,
                    }
                }
                fc::MEI_CANOPEN => Request::CanopenGeneralReference {
                    data: Bytes::new(c.take_rest()),
                },
                _ => {
                    // the MEI type and everything after it are the raw data
                    let _ = c.take_rest();
                    Request::Unsupported {
                        function_code: code,
                        data: Bytes::new(pdu.get(1..).unwrap_or(&[])),
                    }
                }
            },
            c80 if c80 & fc::EXCEPTION_BIT != 0 => {
                return Err(Error::malformed(
                    "function_code",
                    "codes 0x80..=0xff are exception responses, not requests",
                ));
            }
            _ => Request::Unsupported {
                function_code: code,
                data: Bytes::new(c.take_rest()),
            },
        };
        Ok((r, c.position()))
    }

    /// The function code on the wire.
    #[inline]
    pub fn function_code(&self) -> u8 {
        match self {
            Request::ReadCoils { .. } => fc::READ_COILS,
            Request::ReadDiscreteInputs { .. } => fc::READ_DISCRETE_INPUTS,
            Request::ReadHoldingRegisters { .. } => fc::READ_HOLDING_REGISTERS,
            Request::ReadInputRegisters { .. } => fc::READ_INPUT_REGISTERS,
            Request::WriteSingleCoil { .. } => fc::WRITE_SINGLE_COIL,
            Request::WriteSingleRegister { .. } => fc::WRITE_SINGLE_REGISTER,
            Request::ReadExceptionStatus => fc::READ_EXCEPTION_STATUS,
            Request::Diagnostics { .. } => fc::DIAGNOSTICS,
            Request::GetCommEventCounter => fc::GET_COMM_EVENT_COUNTER,
            Request::GetCommEventLog => fc::GET_COMM_EVENT_LOG,
            Request::WriteMultipleCoils { .. } => fc::WRITE_MULTIPLE_COILS,
            Request::WriteMultipleRegisters { .. } => fc::WRITE_MULTIPLE_REGISTERS,
            Request::ReportServerId => fc::REPORT_SERVER_ID,
            Request::ReadFileRecord { .. } => fc::READ_FILE_RECORD,
            Request::WriteFileRecord { .. } => fc::WRITE_FILE_RECORD,
            Request::MaskWriteRegister { .. } => fc::MASK_WRITE_REGISTER,
            Request::ReadWriteMultipleRegisters { .. } => fc::READ_WRITE_MULTIPLE_REGISTERS,
            Request::ReadFifoQueue { .. } => fc::READ_FIFO_QUEUE,
            Request::ReadDeviceIdentification { .. } | Request::CanopenGeneralReference { .. } => {
                fc::ENCAPSULATED_INTERFACE
            }
            Request::Unsupported { function_code, .. } => *function_code,
        }
    }

    /// The snake_case name used as `"function"` in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Request::ReadDeviceIdentification { .. } => "read_device_identification",
            Request::CanopenGeneralReference { .. } => "canopen_general_reference",
            Request::Unsupported { .. } => "unsupported",
            _ => function_name(self.function_code()).unwrap_or("unsupported"),
        }
    }

    /// FC 3 request.
    pub const fn read_holding_registers(starting_address: u16, quantity: u16) -> Self {
        Request::ReadHoldingRegisters {
            starting_address,
            quantity,
        }
    }

    /// FC 16 request; quantity and byte count follow from `values`
    /// (more than 123 values fails at encode time).
    pub fn write_multiple_registers(starting_address: u16, values: &'a [u16]) -> Self {
        let quantity = u16::try_from(values.len()).unwrap_or(u16::MAX);
        Request::WriteMultipleRegisters {
            starting_address,
            quantity,
            byte_count: u8::try_from(values.len().saturating_mul(2)).unwrap_or(u8::MAX),
            registers: Registers::from_slice(values),
        }
    }

    /// FC 15 request; quantity and byte count follow from `values`.
    pub fn write_multiple_coils(starting_address: u16, values: &'a [bool]) -> Self {
        let quantity = u16::try_from(values.len()).unwrap_or(u16::MAX);
        Request::WriteMultipleCoils {
            starting_address,
            quantity,
            byte_count: u8::try_from(values.len().div_ceil(8)).unwrap_or(u8::MAX),
            coils: Bits::from_slice(values),
        }
    }

    #[inline]
    pub(super) fn body_len(&self) -> usize {
        match self {
            Request::ReadCoils { .. }
            | Request::ReadDiscreteInputs { .. }
            | Request::ReadHoldingRegisters { .. }
            | Request::ReadInputRegisters { .. }
            | Request::WriteSingleCoil { .. }
            | Request::WriteSingleRegister { .. } => 4,
            Request::ReadExceptionStatus
            | Request::GetCommEventCounter
            | Request::GetCommEventLog
            | Request::ReportServerId => 0,
            Request::Diagnostics { data, .. } => data.len().saturating_add(2),
            Request::WriteMultipleCoils { coils, .. } => coils.wire_len().saturating_add(5),
            Request::WriteMultipleRegisters { registers, .. } => {
                registers.wire_len().saturating_add(5)
            }
            Request::ReadFileRecord { sub_requests, .. } => {
                sub_requests.wire_len().saturating_add(1)
            }
            Request::WriteFileRecord { sub_requests, .. } => {
                sub_requests.wire_len().saturating_add(1)
            }
            Request::MaskWriteRegister { .. } => 6,
            Request::ReadWriteMultipleRegisters { registers, .. } => {
                registers.wire_len().saturating_add(9)
            }
            Request::ReadFifoQueue { .. } => 2,
            Request::ReadDeviceIdentification { .. } => 3,
            Request::CanopenGeneralReference { data } => data.len().saturating_add(1),
            Request::Unsupported { data, .. } => data.len(),
        }
    }

    #[inline]
    pub(super) fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Request::ReadCoils {
                starting_address,
                quantity,
            }
            | Request::ReadDiscreteInputs {
                starting_address,
                quantity,
            } => {
                check_qty("quantity", *quantity, 1, limits::READ_BITS)?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)
            }
            Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            }
            | Request::ReadInputRegisters {
                starting_address,
                quantity,
            } => {
                check_qty("quantity", *quantity, 1, limits::READ_REGISTERS)?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)
            }
            Request::WriteSingleCoil {
                output_address,
                value,
            } => {
                w.write_u16_be(*output_address)?;
                w.write_u16_be(if *value { 0xFF00 } else { 0 })
            }
            Request::WriteSingleRegister {
                register_address,
                value,
            } => {
                w.write_u16_be(*register_address)?;
                w.write_u16_be(*value)
            }
            Request::ReadExceptionStatus
            | Request::GetCommEventCounter
            | Request::GetCommEventLog
            | Request::ReportServerId => Ok(()),
            Request::Diagnostics { sub_function, data } => {
                w.write_u16_be(*sub_function)?;
                w.write_bytes(data.as_slice())
            }
            Request::WriteMultipleCoils {
                starting_address,
                quantity,
                byte_count,
                coils,
            } => {
                check_qty("quantity", *quantity, 1, limits::WRITE_COILS)?;
                check_count("quantity", usize::from(*quantity), coils.len())?;
                check_count("byte_count", usize::from(*byte_count), coils.wire_len())?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)?;
                w.write_u8(*byte_count)?;
                coils.write(w)
            }
            Request::WriteMultipleRegisters {
                starting_address,
                quantity,
                byte_count,
                registers,
            } => {
                check_qty("quantity", *quantity, 1, limits::WRITE_REGISTERS)?;
                check_count("quantity", usize::from(*quantity), registers.len())?;
                check_count("byte_count", usize::from(*byte_count), registers.wire_len())?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)?;
                w.write_u8(*byte_count)?;
                registers.write(w)
            }
            Request::ReadFileRecord {
                byte_count,
                sub_requests,
            } => {
                let n = sub_requests.wire_len();
                check_count("byte_count", usize::from(*byte_count), n)?;
                if !(0x07..=0xF5).contains(byte_count) {
                    return Err(invalid("sub_requests", "1..=35 sub-requests"));
                }
                w.write_u8(*byte_count)?;
                sub_requests.write(w)
            }
            Request::WriteFileRecord {
                request_data_length,
                sub_requests,
            } => {
                check_count(
                    "request_data_length",
                    usize::from(*request_data_length),
                    sub_requests.wire_len(),
                )?;
                if !(0x09..=0xFB).contains(request_data_length) {
                    return Err(invalid("request_data_length", "must be 9..=251"));
                }
                w.write_u8(*request_data_length)?;
                sub_requests.write(w)
            }
            Request::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => {
                w.write_u16_be(*reference_address)?;
                w.write_u16_be(*and_mask)?;
                w.write_u16_be(*or_mask)
            }
            Request::ReadWriteMultipleRegisters {
                read_starting_address,
                quantity_to_read,
                write_starting_address,
                quantity_to_write,
                write_byte_count,
                registers,
            } => {
                check_qty(
                    "quantity_to_read",
                    *quantity_to_read,
                    1,
                    limits::READ_REGISTERS,
                )?;
                check_qty(
                    "quantity_to_write",
                    *quantity_to_write,
                    1,
                    limits::RW_WRITE_REGISTERS,
                )?;
                check_count(
                    "quantity_to_write",
                    usize::from(*quantity_to_write),
                    registers.len(),
                )?;
                check_count(
                    "write_byte_count",
                    usize::from(*write_byte_count),
                    registers.wire_len(),
                )?;
                w.write_u16_be(*read_starting_address)?;
                w.write_u16_be(*quantity_to_read)?;
                w.write_u16_be(*write_starting_address)?;
                w.write_u16_be(*quantity_to_write)?;
                w.write_u8(*write_byte_count)?;
                registers.write(w)
            }
            Request::ReadFifoQueue {
                fifo_pointer_address,
            } => w.write_u16_be(*fifo_pointer_address),
            Request::ReadDeviceIdentification {
                read_device_id_code,
                object_id,
            } => {
                if !(1..=4).contains(read_device_id_code) {
                    return Err(invalid("read_device_id_code", "must be 1..=4"));
                }
                w.write_u8(fc::MEI_READ_DEVICE_ID)?;
                w.write_u8(*read_device_id_code)?;
                w.write_u8(*object_id)
            }
            Request::CanopenGeneralReference { data } => {
                w.write_u8(fc::MEI_CANOPEN)?;
                w.write_bytes(data.as_slice())
            }
            Request::Unsupported {
                function_code,
                data,
            } => {
                if function_code & fc::EXCEPTION_BIT != 0 || *function_code == 0 {
                    return Err(invalid("function_code", "must be 1..=127 in a request"));
                }
                w.write_bytes(data.as_slice())
            }
        }
    }

    /// An owned copy (no borrow of the input).
    #[cfg(feature = "owned")]
    pub fn into_owned(self) -> Request<'static> {
        match self {
            Request::ReadCoils {
                starting_address,
                quantity,
            } => Request::ReadCoils {
                starting_address,
                quantity,
            },
            Request::ReadDiscreteInputs {
                starting_address,
                quantity,
            } => Request::ReadDiscreteInputs {
                starting_address,
                quantity,
            },
            Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            } => Request::ReadHoldingRegisters {
                starting_address,
                quantity,
            },
            Request::ReadInputRegisters {
                starting_address,
                quantity,
            } => Request::ReadInputRegisters {
                starting_address,
                quantity,
            },
            Request::WriteSingleCoil {
                output_address,
                value,
            } => Request::WriteSingleCoil {
                output_address,
                value,
            },
            Request::WriteSingleRegister {
                register_address,
                value,
            } => Request::WriteSingleRegister {
                register_address,
                value,
            },
            Request::ReadExceptionStatus => Request::ReadExceptionStatus,
            Request::Diagnostics { sub_function, data } => Request::Diagnostics {
                sub_function,
                data: data.into_owned(),
            },
            Request::GetCommEventCounter => Request::GetCommEventCounter,
            Request::GetCommEventLog => Request::GetCommEventLog,
            Request::WriteMultipleCoils {
                starting_address,
                quantity,
                byte_count,
                coils,
            } => Request::WriteMultipleCoils {
                starting_address,
                quantity,
                byte_count,
                coils: coils.into_owned(),
            },
            Request::WriteMultipleRegisters {
                starting_address,
                quantity,
                byte_count,
                registers,
            } => Request::WriteMultipleRegisters {
                starting_address,
                quantity,
                byte_count,
                registers: registers.into_owned(),
            },
            Request::ReportServerId => Request::ReportServerId,
            Request::ReadFileRecord {
                byte_count,
                sub_requests,
            } => Request::ReadFileRecord {
                byte_count,
                sub_requests: Seq::from_vec(sub_requests.iter().collect()),
            },
            Request::WriteFileRecord {
                request_data_length,
                sub_requests,
            } => Request::WriteFileRecord {
                request_data_length,
                sub_requests: Seq::from_vec(
                    sub_requests.iter().map(FileRecord::into_owned).collect(),
                ),
            },
            Request::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => Request::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            },
            Request::ReadWriteMultipleRegisters {
                read_starting_address,
                quantity_to_read,
                write_starting_address,
                quantity_to_write,
                write_byte_count,
                registers,
            } => Request::ReadWriteMultipleRegisters {
                read_starting_address,
                quantity_to_read,
                write_starting_address,
                quantity_to_write,
                write_byte_count,
                registers: registers.into_owned(),
            },
            Request::ReadFifoQueue {
                fifo_pointer_address,
            } => Request::ReadFifoQueue {
                fifo_pointer_address,
            },
            Request::ReadDeviceIdentification {
                read_device_id_code,
                object_id,
            } => Request::ReadDeviceIdentification {
                read_device_id_code,
                object_id,
            },
            Request::CanopenGeneralReference { data } => Request::CanopenGeneralReference {
                data: data.into_owned(),
            },
            Request::Unsupported {
                function_code,
                data,
            } => Request::Unsupported {
                function_code,
                data: data.into_owned(),
            },
        }
    }
}

//! Response PDUs: parsing (every function code of clause 6 and exception
//! responses of clause 7), encoding and owned copies.

use meterwire_core::{Cursor, EncodeError, Writer};

use super::rules::*;
use super::{DeviceObject, FileRecord, FileSubResponse, Response, fc, function_name, limits};
use crate::Error;
use crate::data::{Bits, Bytes, Registers, Seq};

impl<'a> Response<'a> {
    /// Parses a complete response PDU (function code first). Short input is an
    /// error, and so are bytes after the PDU (see [`Request::parse`](crate::Request::parse)).
    #[inline(always)]
    pub fn parse(pdu: &'a [u8]) -> Result<Self, Error> {
        let (r, used) = Self::parse_prefix(pdu)?;
        exact(used, pdu.len())?;
        Ok(r)
    }

    /// Parses the response at the start of `pdu`; returns it and the bytes it used.
    #[inline(always)]
    pub fn parse_prefix(pdu: &'a [u8]) -> Result<(Self, usize), Error> {
        // Hot path for register reads (FC 3, 4, 23): see `Request::parse`.
        if let [
            code @ (fc::READ_HOLDING_REGISTERS
            | fc::READ_INPUT_REGISTERS
            | fc::READ_WRITE_MULTIPLE_REGISTERS),
            bc,
            data @ ..,
        ] = pdu
        {
            let bc = *bc;
            if usize::from(bc) == data.len() && bc % 2 == 0 && (2..=250).contains(&bc) {
                let registers = Registers::from_wire(data);
                return Ok((
                    match *code {
                        fc::READ_HOLDING_REGISTERS => Response::ReadHoldingRegisters {
                            byte_count: bc,
                            registers,
                        },
                        fc::READ_INPUT_REGISTERS => Response::ReadInputRegisters {
                            byte_count: bc,
                            registers,
                        },
                        _ => Response::ReadWriteMultipleRegisters {
                            byte_count: bc,
                            registers,
                        },
                    },
                    pdu.len(),
                ));
            }
        }
        Self::parse_general(pdu)
    }

    /// Every other response (kept out of line so the hot path above stays small).
    #[inline(never)]
    fn parse_general(pdu: &'a [u8]) -> Result<(Self, usize), Error> {
        check_pdu_len(pdu)?;
        let mut c = Cursor::new(pdu);
        let code = c.read_u8()?;
        let r = match code {
            fc::READ_COILS => {
                let (byte_count, coils) = read_bits(&mut c)?;
                Response::ReadCoils { byte_count, coils }
            }
            fc::READ_DISCRETE_INPUTS => {
                let (byte_count, inputs) = read_bits(&mut c)?;
                Response::ReadDiscreteInputs { byte_count, inputs }
            }
            fc::READ_HOLDING_REGISTERS => {
                let (byte_count, registers) = read_registers(&mut c, "byte_count", 2)?;
                Response::ReadHoldingRegisters {
                    byte_count,
                    registers,
                }
            }
            fc::READ_INPUT_REGISTERS => {
                let (byte_count, registers) = read_registers(&mut c, "byte_count", 2)?;
                Response::ReadInputRegisters {
                    byte_count,
                    registers,
                }
            }
            fc::WRITE_SINGLE_COIL => Response::WriteSingleCoil {
                output_address: c.read_u16_be()?,
                value: coil_value(c.read_u16_be()?)?,
            },
            fc::WRITE_SINGLE_REGISTER => Response::WriteSingleRegister {
                register_address: c.read_u16_be()?,
                value: c.read_u16_be()?,
            },
            fc::READ_EXCEPTION_STATUS => Response::ReadExceptionStatus {
                output_data: c.read_u8()?,
            },
            fc::DIAGNOSTICS => Response::Diagnostics {
                sub_function: c.read_u16_be()?,
                data: Bytes::new(c.take_rest()),
            },
            fc::GET_COMM_EVENT_COUNTER => Response::GetCommEventCounter {
                status: c.read_u16_be()?,
                event_count: c.read_u16_be()?,
            },
            fc::GET_COMM_EVENT_LOG => {
                let bc = c.read_u8()?;
                if bc < 6 || usize::from(bc) > limits::MAX_EVENTS.saturating_add(6) {
                    return Err(Error::ByteCount {
                        field: "byte_count",
                        expected: usize::from(bc).clamp(6, 70),
                        actual: usize::from(bc),
                    });
                }
                Response::GetCommEventLog {
                    byte_count: bc,
                    status: c.read_u16_be()?,
                    event_count: c.read_u16_be()?,
                    message_count: c.read_u16_be()?,
                    events: Bytes::new(c.take(usize::from(bc).saturating_sub(6))?),
                }
            }
            fc::WRITE_MULTIPLE_COILS => Response::WriteMultipleCoils {
                starting_address: c.read_u16_be()?,
                quantity: c.read_u16_be()?,
            },
            fc::WRITE_MULTIPLE_REGISTERS => Response::WriteMultipleRegisters {
                starting_address: c.read_u16_be()?,
                quantity: c.read_u16_be()?,
            },
            fc::REPORT_SERVER_ID => {
                let bc = c.read_u8()?;
                Response::ReportServerId {
                    byte_count: bc,
                    data: Bytes::new(c.take(usize::from(bc))?),
                }
            }
            fc::READ_FILE_RECORD => {
                // outside 0x03..=0xF5 decodes what is there, with a diagnostic
                let len = c.read_u8()?;
                let data = c.take(usize::from(len))?;
                Seq::<FileSubResponse<'_>>::validate(data)?;
                Response::ReadFileRecord {
                    response_data_length: len,
                    sub_responses: Seq::from_wire(data),
                }
            }
            fc::WRITE_FILE_RECORD => {
                // outside 0x09..=0xFB decodes what is there, with a diagnostic
                let len = c.read_u8()?;
                let data = c.take(usize::from(len))?;
                Seq::<FileRecord<'_>>::validate(data)?;
                Response::WriteFileRecord {
                    response_data_length: len,
                    sub_responses: Seq::from_wire(data),
                }
            }
            fc::MASK_WRITE_REGISTER => Response::MaskWriteRegister {
                reference_address: c.read_u16_be()?,
                and_mask: c.read_u16_be()?,
                or_mask: c.read_u16_be()?,
            },
            fc::READ_WRITE_MULTIPLE_REGISTERS => {
                let (byte_count, registers) = read_registers(&mut c, "byte_count", 2)?;
                Response::ReadWriteMultipleRegisters {
                    byte_count,
                    registers,
                }
            }
            fc::READ_FIFO_QUEUE => {
                let bc = c.read_u16_be()?;
                let count = c.read_u16_be()?;
                let fifo_count = quantity("fifo_count", count, 0, limits::FIFO_COUNT)?;
                byte_count(
                    "byte_count",
                    usize::from(fifo_count).saturating_mul(2).saturating_add(2),
                    usize::from(bc),
                )?;
                let data = c.take(usize::from(fifo_count).saturating_mul(2))?;
                Response::ReadFifoQueue {
                    byte_count: bc,
                    fifo_count,
                    values: Registers::from_wire(data),
                }
            }
            fc::ENCAPSULATED_INTERFACE => match c.read_u8()? {
                fc::MEI_READ_DEVICE_ID => {
                    let read_device_id_code = c.read_u8()?;
                    if !(1..=4).contains(&read_device_id_code) {
                        return Err(Error::malformed("read_device_id_code", "must be 1..=4"));
                    }
                    let conformity_level = c.read_u8()?;
                    let more_follows = match c.read_u8()? {
                        0x00 => false,
                        0xFF => true,
                        _ => return Err(Error::malformed("more_follows", "must be 0x00 or 0xff")),
                    };
                    let next_object_id = c.read_u8()?;
                    let number_of_objects = c.read_u8()?;
                    let data = c.take_rest();
                    let n = Seq::<DeviceObject<'_>>::validate(data)?;
                    byte_count("number_of_objects", n, usize::from(number_of_objects))?;
                    Response::ReadDeviceIdentification {
                        read_device_id_code,
                        conformity_level,
                        more_follows,
                        next_object_id,
                        number_of_objects,
                        objects: Seq::from_wire(data),
                    }
                }
                fc::MEI_CANOPEN => Response::CanopenGeneralReference {
                    data: Bytes::new(c.take_rest()),
                },
                _ => {
                    // the MEI type and everything after it are the raw data
                    let _ = c.take_rest();
                    Response::Unsupported {
                        function_code: code,
                        data: Bytes::new(pdu.get(1..).unwrap_or(&[])),
                    }
                }
            },
            e if e & fc::EXCEPTION_BIT != 0 => {
                let exception_code = c.read_u8()?;
                if exception_code == 0 {
                    return Err(Error::malformed("exception_code", "must be 1..=255"));
                }
                Response::Exception {
                    function_code: e,
                    exception_code,
                }
            }
            _ => Response::Unsupported {
                function_code: code,
                data: Bytes::new(c.take_rest()),
            },
        };
        Ok((r, c.position()))
    }

    /// The function code on the wire (with 0x80 set for exceptions).
    #[inline]
    pub fn function_code(&self) -> u8 {
        match self {
            Response::ReadCoils { .. } => fc::READ_COILS,
            Response::ReadDiscreteInputs { .. } => fc::READ_DISCRETE_INPUTS,
            Response::ReadHoldingRegisters { .. } => fc::READ_HOLDING_REGISTERS,
            Response::ReadInputRegisters { .. } => fc::READ_INPUT_REGISTERS,
            Response::WriteSingleCoil { .. } => fc::WRITE_SINGLE_COIL,
            Response::WriteSingleRegister { .. } => fc::WRITE_SINGLE_REGISTER,
            Response::ReadExceptionStatus { .. } => fc::READ_EXCEPTION_STATUS,
            Response::Diagnostics { .. } => fc::DIAGNOSTICS,
            Response::GetCommEventCounter { .. } => fc::GET_COMM_EVENT_COUNTER,
            Response::GetCommEventLog { .. } => fc::GET_COMM_EVENT_LOG,
            Response::WriteMultipleCoils { .. } => fc::WRITE_MULTIPLE_COILS,
            Response::WriteMultipleRegisters { .. } => fc::WRITE_MULTIPLE_REGISTERS,
            Response::ReportServerId { .. } => fc::REPORT_SERVER_ID,
            Response::ReadFileRecord { .. } => fc::READ_FILE_RECORD,
            Response::WriteFileRecord { .. } => fc::WRITE_FILE_RECORD,
            Response::MaskWriteRegister { .. } => fc::MASK_WRITE_REGISTER,
            Response::ReadWriteMultipleRegisters { .. } => fc::READ_WRITE_MULTIPLE_REGISTERS,
            Response::ReadFifoQueue { .. } => fc::READ_FIFO_QUEUE,
            Response::ReadDeviceIdentification { .. }
            | Response::CanopenGeneralReference { .. } => fc::ENCAPSULATED_INTERFACE,
            Response::Exception { function_code, .. }
            | Response::Unsupported { function_code, .. } => *function_code,
        }
    }

    /// The snake_case name used as `"function"` in JSON.
    pub fn name(&self) -> &'static str {
        match self {
            Response::ReadDeviceIdentification { .. } => "read_device_identification",
            Response::CanopenGeneralReference { .. } => "canopen_general_reference",
            Response::Exception { .. } => "exception",
            Response::Unsupported { .. } => "unsupported",
            _ => function_name(self.function_code()).unwrap_or("unsupported"),
        }
    }

    /// FC 3 response; the byte count follows from `values` (more than 125 fails at encode time).
    pub fn read_holding_registers(values: &'a [u16]) -> Self {
        Response::ReadHoldingRegisters {
            byte_count: u8::try_from(values.len().saturating_mul(2)).unwrap_or(u8::MAX),
            registers: Registers::from_slice(values),
        }
    }

    /// FC 1 response; `values` is padded with zeros to whole bytes on the wire.
    pub fn read_coils(values: &'a [bool]) -> Self {
        Response::ReadCoils {
            byte_count: u8::try_from(values.len().div_ceil(8)).unwrap_or(u8::MAX),
            coils: Bits::from_slice(values),
        }
    }

    /// An exception response to `function_code`.
    pub const fn exception(function_code: u8, exception_code: u8) -> Self {
        Response::Exception {
            function_code: function_code | fc::EXCEPTION_BIT,
            exception_code,
        }
    }

    #[inline]
    pub(super) fn body_len(&self) -> usize {
        match self {
            Response::ReadCoils { coils: b, .. }
            | Response::ReadDiscreteInputs { inputs: b, .. } => b.wire_len().saturating_add(1),
            Response::ReadHoldingRegisters { registers, .. }
            | Response::ReadInputRegisters { registers, .. }
            | Response::ReadWriteMultipleRegisters { registers, .. } => {
                registers.wire_len().saturating_add(1)
            }
            Response::WriteSingleCoil { .. }
            | Response::WriteSingleRegister { .. }
            | Response::GetCommEventCounter { .. }
            | Response::WriteMultipleCoils { .. }
            | Response::WriteMultipleRegisters { .. } => 4,
            Response::ReadExceptionStatus { .. } | Response::Exception { .. } => 1,
            Response::Diagnostics { data, .. } => data.len().saturating_add(2),
            Response::GetCommEventLog { events, .. } => events.len().saturating_add(7),
            Response::ReportServerId { data, .. } => data.len().saturating_add(1),
            Response::ReadFileRecord { sub_responses, .. } => {
                sub_responses.wire_len().saturating_add(1)
            }
            Response::WriteFileRecord { sub_responses, .. } => {
                sub_responses.wire_len().saturating_add(1)
            }
            Response::MaskWriteRegister { .. } => 6,
            Response::ReadFifoQueue { values, .. } => values.wire_len().saturating_add(4),
            Response::ReadDeviceIdentification { objects, .. } => {
                objects.wire_len().saturating_add(6)
            }
            Response::CanopenGeneralReference { data } => data.len().saturating_add(1),
            Response::Unsupported { data, .. } => data.len(),
        }
    }

    #[inline]
    pub(super) fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        match self {
            Response::ReadCoils {
                byte_count,
                coils: b,
            }
            | Response::ReadDiscreteInputs {
                byte_count,
                inputs: b,
            } => {
                check_count("byte_count", usize::from(*byte_count), b.wire_len())?;
                if *byte_count == 0 || *byte_count > 250 {
                    return Err(invalid("byte_count", "must be 1..=250 (1..=2000 bits)"));
                }
                w.write_u8(*byte_count)?;
                b.write(w)
            }
            Response::ReadHoldingRegisters {
                byte_count,
                registers,
            }
            | Response::ReadInputRegisters {
                byte_count,
                registers,
            }
            | Response::ReadWriteMultipleRegisters {
                byte_count,
                registers,
            } => {
                check_count("byte_count", usize::from(*byte_count), registers.wire_len())?;
                check_qty(
                    "registers",
                    u16::try_from(registers.len()).unwrap_or(u16::MAX),
                    1,
                    limits::READ_REGISTERS,
                )?;
                w.write_u8(*byte_count)?;
                registers.write(w)
            }
            Response::WriteSingleCoil {
                output_address,
                value,
            } => {
                w.write_u16_be(*output_address)?;
                w.write_u16_be(if *value { 0xFF00 } else { 0 })
            }
            Response::WriteSingleRegister {
                register_address,
                value,
            } => {
                w.write_u16_be(*register_address)?;
                w.write_u16_be(*value)
            }
            Response::ReadExceptionStatus { output_data } => w.write_u8(*output_data),
            Response::Diagnostics { sub_function, data } => {
                w.write_u16_be(*sub_function)?;
                w.write_bytes(data.as_slice())
            }
            Response::GetCommEventCounter {
                status,
                event_count,
            } => {
                w.write_u16_be(*status)?;
                w.write_u16_be(*event_count)
            }
            Response::GetCommEventLog {
                byte_count,
                status,
                event_count,
                message_count,
                events,
            } => {
                if events.len() > limits::MAX_EVENTS {
                    return Err(invalid("events", "at most 64 bytes"));
                }
                check_count(
                    "byte_count",
                    usize::from(*byte_count),
                    events.len().saturating_add(6),
                )?;
                w.write_u8(*byte_count)?;
                w.write_u16_be(*status)?;
                w.write_u16_be(*event_count)?;
                w.write_u16_be(*message_count)?;
                w.write_bytes(events.as_slice())
            }
            Response::WriteMultipleCoils {
                starting_address,
                quantity,
            } => {
                check_qty("quantity", *quantity, 1, limits::WRITE_COILS)?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)
            }
            Response::WriteMultipleRegisters {
                starting_address,
                quantity,
            } => {
                check_qty("quantity", *quantity, 1, limits::WRITE_REGISTERS)?;
                w.write_u16_be(*starting_address)?;
                w.write_u16_be(*quantity)
            }
            Response::ReportServerId { byte_count, data } => {
                check_count("byte_count", usize::from(*byte_count), data.len())?;
                w.write_u8(*byte_count)?;
                w.write_bytes(data.as_slice())
            }
            Response::ReadFileRecord {
                response_data_length,
                sub_responses,
            } => {
                check_count(
                    "response_data_length",
                    usize::from(*response_data_length),
                    sub_responses.wire_len(),
                )?;
                if !(0x03..=0xF5).contains(response_data_length) {
                    return Err(invalid("response_data_length", "must be 3..=245"));
                }
                w.write_u8(*response_data_length)?;
                sub_responses.write(w)
            }
            Response::WriteFileRecord {
                response_data_length,
                sub_responses,
            } => {
                check_count(
                    "response_data_length",
                    usize::from(*response_data_length),
                    sub_responses.wire_len(),
                )?;
                if !(0x09..=0xFB).contains(response_data_length) {
                    return Err(invalid("response_data_length", "must be 9..=251"));
                }
                w.write_u8(*response_data_length)?;
                sub_responses.write(w)
            }
            Response::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => {
                w.write_u16_be(*reference_address)?;
                w.write_u16_be(*and_mask)?;
                w.write_u16_be(*or_mask)
            }
            Response::ReadFifoQueue {
                byte_count,
                fifo_count,
                values,
            } => {
                check_qty("fifo_count", *fifo_count, 0, limits::FIFO_COUNT)?;
                check_count("fifo_count", usize::from(*fifo_count), values.len())?;
                check_count(
                    "byte_count",
                    usize::from(*byte_count),
                    values.wire_len().saturating_add(2),
                )?;
                w.write_u16_be(*byte_count)?;
                w.write_u16_be(*fifo_count)?;
                values.write(w)
            }
            Response::ReadDeviceIdentification {
                read_device_id_code,
                conformity_level,
                more_follows,
                next_object_id,
                number_of_objects,
                objects,
            } => {
                if !(1..=4).contains(read_device_id_code) {
                    return Err(invalid("read_device_id_code", "must be 1..=4"));
                }
                check_count(
                    "number_of_objects",
                    usize::from(*number_of_objects),
                    objects.len(),
                )?;
                w.write_u8(fc::MEI_READ_DEVICE_ID)?;
                w.write_u8(*read_device_id_code)?;
                w.write_u8(*conformity_level)?;
                w.write_u8(if *more_follows { 0xFF } else { 0 })?;
                w.write_u8(*next_object_id)?;
                w.write_u8(*number_of_objects)?;
                objects.write(w)
            }
            Response::CanopenGeneralReference { data } => {
                w.write_u8(fc::MEI_CANOPEN)?;
                w.write_bytes(data.as_slice())
            }
            Response::Exception {
                function_code,
                exception_code,
            } => {
                if function_code & fc::EXCEPTION_BIT == 0 {
                    return Err(invalid("function_code", "an exception sets bit 0x80"));
                }
                if *exception_code == 0 {
                    return Err(invalid("exception_code", "must be 1..=255"));
                }
                w.write_u8(*exception_code)
            }
            Response::Unsupported {
                function_code,
                data,
            } => {
                if function_code & fc::EXCEPTION_BIT != 0 || *function_code == 0 {
                    return Err(invalid("function_code", "must be 1..=127"));
                }
                w.write_bytes(data.as_slice())
            }
        }
    }

    /// An owned copy (no borrow of the input).
    #[cfg(feature = "owned")]
    pub fn into_owned(self) -> Response<'static> {
        match self {
            Response::ReadCoils { byte_count, coils } => Response::ReadCoils {
                byte_count,
                coils: coils.into_owned(),
            },
            Response::ReadDiscreteInputs { byte_count, inputs } => Response::ReadDiscreteInputs {
                byte_count,
                inputs: inputs.into_owned(),
            },
            Response::ReadHoldingRegisters {
                byte_count,
                registers,
            } => Response::ReadHoldingRegisters {
                byte_count,
                registers: registers.into_owned(),
            },
            Response::ReadInputRegisters {
                byte_count,
                registers,
            } => Response::ReadInputRegisters {
                byte_count,
                registers: registers.into_owned(),
            },
            Response::WriteSingleCoil {
                output_address,
                value,
            } => Response::WriteSingleCoil {
                output_address,
                value,
            },
            Response::WriteSingleRegister {
                register_address,
                value,
            } => Response::WriteSingleRegister {
                register_address,
                value,
            },
            Response::ReadExceptionStatus { output_data } => {
                Response::ReadExceptionStatus { output_data }
            }
            Response::Diagnostics { sub_function, data } => Response::Diagnostics {
                sub_function,
                data: data.into_owned(),
            },
            Response::GetCommEventCounter {
                status,
                event_count,
            } => Response::GetCommEventCounter {
                status,
                event_count,
            },
            Response::GetCommEventLog {
                byte_count,
                status,
                event_count,
                message_count,
                events,
            } => Response::GetCommEventLog {
                byte_count,
                status,
                event_count,
                message_count,
                events: events.into_owned(),
            },
            Response::WriteMultipleCoils {
                starting_address,
                quantity,
            } => Response::WriteMultipleCoils {
                starting_address,
                quantity,
            },
            Response::WriteMultipleRegisters {
                starting_address,
                quantity,
            } => Response::WriteMultipleRegisters {
                starting_address,
                quantity,
            },
            Response::ReportServerId { byte_count, data } => Response::ReportServerId {
                byte_count,
                data: data.into_owned(),
            },
            Response::ReadFileRecord {
                response_data_length,
                sub_responses,
            } => Response::ReadFileRecord {
                response_data_length,
                sub_responses: Seq::from_vec(
                    sub_responses
                        .iter()
                        .map(FileSubResponse::into_owned)
                        .collect(),
                ),
            },
            Response::WriteFileRecord {
                response_data_length,
                sub_responses,
            } => Response::WriteFileRecord {
                response_data_length,
                sub_responses: Seq::from_vec(
                    sub_responses.iter().map(FileRecord::into_owned).collect(),
                ),
            },
            Response::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            } => Response::MaskWriteRegister {
                reference_address,
                and_mask,
                or_mask,
            },
            Response::ReadWriteMultipleRegisters {
                byte_count,
                registers,
            } => Response::ReadWriteMultipleRegisters {
                byte_count,
                registers: registers.into_owned(),
            },
            Response::ReadFifoQueue {
                byte_count,
                fifo_count,
                values,
            } => Response::ReadFifoQueue {
                byte_count,
                fifo_count,
                values: values.into_owned(),
            },
            Response::ReadDeviceIdentification {
                read_device_id_code,
                conformity_level,
                more_follows,
                next_object_id,
                number_of_objects,
                objects,
            } => Response::ReadDeviceIdentification {
                read_device_id_code,
                conformity_level,
                more_follows,
                next_object_id,
                number_of_objects,
                objects: Seq::from_vec(objects.iter().map(DeviceObject::into_owned).collect()),
            },
            Response::CanopenGeneralReference { data } => Response::CanopenGeneralReference {
                data: data.into_owned(),
            },
            Response::Exception {
                function_code,
                exception_code,
            } => Response::Exception {
                function_code,
                exception_code,
            },
            Response::Unsupported {
                function_code,
                data,
            } => Response::Unsupported {
                function_code,
                data: data.into_owned(),
            },
        }
    }
}

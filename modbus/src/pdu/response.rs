//! Response PDUs: every function code of clause 6 and the exception
//! responses of clause 7, described once in the table below, and the response
//! grammar (`parse`).

use meterwire_core::{Cursor, EncodeError, Writer};

use super::rules::*;
use super::{DeviceObject, fc, limits};
use crate::Error;
use crate::data::{Bits, Bytes, Registers, Seq};
#[allow(unused_imports)]
use crate::storage::Payload as _;

pdu_enum! {
    /// A response PDU (server to client), including exception responses: the
    /// view [`Response`] (`Copy`) or the owned [`ResponseRepr`].
    enum ResponseOf, view Response, repr ResponseRepr, "response";
    /// FC 1.
    ReadCoils = fc::READ_COILS, "read_coils" {
        /// Bytes of coil status (1..=250).
        byte_count: u8 => be,
        /// `8 * byte_count` bits (the standard pads with zeros).
        coils: S::Bits => pay,
    } check { check_bits(*byte_count, coils.wire_len()) },
    /// FC 2.
    ReadDiscreteInputs = fc::READ_DISCRETE_INPUTS, "read_discrete_inputs" {
        /// Bytes of input status (1..=250).
        byte_count: u8 => be,
        /// `8 * byte_count` bits.
        inputs: S::Bits => pay,
    } check { check_bits(*byte_count, inputs.wire_len()) },
    /// FC 3.
    ReadHoldingRegisters = fc::READ_HOLDING_REGISTERS, "read_holding_registers" registers_read,
    /// FC 4.
    ReadInputRegisters = fc::READ_INPUT_REGISTERS, "read_input_registers" registers_read,
    /// FC 5 (echo).
    echo WriteSingleCoil,
    /// FC 6 (echo).
    echo WriteSingleRegister,
    /// FC 7.
    ReadExceptionStatus = fc::READ_EXCEPTION_STATUS, "read_exception_status" parse fields {
        /// Eight exception status outputs.
        output_data: u8 => be,
    },
    /// FC 8 (echo).
    echo Diagnostics,
    /// FC 11.
    GetCommEventCounter = fc::GET_COMM_EVENT_COUNTER, "get_comm_event_counter" parse fields {
        /// 0xFFFF busy, 0 ready.
        status: u16 => be,
        /// Event count.
        event_count: u16 => be,
    },
    /// FC 12.
    GetCommEventLog = fc::GET_COMM_EVENT_LOG, "get_comm_event_log" {
        /// 6 + events.
        byte_count: u8 => be,
        /// 0xFFFF busy, 0 ready.
        status: u16 => be,
        /// Event count.
        event_count: u16 => be,
        /// Message count.
        message_count: u16 => be,
        /// Event bytes (0..=64), most recent first.
        events: S::Bytes => pay,
    } check {
        if events.len() > limits::MAX_EVENTS {
            return Err(invalid("events", "at most 64 bytes"));
        }
        check_count("byte_count", usize::from(*byte_count), events.len().saturating_add(6))
    },
    /// FC 15.
    WriteMultipleCoils = fc::WRITE_MULTIPLE_COILS, "write_multiple_coils"
        address_quantity("coil", "1..=1968", limits::WRITE_COILS),
    /// FC 16.
    WriteMultipleRegisters = fc::WRITE_MULTIPLE_REGISTERS, "write_multiple_registers"
        address_quantity("register", "1..=123", limits::WRITE_REGISTERS),
    /// FC 17.
    ReportServerId = fc::REPORT_SERVER_ID, "report_server_id" parse fields {
        /// Bytes that follow.
        byte_count: u8 => be,
        /// Server id, run indicator status (0x00 off / 0xFF on) and additional
        /// data; the layout is device specific.
        data: S::Bytes => counted(byte_count),
    },
    /// FC 20.
    ReadFileRecord = fc::READ_FILE_RECORD, "read_file_record" parse fields {
        /// Bytes of all sub-responses (0x07..=0xF5; outside 0x03..=0xF5, what
        /// is there decodes with a diagnostic).
        response_data_length: u8 => be,
        /// The sub-responses.
        sub_responses: S::FileSubResponses => counted(response_data_length),
    } check { check_range("response_data_length", *response_data_length, 0x03, 0xF5, "must be 3..=245") },
    /// FC 21 (echo of the request).
    WriteFileRecord = fc::WRITE_FILE_RECORD, "write_file_record"
        write_file_records(response_data_length, sub_responses),
    /// FC 22 (echo).
    echo MaskWriteRegister,
    /// FC 23.
    ReadWriteMultipleRegisters = fc::READ_WRITE_MULTIPLE_REGISTERS, "read_write_multiple_registers"
        registers_read,
    /// FC 24.
    ReadFifoQueue = fc::READ_FIFO_QUEUE, "read_fifo_queue" {
        /// Bytes that follow (2 + 2 * fifo_count).
        byte_count: u16 => be,
        /// Registers queued (0..=31).
        fifo_count: u16 => be,
        /// The queued values.
        values: S::Registers => pay,
    } check {
        check_qty("fifo_count", *fifo_count, 0, limits::FIFO_COUNT)?;
        check_count("fifo_count", usize::from(*fifo_count), values.len())?;
        check_count("byte_count", usize::from(*byte_count), values.wire_len().saturating_add(2))
    },
    /// FC 43 / MEI 14.
    ReadDeviceIdentification = fc::ENCAPSULATED_INTERFACE, "read_device_identification" mei(fc::MEI_READ_DEVICE_ID) {
        /// The request's code.
        read_device_id_code: u8 => be,
        /// Conformity level.
        conformity_level: u8 => be,
        /// More objects follow (0xFF) or not (0x00).
        more_follows: bool => flag,
        /// Next object id to ask for.
        next_object_id: u8 => be,
        /// Objects in this response.
        number_of_objects: u8 => be,
        /// The objects.
        objects: S::DeviceObjects => pay,
    } check {
        check_range("read_device_id_code", *read_device_id_code, 1, 4, "must be 1..=4")?;
        check_count("number_of_objects", usize::from(*number_of_objects), objects.len())
    },
    /// FC 43 / MEI 13 (echo).
    echo CanopenGeneralReference,
    /// An exception response: function code | 0x80 and an exception code.
    Exception = *function_code, "exception" {
        /// The function code on the wire (with bit 0x80 set).
        function_code: u8 => skip,
        /// The exception code (1..=255; standard ones named by [`exception_name`](super::exception_name)).
        exception_code: u8 => be,
    } check {
        check_range("function_code", *function_code, 0x80, 0xFF, "an exception sets bit 0x80")?;
        check_range("exception_code", *exception_code, 1, 0xFF, "must be 1..=255")
    },
    /// A function code this crate does not decode; the raw bytes stay reachable.
    Unsupported = *function_code, "unsupported" {
        /// The function code.
        function_code: u8 => skip,
        /// The PDU bytes after the function code.
        data: S::Bytes => rest,
    } check { check_range("function_code", *function_code, 1, 127, "must be 1..=127") },
}

/// The register-read response (FC 3, 4 or else 23, by `$code`) of a byte
/// count and its registers, for both grammars below.
macro_rules! registers_read {
    ($code:expr, $byte_count:ident, $registers:ident) => {
        match $code {
            fc::READ_HOLDING_REGISTERS => Response::ReadHoldingRegisters {
                byte_count: $byte_count,
                registers: $registers,
            },
            fc::READ_INPUT_REGISTERS => Response::ReadInputRegisters {
                byte_count: $byte_count,
                registers: $registers,
            },
            _ => Response::ReadWriteMultipleRegisters {
                byte_count: $byte_count,
                registers: $registers,
            },
        }
    };
}

impl<'a> Response<'a> {
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
                return Ok((registers_read!(*code, bc, registers), pdu.len()));
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
            fc::READ_HOLDING_REGISTERS
            | fc::READ_INPUT_REGISTERS
            | fc::READ_WRITE_MULTIPLE_REGISTERS => {
                let (byte_count, registers) = read_registers(&mut c, "byte_count", 2)?;
                registers_read!(code, byte_count, registers)
            }
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
                    let read_device_id_code = read_device_id_code(&mut c)?;
                    let conformity_level = c.read_u8()?;
                    let more_follows = flag_value(c.read_u8()?)?;
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
                mei => Self::parse_mei(code, mei, &mut c, pdu)?,
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
            _ => Self::parse_fields(code, &mut c)?,
        };
        Ok((r, c.position()))
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
}

impl<S: crate::storage::Storage> ResponseOf<S> {
    /// An exception response to `function_code`.
    pub const fn exception(function_code: u8, exception_code: u8) -> Self {
        ResponseOf::Exception {
            function_code: function_code | fc::EXCEPTION_BIT,
            exception_code,
        }
    }
}

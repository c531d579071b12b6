//! Request PDUs: every function code of clause 6, described once in the
//! table below (fields, wire encoding, encoder rules), and the request grammar
//! (`parse`).

use meterwire_core::{Cursor, EncodeError, Writer};

use super::rules::*;
use super::table::Counted;
use super::{fc, limits};
use crate::Error;
use crate::data::{Bits, Registers};
#[allow(unused_imports)]
use crate::storage::Payload as _;

pdu_enum! {
    /// A request PDU (client to server): the view [`Request`] (`Copy`, payloads
    /// borrowed from the frame) or the owned [`RequestRepr`].
    enum RequestOf, view Request, repr RequestRepr, "request";
    /// FC 1.
    ReadCoils = fc::READ_COILS, "read_coils"
        address_quantity("coil", "1..=2000", limits::READ_BITS),
    /// FC 2.
    ReadDiscreteInputs = fc::READ_DISCRETE_INPUTS, "read_discrete_inputs"
        address_quantity("input", "1..=2000", limits::READ_BITS),
    /// FC 3.
    ReadHoldingRegisters = fc::READ_HOLDING_REGISTERS, "read_holding_registers"
        address_quantity("register", "1..=125", limits::READ_REGISTERS),
    /// FC 4.
    ReadInputRegisters = fc::READ_INPUT_REGISTERS, "read_input_registers"
        address_quantity("register", "1..=125", limits::READ_REGISTERS),
    /// FC 5 (value 0xFF00 = on, 0x0000 = off).
    echo WriteSingleCoil,
    /// FC 6.
    echo WriteSingleRegister,
    /// FC 7.
    ReadExceptionStatus = fc::READ_EXCEPTION_STATUS, "read_exception_status" parse fields,
    /// FC 8.
    echo Diagnostics,
    /// FC 11.
    GetCommEventCounter = fc::GET_COMM_EVENT_COUNTER, "get_comm_event_counter" parse fields,
    /// FC 12.
    GetCommEventLog = fc::GET_COMM_EVENT_LOG, "get_comm_event_log" parse fields,
    /// FC 15.
    WriteMultipleCoils = fc::WRITE_MULTIPLE_COILS, "write_multiple_coils" {
        /// First coil.
        starting_address: u16 => be,
        /// 1..=1968, the number of `coils`.
        quantity: u16 => be,
        /// ceil(quantity / 8).
        byte_count: u8 => be,
        /// The values.
        coils: S::Bits => pay,
    } check {
        check_qty("quantity", *quantity, 1, limits::WRITE_COILS)?;
        check_count("quantity", usize::from(*quantity), coils.len())?;
        check_count("byte_count", usize::from(*byte_count), coils.wire_len())
    },
    /// FC 16.
    WriteMultipleRegisters = fc::WRITE_MULTIPLE_REGISTERS, "write_multiple_registers" {
        /// First register.
        starting_address: u16 => be,
        /// 1..=123, the number of `registers`.
        quantity: u16 => be,
        /// 2 * quantity.
        byte_count: u8 => be,
        /// The values.
        registers: S::Registers => pay,
    } check {
        check_qty("quantity", *quantity, 1, limits::WRITE_REGISTERS)?;
        check_count("quantity", usize::from(*quantity), registers.len())?;
        check_count("byte_count", usize::from(*byte_count), registers.wire_len())
    },
    /// FC 17.
    ReportServerId = fc::REPORT_SERVER_ID, "report_server_id" parse fields,
    /// FC 20.
    ReadFileRecord = fc::READ_FILE_RECORD, "read_file_record" {
        /// 7 * sub-requests (0x07..=0xF5).
        byte_count: u8 => be,
        /// The sub-requests.
        sub_requests: S::FileSubRequests => counted(byte_count),
    } check { check_range("sub_requests", *byte_count, 0x07, 0xF5, "1..=35 sub-requests") },
    /// FC 21.
    WriteFileRecord = fc::WRITE_FILE_RECORD, "write_file_record"
        write_file_records(request_data_length, sub_requests),
    /// FC 22.
    echo MaskWriteRegister,
    /// FC 23.
    ReadWriteMultipleRegisters = fc::READ_WRITE_MULTIPLE_REGISTERS, "read_write_multiple_registers" {
        /// First register read.
        read_starting_address: u16 => be,
        /// 1..=125.
        quantity_to_read: u16 => be,
        /// First register written.
        write_starting_address: u16 => be,
        /// 1..=121, the number of `registers`.
        quantity_to_write: u16 => be,
        /// 2 * quantity_to_write.
        write_byte_count: u8 => be,
        /// The values written.
        registers: S::Registers => pay,
    } check {
        check_qty("quantity_to_read", *quantity_to_read, 1, limits::READ_REGISTERS)?;
        check_qty("quantity_to_write", *quantity_to_write, 1, limits::RW_WRITE_REGISTERS)?;
        check_count("quantity_to_write", usize::from(*quantity_to_write), registers.len())?;
        check_count("write_byte_count", usize::from(*write_byte_count), registers.wire_len())
    },
    /// FC 24.
    ReadFifoQueue = fc::READ_FIFO_QUEUE, "read_fifo_queue" parse fields {
        /// The FIFO pointer register.
        fifo_pointer_address: u16 => be,
    },
    /// FC 43 / MEI 14.
    ReadDeviceIdentification = fc::ENCAPSULATED_INTERFACE, "read_device_identification" mei(fc::MEI_READ_DEVICE_ID) {
        /// 1 basic, 2 regular, 3 extended, 4 one object.
        read_device_id_code: u8 => be,
        /// First object id.
        object_id: u8 => be,
    } check { check_range("read_device_id_code", *read_device_id_code, 1, 4, "must be 1..=4") },
    /// FC 43 / MEI 13 (the CANopen payload is opaque here).
    echo CanopenGeneralReference,
    /// A function code this crate does not decode (user-defined 65-72 and
    /// 100-110, other MEI types, unknown codes); the raw bytes stay reachable.
    Unsupported = *function_code, "unsupported" {
        /// The function code.
        function_code: u8 => skip,
        /// The PDU bytes after the function code.
        data: S::Bytes => rest,
    } check { check_range("function_code", *function_code, 1, 127, "must be 1..=127 in a request") },
}

impl<'a> Request<'a> {
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
            fc::WRITE_MULTIPLE_COILS => {
                let starting_address = c.read_u16_be()?;
                let quantity = c.read_u16_be()?;
                let (bc, data) =
                    take_counted(&mut c, "byte_count", usize::from(quantity).div_ceil(8))?;
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
                let (bc, data) = take_counted(
                    &mut c,
                    "byte_count",
                    usize::from(quantity).saturating_mul(2),
                )?;
                Request::WriteMultipleRegisters {
                    starting_address,
                    quantity,
                    byte_count: bc,
                    registers: Registers::from_wire(data),
                }
            }
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
                Request::ReadFileRecord {
                    byte_count: bc,
                    sub_requests: Counted::take(&mut c, bc)?,
                }
            }
            fc::READ_WRITE_MULTIPLE_REGISTERS => {
                let read_starting_address = c.read_u16_be()?;
                let quantity_to_read = c.read_u16_be()?;
                let write_starting_address = c.read_u16_be()?;
                let quantity_to_write = c.read_u16_be()?;
                let expected = usize::from(quantity_to_write).saturating_mul(2);
                let (bc, data) = take_counted(&mut c, "write_byte_count", expected)?;
                Request::ReadWriteMultipleRegisters {
                    read_starting_address,
                    quantity_to_read,
                    write_starting_address,
                    quantity_to_write,
                    write_byte_count: bc,
                    registers: Registers::from_wire(data),
                }
            }
            fc::ENCAPSULATED_INTERFACE => match c.read_u8()? {
                fc::MEI_READ_DEVICE_ID => Request::ReadDeviceIdentification {
                    read_device_id_code: read_device_id_code(&mut c)?,
                    object_id: c.read_u8()?,
                },
                mei => Self::parse_mei(code, mei, &mut c, pdu)?,
            },
            c80 if c80 & fc::EXCEPTION_BIT != 0 => {
                return Err(Error::malformed(
                    "function_code",
                    "codes 0x80..=0xff are exception responses, not requests",
                ));
            }
            _ => Self::parse_fields(code, &mut c)?,
        };
        Ok((r, c.position()))
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
}

//! Protocol data units (Modbus Application Protocol V1.1b3, clause 6 and 7):
//! every public function code, request and response, plus exception responses.
//!
//! [`Request`] and [`Response`] are at the same time the zero-copy views the
//! decoders hand out and the values the encoders take: payloads ([`Registers`],
//! [`Bits`], [`Seq`], [`Bytes`]) are either views over the frame or borrowed
//! (with `alloc`: owned) values. Parsing checks every quantity and byte-count
//! rule; encoding checks the same rules, so a value outside the standard is an
//! [`EncodeError`], never a truncated frame.

#[cfg(feature = "alloc")]
use alloc::vec::Vec;
use meterwire_core::{Cursor, Encode, EncodeError, Writer};

use crate::Error;
use crate::data::{Bits, Bytes, Record, Registers, Seq};

/// Function codes (clause 6).
pub mod fc {
    /// 0x01 Read Coils.
    pub const READ_COILS: u8 = 1;
    /// 0x02 Read Discrete Inputs.
    pub const READ_DISCRETE_INPUTS: u8 = 2;
    /// 0x03 Read Holding Registers.
    pub const READ_HOLDING_REGISTERS: u8 = 3;
    /// 0x04 Read Input Registers.
    pub const READ_INPUT_REGISTERS: u8 = 4;
    /// 0x05 Write Single Coil.
    pub const WRITE_SINGLE_COIL: u8 = 5;
    /// 0x06 Write Single Register.
    pub const WRITE_SINGLE_REGISTER: u8 = 6;
    /// 0x07 Read Exception Status (serial line only).
    pub const READ_EXCEPTION_STATUS: u8 = 7;
    /// 0x08 Diagnostics (serial line only).
    pub const DIAGNOSTICS: u8 = 8;
    /// 0x0B Get Comm Event Counter (serial line only).
    pub const GET_COMM_EVENT_COUNTER: u8 = 11;
    /// 0x0C Get Comm Event Log (serial line only).
    pub const GET_COMM_EVENT_LOG: u8 = 12;
    /// 0x0F Write Multiple Coils.
    pub const WRITE_MULTIPLE_COILS: u8 = 15;
    /// 0x10 Write Multiple Registers.
    pub const WRITE_MULTIPLE_REGISTERS: u8 = 16;
    /// 0x11 Report Server ID (serial line only).
    pub const REPORT_SERVER_ID: u8 = 17;
    /// 0x14 Read File Record.
    pub const READ_FILE_RECORD: u8 = 20;
    /// 0x15 Write File Record.
    pub const WRITE_FILE_RECORD: u8 = 21;
    /// 0x16 Mask Write Register.
    pub const MASK_WRITE_REGISTER: u8 = 22;
    /// 0x17 Read/Write Multiple Registers.
    pub const READ_WRITE_MULTIPLE_REGISTERS: u8 = 23;
    /// 0x18 Read FIFO Queue.
    pub const READ_FIFO_QUEUE: u8 = 24;
    /// 0x2B Encapsulated Interface Transport.
    pub const ENCAPSULATED_INTERFACE: u8 = 43;
    /// MEI type 0x0D: CANopen General Reference.
    pub const MEI_CANOPEN: u8 = 13;
    /// MEI type 0x0E: Read Device Identification.
    pub const MEI_READ_DEVICE_ID: u8 = 14;
    /// The bit set in the function code of an exception response.
    pub const EXCEPTION_BIT: u8 = 0x80;
}

/// Limits of clause 6 and 4.1.
pub mod limits {
    /// Largest PDU (4.1): 253 bytes.
    pub const MAX_PDU: usize = 253;
    /// FC 1/2: 1..=2000 bits.
    pub const READ_BITS: u16 = 2000;
    /// FC 3/4: 1..=125 registers.
    pub const READ_REGISTERS: u16 = 125;
    /// FC 15: 1..=1968 coils (0x7B0).
    pub const WRITE_COILS: u16 = 1968;
    /// FC 16: 1..=123 registers (0x7B).
    pub const WRITE_REGISTERS: u16 = 123;
    /// FC 23: 1..=121 registers written (0x79).
    pub const RW_WRITE_REGISTERS: u16 = 121;
    /// FC 24: at most 31 queued registers.
    pub const FIFO_COUNT: u16 = 31;
    /// FC 20/21: file record numbers 0..=9999 (0x270F).
    pub const FILE_RECORD_NUMBER: u16 = 0x270F;
    /// FC 20/21: the only reference type.
    pub const FILE_REFERENCE_TYPE: u8 = 6;
    /// FC 12: at most 64 event bytes.
    pub const MAX_EVENTS: usize = 64;
}

/// Whether a PDU goes from client to server or back. On TCP and ASCII the
/// framing does not depend on it; on RTU it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Direction {
    /// Client (master) to server (slave).
    Request,
    /// Server to client.
    Response,
}

impl Direction {
    /// `"request"` or `"response"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }

    /// The other direction.
    pub const fn opposite(self) -> Self {
        match self {
            Direction::Request => Direction::Response,
            Direction::Response => Direction::Request,
        }
    }
}

/// The name of an exception code (clause 7), or `None` when not standard.
pub const fn exception_name(code: u8) -> Option<&'static str> {
    Some(match code {
        1 => "illegal_function",
        2 => "illegal_data_address",
        3 => "illegal_data_value",
        4 => "server_device_failure",
        5 => "acknowledge",
        6 => "server_device_busy",
        8 => "memory_parity_error",
        0x0A => "gateway_path_unavailable",
        0x0B => "gateway_target_device_failed_to_respond",
        _ => return None,
    })
}

/// The snake_case name of a function code, `None` when not public.
pub const fn function_name(code: u8) -> Option<&'static str> {
    Some(match code {
        fc::READ_COILS => "read_coils",
        fc::READ_DISCRETE_INPUTS => "read_discrete_inputs",
        fc::READ_HOLDING_REGISTERS => "read_holding_registers",
        fc::READ_INPUT_REGISTERS => "read_input_registers",
        fc::WRITE_SINGLE_COIL => "write_single_coil",
        fc::WRITE_SINGLE_REGISTER => "write_single_register",
        fc::READ_EXCEPTION_STATUS => "read_exception_status",
        fc::DIAGNOSTICS => "diagnostics",
        fc::GET_COMM_EVENT_COUNTER => "get_comm_event_counter",
        fc::GET_COMM_EVENT_LOG => "get_comm_event_log",
        fc::WRITE_MULTIPLE_COILS => "write_multiple_coils",
        fc::WRITE_MULTIPLE_REGISTERS => "write_multiple_registers",
        fc::REPORT_SERVER_ID => "report_server_id",
        fc::READ_FILE_RECORD => "read_file_record",
        fc::WRITE_FILE_RECORD => "write_file_record",
        fc::MASK_WRITE_REGISTER => "mask_write_register",
        fc::READ_WRITE_MULTIPLE_REGISTERS => "read_write_multiple_registers",
        fc::READ_FIFO_QUEUE => "read_fifo_queue",
        fc::ENCAPSULATED_INTERFACE => "encapsulated_interface_transport",
        _ => return None,
    })
}

// ---------------------------------------------------------------- records

/// One sub-request of FC 20 (Read File Record): 7 bytes, reference type 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FileSubRequest {
    /// File number (1..=0xFFFF).
    pub file_number: u16,
    /// Starting record number (0..=9999).
    pub record_number: u16,
    /// Number of registers to read.
    pub record_length: u16,
}

impl Record<'_> for FileSubRequest {
    fn read(c: &mut Cursor<'_>) -> Result<Self, Error> {
        reference_type(c)?;
        let file_number = c.read_u16_be()?;
        let record_number = record_number(c.read_u16_be()?)?;
        let record_length = c.read_u16_be()?;
        Ok(FileSubRequest {
            file_number,
            record_number,
            record_length,
        })
    }
    fn wire_len(&self) -> usize {
        7
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.record_number > limits::FILE_RECORD_NUMBER {
            return Err(invalid("record_number", "at most 9999"));
        }
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        w.write_u16_be(self.file_number)?;
        w.write_u16_be(self.record_number)?;
        w.write_u16_be(self.record_length)
    }
}

/// One sub-response of FC 20: the registers read from one file record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
pub struct FileSubResponse<'a> {
    /// The record data.
    pub record_data: Registers<'a>,
}

impl<'a> Record<'a> for FileSubResponse<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        let len = usize::from(c.read_u8()?);
        if len % 2 == 0 {
            return Err(Error::malformed(
                "file response length",
                "1 + 2 * registers (odd)",
            ));
        }
        reference_type(c)?;
        let data = c.take(len.saturating_sub(1))?;
        Ok(FileSubResponse {
            record_data: Registers::from_wire(data),
        })
    }
    fn wire_len(&self) -> usize {
        self.record_data.wire_len().saturating_add(2)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let len = u8::try_from(self.record_data.wire_len().saturating_add(1))
            .map_err(|_| invalid("record_data", "at most 127 registers"))?;
        w.write_u8(len)?;
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        self.record_data.write(w)
    }
}

/// One record of FC 21 (Write File Record), request and response alike.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
pub struct FileRecord<'a> {
    /// File number.
    pub file_number: u16,
    /// Starting record number (0..=9999).
    pub record_number: u16,
    /// The registers written (the record length is their count).
    pub record_data: Registers<'a>,
}

impl<'a> Record<'a> for FileRecord<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        reference_type(c)?;
        let file_number = c.read_u16_be()?;
        let record_number = record_number(c.read_u16_be()?)?;
        let n = usize::from(c.read_u16_be()?);
        let data = c.take(n.saturating_mul(2))?;
        Ok(FileRecord {
            file_number,
            record_number,
            record_data: Registers::from_wire(data),
        })
    }
    fn wire_len(&self) -> usize {
        self.record_data.wire_len().saturating_add(7)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        if self.record_number > limits::FILE_RECORD_NUMBER {
            return Err(invalid("record_number", "at most 9999"));
        }
        let n = u16::try_from(self.record_data.len())
            .map_err(|_| invalid("record_data", "too long"))?;
        w.write_u8(limits::FILE_REFERENCE_TYPE)?;
        w.write_u16_be(self.file_number)?;
        w.write_u16_be(self.record_number)?;
        w.write_u16_be(n)?;
        self.record_data.write(w)
    }
}

/// One object of FC 43 / MEI 14 (Read Device Identification). In JSON:
/// `{"object_id", "value": hex, "text": the value when it is printable ASCII}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
pub struct DeviceObject<'a> {
    /// Object id (0 vendor name, 1 product code, 2 revision, 3 vendor url, ...).
    pub object_id: u8,
    /// The object value (hex in JSON; the basic objects are ASCII strings).
    pub value: Bytes<'a>,
}

impl<'a> Record<'a> for DeviceObject<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self, Error> {
        let object_id = c.read_u8()?;
        let len = usize::from(c.read_u8()?);
        Ok(DeviceObject {
            object_id,
            value: Bytes::new(c.take(len)?),
        })
    }
    fn wire_len(&self) -> usize {
        self.value.len().saturating_add(2)
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let len = u8::try_from(self.value.len())
            .map_err(|_| invalid("object value", "at most 255 bytes"))?;
        w.write_u8(self.object_id)?;
        w.write_u8(len)?;
        w.write_bytes(self.value.as_slice())
    }
}

fn reference_type(c: &mut Cursor<'_>) -> Result<(), Error> {
    if c.read_u8()? != limits::FILE_REFERENCE_TYPE {
        return Err(Error::malformed("reference_type", "must be 6"));
    }
    Ok(())
}

fn record_number(v: u16) -> Result<u16, Error> {
    if v > limits::FILE_RECORD_NUMBER {
        return Err(Error::Quantity {
            field: "record_number",
            min: 0,
            max: limits::FILE_RECORD_NUMBER,
            actual: v,
        });
    }
    Ok(v)
}

// ---------------------------------------------------------------- PDUs

/// A request PDU (client to server).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "alloc"),
    serde(tag = "function", rename_all = "snake_case")
)]
pub enum Request<'a> {
    /// FC 1.
    ReadCoils {
        /// First coil.
        starting_address: u16,
        /// 1..=2000.
        quantity: u16,
    },
    /// FC 2.
    ReadDiscreteInputs {
        /// First input.
        starting_address: u16,
        /// 1..=2000.
        quantity: u16,
    },
    /// FC 3.
    ReadHoldingRegisters {
        /// First register.
        starting_address: u16,
        /// 1..=125.
        quantity: u16,
    },
    /// FC 4.
    ReadInputRegisters {
        /// First register.
        starting_address: u16,
        /// 1..=125.
        quantity: u16,
    },
    /// FC 5 (value 0xFF00 = on, 0x0000 = off).
    WriteSingleCoil {
        /// The coil.
        output_address: u16,
        /// On or off.
        value: bool,
    },
    /// FC 6.
    WriteSingleRegister {
        /// The register.
        register_address: u16,
        /// The value.
        value: u16,
    },
    /// FC 7.
    ReadExceptionStatus,
    /// FC 8.
    Diagnostics {
        /// Sub-function (0..=21 public).
        sub_function: u16,
        /// Data field (usually one register).
        data: Bytes<'a>,
    },
    /// FC 11.
    GetCommEventCounter,
    /// FC 12.
    GetCommEventLog,
    /// FC 15.
    WriteMultipleCoils {
        /// First coil.
        starting_address: u16,
        /// 1..=1968, the number of `coils`.
        quantity: u16,
        /// ceil(quantity / 8).
        byte_count: u8,
        /// The values.
        coils: Bits<'a>,
    },
    /// FC 16.
    WriteMultipleRegisters {
        /// First register.
        starting_address: u16,
        /// 1..=123, the number of `registers`.
        quantity: u16,
        /// 2 * quantity.
        byte_count: u8,
        /// The values.
        registers: Registers<'a>,
    },
    /// FC 17.
    ReportServerId,
    /// FC 20.
    ReadFileRecord {
        /// 7 * sub-requests (0x07..=0xF5).
        byte_count: u8,
        /// The sub-requests.
        sub_requests: Seq<'a, FileSubRequest>,
    },
    /// FC 21.
    WriteFileRecord {
        /// Bytes of all records (0x09..=0xFB).
        request_data_length: u8,
        /// The records.
        sub_requests: Seq<'a, FileRecord<'a>>,
    },
    /// FC 22.
    MaskWriteRegister {
        /// The register.
        reference_address: u16,
        /// AND mask.
        and_mask: u16,
        /// OR mask.
        or_mask: u16,
    },
    /// FC 23.
    ReadWriteMultipleRegisters {
        /// First register read.
        read_starting_address: u16,
        /// 1..=125.
        quantity_to_read: u16,
        /// First register written.
        write_starting_address: u16,
        /// 1..=121, the number of `registers`.
        quantity_to_write: u16,
        /// 2 * quantity_to_write.
        write_byte_count: u8,
        /// The values written.
        registers: Registers<'a>,
    },
    /// FC 24.
    ReadFifoQueue {
        /// The FIFO pointer register.
        fifo_pointer_address: u16,
    },
    /// FC 43 / MEI 14.
    ReadDeviceIdentification {
        /// 1 basic, 2 regular, 3 extended, 4 one object.
        read_device_id_code: u8,
        /// First object id.
        object_id: u8,
    },
    /// FC 43 / MEI 13 (the CANopen payload is opaque here).
    CanopenGeneralReference {
        /// The MEI data after the MEI type.
        data: Bytes<'a>,
    },
    /// A function code this crate does not decode (user-defined 65-72 and
    /// 100-110, other MEI types, unknown codes); the raw bytes stay reachable.
    Unsupported {
        /// The function code.
        function_code: u8,
        /// The PDU bytes after the function code.
        data: Bytes<'a>,
    },
}

/// A response PDU (server to client), including exception responses.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "alloc"),
    serde(tag = "function", rename_all = "snake_case")
)]
pub enum Response<'a> {
    /// FC 1.
    ReadCoils {
        /// Bytes of coil status (1..=250).
        byte_count: u8,
        /// `8 * byte_count` bits (the standard pads with zeros).
        coils: Bits<'a>,
    },
    /// FC 2.
    ReadDiscreteInputs {
        /// Bytes of input status (1..=250).
        byte_count: u8,
        /// `8 * byte_count` bits.
        inputs: Bits<'a>,
    },
    /// FC 3.
    ReadHoldingRegisters {
        /// 2 * registers (2..=250).
        byte_count: u8,
        /// The values.
        registers: Registers<'a>,
    },
    /// FC 4.
    ReadInputRegisters {
        /// 2 * registers (2..=250).
        byte_count: u8,
        /// The values.
        registers: Registers<'a>,
    },
    /// FC 5 (echo).
    WriteSingleCoil {
        /// The coil.
        output_address: u16,
        /// On or off.
        value: bool,
    },
    /// FC 6 (echo).
    WriteSingleRegister {
        /// The register.
        register_address: u16,
        /// The value.
        value: u16,
    },
    /// FC 7.
    ReadExceptionStatus {
        /// Eight exception status outputs.
        output_data: u8,
    },
    /// FC 8.
    Diagnostics {
        /// Sub-function.
        sub_function: u16,
        /// Data field.
        data: Bytes<'a>,
    },
    /// FC 11.
    GetCommEventCounter {
        /// 0xFFFF busy, 0 ready.
        status: u16,
        /// Event count.
        event_count: u16,
    },
    /// FC 12.
    GetCommEventLog {
        /// 6 + events.
        byte_count: u8,
        /// 0xFFFF busy, 0 ready.
        status: u16,
        /// Event count.
        event_count: u16,
        /// Message count.
        message_count: u16,
        /// Event bytes (0..=64), most recent first.
        events: Bytes<'a>,
    },
    /// FC 15.
    WriteMultipleCoils {
        /// First coil.
        starting_address: u16,
        /// 1..=1968.
        quantity: u16,
    },
    /// FC 16.
    WriteMultipleRegisters {
        /// First register.
        starting_address: u16,
        /// 1..=123.
        quantity: u16,
    },
    /// FC 17.
    ReportServerId {
        /// Bytes that follow.
        byte_count: u8,
        /// Server id, run indicator status (0x00 off / 0xFF on) and additional
        /// data; the layout is device specific.
        data: Bytes<'a>,
    },
    /// FC 20.
    ReadFileRecord {
        /// Bytes of all sub-responses (0x07..=0xF5).
        response_data_length: u8,
        /// The sub-responses.
        sub_responses: Seq<'a, FileSubResponse<'a>>,
    },
    /// FC 21 (echo of the request).
    WriteFileRecord {
        /// Bytes of all records.
        response_data_length: u8,
        /// The records.
        sub_responses: Seq<'a, FileRecord<'a>>,
    },
    /// FC 22 (echo).
    MaskWriteRegister {
        /// The register.
        reference_address: u16,
        /// AND mask.
        and_mask: u16,
        /// OR mask.
        or_mask: u16,
    },
    /// FC 23.
    ReadWriteMultipleRegisters {
        /// 2 * registers read.
        byte_count: u8,
        /// The values read.
        registers: Registers<'a>,
    },
    /// FC 24.
    ReadFifoQueue {
        /// Bytes that follow (2 + 2 * fifo_count).
        byte_count: u16,
        /// Registers queued (0..=31).
        fifo_count: u16,
        /// The queued values.
        values: Registers<'a>,
    },
    /// FC 43 / MEI 14.
    ReadDeviceIdentification {
        /// The request's code.
        read_device_id_code: u8,
        /// Conformity level.
        conformity_level: u8,
        /// More objects follow (0xFF) or not (0x00).
        more_follows: bool,
        /// Next object id to ask for.
        next_object_id: u8,
        /// Objects in this response.
        number_of_objects: u8,
        /// The objects.
        objects: Seq<'a, DeviceObject<'a>>,
    },
    /// FC 43 / MEI 13.
    CanopenGeneralReference {
        /// The MEI data after the MEI type.
        data: Bytes<'a>,
    },
    /// An exception response: function code | 0x80 and an exception code.
    Exception {
        /// The function code on the wire (with bit 0x80 set).
        function_code: u8,
        /// The exception code (1..=255; standard ones named by [`exception_name`]).
        exception_code: u8,
    },
    /// A function code this crate does not decode; the raw bytes stay reachable.
    Unsupported {
        /// The function code.
        function_code: u8,
        /// The PDU bytes after the function code.
        data: Bytes<'a>,
    },
}

/// A request or a response.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "alloc"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "alloc"),
    serde(tag = "direction", rename_all = "lowercase")
)]
pub enum Pdu<'a> {
    /// Client to server.
    Request(Request<'a>),
    /// Server to client.
    Response(Response<'a>),
}

// ---------------------------------------------------------------- helpers

fn quantity(field: &'static str, v: u16, min: u16, max: u16) -> Result<u16, Error> {
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

fn byte_count(field: &'static str, expected: usize, actual: usize) -> Result<(), Error> {
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
fn exact(used: usize, total: usize) -> Result<(), Error> {
    if used != total {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "pdu length",
            expected: used,
            actual: total,
        }));
    }
    Ok(())
}

fn check_pdu_len(pdu: &[u8]) -> Result<(), Error> {
    if pdu.len() > limits::MAX_PDU {
        return Err(Error::Core(meterwire_core::Error::Length {
            field: "pdu length",
            expected: limits::MAX_PDU,
            actual: pdu.len(),
        }));
    }
    Ok(())
}

fn coil_value(v: u16) -> Result<bool, Error> {
    match v {
        0xFF00 => Ok(true),
        0x0000 => Ok(false),
        _ => Err(Error::malformed(
            "value",
            "a coil value must be 0xff00 or 0x0000",
        )),
    }
}

const fn invalid(field: &'static str, reason: &'static str) -> EncodeError {
    EncodeError::Invalid { field, reason }
}

#[inline]
fn check_qty(field: &'static str, v: u16, min: u16, max: u16) -> Result<(), EncodeError> {
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
fn check_count(field: &'static str, declared: usize, actual: usize) -> Result<(), EncodeError> {
    if declared != actual {
        return Err(invalid(field, "does not agree with the data"));
    }
    Ok(())
}

fn read_registers<'a>(
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

fn read_bits<'a>(c: &mut Cursor<'a>) -> Result<(u8, Bits<'a>), Error> {
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
    fn body_len(&self) -> usize {
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
    fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
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
    #[cfg(feature = "alloc")]
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

#[cfg(feature = "alloc")]
impl FileRecord<'_> {
    /// An owned copy.
    pub fn into_owned(self) -> FileRecord<'static> {
        FileRecord {
            file_number: self.file_number,
            record_number: self.record_number,
            record_data: self.record_data.into_owned(),
        }
    }
}

#[cfg(feature = "alloc")]
impl FileSubResponse<'_> {
    /// An owned copy.
    pub fn into_owned(self) -> FileSubResponse<'static> {
        FileSubResponse {
            record_data: self.record_data.into_owned(),
        }
    }
}

#[cfg(feature = "alloc")]
impl DeviceObject<'_> {
    /// An owned copy.
    pub fn into_owned(self) -> DeviceObject<'static> {
        DeviceObject {
            object_id: self.object_id,
            value: self.value.into_owned(),
        }
    }
}

impl<'a> Response<'a> {
    /// Parses a complete response PDU (function code first). Short input is an
    /// error, and so are bytes after the PDU (see [`Request::parse`]).
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
    fn body_len(&self) -> usize {
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
    fn write_body(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
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
    #[cfg(feature = "alloc")]
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

#[inline]
fn encode_pdu(
    code: u8,
    body_len: usize,
    out: &mut [u8],
    body: impl Fn(&mut Writer<'_>) -> Result<(), EncodeError>,
) -> Result<usize, EncodeError> {
    let len = body_len.saturating_add(1);
    if len > limits::MAX_PDU {
        return Err(too_long(body));
    }
    let mut w = Writer::new(out);
    // reserve first so that a short buffer fails before any field check
    if w.remaining() < len {
        return Err(EncodeError::BufferTooSmall {
            needed: len,
            available: w.remaining(),
        });
    }
    w.write_u8(code)?;
    body(&mut w)?;
    if w.position() != len {
        return Err(invalid("pdu", "encoded length disagrees with encoded_len"));
    }
    Ok(len)
}

/// A PDU over 253 bytes: the quantity or count rule it breaks, if one does
/// (e.g. 124 registers in FC 16), else the PDU size (cold path).
#[cold]
fn too_long(body: impl Fn(&mut Writer<'_>) -> Result<(), EncodeError>) -> EncodeError {
    let mut scratch = [0u8; 512];
    match body(&mut Writer::new(&mut scratch)) {
        Err(e @ EncodeError::Invalid { .. }) => e,
        _ => invalid("pdu", "longer than 253 bytes"),
    }
}

impl Encode for Request<'_> {
    #[inline]
    fn encoded_len(&self) -> usize {
        self.body_len().saturating_add(1)
    }
    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        encode_pdu(self.function_code(), self.body_len(), out, |w| {
            self.write_body(w)
        })
    }
}

impl Encode for Response<'_> {
    #[inline]
    fn encoded_len(&self) -> usize {
        self.body_len().saturating_add(1)
    }
    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        encode_pdu(self.function_code(), self.body_len(), out, |w| {
            self.write_body(w)
        })
    }
}

impl<'a> Pdu<'a> {
    /// Parses a complete PDU in the given direction, or, with `None`, as a
    /// request first and then as a response (see [`Pdu::direction`] for which
    /// fitted; when both fit, the one without diagnostics wins).
    #[inline(always)]
    pub fn parse(pdu: &'a [u8], direction: Option<Direction>) -> Result<Self, Error> {
        let (p, used) = Self::parse_prefix(pdu, direction)?;
        exact(used, pdu.len())?;
        Ok(p)
    }

    /// Parses the PDU at the start of `pdu` and returns it with the number of
    /// bytes it used; the bytes after it are the ADU's trailing bytes. With
    /// `None` the direction that departs least from the standard wins
    /// (requests first on a tie).
    #[inline(always)]
    pub fn parse_prefix(
        pdu: &'a [u8],
        direction: Option<Direction>,
    ) -> Result<(Self, usize), Error> {
        match direction {
            Some(Direction::Request) => {
                Request::parse_prefix(pdu).map(|(r, n)| (Pdu::Request(r), n))
            }
            Some(Direction::Response) => {
                Response::parse_prefix(pdu).map(|(r, n)| (Pdu::Response(r), n))
            }
            None => Self::parse_either(pdu),
        }
    }

    fn parse_either(pdu: &'a [u8]) -> Result<(Self, usize), Error> {
        let departures =
            |diags: usize, used: usize| diags.saturating_add(usize::from(used != pdu.len()));
        let req = match Request::parse_prefix(pdu) {
            Ok((r, n)) => {
                let d = departures(r.diagnostics().count(), n);
                if d == 0 {
                    return Ok((Pdu::Request(r), n));
                }
                Ok((r, n, d))
            }
            Err(e) => Err(e),
        };
        let resp = Response::parse_prefix(pdu)
            .map(|(r, n)| (departures(r.diagnostics().count(), n), r, n));
        let exception = pdu.first().is_some_and(|c| c & fc::EXCEPTION_BIT != 0);
        // a direction whose grammar recognised the PDU and found a rule broken
        // beats the other direction fitting only with trailing bytes
        let broke_rule = |e: &Error| {
            !exception
                && matches!(
                    e,
                    Error::ByteCount { .. }
                        | Error::Quantity { .. }
                        | Error::Core(meterwire_core::Error::Malformed { .. })
                )
        };
        match (req, resp) {
            (Ok((q, qn, qd)), Ok((rd, r, rn))) => Ok(if rd < qd {
                (Pdu::Response(r), rn)
            } else {
                (Pdu::Request(q), qn)
            }),
            (Ok((_, qn, _)), Err(e)) if qn != pdu.len() && broke_rule(&e) => Err(e),
            (Ok((q, qn, _)), Err(_)) => Ok((Pdu::Request(q), qn)),
            (Err(e), Ok((_, _, rn))) if rn != pdu.len() && broke_rule(&e) => Err(e),
            (Err(_), Ok((_, r, rn))) => Ok((Pdu::Response(r), rn)),
            (Err(req_err), Err(resp_err)) => Err(if exception { resp_err } else { req_err }),
        }
    }

    /// Which direction this PDU is.
    pub fn direction(&self) -> Direction {
        match self {
            Pdu::Request(_) => Direction::Request,
            Pdu::Response(_) => Direction::Response,
        }
    }

    /// The function code on the wire.
    #[inline]
    pub fn function_code(&self) -> u8 {
        match self {
            Pdu::Request(r) => r.function_code(),
            Pdu::Response(r) => r.function_code(),
        }
    }

    /// The snake_case function name.
    pub fn name(&self) -> &'static str {
        match self {
            Pdu::Request(r) => r.name(),
            Pdu::Response(r) => r.name(),
        }
    }

    /// The request, if this is one.
    pub fn request(&self) -> Option<&Request<'a>> {
        match self {
            Pdu::Request(r) => Some(r),
            Pdu::Response(_) => None,
        }
    }

    /// The response, if this is one.
    pub fn response(&self) -> Option<&Response<'a>> {
        match self {
            Pdu::Response(r) => Some(r),
            Pdu::Request(_) => None,
        }
    }

    /// `(function_code, exception_code)` when this is an exception response.
    pub fn exception(&self) -> Option<(u8, u8)> {
        match self {
            Pdu::Response(Response::Exception {
                function_code,
                exception_code,
            }) => Some((*function_code, *exception_code)),
            _ => None,
        }
    }

    /// `Some((function_code, data))` when the function code is not decoded here.
    pub fn unsupported(&self) -> Option<(u8, &[u8])> {
        match self {
            Pdu::Request(Request::Unsupported {
                function_code,
                data,
            })
            | Pdu::Response(Response::Unsupported {
                function_code,
                data,
            }) => Some((*function_code, data.as_slice())),
            _ => None,
        }
    }

    /// An owned copy.
    #[cfg(feature = "alloc")]
    pub fn into_owned(self) -> Pdu<'static> {
        match self {
            Pdu::Request(r) => Pdu::Request(r.into_owned()),
            Pdu::Response(r) => Pdu::Response(r.into_owned()),
        }
    }

    /// Encodes into a new `Vec`.
    #[cfg(feature = "alloc")]
    pub fn to_vec(&self) -> Result<Vec<u8>, EncodeError> {
        self.encode_to_vec()
    }
}

impl Encode for Pdu<'_> {
    #[inline]
    fn encoded_len(&self) -> usize {
        match self {
            Pdu::Request(r) => r.encoded_len(),
            Pdu::Response(r) => r.encoded_len(),
        }
    }
    #[inline]
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        match self {
            Pdu::Request(r) => r.encode(out),
            Pdu::Response(r) => r.encode(out),
        }
    }
}

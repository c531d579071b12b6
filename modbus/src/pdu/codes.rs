//! Function codes, limits, directions and names (Modbus Application Protocol
//! V1.1b3, clauses 4.1, 6 and 7).

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

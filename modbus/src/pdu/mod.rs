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
use meterwire_core::{Encode, EncodeError, Writer};

use crate::Error;
use crate::data::{Bits, Bytes, Registers, Seq};

/// Byte positions of a PDU.
pub mod field {
    /// The function code.
    pub const FUNCTION_CODE: usize = 0;
    /// The data after the function code.
    pub const DATA: usize = 1;
    /// FC 1-6 requests: the address (or output/register address).
    pub const ADDRESS: core::ops::Range<usize> = 1..3;
    /// FC 1-6 requests: the quantity (or value).
    pub const VALUE: core::ops::Range<usize> = 3..5;
}

mod codes;
mod records;
mod request;
mod response;
mod rules;

pub use codes::{Direction, exception_name, fc, function_name, limits};
pub use records::{DeviceObject, FileRecord, FileSubRequest, FileSubResponse};
use rules::{exact, invalid};

// ---------------------------------------------------------------- PDUs

/// A request PDU (client to server).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(all(feature = "serde", feature = "owned"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "owned"),
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
#[cfg_attr(all(feature = "serde", feature = "owned"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "owned"),
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
#[cfg_attr(all(feature = "serde", feature = "owned"), derive(serde::Deserialize))]
#[cfg_attr(
    all(feature = "serde", feature = "owned"),
    serde(tag = "direction", rename_all = "lowercase")
)]
pub enum Pdu<'a> {
    /// Client to server.
    Request(Request<'a>),
    /// Server to client.
    Response(Response<'a>),
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
    #[cfg(feature = "owned")]
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

//! Departures from the standard that still decode (issue 12 policy): each one
//! is a [`Diagnostic`] computed lazily from the view, never stored while
//! decoding. Strict mode (the framers' `.strict()`) turns the first one into
//! [`meterwire_core::Error::Nonconforming`].

use meterwire_core::{Diagnostic, DiagnosticKind};

use crate::pdu::{Pdu, Request, Response, fc, limits};

/// At most this many diagnostics come from one PDU (FC 23 has two quantities).
const PER_PDU: usize = 2;

type List = [Option<Diagnostic>; PER_PDU];

fn qty(field: &'static str, v: u16, max: u16, message: &'static str) -> Option<Diagnostic> {
    (v == 0 || v > max)
        .then(|| Diagnostic::with_value(DiagnosticKind::OutOfRange, field, message, u64::from(v)))
}

fn count(
    field: &'static str,
    v: u8,
    min: u8,
    max: u8,
    message: &'static str,
) -> Option<Diagnostic> {
    (v < min || v > max)
        .then(|| Diagnostic::with_value(DiagnosticKind::OutOfRange, field, message, u64::from(v)))
}

/// The diagnostic of a PDU whose function code is not decoded here.
fn unsupported(function_code: u8, data: &[u8]) -> Option<Diagnostic> {
    let code = u64::from(function_code);
    Some(match function_code {
        0 => Diagnostic::with_value(
            DiagnosticKind::ReservedCode,
            "function_code",
            "0 is not a function code; data kept raw",
            code,
        ),
        fc::ENCAPSULATED_INTERFACE => Diagnostic::with_value(
            DiagnosticKind::ReservedCode,
            "mei_type",
            "mei type other than 13 and 14; data kept raw",
            data.first().copied().map_or(0, u64::from),
        ),
        65..=72 | 100..=110 => Diagnostic::with_value(
            DiagnosticKind::Unrecognized,
            "function_code",
            "user-defined function code; data kept raw",
            code,
        ),
        _ => Diagnostic::with_value(
            DiagnosticKind::ReservedCode,
            "function_code",
            "unassigned or reserved function code; data kept raw",
            code,
        ),
    })
}

impl Request<'_> {
    /// Departures from the standard in this request: quantities and counts
    /// outside the ranges of clause 6 (`out_of_range`), function codes this
    /// crate does not decode (`reserved_code`, or `unrecognized` for the
    /// user-defined 65-72 and 100-110). Computed on each call, no allocation.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let list: List = match self {
            Request::ReadCoils { quantity, .. } | Request::ReadDiscreteInputs { quantity, .. } => [
                qty("quantity", *quantity, limits::READ_BITS, "outside 1..=2000"),
                None,
            ],
            Request::ReadHoldingRegisters { quantity, .. }
            | Request::ReadInputRegisters { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::READ_REGISTERS,
                    "outside 1..=125",
                ),
                None,
            ],
            Request::WriteMultipleCoils { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::WRITE_COILS,
                    "outside 1..=1968",
                ),
                None,
            ],
            Request::WriteMultipleRegisters { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::WRITE_REGISTERS,
                    "outside 1..=123",
                ),
                None,
            ],
            Request::ReadWriteMultipleRegisters {
                quantity_to_read,
                quantity_to_write,
                ..
            } => [
                qty(
                    "quantity_to_read",
                    *quantity_to_read,
                    limits::READ_REGISTERS,
                    "outside 1..=125",
                ),
                qty(
                    "quantity_to_write",
                    *quantity_to_write,
                    limits::RW_WRITE_REGISTERS,
                    "outside 1..=121",
                ),
            ],
            Request::ReadFileRecord { byte_count, .. } => [
                count("byte_count", *byte_count, 0x07, 0xF5, "outside 7..=245"),
                None,
            ],
            Request::WriteFileRecord {
                request_data_length,
                ..
            } => [
                count(
                    "request_data_length",
                    *request_data_length,
                    0x09,
                    0xFB,
                    "outside 9..=251",
                ),
                None,
            ],
            Request::Unsupported {
                function_code,
                data,
            } => [unsupported(*function_code, data.as_slice()), None],
            _ => [None, None],
        };
        list.into_iter().flatten()
    }
}

impl Response<'_> {
    /// Departures from the standard in this response (see [`Request::diagnostics`]).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let one = match self {
            Response::WriteMultipleCoils { quantity, .. } => qty(
                "quantity",
                *quantity,
                limits::WRITE_COILS,
                "outside 1..=1968",
            ),
            Response::WriteMultipleRegisters { quantity, .. } => qty(
                "quantity",
                *quantity,
                limits::WRITE_REGISTERS,
                "outside 1..=123",
            ),
            Response::ReadFileRecord {
                response_data_length,
                ..
            } => count(
                "response_data_length",
                *response_data_length,
                0x03,
                0xF5,
                "outside 3..=245",
            ),
            Response::WriteFileRecord {
                response_data_length,
                ..
            } => count(
                "response_data_length",
                *response_data_length,
                0x09,
                0xFB,
                "outside 9..=251",
            ),
            Response::Unsupported {
                function_code,
                data,
            } => unsupported(*function_code, data.as_slice()),
            _ => None,
        };
        one.into_iter()
    }
}

impl Pdu<'_> {
    /// Departures from the standard in this PDU (see [`Request::diagnostics`]).
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + use<> {
        let (q, r) = match self {
            Pdu::Request(q) => (Some(q.diagnostics()), None),
            Pdu::Response(r) => (None, Some(r.diagnostics())),
        };
        q.into_iter().flatten().chain(r.into_iter().flatten())
    }
}

/// The diagnostic for `n` bytes after the PDU inside a delimited ADU.
pub(crate) fn trailing(field: &'static str, n: usize) -> Option<Diagnostic> {
    (n > 0).then(|| {
        Diagnostic::with_value(
            DiagnosticKind::TrailingBytes,
            field,
            "bytes after the pdu",
            u64::try_from(n).unwrap_or(u64::MAX),
        )
    })
}

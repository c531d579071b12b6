//! Departures from the standard that still decode (issue 12 policy): each one
//! is a [`Diagnostic`] computed lazily from the view, never stored while
//! decoding. Strict mode (the framers' `.strict()`) turns the first one into
//! [`meterwire_core::Error::Nonconforming`].

use meterwire_core::{Diagnostic, DiagnosticKind};

use crate::pdu::{PduOf, RequestOf, ResponseOf, fc, limits};
use crate::storage::{ByteSlice, Storage};

/// At most this many diagnostics come from one PDU (FC 23 has two quantities).
const PER_PDU: usize = 2;

type List = [Option<Diagnostic>; PER_PDU];

/// What `diagnostics()` returns on a PDU (a named type, so that it borrows nothing).
pub type PduDiagnostics = core::iter::Flatten<core::array::IntoIter<Option<Diagnostic>, PER_PDU>>;

/// What `diagnostics()` returns on a frame: the header's, the PDU's, trailing bytes.
pub type FrameDiagnostics = core::iter::Chain<
    core::iter::Chain<core::option::IntoIter<Diagnostic>, PduDiagnostics>,
    core::option::IntoIter<Diagnostic>,
>;

/// A frame's diagnostics: `header` (TCP protocol id), the PDU's, `trailing` bytes.
pub(crate) fn frame(
    header: Option<Diagnostic>,
    pdu: PduDiagnostics,
    trailing_field: &'static str,
    trailing_len: usize,
) -> FrameDiagnostics {
    header
        .into_iter()
        .chain(pdu)
        .chain(trailing(trailing_field, trailing_len))
}

/// No diagnostics (a PDU that did not decode).
pub(crate) fn none() -> PduDiagnostics {
    [None, None].into_iter().flatten()
}

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

impl<S: Storage> RequestOf<S> {
    /// Departures from the standard in this request: quantities and counts
    /// outside the ranges of clause 6 (`out_of_range`), function codes this
    /// crate does not decode (`reserved_code`, or `unrecognized` for the
    /// user-defined 65-72 and 100-110). Computed on each call, no allocation.
    pub fn diagnostics(&self) -> PduDiagnostics {
        let list: List = match self {
            RequestOf::ReadCoils { quantity, .. }
            | RequestOf::ReadDiscreteInputs { quantity, .. } => [
                qty("quantity", *quantity, limits::READ_BITS, "outside 1..=2000"),
                None,
            ],
            RequestOf::ReadHoldingRegisters { quantity, .. }
            | RequestOf::ReadInputRegisters { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::READ_REGISTERS,
                    "outside 1..=125",
                ),
                None,
            ],
            RequestOf::WriteMultipleCoils { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::WRITE_COILS,
                    "outside 1..=1968",
                ),
                None,
            ],
            RequestOf::WriteMultipleRegisters { quantity, .. } => [
                qty(
                    "quantity",
                    *quantity,
                    limits::WRITE_REGISTERS,
                    "outside 1..=123",
                ),
                None,
            ],
            RequestOf::ReadWriteMultipleRegisters {
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
            RequestOf::ReadFileRecord { byte_count, .. } => [
                count("byte_count", *byte_count, 0x07, 0xF5, "outside 7..=245"),
                None,
            ],
            RequestOf::WriteFileRecord {
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
            RequestOf::Unsupported {
                function_code,
                data,
            } => [unsupported(*function_code, data.bytes()), None],
            _ => [None, None],
        };
        list.into_iter().flatten()
    }
}

impl<S: Storage> ResponseOf<S> {
    /// Departures from the standard in this response (see [`RequestOf::diagnostics`]).
    pub fn diagnostics(&self) -> PduDiagnostics {
        let one = match self {
            ResponseOf::WriteMultipleCoils { quantity, .. } => qty(
                "quantity",
                *quantity,
                limits::WRITE_COILS,
                "outside 1..=1968",
            ),
            ResponseOf::WriteMultipleRegisters { quantity, .. } => qty(
                "quantity",
                *quantity,
                limits::WRITE_REGISTERS,
                "outside 1..=123",
            ),
            ResponseOf::ReadFileRecord {
                response_data_length,
                ..
            } => count(
                "response_data_length",
                *response_data_length,
                0x03,
                0xF5,
                "outside 3..=245",
            ),
            ResponseOf::WriteFileRecord {
                response_data_length,
                ..
            } => count(
                "response_data_length",
                *response_data_length,
                0x09,
                0xFB,
                "outside 9..=251",
            ),
            ResponseOf::Unsupported {
                function_code,
                data,
            } => unsupported(*function_code, data.bytes()),
            _ => None,
        };
        [one, None].into_iter().flatten()
    }
}

impl<S: Storage> PduOf<S> {
    /// Departures from the standard in this PDU (see [`RequestOf::diagnostics`]).
    pub fn diagnostics(&self) -> PduDiagnostics {
        match self {
            PduOf::Request(q) => q.diagnostics(),
            PduOf::Response(r) => r.diagnostics(),
        }
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

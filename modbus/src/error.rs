//! The crate's error type.

use meterwire_core::{Classify, ErrorKind};

/// A Modbus decoding error. Messages are lower case and name the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input ended early (one-shot parsers only; framers answer `Incomplete`).
    #[error("truncated: {needed} more byte(s) needed")]
    Truncated {
        /// How many more bytes (at least) would be required.
        needed: usize,
    },
    /// The RTU CRC or ASCII LRC did not match.
    #[error("checksum mismatch in {field}: expected {expected:#06x}, got {actual:#06x}")]
    Checksum {
        /// `"crc"` or `"lrc"`.
        field: &'static str,
        /// The value computed over the frame.
        expected: u16,
        /// The value found in the frame.
        actual: u16,
    },
    /// A length field (MBAP length, ADU size) disagrees with the data or a limit.
    #[error("bad length in {field}: expected {expected}, got {actual}")]
    Length {
        /// Which length.
        field: &'static str,
        /// The expected value (or the limit).
        expected: usize,
        /// The value found.
        actual: usize,
    },
    /// A byte count field disagrees with the quantity or with the data that follows.
    #[error("bad {field}: expected {expected}, got {actual}")]
    ByteCount {
        /// Which count field.
        field: &'static str,
        /// The value implied by the quantity or the data.
        expected: usize,
        /// The value found.
        actual: usize,
    },
    /// A quantity is outside the range the standard allows.
    #[error("bad {field}: {actual} is outside {min}..={max}")]
    Quantity {
        /// Which quantity.
        field: &'static str,
        /// Smallest allowed.
        min: u16,
        /// Largest allowed.
        max: u16,
        /// The value found.
        actual: u16,
    },
    /// A field holds a value the standard does not allow.
    #[error("malformed {field}: {reason}")]
    Malformed {
        /// Which field.
        field: &'static str,
        /// What was expected.
        reason: &'static str,
    },
    /// A valid value this crate does not implement (e.g. an MBAP protocol id other
    /// than 0). Unknown function codes are not errors: they decode as
    /// `Unsupported` PDUs with their raw bytes.
    #[error("unsupported {field}: {value:#x}")]
    Unsupported {
        /// Which field.
        field: &'static str,
        /// The value found.
        value: u32,
    },
    /// A departure from the standard, rejected because strict mode is on.
    #[error("nonconforming: {0}")]
    Nonconforming(meterwire_core::Diagnostic),
}

impl Error {
    pub(crate) const fn malformed(field: &'static str, reason: &'static str) -> Self {
        Error::Malformed { field, reason }
    }
}

impl From<meterwire_core::Error> for Error {
    fn from(e: meterwire_core::Error) -> Self {
        match e {
            meterwire_core::Error::Truncated { needed } => Error::Truncated { needed },
            meterwire_core::Error::Checksum {
                field,
                expected,
                actual,
            } => Error::Checksum {
                field,
                expected: expected as u16,
                actual: actual as u16,
            },
            meterwire_core::Error::Length {
                field,
                expected,
                actual,
            } => Error::Length {
                field,
                expected,
                actual,
            },
            meterwire_core::Error::Malformed { field, reason } => {
                Error::Malformed { field, reason }
            }
            meterwire_core::Error::Unsupported { field, value } => {
                Error::Unsupported { field, value }
            }
            meterwire_core::Error::Nonconforming(d) => Error::Nonconforming(d),
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Nonconforming(_) => ErrorKind::Nonconforming,
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::Checksum { .. } => ErrorKind::Checksum,
            Error::Length { .. } => ErrorKind::Length,
            Error::ByteCount { .. } | Error::Quantity { .. } | Error::Malformed { .. } => {
                ErrorKind::Malformed
            }
            Error::Unsupported { .. } => ErrorKind::Unsupported,
        }
    }
}

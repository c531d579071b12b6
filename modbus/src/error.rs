//! The crate's error type: core's error kinds, plus the two rules of the Modbus
//! PDU grammar that core has no variant for.

use meterwire_core::{Classify, ErrorKind};

/// A Modbus decoding error. Messages are lower case and name the field.
///
/// Truncation, checksums (RTU CRC, ASCII LRC), length fields, malformed and
/// unsupported values and strict-mode rejections are
/// [`meterwire_core::Error`]s, carried unchanged in [`Error::Core`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A core error kind (`truncated`, `checksum`, `length`, `malformed`,
    /// `unsupported`, `nonconforming`).
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
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
    /// A value is outside the range the standard allows where the grammar depends
    /// on it (FC 24 FIFO count, FC 20/21 record number); quantities that do not
    /// change the layout are diagnostics instead.
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
}

impl Error {
    /// Shorthand for a core [`meterwire_core::Error::Malformed`].
    pub(crate) const fn malformed(field: &'static str, reason: &'static str) -> Self {
        Error::Core(meterwire_core::Error::malformed(field, reason))
    }

    /// The core error, when this is one.
    pub const fn core(&self) -> Option<&meterwire_core::Error> {
        match self {
            Error::Core(e) => Some(e),
            _ => None,
        }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::ByteCount { .. } | Error::Quantity { .. } => ErrorKind::Malformed,
        }
    }
}

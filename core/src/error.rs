//! Error kinds shared by every meterwire crate.

crate::named_enum! {
    /// The class of a decoding error, the same for every protocol.
    ///
    /// The CLI prints it as `error.kind`; programs can branch on it without knowing
    /// the protocol crate's own error enum.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum ErrorKind {
        /// The input ended before the frame did.
        Truncated = "truncated",
        /// A CRC, LRC, MAC or other check value did not match.
        Checksum = "checksum",
        /// A length field disagrees with the data or is out of range.
        Length = "length",
        /// A field holds a value the standard does not allow.
        Malformed = "malformed",
        /// Valid according to the standard but not implemented here.
        Unsupported = "unsupported",
        /// The peer reported a protocol exception (e.g. a Modbus exception response).
        Exception = "exception",
        /// Authentication (MAC / GCM tag) failed.
        Authentication = "authentication",
        /// A departure from the standard rejected in strict mode (see [`crate::diag`]).
        Nonconforming = "nonconforming",
    }
}

/// Errors that know their [`ErrorKind`]. Every protocol crate's error implements it.
pub trait Classify {
    /// The class of this error.
    fn kind(&self) -> ErrorKind;
}

/// The error kinds every protocol crate's error wraps.
///
/// Messages are lower case, name the field and say what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input ended early; `needed` more bytes (at least) would be required.
    #[error("truncated: {needed} more byte(s) needed")]
    Truncated {
        /// How many more bytes are needed (a lower bound when not known exactly).
        needed: usize,
    },
    /// A check value did not match.
    #[error("checksum mismatch in {field}: expected {expected:#06x}, got {actual:#06x}")]
    Checksum {
        /// Which check (e.g. `"crc"`, `"header crc"`, `"lrc"`).
        field: &'static str,
        /// The value computed over the data.
        expected: u32,
        /// The value found in the frame.
        actual: u32,
    },
    /// A length field is inconsistent or out of range.
    #[error("bad length in {field}: expected {expected}, got {actual}")]
    Length {
        /// Which length field.
        field: &'static str,
        /// The expected value (or the limit).
        expected: usize,
        /// The value found.
        actual: usize,
    },
    /// A field holds a value the standard does not allow.
    #[error("malformed {field}: {reason}")]
    Malformed {
        /// Which field.
        field: &'static str,
        /// What was expected.
        reason: &'static str,
    },
    /// A valid value this crate does not implement.
    #[error("unsupported {field}: {value:#x}")]
    Unsupported {
        /// Which field.
        field: &'static str,
        /// The value found.
        value: u32,
    },
    /// A departure from the standard, rejected because strict mode is on.
    #[error("nonconforming: {0}")]
    Nonconforming(crate::Diagnostic),
}

impl Error {
    /// Shorthand for [`Error::Malformed`].
    pub const fn malformed(field: &'static str, reason: &'static str) -> Self {
        Error::Malformed { field, reason }
    }

    /// Shorthand for [`Error::Truncated`].
    pub const fn truncated(needed: usize) -> Self {
        Error::Truncated { needed }
    }

    /// Shorthand for [`Error::Checksum`].
    pub const fn checksum(field: &'static str, expected: u32, actual: u32) -> Self {
        Error::Checksum {
            field,
            expected,
            actual,
        }
    }

    /// Shorthand for [`Error::Length`].
    pub const fn length(field: &'static str, expected: usize, actual: usize) -> Self {
        Error::Length {
            field,
            expected,
            actual,
        }
    }

    /// Shorthand for [`Error::Unsupported`].
    pub const fn unsupported(field: &'static str, value: u32) -> Self {
        Error::Unsupported { field, value }
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Truncated { .. } => ErrorKind::Truncated,
            Error::Checksum { .. } => ErrorKind::Checksum,
            Error::Length { .. } => ErrorKind::Length,
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Nonconforming(_) => ErrorKind::Nonconforming,
        }
    }
}

/// Errors from [`Encode::encode`](crate::Encode::encode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// The output buffer is too small.
    #[error("output buffer too small: {needed} bytes needed, {available} available")]
    BufferTooSmall {
        /// Bytes the encoding needs in total.
        needed: usize,
        /// Bytes the buffer had.
        available: usize,
    },
    /// The value cannot be encoded because a field breaks a limit of the standard.
    #[error("cannot encode {field}: {reason}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// What the standard requires.
        reason: &'static str,
    },
}

impl Classify for EncodeError {
    fn kind(&self) -> ErrorKind {
        match self {
            EncodeError::BufferTooSmall { .. } => ErrorKind::Length,
            EncodeError::Invalid { .. } => ErrorKind::Malformed,
        }
    }
}

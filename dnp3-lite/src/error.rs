//! The crate's error type.

use meterwire_core::{Classify, ErrorKind};

/// Every way a DNP3 frame, segment or fragment can be rejected.
///
/// Messages are lower case, name the field and say what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input ended before the frame (or object) did.
    #[error("truncated: {needed} more byte(s) needed")]
    Truncated {
        /// How many more bytes are needed (a lower bound when not known exactly).
        needed: usize,
    },
    /// The link frame does not start with 0x05 0x64.
    #[error("malformed link start: expected 0x0564, got {found:#06x}")]
    BadStart {
        /// The two bytes found, big-endian.
        found: u16,
    },
    /// The link length byte is below 5.
    #[error("bad length in link length: expected 5..=255, got {length}")]
    BadLength {
        /// The length byte.
        length: u8,
    },
    /// The link header CRC (over the first 8 bytes) does not match.
    #[error("checksum mismatch in link header crc: expected {expected:#06x}, got {actual:#06x}")]
    HeaderCrc {
        /// CRC computed over the header.
        expected: u16,
        /// CRC found in the frame.
        actual: u16,
    },
    /// The CRC of user-data block `block` (0-based) does not match.
    #[error(
        "checksum mismatch in link data block {block} crc: expected {expected:#06x}, got {actual:#06x}"
    )]
    BlockCrc {
        /// 0-based index of the 16-byte user-data block.
        block: usize,
        /// CRC computed over the block.
        expected: u16,
        /// CRC found in the frame.
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
    /// A valid value this crate does not implement.
    #[error("unsupported {field}: {value:#x}")]
    Unsupported {
        /// Which field.
        field: &'static str,
        /// The value found.
        value: u32,
    },
    /// An object header whose object size cannot be known (unknown group/variation
    /// without a size prefix): parsing stops at this header.
    #[error(
        "unsupported object g{group}v{variation} (qualifier {qualifier:#04x}) in object header {header}: unknown object size"
    )]
    UnknownObject {
        /// Object group.
        group: u8,
        /// Object variation.
        variation: u8,
        /// Qualifier byte.
        qualifier: u8,
        /// 0-based index of the object header in the fragment.
        header: usize,
    },
    /// Transport: a segment without FIR arrived while no fragment was in progress.
    #[error("malformed transport sequence: segment {seq} without fir and no fragment in progress")]
    NoFirst {
        /// The segment's sequence number.
        seq: u8,
    },
    /// Transport: the sequence number skipped (a segment was lost); the fragment is dropped.
    #[error("malformed transport sequence: expected {expected}, got {actual} (gap)")]
    SequenceGap {
        /// The next sequence number expected.
        expected: u8,
        /// The one found.
        actual: u8,
    },
    /// Transport: the segment repeats the previous sequence number; it is ignored.
    #[error("malformed transport sequence: duplicate segment {seq}")]
    Duplicate {
        /// The repeated sequence number.
        seq: u8,
    },
    /// Transport: the fragment would exceed the reassembly buffer; it is dropped.
    #[error("bad length in transport fragment: expected at most {limit}, got {actual}")]
    Overflow {
        /// The reassembly limit in bytes.
        limit: usize,
        /// The size the fragment would have had.
        actual: usize,
    },
    /// A departure from the standard, rejected because strict mode is on.
    #[error("nonconforming: {0}")]
    Nonconforming(meterwire_core::Diagnostic),
}

impl From<meterwire_core::Error> for Error {
    fn from(e: meterwire_core::Error) -> Self {
        match e {
            meterwire_core::Error::Truncated { needed } => Error::Truncated { needed },
            meterwire_core::Error::Checksum {
                expected, actual, ..
            } => Error::HeaderCrc {
                expected: u16::try_from(expected).unwrap_or(u16::MAX),
                actual: u16::try_from(actual).unwrap_or(u16::MAX),
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
            Error::HeaderCrc { .. } | Error::BlockCrc { .. } => ErrorKind::Checksum,
            Error::BadLength { .. } | Error::Length { .. } | Error::Overflow { .. } => {
                ErrorKind::Length
            }
            Error::BadStart { .. }
            | Error::Malformed { .. }
            | Error::NoFirst { .. }
            | Error::SequenceGap { .. }
            | Error::Duplicate { .. } => ErrorKind::Malformed,
            Error::Unsupported { .. } | Error::UnknownObject { .. } => ErrorKind::Unsupported,
        }
    }
}

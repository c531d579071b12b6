//! The crate's error type.

use meterwire_core::{Classify, ErrorKind};

/// Every way a DNP3 frame, segment or fragment can be rejected.
///
/// Messages are lower case, name the field and say what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A shared error kind (truncation, malformed or unsupported field, length,
    /// strict-mode rejection), kept as core reports it.
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
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
}

impl Error {
    meterwire_core::core_error_shorthands!(
        truncated,
        malformed,
        length,
        unsupported,
        nonconforming
    );
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::HeaderCrc { .. } | Error::BlockCrc { .. } => ErrorKind::Checksum,
            Error::BadLength { .. } | Error::Overflow { .. } => ErrorKind::Length,
            Error::BadStart { .. }
            | Error::NoFirst { .. }
            | Error::SequenceGap { .. }
            | Error::Duplicate { .. } => ErrorKind::Malformed,
            Error::UnknownObject { .. } => ErrorKind::Unsupported,
        }
    }
}

//! The crate's error type.

use meterwire_core::{Classify, ErrorKind};

/// Everything that can go wrong decoding DLMS/COSEM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A shared error kind (truncated, checksum, length, malformed, unsupported).
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
    /// Nested A-XDR data or BER went deeper than the limit.
    #[error("nesting too deep in {field}: limit is {limit}")]
    DepthLimit {
        /// Where.
        field: &'static str,
        /// The limit.
        limit: usize,
    },
    /// An HDLC segment arrived out of sequence (reassembly restarted).
    #[error("hdlc segmentation out of sequence: {reason}")]
    Sequence {
        /// What went wrong.
        reason: &'static str,
    },
    /// A decrypted plaintext does not start an xDLMS APDU and is not text either: for an
    /// encryption-only APDU (no tag) this is what a wrong key looks like.
    #[error("decrypted plaintext is not an apdu: wrong key? (first byte {tag:#04x})")]
    PlaintextNotApdu {
        /// The plaintext's first byte.
        tag: u8,
    },
    /// A security error (decryption, authentication, keys, policy).
    #[cfg(feature = "crypto")]
    #[error(transparent)]
    Security(#[from] crate::security::SecurityError),
    /// The reassembly buffer cannot hold the reassembled APDU.
    #[error("reassembly buffer too small: {needed} bytes needed, {available} available")]
    BufferFull {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl Error {
    meterwire_core::core_error_shorthands!(truncated, malformed, unsupported, length);

    /// `Checksum { field, expected, actual }`.
    pub const fn checksum(field: &'static str, expected: u16, actual: u16) -> Self {
        Error::Core(meterwire_core::Error::Checksum {
            field,
            expected: expected as u32,
            actual: actual as u32,
        })
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::DepthLimit { .. } | Error::Sequence { .. } => ErrorKind::Malformed,
            Error::BufferFull { .. } => ErrorKind::Length,
            Error::PlaintextNotApdu { .. } => ErrorKind::Authentication,
            #[cfg(feature = "crypto")]
            Error::Security(e) => e.kind(),
        }
    }
}

/// Result alias.
pub type Result<T, E = Error> = core::result::Result<T, E>;

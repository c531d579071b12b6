//! The crate error.

use meterwire_core::{Classify, ErrorKind};

/// Errors of this crate: the shared core kinds plus a failed GCM tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Truncated, checksum (CRC-16/ARC, BCC), length, malformed, unsupported, nonconforming.
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
    /// The AES-GCM tag of an encrypted P1 frame did not verify (wrong key or damaged frame).
    #[error("authentication failed: gcm tag of the encrypted telegram does not verify")]
    Authentication,
}

impl Error {
    /// Shorthand for a malformed-field error.
    pub const fn malformed(field: &'static str, reason: &'static str) -> Self {
        Error::Core(meterwire_core::Error::Malformed { field, reason })
    }

    /// Shorthand for a truncation error.
    pub const fn truncated(needed: usize) -> Self {
        Error::Core(meterwire_core::Error::Truncated { needed })
    }

    /// Shorthand for a checksum error.
    pub const fn checksum(field: &'static str, expected: u32, actual: u32) -> Self {
        Error::Core(meterwire_core::Error::checksum(field, expected, actual))
    }

    /// Shorthand for a length error.
    pub const fn length(field: &'static str, expected: usize, actual: usize) -> Self {
        Error::Core(meterwire_core::Error::length(field, expected, actual))
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::Authentication => ErrorKind::Authentication,
        }
    }
}

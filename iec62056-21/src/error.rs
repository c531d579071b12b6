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
    meterwire_core::core_error_shorthands!(malformed, truncated, checksum, length);
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::Authentication => ErrorKind::Authentication,
        }
    }
}

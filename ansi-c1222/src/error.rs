//! The crate's error type.

use meterwire_core::{Classify, EncodeError, ErrorKind};

/// Every error of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A shared error kind (truncated, checksum, length, malformed, unsupported).
    #[error(transparent)]
    Core(#[from] meterwire_core::Error),
    /// An EAX' MAC did not verify: wrong key, or a changed byte in the header or payload.
    #[error("authentication failed: eax' mac does not match (wrong key or altered message)")]
    AuthenticationFailed,
    /// No key with this key id was configured.
    #[error("no key for key id {key_id}")]
    UnknownKey {
        /// The key id of the `calling-authentication-value`.
        key_id: u8,
    },
    /// A BER nesting deeper than the fixed limit.
    #[error("ber nesting deeper than {limit} levels")]
    DepthLimit {
        /// The limit.
        limit: usize,
    },
    /// A PSEM response reported an error code (`err`, `sns`, `isc`, ...).
    #[error("psem exception response {code:#04x}")]
    Exception {
        /// The response code.
        code: u8,
    },
    /// An encoding error.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

impl Error {
    /// Shorthand for a malformed field.
    pub(crate) const fn malformed(field: &'static str, reason: &'static str) -> Self {
        Error::Core(meterwire_core::Error::malformed(field, reason))
    }
    /// Shorthand for a truncated input.
    pub(crate) const fn truncated(needed: usize) -> Self {
        Error::Core(meterwire_core::Error::truncated(needed))
    }
    /// Shorthand for a length mismatch.
    pub(crate) const fn length(field: &'static str, expected: usize, actual: usize) -> Self {
        Error::Core(meterwire_core::Error::length(field, expected, actual))
    }
    /// Shorthand for a checksum mismatch.
    pub(crate) const fn checksum(field: &'static str, expected: u32, actual: u32) -> Self {
        Error::Core(meterwire_core::Error::checksum(field, expected, actual))
    }
    /// Shorthand for an unsupported value.
    pub(crate) const fn unsupported(field: &'static str, value: u32) -> Self {
        Error::Core(meterwire_core::Error::unsupported(field, value))
    }
}

impl Classify for Error {
    fn kind(&self) -> ErrorKind {
        match self {
            Error::Core(e) => e.kind(),
            Error::AuthenticationFailed | Error::UnknownKey { .. } => ErrorKind::Authentication,
            Error::DepthLimit { .. } => ErrorKind::Malformed,
            Error::Exception { .. } => ErrorKind::Exception,
            Error::Encode(e) => e.kind(),
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// A framer's answer when `needed` more bytes must arrive first.
pub(crate) fn incomplete<F>(needed: meterwire_core::Needed) -> Result<meterwire_core::Decoded<F>> {
    Ok(meterwire_core::Decoded::Incomplete { needed })
}

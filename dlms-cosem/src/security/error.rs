//! The security layer's error type.

use meterwire_core::{Classify, ErrorKind};

/// Everything that can go wrong while protecting or unprotecting an APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecurityError {
    /// The ciphered APDU's framing is short, malformed or has a bad length.
    #[error(transparent)]
    Decode(#[from] meterwire_core::Error),
    /// The GCM / GMAC tag did not verify: wrong key, wrong system title,
    /// or a tampered byte. Nothing of the plaintext is returned.
    #[error(
        "authentication failed: gcm tag does not match (wrong key, system title or tampered apdu)"
    )]
    AuthenticationFailed,
    /// The APDU's security does not meet the caller's policy (e.g. it is not
    /// authenticated and [`SecurityKeys::requiring_authentication`] asks for it).
    ///
    /// [`SecurityKeys::requiring_authentication`]: super::SecurityKeys::requiring_authentication
    #[error("security policy: {0}")]
    Policy(&'static str),
    /// No key for this system title in the key ring.
    #[error("no key for system title {0:016x} in the key ring")]
    UnknownSystemTitle(u64),
    /// A key needed for this APDU was not supplied.
    #[error("missing key: {0} key needed")]
    MissingKey(&'static str),
    /// A key does not have the length the security suite needs.
    #[error("bad key length for {field}: expected {expected} bytes, got {actual}")]
    KeyLength {
        /// Which key.
        field: &'static str,
        /// Length the suite needs (16 for suites 0 and 1, 32 for suite 2).
        expected: usize,
        /// Length supplied.
        actual: usize,
    },
    /// No system title: service-specific ciphered APDUs need it from the caller
    /// (the peer's AARQ/AARE calling/responding-AP-title).
    #[error("missing system title: pass the sender's 8-byte system title")]
    MissingSystemTitle,
    /// The output buffer is too small.
    #[error("output buffer too small: {needed} bytes needed, {available} available")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The APDU is not a ciphered APDU (its tag is given).
    #[error("not a ciphered apdu: tag {0:#04x}")]
    NotCiphered(u8),
    /// An invocation counter did not increase (replay or reordering).
    #[error("invocation counter replay: last accepted {last}, received {received}")]
    Replay {
        /// The last accepted counter.
        last: u32,
        /// The counter received.
        received: u32,
    },
    /// A general-block-transfer block arrived out of sequence.
    #[error(
        "general-block-transfer block out of sequence: expected block {expected}, got {actual}"
    )]
    BlockSequence {
        /// The block number expected.
        expected: u16,
        /// The block number received.
        actual: u16,
    },
}

impl SecurityError {
    /// `Decode(Malformed { field, reason })`.
    pub const fn malformed(field: &'static str, reason: &'static str) -> Self {
        SecurityError::Decode(meterwire_core::Error::Malformed { field, reason })
    }
    /// `Decode(Unsupported { field, value })`.
    pub const fn unsupported(field: &'static str, value: u32) -> Self {
        SecurityError::Decode(meterwire_core::Error::Unsupported { field, value })
    }
}

impl Classify for SecurityError {
    fn kind(&self) -> ErrorKind {
        match self {
            SecurityError::Decode(e) => e.kind(),
            SecurityError::AuthenticationFailed
            | SecurityError::Replay { .. }
            | SecurityError::Policy(_) => ErrorKind::Authentication,
            SecurityError::MissingKey(_)
            | SecurityError::MissingSystemTitle
            | SecurityError::UnknownSystemTitle(_) => ErrorKind::Unsupported,
            SecurityError::NotCiphered(_) => ErrorKind::Unsupported,
            SecurityError::KeyLength { .. } | SecurityError::BufferTooSmall { .. } => {
                ErrorKind::Length
            }
            SecurityError::BlockSequence { .. } => ErrorKind::Malformed,
        }
    }
}

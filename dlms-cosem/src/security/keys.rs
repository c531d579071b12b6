//! Key material (zeroized on drop) and the security control byte.

use core::fmt;

use zeroize::Zeroize;

use super::SecurityError;

/// An AES key: 128 bits (security suites 0 and 1) or 256 bits (suite 2).
///
/// The bytes are zeroized when the key is dropped; `Debug` never prints them.
#[derive(Clone, PartialEq, Eq)]
pub enum Key {
    /// A 128-bit key (suites 0 and 1).
    Aes128([u8; 16]),
    /// A 256-bit key (suite 2).
    Aes256([u8; 32]),
}

impl Key {
    /// A key from 16 or 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, SecurityError> {
        if let Ok(k) = <[u8; 16]>::try_from(bytes) {
            Ok(Key::Aes128(k))
        } else if let Ok(k) = <[u8; 32]>::try_from(bytes) {
            Ok(Key::Aes256(k))
        } else {
            Err(SecurityError::KeyLength {
                field: "key",
                expected: 16,
                actual: bytes.len(),
            })
        }
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Aes128(k) => k,
            Key::Aes256(k) => k,
        }
    }

    /// Length in bytes (16 or 32).
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Always `false`: a key is never empty.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        match self {
            Key::Aes128(k) => k.zeroize(),
            Key::Aes256(k) => k.zeroize(),
        }
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({} bits, redacted)", self.len().saturating_mul(8))
    }
}

/// The keys of one association (or of one push listener).
///
/// * `unicast` is the global unicast encryption key (EK),
/// * `broadcast` the global broadcast encryption key, used when the security
///   control byte has the broadcast bit (0x40) set,
/// * `dedicated` the dedicated key of the association (ded-ciphered APDUs),
/// * `authentication` the authentication key (AK), needed whenever the
///   security control byte asks for authentication (0x10).
#[derive(Clone, Debug)]
pub struct SecurityKeys {
    /// Global unicast encryption key (EK).
    pub unicast: Key,
    /// Global broadcast encryption key.
    pub broadcast: Option<Key>,
    /// Dedicated key (from the AARQ's xDLMS InitiateRequest).
    pub dedicated: Option<Key>,
    /// Authentication key (AK).
    pub authentication: Option<Key>,
    /// Reject APDUs whose security control does not ask for authentication
    /// (an attacker could otherwise strip the authentication bit). Off by
    /// default because real encryption-only pushes exist.
    pub require_authentication: bool,
}

impl SecurityKeys {
    /// Keys with only an encryption key (enough for encryption-only pushes).
    pub fn new(unicast: Key) -> Self {
        SecurityKeys {
            unicast,
            broadcast: None,
            dedicated: None,
            authentication: None,
            require_authentication: false,
        }
    }

    /// Adds the authentication key.
    #[must_use]
    pub fn with_authentication(mut self, ak: Key) -> Self {
        self.authentication = Some(ak);
        self
    }

    /// Rejects APDUs that are not authenticated (see `require_authentication`).
    #[must_use]
    pub fn requiring_authentication(mut self) -> Self {
        self.require_authentication = true;
        self
    }

    /// Adds the global broadcast key.
    #[must_use]
    pub fn with_broadcast(mut self, key: Key) -> Self {
        self.broadcast = Some(key);
        self
    }

    /// Adds the dedicated key.
    #[must_use]
    pub fn with_dedicated(mut self, key: Key) -> Self {
        self.dedicated = Some(key);
        self
    }

    /// Keys from raw byte slices (EK and optional AK), e.g. decoded from the
    /// CLI's `--ek` / `--ak` hex.
    pub fn from_slices(ek: &[u8], ak: Option<&[u8]>) -> Result<Self, SecurityError> {
        let mut keys = SecurityKeys::new(Key::from_slice(ek)?);
        if let Some(ak) = ak {
            keys.authentication = Some(Key::from_slice(ak)?);
        }
        Ok(keys)
    }
}

/// Which key an APDU is protected with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum KeyUse {
    /// Global unicast encryption key.
    GlobalUnicast,
    /// Global broadcast encryption key.
    GlobalBroadcast,
    /// Dedicated key.
    Dedicated,
}

impl KeyUse {
    /// The key from `keys`, or [`SecurityError::MissingKey`].
    pub fn select(self, keys: &SecurityKeys) -> Result<&Key, SecurityError> {
        self.pick(&keys.unicast, &keys.broadcast, &keys.dedicated)
    }

    /// Of one key set (keys, or ciphers prepared from them): the one for this use, or
    /// [`SecurityError::MissingKey`] for an optional one that is not set.
    #[inline]
    pub(crate) fn pick<'k, T>(
        self,
        unicast: &'k T,
        broadcast: &'k Option<T>,
        dedicated: &'k Option<T>,
    ) -> Result<&'k T, SecurityError> {
        match self {
            KeyUse::GlobalUnicast => Ok(unicast),
            KeyUse::GlobalBroadcast => broadcast
                .as_ref()
                .ok_or(SecurityError::MissingKey("global broadcast")),
            KeyUse::Dedicated => dedicated
                .as_ref()
                .ok_or(SecurityError::MissingKey("dedicated")),
        }
    }
}

/// The security control byte: one type for parsing and security
/// ([`crate::apdu::SecurityControl`]); what this module adds needs the `crypto` feature.
pub use crate::apdu::SecurityControl;

impl SecurityControl {
    /// Key length in bytes the suite needs: 16 (suites 0, 1) or 32 (suite 2).
    pub fn key_len(self) -> Result<usize, SecurityError> {
        match self.suite() {
            0 | 1 => Ok(16),
            2 => Ok(32),
            s => Err(SecurityError::unsupported("security suite", u32::from(s))),
        }
    }

    /// Rejects what this crate cannot process: unknown suites and compression.
    pub fn check_supported(self) -> Result<(), SecurityError> {
        self.key_len()?;
        if self.is_compressed() {
            return Err(SecurityError::unsupported(
                "security control compression",
                u32::from(self.0),
            ));
        }
        Ok(())
    }
}

//! Key rings: the keys of many meters, looked up by the sender's system title, with
//! their AES key schedules and GHASH keys prepared once (DLMS UA Green Book 9.2.7.2:
//! the IV is system title || invocation counter, so the system title names the sender
//! and therefore its keys; general-ciphering's key-id then picks unicast or broadcast).
//!
//! ```
//! use meterwire_dlms_cosem::security::{FixedKeyRing, Key, KeyRing, PreparedKeys, SecurityKeys};
//!
//! let mut ring: FixedKeyRing<4> = FixedKeyRing::new();
//! let meter_a = [0x4B, 0x46, 0x4D, 0x67, 0x50, 0x00, 0x00, 0x01];
//! ring.insert(meter_a, &SecurityKeys::new(Key::Aes128([0x11; 16]))).unwrap();
//! assert!(ring.keys(&meter_a).is_some());
//! assert!(ring.keys(&[0; 8]).is_none());
//! ```

use super::gcm::Cipher;
use super::{CipheredApdu, Key, KeyUse, SecurityError, SecurityHeader, SecurityKeys};

/// Whether decryption checks the GCM tag.
///
/// [`TagCheck::Skip`] is for users who hold only the encryption key of an
/// authenticated+encrypted stream (Austrian and Luxembourg utilities give customers
/// the EK only): the plaintext is recovered with AES-CTR and marked
/// [`Verification::NotVerified`]. It is an explicit opt-in: nothing proves such a
/// plaintext authentic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagCheck {
    /// Check the tag (the default); a mismatch is `AuthenticationFailed`.
    #[default]
    Verify,
    /// Do not check the tag, and do not need the authentication key.
    Skip,
}

/// What a decryption proved about the plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Verification {
    /// The GCM tag was checked and matched.
    Verified,
    /// The APDU carries a tag that was not checked ([`TagCheck::Skip`]).
    NotVerified,
    /// Encryption only: the APDU carries no tag (a wrong key gives garbage, not an error).
    NoTag,
}

/// One sender's keys with their ciphers prepared (key schedule built once).
#[derive(Clone, Debug)]
pub struct PreparedKeys {
    unicast: Cipher,
    broadcast: Option<Cipher>,
    dedicated: Option<Cipher>,
    authentication: Option<Key>,
    require_authentication: bool,
}

impl PreparedKeys {
    /// Prepares `keys` (expands every AES key once).
    pub fn new(keys: &SecurityKeys) -> Self {
        PreparedKeys {
            unicast: Cipher::new(&keys.unicast),
            broadcast: keys.broadcast.as_ref().map(Cipher::new),
            dedicated: keys.dedicated.as_ref().map(Cipher::new),
            authentication: keys.authentication.clone(),
            require_authentication: keys.require_authentication,
        }
    }

    /// The prepared cipher for a key use.
    #[inline]
    pub fn cipher(&self, key_use: KeyUse) -> Result<&Cipher, SecurityError> {
        key_use.pick(&self.unicast, &self.broadcast, &self.dedicated)
    }

    /// The authentication key, when known.
    pub fn authentication(&self) -> Option<&Key> {
        self.authentication.as_ref()
    }

    /// Whether APDUs that are not authenticated are refused (a policy error).
    pub const fn requires_authentication(&self) -> bool {
        self.require_authentication
    }
}

impl From<&SecurityKeys> for PreparedKeys {
    fn from(k: &SecurityKeys) -> Self {
        PreparedKeys::new(k)
    }
}

impl From<SecurityKeys> for PreparedKeys {
    fn from(k: SecurityKeys) -> Self {
        PreparedKeys::new(&k)
    }
}

/// Keys looked up by the sender's system title.
pub trait KeyRing {
    /// The keys of the sender with this system title, if known.
    fn keys(&self, system_title: &[u8; 8]) -> Option<&PreparedKeys>;
}

/// One key set used for every sender (the usual case of one customer port).
impl KeyRing for PreparedKeys {
    fn keys(&self, _system_title: &[u8; 8]) -> Option<&PreparedKeys> {
        Some(self)
    }
}

/// No ring (`None`) knows no key.
impl<K: KeyRing> KeyRing for Option<K> {
    fn keys(&self, system_title: &[u8; 8]) -> Option<&PreparedKeys> {
        self.as_ref().and_then(|k| k.keys(system_title))
    }
}

impl<K: KeyRing + ?Sized> KeyRing for &K {
    fn keys(&self, system_title: &[u8; 8]) -> Option<&PreparedKeys> {
        (**self).keys(system_title)
    }
}

/// A key ring of at most `N` senders, without allocation.
#[derive(Clone, Debug)]
pub struct FixedKeyRing<const N: usize> {
    entries: [Option<([u8; 8], PreparedKeys)>; N],
}

impl<const N: usize> Default for FixedKeyRing<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> FixedKeyRing<N> {
    /// An empty ring.
    pub fn new() -> Self {
        FixedKeyRing {
            entries: core::array::from_fn(|_| None),
        }
    }

    /// Adds (or replaces) the keys of `system_title`; `BufferTooSmall` when full.
    pub fn insert(
        &mut self,
        system_title: [u8; 8],
        keys: impl Into<PreparedKeys>,
    ) -> Result<(), SecurityError> {
        let keys = keys.into();
        let slot = match self
            .entries
            .iter()
            .position(|e| e.as_ref().is_some_and(|(st, _)| *st == system_title))
        {
            Some(i) => self.entries.get_mut(i),
            None => self.entries.iter_mut().find(|e| e.is_none()),
        };
        match slot {
            Some(s) => {
                *s = Some((system_title, keys));
                Ok(())
            }
            None => Err(SecurityError::BufferTooSmall {
                needed: N.saturating_add(1),
                available: N,
            }),
        }
    }

    /// Number of senders.
    pub fn len(&self) -> usize {
        self.entries.iter().filter(|e| e.is_some()).count()
    }

    /// Whether the ring is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<const N: usize> KeyRing for FixedKeyRing<N> {
    fn keys(&self, system_title: &[u8; 8]) -> Option<&PreparedKeys> {
        self.entries
            .iter()
            .flatten()
            .find_map(|(st, k)| (st == system_title).then_some(k))
    }
}

/// A key ring backed by a `BTreeMap` (feature `alloc`), for head-ends with many meters;
/// an optional default key set answers for senders not in the map.
#[cfg(feature = "alloc")]
#[derive(Clone, Debug, Default)]
pub struct MapKeyRing {
    map: alloc::collections::BTreeMap<[u8; 8], PreparedKeys>,
    default: Option<PreparedKeys>,
}

#[cfg(feature = "alloc")]
impl MapKeyRing {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) the keys of `system_title`.
    pub fn insert(&mut self, system_title: [u8; 8], keys: impl Into<PreparedKeys>) {
        self.map.insert(system_title, keys.into());
    }

    /// Keys for every sender not in the map.
    #[must_use]
    pub fn with_default(mut self, keys: impl Into<PreparedKeys>) -> Self {
        self.default = Some(keys.into());
        self
    }

    /// Number of senders in the map.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map is empty (a default may still be set).
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(feature = "alloc")]
impl KeyRing for MapKeyRing {
    fn keys(&self, system_title: &[u8; 8]) -> Option<&PreparedKeys> {
        self.map.get(system_title).or(self.default.as_ref())
    }
}

/// Invocation-counter replay guard per system title (feature `alloc`): a counter
/// not above the last accepted one from the same sender is `Replay`.
#[cfg(feature = "alloc")]
#[derive(Clone, Debug, Default)]
pub struct ReplayGuard {
    last: alloc::collections::BTreeMap<[u8; 8], u32>,
}

#[cfg(feature = "alloc")]
impl ReplayGuard {
    /// An empty guard.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks `received` against the last accepted counter of `system_title`.
    pub fn check(&self, system_title: &[u8; 8], received: u32) -> Result<(), SecurityError> {
        super::check_invocation_counter(self.last.get(system_title).copied(), received)
    }

    /// Records an accepted counter (call after the APDU authenticated).
    pub fn accept(&mut self, system_title: [u8; 8], received: u32) {
        self.last.insert(system_title, received);
    }
}

/// Decrypts a parsed ciphered APDU with prepared keys into `out`: the fast path of a
/// key ring (no key expansion per message). Returns the plaintext, the header and
/// what was verified.
#[inline]
pub fn decrypt_prepared<'o>(
    c: &CipheredApdu<'_>,
    keys: &PreparedKeys,
    system_title: Option<[u8; 8]>,
    out: &'o mut [u8],
    check: TagCheck,
) -> Result<(&'o [u8], SecurityHeader, Verification), SecurityError> {
    let m = super::Material {
        raw: None,
        prepared: Some(keys),
    };
    super::decrypt_core(c, &m, system_title, out, check)
}

//! Key rings: EAX' keys looked up by key id (and optionally the calling AP title),
//! each held as a prepared [`EaxPrime`] so that no message re-keys.

use crate::eax::EaxPrime;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

/// Where [`C1222Framer`](super::C1222Framer) finds keys.
pub trait KeyRing {
    /// The prepared key for `key_id`, preferring one bound to this calling AP title
    /// (content octets) over one for the key id alone.
    fn key(&self, key_id: u8, calling_ap_title: Option<&[u8]>) -> Option<&EaxPrime>;
}

/// A fixed-capacity key ring (no allocation): up to `N` keys by key id.
#[derive(Debug, Clone)]
pub struct KeyArray<const N: usize> {
    keys: [Option<(u8, EaxPrime)>; N],
}

impl<const N: usize> Default for KeyArray<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> KeyArray<N> {
    /// An empty ring.
    pub fn new() -> Self {
        KeyArray {
            keys: core::array::from_fn(|_| None),
        }
    }
    /// Adds (or replaces) the key for `key_id`; `false` when the ring is full.
    pub fn insert(&mut self, key_id: u8, key: &[u8; 16]) -> bool {
        let prepared = EaxPrime::new(key);
        if let Some(slot) = self
            .keys
            .iter_mut()
            .find(|k| k.as_ref().is_some_and(|(id, _)| *id == key_id))
        {
            *slot = Some((key_id, prepared));
            return true;
        }
        match self.keys.iter_mut().find(|k| k.is_none()) {
            Some(slot) => {
                *slot = Some((key_id, prepared));
                true
            }
            None => false,
        }
    }
}

impl<const N: usize> KeyRing for KeyArray<N> {
    fn key(&self, key_id: u8, _: Option<&[u8]>) -> Option<&EaxPrime> {
        self.keys
            .iter()
            .flatten()
            .find(|(id, _)| *id == key_id)
            .map(|(_, k)| k)
    }
}

/// A map-backed key ring: keys by key id, optionally bound to a calling AP title (the
/// content octets of its OID), for a head-end that talks to many meters.
#[derive(Debug, Clone, Default)]
pub struct KeyMap {
    by_id: BTreeMap<u8, EaxPrime>,
    by_title: BTreeMap<Vec<u8>, BTreeMap<u8, EaxPrime>>,
}

impl KeyMap {
    /// An empty ring.
    pub fn new() -> Self {
        Self::default()
    }
    /// The key for `key_id` from any calling AP title.
    pub fn insert(&mut self, key_id: u8, key: &[u8; 16]) {
        self.by_id.insert(key_id, EaxPrime::new(key));
    }
    /// The key for `key_id` when the calling AP title is `title` (OID content octets).
    pub fn insert_for(&mut self, key_id: u8, title: &[u8], key: &[u8; 16]) {
        self.by_title
            .entry(title.to_vec())
            .or_default()
            .insert(key_id, EaxPrime::new(key));
    }
    /// Number of keys.
    pub fn len(&self) -> usize {
        self.by_title
            .values()
            .map(BTreeMap::len)
            .fold(self.by_id.len(), usize::saturating_add)
    }
    /// No keys.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty() && self.by_title.is_empty()
    }
}

impl KeyRing for KeyMap {
    fn key(&self, key_id: u8, calling: Option<&[u8]>) -> Option<&EaxPrime> {
        if let Some(k) = calling
            .and_then(|t| self.by_title.get(t))
            .and_then(|m| m.get(&key_id))
        {
            return Some(k);
        }
        self.by_id.get(&key_id)
    }
}

impl<K: KeyRing + ?Sized> KeyRing for &K {
    fn key(&self, key_id: u8, calling: Option<&[u8]>) -> Option<&EaxPrime> {
        (**self).key(key_id, calling)
    }
}

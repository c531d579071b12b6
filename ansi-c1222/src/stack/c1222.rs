//! C12.22 stack: TCP/UDP -> ACSE -> EPSEM, EAX' through a key ring, pairing.

use super::keyring::{KeyMap, KeyRing};
use crate::c1222::{
    Apdu, ApduFramer, C1222_ROOT_OID, SecurityMode, check, owned, payload_diagnostics, services_of,
};
use crate::error::{Error, Result};
use crate::psem::Answered;
use crate::psem::{Message, Service};
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;
use meterwire_core::{Decoded, Diagnostic, Framer, Strictness};

/// A base OID for relative AP titles (Wireshark's `c1222.baseoid`): the content octets
/// of an OID, from dotted text (`"2.16.124.113620.1.22.0".parse()`) or raw bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct BaseOid {
    buf: [u8; 32],
    len: u8,
}

impl BaseOid {
    /// No base: relative titles are canonified as they are.
    pub const NONE: BaseOid = BaseOid {
        buf: [0; 32],
        len: 0,
    };
    /// From encoded content octets (at most 32).
    pub fn from_content(content: &[u8]) -> Result<Self> {
        let mut b = BaseOid::NONE;
        let dst =
            b.buf
                .get_mut(..content.len())
                .ok_or(Error::length("base oid", 32, content.len()))?;
        dst.copy_from_slice(content);
        b.len = u8::try_from(content.len()).unwrap_or(0);
        if !content.is_empty() {
            crate::ber::check_oid(content, false)?;
        }
        Ok(b)
    }
    /// The content octets.
    pub fn content(&self) -> &[u8] {
        self.buf.get(..usize::from(self.len)).unwrap_or(&[])
    }
    fn push_arc(&mut self, mut v: u64) -> Result<()> {
        let mut tmp = [0u8; 10];
        let mut n = 0usize;
        loop {
            let slot = tmp
                .get_mut(n)
                .ok_or(Error::malformed("base oid", "arc too large"))?;
            *slot = u8::try_from(v & 0x7f).unwrap_or(0) | if n > 0 { 0x80 } else { 0 };
            n = n.saturating_add(1);
            v >>= 7;
            if v == 0 {
                break;
            }
        }
        for &b in tmp.get(..n).unwrap_or(&[]).iter().rev() {
            let at = usize::from(self.len);
            *self
                .buf
                .get_mut(at)
                .ok_or(Error::length("base oid", 32, at.saturating_add(1)))? = b;
            self.len = self.len.saturating_add(1);
        }
        Ok(())
    }
}

impl FromStr for BaseOid {
    type Err = Error;
    /// Dotted text, `2.16.124.113620.1.22.0`; the empty string is [`BaseOid::NONE`].
    fn from_str(s: &str) -> Result<Self> {
        let mut b = BaseOid::NONE;
        if s.is_empty() {
            return Ok(b);
        }
        let bad = || Error::malformed("base oid", "expected dotted decimal arcs");
        let mut arcs = s.split('.').map(|a| a.parse::<u64>().map_err(|_| bad()));
        let first = arcs.next().ok_or_else(bad)??;
        let second = arcs.next().ok_or_else(bad)??;
        if first > 2 || (first < 2 && second > 39) {
            return Err(bad());
        }
        b.push_arc(first.saturating_mul(40).saturating_add(second))?;
        for a in arcs {
            b.push_arc(a?)?;
        }
        Ok(b)
    }
}

impl fmt::Debug for BaseOid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BaseOid({})",
            crate::ber::Oid::from_parts(self.content(), false)
        )
    }
}

/// What happened to a secured EPSEM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decryption {
    /// Security mode 0: nothing to do.
    Cleartext,
    /// Mode 1: the MAC verified.
    Verified,
    /// Mode 2: the MAC verified and the payload was decrypted.
    Decrypted,
    /// Mode 1 or 2 without a key for this key id (or without an auth value): shown
    /// undecrypted/unverified with a diagnostic.
    NoKey {
        /// The key id of the calling authentication value (if there is one).
        key_id: Option<u8>,
    },
}

/// One APDU seen by [`C1222Framer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct C1222Frame<'a> {
    /// The APDU.
    pub apdu: Apdu<'a>,
    /// What EAX' did.
    pub decryption: Decryption,
    plaintext: Option<Vec<u8>>,
    answers: Vec<Option<Answered>>,
}

meterwire_core::diagnostics! {
    /// Diagnostic: a secured EPSEM without a key.
    NO_KEY_MODE2 = NotDecrypted, "key id", "no key for this key id: epsem not decrypted";
    NO_KEY_MODE1 = NotVerified, "key id", "no key for this key id: mac not verified";
}

impl C1222Frame<'_> {
    /// The EPSEM payload in the clear (after the control byte, without MAC): the
    /// decrypted one in mode 2, `None` when it could not be decrypted.
    pub fn plaintext(&self) -> Option<&[u8]> {
        match &self.plaintext {
            Some(p) => Some(p),
            None if self.apdu.epsem().security_mode() != SecurityMode::Encrypted => {
                Some(self.apdu.epsem().payload())
            }
            None => None,
        }
    }
    /// The services of the readable payload (empty when it is still ciphered).
    pub fn messages(&self) -> impl Iterator<Item = Message<'_>> + '_ {
        let control = self.apdu.epsem().control();
        self.plaintext()
            .into_iter()
            .flat_map(move |p| services_of(control, p).messages().flatten())
    }
    /// For each service (in order), the request it answers when it is a paired response.
    pub fn answers(&self) -> &[Option<Answered>] {
        &self.answers
    }
    /// Departures from the standard: the APDU's, a missing key, and those of the
    /// decrypted services.
    pub fn diagnostics(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        let nokey = match (self.decryption, self.apdu.epsem().security_mode()) {
            (Decryption::NoKey { key_id }, SecurityMode::Encrypted) => Some(Diagnostic {
                value: key_id.map(u64::from),
                ..NO_KEY_MODE2
            }),
            (Decryption::NoKey { key_id }, _) => Some(Diagnostic {
                value: key_id.map(u64::from),
                ..NO_KEY_MODE1
            }),
            _ => None,
        };
        let control = self.apdu.epsem().control();
        let plain = self
            .plaintext
            .as_deref()
            .map(move |p| owned(payload_diagnostics(control, p)));
        self.apdu
            .diagnostics()
            .chain(nokey)
            .chain(plain.into_iter().flatten())
    }
    /// A short name: the service names joined by `+`, or `encrypted`.
    pub fn label(&self) -> alloc::string::String {
        if self.plaintext().is_none() {
            return "encrypted".into();
        }
        let mut s = alloc::string::String::new();
        for m in self.messages() {
            if !s.is_empty() {
                s.push('+');
            }
            s.push_str(crate::psem::service_name(m.code()));
        }
        s
    }
}

/// How many requests the pairing remembers.
const PENDING: usize = 64;

/// The C12.22 stack framer.
///
/// ```
/// use meterwire_ansi_c1222::stack::C1222Framer;
/// use meterwire_core::{Decoded, Framer};
/// # fn hex(s: &str) -> Vec<u8> { (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect() }
/// // Wireshark c1222_std_example8.pcap frame 1 (key id 2, relative titles)
/// let raw = hex("604fa20580037bc175a60480027b04a803020103ac0fa20da00ba109800102810448f3d061be2a282881268841d10cda76206811b36f781489a11997773e117cb07aa3aa40374a7107c50da7f799c5d4e8");
/// let mut f = C1222Framer::new().with_key(2, [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
/// let Ok(Decoded::Frame { frame, .. }) = f.decode(&raw) else { panic!() };
/// assert_eq!(frame.label(), "security+partial_read_offset");
/// ```
#[derive(Debug, Clone)]
pub struct C1222Framer<K = KeyMap> {
    inner: ApduFramer,
    keys: K,
    bases: Vec<BaseOid>,
    pending: Vec<(u64, Vec<Answered>)>,
    strictness: Strictness,
    bad_len: Option<usize>,
}

impl Default for C1222Framer<KeyMap> {
    fn default() -> Self {
        Self::new()
    }
}

impl C1222Framer<KeyMap> {
    /// A lenient framer with an empty [`KeyMap`] and the default base OIDs.
    pub fn new() -> Self {
        Self::with_keys(KeyMap::new())
    }
    /// Adds a key for `key_id`.
    pub fn with_key(mut self, key_id: u8, key: [u8; 16]) -> Self {
        self.keys.insert(key_id, &key);
        self
    }
}

impl<K: KeyRing> C1222Framer<K> {
    /// A framer over a key ring. Relative AP titles are tried under the C12.22 root
    /// 2.16.124.113620.1.22, the root with `.0` (Wireshark's test setting) and none, in
    /// that order (a MAC verifies under one of them except with probability 2^-32);
    /// [`C1222Framer::base_oid`] sets one.
    pub fn with_keys(keys: K) -> Self {
        let root = BaseOid::from_content(C1222_ROOT_OID).unwrap_or(BaseOid::NONE);
        let mut root0 = root;
        let _ = root0.push_arc(0);
        C1222Framer {
            inner: ApduFramer::new(),
            keys,
            bases: vec![root, root0, BaseOid::NONE],
            pending: Vec::new(),
            strictness: Strictness::Lenient,
            bad_len: None,
        }
    }
    /// Uses only this base OID for relative AP titles.
    pub fn base_oid(mut self, base: BaseOid) -> Self {
        self.bases = vec![base];
        self
    }
    /// The key ring.
    pub fn keys_mut(&mut self) -> &mut K {
        &mut self.keys
    }
    strictness_builders!();
    /// The largest APDU accepted (see [`ApduFramer::max_apdu_len`]).
    pub fn max_apdu_len(mut self, n: usize) -> Self {
        self.inner = self.inner.max_apdu_len(n);
        self
    }

    fn open(&mut self, apdu: &Apdu<'_>) -> Result<(Decryption, Option<Vec<u8>>)> {
        let mode = apdu.epsem().security_mode();
        if mode == SecurityMode::Cleartext {
            return Ok((Decryption::Cleartext, None));
        }
        let Some(av) = apdu.auth_value() else {
            return Ok((Decryption::NoKey { key_id: None }, None));
        };
        let calling = apdu.calling_ap_title().map(|t| t.content());
        let Some(eax) = self.keys.key(av.key_id, calling) else {
            return Ok((
                Decryption::NoKey {
                    key_id: Some(av.key_id),
                },
                None,
            ));
        };
        let relative = apdu.called_ap_title().is_some_and(|t| t.is_relative())
            || apdu.calling_ap_title().is_some_and(|t| t.is_relative());
        let mut buf = vec![0u8; apdu.epsem().payload().len()];
        let mut last = Error::AuthenticationFailed;
        for i in 0..self.bases.len() {
            let Some(base) = self.bases.get(i).copied() else {
                break;
            };
            if !relative && !base.content().is_empty() && self.bases.len() > 1 {
                continue;
            }
            match apdu.decrypt_with(eax, base.content(), &mut buf) {
                Ok(_) => {
                    // try the base that worked first next time
                    self.bases.swap(0, i);
                    return Ok(match mode {
                        SecurityMode::Encrypted => (Decryption::Decrypted, Some(buf)),
                        _ => (Decryption::Verified, None),
                    });
                }
                Err(Error::AuthenticationFailed) => {}
                Err(e) => last = e,
            }
        }
        Err(last)
    }

    fn pair(&mut self, apdu: &Apdu<'_>, msgs: &[Message<'_>]) -> Result<Vec<Option<Answered>>> {
        let answers = self.pair_requests(apdu, msgs)?;
        for (m, a) in msgs.iter().zip(&answers) {
            match a {
                Some(a) => a.verify_message(m)?,
                None => crate::psem::verify_unpaired(m)?,
            }
        }
        Ok(answers)
    }

    fn pair_requests(
        &mut self,
        apdu: &Apdu<'_>,
        msgs: &[Message<'_>],
    ) -> Result<Vec<Option<Answered>>> {
        let mut answers = vec![None; msgs.len()];
        let requests: Vec<Answered> = msgs
            .iter()
            .filter_map(|m| match &m.service {
                Service::Request(r) => Some(Answered::of(r)),
                Service::Response(_) => None,
            })
            .collect();
        if !requests.is_empty() {
            if let Some(inv) = apdu.calling_ap_invocation_id() {
                let key = pair_key(apdu.calling_ap_title().map(|t| t.content()), inv);
                self.pending.retain(|(k, _)| *k != key);
                if self.pending.len() >= PENDING {
                    self.pending.remove(0);
                }
                self.pending.push((key, requests));
            }
            return Ok(answers);
        }
        let Some(inv) = apdu
            .called_ap_invocation_id()
            .or(apdu.calling_ap_invocation_id())
        else {
            return Ok(answers);
        };
        let key = pair_key(apdu.called_ap_title().map(|t| t.content()), inv);
        let Some(pos) = self.pending.iter().position(|(k, _)| *k == key) else {
            return Ok(answers);
        };
        let (_, reqs) = self.pending.remove(pos);
        // responses answer the last requests, in order (C12.22 std example 8: one
        // response to a security + read request)
        for (slot, req) in answers.iter_mut().rev().zip(reqs.iter().rev()) {
            *slot = Some(*req);
        }
        Ok(answers)
    }

    fn process<'a>(&mut self, apdu: Apdu<'a>) -> Result<C1222Frame<'a>> {
        let (decryption, plaintext) = self.open(&apdu)?;
        let mut frame = C1222Frame {
            apdu,
            decryption,
            plaintext,
            answers: Vec::new(),
        };
        let msgs: Vec<Message<'_>> = frame.messages().collect();
        let answers = self.pair(&apdu, &msgs)?;
        drop(msgs);
        frame.answers = answers;
        check(self.strictness, frame.diagnostics())?;
        Ok(frame)
    }
}

fn pair_key(title: Option<&[u8]>, inv: u32) -> u64 {
    // FNV-1a over the title, then the invocation id
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in title.unwrap_or(&[]).iter().chain(inv.to_be_bytes().iter()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl<K: KeyRing> Framer for C1222Framer<K> {
    type Frame<'a> = C1222Frame<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<C1222Frame<'a>>> {
        match self.inner.decode(input)? {
            Decoded::Incomplete { needed } => Ok(Decoded::Incomplete { needed }),
            Decoded::Frame { frame, consumed } => match self.process(frame) {
                Ok(frame) => Ok(Decoded::Frame { frame, consumed }),
                Err(e) => {
                    self.bad_len = Some(consumed);
                    Err(e)
                }
            },
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        match self.bad_len.take() {
            Some(n) => n.clamp(1, input.len().max(1)),
            None => self.inner.resync(input),
        }
    }
}

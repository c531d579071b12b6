//! AES-GCM as DLMS uses it (Green Book 9.2.3.3.7, NIST SP 800-38D):
//! IV = system title || invocation counter, 96-bit tag, and
//!
//! * authenticated and encrypted (SC 0x3x): AAD = SC || AK (|| general-ciphering fields),
//! * authenticated only (SC 0x1x): AAD = SC || AK (|| fields) || APDU, nothing encrypted (GMAC),
//! * encrypted only (SC 0x2x): AES-CTR from J0 + 1 (inc32(IV || 00000001)), no tag.
//!
//! The common case (AAD = SC || AK) runs on RustCrypto `aes-gcm`. Authentication-only
//! and general-ciphering need an AAD that is not one contiguous slice without an
//! allocator; they use the same `aes` + `ghash` primitives with a streaming AAD,
//! cross-checked against `aes-gcm` by the crate's proptests. Tags are compared in
//! constant time (`aes-gcm` internally, `subtle` here).

use aes::cipher::{BlockEncrypt, InnerIvInit, StreamCipher};
use aes::{Aes128, Aes256};
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::{AeadInPlace, AesGcm, KeyInit};
use ghash::GHash;
use ghash::universal_hash::UniversalHash;
use subtle::ConstantTimeEq;

use super::SecurityError;
use super::header::TAG_LEN;
use super::keys::{Key, SecurityControl};

type Gcm128 = AesGcm<Aes128, U12, U12>;
type Gcm256 = AesGcm<Aes256, U12, U12>;

/// The 12-byte GCM initialisation vector: system title || invocation counter (BE).
#[inline]
pub fn iv(system_title: &[u8; 8], invocation_counter: u32) -> [u8; 12] {
    let mut iv = [0u8; 12];
    let (a, b) = iv.split_at_mut(8);
    a.copy_from_slice(system_title);
    b.copy_from_slice(&invocation_counter.to_be_bytes());
    iv
}

/// Inputs of one protection operation.
pub struct Params<'a> {
    /// The encryption key (already selected: unicast, broadcast or dedicated), with its
    /// key schedule prepared ([`Cipher::new`]).
    pub key: &'a Cipher,
    /// The authentication key (needed when `sc` asks for authentication).
    pub ak: Option<&'a Key>,
    /// Security control byte.
    pub sc: SecurityControl,
    /// Sender's system title.
    pub system_title: &'a [u8; 8],
    /// Invocation counter.
    pub invocation_counter: u32,
    /// Extra authenticated data after SC || AK (general-ciphering fields), in order.
    pub extra_aad: &'a [&'a [u8]],
}

impl Params<'_> {
    #[inline]
    fn check_encryption_key(&self) -> Result<usize, SecurityError> {
        self.sc.check_supported()?;
        let need = self.sc.key_len()?;
        if self.key.key_len() != need {
            return Err(SecurityError::KeyLength {
                field: "encryption key",
                expected: need,
                actual: self.key.key_len(),
            });
        }
        Ok(need)
    }

    #[inline]
    fn check_keys(&self) -> Result<Option<&Key>, SecurityError> {
        let need = self.check_encryption_key()?;
        if !self.sc.is_authenticated() {
            return Ok(None);
        }
        let ak = self.ak.ok_or(SecurityError::MissingKey("authentication"))?;
        if ak.len() != need {
            return Err(SecurityError::KeyLength {
                field: "authentication key",
                expected: need,
                actual: ak.len(),
            });
        }
        Ok(Some(ak))
    }
}

// Short-lived, on the stack for one operation; boxing would need alloc.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Block {
    A128(Aes128),
    A256(Aes256),
}

impl Block {
    fn new(key: &Key) -> Self {
        match key {
            Key::Aes128(k) => Block::A128(Aes128::new(GenericArray::from_slice(k))),
            Key::Aes256(k) => Block::A256(Aes256::new(GenericArray::from_slice(k))),
        }
    }
    fn encrypt(&self, block: &mut [u8; 16]) {
        let b = GenericArray::from_mut_slice(block);
        match self {
            Block::A128(c) => c.encrypt_block(b),
            Block::A256(c) => c.encrypt_block(b),
        }
    }
}

#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Aead {
    A128(Gcm128),
    A256(Gcm256),
}

/// An AES key with its key schedule and GHASH key prepared once (a key ring keeps
/// these, so decrypting a message does not re-key). The key bytes are not kept.
#[derive(Clone)]
pub struct Cipher {
    block: Option<Block>,
    aead: Option<Aead>,
    h: [u8; 16],
    len: usize,
}

impl Cipher {
    /// Expands `key` (AES-128 or AES-256) for every mode: what a key ring keeps.
    pub fn new(key: &Key) -> Self {
        let block = Block::new(key);
        let aead = match &block {
            Block::A128(b) => Aead::A128(Gcm128::from(b.clone())),
            Block::A256(b) => Aead::A256(Gcm256::from(b.clone())),
        };
        let mut h = [0u8; 16];
        block.encrypt(&mut h);
        Cipher {
            block: Some(block),
            aead: Some(aead),
            h,
            len: key.len(),
        }
    }

    /// Expands `key` for one operation in mode `sc` (with or without extra AAD): only
    /// what that mode uses, so a one-shot call costs one key expansion.
    pub fn for_mode(key: &Key, sc: SecurityControl, extra_aad: bool) -> Self {
        if sc.is_authenticated() && sc.is_encrypted() && !extra_aad {
            let aead = match key {
                Key::Aes128(k) => Aead::A128(Gcm128::new(GenericArray::from_slice(k))),
                Key::Aes256(k) => Aead::A256(Gcm256::new(GenericArray::from_slice(k))),
            };
            return Cipher {
                block: None,
                aead: Some(aead),
                h: [0; 16],
                len: key.len(),
            };
        }
        let block = Block::new(key);
        let mut h = [0u8; 16];
        block.encrypt(&mut h);
        Cipher {
            block: Some(block),
            aead: None,
            h,
            len: key.len(),
        }
    }

    fn block(&self) -> Result<&Block, SecurityError> {
        self.block.as_ref().ok_or(SecurityError::malformed(
            "cipher",
            "prepared for aes-gcm only (use Cipher::new)",
        ))
    }

    /// Key length in bytes (16 or 32).
    pub const fn key_len(&self) -> usize {
        self.len
    }
}

impl core::fmt::Debug for Cipher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Cipher({} bits, redacted)", self.len.saturating_mul(8))
    }
}

fn ctr_from(
    key: &Cipher,
    iv: &[u8; 12],
    first_counter: u32,
    buf: &mut [u8],
) -> Result<(), SecurityError> {
    let mut nonce = [0u8; 16];
    let (a, b) = nonce.split_at_mut(12);
    a.copy_from_slice(iv);
    b.copy_from_slice(&first_counter.to_be_bytes());
    fn apply<C>(k: &C, nonce: &[u8; 16], buf: &mut [u8])
    where
        C: aes::cipher::BlockCipher
            + aes::cipher::BlockEncryptMut
            + aes::cipher::BlockSizeUser<BlockSize = aes::cipher::consts::U16>
            + Clone,
    {
        let core = ctr::CtrCore::<C, ctr::flavors::Ctr32BE>::inner_iv_init(
            k.clone(),
            GenericArray::from_slice(nonce),
        );
        ctr::Ctr32BE::<C>::from_core(core).apply_keystream(buf);
    }
    match key.block()? {
        Block::A128(k) => apply(k, &nonce, buf),
        Block::A256(k) => apply(k, &nonce, buf),
    }
    Ok(())
}

/// GHASH over byte parts, padding only at the AAD / ciphertext boundaries.
struct Ghasher {
    g: GHash,
    buf: [u8; 16],
    fill: usize,
}

impl Ghasher {
    fn new(h: &[u8; 16]) -> Self {
        Ghasher {
            g: <GHash as KeyInit>::new(GenericArray::from_slice(h)),
            buf: [0; 16],
            fill: 0,
        }
    }

    fn update(&mut self, mut data: &[u8]) {
        if self.fill > 0 {
            let room = 16usize.saturating_sub(self.fill);
            let n = room.min(data.len());
            let (head, rest) = data.split_at(n);
            if let Some(dst) = self.buf.get_mut(self.fill..self.fill.saturating_add(n)) {
                dst.copy_from_slice(head);
            }
            self.fill = self.fill.saturating_add(n);
            data = rest;
            if self.fill == 16 {
                self.g.update(&[GenericArray::clone_from_slice(&self.buf)]);
                self.fill = 0;
            } else {
                return;
            }
        }
        let full = data.len() & !15;
        let (blocks, rest) = data.split_at(full);
        if !blocks.is_empty() {
            self.g.update_padded(blocks);
        }
        if let Some(dst) = self.buf.get_mut(..rest.len()) {
            dst.copy_from_slice(rest);
        }
        self.fill = rest.len();
    }

    fn pad(&mut self) {
        if self.fill > 0 {
            if let Some(z) = self.buf.get_mut(self.fill..) {
                z.fill(0);
            }
            self.g.update(&[GenericArray::clone_from_slice(&self.buf)]);
            self.fill = 0;
        }
    }

    fn finish(mut self, aad_len: usize, ct_len: usize) -> [u8; 16] {
        self.pad();
        let mut lens = [0u8; 16];
        let (a, c) = lens.split_at_mut(8);
        a.copy_from_slice(&(aad_len as u64).wrapping_mul(8).to_be_bytes());
        c.copy_from_slice(&(ct_len as u64).wrapping_mul(8).to_be_bytes());
        self.g.update(&[GenericArray::clone_from_slice(&lens)]);
        let out = self.g.finalize();
        let mut s = [0u8; 16];
        s.copy_from_slice(&out);
        s
    }
}

/// Streaming GCM tag over (aad parts, ciphertext), truncated to 12 bytes.
fn stream_tag(
    key: &Cipher,
    iv: &[u8; 12],
    aad: &[&[u8]],
    ct: &[u8],
) -> Result<[u8; TAG_LEN], SecurityError> {
    let cipher = key.block()?;
    let mut gh = Ghasher::new(&key.h);
    let mut aad_len = 0usize;
    for part in aad {
        gh.update(part);
        aad_len = aad_len.saturating_add(part.len());
    }
    gh.pad();
    gh.update(ct);
    let s = gh.finish(aad_len, ct.len());
    let mut j0 = [0u8; 16];
    let (a, b) = j0.split_at_mut(12);
    a.copy_from_slice(iv);
    b.copy_from_slice(&1u32.to_be_bytes());
    cipher.encrypt(&mut j0);
    let mut tag = [0u8; TAG_LEN];
    for ((t, x), y) in tag.iter_mut().zip(j0.iter()).zip(s.iter()) {
        *t = x ^ y;
    }
    Ok(tag)
}

/// The authentication tag received with an APDU: exactly `TAG_LEN` bytes, or the
/// authentication fails.
#[inline(always)]
fn received_tag(tag: Option<&[u8]>) -> Result<&[u8], SecurityError> {
    tag.filter(|t| t.len() == TAG_LEN)
        .ok_or(SecurityError::AuthenticationFailed)
}

/// SC || AK in a fixed buffer (AK is at most 32 bytes). Built from whole 16-byte
/// words (no zero fill then a variable-length copy): `aes-gcm` reads the AAD in
/// 16-byte blocks, and narrow stores under a wide load stall store forwarding.
#[inline]
fn sc_ak(sc: SecurityControl, ak: &Key) -> ([u8; 33], usize) {
    let (k, n): (&[u8], usize) = match ak {
        Key::Aes128(k) => (k, 17),
        Key::Aes256(k) => (k, 33),
    };
    (
        core::array::from_fn(|i| match i.checked_sub(1) {
            None => sc.0,
            Some(j) => k.get(j).copied().unwrap_or(0),
        }),
        n,
    )
}

/// Protects `buf` in place; returns the tag when `sc` asks for authentication.
pub fn seal_in_place(
    p: &Params<'_>,
    buf: &mut [u8],
) -> Result<Option<[u8; TAG_LEN]>, SecurityError> {
    let ak = p.check_keys()?;
    let iv = iv(p.system_title, p.invocation_counter);
    match (p.sc.is_authenticated(), p.sc.is_encrypted(), ak) {
        (true, true, Some(ak)) => {
            let (aadb, n) = sc_ak(p.sc, ak);
            let head = aadb.get(..n).unwrap_or(&[]);
            if let (true, Some(aead)) = (p.extra_aad.is_empty(), &p.key.aead) {
                let nonce = GenericArray::from_slice(&iv);
                let tag = match aead {
                    Aead::A128(g) => g.encrypt_in_place_detached(nonce, head, buf),
                    Aead::A256(g) => g.encrypt_in_place_detached(nonce, head, buf),
                }
                .map_err(|_| {
                    SecurityError::Decode(meterwire_core::Error::Length {
                        field: "plaintext",
                        expected: 0,
                        actual: buf.len(),
                    })
                })?;
                let mut t = [0u8; TAG_LEN];
                t.copy_from_slice(&tag);
                Ok(Some(t))
            } else {
                ctr_from(p.key, &iv, 2, buf)?;
                Ok(Some(tag_with_extra(p, &iv, head, &[], buf)?))
            }
        }
        (true, false, Some(ak)) => {
            let (aadb, n) = sc_ak(p.sc, ak);
            let head = aadb.get(..n).unwrap_or(&[]);
            Ok(Some(tag_with_extra(p, &iv, head, buf, &[])?))
        }
        (false, true, _) => {
            ctr_from(p.key, &iv, 2, buf)?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

fn tag_with_extra(
    p: &Params<'_>,
    iv: &[u8; 12],
    head: &[u8],
    tail_aad: &[u8],
    ct: &[u8],
) -> Result<[u8; TAG_LEN], SecurityError> {
    // SC||AK, up to ten general-ciphering pieces (length, value) and the clear APDU.
    let mut parts: [&[u8]; 12] = [&[]; 12];
    if let Some(first) = parts.get_mut(0) {
        *first = head;
    }
    for (dst, src) in parts.iter_mut().skip(1).zip(p.extra_aad.iter().take(10)) {
        *dst = src;
    }
    if let Some(last) = parts.get_mut(11) {
        *last = tail_aad;
    }
    stream_tag(p.key, iv, &parts, ct)
}

/// Unprotects `buf` in place, verifying `tag` when `sc` asks for authentication.
/// On failure `buf` is left as it was (the tag is checked before decrypting).
///
/// The common case (authenticated and encrypted, AAD = SC || AK, a prepared
/// `aes-gcm` cipher) is a small inlined path straight into `aes-gcm`; every other
/// mode goes through the out-of-line streaming code, so its large stack frame is
/// not paid per push.
#[inline]
pub fn open_in_place(
    p: &Params<'_>,
    buf: &mut [u8],
    tag: Option<&[u8]>,
) -> Result<(), SecurityError> {
    open_with(p, buf, tag, |_| {})
}

/// [`open_in_place`] of a copy: `src` (the received bytes, as long as `dst`) is copied
/// into `dst` and opened there. The AAD and nonce are built before the copy, so
/// `aes-gcm` does not read them straight after their narrow stores.
#[inline]
pub(crate) fn open_from(
    p: &Params<'_>,
    src: &[u8],
    dst: &mut [u8],
    tag: Option<&[u8]>,
) -> Result<(), SecurityError> {
    open_with(p, dst, tag, |d| d.copy_from_slice(src))
}

#[inline(always)]
fn open_with(
    p: &Params<'_>,
    buf: &mut [u8],
    tag: Option<&[u8]>,
    fill: impl FnOnce(&mut [u8]),
) -> Result<(), SecurityError> {
    if let (true, true, true, Some(aead)) = (
        p.sc.is_authenticated(),
        p.sc.is_encrypted(),
        p.extra_aad.is_empty(),
        &p.key.aead,
    ) {
        let ak = p
            .check_keys()?
            .ok_or(SecurityError::MissingKey("authentication"))?;
        let tag = received_tag(tag)?;
        let (aadb, n) = sc_ak(p.sc, ak);
        let nonce = iv(p.system_title, p.invocation_counter);
        fill(buf);
        let head = aadb.get(..n).unwrap_or(&[]);
        let nonce = GenericArray::from_slice(&nonce);
        let t = GenericArray::from_slice(tag);
        return match aead {
            Aead::A128(g) => g.decrypt_in_place_detached(nonce, head, buf, t),
            Aead::A256(g) => g.decrypt_in_place_detached(nonce, head, buf, t),
        }
        .map_err(|_| SecurityError::AuthenticationFailed);
    }
    fill(buf);
    open_streaming(p, buf, tag)
}

/// Every mode [`open_in_place`] does not hand to `aes-gcm` directly.
#[inline(never)]
fn open_streaming(p: &Params<'_>, buf: &mut [u8], tag: Option<&[u8]>) -> Result<(), SecurityError> {
    let ak = p.check_keys()?;
    let iv = iv(p.system_title, p.invocation_counter);
    match (p.sc.is_authenticated(), p.sc.is_encrypted(), ak) {
        (true, true, Some(ak)) => {
            let tag = received_tag(tag)?;
            let (aadb, n) = sc_ak(p.sc, ak);
            let head = aadb.get(..n).unwrap_or(&[]);
            if let (true, Some(aead)) = (p.extra_aad.is_empty(), &p.key.aead) {
                let nonce = GenericArray::from_slice(&iv);
                let t = GenericArray::from_slice(tag);
                match aead {
                    Aead::A128(g) => g.decrypt_in_place_detached(nonce, head, buf, t),
                    Aead::A256(g) => g.decrypt_in_place_detached(nonce, head, buf, t),
                }
                .map_err(|_| SecurityError::AuthenticationFailed)
            } else {
                let expect = tag_with_extra(p, &iv, head, &[], buf)?;
                if bool::from(expect.ct_eq(tag)) {
                    ctr_from(p.key, &iv, 2, buf)?;
                    Ok(())
                } else {
                    Err(SecurityError::AuthenticationFailed)
                }
            }
        }
        (true, false, Some(ak)) => {
            let tag = received_tag(tag)?;
            let (aadb, n) = sc_ak(p.sc, ak);
            let head = aadb.get(..n).unwrap_or(&[]);
            let expect = tag_with_extra(p, &iv, head, buf, &[])?;
            if bool::from(expect.ct_eq(tag)) {
                Ok(())
            } else {
                Err(SecurityError::AuthenticationFailed)
            }
        }
        (false, true, _) => {
            ctr_from(p.key, &iv, 2, buf)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// GMAC as HLS mechanism 5 uses it: tag over AAD = SC || AK || challenge.
pub fn gmac(p: &Params<'_>, challenge: &[u8]) -> Result<[u8; TAG_LEN], SecurityError> {
    let ak = p.ak.ok_or(SecurityError::MissingKey("authentication"))?;
    let sc = SecurityControl(p.sc.0 | SecurityControl::AUTHENTICATED);
    let q = Params {
        sc,
        ak: Some(ak),
        ..*p
    };
    q.check_keys()?;
    let iv = iv(p.system_title, p.invocation_counter);
    let (aadb, n) = sc_ak(sc, ak);
    let head = aadb.get(..n).unwrap_or(&[]);
    stream_tag(p.key, &iv, &[head, challenge], &[])
}

/// Bare AES-GCM-128 with a 12-byte tag and a contiguous AAD: the reference the
/// benchmarks compare the full decrypt-and-parse path against.
pub fn bare_gcm128_open(
    key: &[u8; 16],
    iv: &[u8; 12],
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<(), SecurityError> {
    BareGcm128::new(key).open(iv, aad, buf, tag)
}

/// Bare AES-GCM-128 seal (key expanded per call, 12-byte tag, contiguous AAD): the
/// floor the benches compare [`encrypt_apdu`](super::encrypt_apdu) against.
#[doc(hidden)]
pub fn bare_gcm128_seal(
    key: &[u8; 16],
    iv: &[u8; 12],
    aad: &[u8],
    buf: &mut [u8],
) -> Result<[u8; TAG_LEN], SecurityError> {
    BareGcm128::new(key).seal(iv, aad, buf)
}

/// The streaming GCM path used for general-ciphering and GMAC, exposed so the
/// tests can cross-check it against `aes-gcm` (encrypts `buf`, returns the tag).
#[doc(hidden)]
pub fn stream_seal(key: &Key, iv: &[u8; 12], aad: &[u8], buf: &mut [u8]) -> [u8; TAG_LEN] {
    let key = Cipher::new(key);
    // `Cipher::new` prepares every mode, so these cannot fail
    let _ = ctr_from(&key, iv, 2, buf);
    stream_tag(&key, iv, &[aad], buf).unwrap_or([0; TAG_LEN])
}

/// Decrypts without checking the tag ([`TagCheck::Skip`](super::TagCheck)): AES-CTR from
/// J0 + 1 for encrypted APDUs, nothing for authenticated-only ones. Needs no
/// authentication key. The result is unauthenticated: callers mark it `NotVerified`.
pub fn open_unverified(p: &Params<'_>, buf: &mut [u8]) -> Result<(), SecurityError> {
    p.check_encryption_key()?;
    if p.sc.is_encrypted() {
        ctr_from(p.key, &iv(p.system_title, p.invocation_counter), 2, buf)?;
    }
    Ok(())
}

/// A pre-keyed bare AES-GCM-128 (RustCrypto `aes-gcm`, 96-bit tag): the floor the
/// benches compare the key ring's prepared path against.
#[doc(hidden)]
#[derive(Clone)]
pub struct BareGcm128(Gcm128);

impl BareGcm128 {
    /// Expands `key` once.
    pub fn new(key: &[u8; 16]) -> Self {
        BareGcm128(Gcm128::new(GenericArray::from_slice(key)))
    }

    /// Encrypts in place; returns the tag.
    pub fn seal(
        &self,
        iv: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
    ) -> Result<[u8; TAG_LEN], SecurityError> {
        let tag = self
            .0
            .encrypt_in_place_detached(GenericArray::from_slice(iv), aad, buf)
            .map_err(|_| SecurityError::malformed("plaintext", "too long for aes-gcm"))?;
        let mut t = [0u8; TAG_LEN];
        t.copy_from_slice(&tag);
        Ok(t)
    }

    /// Decrypts and verifies in place.
    pub fn open(
        &self,
        iv: &[u8; 12],
        aad: &[u8],
        buf: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<(), SecurityError> {
        self.0
            .decrypt_in_place_detached(
                GenericArray::from_slice(iv),
                aad,
                buf,
                GenericArray::from_slice(tag),
            )
            .map_err(|_| SecurityError::AuthenticationFailed)
    }
}

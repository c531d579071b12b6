//! EAX' (EAX prime), the authenticated encryption of ANSI C12.22 security modes 1 and 2
//! (ANSI C12.22-2008 Annex I; "EAX' Cipher Mode", Moise, Beroset, Phinney, Burns, NIST
//! submission, May 2011). AES-128, 4-byte MAC.
//!
//! EAX' differs from EAX (and RustCrypto's `eax`/`cmac` crates cannot be used) in its
//! doubling step: `dbl'` shifts each byte left taking the carry from the byte *before*
//! it, and the carry out of byte 15 XORs 0x87 into byte 0 ([`dbl_prime`]), the
//! byte-reversed form of the RFC 4493 doubling. With standard doubling the published
//! test vectors do not verify (a test in `tests/crypto/eax.rs` shows it). So this module is
//! built on the bare AES block cipher.
//!
//! **Security note:** EAX' has a published attack (Minematsu, Lucks, Morita, Iwata,
//! "Attacks and security proofs of EAX-prime", FSE 2013): with short cleartext headers
//! forgeries and plaintext recovery are possible. C12.22 messages always carry
//! longer canonified headers, which the attack does not cover, but do not use EAX'
//! outside C12.22.
//!
//! The MAC comparison runs in constant time; any wrong key or changed byte of the
//! header, ciphertext or MAC yields [`Error::AuthenticationFailed`].

use crate::c1222::{Apdu, MAC_LEN, SecurityMode};
use crate::error::{Error, Result};
use aes::Aes128Enc as Aes128;
use aes::cipher::{BlockEncrypt, KeyInit, generic_array::GenericArray};

/// AES block and key length.
pub const BLOCK_LEN: usize = 16;

/// The EAX' doubling: `out[i] = (in[i] << 1) | (in[i-1] >> 7)`, and the carry out of
/// byte 15 XORs 0x87 into byte 0.
pub fn dbl_prime(x: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let mut carry = 0u8;
    for (o, &b) in out.iter_mut().zip(x.iter()) {
        *o = (b << 1) | carry;
        carry = b >> 7;
    }
    if carry != 0 {
        out[0] ^= 0x87;
    }
    out
}

/// The RFC 4493 (CMAC/EAX) doubling, for comparison only: a big-endian shift left and
/// 0x87 into byte 15. EAX' does not use it.
pub fn dbl_standard(x: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    let mut carry = 0u8;
    for (o, &b) in out.iter_mut().zip(x.iter()).rev() {
        *o = (b << 1) | carry;
        carry = b >> 7;
    }
    if carry != 0 {
        out[15] ^= 0x87;
    }
    out
}

fn xor_into(dst: &mut [u8; 16], src: &[u8; 16]) {
    *dst = (u128::from_ne_bytes(*dst) ^ u128::from_ne_bytes(*src)).to_ne_bytes();
}

/// Compares two MACs in constant time.
pub fn ct_eq(a: &[u8; 4], b: &[u8; 4]) -> bool {
    let d = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(d) == 0
}

/// An EAX' instance for one key (the key schedule and the `D`, `Q` subkeys).
#[derive(Clone)]
pub struct EaxPrime {
    cipher: Aes128,
    d: [u8; 16],
    q: [u8; 16],
}

impl core::fmt::Debug for EaxPrime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("EaxPrime { .. }")
    }
}

/// Which subkey a [`CmacPrime`] starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tweak {
    /// `D = dbl'(L)`: the cleartext / nonce MAC.
    D,
    /// `Q = dbl'(D)`: the ciphertext MAC.
    Q,
}

/// Streaming `CMAC'^T`: CBC-MAC with IV `T`; a full last block is XORed with `D`,
/// a partial (or empty) one is padded `80 00..` and XORed with `Q`.
#[derive(Debug, Clone)]
pub struct CmacPrime<'k> {
    eax: &'k EaxPrime,
    /// The chaining value with the `pending` bytes of the current block XORed in.
    state: [u8; 16],
    /// Bytes of the current block absorbed (0..=16); it is encrypted only when more
    /// bytes follow, as the last block is treated apart.
    pending: usize,
}

impl CmacPrime<'_> {
    /// Feeds bytes (absorbed into the state directly, no block buffer: canonified
    /// headers arrive in pieces of 1 to ~50 bytes).
    pub fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pending == BLOCK_LEN {
                self.eax.encrypt(&mut self.state);
                self.pending = 0;
            }
            if self.pending == 0 {
                // whole blocks straight from the input; the last one stays pending
                while let Some((blk, rest)) = data.split_first_chunk::<BLOCK_LEN>() {
                    xor_into(&mut self.state, blk);
                    data = rest;
                    if rest.is_empty() {
                        self.pending = BLOCK_LEN;
                        return;
                    }
                    self.eax.encrypt(&mut self.state);
                }
            }
            let take = BLOCK_LEN.saturating_sub(self.pending).min(data.len());
            let (head, tail) = data.split_at(take);
            for (s, b) in self.state.iter_mut().skip(self.pending).zip(head) {
                *s ^= b;
            }
            self.pending = self.pending.saturating_add(take);
            data = tail;
        }
    }
    /// The 16-byte tag.
    pub fn finalize(mut self) -> [u8; 16] {
        let sub = if self.pending == BLOCK_LEN {
            self.eax.d
        } else {
            if let Some(b) = self.state.get_mut(self.pending) {
                *b ^= 0x80;
            }
            self.eax.q
        };
        xor_into(&mut self.state, &sub);
        self.eax.encrypt(&mut self.state);
        self.state
    }
}

/// Blocks encrypted per call in CTR mode (the AES-NI backend's parallel width).
pub const PAR_BLOCKS: usize = 8;
const PAR_BYTES: usize = PAR_BLOCKS * BLOCK_LEN;

type Block = aes::Block;

/// The first counter: `N'` with bytes 12 and 14 masked by 0x7F.
fn ctr0(n_prime: &[u8; 16]) -> u128 {
    let mut ctr = *n_prime;
    ctr[12] &= 0x7F;
    ctr[14] &= 0x7F;
    u128::from_be_bytes(ctr)
}

/// `d ^= k` over one block or a final partial block.
#[inline(always)]
fn xor_in(d: &mut [u8], k: &Block) {
    let k: [u8; 16] = (*k).into();
    if let Ok(db) = <&mut [u8; 16]>::try_from(&mut *d) {
        xor_into(db, &k);
    } else {
        for (dv, kv) in d.iter_mut().zip(k) {
            *dv ^= kv;
        }
    }
}

/// `d = s ^ k` over one block or a final partial block.
#[inline(always)]
fn xor_to(d: &mut [u8], s: &[u8], k: &Block) {
    let k: [u8; 16] = (*k).into();
    match (<&mut [u8; 16]>::try_from(&mut *d), <&[u8; 16]>::try_from(s)) {
        (Ok(db), Ok(sb)) => {
            *db = (u128::from_ne_bytes(*sb) ^ u128::from_ne_bytes(k)).to_ne_bytes();
        }
        _ => {
            for ((dv, sv), kv) in d.iter_mut().zip(s).zip(k) {
                *dv = sv ^ kv;
            }
        }
    }
}

fn tail4(x: &[u8; 16]) -> [u8; 4] {
    [x[12], x[13], x[14], x[15]]
}

impl EaxPrime {
    /// Prepares a key: `L = AES_K(0)`, `D = dbl'(L)`, `Q = dbl'(D)`.
    pub fn new(key: &[u8; 16]) -> Self {
        let cipher = Aes128::new(GenericArray::from_slice(key));
        let mut l = [0u8; 16];
        let mut b = GenericArray::clone_from_slice(&l);
        cipher.encrypt_block(&mut b);
        l.copy_from_slice(&b);
        let d = dbl_prime(&l);
        let q = dbl_prime(&d);
        EaxPrime { cipher, d, q }
    }

    #[inline]
    fn encrypt(&self, block: &mut [u8; 16]) {
        let b = GenericArray::from_mut_slice(block);
        self.cipher.encrypt_block(b);
    }

    /// The subkey `D`.
    pub fn d(&self) -> [u8; 16] {
        self.d
    }
    /// The subkey `Q`.
    pub fn q(&self) -> [u8; 16] {
        self.q
    }

    /// Starts a `CMAC'` with tweak `t`.
    pub fn cmac(&self, t: Tweak) -> CmacPrime<'_> {
        CmacPrime {
            eax: self,
            state: match t {
                Tweak::D => self.d,
                Tweak::Q => self.q,
            },
            pending: 0,
        }
    }

    /// `N' = CMAC'^D(N)`.
    pub fn nonce(&self, n: &[u8]) -> [u8; 16] {
        let mut m = self.cmac(Tweak::D);
        m.update(n);
        m.finalize()
    }

    /// AES-CTR from `N'` with bytes 12 and 14 masked by 0x7F, big-endian increment
    /// (over all 16 bytes), in place.
    pub fn ctr(&self, n_prime: &[u8; 16], data: &mut [u8]) {
        let mut c = ctr0(n_prime);
        for chunk in data.chunks_mut(PAR_BYTES) {
            let ks = self.keystream(&mut c, chunk.len());
            for (d, k) in chunk.chunks_mut(BLOCK_LEN).zip(ks.iter()) {
                xor_in(d, k);
            }
        }
    }

    /// [`EaxPrime::ctr`] from `src` into `dst` (no copy before the XOR); `dst` must be
    /// as long as `src` (a shorter `dst` gets only its length).
    pub fn ctr_into(&self, n_prime: &[u8; 16], src: &[u8], dst: &mut [u8]) {
        let mut c = ctr0(n_prime);
        for (s, d) in src.chunks(PAR_BYTES).zip(dst.chunks_mut(PAR_BYTES)) {
            let ks = self.keystream(&mut c, s.len());
            for ((d, s), k) in d
                .chunks_mut(BLOCK_LEN)
                .zip(s.chunks(BLOCK_LEN))
                .zip(ks.iter())
            {
                xor_to(d, s, k);
            }
        }
    }

    /// Up to [`PAR_BLOCKS`] keystream blocks for `len` bytes, encrypted in one call
    /// (AES-NI pipelines them: CTR blocks are independent).
    #[inline]
    fn keystream(&self, c: &mut u128, len: usize) -> [Block; PAR_BLOCKS] {
        let mut ks = [Block::default(); PAR_BLOCKS];
        let n = len.div_ceil(BLOCK_LEN).min(PAR_BLOCKS);
        let blocks = ks.get_mut(..n).unwrap_or(&mut []);
        for b in blocks.iter_mut() {
            *b = Block::from(c.to_be_bytes());
            *c = c.wrapping_add(1);
        }
        self.cipher.encrypt_blocks(blocks);
        ks
    }

    /// The mode-2 MAC from `N'` and the ciphertext.
    pub fn mac(&self, n_prime: &[u8; 16], ciphertext: &[u8]) -> [u8; 4] {
        let mut mac = tail4(n_prime);
        if !ciphertext.is_empty() {
            let mut m = self.cmac(Tweak::Q);
            m.update(ciphertext);
            let c = m.finalize();
            for (a, b) in mac.iter_mut().zip(tail4(&c)) {
                *a ^= b;
            }
        }
        mac
    }

    /// Mode 2: encrypts `buf` in place under cleartext `n`; returns the MAC.
    pub fn encrypt_in_place(&self, n: &[u8], buf: &mut [u8]) -> [u8; 4] {
        let np = self.nonce(n);
        self.ctr(&np, buf);
        self.mac(&np, buf)
    }

    /// Mode 2: verifies `mac`, then decrypts `buf` in place. On failure `buf` is unchanged.
    pub fn decrypt_in_place(&self, n: &[u8], buf: &mut [u8], mac: &[u8; 4]) -> Result<()> {
        let np = self.nonce(n);
        if !ct_eq(&self.mac(&np, buf), mac) {
            return Err(Error::AuthenticationFailed);
        }
        self.ctr(&np, buf);
        Ok(())
    }

    /// Mode 1: the MAC of cleartext `n` followed by the (clear) EPSEM payload `p`.
    pub fn sign(&self, n: &[u8], p: &[u8]) -> [u8; 4] {
        let mut m = self.cmac(Tweak::D);
        m.update(n);
        m.update(p);
        tail4(&m.finalize())
    }

    /// Mode 1: checks `mac` over `n || p`.
    pub fn verify(&self, n: &[u8], p: &[u8], mac: &[u8; 4]) -> Result<()> {
        if ct_eq(&self.sign(n, p), mac) {
            Ok(())
        } else {
            Err(Error::AuthenticationFailed)
        }
    }
}

/// Looks keys up by the key id of the calling authentication value.
pub trait KeyStore {
    /// The AES-128 key with this id.
    fn key(&self, key_id: u8) -> Option<[u8; 16]>;
}

impl KeyStore for [(u8, [u8; 16])] {
    fn key(&self, key_id: u8) -> Option<[u8; 16]> {
        self.iter().find(|(id, _)| *id == key_id).map(|(_, k)| *k)
    }
}

impl<const N: usize> KeyStore for [(u8, [u8; 16]); N] {
    fn key(&self, key_id: u8) -> Option<[u8; 16]> {
        self.as_slice().key(key_id)
    }
}

impl KeyStore for (u8, [u8; 16]) {
    fn key(&self, key_id: u8) -> Option<[u8; 16]> {
        (self.0 == key_id).then_some(self.1)
    }
}

fn key_for(apdu: &Apdu<'_>, keys: &(impl KeyStore + ?Sized)) -> Result<EaxPrime> {
    let av = apdu.auth_value().ok_or(Error::malformed(
        "calling authentication value",
        "missing: needed for eax'",
    ))?;
    let key = keys
        .key(av.key_id)
        .ok_or(Error::UnknownKey { key_id: av.key_id })?;
    Ok(EaxPrime::new(&key))
}

/// Feeds the canonified header to `m`: read in place for a plainly encoded APDU, else
/// built contiguously on the stack (one CMAC' update instead of ~20 small pieces), or
/// piece by piece (generic sink, no dynamic call) when it is unusually long.
fn feed_canonified(apdu: &Apdu<'_>, base_oid: &[u8], m: &mut CmacPrime<'_>) {
    // plainly encoded APDUs: three ranges of the bytes as sent, the key id and the IV
    if let Some(parts) = apdu.canonified_parts() {
        for p in parts {
            m.update(p);
        }
        return;
    }
    // real canonified headers are 60-120 bytes; longer ones go piece by piece
    let mut buf = [0u8; 192];
    match apdu.canonified_into(base_oid, &mut buf) {
        Some(n) => m.update(buf.get(..n).unwrap_or(&[])),
        None => apdu.canonify(base_oid, &mut |b: &[u8]| m.update(b)),
    }
}

fn nonce_of(eax: &EaxPrime, apdu: &Apdu<'_>, base_oid: &[u8]) -> [u8; 16] {
    let mut m = eax.cmac(Tweak::D);
    feed_canonified(apdu, base_oid, &mut m);
    m.finalize()
}

impl<'a> Apdu<'a> {
    /// Verifies (mode 1) or verifies and decrypts (mode 2) the EPSEM into `out`, and
    /// returns the plaintext payload (the EPSEM after the control byte, without MAC).
    /// Mode 0 copies the payload. `base_oid` turns relative AP titles into absolute
    /// ones for the canonified header (Wireshark's `c1222.baseoid`; may be empty).
    pub fn decrypt_into<'o>(
        &self,
        keys: &(impl KeyStore + ?Sized),
        base_oid: &[u8],
        out: &'o mut [u8],
    ) -> Result<&'o [u8]> {
        if self.epsem().security_mode() == SecurityMode::Cleartext {
            let payload = self.epsem().payload();
            let dst = out.get_mut(..payload.len()).ok_or(Error::length(
                "plaintext buffer",
                payload.len(),
                0,
            ))?;
            dst.copy_from_slice(payload);
            return Ok(dst);
        }
        let eax = key_for(self, keys)?;
        self.decrypt_with(&eax, base_oid, out)
    }

    /// As [`Apdu::decrypt_into`] with a prepared key (no key schedule per message: a
    /// key ring keeps one [`EaxPrime`] per key).
    pub fn decrypt_with<'o>(
        &self,
        eax: &EaxPrime,
        base_oid: &[u8],
        out: &'o mut [u8],
    ) -> Result<&'o [u8]> {
        let e = self.epsem();
        let payload = e.payload();
        let dst = out
            .get_mut(..payload.len())
            .ok_or_else(|| Error::length("plaintext buffer", payload.len(), 0))?;
        match e.security_mode() {
            SecurityMode::Cleartext => {
                dst.copy_from_slice(payload);
            }
            SecurityMode::Authenticated => {
                let mut m = eax.cmac(Tweak::D);
                feed_canonified(self, base_oid, &mut m);
                m.update(payload);
                let mac = e.mac().ok_or_else(|| Error::truncated(MAC_LEN))?;
                if !ct_eq(&tail4(&m.finalize()), &mac) {
                    return Err(Error::AuthenticationFailed);
                }
                dst.copy_from_slice(payload);
            }
            SecurityMode::Encrypted => {
                let np = nonce_of(eax, self, base_oid);
                let mac = e.mac().ok_or_else(|| Error::truncated(MAC_LEN))?;
                if !ct_eq(&eax.mac(&np, payload), &mac) {
                    return Err(Error::AuthenticationFailed);
                }
                eax.ctr_into(&np, payload, dst);
                e.check_plaintext(dst)?;
            }
            SecurityMode::Reserved => return Err(Error::unsupported("security mode", 3)),
        }
        Ok(dst)
    }

    /// Checks the MAC of a mode 1 or mode 2 APDU without decrypting.
    pub fn verify_mac(&self, keys: &(impl KeyStore + ?Sized), base_oid: &[u8]) -> Result<()> {
        let e = self.epsem();
        let eax = key_for(self, keys)?;
        let mac = e.mac().ok_or(Error::malformed(
            "security mode",
            "no mac in cleartext mode",
        ))?;
        let ok = match e.security_mode() {
            SecurityMode::Authenticated => {
                let mut m = eax.cmac(Tweak::D);
                feed_canonified(self, base_oid, &mut m);
                m.update(e.payload());
                ct_eq(&tail4(&m.finalize()), &mac)
            }
            _ => {
                let np = nonce_of(&eax, self, base_oid);
                ct_eq(&eax.mac(&np, e.payload()), &mac)
            }
        };
        if ok {
            Ok(())
        } else {
            Err(Error::AuthenticationFailed)
        }
    }
}

/// Applies the security mode of an encoded APDU in place: `buf` holds a complete APDU
/// whose EPSEM payload is still plaintext and whose MAC is a placeholder (as
/// [`ApduRepr`](crate::c1222::ApduRepr) encodes it). Mode 1 writes the MAC, mode 2
/// encrypts the payload and writes the MAC; mode 0 does nothing.
pub fn secure_in_place(buf: &mut [u8], key: &[u8; 16], base_oid: &[u8]) -> Result<()> {
    secure_in_place_with(buf, &EaxPrime::new(key), base_oid)
}

/// As [`secure_in_place`] with a prepared key (no key schedule per message: a key
/// ring or a sender keeps one [`EaxPrime`] per key).
pub fn secure_in_place_with(buf: &mut [u8], eax: &EaxPrime, base_oid: &[u8]) -> Result<()> {
    let total = buf.len();
    let (mode, payload_len, np_or_mac) = {
        let apdu = Apdu::parse_envelope(buf)?;
        let e = apdu.epsem();
        let payload = e.payload();
        match e.security_mode() {
            SecurityMode::Cleartext => return Ok(()),
            SecurityMode::Reserved => return Err(Error::unsupported("security mode", 3)),
            SecurityMode::Authenticated => {
                let mut m = eax.cmac(Tweak::D);
                feed_canonified(&apdu, base_oid, &mut m);
                m.update(payload);
                (SecurityMode::Authenticated, payload.len(), m.finalize())
            }
            SecurityMode::Encrypted => (
                SecurityMode::Encrypted,
                payload.len(),
                nonce_of(eax, &apdu, base_oid),
            ),
        }
    };
    let mac_start = total.saturating_sub(MAC_LEN);
    let payload_start = mac_start.saturating_sub(payload_len);
    let mac = if mode == SecurityMode::Encrypted {
        let p = buf
            .get_mut(payload_start..mac_start)
            .ok_or(Error::truncated(MAC_LEN))?;
        eax.ctr(&np_or_mac, p);
        eax.mac(&np_or_mac, p)
    } else {
        tail4(&np_or_mac)
    };
    buf.get_mut(mac_start..)
        .ok_or(Error::truncated(MAC_LEN))?
        .copy_from_slice(&mac);
    Ok(())
}

impl crate::c1222::ApduRepr<'_> {
    /// Encodes and applies the EPSEM security mode with `key` (see [`secure_in_place`]).
    pub fn encode_secured(&self, key: &[u8; 16], base_oid: &[u8], out: &mut [u8]) -> Result<usize> {
        use meterwire_core::Encode;
        let n = self.encode(out)?;
        let apdu = out.get_mut(..n).ok_or(Error::truncated(n))?;
        secure_in_place(apdu, key, base_oid)?;
        Ok(n)
    }

    /// As [`ApduRepr::encode_secured`](crate::c1222::ApduRepr::encode_secured) with a
    /// prepared key (see [`secure_in_place_with`]).
    pub fn encode_secured_with(
        &self,
        eax: &EaxPrime,
        base_oid: &[u8],
        out: &mut [u8],
    ) -> Result<usize> {
        use meterwire_core::Encode;
        let n = self.encode(out)?;
        let apdu = out.get_mut(..n).ok_or(Error::truncated(n))?;
        secure_in_place_with(apdu, eax, base_oid)?;
        Ok(n)
    }
}

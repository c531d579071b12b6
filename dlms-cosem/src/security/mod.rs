//! DLMS/COSEM security: AES-GCM security suites 0, 1 (symmetric part) and 2,
//! HLS mechanism 5 (GMAC) and general-block-transfer reassembly.
//!
//! Standards: IEC 62056-5-3 §5.6 / §9.5 and DLMS UA Green Book (DLMS UA 1000-2)
//! 9.2.3.3 "Cryptographic algorithms", 9.2.7.2 "Protecting xDLMS APDUs",
//! 9.2.7.4 "HLS authentication mechanism 5", 9.1.4.4.12 "General block transfer".
//!
//! Everything works without an allocator: decryption writes into a caller
//! buffer ([`decrypt_apdu`]) or in place ([`decrypt_apdu_in_place`]); with the
//! `alloc` feature [`decrypt_apdu_vec`] returns a `Vec`.
//!
//! ```
//! use meterwire_dlms_cosem::security::{self, Envelope, Key, Protection, SecurityControl, SecurityKeys};
//!
//! // Green Book test keys and system title.
//! let ek = Key::from_slice(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]).unwrap();
//! let ak = Key::from_slice(&[0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
//!                            0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF]).unwrap();
//! let keys = SecurityKeys::new(ek).with_authentication(ak);
//! let st = [0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E];
//! let get = [0xC0, 0x01, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00, 0xFF, 0x02, 0x00];
//!
//! let p = Protection::new(Envelope::Glo, SecurityControl::new(0, true, true), 0x0123_4567, st);
//! let mut wire = [0u8; 64];
//! let n = security::encrypt_apdu(&get, &p, &keys, &mut wire).unwrap();
//! assert_eq!(wire[0], 0xC8); // glo-get-request
//!
//! let mut plain = [0u8; 64];
//! let apdu = security::decrypt_apdu(&wire[..n], &keys, Some(st), &mut plain).unwrap();
//! assert_eq!(apdu, &get);
//! ```

mod counter;
mod error;
pub mod gbt;
pub mod gcm;
pub mod header;
pub mod hls;
mod keyring;
mod keys;

pub use counter::{InvocationCounterGuard, check_invocation_counter};
pub use error::SecurityError;
pub use gbt::{BlockReassembler, GeneralBlock};
pub use header::{CipheredApdu, Envelope, GeneralCipheringFields, KeyInfo, TAG_LEN};
pub use hls::{hls_gmac_response, hls_gmac_verify};
pub use keyring::{FixedKeyRing, KeyRing, PreparedKeys, TagCheck, Verification, decrypt_prepared};
#[cfg(feature = "alloc")]
pub use keyring::{MapKeyRing, ReplayGuard};
pub use keys::{Key, KeyUse, SecurityControl, SecurityKeys};

use header::{SYSTEM_TITLE_LEN, length_len, write_length};

/// The header fields of a ciphered APDU, owned (for in-place decryption).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SecurityHeader {
    /// The ciphered APDU's tag.
    pub tag: u8,
    /// The envelope.
    pub envelope: Envelope,
    /// Security control byte.
    pub security_control: SecurityControl,
    /// Invocation counter.
    pub invocation_counter: u32,
    /// The system title used in the IV.
    pub system_title: [u8; SYSTEM_TITLE_LEN],
    /// The key that was used.
    pub key_use: KeyUse,
}

impl SecurityHeader {
    #[inline]
    fn of(c: &CipheredApdu<'_>, system_title: [u8; 8], key_use: KeyUse) -> Self {
        SecurityHeader {
            tag: c.tag,
            envelope: c.envelope,
            security_control: c.security_control,
            invocation_counter: c.invocation_counter,
            system_title,
            key_use,
        }
    }
}

/// The general-ciphering fields that enter the AAD, as A-XDR octet strings
/// (length || value). Following Gurux (and Green Book ed. 9 for suites with key
/// agreement), they are authenticated only for security suites 1 and 2 when a
/// recipient system title is present; suite 0 uses AAD = SC || AK.
struct GcAad<'a> {
    lens: [[u8; 5]; 5],
    lens_n: [usize; 5],
    fields: [&'a [u8]; 5],
}

impl<'a> GcAad<'a> {
    fn new(sc: SecurityControl, g: Option<&GeneralCipheringFields<'a>>) -> Option<Self> {
        let g = g?;
        if sc.suite() == 0 || g.recipient_system_title.is_empty() {
            return None;
        }
        let fields = g.octet_fields();
        let mut lens = [[0u8; 5]; 5];
        let mut lens_n = [0usize; 5];
        for ((buf, n), f) in lens.iter_mut().zip(lens_n.iter_mut()).zip(fields.iter()) {
            *n = write_length(buf, f.len()).unwrap_or(0);
        }
        Some(GcAad {
            lens,
            lens_n,
            fields,
        })
    }

    fn parts(&self) -> [&[u8]; 10] {
        let mut out: [&[u8]; 10] = [&[]; 10];
        for (i, ((l, n), f)) in self
            .lens
            .iter()
            .zip(self.lens_n.iter())
            .zip(self.fields.iter())
            .enumerate()
        {
            if let Some(d) = out.get_mut(i.saturating_mul(2)) {
                *d = l.get(..*n).unwrap_or(&[]);
            }
            if let Some(d) = out.get_mut(i.saturating_mul(2).saturating_add(1)) {
                *d = f;
            }
        }
        out
    }
}

#[inline]
fn resolve_system_title(
    c: &CipheredApdu<'_>,
    given: Option<[u8; 8]>,
) -> Result<[u8; 8], SecurityError> {
    // The APDU's own system title (general-glo/-ded, general-ciphering) is the
    // sender's and wins; service-specific APDUs need the caller's.
    c.system_title
        .or(given)
        .ok_or(SecurityError::MissingSystemTitle)
}

/// The outer tag of a service-specific ciphered APDU is not authenticated by
/// GCM; the protected APDU's own tag is, so the two must agree.
#[inline]
fn check_inner_tag(inner: Option<u8>, plain: &[u8]) -> Result<(), SecurityError> {
    match inner {
        Some(t) if plain.first() != Some(&t) => Err(SecurityError::malformed(
            "ciphered apdu tag",
            "does not match the tag of the protected apdu",
        )),
        _ => Ok(()),
    }
}

#[inline]
fn check_policy(sc: SecurityControl, require_authentication: bool) -> Result<(), SecurityError> {
    if require_authentication && !sc.is_authenticated() {
        return Err(SecurityError::Policy(
            "apdu is not authenticated and the keys require authentication",
        ));
    }
    Ok(())
}

/// The key material one decryption uses: a prepared cipher, or a raw key prepared
/// for this call only.
pub(crate) struct Material<'k> {
    pub(crate) raw: Option<&'k SecurityKeys>,
    pub(crate) prepared: Option<&'k PreparedKeys>,
}

impl Material<'_> {
    #[inline]
    fn require_authentication(&self) -> bool {
        self.raw.is_some_and(|k| k.require_authentication)
            || self
                .prepared
                .is_some_and(PreparedKeys::requires_authentication)
    }
    #[inline]
    fn ak(&self) -> Option<&Key> {
        match (self.prepared, self.raw) {
            (Some(p), _) => p.authentication(),
            (None, Some(k)) => k.authentication.as_ref(),
            (None, None) => None,
        }
    }
}

/// Decrypts `c` into `out` with `keys`; with [`TagCheck::Skip`] the tag is not
/// checked (and the authentication key not needed).
#[inline]
pub(crate) fn decrypt_core<'o>(
    c: &CipheredApdu<'_>,
    keys: &Material<'_>,
    system_title: Option<[u8; 8]>,
    out: &'o mut [u8],
    check: TagCheck,
) -> Result<(&'o [u8], SecurityHeader, Verification), SecurityError> {
    let st = resolve_system_title(c, system_title)?;
    check_policy(c.security_control, keys.require_authentication())?;
    let key_use = c.key_use()?;
    let owned;
    let key: &gcm::Cipher = match (keys.prepared, keys.raw) {
        (Some(p), _) => p.cipher(key_use)?,
        (None, Some(k)) => {
            owned = gcm::Cipher::for_mode(
                key_use.select(k)?,
                c.security_control,
                c.general.is_some() || check == TagCheck::Skip,
            );
            &owned
        }
        (None, None) => return Err(SecurityError::MissingKey("encryption")),
    };
    let n = c.plaintext_len();
    let available = out.len();
    let dst = out.get_mut(..n).ok_or(SecurityError::BufferTooSmall {
        needed: n,
        available,
    })?;
    let src = c.payload.get(..n).unwrap_or(&[]);
    // general-ciphering only: the common envelopes skip building the extra AAD.
    let gc = c
        .general
        .as_ref()
        .and_then(|g| GcAad::new(c.security_control, Some(g)));
    let extra = gc.as_ref().map(GcAad::parts);
    let params = gcm::Params {
        key,
        ak: keys.ak(),
        sc: c.security_control,
        system_title: &st,
        invocation_counter: c.invocation_counter,
        extra_aad: extra.as_ref().map_or(&[][..], |e| &e[..]),
    };
    let verification = match (check, c.security_control.is_authenticated()) {
        (_, false) => Verification::NoTag,
        (TagCheck::Verify, true) => Verification::Verified,
        (TagCheck::Skip, true) => Verification::NotVerified,
    };
    let opened = if verification == Verification::NotVerified {
        dst.copy_from_slice(src);
        gcm::open_unverified(&params, dst)
    } else {
        gcm::open_from(&params, src, dst, c.tag_bytes())
    };
    if let Err(e) = opened.and_then(|()| check_inner_tag(c.inner_tag, dst)) {
        dst.fill(0);
        return Err(e);
    }
    Ok((dst, SecurityHeader::of(c, st, key_use), verification))
}

/// Decrypts / verifies a parsed ciphered APDU into `out`; returns the
/// unprotected APDU (a prefix of `out`) and the header.
pub fn decrypt_parsed<'o>(
    c: &CipheredApdu<'_>,
    keys: &SecurityKeys,
    system_title: Option<[u8; 8]>,
    out: &'o mut [u8],
) -> Result<(&'o [u8], SecurityHeader), SecurityError> {
    let m = Material {
        raw: Some(keys),
        prepared: None,
    };
    decrypt_core(c, &m, system_title, out, TagCheck::Verify).map(|(p, h, _)| (p, h))
}

/// Decrypts (and/or verifies) one ciphered APDU — glo-/ded- service-specific,
/// general-glo-, general-ded-ciphering or general-ciphering — into `out` and
/// returns the unprotected APDU, ready for the APDU parser.
///
/// `system_title` is the sender's system title; it is required for
/// service-specific APDUs and ignored when the APDU carries its own.
/// A wrong key or any changed byte gives [`SecurityError::AuthenticationFailed`]
/// (for authenticated security control only; encryption-only APDUs carry no tag).
pub fn decrypt_apdu<'o>(
    apdu: &[u8],
    keys: &SecurityKeys,
    system_title: Option<[u8; 8]>,
    out: &'o mut [u8],
) -> Result<&'o [u8], SecurityError> {
    let c = CipheredApdu::parse(apdu)?;
    decrypt_parsed(&c, keys, system_title, out).map(|(p, _)| p)
}

fn offset_in(base: &[u8], part: &[u8]) -> core::ops::Range<usize> {
    let start = (part.as_ptr() as usize).wrapping_sub(base.as_ptr() as usize);
    start..start.saturating_add(part.len())
}

/// Decrypts a ciphered APDU in place: the plaintext replaces the ciphertext
/// inside `buf`; returns the header and the plaintext's range in `buf`.
pub fn decrypt_apdu_in_place(
    buf: &mut [u8],
    keys: &SecurityKeys,
    system_title: Option<[u8; 8]>,
) -> Result<(SecurityHeader, core::ops::Range<usize>), SecurityError> {
    let (header, offset, n, tag, ranges, inner_tag) = {
        let c = CipheredApdu::parse(buf)?;
        let st = resolve_system_title(&c, system_title)?;
        check_policy(c.security_control, keys.require_authentication)?;
        let key_use = c.key_use()?;
        let mut tag = [0u8; TAG_LEN];
        let has_tag = match c.tag_bytes() {
            Some(t) => {
                tag.copy_from_slice(t);
                true
            }
            None => false,
        };
        let ranges = GcAad::new(c.security_control, c.general.as_ref())
            .map(|g| g.fields.map(|p| offset_in(buf, p)));
        let h = SecurityHeader::of(&c, st, key_use);
        (
            h,
            c.payload_offset,
            c.plaintext_len(),
            has_tag.then_some(tag),
            ranges,
            c.inner_tag,
        )
    };
    let key = gcm::Cipher::for_mode(
        header.key_use.select(keys)?,
        header.security_control,
        ranges.is_some(),
    );
    let (head, tail) = buf.split_at_mut(offset);
    let head: &[u8] = head;
    let fields: Option<GeneralCipheringFields<'_>> = ranges.as_ref().map(|r| {
        let [a, b, c, d, e] = r.clone().map(|r| head.get(r).unwrap_or(&[]));
        GeneralCipheringFields {
            transaction_id: a,
            originator_system_title: b,
            recipient_system_title: c,
            date_time: d,
            other_information: e,
            key_info: None,
        }
    });
    let gc = GcAad::new(header.security_control, fields.as_ref());
    let extra = gc.as_ref().map(GcAad::parts);
    let dst = tail.get_mut(..n).ok_or(SecurityError::malformed(
        "ciphered content",
        "shorter than declared",
    ))?;
    let params = gcm::Params {
        key: &key,
        ak: keys.authentication.as_ref(),
        sc: header.security_control,
        system_title: &header.system_title,
        invocation_counter: header.invocation_counter,
        extra_aad: extra.as_ref().map_or(&[][..], |e| &e[..]),
    };
    gcm::open_in_place(&params, dst, tag.as_ref().map(|t| &t[..]))?;
    check_inner_tag(inner_tag, dst)?;
    Ok((header, offset..offset.saturating_add(n)))
}

/// Decrypts into a new `Vec` (alloc convenience for [`decrypt_apdu`]).
#[cfg(feature = "alloc")]
pub fn decrypt_apdu_vec(
    apdu: &[u8],
    keys: &SecurityKeys,
    system_title: Option<[u8; 8]>,
) -> Result<alloc::vec::Vec<u8>, SecurityError> {
    let c = CipheredApdu::parse(apdu)?;
    let mut out = alloc::vec![0u8; c.plaintext_len()];
    decrypt_parsed(&c, keys, system_title, &mut out)?;
    Ok(out)
}

/// How to protect an APDU.
#[derive(Debug, Clone, Copy)]
pub struct Protection<'a> {
    /// Envelope to produce.
    pub envelope: Envelope,
    /// Security control byte (suite, authentication, encryption, broadcast).
    pub security_control: SecurityControl,
    /// Invocation counter (the caller increments it for every APDU).
    pub invocation_counter: u32,
    /// The sender's (our) system title.
    pub system_title: [u8; SYSTEM_TITLE_LEN],
    /// For [`Envelope::GeneralCiphering`]: the extra fields (the originator
    /// system title is taken from `system_title` when left empty).
    pub general: Option<GeneralCipheringFields<'a>>,
}

impl<'a> Protection<'a> {
    /// A protection without general-ciphering fields.
    pub const fn new(
        envelope: Envelope,
        security_control: SecurityControl,
        invocation_counter: u32,
        system_title: [u8; 8],
    ) -> Self {
        Protection {
            envelope,
            security_control,
            invocation_counter,
            system_title,
            general: None,
        }
    }

    fn key_use(&self) -> KeyUse {
        match (
            self.envelope,
            self.general.as_ref().and_then(|g| g.key_info),
        ) {
            (Envelope::Ded | Envelope::GeneralDed, _) => KeyUse::Dedicated,
            (_, Some(KeyInfo::IdentifiedKey { key_id: 1 })) => KeyUse::GlobalBroadcast,
            (_, Some(KeyInfo::IdentifiedKey { .. })) => KeyUse::GlobalUnicast,
            _ if self.security_control.is_broadcast() => KeyUse::GlobalBroadcast,
            _ => KeyUse::GlobalUnicast,
        }
    }

    fn general_fields(&self) -> GeneralCipheringFields<'_> {
        let mut g = self.general.unwrap_or(GeneralCipheringFields {
            transaction_id: &[],
            originator_system_title: &[],
            recipient_system_title: &[],
            date_time: &[],
            other_information: &[],
            key_info: Some(KeyInfo::IdentifiedKey { key_id: 0 }),
        });
        if g.originator_system_title.is_empty() {
            g.originator_system_title = &self.system_title;
        }
        g
    }

    /// Bytes [`encrypt_apdu`] writes for a `plain_len`-byte APDU.
    pub fn encrypted_len(&self, plain_len: usize) -> usize {
        let tag = if self.security_control.is_authenticated() {
            TAG_LEN
        } else {
            0
        };
        let content = plain_len.saturating_add(5).saturating_add(tag);
        let mut n = 1usize
            .saturating_add(length_len(content))
            .saturating_add(content);
        match self.envelope {
            Envelope::Glo | Envelope::Ded => {}
            Envelope::GeneralGlo | Envelope::GeneralDed => {
                n = n.saturating_add(1 + SYSTEM_TITLE_LEN)
            }
            Envelope::GeneralCiphering => {
                let g = self.general_fields();
                for f in g.octet_fields() {
                    n = n
                        .saturating_add(length_len(f.len()))
                        .saturating_add(f.len());
                }
                n = n.saturating_add(match g.key_info {
                    None => 1,
                    Some(KeyInfo::IdentifiedKey { .. }) => 3,
                    Some(KeyInfo::WrappedKey {
                        key_ciphered_data, ..
                    }) => 3usize
                        .saturating_add(length_len(key_ciphered_data.len()))
                        .saturating_add(key_ciphered_data.len()),
                    Some(KeyInfo::AgreedKey {
                        key_parameters: a,
                        key_ciphered_data: b,
                    }) => 2usize
                        .saturating_add(length_len(a.len()))
                        .saturating_add(a.len())
                        .saturating_add(length_len(b.len()))
                        .saturating_add(b.len()),
                });
            }
        }
        n
    }
}

struct Out<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl Out<'_> {
    fn byte(&mut self, b: u8) -> Result<(), SecurityError> {
        self.bytes(&[b])
    }
    fn bytes(&mut self, b: &[u8]) -> Result<(), SecurityError> {
        let end = self.pos.saturating_add(b.len());
        let available = self.buf.len();
        self.buf
            .get_mut(self.pos..end)
            .ok_or(SecurityError::BufferTooSmall {
                needed: end,
                available,
            })?
            .copy_from_slice(b);
        self.pos = end;
        Ok(())
    }
    fn len(&mut self, n: usize) -> Result<(), SecurityError> {
        let w = write_length(self.buf.get_mut(self.pos..).unwrap_or(&mut []), n)?;
        self.pos = self.pos.saturating_add(w);
        Ok(())
    }
    fn octets(&mut self, b: &[u8]) -> Result<(), SecurityError> {
        self.len(b.len())?;
        self.bytes(b)
    }
}

/// Protects `plain` (a complete xDLMS APDU) and writes the ciphered APDU into
/// `out`; returns the number of bytes written.
///
/// For [`Envelope::Glo`] / [`Envelope::Ded`] the ciphered tag is derived from
/// the plain APDU's tag (e.g. get-request 0xC0 → glo-get-request 0xC8); APDUs
/// without a service-specific form (data-notification) need a general envelope.
pub fn encrypt_apdu(
    plain: &[u8],
    p: &Protection<'_>,
    keys: &SecurityKeys,
    out: &mut [u8],
) -> Result<usize, SecurityError> {
    let needed = p.encrypted_len(plain.len());
    if out.len() < needed {
        return Err(SecurityError::BufferTooSmall {
            needed,
            available: out.len(),
        });
    }
    let key = gcm::Cipher::for_mode(
        p.key_use().select(keys)?,
        p.security_control,
        p.envelope == Envelope::GeneralCiphering,
    );
    let sc = p.security_control;
    let tag_len = if sc.is_authenticated() { TAG_LEN } else { 0 };
    let content_len = plain.len().saturating_add(5).saturating_add(tag_len);
    let g = p.general_fields();
    let mut o = Out { buf: out, pos: 0 };
    match p.envelope {
        Envelope::Glo | Envelope::Ded => {
            let first = *plain
                .first()
                .ok_or(SecurityError::malformed("apdu", "empty"))?;
            let t = header::ciphered_tag(first, p.envelope == Envelope::Ded).ok_or(
                SecurityError::unsupported("service-specific ciphering of tag", u32::from(first)),
            )?;
            o.byte(t)?;
        }
        Envelope::GeneralGlo | Envelope::GeneralDed => {
            o.byte(if p.envelope == Envelope::GeneralGlo {
                header::TAG_GENERAL_GLO
            } else {
                header::TAG_GENERAL_DED
            })?;
            o.octets(&p.system_title)?;
        }
        Envelope::GeneralCiphering => {
            o.byte(header::TAG_GENERAL_CIPHERING)?;
            for f in g.octet_fields() {
                o.octets(f)?;
            }
            match g.key_info {
                None => o.byte(0)?,
                Some(KeyInfo::IdentifiedKey { key_id }) => o.bytes(&[1, 0, key_id])?,
                Some(KeyInfo::WrappedKey {
                    kek_id,
                    key_ciphered_data,
                }) => {
                    o.bytes(&[1, 1, kek_id])?;
                    o.octets(key_ciphered_data)?;
                }
                Some(KeyInfo::AgreedKey {
                    key_parameters,
                    key_ciphered_data,
                }) => {
                    o.bytes(&[1, 2])?;
                    o.octets(key_parameters)?;
                    o.octets(key_ciphered_data)?;
                }
            }
        }
    }
    o.len(content_len)?;
    o.byte(sc.0)?;
    o.bytes(&p.invocation_counter.to_be_bytes())?;
    let start = o.pos;
    o.bytes(plain)?;
    let end = o.pos;
    let gc = if p.envelope == Envelope::GeneralCiphering {
        GcAad::new(sc, Some(&g))
    } else {
        None
    };
    let extra = gc.as_ref().map(GcAad::parts);
    let st = if p.envelope == Envelope::GeneralCiphering {
        <[u8; 8]>::try_from(g.originator_system_title).map_err(|_| {
            SecurityError::Decode(meterwire_core::Error::Length {
                field: "originator-system-title",
                expected: SYSTEM_TITLE_LEN,
                actual: g.originator_system_title.len(),
            })
        })?
    } else {
        p.system_title
    };
    let params = gcm::Params {
        key: &key,
        ak: keys.authentication.as_ref(),
        sc,
        system_title: &st,
        invocation_counter: p.invocation_counter,
        extra_aad: extra.as_ref().map_or(&[][..], |e| &e[..]),
    };
    let region = o
        .buf
        .get_mut(start..end)
        .ok_or(SecurityError::BufferTooSmall {
            needed: end,
            available: 0,
        })?;
    if let Some(tag) = gcm::seal_in_place(&params, region)? {
        o.bytes(&tag)?;
    }
    Ok(o.pos)
}

/// Encrypts into a new `Vec` (alloc convenience for [`encrypt_apdu`]).
#[cfg(feature = "alloc")]
pub fn encrypt_apdu_vec(
    plain: &[u8],
    p: &Protection<'_>,
    keys: &SecurityKeys,
) -> Result<alloc::vec::Vec<u8>, SecurityError> {
    let mut out = alloc::vec![0u8; p.encrypted_len(plain.len())];
    let n = encrypt_apdu(plain, p, keys, &mut out)?;
    out.truncate(n);
    Ok(out)
}

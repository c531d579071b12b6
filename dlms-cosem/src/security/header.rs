//! Ciphered APDU envelopes: service-specific glo-/ded-ciphering, general-glo-,
//! general-ded-ciphering and general-ciphering (IEC 62056-5-3 §9.5, Green Book
//! 9.2.7.2 "Protecting xDLMS APDUs").
//!
//! This is a borrowed view: parsing copies nothing, and the byte offset of the
//! protected payload in the input is kept so that decryption can happen in place.

use meterwire_core::Error;

use super::SecurityError;
use super::keys::{KeyUse, SecurityControl};

/// APDU tag of general-glo-ciphering.
pub const TAG_GENERAL_GLO: u8 = 0xDB;
/// APDU tag of general-ded-ciphering.
pub const TAG_GENERAL_DED: u8 = 0xDC;
/// APDU tag of general-ciphering.
pub const TAG_GENERAL_CIPHERING: u8 = 0xDD;
/// APDU tag of general-block-transfer.
pub const TAG_GENERAL_BLOCK_TRANSFER: u8 = 0xE0;
/// Length of the GCM authentication tag in DLMS (96 bits).
pub const TAG_LEN: usize = 12;
/// Length of a system title.
pub const SYSTEM_TITLE_LEN: usize = 8;

/// The envelope an APDU is protected with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Envelope {
    /// Service-specific global ciphering (e.g. glo-get-request 0xC8); the
    /// system title comes from the association.
    Glo,
    /// Service-specific dedicated ciphering (e.g. ded-get-request 0xD0).
    Ded,
    /// general-glo-ciphering (0xDB): carries the system title.
    GeneralGlo,
    /// general-ded-ciphering (0xDC): carries the system title.
    GeneralDed,
    /// general-ciphering (0xDD): carries originator / recipient system titles.
    GeneralCiphering,
}

/// The tag of the unprotected APDU a service-specific ciphered tag stands for,
/// and whether it is global (`Glo`) or dedicated (`Ded`).
///
/// Green Book: glo-* tags are the plain tag + 0x20 (ACSE-era services
/// 0x01..0x18) or + 0x08 (LN services 0xC0..0xC7); ded-* are + 0x40 / + 0x10.
pub fn service_specific(tag: u8) -> Option<(Envelope, u8)> {
    const OLD: [u8; 9] = [0x01, 0x05, 0x06, 0x08, 0x0C, 0x0D, 0x0E, 0x16, 0x18];
    match tag {
        0xC8..=0xCF if tag != 0xCE => Some((Envelope::Glo, tag.wrapping_sub(0x08))),
        0xD0..=0xD7 if tag != 0xD6 => Some((Envelope::Ded, tag.wrapping_sub(0x10))),
        0x21..=0x38 if OLD.contains(&tag.wrapping_sub(0x20)) => {
            Some((Envelope::Glo, tag.wrapping_sub(0x20)))
        }
        0x41..=0x58 if OLD.contains(&tag.wrapping_sub(0x40)) => {
            Some((Envelope::Ded, tag.wrapping_sub(0x40)))
        }
        _ => None,
    }
}

/// The service-specific ciphered tag for a plain APDU tag, if the standard
/// defines one (data-notification 0x0F has none: use general-glo-ciphering).
pub fn ciphered_tag(plain_tag: u8, dedicated: bool) -> Option<u8> {
    const OLD: [u8; 9] = [0x01, 0x05, 0x06, 0x08, 0x0C, 0x0D, 0x0E, 0x16, 0x18];
    match plain_tag {
        0xC0..=0xC7 if plain_tag != 0xC6 => {
            Some(plain_tag.wrapping_add(if dedicated { 0x10 } else { 0x08 }))
        }
        t if OLD.contains(&t) => Some(t.wrapping_add(if dedicated { 0x40 } else { 0x20 })),
        _ => None,
    }
}

/// Key information of a general-ciphering APDU: the APDU parser's type (one model).
pub use crate::apdu::KeyInfo;

/// The extra fields of a general-ciphering APDU (they are also authenticated).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GeneralCipheringFields<'a> {
    /// transaction-id.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub transaction_id: &'a [u8],
    /// originator-system-title (used in the IV).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub originator_system_title: &'a [u8],
    /// recipient-system-title.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub recipient_system_title: &'a [u8],
    /// date-time (octet string, possibly empty).
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub date_time: &'a [u8],
    /// other-information.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub other_information: &'a [u8],
    /// key-info, when present.
    pub key_info: Option<KeyInfo<'a>>,
}

/// A parsed ciphered APDU: envelope, security header and protected payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CipheredApdu<'a> {
    /// The APDU tag (e.g. 0xDB).
    pub tag: u8,
    /// The envelope kind.
    pub envelope: Envelope,
    /// For service-specific envelopes, the tag of the protected APDU.
    pub inner_tag: Option<u8>,
    /// The system title carried in the APDU (general-glo/-ded; originator of
    /// general-ciphering), when it is 8 bytes long.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_opt_hex"))]
    pub system_title: Option<[u8; SYSTEM_TITLE_LEN]>,
    /// general-ciphering fields.
    pub general: Option<GeneralCipheringFields<'a>>,
    /// The security control byte.
    pub security_control: SecurityControl,
    /// The invocation counter (frame counter), big-endian u32 on the wire.
    pub invocation_counter: u32,
    /// Ciphertext or plaintext, followed by the 12-byte tag when authenticated.
    #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
    pub payload: &'a [u8],
    /// Offset of `payload` in the input.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub payload_offset: usize,
    /// Bytes of the input this APDU occupies.
    pub consumed: usize,
}

impl<'a> GeneralCipheringFields<'a> {
    /// The five octet-string fields in wire (and AAD) order: transaction-id,
    /// originator-, recipient-system-title, date-time, other-information.
    #[inline]
    pub fn octet_fields(&self) -> [&'a [u8]; 5] {
        [
            self.transaction_id,
            self.originator_system_title,
            self.recipient_system_title,
            self.date_time,
            self.other_information,
        ]
    }
}

#[cfg(feature = "serde")]
fn ser_hex<S: serde::Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&meterwire_core::Hex(v))
}

#[cfg(feature = "serde")]
fn ser_opt_hex<S: serde::Serializer>(
    v: &Option<[u8; SYSTEM_TITLE_LEN]>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(&meterwire_core::Hex(v)),
        None => s.serialize_none(),
    }
}

pub use meterwire_core::ber::{length_len, read_length};

/// Writes the BER length of `len` into `out` (minimal form, `meterwire_core::ber`);
/// returns the bytes written.
pub fn write_length(out: &mut [u8], len: usize) -> Result<usize, SecurityError> {
    let (b, n) = meterwire_core::ber::length_bytes(len)
        .map_err(|_| SecurityError::malformed("length", "longer than 4 length bytes"))?;
    let available = out.len();
    out.get_mut(..n)
        .ok_or(SecurityError::BufferTooSmall {
            needed: n,
            available,
        })?
        .copy_from_slice(b.get(..n).unwrap_or(&[]));
    Ok(n)
}

impl<'a> CipheredApdu<'a> {
    /// Parses a ciphered APDU starting at `apdu[0]` (the tag). Trailing bytes
    /// after the APDU are left (see `consumed`). The header is read by the APDU
    /// parser ([`crate::apdu::Ciphered`]): one model of a ciphered APDU.
    #[inline(always)]
    pub fn parse(apdu: &'a [u8]) -> Result<Self, SecurityError> {
        let tag = *apdu
            .first()
            .ok_or(SecurityError::Decode(Error::Truncated { needed: 1 }))?;
        if !crate::apdu::ciphered::is_ciphered_tag(tag) {
            return Err(SecurityError::NotCiphered(tag));
        }
        let (c, consumed) = crate::apdu::Ciphered::parse_prefix(apdu).map_err(|e| match e {
            crate::Error::Core(e) => SecurityError::Decode(e),
            _ => SecurityError::malformed("ciphered apdu", "invalid"),
        })?;
        let mut v = Self::from_ciphered(&c)?;
        v.consumed = consumed;
        v.payload_offset = (c.payload.as_ptr() as usize).wrapping_sub(apdu.as_ptr() as usize);
        Ok(v)
    }

    /// Which key protects this APDU (from the envelope, the key-info of
    /// general-ciphering and the broadcast bit).
    #[inline]
    pub fn key_use(&self) -> Result<KeyUse, SecurityError> {
        let dedicated = matches!(self.envelope, Envelope::Ded | Envelope::GeneralDed);
        if dedicated {
            return Ok(KeyUse::Dedicated);
        }
        if let Some(g) = &self.general {
            match g.key_info {
                Some(KeyInfo::IdentifiedKey { key_id: 0 }) => return Ok(KeyUse::GlobalUnicast),
                Some(KeyInfo::IdentifiedKey { key_id: 1 }) => {
                    return Ok(KeyUse::GlobalBroadcast);
                }
                Some(KeyInfo::IdentifiedKey { key_id: v }) => {
                    return Err(SecurityError::unsupported("key-id", u32::from(v)));
                }
                Some(KeyInfo::WrappedKey { .. }) => {
                    return Err(SecurityError::unsupported("key-info wrapped-key", 1));
                }
                Some(KeyInfo::AgreedKey { .. }) => {
                    return Err(SecurityError::unsupported("key-info agreed-key", 2));
                }
                None => {}
            }
        }
        Ok(if self.security_control.is_broadcast() {
            KeyUse::GlobalBroadcast
        } else {
            KeyUse::GlobalUnicast
        })
    }

    /// Length of the protected APDU once unprotected.
    #[inline]
    pub fn plaintext_len(&self) -> usize {
        if self.security_control.is_authenticated() {
            self.payload.len().saturating_sub(TAG_LEN)
        } else {
            self.payload.len()
        }
    }

    /// The received tag, when the APDU is authenticated.
    #[inline]
    pub fn tag_bytes(&self) -> Option<&'a [u8]> {
        if self.security_control.is_authenticated() {
            self.payload.get(self.plaintext_len()..)
        } else {
            None
        }
    }
}

impl<'a> CipheredApdu<'a> {
    /// Converts the APDU parser's [`Ciphered`](crate::apdu::Ciphered) view
    /// (from [`Apdu::parse`](crate::Apdu::parse)) so it can be decrypted with
    /// [`decrypt_parsed`](super::decrypt_parsed) without parsing again.
    /// `payload_offset` and `consumed` are unknown there and set to 0 (use
    /// [`decrypt_apdu_in_place`](super::decrypt_apdu_in_place) on raw bytes instead).
    #[inline]
    pub fn from_ciphered(c: &crate::apdu::Ciphered<'a>) -> Result<Self, SecurityError> {
        use crate::apdu::CipheringKind;
        let envelope = match c.kind {
            CipheringKind::Glo => Envelope::Glo,
            CipheringKind::Ded => Envelope::Ded,
            CipheringKind::GeneralGlo => Envelope::GeneralGlo,
            CipheringKind::GeneralDed => Envelope::GeneralDed,
            CipheringKind::General => Envelope::GeneralCiphering,
        };
        let st = c.system_title.unwrap_or(&[]);
        let system_title = <[u8; SYSTEM_TITLE_LEN]>::try_from(st).ok();
        if (!st.is_empty() || envelope == Envelope::GeneralCiphering) && system_title.is_none() {
            return Err(SecurityError::Decode(Error::Length {
                field: "system-title",
                expected: SYSTEM_TITLE_LEN,
                actual: st.len(),
            }));
        }
        let general = (envelope == Envelope::GeneralCiphering).then(|| GeneralCipheringFields {
            transaction_id: c.transaction_id.unwrap_or(&[]),
            originator_system_title: st,
            recipient_system_title: c.recipient_system_title.unwrap_or(&[]),
            date_time: c.date_time.unwrap_or(&[]),
            other_information: c.other_information.unwrap_or(&[]),
            key_info: c.key_info,
        });
        let security_control = SecurityControl(c.security_control.0);
        if security_control.is_authenticated() && c.payload.len() < TAG_LEN {
            return Err(SecurityError::Decode(Error::Truncated {
                needed: TAG_LEN.saturating_sub(c.payload.len()),
            }));
        }
        Ok(CipheredApdu {
            tag: c.tag,
            envelope,
            inner_tag: c.plain_tag,
            system_title,
            general,
            security_control,
            invocation_counter: c.invocation_counter,
            payload: c.payload,
            payload_offset: 0,
            consumed: 0,
        })
    }
}

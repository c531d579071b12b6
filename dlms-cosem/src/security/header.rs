//! Ciphered APDU envelopes: service-specific glo-/ded-ciphering, general-glo-,
//! general-ded-ciphering and general-ciphering (IEC 62056-5-3 §9.5, Green Book
//! 9.2.7.2 "Protecting xDLMS APDUs").
//!
//! This is a borrowed view: parsing copies nothing, and the byte offset of the
//! protected payload in the input is kept so that decryption can happen in place.

use meterwire_core::{Cursor, Error};

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

/// Key information of a general-ciphering APDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum KeyInfo<'a> {
    /// identified-key: 0 global unicast, 1 global broadcast.
    Identified(u8),
    /// wrapped-key: KEK id and the wrapped key (not supported for decryption).
    Wrapped {
        /// Key-encrypting key id.
        kek_id: u8,
        /// The wrapped key.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        key_ciphered_data: &'a [u8],
    },
    /// agreed-key: ECDH parameters (not supported for decryption).
    Agreed {
        /// Key parameters.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        key_parameters: &'a [u8],
        /// Key-ciphered data.
        #[cfg_attr(feature = "serde", serde(serialize_with = "ser_hex"))]
        key_ciphered_data: &'a [u8],
    },
}

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

#[cfg(feature = "serde")]
fn ser_hex<S: serde::Serializer>(v: &&[u8], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&HexDisplay(v))
}

#[cfg(feature = "serde")]
fn ser_opt_hex<S: serde::Serializer>(
    v: &Option<[u8; SYSTEM_TITLE_LEN]>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.collect_str(&HexDisplay(v)),
        None => s.serialize_none(),
    }
}

/// Lower-case hex formatting of bytes without allocation.
pub struct HexDisplay<'a>(pub &'a [u8]);

impl core::fmt::Display for HexDisplay<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Reads an A-XDR / BER length (short form, or 0x81..0x84 long form).
pub fn read_length(c: &mut Cursor<'_>) -> Result<usize, Error> {
    let first = c.read_u8()?;
    if first < 0x80 {
        return Ok(usize::from(first));
    }
    let n = usize::from(first & 0x7F);
    if n == 0 || n > 4 {
        return Err(Error::Malformed {
            field: "length",
            reason: "expected 1 to 4 length bytes",
        });
    }
    let v = c.read_uint_be(n)?;
    usize::try_from(v).map_err(|_| Error::Length {
        field: "length",
        expected: usize::MAX,
        actual: usize::MAX,
    })
}

/// Bytes [`write_length`] uses for `len`.
pub const fn length_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else if len <= 0xFF {
        2
    } else if len <= 0xFFFF {
        3
    } else {
        5
    }
}

/// Writes an A-XDR length; returns bytes written.
pub fn write_length(out: &mut [u8], len: usize) -> Result<usize, SecurityError> {
    let n = length_len(len);
    let available = out.len();
    let dst = out.get_mut(..n).ok_or(SecurityError::BufferTooSmall {
        needed: n,
        available,
    })?;
    let be = (len as u64).to_be_bytes();
    match dst {
        [a] => *a = be[7],
        [a, b] => {
            *a = 0x81;
            *b = be[7];
        }
        [a, b, c] => {
            *a = 0x82;
            *b = be[6];
            *c = be[7];
        }
        [a, rest @ ..] => {
            *a = 0x84;
            rest.copy_from_slice(be.get(4..).unwrap_or(&[0; 4]));
        }
        [] => {}
    }
    Ok(n)
}

fn octet_string<'a>(c: &mut Cursor<'a>) -> Result<&'a [u8], Error> {
    let n = read_length(c)?;
    c.take(n)
}

impl<'a> CipheredApdu<'a> {
    /// Parses a ciphered APDU starting at `apdu[0]` (the tag). Trailing bytes
    /// after the APDU are left (see `consumed`).
    pub fn parse(apdu: &'a [u8]) -> Result<Self, SecurityError> {
        let mut c = Cursor::new(apdu);
        let tag = c.read_u8()?;
        let mut system_title = None;
        let mut general = None;
        let (envelope, inner_tag, content) = match tag {
            TAG_GENERAL_GLO | TAG_GENERAL_DED => {
                let st = octet_string(&mut c)?;
                system_title = <[u8; SYSTEM_TITLE_LEN]>::try_from(st).ok();
                if !st.is_empty() && system_title.is_none() {
                    return Err(SecurityError::Decode(Error::Length {
                        field: "system-title",
                        expected: SYSTEM_TITLE_LEN,
                        actual: st.len(),
                    }));
                }
                let env = if tag == TAG_GENERAL_GLO {
                    Envelope::GeneralGlo
                } else {
                    Envelope::GeneralDed
                };
                (env, None, octet_string(&mut c)?)
            }
            TAG_GENERAL_CIPHERING => {
                let transaction_id = octet_string(&mut c)?;
                let originator_system_title = octet_string(&mut c)?;
                let recipient_system_title = octet_string(&mut c)?;
                let date_time = octet_string(&mut c)?;
                let other_information = octet_string(&mut c)?;
                let key_info = match c.read_u8()? {
                    0 => None,
                    1 => Some(match c.read_u8()? {
                        0 => KeyInfo::Identified(c.read_u8()?),
                        1 => KeyInfo::Wrapped {
                            kek_id: c.read_u8()?,
                            key_ciphered_data: octet_string(&mut c)?,
                        },
                        2 => KeyInfo::Agreed {
                            key_parameters: octet_string(&mut c)?,
                            key_ciphered_data: octet_string(&mut c)?,
                        },
                        v => {
                            return Err(SecurityError::unsupported(
                                "key-info choice",
                                u32::from(v),
                            ));
                        }
                    }),
                    _ => {
                        return Err(SecurityError::malformed(
                            "key-info",
                            "expected optional flag 0 or 1",
                        ));
                    }
                };
                // The originator's system title is the IV's first half: required.
                system_title = Some(
                    <[u8; SYSTEM_TITLE_LEN]>::try_from(originator_system_title).map_err(|_| {
                        SecurityError::Decode(Error::Length {
                            field: "originator-system-title",
                            expected: SYSTEM_TITLE_LEN,
                            actual: originator_system_title.len(),
                        })
                    })?,
                );
                general = Some(GeneralCipheringFields {
                    transaction_id,
                    originator_system_title,
                    recipient_system_title,
                    date_time,
                    other_information,
                    key_info,
                });
                (Envelope::GeneralCiphering, None, octet_string(&mut c)?)
            }
            t => match service_specific(t) {
                Some((env, inner)) => (env, Some(inner), octet_string(&mut c)?),
                None => return Err(SecurityError::NotCiphered(t)),
            },
        };
        let consumed = c.position();
        let mut h = Cursor::new(content);
        let sc = SecurityControl(h.read_u8()?);
        let invocation_counter = h.read_u32_be()?;
        let payload = h.rest();
        let payload_offset = consumed.saturating_sub(payload.len());
        if sc.is_authenticated() && payload.len() < TAG_LEN {
            return Err(SecurityError::Decode(Error::Truncated {
                needed: TAG_LEN.saturating_sub(payload.len()),
            }));
        }
        Ok(CipheredApdu {
            tag,
            envelope,
            inner_tag,
            system_title,
            general,
            security_control: sc,
            invocation_counter,
            payload,
            payload_offset,
            consumed,
        })
    }

    /// Which key protects this APDU (from the envelope, the key-info of
    /// general-ciphering and the broadcast bit).
    pub fn key_use(&self) -> Result<KeyUse, SecurityError> {
        let dedicated = matches!(self.envelope, Envelope::Ded | Envelope::GeneralDed);
        if dedicated {
            return Ok(KeyUse::Dedicated);
        }
        if let Some(g) = &self.general {
            match g.key_info {
                Some(KeyInfo::Identified(0)) => return Ok(KeyUse::GlobalUnicast),
                Some(KeyInfo::Identified(1)) => return Ok(KeyUse::GlobalBroadcast),
                Some(KeyInfo::Identified(v)) => {
                    return Err(SecurityError::unsupported("key-id", u32::from(v)));
                }
                Some(KeyInfo::Wrapped { .. }) => {
                    return Err(SecurityError::unsupported("key-info wrapped-key", 1));
                }
                Some(KeyInfo::Agreed { .. }) => {
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
    pub fn plaintext_len(&self) -> usize {
        if self.security_control.is_authenticated() {
            self.payload.len().saturating_sub(TAG_LEN)
        } else {
            self.payload.len()
        }
    }

    /// The received tag, when the APDU is authenticated.
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
            key_info: c.key_info.map(|k| match k {
                crate::apdu::KeyInfo::IdentifiedKey { key_id } => KeyInfo::Identified(key_id),
                crate::apdu::KeyInfo::WrappedKey {
                    kek_id,
                    key_ciphered_data,
                } => KeyInfo::Wrapped {
                    kek_id,
                    key_ciphered_data,
                },
                crate::apdu::KeyInfo::AgreedKey {
                    key_parameters,
                    key_ciphered_data,
                } => KeyInfo::Agreed {
                    key_parameters,
                    key_ciphered_data,
                },
            }),
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

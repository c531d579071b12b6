//! Ciphered APDUs: the security headers of glo-/ded- services, general-glo-/ded-ciphering,
//! general-ciphering and general-signing (DLMS UA Green Book, 9.2.7 "xDLMS APDUs protected
//! by cryptographic methods"; IEC 62056-5-3 clause 9.5 ASN.1).
//!
//! Parsing only exposes the headers and the protected bytes; decrypting them is the
//! `security` module's job.

use super::common::emit_optional;
use crate::error::{Error, Result};
use crate::util::{Sink, octets_len, read_octets};
#[cfg(test)]
use meterwire_core::Encode;
use meterwire_core::{Cursor, EncodeError};

/// Length of the GCM authentication tag appended to authenticated APDUs (96 bits).
pub const AUTH_TAG_LEN: usize = 12;

/// The security control byte (Green Book 9.2.7.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct SecurityControl(pub u8);

impl SecurityControl {
    /// Authentication bit.
    pub const AUTHENTICATED: u8 = 0x10;
    /// Encryption bit.
    pub const ENCRYPTED: u8 = 0x20;
    /// Broadcast key bit.
    pub const BROADCAST: u8 = 0x40;
    /// Compression bit.
    pub const COMPRESSED: u8 = 0x80;

    /// Builds a security control byte.
    pub const fn new(suite: u8, authenticated: bool, encrypted: bool) -> Self {
        let mut b = suite & 0x0F;
        if authenticated {
            b |= Self::AUTHENTICATED;
        }
        if encrypted {
            b |= Self::ENCRYPTED;
        }
        SecurityControl(b)
    }

    /// With the broadcast bit set.
    #[must_use]
    pub const fn broadcast(self) -> Self {
        SecurityControl(self.0 | Self::BROADCAST)
    }

    /// Security suite id (0 = AES-GCM-128, 1 = AES-GCM-128 + ECDH P-256, 2 = AES-GCM-256 + P-384).
    pub const fn suite(self) -> u8 {
        self.0 & 0x0F
    }
    /// Security suite id (bits 0-3): 0 = AES-GCM-128, 1 = ECDH P-256 + AES-GCM-128, 2 = P-384 + AES-GCM-256.
    pub const fn suite_id(self) -> u8 {
        self.suite()
    }

    crate::util::flag_bits! {
        /// Authentication requested.
        is_authenticated = Self::AUTHENTICATED;
        /// Encryption requested.
        is_encrypted = Self::ENCRYPTED;
        /// Broadcast key used.
        is_broadcast = Self::BROADCAST;
        /// Compression requested (not supported by this crate).
        is_compressed = Self::COMPRESSED;
        /// Authentication (bit 4): an authentication tag is appended.
        authentication = Self::AUTHENTICATED;
        /// Encryption (bit 5): the information is encrypted.
        encryption = Self::ENCRYPTED;
        /// Key set (bit 6): broadcast key when set, unicast key otherwise.
        broadcast_key = Self::BROADCAST;
        /// Compression (bit 7).
        compression = Self::COMPRESSED;
    }
}

/// Which ciphering framing an APDU uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum CipheringKind {
    /// A glo-xxx service tag (global key), e.g. glo-get-request 0xC8 or glo-initiateRequest 0x21.
    Glo,
    /// A ded-xxx service tag (dedicated key), e.g. ded-get-request 0xD0.
    Ded,
    /// general-glo-ciphering 0xDB (carries the system title).
    GeneralGlo,
    /// general-ded-ciphering 0xDC (carries the system title).
    GeneralDed,
    /// general-ciphering 0xDD (transaction id, both system titles, key info).
    General,
}

/// Key information of general-ciphering (`Key-Info` CHOICE).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "fuzzing", derive(arbitrary::Arbitrary))]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum KeyInfo<'a> {
    /// `identified-key [0]`: 0 = global unicast encryption key, 1 = global broadcast.
    IdentifiedKey {
        /// The key id.
        key_id: u8,
    },
    /// `wrapped-key [1]`.
    WrappedKey {
        /// The key-encryption-key id (0 = master key).
        kek_id: u8,
        /// The wrapped key.
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        key_ciphered_data: &'a [u8],
    },
    /// `agreed-key [2]`.
    AgreedKey {
        /// Key parameters (0x01 = one-pass Diffie-Hellman, 0x02 = static unified model).
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        key_parameters: &'a [u8],
        /// Ephemeral public key and signature.
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        key_ciphered_data: &'a [u8],
    },
}

impl<'a> KeyInfo<'a> {
    fn parse(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            0 => Ok(KeyInfo::IdentifiedKey {
                key_id: c.read_u8()?,
            }),
            1 => Ok(KeyInfo::WrappedKey {
                kek_id: c.read_u8()?,
                key_ciphered_data: read_octets(c)?,
            }),
            2 => Ok(KeyInfo::AgreedKey {
                key_parameters: read_octets(c)?,
                key_ciphered_data: read_octets(c)?,
            }),
            v => Err(Error::unsupported("key-info choice", u32::from(v))),
        }
    }

    fn write<S: Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        match self {
            KeyInfo::IdentifiedKey { key_id } => {
                w.put_u8(0)?;
                w.put_u8(*key_id)
            }
            KeyInfo::WrappedKey {
                kek_id,
                key_ciphered_data,
            } => {
                w.put_u8(1)?;
                w.put_u8(*kek_id)?;
                w.put_octets(key_ciphered_data)
            }
            KeyInfo::AgreedKey {
                key_parameters,
                key_ciphered_data,
            } => {
                w.put_u8(2)?;
                w.put_octets(key_parameters)?;
                w.put_octets(key_ciphered_data)
            }
        }
    }
}

/// A ciphered APDU: its security header and protected bytes, borrowed.
///
/// `payload` is what follows the security header: `ciphertext || tag` (SC 0x30),
/// `plaintext || tag` (SC 0x10, authentication only) or `ciphertext` (SC 0x20).
/// Serialized with the byte fields as hex strings (or null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ciphered<'a> {
    /// The APDU tag (0x21..0x31 glo, 0x41..0x51 ded, 0xC8..0xCF glo, 0xD0..0xD7 ded, 0xDB, 0xDC, 0xDD).
    pub tag: u8,
    /// The ciphering framing.
    pub kind: CipheringKind,
    /// For glo-/ded- tags, the tag of the plain service it protects (e.g. 0xC0 for 0xC8).
    pub plain_tag: Option<u8>,
    /// Transaction id (general-ciphering only).
    pub transaction_id: Option<&'a [u8]>,
    /// The sender's system title (general-glo/ded-ciphering and general-ciphering);
    /// `None` for glo-/ded- tags, where it comes from the association (AARQ/AARE).
    pub system_title: Option<&'a [u8]>,
    /// The recipient's system title (general-ciphering only).
    pub recipient_system_title: Option<&'a [u8]>,
    /// Date-time octet string (general-ciphering only; may be empty).
    pub date_time: Option<&'a [u8]>,
    /// Other information (general-ciphering only; may be empty).
    pub other_information: Option<&'a [u8]>,
    /// Key info (general-ciphering only; optional there).
    pub key_info: Option<KeyInfo<'a>>,
    /// The security control byte.
    pub security_control: SecurityControl,
    /// The invocation counter (frame counter), big-endian on the wire.
    pub invocation_counter: u32,
    /// Ciphertext and/or plaintext plus tag, after the 5-byte security header.
    pub payload: &'a [u8],
}

#[cfg(feature = "serde")]
impl serde::Serialize for Ciphered<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Ciphered", 12)?;
        m.serialize_field("tag", &self.tag)?;
        m.serialize_field("kind", &self.kind)?;
        m.serialize_field("plain_tag", &self.plain_tag)?;
        for (name, v) in [
            ("transaction_id", self.transaction_id),
            ("system_title", self.system_title),
            ("recipient_system_title", self.recipient_system_title),
            ("date_time", self.date_time),
            ("other_information", self.other_information),
        ] {
            m.serialize_field(name, &crate::util::hex_serde::OptHex(v))?;
        }
        m.serialize_field("key_info", &self.key_info)?;
        m.serialize_field("security_control", &self.security_control)?;
        m.serialize_field("invocation_counter", &self.invocation_counter)?;
        m.serialize_field("payload", &crate::util::HexStr(self.payload))?;
        m.end()
    }
}

/// The plain service tag a glo-/ded- tag protects, or `None` if `tag` is not one.
#[inline]
pub const fn plain_tag_of(tag: u8) -> Option<(CipheringKind, u8)> {
    match tag {
        // glo-initiateRequest [33] .. glo-informationReportRequest [56] (plain + 0x20;
        // IEC 62056-5-3 9.5: unconfirmedWriteRequest [22] -> [54], informationReport [24] -> [56])
        0x21 | 0x25 | 0x26 | 0x28 | 0x2C | 0x2D | 0x2E | 0x36 | 0x38 => {
            Some((CipheringKind::Glo, tag.wrapping_sub(0x20)))
        }
        // ded- legacy (plain + 0x40)
        0x41 | 0x45 | 0x46 | 0x48 | 0x4C | 0x4D | 0x4E | 0x56 | 0x58 => {
            Some((CipheringKind::Ded, tag.wrapping_sub(0x40)))
        }
        // glo-get-request .. glo-action-response (0xC8..0xCF = plain + 8)
        0xC8..=0xCF => Some((CipheringKind::Glo, tag.wrapping_sub(8))),
        // ded-get-request .. ded-action-response (0xD0..0xD7 = plain + 0x10)
        0xD0..=0xD7 => Some((CipheringKind::Ded, tag.wrapping_sub(0x10))),
        _ => None,
    }
}

/// `true` if `tag` starts a ciphered APDU this module parses.
pub const fn is_ciphered_tag(tag: u8) -> bool {
    matches!(tag, 0xDB..=0xDD) || plain_tag_of(tag).is_some()
}

/// The fields general-ciphering has before its ciphered content.
#[derive(Clone, Copy)]
struct GeneralFields<'a> {
    transaction_id: &'a [u8],
    system_title: &'a [u8],
    recipient_system_title: &'a [u8],
    date_time: &'a [u8],
    other_information: &'a [u8],
    key_info: Option<KeyInfo<'a>>,
}

impl<'a> GeneralFields<'a> {
    /// Out of line, so that the common envelopes' parser stays small enough to inline.
    #[inline(never)]
    fn parse(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(GeneralFields {
            transaction_id: read_octets(c)?,
            system_title: read_octets(c)?,
            recipient_system_title: read_octets(c)?,
            date_time: read_octets(c)?,
            other_information: read_octets(c)?,
            key_info: match c.read_u8()? {
                0 => None,
                1 => Some(KeyInfo::parse(c)?),
                _ => return Err(Error::malformed("key-info", "optional flag must be 0 or 1")),
            },
        })
    }
}

impl<'a> Ciphered<'a> {
    /// Parses a ciphered APDU at the start of `input`; returns it and the bytes used.
    ///
    /// Every field is read into a local and the result is built once at the end (no
    /// placeholder struct filled in and then copied out). Always inlined: returning
    /// the ~150-byte view through memory and re-reading it stalled store forwarding.
    #[inline(always)]
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let tag = c.read_u8()?;
        let (kind, plain_tag, system_title, general) = match tag {
            0xDB => (
                CipheringKind::GeneralGlo,
                None,
                Some(read_octets(&mut c)?),
                None,
            ),
            0xDC => (
                CipheringKind::GeneralDed,
                None,
                Some(read_octets(&mut c)?),
                None,
            ),
            0xDD => {
                let g = GeneralFields::parse(&mut c)?;
                (CipheringKind::General, None, Some(g.system_title), Some(g))
            }
            _ => match plain_tag_of(tag) {
                Some((kind, plain)) => (kind, Some(plain), None, None),
                None => return Err(Error::unsupported("ciphered apdu tag", u32::from(tag))),
            },
        };
        let content = read_octets(&mut c)?;
        let short = || Error::malformed("security header", "ciphered content shorter than 5 bytes");
        let (&sc, rest) = content.split_first().ok_or_else(short)?;
        let (ic, payload) = rest.split_first_chunk::<4>().ok_or_else(short)?;
        let security_control = SecurityControl(sc);
        if security_control.authentication() && payload.len() < AUTH_TAG_LEN {
            return Err(Error::length(
                "authentication tag",
                AUTH_TAG_LEN,
                payload.len(),
            ));
        }
        let out = Ciphered {
            tag,
            kind,
            plain_tag,
            transaction_id: general.map(|g| g.transaction_id),
            system_title,
            recipient_system_title: general.map(|g| g.recipient_system_title),
            date_time: general.map(|g| g.date_time),
            other_information: general.map(|g| g.other_information),
            key_info: general.and_then(|g| g.key_info),
            security_control,
            invocation_counter: u32::from_be_bytes(*ic),
            payload,
        };
        Ok((out, c.position()))
    }

    /// Parses exactly one ciphered APDU (trailing bytes are an error).
    #[inline]
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        crate::util::parse_exact(input, "ciphered apdu", Self::parse_prefix)
    }

    /// The bytes before the tag: the encrypted (or, SC 0x10, plain) information.
    pub fn ciphertext(&self) -> &'a [u8] {
        if self.security_control.authentication() {
            let n = self.payload.len().saturating_sub(AUTH_TAG_LEN);
            self.payload.get(..n).unwrap_or(&[])
        } else {
            self.payload
        }
    }

    /// The 12-byte authentication tag, when the security control says one is present.
    pub fn auth_tag(&self) -> Option<&'a [u8]> {
        if self.security_control.authentication() {
            let n = self.payload.len().checked_sub(AUTH_TAG_LEN)?;
            self.payload.get(n..)
        } else {
            None
        }
    }

    /// The security header as sent: security control byte then invocation counter (5 bytes).
    pub fn security_header(&self) -> [u8; 5] {
        let ic = self.invocation_counter.to_be_bytes();
        [self.security_control.0, ic[0], ic[1], ic[2], ic[3]]
    }

    /// A glo-/ded- ciphered APDU around `payload`.
    pub fn service(
        tag: u8,
        security_control: u8,
        invocation_counter: u32,
        payload: &'a [u8],
    ) -> Result<Self> {
        let (kind, plain) =
            plain_tag_of(tag).ok_or(Error::unsupported("ciphered apdu tag", u32::from(tag)))?;
        let head = (tag, kind, Some(plain), None);
        Ok(Self::envelope(
            head,
            security_control,
            invocation_counter,
            payload,
        ))
    }

    /// A general-glo-ciphering (0xDB) APDU around `payload`.
    pub fn general_glo(
        system_title: &'a [u8],
        security_control: u8,
        invocation_counter: u32,
        payload: &'a [u8],
    ) -> Self {
        let head = (0xDB, CipheringKind::GeneralGlo, None, Some(system_title));
        Self::envelope(head, security_control, invocation_counter, payload)
    }

    /// A ciphered APDU without the general-ciphering fields; `head` is its tag, kind,
    /// plain tag and system title.
    fn envelope(
        (tag, kind, plain_tag, system_title): (u8, CipheringKind, Option<u8>, Option<&'a [u8]>),
        security_control: u8,
        invocation_counter: u32,
        payload: &'a [u8],
    ) -> Self {
        Ciphered {
            tag,
            kind,
            plain_tag,
            transaction_id: None,
            system_title,
            recipient_system_title: None,
            date_time: None,
            other_information: None,
            key_info: None,
            security_control: SecurityControl(security_control),
            invocation_counter,
            payload,
        }
    }

    fn content_len(&self) -> usize {
        5usize.saturating_add(self.payload.len())
    }
}

impl Ciphered<'_> {
    /// Writes the APDU to a sink.
    pub(crate) fn emit<S: Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        if !is_ciphered_tag(self.tag) {
            return Err(EncodeError::Invalid {
                field: "ciphered apdu tag",
                reason: "not a glo/ded/general ciphering tag",
            });
        }
        w.put_u8(self.tag)?;
        match self.tag {
            0xDB | 0xDC => w.put_octets(self.system_title.unwrap_or(&[]))?,
            0xDD => {
                for f in [
                    self.transaction_id,
                    self.system_title,
                    self.recipient_system_title,
                    self.date_time,
                    self.other_information,
                ] {
                    w.put_octets(f.unwrap_or(&[]))?;
                }
                emit_optional(w, self.key_info.as_ref(), |w, k| k.write(w))?;
            }
            _ => {}
        }
        w.put_len(self.content_len())?;
        w.put(&self.security_header())?;
        w.put(self.payload)
    }
}

crate::util::encode_via_emit!(Ciphered<'_>);

/// general-signing (0xDF): a signed APDU (Green Book 9.2.7.2.6). Only exposed, not verified.
/// Serialized with every field as a hex string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneralSigning<'a> {
    /// Transaction id.
    pub transaction_id: &'a [u8],
    /// Originator system title.
    pub system_title: &'a [u8],
    /// Recipient system title.
    pub recipient_system_title: &'a [u8],
    /// Date-time.
    pub date_time: &'a [u8],
    /// Other information.
    pub other_information: &'a [u8],
    /// The signed content (an APDU).
    pub content: &'a [u8],
    /// The signature.
    pub signature: &'a [u8],
}

#[cfg(feature = "serde")]
impl serde::Serialize for GeneralSigning<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("GeneralSigning", 7)?;
        for (name, v) in self.fields() {
            m.serialize_field(name, &crate::util::HexStr(v))?;
        }
        m.end()
    }
}

impl<'a> GeneralSigning<'a> {
    /// Parses the body after the 0xDF tag.
    pub fn parse_body(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(GeneralSigning {
            transaction_id: read_octets(c)?,
            system_title: read_octets(c)?,
            recipient_system_title: read_octets(c)?,
            date_time: read_octets(c)?,
            other_information: read_octets(c)?,
            content: read_octets(c)?,
            signature: read_octets(c)?,
        })
    }

    /// The fields in wire order, with their names.
    fn fields(&self) -> [(&'static str, &'a [u8]); 7] {
        [
            ("transaction_id", self.transaction_id),
            ("system_title", self.system_title),
            ("recipient_system_title", self.recipient_system_title),
            ("date_time", self.date_time),
            ("other_information", self.other_information),
            ("content", self.content),
            ("signature", self.signature),
        ]
    }

    /// Encoded size of the body after the tag.
    pub fn body_len(&self) -> usize {
        self.fields()
            .iter()
            .fold(0usize, |a, (_, f)| a.saturating_add(octets_len(f)))
    }

    /// Writes the body after the tag.
    pub(crate) fn write_body<S: Sink>(&self, w: &mut S) -> Result<(), EncodeError> {
        self.fields().iter().try_for_each(|(_, f)| w.put_octets(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Green Book (DLMS UA 1000-2 Ed. 10) 9.2.7.2.4.6, example "general-glo-ciphering"
    /// style: system title 4D4D4D0000BC614E, SC 0x30, IC 0x01234567 (header structure only).
    #[test]
    fn general_glo_header_exposed() {
        let frame = [
            0xDB, 0x08, 0x4D, 0x4D, 0x4D, 0x00, 0x00, 0xBC, 0x61, 0x4E, 0x14, 0x30, 0x01, 0x23,
            0x45, 0x67, 0x11, 0x22, 0x33, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9,
            0xAA, 0xAB, 0xAC,
        ];
        let c = Ciphered::parse(&frame).unwrap();
        assert_eq!(c.kind, CipheringKind::GeneralGlo);
        assert_eq!(c.system_title, Some(&frame[2..10]));
        assert_eq!(c.security_control, SecurityControl(0x30));
        assert!(c.security_control.encryption() && c.security_control.authentication());
        assert_eq!(c.invocation_counter, 0x0123_4567);
        assert_eq!(c.ciphertext(), &[0x11, 0x22, 0x33]);
        assert_eq!(c.auth_tag().unwrap(), &frame[19..]);
        let mut buf = [0u8; 64];
        let n = c.encode(&mut buf).unwrap();
        assert_eq!(n, c.encoded_len());
        assert_eq!(&buf[..n], &frame);
    }

    #[test]
    fn glo_get_request_maps_to_plain_tag() {
        let frame = [0xC8, 0x08, 0x20, 0, 0, 0, 1, 0xAA, 0xBB, 0xCC];
        let c = Ciphered::parse(&frame).unwrap();
        assert_eq!(c.kind, CipheringKind::Glo);
        assert_eq!(c.plain_tag, Some(0xC0));
        assert_eq!(c.invocation_counter, 1);
        assert_eq!(c.ciphertext(), &[0xAA, 0xBB, 0xCC]);
        assert_eq!(c.auth_tag(), None);
        assert!(Ciphered::parse(&[0xC8, 0x03, 0x20, 0, 0]).is_err());
        assert_eq!(plain_tag_of(0x21), Some((CipheringKind::Glo, 0x01)));
        assert_eq!(plain_tag_of(0xD7), Some((CipheringKind::Ded, 0xC7)));
    }

    #[test]
    fn general_ciphering_roundtrip() {
        let c = Ciphered {
            tag: 0xDD,
            kind: CipheringKind::General,
            plain_tag: None,
            transaction_id: Some(&[1, 2, 3, 4, 5, 6, 7, 8]),
            system_title: Some(b"MMM\x00\x00\xbc\x61\x4e"),
            recipient_system_title: Some(&[8, 7, 6, 5, 4, 3, 2, 1]),
            date_time: Some(&[]),
            other_information: Some(&[]),
            key_info: Some(KeyInfo::AgreedKey {
                key_parameters: &[1],
                key_ciphered_data: &[9; 10],
            }),
            security_control: SecurityControl(0x31),
            invocation_counter: 0,
            payload: &[0x55; 20],
        };
        let mut buf = [0u8; 128];
        let n = c.encode(&mut buf).unwrap();
        assert_eq!(n, c.encoded_len());
        assert_eq!(Ciphered::parse(&buf[..n]).unwrap(), c);
    }
}

//! xDLMS and ACSE APDUs (IEC 62056-5-3 / DLMS UA Green Book clause 9).
//!
//! [`Apdu::parse`] recognises every APDU tag: ACSE (AARQ/AARE/RLRQ/RLRE), LN services
//! (get/set/action/event-notification/data-notification/exception/general-block-transfer),
//! SN services (read/write/information-report) and ciphered APDUs, whose security
//! header is exposed by [`Ciphered`].

pub mod ciphered;

pub use ciphered::{AUTH_TAG_LEN, Ciphered, CipheringKind, GeneralSigning, KeyInfo, SecurityControl};

use crate::error::{Error, Result};
use meterwire_core::Cursor;

/// One APDU, borrowed from the input.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Apdu<'a> {
    /// A ciphered APDU (glo-/ded- services, general-glo/ded-ciphering, general-ciphering).
    Ciphered(Ciphered<'a>),
    /// general-signing (0xDF).
    GeneralSigning(GeneralSigning<'a>),
}

impl<'a> Apdu<'a> {
    /// Parses exactly one APDU; trailing bytes are an error.
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        let (apdu, used) = Self::parse_prefix(input)?;
        if used != input.len() {
            return Err(Error::length("apdu", used, input.len()));
        }
        Ok(apdu)
    }

    /// Parses one APDU at the start of `input`; returns it and the bytes used.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let tag = c.peek_u8()?;
        if ciphered::is_ciphered_tag(tag) {
            let (ci, used) = Ciphered::parse_prefix(input)?;
            return Ok((Apdu::Ciphered(ci), used));
        }
        c.skip(1)?;
        match tag {
            0xDF => {
                let s = GeneralSigning::parse_body(&mut c)?;
                Ok((Apdu::GeneralSigning(s), c.position()))
            }
            _ => Err(Error::unsupported("apdu tag", u32::from(tag))),
        }
    }
}

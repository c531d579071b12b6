//! ANSI C12.22-2008 application layer: the ACSE APDU (clause 6, BER-encoded ACSE subset)
//! and the EPSEM envelope of PSEM services (clause 5.3 and 8).
//!
//! ```text
//! 60 L [A1 context] [A2 called AP title] [A4 called AP invocation id] [A6 calling AP title]
//!      [A7 calling AE qualifier] [A8 calling AP invocation id] [8B mechanism name]
//!      [AC calling authentication value] BE user-information
//! ```
//!
//! The elements must appear in that order (as Wireshark requires). On TCP every APDU
//! is framed by its own `60 <BER length>`, which is what [`ApduFramer`] cuts; a UDP
//! datagram holds one APDU ([`Apdu::parse`]).

use crate::ber::{self, Oid, Tlv};
use crate::error::{Error, Result};

use core::fmt;
use meterwire_core::{Cursor, EncodeError, Writer};

/// The APDU tag (`[APPLICATION 0]` constructed).
pub const APDU_TAG: u8 = 0x60;
/// The registered C12.22 root OID 2.16.124.113620.1.22 (content octets).
pub const C1222_ROOT_OID: &[u8] = &[0x60, 0x7c, 0x86, 0xf7, 0x54, 0x01, 0x16];

/// Element tags of the APDU.
pub mod tag {
    /// Application context name.
    pub const CONTEXT: u8 = 0xA1;
    /// Called AP title.
    pub const CALLED_AP_TITLE: u8 = 0xA2;
    /// Called AP invocation id.
    pub const CALLED_AP_INVOCATION_ID: u8 = 0xA4;
    /// Calling AP title.
    pub const CALLING_AP_TITLE: u8 = 0xA6;
    /// Calling AE qualifier.
    pub const CALLING_AE_QUALIFIER: u8 = 0xA7;
    /// Calling AP invocation id.
    pub const CALLING_AP_INVOCATION_ID: u8 = 0xA8;
    /// Mechanism name (implicit OID).
    pub const MECHANISM_NAME: u8 = 0x8B;
    /// Calling authentication value.
    pub const CALLING_AUTH_VALUE: u8 = 0xAC;
    /// User information (EXTERNAL holding the EPSEM).
    pub const USER_INFORMATION: u8 = 0xBE;
    /// Universal OID.
    pub const OID: u8 = 0x06;
    /// Relative OID (context 0, as used in ApTitle).
    pub const RELATIVE_OID: u8 = 0x80;
    /// Universal INTEGER.
    pub const INTEGER: u8 = 0x02;
}

/// Bits of the AE qualifier (C12.22 clause 6.2.6; unverified beyond these three).
pub mod ae_qualifier {
    /// Test message.
    pub const TEST: u32 = 0x01;
    /// Urgent.
    pub const URGENT: u32 = 0x02;
    /// Notification.
    pub const NOTIFICATION: u32 = 0x04;
}

/// An application-process title: absolute (universal OID) or relative to a base OID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApTitle<'a> {
    /// `06 len OID`: the content octets.
    Absolute(&'a [u8]),
    /// `80 len RELATIVE-OID`: the content octets.
    Relative(&'a [u8]),
}

impl<'a> ApTitle<'a> {
    /// Parses the BER element (`06 ..` or `80 ..`) that is the whole of `buf`.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let mut c = Cursor::new(buf);
        let t = ber::read_tlv(&mut c)?;
        if !c.is_empty() {
            return Err(Error::malformed("ap title", "bytes after the oid"));
        }
        Self::from_tlv(&t)
    }
    fn from_tlv(t: &Tlv<'a>) -> Result<Self> {
        match t.tag {
            tag::OID => {
                ber::check_oid(t.content, false)?;
                Ok(ApTitle::Absolute(t.content))
            }
            tag::RELATIVE_OID => {
                ber::check_oid(t.content, true)?;
                Ok(ApTitle::Relative(t.content))
            }
            _ => Err(Error::malformed("ap title", "expected tag 0x06 or 0x80")),
        }
    }
    /// The OID content octets.
    pub fn content(&self) -> &'a [u8] {
        match self {
            ApTitle::Absolute(c) | ApTitle::Relative(c) => c,
        }
    }
    /// True for the relative form.
    pub fn is_relative(&self) -> bool {
        matches!(self, ApTitle::Relative(_))
    }
    /// The OID for display.
    pub fn oid(&self) -> Oid<'a> {
        Oid::from_parts(self.content(), self.is_relative())
    }
    fn tag(&self) -> u8 {
        match self {
            ApTitle::Absolute(_) => tag::OID,
            ApTitle::Relative(_) => tag::RELATIVE_OID,
        }
    }
    /// Encoded length of the inner element.
    pub fn encoded_len(&self) -> usize {
        ber::tlv_len(self.content().len())
    }
    /// Writes the inner element (`06 ..` / `80 ..`).
    pub fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        ber::write_tlv(w, self.tag(), self.content())
    }
}

impl fmt::Display for ApTitle<'_> {
    /// Absolute titles print as `2.16.124...`, relative ones with a leading dot (`.17.258`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_relative() {
            f.write_str(".")?;
        }
        fmt::Display::fmt(&self.oid(), f)
    }
}

/// The C12.22 calling authentication value: key id and initialization vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthValue<'a> {
    /// Key id (selects the key).
    pub key_id: u8,
    /// Initialization vector (4 bytes in the EAX' profile).
    pub iv: &'a [u8],
}

impl<'a> AuthValue<'a> {
    /// Parses the content of the `AC` element: `a2 L a0 L a1 L 80 01 <key id> 81 L <iv>`.
    pub fn parse(content: &'a [u8]) -> Result<Self> {
        let mut inner = content;
        // descend through the single constructed wrappers (a2 / a0 / a1): at most 3
        for _ in 0..3 {
            let mut c = Cursor::new(inner);
            let t = ber::read_tlv(&mut c)?;
            if !c.is_empty() {
                return Err(Error::malformed(
                    "calling authentication value",
                    "more than one element",
                ));
            }
            if t.tag & 0x20 == 0 {
                return Err(Error::malformed(
                    "calling authentication value",
                    "expected a constructed element",
                ));
            }
            inner = t.content;
        }
        let mut c = Cursor::new(inner);
        let k = ber::expect_tlv(&mut c, 0x80, "key id")?;
        let key_id = match k.content {
            [id] => *id,
            _ => return Err(Error::length("key id", 1, k.content.len())),
        };
        let iv = if c.is_empty() {
            &[][..]
        } else {
            ber::expect_tlv(&mut c, 0x81, "iv")?.content
        };
        if !c.is_empty() {
            return Err(Error::malformed(
                "calling authentication value",
                "unexpected element",
            ));
        }
        Ok(AuthValue { key_id, iv })
    }
    fn inner_len(&self) -> usize {
        let mut n = 3usize;
        if !self.iv.is_empty() {
            n = n.saturating_add(ber::tlv_len(self.iv.len()));
        }
        n
    }
    /// The content length of the `AC` element.
    pub fn content_len(&self) -> usize {
        ber::tlv_len(ber::tlv_len(ber::tlv_len(self.inner_len())))
    }
    /// Writes the content of the `AC` element.
    pub fn write_content(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        let l3 = self.inner_len();
        let l2 = ber::tlv_len(l3);
        let l1 = ber::tlv_len(l2);
        w.write_u8(0xA2)?;
        ber::write_length(w, l1)?;
        w.write_u8(0xA0)?;
        ber::write_length(w, l2)?;
        w.write_u8(0xA1)?;
        ber::write_length(w, l3)?;
        ber::write_tlv(w, 0x80, &[self.key_id])?;
        if !self.iv.is_empty() {
            ber::write_tlv(w, 0x81, self.iv)?;
        }
        Ok(())
    }
}

mod apdu;
mod encode;
mod epsem;

pub(crate) use apdu::check;
#[cfg(any(feature = "alloc", feature = "serde"))]
pub(crate) use apdu::owned;
pub use apdu::{
    AFTER_EPSEM, AFTER_USER_INFO, Apdu, ApduFramer, ApduParser, MAX_APDU_LEN, UNKNOWN_ELEMENT,
    UNKNOWN_EXTERNAL,
};
pub use encode::{ApduRepr, EpsemRepr, write_services};
pub use epsem::{
    Ciphered, ED_CLASS_LEN, Epsem, MAC_LEN, SecurityMode, ServiceIter, TRAILING_AFTER_SERVICES,
    ed_class_of, epsem_control, payload_diagnostics, services_of,
};

//! The EPSEM envelope (C12.22 clause 5.3): control byte, ED class, services, MAC.

use crate::ber;
use crate::error::{Error, Result};
use crate::psem::{Message, Service, Variant};
use core::fmt;
use meterwire_core::{Cursor, Diagnostic, Diagnostics};

meterwire_core::diagnostics! {
    /// Diagnostic: bytes after the zero length that ends the service list.
    pub TRAILING_AFTER_SERVICES = TrailingBytes, "epsem", "bytes after the end-of-services marker";
}

/// The EPSEM is ciphered (security mode 2): its services are only readable after
/// decryption ([`crate::stack::C1222Framer`] with a key ring, or
/// [`Apdu::decrypt_into`](super::Apdu::decrypt_into) and [`services_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ciphered;

impl fmt::Display for Ciphered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("epsem is ciphered (security mode 2): decrypt it to read its services")
    }
}

impl core::error::Error for Ciphered {}

/// The departures from the standard in a readable (clear or decrypted) EPSEM payload:
/// those of each service ([`Message::diagnostics`]) and bytes after the end marker.
pub fn payload_diagnostics(control: u8, payload: &[u8]) -> Diagnostics<4> {
    let mut d = Diagnostics::new();
    let mut it = services_of(control, payload);
    for s in it.by_ref() {
        match s.and_then(|b| Message::parse(b, Variant::C1222)) {
            Ok(m) => d.extend(m.diagnostics()),
            Err(_) => return d,
        }
    }
    let rest = it.trailing();
    if !rest.is_empty() {
        d.push(Diagnostic {
            value: Some(u64::try_from(rest.len()).unwrap_or(u64::MAX)),
            ..TRAILING_AFTER_SERVICES
        });
    }
    d
}

/// EPSEM security modes (control bits 2-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecurityMode {
    /// 0: cleartext.
    Cleartext,
    /// 1: cleartext with authentication (EAX' MAC).
    Authenticated,
    /// 2: ciphertext with authentication (EAX').
    Encrypted,
    /// 3: reserved.
    Reserved,
}

impl SecurityMode {
    /// From the 2-bit value.
    pub const fn from_bits(v: u8) -> Self {
        match v & 3 {
            0 => SecurityMode::Cleartext,
            1 => SecurityMode::Authenticated,
            2 => SecurityMode::Encrypted,
            _ => SecurityMode::Reserved,
        }
    }
    /// The 2-bit value.
    pub const fn bits(self) -> u8 {
        match self {
            SecurityMode::Cleartext => 0,
            SecurityMode::Authenticated => 1,
            SecurityMode::Encrypted => 2,
            SecurityMode::Reserved => 3,
        }
    }
    /// True when a 4-byte MAC ends the EPSEM.
    pub const fn has_mac(self) -> bool {
        matches!(self, SecurityMode::Authenticated | SecurityMode::Encrypted)
    }
}

/// Bits of the EPSEM control byte.
pub mod epsem_control {
    /// Reserved, set to 1 in every real message.
    pub const RESERVED: u8 = 0x80;
    /// Recovery session.
    pub const RECOVERY_SESSION: u8 = 0x40;
    /// Proxy service used.
    pub const PROXY_SERVICE_USED: u8 = 0x20;
    /// ED class included.
    pub const ED_CLASS_INCLUDED: u8 = 0x10;
    /// Security mode (2 bits).
    pub const SECURITY_MODE: u8 = 0x0C;
    /// Response control (2 bits).
    pub const RESPONSE_CONTROL: u8 = 0x03;
}

/// The EPSEM (zero-copy view): control byte, then ED class, services and MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epsem<'a> {
    pub(super) raw: &'a [u8],
}

/// MAC length.
pub const MAC_LEN: usize = 4;
/// ED class length.
pub const ED_CLASS_LEN: usize = 4;

impl<'a> Epsem<'a> {
    /// Checks the control byte and, for security modes 1 and 2, room for the MAC.
    /// For cleartext EPSEMs the ED class and the service lengths are checked too.
    pub fn new_checked(raw: &'a [u8]) -> Result<Self> {
        let e = Self::new_envelope(raw)?;
        if e.security_mode() != SecurityMode::Encrypted {
            e.check_plaintext(e.payload())?;
        }
        Ok(e)
    }

    /// Checks the control byte and room for the MAC only (the services are not looked
    /// at: for encoders that secure an APDU in place).
    pub(crate) fn new_envelope(raw: &'a [u8]) -> Result<Self> {
        let e = Epsem { raw };
        let control = *raw.first().ok_or(Error::truncated(1))?;
        let mode = SecurityMode::from_bits(control >> 2);
        if mode == SecurityMode::Reserved {
            return Err(Error::unsupported("security mode", 3));
        }
        if mode.has_mac() && raw.len() < 1 + MAC_LEN {
            return Err(Error::truncated((1 + MAC_LEN).saturating_sub(raw.len())));
        }
        Ok(e)
    }

    /// Checks a (decrypted) payload: ED class if flagged, well-formed service lengths,
    /// and each service complete with matching table checksums (integrity failures:
    /// `truncated`, `length`, `checksum` errors).
    pub fn check_plaintext(&self, payload: &[u8]) -> Result<()> {
        let body = self.body_of(payload)?;
        for s in ServiceIter::new(body) {
            Message::parse(s?, Variant::C1222)?;
        }
        Ok(())
    }

    /// The whole EPSEM.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
    /// The control byte.
    pub fn control(&self) -> u8 {
        self.raw.first().copied().unwrap_or(0)
    }
    /// The security mode.
    pub fn security_mode(&self) -> SecurityMode {
        SecurityMode::from_bits(self.control() >> 2)
    }
    /// Response control (0 always, 1 on exception, 2 never).
    pub fn response_control(&self) -> u8 {
        self.control() & epsem_control::RESPONSE_CONTROL
    }
    bit_flags! { (self.control())
        /// Recovery session flag.
        pub fn recovery_session = epsem_control::RECOVERY_SESSION;
        /// Proxy service used flag.
        pub fn proxy_service_used = epsem_control::PROXY_SERVICE_USED;
        /// ED class included flag.
        pub fn ed_class_included = epsem_control::ED_CLASS_INCLUDED;
    }
    /// Everything after the control byte up to the MAC: EAX' `P` (or `C` in mode 2).
    pub fn payload(&self) -> &'a [u8] {
        let end = if self.security_mode().has_mac() {
            self.raw.len().saturating_sub(MAC_LEN)
        } else {
            self.raw.len()
        };
        self.raw.get(1..end).unwrap_or(&[])
    }
    /// The MAC (security modes 1 and 2).
    pub fn mac(&self) -> Option<[u8; 4]> {
        if !self.security_mode().has_mac() {
            return None;
        }
        let n = self.raw.len();
        let m = self.raw.get(n.saturating_sub(MAC_LEN)..)?;
        m.try_into().ok()
    }
    fn body_of<'p>(&self, payload: &'p [u8]) -> Result<&'p [u8]> {
        if self.ed_class_included() {
            payload
                .get(ED_CLASS_LEN..)
                .ok_or(Error::truncated(ED_CLASS_LEN.saturating_sub(payload.len())))
        } else {
            Ok(payload)
        }
    }
    /// The ED class of a readable (not encrypted) EPSEM.
    pub fn ed_class(&self) -> Option<[u8; 4]> {
        if self.security_mode() == SecurityMode::Encrypted {
            return None;
        }
        ed_class_of(self.control(), self.payload())
    }
    /// The services of a readable EPSEM; [`Ciphered`] for mode 2 (decrypt first and
    /// use [`services_of`], or let [`crate::stack::C1222Framer`] do it).
    pub fn services(&self) -> Result<ServiceIter<'a>, Ciphered> {
        if self.security_mode() == SecurityMode::Encrypted {
            return Err(Ciphered);
        }
        Ok(ServiceIter::new(
            self.body_of(self.payload()).unwrap_or(&[]),
        ))
    }

    /// The departures from the standard of a readable EPSEM (none for mode 2: see
    /// [`payload_diagnostics`] for a decrypted payload).
    pub fn diagnostics(&self) -> Diagnostics<4> {
        if self.security_mode() == SecurityMode::Encrypted {
            return Diagnostics::new();
        }
        payload_diagnostics(self.control(), self.payload())
    }
}

/// The ED class at the start of a (decrypted) payload, if the control byte flags one.
pub fn ed_class_of(control: u8, payload: &[u8]) -> Option<[u8; 4]> {
    if control & epsem_control::ED_CLASS_INCLUDED == 0 {
        return None;
    }
    payload.get(..ED_CLASS_LEN)?.try_into().ok()
}

/// The services of a (decrypted) payload.
pub fn services_of(control: u8, payload: &[u8]) -> ServiceIter<'_> {
    let body = if control & epsem_control::ED_CLASS_INCLUDED != 0 {
        payload.get(ED_CLASS_LEN..).unwrap_or(&[])
    } else {
        payload
    };
    ServiceIter::new(body)
}

/// Iterator over the `<service length><service>` items of an EPSEM body. A zero
/// length ends the list. Yields the raw service bytes; parse them with
/// [`Service::parse`] and [`Variant::C1222`] (or [`ServiceIter::parsed`]).
#[derive(Debug, Clone)]
pub struct ServiceIter<'a> {
    c: Cursor<'a>,
    done: bool,
    terminated: bool,
}

impl<'a> ServiceIter<'a> {
    /// Over a body.
    pub fn new(body: &'a [u8]) -> Self {
        ServiceIter {
            c: Cursor::new(body),
            done: false,
            terminated: false,
        }
    }
    /// Parsed services (leniently: see [`ServiceIter::messages`] for what follows each).
    pub fn parsed(self) -> impl Iterator<Item = Result<Service<'a>>> {
        self.messages().map(|r| r.map(|m| m.service))
    }
    /// Each service as a PSEM [`Message`] (with its diagnostics).
    pub fn messages(self) -> impl Iterator<Item = Result<Message<'a>>> {
        self.map(|r| r.and_then(|b| Message::parse(b, Variant::C1222)))
    }
    /// After the iteration ended at a zero length: the bytes that follow it.
    pub fn trailing(&self) -> &'a [u8] {
        if self.terminated { self.c.rest() } else { &[] }
    }
}

impl<'a> Iterator for ServiceIter<'a> {
    type Item = Result<&'a [u8]>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.c.is_empty() {
            return None;
        }
        let r = ber::read_length(&mut self.c)
            .map_err(Error::from)
            .and_then(|n| {
                if n > self.c.remaining() {
                    Err(Error::length("service length", self.c.remaining(), n))
                } else {
                    Ok((n, self.c.take(n)?))
                }
            });
        match r {
            Ok((0, _)) => {
                self.done = true;
                self.terminated = true;
                None
            }
            Ok((_, s)) => Some(Ok(s)),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

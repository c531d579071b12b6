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
use crate::psem::{Service, Variant};
use core::fmt;
use meterwire_core::{Cursor, Decoded, Encode, EncodeError, Framer, Needed, Writer};

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
    raw: &'a [u8],
}

/// MAC length.
pub const MAC_LEN: usize = 4;
/// ED class length.
pub const ED_CLASS_LEN: usize = 4;

impl<'a> Epsem<'a> {
    /// Checks the control byte and, for security modes 1 and 2, room for the MAC.
    /// For cleartext EPSEMs the ED class and the service lengths are checked too.
    pub fn new_checked(raw: &'a [u8]) -> Result<Self> {
        let e = Epsem { raw };
        let control = *raw.first().ok_or(Error::truncated(1))?;
        let mode = SecurityMode::from_bits(control >> 2);
        if mode == SecurityMode::Reserved {
            return Err(Error::unsupported("security mode", 3));
        }
        if mode.has_mac() && raw.len() < 1 + MAC_LEN {
            return Err(Error::truncated((1 + MAC_LEN).saturating_sub(raw.len())));
        }
        if mode != SecurityMode::Encrypted {
            e.check_plaintext(e.payload())?;
        }
        Ok(e)
    }

    /// Checks a (decrypted) payload: ED class if flagged, then well-formed service lengths.
    pub fn check_plaintext(&self, payload: &[u8]) -> Result<()> {
        let body = self.body_of(payload)?;
        for s in ServiceIter::new(body) {
            s?;
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
    /// Recovery session flag.
    pub fn recovery_session(&self) -> bool {
        self.control() & epsem_control::RECOVERY_SESSION != 0
    }
    /// Proxy service used flag.
    pub fn proxy_service_used(&self) -> bool {
        self.control() & epsem_control::PROXY_SERVICE_USED != 0
    }
    /// ED class included flag.
    pub fn ed_class_included(&self) -> bool {
        self.control() & epsem_control::ED_CLASS_INCLUDED != 0
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
    /// The services of a readable EPSEM (empty for mode 2: decrypt first and use
    /// [`services_of`]).
    pub fn services(&self) -> ServiceIter<'a> {
        if self.security_mode() == SecurityMode::Encrypted {
            return ServiceIter::new(&[]);
        }
        ServiceIter::new(self.body_of(self.payload()).unwrap_or(&[]))
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
}

impl<'a> ServiceIter<'a> {
    /// Over a body.
    pub fn new(body: &'a [u8]) -> Self {
        ServiceIter {
            c: Cursor::new(body),
            done: false,
        }
    }
    /// Parsed services.
    pub fn parsed(self) -> impl Iterator<Item = Result<Service<'a>>> {
        self.map(|r| r.and_then(|b| Service::parse(b, Variant::C1222)))
    }
}

impl<'a> Iterator for ServiceIter<'a> {
    type Item = Result<&'a [u8]>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done || self.c.is_empty() {
            return None;
        }
        let r = ber::read_length(&mut self.c).and_then(|n| {
            if n > self.c.remaining() {
                Err(Error::length("service length", self.c.remaining(), n))
            } else {
                Ok((n, self.c.take(n)?))
            }
        });
        match r {
            Ok((0, _)) => {
                self.done = true;
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

/// A parsed C12.22 APDU (zero-copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Apdu<'a> {
    raw: &'a [u8],
    // element contents (the tag is fixed per field), for the EAX' canonification
    context: Option<&'a [u8]>,
    called_ap_title: Option<&'a [u8]>,
    called_ap_invocation_id: Option<&'a [u8]>,
    calling_ap_title: Option<&'a [u8]>,
    calling_ae_qualifier: Option<&'a [u8]>,
    calling_ap_invocation_id: Option<&'a [u8]>,
    mechanism_name: Option<&'a [u8]>,
    auth_value: Option<&'a [u8]>,
    /// Content length of user-information, and its BE tag+length size.
    ui_content_len: usize,
    ui_hdr_len: usize,
    /// BE header .. epsem control byte (for EAX' canonification).
    user_info_header: &'a [u8],
    epsem: Epsem<'a>,
    // parsed once, so accessors and the EAX' canonification do not parse again
    context_oid: Option<&'a [u8]>,
    called_title: Option<ApTitle<'a>>,
    calling_title: Option<ApTitle<'a>>,
    called_inv: Option<u32>,
    calling_inv: Option<u32>,
    ae_qualifier: Option<u32>,
    auth: Option<AuthValue<'a>>,
}

fn single_inner<'a>(t: &Tlv<'a>, field: &'static str) -> Result<Tlv<'a>> {
    let mut c = Cursor::new(t.content);
    let inner = ber::read_tlv(&mut c)?;
    if !c.is_empty() {
        return Err(Error::malformed(field, "more than one inner element"));
    }
    Ok(inner)
}

fn inner_uint(t: &Tlv<'_>, field: &'static str) -> Result<u32> {
    let inner = single_inner(t, field)?;
    if inner.tag != tag::INTEGER {
        return Err(Error::malformed(field, "expected an integer"));
    }
    ber::decode_uint(inner.content)
}

impl<'a> Apdu<'a> {
    /// Parses one complete APDU (`60 L ...`); trailing bytes are an error.
    pub fn parse(buf: &'a [u8]) -> Result<Self> {
        let mut outer = Cursor::new(buf);
        let top = ber::read_tlv(&mut outer)?;
        if top.tag != APDU_TAG {
            return Err(Error::malformed("apdu tag", "expected 0x60"));
        }
        if !outer.is_empty() {
            return Err(Error::length("apdu length", top.raw.len(), buf.len()));
        }
        let mut c = Cursor::new(top.content);
        let mut a = Apdu {
            raw: buf,
            context: None,
            called_ap_title: None,
            called_ap_invocation_id: None,
            calling_ap_title: None,
            calling_ae_qualifier: None,
            calling_ap_invocation_id: None,
            mechanism_name: None,
            auth_value: None,
            ui_content_len: 0,
            ui_hdr_len: 0,
            user_info_header: &[],
            epsem: Epsem { raw: &[] },
            context_oid: None,
            called_inv: None,
            calling_inv: None,
            ae_qualifier: None,
            called_title: None,
            calling_title: None,
            auth: None,
        };
        let mut last = 0u8;
        let mut user_info = None;
        while !c.is_empty() {
            let t = ber::read_tlv(&mut c)?;
            let order = t.tag & 0x1F;
            if order <= last {
                return Err(Error::malformed(
                    "apdu element",
                    "elements out of order or repeated",
                ));
            }
            last = order;
            match t.tag {
                tag::CONTEXT => {
                    let i = single_inner(&t, "application context")?;
                    if i.tag != tag::OID {
                        return Err(Error::malformed("application context", "expected an oid"));
                    }
                    ber::check_oid(i.content, false)?;
                    a.context_oid = Some(i.content);
                    a.context = Some(t.content);
                }
                tag::CALLED_AP_TITLE => {
                    a.called_title =
                        Some(ApTitle::from_tlv(&single_inner(&t, "called ap title")?)?);
                    a.called_ap_title = Some(t.content);
                }
                tag::CALLED_AP_INVOCATION_ID => {
                    a.called_inv = Some(inner_uint(&t, "called ap invocation id")?);
                    a.called_ap_invocation_id = Some(t.content);
                }
                tag::CALLING_AP_TITLE => {
                    a.calling_title =
                        Some(ApTitle::from_tlv(&single_inner(&t, "calling ap title")?)?);
                    a.calling_ap_title = Some(t.content);
                }
                tag::CALLING_AE_QUALIFIER => {
                    a.ae_qualifier = Some(inner_uint(&t, "calling ae qualifier")?);
                    a.calling_ae_qualifier = Some(t.content);
                }
                tag::CALLING_AP_INVOCATION_ID => {
                    a.calling_inv = Some(inner_uint(&t, "calling ap invocation id")?);
                    a.calling_ap_invocation_id = Some(t.content);
                }
                tag::MECHANISM_NAME => {
                    ber::check_oid(t.content, false)?;
                    a.mechanism_name = Some(t.content);
                }
                tag::CALLING_AUTH_VALUE => {
                    a.auth = Some(AuthValue::parse(t.content)?);
                    a.auth_value = Some(t.content);
                }
                tag::USER_INFORMATION => {
                    user_info = Some(t);
                    if !c.is_empty() {
                        return Err(Error::malformed("apdu", "elements after user-information"));
                    }
                }
                other => return Err(Error::unsupported("acse element", u32::from(other))),
            }
        }
        let ui = user_info.ok_or(Error::malformed("user-information", "missing"))?;
        // BE L1 28 L2 [other elements] 81 L3 <epsem>
        let ext = single_inner(&ui, "user-information")?;
        if ext.tag != 0x28 {
            return Err(Error::malformed(
                "user-information",
                "expected external (0x28)",
            ));
        }
        let mut ec = Cursor::new(ext.content);
        let epsem_tlv = loop {
            let t = ber::read_tlv(&mut ec)?;
            if t.tag == 0x81 {
                break t;
            }
            if !matches!(t.tag, 0x02 | 0x06) {
                return Err(Error::malformed(
                    "user-information",
                    "expected octet-aligned epsem (0x81)",
                ));
            }
        };
        if !ec.is_empty() {
            return Err(Error::malformed(
                "user-information",
                "bytes after the epsem",
            ));
        }
        let epsem = Epsem::new_checked(epsem_tlv.content)?;
        // header = from BE up to and including the epsem control byte
        // the epsem is the last element of user-information, so it ends where ui.raw ends
        let ctrl_pos = ui.raw.len().saturating_sub(epsem_tlv.content.len());
        a.user_info_header = ui.raw.get(..=ctrl_pos).unwrap_or(&[]);
        a.ui_content_len = ui.content.len();
        a.ui_hdr_len = ui.raw.len().saturating_sub(ui.content.len());
        a.epsem = epsem;
        Ok(a)
    }

    /// The whole APDU.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }
    /// Application context OID (content octets) of `A1`.
    pub fn context(&self) -> Option<Oid<'a>> {
        Some(Oid::from_parts(self.context_oid?, false))
    }
    /// Called AP title (`A2`).
    pub fn called_ap_title(&self) -> Option<ApTitle<'a>> {
        self.called_title
    }
    /// Calling AP title (`A6`).
    pub fn calling_ap_title(&self) -> Option<ApTitle<'a>> {
        self.calling_title
    }
    /// Called AP invocation id (`A4`).
    pub fn called_ap_invocation_id(&self) -> Option<u32> {
        self.called_inv
    }
    /// Calling AP invocation id (`A8`).
    pub fn calling_ap_invocation_id(&self) -> Option<u32> {
        self.calling_inv
    }
    /// Calling AE qualifier (`A7`), see [`ae_qualifier`].
    pub fn calling_ae_qualifier(&self) -> Option<u32> {
        self.ae_qualifier
    }
    /// Mechanism name (`8B`).
    pub fn mechanism_name(&self) -> Option<Oid<'a>> {
        Some(Oid::from_parts(self.mechanism_name?, false))
    }
    /// Calling authentication value (`AC`).
    pub fn auth_value(&self) -> Option<AuthValue<'a>> {
        self.auth
    }
    /// The EPSEM.
    pub fn epsem(&self) -> Epsem<'a> {
        self.epsem
    }

    /// Feeds the EAX' canonified cleartext `N` (C12.22 Annex I / fact sheet step 1) to `sink`
    /// in pieces: `A1? A2 A4? A7? A8 8B? AC?`, the user-information headers up to the
    /// EPSEM control byte, `A6?`, the key id and the IV. Relative AP titles are
    /// converted to absolute ones under `base_oid` (content octets; may be empty), as
    /// Wireshark does.
    pub fn canonified_cleartext(&self, base_oid: &[u8], sink: &mut dyn FnMut(&[u8])) {
        let emit_plain = |sink: &mut dyn FnMut(&[u8]), tag: u8, content: Option<&[u8]>| {
            if let Some(c) = content {
                let (l, n) = ber::length_bytes(c.len());
                sink(&[tag]);
                sink(l.get(..n).unwrap_or(&[]));
                sink(c);
            }
        };
        let emit_title = |sink: &mut dyn FnMut(&[u8]),
                          tag: u8,
                          content: Option<&[u8]>,
                          title: Option<ApTitle<'_>>| {
            match (content, title) {
                (Some(_), Some(ApTitle::Relative(rel))) => {
                    let oid_len = base_oid.len().saturating_add(rel.len());
                    let inner_len = ber::tlv_len(oid_len);
                    sink(&[tag]);
                    let (l, n) = ber::length_bytes(inner_len);
                    sink(l.get(..n).unwrap_or(&[]));
                    sink(&[tag::OID]);
                    let (l, n) = ber::length_bytes(oid_len);
                    sink(l.get(..n).unwrap_or(&[]));
                    sink(base_oid);
                    sink(rel);
                }
                _ => emit_plain(sink, tag, content),
            }
        };
        emit_plain(sink, tag::CONTEXT, self.context);
        emit_title(
            sink,
            tag::CALLED_AP_TITLE,
            self.called_ap_title,
            self.called_title,
        );
        emit_plain(
            sink,
            tag::CALLED_AP_INVOCATION_ID,
            self.called_ap_invocation_id,
        );
        emit_plain(sink, tag::CALLING_AE_QUALIFIER, self.calling_ae_qualifier);
        emit_plain(
            sink,
            tag::CALLING_AP_INVOCATION_ID,
            self.calling_ap_invocation_id,
        );
        emit_plain(sink, tag::MECHANISM_NAME, self.mechanism_name);
        emit_plain(sink, tag::CALLING_AUTH_VALUE, self.auth_value);
        // user information header: re-emit the BE tag with a minimal length, then as sent
        sink(&[tag::USER_INFORMATION]);
        let (l, n) = ber::length_bytes(self.ui_content_len);
        sink(l.get(..n).unwrap_or(&[]));
        sink(self.user_info_header.get(self.ui_hdr_len..).unwrap_or(&[]));
        emit_title(
            sink,
            tag::CALLING_AP_TITLE,
            self.calling_ap_title,
            self.calling_title,
        );
        if let Some(av) = self.auth {
            sink(&[av.key_id]);
            sink(av.iv);
        }
    }
}

/// Streaming framer for C12.22 over TCP: each APDU is cut by its `60 <BER length>`
/// header. Works for UDP datagrams too (one APDU each).
#[derive(Debug, Clone, Default)]
pub struct ApduFramer {
    /// Length of the last complete `60 len` frame whose contents failed to parse: the
    /// TCP framing is length driven, so resync skips the whole APDU rather than
    /// searching for a 0x60 inside it.
    bad_frame_len: Option<usize>,
}

impl ApduFramer {
    /// A new framer.
    pub fn new() -> Self {
        ApduFramer {
            bad_frame_len: None,
        }
    }
}

/// The largest APDU the framer accepts (C12.22 messages are far smaller).
pub const MAX_APDU_LEN: usize = 1 << 20;

impl Framer for ApduFramer {
    type Frame<'a> = Apdu<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<Decoded<Apdu<'a>>> {
        let Some(&first) = input.first() else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            });
        };
        if first != APDU_TAG {
            return Err(Error::malformed("apdu tag", "expected 0x60"));
        }
        let Some(&l0) = input.get(1) else {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            });
        };
        let hdr = if l0 < 0x80 {
            2usize
        } else {
            let n = usize::from(l0 & 0x7F);
            if n == 0 || n > 4 {
                return Err(Error::malformed(
                    "apdu length",
                    "definite length of 1 to 4 bytes",
                ));
            }
            n.saturating_add(2)
        };
        if input.len() < hdr {
            return Ok(Decoded::Incomplete {
                needed: Needed::exact(hdr.saturating_sub(input.len())),
            });
        }
        let mut c = Cursor::new(input.get(1..).unwrap_or(&[]));
        let len = ber::read_length(&mut c)?;
        if len > MAX_APDU_LEN {
            return Err(Error::length("apdu length", MAX_APDU_LEN, len));
        }
        let total = hdr.saturating_add(len);
        match input.get(..total) {
            None => Ok(Decoded::Incomplete {
                needed: Needed::exact(total.saturating_sub(input.len())),
            }),
            Some(frame) => match Apdu::parse(frame) {
                Ok(apdu) => Ok(Decoded::Frame {
                    frame: apdu,
                    consumed: total,
                }),
                Err(e) => {
                    self.bad_frame_len = Some(total);
                    Err(e)
                }
            },
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        if let Some(n) = self.bad_frame_len.take() {
            return n.clamp(1, input.len().max(1));
        }
        input
            .iter()
            .skip(1)
            .position(|&b| b == APDU_TAG)
            .map_or(input.len(), |p| p.saturating_add(1))
            .max(1)
    }
}

/// The fields of an APDU, for encoding (all borrowed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApduRepr<'a> {
    /// Application context OID content (`A1`).
    pub context: Option<&'a [u8]>,
    /// `A2`.
    pub called_ap_title: Option<ApTitle<'a>>,
    /// `A4`.
    pub called_ap_invocation_id: Option<u32>,
    /// `A6`.
    pub calling_ap_title: Option<ApTitle<'a>>,
    /// `A7`.
    pub calling_ae_qualifier: Option<u32>,
    /// `A8`.
    pub calling_ap_invocation_id: Option<u32>,
    /// Mechanism name OID content (`8B`).
    pub mechanism_name: Option<&'a [u8]>,
    /// `AC`.
    pub auth_value: Option<AuthValue<'a>>,
    /// The EPSEM.
    pub epsem: EpsemRepr<'a>,
}

/// The fields of an EPSEM, for encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpsemRepr<'a> {
    /// Control byte (the ED-class bit is set when `ed_class` is `Some`).
    pub control: u8,
    /// ED class.
    pub ed_class: Option<[u8; 4]>,
    /// The service list: `<length><service>` items as on the wire (see [`write_services`]).
    pub services: &'a [u8],
    /// MAC (written when the security mode has one; zeros if `None`).
    pub mac: Option<[u8; 4]>,
}

/// Writes `<BER length><service>` for each service into `out`; returns the length.
pub fn write_services(services: &[&dyn Encode], out: &mut [u8]) -> Result<usize, EncodeError> {
    let mut w = Writer::new(out);
    for s in services {
        let n = s.encoded_len();
        ber::write_length(&mut w, n)?;
        let dst = w.reserve(n)?;
        s.encode(dst)?;
    }
    Ok(w.position())
}

impl<'a> EpsemRepr<'a> {
    fn control_byte(&self) -> u8 {
        if self.ed_class.is_some() {
            self.control | epsem_control::ED_CLASS_INCLUDED
        } else {
            self.control
        }
    }
    fn has_mac(&self) -> bool {
        SecurityMode::from_bits(self.control >> 2).has_mac()
    }
    /// Encoded length.
    pub fn len(&self) -> usize {
        1usize
            .saturating_add(if self.ed_class.is_some() {
                ED_CLASS_LEN
            } else {
                0
            })
            .saturating_add(self.services.len())
            .saturating_add(if self.has_mac() { MAC_LEN } else { 0 })
    }
    /// Always false (the control byte is always there).
    pub fn is_empty(&self) -> bool {
        false
    }
    fn write(&self, w: &mut Writer<'_>) -> Result<(), EncodeError> {
        w.write_u8(self.control_byte())?;
        if let Some(ed) = self.ed_class {
            w.write_bytes(&ed)?;
        }
        w.write_bytes(self.services)?;
        if self.has_mac() {
            w.write_bytes(&self.mac.unwrap_or([0; 4]))?;
        }
        Ok(())
    }
    /// From an EPSEM view. For security mode 2 the ED class is inside the ciphertext:
    /// `ed_class` is `None` and `services` holds the whole ciphertext.
    pub fn parse(e: &Epsem<'a>) -> Self {
        let payload = e.payload();
        if e.security_mode() == SecurityMode::Encrypted {
            return EpsemRepr {
                control: e.control(),
                ed_class: None,
                services: payload,
                mac: e.mac(),
            };
        }
        let services = if e.ed_class_included() {
            payload.get(ED_CLASS_LEN..).unwrap_or(&[])
        } else {
            payload
        };
        EpsemRepr {
            control: e.control(),
            ed_class: ed_class_of(e.control(), payload),
            services,
            mac: e.mac(),
        }
    }
}

fn wrapped_uint_len(v: u32) -> usize {
    ber::tlv_len(ber::uint_bytes(v).1)
}

impl<'a> ApduRepr<'a> {
    /// From a parsed APDU (for mode 2 the `services` are the ciphertext bytes).
    pub fn parse(a: &Apdu<'a>) -> Self {
        ApduRepr {
            context: a.context().map(|o| o.content()),
            called_ap_title: a.called_ap_title(),
            called_ap_invocation_id: a.called_ap_invocation_id(),
            calling_ap_title: a.calling_ap_title(),
            calling_ae_qualifier: a.calling_ae_qualifier(),
            calling_ap_invocation_id: a.calling_ap_invocation_id(),
            mechanism_name: a.mechanism_name().map(|o| o.content()),
            auth_value: a.auth_value(),
            epsem: EpsemRepr::parse(&a.epsem()),
        }
    }

    fn user_info_lens(&self) -> (usize, usize, usize) {
        let l3 = self.epsem.len();
        let l2 = ber::tlv_len(l3);
        let l1 = ber::tlv_len(l2);
        (l1, l2, l3)
    }

    fn content_len(&self) -> usize {
        let mut n = 0usize;
        if let Some(c) = self.context {
            n = n.saturating_add(ber::tlv_len(ber::tlv_len(c.len())));
        }
        if let Some(t) = &self.called_ap_title {
            n = n.saturating_add(ber::tlv_len(t.encoded_len()));
        }
        if let Some(v) = self.called_ap_invocation_id {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(t) = &self.calling_ap_title {
            n = n.saturating_add(ber::tlv_len(t.encoded_len()));
        }
        if let Some(v) = self.calling_ae_qualifier {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(v) = self.calling_ap_invocation_id {
            n = n.saturating_add(ber::tlv_len(wrapped_uint_len(v)));
        }
        if let Some(m) = self.mechanism_name {
            n = n.saturating_add(ber::tlv_len(m.len()));
        }
        if let Some(av) = &self.auth_value {
            n = n.saturating_add(ber::tlv_len(av.content_len()));
        }
        n.saturating_add(ber::tlv_len(self.user_info_lens().0))
    }

    fn write_uint_elem(w: &mut Writer<'_>, t: u8, v: u32) -> Result<(), EncodeError> {
        let (b, l) = ber::uint_bytes(v);
        w.write_u8(t)?;
        ber::write_length(w, ber::tlv_len(l))?;
        ber::write_tlv(w, tag::INTEGER, b.get(..l).unwrap_or(&[]))
    }
}

impl Encode for ApduRepr<'_> {
    fn encoded_len(&self) -> usize {
        ber::tlv_len(self.content_len())
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        let bad = |field| EncodeError::Invalid {
            field,
            reason: "not a valid ber oid",
        };
        if let Some(c) = self.context {
            ber::check_oid(c, false).map_err(|_| bad("context"))?;
        }
        if let Some(m) = self.mechanism_name {
            ber::check_oid(m, false).map_err(|_| bad("mechanism name"))?;
        }
        for t in [&self.called_ap_title, &self.calling_ap_title]
            .into_iter()
            .flatten()
        {
            ber::check_oid(t.content(), t.is_relative()).map_err(|_| bad("ap title"))?;
        }
        if self.auth_value.is_some_and(|a| a.iv.len() > 16) {
            return Err(EncodeError::Invalid {
                field: "iv",
                reason: "at most 16 bytes",
            });
        }
        let mut w = Writer::new(out);
        w.write_u8(APDU_TAG)?;
        ber::write_length(&mut w, self.content_len())?;
        if let Some(c) = self.context {
            w.write_u8(tag::CONTEXT)?;
            ber::write_length(&mut w, ber::tlv_len(c.len()))?;
            ber::write_tlv(&mut w, tag::OID, c)?;
        }
        if let Some(t) = &self.called_ap_title {
            w.write_u8(tag::CALLED_AP_TITLE)?;
            ber::write_length(&mut w, t.encoded_len())?;
            t.write(&mut w)?;
        }
        if let Some(v) = self.called_ap_invocation_id {
            Self::write_uint_elem(&mut w, tag::CALLED_AP_INVOCATION_ID, v)?;
        }
        if let Some(t) = &self.calling_ap_title {
            w.write_u8(tag::CALLING_AP_TITLE)?;
            ber::write_length(&mut w, t.encoded_len())?;
            t.write(&mut w)?;
        }
        if let Some(v) = self.calling_ae_qualifier {
            Self::write_uint_elem(&mut w, tag::CALLING_AE_QUALIFIER, v)?;
        }
        if let Some(v) = self.calling_ap_invocation_id {
            Self::write_uint_elem(&mut w, tag::CALLING_AP_INVOCATION_ID, v)?;
        }
        if let Some(m) = self.mechanism_name {
            ber::write_tlv(&mut w, tag::MECHANISM_NAME, m)?;
        }
        if let Some(av) = &self.auth_value {
            w.write_u8(tag::CALLING_AUTH_VALUE)?;
            ber::write_length(&mut w, av.content_len())?;
            av.write_content(&mut w)?;
        }
        let (l1, l2, l3) = self.user_info_lens();
        w.write_u8(tag::USER_INFORMATION)?;
        ber::write_length(&mut w, l1)?;
        w.write_u8(0x28)?;
        ber::write_length(&mut w, l2)?;
        w.write_u8(0x81)?;
        ber::write_length(&mut w, l3)?;
        self.epsem.write(&mut w)?;
        Ok(w.position())
    }
}

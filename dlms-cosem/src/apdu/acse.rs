//! ACSE APDUs with BER (ISO/IEC 8650-1, profiled by Green Book 9.4 and IEC 62056-5-3
//! clause 8): AARQ, AARE, RLRQ, RLRE, with the xDLMS InitiateRequest/InitiateResponse
//! (or a ciphered one, or ConfirmedServiceError) carried in user-information.

use super::ciphered::{Ciphered, is_ciphered_tag};
use super::xdlms::{ConfirmedServiceError, InitiateRequest, InitiateResponse, tags};
use crate::error::{Error, Result};
use crate::util::{Counter, Sink, read_len};
use meterwire_core::{Cursor, EncodeError};

/// OID prefix 2.16.756.5.8 (DLMS UA) as BER content bytes.
const DLMS_UA_OID: [u8; 5] = [0x60, 0x85, 0x74, 0x05, 0x08];

/// Deepest BER nesting walked (ACSE is shallow; this bounds hostile input).
const MAX_BER_FIELDS: usize = 64;

/// An object identifier, kept as its BER content bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oid<'a>(pub &'a [u8]);

impl<'a> Oid<'a> {
    /// For OIDs under 2.16.756.5.8.`group`: the last arc (e.g. group 1 application
    /// contexts: 1 LN, 2 SN, 3 LN ciphered, 4 SN ciphered; group 2 mechanisms).
    pub fn dlms_arc(&self, group: u8) -> Option<u8> {
        match self.0 {
            [a, b, c, d, e, g, last] if [*a, *b, *c, *d, *e] == DLMS_UA_OID && *g == group => {
                Some(*last)
            }
            _ => None,
        }
    }

    /// Application context name, e.g. "logical-name".
    pub fn context_name(&self) -> Option<&'static str> {
        Some(match self.dlms_arc(1)? {
            1 => "logical-name",
            2 => "short-name",
            3 => "logical-name-ciphered",
            4 => "short-name-ciphered",
            _ => return None,
        })
    }

    /// Authentication mechanism name, e.g. "high-gmac".
    pub fn mechanism_name(&self) -> Option<&'static str> {
        Some(match self.dlms_arc(2)? {
            0 => "none",
            1 => "low",
            2 => "high",
            3 => "high-md5",
            4 => "high-sha1",
            5 => "high-gmac",
            6 => "high-sha256",
            7 => "high-ecdsa",
            _ => return None,
        })
    }

    /// A DLMS UA OID 2.16.756.5.8.`group`.`arc` (content bytes; `'static`).
    pub const fn dlms(group: u8, arc: u8) -> [u8; 7] {
        [0x60, 0x85, 0x74, 0x05, 0x08, group, arc]
    }
}

/// Dotted form.
impl core::fmt::Display for Oid<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut first = true;
        let mut acc: u64 = 0;
        for &b in self.0 {
            acc = (acc << 7) | u64::from(b & 0x7F);
            if b & 0x80 == 0 {
                if first {
                    let (x, y) = if acc < 40 {
                        (0, acc)
                    } else if acc < 80 {
                        (1, acc.saturating_sub(40))
                    } else {
                        (2, acc.saturating_sub(80))
                    };
                    write!(f, "{x}.{y}")?;
                    first = false;
                } else {
                    write!(f, ".{acc}")?;
                }
                acc = 0;
            }
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Oid<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        if let Some(n) = self.context_name().or_else(|| self.mechanism_name()) {
            s.serialize_str(n)
        } else {
            s.collect_str(self)
        }
    }
}

/// A ciphered xDLMS APDU in user-information, kept as its validated bytes so that the
/// AARQ/AARE views stay small; [`CipheredBytes::ciphered`] gives the header view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipheredBytes<'a>(&'a [u8]);

impl<'a> CipheredBytes<'a> {
    /// Checks that `raw` is exactly one ciphered APDU.
    pub fn new(raw: &'a [u8]) -> Result<Self> {
        Ciphered::parse(raw)?;
        Ok(CipheredBytes(raw))
    }

    /// From a ciphered APDU encoded into `buf` (returns the bytes used).
    pub fn encode_into(
        c: &Ciphered<'_>,
        buf: &'a mut [u8],
    ) -> core::result::Result<Self, EncodeError> {
        let n = meterwire_core::Encode::encode(c, buf)?;
        Ok(CipheredBytes(buf.get(..n).unwrap_or(&[])))
    }

    /// The APDU bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The security header view (cannot fail for a value made by `new` or by parsing).
    #[inline]
    pub fn ciphered(&self) -> Result<Ciphered<'a>> {
        Ciphered::parse(self.0)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CipheredBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        match self.ciphered() {
            Ok(c) => c.serialize(s),
            Err(_) => crate::util::hex_serde::bytes(self.0, s),
        }
    }
}

/// What the user-information field carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum UserInformation<'a> {
    /// InitiateRequest (0x01).
    InitiateRequest(InitiateRequest<'a>),
    /// InitiateResponse (0x08).
    InitiateResponse(InitiateResponse),
    /// ConfirmedServiceError (0x0E).
    ConfirmedServiceError(ConfirmedServiceError),
    /// glo-/ded-ciphered initiate (0x21, 0x28, ...) or general ciphering.
    Ciphered(CipheredBytes<'a>),
    /// Anything else, raw.
    Other(
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        &'a [u8],
    ),
}

impl<'a> UserInformation<'a> {
    /// Parses the xDLMS APDU inside user-information. Always inlined into the ACSE
    /// readers: returned through memory, the enum was re-read in narrow pieces.
    #[inline(always)]
    pub fn parse(apdu: &'a [u8]) -> Result<Self> {
        let mut c = Cursor::new(apdu);
        let t = c.peek_u8()?;
        let v = match t {
            tags::INITIATE_REQUEST => {
                c.skip(1)?;
                UserInformation::InitiateRequest(InitiateRequest::read(&mut c)?)
            }
            tags::INITIATE_RESPONSE => {
                c.skip(1)?;
                UserInformation::InitiateResponse(InitiateResponse::read(&mut c)?)
            }
            tags::CONFIRMED_SERVICE_ERROR => {
                c.skip(1)?;
                UserInformation::ConfirmedServiceError(ConfirmedServiceError::read(&mut c)?)
            }
            t if is_ciphered_tag(t) => {
                let (_, used) = Ciphered::parse_prefix(apdu)?;
                let raw = c.take(used)?;
                UserInformation::Ciphered(CipheredBytes(raw))
            }
            _ => return Ok(UserInformation::Other(apdu)),
        };
        if !c.is_empty() {
            return Err(Error::length("user-information", c.position(), apdu.len()));
        }
        Ok(v)
    }

    fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            UserInformation::InitiateRequest(v) => v.emit(s),
            UserInformation::InitiateResponse(v) => v.emit(s),
            UserInformation::ConfirmedServiceError(v) => v.emit(s),
            UserInformation::Ciphered(v) => s.put(v.0),
            UserInformation::Other(b) => s.put(b),
        }
    }
}

/// One BER TLV.
struct Tlv<'a> {
    tag: u8,
    value: &'a [u8],
}

#[inline(always)]
fn read_tlv<'a>(c: &mut Cursor<'a>) -> Result<Tlv<'a>> {
    let tag = c.read_u8()?;
    if tag & 0x1F == 0x1F {
        return Err(Error::unsupported("ber tag", u32::from(tag)));
    }
    // ACSE fields are short: the one-byte length form inline, the rest via `ber`.
    let n = match c.peek_u8() {
        Ok(b) if b < 0x80 => {
            c.skip(1)?;
            usize::from(b)
        }
        _ => read_len(c)?,
    };
    Ok(Tlv {
        tag,
        value: c.take(n)?,
    })
}

/// Reads the content of a constructed `[n]` wrapping one primitive TLV with `inner` tag.
#[inline(always)]
fn unwrap_inner<'a>(v: &'a [u8], inner: u8, field: &'static str) -> Result<&'a [u8]> {
    let mut c = Cursor::new(v);
    let t = read_tlv(&mut c)?;
    if t.tag != inner || !c.is_empty() {
        return Err(Error::malformed(field, "unexpected inner encoding"));
    }
    Ok(t.value)
}

#[inline(always)]
fn read_int(v: &[u8], field: &'static str) -> Result<u8> {
    let b = unwrap_inner(v, 0x02, field)?;
    match b {
        [x] => Ok(*x),
        _ => Err(Error::malformed(field, "expected a one-byte integer")),
    }
}

fn tlv_len(content: usize) -> usize {
    1usize
        .saturating_add(crate::util::len_len(content))
        .saturating_add(content)
}

fn put_simple<S: Sink>(s: &mut S, tag: u8, v: &[u8]) -> Result<(), EncodeError> {
    s.put_u8(tag)?;
    s.put_len(v.len())?;
    s.put(v)
}

fn put_wrapped<S: Sink>(s: &mut S, tag: u8, inner: u8, v: &[u8]) -> Result<(), EncodeError> {
    s.put_u8(tag)?;
    s.put_len(tlv_len(v.len()))?;
    put_simple(s, inner, v)
}

fn put_user_info<S: Sink>(s: &mut S, ui: &UserInformation<'_>) -> Result<(), EncodeError> {
    let mut c = Counter(0);
    ui.emit(&mut c)?;
    s.put_u8(0xBE)?;
    s.put_len(tlv_len(c.0))?;
    s.put_u8(0x04)?;
    s.put_len(c.0)?;
    ui.emit(s)
}

#[inline(always)]
fn parse_user_info(v: &[u8]) -> Result<UserInformation<'_>> {
    UserInformation::parse(unwrap_inner(v, 0x04, "user-information")?)
}

/// An ACSE APDU body, written twice: counted, then for real.
trait AcseBody {
    fn emit_body<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError>;

    /// The APDU: `tag`, the body length, the body.
    fn emit_apdu<S: Sink>(&self, tag: u8, s: &mut S) -> Result<(), EncodeError> {
        let mut c = Counter(0);
        self.emit_body(&mut c)?;
        s.put_u8(tag)?;
        s.put_len(c.0)?;
        self.emit_body(s)
    }
}

/// AARQ (0x60): association request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Aarq<'a> {
    /// protocol-version bit string content (`[0]`), when sent.
    #[cfg_attr(feature = "serde", serde(skip))]
    pub protocol_version: Option<&'a [u8]>,
    /// application-context-name (`[1]`).
    pub application_context_name: Option<Oid<'a>>,
    /// called-AP-title (`[2]`, raw inner TLV).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub called_ap_title: Option<&'a [u8]>,
    /// called-AE-qualifier (`[3]`, raw inner TLV).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub called_ae_qualifier: Option<&'a [u8]>,
    /// calling-AP-title (`[6]`): the client system title.
    #[cfg_attr(
        feature = "serde",
        serde(
            rename = "system_title",
            serialize_with = "crate::util::hex_serde::opt"
        )
    )]
    pub calling_ap_title: Option<&'a [u8]>,
    /// calling-AE-qualifier (`[7]`, octet string content, e.g. a certificate).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub calling_ae_qualifier: Option<&'a [u8]>,
    /// sender-acse-requirements bit string content (`[10]`, `07 80` = authentication).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub sender_acse_requirements: Option<&'a [u8]>,
    /// mechanism-name (`[11]`).
    pub mechanism_name: Option<Oid<'a>>,
    /// calling-authentication-value (`[12]`, charstring content: password or challenge).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub calling_authentication_value: Option<&'a [u8]>,
    /// implementation-information (`[29]`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub implementation_information: Option<&'a [u8]>,
    /// user-information (`[30]`).
    pub user_information: Option<UserInformation<'a>>,
}

/// The TLVs of a constructed body, at most `MAX_BER_FIELDS` of them (hostile input).
struct Tlvs<'a> {
    c: Cursor<'a>,
    n: usize,
}

impl<'a> Tlvs<'a> {
    #[inline(always)]
    fn new(body: &'a [u8]) -> Self {
        Tlvs {
            c: Cursor::new(body),
            n: 0,
        }
    }
}

impl<'a> Iterator for Tlvs<'a> {
    type Item = Result<Tlv<'a>>;

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.c.is_empty() {
            return None;
        }
        self.n = self.n.saturating_add(1);
        if self.n > MAX_BER_FIELDS {
            self.c = Cursor::new(&[]);
            return Some(Err(Error::DepthLimit {
                field: "acse",
                limit: MAX_BER_FIELDS,
            }));
        }
        Some(read_tlv(&mut self.c))
    }
}

impl<'a> Aarq<'a> {
    #[inline(always)]
    pub(crate) fn read_body(body: &'a [u8]) -> Result<Self> {
        let mut a = Aarq::default();
        for t in Tlvs::new(body) {
            let Tlv { tag, value: v } = t?;
            match tag {
                0x80 => a.protocol_version = Some(v),
                0xA1 => {
                    a.application_context_name =
                        Some(Oid(unwrap_inner(v, 0x06, "application-context-name")?))
                }
                0xA2 => a.called_ap_title = Some(v),
                0xA3 => a.called_ae_qualifier = Some(v),
                0xA6 => a.calling_ap_title = Some(unwrap_inner(v, 0x04, "calling-ap-title")?),
                0xA7 => {
                    a.calling_ae_qualifier = Some(unwrap_inner(v, 0x04, "calling-ae-qualifier")?)
                }
                0x8A => a.sender_acse_requirements = Some(v),
                0x8B => a.mechanism_name = Some(Oid(v)),
                0xAC => {
                    a.calling_authentication_value =
                        Some(unwrap_inner(v, 0x80, "calling-authentication-value")?)
                }
                0xBD => a.implementation_information = Some(v),
                0xBE => a.user_information = Some(parse_user_info(v)?),
                0xA4 | 0xA5 | 0xA8 | 0xA9 => {} // invocation ids: not used by DLMS
                t => return Err(Error::unsupported("aarq field", u32::from(t))),
            }
        }
        Ok(a)
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.emit_apdu(tags::AARQ, s)
    }
}

impl AcseBody for Aarq<'_> {
    fn emit_body<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        if let Some(v) = self.protocol_version {
            put_simple(s, 0x80, v)?;
        }
        if let Some(o) = self.application_context_name {
            put_wrapped(s, 0xA1, 0x06, o.0)?;
        }
        if let Some(v) = self.called_ap_title {
            put_simple(s, 0xA2, v)?;
        }
        if let Some(v) = self.called_ae_qualifier {
            put_simple(s, 0xA3, v)?;
        }
        if let Some(v) = self.calling_ap_title {
            put_wrapped(s, 0xA6, 0x04, v)?;
        }
        if let Some(v) = self.calling_ae_qualifier {
            put_wrapped(s, 0xA7, 0x04, v)?;
        }
        if let Some(v) = self.sender_acse_requirements {
            put_simple(s, 0x8A, v)?;
        }
        if let Some(o) = self.mechanism_name {
            put_simple(s, 0x8B, o.0)?;
        }
        if let Some(v) = self.calling_authentication_value {
            put_wrapped(s, 0xAC, 0x80, v)?;
        }
        if let Some(v) = self.implementation_information {
            put_simple(s, 0xBD, v)?;
        }
        if let Some(u) = &self.user_information {
            put_user_info(s, u)?;
        }
        Ok(())
    }
}

/// AARE (0x61): association response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Aare<'a> {
    /// protocol-version bit string content (`[0]`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub protocol_version: Option<&'a [u8]>,
    /// application-context-name (`[1]`).
    pub application_context_name: Option<Oid<'a>>,
    /// result (`[2]`): 0 accepted, 1 rejected-permanent, 2 rejected-transient.
    pub result: u8,
    /// result-source-diagnostic (`[3]`).
    pub diagnostic: Option<Diagnostic>,
    /// responding-AP-title (`[4]`): the server system title.
    #[cfg_attr(
        feature = "serde",
        serde(
            rename = "system_title",
            serialize_with = "crate::util::hex_serde::opt"
        )
    )]
    pub responding_ap_title: Option<&'a [u8]>,
    /// responding-AE-qualifier (`[5]`, octet string content).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub responding_ae_qualifier: Option<&'a [u8]>,
    /// responder-acse-requirements (`[8]`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub responder_acse_requirements: Option<&'a [u8]>,
    /// mechanism-name (`[9]`).
    pub mechanism_name: Option<Oid<'a>>,
    /// responding-authentication-value (`[10]`, the server challenge).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub responding_authentication_value: Option<&'a [u8]>,
    /// implementation-information (`[29]`).
    #[cfg_attr(feature = "serde", serde(skip))]
    pub implementation_information: Option<&'a [u8]>,
    /// user-information (`[30]`).
    pub user_information: Option<UserInformation<'a>>,
}

/// Associate-source-diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Diagnostic {
    /// acse-service-user `[1]`: 0 null, 1 no-reason-given, 2 application-context-name-not-supported,
    /// 11 authentication-mechanism-name-not-recognised, 12 authentication-mechanism-name-required,
    /// 13 authentication-failure, 14 authentication-required.
    AcseServiceUser(u8),
    /// acse-service-provider `[2]`: 0 null, 1 no-reason-given, 2 no-common-acse-version.
    AcseServiceProvider(u8),
}

impl Diagnostic {
    /// From the content of result-source-diagnostic `[3]`: the choice wrapping an integer.
    #[inline(always)]
    fn read(v: &[u8]) -> Result<Self> {
        let mut c = Cursor::new(v);
        let t = read_tlv(&mut c)?;
        let d = read_int(t.value, "result-source-diagnostic")?;
        match t.tag {
            0xA1 => Ok(Diagnostic::AcseServiceUser(d)),
            0xA2 => Ok(Diagnostic::AcseServiceProvider(d)),
            x => Err(Error::unsupported(
                "result-source-diagnostic choice",
                u32::from(x),
            )),
        }
    }

    /// As result-source-diagnostic `[3]`.
    fn emit<S: Sink>(self, s: &mut S) -> Result<(), EncodeError> {
        let (t, v) = match self {
            Diagnostic::AcseServiceUser(v) => (0xA1, v),
            Diagnostic::AcseServiceProvider(v) => (0xA2, v),
        };
        s.put(&[0xA3, 0x05, t, 0x03, 0x02, 0x01, v])
    }
}

impl<'a> Aare<'a> {
    #[inline(always)]
    pub(crate) fn read_body(body: &'a [u8]) -> Result<Self> {
        let mut a = Aare::default();
        let mut have_result = false;
        for t in Tlvs::new(body) {
            let Tlv { tag, value: v } = t?;
            match tag {
                0x80 => a.protocol_version = Some(v),
                0xA1 => {
                    a.application_context_name =
                        Some(Oid(unwrap_inner(v, 0x06, "application-context-name")?))
                }
                0xA2 => {
                    a.result = read_int(v, "association result")?;
                    have_result = true;
                }
                0xA3 => a.diagnostic = Some(Diagnostic::read(v)?),
                0xA4 => a.responding_ap_title = Some(unwrap_inner(v, 0x04, "responding-ap-title")?),
                0xA5 => {
                    a.responding_ae_qualifier =
                        Some(unwrap_inner(v, 0x04, "responding-ae-qualifier")?)
                }
                0x88 => a.responder_acse_requirements = Some(v),
                0x89 => a.mechanism_name = Some(Oid(v)),
                0xAA => {
                    a.responding_authentication_value =
                        Some(unwrap_inner(v, 0x80, "responding-authentication-value")?)
                }
                0xBD => a.implementation_information = Some(v),
                0xBE => a.user_information = Some(parse_user_info(v)?),
                0xA6 | 0xA7 => {}
                t => return Err(Error::unsupported("aare field", u32::from(t))),
            }
        }
        if !have_result {
            return Err(Error::malformed("aare", "result field missing"));
        }
        Ok(a)
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.emit_apdu(tags::AARE, s)
    }

    /// Result name: "accepted", "rejected-permanent", "rejected-transient".
    pub fn result_name(&self) -> &'static str {
        match self.result {
            0 => "accepted",
            1 => "rejected-permanent",
            2 => "rejected-transient",
            _ => "unknown",
        }
    }
}

impl AcseBody for Aare<'_> {
    fn emit_body<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        if let Some(v) = self.protocol_version {
            put_simple(s, 0x80, v)?;
        }
        if let Some(o) = self.application_context_name {
            put_wrapped(s, 0xA1, 0x06, o.0)?;
        }
        put_wrapped(s, 0xA2, 0x02, &[self.result])?;
        if let Some(d) = self.diagnostic {
            d.emit(s)?;
        }
        if let Some(v) = self.responding_ap_title {
            put_wrapped(s, 0xA4, 0x04, v)?;
        }
        if let Some(v) = self.responding_ae_qualifier {
            put_wrapped(s, 0xA5, 0x04, v)?;
        }
        if let Some(v) = self.responder_acse_requirements {
            put_simple(s, 0x88, v)?;
        }
        if let Some(o) = self.mechanism_name {
            put_simple(s, 0x89, o.0)?;
        }
        if let Some(v) = self.responding_authentication_value {
            put_wrapped(s, 0xAA, 0x80, v)?;
        }
        if let Some(v) = self.implementation_information {
            put_simple(s, 0xBD, v)?;
        }
        if let Some(u) = &self.user_information {
            put_user_info(s, u)?;
        }
        Ok(())
    }
}

/// RLRQ (0x62) / RLRE (0x63): release request / response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Release<'a> {
    /// reason (`[0]`): RLRQ 0 normal, 1 urgent, 30 user-defined; RLRE 0 normal, 1 not-finished, 30 user-defined.
    pub reason: Option<u8>,
    /// user-information (`[30]`).
    pub user_information: Option<UserInformation<'a>>,
}

impl<'a> Release<'a> {
    #[inline(always)]
    pub(crate) fn read_body(body: &'a [u8]) -> Result<Self> {
        let mut r = Release::default();
        for t in Tlvs::new(body) {
            let Tlv { tag, value: v } = t?;
            match tag {
                0x80 => {
                    r.reason = Some(match v {
                        [x] => *x,
                        _ => return Err(Error::malformed("release reason", "expected one byte")),
                    })
                }
                0xBE => r.user_information = Some(parse_user_info(v)?),
                t => return Err(Error::unsupported("release field", u32::from(t))),
            }
        }
        Ok(r)
    }

    pub(crate) fn emit<S: Sink>(&self, tag: u8, s: &mut S) -> Result<(), EncodeError> {
        self.emit_apdu(tag, s)
    }
}

impl AcseBody for Release<'_> {
    fn emit_body<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        if let Some(r) = self.reason {
            s.put(&[0x80, 0x01, r])?;
        }
        if let Some(u) = &self.user_information {
            put_user_info(s, u)?;
        }
        Ok(())
    }
}

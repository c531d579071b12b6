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

fn put_user_info<S: Sink>(s: &mut S, tag: u8, ui: &UserInformation<'_>) -> Result<(), EncodeError> {
    let mut c = Counter(0);
    ui.emit(&mut c)?;
    s.put_u8(tag)?;
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

/// An ACSE APDU: the struct (with the derives all three share), one
/// `[tag] field: Type = form` row per element in encoding order (docs, and `#[serde(...)]`
/// for the `cfg_attr`'d attribute, go on the row). `read_body` stores each element in its
/// field: an unknown tag is an unsupported `what`, the `ignoring` ones are skipped, and a
/// body without the `required` element is malformed `field: reason` (the flag is set in
/// that element's arm, a constant in the others). `emit_body` writes the present elements
/// in row order. The forms: `raw` content, `wrapped(inner, name)` (one primitive TLV
/// inside), `oid` / `oid(inner, name)` (the same as an [`Oid`]), `int(name)` (a mandatory
/// one-byte INTEGER, wrapped), `byte(name)` (one raw byte), `diagnostic`,
/// `user_information`. The rows expand to the plain reads and writes (the parse is a hot
/// path): no per-element dispatch.
macro_rules! acse_apdu {
    (
        $(#[$m:meta])*
        pub struct $ty:ident<$a:lifetime>, $what:literal $(, ignoring $($skip:literal)|+)?
        $(, required $req:literal else $mfield:literal: $mreason:literal)? {
            $(
                $(#[doc = $doc:literal])*
                $(#[serde($($serde:tt)*)])*
                [$tag:literal] $field:ident: $F:ty = $form:ident $(($($arg:tt)*))?,
            )+
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize))]
        pub struct $ty<$a> {
            $(
                $(#[doc = $doc])*
                $(#[cfg_attr(feature = "serde", serde($($serde)*))])*
                pub $field: $F,
            )+
        }

        impl<$a> $ty<$a> {
            #[inline(always)]
            pub(crate) fn read_body(body: &$a [u8]) -> Result<Self> {
                let mut a = Self::default();
                let required: Option<u8> = None $(.or(Some($req)))?;
                let mut have_required = required.is_none();
                for t in Tlvs::new(body) {
                    let Tlv { tag, value: v } = t?;
                    match tag {
                        $($tag => {
                            a.$field = acse_apdu!(@read v, $form $(($($arg)*))?);
                            have_required |= required == Some($tag);
                        })+
                        $($($skip)|+ => {})?
                        t => return Err(Error::unsupported($what, u32::from(t))),
                    }
                }
                if !have_required {
                    return Err(acse_apdu!(@missing $($mfield, $mreason)?));
                }
                Ok(a)
            }
        }

        impl AcseBody for $ty<'_> {
            fn emit_body<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
                $(acse_apdu!(@emit s, $tag, self.$field, $form $(($($arg)*))?);)+
                Ok(())
            }
        }
    };
    (@missing $field:literal, $reason:literal) => { Error::malformed($field, $reason) };
    // Never built: without a required element `have_required` starts true.
    (@missing) => { Error::malformed("acse", "required element missing") };
    (@read $v:ident, raw) => { Some($v) };
    (@read $v:ident, wrapped($inner:literal, $name:literal)) => {
        Some(unwrap_inner($v, $inner, $name)?)
    };
    (@read $v:ident, oid) => { Some(Oid($v)) };
    (@read $v:ident, oid($inner:literal, $name:literal)) => {
        Some(Oid(unwrap_inner($v, $inner, $name)?))
    };
    (@read $v:ident, int($name:literal)) => { read_int($v, $name)? };
    (@read $v:ident, byte($name:literal)) => {
        Some(match $v {
            [x] => *x,
            _ => return Err(Error::malformed($name, "expected one byte")),
        })
    };
    (@read $v:ident, diagnostic) => { Some(Diagnostic::read($v)?) };
    (@read $v:ident, user_information) => { Some(parse_user_info($v)?) };
    (@emit $s:ident, $tag:literal, $x:expr, raw) => {
        if let Some(v) = $x {
            put_simple($s, $tag, v)?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, wrapped($inner:literal, $name:literal)) => {
        if let Some(v) = $x {
            put_wrapped($s, $tag, $inner, v)?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, oid) => {
        if let Some(o) = $x {
            put_simple($s, $tag, o.0)?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, oid($inner:literal, $name:literal)) => {
        if let Some(o) = $x {
            put_wrapped($s, $tag, $inner, o.0)?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, int($name:literal)) => {
        put_wrapped($s, $tag, 0x02, &[$x])?
    };
    (@emit $s:ident, $tag:literal, $x:expr, byte($name:literal)) => {
        if let Some(r) = $x {
            put_simple($s, $tag, &[r])?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, diagnostic) => {
        if let Some(d) = $x {
            d.emit($tag, $s)?;
        }
    };
    (@emit $s:ident, $tag:literal, $x:expr, user_information) => {
        if let Some(u) = &$x {
            put_user_info($s, $tag, u)?;
        }
    };
}

acse_apdu! {
    /// AARQ (0x60): association request. The invocation ids (`[4]`, `[5]`, `[8]`, `[9]`)
    /// are skipped: not used by DLMS.
    pub struct Aarq<'a>, "aarq field", ignoring 0xA4 | 0xA5 | 0xA8 | 0xA9 {
        /// protocol-version bit string content (`[0]`), when sent.
        #[serde(skip)]
        [0x80] protocol_version: Option<&'a [u8]> = raw,
        /// application-context-name (`[1]`).
        [0xA1] application_context_name: Option<Oid<'a>> =
            oid(0x06, "application-context-name"),
        /// called-AP-title (`[2]`, raw inner TLV).
        #[serde(skip)]
        [0xA2] called_ap_title: Option<&'a [u8]> = raw,
        /// called-AE-qualifier (`[3]`, raw inner TLV).
        #[serde(skip)]
        [0xA3] called_ae_qualifier: Option<&'a [u8]> = raw,
        /// calling-AP-title (`[6]`): the client system title.
        #[serde(rename = "system_title", serialize_with = "crate::util::hex_serde::opt")]
        [0xA6] calling_ap_title: Option<&'a [u8]> = wrapped(0x04, "calling-ap-title"),
        /// calling-AE-qualifier (`[7]`, octet string content, e.g. a certificate).
        #[serde(serialize_with = "crate::util::hex_serde::opt")]
        [0xA7] calling_ae_qualifier: Option<&'a [u8]> = wrapped(0x04, "calling-ae-qualifier"),
        /// sender-acse-requirements bit string content (`[10]`, `07 80` = authentication).
        #[serde(skip)]
        [0x8A] sender_acse_requirements: Option<&'a [u8]> = raw,
        /// mechanism-name (`[11]`).
        [0x8B] mechanism_name: Option<Oid<'a>> = oid,
        /// calling-authentication-value (`[12]`, charstring content: password or challenge).
        #[serde(serialize_with = "crate::util::hex_serde::opt")]
        [0xAC] calling_authentication_value: Option<&'a [u8]> =
            wrapped(0x80, "calling-authentication-value"),
        /// implementation-information (`[29]`).
        #[serde(skip)]
        [0xBD] implementation_information: Option<&'a [u8]> = raw,
        /// user-information (`[30]`).
        [0xBE] user_information: Option<UserInformation<'a>> = user_information,
    }
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

impl Aarq<'_> {
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.emit_apdu(tags::AARQ, s)
    }
}

acse_apdu! {
    /// AARE (0x61): association response. The invocation ids (`[6]`, `[7]`) are skipped.
    pub struct Aare<'a>, "aare field", ignoring 0xA6 | 0xA7,
        required 0xA2 else "aare": "result field missing" {
        /// protocol-version bit string content (`[0]`).
        #[serde(skip)]
        [0x80] protocol_version: Option<&'a [u8]> = raw,
        /// application-context-name (`[1]`).
        [0xA1] application_context_name: Option<Oid<'a>> =
            oid(0x06, "application-context-name"),
        /// result (`[2]`): 0 accepted, 1 rejected-permanent, 2 rejected-transient.
        [0xA2] result: u8 = int("association result"),
        /// result-source-diagnostic (`[3]`).
        [0xA3] diagnostic: Option<Diagnostic> = diagnostic,
        /// responding-AP-title (`[4]`): the server system title.
        #[serde(rename = "system_title", serialize_with = "crate::util::hex_serde::opt")]
        [0xA4] responding_ap_title: Option<&'a [u8]> = wrapped(0x04, "responding-ap-title"),
        /// responding-AE-qualifier (`[5]`, octet string content).
        #[serde(serialize_with = "crate::util::hex_serde::opt")]
        [0xA5] responding_ae_qualifier: Option<&'a [u8]> =
            wrapped(0x04, "responding-ae-qualifier"),
        /// responder-acse-requirements (`[8]`).
        #[serde(skip)]
        [0x88] responder_acse_requirements: Option<&'a [u8]> = raw,
        /// mechanism-name (`[9]`).
        [0x89] mechanism_name: Option<Oid<'a>> = oid,
        /// responding-authentication-value (`[10]`, the server challenge).
        #[serde(serialize_with = "crate::util::hex_serde::opt")]
        [0xAA] responding_authentication_value: Option<&'a [u8]> =
            wrapped(0x80, "responding-authentication-value"),
        /// implementation-information (`[29]`).
        #[serde(skip)]
        [0xBD] implementation_information: Option<&'a [u8]> = raw,
        /// user-information (`[30]`).
        [0xBE] user_information: Option<UserInformation<'a>> = user_information,
    }
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

    /// As result-source-diagnostic (`tag`, `[3]`).
    fn emit<S: Sink>(self, tag: u8, s: &mut S) -> Result<(), EncodeError> {
        let (t, v) = match self {
            Diagnostic::AcseServiceUser(v) => (0xA1, v),
            Diagnostic::AcseServiceProvider(v) => (0xA2, v),
        };
        s.put(&[tag, 0x05, t, 0x03, 0x02, 0x01, v])
    }
}

impl<'a> Aare<'a> {
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

acse_apdu! {
    /// RLRQ (0x62) / RLRE (0x63): release request / response.
    pub struct Release<'a>, "release field" {
        /// reason (`[0]`): RLRQ 0 normal, 1 urgent, 30 user-defined; RLRE 0 normal,
        /// 1 not-finished, 30 user-defined.
        [0x80] reason: Option<u8> = byte("release reason"),
        /// user-information (`[30]`).
        [0xBE] user_information: Option<UserInformation<'a>> = user_information,
    }
}

impl Release<'_> {
    pub(crate) fn emit<S: Sink>(&self, tag: u8, s: &mut S) -> Result<(), EncodeError> {
        self.emit_apdu(tag, s)
    }
}

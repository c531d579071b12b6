//! xDLMS and ACSE APDUs (IEC 62056-5-3 / DLMS UA Green Book clause 9).
//!
//! [`Apdu::parse`] recognises every APDU tag: ACSE (AARQ/AARE/RLRQ/RLRE), LN services
//! (get/set/action/event-notification/data-notification/exception/general-block-transfer),
//! SN services (read/write/information-report) and ciphered APDUs, whose security
//! header is exposed by [`Ciphered`]. Every APDU encodes back with [`meterwire_core::Encode`].

pub mod access;
pub mod acse;
pub mod ciphered;
pub mod common;
mod field;
mod notification;
pub mod sn;
pub mod xdlms;

pub use access::{AccessRequest, AccessRequestSpec, AccessResponse, AccessResponseSpec};
pub use acse::{Aare, Aarq, CipheredBytes, Diagnostic, Oid, Release, UserInformation};
pub use ciphered::{
    AUTH_TAG_LEN, Ciphered, CipheringKind, GeneralSigning, KeyInfo, SecurityControl,
};
pub use common::{
    AccessResult, ActionResult, AttributeDescriptor, AttributeWithSelection, DataBlockG,
    DataBlockSA, GetDataResult, InvokeIdAndPriority, List, ListIter, MethodDescriptor, RawOrResult,
    SelectiveAccess,
};
pub use sn::{ReadResult, SnService, VariableAccess, WriteResult};
pub use xdlms::{
    ActionRequest, ActionResponse, ConfirmedServiceError, Conformance, DataNotification,
    DateTimeForm, EventNotification, ExceptionResponse, GeneralBlockTransfer, GetRequest,
    GetResponse, InitiateRequest, InitiateResponse, LongInvokeIdAndPriority, SetRequest,
    SetResponse, tags,
};

use crate::error::{Error, Result};
use crate::util::{Sink, read_len};
use meterwire_core::{Cursor, EncodeError};

/// One APDU, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Apdu<'a> {
    /// AARQ (0x60).
    Aarq(Aarq<'a>),
    /// AARE (0x61).
    Aare(Aare<'a>),
    /// RLRQ (0x62).
    Rlrq(Release<'a>),
    /// RLRE (0x63).
    Rlre(Release<'a>),
    /// InitiateRequest (0x01) outside an AARQ.
    InitiateRequest(InitiateRequest<'a>),
    /// InitiateResponse (0x08) outside an AARE.
    InitiateResponse(InitiateResponse),
    /// ConfirmedServiceError (0x0E).
    ConfirmedServiceError(ConfirmedServiceError),
    /// get-request (0xC0).
    GetRequest(GetRequest<'a>),
    /// get-response (0xC4).
    GetResponse(GetResponse<'a>),
    /// set-request (0xC1).
    SetRequest(SetRequest<'a>),
    /// set-response (0xC5).
    SetResponse(SetResponse<'a>),
    /// action-request (0xC3).
    ActionRequest(ActionRequest<'a>),
    /// action-response (0xC7).
    ActionResponse(ActionResponse<'a>),
    /// event-notification-request (0xC2).
    EventNotification(EventNotification<'a>),
    /// data-notification (0x0F).
    DataNotification(DataNotification<'a>),
    /// exception-response (0xD8).
    ExceptionResponse(ExceptionResponse),
    /// general-block-transfer (0xE0).
    GeneralBlockTransfer(GeneralBlockTransfer<'a>),
    /// access-request (0xD9).
    AccessRequest(AccessRequest<'a>),
    /// access-response (0xDA).
    AccessResponse(AccessResponse<'a>),
    /// SN services (0x05, 0x06, 0x0C, 0x0D, 0x16, 0x18).
    Sn(SnService<'a>),
    /// A ciphered APDU (glo-/ded- services, general-glo/ded-ciphering, general-ciphering).
    Ciphered(Ciphered<'a>),
    /// general-signing (0xDF).
    GeneralSigning(GeneralSigning<'a>),
}

impl<'a> Apdu<'a> {
    /// Parses exactly one APDU; trailing bytes are an error.
    #[inline]
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        let mut c = Cursor::new(input);
        let apdu = Self::read(&mut c)?;
        if !c.is_empty() {
            return Err(Error::length("apdu", c.position(), input.len()));
        }
        Ok(apdu)
    }

    /// Parses one APDU at the start of `input`; returns it and the bytes used.
    pub fn parse_prefix(input: &'a [u8]) -> Result<(Self, usize)> {
        let mut c = Cursor::new(input);
        let apdu = Self::read(&mut c)?;
        Ok((apdu, c.position()))
    }

    /// Reads one APDU from a cursor.
    #[inline(always)]
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let tag = c.peek_u8()?;
        if ciphered::is_ciphered_tag(tag) {
            let (ci, used) = Ciphered::parse_prefix(c.rest())?;
            c.skip(used)?;
            return Ok(Apdu::Ciphered(ci));
        }
        c.skip(1)?;
        Ok(match tag {
            tags::AARQ | tags::AARE | tags::RLRQ | tags::RLRE => {
                let n = read_len(c)?;
                let body = c.take(n)?;
                match tag {
                    tags::AARQ => Apdu::Aarq(Aarq::read_body(body)?),
                    tags::AARE => Apdu::Aare(Aare::read_body(body)?),
                    tags::RLRQ => Apdu::Rlrq(Release::read_body(body)?),
                    _ => Apdu::Rlre(Release::read_body(body)?),
                }
            }
            tags::INITIATE_REQUEST => Apdu::InitiateRequest(InitiateRequest::read(c)?),
            tags::INITIATE_RESPONSE => Apdu::InitiateResponse(InitiateResponse::read(c)?),
            tags::CONFIRMED_SERVICE_ERROR => {
                Apdu::ConfirmedServiceError(ConfirmedServiceError::read(c)?)
            }
            tags::GET_REQUEST => Apdu::GetRequest(GetRequest::read(c)?),
            tags::GET_RESPONSE => Apdu::GetResponse(GetResponse::read(c)?),
            tags::SET_REQUEST => Apdu::SetRequest(SetRequest::read(c)?),
            tags::SET_RESPONSE => Apdu::SetResponse(SetResponse::read(c)?),
            tags::ACTION_REQUEST => Apdu::ActionRequest(ActionRequest::read(c)?),
            tags::ACTION_RESPONSE => Apdu::ActionResponse(ActionResponse::read(c)?),
            tags::EVENT_NOTIFICATION => Apdu::EventNotification(EventNotification::read(c)?),
            tags::DATA_NOTIFICATION => Apdu::DataNotification(DataNotification::read(c)?),
            tags::EXCEPTION_RESPONSE => Apdu::ExceptionResponse(ExceptionResponse::read(c)?),
            tags::GENERAL_BLOCK_TRANSFER => {
                Apdu::GeneralBlockTransfer(GeneralBlockTransfer::read(c)?)
            }
            tags::READ_REQUEST
            | tags::WRITE_REQUEST
            | tags::UNCONFIRMED_WRITE_REQUEST
            | tags::READ_RESPONSE
            | tags::WRITE_RESPONSE
            | tags::INFORMATION_REPORT => Apdu::Sn(SnService::read(tag, c)?),
            access::ACCESS_REQUEST => Apdu::AccessRequest(AccessRequest::read(c)?),
            access::ACCESS_RESPONSE => Apdu::AccessResponse(AccessResponse::read(c)?),
            0xDF => Apdu::GeneralSigning(GeneralSigning::parse_body(c)?),
            _ => return Err(Error::unsupported("apdu tag", u32::from(tag))),
        })
    }

    /// Departures from the standard that still decoded (lazily computed from the view):
    /// today a data-notification's tagged date-time ([`DateTimeForm`]).
    pub fn diagnostics(&self) -> impl Iterator<Item = meterwire_core::Diagnostic> + use<> {
        match self {
            Apdu::DataNotification(d) => d.diagnostics().next(),
            _ => None,
        }
        .into_iter()
    }

    /// The stable name used in JSON as `"apdu"`, e.g. "get-request-normal", "data-notification", "aarq".
    pub fn name(&self) -> &'static str {
        match self {
            Apdu::Aarq(_) => "aarq",
            Apdu::Aare(_) => "aare",
            Apdu::Rlrq(_) => "rlrq",
            Apdu::Rlre(_) => "rlre",
            Apdu::InitiateRequest(_) => "initiate-request",
            Apdu::InitiateResponse(_) => "initiate-response",
            Apdu::ConfirmedServiceError(_) => "confirmed-service-error",
            Apdu::GetRequest(v) => v.name(),
            Apdu::GetResponse(v) => v.name(),
            Apdu::SetRequest(v) => v.name(),
            Apdu::SetResponse(v) => v.name(),
            Apdu::ActionRequest(v) => v.name(),
            Apdu::ActionResponse(v) => v.name(),
            Apdu::EventNotification(_) => "event-notification",
            Apdu::DataNotification(_) => "data-notification",
            Apdu::ExceptionResponse(_) => "exception-response",
            Apdu::GeneralBlockTransfer(_) => "general-block-transfer",
            Apdu::AccessRequest(_) => "access-request",
            Apdu::AccessResponse(_) => "access-response",
            Apdu::Sn(v) => v.name(),
            Apdu::Ciphered(c) => ciphered_name(c),
            Apdu::GeneralSigning(_) => "general-signing",
        }
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            Apdu::Aarq(v) => v.emit(s),
            Apdu::Aare(v) => v.emit(s),
            Apdu::Rlrq(v) => v.emit(tags::RLRQ, s),
            Apdu::Rlre(v) => v.emit(tags::RLRE, s),
            Apdu::InitiateRequest(v) => v.emit(s),
            Apdu::InitiateResponse(v) => v.emit(s),
            Apdu::ConfirmedServiceError(v) => v.emit(s),
            Apdu::GetRequest(v) => v.emit(s),
            Apdu::GetResponse(v) => v.emit(s),
            Apdu::SetRequest(v) => v.emit(s),
            Apdu::SetResponse(v) => v.emit(s),
            Apdu::ActionRequest(v) => v.emit(s),
            Apdu::ActionResponse(v) => v.emit(s),
            Apdu::EventNotification(v) => v.emit(s),
            Apdu::DataNotification(v) => v.emit(s),
            Apdu::ExceptionResponse(v) => v.emit(s),
            Apdu::GeneralBlockTransfer(v) => v.emit(s),
            Apdu::AccessRequest(v) => v.emit(s),
            Apdu::AccessResponse(v) => v.emit(s),
            Apdu::Sn(v) => v.emit(s),
            Apdu::Ciphered(v) => v.emit(s),
            Apdu::GeneralSigning(v) => {
                s.put_u8(0xDF)?;
                v.write_body(s)
            }
        }
    }
}

crate::util::encode_via_emit!(Apdu<'_>);

/// Name of a ciphered APDU, e.g. "glo-get-request", "general-glo-ciphering".
pub fn ciphered_name(c: &Ciphered<'_>) -> &'static str {
    match c.tag {
        0xDB => "general-glo-ciphering",
        0xDC => "general-ded-ciphering",
        0xDD => "general-ciphering",
        0x21 => "glo-initiate-request",
        0x25 => "glo-read-request",
        0x26 => "glo-write-request",
        0x28 => "glo-initiate-response",
        0x2C => "glo-read-response",
        0x2D => "glo-write-response",
        0x2E => "glo-confirmed-service-error",
        0x36 => "glo-unconfirmed-write-request",
        0x38 => "glo-information-report-request",
        0x41 => "ded-initiate-request",
        0x45 => "ded-read-request",
        0x46 => "ded-write-request",
        0x48 => "ded-initiate-response",
        0x4C => "ded-read-response",
        0x4D => "ded-write-response",
        0x4E => "ded-confirmed-service-error",
        0x56 => "ded-unconfirmed-write-request",
        0x58 => "ded-information-report-request",
        0xC8 => "glo-get-request",
        0xC9 => "glo-set-request",
        0xCA => "glo-event-notification-request",
        0xCB => "glo-action-request",
        0xCC => "glo-get-response",
        0xCD => "glo-set-response",
        0xCE => "glo-confirmed-service-error",
        0xCF => "glo-action-response",
        0xD0 => "ded-get-request",
        0xD1 => "ded-set-request",
        0xD2 => "ded-event-notification-request",
        0xD3 => "ded-action-request",
        0xD4 => "ded-get-response",
        0xD5 => "ded-set-response",
        0xD6 => "ded-confirmed-service-error",
        0xD7 => "ded-action-response",
        _ => "ciphered",
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Apdu<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Tagged<'b, T: serde::Serialize> {
            apdu: &'static str,
            #[serde(flatten)]
            body: &'b T,
        }
        let apdu = self.name();
        match self {
            Apdu::Aarq(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::Aare(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::Rlrq(v) | Apdu::Rlre(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::InitiateRequest(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::InitiateResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::ConfirmedServiceError(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::GetRequest(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::GetResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::SetRequest(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::SetResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::ActionRequest(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::ActionResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::EventNotification(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::DataNotification(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::ExceptionResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::GeneralBlockTransfer(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::AccessRequest(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::AccessResponse(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::Sn(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::Ciphered(v) => Tagged { apdu, body: v }.serialize(s),
            Apdu::GeneralSigning(v) => Tagged { apdu, body: v }.serialize(s),
        }
    }
}

/// A framer for bare APDUs back to back (no transport framing): each APDU's own
/// structure tells where it ends. A truncated APDU asks for more bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApduFramer;

impl meterwire_core::Framer for ApduFramer {
    type Frame<'a> = Apdu<'a>;
    type Error = Error;

    fn decode<'a>(&mut self, input: &'a [u8]) -> Result<meterwire_core::Decoded<Apdu<'a>>> {
        use meterwire_core::{Decoded, Needed};
        if input.is_empty() {
            return Ok(Decoded::Incomplete {
                needed: Needed::at_least(1),
            });
        }
        match Apdu::parse_prefix(input) {
            Ok((frame, consumed)) => Ok(Decoded::Frame {
                frame,
                consumed: consumed.max(1),
            }),
            Err(Error::Core(meterwire_core::Error::Truncated { needed })) => {
                Ok(Decoded::Incomplete {
                    needed: Needed::at_least(needed),
                })
            }
            Err(e) => Err(e),
        }
    }

    fn resync(&mut self, input: &[u8]) -> usize {
        // bare APDUs carry no start marker: drop what is buffered
        input.len().max(1)
    }
}

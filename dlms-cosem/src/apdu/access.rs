//! The ACCESS service (IEC 62056-5-3 clause 9.3.x, DLMS UA Green Book 9.3 "ACCESS"):
//! access-request (0xD9) and access-response (0xDA), several get/set/action operations
//! in one APDU.

use super::common::*;
use super::xdlms::LongInvokeIdAndPriority;
use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::util::{Sink, read_octets};
use meterwire_core::{Cursor, EncodeError};

/// access-request tag.
pub const ACCESS_REQUEST: u8 = 0xD9;
/// access-response tag.
pub const ACCESS_RESPONSE: u8 = 0xDA;

/// Access-Request-Specification.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AccessRequestSpec<'a> {
    /// access-request-get `[1]`.
    Get(AttributeDescriptor),
    /// access-request-set `[2]`.
    Set(AttributeDescriptor),
    /// access-request-action `[3]`.
    Action(MethodDescriptor),
    /// access-request-get-with-selection `[4]`.
    GetWithSelection(AttributeDescriptor, SelectiveAccess<'a>),
    /// access-request-set-with-selection `[5]`.
    SetWithSelection(AttributeDescriptor, SelectiveAccess<'a>),
}

fn read_sa<'a>(c: &mut Cursor<'a>) -> Result<SelectiveAccess<'a>> {
    Ok(SelectiveAccess {
        selector: c.read_u8()?,
        parameters: Data::read(c)?,
    })
}

fn emit_sa<S: Sink>(s: &mut S, sa: &SelectiveAccess<'_>) -> Result<(), EncodeError> {
    s.put_u8(sa.selector)?;
    sa.parameters.write(s)
}

impl<'a> Item<'a> for AccessRequestSpec<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(match c.read_u8()? {
            1 => AccessRequestSpec::Get(AttributeDescriptor::read(c)?),
            2 => AccessRequestSpec::Set(AttributeDescriptor::read(c)?),
            3 => AccessRequestSpec::Action(MethodDescriptor::read(c)?),
            4 => AccessRequestSpec::GetWithSelection(AttributeDescriptor::read(c)?, read_sa(c)?),
            5 => AccessRequestSpec::SetWithSelection(AttributeDescriptor::read(c)?, read_sa(c)?),
            v => {
                return Err(Error::unsupported(
                    "access-request-specification choice",
                    u32::from(v),
                ));
            }
        })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            AccessRequestSpec::Get(d) => {
                s.put_u8(1)?;
                d.emit_item(s)
            }
            AccessRequestSpec::Set(d) => {
                s.put_u8(2)?;
                d.emit_item(s)
            }
            AccessRequestSpec::Action(m) => {
                s.put_u8(3)?;
                m.emit_item(s)
            }
            AccessRequestSpec::GetWithSelection(d, sa) => {
                s.put_u8(4)?;
                d.emit_item(s)?;
                emit_sa(s, sa)
            }
            AccessRequestSpec::SetWithSelection(d, sa) => {
                s.put_u8(5)?;
                d.emit_item(s)?;
                emit_sa(s, sa)
            }
        }
    }
}

/// Access-Response-Specification: the result of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum AccessResponseSpec {
    /// access-response-get `[1]`: data-access-result.
    Get(AccessResult),
    /// access-response-set `[2]`: data-access-result.
    Set(AccessResult),
    /// access-response-action `[3]`: action-result.
    Action(AccessResult),
}

impl<'a> Item<'a> for AccessResponseSpec {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let choice = c.read_u8()?;
        let r = AccessResult(c.read_u8()?);
        Ok(match choice {
            1 => AccessResponseSpec::Get(r),
            2 => AccessResponseSpec::Set(r),
            3 => AccessResponseSpec::Action(r),
            v => {
                return Err(Error::unsupported(
                    "access-response-specification choice",
                    u32::from(v),
                ));
            }
        })
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        let (c, r) = match self {
            AccessResponseSpec::Get(r) => (1, r),
            AccessResponseSpec::Set(r) => (2, r),
            AccessResponseSpec::Action(r) => (3, r),
        };
        s.put(&[c, r.0])
    }
}

/// access-request (0xD9).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AccessRequest<'a> {
    /// Long invoke id and priority.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub invoke: LongInvokeIdAndPriority,
    /// Date-time octet string (empty when not sent).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::bytes")
    )]
    pub date_time: &'a [u8],
    /// The operations.
    pub requests: List<'a, AccessRequestSpec<'a>>,
    /// One value per operation (null-data for get and action without parameters).
    pub data: List<'a, Data<'a>>,
}

impl<'a> AccessRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(AccessRequest {
            invoke: LongInvokeIdAndPriority(c.read_u32_be()?),
            date_time: read_octets(c)?,
            requests: List::read(c)?,
            data: List::read(c)?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(ACCESS_REQUEST)?;
        s.put_u32(self.invoke.0)?;
        s.put_octets(self.date_time)?;
        self.requests.emit(s)?;
        self.data.emit(s)
    }
}

/// access-response (0xDA).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AccessResponse<'a> {
    /// Long invoke id and priority.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub invoke: LongInvokeIdAndPriority,
    /// Date-time octet string (empty when not sent).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::bytes")
    )]
    pub date_time: &'a [u8],
    /// The request's operations, when echoed (OPTIONAL).
    pub requests: Option<List<'a, AccessRequestSpec<'a>>>,
    /// One value per operation (the data of gets).
    pub data: List<'a, Data<'a>>,
    /// One result per operation.
    pub results: List<'a, AccessResponseSpec>,
}

impl<'a> AccessResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        Ok(AccessResponse {
            invoke: LongInvokeIdAndPriority(c.read_u32_be()?),
            date_time: read_octets(c)?,
            requests: if read_optional(c, "access-request-specification")? {
                Some(List::read(c)?)
            } else {
                None
            },
            data: List::read(c)?,
            results: List::read(c)?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(ACCESS_RESPONSE)?;
        s.put_u32(self.invoke.0)?;
        s.put_octets(self.date_time)?;
        match &self.requests {
            None => s.put_u8(0)?,
            Some(r) => {
                s.put_u8(1)?;
                r.emit(s)?;
            }
        }
        self.data.emit(s)?;
        self.results.emit(s)
    }
}

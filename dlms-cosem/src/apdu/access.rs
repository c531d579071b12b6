//! The ACCESS service (IEC 62056-5-3 clause 9.3.x, DLMS UA Green Book 9.3 "ACCESS"):
//! access-request (0xD9) and access-response (0xDA), several get/set/action operations
//! in one APDU.

use super::common::*;
use super::field::{apdu_sequence, item_choice};
use super::xdlms::LongInvokeIdAndPriority;
use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::util::Sink;
use meterwire_core::{Cursor, EncodeError};

/// access-request tag.
pub const ACCESS_REQUEST: u8 = 0xD9;
/// access-response tag.
pub const ACCESS_RESPONSE: u8 = 0xDA;

item_choice! {
    /// Access-Request-Specification.
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
    pub enum AccessRequestSpec<'a>, "access-request-specification choice" {
        /// access-request-get `[1]`.
        [1] Get(attribute: AttributeDescriptor),
        /// access-request-set `[2]`.
        [2] Set(attribute: AttributeDescriptor),
        /// access-request-action `[3]`.
        [3] Action(method: MethodDescriptor),
        /// access-request-get-with-selection `[4]`.
        [4] GetWithSelection(attribute: AttributeDescriptor, access: SelectiveAccess<'a>),
        /// access-request-set-with-selection `[5]`.
        [5] SetWithSelection(attribute: AttributeDescriptor, access: SelectiveAccess<'a>),
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

apdu_sequence! {
    /// access-request (0xD9).
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    pub struct AccessRequest<'a> = ACCESS_REQUEST {
        /// Long invoke id and priority.
        #[serde(flatten)]
        invoke: LongInvokeIdAndPriority,
        /// Date-time octet string (empty when not sent).
        #[serde(serialize_with = "crate::util::hex_serde::bytes")]
        date_time: &'a [u8],
        /// The operations.
        requests: List<'a, AccessRequestSpec<'a>>,
        /// One value per operation (null-data for get and action without parameters).
        data: List<'a, Data<'a>>,
    }
}

apdu_sequence! {
    /// access-response (0xDA).
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    pub struct AccessResponse<'a> = ACCESS_RESPONSE {
        /// Long invoke id and priority.
        #[serde(flatten)]
        invoke: LongInvokeIdAndPriority,
        /// Date-time octet string (empty when not sent).
        #[serde(serialize_with = "crate::util::hex_serde::bytes")]
        date_time: &'a [u8],
        /// The request's operations, when echoed (OPTIONAL).
        requests: Option<List<'a, AccessRequestSpec<'a>>> as "access-request-specification",
        /// One value per operation (the data of gets).
        data: List<'a, Data<'a>>,
        /// One result per operation.
        results: List<'a, AccessResponseSpec>,
    }
}

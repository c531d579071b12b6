//! xDLMS LN services (IEC 62056-5-3 clause 9.5 / Green Book 9.3): GET, SET, ACTION,
//! EventNotification, DataNotification, ExceptionResponse, general-block-transfer,
//! and the InitiateRequest / InitiateResponse / ConfirmedServiceError of association.

use super::common::*;
use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::util::{Sink, read_octets};
use meterwire_core::{Cursor, EncodeError};

/// APDU tags.
pub mod tags {
    /// initiateRequest
    pub const INITIATE_REQUEST: u8 = 0x01;
    /// readRequest (SN)
    pub const READ_REQUEST: u8 = 0x05;
    /// writeRequest (SN)
    pub const WRITE_REQUEST: u8 = 0x06;
    /// initiateResponse
    pub const INITIATE_RESPONSE: u8 = 0x08;
    /// readResponse (SN)
    pub const READ_RESPONSE: u8 = 0x0C;
    /// writeResponse (SN)
    pub const WRITE_RESPONSE: u8 = 0x0D;
    /// confirmedServiceError
    pub const CONFIRMED_SERVICE_ERROR: u8 = 0x0E;
    /// data-notification
    pub const DATA_NOTIFICATION: u8 = 0x0F;
    /// unconfirmedWriteRequest (SN)
    pub const UNCONFIRMED_WRITE_REQUEST: u8 = 0x16;
    /// informationReportRequest (SN)
    pub const INFORMATION_REPORT: u8 = 0x18;
    /// AARQ
    pub const AARQ: u8 = 0x60;
    /// AARE
    pub const AARE: u8 = 0x61;
    /// RLRQ
    pub const RLRQ: u8 = 0x62;
    /// RLRE
    pub const RLRE: u8 = 0x63;
    /// get-request
    pub const GET_REQUEST: u8 = 0xC0;
    /// set-request
    pub const SET_REQUEST: u8 = 0xC1;
    /// event-notification-request
    pub const EVENT_NOTIFICATION: u8 = 0xC2;
    /// action-request
    pub const ACTION_REQUEST: u8 = 0xC3;
    /// get-response
    pub const GET_RESPONSE: u8 = 0xC4;
    /// set-response
    pub const SET_RESPONSE: u8 = 0xC5;
    /// action-response
    pub const ACTION_RESPONSE: u8 = 0xC7;
    /// exception-response
    pub const EXCEPTION_RESPONSE: u8 = 0xD8;
    /// general-block-transfer
    pub const GENERAL_BLOCK_TRANSFER: u8 = 0xE0;
}

fn iip(c: &mut Cursor<'_>) -> Result<InvokeIdAndPriority> {
    Ok(InvokeIdAndPriority(c.read_u8()?))
}

/// GET-Request (0xC0).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum GetRequest<'a> {
    /// get-request-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attribute.
        #[cfg_attr(feature = "serde", serde(flatten))]
        attribute: AttributeWithSelection<'a>,
    },
    /// get-request-next (2).
    Next {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Block number of the last block received.
        block_number: u32,
    },
    /// get-request-with-list (3).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attributes.
        attributes: List<'a, AttributeWithSelection<'a>>,
    },
}

impl<'a> GetRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(GetRequest::Normal {
                invoke: iip(c)?,
                attribute: AttributeWithSelection::read(c)?,
            }),
            2 => Ok(GetRequest::Next {
                invoke: iip(c)?,
                block_number: c.read_u32_be()?,
            }),
            3 => Ok(GetRequest::WithList {
                invoke: iip(c)?,
                attributes: List::read(c)?,
            }),
            v => Err(Error::unsupported("get-request choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::GET_REQUEST)?;
        match self {
            GetRequest::Normal { invoke, attribute } => {
                s.put(&[1, invoke.0])?;
                attribute.emit_item(s)
            }
            GetRequest::Next {
                invoke,
                block_number,
            } => {
                s.put(&[2, invoke.0])?;
                s.put_u32(*block_number)
            }
            GetRequest::WithList { invoke, attributes } => {
                s.put(&[3, invoke.0])?;
                attributes.emit(s)
            }
        }
    }
    /// "get-request-normal", "get-request-next", "get-request-with-list".
    pub fn name(&self) -> &'static str {
        match self {
            GetRequest::Normal { .. } => "get-request-normal",
            GetRequest::Next { .. } => "get-request-next",
            GetRequest::WithList { .. } => "get-request-with-list",
        }
    }
}

/// GET-Response (0xC4).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum GetResponse<'a> {
    /// get-response-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Data or data-access-result.
        #[cfg_attr(feature = "serde", serde(flatten))]
        result: GetDataResult<'a>,
    },
    /// get-response-with-datablock (2).
    WithDataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockG<'a>,
    },
    /// get-response-with-list (3).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The results.
        results: List<'a, GetDataResult<'a>>,
    },
}

impl<'a> GetResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(GetResponse::Normal {
                invoke: iip(c)?,
                result: GetDataResult::read(c)?,
            }),
            2 => Ok(GetResponse::WithDataBlock {
                invoke: iip(c)?,
                block: DataBlockG::read(c)?,
            }),
            3 => Ok(GetResponse::WithList {
                invoke: iip(c)?,
                results: List::read(c)?,
            }),
            v => Err(Error::unsupported("get-response choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::GET_RESPONSE)?;
        match self {
            GetResponse::Normal { invoke, result } => {
                s.put(&[1, invoke.0])?;
                result.emit_item(s)
            }
            GetResponse::WithDataBlock { invoke, block } => {
                s.put(&[2, invoke.0])?;
                block.emit_item(s)
            }
            GetResponse::WithList { invoke, results } => {
                s.put(&[3, invoke.0])?;
                results.emit(s)
            }
        }
    }
    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            GetResponse::Normal { .. } => "get-response-normal",
            GetResponse::WithDataBlock { .. } => "get-response-with-datablock",
            GetResponse::WithList { .. } => "get-response-with-list",
        }
    }
}

/// SET-Request (0xC1).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum SetRequest<'a> {
    /// set-request-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attribute.
        #[cfg_attr(feature = "serde", serde(flatten))]
        attribute: AttributeWithSelection<'a>,
        /// The value.
        data: Data<'a>,
    },
    /// set-request-with-first-datablock (2).
    WithFirstDataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attribute.
        #[cfg_attr(feature = "serde", serde(flatten))]
        attribute: AttributeWithSelection<'a>,
        /// The first block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
    /// set-request-with-datablock (3).
    WithDataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
    /// set-request-with-list (4).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attributes.
        attributes: List<'a, AttributeWithSelection<'a>>,
        /// The values.
        values: List<'a, Data<'a>>,
    },
    /// set-request-with-list-and-first-datablock (5).
    WithListAndFirstDataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The attributes.
        attributes: List<'a, AttributeWithSelection<'a>>,
        /// The first block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
}

impl<'a> SetRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(SetRequest::Normal {
                invoke: iip(c)?,
                attribute: AttributeWithSelection::read(c)?,
                data: Data::read(c)?,
            }),
            2 => Ok(SetRequest::WithFirstDataBlock {
                invoke: iip(c)?,
                attribute: AttributeWithSelection::read(c)?,
                block: DataBlockSA::read(c)?,
            }),
            3 => Ok(SetRequest::WithDataBlock {
                invoke: iip(c)?,
                block: DataBlockSA::read(c)?,
            }),
            4 => Ok(SetRequest::WithList {
                invoke: iip(c)?,
                attributes: List::read(c)?,
                values: List::read(c)?,
            }),
            5 => Ok(SetRequest::WithListAndFirstDataBlock {
                invoke: iip(c)?,
                attributes: List::read(c)?,
                block: DataBlockSA::read(c)?,
            }),
            v => Err(Error::unsupported("set-request choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::SET_REQUEST)?;
        match self {
            SetRequest::Normal {
                invoke,
                attribute,
                data,
            } => {
                s.put(&[1, invoke.0])?;
                attribute.emit_item(s)?;
                data.write(s)
            }
            SetRequest::WithFirstDataBlock {
                invoke,
                attribute,
                block,
            } => {
                s.put(&[2, invoke.0])?;
                attribute.emit_item(s)?;
                block.emit_item(s)
            }
            SetRequest::WithDataBlock { invoke, block } => {
                s.put(&[3, invoke.0])?;
                block.emit_item(s)
            }
            SetRequest::WithList {
                invoke,
                attributes,
                values,
            } => {
                s.put(&[4, invoke.0])?;
                attributes.emit(s)?;
                values.emit(s)
            }
            SetRequest::WithListAndFirstDataBlock {
                invoke,
                attributes,
                block,
            } => {
                s.put(&[5, invoke.0])?;
                attributes.emit(s)?;
                block.emit_item(s)
            }
        }
    }
    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            SetRequest::Normal { .. } => "set-request-normal",
            SetRequest::WithFirstDataBlock { .. } => "set-request-with-first-datablock",
            SetRequest::WithDataBlock { .. } => "set-request-with-datablock",
            SetRequest::WithList { .. } => "set-request-with-list",
            SetRequest::WithListAndFirstDataBlock { .. } => {
                "set-request-with-list-and-first-datablock"
            }
        }
    }
}

/// SET-Response (0xC5).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum SetResponse<'a> {
    /// set-response-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Result.
        result: AccessResult,
    },
    /// set-response-datablock (2).
    DataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Block number acknowledged.
        block_number: u32,
    },
    /// set-response-last-datablock (3).
    LastDataBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Result.
        result: AccessResult,
        /// Block number.
        block_number: u32,
    },
    /// set-response-last-datablock-with-list (4).
    LastDataBlockWithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Results.
        results: List<'a, AccessResult>,
        /// Block number.
        block_number: u32,
    },
    /// set-response-with-list (5).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Results.
        results: List<'a, AccessResult>,
    },
}

impl<'a> SetResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(SetResponse::Normal {
                invoke: iip(c)?,
                result: AccessResult(c.read_u8()?),
            }),
            2 => Ok(SetResponse::DataBlock {
                invoke: iip(c)?,
                block_number: c.read_u32_be()?,
            }),
            3 => Ok(SetResponse::LastDataBlock {
                invoke: iip(c)?,
                result: AccessResult(c.read_u8()?),
                block_number: c.read_u32_be()?,
            }),
            4 => Ok(SetResponse::LastDataBlockWithList {
                invoke: iip(c)?,
                results: List::read(c)?,
                block_number: c.read_u32_be()?,
            }),
            5 => Ok(SetResponse::WithList {
                invoke: iip(c)?,
                results: List::read(c)?,
            }),
            v => Err(Error::unsupported("set-response choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::SET_RESPONSE)?;
        match self {
            SetResponse::Normal { invoke, result } => s.put(&[1, invoke.0, result.0]),
            SetResponse::DataBlock {
                invoke,
                block_number,
            } => {
                s.put(&[2, invoke.0])?;
                s.put_u32(*block_number)
            }
            SetResponse::LastDataBlock {
                invoke,
                result,
                block_number,
            } => {
                s.put(&[3, invoke.0, result.0])?;
                s.put_u32(*block_number)
            }
            SetResponse::LastDataBlockWithList {
                invoke,
                results,
                block_number,
            } => {
                s.put(&[4, invoke.0])?;
                results.emit(s)?;
                s.put_u32(*block_number)
            }
            SetResponse::WithList { invoke, results } => {
                s.put(&[5, invoke.0])?;
                results.emit(s)
            }
        }
    }
    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            SetResponse::Normal { .. } => "set-response-normal",
            SetResponse::DataBlock { .. } => "set-response-datablock",
            SetResponse::LastDataBlock { .. } => "set-response-last-datablock",
            SetResponse::LastDataBlockWithList { .. } => "set-response-last-datablock-with-list",
            SetResponse::WithList { .. } => "set-response-with-list",
        }
    }
}

/// ACTION-Request (0xC3).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum ActionRequest<'a> {
    /// action-request-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The method.
        #[cfg_attr(feature = "serde", serde(flatten))]
        method: MethodDescriptor,
        /// Optional invocation parameters.
        data: Option<Data<'a>>,
    },
    /// action-request-next-pblock (2).
    NextPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Block number.
        block_number: u32,
    },
    /// action-request-with-list (3).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The methods.
        methods: List<'a, MethodDescriptor>,
        /// The parameters.
        parameters: List<'a, Data<'a>>,
    },
    /// action-request-with-first-pblock (4).
    WithFirstPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The method.
        #[cfg_attr(feature = "serde", serde(flatten))]
        method: MethodDescriptor,
        /// The first block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
    /// action-request-with-list-and-first-pblock (5).
    WithListAndFirstPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The methods.
        methods: List<'a, MethodDescriptor>,
        /// The first block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
    /// action-request-with-pblock (6).
    WithPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
}

fn read_opt_data<'a>(c: &mut Cursor<'a>) -> Result<Option<Data<'a>>> {
    Ok(if read_optional(c, "optional data")? {
        Some(Data::read(c)?)
    } else {
        None
    })
}

fn emit_opt_data<S: Sink>(s: &mut S, d: &Option<Data<'_>>) -> Result<(), EncodeError> {
    match d {
        None => s.put_u8(0),
        Some(d) => {
            s.put_u8(1)?;
            d.write(s)
        }
    }
}

impl<'a> ActionRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(ActionRequest::Normal {
                invoke: iip(c)?,
                method: MethodDescriptor::read(c)?,
                data: read_opt_data(c)?,
            }),
            2 => Ok(ActionRequest::NextPBlock {
                invoke: iip(c)?,
                block_number: c.read_u32_be()?,
            }),
            3 => Ok(ActionRequest::WithList {
                invoke: iip(c)?,
                methods: List::read(c)?,
                parameters: List::read(c)?,
            }),
            4 => Ok(ActionRequest::WithFirstPBlock {
                invoke: iip(c)?,
                method: MethodDescriptor::read(c)?,
                block: DataBlockSA::read(c)?,
            }),
            5 => Ok(ActionRequest::WithListAndFirstPBlock {
                invoke: iip(c)?,
                methods: List::read(c)?,
                block: DataBlockSA::read(c)?,
            }),
            6 => Ok(ActionRequest::WithPBlock {
                invoke: iip(c)?,
                block: DataBlockSA::read(c)?,
            }),
            v => Err(Error::unsupported("action-request choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::ACTION_REQUEST)?;
        match self {
            ActionRequest::Normal {
                invoke,
                method,
                data,
            } => {
                s.put(&[1, invoke.0])?;
                method.emit_item(s)?;
                emit_opt_data(s, data)
            }
            ActionRequest::NextPBlock {
                invoke,
                block_number,
            } => {
                s.put(&[2, invoke.0])?;
                s.put_u32(*block_number)
            }
            ActionRequest::WithList {
                invoke,
                methods,
                parameters,
            } => {
                s.put(&[3, invoke.0])?;
                methods.emit(s)?;
                parameters.emit(s)
            }
            ActionRequest::WithFirstPBlock {
                invoke,
                method,
                block,
            } => {
                s.put(&[4, invoke.0])?;
                method.emit_item(s)?;
                block.emit_item(s)
            }
            ActionRequest::WithListAndFirstPBlock {
                invoke,
                methods,
                block,
            } => {
                s.put(&[5, invoke.0])?;
                methods.emit(s)?;
                block.emit_item(s)
            }
            ActionRequest::WithPBlock { invoke, block } => {
                s.put(&[6, invoke.0])?;
                block.emit_item(s)
            }
        }
    }
    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            ActionRequest::Normal { .. } => "action-request-normal",
            ActionRequest::NextPBlock { .. } => "action-request-next-pblock",
            ActionRequest::WithList { .. } => "action-request-with-list",
            ActionRequest::WithFirstPBlock { .. } => "action-request-with-first-pblock",
            ActionRequest::WithListAndFirstPBlock { .. } => {
                "action-request-with-list-and-first-pblock"
            }
            ActionRequest::WithPBlock { .. } => "action-request-with-pblock",
        }
    }
}

/// ACTION-Response (0xC7).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum ActionResponse<'a> {
    /// action-response-normal (1).
    Normal {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Result and optional return parameters.
        #[cfg_attr(feature = "serde", serde(flatten))]
        result: ActionResult<'a>,
    },
    /// action-response-with-pblock (2).
    WithPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// The block.
        #[cfg_attr(feature = "serde", serde(flatten))]
        block: DataBlockSA<'a>,
    },
    /// action-response-with-list (3).
    WithList {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Results.
        results: List<'a, ActionResult<'a>>,
    },
    /// action-response-next-pblock (4).
    NextPBlock {
        /// Invoke id and priority.
        #[cfg_attr(feature = "serde", serde(flatten))]
        invoke: InvokeIdAndPriority,
        /// Block number.
        block_number: u32,
    },
}

impl<'a> ActionResponse<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            1 => Ok(ActionResponse::Normal {
                invoke: iip(c)?,
                result: ActionResult::read(c)?,
            }),
            2 => Ok(ActionResponse::WithPBlock {
                invoke: iip(c)?,
                block: DataBlockSA::read(c)?,
            }),
            3 => Ok(ActionResponse::WithList {
                invoke: iip(c)?,
                results: List::read(c)?,
            }),
            4 => Ok(ActionResponse::NextPBlock {
                invoke: iip(c)?,
                block_number: c.read_u32_be()?,
            }),
            v => Err(Error::unsupported("action-response choice", u32::from(v))),
        }
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::ACTION_RESPONSE)?;
        match self {
            ActionResponse::Normal { invoke, result } => {
                s.put(&[1, invoke.0])?;
                result.emit_item(s)
            }
            ActionResponse::WithPBlock { invoke, block } => {
                s.put(&[2, invoke.0])?;
                block.emit_item(s)
            }
            ActionResponse::WithList { invoke, results } => {
                s.put(&[3, invoke.0])?;
                results.emit(s)
            }
            ActionResponse::NextPBlock {
                invoke,
                block_number,
            } => {
                s.put(&[4, invoke.0])?;
                s.put_u32(*block_number)
            }
        }
    }
    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            ActionResponse::Normal { .. } => "action-response-normal",
            ActionResponse::WithPBlock { .. } => "action-response-with-pblock",
            ActionResponse::WithList { .. } => "action-response-with-list",
            ActionResponse::NextPBlock { .. } => "action-response-next-pblock",
        }
    }
}

pub use super::notification::{
    DataNotification, DateTimeForm, EventNotification, ExceptionResponse, GeneralBlockTransfer,
    LongInvokeIdAndPriority, TAGGED_DATE_TIME,
};

/// The xDLMS conformance block (24 bits, Green Book 9.4.6.1), bits named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Conformance(pub u32);

impl Conformance {
    /// Bit names, index 0 = most significant bit of the 24.
    pub const NAMES: [&'static str; 24] = [
        "reserved-zero",
        "general-protection",
        "general-block-transfer",
        "read",
        "write",
        "unconfirmed-write",
        "delta-value-encoding",
        "reserved-seven",
        "attribute0-supported-with-set",
        "priority-mgmt-supported",
        "attribute0-supported-with-get",
        "block-transfer-with-get-or-read",
        "block-transfer-with-set-or-write",
        "block-transfer-with-action",
        "multiple-references",
        "information-report",
        "data-notification",
        "access",
        "parameterized-access",
        "get",
        "set",
        "selective-access",
        "event-notification",
        "action",
    ];
    /// Whether bit `name` is set.
    pub fn has(self, name: &str) -> bool {
        self.names().any(|n| n == name)
    }
    /// Names of the set bits.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1u32 << 23u32.saturating_sub(*i as u32)) != 0)
            .map(|(_, n)| *n)
    }
    /// Reads the BER bit string `5F 1F 04 00 xx xx xx`.
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        if c.read_array::<2>()? != [0x5F, 0x1F] {
            return Err(Error::malformed("conformance", "expected tag 5f 1f"));
        }
        if c.read_u8()? != 4 {
            return Err(Error::malformed("conformance", "expected length 4"));
        }
        let _unused_bits = c.read_u8()?;
        Ok(Conformance(c.read_uint_be(3)? as u32))
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        let b = self.0.to_be_bytes();
        s.put(&[0x5F, 0x1F, 0x04, 0x00])?;
        s.put(b.get(1..).unwrap_or(&[]))
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Conformance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.names())
    }
}

/// InitiateRequest (0x01), the xDLMS part of an AARQ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InitiateRequest<'a> {
    /// Dedicated key (optional).
    #[cfg_attr(
        feature = "serde",
        serde(serialize_with = "crate::util::hex_serde::opt")
    )]
    pub dedicated_key: Option<&'a [u8]>,
    /// response-allowed (default true; `None` = not sent).
    pub response_allowed: Option<bool>,
    /// proposed-quality-of-service (optional).
    pub proposed_quality_of_service: Option<i8>,
    /// proposed-dlms-version-number (6).
    pub proposed_dlms_version: u8,
    /// proposed-conformance.
    pub proposed_conformance: Conformance,
    /// client-max-receive-pdu-size.
    pub client_max_receive_pdu_size: u16,
}

impl<'a> InitiateRequest<'a> {
    pub(crate) fn read(c: &mut Cursor<'a>) -> Result<Self> {
        let dedicated_key = if read_optional(c, "dedicated-key")? {
            Some(read_octets(c)?)
        } else {
            None
        };
        // response-allowed BOOLEAN DEFAULT TRUE: A-XDR flag 0 = default, 1 = value follows
        let response_allowed = if read_optional(c, "response-allowed")? {
            Some(c.read_u8()? != 0)
        } else {
            None
        };
        let proposed_quality_of_service = if read_optional(c, "proposed-quality-of-service")? {
            Some(c.read_u8()? as i8)
        } else {
            None
        };
        Ok(InitiateRequest {
            dedicated_key,
            response_allowed,
            proposed_quality_of_service,
            proposed_dlms_version: c.read_u8()?,
            proposed_conformance: Conformance::read(c)?,
            client_max_receive_pdu_size: c.read_u16_be()?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::INITIATE_REQUEST)?;
        match self.dedicated_key {
            None => s.put_u8(0)?,
            Some(k) => {
                s.put_u8(1)?;
                s.put_octets(k)?;
            }
        }
        match self.response_allowed {
            None => s.put_u8(0)?,
            Some(v) => s.put(&[1, u8::from(v)])?,
        }
        match self.proposed_quality_of_service {
            None => s.put_u8(0)?,
            Some(v) => s.put(&[1, v as u8])?,
        }
        s.put_u8(self.proposed_dlms_version)?;
        self.proposed_conformance.emit(s)?;
        s.put_u16(self.client_max_receive_pdu_size)
    }
}

/// InitiateResponse (0x08), the xDLMS part of an AARE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct InitiateResponse {
    /// negotiated-quality-of-service (optional).
    pub negotiated_quality_of_service: Option<i8>,
    /// negotiated-dlms-version-number.
    pub negotiated_dlms_version: u8,
    /// negotiated-conformance.
    pub negotiated_conformance: Conformance,
    /// server-max-receive-pdu-size.
    pub server_max_receive_pdu_size: u16,
    /// vaa-name (0x0007 for LN, 0xFA00 for SN).
    pub vaa_name: u16,
}

impl InitiateResponse {
    #[inline]
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        let negotiated_quality_of_service = if read_optional(c, "negotiated-quality-of-service")? {
            Some(c.read_u8()? as i8)
        } else {
            None
        };
        Ok(InitiateResponse {
            negotiated_quality_of_service,
            negotiated_dlms_version: c.read_u8()?,
            negotiated_conformance: Conformance::read(c)?,
            server_max_receive_pdu_size: c.read_u16_be()?,
            vaa_name: c.read_u16_be()?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put_u8(tags::INITIATE_RESPONSE)?;
        match self.negotiated_quality_of_service {
            None => s.put_u8(0)?,
            Some(v) => s.put(&[1, v as u8])?,
        }
        s.put_u8(self.negotiated_dlms_version)?;
        self.negotiated_conformance.emit(s)?;
        s.put_u16(self.server_max_receive_pdu_size)?;
        s.put_u16(self.vaa_name)
    }
}

/// ConfirmedServiceError (0x0E).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ConfirmedServiceError {
    /// Which service failed: 1 initiateError, 2 getStatus, 3 getNameList, 4 getVariableAttribute,
    /// 5 read, 6 write, 7 getDataSetAttribute, 8 getTIAttribute, 9 changeScope, 10 start,
    /// 11 stop, 12 resume, 13 makeUsable, 14 initiateLoad, 15 loadSegment, 16 terminateLoad,
    /// 17 initiateUpLoad, 18 upLoadSegment, 19 terminateUpLoad.
    pub service: u8,
    /// ServiceError CHOICE: 0 application-reference, 1 hardware-resource, 2 vde-state-error,
    /// 3 service, 4 definition, 5 access, 6 initiate, 7 load-data-set, 8 change-scope, 9 task, 10 other.
    pub error_type: u8,
    /// The enumerated error value.
    pub value: u8,
}

impl ConfirmedServiceError {
    pub(crate) fn read(c: &mut Cursor<'_>) -> Result<Self> {
        Ok(ConfirmedServiceError {
            service: c.read_u8()?,
            error_type: c.read_u8()?,
            value: c.read_u8()?,
        })
    }
    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        s.put(&[
            tags::CONFIRMED_SERVICE_ERROR,
            self.service,
            self.error_type,
            self.value,
        ])
    }
}

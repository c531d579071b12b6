//! GET-Request and GET-Response (IEC 62056-5-3 9.5 / Green Book 9.3.7).

use super::*;

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

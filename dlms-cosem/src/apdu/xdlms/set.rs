//! SET-Request and SET-Response (IEC 62056-5-3 9.5 / Green Book 9.3.8).

use super::*;

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

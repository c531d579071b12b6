//! ACTION-Request and ACTION-Response (IEC 62056-5-3 9.5 / Green Book 9.3.9).

use super::*;

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

//! Short-name (SN) referencing services (IEC 62056-5-3 clause 9.5, "xDLMS SN services"):
//! ReadRequest/Response, WriteRequest/Response, UnconfirmedWriteRequest, InformationReport.

use super::common::{Item, List, read_optional};
use super::xdlms::tags;
use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::util::{Sink, read_octets};
use meterwire_core::{Cursor, EncodeError};

/// Variable-Access-Specification.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum VariableAccess<'a> {
    /// variable-name `[2]`: the short name (base name + attribute offset).
    VariableName(u16),
    /// parameterized-access `[4]`.
    ParameterizedAccess {
        /// Short name.
        variable_name: u16,
        /// Selector.
        selector: u8,
        /// Parameter.
        parameter: Data<'a>,
    },
    /// block-number-access `[5]`.
    BlockNumberAccess(u16),
    /// read-data-block-access `[6]`.
    ReadDataBlockAccess {
        /// Last block.
        last_block: bool,
        /// Block number.
        block_number: u16,
        /// Raw data.
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        raw_data: &'a [u8],
    },
    /// write-data-block-access `[7]`.
    WriteDataBlockAccess {
        /// Last block.
        last_block: bool,
        /// Block number.
        block_number: u16,
    },
}

impl<'a> Item<'a> for VariableAccess<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            2 => Ok(VariableAccess::VariableName(c.read_u16_be()?)),
            4 => Ok(VariableAccess::ParameterizedAccess {
                variable_name: c.read_u16_be()?,
                selector: c.read_u8()?,
                parameter: Data::read(c)?,
            }),
            5 => Ok(VariableAccess::BlockNumberAccess(c.read_u16_be()?)),
            6 => Ok(VariableAccess::ReadDataBlockAccess {
                last_block: c.read_u8()? != 0,
                block_number: c.read_u16_be()?,
                raw_data: read_octets(c)?,
            }),
            7 => Ok(VariableAccess::WriteDataBlockAccess {
                last_block: c.read_u8()? != 0,
                block_number: c.read_u16_be()?,
            }),
            v => Err(Error::unsupported(
                "variable-access-specification choice",
                u32::from(v),
            )),
        }
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            VariableAccess::VariableName(n) => {
                s.put_u8(2)?;
                s.put_u16(*n)
            }
            VariableAccess::ParameterizedAccess {
                variable_name,
                selector,
                parameter,
            } => {
                s.put_u8(4)?;
                s.put_u16(*variable_name)?;
                s.put_u8(*selector)?;
                parameter.write(s)
            }
            VariableAccess::BlockNumberAccess(n) => {
                s.put_u8(5)?;
                s.put_u16(*n)
            }
            VariableAccess::ReadDataBlockAccess {
                last_block,
                block_number,
                raw_data,
            } => {
                s.put(&[6, u8::from(*last_block)])?;
                s.put_u16(*block_number)?;
                s.put_octets(raw_data)
            }
            VariableAccess::WriteDataBlockAccess {
                last_block,
                block_number,
            } => {
                s.put(&[7, u8::from(*last_block)])?;
                s.put_u16(*block_number)
            }
        }
    }
}

/// One item of a ReadResponse.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ReadResult<'a> {
    /// data `[0]`.
    Data(Data<'a>),
    /// data-access-error `[1]`.
    DataAccessError(u8),
    /// data-block-result `[2]`.
    DataBlockResult {
        /// Last block.
        last_block: bool,
        /// Block number.
        block_number: u16,
        /// Raw data.
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::bytes")
        )]
        raw_data: &'a [u8],
    },
    /// block-number `[3]`.
    BlockNumber(u16),
}

impl<'a> Item<'a> for ReadResult<'a> {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            0 => Ok(ReadResult::Data(Data::read(c)?)),
            1 => Ok(ReadResult::DataAccessError(c.read_u8()?)),
            2 => Ok(ReadResult::DataBlockResult {
                last_block: c.read_u8()? != 0,
                block_number: c.read_u16_be()?,
                raw_data: read_octets(c)?,
            }),
            3 => Ok(ReadResult::BlockNumber(c.read_u16_be()?)),
            v => Err(Error::unsupported("read-response choice", u32::from(v))),
        }
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            ReadResult::Data(d) => {
                s.put_u8(0)?;
                d.write(s)
            }
            ReadResult::DataAccessError(e) => s.put(&[1, *e]),
            ReadResult::DataBlockResult {
                last_block,
                block_number,
                raw_data,
            } => {
                s.put(&[2, u8::from(*last_block)])?;
                s.put_u16(*block_number)?;
                s.put_octets(raw_data)
            }
            ReadResult::BlockNumber(n) => {
                s.put_u8(3)?;
                s.put_u16(*n)
            }
        }
    }
}

/// One item of a WriteResponse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum WriteResult {
    /// success `[0]`.
    Success,
    /// data-access-error `[1]`.
    DataAccessError(u8),
    /// block-number `[2]`.
    BlockNumber(u16),
}

impl<'a> Item<'a> for WriteResult {
    fn read(c: &mut Cursor<'a>) -> Result<Self> {
        match c.read_u8()? {
            0 => Ok(WriteResult::Success),
            1 => Ok(WriteResult::DataAccessError(c.read_u8()?)),
            2 => Ok(WriteResult::BlockNumber(c.read_u16_be()?)),
            v => Err(Error::unsupported("write-response choice", u32::from(v))),
        }
    }
    fn emit_item<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            WriteResult::Success => s.put_u8(0),
            WriteResult::DataAccessError(e) => s.put(&[1, *e]),
            WriteResult::BlockNumber(n) => {
                s.put_u8(2)?;
                s.put_u16(*n)
            }
        }
    }
}

/// An SN service APDU.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum SnService<'a> {
    /// ReadRequest (0x05).
    ReadRequest {
        /// Variables.
        variables: List<'a, VariableAccess<'a>>,
    },
    /// WriteRequest (0x06).
    WriteRequest {
        /// Variables.
        variables: List<'a, VariableAccess<'a>>,
        /// Values.
        values: List<'a, Data<'a>>,
    },
    /// UnconfirmedWriteRequest (0x16).
    UnconfirmedWriteRequest {
        /// Variables.
        variables: List<'a, VariableAccess<'a>>,
        /// Values.
        values: List<'a, Data<'a>>,
    },
    /// ReadResponse (0x0C).
    ReadResponse {
        /// Results.
        results: List<'a, ReadResult<'a>>,
    },
    /// WriteResponse (0x0D).
    WriteResponse {
        /// Results.
        results: List<'a, WriteResult>,
    },
    /// InformationReportRequest (0x18).
    InformationReport {
        /// Optional current time (octet string).
        #[cfg_attr(
            feature = "serde",
            serde(serialize_with = "crate::util::hex_serde::opt")
        )]
        current_time: Option<&'a [u8]>,
        /// Variables.
        variables: List<'a, VariableAccess<'a>>,
        /// Values.
        values: List<'a, Data<'a>>,
    },
}

impl<'a> SnService<'a> {
    pub(crate) fn read(tag: u8, c: &mut Cursor<'a>) -> Result<Self> {
        Ok(match tag {
            tags::READ_REQUEST => SnService::ReadRequest {
                variables: List::read(c)?,
            },
            tags::WRITE_REQUEST => SnService::WriteRequest {
                variables: List::read(c)?,
                values: List::read(c)?,
            },
            tags::UNCONFIRMED_WRITE_REQUEST => SnService::UnconfirmedWriteRequest {
                variables: List::read(c)?,
                values: List::read(c)?,
            },
            tags::READ_RESPONSE => SnService::ReadResponse {
                results: List::read(c)?,
            },
            tags::WRITE_RESPONSE => SnService::WriteResponse {
                results: List::read(c)?,
            },
            tags::INFORMATION_REPORT => SnService::InformationReport {
                current_time: if read_optional(c, "current-time")? {
                    Some(read_octets(c)?)
                } else {
                    None
                },
                variables: List::read(c)?,
                values: List::read(c)?,
            },
            t => return Err(Error::unsupported("apdu tag", u32::from(t))),
        })
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        match self {
            SnService::ReadRequest { variables } => {
                s.put_u8(tags::READ_REQUEST)?;
                variables.emit(s)
            }
            SnService::WriteRequest { variables, values } => {
                s.put_u8(tags::WRITE_REQUEST)?;
                variables.emit(s)?;
                values.emit(s)
            }
            SnService::UnconfirmedWriteRequest { variables, values } => {
                s.put_u8(tags::UNCONFIRMED_WRITE_REQUEST)?;
                variables.emit(s)?;
                values.emit(s)
            }
            SnService::ReadResponse { results } => {
                s.put_u8(tags::READ_RESPONSE)?;
                results.emit(s)
            }
            SnService::WriteResponse { results } => {
                s.put_u8(tags::WRITE_RESPONSE)?;
                results.emit(s)
            }
            SnService::InformationReport {
                current_time,
                variables,
                values,
            } => {
                s.put_u8(tags::INFORMATION_REPORT)?;
                match current_time {
                    None => s.put_u8(0)?,
                    Some(t) => {
                        s.put_u8(1)?;
                        s.put_octets(t)?;
                    }
                }
                variables.emit(s)?;
                values.emit(s)
            }
        }
    }

    /// The JSON/display name.
    pub fn name(&self) -> &'static str {
        match self {
            SnService::ReadRequest { .. } => "read-request",
            SnService::WriteRequest { .. } => "write-request",
            SnService::UnconfirmedWriteRequest { .. } => "unconfirmed-write-request",
            SnService::ReadResponse { .. } => "read-response",
            SnService::WriteResponse { .. } => "write-response",
            SnService::InformationReport { .. } => "information-report",
        }
    }
}

//! Short-name (SN) referencing services (IEC 62056-5-3 clause 9.5, "xDLMS SN services"):
//! ReadRequest/Response, WriteRequest/Response, UnconfirmedWriteRequest, InformationReport.

use super::common::List;
use super::field::{item_choice, service_choice};
use super::xdlms::tags::{
    INFORMATION_REPORT, READ_REQUEST, READ_RESPONSE, UNCONFIRMED_WRITE_REQUEST, WRITE_REQUEST,
    WRITE_RESPONSE,
};
use crate::axdr::Data;
use crate::error::Result;
use crate::util::Sink;
use meterwire_core::{Cursor, EncodeError};

item_choice! {
    /// Variable-Access-Specification.
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
    pub enum VariableAccess<'a>, "variable-access-specification choice" {
        /// variable-name `[2]`: the short name (base name + attribute offset).
        [2] VariableName(name: u16),
        /// parameterized-access `[4]`.
        [4] ParameterizedAccess {
            /// Short name.
            variable_name: u16,
            /// Selector.
            selector: u8,
            /// Parameter.
            parameter: Data<'a>,
        },
        /// block-number-access `[5]`.
        [5] BlockNumberAccess(block_number: u16),
        /// read-data-block-access `[6]`.
        [6] ReadDataBlockAccess {
            /// Last block.
            last_block: bool,
            /// Block number.
            block_number: u16,
            /// Raw data.
            #[serde(serialize_with = "crate::util::hex_serde::bytes")]
            raw_data: &'a [u8],
        },
        /// write-data-block-access `[7]`.
        [7] WriteDataBlockAccess {
            /// Last block.
            last_block: bool,
            /// Block number.
            block_number: u16,
        },
    }
}

item_choice! {
    /// One item of a ReadResponse.
    #[derive(Debug, Clone, Copy, PartialEq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
    pub enum ReadResult<'a>, "read-response choice" {
        /// data `[0]`.
        [0] Data(data: Data<'a>),
        /// data-access-error `[1]`.
        [1] DataAccessError(error: u8),
        /// data-block-result `[2]`.
        [2] DataBlockResult {
            /// Last block.
            last_block: bool,
            /// Block number.
            block_number: u16,
            /// Raw data.
            #[serde(serialize_with = "crate::util::hex_serde::bytes")]
            raw_data: &'a [u8],
        },
        /// block-number `[3]`.
        [3] BlockNumber(block_number: u16),
    }
}

item_choice! {
    /// One item of a WriteResponse.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize))]
    #[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
    pub enum WriteResult, "write-response choice" {
        /// success `[0]`.
        [0] Success,
        /// data-access-error `[1]`.
        [1] DataAccessError(error: u8),
        /// block-number `[2]`.
        [2] BlockNumber(block_number: u16),
    }
}

service_choice! {
    /// An SN service APDU.
    pub enum SnService<'a>, "apdu tag" {
        /// ReadRequest (0x05).
        [READ_REQUEST] ReadRequest = "read-request" {
            /// Variables.
            variables: List<'a, VariableAccess<'a>>,
        },
        /// WriteRequest (0x06).
        [WRITE_REQUEST] WriteRequest = "write-request" {
            /// Variables.
            variables: List<'a, VariableAccess<'a>>,
            /// Values.
            values: List<'a, Data<'a>>,
        },
        /// UnconfirmedWriteRequest (0x16).
        [UNCONFIRMED_WRITE_REQUEST] UnconfirmedWriteRequest = "unconfirmed-write-request" {
            /// Variables.
            variables: List<'a, VariableAccess<'a>>,
            /// Values.
            values: List<'a, Data<'a>>,
        },
        /// ReadResponse (0x0C).
        [READ_RESPONSE] ReadResponse = "read-response" {
            /// Results.
            results: List<'a, ReadResult<'a>>,
        },
        /// WriteResponse (0x0D).
        [WRITE_RESPONSE] WriteResponse = "write-response" {
            /// Results.
            results: List<'a, WriteResult>,
        },
        /// InformationReportRequest (0x18).
        [INFORMATION_REPORT] InformationReport = "information-report" {
            /// Optional current time (octet string).
            #[serde(serialize_with = "crate::util::hex_serde::opt")]
            current_time: Option<&'a [u8]> as "current-time",
            /// Variables.
            variables: List<'a, VariableAccess<'a>>,
            /// Values.
            values: List<'a, Data<'a>>,
        },
    }
}

impl<'a> SnService<'a> {
    /// Reads the service whose APDU tag `tag` was read.
    pub(crate) fn read(tag: u8, c: &mut Cursor<'a>) -> Result<Self> {
        Self::read_choice(tag, c)
    }

    pub(crate) fn emit<S: Sink>(&self, s: &mut S) -> Result<(), EncodeError> {
        self.emit_choice(s)
    }
}

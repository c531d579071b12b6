//! xDLMS LN services (IEC 62056-5-3 clause 9.5 / Green Book 9.3): GET, SET, ACTION,
//! EventNotification, DataNotification, ExceptionResponse, general-block-transfer,
//! and the InitiateRequest / InitiateResponse / ConfirmedServiceError of association.

use super::common::*;
use crate::axdr::Data;
use crate::error::{Error, Result};
use crate::util::Sink;
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

mod action;
mod get;
mod initiate;
mod set;

pub use action::{ActionRequest, ActionResponse};
pub use get::{GetRequest, GetResponse};
pub use initiate::{ConfirmedServiceError, Conformance, InitiateRequest, InitiateResponse};
pub use set::{SetRequest, SetResponse};

pub use super::notification::{
    DataNotification, DateTimeForm, EventNotification, ExceptionResponse, GeneralBlockTransfer,
    LongInvokeIdAndPriority, TAGGED_DATE_TIME,
};

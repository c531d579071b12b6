//! SET-Request and SET-Response (IEC 62056-5-3 9.5 / Green Book 9.3.8).

use super::*;
use crate::apdu::field::xdlms_service;

xdlms_service! {
    /// SET-Request (0xC1).
    pub enum SetRequest<'a> = tags::SET_REQUEST, "set-request choice" {
        /// set-request-normal (1).
        [1] Normal = "set-request-normal" {
            /// The attribute.
            #[serde(flatten)]
            attribute: AttributeWithSelection<'a>,
            /// The value.
            data: Data<'a>,
        },
        /// set-request-with-first-datablock (2).
        [2] WithFirstDataBlock = "set-request-with-first-datablock" {
            /// The attribute.
            #[serde(flatten)]
            attribute: AttributeWithSelection<'a>,
            /// The first block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
        /// set-request-with-datablock (3).
        [3] WithDataBlock = "set-request-with-datablock" {
            /// The block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
        /// set-request-with-list (4).
        [4] WithList = "set-request-with-list" {
            /// The attributes.
            attributes: List<'a, AttributeWithSelection<'a>>,
            /// The values.
            values: List<'a, Data<'a>>,
        },
        /// set-request-with-list-and-first-datablock (5).
        [5] WithListAndFirstDataBlock = "set-request-with-list-and-first-datablock" {
            /// The attributes.
            attributes: List<'a, AttributeWithSelection<'a>>,
            /// The first block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
    }
}

xdlms_service! {
    /// SET-Response (0xC5).
    pub enum SetResponse<'a> = tags::SET_RESPONSE, "set-response choice" {
        /// set-response-normal (1).
        [1] Normal = "set-response-normal" {
            /// Result.
            result: AccessResult,
        },
        /// set-response-datablock (2).
        [2] DataBlock = "set-response-datablock" {
            /// Block number acknowledged.
            block_number: u32,
        },
        /// set-response-last-datablock (3).
        [3] LastDataBlock = "set-response-last-datablock" {
            /// Result.
            result: AccessResult,
            /// Block number.
            block_number: u32,
        },
        /// set-response-last-datablock-with-list (4).
        [4] LastDataBlockWithList = "set-response-last-datablock-with-list" {
            /// Results.
            results: List<'a, AccessResult>,
            /// Block number.
            block_number: u32,
        },
        /// set-response-with-list (5).
        [5] WithList = "set-response-with-list" {
            /// Results.
            results: List<'a, AccessResult>,
        },
    }
}

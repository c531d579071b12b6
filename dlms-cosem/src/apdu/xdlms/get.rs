//! GET-Request and GET-Response (IEC 62056-5-3 9.5 / Green Book 9.3.7).

use super::*;
use crate::apdu::field::xdlms_service;

xdlms_service! {
    /// GET-Request (0xC0).
    pub enum GetRequest<'a> = tags::GET_REQUEST, "get-request choice" {
        /// get-request-normal (1).
        [1] Normal = "get-request-normal" {
            /// The attribute.
            #[serde(flatten)]
            attribute: AttributeWithSelection<'a>,
        },
        /// get-request-next (2).
        [2] Next = "get-request-next" {
            /// Block number of the last block received.
            block_number: u32,
        },
        /// get-request-with-list (3).
        [3] WithList = "get-request-with-list" {
            /// The attributes.
            attributes: List<'a, AttributeWithSelection<'a>>,
        },
    }
}

xdlms_service! {
    /// GET-Response (0xC4).
    pub enum GetResponse<'a> = tags::GET_RESPONSE, "get-response choice" {
        /// get-response-normal (1).
        [1] Normal = "get-response-normal" {
            /// Data or data-access-result.
            #[serde(flatten)]
            result: GetDataResult<'a>,
        },
        /// get-response-with-datablock (2).
        [2] WithDataBlock = "get-response-with-datablock" {
            /// The block.
            #[serde(flatten)]
            block: DataBlockG<'a>,
        },
        /// get-response-with-list (3).
        [3] WithList = "get-response-with-list" {
            /// The results.
            results: List<'a, GetDataResult<'a>>,
        },
    }
}

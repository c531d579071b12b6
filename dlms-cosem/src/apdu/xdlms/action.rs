//! ACTION-Request and ACTION-Response (IEC 62056-5-3 9.5 / Green Book 9.3.9).

use super::*;
use crate::apdu::field::xdlms_service;

xdlms_service! {
    /// ACTION-Request (0xC3).
    pub enum ActionRequest<'a> = tags::ACTION_REQUEST, "action-request choice" {
        /// action-request-normal (1).
        [1] Normal = "action-request-normal" {
            /// The method.
            #[serde(flatten)]
            method: MethodDescriptor,
            /// Optional invocation parameters.
            data: Option<Data<'a>> as "optional data",
        },
        /// action-request-next-pblock (2).
        [2] NextPBlock = "action-request-next-pblock" {
            /// Block number.
            block_number: u32,
        },
        /// action-request-with-list (3).
        [3] WithList = "action-request-with-list" {
            /// The methods.
            methods: List<'a, MethodDescriptor>,
            /// The parameters.
            parameters: List<'a, Data<'a>>,
        },
        /// action-request-with-first-pblock (4).
        [4] WithFirstPBlock = "action-request-with-first-pblock" {
            /// The method.
            #[serde(flatten)]
            method: MethodDescriptor,
            /// The first block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
        /// action-request-with-list-and-first-pblock (5).
        [5] WithListAndFirstPBlock = "action-request-with-list-and-first-pblock" {
            /// The methods.
            methods: List<'a, MethodDescriptor>,
            /// The first block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
        /// action-request-with-pblock (6).
        [6] WithPBlock = "action-request-with-pblock" {
            /// The block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
    }
}

xdlms_service! {
    /// ACTION-Response (0xC7).
    pub enum ActionResponse<'a> = tags::ACTION_RESPONSE, "action-response choice" {
        /// action-response-normal (1).
        [1] Normal = "action-response-normal" {
            /// Result and optional return parameters.
            #[serde(flatten)]
            result: ActionResult<'a>,
        },
        /// action-response-with-pblock (2).
        [2] WithPBlock = "action-response-with-pblock" {
            /// The block.
            #[serde(flatten)]
            block: DataBlockSA<'a>,
        },
        /// action-response-with-list (3).
        [3] WithList = "action-response-with-list" {
            /// Results.
            results: List<'a, ActionResult<'a>>,
        },
        /// action-response-next-pblock (4).
        [4] NextPBlock = "action-response-next-pblock" {
            /// Block number.
            block_number: u32,
        },
    }
}

//! Zero-copy, `no_std` Modbus codec: RTU, TCP (MBAP) and ASCII framing, every
//! public function code (requests and responses), exception responses.
//!
//! ```
//! use meterwire_modbus::{Decoded, Encode, Framer, Pdu, Request, Response, TcpFrame, TcpFramer};
//!
//! // a Read Holding Registers response: 2 registers, 0x022B and 0x0001
//! let adu = [0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x11, 0x03, 0x04, 0x02, 0x2B, 0x00, 0x01];
//! let Ok(Decoded::Frame { frame, consumed }) = TcpFramer::new().decode(&adu) else { panic!() };
//! assert_eq!((consumed, frame.unit_id), (13, 0x11));
//! let Pdu::Response(Response::ReadHoldingRegisters { registers, .. }) = &frame.pdu else { panic!() };
//! assert_eq!(registers.iter().collect::<Vec<u16>>(), [0x022B, 1]); // lazy, no copy
//!
//! let req = TcpFrame::new(1, 0x11, Pdu::Request(Request::read_holding_registers(0x6B, 3)));
//! let mut buf = [0u8; 260];
//! let n = req.encode(&mut buf).unwrap();
//! assert_eq!(&buf[..n], &[0, 1, 0, 0, 0, 6, 0x11, 3, 0, 0x6B, 0, 3]);
//! ```
//!
//! Contract (the same shape as every meterwire crate):
//! - **Stream -> frames**: [`TcpFramer`], [`RtuFramer`], [`AsciiFramer`]
//!   implement [`meterwire_core::Framer`] (`new()` plus builder methods:
//!   `.direction(..)`, `.strict()`).
//! - **One complete unit -> view**: `TcpFrame::parse`, `RtuFrame::parse`,
//!   `AsciiAdu::parse`, `Pdu::parse`, `Request::parse`, `Response::parse`
//!   (or a framer's `.parse()` for strict mode). Views are `Copy` and hold no
//!   `Vec` (no drop glue): register and coil payloads ([`Registers`], [`Bits`])
//!   are lazy iterators over the input; layout constants live in the `field`
//!   modules.
//! - **Owned form**: with `alloc`, [`PduRepr`], [`RequestRepr`],
//!   [`ResponseRepr`] (`Repr::parse(&view)`, payloads in `Vec`s, serde
//!   `Deserialize`) and `frame.to_repr()`; views and Reprs are one enum per
//!   direction generic over a [`Storage`] ([`Borrowed`] or [`Owned`]), so
//!   both implement [`meterwire_core::Encode`] with the same code, and
//!   `Repr -> encode -> parse -> Repr` is the identity (proptest). Encoders
//!   check the limits of the standard and name the rule they enforce (124
//!   registers in FC 16: "must be 1..=123 registers (fc 16)", never a
//!   truncated frame).
//! - **Errors**: one [`Error`]; `Error::Core` wraps [`meterwire_core::Error`]
//!   unchanged, plus the two PDU-grammar rules (`ByteCount`, `Quantity`).
//! - **Departures** from the standard that the bytes still delimit (a protocol
//!   id other than 0, trailing bytes, out-of-range quantities, unassigned
//!   codes) decode with a [`Diagnostic`] (`diagnostics()` on every frame and
//!   PDU); `.strict()` on a framer rejects them. Integrity failures (CRC, LRC,
//!   lengths that contradict the bytes, truncation) are errors.
//! - Unknown and user-defined function codes decode as `Unsupported` with
//!   their raw bytes.
//! - Features: `std` (default), `alloc` (the Reprs), `serde` (`Serialize` on
//!   every view and Repr, `Deserialize` on the Reprs with `alloc`).
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

#[macro_use]
mod frame;
pub mod ascii;
pub mod data;
mod diag;
mod error;
#[cfg(feature = "fuzzing")]
mod fuzzing;
pub mod pdu;
pub mod rtu;
#[cfg(feature = "serde")]
mod ser;
pub mod storage;
pub mod tcp;

pub use ascii::{AsciiAdu, AsciiFrame, AsciiFramer};
pub use data::{Bits, Bytes, Registers, Seq};
pub use diag::{FrameDiagnostics, PduDiagnostics};
pub use error::Error;
pub use pdu::{
    DeviceObject, Direction, FileRecord, FileSubRequest, FileSubResponse, Pdu, PduOf, Request,
    RequestOf, Response, ResponseOf,
};
#[cfg(feature = "alloc")]
pub use pdu::{
    DeviceObjectRepr, FileRecordRepr, FileSubResponseRepr, PduRepr, RequestRepr, ResponseRepr,
};
pub use rtu::{RtuFrame, RtuFramer};
pub use storage::{Borrowed, Storage};
#[cfg(feature = "alloc")]
pub use storage::{BytesBuf, Owned};
pub use tcp::{TcpFrame, TcpFramer};

// the core traits and types this crate implements and returns, so that this
// crate alone is enough for basic use
pub use meterwire_core::{
    Decoded, Diagnostic, DiagnosticKind, Encode, EncodeError, Framer, Strictness,
};

/// The README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

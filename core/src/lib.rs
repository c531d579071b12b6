//! Shared foundation of the meterwire protocol crates.
//!
//! Every meterwire protocol crate (Modbus, DNP3, DLMS/COSEM, ANSI C12, SCM/IDM)
//! implements the same small contract from this crate:
//!
//! * [`Framer`]: a streaming decoder that cuts frames out of a byte stream and
//!   hands back zero-copy views that borrow the input,
//! * [`Encode`]: writing a frame into a caller's `&mut [u8]` without allocating,
//! * [`Error`]: the error kinds every crate's error wraps (truncated, checksum,
//!   length, malformed, unsupported), classified by [`ErrorKind`],
//! * [`Cursor`] / [`Writer`]: bounds-checked readers and writers that return
//!   errors instead of panicking,
//! * [`Diagnostic`] / [`Strictness`]: departures from the standard reported on
//!   frames that still decode, or rejected in strict mode (the validity policy
//!   is in [`diag`]),
//! * [`Obis`], [`Unit`], [`Reading`], [`Decimal`]: OBIS-named readings with exact
//!   values, shared by DLMS/COSEM and IEC 62056-21 / DSMR P1,
//! * [`ber`] lengths and [`Hex`] display, shared by the crates that need them,
//! * [`FrameReader`]: drives any [`Framer`] over a growing buffer, with resync
//!   after errors, and is what the CLI, the tokio adapter and the streaming
//!   tests use.
//!
//! ```
//! use meterwire_core::{Cursor, Writer};
//!
//! let mut buf = [0u8; 6];
//! let mut w = Writer::new(&mut buf);
//! w.write_u16_be(0x0102).unwrap();
//! w.write_u32_le(0x0605_0403).unwrap();
//! assert_eq!(w.position(), 6);
//!
//! let mut c = Cursor::new(&buf);
//! assert_eq!(c.read_u16_be().unwrap(), 0x0102);
//! assert_eq!(c.read_u32_le().unwrap(), 0x0605_0403);
//! assert!(c.read_u8().is_err()); // short input is an error, never a panic
//! ```
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![forbid(unsafe_code)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(test)]
extern crate std;

pub mod ber;
pub mod crc;
mod cursor;
pub mod diag;
mod error;
mod framer;
pub mod hex;
#[macro_use]
mod macros;
pub mod obis;
pub mod obis_names;
mod reader;
pub mod reading;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod ser;
pub mod sink;
pub mod unit;
mod writer;

pub use cursor::Cursor;
pub use error::{Classify, EncodeError, Error, ErrorKind};
pub use framer::{Decoded, Encode, Framer, Needed, skip_to_start};
pub use reader::{Event, FrameReader, Frames, PushError, Storage};
pub use writer::Writer;

pub use diag::{Diagnostic, DiagnosticKind, Diagnostics, Strictness};
pub use hex::Hex;
pub use obis::{Obis, ObisParseError};
pub use reading::{DateTime, Decimal, Reading, Value};
pub use unit::Unit;

/// The README's examples, compiled and run as doctests (`cargo test --doc`).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

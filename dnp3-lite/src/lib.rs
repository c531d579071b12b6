//! Zero-copy `no_std` DNP3 (IEEE 1815-2012) codec: link frames with CRC blocks,
//! transport reassembly, application headers and generic object parsing.
//!
//! The entry point for a stream is [`stack::Dnp3Framer`] (link + transport +
//! application, under `alloc`); without an allocator, [`LinkFramer`] and a
//! [`Reassembler`] over a caller's buffer do the same. Every CRC-valid link frame
//! decodes; departures from the standard above the CRCs are [`Diagnostic`]s, and
//! strict mode (`.strict()` on the framers and parsers) rejects them.
//!
//! ```
//! use meterwire_dnp3_lite::{Fragment, LinkFrame, Reassembler, Value};
//!
//! // A response with one g30v1 analog (index 0 = 1234, flags online); link frame built by the encoder.
//! let wire = [0x05, 0x64, 0x14, 0x44, 0x01, 0x00, 0x0a, 0x00, 0xaa, 0xac, 0xc0, 0xc1, 0x81,
//!             0x00, 0x00, 0x1e, 0x01, 0x00, 0x00, 0x00, 0x01, 0xd2, 0x04, 0x00, 0x00, 0x6f, 0x9c];
//! let link = LinkFrame::parse(&wire).unwrap();          // header + every block CRC checked
//! let mut r = Reassembler::new([0u8; 2048]);            // caller's buffer, no allocation
//! r.push_frame(&link).unwrap();                         // the whole frame: every CRC block
//! let frag = Fragment::parse(r.fragment()).unwrap();
//! let block = frag.objects().next().unwrap().unwrap();  // g30v1, qualifier 0x00
//! let p = block.points().next().unwrap();
//! assert_eq!((block.header.group, p.value, p.flags), (30, Value::Int(1234), Some(1)));
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod app;
#[cfg(feature = "fuzzing")]
mod arbitrary_impls;
pub mod build;
mod error;
pub mod link;
pub mod objects;
#[cfg(feature = "serde")]
mod ser;
#[cfg(feature = "alloc")]
pub mod stack;
pub mod transport;

#[cfg(feature = "alloc")]
pub use app::FragmentOwned;
pub use app::{AppControl, AppHeader, Fragment, FragmentParser, FragmentRepr, Iin};
pub use error::Error;
pub use link::{LinkFrame, LinkFrameRepr, LinkFramer, LinkHeader};
pub use meterwire_core::{
    Decoded, Diagnostic, DiagnosticKind, Encode, Event, FrameReader, Framer, Frames, Strictness,
};
pub use objects::{ObjectBlock, ObjectHeader, ObjectRepr, Point, Range, Value};
#[cfg(feature = "alloc")]
pub use stack::{Dnp3Frame, Dnp3Framer};
pub use transport::{Reassembler, TransportHeader};

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

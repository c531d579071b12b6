//! Zero-copy `no_std` DLMS/COSEM codec (IEC 62056): HDLC and wrapper framing, A-XDR data,
//! ACSE and every xDLMS service, both directions, plus AES-GCM security (`crypto`).
//!
//! ```
//! use meterwire_core::{Decoded, Framer};
//! use meterwire_dlms_cosem::{Apdu, apdu::GetRequest, hdlc::HdlcFramer};
//!
//! // a get-request in an HDLC I-frame (posted on the Gurux forum, gurux.fi/comment/15532)
//! let bytes = [0x7E, 0xA0, 0x19, 0x03, 0x41, 0x32, 0x3A, 0xBD, 0xE6, 0xE6, 0x00, 0xC0, 0x01,
//!     0xC1, 0x00, 0x03, 0x01, 0x00, 0x0C, 0x07, 0x00, 0xFF, 0x02, 0x00, 0x11, 0x37, 0x7E];
//! let Ok(Decoded::Frame { frame, consumed }) = HdlcFramer::new().decode(&bytes) else { panic!() };
//! assert_eq!(consumed, bytes.len());
//! let Apdu::GetRequest(GetRequest::Normal { attribute, .. }) = Apdu::parse(frame.payload())? else { panic!() };
//! assert_eq!(attribute.descriptor.obis.to_string(), "1-0:12.7.0*255");
//! # Ok::<(), meterwire_dlms_cosem::Error>(())
//! ```
//!
//! To decode a stream (framing, reassembly, decryption with a key ring, APDU, diagnostics)
//! start from `stack::DlmsFramer` (features `alloc` + `crypto`).
//!
//! Modules: [`hdlc`] (IEC 62056-46 framing, reassembly, encoder), [`wrapper`]
//! (IEC 62056-47), [`axdr`] (A-XDR `Data`, lazy), [`apdu`] (ACSE and xDLMS APDUs,
//! ciphered headers), [`obis`], and `security` (feature `crypto`).
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
// `std::` paths: the unit tests, and the `arbitrary` derives (feature `fuzzing`).
#[cfg(any(feature = "fuzzing", test))]
extern crate std;

pub mod apdu;
pub mod axdr;
mod error;
#[cfg(feature = "fuzzing")]
mod fuzzing;
pub mod hdlc;
pub mod mbus;
pub mod obis;
pub mod readings;
mod util;
pub mod wrapper;

pub use apdu::Apdu;
pub use error::{Error, Result};
pub use obis::Obis;
pub use util::Hex;

#[cfg(feature = "crypto")]
pub mod security;
#[cfg(all(feature = "crypto", feature = "alloc"))]
pub mod stack;

pub use meterwire_core::{Decoded, Diagnostic, DiagnosticKind, Encode, Framer, Strictness};

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "crypto"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

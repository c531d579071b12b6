//! Zero-copy, `no_std` ANSI C12.18 / C12.22 / C12.19 codec: optical-port packets and
//! PSEM, the C12.22 ACSE APDU and EPSEM with EAX' security, and C12.19 standard tables.
//!
//! ```
//! use meterwire_ansi_c1222::c1218::{LinkFrame, PacketFramer};
//! use meterwire_ansi_c1222::psem::{Request, Variant};
//! use meterwire_core::{Decoded, Framer};
//!
//! // C12.18 identify request (ANSI C12.18 clause 6.3 example)
//! let bytes = [0xee, 0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x13, 0x10];
//! let Ok(Decoded::Frame { frame: LinkFrame::Packet(p), consumed: 9 }) =
//!     PacketFramer::new().decode(&bytes) else { panic!() };
//! assert_eq!(Request::parse(p.data(), Variant::C1218).unwrap(), Request::Ident);
//! ```
//!
//! Start from [`stack`]: `C1218Framer` (packets, reassembly, PSEM with pairing) and
//! `C1222Framer` (APDUs, EAX' through a key ring). Integrity failures (CRC, MAC, table
//! checksum, truncation) are errors; other departures from the standard are
//! [`Diagnostic`]s on the frames, and `.strict()` rejects them.
//!
//! The crate contract (the same shape in every meterwire crate):
//!
//! | question | here |
//! | --- | --- |
//! | bytes of one unit -> view | `c1218::Packet::new_checked`, `c1222::Apdu::parse`, `psem::Message::parse` (`Request::parse`, `Response::parse` for one exact service) |
//! | a stream -> frames | `stack::C1218Framer`, `stack::C1222Framer` (layers below: `c1218::PacketFramer`, `c1222::ApduFramer`) |
//! | owned / encodable form | `c1218::PacketRepr`, `c1222::ApduRepr`, `psem::Request`, `psem::Response` (`impl Encode`) |
//! | errors | [`Error`]: `Core(meterwire_core::Error)` plus `AuthenticationFailed`, `UnknownKey`, `DepthLimit`, `Exception`, `Encode` |
//! | departures | `diagnostics()` on the views and stack frames; `.strict()` on framers and parsers |
//!
//! Modules: [`c1218`] (packets, toggle bit, multi-packet reassembly, ACK/NAK),
//! [`psem`] (services, both variants), [`c1222`] (ACSE APDU, EPSEM, TCP framing),
//! [`eax`] (EAX', feature `crypto`), [`c1219`] (tables), [`ber`] (the BER subset).
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;

/// Boolean accessors for single bits of a flag byte (`self.field` or `self.method()`),
/// one per line: the doc comment, then `pub fn name = BIT;`.
macro_rules! bit_flags {
    ((self.$($byte:tt)+)) => {};
    ((self.$($byte:tt)+) $(#[$m:meta])* $vis:vis fn $name:ident = $bit:expr; $($rest:tt)*) => {
        $(#[$m])*
        $vis fn $name(&self) -> bool {
            self.$($byte)+ & $bit != 0
        }
        bit_flags!((self.$($byte)+) $($rest)*);
    };
}

pub mod ber;
pub mod c1218;
pub mod c1219;
pub mod c1222;
#[cfg(feature = "crypto")]
pub mod eax;
mod error;
#[cfg(feature = "fuzzing")]
mod fuzzing;
pub mod psem;
// serde plumbing (`Serialize` on the views), not public API
#[cfg(feature = "serde")]
mod serde_impl;
#[cfg(feature = "alloc")]
pub mod stack;

pub use error::{Error, Result};
pub use meterwire_core::{Decoded, Diagnostic, DiagnosticKind, Encode, Framer, Strictness};

/// The README example, compiled as a doctest.
#[cfg(all(doctest, feature = "crypto"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

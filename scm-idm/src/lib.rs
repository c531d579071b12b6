//! Zero-copy, `no_std` codec for the meter radio packets read by drive-by and fixed
//! network AMR receivers: Itron ERT **SCM**, **SCM+**, **IDM**, **NetIDM** and Neptune
//! **R900** / **R900 BCD**, with opt-in error correction (SCM: 2 bits via the BCH
//! structure of its CRC; R900: 2 symbols via Reed-Solomon, errors and erasures from
//! chips) and a bit-stream framer.
//!
//! The entry point for a demodulated stream is [`BitScan`] (or [`BitStreamFramer`] for
//! core's `FrameReader`); see the README for a stream example. One packet:
//!
//! ```
//! use meterwire_scm_idm::{Scm, ScmRepr, Commodity};
//! // An SCM packet from rtlamr's output in allangood/rtlamr2mqtt#254 (electric meter).
//! let bytes = [0xf9, 0x53, 0x06, 0x1d, 0x90, 0xa9, 0xd3, 0xa9, 0x13, 0xcd, 0x13, 0x0e];
//! let scm = Scm::new_checked(&bytes[..]).unwrap();
//! assert_eq!((scm.id(), scm.consumption(), scm.crc()), (61412301, 9480659, 4878));
//! assert_eq!(scm.commodity(), Commodity::Electric);
//! // one flipped bit is rejected, and corrected when asked
//! let mut bad = bytes;
//! bad[5] ^= 0x10;
//! assert!(Scm::new_checked(&bad[..]).is_err());
//! assert_eq!(meterwire_scm_idm::scm::correct(&mut bad), Ok(1));
//! assert_eq!(ScmRepr::parse(&Scm::new_checked(&bad[..]).unwrap()).to_bytes().unwrap(), bytes);
//! ```
//!
//! # The crate contract
//!
//! | question | here |
//! |---|---|
//! | bytes of one packet -> view | `Scm::new_checked`, `ScmPlus::`, `Idm::`, `NetIdm::`, `R900::`, `R900Bcd::` (`new_checked_with(.., Strictness)` for strict mode) |
//! | a stream -> packets | [`BitScan`] / [`BitStreamFramer`] (bit or chip streams, the entry point); byte framers [`ScmFramer`], [`IdmFramer`], ... |
//! | owned form | `ScmRepr::parse(&view)` etc., `impl Encode`; `Repr -> encode -> parse -> Repr` is the identity |
//! | errors | [`Error`]: `Core(#[from] meterwire_core::Error)` plus `Checksum`, `Syndromes`, `Uncorrectable` |
//! | departures | `diagnostics()` on every view and on [`Found`]; strict mode rejects them |
//! | construction | `new()` plus builder methods (`.correct()`, `.strict()`, `.strictness(..)`) |
//!
//! Sources of the layouts: the rtlamr protocol wiki and decoders, rtl_433's
//! ert_scm/scmplus/ert_idm/neptune_r900 decoders (read for facts only), verified on
//! the real packets in `tests/golden.rs`.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// the tests, and `derive(arbitrary::Arbitrary)` (it names `::std`)
#[cfg(any(test, feature = "fuzzing"))]
extern crate std;

#[macro_use]
mod macros;

mod bits;
pub mod bitstream;
mod chips;
mod error;
mod ert;
pub mod framer;
#[cfg(feature = "fuzzing")]
mod fuzzing;
pub mod idm;
pub mod r900;
mod rs;
pub mod scm;
pub mod scm_plus;
#[cfg(feature = "serde")]
mod serde_impl;

#[cfg(feature = "serde")]
#[doc(hidden)]
pub use serde_impl::serde_arr;

/// The core traits and types this crate implements and returns, so that this crate
/// alone is enough to decode and encode.
pub use meterwire_core::{
    Decoded, Diagnostic, DiagnosticKind, Encode, EncodeError, Framer, Needed, Strictness,
};

pub use bitstream::{
    BitScan, BitStreamFramer, Found, IntervalKind, Kinds, Manchester, Packet, R900Kind, ScanEvent,
};
pub use error::{Check, Error};
pub use ert::Commodity;
pub use framer::{
    Corrected, IdmFramer, NetIdmFramer, PacketBuf, R900BcdFramer, R900Framer, ScmFramer,
    ScmPlusFramer,
};
pub use idm::{CrcStatus, Idm, IdmRepr, Intervals, NetIdm, NetIdmRepr};
pub use r900::{R900, R900Bcd, R900BcdRepr, R900Repr};
pub use scm::{Scm, ScmRepr};
pub use scm_plus::{ScmPlus, ScmPlusRepr};

/// The README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! Zero-copy no_std DLMS/COSEM codec: HDLC, wrapper, A-XDR, ACSE, xDLMS and AES-GCM security.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod apdu;
pub mod axdr;
mod error;
pub mod hdlc;
pub mod obis;
mod util;
pub mod wrapper;

pub use apdu::Apdu;
pub use error::{Error, Result};
pub use obis::Obis;
pub use util::Hex;

#[cfg(feature = "crypto")]
pub mod security;

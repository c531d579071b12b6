//! Zero-copy, `no_std` codec for **DSMR P1** telegrams (NL 2.2–5.0, BE e-MUCS, LU
//! Smarty, SE, CH, HU, AT) and **IEC 62056-21** optical-port messages, with
//! encrypted P1 (AES-128-GCM, Luxembourg Smarty / Energienetze Steiermark).
//!
//! ```
//! use meterwire_iec62056_21::p1::Telegram;
//! use meterwire_core::{Obis, Unit, Value, Decimal};
//! // ndokter/dsmr_parser test/example_telegrams.py TELEGRAM_V4_2 (first lines, CRC recomputed)
//! let t = Telegram::parser().skip_crc().parse(
//!     b"/KFM5KAIFA-METER\r\n\r\n1-3:0.2.8(42)\r\n1-0:1.8.1(001581.123*kWh)\r\n!0000\r\n").unwrap();
//! assert_eq!(t.header().manufacturer(), "KFM");
//! let mut text = [0u8; 64];
//! let r = t.readings(&mut text).nth(1).unwrap();
//! assert_eq!(r.obis, Obis::new(1, 0, 1, 8, 1, 255));
//! assert_eq!((r.value, r.unit), (Value::Number(Decimal::new(1_581_123, 0)), Some(Unit::WATT_HOUR)));
//! assert_eq!(r.value.to_string(), "1581123"); // Wh, exact
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(test)]
extern crate std;

pub mod crc;
pub mod dataset;
mod error;
pub mod ident;
pub mod iec;
pub mod p1;
#[cfg(feature = "serde")]
mod serde_impl;
pub mod smarty;
pub mod stack;

pub use error::Error;
pub use meterwire_core::{Decoded, Encode, Framer, Needed, Strictness};

/// The README example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! Zero-copy no_std ANSI C12.18 / C12.22 / C12.19 codec: PSEM, EPSEM, ACSE, EAX' security and standard tables.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

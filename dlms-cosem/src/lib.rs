//! Zero-copy no_std DLMS/COSEM codec: HDLC, wrapper, A-XDR, ACSE, xDLMS and AES-GCM security.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

//! Zero-copy no_std DNP3 codec: link frames with CRC blocks, transport reassembly, application and object headers.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

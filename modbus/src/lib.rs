//! Zero-copy no_std Modbus RTU, TCP and ASCII codec: every public function code, requests and responses.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

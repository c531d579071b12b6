//! Zero-copy no_std codec for ERT SCM, SCM+, IDM, NetIDM and Neptune R900 meter radio packets.
//!
//! Work in progress: see the project's issue tracker.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

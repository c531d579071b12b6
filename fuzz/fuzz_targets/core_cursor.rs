#![no_main]
//! Cursor/Writer never panic and never consume on failure.
use libfuzzer_sys::fuzz_target;

include!("../../core/tests/fuzz_bodies/core_cursor.rs");

fuzz_target!(|data: &[u8]| run(data));

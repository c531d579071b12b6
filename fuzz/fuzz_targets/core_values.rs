#![no_main]
//! See core/tests/fuzz_bodies/core_values.rs.
use libfuzzer_sys::fuzz_target;

include!("../../core/tests/fuzz_bodies/core_values.rs");

fuzz_target!(|data: &[u8]| run(data));

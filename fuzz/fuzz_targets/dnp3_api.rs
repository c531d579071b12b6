#![no_main]
//! See dnp3-lite/tests/fuzz_bodies/dnp3_api.rs.
use libfuzzer_sys::fuzz_target;

include!("../../dnp3-lite/tests/fuzz_bodies/dnp3_api.rs");

fuzz_target!(|data: &[u8]| run(data));

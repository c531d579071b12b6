#![no_main]
//! See ansi-c1222/tests/fuzz_bodies/c12_api.rs.
use libfuzzer_sys::fuzz_target;

include!("../../ansi-c1222/tests/fuzz_bodies/c12_api.rs");

fuzz_target!(|data: &[u8]| run(data));

#![no_main]
//! See iec62056-21/tests/fuzz_bodies/p1_api.rs.
use libfuzzer_sys::fuzz_target;

include!("../../iec62056-21/tests/fuzz_bodies/p1_api.rs");

fuzz_target!(|data: &[u8]| run(data));

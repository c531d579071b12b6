#![no_main]
//! See iec62056-21/tests/fuzz_bodies/iec21_message.rs.
use libfuzzer_sys::fuzz_target;

include!("../../iec62056-21/tests/fuzz_bodies/iec21_message.rs");

fuzz_target!(|data: &[u8]| run(data));

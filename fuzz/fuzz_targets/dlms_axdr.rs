#![no_main]
//! See dlms-cosem/tests/fuzz_bodies/dlms_axdr.rs.
use libfuzzer_sys::fuzz_target;

include!("../../dlms-cosem/tests/fuzz_bodies/dlms_axdr.rs");

fuzz_target!(|data: &[u8]| run(data));

#![no_main]
//! See dlms-cosem/tests/fuzz_bodies/dlms_structured.rs.
use libfuzzer_sys::fuzz_target;

include!("../../dlms-cosem/tests/fuzz_bodies/dlms_structured.rs");

fuzz_target!(|data: &[u8]| run(data));

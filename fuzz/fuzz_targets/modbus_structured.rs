#![no_main]
//! See modbus/tests/fuzz_bodies/modbus_structured.rs.
use libfuzzer_sys::fuzz_target;

include!("../../modbus/tests/fuzz_bodies/modbus_structured.rs");

fuzz_target!(|data: &[u8]| run(data));

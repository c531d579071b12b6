#![no_main]
//! See cli/tests/fuzz_bodies/stream_props.rs.
use libfuzzer_sys::fuzz_target;

include!("../../cli/tests/fuzz_bodies/stream_props.rs");

fuzz_target!(|data: &[u8]| run(data));

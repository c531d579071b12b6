#![no_main]
//! See ansi-c1222/tests/fuzz_bodies/c1218_packet.rs.
use libfuzzer_sys::fuzz_target;

include!("../../ansi-c1222/tests/fuzz_bodies/c1218_packet.rs");

fuzz_target!(|data: &[u8]| run(data));

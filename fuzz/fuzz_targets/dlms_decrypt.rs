#![no_main]
//! DLMS/COSEM security: random bytes through every decrypt entry point with
//! fixed keys (no panic), plus an encrypt -> decrypt roundtrip of the input.
use libfuzzer_sys::fuzz_target;

include!("../../dlms-cosem/tests/security_support/fuzz_decrypt.rs");

fuzz_target!(|data: &[u8]| run(data));

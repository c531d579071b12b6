#![no_main]
//! See scm-idm/tests/fuzz_bodies/scm_idm_api.rs.
use libfuzzer_sys::fuzz_target;

include!("../../scm-idm/tests/fuzz_bodies/scm_idm_api.rs");

fuzz_target!(|data: &[u8]| run(data));

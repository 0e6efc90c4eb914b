//! Fuzz target `http_request`: see `cyberkg_fuzz::http_request` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::http_request(data));

//! Fuzz target `sparql`: see `cyberkg_fuzz::sparql` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::sparql(data));

//! Fuzz target `un_layout`: see `cyberkg_fuzz::un_layout` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::un_layout(data));

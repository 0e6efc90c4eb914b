//! Fuzz target `load_formats`: see `cyberkg_fuzz::load_formats` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::load_formats(data));

//! Fuzz target `parallel_layout`: see `cyberkg_fuzz::parallel_layout` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::parallel_layout(data));

//! Fuzz target `markdown_layout`: see `cyberkg_fuzz::markdown_layout` and docs/fuzzing.md.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cyberkg_fuzz::markdown_layout(data));

//! Any bytes through the TLV parser (all three length units) and the validator (every profile,
//! both roles): never a panic, `valid` exactly when no MUST finding, offsets inside the input
//! (`qrcert::rules::invariants::check_validate`, also run by `tests/fuzz_properties.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| qrcert::rules::invariants::check_validate(data));

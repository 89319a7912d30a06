//! The index decoder on arbitrary bytes, and search over what it returns:
//! `fuzz_bodies::decode`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/fuzz_bodies.rs"]
#[allow(dead_code)] // each target uses one of the bodies
mod fuzz_bodies;
#[path = "../../tests/common/sharded.rs"]
#[allow(dead_code)] // the fuzz bodies use its store and restore
mod sharded;
#[path = "../../tests/common/well_formed.rs"]
mod well_formed;

fuzz_target!(|data: &[u8]| fuzz_bodies::decode(data));

//! The query parser and search over the seed corpus's index, with any text
//! and options: `fuzz_bodies::search`.
#![no_main]

use std::sync::OnceLock;

use engine::{format, Index};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/fuzz_bodies.rs"]
#[allow(dead_code)] // each target uses one of the bodies
mod fuzz_bodies;
#[path = "../../tests/common/well_formed.rs"]
mod well_formed;
#[path = "../../tests/common/seeds.rs"]
mod seeds;

/// The seed corpus's index, built once, encoded and decoded as the module does.
fn seed_index() -> &'static Index<'static> {
    static INDEX: OnceLock<Index<'static>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let builder = seeds::seeds();
        let bytes: &'static [u8] = Box::leak(format::encode(&builder.build()).into_boxed_slice());
        format::decode(bytes).expect("a fresh index decodes")
    })
}

fuzz_target!(|data: &[u8]| fuzz_bodies::search(seed_index(), data));

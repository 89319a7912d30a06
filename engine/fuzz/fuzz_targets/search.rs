//! The query parser and search over the seed corpus's index, with any text
//! and options: `fuzz_bodies::search`.
#![no_main]

use std::cell::OnceCell;

use engine::{format, Index};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/common/fuzz_bodies.rs"]
#[allow(dead_code)] // each target uses one of the bodies
mod fuzz_bodies;
#[path = "../../tests/common/seeds.rs"]
mod seeds;
#[path = "../../tests/common/sharded.rs"]
#[allow(dead_code)] // the fuzz bodies use its store and restore
mod sharded;
#[path = "../../tests/common/well_formed.rs"]
mod well_formed;

/// The seed corpus's index, built once, encoded and decoded as the module
/// does. Per thread: an `Index` notes what a sharded search misses in a
/// `RefCell`, so it is not `Sync` (libFuzzer runs a target on one thread).
fn seed_index() -> &'static Index<'static> {
    thread_local! {
        static INDEX: OnceCell<&'static Index<'static>> = const { OnceCell::new() };
    }
    INDEX.with(|index| {
        *index.get_or_init(|| {
            let mut builder = seeds::seeds();
            let bytes: &'static [u8] =
                Box::leak(format::encode(&builder.build()).into_boxed_slice());
            Box::leak(Box::new(
                format::decode(bytes).expect("a fresh index decodes"),
            ))
        })
    })
}

fuzz_target!(|data: &[u8]| fuzz_bodies::search(seed_index(), data));

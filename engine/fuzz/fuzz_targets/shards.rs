//! A sharded index handed arbitrary bytes for one of its files, and searches
//! over it: `fuzz_bodies::shards`.
#![no_main]

use std::sync::OnceLock;

use engine::ShardedFiles;
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

/// The seed corpus's shards, built once.
fn files() -> &'static ShardedFiles {
    static FILES: OnceLock<ShardedFiles> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut builder = seeds::seeds();
        fuzz_bodies::seed_shards(&mut builder)
    })
}

fuzz_target!(|data: &[u8]| fuzz_bodies::shards(files(), data));

//! Replays every input in `fuzz/seeds/<target>/` (the fuzzers' starting
//! points) and `fuzz/regressions/<target>/` (every input a fuzzer ever crashed
//! on, committed with the fix) through the fuzz targets' bodies, so that a
//! crash once found stays fixed. `make fuzz` runs the fuzzers; see TESTING.md.
mod common;

use std::fs;
use std::path::Path;

use common::fuzz_bodies;

/// The files of `fuzz/<kind>/<target>/`, sorted; none if the folder is absent.
fn inputs(kind: &str, target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            (
                path.display().to_string(),
                fs::read(&path).expect("a readable input"),
            )
        })
        .collect()
}

fn replay(target: &str, body: impl Fn(&[u8])) {
    let mut replayed = 0;
    for kind in ["seeds", "regressions"] {
        for (name, data) in inputs(kind, target) {
            eprintln!("replaying {name}");
            body(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no inputs for the {target} fuzz target");
}

#[test]
fn search_inputs() {
    let mut builder = common::seeds();
    let bytes = engine::format::encode(&builder.build());
    let index = engine::format::decode(&bytes).expect("a fresh index decodes");
    replay("search", |data| fuzz_bodies::search(&index, data));
}

#[test]
fn decode_inputs() {
    replay("decode", fuzz_bodies::decode);
}

#[test]
fn excerpt_inputs() {
    replay("excerpt", fuzz_bodies::excerpt);
}

#[test]
fn shards_inputs() {
    let mut builder = common::seeds();
    let files = fuzz_bodies::seed_shards(&mut builder);
    // The fuzzer's starting points are the built files themselves, each with
    // the byte that chooses its shard: `UPDATE_FUZZ_SEEDS=1` writes them.
    if std::env::var_os("UPDATE_FUZZ_SEEDS").is_some() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/shards");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let mut core = vec![255u8];
        core.extend_from_slice(&files.files[0]);
        fs::write(dir.join("core"), core).unwrap();
        let index = engine::Index::open_sharded(
            &files.manifest,
            &files.files[0],
            &mut common::sharded::restore,
        )
        .unwrap();
        for (i, &shard) in fuzz_bodies::shard_list(&files).iter().enumerate() {
            let mut input = vec![i as u8];
            input.extend_from_slice(files.stored_bytes(&index, shard).unwrap());
            fs::write(
                dir.join(format!(
                    "{:?}-{}-{}-{}",
                    shard.kind, shard.number, shard.part, shard.len
                )),
                input,
            )
            .unwrap();
        }
    }
    replay("shards", |data| fuzz_bodies::shards(&files, data));
}

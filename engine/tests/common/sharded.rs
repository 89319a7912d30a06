//! Running searches on a sharded index, handing in the shards it asks for.

use engine::{Index, ShardRef, ShardSizes, ShardedFiles};

/// Files stored as they are written (the indexer deflates them).
pub fn store(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

/// Files read back as they are stored.
pub fn restore(bytes: &[u8]) -> Option<&[u8]> {
    Some(bytes)
}

/// Shards far smaller than the defaults, so that even the seeds make many.
pub fn tiny() -> ShardSizes {
    ShardSizes {
        dictionary: 64,
        postings: 256,
        texts: 512,
        vectors: 8,
    }
}

/// Where `shard`'s bytes are in `files.files`.
pub fn file_of(files: &ShardedFiles, shard: ShardRef) -> usize {
    files
        .manifest
        .file_index(shard)
        .expect("a shard the manifest lists")
}

/// Runs `ask` on a sharded index until nothing is missing, handing in what it
/// asks for; returns the final answer, the rounds it took and the shards fetched.
pub fn resolve<'f, T>(
    index: &mut Index<'f>,
    files: &'f ShardedFiles,
    ask: impl Fn(&Index<'f>) -> T,
) -> (T, usize, Vec<ShardRef>) {
    let mut fetched = Vec::new();
    for round in 1..=8 {
        let answer = ask(index);
        let missing = index.take_missing();
        if missing.is_empty() {
            return (answer, round, fetched);
        }
        for shard in missing {
            assert!(!fetched.contains(&shard), "{shard:?} asked for twice");
            let bytes = files
                .stored_bytes(index, shard)
                .expect("a shard the index can place");
            index
                .add_shard(shard, bytes, &mut restore)
                .expect("a shard as built is accepted");
            fetched.push(shard);
        }
    }
    panic!("a search still missed shards after 8 rounds");
}

//! The module's inflater (`engine::inflate`) against the deflater the indexer
//! stores parts with (miniz_oxide): every level, stored, fixed and dynamic
//! blocks, long runs; and on damaged streams, an answer (never a panic) that
//! is never different data.

use engine::inflate::{inflate, MAX_PART_BYTES};
use miniz_oxide::deflate::compress_to_vec;
use proptest::prelude::*;

/// Text like an index's parts: words that repeat, numbers, and some bytes
/// that do not compress.
fn sample(seed: u64, len: usize) -> Vec<u8> {
    let words: [&[u8]; 8] = [
        b"aeroelastic ",
        b"models ",
        b"heated ",
        b"of ",
        b"the ",
        b"\x01\x02",
        b"\xff",
        b"0123 ",
    ];
    let mut state = seed | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        if state % 5 == 0 {
            out.push((state >> 24) as u8);
        } else {
            out.extend_from_slice(words[(state >> 32) as usize % words.len()]);
        }
    }
    out.truncate(len);
    out
}

#[test]
fn reads_back_every_level_and_block_kind() {
    for len in [0, 1, 2, 100, 5_000, 70_000, 300_000] {
        let data = sample(len as u64 + 7, len);
        // 0: stored blocks only (one of up to 64 KB each); 1: fast, fixed codes
        // on small input; 6 and 10: dynamic codes, long matches.
        for level in [0, 1, 6, 10] {
            let stored = compress_to_vec(&data, level);
            assert_eq!(
                inflate(&stored, MAX_PART_BYTES).as_deref(),
                Some(&data[..]),
                "{len} bytes at level {level}"
            );
        }
    }
    // A run: copies that overlap what they write.
    let run = vec![b'x'; 100_000];
    assert_eq!(
        inflate(&compress_to_vec(&run, 10), MAX_PART_BYTES),
        Some(run)
    );
}

#[test]
fn refuses_what_is_not_one_whole_stream() {
    let data = sample(3, 20_000);
    let stored = compress_to_vec(&data, 10);
    assert_eq!(inflate(&[], MAX_PART_BYTES), None, "empty input");
    assert_eq!(
        inflate(&stored[..stored.len() / 2], MAX_PART_BYTES),
        None,
        "cut in half"
    );
    assert_eq!(
        inflate(&stored[..stored.len() - 1], MAX_PART_BYTES),
        None,
        "last byte missing"
    );
    assert_eq!(inflate(&[0b111], MAX_PART_BYTES), None, "block type 3");
    // A stored block whose length and complement disagree.
    assert_eq!(inflate(&[1, 5, 0, 0, 0, b'a'], MAX_PART_BYTES), None);
    // Over the limit: refused, not cut.
    assert_eq!(inflate(&stored, data.len() - 1), None);
    assert_eq!(
        inflate(&stored, data.len()).map(|d| d.len()),
        Some(data.len())
    );
    assert_eq!(
        inflate(&compress_to_vec(&data, 0), 100),
        None,
        "stored blocks over the limit"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any data at any level comes back.
    #[test]
    fn round_trips(data in prop::collection::vec(any::<u8>(), 0..3000), level in 0u8..=10) {
        prop_assert_eq!(inflate(&compress_to_vec(&data, level), MAX_PART_BYTES), Some(data));
    }

    /// A stream with a byte changed either fails or gives what miniz_oxide
    /// gives for it: never a panic, never data of its own.
    #[test]
    fn damage_never_panics_or_invents(seed in any::<u64>(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let data = sample(seed, 2000);
        let mut stored = compress_to_vec(&data, 10);
        let at = at.index(stored.len());
        stored[at] = byte;
        if let Some(ours) = inflate(&stored, MAX_PART_BYTES) {
            let theirs = miniz_oxide::inflate::decompress_to_vec(&stored).ok();
            prop_assert_eq!(Some(ours), theirs);
        }
    }

    /// Bytes that were never a stream: an answer, never a panic.
    #[test]
    fn garbage_never_panics(garbage in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = inflate(&garbage, 1 << 16);
    }
}

//! What must hold for any input, as functions of raw bytes: the bodies of the
//! fuzz targets (`fuzz/fuzz_targets/`, which include this file by path) and of
//! `tests/fuzz_regressions.rs`, which replays every input the fuzzer ever
//! crashed on, and the seed inputs, in `make test`. Each panics on a failure.

use engine::{
    encode_sharded, format, Index, IndexBuilder, Query, SearchOptions, ShardKind, ShardRef,
    ShardSizes, ShardedFiles, SourceDocument, TypoThresholds,
};

use super::sharded::{restore, store};
use super::well_formed;

/// The query parser and search over a fixed index, with any text typed and
/// any options the wasm boundary lets through: the first four bytes are the
/// options, the rest the text.
pub fn search(index: &Index<'_>, data: &[u8]) {
    let [limit, offset, one_typo, two_typos, text @ ..] = data else {
        return;
    };
    let options = SearchOptions {
        limit: usize::from(*limit) * 4, // up to 1020, past MAX_LIMIT (1000)
        offset: usize::from(*offset),
        typos: TypoThresholds {
            one_typo_from: 1 + usize::from(*one_typo % 16),
            two_typos_from: 1 + usize::from(*two_typos % 16),
        },
        ..SearchOptions::default()
    };
    let text = String::from_utf8_lossy(text);
    let results = index.search(&Query::parse(&text), &options);
    if let Err(problem) = well_formed::check(&results) {
        panic!("{problem} for {text:?}");
    }
    assert!(results.hits.len() <= options.limit.min(engine::MAX_LIMIT));
    for completion in index.complete(&text, usize::from(*limit)) {
        assert!(completion.documents > 0, "{completion:?}");
    }
}

/// The seed corpus cut into small shards, for [`shards`].
pub fn seed_shards(builder: &mut IndexBuilder) -> ShardedFiles {
    let sizes = ShardSizes {
        dictionary: 256,
        postings: 1024,
        texts: 2048,
        vectors: 64,
    };
    encode_sharded(&builder.build(), &sizes, &mut store)
}

/// Every file of `files` after the core, in [`engine::Manifest::files`]
/// order, then every document's first block of text, then the spans a
/// search asks for: every dictionary shard at once (as at start-up), every
/// vector shard at once, and the records of the first texts file.
pub fn shard_list(files: &ShardedFiles) -> Vec<ShardRef> {
    let m = &files.manifest;
    let kinds = [
        (ShardKind::Dictionary, m.dictionary.len()),
        (ShardKind::Postings, m.postings.len()),
        (ShardKind::Texts, m.texts.len()),
        (ShardKind::Vectors, m.vectors.len()),
        (ShardKind::Block, m.documents as usize),
    ];
    let span = |kind, part, len: usize| ShardRef {
        kind,
        number: 0,
        part,
        len: len as u32,
    };
    let header = 13;
    kinds
        .into_iter()
        .flat_map(|(kind, count)| (0..count as u32).map(move |number| ShardRef::new(kind, number)))
        .chain([
            span(ShardKind::Dictionary, 0, m.dictionary.len()),
            span(
                ShardKind::Texts,
                header,
                m.texts[0].file.bytes as usize - header as usize,
            ),
        ])
        .chain((!m.vectors.is_empty()).then(|| span(ShardKind::Vectors, 0, m.vectors.len())))
        .collect()
}

/// A sharded index handed an arbitrary file for one of its shards (the first
/// byte chooses which; 255: the core): an error or an accepted shard, never
/// a panic; and searches, with every other shard as built, stay well formed.
pub fn shards(files: &ShardedFiles, data: &[u8]) {
    let [choice, bytes @ ..] = data else {
        return;
    };
    let list = shard_list(files);
    let mut index = if *choice == 255 {
        match Index::open_sharded(&files.manifest, bytes, &mut restore) {
            Ok(index) => index,
            Err(_) => return,
        }
    } else {
        Index::open_sharded(&files.manifest, &files.files[0], &mut restore)
            .expect("the built core opens")
    };
    let chosen = list.get(usize::from(*choice) % list.len().max(1)).copied();
    if let Some(shard) = chosen.filter(|_| *choice != 255) {
        let _ = index.add_shard(shard, bytes, &mut restore);
    }
    for text in [
        "jewish labour",
        "antisemet",
        "\"labour movement\" -party",
        "history of the jews and labour",
        "zzz",
    ] {
        let query = Query::parse(text);
        for _ in 0..8 {
            let results = index.search(&query, &SearchOptions::default());
            if let Err(problem) = well_formed::check(&results) {
                panic!("{problem} for {text:?}");
            }
            let missing = index.take_missing();
            if missing.is_empty() {
                break;
            }
            for shard in missing {
                let same = |s: ShardRef| s.kind == shard.kind && s.number == shard.number;
                if chosen.is_some_and(same) && *choice != 255 {
                    continue; // the fuzzed file was this shard's: it stays missing
                }
                // A built shard may still be refused when it is read through
                // the fuzzed one (a dictionary's lengths of its postings).
                if let Some(bytes) = files.stored_bytes(&index, shard) {
                    let _ = index.add_shard(shard, bytes, &mut restore);
                }
            }
        }
        let _ = index.complete(text, 10);
    }
}

/// The index decoder on arbitrary bytes: an error or an index, never a panic;
/// and an index it returns can be searched and encoded again.
pub fn decode(data: &[u8]) {
    let Ok(index) = format::decode(data) else {
        return;
    };
    let _ = format::encode(&index);
    for text in [
        "a",
        "the lab",
        "labor",
        "\"jewish labour\" -party",
        "histroy",
        "x OR y",
    ] {
        let results = index.search(&Query::parse(text), &SearchOptions::default());
        if let Err(problem) = well_formed::check(&results) {
            panic!("{problem} for {text:?}");
        }
        let _ = index.complete(text, 10);
    }
}

/// Analysis, excerpts and highlights on arbitrary text: the first line is a
/// query, the second a title, the rest a document's body. The document is
/// searched with the query and with some of its own words, so that excerpts
/// are cut and highlighted wherever the bytes put them.
pub fn excerpt(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (query, rest) = text.split_once('\n').unwrap_or(("", &text));
    let (title, body) = rest.split_once('\n').unwrap_or(("", rest));

    let mut builder = IndexBuilder::new();
    builder.add(SourceDocument::new("fuzzed", title, "fuzzed", body));
    builder.add(SourceDocument::new(
        "fixed",
        "A fixed page",
        "fixed",
        "With a few plain words in it.",
    ));
    let bytes = format::encode(&builder.build());
    let index = format::decode(&bytes).expect("a fresh index decodes");

    let own_words: Vec<&str> = body.split_whitespace().step_by(7).take(4).collect();
    for query in [query.to_string(), own_words.join(" ")] {
        let results = index.search(&Query::parse(&query), &SearchOptions::default());
        if let Err(problem) = well_formed::check(&results) {
            panic!("{problem} for {query:?}");
        }
    }
}

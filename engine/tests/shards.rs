//! A sharded index answers every search exactly as the same index in memory,
//! fetching only what the search needs; bad shards are errors that change nothing.

mod common;

use common::sharded::{resolve, restore, store, tiny};
use common::{corpus, seeds, two_subjects};
use engine::{
    encode_sharded, format, Index, IndexBuilder, Query, SearchOptions, Section, ShardKind,
    ShardRef, SourceDocument,
};

const QUERIES: &[&str] = &[
    "jewish labour",
    "labour movement",
    "\"labour movement\"",
    "antisemetism",
    "nationbulder ",
    "jew",
    "labour -zionist",
    "labour OR labor",
    "history of the jews",
    "the",
    "zzzz",
    "",
    "rocket engine thrust nozzle",
    "library catalogue books reader",
    "combustion chamber pressure injector",
    "rocket",
    "catalogu",
    "\"rocket engine",
    "-rocket",
    "thrust OR books -library",
];

fn check_same_answers(mut builder: engine::IndexBuilder) {
    let memory = builder.build();
    let bytes = format::encode(&memory);
    let embedded = format::decode(&bytes).unwrap();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    assert!(
        files.manifest.dictionary.len() > 1,
        "the test needs several dictionary shards"
    );
    let core = &files.files[0];
    for query in QUERIES {
        for options in [
            SearchOptions::default(),
            SearchOptions {
                limit: 2,
                offset: 1,
                ..SearchOptions::default()
            },
        ] {
            // A fresh index each time, so that every search starts from nothing.
            let mut sharded = Index::open_sharded(&files.manifest, core, &mut restore).unwrap();
            let want = embedded.search(&Query::parse(query), &options);
            let (got, rounds, _) = resolve(&mut sharded, &files, |index| {
                index.search(&Query::parse(query), &options)
            });
            assert_eq!(got, want, "{query:?}");
            assert!(rounds <= 5, "{query:?} took {rounds} rounds");
            // Once loaded, the same search needs nothing more.
            let again = sharded.search(&Query::parse(query), &options);
            assert!(sharded.take_missing().is_empty());
            assert_eq!(again, want);
        }
        let mut sharded = Index::open_sharded(&files.manifest, core, &mut restore).unwrap();
        let (got, _, _) = resolve(&mut sharded, &files, |index| index.complete(query, 5));
        assert_eq!(got, embedded.complete(query, 5), "completions of {query:?}");
    }
}

#[test]
fn sharded_seeds_answer_as_in_memory() {
    check_same_answers(seeds());
}

#[test]
fn sharded_with_semantic_vectors_answer_as_in_memory() {
    let mut builder = two_subjects();
    let files = encode_sharded(&builder.build(), &tiny(), &mut store);
    assert!(files.manifest.dimensions > 0 && files.manifest.vectors.len() > 1);
    check_same_answers(two_subjects());
}

#[test]
fn a_search_fetches_only_what_it_needs() {
    // Forty documents, one of them about zebras.
    let texts: Vec<(String, String)> = (0..40)
        .map(|i| {
            let body = if i == 17 {
                "a zebra crossing the savanna at dawn".to_string()
            } else {
                format!("ordinary page number {i} about nothing much at all")
            };
            (format!("{i:02}.txt"), body)
        })
        .collect();
    let documents: Vec<(&str, &str, &str)> = texts
        .iter()
        .map(|(id, body)| (id.as_str(), "", body.as_str()))
        .collect();
    let mut builder = corpus(&documents);
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let m = &files.manifest;
    let mut sharded = Index::open_sharded(m, &files.files[0], &mut restore).unwrap();
    let (results, rounds, fetched) = resolve(&mut sharded, &files, |index| {
        index.search(&Query::parse("zebra"), &SearchOptions::default())
    });
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].id, "17.txt");
    // Dictionary, postings, the hit's block of text.
    assert_eq!(rounds, 4, "{fetched:?}");
    let count = |kind| fetched.iter().filter(|s| s.kind == kind).count();
    assert!(
        count(ShardKind::Dictionary) < m.dictionary.len(),
        "{fetched:?}"
    );
    assert_eq!(count(ShardKind::Postings), 1, "{fetched:?}");
    assert!(m.texts.len() > 1);
    // The hit's block, as the span of its texts file that its slot is: never a whole file.
    let block = sharded
        .byte_range(ShardRef::new_part(ShardKind::Block, 17, 0))
        .unwrap();
    let texts: Vec<_> = fetched
        .iter()
        .filter(|s| s.kind == ShardKind::Texts)
        .collect();
    assert_eq!(texts.len(), 1, "{fetched:?}");
    assert_eq!((texts[0].part, texts[0].len), block, "{fetched:?}");
    assert_eq!(count(ShardKind::Vectors), 0, "{fetched:?}");
}

#[test]
fn a_long_document_sends_the_block_of_its_excerpt_alone() {
    // The match is some 3,000 words in: in block 23 of 47.
    let filler: Vec<String> = (0..3000).map(|i| format!("filler{}", i % 50)).collect();
    let body = format!(
        "{} the zebra crossing {}",
        filler.join(" "),
        filler.join(" ")
    );
    let mut builder = corpus(&[("long.txt", "Long", body.as_str())]);
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let query = Query::parse("zebra");
    let (results, rounds, fetched) = resolve(&mut sharded, &files, |index| {
        index.search(&query, &SearchOptions::default())
    });
    assert_eq!(results, memory.search(&query, &SearchOptions::default()));
    assert!(results.hits[0].excerpt.contains("zebra crossing"));
    // Dictionary, postings, the excerpt's block (which carries the title).
    assert_eq!(rounds, 4, "{fetched:?}");
    let texts: Vec<_> = fetched
        .iter()
        .filter(|s| s.kind == ShardKind::Texts)
        .collect();
    assert_eq!(texts.len(), 1, "{fetched:?}");
    let block = sharded
        .byte_range(ShardRef::new_part(ShardKind::Block, 0, 3001 / 128))
        .unwrap();
    assert_eq!((texts[0].part, texts[0].len), block, "{fetched:?}");
    // 160 words (stored as written here: the indexer deflates them), of 6,000.
    assert!(
        block.1 < body.len() as u32 / 20,
        "a block of {} bytes",
        block.1
    );
}

/// Searches one document's index, embedded and sharded, for each of
/// `queries` with the default options: both must answer alike, and `check`
/// sees the answer.
fn search_both_modes(
    document: SourceDocument,
    queries: &[&str],
    mut check: impl FnMut(&str, &engine::SearchResults<'_>),
) {
    let mut builder = IndexBuilder::new();
    builder.add(document);
    let memory = builder.build();
    let embedded_bytes = format::encode(&memory);
    let embedded = format::decode(&embedded_bytes).unwrap();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    for &text in queries {
        let query = Query::parse(text);
        let want = embedded.search(&query, &SearchOptions::default());
        let mut sharded =
            Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        let (got, _, _) = resolve(&mut sharded, &files, |index| {
            index.search(&query, &SearchOptions::default())
        });
        assert_eq!(got, want, "{text}");
        check(text, &got);
    }
}

#[test]
fn a_hit_links_to_the_section_its_excerpt_is_in_in_both_modes() {
    let mut words: Vec<String> = (0..4000).map(|i| format!("filler{}", i % 50)).collect();
    words[10] = "opening".into();
    words[2000] = "middling".into();
    words[3001] = "zebra".into();
    // Its excerpt's window starts in block 0 (words 0..160), the word itself at 130, past block 1's start.
    words[130] = "straddling".into();
    let mut document = SourceDocument::new("long.html", "Long", "long.html", words.join(" "));
    for (word, title, anchor) in [
        (0, "Long", "#top"),
        (129, "Near a block's end", "#near"),
        (1000, "Middle part", "#middle"),
        (2950, "Zebras", "#:~:text=Zebras"),
    ] {
        document.sections.push(Section {
            word,
            title: title.into(),
            anchor: anchor.into(),
        });
    }
    let cases = [
        // Before any heading but the opening one: the page itself.
        ("opening", "long.html", None),
        // Its block starts after "Middle part" began: the section in effect.
        ("middling", "long.html#middle", Some("Middle part")),
        // A section that starts inside the block.
        ("zebra", "long.html#:~:text=Zebras", Some("Zebras")),
        // The match is in block 1's words, the excerpt in block 0, which alone is fetched.
        ("straddling", "long.html#near", Some("Near a block's end")),
    ];
    let queries: Vec<&str> = cases.iter().map(|c| c.0).collect();
    search_both_modes(document, &queries, |query, got| {
        let (_, url, section) = cases.iter().find(|c| c.0 == query).unwrap();
        let hit = &got.hits[0];
        assert_eq!(hit.url, *url, "{query}");
        assert_eq!(hit.sections.first().map(|s| s.title), *section, "{query}");
        if let Some(first) = hit.sections.first() {
            assert_eq!((first.url.as_str(), &first.excerpt), (*url, &hit.excerpt));
        }
    });
}

#[test]
fn a_hit_lists_the_sections_whose_headings_match_in_both_modes() {
    let mut words: Vec<String> = (0..4000).map(|i| format!("filler{}", i % 50)).collect();
    // Named in the opening's text, then the heading of four sections.
    words[10] = "parser".into();
    let headings = [
        (500, "basics"),
        (1500, "errors"),
        (2500, "options"),
        (3500, "limits"),
    ];
    let mut document = SourceDocument::new("long.html", "Long", "long.html", "");
    for (word, name) in headings {
        words[word] = "parser".into();
        words[word + 1] = name.into();
        document.sections.push(Section {
            word: word as u32,
            title: format!("parser {name}"),
            anchor: format!("#{name}"),
        });
    }
    document.body = words.join(" ");
    search_both_modes(document, &["parser"], |_, got| {
        let hit = &got.hits[0];
        // The first heading that matches, not the opening's mention; then the
        // next two, in the page's order, each excerpt starting at its heading.
        assert_eq!(hit.url, "long.html#basics");
        let listed: Vec<(&str, &str)> = hit
            .sections
            .iter()
            .map(|s| (s.title, s.url.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                ("parser basics", "long.html#basics"),
                ("parser errors", "long.html#errors"),
                ("parser options", "long.html#options")
            ]
        );
        for section in &hit.sections {
            assert!(
                section.excerpt.starts_with("… parser "),
                "{}",
                section.excerpt
            );
            assert_eq!(section.highlights.first(), Some(&[2, 8]));
        }
    });
}

#[test]
fn documents_are_listed_once_every_text_has_arrived() {
    let mut builder = seeds();
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let (ids, _, _) = resolve(&mut sharded, &files, |index| {
        index.has_all_texts();
        index
            .documents()
            .iter()
            .map(|d| d.id.to_string())
            .collect::<Vec<_>>()
    });
    let want: Vec<String> = memory
        .documents()
        .iter()
        .map(|d| d.id.to_string())
        .collect();
    assert_eq!(ids, want);
}

#[test]
fn a_bad_shard_is_an_error_naming_it_and_changes_nothing() {
    let mut builder = seeds();
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let query = Query::parse("jewish labour");
    let options = SearchOptions::default();
    let want = memory.search(&query, &options);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let mut round = 0;
    loop {
        let got = sharded.search(&query, &options);
        let missing = sharded.take_missing();
        if missing.is_empty() {
            assert_eq!(got, want);
            break;
        }
        round += 1;
        assert!(round < 8);
        for shard in missing {
            let good = files
                .stored_bytes(&sharded, shard)
                .expect("a shard it can place");
            // Truncated, bit-flipped past the header, and another shard's file.
            // (Refused or not, what is handed in must outlive the index: leaked.)
            let truncated = &good[..good.len() - 1];
            let mut flipped = good.to_vec();
            let last = flipped.len() - 1;
            flipped[last] ^= 0xff;
            let flipped: &'static [u8] = Box::leak(flipped.into_boxed_slice());
            let other = &files.files[0];
            for bad in [truncated, flipped, other.as_slice(), &[][..]] {
                if bad == good {
                    continue;
                }
                if let Err(error) = sharded.add_shard(shard, bad, &mut restore) {
                    assert_eq!(error.shard, shard);
                    assert!(!error.error.message().is_empty());
                    assert!(!sharded.has_shard(shard));
                }
            }
            // Some flips still decode (a body byte of a text); the good file
            // then does nothing more, and the answer must still be right,
            // so hand it in only where the bad ones were refused.
            if !sharded.has_shard(shard) {
                sharded
                    .add_shard(shard, good, &mut restore)
                    .expect("the good file is accepted");
            }
        }
    }
}

#[test]
fn an_empty_corpus_shards_and_answers_nothing() {
    let mut builder = corpus(&[]);
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let results = sharded.search(&Query::parse("anything"), &SearchOptions::default());
    assert!(sharded.take_missing().is_empty());
    assert_eq!(results.total, 0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// What the `shards` fuzz target checks, on the built files with random
    /// bytes changed, cut or added: never a panic, always well-formed results.
    #[test]
    fn a_damaged_shard_never_panics(
        choice in 0u8..=255,
        edits in proptest::collection::vec((0usize..4096, 0u8..=255), 0..6),
        cut in proptest::option::of(0usize..4096),
    ) {
        let mut builder = seeds();
        let files = common::fuzz_bodies::seed_shards(&mut builder);
        let list = common::fuzz_bodies::shard_list(&files);
        let index = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        let mut bytes = if choice == 255 {
            files.files[0].clone()
        } else {
            let shard = list[usize::from(choice) % list.len()];
            files.stored_bytes(&index, shard).expect("a shard it can place").to_vec()
        };
        for (at, value) in edits {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = value;
            }
        }
        if let Some(cut) = cut {
            bytes.truncate(cut % (bytes.len() + 1));
        }
        let mut data = vec![choice];
        data.extend_from_slice(&bytes);
        common::fuzz_bodies::shards(&files, &data);
    }
}

/// `count` documents, those whose number `hit(i)` says about zebras, each
/// with `words` words of filler (sizing the bytes between two hits' blocks).
fn zebra_corpus(count: usize, words: usize, hit: impl Fn(usize) -> bool) -> engine::IndexBuilder {
    let texts: Vec<(String, String)> = (0..count)
        .map(|i| {
            // Words unlike each other, so that deflate cannot hide the distance.
            let filler: Vec<String> = (0..words)
                .map(|w| format!("w{}x{}", i * 7919 + w, w * 31))
                .collect();
            let subject = if hit(i) { "zebra" } else { "horse" };
            (
                format!("{i:03}.txt"),
                format!("a {subject} page {}", filler.join(" ")),
            )
        })
        .collect();
    let documents: Vec<(&str, &str, &str)> = texts
        .iter()
        .map(|(id, body)| (id.as_str(), "", body.as_str()))
        .collect();
    corpus(&documents)
}

/// The rounds of a search on a sharded index: what each asked for.
fn rounds_of(files: &engine::ShardedFiles, query: &str) -> Vec<Vec<ShardRef>> {
    rounds_with(files, query, 6)
}

/// [`rounds_of`] for a host that answers `parallel` requests at once.
fn rounds_with(files: &engine::ShardedFiles, query: &str, parallel: usize) -> Vec<Vec<ShardRef>> {
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    sharded.set_parallel_requests(parallel);
    let query = Query::parse(query);
    let mut rounds = Vec::new();
    loop {
        sharded.search(&query, &SearchOptions::default());
        let missing = sharded.take_missing();
        if missing.is_empty() {
            return rounds;
        }
        for &shard in &missing {
            let bytes = files.stored_bytes(&sharded, shard).unwrap();
            sharded.add_shard(shard, bytes, &mut restore).unwrap();
        }
        rounds.push(missing);
        assert!(rounds.len() < 8);
    }
}

#[test]
fn close_blocks_of_one_file_come_in_one_wave_of_requests() {
    // Every other document is a hit: ten hits' blocks, each a short record apart.
    let sizes = engine::ShardSizes {
        texts: 1 << 20,
        ..tiny()
    };
    let mut builder = zebra_corpus(40, 10, |i| i % 2 == 0);
    let memory = builder.build();
    let files = encode_sharded(&memory, &sizes, &mut store);
    assert_eq!(files.manifest.texts.len(), 1);
    let rounds = rounds_of(&files, "zebra");
    let texts = rounds.last().unwrap();
    assert!(
        texts
            .iter()
            .all(|s| s.kind == ShardKind::Texts && s.len > 0),
        "{texts:?}"
    );
    // Ten blocks, as six requests at most: what a browser runs at once.
    assert!(texts.len() <= 6, "{texts:?}");
    // Over HTTP/2 a round is one wave however many requests it has: each
    // block alone, and no byte between them.
    let multiplexed = rounds_with(&files, "zebra", usize::MAX);
    let texts = multiplexed.last().unwrap();
    assert_eq!(texts.len(), 10, "{texts:?}");
    assert!(
        texts.iter().all(|s| s.kind == ShardKind::Texts),
        "{texts:?}"
    );
    let sharded_answer = {
        let mut sharded =
            Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        resolve(&mut sharded, &files, |index| {
            index.search(&Query::parse("zebra"), &SearchOptions::default())
        })
        .0
    };
    assert_eq!(
        sharded_answer,
        memory.search(&Query::parse("zebra"), &SearchOptions::default())
    );
}

#[test]
fn distant_blocks_are_not_merged_at_the_cost_of_many_bytes() {
    // Hits a long record (some 20 KB stored) apart: merging them would fetch
    // more bytes than the wave of requests it saves is worth.
    let sizes = engine::ShardSizes {
        texts: 1 << 24,
        ..tiny()
    };
    let mut builder = zebra_corpus(20, 2500, |i| i % 2 == 0);
    let files = encode_sharded(&builder.build(), &sizes, &mut store);
    let rounds = rounds_of(&files, "zebra");
    let texts = rounds.last().unwrap();
    assert_eq!(texts.len(), 10, "{texts:?}");
    for shard in texts {
        // One slot of 160 words, of a record of 2,500.
        assert!(shard.len < 4096, "a block alone: {shard:?}");
    }
}

#[test]
fn a_long_question_asks_for_a_small_sites_vectors_with_its_postings() {
    let mut builder = two_subjects();
    let files = encode_sharded(&builder.build(), &tiny(), &mut store);
    assert!(files.manifest.vectors.len() > 1);
    let rounds = rounds_of(&files, "rocket engine combustion chamber pressure");
    // Every vector shard, in one request, in the round that asks for the
    // question's dictionary shards: not a round after its postings.
    let kinds = |round: &Vec<ShardRef>, kind| round.iter().filter(|s| s.kind == kind).count();
    assert_eq!(kinds(&rounds[0], ShardKind::Vectors), 1, "{rounds:?}");
    assert!(kinds(&rounds[0], ShardKind::Dictionary) > 0, "{rounds:?}");
    assert!(
        rounds[1..]
            .iter()
            .all(|r| kinds(r, ShardKind::Vectors) == 0),
        "{rounds:?}"
    );
    let vectors = rounds[0]
        .iter()
        .find(|s| s.kind == ShardKind::Vectors)
        .unwrap();
    assert_eq!(
        (vectors.number, vectors.len as usize),
        (0, files.manifest.vectors.len())
    );
    // A keyword query asks for no vectors.
    let keyword = rounds_of(&files, "rocket");
    assert!(
        keyword.iter().all(|r| kinds(r, ShardKind::Vectors) == 0),
        "{keyword:?}"
    );
}

#[test]
fn a_small_dictionary_is_fetched_whole_at_open() {
    let mut builder = seeds();
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    assert!(files.manifest.prefetch_dictionary);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let all = sharded.whole_dictionary();
    assert_eq!(all.len as usize, files.manifest.dictionary.len());
    let whole = &files.files[1];
    // What the file holds past its header, as a host without range requests sends it cut.
    let (start, len) = sharded.byte_range(all).unwrap();
    assert_eq!((start + len) as usize, whole.len());
    sharded
        .add_shard(all, &whole[start as usize..], &mut restore)
        .unwrap();
    let query = Query::parse("jewish labour");
    let (got, _, fetched) = resolve(&mut sharded, &files, |index| {
        index.search(&query, &SearchOptions::default())
    });
    assert_eq!(got, memory.search(&query, &SearchOptions::default()));
    assert!(
        fetched.iter().all(|s| s.kind != ShardKind::Dictionary),
        "{fetched:?}"
    );
}

#[test]
fn bad_vector_shards_are_errors_that_change_nothing() {
    let mut builder = two_subjects();
    let memory = builder.build();
    let files = encode_sharded(&memory, &tiny(), &mut store);
    let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
    let all = ShardRef {
        kind: ShardKind::Vectors,
        number: 0,
        part: 0,
        len: files.manifest.vectors.len() as u32,
    };
    let good = files.stored_bytes(&sharded, all).unwrap();
    let mut flipped = good.to_vec();
    flipped[13] ^= 0x40; // the first shard's number of dimensions
    let flipped: &'static [u8] = Box::leak(flipped.into_boxed_slice());
    for bad in [&good[..good.len() - 1], flipped, &[][..]] {
        let error = sharded.add_shard(all, bad, &mut restore).unwrap_err();
        assert_eq!(error.shard, all);
        assert!(!sharded.has_shard(ShardRef::new(ShardKind::Vectors, 0)));
    }
    sharded.add_shard(all, good, &mut restore).unwrap();
    let query = Query::parse("rocket engine combustion chamber pressure");
    let (got, _, _) = resolve(&mut sharded, &files, |index| {
        index.search(&query, &SearchOptions::default())
    });
    assert_eq!(got, memory.search(&query, &SearchOptions::default()));
}

//! Search behaviour on the seed texts and on small made-up corpora.

mod common;

use common::{corpus, ids, search, seeds, A, B, C};
use engine::analysis::fold;
use engine::typo_distance;
use engine::{
    format, Analyzer, Bm25fParams, IndexBuilder, Query, SearchOptions, Section, SourceDocument,
    TypoThresholds, EXCERPT_WORDS,
};

#[test]
fn seed_queries() {
    let mut builder = seeds();
    let index = builder.build();
    // (query, the first hits in order, how many documents match)
    let cases: &[(&str, &[&str], usize)] = &[
        // Only one seed has both words; while `Zion` may still be being typed,
        // `Zionist` elsewhere matches it as a prefix, ranked below.
        ("Poale Zion", &[C], 3),
        ("Poale Zion ", &[C], 1),
        // `poale` is one typo from `pale` (in `Palestine`'s text), but a
        // guess does not pad the list once a text has the word as typed.
        ("poale", &[C], 1),
        // One seed writes `anti-Semitism`: every spelling finds all three.
        ("antisemitism", &[], 3),
        ("anti-semitism ", &[], 3),
        ("anti-Semitism", &[], 3),
        // Only texts with a form of both words, or one of them as typed:
        // not one with `table`, a typo of `cable`.
        ("Cable Street", &[C], 1),
        ("Jeremy Newmark", &[C], 3),
        ("monitoring centre", &[B], 1),
        ("Kenneth Stern", &[A], 1),
        ("witchhunt", &[A, B], 2),
        ("JLM training sessions", &[A], 3),
        // `Jews` (the exact stem `jew`) ranks above `Jewish` (a prefix match).
        ("jew", &[C], 3),
        ("unsolicited survey email", &[B], 2),
        ("zebra", &[], 0),
        ("", &[], 0),
        ("   ", &[], 0),
        ("—…!?", &[], 0),
    ];
    for &(query, first, total) in cases {
        let results = search(&index, query);
        let got = ids(&results);
        assert_eq!(
            &got[..first.len().min(got.len())],
            first,
            "{query:?} gave {got:?}"
        );
        assert_eq!(results.total, total, "{query:?} gave {got:?}");
    }
}

#[test]
fn all_terms_rank_first_but_questions_never_come_back_empty() {
    let mut builder = corpus(&[
        (
            "one",
            "Rivers",
            "The river river river river flows. The river again.",
        ),
        ("both", "Lakes", "A river runs into a mountain lake."),
        ("none", "Deserts", "Sand and wind."),
    ]);
    let index = builder.build();
    assert_eq!(ids(&search(&index, "mountain river")), ["both", "one"]);
    // `elephants` is in no document: the question still finds what has the other words.
    assert_eq!(
        ids(&search(&index, "where do mountain rivers meet elephants?")),
        ["both", "one"]
    );
    // A stop word neither demotes a document that lacks it nor finds one that has only it.
    assert_eq!(ids(&search(&index, "the mountain")), ["both"]);
    assert_eq!(ids(&search(&index, "the mountain ")), ["both"]);
}

#[test]
fn a_stop_word_still_being_typed_counts_as_a_prefix() {
    let mut builder = corpus(&[
        ("theory", "Theories", "A theory of rivers."),
        ("plain", "Rivers", "Rivers and more rivers."),
    ]);
    let index = builder.build();
    // `the` may be the start of `theory`: while it is typed, it scores.
    assert_eq!(ids(&search(&index, "rivers the")), ["theory", "plain"]);
    // Once a space follows, it is the stop word, and scores nothing.
    assert_eq!(ids(&search(&index, "rivers the ")), ["plain", "theory"]);
}

#[test]
fn stop_words_alone_still_find_documents() {
    let mut builder = corpus(&[
        (
            "hamlet",
            "Hamlet",
            "To be, or not to be, that is the question.",
        ),
        ("other", "Other", "Nothing of the sort here."),
    ]);
    let index = builder.build();
    let results = search(&index, "to be or not to be");
    assert_eq!(ids(&results)[0], "hamlet");
    assert_eq!(
        results.hits[0].excerpt,
        "To be, or not to be, that is the question."
    );
}

#[test]
fn prefix_matches_rank_below_exact_ones() {
    let mut builder = corpus(&[
        ("longer", "A", "The laboratory opened."),
        ("exact", "B", "A lab opened."),
        ("happy", "C", "Happy people."),
        ("unrelated", "D", "Nothing to see."),
    ]);
    let index = builder.build();
    assert_eq!(ids(&search(&index, "lab")), ["exact", "longer"]);
    assert_eq!(ids(&search(&index, "labor")), ["longer"]);
    // With a space or punctuation after it, the word is finished: no prefix matching.
    assert_eq!(ids(&search(&index, "lab ")), ["exact"]);
    assert_eq!(ids(&search(&index, "lab.")), ["exact"]);
    // Typed past the stem: `happine` is no prefix of the term `happi`, but extends it.
    assert_eq!(ids(&search(&index, "happine")), ["happy"]);
    assert_eq!(ids(&search(&index, "happiness")), ["happy"]);
}

/// While a word is typed, its misspellings' completions are guessed at only
/// when it matches nothing as it stands.
#[test]
fn typo_completions_only_for_a_word_that_matches_nothing_as_typed() {
    let mut builder = corpus(&[
        ("lexicon", "A", "A lexicon of words."),
        ("lexocography", "B", "Lexocography, a misspelt word."),
        ("unrelated", "C", "Nothing to see."),
    ]);
    let index = builder.build();
    // `lexic` starts `lexicon`: `lexoc…`, one typo away, is not guessed at,
    // even where no document has every word (the rule that guesses do not
    // pad a list does not apply there).
    assert_eq!(ids(&search(&index, "lexic")), ["lexicon"]);
    let results = search(&index, "misspelt lexic");
    let misspelt = results
        .hits
        .iter()
        .find(|h| h.id == "lexocography")
        .unwrap();
    let shown: Vec<&str> = misspelt
        .highlights
        .iter()
        .map(|&[start, end]| &misspelt.excerpt[start as usize..end as usize])
        .collect();
    assert_eq!(shown, ["misspelt"]);
    assert_eq!(ids(&search(&index, "lexoc")), ["lexocography"]);
    // `lexiq` starts nothing: what one typo away starts, it finds.
    assert_eq!(ids(&search(&index, "lexiq")), ["lexicon"]);
    // Finished words are still matched within their typos.
    assert_eq!(ids(&search(&index, "lexicen ")), ["lexicon"]);
}

#[test]
fn diacritics_and_case_fold() {
    let mut builder = corpus(&[
        ("city", "ZÜRICH", "Die Straße am See."),
        ("other", "Geneva", "Le lac."),
    ]);
    let index = builder.build();
    for query in ["zurich", "Zürich", "ZURICH", "strasse", "Straße"] {
        assert_eq!(ids(&search(&index, query)), ["city"], "{query:?}");
    }
}

#[test]
fn title_matches_outrank_body_matches() {
    let mut builder = corpus(&[
        (
            "body",
            "Something else",
            "A text that mentions gliders once among many other words here.",
        ),
        (
            "title",
            "Gliders",
            "A text about flying machines among many other words here.",
        ),
    ]);
    let index = builder.build();
    assert_eq!(ids(&search(&index, "gliders")), ["title", "body"]);
}

/// A word in a line that only links to other pages (a table of contents, a
/// manual's index) still matches, but counts for little: the page about it
/// ranks above the long list that names it many times, and the list is
/// still found.
#[test]
fn link_line_matches_count_for_little() {
    let list =
        "Contents\n".to_owned() + &"deflate and gzip\nzipfile\n".repeat(5) + "Other modules.";
    let mut contents = SourceDocument::new("contents", "Archiving", "contents", list);
    contents.link_lines = (0..5).map(|i| (1 + 4 * i, 5 + 4 * i)).collect();
    let mut builder = IndexBuilder::new();
    builder.add(contents);
    builder.add(SourceDocument::new(
        "gzip",
        "Compression",
        "gzip",
        "This module compresses files the way the gzip program does, among many other words here.",
    ));
    let index = builder.build();
    assert_eq!(ids(&search(&index, "gzip")), ["gzip", "contents"]);
    // Counted as any text, the list's five mentions win.
    let plain = SearchOptions {
        params: Bm25fParams {
            link_weight: 1.0,
            ..Bm25fParams::default()
        },
        ..SearchOptions::default()
    };
    assert_eq!(
        ids(&index.search(&Query::parse("gzip"), &plain)),
        ["contents", "gzip"]
    );
}

/// A word in a section's heading counts more than the same word in its
/// text: the page that defines `add_alias` under its own heading ranks above
/// the contents page that names it in a list, whatever their lengths.
#[test]
fn heading_matches_outrank_body_matches() {
    let body = "Functions: add_alias, add_charset and more words around them here.";
    let mut builder = IndexBuilder::new();
    builder.add(SourceDocument::new("list", "Contents", "list", body));
    // It names `add_alias` first in its opening, then defines it under its
    // own heading: the hit links to the definition, and its excerpt shows it.
    let opening = "Character sets explained at length; see add_alias below.";
    let filler = " More text about aliases and sets.".repeat(8);
    let mut defining = SourceDocument::new(
        "defines",
        "Charsets",
        "defines",
        format!("{opening}{filler} Method add_alias(charset) Adds an alias for it."),
    );
    // The heading does not start with the word (that would make it lead,
    // whatever the weights: `a_section_whose_heading_is_the_query_…`).
    defining.sections.push(Section {
        word: 8 + 6 * 8,
        title: "Method add_alias(charset)".to_owned(),
        anchor: "#add_alias".to_owned(),
    });
    builder.add(defining);
    let index = builder.build();
    let results = search(&index, "add_alias");
    assert_eq!(ids(&results), ["defines", "list"]);
    assert_eq!(results.hits[0].url, "defines#add_alias");
    assert!(
        results.hits[0]
            .excerpt
            .contains("Method add_alias(charset) Adds"),
        "{}",
        results.hits[0].excerpt
    );

    // With headings weighted as any text, the shorter page wins.
    let plain = SearchOptions {
        params: Bm25fParams {
            heading_weight: 0.0,
            ..Bm25fParams::default()
        },
        ..SearchOptions::default()
    };
    let results = index.search(&Query::parse("add_alias"), &plain);
    assert_eq!(ids(&results), ["list", "defines"]);
}

#[test]
fn paging() {
    let mut builder = seeds();
    let index = builder.build();
    let query = Query::parse("labour");
    let all = index.search(
        &query,
        &SearchOptions {
            limit: 10,
            ..Default::default()
        },
    );
    assert_eq!(all.total, 3);
    for offset in 0..4 {
        let page = index.search(
            &query,
            &SearchOptions {
                limit: 1,
                offset,
                ..Default::default()
            },
        );
        assert_eq!(page.total, 3);
        assert_eq!(page.hits, all.hits[offset.min(3)..(offset + 1).min(3)]);
    }
    let none = index.search(
        &query,
        &SearchOptions {
            limit: 0,
            ..Default::default()
        },
    );
    assert_eq!((none.total, none.hits.len()), (3, 0));
}

/// Every highlight, sliced out of the excerpt as JavaScript would (UTF-16),
/// is a word that matches a query term: exactly, or as the word being typed.
#[test]
fn highlights_are_the_matched_words_in_utf16() {
    let mut builder = seeds();
    let index = builder.build();
    let analyzer = Analyzer::new();
    let typos = TypoThresholds::default();
    for text in [
        "Poale Zion",
        "jewish labour movement",
        "antisemitism ",
        "jew",
        "Newmark",
        "the",
    ] {
        let query = Query::parse(text);
        let results = index.search(&query, &SearchOptions::default());
        assert!(!results.hits.is_empty(), "{text:?}");
        for hit in &results.hits {
            let utf16: Vec<u16> = hit.excerpt.encode_utf16().collect();
            assert!(
                !hit.highlights.is_empty(),
                "{text:?}: no highlight in {:?}",
                hit.excerpt
            );
            let mut previous_end = 0;
            for &[start, end] in &hit.highlights {
                assert!(
                    previous_end <= start && start < end && end as usize <= utf16.len(),
                    "{text:?}: {:?}",
                    hit.highlights
                );
                previous_end = end;
                let word = String::from_utf16(&utf16[start as usize..end as usize]).unwrap();
                // A hyphenated compound is highlighted whole, matched joined.
                let word: String = word.split(['-', '\u{2010}', '\u{2011}']).collect();
                let term = analyzer.term(&word);
                let matches = query.words().any(|q| {
                    q.term == term
                        || (q.prefix
                            && (fold(&word).starts_with(&q.folded) || q.folded.starts_with(&term)))
                        || typo_distance(&q.term, &term)
                            <= typos.allowed(q.folded.chars().count()).into()
                });
                assert!(
                    matches,
                    "{text:?}: highlighted {word:?} in {:?}",
                    hit.excerpt
                );
            }
            let word_count = hit
                .excerpt
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            assert!(
                word_count <= EXCERPT_WORDS as usize + 2,
                "{text:?}: {word_count} words in {:?}",
                hit.excerpt
            );
        }
    }
}

#[test]
fn excerpts_center_on_the_densest_cluster() {
    let filler = "lorem ipsum dolor sit amet ".repeat(40);
    let body = format!(
        "{filler} alpha once. {filler} alpha beta gamma together here. {filler} beta alone."
    );
    let mut builder = corpus(&[("doc", "Doc", &body)]);
    let index = builder.build();
    let hit = &search(&index, "alpha beta gamma").hits[0];
    assert!(
        hit.excerpt.contains("alpha beta gamma together here."),
        "{:?}",
        hit.excerpt
    );
    assert!(
        hit.excerpt.starts_with("… ") && hit.excerpt.ends_with(" …"),
        "{:?}",
        hit.excerpt
    );
    assert_eq!(hit.highlights.len(), 3);
}

#[test]
fn whitespace_runs_are_stored_and_shown_as_one_space() {
    // Line breaks, tabs, a no-break space, an em space and the line and
    // paragraph separators, at the ends and inside.
    let body = "\n\t Gliders\r\n\r\n  soar\u{a0}over\u{2003}\u{2028}the\u{2029}ridge \t\n";
    let mut builder = corpus(&[("doc", "  A\ttitle\n\nsplit ", body)]);
    let index = builder.build();
    let document = &index.documents()[0];
    assert_eq!(document.title, "A title split");
    assert_eq!(document.body, "Gliders soar over the ridge");
    // The same words as the text as it was given.
    let words = |text: &str| {
        engine::analysis::word_spans(text)
            .map(|(_, w)| w.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(words(document.body), words(body));
    let hit = &search(&index, "soar ridge").hits[0];
    assert_eq!(hit.excerpt, "Gliders soar over the ridge");
    let shown: Vec<&str> = hit
        .highlights
        .iter()
        .map(|&[start, end]| &hit.excerpt[start as usize..end as usize])
        .collect();
    assert_eq!(shown, ["soar", "ridge"]);
    // And the same after the round trip through the format.
    let bytes = format::encode(&index);
    let decoded = format::decode(&bytes).unwrap();
    assert_eq!(search(&decoded, "soar ridge").hits[0].excerpt, hit.excerpt);
}

#[test]
fn excerpt_falls_back_to_the_title() {
    let mut builder = corpus(&[
        (
            "titled",
            "Gliders of Ünterberg",
            "A text about flying machines.",
        ),
        ("empty", "Sailplanes and gliders", ""),
    ]);
    let index = builder.build();
    let results = search(&index, "unterberg");
    assert_eq!(results.hits[0].excerpt, "Gliders of Ünterberg");
    assert_eq!(results.hits[0].highlights, [[11, 20]]);
    let results = search(&index, "sailplanes");
    assert_eq!(results.hits[0].excerpt, "Sailplanes and gliders");
    assert_eq!(results.hits[0].highlights, [[0, 10]]);
}

#[test]
fn highlights_count_utf16_units_of_astral_characters() {
    let mut builder = corpus(&[("emoji", "Emoji", "😀😀 🎉 party 𝒜 time")]);
    let index = builder.build();
    let hit = &search(&index, "party").hits[0];
    let utf16: Vec<u16> = hit.excerpt.encode_utf16().collect();
    let [start, end] = hit.highlights[0];
    assert_eq!(
        String::from_utf16(&utf16[start as usize..end as usize]).unwrap(),
        "party"
    );
}

#[test]
fn searching_a_decoded_index_equals_searching_the_built_one() {
    let mut builder = seeds();
    let built = builder.build();
    let bytes = format::encode(&built);
    let decoded = format::decode(&bytes).unwrap();
    assert_eq!(decoded, built);
    for query in [
        "Poale Zion",
        "jew",
        "labour party antisemitism",
        "to be or not to be",
    ] {
        assert_eq!(search(&decoded, query), search(&built, query), "{query:?}");
    }
}

#[test]
fn scores_are_finite_and_ordered_within_a_tier() {
    let mut builder = seeds();
    let index = builder.build();
    for query in ["labour", "jewish labour movement", "the", "a b c d e f g"] {
        let results = index.search(
            &Query::parse(query),
            &SearchOptions {
                limit: 100,
                ..Default::default()
            },
        );
        for hit in &results.hits {
            assert!(
                hit.score.is_finite() && hit.score > 0.0,
                "{query:?}: {}",
                hit.score
            );
        }
    }
}

/// The latent semantic index reorders the candidates of long questions only,
/// never adds or removes a hit, and ranks a question's subject first.
#[test]
fn the_semantic_score_reorders_long_questions_by_subject() {
    use common::two_subjects;
    use engine::Bm25fParams;
    let mut builder = two_subjects();
    let index = builder.build();
    let with_weight = |query: &str, semantic_weight: f32| {
        let options = SearchOptions {
            limit: 100,
            params: Bm25fParams {
                semantic_weight,
                ..Bm25fParams::default()
            },
            ..SearchOptions::default()
        };
        ids(&index.search(&Query::parse(query), &options))
    };
    let question = "rocket nozzle thrust combustion engine book";
    let lexical = with_weight(question, 0.0);
    let blended = with_weight(question, 0.5);
    let semantic = with_weight(question, 1.0);
    let mut sorted_lexical = lexical.clone();
    sorted_lexical.sort();
    for other in [&blended, &semantic] {
        let mut sorted_other = other.clone();
        sorted_other.sort();
        assert_eq!(sorted_other, sorted_lexical, "the same hits");
    }
    // Ids 00–07 are about rockets, and so are the question's five best
    // documents by BM25F, whose vectors make the question's. By the semantic
    // score alone (in the two dimensions 16 documents allow), rocket
    // documents come first and library documents last, though some of those
    // share words with the question (`book`, `rocket`). Two dimensions are
    // coarse: with a library document among the five (as `combustion book`
    // instead of `combustion engine book` has, since k1 is 2), a library
    // document comes first.
    let rocket = |id: &String| id.as_str() < "08";
    assert!(semantic.len() > 6, "{semantic:?}");
    assert!(semantic[..3].iter().all(rocket), "{semantic:?}");
    assert!(
        !semantic[semantic.len() - 3..].iter().any(rocket),
        "{semantic:?}"
    );
    assert!(
        lexical != semantic,
        "the semantic score changed the order: {lexical:?}"
    );
    // Three words are a keyword query, not a question: the order stays lexical.
    assert_eq!(
        with_weight("rocket catalogue book", 0.5),
        with_weight("rocket catalogue book", 0.0)
    );
}

#[test]
fn pages_of_a_blended_question_follow_one_order() {
    // The semantic blend reorders the same best candidates whatever the page
    // asked for: page after page is the one long list cut up.
    let mut builder = common::two_subjects();
    let index = builder.build();
    let query = Query::parse("rocket nozzle thrust combustion book library");
    let page = |offset: usize, limit: usize| {
        ids(&index.search(
            &query,
            &SearchOptions {
                offset,
                limit,
                ..Default::default()
            },
        ))
    };
    let all = page(0, 100);
    assert!(all.len() > 10, "{all:?}");
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(3) {
        paged.extend(page(offset, 3));
    }
    assert_eq!(paged, all);
    assert_eq!(page(0, 1), all[..1]);
    assert!(page(all.len(), 10).is_empty());
}

#[test]
fn scores_stay_positive_with_the_semantic_score() {
    let mut builder = common::two_subjects();
    let index = builder.build();
    let results = index.search(
        &Query::parse("rocket nozzle thrust combustion book the"),
        &SearchOptions {
            limit: 100,
            ..Default::default()
        },
    );
    assert!(!results.hits.is_empty());
    for hit in &results.hits {
        assert!(hit.score.is_finite() && hit.score > 0.0, "{}", hit.score);
    }
}

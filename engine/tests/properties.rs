//! Properties that hold for every corpus and every query, checked on random
//! small corpora and random queries (proptest; a failing case is shrunk to a
//! minimal one and saved in `properties.proptest-regressions` beside this file,
//! to be committed and re-run first):
//!
//! - the index finds exactly the documents a naive scan of the texts finds,
//!   with the same analysis, and those with every word first;
//! - `decode(encode(index))` is the index, and the same index cut into
//!   shards answers every search as it does;
//! - for any text typed, search neither panics nor returns a score that is
//!   not finite, and every highlight lies inside its excerpt, on character
//!   boundaries, in increasing order;
//! - the same for pages in several languages, with passages in others, and
//!   queries read in any of them (or in all): both modes answer alike, and
//!   the index decodes as it was built.
mod common;

use std::collections::BTreeSet;

use common::sharded::{resolve, restore, store, tiny};
use common::{corpus, well_formed};
use engine::{
    encode_sharded, format, Analyzer, Index, IndexBuilder, LanguageRun, Query, QueryTerm,
    SearchOptions, SearchResults, SourceDocument, TypoThresholds,
};
use proptest::prelude::*;

/// Words the random documents and queries are made of: common and rare
/// words, stop words, inflections that stem alike, accents, and scripts
/// without spaces or outside the Basic Multilingual Plane.
const WORDS: &[&str] = &[
    "labour",
    "labours",
    "laboured",
    "movement",
    "jewish",
    "history",
    "the",
    "of",
    "and",
    "a",
    "café",
    "cafe",
    "naïve",
    "Zürich",
    "zurich",
    "émigré",
    "don't",
    "2,000",
    "x",
    "committee",
    "comittee",
    "日本語",
    "東京",
    "😀",
    "e\u{301}te",
    "ΑΘΗΝΑ",
    "αθηνα",
    "running",
    "run",
    "runs",
];
const SEPARATORS: &[&str] = &[
    " ", " ", " ", ", ", ". ", "\n", " — ", "\t", "\"", "(", ") ",
];

fn text(max_words: usize) -> impl Strategy<Value = String> {
    text_of(WORDS, max_words)
}

/// Up to `max_words` of `words`, each followed by a separator.
fn text_of(words: &'static [&'static str], max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(words),
            prop::sample::select(SEPARATORS),
        ),
        0..=max_words,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(word, separator)| format!("{word}{separator}"))
            .collect()
    })
}

/// Up to 8 documents of a short title and a body of up to 60 words.
fn documents() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((text(5), text(60)), 1..=8)
}

fn build(documents: &[(String, String)]) -> (Vec<String>, Vec<u8>) {
    let ids: Vec<String> = (0..documents.len()).map(|i| format!("d{i}")).collect();
    let rows: Vec<(&str, &str, &str)> = documents
        .iter()
        .zip(&ids)
        .map(|((title, body), id)| (id.as_str(), title.as_str(), body.as_str()))
        .collect();
    let mut builder = corpus(&rows);
    let bytes = format::encode(&builder.build());
    (ids, bytes)
}

fn exact_options() -> SearchOptions {
    SearchOptions {
        limit: engine::MAX_LIMIT,
        typos: TypoThresholds {
            one_typo_from: usize::MAX,
            two_typos_from: usize::MAX,
        },
        ..Default::default()
    }
}

/// Words of several languages: inflections their stemmers join, elided
/// articles, each language's stop words, marks typed or not, and words of
/// one language that are stop words in another (`a`, `le`, `die`).
const WORDS_OF_LANGUAGES: &[&str] = &[
    "paquet",
    "paquets",
    "le",
    "les",
    "des",
    "l'architecture",
    "d'architectures",
    "qu'il",
    "architecture",
    "aplicação",
    "aplicações",
    "aplicacao",
    "alterar",
    "de",
    "que",
    "não",
    "dell'applicazione",
    "applicazioni",
    "il",
    "della",
    "Größe",
    "grosse",
    "die",
    "und",
    "Netzwerke",
    "ёлка",
    "елки",
    "и",
    "ΛΟΓΟΣ",
    "λόγοι",
    "暗号化",
    "の",
    "a",
    "the",
    "package",
    "packages",
    "l'",
    "’",
];
/// Languages a page, a passage or a query may be in: stemmed ones, one
/// without a stemmer, an unknown tag, and none.
const LANGUAGES: &[&str] = &[
    "en", "fr", "pt", "it", "de", "ru", "el", "ar", "ja", "pl", "zz-ZZ", "",
];

/// Up to 6 pages, each in a language, with up to 3 passages in others and
/// up to 3 lines that only link to other pages (in any order, overlapping or
/// past the body's end, as a careless reader might give them).
fn pages_of_languages() -> impl Strategy<Value = Vec<SourceDocument>> {
    prop::collection::vec(
        (
            text_of(WORDS_OF_LANGUAGES, 4),
            text_of(WORDS_OF_LANGUAGES, 40),
            prop::sample::select(LANGUAGES),
            prop::collection::vec((0u32..45, prop::sample::select(LANGUAGES)), 0..=3),
            prop::collection::vec((0u32..45, 0u32..8), 0..=3),
        ),
        1..=6,
    )
    .prop_map(|pages| {
        pages
            .into_iter()
            .enumerate()
            .map(|(i, (title, body, language, runs, link_lines))| {
                let id = format!("p{i}");
                let mut page = SourceDocument::new(&id, &title, &id, &body);
                page.language = language.to_owned();
                page.language_runs = runs
                    .into_iter()
                    .map(|(word, language)| LanguageRun {
                        word,
                        language: language.to_owned(),
                    })
                    .collect();
                page.link_lines = link_lines
                    .into_iter()
                    .map(|(start, words)| (start, start + words))
                    .collect();
                page
            })
            .collect()
    })
}

/// [`well_formed::check`], as a property.
fn check_well_formed(results: &SearchResults<'_>) -> Result<(), TestCaseError> {
    well_formed::check(results).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn search_finds_what_a_naive_scan_finds(
        documents in documents(),
        query_words in prop::collection::vec(prop::sample::select(WORDS), 1..=4),
    ) {
        let (ids, bytes) = build(&documents);
        let index = format::decode(&bytes).expect("a fresh index decodes");
        // A trailing space: no word is being typed, so none matches as a prefix.
        let text = format!("{} ", query_words.join(" "));
        let query = Query::parse(&text);
        let results = index.search(&query, &exact_options());
        check_well_formed(&results)?;

        // The naive scan, with the same analysis: stop words count only when
        // the query has nothing else.
        let words: Vec<&QueryTerm> = query.words().collect();
        let content: Vec<&str> = words.iter().filter(|w| !w.stop).map(|w| w.term.as_str()).collect();
        let counted: BTreeSet<&str> = if content.is_empty() {
            words.iter().map(|w| w.term.as_str()).collect()
        } else {
            content.into_iter().collect()
        };
        let analyzer = Analyzer::new();
        let terms_of = |(title, body): &(String, String)| -> BTreeSet<String> {
            analyzer.tokens(title).chain(analyzer.tokens(body)).map(|t| t.term).collect()
        };
        let mut expected = BTreeSet::new();
        let mut complete = BTreeSet::new();
        for (document, id) in documents.iter().zip(&ids) {
            let terms = terms_of(document);
            if counted.iter().any(|&t| terms.contains(t)) {
                expected.insert(id.as_str());
            }
            if counted.iter().all(|&t| terms.contains(t)) {
                complete.insert(id.as_str());
            }
        }
        let found: BTreeSet<&str> = results.hits.iter().map(|h| h.id).collect();
        prop_assert_eq!(&found, &expected, "query {:?}", text);
        prop_assert_eq!(results.total, expected.len());
        // Documents with every counted word come first.
        let tiers: Vec<bool> = results.hits.iter().map(|h| complete.contains(h.id)).collect();
        prop_assert!(tiers.windows(2).all(|w| w[0] || !w[1]), "tiers {:?} for {:?}", tiers, text);
    }

    #[test]
    fn a_sharded_index_answers_as_in_memory(
        documents in documents(),
        query_words in prop::collection::vec(prop::sample::select(WORDS), 1..=5),
        typing in any::<bool>(),
    ) {
        let rows: Vec<(String, String, String)> = documents
            .iter()
            .enumerate()
            .map(|(i, (title, body))| (format!("d{i:03}"), title.clone(), body.clone()))
            .collect();
        let rows: Vec<(&str, &str, &str)> =
            rows.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        let mut builder = corpus(&rows);
        let memory: Index<'_> = builder.build();
        let files = encode_sharded(&memory, &tiny(), &mut store);
        let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        let text = query_words.join(" ") + if typing { "" } else { " " };
        let query = Query::parse(&text);
        let options = SearchOptions::default();
        let (got, _, _) = resolve(&mut sharded, &files, |index| index.search(&query, &options));
        prop_assert_eq!(got, memory.search(&query, &options), "query {:?}", text);
    }

    #[test]
    fn decoding_an_encoded_index_gives_it_back(documents in documents()) {
        let rows: Vec<(String, String, String)> = documents
            .iter()
            .enumerate()
            .map(|(i, (title, body))| (format!("d{i}"), title.clone(), body.clone()))
            .collect();
        let rows: Vec<(&str, &str, &str)> =
            rows.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        let mut builder = corpus(&rows);
        let built: Index<'_> = builder.build();
        let bytes = format::encode(&built);
        let decoded = format::decode(&bytes).expect("a fresh index decodes");
        prop_assert!(decoded == built);
        prop_assert_eq!(format::encode(&decoded), bytes);
    }

    #[test]
    fn any_text_typed_is_answered_well_formed(
        documents in documents(),
        typed in prop_oneof![
            // Anything at all, and text made of the corpus's own words and operators.
            any::<String>(),
            prop::collection::vec(
                prop::sample::select(&[
                    "labour", "labo", "jewsh", "\"", "-", "OR", "-\"", "café", "😀", "日本", " ", "  ",
                    "e\u{301}", "\u{0}", "\u{200d}", "\u{fffd}", "comitee", "histroy",
                ][..]),
                0..12,
            ).prop_map(|parts| parts.concat()),
        ],
        limit in 0usize..20,
        offset in 0usize..5,
    ) {
        let (_, bytes) = build(&documents);
        let index = format::decode(&bytes).expect("a fresh index decodes");
        let options = SearchOptions { limit, offset, ..Default::default() };
        let results = index.search(&Query::parse(&typed), &options);
        check_well_formed(&results)?;
        prop_assert!(results.hits.len() <= limit);
        for completion in index.complete(&typed, 10) {
            prop_assert!(completion.documents > 0);
        }
    }

    #[test]
    fn pages_in_several_languages_are_searched_alike_in_both_modes(
        pages in pages_of_languages(),
        query_words in prop::collection::vec(prop::sample::select(WORDS_OF_LANGUAGES), 1..=4),
        typing in any::<bool>(),
        language in prop::option::of(prop::sample::select(LANGUAGES)),
    ) {
        let mut builder = IndexBuilder::new();
        for page in pages {
            builder.add(page);
        }
        let memory: Index<'_> = builder.build();
        let bytes = format::encode(&memory);
        let decoded = format::decode(&bytes).expect("a fresh index decodes");
        prop_assert!(decoded == memory);
        let files = encode_sharded(&memory, &tiny(), &mut store);
        let mut sharded = Index::open_sharded(&files.manifest, &files.files[0], &mut restore).unwrap();
        let text = query_words.join(" ") + if typing { "" } else { " " };
        let options = SearchOptions::default();
        let want = memory.search(&memory.parse_query(&text, language), &options);
        check_well_formed(&want)?;
        let (got, _, _) = resolve(&mut sharded, &files, |index| {
            index.search(&index.parse_query(&text, language), &options)
        });
        prop_assert_eq!(got, want, "query {:?} in {:?}", text, language);
    }

    #[test]
    fn any_text_typed_in_any_language_is_answered_well_formed(
        pages in pages_of_languages(),
        typed in prop_oneof![
            any::<String>(),
            prop::collection::vec(
                prop::sample::select(&[
                    "l'", "dell'", "qu'", "'", "’", "le", "paqu", "aplica", "ção", "ё", "Σ",
                    "\"", "-", "OR", " ", "暗", "\u{301}", "d'archi", "grö", "ß",
                ][..]),
                0..10,
            ).prop_map(|parts| parts.concat()),
        ],
        language in prop::option::of(prop::sample::select(LANGUAGES)),
        limit in 0usize..12,
    ) {
        let mut builder = IndexBuilder::new();
        for page in pages {
            builder.add(page);
        }
        let index: Index<'_> = builder.build();
        let options = SearchOptions { limit, ..Default::default() };
        let results = index.search(&index.parse_query(&typed, language), &options);
        check_well_formed(&results)?;
        prop_assert!(results.hits.len() <= limit);
    }
}

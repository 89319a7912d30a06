//! Helpers the integration tests share: corpora and short ways to search them.
#![allow(dead_code)] // each test file uses its own subset

pub mod fuzz_bodies;
pub mod well_formed;

use std::path::Path;

use engine::corpus::{load_dir, LoadOptions};
use engine::{Index, IndexBuilder, Query, SearchOptions, SearchResults, SourceDocument};

/// The seed corpus, as the build script reads it.
pub fn seeds() -> IndexBuilder {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    let corpus = load_dir(&dir, &LoadOptions::default()).expect("the seed corpus loads");
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    builder
}

/// A corpus of (id, title, body) documents.
pub fn corpus(documents: &[(&str, &str, &str)]) -> IndexBuilder {
    let mut builder = IndexBuilder::new();
    for &(id, title, body) in documents {
        builder.add(SourceDocument::new(id, title, id, body));
    }
    builder
}

/// Searches with the default options.
pub fn search<'a>(index: &Index<'a>, query: &str) -> SearchResults<'a> {
    index.search(&Query::parse(query), &SearchOptions::default())
}

/// The hits' ids, without `.txt`.
pub fn ids(results: &SearchResults<'_>) -> Vec<String> {
    results
        .hits
        .iter()
        .map(|h| h.id.trim_end_matches(".txt").to_string())
        .collect()
}

/// The seed documents' ids, without `.txt`.
pub const A: &str = "000_2cd94087f88d64ec";
pub const B: &str = "003_b838cff0455367c0";
pub const C: &str = "004_478de67479f4dbbd";

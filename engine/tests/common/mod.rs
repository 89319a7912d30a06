//! Helpers the integration tests share: corpora and short ways to search them.
#![allow(dead_code)] // each test file uses its own subset

pub mod fuzz_bodies;
pub mod seeds;
pub mod sharded;
pub mod well_formed;

#[allow(unused_imports)] // not every test file reads the seeds
pub use seeds::seeds;

use engine::{Index, IndexBuilder, Query, SearchOptions, SearchResults, SourceDocument};

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

/// Sixteen documents on two subjects, rockets and libraries, enough for a
/// latent semantic index (a corpus needs 8 documents). No document has every
/// word of the long questions the tests ask.
pub fn two_subjects() -> IndexBuilder {
    let rockets = [
        "rocket engine thrust measured on the test stand",
        "nozzle expansion ratio and rocket thrust",
        "combustion chamber pressure in a liquid rocket engine",
        "propellant injector and combustion instability",
        "nozzle cooling of the combustion chamber walls",
        "solid propellant grain burning rate and thrust",
        "engine throttling and injector pressure drop",
        "rocket stage separation after engine cutoff",
    ];
    let libraries = [
        "library catalogue of books for every reader",
        "the reader borrows books from the library desk",
        "indexing books by subject in the catalogue",
        "a librarian classifies books and journals",
        "journals and books on the reading room shelves",
        "the catalogue lists a book about a rocket",
        "library loans and the reader's card",
        "subject headings in a library catalogue",
    ];
    let mut builder = IndexBuilder::new();
    for (i, text) in rockets.iter().chain(&libraries).enumerate() {
        let id = format!("{i:02}");
        builder.add(SourceDocument::new(&id, "", &id, *text));
    }
    builder
}

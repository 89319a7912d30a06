//! The search engine behind the wasm module: text analysis, the index and its
//! binary format, query parsing, BM25F ranking with a latent semantic index
//! learned from the corpus, and excerpts.
//!
//! The same crate runs in two places. The build script indexes a corpus with it
//! (the `build` feature adds the corpus readers and the encoder), and the wasm
//! module decodes that index and searches it. Because both sides call the same
//! [`Analyzer`], a query is always analysed exactly as the documents were.
//!
//! The main types, in the order data flows through them:
//! - [`corpus::load_dir`] (build only) reads a folder into [`SourceDocument`]s;
//! - [`IndexBuilder`] (build only) analyses them into an [`Index`];
//! - [`StreamingBuilder`] (build only) analyses them one by one into a sharded
//!   index's files, in memory that does not grow with the text;
//! - [`format::encode`] (build only) and [`format::decode`] turn an index into bytes and back;
//! - [`Query::parse`] turns what a visitor typed into terms;
//! - [`Index::search`] ranks documents and cuts excerpts.
//!
//! ```
//! # #[cfg(feature = "build")] {
//! use engine::{format, IndexBuilder, Query, SearchOptions, SourceDocument};
//!
//! let mut builder = IndexBuilder::new();
//! builder.add(SourceDocument::new("a.txt", "Zürich", "a.txt", "A city on a lake in Switzerland."));
//! builder.add(SourceDocument::new("b.txt", "Geneva", "b.txt", "Another city, on another lake."));
//! let bytes = format::encode(&builder.build());
//!
//! let index = format::decode(&bytes).unwrap();
//! let results = index.search(&Query::parse("zurich"), &SearchOptions::default());
//! assert_eq!(results.total, 1);
//! assert_eq!(results.hits[0].id, "a.txt");
//! # }
//! ```

pub mod analysis;
pub mod byteranges;
mod error;
#[cfg(feature = "facets")]
mod facets;
pub mod format;
mod index;
pub mod inflate;
mod order;
mod query;
mod rank;
mod records;
mod search;
mod semantic;
mod shards;
mod snippet;
mod sorted_map;
#[cfg(feature = "build")]
mod streaming;
mod terms;
mod typo;

pub use analysis::{Analyzer, Token};
pub use error::FormatError;
#[cfg(feature = "facets")]
pub use facets::{Facets, Filter, FilterCounts, Sort};
#[cfg(feature = "build")]
pub use index::IndexBuilder;
pub use index::{
    is_site_relative, DocumentRecord, Field, Index, LanguageRun, Section, SectionRef,
    SourceDocument,
};
pub use query::{
    Clause, Compound, Phrase, Query, QueryTerm, MAX_QUERY_BYTES, MAX_QUERY_TERMS, MAX_QUERY_WORDS,
};
pub use rank::Bm25fParams;
pub use search::{
    Completion, Hit, HitSection, Meta, SearchOptions, SearchResults, MAX_COMPLETIONS, MAX_LIMIT,
    MAX_PREFIX_EXPANSIONS, MAX_TYPO_EXPANSIONS,
};
#[cfg(feature = "build")]
pub use shards::{encode_sharded, encode_sharded_to, ShardOutput, ShardSizes, ShardedFiles};
pub use shards::{
    DictionaryShard, FileEntry, Manifest, RangeShard, ShardError, ShardKind, ShardRef, VectorShard,
    PARALLEL_REQUESTS,
};
pub use snippet::{short_title, EXCERPT_WORDS, MAX_TITLE_CHARS};
#[cfg(feature = "build")]
pub use streaming::{Scratch, StreamingBuilder, StreamingSummary, DEFAULT_MEMORY_BUDGET};
pub use typo::{typo_distance, TypoThresholds};

//! The inverted index as it lives in memory while searching.
//!
//! [`Index`] borrows the documents' strings (ids, titles, texts) from the bytes
//! it was decoded from, or from the [`IndexBuilder`] that built it, so the wasm
//! module holds the texts once, in its embedded data. Terms are stored
//! front-coded, so they are rebuilt into one [`Terms`] string at decode. Postings are decoded into
//! flat arrays once at start-up: a query then only binary-searches and walks
//! slices.

#[cfg(feature = "build")]
mod builder;
#[cfg(feature = "build")]
pub use builder::IndexBuilder;

use std::ops::Range;

pub(crate) use crate::terms::Terms;

/// A field of a document, scored separately by BM25F.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Body,
}

/// Every this many words of a body, the byte offset of the word is stored, so
/// that an excerpt segments only its window, in short pieces, instead of the
/// text from its start. Smaller is faster excerpts and a larger index: 16
/// costs about 0.4 KB gzipped on the seed texts against 32, and makes an
/// excerpt twice as fast.
pub(crate) const CHECKPOINT_INTERVAL: u32 = 16;

/// A document as the corpus reader hands it to the builder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDocument {
    /// Path relative to the corpus folder, with `/` separators.
    pub id: String,
    pub title: String,
    /// Where a result links to.
    pub url: String,
    /// The text searched and excerpted, without the title.
    pub body: String,
}

impl SourceDocument {
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        url: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        SourceDocument {
            id: id.into(),
            title: title.into(),
            url: url.into(),
            body: body.into(),
        }
    }
}

/// A document in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub body: &'a str,
    /// Number of words in the title.
    pub title_len: u32,
    /// Number of words in the body.
    pub body_len: u32,
    /// Where this document's checkpoints start in [`Index::checkpoints`].
    pub(crate) checkpoints_start: u32,
}

/// One document's occurrences of one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub doc: u32,
    pub title_tf: u32,
    pub body_tf: u32,
    /// Where this posting's positions start in [`Index::positions`]: first the
    /// `title_tf` title positions, then the `body_tf` body positions, each
    /// increasing.
    pub positions_start: u32,
}

/// A searchable index. Build one with [`IndexBuilder`] or decode one with
/// [`crate::format::decode`].
#[derive(Debug, Clone, PartialEq)]
pub struct Index<'a> {
    pub(crate) documents: Vec<DocumentRecord<'a>>,
    /// Byte offsets of every [`CHECKPOINT_INTERVAL`]-th body word, per document.
    pub(crate) checkpoints: Vec<u32>,
    pub(crate) terms: Terms,
    /// `postings[term_starts[t]..term_starts[t + 1]]` are term `t`'s postings,
    /// sorted by document. One more entry than `terms`.
    pub(crate) term_starts: Vec<u32>,
    pub(crate) postings: Vec<Posting>,
    pub(crate) positions: Vec<u32>,
    /// Derived at construction, not stored.
    pub(crate) avg_title_len: f32,
    pub(crate) avg_body_len: f32,
    /// Document vectors of the latent semantic index (`semantic.rs`); none
    /// for a corpus too small to learn them from.
    pub(crate) semantic: Option<crate::semantic::Semantic>,
}

impl<'a> Index<'a> {
    /// Assembles an index from its parts and derives the averages BM25F needs.
    pub(crate) fn from_parts(
        documents: Vec<DocumentRecord<'a>>,
        checkpoints: Vec<u32>,
        terms: Terms,
        term_starts: Vec<u32>,
        postings: Vec<Posting>,
        positions: Vec<u32>,
    ) -> Self {
        let count = documents.len().max(1) as f32;
        let avg_title_len = documents.iter().map(|d| d.title_len as f32).sum::<f32>() / count;
        let avg_body_len = documents.iter().map(|d| d.body_len as f32).sum::<f32>() / count;
        Index {
            documents,
            checkpoints,
            terms,
            term_starts,
            postings,
            positions,
            avg_title_len,
            avg_body_len,
            semantic: None,
        }
    }

    /// The documents, in index order (sorted by id).
    pub fn documents(&self) -> &[DocumentRecord<'a>] {
        &self.documents
    }

    pub(crate) fn term_id(&self, term: &str) -> Option<usize> {
        self.terms.id(term)
    }

    /// The ids of the terms that start with `prefix`: a contiguous range, since terms are sorted.
    pub(crate) fn terms_with_prefix(&self, prefix: &str) -> Range<usize> {
        self.terms.with_prefix(prefix)
    }

    pub(crate) fn postings_of(&self, term_id: usize) -> &[Posting] {
        let start = self.term_starts[term_id] as usize;
        let end = self.term_starts[term_id + 1] as usize;
        &self.postings[start..end]
    }

    pub(crate) fn doc_freq(&self, term_id: usize) -> u32 {
        self.term_starts[term_id + 1] - self.term_starts[term_id]
    }

    pub(crate) fn positions_of(&self, posting: &Posting, field: Field) -> &[u32] {
        let start = posting.positions_start as usize;
        let title_end = start + posting.title_tf as usize;
        match field {
            Field::Title => &self.positions[start..title_end],
            Field::Body => &self.positions[title_end..title_end + posting.body_tf as usize],
        }
    }

    pub(crate) fn checkpoints_of(&self, doc: &DocumentRecord<'a>) -> &[u32] {
        let start = doc.checkpoints_start as usize;
        &self.checkpoints[start..start + checkpoint_count(doc.body_len)]
    }
}

/// How many checkpoints a body of `body_len` words has.
pub(crate) fn checkpoint_count(body_len: u32) -> usize {
    body_len.div_ceil(CHECKPOINT_INTERVAL) as usize
}

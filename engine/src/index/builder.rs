use std::collections::BTreeMap;

use super::{DocumentRecord, Index, Posting, SourceDocument, Terms, CHECKPOINT_INTERVAL};
use crate::analysis::one_line;
use crate::analysis::Analyzer;

/// Analyses documents into an [`Index`]. Indexing only (the `build` feature).
///
/// Documents are ordered by id whatever order they are added in, and terms are
/// kept in sorted maps, so the same documents always give the same index and
/// the same encoded bytes.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    documents: Vec<SourceDocument>,
}

#[derive(Default)]
struct Occurrences {
    title: Vec<u32>,
    body: Vec<u32>,
}

/// What analysis learns about one document besides its terms.
struct DocumentStats {
    title_len: u32,
    body_len: u32,
    checkpoints_start: u32,
}

impl IndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document. Its title and text are stored with each run of
    /// whitespace, line breaks included, as one space, and none at the ends:
    /// the words are the same (whitespace only ever separates them), and an
    /// excerpt is then a plain copy of its window rather than a scan for
    /// whitespace to collapse in every search (`snippet.rs`).
    pub fn add(&mut self, mut document: SourceDocument) {
        document.title = one_line(&document.title);
        document.body = one_line(&document.body);
        self.documents.push(document);
    }

    /// Analyses every document. The index borrows the documents' text.
    pub fn build(&mut self) -> Index<'_> {
        self.documents.sort_by(|a, b| a.id.cmp(&b.id));
        let analyzer = Analyzer::new();

        let mut stats = Vec::with_capacity(self.documents.len());
        let mut checkpoints = Vec::new();
        // term → document → occurrences.
        let mut inverted: BTreeMap<String, BTreeMap<u32, Occurrences>> = BTreeMap::new();
        for (doc, source) in self.documents.iter().enumerate() {
            let doc = doc as u32;
            let mut title_len = 0;
            for token in analyzer.tokens(&source.title) {
                title_len = token.position + 1;
                inverted
                    .entry(token.term)
                    .or_default()
                    .entry(doc)
                    .or_default()
                    .title
                    .push(token.position);
            }
            let checkpoints_start = checkpoints.len() as u32;
            let mut body_len = 0;
            for token in analyzer.tokens(&source.body) {
                if token.position % CHECKPOINT_INTERVAL == 0 {
                    checkpoints.push(token.start as u32);
                }
                body_len = token.position + 1;
                inverted
                    .entry(token.term)
                    .or_default()
                    .entry(doc)
                    .or_default()
                    .body
                    .push(token.position);
            }
            stats.push(DocumentStats {
                title_len,
                body_len,
                checkpoints_start,
            });
        }

        let mut term_starts = Vec::with_capacity(inverted.len() + 1);
        let mut postings = Vec::new();
        let mut positions = Vec::new();
        term_starts.push(0);
        for occurrences_by_doc in inverted.values() {
            for (&doc, occurrences) in occurrences_by_doc {
                postings.push(Posting {
                    doc,
                    title_tf: occurrences.title.len() as u32,
                    body_tf: occurrences.body.len() as u32,
                    positions_start: positions.len() as u32,
                });
                positions.extend_from_slice(&occurrences.title);
                positions.extend_from_slice(&occurrences.body);
            }
            term_starts.push(postings.len() as u32);
        }
        let mut terms = Terms::default();
        for term in inverted.keys() {
            terms.push(term);
        }

        let documents = self
            .documents
            .iter()
            .zip(stats)
            .map(|(source, stats)| DocumentRecord {
                id: &source.id,
                title: &source.title,
                url: &source.url,
                body: &source.body,
                title_len: stats.title_len,
                body_len: stats.body_len,
                checkpoints_start: stats.checkpoints_start,
            })
            .collect();
        let mut index = Index::from_parts(
            documents,
            checkpoints,
            terms,
            term_starts,
            postings,
            positions,
        );
        let by_term: Vec<Vec<(u32, u32, u32)>> = (0..index.terms.len())
            .map(|term| {
                index
                    .postings_of(term)
                    .iter()
                    .map(|p| (p.doc, p.title_tf, p.body_tf))
                    .collect()
            })
            .collect();
        index.semantic =
            crate::semantic::learn(index.documents.len(), by_term.iter().map(Vec::as_slice));
        index
    }
}

use std::collections::HashMap;

use super::{DocumentRecord, Index, Posting, SourceDocument, Terms, CHECKPOINT_INTERVAL};
use crate::analysis::{fold_into, one_line, word_spans, Analyzer};

/// Analyses documents into an [`Index`]. Indexing only (the `build` feature).
///
/// Documents are ordered by id whatever order they are added in, and terms are
/// sorted before the index is made, so the same documents always give the
/// same index and the same encoded bytes.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    documents: Vec<SourceDocument>,
}

#[derive(Default)]
struct Occurrences {
    title: Vec<u32>,
    body: Vec<u32>,
}

/// The terms met so far, in the order they were met, with their occurrences.
#[derive(Default)]
struct TermTable {
    analyzer: Analyzer,
    /// A folded word's term id: each distinct word is stemmed once (stemming
    /// every occurrence was a fifth of indexing a real manual).
    by_folded: HashMap<String, u32>,
    /// A term's id, for words that stem alike.
    by_term: HashMap<String, u32>,
    texts: Vec<String>,
    /// Per term: the documents it occurs in, in document order.
    occurrences: Vec<Vec<(u32, Occurrences)>>,
}

impl TermTable {
    /// Adds the words of `text` (a title or a body of document `doc`) as
    /// [`Analyzer::tokens`] analyses them, memoised: `at_word(position, byte
    /// offset)` sees each word, `field` picks the occurrence list. Returns
    /// the number of words.
    fn add_text(
        &mut self,
        text: &str,
        doc: u32,
        mut at_word: impl FnMut(u32, usize),
        field: impl Fn(&mut Occurrences) -> &mut Vec<u32>,
    ) -> u32 {
        let mut folded = String::new();
        let mut count = 0;
        for (position, (start, word)) in word_spans(text).enumerate() {
            let position = position as u32;
            at_word(position, start);
            folded.clear();
            fold_into(word, &mut folded);
            let id = match self.by_folded.get(folded.as_str()) {
                Some(&id) => id,
                None => {
                    let term = self.analyzer.stem_folded(&folded);
                    let next = self.texts.len() as u32;
                    let id = *self.by_term.entry(term.clone()).or_insert(next);
                    if id == next {
                        self.texts.push(term);
                        self.occurrences.push(Vec::new());
                    }
                    self.by_folded.insert(folded.clone(), id);
                    id
                }
            };
            let list = &mut self.occurrences[id as usize];
            if list.last().is_none_or(|(last, _)| *last != doc) {
                list.push((doc, Occurrences::default()));
            }
            let (_, occurrences) = list.last_mut().expect("just pushed");
            field(occurrences).push(position);
            count = position + 1;
        }
        count
    }
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
        let mut terms = TermTable::default();
        let mut stats = Vec::with_capacity(self.documents.len());
        let mut checkpoints = Vec::new();
        for (doc, source) in self.documents.iter().enumerate() {
            let doc = doc as u32;
            let title_len = terms.add_text(&source.title, doc, |_, _| {}, |o| &mut o.title);
            let checkpoints_start = checkpoints.len() as u32;
            let body_len = terms.add_text(
                &source.body,
                doc,
                |position, start| {
                    if position % CHECKPOINT_INTERVAL == 0 {
                        checkpoints.push(start as u32);
                    }
                },
                |o| &mut o.body,
            );
            stats.push(DocumentStats {
                title_len,
                body_len,
                checkpoints_start,
            });
        }

        // Terms in sorted order, each with its postings (already in document order).
        let mut order: Vec<u32> = (0..terms.texts.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| terms.texts[a as usize].cmp(&terms.texts[b as usize]));
        let mut term_starts = Vec::with_capacity(order.len() + 1);
        let mut postings = Vec::new();
        let mut positions = Vec::new();
        let mut term_list = Terms::default();
        term_starts.push(0);
        for &id in &order {
            term_list.push(&terms.texts[id as usize]);
            for (doc, occurrences) in &terms.occurrences[id as usize] {
                postings.push(Posting {
                    doc: *doc,
                    title_tf: occurrences.title.len() as u32,
                    body_tf: occurrences.body.len() as u32,
                    positions_start: positions.len() as u32,
                });
                positions.extend_from_slice(&occurrences.title);
                positions.extend_from_slice(&occurrences.body);
            }
            term_starts.push(postings.len() as u32);
        }
        drop(terms);
        let terms = term_list;

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

//! Ranking documents for a query and cutting their excerpts.
//!
//! Each query term is looked up exactly, and the term still being typed also
//! by prefix. A document's score is the sum over query terms of the best BM25F
//! score among that term's matching index terms (so `labour`, `labourer` and
//! `labouring` in one document count once, as the best of them).
//!
//! Stop words count only when the query has nothing else, or while one is
//! still being typed (it may be the start of a longer word): in "history of
//! the jews", `of` and `the` neither score nor make a document a hit. On the
//! long questions of the relevance collections this is worth +0.02 nDCG@10 on
//! CISI (BENCHMARKS.md), and it spares walking the longest posting lists.
//!
//! Documents that contain every counted term come first; then the rest, so
//! that a question with one absent word still finds what matches the others.
//! Ties break by document order, so results are deterministic.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::index::{Field, Index, Posting};
use crate::query::Query;
use crate::rank::Bm25fParams;
use crate::snippet::{self, Matches};

/// Most hits one search returns.
pub const MAX_LIMIT: usize = 1000;
/// Most index terms the word being typed expands to (the most frequent win),
/// which bounds the work a one-letter prefix can cause.
pub const MAX_PREFIX_EXPANSIONS: usize = 64;
/// A typed word also matches an index term that is a prefix of it, when the
/// term has at least this many characters. Terms are stems, and the word being
/// typed may already be past its stem: `happine` should find `happi`ness.
const MIN_STEM_PREFIX_CHARS: usize = 4;
/// …and the typed word is at most this many bytes longer than the stem.
const MAX_CHARS_PAST_STEM: usize = 4;

/// What to return.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// Hits to return; at most [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip, for paging.
    pub offset: usize,
    pub params: Bm25fParams,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            params: Bm25fParams::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults<'i> {
    /// How many documents match, over all pages.
    pub total: usize,
    pub hits: Vec<Hit<'i>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Hit<'i> {
    /// The document's index in [`Index::documents`].
    pub doc: u32,
    pub id: &'i str,
    pub title: &'i str,
    pub url: &'i str,
    pub score: f32,
    /// About [`crate::EXCERPT_WORDS`] words around the densest cluster of matches.
    pub excerpt: String,
    /// Matched words in `excerpt`, as `[start, end)` UTF-16 offsets, increasing.
    pub highlights: Vec<[u32; 2]>,
}

/// An index term that a query term matches, and how much a match counts.
#[derive(Debug, Clone, Copy)]
struct Variant {
    term_id: usize,
    weight: f32,
}

impl<'a> Index<'a> {
    /// Ranks the documents that match `query` and returns one page of hits.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> SearchResults<'a> {
        let params = &options.params;
        let (required, counted) = counted_terms(query);
        // Terms that do not count get no variants: no postings walked, no highlights.
        let variants: Vec<Vec<Variant>> = query
            .terms
            .iter()
            .enumerate()
            .map(|(slot, term)| match counted >> slot & 1 {
                1 => self.variants(term, params),
                _ => Vec::new(),
            })
            .collect();

        let doc_count = self.documents.len();
        let mut scores = vec![0f32; doc_count];
        let mut matched_terms = vec![0u64; doc_count];
        let mut candidates: Vec<u32> = Vec::new();
        // The best score of the current query term per document, and which documents it touched.
        let mut term_best = vec![0f32; doc_count];
        let mut touched: Vec<u32> = Vec::new();

        for (slot, (term, variants)) in query.terms.iter().zip(&variants).enumerate() {
            for variant in variants {
                let idf = params.idf(doc_count, self.doc_freq(variant.term_id));
                for posting in self.postings_of(variant.term_id) {
                    let doc = posting.doc as usize;
                    let score =
                        variant.weight * params.score(self, &self.documents[doc], posting, idf);
                    if term_best[doc] == 0.0 {
                        touched.push(posting.doc);
                    }
                    // At least a tiny score, so a matched document is never mistaken for untouched.
                    term_best[doc] = term_best[doc].max(score).max(f32::MIN_POSITIVE);
                }
            }
            for &doc in &touched {
                let doc = doc as usize;
                if matched_terms[doc] == 0 {
                    candidates.push(doc as u32);
                }
                scores[doc] += term_best[doc] * term.count as f32;
                matched_terms[doc] |= 1 << slot;
                term_best[doc] = 0.0;
            }
            touched.clear();
        }

        let total = candidates.len();
        let wanted = options
            .offset
            .saturating_add(options.limit.min(MAX_LIMIT))
            .min(total);
        // The best `wanted` documents by a heap: O(n log k), where sorting all
        // candidates would be O(n log n) for the usual 10 hits.
        let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(wanted + 1);
        for doc in candidates {
            let ranked = Ranked {
                complete: matched_terms[doc as usize] & required == required,
                score: scores[doc as usize],
                doc,
            };
            if best.len() < wanted {
                best.push(Reverse(ranked));
            } else if best.peek().is_some_and(|Reverse(worst)| ranked > *worst) {
                best.pop();
                best.push(Reverse(ranked));
            }
        }
        // Ascending order of Reverse(ranked) is best first.
        let ranked = best.into_sorted_vec();
        let hits = ranked
            .iter()
            .skip(options.offset)
            .map(|Reverse(r)| self.hit(r.doc, r.score, &variants))
            .collect();
        SearchResults { total, hits }
    }

    /// The index terms a query term matches: itself, and while it is being
    /// typed, the terms it is a prefix of and the stems it has grown past.
    fn variants(&self, term: &crate::QueryTerm, params: &Bm25fParams) -> Vec<Variant> {
        let mut variants = Vec::new();
        let exact = self.term_id(&term.term);
        if let Some(term_id) = exact {
            variants.push(Variant {
                term_id,
                weight: 1.0,
            });
        }
        if !term.prefix || term.folded.is_empty() {
            return variants;
        }
        let mut expansions: Vec<usize> = self
            .terms_with_prefix(&term.folded)
            .filter(|&id| Some(id) != exact)
            .collect();
        let folded = term.folded.as_str();
        for (cut, _) in folded.char_indices().skip(MIN_STEM_PREFIX_CHARS) {
            if folded.len() - cut <= MAX_CHARS_PAST_STEM {
                if let Some(id) = self.term_id(&folded[..cut]).filter(|&id| Some(id) != exact) {
                    expansions.push(id);
                }
            }
        }
        // The most frequent terms are the likeliest completions; ties by term order.
        let by_frequency = sorted(
            expansions
                .into_iter()
                .map(|id| (Reverse(self.doc_freq(id)), id))
                .collect(),
        );
        let mut taken: Vec<usize> = Vec::new();
        for (_, term_id) in by_frequency {
            if taken.len() == MAX_PREFIX_EXPANSIONS {
                break;
            }
            if !taken.contains(&term_id) {
                taken.push(term_id);
                variants.push(Variant {
                    term_id,
                    weight: params.prefix_weight,
                });
            }
        }
        variants
    }

    fn hit(&self, doc: u32, score: f32, variants: &[Vec<Variant>]) -> Hit<'a> {
        let record = &self.documents[doc as usize];
        let mut matches = Matches::default();
        for (slot, term_variants) in variants.iter().enumerate() {
            for variant in term_variants {
                if let Some(posting) = self.posting(variant.term_id, doc) {
                    let slot = slot as u8;
                    matches.title.extend(
                        self.positions_of(posting, Field::Title)
                            .iter()
                            .map(|&p| (p, slot)),
                    );
                    matches.body.extend(
                        self.positions_of(posting, Field::Body)
                            .iter()
                            .map(|&p| (p, slot)),
                    );
                }
            }
        }
        let (excerpt, highlights) = snippet::excerpt(self, record, matches);
        Hit {
            doc,
            id: record.id,
            title: record.title,
            url: record.url,
            score,
            excerpt,
            highlights,
        }
    }

    fn posting(&self, term_id: usize, doc: u32) -> Option<&Posting> {
        let postings = self.postings_of(term_id);
        postings
            .binary_search_by(|p| p.doc.cmp(&doc))
            .ok()
            .map(|i| &postings[i])
    }
}

/// A candidate's rank: documents with every required term first, then by
/// score, then by document order so that results are deterministic.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    complete: bool,
    score: f32,
    doc: u32,
}

impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.complete
            .cmp(&other.complete)
            .then_with(|| self.score.total_cmp(&other.score))
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Sorts by heap sort. Why not `slice::sort_unstable`: each of its
/// instantiations brings core's pattern-defeating quicksort and its sorting
/// networks, 3–4 KB of wasm apiece; the heap's code is a fraction of that, and
/// the lists sorted at query time are short.
pub(crate) fn sorted<T: Ord>(items: Vec<T>) -> Vec<T> {
    BinaryHeap::from(items).into_sorted_vec()
}

/// Which query terms a document needs to rank in the first tier, and which
/// terms score, as bit masks by position in `query.terms`. Both are all terms
/// but stop words, or all terms when the query is only stop words; a stop word
/// still being typed also scores (it may be the start of a longer word).
fn counted_terms(query: &Query) -> (u64, u64) {
    let mask = |keep: &dyn Fn(&crate::QueryTerm) -> bool| {
        query
            .terms
            .iter()
            .enumerate()
            .filter(|(_, t)| keep(t))
            .fold(0u64, |m, (i, _)| m | 1 << i)
    };
    match mask(&|t| !t.stop) {
        0 => (mask(&|_| true), mask(&|_| true)),
        content => (content, content | mask(&|t| t.prefix)),
    }
}

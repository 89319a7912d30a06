//! Ranking documents for a query and cutting their excerpts.
//!
//! Each clause of the query (a word, a phrase, or alternatives joined by `OR`)
//! gives a document the best score among the ways it matches:
//!
//! - a word matches its own term exactly; while it is being typed, also the
//!   terms it starts and the stems it has grown past (weighted down; when
//!   the word is a term itself, only stems as long as its own: `commande`
//!   is past `command`, not `comm`, the stem of `comme`); and,
//!   if it is long enough, terms within one or two typos (weighted down more),
//!   and, while typed, if it matches nothing as it stands, the completions of
//!   its misspellings;
//! - a phrase matches where its words stand adjacent and in order, scored by
//!   BM25F over the phrase's own occurrences and document frequency.
//!
//! A word's matches come in classes, best first: the word as typed (or a stem
//! it has grown past), a completion of the word being typed, one typo, two
//! typos. Each class's scores are squeezed under the lowest score of the class
//! before it, so among documents that are otherwise alike the word as typed
//! wins over its extensions (`index` over `indexam` while `index` is still
//! being typed), and the exact spelling over typos (in a question of four or
//! more words the semantic blend below can still reorder them). And guesses
//! do not pad a list: once a document matches every word as typed, documents
//! found only through typos are left out, and once a page of them does
//! ([`ENOUGH_EXACT`]), so are those found only through completions.
//!
//! Stop words count only when the query has nothing else, or while one is
//! still being typed (it may be the start of a longer word): in "history of
//! the jews", `of` and `the` neither score nor make a document a hit. On the
//! long questions of the relevance collections this is worth +0.02 nDCG@10 on
//! CISI (BENCHMARKS.md), and it spares walking the longest posting lists.
//!
//! A question of four or more distinct words that count also has its
//! candidates' scores blended with their similarity in the latent semantic
//! index (`semantic.rs`), which reorders them and never adds or drops one.
//!
//! Documents that meet every counted clause come first; then the rest, so that
//! a question with one absent word still finds what matches the others.
//! Within the first, a document whose title is the query, then one whose
//! title starts with it, then one with a section's heading that is the
//! query, then one with a heading that starts with it, come before the
//! others (`leads`): typed as `create index`, the page named `CREATE INDEX`
//! is the one wanted, and typed as `g_strfreev`, the page with the section
//! `g_strfreev ()`.
//! Documents with an excluded word or phrase are left out. Ties break by
//! document order, so results are deterministic.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::Serialize;

use crate::analysis::{compound_term, word_spans, Analyzer, COMPOUND_MARK};
#[cfg(feature = "languages")]
use crate::analysis::{language_code, stemmer_language, DEFAULT_LANGUAGE};
#[cfg(feature = "facets")]
use crate::facets::{Filter, FilterCounts, Sort};
use crate::index::{Field, Index, Posting, PostingCounts};
use crate::order::{
    sorted, sorted_numbers, Ranked, LEAD_HEADING_IS, LEAD_HEADING_STARTS, LEAD_TITLE_IS,
    LEAD_TITLE_STARTS,
};
use crate::query::{cut_to_bytes, Clause, Phrase, Query, QueryTerm};
use crate::rank::Bm25fParams;
use crate::semantic::{MIN_QUERY_WORDS, RERANK_DEPTH};
use crate::snippet::{self, Excerpts, Matches};
use crate::typo::{within_typos, Reach, TypoThresholds};

/// Most hits one search returns.
pub const MAX_LIMIT: usize = 1000;
/// Most index terms the word being typed expands to (the most frequent win),
/// which bounds the work a one-letter prefix can cause.
pub const MAX_PREFIX_EXPANSIONS: usize = 64;
/// Most index terms a word matches with typos (the closest, then the most
/// frequent win); the walk of the vocabulary stops after four times as many.
pub const MAX_TYPO_EXPANSIONS: usize = 32;
/// Most sections a hit lists ([`Hit::sections`]).
pub const MAX_SECTIONS: usize = 3;
/// Most completions [`Index::complete`] returns.
pub const MAX_COMPLETIONS: usize = 100;
/// A typed word also matches an index term that is a prefix of it, when the
/// term has at least this many characters. Terms are stems, and the word being
/// typed may already be past its stem: `happine` should find `happi`ness.
const MIN_STEM_PREFIX_CHARS: usize = 4;
/// …and the typed word is at most this many bytes longer than the stem.
const MAX_CHARS_PAST_STEM: usize = 4;

/// What to return, and how forgiving to be.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// Hits to return; at most [`MAX_LIMIT`].
    pub limit: usize,
    /// Hits to skip, for paging.
    pub offset: usize,
    pub params: Bm25fParams,
    /// How many typos a word of a given length may have.
    pub typos: TypoThresholds,
    /// Whether to work out a "did you mean" query when words match nothing exactly.
    pub suggest: bool,
    /// Only documents that meet every one of these (`facets.rs`). A key the
    /// index does not have lets none through. (This and `sort` exist only
    /// with the `facets` feature.)
    #[cfg(feature = "facets")]
    pub filters: Vec<Filter>,
    /// Order by a sort key's values instead of by relevance (documents
    /// without a value last; a key the index does not have: relevance).
    #[cfg(feature = "facets")]
    pub sort: Option<Sort>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            params: Bm25fParams::default(),
            typos: TypoThresholds::default(),
            suggest: true,
            #[cfg(feature = "facets")]
            filters: Vec::new(),
            #[cfg(feature = "facets")]
            sort: None,
        }
    }
}

/// One page of results: what `search` returns to JavaScript, through serde.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults<'i> {
    /// How many documents match, over all pages.
    pub total: usize,
    pub hits: Vec<Hit<'i>>,
    /// The query with its misspelt words corrected, when some words match no
    /// term exactly and the corrected query finds documents with every word.
    pub did_you_mean: Option<String>,
    /// Only when the index has filters: per filter key, per value, how many
    /// of the `total` matches have it. (These three fields exist only with
    /// the `facets` feature: the seeds' module does without their code.)
    #[cfg(feature = "facets")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<FilterCounts>,
    /// The same, over the matches before the search's filters.
    #[cfg(feature = "facets")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_filters: Option<FilterCounts>,
    /// How many documents match before the search's filters (with an index
    /// that has filters).
    #[cfg(feature = "facets")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unfiltered_total: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hit<'i> {
    /// The document's index in [`Index::documents`].
    #[serde(skip)]
    pub doc: u32,
    pub id: &'i str,
    /// The document's title, cut between words when it is long ([`crate::short_title`]).
    pub title: Cow<'i, str>,
    /// Where the hit links: the document, or the section its excerpt is in
    /// when that is not the document's opening.
    pub url: Cow<'i, str>,
    pub score: f32,
    /// About [`crate::EXCERPT_WORDS`] words around the densest cluster of matches.
    pub excerpt: String,
    /// Matched words in `excerpt`, as `[start, end)` UTF-16 offsets, increasing.
    pub highlights: Vec<[u32; 2]>,
    /// Matched words in `title` (as shown: a cut title's words past the cut
    /// have none), as `[start, end)` UTF-16 offsets, increasing.
    pub title_highlights: Vec<[u32; 2]>,
    /// The sections that answer, at most [`MAX_SECTIONS`]: the one the
    /// excerpt is in (when the document has headings and that is not its
    /// opening), then others whose headings match, in the document's order,
    /// each with its own excerpt.
    pub sections: Vec<HitSection<'i>>,
    /// The document's metadata (`description`, `image`, …), as an object
    /// (with the `facets` feature, as the fields of [`SearchResults`] for filters).
    #[cfg(feature = "facets")]
    pub meta: Meta<'i>,
}

/// A document's metadata as a hit shows it: `{ key: value }` (a value is
/// owned once the boundary resolves an image's link).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta<'i>(pub Vec<(&'i str, Cow<'i, str>)>);

impl Serialize for Meta<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A section of a hit's document ([`crate::Section`]) that answers the query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HitSection<'i> {
    /// Its heading.
    pub title: &'i str,
    /// The document's URL with the section's anchor.
    pub url: String,
    pub excerpt: String,
    /// Matched words in `excerpt`, as `[start, end)` UTF-16 offsets.
    pub highlights: Vec<[u32; 2]>,
}

/// A completion of the word being typed, for an autocomplete list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Completion {
    /// The word, as it appears (lower-cased) in the documents.
    pub word: String,
    /// The text typed, with its last word completed.
    pub query: String,
    /// How many documents contain the word (or its other forms).
    pub documents: u32,
}

/// An index term that a query word matches, and how much a match counts.
#[derive(Debug, Clone, Copy)]
struct Variant {
    term_id: usize,
    weight: f32,
    /// 0 for exact and prefix matches; otherwise the typos.
    typos: u8,
    /// Whether the term is longer than the word being typed (a completion).
    completion: bool,
}

/// How a word matched a document, best first ([`Variant::class`]).
const EXACT: u8 = 0;
const COMPLETION: u8 = 1;

impl Variant {
    /// Best first: the word itself (or a stem it has grown past as it is
    /// typed), a completion of the word being typed, one typo, two typos.
    /// Each class's scores are squeezed below those of the classes before it.
    fn class(&self) -> u8 {
        match self.typos {
            0 => u8::from(self.completion),
            typos => typos + 1,
        }
    }
}

/// When at least this many documents match every word as typed (a page of
/// results), documents found only through completions of the word being
/// typed are left out rather than padding the list below them; documents
/// found only through typos are left out as soon as one document matches
/// every word as typed (`Index::rank`).
const ENOUGH_EXACT: usize = 10;

/// Score factor for a word found as a hyphenated compound (`anti-Semitism`
/// for `antisemitism`).
const COMPOUND_WEIGHT: f32 = 0.25;

/// How one alternative of a clause finds documents.
#[derive(Debug)]
enum Matcher {
    /// A single word: its variants, best class first.
    Word(Vec<Variant>),
    /// Words that must stand adjacent and in order: each word's index terms.
    /// Empty when some word is in no document.
    Phrase(Vec<Vec<usize>>),
}

/// Where a phrase occurs in one document: its title and body counts.
struct PhraseCount {
    doc: u32,
    counts: PostingCounts,
}

/// What ranking found, before hits are cut.
struct Ranking {
    /// Best first, `offset + limit` of them at most.
    best: Vec<Ranked>,
    total: usize,
    /// Documents that meet every counted clause.
    complete: usize,
    /// With an index that has filters: the matches counted by value after
    /// and before the filters, and how many there were before.
    #[cfg(feature = "facets")]
    counts: Option<(FilterCounts, FilterCounts, usize)>,
}

/// Whether the semantic blend reorders a query's `wanted` best hits: a
/// question of enough distinct counted words (every word but stop words).
fn blends(required: u64, wanted: usize, options: &SearchOptions) -> bool {
    wanted > 0 && required.count_ones() >= MIN_QUERY_WORDS && options.params.semantic_weight > 0.0
}

impl<'a> Index<'a> {
    /// Ranks the documents that match `query` and returns one page of hits.
    pub fn search(&self, query: &Query, options: &SearchOptions) -> SearchResults<'a> {
        let (required, counted) = clause_masks(query);
        // A sharded index may lack what a stage needs: it notes what (see
        // `shards.rs`), and the stages after it are not run on partial data.
        let unfinished = SearchResults {
            total: 0,
            hits: Vec::new(),
            did_you_mean: None,
            #[cfg(feature = "facets")]
            filters: None,
            #[cfg(feature = "facets")]
            total_filters: None,
            #[cfg(feature = "facets")]
            unfiltered_total: None,
        };
        // A question the semantic blend reorders needs its candidates'
        // vectors: a small site's are asked for now, with its words' shards.
        if blends(
            required,
            options.offset.saturating_add(options.limit),
            options,
        ) {
            self.want_vectors_at_once();
        }
        if !self.has_terms_for_query(query, counted) {
            return unfinished;
        }
        let matchers = self.matchers(query, counted, options);
        let ranking = self.rank(query, &matchers, required, options);
        if self.incomplete() {
            return unfinished;
        }
        // Sharded, each hit's excerpt notes the one block of text it needs
        // (which carries the title and URL too); the hits are final once
        // every block has arrived.
        let hits = ranking
            .best
            .iter()
            .skip(options.offset)
            .map(|r| self.hit(r.doc, r.score, &matchers))
            .collect();
        if self.incomplete() {
            return unfinished;
        }
        let did_you_mean = if options.suggest {
            self.did_you_mean(query, &matchers, counted, options)
        } else {
            None
        };
        #[cfg(feature = "facets")]
        let (filters, total_filters, unfiltered_total) = match ranking.counts {
            Some((after, before, total)) => (Some(after), Some(before), Some(total)),
            None => (None, None, None),
        };
        SearchResults {
            total: ranking.total,
            hits,
            did_you_mean,
            #[cfg(feature = "facets")]
            filters,
            #[cfg(feature = "facets")]
            total_filters,
            #[cfg(feature = "facets")]
            unfiltered_total,
        }
    }

    /// Whether the dictionary of every word the query looks up is here: the
    /// words of the clauses that count, and the excluded ones. Notes every
    /// missing shard, not only the first.
    fn has_terms_for_query(&self, query: &Query, counted: u64) -> bool {
        let counted_clauses = || {
            query
                .clauses
                .iter()
                .enumerate()
                .filter(|(slot, _)| counted >> slot & 1 == 1)
                .map(|(_, clause)| clause)
        };
        counted_clauses()
            .flat_map(|clause| &clause.alternatives)
            .chain(&query.excluded)
            .flat_map(|phrase| &phrase.words)
            .fold(true, |all, word| {
                word.other_stems().iter().fold(true, |all, stem| self.has_terms_for(stem) & all)
                    & self.has_terms_for(&word.term)
                    & self.has_terms_for(&word.folded)
                    & all
            })
            // A compound starts with its first word, but is looked up too.
            & counted_clauses()
                .flat_map(|clause| &clause.compounds)
                .fold(true, |all, compound| self.has_terms_for(&compound.folded) & all)
    }

    /// How each clause's alternatives find documents. Clauses that do not
    /// count get none: no postings walked, no highlights.
    fn matchers(&self, query: &Query, counted: u64, options: &SearchOptions) -> Vec<Vec<Matcher>> {
        query
            .clauses
            .iter()
            .enumerate()
            .map(|(slot, clause)| match counted >> slot & 1 {
                1 => {
                    let mut matchers: Vec<Matcher> = clause
                        .alternatives
                        .iter()
                        .map(|phrase| self.matcher(phrase, options))
                        .collect();
                    // The word written together with its neighbours': in
                    // the word's own class when typed with hyphens, in the
                    // class of its completions when typed apart (so it
                    // never outranks the word itself).
                    let mut compound_terms = Vec::new();
                    for compound in &clause.compounds {
                        // Stemmed only when some term starts like it: the
                        // stem keeps all but the last few letters.
                        let folded = compound.folded.as_str();
                        let probe = cut_to_bytes(folded, folded.len().saturating_sub(4).max(1));
                        if self.terms.with_prefix(probe).next().is_none() {
                            continue;
                        }
                        #[cfg(feature = "languages")]
                        let analyzer = Analyzer::for_language(
                            query.languages.first().map_or("", String::as_str),
                        )
                        .unwrap_or_default();
                        #[cfg(not(feature = "languages"))]
                        let analyzer = Analyzer::new();
                        let term = analyzer.stem_folded(folded);
                        for term in [compound_term(&term), term] {
                            if let Some(id) = self.term_id(&term) {
                                compound_terms.push((compound, id));
                            }
                        }
                    }
                    for (compound, term_id) in compound_terms {
                        let variant = Variant {
                            term_id,
                            weight: 1.0,
                            typos: 0,
                            completion: !compound.hyphenated,
                        };
                        match matchers.first_mut() {
                            Some(Matcher::Word(variants)) => {
                                if variants.iter().all(|v| v.term_id != term_id) {
                                    let at = variants
                                        .iter()
                                        .position(|v| v.class() > variant.class())
                                        .unwrap_or(variants.len());
                                    variants.insert(at, variant);
                                }
                            }
                            _ => matchers.push(Matcher::Word(vec![variant])),
                        }
                    }
                    matchers
                }
                _ => Vec::new(),
            })
            .collect()
    }

    fn rank(
        &self,
        query: &Query,
        matchers: &[Vec<Matcher>],
        required: u64,
        options: &SearchOptions,
    ) -> Ranking {
        let params = &options.params;
        let doc_count = self.documents.len();
        // Indexed through slices: at opt-level "z" indexing a Vec stays a
        // function call, and these are indexed per posting.
        let mut scores = vec![0f32; doc_count];
        let scores = scores.as_mut_slice();
        let mut matched_clauses = vec![0u64; doc_count];
        let matched_clauses = matched_clauses.as_mut_slice();
        // How each document matched, for the no-padding rule (`ENOUGH_EXACT`),
        // packed in one number (a search over 50,000 documents zeroes this
        // per search): the current clause's best kind (`AS_TYPED`, `NEAR`),
        // how many required clauses it matched as typed (from `COUNT_ONE`),
        // and whether any clause matched as typed or near (`ANY_*`). Only
        // kept when some word has a guess (a typo or a completion) to weigh.
        const AS_TYPED: u32 = 1;
        const NEAR: u32 = 2;
        const COUNT_ONE: u32 = 1 << 8;
        const ANY_AS_TYPED: u32 = 1 << 24;
        const ANY_NEAR: u32 = 1 << 25;
        let guesses = matchers.iter().flatten().any(|m| match m {
            Matcher::Word(variants) => variants.iter().any(|v| v.class() != EXACT),
            Matcher::Phrase(_) => false,
        });
        let mut kinds = vec![0u32; if guesses { doc_count } else { 0 }];
        let kinds = kinds.as_mut_slice();
        let mut candidates: Vec<u32> = Vec::new();
        // The best score of the current clause per document, and which documents it touched.
        let mut clause_best = vec![0f32; doc_count];
        let clause_best = clause_best.as_mut_slice();
        let mut touched: Vec<u32> = Vec::new();

        for (slot, (clause, clause_matchers)) in query.clauses.iter().zip(matchers).enumerate() {
            for matcher in clause_matchers {
                let mut keep = |doc: u32, score: f32, class: u8| {
                    let best = &mut clause_best[doc as usize];
                    if *best == 0.0 {
                        touched.push(doc);
                    }
                    // At least a tiny score, so a matched document is never mistaken for untouched.
                    *best = best.max(score).max(f32::MIN_POSITIVE);
                    if let Some(kind) = kinds.get_mut(doc as usize) {
                        *kind |= match class {
                            EXACT => AS_TYPED | NEAR,
                            COMPLETION => NEAR,
                            _ => 0,
                        };
                    }
                };
                match matcher {
                    Matcher::Word(variants) => self.score_word(variants, params, &mut keep),
                    Matcher::Phrase(words) => {
                        let counts = self.phrase_counts(words);
                        let idf = params.idf(doc_count, counts.len() as u32);
                        for count in counts {
                            let doc = &self.documents[count.doc as usize];
                            keep(
                                count.doc,
                                params.score_counts(self, doc, &count.counts, idf),
                                EXACT,
                            );
                        }
                    }
                }
            }
            for &doc in &touched {
                let doc = doc as usize;
                if matched_clauses[doc] == 0 {
                    candidates.push(doc as u32);
                }
                scores[doc] += clause_best[doc] * clause.count as f32;
                matched_clauses[doc] |= 1 << slot;
                clause_best[doc] = 0.0;
                if let Some(kind) = kinds.get_mut(doc) {
                    let this = *kind & (AS_TYPED | NEAR);
                    if this & AS_TYPED != 0 {
                        *kind |= ANY_AS_TYPED;
                        if required >> slot & 1 == 1 {
                            *kind += COUNT_ONE;
                        }
                    }
                    if this & NEAR != 0 {
                        *kind |= ANY_NEAR;
                    }
                    *kind &= !(AS_TYPED | NEAR);
                }
            }
            touched.clear();
        }

        // Browsing (`facets.rs`): no words, but filters or a sort key, lists
        // every document they let through, in document order or sorted.
        #[cfg(feature = "facets")]
        if query.clauses.is_empty()
            && (!options.filters.is_empty() || options.sort.is_some())
            && self.facets().is_some()
        {
            candidates = (0..doc_count as u32).collect();
        }
        let excluded = self.excluded_documents(query);
        candidates.retain(|doc| excluded.binary_search(doc).is_err());
        // No padding with guesses once the words as typed find enough: see
        // `ENOUGH_EXACT`. A document keeps its place if it matches some word
        // as typed (`Cable Street` keeps a text with `street` alone, not one
        // with only `table`).
        let no_padding = |candidates: &mut Vec<u32>| {
            if !guesses || required == 0 {
                return;
            }
            let all_as_typed = required.count_ones() * COUNT_ONE;
            let as_typed = candidates
                .iter()
                .filter(|&&doc| kinds[doc as usize] & (ANY_AS_TYPED - COUNT_ONE) == all_as_typed)
                .count();
            if as_typed > 0 {
                candidates.retain(|&doc| {
                    let kind = kinds[doc as usize];
                    match (kind & ANY_AS_TYPED != 0, kind & ANY_NEAR != 0) {
                        (false, false) => false,
                        (false, true) => as_typed < ENOUGH_EXACT,
                        _ => true,
                    }
                });
            }
        };
        // Filters narrow the matches before the rule above: a filter picks
        // what a visitor looks among, and the rule then applies there.
        #[cfg(not(feature = "facets"))]
        no_padding(&mut candidates);
        #[cfg(feature = "facets")]
        let mut counts = None;
        #[cfg(feature = "facets")]
        match self.facets() {
            Some(facets) => {
                let mut unfiltered = None;
                if let Some(allowed) = facets.allowed(&options.filters, doc_count) {
                    let mut all = candidates.clone();
                    no_padding(&mut all);
                    unfiltered = Some(all);
                    candidates.retain(|&doc| allowed[doc as usize]);
                }
                no_padding(&mut candidates);
                let after = facets.counts(&candidates, doc_count);
                // Without filters the counts before them are the same: counted once.
                counts = Some(match unfiltered {
                    Some(all) => (after, facets.counts(&all, doc_count), all.len()),
                    None => (after.clone(), after, candidates.len()),
                });
            }
            // Filters on an index without any let nothing through.
            None if !options.filters.is_empty() => candidates.clear(),
            None => no_padding(&mut candidates),
        }
        let total = candidates.len();
        let wanted = options
            .offset
            .saturating_add(options.limit.min(MAX_LIMIT))
            .min(total);
        // A question of enough distinct counted words (every word but stop
        // words) is reordered by the semantic blend, which needs the best
        // `RERANK_DEPTH` even for a shorter page. A search for no hits (the
        // "did you mean" check) needs none.
        let blend = self
            .semantic
            .as_ref()
            .filter(|_| blends(required, wanted, options));
        let kept = match blend {
            Some(_) => wanted.max(RERANK_DEPTH).min(total),
            None => wanted,
        };
        // The best `kept` documents by a heap: O(n log k), where sorting all
        // candidates would be O(n log n) for the usual 10 hits.
        let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(kept + 1);
        let mut complete = 0;
        let leads = self.leads(query, matchers);
        let ranked_of = |doc: u32| Ranked {
            complete: matched_clauses[doc as usize] & required == required,
            lead: leads
                .binary_search_by_key(&doc, |&(d, _)| d)
                .map_or(0, |i| leads[i].1),
            score: scores[doc as usize],
            doc,
        };
        // Sorted by a key's values: every match sorted (documents with a
        // value first; ties in relevance order), no semantic blend.
        #[cfg(feature = "facets")]
        if let Some((key, descending)) = options.sort.as_ref().and_then(|sort| {
            let key = self.facets()?.sort_key(&sort.key)?;
            Some((key, sort.descending))
        }) {
            // In relevance order (the sort the blend uses), then a stable
            // counting sort by the key's ranks: no other sort in the module.
            let by_relevance = sorted(
                candidates
                    .iter()
                    .map(|&doc| {
                        let ranked = ranked_of(doc);
                        complete += usize::from(ranked.complete);
                        Reverse(ranked)
                    })
                    .collect(),
            );
            let distinct = key.ranks.iter().copied().max().unwrap_or(0) as usize;
            // Ranks 1..=distinct in the order asked, then no value (rank 0).
            let slot = |doc: u32| match key.ranks[doc as usize] as usize {
                0 => distinct,
                rank if descending => distinct - rank,
                rank => rank - 1,
            };
            let mut starts = vec![0usize; distinct + 2];
            for Reverse(r) in &by_relevance {
                starts[slot(r.doc) + 1] += 1;
            }
            for i in 1..starts.len() {
                starts[i] += starts[i - 1];
            }
            let mut best = by_relevance.iter().map(|Reverse(r)| *r).collect::<Vec<_>>();
            for Reverse(r) in &by_relevance {
                let at = &mut starts[slot(r.doc)];
                best[*at] = *r;
                *at += 1;
            }
            best.truncate(wanted);
            return Ranking {
                best,
                total,
                complete,
                counts,
            };
        }
        for doc in candidates {
            let ranked = ranked_of(doc);
            complete += usize::from(ranked.complete);
            if best.len() < kept {
                best.push(Reverse(ranked));
            } else if best.peek().is_some_and(|Reverse(worst)| ranked > *worst) {
                best.pop();
                best.push(Reverse(ranked));
            }
        }
        // Ascending order of Reverse(ranked) is best first.
        let mut best = best.into_sorted_vec();
        // The blend reads the vectors of the candidates it reorders.
        let blend = blend.filter(|_| {
            best.iter()
                .take(RERANK_DEPTH)
                .fold(true, |all, Reverse(r)| self.has_vector(r.doc) & all)
        });
        if let Some(semantic) = blend {
            semantic.blend(&mut best, params.semantic_weight);
            // Only the first `RERANK_DEPTH` gained a semantic score; the rest
            // still rank below them, in the order they had.
            let rest = best.split_off(best.len().min(RERANK_DEPTH));
            best = sorted(best);
            best.extend(rest);
            best.truncate(wanted);
        }
        let best = best.into_iter().map(|Reverse(r)| r).collect();
        Ranking {
            best,
            total,
            complete,
            #[cfg(feature = "facets")]
            counts,
        }
    }

    /// How each document is named for the query, by document: its title is
    /// the query ([`LEAD_TITLE_IS`]) or starts with it ([`LEAD_TITLE_STARTS`]),
    /// or one of its sections' headings is the query ([`LEAD_HEADING_IS`]) or
    /// starts with it ([`LEAD_HEADING_STARTS`]): the query's words, in order,
    /// from the first word (the word being typed may be completed; stop words
    /// count here). A page or section named for what a visitor types is what
    /// they are looking for (`create index`, the page `CREATE INDEX`;
    /// `g_strfreev`, the section `g_strfreev ()` of a page of a hundred
    /// functions, rather than a short page that calls it). Only for queries
    /// of plain words, and found from the postings of the rarest word, the
    /// shortest walk.
    fn leads(&self, query: &Query, matchers: &[Vec<Matcher>]) -> Vec<(u32, u8)> {
        let Some(plain) = query
            .clauses
            .iter()
            .map(Clause::single_word)
            .collect::<Option<Vec<&QueryTerm>>>()
        else {
            return Vec::new();
        };
        // Stop words count here, and a sharded index looks them up for
        // nothing else: where their terms have not arrived, they are noted
        // as missing, and the search runs again once they have.
        if !plain
            .iter()
            .fold(true, |all, word| self.has_terms_for(&word.term) & all)
        {
            return Vec::new();
        }
        let mut words: Vec<Vec<usize>> = Vec::with_capacity(query.clauses.len());
        for (word, clause_matchers) in plain.into_iter().zip(matchers) {
            let ids: Vec<usize> = match clause_matchers.first() {
                Some(Matcher::Word(variants)) => variants
                    .iter()
                    .filter(|v| v.class() <= COMPLETION)
                    .map(|v| v.term_id)
                    .collect(),
                _ => self.term_id(&word.term).into_iter().collect(),
            };
            if ids.is_empty() {
                return Vec::new();
            }
            words.push(ids);
        }
        // Walked from the rarest word's postings: a question's first word
        // is often a stop word, in most documents.
        let Some((rarest, ids)) = words
            .iter()
            .enumerate()
            .min_by_key(|(_, ids)| ids.iter().map(|&id| self.doc_freq(id)).sum::<u32>())
        else {
            return Vec::new();
        };
        let query_len = words.len() as u32;
        // Whether word `i` of the query is at `position` of the document's
        // title, or of one of its headings.
        let at = |i: usize, doc: u32, position: u32, field: Option<Field>| {
            words[i].iter().any(|&id| {
                self.posting(id, doc).is_some_and(|p| {
                    match field {
                        Some(field) => self.positions_of(p, field),
                        None => self.heading_positions_of(p),
                    }
                    .binary_search(&position)
                    .is_ok()
                })
            })
        };
        let mut leads: Vec<(u32, u8)> = Vec::new();
        for &id in ids {
            for posting in self.postings_of(id) {
                let doc = posting.doc;
                let title = self.positions_of(posting, Field::Title);
                if title.binary_search(&(rarest as u32)).is_ok()
                    && (0..words.len())
                        .all(|i| i == rarest || at(i, doc, i as u32, Some(Field::Title)))
                {
                    let whole = self.documents[doc as usize].title_len == query_len;
                    leads.push((
                        doc,
                        if whole {
                            LEAD_TITLE_IS
                        } else {
                            LEAD_TITLE_STARTS
                        },
                    ));
                    continue;
                }
                if posting.counts.heading_tf == 0 {
                    continue;
                }
                // A heading that starts with the query: its first word is the
                // query's first, and each next word the query's next.
                let mut best = 0;
                for &first in &words[0] {
                    let Some(first) = self.posting(first, doc) else {
                        continue;
                    };
                    let starts = self
                        .heading_positions_of(first)
                        .iter()
                        .zip(self.heading_lengths_of(first));
                    for (&start, &length) in starts {
                        // `length` is the heading's name's (its words before
                        // a bracket): the query may go on into the rest.
                        if length > 0
                            && (1..words.len()).all(|i| at(i, doc, start + i as u32, None))
                        {
                            best = best.max(if length == query_len {
                                LEAD_HEADING_IS
                            } else {
                                LEAD_HEADING_STARTS
                            });
                        }
                    }
                }
                if best > 0 {
                    leads.push((doc, best));
                }
            }
        }
        // In document order, each once at its best (a document may lead by two forms).
        let mut leads: Vec<(u32, u8)> = sorted(leads);
        leads.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = kept.1.max(later.1);
            }
            same
        });
        leads
    }

    /// Scores a word's variants into `keep`, class by class: each class's
    /// scores are squeezed below the lowest score of the classes before it,
    /// so that a typo never outranks the exact word, nor two typos one.
    fn score_word(
        &self,
        variants: &[Variant],
        params: &Bm25fParams,
        keep: &mut impl FnMut(u32, f32, u8),
    ) {
        let doc_count = self.documents.len();
        let mut ceiling = f32::INFINITY;
        let mut class_lowest = f32::INFINITY;
        let mut class = EXACT;
        for variant in variants {
            if variant.class() != class {
                ceiling = ceiling.min(class_lowest);
                class_lowest = f32::INFINITY;
                class = variant.class();
            }
            let idf = params.idf(doc_count, self.doc_freq(variant.term_id));
            let documents = self.documents.as_slice();
            for posting in self.postings_of(variant.term_id) {
                let doc = &documents[posting.doc as usize];
                let mut score = variant.weight * params.score(self, doc, posting, idf);
                if ceiling.is_finite() {
                    // Order-preserving, and always below the ceiling.
                    score = ceiling * score / (score + ceiling);
                }
                class_lowest = class_lowest.min(score);
                keep(posting.doc, score, class);
            }
        }
    }

    fn matcher(&self, phrase: &Phrase, options: &SearchOptions) -> Matcher {
        match phrase.words.as_slice() {
            [word] if !phrase.quoted => Matcher::Word(self.variants(word, options)),
            words => {
                let mut terms = Vec::with_capacity(words.len());
                for word in words {
                    let mut ids: Vec<usize> = self.term_ids(word);
                    // In a phrase, a word's unmarked spelling and a passage's
                    // words count as the word: read only in other languages
                    // than English.
                    #[cfg(feature = "languages")]
                    self.add_marked_term_ids(word, &mut ids);
                    if word.prefix && words.len() > 1 {
                        // The last word of a phrase still being typed (`"labour mov`).
                        ids.extend(self.prefix_variants(word, &ids).into_iter().map(|v| v.0));
                    }
                    if ids.is_empty() {
                        return Matcher::Phrase(Vec::new());
                    }
                    terms.push(ids);
                }
                Matcher::Phrase(terms)
            }
        }
    }

    /// The index terms a query word matches, best class first: itself; while
    /// it is being typed, the terms it starts and the stems it has grown past;
    /// and the terms within the typos its length allows.
    fn variants(&self, word: &QueryTerm, options: &SearchOptions) -> Vec<Variant> {
        let params = &options.params;
        let mut variants: Vec<Variant> = Vec::new();
        // The word itself (its stems in each of the query's languages), and
        // the terms that hold them marked.
        let exact: Vec<usize> = self.term_ids(word);
        let mut exact_ids = exact.clone();
        self.add_marked_term_ids(word, &mut exact_ids);
        for (i, &term_id) in exact_ids.iter().enumerate() {
            variants.push(Variant {
                term_id,
                weight: if i < exact.len() {
                    1.0
                } else {
                    COMPOUND_WEIGHT
                },
                typos: 0,
                completion: false,
            });
        }
        if word.prefix {
            // The stems the word has grown past first (they are the word
            // itself, further typed), then its completions.
            let found = self.prefix_variants(word, &exact_ids);
            for completions in [false, true] {
                for &(term_id, _) in &found {
                    let completion = self.terms.get(term_id).len() > word.folded.len();
                    if completion == completions {
                        variants.push(Variant {
                            term_id,
                            weight: params.prefix_weight,
                            typos: 0,
                            completion,
                        });
                    }
                }
            }
        }

        let allowed = options.typos.allowed(word.folded.chars().count());
        if allowed == 0 {
            return variants;
        }
        let walk_limit = 4 * MAX_TYPO_EXPANSIONS;
        let mut typo_matches: Vec<(usize, u8, bool)> = Vec::new();
        let mut add = |found: Vec<(usize, u8)>, prefix: bool| {
            for (term_id, typos) in found {
                let compound = self.terms.get(term_id).ends_with(COMPOUND_MARK);
                if typos > 0 && !compound && !variants.iter().any(|v| v.term_id == term_id) {
                    typo_matches.push((term_id, typos, prefix));
                }
            }
        };
        // The index holds stems, so the stem is what is compared, with the
        // typos the typed word's length allows.
        add(
            within_typos(&self.terms, &word.term, allowed, Reach::Whole, walk_limit),
            false,
        );
        // Completions of the word's misspellings only when, as typed, it is
        // no term and starts none: a word being typed that matches as it
        // stands is guessed at as a whole word only. The walk for them was
        // half of a typed search's time (it cannot skip terms by their
        // length), and Cranfield, CISI and the manual test score the same
        // without it (BENCHMARKS.md, "Sharded branches compiled out, typo
        // completions when needed").
        if word.prefix && variants.is_empty() {
            add(
                within_typos(
                    &self.terms,
                    &word.folded,
                    allowed,
                    Reach::Prefix,
                    walk_limit,
                ),
                true,
            );
        }
        // Fewest typos, whole words before completions, then the most
        // frequent, then term order; each term once. Sorted as (key, index)
        // pairs, the type `sorted` already has for excerpts, where a heap of
        // these tuples would be 0.2 KB more of gzipped wasm. Each walk finds
        // at most `walk_limit` terms, in term order, so an index fits in a
        // byte and equal keys keep term order.
        const _: () = assert!(2 * 4 * MAX_TYPO_EXPANSIONS <= 256);
        let key = |&(id, typos, prefix): &(usize, u8, bool)| {
            let rarity = 0x1FFF_FFFF - self.doc_freq(id).min(0x1FFF_FFFF);
            u32::from(typos) << 30 | u32::from(prefix) << 29 | rarity
        };
        let order = sorted(
            typo_matches
                .iter()
                .enumerate()
                .map(|(i, found)| (key(found), i as u8))
                .collect(),
        );
        let mut taken = 0;
        for (_, i) in order {
            let (term_id, typos, prefix) = typo_matches[usize::from(i)];
            if taken == MAX_TYPO_EXPANSIONS {
                break;
            }
            if variants.iter().any(|v| v.term_id == term_id) {
                continue;
            }
            let mut weight = params.typo_weight.powi(i32::from(typos));
            if prefix {
                weight *= params.prefix_weight;
            }
            variants.push(Variant {
                term_id,
                weight,
                typos,
                completion: prefix,
            });
            taken += 1;
        }
        variants
    }

    /// The terms a word being typed completes to, and the stems it has grown
    /// past, most frequent first, at most [`MAX_PREFIX_EXPANSIONS`], without `exclude`.
    fn prefix_variants(&self, word: &QueryTerm, exclude: &[usize]) -> Vec<(usize, u32)> {
        let folded = word.folded.as_str();
        if folded.is_empty() {
            return Vec::new();
        }
        // A word whose stem is a term is that stem's word (`commande`,
        // `command`): a shorter stem (`comm`, of `comme`) is no word it is
        // the start of. A word typed without its accents may stem to no term
        // (`aplicacao`, `aplicaca`), and be past its family's (`aplic`).
        let own_stem = match self.term_id(&word.term) {
            Some(_) => word.term.len(),
            None => 0,
        };
        let mut stems = Vec::new();
        for (cut, _) in folded.char_indices().skip(MIN_STEM_PREFIX_CHARS) {
            if folded.len() - cut <= MAX_CHARS_PAST_STEM && cut >= own_stem {
                stems.extend(self.term_id(&folded[..cut]));
            }
        }
        let candidates = self.terms_with_prefix(folded).chain(stems);
        let mut chosen = most_frequent(
            self,
            candidates.filter(|id| !exclude.contains(id)),
            MAX_PREFIX_EXPANSIONS,
        );
        chosen.dedup_by_key(|c| c.0);
        chosen
    }

    /// Where a phrase occurs: documents with every word, and in each, how
    /// often the words stand adjacent and in order in the title and the body.
    fn phrase_counts(&self, words: &[Vec<usize>]) -> Vec<PhraseCount> {
        // Every word's postings are touched while the rarest is found: a
        // sharded index that lacks some notes them all as missing, and
        // fetches them in one round (a phrase of Chinese or Japanese
        // characters has a word for each).
        let Some(rarest) = words.iter().min_by_key(|ids| {
            ids.iter()
                .map(|&id| {
                    self.postings_of(id);
                    self.doc_freq(id)
                })
                .sum::<u32>()
        }) else {
            return Vec::new();
        };
        let mut docs: Vec<u32> = rarest
            .iter()
            .flat_map(|&id| self.postings_of(id).iter().map(|p| p.doc))
            .collect();
        if rarest.len() > 1 {
            docs = sorted_numbers(docs);
            docs.dedup();
        }
        let mut counts = Vec::new();
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        for doc in docs {
            if !words
                .iter()
                .all(|ids| ids.iter().any(|&id| self.posting(id, doc).is_some()))
            {
                continue;
            }
            let title = self
                .phrase_starts(words, doc, Field::Title, &mut positions)
                .len() as u32;
            let body = self
                .phrase_starts(words, doc, Field::Body, &mut positions)
                .len() as u32;
            if title + body > 0 {
                counts.push(PhraseCount {
                    doc,
                    counts: PostingCounts {
                        title_tf: title,
                        body_tf: body,
                        ..PostingCounts::default()
                    },
                });
            }
        }
        counts
    }

    /// The positions in `field` of `doc` where the phrase's words start, in order.
    fn phrase_starts(
        &self,
        words: &[Vec<usize>],
        doc: u32,
        field: Field,
        positions: &mut [Vec<u32>],
    ) -> Vec<u32> {
        for (ids, out) in words.iter().zip(positions.iter_mut()) {
            out.clear();
            for &id in ids {
                if let Some(posting) = self.posting(id, doc) {
                    out.extend_from_slice(self.positions_of(posting, field));
                }
            }
            if ids.len() > 1 {
                *out = sorted_numbers(std::mem::take(out));
            }
        }
        positions[0]
            .iter()
            .copied()
            .filter(|&start| {
                positions[1..]
                    .iter()
                    .zip(1..)
                    .all(|(p, i)| p.binary_search(&(start + i)).is_ok())
            })
            .collect()
    }

    /// The index terms of a query word as typed: its stem, and its other
    /// languages' stems ([`QueryTerm::stems`]).
    fn term_ids(&self, word: &QueryTerm) -> Vec<usize> {
        let mut ids: Vec<usize> = self.term_id(&word.term).into_iter().collect();
        for stem in word.other_stems() {
            ids.extend(self.term_id(stem));
        }
        ids
    }

    /// Adds to `ids` the index terms that hold a query word's stems marked:
    /// hyphenated compounds that join into it (`anti-Semitism` for
    /// `antisemitism`), words whose unmarked spelling it is (`aplicacao`),
    /// and the words of passages in its other languages.
    fn add_marked_term_ids(&self, word: &QueryTerm, ids: &mut Vec<usize>) {
        ids.extend(self.term_id(&compound_term(&word.term)));
        for stem in word.other_stems() {
            ids.extend(self.term_id(&compound_term(stem)));
        }
    }

    /// Whether some of the pages were stemmed in `code` (a stemmer's
    /// language), not only passages in them: on a site in several languages,
    /// what its `language` filter says; on one in a single language, the
    /// index's first language is its pages' (the most pages' come first, and
    /// a language of passages only has none).
    #[cfg(feature = "languages")]
    fn has_pages_in(&self, code: &str) -> bool {
        #[cfg(feature = "facets")]
        if let Some(mut languages) = self.facets.page_languages() {
            return languages.any(|page| stemmer_language(page) == code);
        }
        match self.languages.first() {
            Some(first) => first == code,
            None => code == DEFAULT_LANGUAGE,
        }
    }

    /// Parses what a visitor typed, its words stemmed as this index's pages
    /// are: in `language` (a tag, `fr` or `pt-BR`) when some of its pages
    /// are in it, and in its other languages for their passages only
    /// ([`Query::parse_in`]: a French word quoted on an English page);
    /// otherwise in each of its pages' languages, the most pages' first. (A
    /// module without the `languages` feature reads only indexes whose pages
    /// are all stemmed as English: it reads every query so.)
    pub fn parse_query(&self, text: &str, language: Option<&str>) -> Query {
        #[cfg(feature = "languages")]
        {
            let mut codes: Vec<&str> = self.languages.iter().map(String::as_str).collect();
            if codes.is_empty() {
                codes.push(DEFAULT_LANGUAGE);
            }
            let asked = language.map(|tag| stemmer_language(&language_code(tag)).to_owned());
            let mut passages = Vec::new();
            if let Some(asked) = asked.as_deref().filter(|code| self.has_pages_in(code)) {
                passages = codes
                    .iter()
                    .copied()
                    .filter(|&code| code != asked)
                    .collect();
                codes = vec![asked];
            }
            // Decoding checked that this build carries each.
            let analyzers = |codes: Vec<&str>| -> Vec<(String, Analyzer)> {
                codes
                    .into_iter()
                    .map(|code| {
                        let mut analyzer = Analyzer::for_language(code).unwrap_or_default();
                        let at = self.languages.iter().position(|l| l == code);
                        if let Some(words) = at.and_then(|at| self.stop_words.get(at)) {
                            analyzer = analyzer.with_stop_words(words.clone());
                        }
                        (code.to_owned(), analyzer)
                    })
                    .collect()
            };
            Query::parse_in(text, &analyzers(codes), &analyzers(passages))
        }
        #[cfg(not(feature = "languages"))]
        {
            let _ = language;
            Query::parse(text)
        }
    }

    /// The documents that contain an excluded word or phrase, sorted.
    fn excluded_documents(&self, query: &Query) -> Vec<u32> {
        let mut excluded = Vec::new();
        for phrase in &query.excluded {
            let words: Option<Vec<Vec<usize>>> = phrase
                .words
                .iter()
                .map(|w| Some(self.term_ids(w)).filter(|ids| !ids.is_empty()))
                .collect();
            match words.as_deref() {
                Some([single]) => {
                    for &id in single {
                        excluded.extend(self.postings_of(id).iter().map(|p| p.doc));
                    }
                }
                Some(words) => excluded.extend(self.phrase_counts(words).iter().map(|c| c.doc)),
                None => {}
            }
        }
        let mut excluded = sorted_numbers(excluded);
        excluded.dedup();
        excluded
    }

    fn hit(&self, doc: u32, score: f32, matchers: &[Vec<Matcher>]) -> Hit<'a> {
        let record = &self.documents[doc as usize];
        let mut matches = Matches::default();
        let mut scratch: Vec<Vec<u32>> = Vec::new();
        for (slot, clause_matchers) in matchers.iter().enumerate() {
            let slot = slot as u8;
            for matcher in clause_matchers {
                match matcher {
                    Matcher::Word(variants) => {
                        // Variants come best class first: where the document
                        // has the word as typed, those places show, not its
                        // guesses' (`alter` found, `até` a typo of it).
                        let mut best = None;
                        for variant in variants {
                            if let Some(posting) = self.posting(variant.term_id, doc) {
                                if *best.get_or_insert(variant.class()) != variant.class() {
                                    continue;
                                }
                                let at = |field| {
                                    self.positions_of(posting, field).iter().map(|&p| (p, slot))
                                };
                                matches.title.extend(at(Field::Title));
                                matches.body.extend(at(Field::Body));
                                matches
                                    .headings
                                    .extend_from_slice(self.heading_positions_of(posting));
                            }
                        }
                    }
                    Matcher::Phrase(words) if !words.is_empty() => {
                        scratch.resize(words.len(), Vec::new());
                        let len = words.len() as u32;
                        for (field, out) in [
                            (Field::Title, &mut matches.title),
                            (Field::Body, &mut matches.body),
                        ] {
                            for start in self.phrase_starts(words, doc, field, &mut scratch) {
                                out.extend((start..start + len).map(|p| (p, slot)));
                            }
                        }
                    }
                    Matcher::Phrase(_) => {}
                }
            }
        }
        let (title, title_highlights) = snippet::shown_title(record.title, &matches.title);
        let Excerpts {
            best: excerpt,
            sections: others,
        } = snippet::excerpts(self, doc, matches, MAX_SECTIONS - 1);
        // The section the excerpt's first match in a heading (else its first
        // match) is in; one that starts at the document's first word, or has
        // no anchor (an HTML page's `h1`), is its opening, which the page's
        // own URL already shows.
        let section_of = |excerpt: &snippet::Excerpt| {
            excerpt
                .first_match
                .and_then(|(word, window)| self.section_at(doc, word, window))
                .filter(|section| section.word > 0 && !section.anchor.is_empty())
        };
        let best_section = section_of(&excerpt);
        let mut sections: Vec<HitSection<'a>> = Vec::new();
        let mut listed: Vec<u32> = Vec::new();
        let candidates = std::iter::once((best_section, &excerpt))
            .chain(others.iter().map(|other| (section_of(other), other)));
        for (section, shown) in candidates {
            let Some(section) = section.filter(|s| !listed.contains(&s.word)) else {
                continue;
            };
            listed.push(section.word);
            sections.push(HitSection {
                title: section.title,
                url: [record.url, section.anchor].concat(),
                excerpt: shown.text.clone(),
                highlights: shown.highlights.clone(),
            });
        }
        let url = match best_section {
            Some(_) => Cow::Owned(sections[0].url.clone()),
            None => Cow::Borrowed(record.url),
        };
        Hit {
            doc,
            id: record.id,
            title,
            url,
            score,
            excerpt: excerpt.text,
            highlights: excerpt.highlights,
            title_highlights,
            sections,
            #[cfg(feature = "facets")]
            meta: Meta(
                record
                    .meta
                    .iter()
                    .map(|&(key, value)| (key, Cow::Borrowed(value)))
                    .collect(),
            ),
        }
    }

    /// "Did you mean": each counted word that matches no term exactly (nor
    /// completes one, while typed) is replaced by its closest typo match, as
    /// the documents spell it; offered when every such word has one and the
    /// corrected query finds documents with all its words.
    fn did_you_mean(
        &self,
        query: &Query,
        matchers: &[Vec<Matcher>],
        counted: u64,
        options: &SearchOptions,
    ) -> Option<String> {
        // Spans in the query text, and what replaces them.
        let mut corrections: Vec<((usize, usize), String)> = Vec::new();
        for (slot, clause) in query.clauses.iter().enumerate() {
            let (Some(word), Some(Matcher::Word(variants))) =
                (clause.single_word(), matchers[slot].first())
            else {
                continue;
            };
            if counted >> slot & 1 == 0 || clause.is_stop() || variants.iter().any(|v| v.typos == 0)
            {
                continue;
            }
            // Variants are ordered best first: fewest typos, then most frequent.
            let best = variants.first()?;
            corrections.push((word.span, self.surface_form(best.term_id)?));
        }
        if corrections.is_empty() {
            return None;
        }
        let text = query.text.as_str();
        let mut corrected = String::with_capacity(text.len() + 16);
        let mut at = 0;
        // In the order of the text. Sorted as (start, index) pairs, a type
        // that `sorted` already has for excerpts: a heap of these pairs of
        // span and string would be 0.2 KB more of gzipped wasm. A query has
        // at most 64 words, so an index fits in a byte.
        let order = sorted(
            corrections
                .iter()
                .enumerate()
                .map(|(i, ((start, _), _))| (*start as u32, i as u8))
                .collect(),
        );
        for (_, i) in order {
            let ((start, end), word) = &corrections[usize::from(i)];
            corrected.push_str(text.get(at..*start)?);
            corrected.push_str(word);
            at = *end;
        }
        corrected.push_str(text.get(at..)?);
        // The corrected words are in the index: no typos to look for.
        let check = SearchOptions {
            limit: 0,
            offset: 0,
            suggest: false,
            typos: TypoThresholds {
                one_typo_from: usize::MAX,
                two_typos_from: usize::MAX,
            },
            ..options.clone()
        };
        let corrected_query = self.parse_query(
            &corrected,
            match query.languages.as_slice() {
                [only] => Some(only.as_str()),
                _ => None,
            },
        );
        let (required, counted) = clause_masks(&corrected_query);
        let matchers = self.matchers(&corrected_query, counted, &check);
        (self
            .rank(&corrected_query, &matchers, required, &check)
            .complete
            > 0)
        .then_some(corrected)
    }

    /// Completions of the last word of `text` (when nothing follows it), the
    /// terms most documents contain first; at most `limit` (and [`MAX_COMPLETIONS`]).
    /// A text longer than [`MAX_QUERY_BYTES`](crate::MAX_QUERY_BYTES) has no
    /// completions: its end is past what a query reads.
    pub fn complete(&self, text: &str, limit: usize) -> Vec<Completion> {
        if text.len() > crate::MAX_QUERY_BYTES {
            return Vec::new();
        }
        // A plain loop, not `last()`: each iterator adapter over the segmenter
        // is its own copy of it in the module.
        let mut last = None;
        for span in word_spans(text) {
            last = Some(span);
        }
        let Some((start, word)) = last else {
            return Vec::new();
        };
        if start + word.len() != text.len() {
            return Vec::new();
        }
        let mut folded = String::new();
        crate::analysis::fold_into(word, &mut folded);
        if !self.has_terms_for(&folded) {
            return Vec::new();
        }
        let limit = limit.min(MAX_COMPLETIONS);
        let mut completions: Vec<Completion> = Vec::new();
        // A few spare, for terms whose surface forms coincide.
        for (term_id, documents) in most_frequent(self, self.terms_with_prefix(&folded), limit + 8)
        {
            if completions.len() == limit {
                break;
            }
            let Some(form) = self.surface_form(term_id) else {
                continue;
            };
            if completions.iter().any(|c| c.word == form) {
                continue;
            }
            completions.push(Completion {
                query: [&text[..start], &form].concat(),
                word: form,
                documents,
            });
        }
        completions
    }

    /// A word that the index holds as `term_id`, as its first occurrence spells
    /// it, lower-cased: the stem `nationbuild` is shown as `nationbuilder`.
    fn surface_form(&self, term_id: usize) -> Option<String> {
        let posting = self.postings_of(term_id).first()?;
        let doc = &self.documents[posting.doc as usize];
        let (text, from, first_position, position) = if posting.counts.title_tf > 0 {
            if !self.has_text(posting.doc) {
                return None;
            }
            (
                doc.title,
                0,
                0,
                *self.positions_of(posting, Field::Title).first()?,
            )
        } else {
            let position = *self.positions_of(posting, Field::Body).first()?;
            let (text, from, first_position) = self.body_from(posting.doc, position)?;
            (text, from, first_position, position)
        };
        let wanted = (position - first_position) as usize;
        let mut found = None;
        for (nth, (_, word)) in word_spans(text.get(from..)?).enumerate() {
            if nth == wanted {
                found = Some(word);
                break;
            }
        }
        let word = found?;
        // Per character: `str::to_lowercase`'s final-sigma rule would bring its own tables.
        Some(word.chars().flat_map(char::to_lowercase).collect())
    }

    fn posting(&self, term_id: usize, doc: u32) -> Option<&Posting> {
        let postings = self.postings_of(term_id);
        postings
            .binary_search_by(|p| p.doc.cmp(&doc))
            .ok()
            .map(|i| &postings[i])
    }
}

/// The `limit` terms of `ids` that most documents contain, with their
/// document counts, most first (ties by term order). O(n log limit).
fn most_frequent(
    index: &Index<'_>,
    ids: impl Iterator<Item = usize>,
    limit: usize,
) -> Vec<(usize, u32)> {
    if limit == 0 {
        return Vec::new();
    }
    // A min-heap of the best so far, ranked as documents are (lower ids win
    // ties), so that its code is the heap `rank` has: a heap of its own type
    // would be more gzipped wasm. A count is exact as an f32 below 2^24.
    let mut best: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(limit + 1);
    for id in ids {
        let entry = Ranked {
            complete: false,
            lead: 0,
            score: index.doc_freq(id) as f32,
            doc: id as u32,
        };
        if best.len() < limit {
            best.push(Reverse(entry));
        } else if best.peek().is_some_and(|Reverse(worst)| entry > *worst) {
            best.pop();
            best.push(Reverse(entry));
        }
    }
    best.into_sorted_vec()
        .into_iter()
        .map(|Reverse(r)| (r.doc as usize, r.score as u32))
        .collect()
}

/// Which clauses a document needs to rank in the first tier, and which
/// clauses score, as bit masks by position in `query.clauses`. Both are all
/// clauses but stop words, or all clauses when the query is only stop words;
/// a stop word still being typed also scores (it may start a longer word).
fn clause_masks(query: &Query) -> (u64, u64) {
    let mask = |keep: &dyn Fn(&Clause) -> bool| {
        query
            .clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| keep(c))
            .fold(0u64, |m, (i, _)| m | 1 << i)
    };
    match mask(&|c| !c.is_stop()) {
        0 => (mask(&|_| true), mask(&|_| true)),
        content => (content, content | mask(&|c| c.is_prefix())),
    }
}

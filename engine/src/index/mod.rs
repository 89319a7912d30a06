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
#[cfg(feature = "build")]
pub(crate) use builder::TermTable;

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
    /// Where the body's sections start, in order (an HTML page's headings):
    /// a hit links to the one its excerpt is in. Sections out of order, or
    /// past the body's last word, are left out when the document is indexed.
    pub sections: Vec<Section>,
    /// Shown with its hits, as `(key, value)` pairs: `description` and
    /// `image` (a URL relative to the site, as `url` is, or absolute), or
    /// any other a site sets. A key's first value counts.
    pub meta: Vec<(String, String)>,
    /// What a search can be narrowed by and counted by (`facets.rs`), as
    /// `(key, value)` pairs: `("tag", "rust")`; a key may have many values.
    pub filters: Vec<(String, String)>,
    /// What results can be ordered by, as `(key, value)` pairs: a key's first value counts.
    pub sort: Vec<(String, String)>,
    /// The language its text is in, as a code ([`crate::analysis::language_code`]:
    /// `fr`, `ja`): which stemmer its words get. Empty for English.
    pub language: String,
    /// Where the body's language changes (an HTML page's elements with a
    /// `lang` of their own), in order: a passage's words are also found as
    /// its language stems them ([`LanguageRun`]). Runs out of order are left out.
    pub language_runs: Vec<LanguageRun>,
    /// The body's lines that only link to other pages of the site (a table
    /// of contents' entries, a manual's index), as `[start, end)` word
    /// positions, increasing: their words match, but count for little
    /// ([`crate::Bm25fParams::link_weight`]), since a visitor who types them
    /// is looking for the pages they link to. Spans out of order are left out.
    pub link_lines: Vec<(u32, u32)>,
}

/// Where a passage in another language starts in a document's body, or
/// where the page's own language resumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageRun {
    /// The position (from 0) of the body word it starts at.
    pub word: u32,
    /// Its language, a tag (`fr`, `pt-BR`); empty for the page's own.
    pub language: String,
}

/// Whether a link (a document's `url`, an `image`) is relative to the site,
/// to be resolved against where its root is served: not a root path (`/…`)
/// nor a URL with a scheme (`https:`, `mailto:`).
pub fn is_site_relative(url: &str) -> bool {
    !url.starts_with('/')
        && !url
            .split_once(':')
            .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '?', '#']))
}

/// A section of a document's body, as the corpus reader finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The position (from 0) of the body word its heading starts at.
    pub word: u32,
    /// Its heading, on one line.
    pub title: String,
    /// What a link to it adds to the document's URL: `#id`, or a text
    /// fragment (`#:~:text=…`) where the heading has no id. Empty for the
    /// page's opening (after an HTML page's own `h1`): hits there link to
    /// the page itself.
    pub anchor: String,
}

/// A section in the index (see [`Section`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionRef<'a> {
    pub word: u32,
    pub title: &'a str,
    pub anchor: &'a str,
}

/// `sections` as the index keeps them: strictly increasing, each before
/// the body's end (`body_len` words); any other is left out.
#[cfg(feature = "build")]
pub(crate) fn section_refs(sections: &[Section], body_len: u32) -> Vec<SectionRef<'_>> {
    let mut kept: Vec<SectionRef<'_>> = Vec::with_capacity(sections.len());
    for section in sections {
        if section.word < body_len && kept.last().is_none_or(|last| last.word < section.word) {
            kept.push(SectionRef {
                word: section.word,
                title: &section.title,
                anchor: &section.anchor,
            });
        }
    }
    kept
}

/// The body words of each section's heading, as `[start, end)` word
/// positions, increasing: the heading's words start the section (the corpus
/// reader puts a heading's text in the body where the section starts), as
/// many as its title has, never past the next section. The page's opening
/// (no title) has none.
#[cfg(feature = "build")]
pub(crate) fn heading_spans(sections: &[SectionRef<'_>], body_len: u32) -> Vec<(u32, u32)> {
    sections
        .iter()
        .enumerate()
        .filter(|(_, section)| !section.title.is_empty())
        .map(|(i, section)| {
            let next = sections.get(i + 1).map_or(body_len, |s| s.word);
            let words = crate::analysis::word_spans(section.title).count() as u32;
            (section.word, section.word.saturating_add(words).min(next))
        })
        .collect()
}

/// For each of [`heading_spans`], how many of its words name what the
/// section is about: those before the heading's first bracket, where there
/// are some (`print(*objects, sep=' ')`, `work_mem (integer)`: a signature's
/// parameters, a setting's type), else all of them. A query that is these
/// words is the heading's name (`search.rs`, `leads`).
#[cfg(feature = "build")]
pub(crate) fn heading_name_lengths(sections: &[SectionRef<'_>], spans: &[(u32, u32)]) -> Vec<u32> {
    sections
        .iter()
        .filter(|section| !section.title.is_empty())
        .zip(spans)
        .map(|(section, &(start, end))| {
            let name = section.title.split(['(', '[']).next().unwrap_or_default();
            match crate::analysis::word_spans(name).count() as u32 {
                0 => end - start,
                words => words.min(end - start),
            }
        })
        .collect()
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
            sections: Vec::new(),
            meta: Vec::new(),
            filters: Vec::new(),
            sort: Vec::new(),
            language: String::new(),
            language_runs: Vec::new(),
            link_lines: Vec::new(),
        }
    }
}

/// `meta` as the index keeps it: each key once (its first value), neither empty.
#[cfg(feature = "build")]
pub(crate) fn meta_refs(meta: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut kept: Vec<(&str, &str)> = Vec::with_capacity(meta.len());
    for (key, value) in meta {
        if !key.is_empty() && !value.is_empty() && kept.iter().all(|(k, _)| k != key) {
            kept.push((key, value));
        }
    }
    kept
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
    /// Its sections, in order (empty in a sharded index's core: its text
    /// blocks carry them).
    pub sections: Vec<SectionRef<'a>>,
    /// Its metadata ([`SourceDocument::meta`]); in a sharded index's core,
    /// empty until a block of its text arrives. Only with the `facets` feature.
    #[cfg(feature = "facets")]
    pub meta: Vec<(&'a str, &'a str)>,
}

/// One document's occurrences of one term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub doc: u32,
    pub counts: PostingCounts,
    /// Where this posting's positions start in [`Index::positions`]: first the
    /// `title_tf` title positions, then the `body_tf` body positions, then the
    /// `heading_tf` of those in headings, each increasing; then, for each of
    /// those, the length in words of the name of the heading it starts
    /// ([`heading_name_lengths`]), or 0 where it is not a heading's first
    /// word ([`Index::heading_lengths_of`]).
    pub positions_start: u32,
}

/// A document's occurrences of a term (or a phrase), by where they are: what
/// BM25F scores ([`crate::Bm25fParams::score_counts`]), and what a posting's
/// head stores after its document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct PostingCounts {
    pub title_tf: u32,
    pub body_tf: u32,
    /// How many of the `body_tf` body occurrences are in a section's
    /// heading ([`heading_spans`]): scored again, as a field of their own.
    pub heading_tf: u32,
    /// How many of the `body_tf` body occurrences are in lines that only
    /// link to other pages ([`SourceDocument::link_lines`]): scored less.
    pub link_tf: u32,
}

/// What the index knows of a term besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TermInfo {
    pub doc_freq: u32,
    /// Where the term's postings start in [`Index::postings`] (`doc_freq` of
    /// them), or [`NOT_DECODED`] while its postings shard has not arrived.
    pub postings_start: u32,
    /// Sharded: the postings shard that holds the term, and its bytes there.
    pub shard: u32,
    pub offset: u32,
    pub len: u32,
}

/// [`TermInfo::postings_start`] of a term whose postings are not in memory yet.
pub(crate) const NOT_DECODED: u32 = u32::MAX;

/// A searchable index. Build one with [`IndexBuilder`], decode one with
/// [`crate::format::decode`], or open a sharded one with
/// [`Index::open_sharded`](crate::shards) and hand it shards as it asks.
#[derive(Debug, PartialEq)]
pub struct Index<'a> {
    pub(crate) documents: Vec<DocumentRecord<'a>>,
    /// Byte offsets of every [`CHECKPOINT_INTERVAL`]-th body word, per document.
    pub(crate) checkpoints: Vec<u32>,
    pub(crate) terms: Terms,
    /// Parallel to `terms`.
    pub(crate) term_info: Vec<TermInfo>,
    pub(crate) postings: Vec<Posting>,
    pub(crate) positions: Vec<u32>,
    /// Derived at construction, not stored.
    pub(crate) avg_title_len: f32,
    pub(crate) avg_body_len: f32,
    /// Document vectors of the latent semantic index (`semantic.rs`); none
    /// for a corpus too small to learn them from.
    pub(crate) semantic: Option<crate::semantic::Semantic>,
    /// The filters and sort keys (`facets.rs`); empty for a site without.
    #[cfg(feature = "facets")]
    pub(crate) facets: std::sync::Arc<crate::facets::Facets>,
    /// What a sharded index has loaded and what its searches found missing;
    /// None when everything is in memory.
    pub(crate) sharding: Option<crate::shards::Sharding<'a>>,
    /// The languages whose stemmers its pages were stemmed with (codes,
    /// [`crate::analysis::stemmer_language`]), the most pages' first; empty
    /// when every page was stemmed as English. A query is read in each
    /// ([`Index::parse_query`]).
    pub(crate) languages: Vec<String>,
    /// Parallel to `languages`: each one's stop words, folded and sorted
    /// (empty for English, whose list is built in). A query's stop words
    /// are those of the languages it is read in.
    #[cfg(feature = "languages")]
    pub(crate) stop_words: Vec<std::sync::Arc<[String]>>,
}

impl<'a> Index<'a> {
    /// Assembles an index from its parts and derives the averages BM25F needs.
    /// `term_starts` has one more entry than `terms`: term `t`'s postings are
    /// `postings[term_starts[t]..term_starts[t + 1]]`.
    pub(crate) fn from_parts(
        documents: Vec<DocumentRecord<'a>>,
        checkpoints: Vec<u32>,
        terms: Terms,
        term_starts: Vec<u32>,
        postings: Vec<Posting>,
        positions: Vec<u32>,
    ) -> Self {
        let term_info = term_starts
            .windows(2)
            .map(|w| TermInfo {
                doc_freq: w[1] - w[0],
                postings_start: w[0],
                shard: 0,
                offset: 0,
                len: 0,
            })
            .collect();
        let mut index = Index {
            documents,
            checkpoints,
            terms,
            term_info,
            postings,
            positions,
            avg_title_len: 0.0,
            avg_body_len: 0.0,
            semantic: None,
            #[cfg(feature = "facets")]
            facets: Default::default(),
            sharding: None,
            languages: Vec::new(),
            #[cfg(feature = "languages")]
            stop_words: Vec::new(),
        };
        index.derive_averages();
        index
    }

    pub(crate) fn derive_averages(&mut self) {
        let count = self.documents.len().max(1) as f32;
        self.avg_title_len = self
            .documents
            .iter()
            .map(|d| d.title_len as f32)
            .sum::<f32>()
            / count;
        self.avg_body_len = self
            .documents
            .iter()
            .map(|d| d.body_len as f32)
            .sum::<f32>()
            / count;
    }

    /// The languages whose stemmers its pages were stemmed with (codes), the
    /// most pages' first; empty when every page was stemmed as English (as
    /// pages in English, Chinese, Japanese, Korean, Thai, Polish … are).
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// The documents, in index order (sorted by id). In a sharded index, the
    /// id, title, URL and text of a document whose shard has not arrived are empty.
    pub fn documents(&self) -> &[DocumentRecord<'a>] {
        &self.documents
    }

    /// The number of distinct terms (in memory: in a sharded index, those
    /// of the dictionary shards that have arrived).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Bytes of the titles and bodies held (as stored: whitespace runs made
    /// one space). The embedded encoding holds them verbatim, so it is at
    /// least this long.
    pub fn text_bytes(&self) -> usize {
        self.documents
            .iter()
            .map(|d| d.title.len() + d.body.len())
            .sum()
    }

    pub(crate) fn term_id(&self, term: &str) -> Option<usize> {
        self.terms.id(term)
    }

    /// The ids of the terms that start with `prefix`: a contiguous range, since terms are sorted.
    /// The terms that start with `prefix`, hyphenated compounds aside
    /// (`analysis::COMPOUND_MARK`: they are found by exact lookup only).
    pub(crate) fn terms_with_prefix(&self, prefix: &str) -> impl Iterator<Item = usize> + '_ {
        self.terms
            .with_prefix(prefix)
            .filter(|&id| !self.terms.get(id).ends_with(crate::analysis::COMPOUND_MARK))
    }

    /// Term `term_id`'s postings; none (and the shard noted as missing) while
    /// its postings shard has not arrived.
    pub(crate) fn postings_of(&self, term_id: usize) -> &[Posting] {
        let info = &self.term_info[term_id];
        if info.postings_start == NOT_DECODED {
            if let Some(sharding) = self.sharding() {
                sharding.want_postings(info);
            }
            return &[];
        }
        let start = info.postings_start as usize;
        &self.postings[start..start + info.doc_freq as usize]
    }

    pub(crate) fn doc_freq(&self, term_id: usize) -> u32 {
        self.term_info[term_id].doc_freq
    }

    pub(crate) fn positions_of(&self, posting: &Posting, field: Field) -> &[u32] {
        let start = posting.positions_start as usize;
        let title_end = start + posting.counts.title_tf as usize;
        match field {
            Field::Title => &self.positions[start..title_end],
            Field::Body => &self.positions[title_end..title_end + posting.counts.body_tf as usize],
        }
    }

    /// The posting's body positions that are in a section's heading.
    pub(crate) fn heading_positions_of(&self, posting: &Posting) -> &[u32] {
        let start =
            (posting.positions_start + posting.counts.title_tf + posting.counts.body_tf) as usize;
        &self.positions[start..start + posting.counts.heading_tf as usize]
    }

    /// For each of [`Self::heading_positions_of`], the length in words of
    /// the name of the heading whose first word it is ([`heading_name_lengths`]),
    /// or 0 where it is not a heading's first word: what tells a section
    /// named for the query (`search.rs`, `leads`).
    pub(crate) fn heading_lengths_of(&self, posting: &Posting) -> &[u32] {
        let heading_tf = posting.counts.heading_tf as usize;
        let start = (posting.positions_start + posting.counts.title_tf + posting.counts.body_tf)
            as usize
            + heading_tf;
        &self.positions[start..start + heading_tf]
    }

    pub(crate) fn checkpoints_of(&self, doc: &DocumentRecord<'a>) -> &[u32] {
        let start = doc.checkpoints_start as usize;
        &self.checkpoints[start..start + checkpoint_count(doc.body_len)]
    }

    /// A sharded index's bookkeeping; None when everything is in memory.
    /// An engine built without the `sharded` feature (the embedded modules)
    /// opens no sharded index, and says so to the compiler here: every
    /// branch a search takes for a sharded index leaves those modules.
    #[inline(always)]
    pub(crate) fn sharding(&self) -> Option<&crate::shards::Sharding<'a>> {
        if cfg!(feature = "sharded") {
            self.sharding.as_ref()
        } else {
            None
        }
    }

    /// The filters and sort keys, when the index has some. An engine built
    /// without the `facets` feature has none: its decode refuses an index
    /// with any.
    #[cfg(feature = "facets")]
    pub(crate) fn facets(&self) -> Option<&std::sync::Arc<crate::facets::Facets>> {
        Some(&self.facets).filter(|facets| !facets.is_empty())
    }

    /// The index's filters and sort keys (empty when it has none).
    #[cfg(feature = "facets")]
    pub fn facets_of(&self) -> &crate::facets::Facets {
        &self.facets
    }

    /// The filter that narrows a search to the pages in `tag`'s language,
    /// on a site in several languages that has some ([`crate::facets::LANGUAGE_KEY`]).
    #[cfg(feature = "facets")]
    pub fn language_filter(&self, tag: &str) -> Option<crate::Filter> {
        self.facets.language_filter(tag)
    }

    /// Whether some document has metadata, filter or sort values: only an
    /// engine with the `facets` feature reads such an index.
    #[cfg(feature = "facets")]
    pub fn has_page_facts(&self) -> bool {
        !self.facets.is_empty() || self.documents.iter().any(|d| !d.meta.is_empty())
    }

    /// Whether document `doc`'s text has arrived (always, unless sharded);
    /// if not, its shard is noted as missing.
    pub(crate) fn has_text(&self, doc: u32) -> bool {
        self.sharding()
            .is_none_or(|sharding| sharding.has_document(doc))
    }

    /// Whether the terms that start with `word`'s first byte are all in
    /// memory (always, unless sharded); if not, their dictionary shards are
    /// noted as missing. Every lookup of a word (exact, prefix, typos, stems
    /// it has grown past) stays within its first byte's terms.
    pub(crate) fn has_terms_for(&self, word: &str) -> bool {
        self.sharding()
            .is_none_or(|sharding| sharding.has_terms_for(word))
    }

    /// Notes every vector shard as missing if the index is sharded and its
    /// vectors are few bytes (`shards.rs`).
    pub(crate) fn want_vectors_at_once(&self) {
        if self.semantic.is_some() {
            if let Some(sharding) = self.sharding() {
                sharding.want_vectors_at_once();
            }
        }
    }

    /// Whether something a search needed was missing: its results are not
    /// final, and the missing shards say what to fetch.
    pub(crate) fn incomplete(&self) -> bool {
        self.sharding().is_some_and(|s| s.has_misses())
    }
}

/// How many checkpoints a body of `body_len` words has.
pub(crate) fn checkpoint_count(body_len: u32) -> usize {
    body_len.div_ceil(CHECKPOINT_INTERVAL) as usize
}

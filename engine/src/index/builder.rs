use std::collections::HashMap;
use std::io::{self, Write};

use super::{
    heading_name_lengths, heading_spans, meta_refs, section_refs, DocumentRecord, Field, Index,
    LanguageRun, PostingCounts, SourceDocument, Terms, CHECKPOINT_INTERVAL,
};
use crate::analysis::{
    compound_term, fold_into, joins_compound, language_code, one_line, stemmer_language,
    word_spans, Analyzer, COMPOUND_MARK, DEFAULT_LANGUAGE,
};
use crate::format::{put_counts, put_deltas, put_varint, read_postings, Reader};

/// Analyses documents into an [`Index`]. Indexing only (the `build` feature).
///
/// Documents are ordered by id whatever order they are added in, and terms are
/// sorted before the index is made, so the same documents always give the
/// same index and the same encoded bytes.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    documents: Vec<SourceDocument>,
    text_bytes: usize,
}

/// One term's postings while documents are added, already in the encoding
/// of a postings shard (`format::write_postings`): per document the
/// difference from the previous document, the title and body frequencies,
/// then the positions as differences. A few bytes per document and term,
/// where a list of documents each with two position vectors took about a
/// hundred: the builder's memory is the encoded index, not a multiple of the text.
///
/// The streaming build (`streaming.rs`) spills `heads` and `positions` to a
/// run and empties them, keeping `doc_freq` and `last_doc`: the next
/// document's difference is then from the last one spilled, so a term's
/// parts, runs in order and then what is left, concatenate into its postings.
#[derive(Default)]
pub(crate) struct TermPostings {
    pub doc_freq: u32,
    last_doc: u32,
    pub heads: Vec<u8>,
    pub positions: Vec<u8>,
}

/// One language's analyzer, and its memo of stems.
struct LanguageTerms {
    code: String,
    analyzer: Analyzer,
    /// A folded word's term id: each distinct word is stemmed once (stemming
    /// every occurrence was a fifth of indexing a real manual).
    by_folded: HashMap<String, u32>,
    /// A word with marks' term ids, in a language whose stemmer reads them
    /// (`Analyzer::marked_terms`): its own, and its unmarked spelling's.
    by_word: HashMap<String, (u32, Option<u32>)>,
    /// A word of a passage in this language, on a page in another: the
    /// terms this language stems it to, held as compounds are
    /// ([`TermTable::add_text`]).
    in_passages: HashMap<String, (u32, Option<u32>)>,
    documents: u32,
    /// Words met in passages in this language on pages in another.
    passage_words: u32,
}

/// Words a language's passages must hold, across a site whose pages are in
/// other languages, before its queries are read in it too (and the site's
/// module carries its stemmer, about 48 KB gzipped for all of them): a few
/// paragraphs. A phrase or two in another language (`déjà vu`) is found
/// as the page's language stems it, as every word of it always is.
pub const PASSAGE_LANGUAGE_MIN_WORDS: u32 = 100;

/// The terms met so far, in the order they were met, with their postings.
#[derive(Default)]
pub(crate) struct TermTable {
    /// The languages met so far, and the one of the document being added.
    languages: Vec<LanguageTerms>,
    language: usize,
    /// The language of the passage the words being added are in, when its
    /// stemmer is not the page's.
    passage: Option<usize>,
    /// A term's id, for words that stem alike.
    by_term: HashMap<String, u32>,
    pub texts: Vec<String>,
    pub postings: Vec<TermPostings>,
    /// Bytes of postings held (heads and positions), for the streaming
    /// build's memory budget.
    pub held_bytes: usize,
    /// Per term, whether it is a word of the text, not a hyphenated
    /// compound joined (`analysis::COMPOUND_MARK`). Only those teach the
    /// semantic vectors: a joined compound repeats what its parts say.
    pub plain: Vec<bool>,
    /// The document being added: its terms in the order met, and each one's
    /// title and body positions (reused from document to document).
    in_document: Vec<u32>,
    slot_of_term: HashMap<u32, usize>,
    title_positions: Vec<Vec<u32>>,
    body_positions: Vec<Vec<u32>>,
    /// Reused per posting: which of its body positions are in link lines,
    /// then which are in headings (the ones stored).
    span_ordinals: Vec<u32>,
    /// Reused per posting: [`heading_lengths`] of its heading positions.
    heading_lengths: Vec<u32>,
}

impl TermTable {
    /// Makes `tag` (a page's language) the one the next words are stemmed in.
    fn set_language(&mut self, tag: &str) {
        self.language = self.language_slot(tag);
        self.passage = None;
        self.languages[self.language].documents += 1;
    }

    /// Makes `tag` the language of the passage the next body words are in
    /// (empty: the page's own again).
    fn set_passage(&mut self, tag: &str) {
        self.passage = if tag.is_empty() {
            None
        } else {
            Some(self.language_slot(tag)).filter(|&slot| slot != self.language)
        };
    }

    /// The slot of the stemmer of `tag`'s language, a new one if none was met.
    fn language_slot(&mut self, tag: &str) -> usize {
        // By stemmer: Japanese pages are stemmed as English ones are.
        let code = stemmer_language(&language_code(tag)).to_owned();
        match self.languages.iter().position(|l| l.code == code) {
            Some(slot) => slot,
            None => {
                self.languages.push(LanguageTerms {
                    // Indexing carries every stemmer (`build` has `languages`).
                    analyzer: Analyzer::for_language(&code).unwrap_or_default(),
                    code,
                    by_folded: HashMap::new(),
                    by_word: HashMap::new(),
                    in_passages: HashMap::new(),
                    documents: 0,
                    passage_words: 0,
                });
                self.languages.len() - 1
            }
        }
    }

    /// The languages whose stemmers the documents added were stemmed with
    /// ([`stemmer_language`]), or whose passages hold
    /// [`PASSAGE_LANGUAGE_MIN_WORDS`], the most documents' first (ties by
    /// code); none when every one was stemmed as English.
    pub fn languages(&self) -> Vec<String> {
        let mut languages: Vec<&LanguageTerms> = self
            .languages
            .iter()
            .filter(|l| l.documents > 0 || l.passage_words >= PASSAGE_LANGUAGE_MIN_WORDS)
            .collect();
        languages.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| a.code.cmp(&b.code))
        });
        if languages.iter().all(|l| l.code == DEFAULT_LANGUAGE) {
            return Vec::new();
        }
        languages.iter().map(|l| l.code.clone()).collect()
    }

    /// Adds the words of `text` (a title or a body of the document being
    /// added) as [`Analyzer::tokens`] analyses them, memoised, those of
    /// `runs`' passages in another language also as it stems them:
    /// `at_word(position, byte offset)` sees each word. Returns the number of words.
    fn add_text(
        &mut self,
        text: &str,
        field: Field,
        mut runs: &[LanguageRun],
        mut at_word: impl FnMut(u32, usize),
    ) -> u32 {
        let mut folded = String::new();
        let mut count = 0;
        // A run of words joined by hyphens: its first position, where it
        // ends in the text, and its words joined.
        let mut compound: Option<(u32, usize, String)> = None;
        let mut parts = 0;
        for (position, (start, word)) in word_spans(text).enumerate() {
            let position = position as u32;
            while let Some((run, rest)) = runs.split_first().filter(|(r, _)| r.word <= position) {
                self.set_passage(&run.language);
                runs = rest;
            }
            at_word(position, start);
            folded.clear();
            fold_into(word, &mut folded);
            match &mut compound {
                Some((_, end, joined)) if joins_compound(&text[*end..start]) => {
                    joined.push_str(&folded);
                    *end = start + word.len();
                    parts += 1;
                }
                _ => {
                    if let Some((first, _, joined)) = compound.take().filter(|_| parts > 1) {
                        self.add_compound(joined, first, field);
                    }
                    compound = Some((position, start + word.len(), folded.clone()));
                    parts = 1;
                }
            }
            self.add_word(word, &folded, position, field);
            // A word of a passage in another language is also held as that
            // language stems it, marked as a compound is (found by exact
            // lookup): a query read in it finds the word's other forms
            // (`aplicação` for `aplicações`) where the page's stemmer would
            // not, and the page's words stay what they were.
            if let Some(passage) = self.passage {
                self.languages[passage].passage_words += 1;
                self.add_stemmed_word(passage, word, &folded, position, field, true);
            }
            // A dotted name (`PurePath.as_posix`, `errno.ECHRNG`) is one
            // word, and each of its parts a word a visitor types. The last
            // is the name itself (an API reference defines `ECHRNG` as
            // `errno.ECHRNG`): a word of the text. The ones before it
            // qualify it: held as compounds are, found by exact lookup.
            if folded.contains('.') {
                for (i, part) in folded.rsplit('.').enumerate().filter(|(_, p)| p.len() > 1) {
                    if i == 0 && !part.starts_with(|c: char| c.is_ascii_digit()) {
                        self.add_term(part, position, field, true);
                    } else {
                        self.add_compound(part.to_owned(), position, field);
                    }
                }
            }
            // A snake_case name (`work_mem`, `GLOB_DOTS`) is one word too;
            // written together (`globdots`, as Zsh reads its options) or
            // spaced (`work mem`, a pair a query joins), it is the same
            // name: held joined, as a hyphenated compound is.
            if folded.contains('_') {
                let parts = folded.split('_').filter(|part| !part.is_empty());
                if parts.clone().nth(1).is_some() {
                    self.add_compound(parts.collect(), position, field);
                }
            }
            count = position + 1;
        }
        if let Some((first, _, joined)) = compound.filter(|_| parts > 1) {
            self.add_compound(joined, first, field);
        }
        self.passage = None;
        count
    }

    /// Adds `folded`, the words of a hyphenated compound joined or a dotted
    /// name's part, as a compound term at `position`: marked, so that it is
    /// never the plain word's entry.
    fn add_compound(&mut self, mut folded: String, position: u32, field: Field) {
        folded.push(COMPOUND_MARK);
        self.add_term(&folded, position, field, false);
    }

    /// Adds a word of the text (`word` as written, `folded` its folded
    /// spelling) at `position`. In a language whose stemmer reads marks, a
    /// word with some gets the term its marks make (`aplicações` → `aplic`)
    /// and, held as compounds are, the one its unmarked spelling stems to
    /// (`Analyzer::marked_terms`).
    fn add_word(&mut self, word: &str, folded: &str, position: u32, field: Field) {
        if !self.languages[self.language].analyzer.reads_marks() || word.is_ascii() {
            return self.add_term(folded, position, field, true);
        }
        self.add_stemmed_word(self.language, word, folded, position, field, false);
    }

    /// Adds `word` (`folded` its folded spelling) at `position` as the
    /// language of `slot` stems it: its term ([`Analyzer::marked_terms`] where
    /// the stemmer reads marks), and, held as a compound is, its unmarked
    /// spelling's. A word of a `passage` in that language holds both marked.
    fn add_stemmed_word(
        &mut self,
        slot: usize,
        word: &str,
        folded: &str,
        position: u32,
        field: Field,
        passage: bool,
    ) {
        let language = &self.languages[slot];
        let memo = if passage {
            &language.in_passages
        } else {
            &language.by_word
        };
        let (id, unmarked) = match memo.get(word) {
            Some(&ids) => ids,
            None => {
                let analyzer = &language.analyzer;
                let (term, unmarked) = if analyzer.reads_marks() && !word.is_ascii() {
                    analyzer.marked_terms(word, folded)
                } else {
                    (analyzer.stem_folded(folded), None)
                };
                let id = self.term_id(if passage { compound_term(&term) } else { term });
                let unmarked = unmarked.map(|unmarked| self.term_id(compound_term(&unmarked)));
                let language = &mut self.languages[slot];
                let memo = if passage {
                    &mut language.in_passages
                } else {
                    &mut language.by_word
                };
                memo.insert(word.to_owned(), (id, unmarked));
                (id, unmarked)
            }
        };
        self.occurs(id, position, field, !passage);
        if let Some(unmarked) = unmarked {
            self.occurs(unmarked, position, field, false);
        }
    }

    /// The id of `term`, a new one if it was not met before.
    fn term_id(&mut self, term: String) -> u32 {
        let next = self.texts.len() as u32;
        let id = *self.by_term.entry(term.clone()).or_insert(next);
        if id == next {
            self.texts.push(term);
            self.postings.push(TermPostings::default());
            self.plain.push(false);
        }
        id
    }

    /// Adds one occurrence of the folded word `folded` at `position`:
    /// `plain` a word of the text, otherwise a compound ([`Self::add_compound`]).
    fn add_term(&mut self, folded: &str, position: u32, field: Field, plain: bool) {
        let language = &mut self.languages[self.language];
        let id = match language.by_folded.get(folded) {
            Some(&id) => id,
            None => {
                let mut term = language
                    .analyzer
                    .stem_folded(folded.trim_end_matches(COMPOUND_MARK));
                if !plain {
                    term.push(COMPOUND_MARK);
                }
                let id = self.term_id(term);
                self.languages[self.language]
                    .by_folded
                    .insert(folded.to_string(), id);
                id
            }
        };
        self.occurs(id, position, field, plain);
    }

    /// Term `id` occurs at `position` of `field` in the document being
    /// added: `plain` a word of the text, otherwise a compound.
    fn occurs(&mut self, id: u32, position: u32, field: Field, plain: bool) {
        {
            self.plain[id as usize] = plain;
            let slot = *self.slot_of_term.entry(id).or_insert_with(|| {
                self.in_document.push(id);
                let slot = self.in_document.len() - 1;
                if slot == self.title_positions.len() {
                    self.title_positions.push(Vec::new());
                    self.body_positions.push(Vec::new());
                }
                slot
            });
            let positions = match field {
                Field::Title => &mut self.title_positions[slot],
                Field::Body => &mut self.body_positions[slot],
            };
            // A compound's joined word comes after its first part's
            // position is taken; positions stay in order, each once.
            if positions.last().is_none_or(|&last| last < position) {
                positions.push(position);
            }
        }
    }

    /// Analyses `source` as document `doc` (its title and body already on
    /// one line, as [`IndexBuilder::add`] stores them) into its terms'
    /// postings; `checkpoints` gets the byte offset of every
    /// [`CHECKPOINT_INTERVAL`]-th body word.
    pub fn add_document(
        &mut self,
        doc: u32,
        source: &SourceDocument,
        checkpoints: &mut Vec<u32>,
    ) -> DocumentStats {
        self.set_language(&source.language);
        let title_len = self.add_text(&source.title, Field::Title, &[], |_, _| {});
        let checkpoints_start = checkpoints.len() as u32;
        let runs = ordered_runs(&source.language_runs);
        let body_len = self.add_text(&source.body, Field::Body, &runs, |position, start| {
            if position % CHECKPOINT_INTERVAL == 0 {
                checkpoints.push(start as u32);
            }
        });
        let sections = section_refs(&source.sections, body_len);
        let headings = heading_spans(&sections, body_len);
        let names = heading_name_lengths(&sections, &headings);
        let link_lines = ordered_spans(&source.link_lines, body_len);
        self.finish_document(doc, &headings, &names, &link_lines);
        DocumentStats {
            title_len,
            body_len,
            checkpoints_start,
        }
    }

    /// Term ids in the order of their texts: the dictionary's order.
    pub fn sorted_ids(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.texts.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| self.texts[a as usize].cmp(&self.texts[b as usize]));
        order
    }

    /// Writes the postings held to `run` in term order (per term with any:
    /// its id, the byte lengths of its heads and positions, then them) and
    /// lets go of them. `order` is [`Self::sorted_ids`].
    pub fn spill(&mut self, order: &[u32], run: &mut dyn Write) -> io::Result<()> {
        let mut head = Vec::new();
        for &id in order {
            let term = &mut self.postings[id as usize];
            if term.heads.is_empty() {
                continue;
            }
            head.clear();
            put_varint(&mut head, id);
            put_varint(&mut head, term.heads.len() as u32);
            put_varint(&mut head, term.positions.len() as u32);
            run.write_all(&head)?;
            run.write_all(&term.heads)?;
            run.write_all(&term.positions)?;
            term.heads = Vec::new();
            term.positions = Vec::new();
        }
        self.held_bytes = 0;
        Ok(())
    }

    /// Appends the document just analysed to its terms' postings;
    /// `headings` are its sections' headings ([`heading_spans`]), `names`
    /// their names' lengths ([`heading_name_lengths`]), and `link_lines` its
    /// lines that only link to other pages, as word spans.
    fn finish_document(
        &mut self,
        doc: u32,
        headings: &[(u32, u32)],
        names: &[u32],
        link_lines: &[(u32, u32)],
    ) {
        for (slot, &id) in self.in_document.iter().enumerate() {
            let term = &mut self.postings[id as usize];
            let held = term.heads.len() + term.positions.len();
            let (title, body) = (
                &mut self.title_positions[slot],
                &mut self.body_positions[slot],
            );
            in_spans(body, link_lines, &mut self.span_ordinals);
            let link_tf = self.span_ordinals.len() as u32;
            in_spans(body, headings, &mut self.span_ordinals);
            heading_lengths(
                body,
                headings,
                names,
                &self.span_ordinals,
                &mut self.heading_lengths,
            );
            put_varint(&mut term.heads, doc - term.last_doc);
            put_counts(
                &mut term.heads,
                &PostingCounts {
                    title_tf: title.len() as u32,
                    body_tf: body.len() as u32,
                    heading_tf: self.span_ordinals.len() as u32,
                    link_tf,
                },
            );
            put_deltas(&mut term.positions, title);
            put_deltas(&mut term.positions, body);
            put_deltas(&mut term.positions, &self.span_ordinals);
            for &length in &self.heading_lengths {
                put_varint(&mut term.positions, length);
            }
            term.doc_freq += 1;
            term.last_doc = doc;
            self.held_bytes += term.heads.len() + term.positions.len() - held;
            title.clear();
            body.clear();
        }
        self.in_document.clear();
        self.slot_of_term.clear();
    }
}

/// `runs` as the builder reads them: in order of their words, the last of
/// runs at the same word (an empty passage changes nothing), the ones out
/// of order left out.
fn ordered_runs(runs: &[LanguageRun]) -> Vec<LanguageRun> {
    let mut kept: Vec<LanguageRun> = Vec::with_capacity(runs.len());
    for run in runs {
        match kept.last_mut() {
            Some(last) if last.word == run.word => *last = run.clone(),
            Some(last) if last.word > run.word => {}
            _ => kept.push(run.clone()),
        }
    }
    kept
}

/// `spans` (`[start, end)` words) as the builder reads them: increasing and
/// not overlapping, non-empty, within the body's `body_len` words; the others
/// left out.
fn ordered_spans(spans: &[(u32, u32)], body_len: u32) -> Vec<(u32, u32)> {
    let mut kept: Vec<(u32, u32)> = Vec::with_capacity(spans.len());
    for &(start, end) in spans {
        let end = end.min(body_len);
        if start < end && kept.last().is_none_or(|&(_, last_end)| last_end <= start) {
            kept.push((start, end));
        }
    }
    kept
}

/// Which of `positions` (increasing) are inside one of `spans` (increasing,
/// not overlapping), by their index in `positions`, into `ordinals`: one
/// walk of both.
fn in_spans(positions: &[u32], spans: &[(u32, u32)], ordinals: &mut Vec<u32>) {
    ordinals.clear();
    let mut spans = spans.iter().peekable();
    for (ordinal, &position) in positions.iter().enumerate() {
        while spans.next_if(|&&(_, end)| end <= position).is_some() {}
        match spans.peek() {
            Some(&&(start, _)) if start <= position => ordinals.push(ordinal as u32),
            Some(_) => {}
            None => break,
        }
    }
}

/// For each of `positions` (increasing) picked by `ordinals` (from
/// [`in_spans`] over `headings`), the length of the name (`names`) of the
/// heading whose first word it is, or 0 where it is not a heading's first
/// word, into `lengths`.
fn heading_lengths(
    positions: &[u32],
    headings: &[(u32, u32)],
    names: &[u32],
    ordinals: &[u32],
    lengths: &mut Vec<u32>,
) {
    lengths.clear();
    let mut headings = headings.iter().zip(names).peekable();
    for &ordinal in ordinals {
        let position = positions[ordinal as usize];
        while headings
            .next_if(|&(&(_, end), _)| end <= position)
            .is_some()
        {}
        lengths.push(match headings.peek() {
            Some(&(&(start, _), &name)) if start == position => name,
            _ => 0,
        });
    }
}

/// What analysis learns about one document besides its terms.
pub(crate) struct DocumentStats {
    pub title_len: u32,
    pub body_len: u32,
    pub checkpoints_start: u32,
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
        for section in &mut document.sections {
            section.title = one_line(&section.title);
        }
        self.text_bytes += document.title.len() + document.body.len();
        self.documents.push(document);
    }

    /// Bytes of title and body text added, as stored ([`Index::text_bytes`]
    /// of the index it will build).
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// The documents added, in the order they were added.
    pub fn into_documents(self) -> Vec<SourceDocument> {
        self.documents
    }

    /// Analyses every document. The index borrows the documents' text.
    pub fn build(&mut self) -> Index<'_> {
        self.documents.sort_by(|a, b| a.id.cmp(&b.id));
        let mut terms = TermTable::default();
        let mut stats = Vec::with_capacity(self.documents.len());
        let mut checkpoints = Vec::new();
        for (doc, source) in self.documents.iter().enumerate() {
            stats.push(terms.add_document(doc as u32, source, &mut checkpoints));
        }

        let documents: Vec<DocumentRecord<'_>> = self
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
                sections: section_refs(&source.sections, stats.body_len),
                meta: meta_refs(&source.meta),
            })
            .collect();
        let mut facets = crate::facets::FacetsBuilder::default();
        for source in &self.documents {
            facets.add(&source.filters, &source.sort, &source.language);
        }

        // Terms in sorted order, each with its postings (already in document
        // order), decoded by the reader that decodes a stored index.
        let order = terms.sorted_ids();
        let plain: Vec<bool> = order.iter().map(|&id| terms.plain[id as usize]).collect();
        let mut term_starts = Vec::with_capacity(order.len() + 1);
        let mut postings = Vec::new();
        let mut positions = Vec::new();
        let mut term_list = Terms::default();
        term_starts.push(0);
        for &id in &order {
            term_list.push(&terms.texts[id as usize]);
            let term = std::mem::take(&mut terms.postings[id as usize]);
            read_postings(
                &mut Reader::new(&term.heads, 0),
                &mut Reader::new(&term.positions, 0),
                term.doc_freq as usize,
                &documents,
                &mut postings,
                &mut positions,
            )
            .expect("the builder's own postings decode");
            term_starts.push(postings.len() as u32);
        }
        let languages = terms.languages();
        drop(terms);
        let terms = term_list;

        let mut index = Index::from_parts(
            documents,
            checkpoints,
            terms,
            term_starts,
            postings,
            positions,
        );
        index.facets = std::sync::Arc::new(facets.finish());
        index.stop_words = languages
            .iter()
            .map(|code| crate::analysis::stop_words_of(code).into())
            .collect();
        index.languages = languages;
        index.semantic = crate::semantic::learn(
            index.documents.len(),
            (0..index.terms.len())
                .filter(|&term| plain[term])
                .map(|term| {
                    index
                        .postings_of(term)
                        .iter()
                        .map(|p| (p.doc, p.counts.title_tf, p.counts.body_tf))
                }),
        );
        index
    }
}

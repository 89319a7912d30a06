//! What a visitor typed, as clauses to match.
//!
//! Words are analysed by the same [`Analyzer`](crate::Analyzer) as the
//! documents. On top of plain words, a query understands:
//!
//! | syntax                 | meaning                                                    |
//! |------------------------|------------------------------------------------------------|
//! | `labour movement`      | documents with both words rank first; either word matches   |
//! | `"labour movement"`    | the words adjacent and in this order (a phrase)            |
//! | `-word`, `-"a phrase"` | leave out documents that contain the word or phrase        |
//! | `labour OR labor`      | either word meets the clause (`OR` in capitals, in a query |
//! |                        | not all in capitals: `LOW OR HIGH` is three words)         |
//! | `e-mail`, `data base`  | each word also met by the words written together (`email`, |
//! |                        | `database`); a hyphenated compound counts as the word      |
//! | `暗号化`, `데비안`     | words with nothing between them: adjacent and in order, as |
//! |                        | a phrase (each CJK or Thai character is a word, `words.rs`)|
//!
//! What an unusual query does (never an error):
//! - a quote with no closing quote runs to the end of the query, so
//!   `"labour mov` is a phrase being typed whose last word is a prefix;
//! - `-` not followed directly by a word or a quote is punctuation, and so is
//!   `--` (`--verbose` is an option's name, not an exclusion);
//! - `OR` at either end, or next to an exclusion, is ignored;
//! - a query with only exclusions, or with no words, matches nothing;
//! - `""` (an empty phrase) is ignored;
//! - the last word counts as the start of a longer word while it is typed,
//!   that is when nothing (not even a space) follows it, outside a closed phrase.
//!
//! The work a query causes is bounded: its first [`MAX_QUERY_BYTES`] bytes
//! are read, of which [`MAX_QUERY_WORDS`] words, and [`MAX_QUERY_TERMS`] words
//! kept (in phrases and exclusions too).
//!
//! ```
//! use engine::Query;
//!
//! let query = Query::parse("\"jewish labour\" OR bund -zionism mov");
//! assert_eq!(query.clauses.len(), 2);
//! assert_eq!(query.clauses[0].alternatives.len(), 2); // the phrase, or `bund`
//! assert_eq!(query.clauses[0].alternatives[0].words.len(), 2);
//! assert_eq!(query.excluded[0].words[0].term, "zionism");
//! assert!(query.clauses[1].alternatives[0].words[0].prefix); // `mov` is being typed
//! ```

#[cfg(feature = "languages")]
use crate::analysis::compound_term;
use crate::analysis::{fold_into, is_stop_word, joins_compound, word_spans, Analyzer};

/// Bytes of a query read (cut back to a character boundary); the rest is
/// ignored. 8 KB holds the longest question anyone types or pastes on purpose,
/// and bounds the time of a query made of punctuation, which holds no words.
pub const MAX_QUERY_BYTES: usize = 8192;
/// Words read from a query; words past this are ignored, which bounds the time
/// a pasted page of text can take.
pub const MAX_QUERY_WORDS: usize = 1024;
/// Words kept from a query, in clauses, phrases and exclusions together;
/// an item that would go past this is ignored, and so is everything after it.
pub const MAX_QUERY_TERMS: usize = 64;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// What documents should match, in the order typed. A document that meets
    /// every clause (stop-word clauses aside) ranks in the first tier.
    pub clauses: Vec<Clause>,
    /// Documents that contain any of these words or phrases are left out.
    pub excluded: Vec<Phrase>,
    /// The text parsed (words' spans point into it).
    pub text: String,
    /// The languages it was read in (codes; none for English alone): the
    /// first gives the words' `term`s, and stems the words written together.
    pub languages: Vec<String>,
}

/// One thing the visitor asked for: a word, a phrase, or alternatives joined by `OR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// A document meets the clause when it matches any one of these.
    pub alternatives: Vec<Phrase>,
    /// How often the query repeats this clause: a question that says a word
    /// three times is mostly about it.
    pub count: u32,
    /// The words this clause's word forms with its neighbours', written
    /// together (`data base` → `database`, `anti-semitism` →
    /// `antisemitism`), also matched so that every spelling of a compound
    /// finds the others. At most two (one per side).
    pub compounds: Vec<Compound>,
}

/// Neighbouring words written together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compound {
    /// The words folded and joined (`database`), not yet stemmed: the
    /// search stems it only when the index has terms that start like it,
    /// as few pairs of a question do (stemming every pair was a third of
    /// parsing a long question).
    pub folded: String,
    /// Typed with hyphens: matched as the word itself. Otherwise (typed
    /// apart) it ranks below the word itself.
    pub hyphenated: bool,
}

/// A word, or words that must be adjacent and in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<QueryTerm>,
    /// Typed in quotes: matched as written (after analysis), with no typo
    /// tolerance; a quoted single word also gets no prefix completion.
    pub quoted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The analysed term, as in the index.
    pub term: String,
    /// The word's other stems, in the other languages it is read in
    /// ([`Query::parse_in`]): matched as the word itself. Usually none.
    pub stems: Vec<String>,
    /// The folded but unstemmed word, which prefix and typo matching use.
    pub folded: String,
    /// Whether the word is a stop word, which scores only when the query has
    /// nothing else.
    pub stop: bool,
    /// Whether the word is still being typed and also matches longer words.
    pub prefix: bool,
    /// Where the word is in the query text, in bytes: `[start, end)`.
    pub span: (usize, usize),
}

impl QueryTerm {
    /// [`QueryTerm::stems`]: always none without the `languages` feature,
    /// and then no code walks them.
    pub fn other_stems(&self) -> &[String] {
        if cfg!(feature = "languages") {
            &self.stems
        } else {
            &[]
        }
    }
}

impl Clause {
    /// The word, when the clause is a single unquoted word (the usual case).
    pub fn single_word(&self) -> Option<&QueryTerm> {
        match self.alternatives.as_slice() {
            [Phrase {
                words,
                quoted: false,
            }] if words.len() == 1 => Some(&words[0]),
            _ => None,
        }
    }

    /// A clause of stop words only (`the`, `the OR a`), which does not count
    /// when the query has other clauses, unless it is still being typed.
    pub fn is_stop(&self) -> bool {
        self.alternatives
            .iter()
            .all(|p| !p.quoted && p.words.len() == 1 && p.words[0].stop)
    }

    /// Whether any of its words is still being typed.
    pub fn is_prefix(&self) -> bool {
        self.alternatives
            .iter()
            .any(|p| p.words.last().is_some_and(|w| w.prefix))
    }
}

impl Phrase {
    /// The same words, quoted alike, wherever they were typed.
    fn same_words(&self, other: &Phrase) -> bool {
        self.quoted == other.quoted
            && self.words.len() == other.words.len()
            && self
                .words
                .iter()
                .zip(&other.words)
                .all(|(a, b)| a.term == b.term)
    }
}

/// A word or phrase read from the query, before clauses are formed.
struct Item {
    phrase: Phrase,
    excluded: bool,
    /// `OR` came between this item and the previous one.
    or_before: bool,
}

impl Query {
    /// Parses a query. Never fails: see the module documentation for what
    /// unusual input does.
    pub fn parse(text: &str) -> Query {
        #[cfg(feature = "languages")]
        return Query::parse_in(text, &[(String::new(), Analyzer::new())], &[]);
        #[cfg(not(feature = "languages"))]
        Parser::new(text).parse()
    }

    /// Parses a query read in each of `languages` (a code and its analyzer,
    /// the first at least): a word's `term` is its stem in the first, and
    /// its `stems` those the others give it, when they differ. And read in
    /// each of `passages` for the passages in them only: those stems are
    /// held marked, as compounds are ([`crate::analysis::compound_term`]),
    /// which is how an index holds the words of a passage in another language
    /// than its page's. An index parses its queries in the languages of its
    /// pages (`Index::parse_query`). Only with the `languages` feature:
    /// without it, every query is English.
    #[cfg(feature = "languages")]
    pub fn parse_in(
        text: &str,
        languages: &[(String, Analyzer)],
        passages: &[(String, Analyzer)],
    ) -> Query {
        let mut parser = Parser::new(text);
        parser.languages = languages;
        parser.passages = passages;
        parser.parse()
    }

    /// Every word of every clause (not the excluded ones), in order.
    pub fn words(&self) -> impl Iterator<Item = &QueryTerm> {
        self.clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .flat_map(|p| &p.words)
    }
}

/// Whether the query is written all in capitals: every letter but those of
/// each `OR` is a capital, and there is one (Caps Lock, or a headline pasted
/// in). There, `OR` is a word as the others are (`LOW OR VERY LOW
/// FREQUENCY`), not the operator; a query with a small letter, or with letters
/// that have no case (`東京 OR 大阪`), keeps it. A capital is a letter that
/// lowercasing changes: `char::is_uppercase` would bring another Unicode
/// table into the module (1.3 KB gzipped), where lowercasing's and
/// `is_alphabetic`'s are there already.
fn written_in_capitals(text: &str) -> bool {
    let mut capitals = false;
    for word in text.split_whitespace().filter(|&word| word != "OR") {
        for c in word.chars().filter(|c| c.is_alphabetic()) {
            if c.to_lowercase().next() == Some(c) {
                return false;
            }
            capitals = true;
        }
    }
    capitals
}

/// `text`, cut to at most `max` bytes at a character boundary.
pub(crate) fn cut_to_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

struct Parser<'t> {
    text: &'t str,
    #[cfg(feature = "languages")]
    languages: &'t [(String, Analyzer)],
    #[cfg(feature = "languages")]
    passages: &'t [(String, Analyzer)],
    words_read: usize,
    words_kept: usize,
    items: Vec<Item>,
    pending_or: bool,
    /// Whether `OR` is the operator: not in a query written all in capitals
    /// (see [`written_in_capitals`]).
    or_is_operator: bool,
    /// [`MAX_QUERY_TERMS`] reached: nothing more is kept.
    full: bool,
}

impl<'t> Parser<'t> {
    fn new(text: &'t str) -> Self {
        let text = cut_to_bytes(text, MAX_QUERY_BYTES);
        Parser {
            text,
            #[cfg(feature = "languages")]
            languages: &[],
            #[cfg(feature = "languages")]
            passages: &[],
            words_read: 0,
            words_kept: 0,
            items: Vec::new(),
            pending_or: false,
            or_is_operator: !written_in_capitals(text),
            full: false,
        }
    }

    fn parse(mut self) -> Query {
        self.run();
        self.into_query()
    }

    fn run(&mut self) {
        let text = self.text;
        let mut at = 0;
        while at < text.len() && self.words_read < MAX_QUERY_WORDS && !self.full {
            let rest = &text[at..];
            let Some(c) = rest.chars().next() else { break };
            if c.is_whitespace() {
                at += c.len_utf8();
                continue;
            }
            // `-` directly before a word or a quote excludes it; elsewhere it is
            // punctuation, and so are two (`--verbose`, a command-line option's name).
            let excluded = c == '-'
                && rest[1..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace() && n != '-');
            let start = if excluded { at + 1 } else { at };
            if text[start..].starts_with('"') {
                let inner = start + 1;
                let (end, next) = match text[inner..].find('"') {
                    Some(close) => (inner + close, inner + close + 1),
                    // Unbalanced: the phrase runs to the end of the query.
                    None => (text.len(), text.len()),
                };
                let words = self.words(inner, end, !excluded);
                if !words.is_empty() {
                    self.push(
                        Phrase {
                            words,
                            quoted: true,
                        },
                        excluded,
                    );
                }
                at = next;
            } else {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '"')
                    .map_or(text.len(), |i| at + i);
                if &text[start..end] == "OR" && !excluded && self.or_is_operator {
                    self.pending_or = true;
                } else {
                    let words = self.words(start, end, !excluded);
                    if excluded && !words.is_empty() {
                        // `-boundary-layer` leaves out the phrase "boundary layer".
                        let quoted = words.len() > 1;
                        self.push(Phrase { words, quoted }, true);
                    } else {
                        // Words written with nothing between them are one
                        // phrase: the characters of a Chinese, Japanese,
                        // Korean or Thai word are words each (`words.rs`),
                        // and `暗号化` means those three adjacent and in order.
                        let mut previous_end = usize::MAX;
                        for word in words {
                            let follows = word.span.0 == previous_end;
                            previous_end = word.span.1;
                            if follows && !self.full && self.words_kept < MAX_QUERY_TERMS {
                                if let Some(item) = self.items.last_mut() {
                                    self.words_kept += 1;
                                    item.phrase.words.push(word);
                                    continue;
                                }
                            }
                            self.push(
                                Phrase {
                                    words: vec![word],
                                    quoted: false,
                                },
                                false,
                            );
                        }
                    }
                }
                at = end;
            }
        }
    }

    /// The analysed words of `text[start..end]`. The last word of the query is
    /// a prefix when `may_be_prefix` and nothing follows it.
    fn words(&mut self, start: usize, end: usize, may_be_prefix: bool) -> Vec<QueryTerm> {
        let mut words = Vec::new();
        for (offset, word) in word_spans(&self.text[start..end]) {
            if self.words_read == MAX_QUERY_WORDS {
                break;
            }
            self.words_read += 1;
            let mut folded = String::new();
            fold_into(word, &mut folded);
            let span = (start + offset, start + offset + word.len());
            // Only a module with the `languages` feature reads a query in
            // more than one language: the others leave this out.
            #[cfg(feature = "languages")]
            let (term, others) = {
                // Per language its stem, and in one whose stemmer reads
                // marks, a word with some also stems as its unmarked
                // spelling (held as a compound: `search.rs` looks both up).
                let mut stems = Vec::new();
                let passages = self.passages.iter().map(|language| (language, true));
                for ((_, analyzer), passage) in
                    self.languages.iter().map(|l| (l, false)).chain(passages)
                {
                    let (stem, unmarked) = if analyzer.reads_marks() && !word.is_ascii() {
                        analyzer.marked_terms(word, &folded)
                    } else {
                        (analyzer.stem_folded(&folded), None)
                    };
                    for stem in std::iter::once(stem).chain(unmarked) {
                        stems.push(if passage { compound_term(&stem) } else { stem });
                    }
                }
                let mut stems = stems.into_iter();
                let term = stems.next().unwrap_or_else(|| folded.clone());
                let mut others: Vec<String> = Vec::new();
                for stem in stems {
                    if stem != term && !others.contains(&stem) {
                        others.push(stem);
                    }
                }
                (term, others)
            };
            #[cfg(not(feature = "languages"))]
            let (term, others) = (Analyzer::new().stem_folded(&folded), Vec::new());
            // Typed with its elided article (`l'archi`), a word is completed
            // and forgiven its typos without it, as its first language elides.
            #[cfg(feature = "languages")]
            if let Some((_, analyzer)) = self.languages.first() {
                let article = folded.len() - analyzer.without_elision(&folded).len();
                folded.drain(..article);
            }
            words.push(QueryTerm {
                term,
                stems: others,
                stop: self.is_stop_word(&folded),
                prefix: may_be_prefix && span.1 == self.text.len(),
                folded,
                span,
            });
        }
        words
    }

    /// Whether a folded word is a stop word in a language the query is read
    /// in (passages aside): English's alone without the `languages` feature.
    fn is_stop_word(&self, folded: &str) -> bool {
        #[cfg(feature = "languages")]
        if !self.languages.is_empty() {
            return self
                .languages
                .iter()
                .any(|(_, analyzer)| analyzer.is_stop_word(folded));
        }
        is_stop_word(folded)
    }

    fn push(&mut self, phrase: Phrase, excluded: bool) {
        if self.words_kept + phrase.words.len() > MAX_QUERY_TERMS {
            self.full = true;
            return;
        }
        self.words_kept += phrase.words.len();
        let or_before = std::mem::take(&mut self.pending_or)
            && !excluded
            && self.items.last().is_some_and(|item| !item.excluded);
        self.items.push(Item {
            phrase,
            excluded,
            or_before,
        });
    }

    fn into_query(self) -> Query {
        let mut query = Query {
            text: self.text.to_string(),
            // Only a module with the `languages` feature reads queries in
            // other languages than English.
            #[cfg(feature = "languages")]
            languages: self
                .languages
                .iter()
                .map(|(code, _)| code.clone())
                .filter(|code| !code.is_empty())
                .collect(),
            ..Query::default()
        };
        for item in self.items {
            if item.excluded {
                query.excluded.push(item.phrase);
            } else if item.or_before {
                if let Some(clause) = query.clauses.last_mut() {
                    if !clause
                        .alternatives
                        .iter()
                        .any(|a| a.same_words(&item.phrase))
                    {
                        clause.alternatives.push(item.phrase);
                    }
                }
            } else {
                query.clauses.push(Clause {
                    alternatives: vec![item.phrase],
                    count: 1,
                    compounds: Vec::new(),
                });
            }
        }
        merge_repeated_words(&mut query.clauses);
        add_compounds(&mut query.clauses, self.text);
        query
    }
}

/// Gives neighbouring single words the word they make written together,
/// for each of them to match too. Words joined by hyphens (`anti-semitism`,
/// `mother-in-law`) get the whole run written together, matched as the word
/// itself (the index holds a hyphenated compound joined as well, so every
/// spelling finds the others); two other neighbours that are not stop words
/// (`data base`) get their pair, matched below the word itself. (The other
/// way, `database` finding `data base`, would look up every split of every
/// word, in the dictionary shards of every letter a split starts with: not
/// done.)
fn add_compounds(clauses: &mut [Clause], text: &str) {
    // The clause's word, if it is a single word met once: read in place,
    // not cloned (two strings a word, for every word of a long question).
    fn word(clauses: &[Clause], i: usize) -> Option<&QueryTerm> {
        clauses
            .get(i)
            .filter(|clause| clause.count == 1)
            .and_then(Clause::single_word)
    }
    let mut i = 0;
    while i < clauses.len() {
        let Some(first) = word(clauses, i) else {
            i += 1;
            continue;
        };
        // The run of words joined by hyphens from here: clauses i..i + len.
        let mut len = 1;
        let mut end = first.span.1;
        while let Some(next) = word(clauses, i + len) {
            if next.span.0 < end || !joins_compound(&text[end..next.span.0]) {
                break;
            }
            end = next.span.1;
            len += 1;
        }
        if len == 1 {
            // A plain neighbour: the pair, unless either is a stop word.
            match word(clauses, i + 1) {
                Some(next) if !first.stop && !next.stop && !next.prefix => len = 2,
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        let (from, to) = (i, i + len);
        let words = || (from..to).filter_map(|j| word(clauses, j));
        let mut spans = words().map(|w| w.span);
        let (first_span, second_span) = (spans.next(), spans.next());
        let hyphenated = match (first_span, second_span) {
            (Some(a), Some(b)) => text.get(a.1..b.0).is_some_and(joins_compound),
            _ => false,
        };
        let compound = Compound {
            folded: words().map(|w| w.folded.as_str()).collect(),
            hyphenated,
        };
        for clause in &mut clauses[from..to] {
            clause.compounds.push(compound.clone());
        }
        // A hyphenated run is done; a pair's second word pairs with the next.
        i = if hyphenated { to } else { i + 1 };
    }
}

/// Folds repeats of a single-word clause into its first occurrence's count;
/// the copy still being typed keeps its prefix flag and span.
fn merge_repeated_words(clauses: &mut Vec<Clause>) {
    let mut merged: Vec<Clause> = Vec::with_capacity(clauses.len());
    for clause in clauses.drain(..) {
        let same = clause.single_word().and_then(|word| {
            merged
                .iter_mut()
                .find(|c| c.single_word().is_some_and(|other| other.term == word.term))
        });
        match same {
            Some(existing) => {
                existing.count += 1;
                let word = clause.single_word().cloned();
                if let (Some(word), Some(target)) =
                    (word, existing.alternatives[0].words.first_mut())
                {
                    if word.prefix {
                        *target = word;
                    }
                }
            }
            None => merged.push(clause),
        }
    }
    *clauses = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_words_also_match_written_together() {
        let query = Query::parse("data base of the anti-semitism mother-in-law ");
        let compounds = |i: usize| -> Vec<(&str, bool)> {
            query.clauses[i]
                .compounds
                .iter()
                .map(|c| (c.folded.as_str(), c.hyphenated))
                .collect()
        };
        assert_eq!(compounds(0), [("database", false)]);
        assert_eq!(compounds(1), [("database", false)]);
        // Not across stop words.
        assert!(compounds(2).is_empty());
        assert_eq!(compounds(4), [("antisemitism", true)]);
        assert_eq!(compounds(5), [("antisemitism", true)]);
        // A hyphenated run is one word, stop words and all.
        for i in 6..9 {
            assert_eq!(compounds(i), [("motherinlaw", true)], "{i}");
        }
    }

    /// A compact picture of a query: clauses as `a|b`, phrases in quotes,
    /// `*` after a prefix word, `×n` for repeats; exclusions after ` -`.
    fn picture(query: &Query) -> String {
        let phrase = |p: &Phrase| {
            let words: Vec<String> = p
                .words
                .iter()
                .map(|w| format!("{}{}", w.term, if w.prefix { "*" } else { "" }))
                .collect();
            if p.quoted {
                format!("\"{}\"", words.join(" "))
            } else {
                words.join(" ")
            }
        };
        let mut parts: Vec<String> = query
            .clauses
            .iter()
            .map(|c| {
                let alternatives: Vec<String> = c.alternatives.iter().map(phrase).collect();
                let repeat = if c.count > 1 {
                    format!("×{}", c.count)
                } else {
                    String::new()
                };
                alternatives.join("|") + &repeat
            })
            .collect();
        parts.extend(query.excluded.iter().map(|p| format!("-{}", phrase(p))));
        parts.join(" ")
    }

    #[test]
    fn parses() {
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("   ", ""),
            ("!!! — ???", ""),
            ("jew", "jew*"),
            ("jew ", "jew"),
            ("jew.", "jew"),
            ("Labour labours LABOUR", "labour*×3"),
            ("Zürich", "zurich*"),
            // Phrases.
            ("\"jewish labour movement\"", "\"jewish labour movement\""),
            ("\"jewish labour\" movement ", "\"jewish labour\" movement"),
            ("\"labour\" ", "\"labour\""),
            ("\"jewish lab", "\"jewish lab*\""),
            ("\"\" \"  \" x ", "x"),
            ("\"to be or not to be\"", "\"to be or not to be\""),
            // Exclusions.
            ("labour -zionism", "labour -zionism"),
            ("labour -\"labour party\" ", "labour -\"labour parti\""),
            ("labour -boundary-layer", "labour -\"boundari layer\""),
            ("labour - party", "labour parti*"),
            ("-", ""),
            ("- -", ""),
            ("-zionism", "-zionism"),
            ("--verbose", "verbos*"),
            ("tar --exclude-vcs ", "tar exclud vcs"),
            ("self-esteem ", "self esteem"),
            // OR.
            ("labour OR labor ", "labour|labor"),
            ("a b OR c d ", "a b|c d"),
            ("labour OR \"trade union\" ", "labour|\"trade union\""),
            ("x OR y OR z ", "x|y|z"),
            ("OR labour ", "labour"),
            ("labour OR", "labour"),
            ("labour OR OR labor ", "labour|labor"),
            ("OR", ""),
            ("labour or labor ", "labour or labor"),
            ("-zionism OR labour ", "labour -zionism"),
            ("labour OR -zionism ", "labour -zionism"),
            ("labour OR labour ", "labour"),
            // A query written all in capitals (Caps Lock) has no operator.
            ("LABOUR OR LABOR ", "labour or labor"),
            ("LOW OR VERY LOW FREQUENCY ", "low×2 or veri frequenc"),
            ("NASA OR esa ", "nasa|esa"),
            ("-NASA OR \"X-15\" ", "or \"x 15\" -nasa"),
            // Words written with nothing between them: one phrase, not quoted.
            ("暗号化 ", "暗 号 化"),
            ("暗号化", "暗 号 化*"),
            ("パッケージ 管理", "パ ッ ケ ー ジ 管 理*"),
            ("데비안 설치 ", "데 비 안 설 치"),
            ("Debianの設定 ", "debian の 設 定"),
            ("東京 OR 大阪 ", "東 京|大 阪"),
            ("-暗号 化 ", "化 -\"暗 号\""),
        ];
        for (text, expected) in cases {
            assert_eq!(picture(&Query::parse(text)), *expected, "parse({text:?})");
        }
    }

    #[test]
    fn stop_words_and_spans() {
        let query = Query::parse("the Bund ");
        assert!(query.clauses[0].is_stop() && !query.clauses[1].is_stop());
        assert_eq!(query.clauses[1].alternatives[0].words[0].span, (4, 8));
        // In quotes, a stop word is a word like any other.
        assert!(!Query::parse("\"the\"").clauses[0].is_stop());
    }

    #[test]
    fn long_queries_are_capped() {
        let text: String = (0..5000).map(|i| format!("w{i} ")).collect();
        let query = Query::parse(&text);
        assert_eq!(query.clauses.len(), MAX_QUERY_TERMS);
        assert_eq!(query.clauses[0].alternatives[0].words[0].term, "w0");
        // A phrase that does not fit is left out, and so is what follows it.
        let words: String = (0..62).map(|i| format!("v{i} ")).collect();
        let text = format!("{words}\"a b c\" z");
        let query = Query::parse(&text);
        assert_eq!(query.clauses.len(), 62);
        // Thousands of quotes and dashes are read in bounded time, without panicking.
        let hostile = "\"-\" OR -\"\" ".repeat(10_000);
        let query = Query::parse(&hostile);
        assert!(query.clauses.is_empty() && query.excluded.is_empty());
        // Only the first MAX_QUERY_BYTES bytes are read, cut at a character boundary.
        let late = format!("{}labour", " ".repeat(MAX_QUERY_BYTES));
        assert!(Query::parse(&late).clauses.is_empty());
        let euros = "€".repeat(MAX_QUERY_BYTES); // 3 bytes each; 8192 is not a multiple of 3
        assert_eq!(
            cut_to_bytes(&euros, MAX_QUERY_BYTES).len(),
            MAX_QUERY_BYTES - 2
        );
        // 2,729 × 3 + 7 bytes: the cut leaves `labo`, read as a word being typed.
        let query = Query::parse(&format!("{} labour", "€".repeat(2729)));
        assert_eq!(picture(&query), "labo*");
    }
}

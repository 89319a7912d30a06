//! Text analysis: how a text becomes search terms.
//!
//! One pipeline serves indexing and querying, so that a query word and the
//! document word it should find always end up as the same term:
//!
//! 1. [`word_spans`] splits text into words by Unicode word boundaries (UAX #29's rules);
//! 2. [`fold`] lower-cases and strips diacritics (`Zürich` → `zurich`);
//! 3. Snowball stemming in the document's language maps inflections together
//!    (`movements` → `movement`, `paquets` → `paquet`); pages in languages
//!    without a Snowball stemmer get English's ([`stemmer_language`]), and
//!    Chinese, Japanese, Korean and Thai characters are words each (`words.rs`).
//!
//! Every [`Token`] keeps the byte range of its word in the original text, so
//! excerpts and highlights slice the source and never guess.
//!
//! ```
//! use engine::Analyzer;
//!
//! let analyzer = Analyzer::new();
//! let tokens: Vec<_> = analyzer.tokens("Zürich's Movements").collect();
//! assert_eq!(tokens[0].term, "zurich");
//! assert_eq!(tokens[1].term, "movement");
//! assert_eq!(&"Zürich's Movements"[tokens[1].start..tokens[1].end], "Movements");
//! ```

mod folding;
mod stop_words;
mod words;

pub use folding::fold;
#[cfg(feature = "languages")]
pub(crate) use stop_words::are_stop_words;
pub use stop_words::is_stop_word;
#[cfg(feature = "build")]
pub use stop_words::stop_words_of;
pub(crate) use words::WordSpans;

use rust_stemmers::{Algorithm, Stemmer};

/// Longest term kept, in bytes of its folded form. Longer words (base64 blobs,
/// URLs without separators) are cut at a character boundary, at indexing and at
/// query time alike, so they stay findable by their first 64 bytes.
pub const MAX_TERM_BYTES: usize = 64;

/// One word of a text, analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The search term: folded and stemmed.
    pub term: String,
    /// Byte offset of the word's first byte in the analysed text.
    pub start: usize,
    /// Byte offset just past the word's last byte.
    pub end: usize,
    /// Index of the word among all words of the text, counting from 0.
    pub position: u32,
}

/// The words of `text` with their byte offsets, by the UAX #29 word boundary
/// rules that matter for search (see `words.rs`): runs of letters, digits and
/// joiners such as `don't` or `2,000`; spaces and punctuation between them are
/// not words.
///
/// A word's position is its index in this sequence. Restarting the sequence at
/// the first byte of any word yields the same words from there on, which is
/// what lets excerpts start from a stored checkpoint instead of the text's start.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    words::WordSpans::new(text)
}

/// Whether the text between two words joins them into one compound word:
/// a single hyphen (`e-mail`, `anti-Semitism`), as ASCII or as the Unicode
/// hyphen and non-breaking hyphen. The index holds such a compound both as
/// its parts and joined (`email`, `antisemitism`), so that every spelling
/// finds the others; a query joins them the same way (`query.rs`).
pub fn joins_compound(between: &str) -> bool {
    matches!(between, "-" | "\u{2010}" | "\u{2011}")
}

/// Ends the term under which the index holds hyphenated compounds joined
/// (`anti-Semitism` as `antisemit` + this): a word finds them with an exact
/// lookup beside its own term, while its own term's statistics (and the
/// semantic vectors) stay those of the word written as one, and no typo,
/// prefix or completion walk meets them. Joined into the word's own term,
/// `on-line` raised `online`'s document frequency and cost CISI 0.0055
/// nDCG@10. A control character sorts right after the term and never
/// occurs in a folded word, and keeps the term's first byte (and so its
/// dictionary shard).
pub const COMPOUND_MARK: char = '\u{1}';

/// The term under which the index holds hyphenated compounds that analyse to `term`.
pub fn compound_term(term: &str) -> String {
    let mut marked = String::with_capacity(term.len() + 1);
    marked.push_str(term);
    marked.push(COMPOUND_MARK);
    marked
}

/// The languages a Snowball stemmer (rust-stemmers) is carried for, by
/// their ISO 639-1 code. A page in another language is folded, not stemmed.
pub const STEMMED_LANGUAGES: &[&str] = &[
    "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv",
    "ta", "tr",
];

/// The language an index holds when it names none: English, as every index
/// was before pages had languages.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The code by which the index knows a language tag (BCP 47, as in `<html
/// lang>`): its primary subtag, lower-cased (`pt-BR` → `pt`, `EN_us` →
/// `en`), with Norwegian's written forms as one (`nb`, `nn` → `no`). Empty
/// for a tag that is not one (`""`, `*`, `x-…`, more than 8 letters).
pub fn language_code(tag: &str) -> String {
    // Bytes, not chars: this is in every module, and a tag is ASCII.
    let primary = tag
        .as_bytes()
        .split(|&b| b == b'-' || b == b'_')
        .next()
        .unwrap_or_default();
    if primary.is_empty()
        || primary.len() > 8
        || primary == b"x"
        || primary == b"X"
        || !primary.iter().all(u8::is_ascii_alphabetic)
    {
        return String::new();
    }
    let code: String = primary
        .iter()
        .map(|&b| char::from(b.to_ascii_lowercase()))
        .collect();
    match code.as_str() {
        "nb" | "nn" => "no".to_owned(),
        _ => code,
    }
}

/// A page's language as the index keeps it ([`language_code`]), English
/// ([`DEFAULT_LANGUAGE`]) when its tag names none.
pub fn page_language_code(tag: &str) -> String {
    match language_code(tag) {
        code if code.is_empty() => DEFAULT_LANGUAGE.to_owned(),
        code => code,
    }
}

/// The language whose stemmer a language's words get: its own when
/// Snowball has one ([`STEMMED_LANGUAGES`]), English's otherwise. Chinese,
/// Japanese, Korean and Thai words are characters, which no stemmer
/// changes, and the Latin words on such pages (names, technical terms) are
/// mostly English; a language Snowball lacks (Polish, Czech, …) is stemmed
/// as English at indexing and at query time alike, which keeps a word and
/// its query together. So an index needs a stemmer other than English's
/// only for pages in the other stemmed languages ([`needs_stemmers`]).
pub fn stemmer_language(code: &str) -> &str {
    if STEMMED_LANGUAGES.contains(&code) {
        code
    } else {
        DEFAULT_LANGUAGE
    }
}

/// Whether an index of pages in `codes` needs a module built with the
/// `languages` feature: some page is in a stemmed language other than English.
pub fn needs_stemmers(codes: &[String]) -> bool {
    codes
        .iter()
        .any(|code| stemmer_language(code) != DEFAULT_LANGUAGE)
}

/// Turns text into search terms. Cheap to create; holds the stemmer of one language.
pub struct Analyzer {
    stemmer: Stemmer,
    /// Whether the stemmer reads accents and marks (every stemmer but
    /// English's): see [`Analyzer::marked_terms`]. Only the `languages`
    /// feature carries such stemmers.
    #[cfg(feature = "languages")]
    reads_marks: bool,
    /// The articles and pronouns the language elides before a vowel, written
    /// with an apostrophe (French `d'architectures`, Italian
    /// `dell'applicazione`): a word that starts with one is stemmed without
    /// it, or it would be another word than the one typed in a search box.
    #[cfg(feature = "languages")]
    elisions: &'static [&'static str],
    /// The language's stop words, folded and sorted, as its index carries
    /// them ([`Analyzer::with_stop_words`]); English's are built in.
    #[cfg(feature = "languages")]
    stop_words: std::sync::Arc<[String]>,
}

/// French elisions (`l'`, `d'`, `qu'`, `jusqu'`, …), as folded.
#[cfg(feature = "languages")]
const FRENCH_ELISIONS: &[&str] = &[
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t",
];
/// Italian elisions (`l'`, `dell'`, `un'`, `sull'`, …), as folded.
#[cfg(feature = "languages")]
const ITALIAN_ELISIONS: &[&str] = &[
    "agl", "all", "c", "coll", "d", "dagl", "dall", "degl", "dell", "gl", "l", "m", "negl", "nell",
    "pell", "s", "sugl", "sull", "t", "un", "v",
];

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

/// A language whose stemmer this build does not carry: the module was built
/// without the `languages` feature, and the index needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageNotCarried(pub String);

/// Why an index is refused by a module that lacks its stemmers: one that
/// names languages (it does only when some page was stemmed in another
/// language than English) read by a module without the `languages` feature.
pub(crate) const WITHOUT_LANGUAGES: &str = "its languages need the `languages` module";

impl Analyzer {
    /// The English analyzer: every index's and query's before languages.
    pub fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
            #[cfg(feature = "languages")]
            reads_marks: false,
            #[cfg(feature = "languages")]
            elisions: &[],
            #[cfg(feature = "languages")]
            stop_words: std::sync::Arc::new([]),
        }
    }

    /// The analyzer for a language code ([`language_code`]): the Snowball
    /// stemmer of [`stemmer_language`]. A stemmer other than English's needs
    /// the `languages` feature (18 stemmers are most of its size): without
    /// it, an error.
    pub fn for_language(code: &str) -> Result<Analyzer, LanguageNotCarried> {
        let code = stemmer_language(code);
        if code == DEFAULT_LANGUAGE {
            return Ok(Analyzer::new());
        }
        #[cfg(feature = "languages")]
        {
            let algorithm = match code {
                "ar" => Algorithm::Arabic,
                "da" => Algorithm::Danish,
                "de" => Algorithm::German,
                "el" => Algorithm::Greek,
                "es" => Algorithm::Spanish,
                "fi" => Algorithm::Finnish,
                "fr" => Algorithm::French,
                "hu" => Algorithm::Hungarian,
                "it" => Algorithm::Italian,
                "nl" => Algorithm::Dutch,
                "no" => Algorithm::Norwegian,
                "pt" => Algorithm::Portuguese,
                "ro" => Algorithm::Romanian,
                "ru" => Algorithm::Russian,
                "sv" => Algorithm::Swedish,
                "ta" => Algorithm::Tamil,
                // "tr", the last of STEMMED_LANGUAGES.
                _ => Algorithm::Turkish,
            };
            Ok(Analyzer {
                stemmer: Stemmer::create(algorithm),
                reads_marks: true,
                elisions: match code {
                    "fr" => FRENCH_ELISIONS,
                    "it" => ITALIAN_ELISIONS,
                    _ => &[],
                },
                stop_words: std::sync::Arc::new([]),
            })
        }
        #[cfg(not(feature = "languages"))]
        Err(LanguageNotCarried(code.to_owned()))
    }
    /// The same analyzer, whose [`Analyzer::is_stop_word`] reads `words`
    /// (folded and sorted: an index's list for the language). English's
    /// analyzer keeps its built-in list.
    #[cfg(feature = "languages")]
    pub fn with_stop_words(mut self, words: std::sync::Arc<[String]>) -> Self {
        if self.reads_marks {
            self.stop_words = words;
        }
        self
    }

    /// Whether a folded, unstemmed query word is a stop word in this
    /// analyzer's language: English's built-in list, or another language's
    /// as its index carries it (none without one).
    pub fn is_stop_word(&self, folded: &str) -> bool {
        #[cfg(feature = "languages")]
        if self.reads_marks {
            return self
                .stop_words
                .binary_search_by(|w| w.as_str().cmp(folded))
                .is_ok();
        }
        is_stop_word(folded)
    }

    /// All tokens of `text`, in order.
    pub fn tokens<'t>(&'t self, text: &'t str) -> impl Iterator<Item = Token> + 't {
        let mut folded = String::new();
        word_spans(text)
            .enumerate()
            .map(move |(position, (start, word))| Token {
                term: self.term_of(word, &mut folded),
                start,
                end: start + word.len(),
                position: position as u32,
            })
    }

    /// The term a single word becomes: folded, cut to [`MAX_TERM_BYTES`], stemmed.
    pub fn term(&self, word: &str) -> String {
        self.term_of(word, &mut String::new())
    }

    /// Whether [`Analyzer::marked_terms`] gives a word with marks other
    /// terms than [`Analyzer::stem_folded`] its folded spelling.
    pub fn reads_marks(&self) -> bool {
        #[cfg(feature = "languages")]
        return self.reads_marks;
        #[cfg(not(feature = "languages"))]
        false
    }

    /// The terms of `word` (as written; `folded` its folded spelling) in a
    /// language whose stemmer reads accents and marks: the stem of the word
    /// lower-cased, then folded (`aplicações` → `aplic`, as `aplicação`); and
    /// the stem of its folded spelling when that is another (`aplicaco`):
    /// what the word typed without its marks stems to. Snowball's French,
    /// Portuguese, Spanish … suffixes are written with their accents: folded
    /// first, `aplicação` and `aplicações` stem apart (`aplicaca`,
    /// `aplicaco`). The index holds the second as a compound is held, so
    /// that marks stay optional in queries.
    pub fn marked_terms(&self, word: &str, folded: &str) -> (String, Option<String>) {
        // Char by char, with the table folding already uses (`str::to_lowercase`
        // brings its own, for a final sigma's context).
        let mut lowered: String = word.chars().flat_map(char::to_lowercase).collect();
        if lowered.len() > MAX_TERM_BYTES {
            let mut cut = MAX_TERM_BYTES;
            while !lowered.is_char_boundary(cut) {
                cut -= 1;
            }
            lowered.truncate(cut);
        }
        let mut term = String::new();
        fold_into(
            &self.stemmer.stem(self.without_elision(&lowered)),
            &mut term,
        );
        let unmarked = self.stem_folded(folded);
        let unmarked = (unmarked != term).then_some(unmarked);
        (term, unmarked)
    }

    /// Stems a word that is already folded.
    pub fn stem_folded(&self, folded: &str) -> String {
        self.stemmer.stem(self.without_elision(folded)).into_owned()
    }

    /// `word` (lower case) without the elided article it starts with, in a
    /// language that elides (French, Italian): `architectures` for
    /// `d'architectures` (or `d’architectures`). Any other word as it is.
    pub(crate) fn without_elision<'w>(&self, word: &'w str) -> &'w str {
        #[cfg(feature = "languages")]
        if let Some((article, rest)) = word.split_once(['\'', '\u{2019}']) {
            if !rest.is_empty() && self.elisions.contains(&article) {
                return rest;
            }
        }
        word
    }

    fn term_of(&self, word: &str, folded: &mut String) -> String {
        folded.clear();
        fold_into(word, folded);
        self.stem_folded(folded)
    }
}

/// Folds `word` into `out`, cut to [`MAX_TERM_BYTES`] at a character boundary.
pub(crate) fn fold_into(word: &str, out: &mut String) {
    folding::fold_into(word, out);
    if out.len() > MAX_TERM_BYTES {
        let mut cut = MAX_TERM_BYTES;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
}

/// Collapses whitespace to single spaces and trims the ends: every title and
/// text the index stores (`IndexBuilder::add`), and the indexer's titles.
#[cfg(feature = "build")]
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_of_words() {
        let analyzer = Analyzer::new();
        let cases = [
            ("Zürich", "zurich"),
            ("ZÜRICH", "zurich"),
            ("Movements", "movement"),
            ("antisemitism", "antisemit"),
            ("Antisemitism", "antisemit"),
            ("JLM’s", "jlm"),
            ("JLM's", "jlm"),
            ("weaponise", "weaponis"),
            ("Straße", "strass"),
            ("Ærø", "aero"),
            ("naïve", "naiv"),
            ("2,000", "2,000"),
            ("東京", "東京"),
        ];
        for (word, term) in cases {
            assert_eq!(analyzer.term(word), term, "term of {word:?}");
        }
    }

    #[test]
    fn tokens_keep_byte_offsets_into_the_original() {
        let text = "  Über-cool café, naïve “quotes” and émigrés!";
        let analyzer = Analyzer::new();
        let tokens: Vec<Token> = analyzer.tokens(text).collect();
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            words,
            ["Über", "cool", "café", "naïve", "quotes", "and", "émigrés"]
        );
        let positions: Vec<u32> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(tokens[0].term, "uber");
        assert_eq!(tokens[6].term, "emigr");
    }

    #[test]
    fn no_words_in_punctuation_or_empty_text() {
        let analyzer = Analyzer::new();
        for text in ["", "   ", "— … !!! ***", "\u{0}\u{1}\u{7f}", "😀 🎉"] {
            assert_eq!(analyzer.tokens(text).count(), 0, "{text:?}");
        }
    }

    #[test]
    fn long_words_are_cut_at_a_char_boundary() {
        let analyzer = Analyzer::new();
        let word = "é".repeat(100);
        let term = analyzer.term(&word);
        assert!(term.len() <= MAX_TERM_BYTES);
        assert!(term.chars().all(|c| c == 'e'));
        let word = "ж".repeat(100); // two bytes each, not folded
        let term = analyzer.term(&word);
        assert!(term.len() <= MAX_TERM_BYTES && term.len() >= MAX_TERM_BYTES - 1);
    }

    /// Excerpts segment the text between two word starts on its own: that must
    /// give the same words as segmenting the whole text.
    #[test]
    fn restarting_at_any_word_gives_the_same_words() {
        let seed = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../seeds/003_b838cff0455367c0.txt"
        ))
        .unwrap();
        // The seed, and text where joiners and marks sit next to word starts.
        let text =
            seed + " can't 3.14 a.b.c e\u{301}tude ZWJ\u{200d}x 東京都 👍🏽 U.S.A. 1,000,000 don’t";
        let all: Vec<(usize, &str)> = word_spans(&text).collect();
        for (i, &(start, _)) in all.iter().enumerate().step_by(7) {
            let restarted: Vec<(usize, &str)> = word_spans(&text[start..])
                .map(|(offset, word)| (offset + start, word))
                .collect();
            assert_eq!(restarted, all[i..], "restart at word {i}");
            for j in [i + 1, i + 3, i + 8] {
                let Some(&(end, _)) = all.get(j) else {
                    continue;
                };
                let piece: Vec<(usize, &str)> = word_spans(&text[start..end])
                    .map(|(offset, word)| (offset + start, word))
                    .collect();
                assert_eq!(piece, all[i..j], "words {i}..{j}");
            }
        }
    }
}

//! Stop words: words so common that a query may leave them unmatched.
//!
//! Stop words are indexed like any other word (so "to be or not to be" still
//! finds what contains it) and score little through their low IDF. The list
//! only decides which query words a document may lack and still count as
//! "matching every query term".
//!
//! English's list is built in: every module reads English queries. Another
//! language's list travels in the index of a site written in it
//! ([`stop_words_of`], at indexing), so a module carries no list for
//! languages its site is not in.

/// Sorted, folded (lower-case, no diacritics, `'` apostrophes), unstemmed.
/// The Snowball English stop list, less its contractions.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Whether a folded, unstemmed word is an English stop word.
pub fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.binary_search(&folded).is_ok()
}

/// Whether `words` can be a language's stop words as an index carries them:
/// sorted, without repeats or empty words (what decoding checks).
#[cfg(feature = "languages")]
pub(crate) fn are_stop_words(words: &[String]) -> bool {
    words.windows(2).all(|w| w[0] < w[1]) && words.first().is_none_or(|w| !w.is_empty())
}

/// The stop words an index carries for `code`, a language it stems
/// ([`super::stemmer_language`]) other than English: NLTK's list (Snowball's
/// own for most), folded as queries are ([`super::fold`]),
/// sorted and without repeats. Empty for English, whose list is built in
/// (every language the engine stems has one). Entries of several words
/// (Arabic's list has five) are left out: a query's word is one word, and a
/// sharded index's manifest holds each list as words joined by spaces.
#[cfg(feature = "build")]
pub fn stop_words_of(code: &str) -> Vec<String> {
    if code == super::DEFAULT_LANGUAGE {
        return Vec::new();
    }
    let mut words: Vec<String> = stop_words::lookup(code)
        .unwrap_or_default()
        .iter()
        .map(|word| super::fold(word))
        .filter(|word| !word.is_empty() && !word.contains(char::is_whitespace))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[cfg(feature = "build")]
    #[test]
    fn other_languages_lists_are_folded_and_sorted() {
        let french = stop_words_of("fr");
        assert!(french.windows(2).all(|w| w[0] < w[1]));
        for word in ["le", "les", "des", "ete"] {
            assert!(french.binary_search(&word.to_owned()).is_ok(), "{word}");
        }
        assert!(stop_words_of("de").binary_search(&"fur".to_owned()).is_ok());
        assert!(stop_words_of("en").is_empty(), "English's is built in");
        for code in [
            "ar", "da", "el", "es", "fi", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv", "ta",
            "tr",
        ] {
            assert!(
                !stop_words_of(code).is_empty(),
                "every stemmed language has a list: {code}"
            );
        }
    }

    #[test]
    fn stop_words() {
        for (word, stop) in [
            ("the", true),
            ("to", true),
            ("be", true),
            ("labour", false),
            ("", false),
        ] {
            assert_eq!(is_stop_word(word), stop, "{word:?}");
        }
    }
}

//! What a visitor typed, as search terms.
//!
//! A query is analysed by the same [`Analyzer`](crate::Analyzer) as the
//! documents. Its last word also counts as the start of a longer word while
//! the visitor is still typing it: when nothing (not even a space) follows it.
//!
//! ```
//! use engine::Query;
//!
//! let query = Query::parse("Jewish labour mov");
//! let terms: Vec<&str> = query.terms.iter().map(|t| t.term.as_str()).collect();
//! assert_eq!(terms, ["jewish", "labour", "mov"]);
//! assert!(query.terms[2].prefix && !query.terms[1].prefix);
//! ```

use crate::analysis::{fold_into, is_stop_word, word_spans, Analyzer};

/// Words read from a query; words past this are ignored, which bounds the time
/// a pasted page of text can take.
pub const MAX_QUERY_WORDS: usize = 1024;
/// Distinct terms searched; further distinct terms of a long query are ignored.
pub const MAX_QUERY_TERMS: usize = 64;

/// A parsed query: its distinct terms in the order they first appear.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub terms: Vec<QueryTerm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The analysed term, as in the index.
    pub term: String,
    /// The folded but unstemmed word, which prefix matching extends.
    pub folded: String,
    /// Whether the word is a stop word, which a document may lack and still
    /// count as matching every term.
    pub stop: bool,
    /// Whether the word is still being typed and also matches longer words.
    pub prefix: bool,
    /// How often the term occurs in the query.
    pub count: u32,
}

impl Query {
    /// Parses a query. Never fails: text with no words is an empty query,
    /// which matches nothing.
    pub fn parse(text: &str) -> Query {
        let analyzer = Analyzer::new();
        let words: Vec<(usize, &str)> = word_spans(text).take(MAX_QUERY_WORDS).collect();
        let mut terms: Vec<QueryTerm> = Vec::new();
        for (i, &(start, word)) in words.iter().enumerate() {
            let mut folded = String::new();
            fold_into(word, &mut folded);
            let term = analyzer.stem_folded(&folded);
            let prefix = i + 1 == words.len() && start + word.len() == text.len();
            if let Some(existing) = terms.iter_mut().find(|t| t.term == term) {
                existing.count += 1;
                existing.prefix |= prefix;
                if prefix {
                    existing.folded = folded;
                }
            } else if terms.len() < MAX_QUERY_TERMS {
                terms.push(QueryTerm {
                    stop: is_stop_word(&folded),
                    term,
                    folded,
                    prefix,
                    count: 1,
                });
            }
        }
        Query { terms }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        /// (term, prefix, stop, count)
        type Term<'a> = (&'a str, bool, bool, u32);
        let cases: &[(&str, &[Term])] = &[
            ("", &[]),
            ("   ", &[]),
            ("!!! — ???", &[]),
            ("jew", &[("jew", true, false, 1)]),
            ("jew ", &[("jew", false, false, 1)]),
            ("jew.", &[("jew", false, false, 1)]),
            ("Labour labours LABOUR", &[("labour", true, false, 3)]),
            (
                "to be or not to be",
                &[
                    ("to", false, true, 2),
                    ("be", true, true, 2),
                    ("or", false, true, 1),
                    ("not", false, true, 1),
                ],
            ),
            ("Zürich", &[("zurich", true, false, 1)]),
        ];
        for (text, expected) in cases {
            let query = Query::parse(text);
            let got: Vec<Term<'_>> = query
                .terms
                .iter()
                .map(|t| (t.term.as_str(), t.prefix, t.stop, t.count))
                .collect();
            assert_eq!(&got, expected, "parse({text:?})");
        }
    }

    #[test]
    fn long_queries_are_capped() {
        let text: String = (0..5000).map(|i| format!("w{i} ")).collect();
        let query = Query::parse(&text);
        assert_eq!(query.terms.len(), MAX_QUERY_TERMS);
        assert_eq!(query.terms[0].term, "w0");
    }
}

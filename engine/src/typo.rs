//! Index terms within a few typos of a word: Damerau–Levenshtein distance in
//! its "optimal string alignment" form (insertions, deletions, substitutions,
//! and swaps of two adjacent letters), counted in characters.
//!
//! The sorted term list is walked as if it were a trie: consecutive terms share
//! a prefix, so the edit-distance rows computed for that prefix are reused, and
//! as soon as every cell of a row exceeds the allowed typos, no term below that
//! prefix can match, and the walk jumps past all of them with a binary search.
//! The work is therefore proportional to the part of the vocabulary that stays
//! within reach of the word, not to the vocabulary. And only the terms that
//! start with the word's first letter are walked (see [`within_typos`]).

use crate::index::Terms;

/// Most typos a word may have, by its length in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypoThresholds {
    /// Words of at least this many characters match with one typo (default 5).
    pub one_typo_from: usize,
    /// Words of at least this many characters match with two typos (default 9).
    pub two_typos_from: usize,
}

impl Default for TypoThresholds {
    fn default() -> Self {
        TypoThresholds {
            one_typo_from: 5,
            two_typos_from: 9,
        }
    }
}

impl TypoThresholds {
    /// The typos allowed in a word of `chars` characters: 0, 1 or 2.
    pub fn allowed(&self, chars: usize) -> u8 {
        if chars >= self.two_typos_from {
            2
        } else if chars >= self.one_typo_from {
            1
        } else {
            0
        }
    }
}

/// How a term must resemble the word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// The whole term is within the typos of the word.
    Whole,
    /// Some start of the term is (the word is still being typed).
    Prefix,
}

/// Longest term walked, in characters: terms are at most 64 bytes.
const MAX_DEPTH: usize = crate::analysis::MAX_TERM_BYTES;

/// The ids of the terms within `max` typos of `word` that start with its
/// first letter, each with its distance, in term order. At most `limit` are
/// returned (the walk stops there).
pub(crate) fn within_typos(
    terms: &Terms,
    word: &str,
    max: u8,
    reach: Reach,
    limit: usize,
) -> Vec<(usize, u8)> {
    let query: Vec<char> = word.chars().collect();
    // Slices, not Vecs, from here on: at opt-level "z" indexing a Vec is a
    // function call, and the cell loop below indexes a few times per cell.
    let query = query.as_slice();
    let n = query.len();
    let width = n + 1;
    let k = usize::from(max);
    let mut found = Vec::new();
    if max == 0 || query.is_empty() {
        return found;
    }
    // Distances are only told apart up to `max`: anything larger is `over`.
    let over = max + 1;
    // rows[d * width + i]: distance between the term's first d characters and
    // the word's first i (capped at `over`). Only the band |i − d| ≤ max is
    // computed (outside it the distance exceeds max anyway), with an `over`
    // fence on each side for the next row to read.
    let mut rows = vec![over; (MAX_DEPTH + 1) * width];
    let rows = rows.as_mut_slice();
    for (i, cell) in rows[..width].iter_mut().enumerate() {
        *cell = i.min(usize::from(over)) as u8;
    }
    // closest_start[d]: the least distance between the word and any start of
    // the path's first d characters (for Reach::Prefix).
    let mut closest_start = [over; MAX_DEPTH + 1];
    closest_start[0] = rows[n];
    // The characters whose rows are computed: a prefix of the last term read,
    // `path[..path_len]`.
    let mut path = ['\0'; MAX_DEPTH];
    let mut path_len = 0;
    // The least number of characters the terms since the last one read share
    // with their predecessors: what the next term shares with the path.
    let mut shared_since_read = usize::MAX;
    // The first letter must be right: typos there are rare (people see the
    // start of what they type), and the rule is common (Elasticsearch's
    // `prefix_length`). It keeps the walk to one letter's terms, a twentieth
    // of the vocabulary, and it ranks better: +0.002 nDCG@10 on Cranfield,
    // +0.001 on CISI (BENCHMARKS.md).
    let mut first_letter = [0u8; 4];
    let walked = terms.with_prefix(query[0].encode_utf8(&mut first_letter));
    let mut id = walked.start;
    while id < walked.end && found.len() < limit {
        shared_since_read = shared_since_read.min(terms.shared_with_previous(id));
        let len = terms.char_len(id);
        // A term more than `max` characters longer or shorter is out of reach
        // as a whole: pass over it without reading it.
        if reach == Reach::Whole && (len + k < n || len > n + k) {
            id += 1;
            continue;
        }
        // Rows up to the prefix shared with the path stay valid; read the rest.
        let shared = shared_since_read.min(path_len);
        path_len = shared;
        let term = terms.bytes(id);
        if term.len() == len {
            for &byte in term.iter().skip(shared).take(MAX_DEPTH - shared) {
                path[path_len] = char::from(byte);
                path_len += 1;
            }
        } else {
            for c in terms.get(id).chars().skip(shared).take(MAX_DEPTH - shared) {
                path[path_len] = c;
                path_len += 1;
            }
        }
        shared_since_read = usize::MAX;
        let mut next = id + 1;
        // Set when no term below the first `depth` characters of this one can match.
        let mut dead_below: Option<usize> = None;
        // Exclusive ranges: at opt-level "z", an inclusive range's `next` is a
        // call per step (a fifth of the walk's time).
        for depth in shared + 1..path_len + 1 {
            let letter = path[depth - 1];
            // For a swap of two adjacent letters: the term's letter before this one.
            let letter_before = if depth >= 2 { path[depth - 2] } else { '\0' };
            let (done, row) = rows.split_at_mut(depth * width);
            let above = &done[(depth - 1) * width..];
            let two_above = &done[(depth - 1).saturating_sub(1) * width..];
            let row = &mut row[..width];
            let low = depth.saturating_sub(k).max(1);
            let high = (depth + k).min(n);
            row[0] = depth.min(usize::from(over)) as u8;
            if low > 1 {
                row[low - 1] = over;
            }
            let mut smallest = if low == 1 { row[0] } else { over };
            for i in low..high + 1 {
                let wanted = query[i - 1];
                let cost = u8::from(wanted != letter);
                let mut best = (above[i - 1] + cost).min(above[i] + 1).min(row[i - 1] + 1);
                if wanted == letter_before && depth >= 2 && i >= 2 && query[i - 2] == letter {
                    best = best.min(two_above[i - 2] + 1);
                }
                // Not capped at `over`: a cell grows by at most one a row, so
                // it stays far below 255 at the walk's depth of 64, and every
                // test below compares with `max`.
                row[i] = best;
                smallest = smallest.min(best);
            }
            if high < n {
                row[high + 1] = over;
            }
            let whole_word = if high == n { row[n] } else { over };
            closest_start[depth] = closest_start[depth - 1].min(whole_word);
            // Rows never shrink with depth (a swap reaches back two rows, but
            // the row between holds a cell no larger), so once the smallest cell
            // is past what we have, nothing below this prefix does better.
            if reach == Reach::Prefix
                && smallest >= closest_start[depth]
                && closest_start[depth] <= max
            {
                // Every term below this prefix starts with something this close.
                let end = end_of_run(terms, id, depth);
                let distance = closest_start[depth];
                found.extend((id..end).map(|t| (t, distance)).take(limit - found.len()));
                dead_below = Some(depth);
                next = end;
                break;
            }
            if smallest > max {
                next = end_of_run(terms, id, depth);
                dead_below = Some(depth);
                break;
            }
            if reach == Reach::Whole {
                // This term's own length bounds what is left: from cell i, at
                // least |(word left) − (term left)| edits remain. Past `max`,
                // only this term is out of reach, not the prefix.
                let term_left = len.saturating_sub(depth);
                let reachable = (low..high + 1)
                    .any(|i| usize::from(row[i]) + (n - i).abs_diff(term_left) <= k)
                    || (low == 1 && depth + n.abs_diff(term_left) <= k);
                if !reachable {
                    path_len = depth;
                    break;
                }
            }
            if depth == path_len {
                let distance = match reach {
                    Reach::Whole => whole_word,
                    Reach::Prefix => closest_start[depth],
                };
                if distance <= max {
                    found.push((id, distance));
                }
            }
        }
        if let Some(depth) = dead_below {
            // The terms skipped all share `depth` characters with this one, and
            // the next shares fewer; rows up to `depth` are still the path's.
            path_len = depth;
            if next < terms.len() {
                shared_since_read = terms.shared_with_previous(next);
            }
            // The loop's first step takes the minimum with this same value.
        }
        id = next;
    }
    found
}

/// The first term after `id` that does not share `depth` characters with it:
/// the end of the run of terms below that prefix. Terms are sorted, so the
/// run is contiguous; it is scanned by the stored shared lengths alone.
fn end_of_run(terms: &Terms, id: usize, depth: usize) -> usize {
    let mut end = id + 1;
    while end < terms.len() && terms.shared_with_previous(end) >= depth {
        end += 1;
    }
    end
}

/// The Damerau–Levenshtein distance (optimal string alignment) between two
/// words, in characters, by the plain quadratic table. [`within_typos`]
/// computes the same rows incrementally over the vocabulary; this is the
/// reference the tests hold it to.
pub fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Terms {
        let mut sorted: Vec<&str> = words.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        let mut terms = Terms::default();
        for w in sorted {
            terms.push(w);
        }
        terms
    }

    fn matches(terms: &Terms, word: &str, max: u8, reach: Reach) -> Vec<(String, u8)> {
        within_typos(terms, word, max, reach, usize::MAX)
            .into_iter()
            .map(|(id, d)| (terms.get(id).to_string(), d))
            .collect()
    }

    #[test]
    fn finds_terms_within_the_allowed_typos() {
        let vocabulary = terms(&[
            "antisemit",
            "antisemet",
            "labour",
            "labor",
            "flavour",
            "labourer",
            "lab",
            "nationbuild",
            "williamson",
            "william",
            "zurich",
            "bund",
            "bundist",
            "abc",
            "acb",
            "ab",
            "ba",
        ]);
        type Case<'a> = (&'a str, u8, &'a [(&'a str, u8)]);
        let cases: &[Case] = &[
            ("labour", 0, &[]), // no typos allowed: nothing (exact matches are not this module's)
            ("labour", 1, &[("labor", 1), ("labour", 0)]),
            ("labour", 2, &[("labor", 1), ("labourer", 2)]), // not `flavour`: see below
            ("antisemet", 1, &[("antisemet", 0), ("antisemit", 1)]),
            ("nationbuld", 1, &[("nationbuild", 1)]),
            ("williamsom", 1, &[("williamson", 1)]),
            ("acb", 1, &[("ab", 1), ("abc", 1), ("acb", 0)]), // a swap is one typo
            ("ba", 1, &[("ba", 0)]), // not `ab`: the first letter must be right
            ("zürich", 1, &[("zurich", 1)]), // characters, not bytes
        ];
        for &(word, max, expected) in cases {
            let got = matches(&vocabulary, word, max, Reach::Whole);
            for &(term, d) in expected {
                assert!(
                    got.contains(&(term.to_string(), d)),
                    "{word}~{max}: {got:?} lacks {term}"
                );
            }
        }
        // Against the plain distance, for every term and budget.
        for word in ["labour", "antisemet", "acb", "bundst", "x", "willamson"] {
            for max in 1..=2 {
                let got = matches(&vocabulary, word, max, Reach::Whole);
                let expected: Vec<(String, u8)> = vocabulary_words(&vocabulary)
                    .filter_map(|t| {
                        let d = typo_distance(word, &t).min(255) as u8;
                        let same_first = t.chars().next() == word.chars().next();
                        (d <= max && same_first).then_some((t, d))
                    })
                    .collect();
                assert_eq!(got, expected, "{word}~{max}");
            }
        }
    }

    fn vocabulary_words(terms: &Terms) -> impl Iterator<Item = String> + '_ {
        (0..terms.len()).map(|id| terms.get(id).to_string())
    }

    #[test]
    fn prefix_reach_finds_terms_whose_start_is_close() {
        let vocabulary = terms(&[
            "antisemit",
            "antisemitism",
            "antiquity",
            "nationbuild",
            "nation",
        ]);
        let got = matches(&vocabulary, "antisemet", 1, Reach::Prefix);
        assert_eq!(
            got,
            [
                ("antisemit".to_string(), 1),
                ("antisemitism".to_string(), 1)
            ]
        );
        let got = matches(&vocabulary, "natoin", 1, Reach::Prefix);
        assert_eq!(
            got,
            [("nation".to_string(), 1), ("nationbuild".to_string(), 1)]
        );
    }

    #[test]
    fn the_limit_stops_the_walk() {
        let words: Vec<String> = (0..100).map(|i| format!("term{i:03}")).collect();
        let refs: Vec<&str> = words.iter().map(String::as_str).collect();
        let vocabulary = terms(&refs);
        assert_eq!(
            within_typos(&vocabulary, "term", 1, Reach::Prefix, 10).len(),
            10
        );
    }

    #[test]
    fn thresholds() {
        let t = TypoThresholds::default();
        let allowed: Vec<u8> = (0..12).map(|n| t.allowed(n)).collect();
        assert_eq!(allowed, [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]);
    }
}

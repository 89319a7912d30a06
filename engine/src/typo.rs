//! Index terms within a few typos of a word: Damerau–Levenshtein distance in
//! its "optimal string alignment" form (insertions, deletions, substitutions,
//! and swaps of two adjacent letters), counted in characters.
//!
//! The sorted term list is walked as if it were a trie: consecutive terms share
//! a prefix, so the edit-distance rows computed for that prefix are reused, and
//! as soon as every cell of a row exceeds the allowed typos, no term below that
//! prefix can match, and the walk skips past all of them. The work is
//! therefore proportional to the part of the vocabulary that stays within
//! reach of the word, not to the vocabulary. And only the terms that start
//! with the word's first letter are walked (see [`within_typos`]).
//!
//! A row is kept as bit sets rather than cells (the bit-parallel form of
//! Wu and Manber, with Hyyrö's swaps): `levels[e]` has bit `i` set when the
//! term's characters so far are within `e` typos of the word's first `i`.
//! A row then costs a dozen word operations, whatever the word's length,
//! where cell by cell it cost a few dozen instructions per cell: the walk was
//! 40% of a Cranfield search (BENCHMARKS.md, "Where a search's time goes").

use crate::terms::Terms;

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

/// Most typos [`within_typos`] tells apart: [`TypoThresholds::allowed`] never
/// asks for more.
const MAX_TYPOS: usize = 2;

/// Longest word that gets typo matches, in characters: a row's bit set has a
/// bit for each of the word's starts, from the empty one to the whole word,
/// in one `u64`. Longer words (no dictionary has them) match exactly only.
pub const MAX_TYPO_WORD_CHARS: usize = 63;

/// Which of the word's characters a term character equals: bit `i` (from 1)
/// is set when the word's `i`th character is it. ASCII from a table; other
/// characters, rare in terms, by reading the word.
struct CharMasks<'w> {
    ascii: [u64; 128],
    word: &'w [char],
}

impl<'w> CharMasks<'w> {
    fn new(word: &'w [char]) -> Self {
        // Filled where it is returned: built in a local and moved, the
        // kilobyte table was copied on every walk.
        let mut masks = CharMasks {
            ascii: [0; 128],
            word,
        };
        for (i, &c) in word.iter().enumerate() {
            if c.is_ascii() {
                masks.ascii[c as usize] |= 1u64 << (i + 1);
            }
        }
        masks
    }

    fn of(&self, c: char) -> u64 {
        if c.is_ascii() {
            return self.ascii[c as usize];
        }
        let mut mask = 0;
        for (i, &w) in self.word.iter().enumerate() {
            if w == c {
                mask |= 1u64 << (i + 1);
            }
        }
        mask
    }
}

/// The bits `lo..=hi` of a row, clipped to the word's `0..=n`.
#[inline(always)]
fn bits_between(lo: isize, hi: isize, n: usize) -> u64 {
    let hi = hi.min(n as isize);
    let lo = lo.max(0);
    if hi < lo {
        return 0;
    }
    let upto_hi = if hi >= 63 {
        u64::MAX
    } else {
        (1u64 << (hi + 1)) - 1
    };
    upto_hi & !((1u64 << lo) - 1)
}

/// The least `e` whose level has any of `bits`, or `over` when none does.
#[inline(always)]
fn least_level(levels: &[u64; MAX_TYPOS + 1], k: usize, bits: u64, over: u8) -> u8 {
    let mut e = 0;
    while e <= k {
        if levels[e] & bits != 0 {
            return e as u8;
        }
        e += 1;
    }
    over
}

/// The ids of the terms within `max` typos of `word` that start with its
/// first letter, each with its distance, in term order. At most `limit` are
/// returned (the walk stops there). A word of more than
/// [`MAX_TYPO_WORD_CHARS`] characters has none.
pub(crate) fn within_typos(
    terms: &Terms,
    word: &str,
    max: u8,
    reach: Reach,
    limit: usize,
) -> Vec<(usize, u8)> {
    let query: Vec<char> = word.chars().collect();
    let n = query.len();
    let max = max.min(MAX_TYPOS as u8);
    let k = usize::from(max);
    let mut found = Vec::new();
    if max == 0 || n == 0 || n > MAX_TYPO_WORD_CHARS {
        return found;
    }
    let masks = CharMasks::new(&query);
    // Every start of the word, from the empty one (bit 0) to the whole word (bit n).
    let all = bits_between(0, n as isize, n);
    let whole_word = 1u64 << n;
    // Distances are only told apart up to `max`: anything larger is `over`.
    let over = max + 1;
    // levels[d][e]: bit i is set when the term's first d characters are
    // within e typos of the word's first i (the cells of the edit-distance
    // table's row d that are ≤ e). Row 0: the word's first i characters are
    // i deletions away from nothing.
    let mut levels = [[0u64; MAX_TYPOS + 1]; MAX_DEPTH + 1];
    for (e, level) in levels[0].iter_mut().enumerate() {
        *level = bits_between(0, e as isize, n);
    }
    // closest_start[d]: the least distance between the word and any start of
    // the path's first d characters (for Reach::Prefix).
    let mut closest_start = [over; MAX_DEPTH + 1];
    closest_start[0] = least_level(&levels[0], k, whole_word, over);
    // The characters whose rows are computed, as their masks: a prefix of the
    // last term read, `path[..path_len]`.
    let mut path = [0u64; MAX_DEPTH];
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
                path[path_len] = masks.ascii[usize::from(byte & 0x7f)];
                path_len += 1;
            }
        } else {
            for c in terms.get(id).chars().skip(shared).take(MAX_DEPTH - shared) {
                path[path_len] = masks.of(c);
                path_len += 1;
            }
        }
        shared_since_read = usize::MAX;
        let mut next = id + 1;
        // Set when no term below the first `depth` characters of this one can match.
        let mut dead_below: Option<usize> = None;
        // Exclusive ranges: at opt-level "z", an inclusive range's `next` is a
        // call per step.
        for depth in shared + 1..path_len + 1 {
            let letter = path[depth - 1];
            // For a swap of two adjacent letters: bit i where the word's
            // characters i − 1 and i are this letter then the term's previous one.
            let swaps = if depth >= 2 {
                path[depth - 2] & (letter << 1)
            } else {
                0
            };
            let above = levels[depth - 1];
            let two_above = levels[depth.saturating_sub(2)];
            let row = &mut levels[depth];
            // Within 0 typos: the word's next character is this letter.
            row[0] = (above[0] << 1) & letter;
            let mut e = 1;
            while e <= k {
                // Within e: a match at e; or at e − 1 a substitution (i − 1),
                // an extra letter in the term (i), a letter missing from it
                // (this row's i − 1), or a swap of the last two letters.
                row[e] = (((above[e] << 1) & letter)
                    | (above[e - 1] << 1)
                    | above[e - 1]
                    | (row[e - 1] << 1)
                    | ((two_above[e - 1] << 2) & swaps))
                    & all;
                e += 1;
            }
            let row = *row;
            let whole = least_level(&row, k, whole_word, over);
            closest_start[depth] = closest_start[depth - 1].min(whole);
            // Rows never shrink with depth (a swap reaches back two rows, but
            // the row between holds a cell no larger), so once no cell is
            // below the closest start so far, nothing below this prefix does better.
            let best = closest_start[depth];
            if reach == Reach::Prefix
                && best <= max
                && (best == 0 || row[usize::from(best) - 1] == 0)
            {
                // Every term below this prefix starts with something this close.
                let end = end_of_run(terms, id, depth);
                found.extend((id..end).map(|t| (t, best)).take(limit - found.len()));
                dead_below = Some(depth);
                next = end;
                break;
            }
            // Once no cell is within the typos, nothing below this prefix is.
            if row[k] == 0 {
                next = end_of_run(terms, id, depth);
                dead_below = Some(depth);
                break;
            }
            if reach == Reach::Whole {
                // This term's own length bounds what is left: from the word's
                // first i characters, at least |(word left) − (term left)|
                // edits remain. Past `max`, only this term is out of reach,
                // not the prefix.
                let term_left = len.saturating_sub(depth) as isize;
                let centre = n as isize - term_left;
                let mut reachable = false;
                let mut e = 0;
                while e <= k && !reachable {
                    let slack = (k - e) as isize;
                    reachable = row[e] & bits_between(centre - slack, centre + slack, n) != 0;
                    e += 1;
                }
                if !reachable {
                    path_len = depth;
                    break;
                }
            }
            if depth == path_len {
                let distance = match reach {
                    Reach::Whole => whole,
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

    /// Every term of a dense vocabulary (short words over a few letters, so
    /// that most are a typo or two apart, some with non-ASCII letters) is
    /// found exactly when the plain distance says so, for both reaches.
    #[test]
    fn agrees_with_the_plain_distance_on_a_dense_vocabulary() {
        let letters = ['a', 'b', 'c', 'é'];
        let mut state = 0x2545_f491_u32;
        let mut next = move |below: u32| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) % below
        };
        let mut random_word = |max_len: u32| -> String {
            let len = 1 + next(max_len);
            (0..len).map(|_| letters[next(4) as usize]).collect()
        };
        let words: Vec<String> = (0..400).map(|_| random_word(9)).collect();
        let vocabulary = terms(&words.iter().map(String::as_str).collect::<Vec<_>>());
        let queries: Vec<String> = (0..150).map(|_| random_word(11)).collect();
        for word in &queries {
            let first = word.chars().next();
            for max in 1..=2u8 {
                for reach in [Reach::Whole, Reach::Prefix] {
                    let expected: Vec<(String, u8)> = vocabulary_words(&vocabulary)
                        .filter(|t| t.chars().next() == first)
                        .filter_map(|t| {
                            let d = match reach {
                                Reach::Whole => typo_distance(word, &t),
                                Reach::Prefix => (0..=t.chars().count())
                                    .map(|j| {
                                        typo_distance(word, &t.chars().take(j).collect::<String>())
                                    })
                                    .min()
                                    .unwrap_or(usize::MAX),
                            };
                            (d <= usize::from(max)).then_some((t, d as u8))
                        })
                        .collect();
                    let got = matches(&vocabulary, word, max, reach);
                    assert_eq!(got, expected, "{word}~{max} {reach:?}");
                }
            }
        }
    }

    #[test]
    fn words_too_long_for_a_row_match_exactly_only() {
        let long = "a".repeat(MAX_TYPO_WORD_CHARS + 1);
        let longest = "a".repeat(MAX_TYPO_WORD_CHARS);
        let vocabulary = terms(&[&long, &longest, &format!("{longest}b")[1..]]);
        assert!(matches(&vocabulary, &long, 2, Reach::Whole).is_empty());
        let got = matches(&vocabulary, &longest, 1, Reach::Whole);
        assert!(got.contains(&(long.clone(), 1)), "{got:?}");
        assert!(got.contains(&(longest.clone(), 0)), "{got:?}");
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

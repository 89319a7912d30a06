//! Excerpts: the passage of a document that best shows why it matched.
//!
//! The window is chosen from word positions alone (from the postings): the
//! [`EXCERPT_WORDS`]-word span that holds the most distinct query terms, then
//! the most matches. Only then is text touched: segmentation starts at the
//! stored checkpoint just before the window, so a long document costs no more
//! than a short one. The builder stores texts with each whitespace run as one
//! space, so the window is copied as it is; `…` marks a cut, and highlights
//! are UTF-16 offsets so JavaScript's `slice` finds the words.

use std::borrow::Cow;

use crate::analysis::{joins_compound, word_spans, WordSpans};
use crate::index::Index;
use crate::order::sorted;

/// Words in an excerpt.
pub const EXCERPT_WORDS: u32 = 30;
const ELLIPSIS: &str = "…";

/// Where a document matched: word positions in the title and in the body,
/// each with the query term (its slot in the query) it matched, and which
/// of the body's are in a section's heading.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    pub title: Vec<(u32, u8)>,
    pub body: Vec<(u32, u8)>,
    pub headings: Vec<u32>,
}

/// An excerpt as a hit shows it.
#[derive(Debug, Default)]
pub(crate) struct Excerpt {
    pub text: String,
    /// Matched words in `text`, as `[start, end)` UTF-16 offsets.
    pub highlights: Vec<[u32; 2]>,
    /// The body position of its first matched word in a heading, else of its
    /// first matched word, and of the window's first word (whose block,
    /// sharded, holds the text and its sections): what its section is. None
    /// when it is the title's, or the body's opening.
    pub first_match: Option<(u32, u32)>,
}

/// The excerpt of document `number` and its highlight ranges, and up to
/// `more` excerpts of other sections whose headings match ([`Excerpts`]).
/// Falls back to the title when the body has no match (or no text), and to
/// the body's opening when neither does. Empty when (sharded) the text of
/// a window has not arrived: the search notes it as missing.
pub(crate) fn excerpts(index: &Index<'_>, number: u32, matches: Matches, more: usize) -> Excerpts {
    let doc = &index.documents[number as usize];
    let mut body = sorted(matches.body);
    body.dedup_by_key(|m| m.0);
    if body.is_empty() && (!matches.title.is_empty() || doc.body_len == 0) {
        if !index.has_text(number) {
            return Excerpts::default();
        }
        let title: Vec<u32> = sorted(matches.title).into_iter().map(|m| m.0).collect();
        let spans = spans_at(doc.title, 0, &title);
        let (text, highlights) = render(doc.title, 0..doc.title.len(), &spans, false, false);
        return Excerpts {
            best: Excerpt {
                text,
                highlights,
                first_match: None,
            },
            sections: Vec::new(),
        };
    }
    if doc.body_len == 0 {
        return Excerpts::default();
    }

    let mut headings = sorted(matches.headings);
    headings.dedup();
    let (start, end) = best_window(&body, &headings, doc.body_len);
    let heading = headings.iter().copied().find(|&p| p >= start && p < end);
    let best = window_excerpt(index, number, &body, (start, end), heading);
    // Other headings that match, in the order of the page, each its own
    // section's: one a few words past the last taken is the same heading.
    let mut sections = Vec::new();
    let near =
        |heading: u32, (from, to): (u32, u32)| heading >= from && heading < to + HEADING_WORDS;
    let mut taken = (start, end);
    for &heading in &headings {
        if sections.len() == more {
            break;
        }
        if near(heading, (start, end)) || near(heading, taken) {
            continue;
        }
        let start = heading
            .saturating_sub(HEADING_WORDS)
            .min(doc.body_len.saturating_sub(EXCERPT_WORDS));
        let window = (start, (start + EXCERPT_WORDS).min(doc.body_len));
        sections.push(window_excerpt(index, number, &body, window, Some(heading)));
        taken = window;
    }
    Excerpts { best, sections }
}

/// A document's excerpts: the best, and others at sections whose headings
/// match, in the order of the document.
#[derive(Debug, Default)]
pub(crate) struct Excerpts {
    pub best: Excerpt,
    pub sections: Vec<Excerpt>,
}

/// Headings this many words apart or less are taken for one.
const HEADING_WORDS: u32 = 8;

/// The excerpt of the words `[start, end)` of document `number`'s body,
/// with `body`'s matches highlighted; `heading`, a match in a heading in
/// it, is the one its section is found by (else its first match), and the
/// window starts at that section's first word where that is in its lead-in.
fn window_excerpt(
    index: &Index<'_>,
    number: u32,
    body: &[(u32, u8)],
    (mut start, end): (u32, u32),
    heading: Option<u32>,
) -> Excerpt {
    let Some((text, from, mut position)) = index.body_from(number, start) else {
        return Excerpt::default();
    };
    // The block that holds `start` holds the section (sharded).
    let block_start = start;
    if let Some(section) = heading.and_then(|h| index.section_at(number, h, block_start)) {
        if section.word > start && heading.is_some_and(|h| section.word <= h) {
            start = section.word;
        }
    }
    // Byte spans of the window's words, and of its matched words.
    let mut window: Option<(usize, usize)> = None;
    let mut highlighted: Vec<(usize, usize)> = Vec::new();
    let mut matched = body.iter().map(|m| m.0).filter(|&p| p >= start).peekable();
    let mut first_match = None;
    // A checkpoint is a word start, and splitting from any word start gives the
    // same words as splitting the whole text (`tests/words.rs` holds this), so
    // the text before it is never read.
    let mut words = WordSpans::new(text.get(from..).unwrap_or(""));
    // A plain loop over offsets rather than an iterator chain (zip,
    // take_while, filter): at opt-level "z" each adaptor stays a call per word.
    // The end of the last highlight, while the words after it may continue
    // a hyphenated compound (`anti-Semitism` is one word to a visitor, and
    // matched whole as `antisemitism`): it is highlighted whole.
    let mut compound_end: Option<usize> = None;
    while position < end {
        let Some((word_start, word_end)) = words.next_range() else {
            break;
        };
        if position >= start {
            let span = (from + word_start, from + word_end);
            window = Some((window.map_or(span.0, |w| w.0), span.1));
            while matched.next_if(|&p| p < position).is_some() {}
            let is_match = matched.next_if_eq(&position).is_some();
            match compound_end {
                Some(end) if joins_compound(&text[end..span.0]) => {
                    if let Some(last) = highlighted.last_mut() {
                        last.1 = span.1;
                    }
                    compound_end = Some(span.1);
                }
                _ if is_match => {
                    first_match = first_match.or(Some((position, block_start)));
                    highlighted.push(span);
                    compound_end = Some(span.1);
                }
                _ => compound_end = None,
            }
        }
        position += 1;
    }
    let Some((from, mut to)) = window else {
        return Excerpt::default();
    };
    if let Some(heading) = heading {
        first_match = Some((heading, block_start));
    }
    // Keep the punctuation that closes the last word's sentence or quote.
    to += text[to..]
        .char_indices()
        .take_while(|&(i, c)| i < 8 && !c.is_whitespace() && !c.is_alphanumeric())
        .map(|(_, c)| c.len_utf8())
        .sum::<usize>();
    let body_len = index.documents[number as usize].body_len;
    let (text, highlights) = render(text, from..to, &highlighted, start > 0, end < body_len);
    Excerpt {
        text,
        highlights,
        first_match,
    }
}

/// The window `[start, end)` of word positions to show: the span of at most
/// [`EXCERPT_WORDS`] words with the most distinct terms, then the most
/// matches in headings (`headings`, increasing: the section that is about
/// them), then the most matches, with some words of lead-in before the first.
fn best_window(matches: &[(u32, u8)], headings: &[u32], len: u32) -> (u32, u32) {
    // No match (a page listed by its filters alone): the body's opening.
    if matches.is_empty() {
        return (0, EXCERPT_WORDS.min(len));
    }
    // (distinct, in headings, count, first index, last index)
    let mut best = (0, 0, 0, 0usize, 0usize);
    let mut last = 0;
    for first in 0..matches.len() {
        last = last.max(first);
        while last + 1 < matches.len() && matches[last + 1].0 < matches[first].0 + EXCERPT_WORDS {
            last += 1;
        }
        let distinct = matches[first..=last]
            .iter()
            .fold(0u64, |seen, m| seen | 1 << (m.1 % 64))
            .count_ones();
        let count = last - first + 1;
        let (lo, hi) = (matches[first].0, matches[last].0);
        let in_headings =
            headings.partition_point(|&p| p <= hi) - headings.partition_point(|&p| p < lo);
        if (distinct, in_headings, count) > (best.0, best.1, best.2) {
            best = (distinct, in_headings, count, first, last);
        }
    }
    let (first, last) = (matches[best.3].0, matches[best.4].0);
    let slack = EXCERPT_WORDS - (last - first + 1);
    let start = first.saturating_sub(slack / 3);
    let end = (start + EXCERPT_WORDS).min(len);
    (end.saturating_sub(EXCERPT_WORDS).min(start), end)
}

/// A title as a hit shows it ([`short_title`]), and the UTF-16 ranges of
/// its words at `matched` (title word positions, any order).
pub(crate) fn shown_title<'t>(
    title: &'t str,
    matched: &[(u32, u8)],
) -> (Cow<'t, str>, Vec<[u32; 2]>) {
    let shown = short_title(title);
    if matched.is_empty() {
        return (shown, Vec::new());
    }
    let positions: Vec<u32> = sorted(matched.to_vec()).into_iter().map(|m| m.0).collect();
    // Where the shown words start in `title`, and how far they reach.
    let trimmed = title.trim_start_matches(' ');
    let lead = title.len() - trimmed.len();
    let kept = match &shown {
        Cow::Borrowed(whole) => whole.len(),
        Cow::Owned(cut) => cut.len() - ELLIPSIS_LEN,
    };
    let spans: Vec<(usize, usize)> = spans_at(title, 0, &positions)
        .into_iter()
        .filter(|&(start, end)| start >= lead && end <= lead + kept)
        .map(|(start, end)| (start - lead, end - lead))
        .collect();
    let (_, highlights) = render(&shown, 0..shown.len(), &spans, false, false);
    (shown, highlights)
}

/// The bytes [`short_title`] adds to a cut title.
const ELLIPSIS_LEN: usize = '…'.len_utf8();

/// Byte spans of the words at `positions` (sorted) in `text`, counting from `first_position`.
fn spans_at(text: &str, first_position: u32, positions: &[u32]) -> Vec<(usize, usize)> {
    let mut wanted = positions.iter().copied().peekable();
    let mut spans = Vec::new();
    for (position, (offset, word)) in (first_position..).zip(word_spans(text)) {
        while wanted.next_if(|&p| p < position).is_some() {}
        if wanted.peek().is_none() {
            break;
        }
        if wanted.next_if_eq(&position).is_some() {
            spans.push((offset, offset + word.len()));
        }
    }
    spans
}

/// Copies `text[range]`, and converts the byte spans (inside `range`,
/// sorted, on char boundaries) to UTF-16 offsets in the copy.
fn render(
    text: &str,
    range: std::ops::Range<usize>,
    spans: &[(usize, usize)],
    cut_before: bool,
    cut_after: bool,
) -> (String, Vec<[u32; 2]>) {
    let mut out = Utf16Writer {
        text: String::with_capacity(range.len() + 2 * ELLIPSIS.len() + 2),
        len: 0,
    };
    if cut_before {
        out.push(ELLIPSIS);
        out.push(" ");
    }
    let mut highlights = Vec::with_capacity(spans.len());
    let mut at = range.start;
    for &(start, end) in spans {
        out.push(&text[at..start]);
        let highlight_start = out.len;
        out.push(&text[start..end]);
        highlights.push([highlight_start, out.len]);
        at = end;
    }
    out.push(&text[at..range.end]);
    if cut_after {
        out.push(" ");
        out.push(ELLIPSIS);
    }
    (out.text, highlights)
}

/// A string that knows its length in UTF-16 code units (JavaScript's string offsets).
struct Utf16Writer {
    text: String,
    len: u32,
}

impl Utf16Writer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.len += utf16_len(s);
    }
}

/// The length of `s` in UTF-16 code units, from its UTF-8 bytes: each
/// character is one unit, but those of four bytes (outside the Basic
/// Multilingual Plane) are two. Counted by the byte, without decoding: every
/// byte that does not continue a character starts one, and a first byte of
/// 0xF0 or more starts a four-byte one.
fn utf16_len(s: &str) -> u32 {
    // Most excerpts are ASCII: `is_ascii` reads a word at a time.
    if s.is_ascii() {
        return s.len() as u32;
    }
    let mut units = 0;
    for &byte in s.as_bytes() {
        units += u32::from(byte & 0xc0 != 0x80) + u32::from(byte >= 0xf0);
    }
    units
}

/// The longest title shown whole, in characters: a longer one (a text file's
/// first line is often a paragraph) is shown cut by [`short_title`].
pub const MAX_TITLE_CHARS: usize = 80;

/// `title` as shown: whole up to [`MAX_TITLE_CHARS`], else its first words,
/// cut between words, at most [`MAX_TITLE_CHARS`] with the ellipsis.
pub fn short_title(title: &str) -> Cow<'_, str> {
    // Titles come one-lined (`analysis::one_line`: single spaces), so only
    // spaces are looked for: Unicode's whitespace tables cost the module more
    // than this function.
    let line = title.trim_matches(' ');
    if line.len() <= MAX_TITLE_CHARS {
        return Cow::Borrowed(line);
    }
    let mut chars = line.char_indices();
    let Some((limit, at_limit)) = chars.nth(MAX_TITLE_CHARS - 1) else {
        return Cow::Borrowed(line);
    };
    if chars.next().is_none() {
        return Cow::Borrowed(line);
    }
    // The last space within the limit (a space at the limit ends a word that
    // fits), unless that leaves too little (one very long word): then the
    // word is cut.
    let through = limit + at_limit.len_utf8();
    let cut = match line.as_bytes()[..through].iter().rposition(|&b| b == b' ') {
        Some(space) if space >= limit / 2 => &line[..space],
        _ => &line[..limit],
    };
    let cut = cut.trim_end_matches([' ', ',', ';', ':', '-', '–', '—', '(']);
    Cow::Owned([cut, "…"].concat())
}

#[cfg(test)]
mod tests {

    #[test]
    fn title_highlights_follow_the_shown_title() {
        use super::shown_title;
        let (title, marks) = shown_title("Jewish Labour Movement", &[(1, 0), (0, 1)]);
        assert_eq!(
            (title.as_ref(), marks),
            ("Jewish Labour Movement", vec![[0, 6], [7, 13]])
        );
        // UTF-16 offsets: "é" is one unit, "🙂" (not a word) two.
        let (_, marks) = shown_title("Café 🙂 Zürich", &[(1, 0)]);
        assert_eq!(marks, vec![[8, 14]]);
        // Words past the cut of a long title have no highlight.
        let long = format!("{} last", "word ".repeat(30));
        let (title, marks) = shown_title(&long, &[(0, 0), (30, 0)]);
        assert!(title.ends_with('…'));
        assert_eq!(marks, vec![[0, 4]]);
    }

    #[test]
    fn long_titles_are_cut_between_words() {
        use super::{short_title, MAX_TITLE_CHARS};
        assert_eq!(short_title("  A short title "), "A short title");
        let cut = short_title(&"word ".repeat(30)).into_owned();
        assert!(
            cut.ends_with("word…") && cut.chars().count() <= MAX_TITLE_CHARS,
            "{cut}"
        );
        assert_eq!(
            short_title(&"x".repeat(200)).chars().count(),
            MAX_TITLE_CHARS
        );
        let comma = format!("{}, and more", "a".repeat(75));
        assert_eq!(short_title(&comma), format!("{}…", "a".repeat(75)));
        // Exactly the limit, in characters of two bytes: whole.
        assert_eq!(
            short_title(&"é".repeat(MAX_TITLE_CHARS)),
            "é".repeat(MAX_TITLE_CHARS)
        );
        // Multi-byte characters at the limit: cut on character boundaries.
        for filler in ["é", "日本", "🙂 "] {
            let cut = short_title(&filler.repeat(100)).into_owned();
            assert!(
                cut.ends_with('…') && cut.chars().count() <= MAX_TITLE_CHARS,
                "{cut}"
            );
        }
    }
    use super::*;

    #[test]
    fn utf16_lengths_count_surrogate_pairs_twice() {
        for text in [
            "",
            "plain",
            "caf\u{e9}",
            "\u{2026} \u{4e2d}",
            "\u{1f600}x\u{10348}",
            "\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ] {
            assert_eq!(
                utf16_len(text) as usize,
                text.encode_utf16().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn highlights_are_utf16_offsets_in_the_copy() {
        let text = "\u{1f600} caf\u{e9} and more";
        let cafe = text.find("caf").unwrap();
        let (excerpt, highlights) = render(
            text,
            0..text.len(),
            &[(cafe, cafe + "caf\u{e9}".len())],
            true,
            true,
        );
        assert_eq!(excerpt, "\u{2026} \u{1f600} caf\u{e9} and more \u{2026}");
        let utf16: Vec<u16> = excerpt.encode_utf16().collect();
        let [start, end] = highlights[0];
        assert_eq!(
            String::from_utf16(&utf16[start as usize..end as usize]).unwrap(),
            "caf\u{e9}"
        );
    }
}

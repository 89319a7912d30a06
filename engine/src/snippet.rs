//! Excerpts: the passage of a document that best shows why it matched.
//!
//! The window is chosen from word positions alone (from the postings): the
//! [`EXCERPT_WORDS`]-word span that holds the most distinct query terms, then
//! the most matches. Only then is text touched: segmentation starts at the
//! stored checkpoint just before the window, so a long document costs no more
//! than a short one. Whitespace runs collapse to one space, `…` marks a cut,
//! and highlights are UTF-16 offsets so JavaScript's `slice` finds the words.

use crate::analysis::{word_spans, WordSpans};
use crate::index::{DocumentRecord, Index, CHECKPOINT_INTERVAL};
use crate::search::sorted;

/// Words in an excerpt.
pub const EXCERPT_WORDS: u32 = 30;
const ELLIPSIS: &str = "…";

/// Where a document matched: word positions in the title and in the body,
/// each with the query term (its slot in the query) it matched.
#[derive(Debug, Default)]
pub(crate) struct Matches {
    pub title: Vec<(u32, u8)>,
    pub body: Vec<(u32, u8)>,
}

/// The excerpt of `doc` and its highlight ranges. Falls back to the title when
/// the body has no match (or no text), and to the body's opening when neither does.
pub(crate) fn excerpt(
    index: &Index<'_>,
    doc: &DocumentRecord<'_>,
    matches: Matches,
) -> (String, Vec<[u32; 2]>) {
    let mut body = sorted(matches.body);
    body.dedup_by_key(|m| m.0);
    if body.is_empty() && (!matches.title.is_empty() || doc.body_len == 0) {
        let title: Vec<u32> = sorted(matches.title).into_iter().map(|m| m.0).collect();
        let spans = spans_at(doc.title, 0, &title);
        return render(doc.title, 0..doc.title.len(), &spans, false, false);
    }
    if doc.body_len == 0 {
        return (String::new(), Vec::new());
    }

    let (start, end) = best_window(&body, doc.body_len);
    // Byte spans of the window's words, and of its matched words.
    let mut window: Option<(usize, usize)> = None;
    let mut highlighted = Vec::new();
    let mut matched = body.iter().map(|m| m.0).filter(|&p| p >= start).peekable();
    let (from, mut position, mut words) = words_from_checkpoint(index, doc, start);
    // A plain loop over offsets rather than an iterator chain (zip,
    // take_while, filter): at opt-level "z" each adaptor stays a call per word.
    while position < end {
        let Some((word_start, word_end)) = words.next_range() else {
            break;
        };
        if position >= start {
            let span = (from + word_start, from + word_end);
            window = Some((window.map_or(span.0, |w| w.0), span.1));
            while matched.next_if(|&p| p < position).is_some() {}
            if matched.next_if_eq(&position).is_some() {
                highlighted.push(span);
            }
        }
        position += 1;
    }
    let Some((from, mut to)) = window else {
        return (String::new(), Vec::new());
    };
    // Keep the punctuation that closes the last word's sentence or quote.
    to += doc.body[to..]
        .char_indices()
        .take_while(|&(i, c)| i < 8 && !c.is_whitespace() && !c.is_alphanumeric())
        .map(|(_, c)| c.len_utf8())
        .sum::<usize>();
    render(
        doc.body,
        from..to,
        &highlighted,
        start > 0,
        end < doc.body_len,
    )
}

/// The body's words from the stored checkpoint at or before position
/// `start`, with the byte offset and the position of the first.
///
/// A checkpoint is a word start, and splitting from any word start gives the
/// same words as splitting the whole text (`tests/words.rs` holds this), so
/// the text before it is never read.
fn words_from_checkpoint<'d>(
    index: &Index<'_>,
    doc: &DocumentRecord<'d>,
    start: u32,
) -> (usize, u32, WordSpans<'d>) {
    let piece = (start / CHECKPOINT_INTERVAL) as usize;
    let (from, first_position) = index
        .checkpoints_of(doc)
        .get(piece)
        .map_or((0, 0), |&offset| {
            (offset as usize, piece as u32 * CHECKPOINT_INTERVAL)
        });
    let words = WordSpans::new(doc.body.get(from..).unwrap_or(""));
    (from, first_position, words)
}

/// The window `[start, end)` of word positions to show: the span of at most
/// [`EXCERPT_WORDS`] words with the most distinct terms, then the most matches,
/// with some words of lead-in before the first match.
fn best_window(matches: &[(u32, u8)], len: u32) -> (u32, u32) {
    let mut best = (0, 0, 0usize, 0usize); // (distinct, count, first index, last index)
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
        if (distinct, count) > (best.0, best.1) {
            best = (distinct, count, first, last);
        }
    }
    let (first, last) = (matches[best.2].0, matches[best.3].0);
    let slack = EXCERPT_WORDS - (last - first + 1);
    let start = first.saturating_sub(slack / 3);
    let end = (start + EXCERPT_WORDS).min(len);
    (end.saturating_sub(EXCERPT_WORDS).min(start), end)
}

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

/// Copies `text[range]` with whitespace runs collapsed, and converts the byte
/// spans (inside `range`, sorted, on char boundaries) to UTF-16 offsets in the result.
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
        pending_space: false,
    };
    if cut_before {
        out.push_text(ELLIPSIS);
        out.push_text(" ");
    }
    let mut highlights = Vec::with_capacity(spans.len());
    let mut at = range.start;
    for &(start, end) in spans {
        out.push_text(&text[at..start]);
        let highlight_start = out.len_before_next_word();
        out.push_text(&text[start..end]);
        highlights.push([highlight_start, out.len]);
        at = end;
    }
    out.push_text(&text[at..range.end]);
    if cut_after {
        out.push_text(" ");
        out.push_text(ELLIPSIS);
    }
    (out.text, highlights)
}

/// A string that knows its length in UTF-16 code units (JavaScript's string
/// offsets) and collapses whitespace runs to one space as text is appended.
struct Utf16Writer {
    text: String,
    len: u32,
    /// Whitespace was seen and not yet written: it becomes one space before
    /// the next non-space text, and nothing at the start or the end.
    pending_space: bool,
}

impl Utf16Writer {
    /// Appends `s` with its whitespace runs collapsed. A single space between
    /// two words needs no collapsing, so text is copied in stretches that end
    /// only at other whitespace: the stored texts are mostly words between
    /// single spaces. ASCII is read by its byte and the stretch's UTF-16
    /// length counted in the same pass: at opt-level "z", decoding every
    /// character and copying word by word made this a sixth of a seed search.
    fn push_text(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let mut run_start = 0;
        let mut run_units = 0;
        let mut at = 0;
        while at < bytes.len() {
            let byte = bytes[at];
            let (whitespace, width) = if byte.is_ascii() {
                // char::is_whitespace for ASCII: tab, line feed, vertical tab,
                // form feed, carriage return and space.
                (matches!(byte, b'\t'..=b'\r' | b' '), 1)
            } else {
                let c = s[at..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                (c.is_whitespace(), c.len_utf8())
            };
            let lone_space = byte == b' '
                && at > run_start
                && bytes
                    .get(at + 1)
                    .is_some_and(|&next| next > b' ' && next.is_ascii());
            if whitespace && !lone_space {
                self.push_run(&s[run_start..at], run_units);
                self.pending_space = true;
                run_start = at + width;
                run_units = 0;
            } else {
                // Four bytes in UTF-8 are two units (a surrogate pair) in UTF-16.
                run_units += if width == 4 { 2 } else { 1 };
            }
            at += width;
        }
        self.push_run(&s[run_start..], run_units);
    }

    /// Appends text that starts and ends with non-space (its spaces are
    /// single), `units` UTF-16 code units long.
    fn push_run(&mut self, run: &str, units: u32) {
        if run.is_empty() {
            return;
        }
        self.flush_space();
        self.text.push_str(run);
        self.len += units;
    }

    /// The offset the next word will start at (after a pending space).
    fn len_before_next_word(&mut self) -> u32 {
        self.flush_space();
        self.len
    }

    fn flush_space(&mut self) {
        if self.pending_space && !self.text.is_empty() {
            self.text.push(' ');
            self.len += 1;
        }
        self.pending_space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(pieces: &[&str]) -> (String, u32) {
        let mut out = Utf16Writer {
            text: String::new(),
            len: 0,
            pending_space: false,
        };
        for piece in pieces {
            out.push_text(piece);
        }
        (out.text, out.len)
    }

    #[test]
    fn whitespace_runs_collapse_to_one_space_and_ends_are_trimmed() {
        let cases: [(&[&str], &str); 9] = [
            (&["one two  three"], "one two three"),
            (&["  lead", "ing\t\ttab\r\nline "], "leading tab line"),
            (&["a \u{a0}b"], "a b"),
            (&["a\u{a0} b"], "a b"),
            (&["a \u{2003}\u{3000} b"], "a b"),
            (&["a ", " b"], "a b"),
            (&["a", " ", "b"], "a b"),
            (&["x \u{e9}t\u{e9} y"], "x \u{e9}t\u{e9} y"),
            (&[" ", "\n"], ""),
        ];
        for (pieces, expected) in cases {
            let (text, len) = written(pieces);
            assert_eq!(text, expected, "{pieces:?}");
            assert_eq!(len as usize, expected.encode_utf16().count(), "{pieces:?}");
        }
    }

    #[test]
    fn lengths_are_utf16_code_units() {
        let (text, len) = written(&["\u{1f600} caf\u{e9}  \u{10348}x \u{4e2d}"]);
        assert_eq!(text, "\u{1f600} caf\u{e9} \u{10348}x \u{4e2d}");
        assert_eq!(len as usize, text.encode_utf16().count());
    }
}

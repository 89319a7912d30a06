//! Excerpts: the passage of a document that best shows why it matched.
//!
//! The window is chosen from word positions alone (from the postings): the
//! [`EXCERPT_WORDS`]-word span that holds the most distinct query terms, then
//! the most matches. Only then is text touched: segmentation starts at the
//! stored checkpoint just before the window, so a long document costs no more
//! than a short one. Whitespace runs collapse to one space, `…` marks a cut,
//! and highlights are UTF-16 offsets so JavaScript's `slice` finds the words.

use crate::analysis::word_spans;
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
pub(crate) fn excerpt(index: &Index<'_>, doc: &DocumentRecord<'_>, matches: Matches) -> (String, Vec<[u32; 2]>) {
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
    let checkpoint = (start / CHECKPOINT_INTERVAL) as usize;
    let checkpoints = index.checkpoints_of(doc);
    let (first_position, base) = match checkpoints.get(checkpoint) {
        Some(&offset) => (checkpoint as u32 * CHECKPOINT_INTERVAL, offset as usize),
        None => (0, 0),
    };
    // Byte spans of the window's words, and of its matched words.
    let mut window: Option<(usize, usize)> = None;
    let mut highlighted = Vec::new();
    let mut matched = body.iter().map(|m| m.0).filter(|&p| p >= start).peekable();
    for (position, (offset, word)) in (first_position..).zip(word_spans(&doc.body[base..])) {
        if position >= end {
            break;
        }
        if position < start {
            continue;
        }
        let span = (base + offset, base + offset + word.len());
        window = Some((window.map_or(span.0, |w| w.0), span.1));
        while matched.next_if(|&p| p < position).is_some() {}
        if matched.next_if_eq(&position).is_some() {
            highlighted.push(span);
        }
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
    render(doc.body, from..to, &highlighted, start > 0, end < doc.body_len)
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
        let distinct = matches[first..=last].iter().fold(0u64, |seen, m| seen | 1 << (m.1 % 64)).count_ones();
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
    let mut out = Utf16Writer::default();
    if cut_before {
        out.push(ELLIPSIS);
        out.push(" ");
    }
    let mut highlights = Vec::with_capacity(spans.len());
    let mut spans = spans.iter().peekable();
    let mut open: Option<u32> = None;
    let mut pending_space = false;
    let base = range.start;
    for (i, c) in text[range].char_indices() {
        let at = base + i;
        match (open, spans.peek()) {
            (Some(start), Some(&&(_, end))) if at == end => {
                highlights.push([start, out.len]);
                open = None;
                spans.next();
            }
            _ => {}
        }
        if c.is_whitespace() {
            pending_space = !out.text.is_empty();
            continue;
        }
        if pending_space {
            out.push(" ");
            pending_space = false;
        }
        if let (None, Some(&&(start, _))) = (open, spans.peek()) {
            if at == start {
                open = Some(out.len);
            }
        }
        out.push(c.encode_utf8(&mut [0u8; 4]));
    }
    if let Some(start) = open {
        highlights.push([start, out.len]);
    }
    if cut_after {
        out.push(" ");
        out.push(ELLIPSIS);
    }
    (out.text, highlights)
}

/// A string that knows its length in UTF-16 code units, JavaScript's string offsets.
#[derive(Default)]
struct Utf16Writer {
    text: String,
    len: u32,
}

impl Utf16Writer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.len += s.encode_utf16().count() as u32;
    }
}

//! The term dictionary: the index's distinct terms, sorted, with what
//! lookups and the typo walk need to read them quickly.

use std::ops::Range;

/// The term dictionary: distinct terms in sorted order, back to back in one
/// string (one allocation, rather than one per term).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Terms {
    text: String,
    /// `text[ends[i - 1]..ends[i]]` is term `i` (from 0 for the first).
    ends: Vec<u32>,
    /// Each term's length in characters, and how many characters it shares
    /// with the term before it (terms are at most 64 bytes, so these fit a
    /// byte): typo matching walks the terms as a trie with these alone,
    /// reading a term's text only where its distance must be computed.
    char_lens: Vec<u8>,
    shared_chars: Vec<u8>,
    /// `by_first_byte[b]` is the first term whose first byte is `b` or more
    /// (every term, past the end). A lookup binary-searches only the terms
    /// that start with its first byte: a twentieth of an English vocabulary,
    /// and half the steps, where the lookups of a seed search were a tenth
    /// of its instructions.
    by_first_byte: Vec<u32>,
}

impl Terms {
    /// Appends a term; callers add them in increasing order.
    pub(crate) fn push(&mut self, term: &str) {
        let shared = match self.last() {
            Some(previous) => previous
                .chars()
                .zip(term.chars())
                .take_while(|(a, b)| a == b)
                .count(),
            None => 0,
        };
        let first_byte = term.as_bytes().first().map_or(0, |&b| usize::from(b));
        while self.by_first_byte.len() <= first_byte {
            self.by_first_byte.push(self.ends.len() as u32);
        }
        self.text.push_str(term);
        self.ends.push(self.text.len() as u32);
        self.char_lens.push(term.chars().count().min(255) as u8);
        self.shared_chars.push(shared.min(255) as u8);
    }

    // The accessors below are inlined by force: the typo walk calls them per
    // term, and at opt-level "z" they would otherwise stay calls.

    /// The length of term `id` in characters.
    #[inline(always)]
    pub(crate) fn char_len(&self, id: usize) -> usize {
        usize::from(self.char_lens[id])
    }

    /// How many leading characters term `id` shares with term `id - 1` (0 for the first).
    #[inline(always)]
    pub(crate) fn shared_with_previous(&self, id: usize) -> usize {
        usize::from(self.shared_chars[id])
    }

    #[inline(always)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where term `id` lies in `text`.
    #[inline(always)]
    fn range(&self, id: usize) -> Range<usize> {
        let start = if id == 0 {
            0
        } else {
            self.ends[id - 1] as usize
        };
        start..self.ends[id] as usize
    }

    /// Term `id`'s bytes: cheaper than [`Terms::get`], which checks that
    /// the slice falls on character boundaries.
    #[inline(always)]
    pub(crate) fn bytes(&self, id: usize) -> &[u8] {
        &self.text.as_bytes()[self.range(id)]
    }

    pub(crate) fn get(&self, id: usize) -> &str {
        &self.text[self.range(id)]
    }

    pub(crate) fn last(&self) -> Option<&str> {
        self.len().checked_sub(1).map(|id| self.get(id))
    }

    #[cfg(feature = "build")]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|id| self.get(id))
    }

    /// The id of `term`, if it is in the dictionary.
    pub(crate) fn id(&self, term: &str) -> Option<usize> {
        let term = term.as_bytes();
        let id = self.partition_point(term, false);
        (id < self.len() && self.bytes(id) == term).then_some(id)
    }

    /// The ids of the terms that start with `prefix`: a contiguous range, since terms are sorted.
    pub(crate) fn with_prefix(&self, prefix: &str) -> Range<usize> {
        let prefix = prefix.as_bytes();
        self.partition_point(prefix, false)..self.partition_point(prefix, true)
    }

    /// The first id whose term is not before `key` (nor starts with it, when
    /// `or_starting` is set): terms are sorted, so those come first. Only the
    /// terms that start with `key`'s first byte are searched. Compares bytes,
    /// which is `str` order too, without checking character boundaries.
    fn partition_point(&self, key: &[u8], or_starting: bool) -> usize {
        let start_of = |byte: usize| {
            self.by_first_byte
                .get(byte)
                .map_or(self.len(), |&id| id as usize)
        };
        let (mut low, mut high) = match key.first() {
            Some(&first) => (
                start_of(usize::from(first)),
                start_of(usize::from(first) + 1),
            ),
            None => (0, self.len()),
        };
        while low < high {
            let mid = low + (high - low) / 2;
            let term = self.bytes(mid);
            if term < key || (or_starting && term.starts_with(key)) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        low
    }
}

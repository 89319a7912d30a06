//! How candidates are ordered, and the one sort the query-time code uses.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A candidate's rank: documents with every required clause first, then
/// those named for the query (by [`Ranked::lead`]), then by score, then by
/// document order so that results are deterministic.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ranked {
    pub complete: bool,
    /// How the document is named for the query: one of the `LEAD_` values,
    /// 0 when it is not.
    pub lead: u8,
    pub score: f32,
    pub doc: u32,
}

/// The document's title is the query.
pub(crate) const LEAD_TITLE_IS: u8 = 4;
/// The document's title starts with the query.
pub(crate) const LEAD_TITLE_STARTS: u8 = 3;
/// One of the document's sections' headings is the query.
pub(crate) const LEAD_HEADING_IS: u8 = 2;
/// One of the document's sections' headings starts with the query.
pub(crate) const LEAD_HEADING_STARTS: u8 = 1;

impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, other: &Self) -> Ordering {
        self.complete
            .cmp(&other.complete)
            .then_with(|| self.lead.cmp(&other.lead))
            .then_with(|| self.score.total_cmp(&other.score))
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// Sorts by heap sort. Why not `slice::sort_unstable`: each of its
/// instantiations brings core's pattern-defeating quicksort and its sorting
/// networks, 3–4 KB of wasm apiece; the heap's code is a fraction of that, and
/// the lists sorted at query time are short.
pub(crate) fn sorted<T: Ord>(items: Vec<T>) -> Vec<T> {
    BinaryHeap::from(items).into_sorted_vec()
}

/// Sorts numbers through the `(u32, u8)` instantiation of [`sorted`] that
/// excerpts need anyway: one heap's code fewer in the module (0.1 KB gzipped).
pub(crate) fn sorted_numbers(numbers: Vec<u32>) -> Vec<u32> {
    sorted(numbers.into_iter().map(|n| (n, 0u8)).collect())
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

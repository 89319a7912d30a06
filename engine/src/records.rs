//! A sharded index's texts, cut so that a hit costs one small request
//! rather than a file of its neighbours' texts.
//!
//! A search shows ten hits, each with its title, its URL and an excerpt of
//! [`EXCERPT_WORDS`](crate::snippet::EXCERPT_WORDS) words. Texts cut by
//! document range made each hit fetch about 16 KB (its page and the pages
//! beside it); a page on its own, as Pagefind fetches it, is still the whole
//! page. Here each document is a **record** in a texts file: its body in
//! blocks, each fetched alone with an HTTP range request.
//!
//! ```text
//! record   block 0 · block 1 · … (at least one, for a document without body
//!          text), each in a slot of the record's slot length
//! slot     stored length (varint) · the block, stored (deflated) · zeros
//! block j  document · j · id · title · url · title words · body words ·
//!          the body from word j × BLOCK_WORDS to word (j + 1) × BLOCK_WORDS +
//!          BLOCK_OVERLAP (or its end), with the space after it · its
//!          checkpoints, as differences · the sections it overlaps (the one
//!          its first word is in, and those that start in it), as the
//!          embedded format's DOCS section writes a document's · its metadata
//! ```
//!
//! Every block carries its document's title and URL, so a hit needs one
//! block: the one its excerpt starts in, which the search knows from the
//! postings' word positions before it fetches any text. Slots are all the
//! record's longest block's length, rounded up to [`SLOT_ALIGN`] bytes, and
//! the core holds that length per document (in units of [`SLOT_ALIGN`], a
//! byte for most), so every block's place in its file is known from the core
//! alone: no round trip for a table of contents. The padding costs disk, not
//! transfer. Blocks overlap by [`BLOCK_OVERLAP`] words, so an excerpt that
//! starts in a block ends in it.
//!
//! Each block is stored (deflated, by the indexer) on its own, as every other
//! file is whole: the engine is handed a `store` function when it encodes and
//! a `restore` one when it reads, and never sees the codec.

use crate::error::FormatError;
use crate::format::Reader;
use crate::index::{SectionRef, CHECKPOINT_INTERVAL};

/// Words a block starts apart: an excerpt's fetch is about this many words
/// (some 600 bytes deflated).
pub const BLOCK_WORDS: u32 = 128;
/// Words a block runs on past the next block's start: at least an excerpt's
/// length, so that the excerpt that starts in a block ends in it.
pub const BLOCK_OVERLAP: u32 = 32;
/// Slots are a multiple of this many bytes, so that the core stores a slot's
/// length in a byte for most documents (under 4 KB a block).
pub const SLOT_ALIGN: u32 = 32;

const _: () = assert!(
    BLOCK_OVERLAP >= crate::snippet::EXCERPT_WORDS
        && BLOCK_WORDS % CHECKPOINT_INTERVAL == 0
        && BLOCK_OVERLAP % CHECKPOINT_INTERVAL == 0
);

/// Blocks of a record whose body has `body_len` words (one when it has none).
pub(crate) fn block_count(body_len: u32) -> u32 {
    body_len.div_ceil(BLOCK_WORDS).max(1)
}

/// Words of block `j` of a body of `body_len` words.
fn block_words(body_len: u32, j: u32) -> u32 {
    body_len
        .saturating_sub(j * BLOCK_WORDS)
        .min(BLOCK_WORDS + BLOCK_OVERLAP)
}

/// A block as read: its document's id, title and URL, its text, and its
/// checkpoints (byte offsets in the text of every [`CHECKPOINT_INTERVAL`]-th
/// word from its first).
#[derive(Debug, PartialEq)]
pub(crate) struct Block<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    pub text: &'a str,
    pub checkpoints: Vec<u32>,
    /// The sections the block overlaps, by their words in the whole body.
    pub sections: Vec<SectionRef<'a>>,
    /// Its document's metadata: every block carries it, as it does the title.
    #[cfg(feature = "facets")]
    pub meta: Vec<(&'a str, &'a str)>,
}

/// What the core says of a document's record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected {
    pub doc: u32,
    pub title_len: u32,
    pub body_len: u32,
}

/// Reads block `j` of document `expected.doc` from its slot, as stored.
pub(crate) fn read_block<'s, 'a>(
    slot: &'s [u8],
    expected: Expected,
    j: u32,
    restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
) -> Result<Block<'a>, FormatError> {
    let mut prefix = Reader::new(slot, 0);
    let stored_len = prefix.varint()? as usize;
    let stored = prefix.take(stored_len, "a text block runs past its slot")?;
    let raw = restore(stored).ok_or(FormatError::Corrupt {
        offset: prefix.pos,
        reason: "a text block is not deflated data",
    })?;
    let mut block = Reader::new(raw, 0);
    if block.varint()? != expected.doc || block.varint()? != j {
        return Err(block.corrupt("a text block is another document's or another block"));
    }
    let id = block.str()?;
    let title = block.str()?;
    let url = block.str()?;
    if block.varint()? != expected.title_len || block.varint()? != expected.body_len {
        return Err(block.corrupt("a document's lengths differ from the core's"));
    }
    let text = block.str()?;
    let words = block_words(expected.body_len, j);
    let mut checkpoints = Vec::new();
    const BAD_CHECKPOINT: &str = "checkpoint is not an increasing character boundary of the text";
    // A word is at least a byte: the text is at least as long as its words.
    if (words as usize) > text.len() {
        return Err(block.corrupt(BAD_CHECKPOINT));
    }
    block.deltas_into(
        words.div_ceil(CHECKPOINT_INTERVAL),
        text.len() as u32,
        &mut checkpoints,
        BAD_CHECKPOINT,
    )?;
    if checkpoints.first().is_some_and(|&c| c != 0)
        || !checkpoints
            .iter()
            .all(|&c| text.is_char_boundary(c as usize))
    {
        return Err(block.corrupt(BAD_CHECKPOINT));
    }
    let sections = block.sections(expected.body_len)?;
    #[cfg(feature = "facets")]
    let meta = block.meta()?;
    #[cfg(not(feature = "facets"))]
    block.no_meta()?;
    block.expect_end()?;
    Ok(Block {
        id,
        title,
        url,
        text,
        checkpoints,
        sections,
        #[cfg(feature = "facets")]
        meta,
    })
}

#[cfg(feature = "build")]
pub(crate) use build::write_record;

#[cfg(feature = "build")]
mod build {
    use super::*;
    use crate::format::{put_meta, put_sections, put_str, put_varint};
    use crate::index::DocumentRecord;

    /// Appends document `doc`'s record to `out`, each block passed through
    /// `store`; returns its slot length (a multiple of [`SLOT_ALIGN`]).
    /// `checkpoints` are the document's own (`Index::checkpoints_of`).
    pub(crate) fn write_record(
        record: &DocumentRecord<'_>,
        checkpoints: &[u32],
        doc: u32,
        store: &mut dyn FnMut(&[u8]) -> Vec<u8>,
        out: &mut Vec<u8>,
    ) -> u32 {
        let slots: Vec<Vec<u8>> = (0..block_count(record.body_len))
            .map(|j| {
                let first = (j * BLOCK_WORDS / CHECKPOINT_INTERVAL) as usize;
                let words = block_words(record.body_len, j);
                let start = checkpoints.get(first).map_or(0, |&c| c as usize);
                let end = checkpoints
                    .get(first + ((BLOCK_WORDS + BLOCK_OVERLAP) / CHECKPOINT_INTERVAL) as usize)
                    .filter(|_| words == BLOCK_WORDS + BLOCK_OVERLAP)
                    .map_or(record.body.len(), |&c| c as usize);
                let mut raw = Vec::new();
                put_varint(&mut raw, doc);
                put_varint(&mut raw, j);
                put_str(&mut raw, record.id);
                put_str(&mut raw, record.title);
                put_str(&mut raw, record.url);
                put_varint(&mut raw, record.title_len);
                put_varint(&mut raw, record.body_len);
                put_str(&mut raw, &record.body[start..end]);
                let mut previous = 0;
                let count = words.div_ceil(CHECKPOINT_INTERVAL) as usize;
                for &c in &checkpoints[first.min(checkpoints.len())..][..count] {
                    put_varint(&mut raw, c - start as u32 - previous);
                    previous = c - start as u32;
                }
                let first_word = j * BLOCK_WORDS;
                let in_effect = record.sections.partition_point(|s| s.word <= first_word);
                let overlapped: Vec<_> = record.sections[in_effect.saturating_sub(1)..]
                    .iter()
                    .take_while(|s| s.word < first_word + words.max(1))
                    .copied()
                    .collect();
                put_sections(&mut raw, &overlapped);
                put_meta(&mut raw, &record.meta);
                let stored = store(&raw);
                let mut slot = Vec::with_capacity(stored.len() + 5);
                put_varint(&mut slot, stored.len() as u32);
                slot.extend_from_slice(&stored);
                slot
            })
            .collect();
        let slot_len = slots
            .iter()
            .map(Vec::len)
            .max()
            .unwrap_or(0)
            .next_multiple_of(SLOT_ALIGN as usize);
        for slot in &slots {
            out.extend_from_slice(slot);
            out.resize(out.len() + slot_len - slot.len(), 0);
        }
        slot_len as u32
    }
}

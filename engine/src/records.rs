//! A sharded index's texts, cut so that a hit costs a few hundred bytes
//! rather than a file of its neighbours' texts.
//!
//! A search shows ten hits, each with its title, its URL and an excerpt of
//! [`EXCERPT_WORDS`](crate::snippet::EXCERPT_WORDS) words. Texts cut by
//! document range made each hit fetch about 16 KB (its page and the pages
//! beside it); a page on its own, as Pagefind fetches it, is still the whole
//! page. Here each document is a **record** in a texts file, fetched with an
//! HTTP range request:
//!
//! ```text
//! record   head length (varint) · head · block 0 · block 1 · …, zero-padded
//!          to a multiple of RECORD_ALIGN bytes
//! head     document · id · title · url · title words · body words ·
//!          number of blocks · each block's stored length        (stored: deflated)
//! block j  document · j · the body from word j × BLOCK_WORDS to word
//!          (j + 1) × BLOCK_WORDS + BLOCK_OVERLAP (or its end), with the
//!          trailing space · its checkpoints, as differences       (stored: deflated)
//! ```
//!
//! The core holds every record's length (in units of [`RECORD_ALIGN`], a
//! byte for most documents), so a record's place in its file is known from
//! the start. A hit's first fetch is its record's first [`FIRST_FETCH`]
//! bytes: its head, and the first blocks (all of a short document); an
//! excerpt further in fetches its one block, whose place the head gives.
//! Blocks overlap by [`BLOCK_OVERLAP`] words, so an excerpt that starts in
//! block j ends in it: one block per excerpt, always.
//!
//! Each head and block is stored (deflated, by the indexer) on its own, as
//! every other file is whole: the engine is handed a `store` function when
//! it encodes and a `restore` one when it reads, and never sees the codec.

use crate::error::FormatError;
use crate::format::Reader;
use crate::index::CHECKPOINT_INTERVAL;

/// Words a block starts apart: an excerpt's fetch is about this many words
/// (some 500 bytes deflated).
pub const BLOCK_WORDS: u32 = 128;
/// Words a block runs on past the next block's start: at least an excerpt's
/// length, so that the excerpt that starts in a block ends in it.
pub const BLOCK_OVERLAP: u32 = 32;
/// Records start at multiples of this many bytes, so that the core stores a
/// record's length in a byte for most documents (under 4 KB stored).
pub const RECORD_ALIGN: u32 = 32;
/// Bytes fetched from a record's start for a hit: its head and first blocks.
pub const FIRST_FETCH: u32 = 2048;

const _: () = assert!(
    BLOCK_OVERLAP >= crate::snippet::EXCERPT_WORDS
        && BLOCK_WORDS % CHECKPOINT_INTERVAL == 0
        && BLOCK_OVERLAP % CHECKPOINT_INTERVAL == 0
);

/// Blocks of a body of `body_len` words.
pub(crate) fn block_count(body_len: u32) -> u32 {
    body_len.div_ceil(BLOCK_WORDS)
}

/// Words of block `j` of a body of `body_len` words.
fn block_words(body_len: u32, j: u32) -> u32 {
    (body_len - j * BLOCK_WORDS).min(BLOCK_WORDS + BLOCK_OVERLAP)
}

/// A record's head as read.
#[derive(Debug)]
pub(crate) struct Head<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub url: &'a str,
    /// Where each block starts in the record, and where the last one ends.
    pub block_offsets: Vec<u32>,
}

/// A block as read: its text and its checkpoints (byte offsets in the text
/// of every [`CHECKPOINT_INTERVAL`]-th word from its first).
#[derive(Debug, PartialEq)]
pub(crate) struct Block<'a> {
    pub text: &'a str,
    pub checkpoints: Vec<u32>,
}

/// What a document's lengths in the core say its record must hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Expected {
    pub doc: u32,
    pub title_len: u32,
    pub body_len: u32,
    /// The record's stored length, padding included.
    pub record_len: u32,
}

/// `restore`, with an error for stored bytes it cannot read.
fn restored<'s, 'a>(
    stored: &'s [u8],
    restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
) -> Result<&'a [u8], FormatError> {
    restore(stored).ok_or(FormatError::Corrupt {
        offset: 0,
        reason: "a part of a text record is not deflated data",
    })
}

/// Reads a record's head from `bytes`, the first bytes of the record. Ok(None)
/// when `bytes` stop before the head's end: it then needs the first `.1` bytes.
pub(crate) fn read_head<'s, 'a>(
    bytes: &'s [u8],
    expected: Expected,
    restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
) -> Result<Result<Head<'a>, u32>, FormatError> {
    let mut prefix = Reader::new(bytes, 0);
    let head_len = match prefix.varint() {
        Ok(len) => len,
        // Five bytes always hold the varint: fewer is a short fetch.
        Err(_) if bytes.len() < 5 && (bytes.len() as u32) < expected.record_len => {
            return Ok(Err(5.min(expected.record_len)))
        }
        Err(error) => return Err(error),
    };
    let head_end = (prefix.pos as u32)
        .checked_add(head_len)
        .filter(|&end| end <= expected.record_len)
        .ok_or_else(|| prefix.corrupt("a record's head runs past the record"))?;
    if head_end as usize > bytes.len() {
        return Ok(Err(head_end));
    }
    let raw = restored(&bytes[prefix.pos..head_end as usize], restore)?;
    let mut head = Reader::new(raw, 0);
    if head.varint()? != expected.doc {
        return Err(head.corrupt("a record is another document's"));
    }
    let id = head.str()?;
    let title = head.str()?;
    let url = head.str()?;
    if head.varint()? != expected.title_len || head.varint()? != expected.body_len {
        return Err(head.corrupt("a document's lengths differ from the core's"));
    }
    let blocks = head.varint()?;
    if blocks != block_count(expected.body_len) {
        return Err(head.corrupt("a record has another number of blocks than its body needs"));
    }
    let mut block_offsets = Vec::with_capacity(blocks as usize + 1);
    let mut at = head_end;
    block_offsets.push(at);
    for _ in 0..blocks {
        at = at
            .checked_add(head.varint()?)
            .filter(|&end| end <= expected.record_len)
            .ok_or_else(|| head.corrupt("a record's blocks run past the record"))?;
        block_offsets.push(at);
    }
    head.expect_end()?;
    Ok(Ok(Head {
        id,
        title,
        url,
        block_offsets,
    }))
}

/// Reads block `j` of document `expected.doc` from its stored bytes.
pub(crate) fn read_block<'s, 'a>(
    stored: &'s [u8],
    expected: Expected,
    j: u32,
    restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
) -> Result<Block<'a>, FormatError> {
    let raw = restored(stored, restore)?;
    let mut block = Reader::new(raw, 0);
    if block.varint()? != expected.doc || block.varint()? != j {
        return Err(block.corrupt("a text block is another document's or another block"));
    }
    let text = block.str()?;
    let words = block_words(expected.body_len, j);
    let mut checkpoints = Vec::new();
    const BAD_CHECKPOINT: &str = "checkpoint is not an increasing character boundary of the text";
    block.deltas_into(
        words.div_ceil(CHECKPOINT_INTERVAL),
        // A word is at least a byte: the text is at least as long as its words.
        (text.len() as u32).max(1),
        &mut checkpoints,
        BAD_CHECKPOINT,
    )?;
    if checkpoints.first() != Some(&0)
        || (words as usize) > text.len()
        || !checkpoints
            .iter()
            .all(|&c| text.is_char_boundary(c as usize))
    {
        return Err(block.corrupt(BAD_CHECKPOINT));
    }
    block.expect_end()?;
    Ok(Block { text, checkpoints })
}

#[cfg(feature = "build")]
pub(crate) use build::write_record;

#[cfg(feature = "build")]
mod build {
    use super::*;
    use crate::format::{put_str, put_varint};
    use crate::index::{DocumentRecord, Index};

    /// Appends document `doc`'s record to `out`, each part passed through
    /// `store`; returns its length (a multiple of [`RECORD_ALIGN`]).
    pub(crate) fn write_record(
        index: &Index<'_>,
        doc: u32,
        store: &mut dyn FnMut(&[u8]) -> Vec<u8>,
        out: &mut Vec<u8>,
    ) -> u32 {
        let record: &DocumentRecord<'_> = &index.documents[doc as usize];
        let checkpoints = index.checkpoints_of(record);
        let blocks: Vec<Vec<u8>> = (0..block_count(record.body_len))
            .map(|j| {
                let first = (j * BLOCK_WORDS / CHECKPOINT_INTERVAL) as usize;
                let words = block_words(record.body_len, j);
                let start = checkpoints[first] as usize;
                let end = checkpoints
                    .get(first + ((BLOCK_WORDS + BLOCK_OVERLAP) / CHECKPOINT_INTERVAL) as usize)
                    .filter(|_| words == BLOCK_WORDS + BLOCK_OVERLAP)
                    .map_or(record.body.len(), |&c| c as usize);
                let mut raw = Vec::new();
                put_varint(&mut raw, doc);
                put_varint(&mut raw, j);
                put_str(&mut raw, &record.body[start..end]);
                let mut previous = 0;
                for &c in &checkpoints[first..first + words.div_ceil(CHECKPOINT_INTERVAL) as usize]
                {
                    put_varint(&mut raw, c - start as u32 - previous);
                    previous = c - start as u32;
                }
                store(&raw)
            })
            .collect();
        let mut head = Vec::new();
        put_varint(&mut head, doc);
        put_str(&mut head, record.id);
        put_str(&mut head, record.title);
        put_str(&mut head, record.url);
        put_varint(&mut head, record.title_len);
        put_varint(&mut head, record.body_len);
        put_varint(&mut head, blocks.len() as u32);
        for block in &blocks {
            put_varint(&mut head, block.len() as u32);
        }
        let head = store(&head);
        let start = out.len();
        put_varint(out, head.len() as u32);
        out.extend_from_slice(&head);
        for block in &blocks {
            out.extend_from_slice(block);
        }
        let len = (out.len() - start).next_multiple_of(RECORD_ALIGN as usize);
        out.resize(start + len, 0);
        len as u32
    }
}

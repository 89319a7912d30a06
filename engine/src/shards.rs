//! A sharded index: a large site's index cut into files that a search fetches
//! only as it needs them, read by the same search code as an embedded index.
//!
//! ```text
//! manifest.json   (serde) the files, by content-hashed name and size, and where each shard's
//!                 range starts: what ties one build together
//! core            per document: title words, body words (what BM25F needs of every
//!                 candidate), and its text blocks' slot length; then the filters and
//!                 sort keys (`facets.rs`), which every search that uses them needs whole
//! dictionary      shards side by side, each a range of the sorted terms, front-coded: per
//!                 term its document frequency and the byte length of its postings (× 2, + 1
//!                 when they start the next postings file)
//! postings/N      about 16 KB of postings, term by term in term order (heads length · heads ·
//!                 positions, as in the embedded POSTINGS section)
//! texts/N         a range of documents' records (`records.rs`): each its body in blocks that
//!                 carry its id, title and URL
//! vectors         shards side by side, each a range of documents' semantic vectors
//! ```
//! Every file but the manifest starts with the index's magic number, format
//! version, its kind and its number, and so does every dictionary and vector
//! shard, so a file or shard put in the wrong place is an error, never a
//! wrong answer. Files are stored through the `store` function
//! [`encode_sharded`] is given, and read back through the `restore` one
//! [`Index::add_shard`] is given (the indexer deflates, the wasm boundary
//! inflates); every file but the core a part at a time (a shard, a term's
//! postings, a block), because a search fetches those parts alone, by HTTP
//! range request ([`Index::byte_range`]): a first byte's dictionary shards
//! at once, its terms' postings (those within [`POSTINGS_GAP`] of each other
//! at once), its candidates' vector shards, and one block of text per hit.
//! A host that ignores range requests sends the whole file, of which the
//! boundary cuts the range.
//!
//! **Round trips are what a slow link pays for**, more than bytes (on
//! Chromium's "Slow 4G", 150 ms each, as long as 30 KB takes). So a small
//! site's dictionary (the manifest's `prefetch_dictionary`) is fetched whole
//! beside the core while the module compiles; a long question asks for a
//! small site's vectors with its words, not after its postings
//! ([`VECTORS_AT_ONCE`]); parts of one file side by side are one request; a
//! round of more requests than a browser runs at once over HTTP/1.1 merges
//! close parts of one file where that saves a wave ([`WAVE_BYTES`]; never
//! over HTTP/2 or 3: [`Index::set_parallel_requests`]); and the longest
//! request goes first.
//!
//! **How a search finds what it needs.** The index starts with the core alone
//! and runs every search as it would in memory; whatever a search touches that
//! has not arrived (a word's dictionary range, a term's postings, a hit's
//! block of text, a candidate's vector) it notes as missing and treats as
//! empty, and the search's results are then not final: the caller fetches
//! what [`Index::take_missing`] lists, hands each in with
//! [`Index::add_shard`], and runs the search again. A search needs at most
//! five rounds (dictionary, postings, the candidates' vectors, the hits'
//! blocks of text, the "did you mean" check's postings; four on a small site,
//! whose vectors come with the dictionary), each only for what the previous
//! one found, and its final results are those of the same index in memory:
//! the same code ran on the same data.
//!
//! **Typos keep working.** Every way a query word finds terms (exactly, as a
//! prefix, through the stems it has grown past, within typos) looks only at the
//! terms that start with the word's first byte (typos never change the first
//! letter: `typo.rs`). A word's lookups therefore wait for every dictionary
//! shard that holds terms starting with that byte, and find exactly what they
//! would find in the whole dictionary. The right spelling is never hidden in a
//! shard that was not fetched.

use std::cell::{Cell, RefCell};

use serde::{Deserialize, Serialize};

use crate::error::FormatError;
use crate::format::{read_header, read_postings, Reader, VERSION};
use crate::index::{DocumentRecord, Index, SectionRef, TermInfo, CHECKPOINT_INTERVAL, NOT_DECODED};
use crate::records::{self, block_count, Block, Expected, BLOCK_WORDS, SLOT_ALIGN};
use crate::semantic::Semantic;
use crate::sorted_map::SortedMap;
use crate::terms::Terms;

/// The kinds of file a sharded index fetches after its core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ShardKind {
    Dictionary,
    Postings,
    /// A texts file: whole (what `corpusInfo` needs: every title), or a
    /// span of its blocks' slots.
    Texts,
    Vectors,
    /// One block of a document's record, in its texts file: what a search
    /// notes as missing ([`Index::take_missing`] asks for it as a texts span).
    Block,
}

impl ShardKind {
    /// The kind's byte in a file's header (the core is 0).
    fn tag(self) -> u8 {
        match self {
            ShardKind::Dictionary => 1,
            ShardKind::Postings => 2,
            ShardKind::Texts | ShardKind::Block => 3,
            ShardKind::Vectors => 4,
        }
    }
}

/// One shard: its kind and its number among that kind's (from 0).
/// - [`ShardKind::Dictionary`], [`ShardKind::Vectors`]: shards side by side
///   in their one file, `len` of them (0 counts as 1) from `number`.
/// - [`ShardKind::Postings`]: a span of postings file `number`: `len` bytes
///   from offset `part` in its body (0: to its end).
/// - [`ShardKind::Texts`]: texts file `number`, whole (`len` 0) or the `len`
///   bytes from offset `part` in the file: whole slots of blocks.
/// - [`ShardKind::Block`]: a block of a document's record: `number` is the
///   document, `part` the block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShardRef {
    pub kind: ShardKind,
    pub number: u32,
    pub part: u32,
    pub len: u32,
}

impl ShardRef {
    pub fn new(kind: ShardKind, number: u32) -> Self {
        Self::new_part(kind, number, 0)
    }

    pub fn new_part(kind: ShardKind, number: u32, part: u32) -> Self {
        ShardRef {
            kind,
            number,
            part,
            len: 0,
        }
    }
}

/// `manifest.json`: every file of one build, and the ranges the shards hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    /// The format version of the files ([`crate::format::VERSION`]).
    pub format: u32,
    /// Number of documents.
    pub documents: u32,
    pub core: FileEntry,
    /// The file of the dictionary's shards.
    pub dictionary_file: FileEntry,
    /// Whether the dictionary file is small enough that `search.js` fetches
    /// it whole beside the core and the module, rather than each search its
    /// words' shards a round later (see `PREFETCH_DICTIONARY_BYTES`).
    pub prefetch_dictionary: bool,
    /// In term order.
    pub dictionary: Vec<DictionaryShard>,
    pub postings: Vec<FileEntry>,
    /// In document order.
    pub texts: Vec<RangeShard>,
    /// Dimensions of the semantic vectors; 0 (and no vectors file) when the
    /// corpus is too small to learn them.
    pub dimensions: u32,
    /// The file of the vector shards.
    pub vectors_file: Option<FileEntry>,
    /// In document order.
    pub vectors: Vec<VectorShard>,
    /// The languages whose stemmers the pages were stemmed with (codes, the
    /// most pages' first); absent when every page was stemmed as English.
    /// Queries are stemmed in each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Parallel to `languages`: each one's stop words, folded, sorted and
    /// joined by spaces (none for English, whose list is built in). One
    /// string a language, as `languages` has, so that reading it costs the
    /// modules no code of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stop_words: Vec<String>,
}

/// A file of the index, by name (relative to the manifest) and size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DictionaryShard {
    /// Where the shard is in the dictionary file, and its stored bytes.
    pub offset: u32,
    pub bytes: u32,
    /// The shard holds the terms from this one up to the next shard's first.
    pub first_term: String,
    /// The postings shard that holds this shard's terms' postings, where in
    /// it the first term's start (the rest follow in term order), and how
    /// many bytes they take together.
    pub postings: u32,
    pub postings_offset: u32,
    pub postings_bytes: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RangeShard {
    pub file: FileEntry,
    /// The shard holds the documents from this one up to the next shard's first.
    pub first_document: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VectorShard {
    /// Where the shard is in the vectors file, and its stored bytes.
    pub offset: u32,
    pub bytes: u32,
    /// The shard holds the documents from this one up to the next shard's first.
    pub first_document: u32,
}

impl Manifest {
    /// The file that holds `shard`, if the manifest has it (for a part of a
    /// texts file, the file; [`Index::byte_range`] says where in it).
    pub fn file(&self, shard: ShardRef) -> Option<&FileEntry> {
        let n = self.file_number(shard);
        match shard.kind {
            ShardKind::Dictionary => self.dictionary.get(n).map(|_| &self.dictionary_file),
            ShardKind::Postings => self.postings.get(n),
            ShardKind::Texts | ShardKind::Block => self.texts.get(n).map(|s| &s.file),
            ShardKind::Vectors => self.vectors.get(n).and(self.vectors_file.as_ref()),
        }
    }

    /// The number of the file of its kind that holds `shard`.
    fn file_number(&self, shard: ShardRef) -> usize {
        match shard.kind {
            ShardKind::Dictionary | ShardKind::Vectors => 0,
            ShardKind::Block => self
                .texts
                .partition_point(|t| t.first_document <= shard.number)
                .saturating_sub(1),
            _ => shard.number as usize,
        }
    }

    /// Where `shard`'s file is in [`Manifest::files`] order (the core being 0).
    pub fn file_index(&self, shard: ShardRef) -> Option<usize> {
        let n = self.file_number(shard);
        let (before, count) = match shard.kind {
            ShardKind::Dictionary => (0, 1),
            ShardKind::Postings => (1, self.postings.len()),
            ShardKind::Texts | ShardKind::Block => (1 + self.postings.len(), self.texts.len()),
            ShardKind::Vectors => (
                1 + self.postings.len() + self.texts.len(),
                usize::from(self.vectors.len() > shard.number as usize),
            ),
        };
        (n < count).then_some(1 + before + n)
    }

    /// Every file, the core first: what a build writes.
    pub fn files(&self) -> impl Iterator<Item = &FileEntry> {
        std::iter::once(&self.core)
            .chain(std::iter::once(&self.dictionary_file))
            .chain(self.postings.iter())
            .chain(self.texts.iter().map(|s| &s.file))
            .chain(self.vectors_file.iter())
    }
}

/// A shard that could not be added, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShardError {
    /// The file at fault: the shard handed in, or (when a dictionary shard
    /// reads postings that arrived before it) the postings shard.
    pub shard: ShardRef,
    pub error: FormatError,
}

/// What a sharded [`Index`] has loaded, and what its searches missed.
#[derive(Debug, PartialEq)]
pub(crate) struct Sharding<'a> {
    /// Per dictionary shard: its first term, its postings shard and offset.
    dictionary_plan: Vec<(String, u32, u32)>,
    /// Per dictionary shard: the bytes its terms' postings take.
    dictionary_postings_bytes: Vec<u32>,
    /// Per dictionary shard: where it is in the dictionary file, and its length.
    dictionary_spans: Vec<(u32, u32)>,
    /// Per vector shard: where it is in the vectors file, and its length.
    vector_spans: Vec<(u32, u32)>,
    /// The stored size of each texts file, and of the vectors file.
    texts_bytes: Vec<u32>,
    vectors_file_bytes: u32,
    /// First document of each texts shard, and of each vectors shard.
    texts_plan: Vec<u32>,
    vectors_plan: Vec<u32>,
    dictionaries: Vec<Option<&'a [u8]>>,
    /// Stored size of each postings file.
    postings_bytes: Vec<u32>,
    /// Postings wanted since the last [`Index::take_missing`], by (file,
    /// offset): their length.
    wanted_postings: RefCell<SortedMap<(u32, u32), u32>>,
    /// Per texts file: whether it has arrived whole.
    texts: Vec<bool>,
    vectors: Vec<bool>,
    /// Per document: where its record starts in its texts file, and the
    /// length of each of its blocks' slots.
    record_offsets: Vec<u32>,
    slot_lens: Vec<u32>,
    /// Per document: whether a block of it (which carries its id, title and
    /// URL) has arrived.
    titled: Vec<bool>,
    /// The blocks that have arrived, by (document, block).
    blocks: SortedMap<(u32, u32), Block<'a>>,
    /// Where each decoded term's postings start in `Index::postings`, by
    /// (postings shard, offset): kept when the dictionary is rebuilt.
    decoded: SortedMap<(u32, u32), u32>,
    misses: RefCell<Vec<ShardRef>>,
    /// See [`Index::set_parallel_requests`].
    parallel_requests: Cell<usize>,
}

impl Sharding<'_> {
    pub(crate) fn miss(&self, kind: ShardKind, number: u32) {
        self.miss_part(ShardRef::new(kind, number));
    }

    /// Notes a term's postings as missing.
    pub(crate) fn want_postings(&self, info: &TermInfo) {
        self.wanted_postings
            .borrow_mut()
            .insert((info.shard, info.offset), info.len);
    }

    fn miss_part(&self, shard: ShardRef) {
        let mut misses = self.misses.borrow_mut();
        if !misses.contains(&shard) {
            misses.push(shard);
        }
    }

    pub(crate) fn has_misses(&self) -> bool {
        !self.misses.borrow().is_empty() || !self.wanted_postings.borrow().is_empty()
    }

    /// Whether every dictionary shard with terms that start with `word`'s
    /// first byte has arrived; notes those that have not.
    pub(crate) fn has_terms_for(&self, word: &str) -> bool {
        let Some(&first) = word.as_bytes().first() else {
            return true;
        };
        let mut complete = true;
        for (number, (first_term, _, _)) in self.dictionary_plan.iter().enumerate() {
            // Shard `number` holds [first_term, the next shard's first term).
            let starts_at_or_before = first_term.as_bytes()[0] <= first;
            let next_is_after = self
                .dictionary_plan
                .get(number + 1)
                .is_none_or(|(next, _, _)| next.as_bytes() > [first].as_slice());
            if starts_at_or_before && next_is_after && self.dictionaries[number].is_none() {
                self.miss(ShardKind::Dictionary, number as u32);
                complete = false;
            }
        }
        complete
    }

    /// Whether document `doc`'s id, title and URL have arrived (with any
    /// block of it); notes its first block as missing if not.
    pub(crate) fn has_document(&self, doc: u32) -> bool {
        self.titled.get(doc as usize).is_none_or(|&titled| titled) || {
            self.miss_part(ShardRef::new_part(ShardKind::Block, doc, 0));
            false
        }
    }

    pub(crate) fn has_vector(&self, doc: u32) -> bool {
        let number = range_shard(&self.vectors_plan, doc);
        self.vectors.get(number).copied().unwrap_or(true) || {
            self.miss(ShardKind::Vectors, number as u32);
            false
        }
    }

    /// Notes every vector shard not here yet, if they are few bytes in all
    /// ([`VECTORS_AT_ONCE`]): a long question asks for them with its words'
    /// dictionary and postings, not a round after them.
    pub(crate) fn want_vectors_at_once(&self) {
        if self.vectors_file_bytes <= VECTORS_AT_ONCE {
            for (number, &loaded) in self.vectors.iter().enumerate() {
                if !loaded {
                    self.miss(ShardKind::Vectors, number as u32);
                }
            }
        }
    }
}

/// A shard file's header: magic number, format version, kind, number.
const HEADER_LEN: usize = 4 + 4 + 1 + 4;

/// Wanted postings at most this many bytes apart in a file are fetched in
/// one request, the bytes between them included: a word being typed wants
/// its prefix's terms, which lie side by side.
const POSTINGS_GAP: u32 = 1024;

/// How many requests a browser runs at once to one host over HTTP/1.1: a
/// round of more waits a round trip for a free connection. (Over HTTP/2 or
/// 3 every request of a round goes at once: see
/// [`Index::set_parallel_requests`].)
pub const PARALLEL_REQUESTS: usize = 6;

/// What a wave of requests (a round trip) is worth in bytes, for merging
/// parts of one file into one request (`Index::fewer_waves`). On a slow
/// mobile link (150 ms round trip, 1.6 Mbit/s: Chromium's "Slow 4G") a round
/// trip takes as long as 30 KB; half that, so that the bytes a search
/// fetches grow little for it. A fast link hardly notices either.
const WAVE_BYTES: u32 = 16 * 1024;

/// A vectors file of at most this many stored bytes is fetched whole by the
/// first long question, with its words' postings, rather than its
/// candidates' vector shards a round later: on Cranfield's 1,400 documents
/// (84 KB) nearly every shard holds one of a question's 100 candidates anyway.
const VECTORS_AT_ONCE: u32 = 128 * 1024;

/// The shards side by side in `bytes`, span `shard` of their file that
/// starts at `start` (`spans` placing each shard in the file), that `loaded`
/// says have not arrived: each read back through `restore`, by number.
fn restore_pieces<'s, 'a>(
    shard: ShardRef,
    (start, bytes): (u32, &'s [u8]),
    spans: &[(u32, u32)],
    loaded: impl Fn(usize) -> bool,
    restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
) -> Result<Vec<(u32, &'a [u8])>, ShardError> {
    let mut pieces = Vec::new();
    for number in shard.number..shard.number + shard.len.max(1) {
        if loaded(number as usize) {
            continue;
        }
        let (offset, stored_len) = spans[number as usize];
        let from = (offset - start) as usize;
        let raw = restore(&bytes[from..from + stored_len as usize]).ok_or(ShardError {
            shard,
            error: FormatError::Corrupt {
                offset: from,
                reason: "a shard is not deflated data",
            },
        })?;
        pieces.push((number, raw));
    }
    Ok(pieces)
}

/// One request for two parts of one file, `a` before `b` (see `Index::gap`),
/// and what lies between them.
fn merged(a: ShardRef, b: ShardRef) -> ShardRef {
    let len = match a.kind {
        ShardKind::Dictionary | ShardKind::Vectors => b.number + b.len.max(1) - a.number,
        _ => b.part + b.len - a.part,
    };
    ShardRef { len, ..a }
}

/// The shard of a range plan (first items, increasing from 0) that holds `item`.
fn range_shard(plan: &[u32], item: u32) -> usize {
    plan.partition_point(|&first| first <= item)
        .saturating_sub(1)
}

fn manifest_error(reason: &'static str) -> FormatError {
    FormatError::Manifest(reason)
}

/// Checks a shard file's header and returns a reader over its body.
fn shard_body(bytes: &[u8], tag: u8, number: u32) -> Result<Reader<'_>, FormatError> {
    let mut header = read_header(bytes)?;
    let kind = header.take(1, "header is truncated")?[0];
    if kind != tag || header.u32_le()? != number {
        return Err(header.corrupt("this file is another part of the index than the one expected"));
    }
    Ok(header)
}

impl<'a> Index<'a> {
    /// Opens a sharded index from its manifest and its core file as stored
    /// (`restore` reads it back): no terms, postings or texts yet. Searches
    /// note what they miss ([`Index::take_missing`]).
    pub fn open_sharded<'s>(
        manifest: &Manifest,
        core: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<Self, FormatError> {
        if manifest.format != VERSION {
            return Err(FormatError::Version {
                expected: VERSION,
                got: manifest.format,
            });
        }
        if !cfg!(feature = "languages") && !manifest.languages.is_empty() {
            return Err(manifest_error(crate::analysis::WITHOUT_LANGUAGES));
        }
        #[cfg(feature = "languages")]
        let stop_words: Vec<std::sync::Arc<[String]>> = manifest
            .stop_words
            .iter()
            .map(|words| words.split_whitespace().map(str::to_owned).collect())
            .collect();
        #[cfg(feature = "languages")]
        if stop_words.len() != manifest.languages.len()
            || !stop_words
                .iter()
                .all(|words| crate::analysis::are_stop_words(words))
        {
            return Err(manifest_error(
                "stop words: one sorted list for each language is needed",
            ));
        }
        let doc_count = manifest.documents;
        let dictionary_ok = manifest
            .dictionary
            .windows(2)
            .all(|w| w[0].first_term < w[1].first_term)
            && manifest.dictionary.iter().all(|d| {
                !d.first_term.is_empty() && (d.postings as usize) < manifest.postings.len()
            })
            && manifest.dictionary.iter().all(|d| {
                d.offset >= HEADER_LEN as u32
                    && d.bytes > 0
                    && d.offset
                        .checked_add(d.bytes)
                        .is_some_and(|end| end <= manifest.dictionary_file.bytes)
            });
        if !dictionary_ok {
            return Err(manifest_error(
                "dictionary shards are not in term order, lie outside their file, or name a postings shard it does not list",
            ));
        }
        let ranges_ok = |firsts: &[u32]| {
            firsts.first().is_none_or(|&first| first == 0)
                && firsts.windows(2).all(|w| w[0] < w[1])
                && firsts.iter().all(|&first| first < doc_count)
        };
        let texts_plan: Vec<u32> = manifest.texts.iter().map(|s| s.first_document).collect();
        let vectors_plan: Vec<u32> = manifest.vectors.iter().map(|s| s.first_document).collect();
        let vectors_file_bytes = manifest.vectors_file.as_ref().map_or(0, |f| f.bytes);
        let vectors_in_file = manifest.vectors.iter().all(|v| {
            v.offset >= HEADER_LEN as u32
                && v.bytes > 0
                && v.offset
                    .checked_add(v.bytes)
                    .is_some_and(|end| end <= vectors_file_bytes)
        });
        if !ranges_ok(&texts_plan)
            || !ranges_ok(&vectors_plan)
            || (doc_count > 0 && manifest.texts.is_empty())
            || (manifest.dimensions == 0) != manifest.vectors.is_empty()
            || manifest.vectors.is_empty() != manifest.vectors_file.is_none()
            || !vectors_in_file
        {
            return Err(manifest_error(
                "text or vector shards do not cover the documents in order",
            ));
        }

        let core = restore(core).ok_or(FormatError::Corrupt {
            offset: 0,
            reason: "the core is not deflated data",
        })?;
        let mut body = shard_body(core, 0, 0)?;
        if body.count(3)? != doc_count as usize {
            return Err(body.corrupt("the core's document count differs from the manifest's"));
        }
        let mut documents = Vec::with_capacity(doc_count as usize);
        let mut record_offsets = Vec::with_capacity(doc_count as usize);
        let mut slot_lens = Vec::with_capacity(doc_count as usize);
        let mut file = 0;
        let mut offset = HEADER_LEN as u64;
        for doc in 0..doc_count {
            let title_len = body.varint()?;
            let body_len = body.varint()?;
            let slot_len = u64::from(body.varint()?) * u64::from(SLOT_ALIGN);
            let record_len = slot_len * u64::from(block_count(body_len));
            if manifest
                .texts
                .get(file + 1)
                .is_some_and(|t| t.first_document == doc)
            {
                file += 1;
                offset = HEADER_LEN as u64;
            }
            // Every record lies inside its file, as the manifest sizes it.
            let end = offset + record_len;
            if end > u64::from(manifest.texts[file].file.bytes) {
                return Err(body.corrupt("a document's record lies outside its texts file"));
            }
            record_offsets.push(offset as u32);
            slot_lens.push(slot_len as u32);
            offset = end;
            documents.push(DocumentRecord {
                id: "",
                title: "",
                url: "",
                body: "",
                title_len,
                body_len,
                checkpoints_start: 0,
                sections: Vec::new(),
                #[cfg(feature = "facets")]
                meta: Vec::new(),
            });
        }
        #[cfg(feature = "facets")]
        let facets = crate::format::read_facets(&mut body, doc_count as usize)?;
        #[cfg(not(feature = "facets"))]
        crate::format::read_facets(&mut body, doc_count as usize)?;

        let mut index = Index {
            documents,
            checkpoints: Vec::new(),
            terms: Terms::default(),
            term_info: Vec::new(),
            postings: Vec::new(),
            positions: Vec::new(),
            avg_title_len: 0.0,
            avg_body_len: 0.0,
            semantic: None,
            #[cfg(feature = "facets")]
            facets,
            languages: manifest.languages.clone(),
            #[cfg(feature = "languages")]
            stop_words,
            sharding: Some(Sharding {
                dictionary_plan: manifest
                    .dictionary
                    .iter()
                    .map(|d| (d.first_term.clone(), d.postings, d.postings_offset))
                    .collect(),
                texts_plan,
                vectors_plan,
                dictionary_postings_bytes: manifest
                    .dictionary
                    .iter()
                    .map(|d| d.postings_bytes)
                    .collect(),
                dictionary_spans: manifest
                    .dictionary
                    .iter()
                    .map(|d| (d.offset, d.bytes))
                    .collect(),
                vector_spans: manifest
                    .vectors
                    .iter()
                    .map(|v| (v.offset, v.bytes))
                    .collect(),
                texts_bytes: manifest.texts.iter().map(|t| t.file.bytes).collect(),
                vectors_file_bytes,
                dictionaries: vec![None; manifest.dictionary.len()],
                postings_bytes: manifest.postings.iter().map(|p| p.bytes).collect(),
                wanted_postings: RefCell::new(SortedMap::new()),
                texts: vec![false; manifest.texts.len()],
                vectors: vec![false; manifest.vectors.len()],
                record_offsets,
                slot_lens,
                titled: vec![false; doc_count as usize],
                blocks: SortedMap::new(),
                decoded: SortedMap::new(),
                misses: RefCell::new(Vec::new()),
                parallel_requests: Cell::new(PARALLEL_REQUESTS),
            }),
        };
        index.derive_averages();
        if manifest.dimensions > 0 && doc_count > 0 {
            let dims = manifest.dimensions as usize;
            index.semantic = Some(Semantic {
                dims,
                vectors: vec![0; dims * doc_count as usize],
            });
        }
        Ok(index)
    }

    /// The shards the searches since the last call found missing, in a
    /// stable order, each once, as few requests as sensible: parts of one
    /// file side by side are one request, and a round of more than
    /// [`PARALLEL_REQUESTS`] merges parts of one file that are close. Forgets
    /// them. Empty for an index in memory.
    pub fn take_missing(&self) -> Vec<ShardRef> {
        let Some(sharding) = self.sharding() else {
            return Vec::new();
        };
        let mut missing: Vec<ShardRef> = Vec::new();
        // Sorted, so that parts of one file come in file order.
        for shard in crate::order::sorted(std::mem::take(&mut *sharding.misses.borrow_mut())) {
            // A block is fetched as the span of its texts file that its slot is.
            let shard = match shard.kind {
                ShardKind::Block => match self.block_span(shard) {
                    Some(span) => span,
                    None => continue,
                },
                _ => shard,
            };
            match missing.last_mut() {
                Some(last) if self.gap(*last, shard) == Some(0) => *last = merged(*last, shard),
                _ => missing.push(shard),
            }
        }
        // Wanted postings close to each other in a file make one request.
        let span = |(file, start, end): (u32, u32, u32)| ShardRef {
            kind: ShardKind::Postings,
            number: file,
            part: start,
            len: end - start,
        };
        let mut current: Option<(u32, u32, u32)> = None;
        for ((file, offset), len) in sharding.wanted_postings.borrow_mut().take() {
            match &mut current {
                Some((f, _, end)) if *f == file && offset <= *end + POSTINGS_GAP => {
                    *end = (*end).max(offset + len);
                }
                _ => {
                    missing.extend(current.map(span));
                    current = Some((file, offset, offset + len));
                }
            }
        }
        missing.extend(current.map(span));
        // The heap sort query-time code shares (`order.rs`), not another
        // instantiation of `slice::sort` in the module.
        let missing = self.fewer_waves(crate::order::sorted(missing));
        // The longest first: a browser that runs six at once (HTTP/1.1)
        // starts the longest transfer first, and the short ones wait less.
        let by_length = missing
            .into_iter()
            .map(|shard| (std::cmp::Reverse(self.request_bytes(shard)), shard))
            .collect();
        crate::order::sorted(by_length)
            .into_iter()
            .map(|(_, shard)| shard)
            .collect()
    }

    /// `requests` (sorted, so that parts of a file are neighbours), with parts
    /// of one file merged where that saves a wave of [`PARALLEL_REQUESTS`]
    /// for fewer than [`WAVE_BYTES`] of bytes between them: the closest
    /// first, as far as saves the most.
    fn fewer_waves(&self, requests: Vec<ShardRef>) -> Vec<ShardRef> {
        let parallel = self
            .sharding()
            .map_or(PARALLEL_REQUESTS, |s| s.parallel_requests.get());
        let waves = |count: usize| count.div_ceil(parallel) as i64;
        let original = waves(requests.len());
        let mut plan = requests.clone();
        let (mut best, mut best_saving) = (requests, 0i64);
        let mut gap_bytes = 0i64;
        while plan.len() > parallel {
            let closest = plan
                .windows(2)
                .enumerate()
                .filter_map(|(i, pair)| Some((self.gap(pair[0], pair[1])?, i)))
                .min();
            let Some((gap, i)) = closest else { break };
            gap_bytes += i64::from(gap);
            let saving = (original - waves(plan.len() - 1)) * i64::from(WAVE_BYTES) - gap_bytes;
            plan[i] = merged(plan[i], plan[i + 1]);
            plan.remove(i + 1);
            if saving > best_saving {
                best_saving = saving;
                best = plan.clone();
            }
        }
        best
    }

    /// The bytes a request for `shard` fetches: its range, or its whole file.
    fn request_bytes(&self, shard: ShardRef) -> u32 {
        match (self.byte_range(shard), self.sharding()) {
            (Some((_, len)), _) => len,
            (None, Some(sharding)) if shard.kind == ShardKind::Texts => sharding
                .texts_bytes
                .get(shard.number as usize)
                .copied()
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// How many requests the host answers at once, for planning rounds
    /// ([`Index::take_missing`]): [`PARALLEL_REQUESTS`] (HTTP/1.1, the
    /// default) or, for a host that speaks HTTP/2 or 3, `usize::MAX`: every
    /// request of a round goes at once, and parts of a file are never merged
    /// across bytes a search does not need.
    pub fn set_parallel_requests(&self, requests: usize) {
        if let Some(sharding) = self.sharding() {
            sharding.parallel_requests.set(requests.max(1));
        }
    }

    /// Every dictionary shard, as one span of the dictionary file.
    pub fn whole_dictionary(&self) -> ShardRef {
        let count = self.sharding().map_or(0, |s| s.dictionaries.len());
        ShardRef {
            kind: ShardKind::Dictionary,
            number: 0,
            part: 0,
            len: count as u32,
        }
    }

    /// The span of its texts file that a block's slot is.
    fn block_span(&self, block: ShardRef) -> Option<ShardRef> {
        let sharding = self.sharding()?;
        let (start, len) = self.byte_range(block)?;
        Some(ShardRef {
            kind: ShardKind::Texts,
            number: range_shard(&sharding.texts_plan, block.number) as u32,
            part: start,
            len,
        })
    }

    /// The bytes between two parts of one file, `a` before `b`; None for
    /// parts of two files, or a whole file.
    fn gap(&self, a: ShardRef, b: ShardRef) -> Option<u32> {
        let one_file = a.kind == b.kind
            && match a.kind {
                ShardKind::Dictionary | ShardKind::Vectors => true,
                ShardKind::Postings | ShardKind::Texts => a.number == b.number,
                ShardKind::Block => false,
            };
        if !one_file {
            return None;
        }
        let (a_start, a_len) = self.byte_range(a)?;
        let (b_start, _) = self.byte_range(b)?;
        b_start.checked_sub(a_start + a_len)
    }

    /// The span of its postings file's body that a postings request is, as
    /// (offset, length).
    fn postings_span(&self, shard: ShardRef) -> Option<(u32, u32)> {
        let sharding = self.sharding()?;
        let file_len = sharding.postings_bytes.get(shard.number as usize)?;
        let body_len = file_len.checked_sub(HEADER_LEN as u32)?;
        let len = match shard.len {
            0 => body_len.checked_sub(shard.part)?,
            len => len,
        };
        (shard.part.checked_add(len)? <= body_len).then_some((shard.part, len))
    }

    /// The blocks whose slots lie within `span` (start, length) of texts
    /// file `file`, as (document, block, slot start, slot length).
    fn blocks_in(&self, file: u32, (start, len): (u32, u32)) -> Vec<(u32, u32, u32, u32)> {
        let Some(sharding) = self.sharding() else {
            return Vec::new();
        };
        let first = sharding.texts_plan[file as usize];
        let end = sharding
            .texts_plan
            .get(file as usize + 1)
            .map_or(self.documents.len() as u32, |&e| e);
        let mut blocks = Vec::new();
        // Records lie in document order: skip those that end before the span.
        let record_end = |doc: u32| {
            let d = doc as usize;
            u64::from(sharding.record_offsets[d])
                + u64::from(sharding.slot_lens[d])
                    * u64::from(block_count(self.documents[d].body_len))
        };
        let (mut from, mut to) = (first, end);
        while from < to {
            let middle = from + (to - from) / 2;
            if record_end(middle) <= u64::from(start) {
                from = middle + 1;
            } else {
                to = middle;
            }
        }
        let span_end = u64::from(start) + u64::from(len);
        for doc in from..end {
            let d = doc as usize;
            let offset = sharding.record_offsets[d];
            if u64::from(offset) >= span_end {
                break;
            }
            let slot = sharding.slot_lens[d];
            for j in 0..block_count(self.documents[d].body_len) {
                let slot_start = offset + j * slot;
                if slot_start >= start && u64::from(slot_start) + u64::from(slot) <= span_end {
                    blocks.push((doc, j, slot_start, slot));
                }
            }
        }
        blocks
    }

    /// The terms (known from the dictionary) whose postings lie within
    /// `span` of postings file `file`.
    fn terms_in(&self, file: u32, (start, len): (u32, u32)) -> Vec<usize> {
        (0..self.term_info.len())
            .filter(|&t| {
                let info = &self.term_info[t];
                info.shard == file
                    && info.offset >= start
                    && info.offset.saturating_add(info.len) <= start + len
            })
            .collect()
    }

    /// Whether `shard` has been added (always, for an index in memory).
    pub fn has_shard(&self, shard: ShardRef) -> bool {
        let Some(sharding) = self.sharding() else {
            return true;
        };
        let n = shard.number as usize;
        match shard.kind {
            ShardKind::Dictionary => (n..n + shard.len.max(1) as usize)
                .all(|n| sharding.dictionaries.get(n).is_some_and(Option::is_some)),
            ShardKind::Postings => self.postings_span(shard).is_some_and(|span| {
                self.terms_in(shard.number, span)
                    .iter()
                    .all(|&t| self.term_info[t].postings_start != NOT_DECODED)
            }),
            ShardKind::Texts if shard.len == 0 => sharding.texts.get(n).copied().unwrap_or(false),
            ShardKind::Texts => self.byte_range(shard).is_some_and(|span| {
                self.blocks_in(shard.number, span)
                    .iter()
                    .all(|&(doc, j, _, _)| sharding.blocks.contains_key(&(doc, j)))
            }),
            ShardKind::Vectors => (n..n + shard.len.max(1) as usize)
                .all(|n| sharding.vectors.get(n).copied().unwrap_or(false)),
            ShardKind::Block => sharding.blocks.contains_key(&(shard.number, shard.part)),
        }
    }

    /// The bytes of its file that `shard` is, as (start, length): a span of
    /// dictionary or vector shards, of postings, of texts, or a block of
    /// text; None for a whole file (or a part the index cannot place).
    pub fn byte_range(&self, shard: ShardRef) -> Option<(u32, u32)> {
        let sharding = self.sharding()?;
        let n = shard.number as usize;
        match shard.kind {
            ShardKind::Dictionary | ShardKind::Vectors => {
                let spans = match shard.kind {
                    ShardKind::Dictionary => &sharding.dictionary_spans,
                    _ => &sharding.vector_spans,
                };
                let spans = spans.get(n..n.checked_add(shard.len.max(1) as usize)?)?;
                let (start, _) = spans[0];
                let (last, len) = spans[spans.len() - 1];
                Some((start, last + len - start))
            }
            ShardKind::Texts if shard.len > 0 => {
                let end = shard.part.checked_add(shard.len)?;
                (shard.part >= HEADER_LEN as u32 && end <= *sharding.texts_bytes.get(n)?)
                    .then_some((shard.part, shard.len))
            }
            ShardKind::Postings => {
                let (start, len) = self.postings_span(shard)?;
                Some((HEADER_LEN as u32 + start, len))
            }
            ShardKind::Block => {
                let start = *sharding.record_offsets.get(n)?;
                let slot = sharding.slot_lens[n];
                (shard.part < block_count(self.documents[n].body_len))
                    .then(|| (start + shard.part * slot, slot))
            }
            ShardKind::Texts => None,
        }
    }

    /// Adds a shard: its file as stored, or for a part of a texts file the
    /// bytes [`Index::byte_range`] gives; `restore` reads stored bytes back.
    /// A file that is not that shard, or is corrupt, is an error and changes
    /// nothing: the index answers as before. Adding a shard twice does nothing.
    pub fn add_shard<'s>(
        &mut self,
        shard: ShardRef,
        stored: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        let Some(sharding) = self.sharding() else {
            return Ok(());
        };
        let count = match shard.kind {
            ShardKind::Dictionary => sharding.dictionaries.len(),
            ShardKind::Postings => sharding.postings_bytes.len(),
            ShardKind::Texts => sharding.texts.len(),
            ShardKind::Vectors => sharding.vectors.len(),
            ShardKind::Block => sharding.record_offsets.len(),
        };
        if shard.number as usize >= count {
            return Err(at_fault(manifest_error("no such shard in the manifest")));
        }
        if self.has_shard(shard) {
            return Ok(());
        }
        match shard.kind {
            ShardKind::Dictionary => self.add_dictionaries(shard, stored, restore),
            ShardKind::Postings => self.add_postings(shard, stored, restore),
            ShardKind::Texts if shard.len == 0 => {
                self.add_texts_file(shard.number, stored, restore)
            }
            ShardKind::Texts => self.add_texts_span(shard, stored, restore),
            ShardKind::Block => self.add_block(shard, stored, restore),
            ShardKind::Vectors => self.add_vectors(shard, stored, restore),
        }
    }

    /// Where `shard`, a part of a file, lies in it ([`Index::byte_range`]),
    /// checking that `bytes` are that many.
    fn range_of(&self, shard: ShardRef, bytes: &[u8]) -> Result<(u32, u32), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        let (start, len) = self
            .byte_range(shard)
            .ok_or(at_fault(manifest_error("no such part of the file")))?;
        if bytes.len() != len as usize {
            return Err(at_fault(FormatError::Corrupt {
                offset: bytes.len(),
                reason: "the bytes are not the range asked for",
            }));
        }
        Ok((start, len))
    }

    /// A span of the dictionary file: shards side by side, each checked
    /// before any is kept.
    fn add_dictionaries<'s>(
        &mut self,
        shard: ShardRef,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        let (start, _) = self.range_of(shard, bytes)?;
        let sharding = self.sharding().expect("a sharded index");
        let pieces = restore_pieces(
            shard,
            (start, bytes),
            &sharding.dictionary_spans,
            |n| sharding.dictionaries[n].is_some(),
            restore,
        )?;
        for &(number, raw) in &pieces {
            self.check_dictionary(number, raw).map_err(at_fault)?;
        }
        let sharding = self.sharding.as_mut().expect("a sharded index");
        for (number, raw) in pieces {
            sharding.dictionaries[number as usize] = Some(raw);
        }
        self.rebuild_dictionary()
    }

    /// Checks dictionary shard `number` as written (restored) against the manifest.
    fn check_dictionary(&self, number: u32, bytes: &[u8]) -> Result<(), FormatError> {
        let mut body = shard_body(bytes, ShardKind::Dictionary.tag(), number)?;
        let sharding = self.sharding().expect("a sharded index");
        // Its terms must lie in its range.
        let entries = read_dictionary(&mut body)?;
        let n = number as usize;
        let (first_term, _, _) = &sharding.dictionary_plan[n];
        let in_range = entries.first().is_some_and(|e| e.0 == *first_term)
            && sharding
                .dictionary_plan
                .get(n + 1)
                .is_none_or(|(next, _, _)| entries.last().is_some_and(|e| e.0 < *next));
        if !in_range {
            return Err(body.corrupt("its terms are not the range the manifest gives it"));
        }
        // Its terms' postings must fill exactly the span the manifest gives
        // it, so that a later postings shard is read where it was written.
        let total = entries.iter().try_fold(0u32, |sum, e| sum.checked_add(e.2));
        let last_shard =
            sharding.dictionary_plan[n].1 as usize + entries.iter().filter(|e| e.3).count();
        if total != Some(sharding.dictionary_postings_bytes[n])
            || last_shard >= sharding.postings_bytes.len()
        {
            return Err(
                body.corrupt("its terms' postings do not fill the span the manifest gives them")
            );
        }
        Ok(())
    }

    /// Rebuilds the term list from every dictionary shard that has arrived,
    /// in term order, decoding the postings of new terms whose postings
    /// shard is already here.
    fn rebuild_dictionary(&mut self) -> Result<(), ShardError> {
        let sharding = self.sharding().expect("a sharded index");
        let mut terms = Terms::default();
        let mut term_info = Vec::new();
        for (n, bytes) in sharding.dictionaries.iter().enumerate() {
            let Some(bytes) = bytes else { continue };
            let (_, mut postings_shard, mut offset) = sharding.dictionary_plan[n];
            let at_fault = |error| ShardError {
                shard: ShardRef::new(ShardKind::Dictionary, n as u32),
                error,
            };
            let mut body =
                shard_body(bytes, ShardKind::Dictionary.tag(), n as u32).map_err(at_fault)?;
            for (term, doc_freq, len, next_shard) in read_dictionary(&mut body).map_err(at_fault)? {
                if next_shard {
                    postings_shard += 1;
                    offset = 0;
                }
                terms.push(&term);
                let postings_start = sharding
                    .decoded
                    .get(&(postings_shard, offset))
                    .copied()
                    .unwrap_or(NOT_DECODED);
                term_info.push(TermInfo {
                    doc_freq,
                    postings_start,
                    shard: postings_shard,
                    offset,
                    len,
                });
                offset = offset.saturating_add(len);
            }
        }
        self.terms = terms;
        self.term_info = term_info;
        Ok(())
    }

    /// A span of a postings file: the postings of the known terms it holds.
    fn add_postings<'s>(
        &mut self,
        shard: ShardRef,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        self.range_of(shard, bytes)?;
        let span = self.postings_span(shard).expect("a span range_of placed");
        let (postings_len, positions_len) = (self.postings.len(), self.positions.len());
        let waiting: Vec<usize> = self
            .terms_in(shard.number, span)
            .into_iter()
            .filter(|&t| self.term_info[t].postings_start == NOT_DECODED)
            .collect();
        for &term in &waiting {
            let info = self.term_info[term];
            let from = (info.offset - span.0) as usize;
            let decoded = restore(&bytes[from..from + info.len as usize])
                .ok_or(FormatError::Corrupt {
                    offset: from,
                    reason: "a term's postings are not deflated data",
                })
                .and_then(|raw| self.decode_term(term, raw));
            if let Err(error) = decoded {
                // Undo: the span is refused whole, and the index is as it was.
                let sharding = self.sharding.as_mut().expect("a sharded index");
                for &term in &waiting {
                    let info = &mut self.term_info[term];
                    sharding.decoded.remove(&(info.shard, info.offset));
                    info.postings_start = NOT_DECODED;
                }
                self.postings.truncate(postings_len);
                self.positions.truncate(positions_len);
                return Err(at_fault(error));
            }
        }
        Ok(())
    }

    /// Decodes one term's postings from `raw`, as written (restored).
    fn decode_term(&mut self, term: usize, raw: &[u8]) -> Result<(), FormatError> {
        let info = self.term_info[term];
        let end = raw.len();
        let mut term_bytes = Reader::new(raw, 0);
        let heads_len = term_bytes.varint()? as usize;
        let heads_end = term_bytes
            .pos
            .checked_add(heads_len)
            .filter(|&e| e <= end)
            .ok_or_else(|| term_bytes.corrupt("postings heads run past the term's end"))?;
        let mut heads = Reader::new(&raw[..heads_end], term_bytes.pos);
        let mut positions = Reader::new(raw, heads_end);
        let postings_start = self.postings.len() as u32;
        read_postings(
            &mut heads,
            &mut positions,
            info.doc_freq as usize,
            &self.documents,
            &mut self.postings,
            &mut self.positions,
        )?;
        heads.expect_end()?;
        positions.expect_end()?;
        let sharding = self.sharding.as_mut().expect("a sharded index");
        self.term_info[term].postings_start = postings_start;
        sharding
            .decoded
            .insert((info.shard, info.offset), postings_start);
        Ok(())
    }

    /// What the core says of document `doc`.
    fn expected(&self, doc: u32) -> Expected {
        let record = &self.documents[doc as usize];
        Expected {
            doc,
            title_len: record.title_len,
            body_len: record.body_len,
        }
    }

    /// Keeps a block (read and checked already), and its document's id,
    /// title and URL.
    fn keep_block(&mut self, doc: u32, j: u32, block: Block<'a>) {
        let record = &mut self.documents[doc as usize];
        record.id = block.id;
        record.title = block.title;
        record.url = block.url;
        #[cfg(feature = "facets")]
        {
            record.meta = block.meta.clone();
        }
        let sharding = self.sharding.as_mut().expect("a sharded index");
        sharding.titled[doc as usize] = true;
        sharding.blocks.insert((doc, j), block);
    }

    fn add_block<'s>(
        &mut self,
        shard: ShardRef,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        self.range_of(shard, bytes)?;
        let block = records::read_block(bytes, self.expected(shard.number), shard.part, restore)
            .map_err(at_fault)?;
        self.keep_block(shard.number, shard.part, block);
        Ok(())
    }

    /// A span of a texts file: the blocks whose slots it holds, each checked
    /// before any is kept.
    fn add_texts_span<'s>(
        &mut self,
        shard: ShardRef,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let (start, len) = self.range_of(shard, bytes)?;
        self.add_blocks(shard, (start, len), bytes, restore)
    }

    /// A whole texts file: every block of its documents (the core placed
    /// every record inside the file's size in the manifest).
    fn add_texts_file<'s>(
        &mut self,
        number: u32,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let shard = ShardRef::new(ShardKind::Texts, number);
        let at_fault = |error| ShardError { shard, error };
        shard_body(bytes, ShardKind::Texts.tag(), number).map_err(at_fault)?;
        let sharding = self.sharding().expect("a sharded index");
        let file_len = sharding.texts_bytes[number as usize];
        if bytes.len() != file_len as usize {
            return Err(at_fault(FormatError::Corrupt {
                offset: bytes.len(),
                reason: "the file is not the size the manifest gives it",
            }));
        }
        self.add_blocks(shard, (0, file_len), bytes, restore)?;
        self.sharding.as_mut().expect("a sharded index").texts[number as usize] = true;
        Ok(())
    }

    /// The blocks whose slots lie within `span` (start, length) of texts
    /// file `shard.number`, `bytes` being that span: each read and checked
    /// before any is kept.
    fn add_blocks<'s>(
        &mut self,
        shard: ShardRef,
        (start, len): (u32, u32),
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        let mut read = Vec::new();
        for (doc, j, slot_start, slot_len) in self.blocks_in(shard.number, (start, len)) {
            let from = (slot_start - start) as usize;
            let slot = &bytes[from..from + slot_len as usize];
            let block =
                records::read_block(slot, self.expected(doc), j, restore).map_err(at_fault)?;
            read.push((doc, j, block));
        }
        for (doc, j, block) in read {
            self.keep_block(doc, j, block);
        }
        Ok(())
    }

    /// The body text to cut a window from that starts at word `start` of
    /// document `doc`: the text, the byte offset in it of the checkpoint at or
    /// before `start`, and that checkpoint's word position. In memory, the
    /// whole body; sharded, the block that holds the window, or None (noted
    /// as missing) until it arrives.
    pub(crate) fn body_from(&self, doc: u32, start: u32) -> Option<(&'a str, usize, u32)> {
        let piece_at = |checkpoints: &[u32], first_position: u32| {
            let piece = ((start - first_position) / CHECKPOINT_INTERVAL) as usize;
            checkpoints
                .get(piece)
                .map_or((0, first_position), |&offset| {
                    (
                        offset as usize,
                        first_position + piece as u32 * CHECKPOINT_INTERVAL,
                    )
                })
        };
        let Some(sharding) = self.sharding() else {
            let record = &self.documents[doc as usize];
            let (from, position) = piece_at(self.checkpoints_of(record), 0);
            return Some((record.body, from, position));
        };
        let j = start / BLOCK_WORDS;
        match sharding.blocks.get(&(doc, j)) {
            Some(block) => {
                let (from, position) = piece_at(&block.checkpoints, j * BLOCK_WORDS);
                Some((block.text, from, position))
            }
            None => {
                sharding.miss_part(ShardRef::new_part(ShardKind::Block, doc, j));
                None
            }
        }
    }

    /// The section of document `doc` that body word `word` is in: in
    /// memory, from the document's sections; sharded, from the block that
    /// holds the excerpt whose window starts at word `window` (it holds
    /// `word` too, blocks overlapping by more than an excerpt, though `word`
    /// may start the next block, which need not have arrived). None before
    /// the first heading, or when that block has not arrived.
    pub(crate) fn section_at(&self, doc: u32, word: u32, window: u32) -> Option<SectionRef<'a>> {
        let sections = match self.sharding() {
            None => &self.documents[doc as usize].sections,
            Some(sharding) => &sharding.blocks.get(&(doc, window / BLOCK_WORDS))?.sections,
        };
        let after = sections.partition_point(|s| s.word <= word);
        after.checked_sub(1).map(|i| sections[i])
    }

    /// A span of the vectors file: shards side by side, each checked before
    /// any is kept.
    fn add_vectors<'s>(
        &mut self,
        shard: ShardRef,
        bytes: &'s [u8],
        restore: &mut dyn FnMut(&'s [u8]) -> Option<&'a [u8]>,
    ) -> Result<(), ShardError> {
        let at_fault = |error| ShardError { shard, error };
        let (start, _) = self.range_of(shard, bytes)?;
        let sharding = self.sharding().expect("a sharded index");
        let Some(semantic) = self.semantic.as_ref() else {
            return Err(at_fault(manifest_error(
                "vectors for an index without them",
            )));
        };
        let pieces = restore_pieces(
            shard,
            (start, bytes),
            &sharding.vector_spans,
            |n| sharding.vectors[n],
            restore,
        )?;
        let mut checked = Vec::new();
        for (number, raw) in pieces {
            let n = number as usize;
            let first = sharding.vectors_plan[n] as usize;
            let end = sharding
                .vectors_plan
                .get(n + 1)
                .map_or(self.documents.len(), |&e| e as usize);
            let read = (|| {
                let mut body = shard_body(raw, ShardKind::Vectors.tag(), number)?;
                if body.varint()? as usize != semantic.dims {
                    return Err(body.corrupt(
                        "the vectors have another number of dimensions than the manifest's",
                    ));
                }
                let vectors = body.take(
                    (end - first) * semantic.dims,
                    "the shard is shorter than its vectors",
                )?;
                body.expect_end()?;
                Ok(vectors)
            })();
            checked.push((n, first, read.map_err(at_fault)?));
        }
        let sharding = self.sharding.as_mut().expect("a sharded index");
        let semantic = self.semantic.as_mut().expect("checked above");
        for (n, first, vectors) in checked {
            let at = first * semantic.dims;
            semantic.vectors[at..at + vectors.len()].copy_from_slice(vectors);
            sharding.vectors[n] = true;
        }
        Ok(())
    }

    /// Whether every document's text has arrived; notes the shards that have not.
    pub fn has_all_texts(&self) -> bool {
        let Some(sharding) = self.sharding() else {
            return true;
        };
        let mut all = true;
        for (number, &loaded) in sharding.texts.iter().enumerate() {
            if !loaded {
                sharding.miss(ShardKind::Texts, number as u32);
                all = false;
            }
        }
        all
    }

    pub(crate) fn has_vector(&self, doc: u32) -> bool {
        self.sharding()
            .is_none_or(|sharding| sharding.has_vector(doc))
    }
}

/// One term of a dictionary shard: its text, document frequency, the byte
/// length of its postings, and whether they start the next postings shard.
type DictionaryEntry = (String, u32, u32, bool);

/// A dictionary shard's terms.
fn read_dictionary(body: &mut Reader<'_>) -> Result<Vec<DictionaryEntry>, FormatError> {
    let count = body.count(3)?;
    let mut entries: Vec<DictionaryEntry> = Vec::with_capacity(count);
    let mut term = Vec::new();
    for _ in 0..count {
        let shared = body.varint()? as usize;
        let previous = entries.last().map_or("", |e| e.0.as_str());
        if shared > previous.len() || !previous.is_char_boundary(shared) {
            return Err(body.corrupt("shared term prefix is longer than the previous term"));
        }
        term.clear();
        term.extend_from_slice(&previous.as_bytes()[..shared]);
        let at = body.pos;
        term.extend_from_slice(body.str()?.as_bytes());
        let text = String::from_utf8(term.clone()).map_err(|_| FormatError::Corrupt {
            offset: at,
            reason: "term is not UTF-8",
        })?;
        if text.is_empty() || entries.last().is_some_and(|e| e.0 >= text) {
            return Err(FormatError::Corrupt {
                offset: at,
                reason: "terms are not sorted",
            });
        }
        entries.push((text, 0, 0, false));
    }
    for entry in &mut entries {
        entry.1 = body.varint()?;
        let length = body.varint()?;
        entry.2 = length >> 1;
        entry.3 = length & 1 == 1;
        if entry.1 == 0 {
            return Err(body.corrupt("document frequency out of range"));
        }
    }
    body.expect_end()?;
    Ok(entries)
}

#[cfg(feature = "build")]
pub(crate) use build::ShardWriter;
#[cfg(feature = "build")]
pub use build::{encode_sharded, encode_sharded_to, ShardOutput, ShardSizes, ShardedFiles};

/// Cutting an index into shards. Indexing only.
#[cfg(feature = "build")]
mod build {
    use super::*;
    use std::io;

    use crate::format::{common_prefix_len, put_str, put_varint, write_postings, MAGIC};
    use crate::records::write_record;

    /// About how many bytes each kind of shard holds before it is cut (a
    /// term's postings, or a document's record, is never split). Smaller
    /// shards fetch fewer bytes a search, larger ones make fewer files:
    /// the defaults are measured in BENCHMARKS.md ("Sharded index"). A texts
    /// file is never fetched whole by a search (its records are fetched by
    /// range): its size bounds what a host without range requests sends.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct ShardSizes {
        pub dictionary: usize,
        pub postings: usize,
        pub texts: usize,
        pub vectors: usize,
    }

    impl Default for ShardSizes {
        fn default() -> Self {
            ShardSizes {
                dictionary: 8 * 1024,
                postings: 16 * 1024,
                texts: 256 * 1024,
                vectors: 8 * 1024,
            }
        }
    }

    /// A sharded index in memory: the manifest (each file named `kind-N`)
    /// and each file's bytes, in [`Manifest::files`] order.
    #[derive(Debug)]
    pub struct ShardedFiles {
        pub manifest: Manifest,
        pub files: Vec<Vec<u8>>,
    }

    impl ShardedFiles {
        /// What a host sends for `shard` of `index` (opened from these
        /// files): its file, or the part of a texts file a range request
        /// asks for. For tools and tests that stand in for the network.
        pub fn stored_bytes(&self, index: &Index<'_>, shard: ShardRef) -> Option<&[u8]> {
            let file = self.files.get(self.manifest.file_index(shard)?)?;
            let ranged = shard.kind != ShardKind::Texts || shard.len > 0;
            match index.byte_range(shard) {
                Some((start, len)) => file.get(start as usize..(start + len) as usize),
                None if ranged => None,
                None => Some(file),
            }
        }
    }

    /// A dictionary file of at most this many stored bytes is fetched whole
    /// beside the core, while the module compiles: on a slow link that costs
    /// less than the round trip a search would spend on its words' shards
    /// after the module is ready (a long question needs most of a small
    /// dictionary anyway: Cranfield's first, 28 of its 33 KB). Cranfield's is
    /// 33 KB since compounds are indexed (23 KB before), Python's docs' 233 KB.
    const PREFETCH_DICTIONARY_BYTES: usize = 48 * 1024;

    fn header(tag: u8, number: u32) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.push(tag);
        out.extend_from_slice(&number.to_le_bytes());
        out
    }

    /// Where a sharded index goes as it is cut: how each part is stored, and
    /// where each finished file is written. The indexer's bundle writes
    /// them to disk (deflated, content-hashed); [`encode_sharded`] keeps them
    /// in memory. The engine itself touches no file system.
    pub trait ShardOutput {
        /// A part of a file as stored (the indexer deflates).
        fn store(&mut self, bytes: &[u8]) -> Vec<u8>;
        /// Writes a finished file of `kind` (`core`, `dictionary`,
        /// `postings`, `texts` or `vectors`); returns its name for the
        /// manifest.
        fn write_file(&mut self, kind: &str, bytes: Vec<u8>) -> io::Result<String>;
    }

    /// Cuts an index into files as its parts arrive: documents' records in
    /// document order ([`Self::add_record`]), then terms' postings in term
    /// order ([`Self::add_term`]), then the vectors ([`Self::finish`]). Each
    /// file is written as soon as it is full, so what it holds at once is a
    /// file of each kind, the dictionary and three numbers a document: the
    /// same code cuts an index built in memory ([`encode_sharded`]) and one
    /// built as a site is read (`streaming.rs`).
    pub(crate) struct ShardWriter<O: ShardOutput> {
        out: O,
        sizes: ShardSizes,
        /// Per document its title and body words and its slot length, as the core holds them.
        core: Vec<u8>,
        documents: u32,
        texts: Vec<RangeShard>,
        texts_file: Vec<u8>,
        texts_first_document: u32,
        /// Terms waiting for their dictionary shard: text, document
        /// frequency, stored postings; `group_estimate` is their dictionary size.
        group: Vec<(String, u32, Vec<u8>)>,
        group_estimate: usize,
        dictionary: Vec<DictionaryShard>,
        dictionary_file: Vec<u8>,
        postings: Vec<FileEntry>,
        postings_file: Option<Vec<u8>>,
        terms: usize,
    }

    impl<O: ShardOutput> ShardWriter<O> {
        pub(crate) fn new(out: O, sizes: ShardSizes) -> Self {
            ShardWriter {
                out,
                sizes,
                core: Vec::new(),
                documents: 0,
                texts: Vec::new(),
                texts_file: Vec::new(),
                texts_first_document: 0,
                group: Vec::new(),
                group_estimate: 0,
                dictionary: Vec::new(),
                dictionary_file: header(ShardKind::Dictionary.tag(), 0),
                postings: Vec::new(),
                postings_file: None,
                terms: 0,
            }
        }

        /// Adds the next document's record (documents in order from 0).
        /// A texts file is written once it reaches `sizes.texts` stored bytes.
        pub(crate) fn add_record(
            &mut self,
            record: &DocumentRecord<'_>,
            checkpoints: &[u32],
        ) -> io::Result<()> {
            let doc = self.documents;
            if self.texts_file.is_empty() {
                self.texts_file = header(ShardKind::Texts.tag(), self.texts.len() as u32);
                self.texts_first_document = doc;
            }
            let out = &mut self.out;
            let slot_len = write_record(
                record,
                checkpoints,
                doc,
                &mut |bytes| out.store(bytes),
                &mut self.texts_file,
            );
            put_varint(&mut self.core, record.title_len);
            put_varint(&mut self.core, record.body_len);
            put_varint(&mut self.core, slot_len / SLOT_ALIGN);
            self.documents += 1;
            if self.texts_file.len() >= self.sizes.texts + HEADER_LEN {
                self.flush_texts()?;
            }
            Ok(())
        }

        fn flush_texts(&mut self) -> io::Result<()> {
            let file = std::mem::take(&mut self.texts_file);
            let bytes = file.len() as u32;
            let name = self.out.write_file("texts", file)?;
            self.texts.push(RangeShard {
                file: FileEntry { name, bytes },
                first_document: self.texts_first_document,
            });
            Ok(())
        }

        /// Adds the next term (terms in sorted order) with its postings as
        /// a postings shard holds them (`format::write_postings`). Terms are
        /// grouped into dictionary shards of about `sizes.dictionary`.
        pub(crate) fn add_term(
            &mut self,
            text: &str,
            doc_freq: u32,
            heads: &[u8],
            positions: &[u8],
        ) -> io::Result<()> {
            let mut raw = Vec::with_capacity(heads.len() + positions.len() + 5);
            put_varint(&mut raw, heads.len() as u32);
            raw.extend_from_slice(heads);
            raw.extend_from_slice(positions);
            let stored = self.out.store(&raw);
            self.group.push((text.to_string(), doc_freq, stored));
            self.group_estimate += text.len() + 4;
            self.terms += 1;
            if self.group_estimate >= self.sizes.dictionary {
                self.flush_group()?;
            }
            Ok(())
        }

        /// Writes the terms waiting as a dictionary shard, and their postings
        /// into postings files of about `sizes.postings` (a term's postings
        /// are never split; they start the next file once one is full).
        fn flush_group(&mut self) -> io::Result<()> {
            if self.group.is_empty() {
                return Ok(());
            }
            let group = std::mem::take(&mut self.group);
            self.group_estimate = 0;
            let full = |file: &Option<Vec<u8>>, limit: usize| {
                file.as_ref().is_none_or(|f| f.len() >= limit + HEADER_LEN)
            };
            if full(&self.postings_file, self.sizes.postings) {
                self.next_postings_file()?;
            }
            let number = self.postings.len() as u32;
            let postings_offset = self
                .postings_file
                .as_ref()
                .map_or(0, |f| f.len() - HEADER_LEN) as u32;
            let postings_bytes = group.iter().map(|(_, _, p)| p.len()).sum::<usize>() as u32;
            let mut body = Vec::new();
            put_varint(&mut body, group.len() as u32);
            let mut previous = "";
            for (text, _, _) in &group {
                let shared = common_prefix_len(previous, text);
                put_varint(&mut body, shared as u32);
                put_str(&mut body, &text[shared..]);
                previous = text;
            }
            for (i, (_, doc_freq, stored)) in group.iter().enumerate() {
                let next_shard = i > 0 && full(&self.postings_file, self.sizes.postings);
                if next_shard {
                    self.next_postings_file()?;
                }
                put_varint(&mut body, *doc_freq);
                put_varint(
                    &mut body,
                    (stored.len() as u32) << 1 | u32::from(next_shard),
                );
                self.postings_file
                    .as_mut()
                    .expect("a postings file")
                    .extend_from_slice(stored);
            }
            let mut shard = header(ShardKind::Dictionary.tag(), self.dictionary.len() as u32);
            shard.extend_from_slice(&body);
            let stored = self.out.store(&shard);
            self.dictionary.push(DictionaryShard {
                offset: self.dictionary_file.len() as u32,
                bytes: stored.len() as u32,
                first_term: group[0].0.clone(),
                postings: number,
                postings_offset,
                postings_bytes,
            });
            self.dictionary_file.extend_from_slice(&stored);
            Ok(())
        }

        /// Writes the postings file being filled, if any, and starts the next.
        fn next_postings_file(&mut self) -> io::Result<()> {
            let number = self.postings.len() as u32 + u32::from(self.postings_file.is_some());
            if let Some(file) = self
                .postings_file
                .replace(header(ShardKind::Postings.tag(), number))
            {
                self.write_postings_file(file)?;
            }
            Ok(())
        }

        fn write_postings_file(&mut self, file: Vec<u8>) -> io::Result<()> {
            let bytes = file.len() as u32;
            let name = self.out.write_file("postings", file)?;
            self.postings.push(FileEntry { name, bytes });
            Ok(())
        }

        /// The number of documents added.
        pub(crate) fn documents(&self) -> u32 {
            self.documents
        }

        /// The number of terms added.
        pub(crate) fn terms(&self) -> usize {
            self.terms
        }

        /// Writes what is left, the vectors and the core; returns the
        /// manifest, its files named by the output, and the output.
        pub(crate) fn finish(
            mut self,
            semantic: Option<&Semantic>,
            facets: &crate::facets::Facets,
            languages: &[String],
        ) -> io::Result<(Manifest, O)> {
            if !self.texts_file.is_empty() {
                self.flush_texts()?;
            }
            self.flush_group()?;
            if let Some(file) = self.postings_file.take() {
                self.write_postings_file(file)?;
            }

            // Vector shards side by side in one file, each stored alone.
            let mut vectors: Vec<VectorShard> = Vec::new();
            let mut vectors_file = header(ShardKind::Vectors.tag(), 0);
            let documents = self.documents as usize;
            if let Some(semantic) = semantic {
                let per_shard = (self.sizes.vectors / semantic.dims).max(1);
                for first in (0..documents).step_by(per_shard) {
                    let end = (first + per_shard).min(documents);
                    let mut shard = header(ShardKind::Vectors.tag(), vectors.len() as u32);
                    put_varint(&mut shard, semantic.dims as u32);
                    shard.extend_from_slice(
                        &semantic.vectors[first * semantic.dims..end * semantic.dims],
                    );
                    let stored = self.out.store(&shard);
                    vectors.push(VectorShard {
                        offset: vectors_file.len() as u32,
                        bytes: stored.len() as u32,
                        first_document: first as u32,
                    });
                    vectors_file.extend_from_slice(&stored);
                }
            }
            let vectors_file = if vectors.is_empty() {
                None
            } else {
                let bytes = vectors_file.len() as u32;
                let name = self.out.write_file("vectors", vectors_file)?;
                Some(FileEntry { name, bytes })
            };

            let mut core = header(0, 0);
            put_varint(&mut core, self.documents);
            core.extend_from_slice(&self.core);
            facets.encode(&mut core);
            let core = self.out.store(&core);
            let core_bytes = core.len() as u32;
            let core_name = self.out.write_file("core", core)?;

            // The dictionary file: its shards are stored one by one already.
            let dictionary_bytes = self.dictionary_file.len();
            let dictionary_name = self
                .out
                .write_file("dictionary", std::mem::take(&mut self.dictionary_file))?;
            let manifest = Manifest {
                format: VERSION,
                documents: self.documents,
                core: FileEntry {
                    name: core_name,
                    bytes: core_bytes,
                },
                prefetch_dictionary: dictionary_bytes <= PREFETCH_DICTIONARY_BYTES,
                dictionary_file: FileEntry {
                    name: dictionary_name,
                    bytes: dictionary_bytes as u32,
                },
                dictionary: self.dictionary,
                postings: self.postings,
                texts: self.texts,
                dimensions: semantic.map_or(0, |s| s.dims as u32),
                vectors_file,
                vectors,
                languages: languages.to_vec(),
                stop_words: languages
                    .iter()
                    .map(|code| crate::analysis::stop_words_of(code).join(" "))
                    .collect(),
            };
            Ok((manifest, self.out))
        }
    }

    /// Cuts an index (built in memory) into shards of about `sizes`, kept
    /// in memory; each file is named `kind-N` until the caller renames it.
    pub fn encode_sharded(
        index: &Index<'_>,
        sizes: &ShardSizes,
        store: &mut dyn FnMut(&[u8]) -> Vec<u8>,
    ) -> ShardedFiles {
        let (manifest, files) = encode_sharded_to(
            index,
            sizes,
            InMemory {
                store,
                files: std::collections::BTreeMap::new(),
            },
        )
        .expect("files in memory are always written");
        let mut files = files.files;
        let files = manifest
            .files()
            .map(|entry| files.remove(&entry.name).expect("every file was written"))
            .collect();
        ShardedFiles { manifest, files }
    }

    /// Cuts an index (built in memory) into shards of about `sizes`, written to `out`.
    pub fn encode_sharded_to<O: ShardOutput>(
        index: &Index<'_>,
        sizes: &ShardSizes,
        out: O,
    ) -> io::Result<(Manifest, O)> {
        let mut writer = ShardWriter::new(out, *sizes);
        for record in &index.documents {
            writer.add_record(record, index.checkpoints_of(record))?;
        }
        let (mut heads, mut positions) = (Vec::new(), Vec::new());
        for t in 0..index.terms.len() {
            heads.clear();
            positions.clear();
            write_postings(index, t, &mut heads, &mut positions);
            writer.add_term(index.terms.get(t), index.doc_freq(t), &heads, &positions)?;
        }
        writer.finish(index.semantic.as_ref(), &index.facets, &index.languages)
    }

    struct InMemory<'a> {
        store: &'a mut dyn FnMut(&[u8]) -> Vec<u8>,
        files: std::collections::BTreeMap<String, Vec<u8>>,
    }

    impl ShardOutput for InMemory<'_> {
        fn store(&mut self, bytes: &[u8]) -> Vec<u8> {
            (self.store)(bytes)
        }

        fn write_file(&mut self, kind: &str, bytes: Vec<u8>) -> io::Result<String> {
            let name = format!("{kind}-{}", self.files.len());
            self.files.insert(name.clone(), bytes);
            Ok(name)
        }
    }

    impl<T: ShardOutput + ?Sized> ShardOutput for &mut T {
        fn store(&mut self, bytes: &[u8]) -> Vec<u8> {
            (**self).store(bytes)
        }

        fn write_file(&mut self, kind: &str, bytes: Vec<u8>) -> io::Result<String> {
            (**self).write_file(kind, bytes)
        }
    }
}

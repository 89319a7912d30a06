//! The index's binary format: what the build script embeds in the wasm module.
//!
//! ```text
//! header   magic "SIDX" · version u32 · section count u32       (little-endian)
//!          then per section: offset u32 · length u32            (in the order below)
//! DOCS     count · per document: id · title · url (strings), body length in bytes,
//!          title words, body words, checkpoints (byte offset of every 16th body word,
//!          first absolute then deltas; ceil(body words / 16) of them), sections
//!          (count · per section: its first word, as a delta to the previous
//!          one's, the first absolute · heading · anchor), metadata (count · per
//!          entry: key · value)
//! TERMS    count · per term, sorted and front-coded: bytes shared with the previous
//!          term · length of the rest · the rest; then per term its document frequency;
//!          then the pages' languages (count · per language: its code · its stop
//!          words, folded and sorted (count · words; none for English, whose list
//!          is built in); the most pages' first; no language when every page is
//!          English), in which a query's words are stemmed
//! POSTINGS length of the heads stream · heads: per term, per document containing it:
//!          document (delta to the previous one, the first absolute) · title tf × 4,
//!          plus 2 when a heading tf follows, plus 1 when a link tf follows · body tf ·
//!          [heading tf: how many of the body's occurrences are in a section's
//!          heading] · [link tf: how many are in lines that only link to other
//!          pages]; then positions: per posting, its title positions, its body
//!          positions, and which of its body positions are in headings (their
//!          indices among them), each list first absolute then deltas; then per
//!          heading occurrence the length in words of the name of the heading it
//!          is the first word of (its words before a bracket), or 0
//! TEXTS    the documents' bodies, UTF-8, back to back in document order (as the
//!          builder stores titles and bodies: each whitespace run one space, none at the ends)
//! SEMANTIC dimensions (0: the corpus has no latent semantic index, and nothing follows)
//!          · per document its unit vector, one signed byte per dimension (`semantic.rs`)
//! FACETS   the filters' documents and the sort keys' ranks (`facets.rs`)
//! ```
//! Numbers inside sections are unsigned LEB128 varints; a string is its byte
//! length then its UTF-8 bytes. The sections are separate so that a later
//! version can fetch them, or shards of them, lazily. Like values are kept
//! together (strings apart from numbers, heads apart from positions) because
//! the module is served gzipped, and gzip finds repeats within a stream.
//!
//! [`decode`] checks the magic, the version, every length and every invariant
//! the search code relies on (sorted terms, positions inside their field,
//! checkpoints on character boundaries), and returns a [`FormatError`] for
//! anything else. No input makes it panic or allocate much more than the input's size.

use crate::error::FormatError;
#[cfg(feature = "facets")]
use crate::facets::Facets;
use crate::index::{
    checkpoint_count, DocumentRecord, Index, Posting, PostingCounts, SectionRef, Terms,
};
use crate::semantic::Semantic;

/// The first four bytes of every index.
pub const MAGIC: [u8; 4] = *b"SIDX";
/// Bumped on every change to the layout above.
pub const VERSION: u32 = 13;
const SECTION_COUNT: u32 = 6;
const HEADER_LEN: usize = 12 + 8 * SECTION_COUNT as usize;

/// Encodes an index. Indexing only (the `build` feature).
#[cfg(feature = "build")]
pub fn encode(index: &Index<'_>) -> Vec<u8> {
    let mut docs = Vec::new();
    let mut texts = Vec::new();
    put_varint(&mut docs, index.documents.len() as u32);
    write_documents(index, &index.documents, &mut docs, &mut texts);

    let mut terms = Vec::new();
    put_varint(&mut terms, index.terms.len() as u32);
    let mut previous = "";
    for term in index.terms.iter() {
        let shared = common_prefix_len(previous, term);
        put_varint(&mut terms, shared as u32);
        put_str(&mut terms, &term[shared..]);
        previous = term;
    }
    let mut heads = Vec::new();
    let mut positions = Vec::new();
    for term_id in 0..index.terms.len() {
        put_varint(&mut terms, index.doc_freq(term_id));
        write_postings(index, term_id, &mut heads, &mut positions);
    }
    put_varint(&mut terms, index.languages.len() as u32);
    // Every index that names languages holds their lists (built, decoded or opened).
    assert_eq!(index.languages.len(), index.stop_words.len());
    for (language, stop_words) in index.languages.iter().zip(&index.stop_words) {
        put_str(&mut terms, language);
        put_varint(&mut terms, stop_words.len() as u32);
        for word in stop_words.iter() {
            put_str(&mut terms, word);
        }
    }
    let mut postings = Vec::with_capacity(heads.len() + positions.len() + 5);
    put_varint(&mut postings, heads.len() as u32);
    postings.extend_from_slice(&heads);
    postings.extend_from_slice(&positions);

    let mut semantic = Vec::new();
    match &index.semantic {
        None => put_varint(&mut semantic, 0),
        Some(learned) => {
            put_varint(&mut semantic, learned.dims as u32);
            semantic.extend_from_slice(&learned.vectors);
        }
    }

    let mut facets = Vec::new();
    index.facets.encode(&mut facets);

    let sections = [docs, terms, postings, texts, semantic, facets];
    let mut out = Vec::with_capacity(HEADER_LEN + sections.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&SECTION_COUNT.to_le_bytes());
    let mut offset = HEADER_LEN;
    for section in &sections {
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        out.extend_from_slice(&(section.len() as u32).to_le_bytes());
        offset += section.len();
    }
    for section in &sections {
        out.extend_from_slice(section);
    }
    out
}

/// Bytes two strings share at their start, on a character boundary.
#[cfg(feature = "build")]
pub(crate) fn common_prefix_len(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

#[cfg(feature = "build")]
pub(crate) fn put_varint(out: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

#[cfg(feature = "build")]
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

/// An increasing list: the first value, then differences.
#[cfg(feature = "build")]
pub(crate) fn put_deltas(out: &mut Vec<u8>, values: &[u32]) {
    let mut previous = 0;
    for &value in values {
        put_varint(out, value - previous);
        previous = value;
    }
}

/// Checks that `bytes` start with the magic number and this format's
/// version, and returns a reader just past them: every file of an index,
/// embedded or sharded, starts so.
pub(crate) fn read_header(bytes: &[u8]) -> Result<Reader<'_>, FormatError> {
    if bytes.len() < 4 || bytes[..4] != MAGIC {
        return Err(FormatError::Magic);
    }
    let mut header = Reader::new(bytes, 4);
    let version = header.u32_le()?;
    if version != VERSION {
        return Err(FormatError::Version {
            expected: VERSION,
            got: version,
        });
    }
    Ok(header)
}

/// Decodes an index, borrowing its strings from `bytes`.
pub fn decode(bytes: &[u8]) -> Result<Index<'_>, FormatError> {
    let mut header = read_header(bytes)?;
    if header.u32_le()? != SECTION_COUNT {
        return Err(header.corrupt("unexpected number of sections"));
    }
    let mut sections = [
        Reader::new(&[], 0),
        Reader::new(&[], 0),
        Reader::new(&[], 0),
        Reader::new(&[], 0),
        Reader::new(&[], 0),
        Reader::new(&[], 0),
    ];
    for section in &mut sections {
        let at = header.pos;
        let offset = header.u32_le()? as usize;
        let len = header.u32_le()? as usize;
        let end = offset
            .checked_add(len)
            .filter(|&end| offset >= HEADER_LEN && end <= bytes.len());
        let Some(end) = end else {
            return Err(FormatError::Corrupt {
                offset: at,
                reason: "section lies outside the file",
            });
        };
        *section = Reader {
            bytes: &bytes[..end],
            pos: offset,
        };
    }
    let [mut docs, mut terms, mut postings, texts, mut semantic, mut facets] = sections;

    // DOCS, then TEXTS, which the document table slices.
    let doc_count = docs.count(6)?;
    let mut checkpoints = Vec::new();
    let documents = read_documents(&mut docs, &texts, doc_count, &mut checkpoints)?;

    // TERMS: the front-coded strings, then the document frequencies.
    let term_count = terms.count(2)?;
    let mut term_list = Terms::default();
    let mut term_bytes: Vec<u8> = Vec::new();
    for _ in 0..term_count {
        let shared = terms.varint()? as usize;
        let previous = term_list.last().unwrap_or("");
        if shared > previous.len() || !previous.is_char_boundary(shared) {
            return Err(terms.corrupt("shared term prefix is longer than the previous term"));
        }
        term_bytes.clear();
        term_bytes.extend_from_slice(&previous.as_bytes()[..shared]);
        let at = terms.pos;
        term_bytes.extend_from_slice(terms.str()?.as_bytes());
        let term = std::str::from_utf8(&term_bytes).map_err(|_| FormatError::Corrupt {
            offset: at,
            reason: "term is not UTF-8",
        })?;
        if term_list.last().is_some_and(|last| last >= term) {
            return Err(FormatError::Corrupt {
                offset: at,
                reason: "terms are not sorted",
            });
        }
        term_list.push(term);
    }

    // POSTINGS: heads and positions, read side by side with the frequencies.
    let heads_len = postings.varint()? as usize;
    let heads_end = postings
        .pos
        .checked_add(heads_len)
        .filter(|&end| end <= postings.bytes.len());
    let Some(heads_end) = heads_end else {
        return Err(postings.corrupt("postings heads run past the end of their section"));
    };
    let mut heads = Reader::new(&postings.bytes[..heads_end], postings.pos);
    let mut positions_stream = Reader::new(postings.bytes, heads_end);
    let mut term_starts = Vec::with_capacity(term_count + 1);
    let mut posting_list = Vec::new();
    let mut positions = Vec::new();
    term_starts.push(0);
    for _ in 0..term_count {
        let doc_freq = terms.varint()? as usize;
        if doc_freq == 0 || doc_freq > doc_count {
            return Err(terms.corrupt("document frequency out of range"));
        }
        read_postings(
            &mut heads,
            &mut positions_stream,
            doc_freq,
            &documents,
            &mut posting_list,
            &mut positions,
        )?;
        term_starts.push(posting_list.len() as u32);
    }
    // The languages: an index names them only when some page was stemmed
    // in another language than English, and only a module with the
    // `languages` feature carries the stemmers to read its queries so.
    let language_count = terms.count(1)?;
    #[cfg(feature = "languages")]
    let mut languages = Vec::new();
    #[cfg(feature = "languages")]
    let mut stop_words = Vec::new();
    #[cfg(feature = "languages")]
    for _ in 0..language_count {
        languages.push(terms.str()?.to_owned());
        let count = terms.count(1)?;
        let words = (0..count)
            .map(|_| terms.str().map(str::to_owned))
            .collect::<Result<Vec<String>, FormatError>>()?;
        if !crate::analysis::are_stop_words(&words) {
            return Err(terms.corrupt("a language's stop words are not sorted"));
        }
        stop_words.push(words.into());
    }
    #[cfg(not(feature = "languages"))]
    if language_count > 0 {
        return Err(terms.corrupt(crate::analysis::WITHOUT_LANGUAGES));
    }
    terms.expect_end()?;
    heads.expect_end()?;
    positions_stream.expect_end()?;

    let mut index = Index::from_parts(
        documents,
        checkpoints,
        term_list,
        term_starts,
        posting_list,
        positions,
    );
    #[cfg(feature = "languages")]
    {
        index.languages = languages;
        index.stop_words = stop_words;
    }
    index.semantic = decode_semantic(&mut semantic, doc_count)?;
    #[cfg(feature = "facets")]
    {
        index.facets = read_facets(&mut facets, doc_count)?;
    }
    #[cfg(not(feature = "facets"))]
    read_facets(&mut facets, doc_count)?;
    Ok(index)
}

#[cfg(not(feature = "facets"))]
const WITHOUT_FACETS: &str = "metadata, filters and sort need the `facets` module";

/// The FACETS section ([`Facets::decode`]); an engine built without the
/// `facets` feature accepts only an empty one, so it never drops a site's
/// filters unsaid.
#[cfg(feature = "facets")]
pub(crate) fn read_facets(
    reader: &mut Reader<'_>,
    doc_count: usize,
) -> Result<std::sync::Arc<Facets>, FormatError> {
    let facets = Facets::decode(reader, doc_count)?;
    reader.expect_end()?;
    Ok(std::sync::Arc::new(facets))
}

/// Without the `facets` feature: the section must be empty.
#[cfg(not(feature = "facets"))]
pub(crate) fn read_facets(reader: &mut Reader<'_>, _doc_count: usize) -> Result<(), FormatError> {
    // No filter keys and no sort keys: two zeros, and nothing after them.
    match reader.bytes.get(reader.pos..) {
        Some([0, 0]) => Ok(()),
        _ => Err(reader.corrupt(WITHOUT_FACETS)),
    }
}

/// `count` documents: their table from `docs`, their bodies from `texts`
/// (the whole reader, back to back in document order), their checkpoints
/// appended to `checkpoints`.
pub(crate) fn read_documents<'a>(
    docs: &mut Reader<'a>,
    texts: &Reader<'a>,
    count: usize,
    checkpoints: &mut Vec<u32>,
) -> Result<Vec<DocumentRecord<'a>>, FormatError> {
    let mut documents = Vec::with_capacity(count);
    let mut text_offset = texts.pos;
    for _ in 0..count {
        let id = docs.str()?;
        let title = docs.str()?;
        let url = docs.str()?;
        let body_bytes = docs.varint()? as usize;
        let body_at = docs.pos;
        let body = texts
            .slice(text_offset, body_bytes)
            .ok_or(FormatError::Corrupt {
                offset: body_at,
                reason: "document text lies outside the texts section",
            })?;
        let body = std::str::from_utf8(body).map_err(|_| FormatError::Corrupt {
            offset: text_offset,
            reason: "document text is not UTF-8",
        })?;
        text_offset += body_bytes;
        let title_len = docs.varint()?;
        let body_len = docs.varint()?;
        // A word is at least one byte: this bounds every later allocation by the input size.
        if title_len as usize > title.len() || body_len as usize > body.len() {
            return Err(docs.corrupt("more words than bytes in a document"));
        }
        let checkpoints_start = checkpoints.len() as u32;
        const BAD_CHECKPOINT: &str =
            "checkpoint is not an increasing character boundary of the text";
        docs.deltas_into(
            checkpoint_count(body_len) as u32,
            body.len() as u32,
            checkpoints,
            BAD_CHECKPOINT,
        )?;
        if !checkpoints[checkpoints_start as usize..]
            .iter()
            .all(|&offset| body.is_char_boundary(offset as usize))
        {
            return Err(docs.corrupt(BAD_CHECKPOINT));
        }
        let sections = docs.sections(body_len)?;
        #[cfg(feature = "facets")]
        let meta = docs.meta()?;
        #[cfg(not(feature = "facets"))]
        docs.no_meta()?;
        documents.push(DocumentRecord {
            id,
            title,
            url,
            body,
            title_len,
            body_len,
            checkpoints_start,
            sections,
            #[cfg(feature = "facets")]
            meta,
        });
    }
    docs.expect_end()?;
    if text_offset != texts.bytes.len() {
        return Err(FormatError::Corrupt {
            offset: text_offset,
            reason: "texts section is longer than its documents",
        });
    }
    Ok(documents)
}

/// The DOCS and TEXTS sections of `documents`, as [`read_documents`] reads them.
#[cfg(feature = "build")]
pub(crate) fn write_documents(
    index: &Index<'_>,
    documents: &[DocumentRecord<'_>],
    docs: &mut Vec<u8>,
    texts: &mut Vec<u8>,
) {
    for doc in documents {
        put_str(docs, doc.id);
        put_str(docs, doc.title);
        put_str(docs, doc.url);
        put_varint(docs, doc.body.len() as u32);
        put_varint(docs, doc.title_len);
        put_varint(docs, doc.body_len);
        put_deltas(docs, index.checkpoints_of(doc));
        put_sections(docs, &doc.sections);
        put_meta(docs, &doc.meta);
        texts.extend_from_slice(doc.body.as_bytes());
    }
}

/// A document's sections, as [`Reader::sections`] reads them.
#[cfg(feature = "build")]
pub(crate) fn put_sections(out: &mut Vec<u8>, sections: &[SectionRef<'_>]) {
    put_varint(out, sections.len() as u32);
    let mut previous = 0;
    for section in sections {
        put_varint(out, section.word - previous);
        previous = section.word;
        put_str(out, section.title);
        put_str(out, section.anchor);
    }
}

/// A document's metadata, as [`Reader::meta`] reads it.
#[cfg(feature = "build")]
pub(crate) fn put_meta(out: &mut Vec<u8>, meta: &[(&str, &str)]) {
    put_varint(out, meta.len() as u32);
    for (key, value) in meta {
        put_str(out, key);
        put_str(out, value);
    }
}

/// A posting's frequencies after its document: its title frequency, with a
/// flag each for whether its heading frequency and its link lines'
/// frequency follow its body frequency (most postings have neither, and pay
/// nothing for them while their title frequency is below 32); its body
/// frequency; then those of the two that are not 0.
#[cfg(feature = "build")]
pub(crate) fn put_counts(heads: &mut Vec<u8>, counts: &PostingCounts) {
    let flags = u32::from(counts.heading_tf > 0) << 1 | u32::from(counts.link_tf > 0);
    put_varint(heads, counts.title_tf << 2 | flags);
    put_varint(heads, counts.body_tf);
    for tf in [counts.heading_tf, counts.link_tf] {
        if tf > 0 {
            put_varint(heads, tf);
        }
    }
}

/// One term's `doc_freq` postings: their heads from `heads`, their positions
/// from `positions_stream`, each checked against the document's field lengths.
pub(crate) fn read_postings(
    heads: &mut Reader<'_>,
    positions_stream: &mut Reader<'_>,
    doc_freq: usize,
    documents: &[DocumentRecord<'_>],
    posting_list: &mut Vec<Posting>,
    positions: &mut Vec<u32>,
) -> Result<(), FormatError> {
    let mut doc = 0u32;
    for i in 0..doc_freq {
        let delta = heads.varint()?;
        doc = match doc.checked_add(delta) {
            Some(d) if (i == 0 || delta > 0) && (d as usize) < documents.len() => d,
            _ => return Err(heads.corrupt("posting's document is out of order or out of range")),
        };
        let record = &documents[doc as usize];
        let counts = heads.posting_counts()?;
        let PostingCounts {
            title_tf,
            body_tf,
            heading_tf,
            ..
        } = counts;
        if title_tf > record.title_len || body_tf > record.body_len || title_tf + body_tf == 0 {
            return Err(heads.corrupt("term frequency out of range"));
        }
        let positions_start = positions.len() as u32;
        const BAD_POSITION: &str = "positions are out of order or outside their field";
        positions_stream.deltas_into(title_tf, record.title_len, positions, BAD_POSITION)?;
        positions_stream.deltas_into(body_tf, record.body_len, positions, BAD_POSITION)?;
        // The headings' positions, stored as which of the body's they are.
        let body_start = positions.len() - body_tf as usize;
        positions_stream.deltas_into(heading_tf, body_tf, positions, BAD_POSITION)?;
        for at in positions.len() - heading_tf as usize..positions.len() {
            positions[at] = positions[body_start + positions[at] as usize];
        }
        // Each heading occurrence's heading length (0: not its first word).
        for _ in 0..heading_tf {
            match positions_stream.varint()? {
                length if length <= record.body_len => positions.push(length),
                _ => return Err(positions_stream.corrupt("a heading is longer than its body")),
            }
        }
        posting_list.push(Posting {
            doc,
            counts,
            positions_start,
        });
    }
    Ok(())
}

/// One posting list as [`read_postings`] reads it: heads into `heads`,
/// positions into `positions`.
#[cfg(feature = "build")]
pub(crate) fn write_postings(
    index: &Index<'_>,
    term_id: usize,
    heads: &mut Vec<u8>,
    positions: &mut Vec<u8>,
) {
    let mut previous_doc = 0;
    for posting in index.postings_of(term_id) {
        put_varint(heads, posting.doc - previous_doc);
        previous_doc = posting.doc;
        put_counts(heads, &posting.counts);
        put_deltas(positions, index.positions_of(posting, crate::Field::Title));
        let body = index.positions_of(posting, crate::Field::Body);
        put_deltas(positions, body);
        let ordinals: Vec<u32> = index
            .heading_positions_of(posting)
            .iter()
            .map(|p| {
                body.binary_search(p)
                    .expect("a heading position is a body position") as u32
            })
            .collect();
        put_deltas(positions, &ordinals);
        for &length in index.heading_lengths_of(posting) {
            put_varint(positions, length);
        }
    }
}

/// SEMANTIC: the learned document vectors, if any.
fn decode_semantic(
    section: &mut Reader<'_>,
    doc_count: usize,
) -> Result<Option<Semantic>, FormatError> {
    // Each dimension takes a byte per document: a count too large for the
    // section is an error before anything is allocated.
    let dims = section.count(doc_count)?;
    let vectors = section
        .take(doc_count * dims, "count is larger than the section")?
        .to_vec();
    section.expect_end()?;
    if dims == 0 || doc_count == 0 {
        return Ok(None);
    }
    Ok(Some(Semantic { dims, vectors }))
}

/// A bounds-checked cursor over one section. `bytes` ends where the section
/// ends; `pos` is an absolute offset, so errors name the byte in the file.
pub(crate) struct Reader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8], pos: usize) -> Self {
        Reader { bytes, pos }
    }

    pub(crate) fn corrupt(&self, reason: &'static str) -> FormatError {
        FormatError::Corrupt {
            offset: self.pos,
            reason,
        }
    }

    pub(crate) fn u32_le(&mut self) -> Result<u32, FormatError> {
        let bytes = self.take(4, "header is truncated")?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    pub(crate) fn take(
        &mut self,
        len: usize,
        reason: &'static str,
    ) -> Result<&'a [u8], FormatError> {
        match self.slice(self.pos, len) {
            Some(bytes) => {
                self.pos += len;
                Ok(bytes)
            }
            None => Err(self.corrupt(reason)),
        }
    }

    pub(crate) fn slice(&self, start: usize, len: usize) -> Option<&'a [u8]> {
        let end = start.checked_add(len)?;
        self.bytes.get(start..end)
    }

    pub(crate) fn varint(&mut self) -> Result<u32, FormatError> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(self.corrupt("section ends inside a number"));
            };
            self.pos += 1;
            let bits = (byte & 0x7F) as u32;
            if shift == 28 && bits > 0x0F {
                return Err(self.corrupt("number does not fit in 32 bits"));
            }
            value |= bits << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.corrupt("number does not fit in 32 bits"))
    }

    /// A count of items that take at least `min_item_bytes` each, checked
    /// against what is left so a corrupt count cannot make us allocate.
    pub(crate) fn count(&mut self, min_item_bytes: usize) -> Result<usize, FormatError> {
        let count = self.varint()? as usize;
        self.has_room(count, min_item_bytes)?;
        Ok(count)
    }

    /// Checks that `count` items of at least `min_item_bytes` each fit in
    /// what is left, so a corrupt count cannot make us allocate.
    pub(crate) fn has_room(&self, count: usize, min_item_bytes: usize) -> Result<(), FormatError> {
        let left = self.bytes.len().saturating_sub(self.pos);
        if count.saturating_mul(min_item_bytes) > left {
            return Err(self.corrupt("count is larger than the section"));
        }
        Ok(())
    }

    /// A document's metadata ([`put_meta`]): key and value pairs.
    #[cfg(feature = "facets")]
    pub(crate) fn meta(&mut self) -> Result<Vec<(&'a str, &'a str)>, FormatError> {
        let count = self.count(2)?;
        (0..count).map(|_| Ok((self.str()?, self.str()?))).collect()
    }

    /// An engine without the `facets` feature shows no metadata, and accepts none.
    #[cfg(not(feature = "facets"))]
    pub(crate) fn no_meta(&mut self) -> Result<(), FormatError> {
        match self.varint()? {
            0 => Ok(()),
            _ => Err(self.corrupt(WITHOUT_FACETS)),
        }
    }

    pub(crate) fn str(&mut self) -> Result<&'a str, FormatError> {
        let len = self.varint()? as usize;
        let at = self.pos;
        let bytes = self.take(len, "string runs past the end of its section")?;
        std::str::from_utf8(bytes).map_err(|_| FormatError::Corrupt {
            offset: at,
            reason: "string is not UTF-8",
        })
    }

    /// Reads `count` strictly increasing values below `limit` into `out`, or
    /// fails with `reason`.
    pub(crate) fn deltas_into(
        &mut self,
        count: u32,
        limit: u32,
        out: &mut Vec<u32>,
        reason: &'static str,
    ) -> Result<(), FormatError> {
        let mut previous: Option<u32> = None;
        for _ in 0..count {
            let delta = self.varint()?;
            let value = match previous {
                None => Some(delta),
                Some(p) if delta > 0 => p.checked_add(delta),
                Some(_) => None,
            };
            match value {
                Some(v) if v < limit => {
                    out.push(v);
                    previous = Some(v);
                }
                _ => return Err(self.corrupt(reason)),
            }
        }
        Ok(())
    }

    /// A posting's frequencies ([`put_counts`]): the headings' and the link
    /// lines' are within the body's, and not 0 when flagged.
    pub(crate) fn posting_counts(&mut self) -> Result<PostingCounts, FormatError> {
        let title_and_flags = self.varint()?;
        let body_tf = self.varint()?;
        let heading_tf = self.flagged_tf(title_and_flags & 2 != 0, body_tf)?;
        let link_tf = self.flagged_tf(title_and_flags & 1 != 0, body_tf)?;
        Ok(PostingCounts {
            title_tf: title_and_flags >> 2,
            body_tf,
            heading_tf,
            link_tf,
        })
    }

    /// A frequency within the body's, stored when `flagged` (and then not 0).
    fn flagged_tf(&mut self, flagged: bool, body_tf: u32) -> Result<u32, FormatError> {
        if !flagged {
            return Ok(0);
        }
        match self.varint()? {
            tf if tf > 0 && tf <= body_tf => Ok(tf),
            _ => Err(self.corrupt("term frequency out of range")),
        }
    }

    /// A document's sections ([`put_sections`]): strictly increasing first
    /// words, each before the body's end (`body_len` words).
    pub(crate) fn sections(&mut self, body_len: u32) -> Result<Vec<SectionRef<'a>>, FormatError> {
        // A section is at least three bytes: its word and two empty strings.
        let count = self.count(3)?;
        let mut sections: Vec<SectionRef<'a>> = Vec::with_capacity(count);
        for _ in 0..count {
            let delta = self.varint()?;
            let word = match sections.last() {
                None => Some(delta),
                Some(last) if delta > 0 => last.word.checked_add(delta),
                Some(_) => None,
            };
            let Some(word) = word.filter(|&w| w < body_len) else {
                return Err(self.corrupt("sections are not increasing words of the body"));
            };
            let title = self.str()?;
            let anchor = self.str()?;
            sections.push(SectionRef {
                word,
                title,
                anchor,
            });
        }
        Ok(sections)
    }

    pub(crate) fn expect_end(&self) -> Result<(), FormatError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.corrupt("unexpected bytes after the end of a section"))
        }
    }
}

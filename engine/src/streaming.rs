//! The streaming build: a site's documents in, one at a time, and its
//! sharded index out, in memory that does not grow with the text.
//!
//! [`IndexBuilder`](crate::IndexBuilder) keeps every document and then the
//! whole index in memory, which an embedded module needs anyway. A sharded
//! index does not: each document's record goes into its texts file as the
//! document is read (texts are cut by document range, in order), and its
//! words into their terms' postings, held encoded as a postings file holds
//! them (a few bytes a posting). When those pass the memory budget they are
//! written to a scratch file in term order (a **run**) and let go of. At the
//! end the runs are merged term by term, each term's postings written to its
//! postings file as it is complete, and the rows of the semantic matrix go to
//! one more scratch file, read once per power iteration.
//!
//! What stays in memory: the vocabulary (each distinct word and term once),
//! three numbers a document for the core, one file of each kind being
//! filled, the postings up to the budget, and while the vectors are learned
//! two matrices of 90 numbers a document (`semantic.rs`).
//!
//! The bytes written are those [`encode_sharded`](crate::encode_sharded)
//! writes for the same documents built in memory: the same writer cuts them
//! (`ShardWriter`), the runs concatenate into the same postings, and the
//! matrix's rows come in the same order (tested in `tests/streaming.rs`).
//! The engine does no I/O of its own: the caller gives the output
//! ([`ShardOutput`]) and the scratch files (any `Read + Write + Seek`).

use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use crate::analysis::one_line;
use crate::facets::FacetsBuilder;
use crate::format::Reader;
use crate::index::{meta_refs, section_refs, DocumentRecord, SourceDocument, TermTable};
use crate::semantic::{learn_from_rows, row_of, Row, Rows};
use crate::shards::{Manifest, ShardOutput, ShardSizes, ShardWriter};

/// A scratch file: written once, then read from the start, possibly many times.
pub trait Scratch: Read + Write + Seek {}
impl<T: Read + Write + Seek> Scratch for T {}

/// Postings held in memory before they are spilled to a run, by default.
pub const DEFAULT_MEMORY_BUDGET: usize = 256 << 20;

/// Builds a sharded index from documents given in order (by id: the order
/// [`IndexBuilder`](crate::IndexBuilder) sorts them in, so that both give
/// the same index).
pub struct StreamingBuilder<O: ShardOutput> {
    writer: ShardWriter<O>,
    terms: TermTable,
    budget: usize,
    new_scratch: Box<dyn FnMut() -> io::Result<Box<dyn Scratch>>>,
    runs: Vec<Box<dyn Scratch>>,
    checkpoints: Vec<u32>,
    last_id: Option<String>,
    text_bytes: u64,
    facets: FacetsBuilder,
    /// Whether a document so far had metadata.
    any_meta: bool,
}

/// What [`StreamingBuilder::finish`] made.
#[derive(Debug)]
pub struct StreamingSummary<O> {
    pub manifest: Manifest,
    pub output: O,
    pub terms: usize,
    /// How many runs of postings were spilled to scratch files.
    pub runs: usize,
    /// Whether some document has metadata, filter or sort values
    /// ([`Index::has_page_facts`](crate::Index::has_page_facts)).
    pub page_facts: bool,
}

impl<O: ShardOutput> StreamingBuilder<O> {
    /// Writes to `output` in files of about `sizes`, holding up to
    /// `memory_budget` bytes of postings before spilling a run to a file
    /// that `new_scratch` makes.
    pub fn new(
        output: O,
        sizes: ShardSizes,
        memory_budget: usize,
        new_scratch: Box<dyn FnMut() -> io::Result<Box<dyn Scratch>>>,
    ) -> Self {
        StreamingBuilder {
            writer: ShardWriter::new(output, sizes),
            terms: TermTable::default(),
            budget: memory_budget,
            new_scratch,
            runs: Vec::new(),
            checkpoints: Vec::new(),
            last_id: None,
            text_bytes: 0,
            facets: FacetsBuilder::default(),
            any_meta: false,
        }
    }

    /// Adds the next document; ids must come in increasing order (an error
    /// says which did not).
    pub fn add(&mut self, mut document: SourceDocument) -> io::Result<()> {
        if self
            .last_id
            .as_ref()
            .is_some_and(|last| *last >= document.id)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "document `{}` comes after `{}`: documents must be added in order of their ids",
                    document.id,
                    self.last_id.as_deref().unwrap_or_default()
                ),
            ));
        }
        document.title = one_line(&document.title);
        document.body = one_line(&document.body);
        for section in &mut document.sections {
            section.title = one_line(&section.title);
        }
        self.text_bytes += (document.title.len() + document.body.len()) as u64;
        self.checkpoints.clear();
        let doc = self.writer.documents();
        let stats = self
            .terms
            .add_document(doc, &document, &mut self.checkpoints);
        let record = DocumentRecord {
            id: &document.id,
            title: &document.title,
            url: &document.url,
            body: &document.body,
            title_len: stats.title_len,
            body_len: stats.body_len,
            checkpoints_start: 0,
            sections: section_refs(&document.sections, stats.body_len),
            meta: meta_refs(&document.meta),
        };
        self.writer.add_record(&record, &self.checkpoints)?;
        self.facets
            .add(&document.filters, &document.sort, &document.language);
        self.any_meta |= !record.meta.is_empty();
        self.last_id = Some(document.id);
        if self.terms.held_bytes > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Documents added so far.
    pub fn documents(&self) -> u32 {
        self.writer.documents()
    }

    /// Bytes of title and body text added so far (on one line, as stored).
    pub fn text_bytes(&self) -> u64 {
        self.text_bytes
    }

    fn spill(&mut self) -> io::Result<()> {
        let mut run = (self.new_scratch)()?;
        {
            let mut writer = BufWriter::new(&mut run);
            self.terms.spill(&self.terms.sorted_ids(), &mut writer)?;
            writer.flush()?;
        }
        self.runs.push(run);
        Ok(())
    }

    /// Merges the runs into the postings files, learns the vectors and
    /// writes the rest; `stage` hears what it is doing ("merging",
    /// "learning vectors", "writing").
    pub fn finish(mut self, stage: &mut dyn FnMut(&str)) -> io::Result<StreamingSummary<O>> {
        stage("merging postings");
        let n = self.writer.documents() as usize;
        let order = self.terms.sorted_ids();
        let run_count = self.runs.len();
        let mut runs = Vec::with_capacity(run_count);
        for run in &mut self.runs {
            run.seek(SeekFrom::Start(0))?;
            runs.push(RunReader::new(BufReader::new(run))?);
        }
        let mut rows = ScratchRows {
            file: (self.new_scratch)()?,
        };
        {
            let mut row_writer = BufWriter::new(&mut rows.file);
            let (mut heads, mut positions, mut triples) = (Vec::new(), Vec::new(), Vec::new());
            for &id in &order {
                heads.clear();
                positions.clear();
                for run in &mut runs {
                    run.take(id, &mut heads, &mut positions)?;
                }
                let held = &mut self.terms.postings[id as usize];
                heads.extend_from_slice(&held.heads);
                positions.extend_from_slice(&held.positions);
                held.heads = Vec::new();
                held.positions = Vec::new();
                let doc_freq = held.doc_freq;
                self.writer.add_term(
                    &self.terms.texts[id as usize],
                    doc_freq,
                    &heads,
                    &positions,
                )?;
                if self.terms.plain[id as usize] {
                    postings_triples(&heads, doc_freq, &mut triples);
                    let row = row_of(n, triples.iter().copied());
                    write_row(&mut row_writer, &row)?;
                }
            }
            row_writer.flush()?;
        }
        drop(runs);
        self.runs.clear();
        let terms = self.writer.terms();
        stage("learning vectors");
        let semantic = learn_from_rows(n, &mut rows)?;
        drop(rows);
        stage("writing");
        let facets = self.facets.finish();
        let page_facts = self.any_meta || !facets.is_empty();
        let languages = self.terms.languages();
        let (manifest, output) = self.writer.finish(semantic.as_ref(), &facets, &languages)?;
        Ok(StreamingSummary {
            page_facts,
            manifest,
            output,
            terms,
            runs: run_count,
        })
    }
}

/// A term's postings heads as (document, title tf, body tf).
fn postings_triples(heads: &[u8], doc_freq: u32, out: &mut Vec<(u32, u32, u32)>) {
    out.clear();
    let mut reader = Reader::new(heads, 0);
    let mut doc = 0;
    for _ in 0..doc_freq {
        const OWN: &str = "the builder's own postings decode";
        doc += reader.varint().expect(OWN);
        let counts = reader.posting_counts().expect(OWN);
        out.push((doc, counts.title_tf, counts.body_tf));
    }
}

/// One run, read term by term in term order.
struct RunReader<R: Read> {
    reader: R,
    /// The next term's id and its heads' and positions' byte lengths.
    next: Option<(u32, usize, usize)>,
}

impl<R: Read> RunReader<R> {
    fn new(reader: R) -> io::Result<Self> {
        let mut run = RunReader { reader, next: None };
        run.advance()?;
        Ok(run)
    }

    fn advance(&mut self) -> io::Result<()> {
        self.next = match read_varint(&mut self.reader)? {
            None => None,
            Some(id) => {
                let heads = read_varint(&mut self.reader)?.ok_or_else(truncated)?;
                let positions = read_varint(&mut self.reader)?.ok_or_else(truncated)?;
                Some((id, heads as usize, positions as usize))
            }
        };
        Ok(())
    }

    /// Appends term `id`'s part of this run, if it has one (terms are asked
    /// for in the order the run was written in).
    fn take(&mut self, id: u32, heads: &mut Vec<u8>, positions: &mut Vec<u8>) -> io::Result<()> {
        let Some((next, heads_len, positions_len)) = self.next else {
            return Ok(());
        };
        if next != id {
            return Ok(());
        }
        read_append(&mut self.reader, heads_len, heads)?;
        read_append(&mut self.reader, positions_len, positions)?;
        self.advance()
    }
}

fn read_append(reader: &mut impl Read, len: usize, out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    out.resize(start + len, 0);
    reader.read_exact(&mut out[start..])
}

fn truncated() -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "a run of spilled postings is truncated",
    )
}

/// A varint as `format::put_varint` writes it; None at the end of the input.
fn read_varint(reader: &mut impl Read) -> io::Result<Option<u32>> {
    let mut value = 0u32;
    let mut byte = [0u8];
    for shift in (0..35).step_by(7) {
        if reader.read(&mut byte)? == 0 {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(truncated())
            };
        }
        value |= u32::from(byte[0] & 0x7f) << shift;
        if byte[0] & 0x80 == 0 {
            return Ok(Some(value));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "a varint in a run is too long",
    ))
}

/// The rows of the semantic matrix in a scratch file: per row its length
/// (u32), then (document u32, cell f32) per posting, little-endian.
struct ScratchRows {
    file: Box<dyn Scratch>,
}

fn write_row(out: &mut impl Write, row: &[(u32, f32)]) -> io::Result<()> {
    if row.is_empty() {
        return Ok(());
    }
    out.write_all(&(row.len() as u32).to_le_bytes())?;
    for &(doc, cell) in row {
        out.write_all(&doc.to_le_bytes())?;
        out.write_all(&cell.to_le_bytes())?;
    }
    Ok(())
}

impl Rows for ScratchRows {
    fn for_each_row(&mut self, each: &mut dyn FnMut(&Row)) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(0))?;
        let mut reader = BufReader::new(&mut self.file);
        let mut row = Vec::new();
        let mut word = [0u8; 4];
        loop {
            // The end of the file only between rows: a row cut short is an error.
            if reader.fill_buf()?.is_empty() {
                return Ok(());
            }
            reader.read_exact(&mut word)?;
            row.clear();
            for _ in 0..u32::from_le_bytes(word) {
                reader.read_exact(&mut word)?;
                let doc = u32::from_le_bytes(word);
                reader.read_exact(&mut word)?;
                row.push((doc, f32::from_le_bytes(word)));
            }
            each(&row);
        }
    }
}

//! Indexes a corpus folder as the build script does and reports what it cost:
//! documents, text and index sizes, time, and the process's peak memory.
//! For TESTING.md's memory bound and the build benchmarks.
//!
//!     cargo run --release -p site-search-index --example index_folder -- FOLDER
//!
//! `SEARCH_MAX_FILE_MB` is read as the build script reads it. Prints one JSON
//! object. Peak memory is the kernel's high-water mark of resident memory
//! (`VmHWM` in /proc/self/status), so it needs Linux; elsewhere it is null.
use std::error::Error;
use std::time::Instant;

use engine::{format, IndexBuilder};
use indexer::corpus::{load_dir, max_file_bytes, LoadOptions};

fn main() {
    if let Err(error) = try_main() {
        eprintln!("error: {error}");
        eprintln!("usage: index_folder CORPUS_FOLDER");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn Error>> {
    let folder = std::env::args().nth(1).ok_or("a corpus folder is needed")?;
    let max_file_bytes = max_file_bytes(std::env::var("SEARCH_MAX_FILE_MB").ok().as_deref())?;
    let options = LoadOptions {
        max_file_bytes,
        ..LoadOptions::default()
    };
    let start = Instant::now();
    let corpus = load_dir(folder.as_ref(), &options)?;
    let documents = corpus.documents.len();
    let text_bytes: usize = corpus
        .documents
        .iter()
        .map(|d| d.title.len() + d.body.len())
        .sum();
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let index_bytes = format::encode(&builder.build()).len();
    let seconds = start.elapsed().as_secs_f64();
    let peak = indexer::peak_memory().map_or("null".to_string(), |b| b.to_string());
    println!(
        "{{\"documents\":{documents},\"skipped\":{},\"text_bytes\":{text_bytes},\"index_bytes\":{index_bytes},\"seconds\":{seconds:.3},\"peak_resident_bytes\":{peak}}}",
        corpus.skipped.len()
    );
    Ok(())
}

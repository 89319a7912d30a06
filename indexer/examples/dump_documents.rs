//! Prints the documents of a folder as the indexer reads them, as one JSON
//! array of `{ id, title, body }`: for the benchmarks, so that the peers index
//! exactly the text ours does.
//!
//!     cargo run --release -p site-search-index --example dump_documents -- FOLDER [EXTENSIONS]
//!
//! EXTENSIONS, e.g. `html,htm`, as the indexer's `--extensions`.
use std::io::Write;

use indexer::corpus::{load_dir, LoadOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(folder) = args.get(1) else {
        eprintln!("usage: dump_documents FOLDER [EXTENSIONS]");
        std::process::exit(2);
    };
    let options = LoadOptions {
        max_file_bytes: 100_000_000,
        extensions: args
            .get(2)
            .map(|list| list.split(',').map(str::to_string).collect()),
        ..LoadOptions::default()
    };
    let corpus = match load_dir(folder.as_ref(), &options) {
        Ok(corpus) => corpus,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    let documents: Vec<serde_json::Value> = corpus
        .documents
        .iter()
        .map(|d| serde_json::json!({ "id": d.id, "title": d.title, "body": d.body }))
        .collect();
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{}", serde_json::Value::Array(documents)).is_err() {
        std::process::exit(1); // the reader went away
    }
}

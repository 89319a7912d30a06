//! Native timing of the engine alone (no wasm, no JS boundary), by default on
//! the seed corpus: where a search's time goes before it reaches the browser.
//!
//!     cargo run --release -p site-search-index --example search_latency
//!
//! `N` sets the number of searches per figure (default 20000), `CORPUS` a
//! corpus folder other than `seeds/`, and `QUERIES` the queries, separated by
//! `|` (each then searched for `LIMIT` hits, default 10). Wall-clock times on a shared VM vary
//! by a third; for changes to the engine's code, count instructions instead:
//! `valgrind --tool=callgrind --toggle-collect=search_latency::parse_and_search`.
use std::path::{Path, PathBuf};
use std::time::Instant;

use engine::{format, IndexBuilder, Query, SearchOptions};
use indexer::corpus::{load_dir, LoadOptions};

/// One search as the module runs it. Not inlined, so that a profiler
/// (`valgrind --tool=callgrind --toggle-collect=search_latency::parse_and_search`)
/// can count it apart from building the index.
#[inline(never)]
fn parse_and_search<'a>(
    index: &engine::Index<'a>,
    query: &str,
    options: &SearchOptions,
) -> engine::SearchResults<'a> {
    index.search(&Query::parse(query), options)
}

fn main() {
    let folder = match std::env::var_os("CORPUS") {
        Some(folder) => PathBuf::from(folder),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds"),
    };
    let corpus = match load_dir(&folder, &LoadOptions::default()) {
        Ok(corpus) => corpus,
        Err(error) => {
            eprintln!("search_latency: {error}");
            std::process::exit(1);
        }
    };
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let bytes = format::encode(&builder.build());
    let index = format::decode(&bytes).expect("a fresh index decodes");
    let n: u32 = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let queries: Vec<(String, usize)> = match std::env::var("QUERIES") {
        Ok(list) => {
            let limit = std::env::var("LIMIT")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10);
            list.split('|').map(|q| (q.to_string(), limit)).collect()
        }
        Err(_) => [("jewish labour", 10), ("jewish labour", 0), ("zzzz", 10)]
            .iter()
            .map(|&(q, l)| (q.to_string(), l))
            .collect(),
    };
    for (query, limit) in &queries {
        let (query, limit) = (query.as_str(), *limit);
        let options = SearchOptions {
            limit,
            ..Default::default()
        };
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(parse_and_search(&index, query, &options));
        }
        let search = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(Query::parse(query));
        }
        let parse = start.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "{query:?}, limit {limit}: {search:.2} µs per search, of which parsing {parse:.2} µs"
        );
    }
}

//! Native timing of the engine alone (no wasm, no JS boundary) on the seed corpus:
//! where a search's time goes before it reaches the browser.
//!
//!     cargo run --release -p engine --features build --example search_latency
//!
//! `N` sets the number of searches per figure (default 20000).
use std::path::Path;
use std::time::Instant;

use engine::corpus::{load_dir, LoadOptions};
use engine::{format, IndexBuilder, Query, SearchOptions};

fn main() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../seeds");
    let corpus = load_dir(&seeds, &LoadOptions::default()).expect("the seed corpus loads");
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
    for (query, limit) in [("jewish labour", 10), ("jewish labour", 0), ("zzzz", 10)] {
        let options = SearchOptions {
            limit,
            ..Default::default()
        };
        let start = Instant::now();
        for _ in 0..n {
            std::hint::black_box(index.search(&Query::parse(query), &options));
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

use engine::corpus::{load_dir, LoadOptions};
use engine::{format, IndexBuilder, Query, SearchOptions};
use std::time::Instant;
fn main() {
    let corpus = load_dir(std::path::Path::new("seeds"), &LoadOptions::default()).unwrap();
    let mut b = IndexBuilder::new();
    for d in corpus.documents {
        b.add(d);
    }
    let bytes = format::encode(&b.build());
    let index = format::decode(&bytes).unwrap();
    for (q, limit) in [("jewish labour", 10), ("jewish labour", 0), ("zzzz", 10)] {
        let opts = SearchOptions {
            limit,
            ..Default::default()
        };
        let n: u32 = std::env::var("N")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20000);
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(index.search(&Query::parse(q), &opts));
        }
        let parse = Instant::now();
        for _ in 0..n {
            std::hint::black_box(Query::parse(q));
        }
        println!(
            "{q:?} limit {limit}: search {:.2} µs, parse alone {:.2} µs",
            t.elapsed().as_secs_f64() * 1e6 / n as f64 - 0.0,
            parse.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}

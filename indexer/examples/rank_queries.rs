//! Ranks a file of queries against a corpus folder, for the relevance harness
//! (`bench/relevance.mjs`, `make relevance`).
//!
//!     cargo run --release -p site-search-index --example rank_queries -- CORPUS QUERIES [DEPTH]
//!
//! The corpus is indexed exactly as the build script indexes it (the same
//! reader, builder and binary format, decoded again), and each query is
//! searched as the wasm module searches it, so the figures describe the
//! shipped product. Each query is also searched on the same index sharded as
//! the indexer shards it, shard by shard as the module fetches them, and a
//! ranking that differs from the embedded one is an error: both modes rank
//! alike, and `make relevance` checks it on every judged question. QUERIES has one query per line, `id<TAB>text`; the output
//! has one line per hit, `id<TAB>document id`, best first, DEPTH (default 100)
//! hits per query at most.
//!
//! `RANKING="k1=0.9,body_b=0.6"` overrides ranking parameters for an
//! experiment; the shipped defaults are [`engine::Bm25fParams::default`].
use std::error::Error;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use engine::{
    encode_sharded, format, Bm25fParams, Index, IndexBuilder, Query, SearchOptions, ShardSizes,
};
use indexer::bundle::{deflate, inflate};
use indexer::corpus::{load_dir, LoadOptions};

fn main() {
    if let Err(error) = try_main() {
        eprintln!("error: {error}");
        eprintln!("usage: rank_queries CORPUS_FOLDER QUERIES_FILE [DEPTH]");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus_dir, queries_path, rest @ ..] = args.as_slice() else {
        return Err("two arguments are needed".into());
    };
    let depth: usize = match rest.first() {
        Some(depth) => depth
            .parse()
            .map_err(|_| format!("DEPTH `{depth}` is not a number"))?,
        None => 100,
    };
    let params = match std::env::var("RANKING") {
        Ok(spec) => with_overrides(Bm25fParams::default(), &spec)?,
        Err(_) => Bm25fParams::default(),
    };

    let corpus = load_dir(Path::new(corpus_dir), &LoadOptions::default())?;
    for skipped in &corpus.skipped {
        eprintln!("skipped {}: {}", skipped.path.display(), skipped.reason);
    }
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let built = builder.build();
    let bytes = format::encode(&built);
    let index = format::decode(&bytes)?;
    // The same index sharded as the indexer shards it: every ranking is
    // checked to be the embedded one's (the issue: identical in both modes).
    let sharded_files = encode_sharded(&built, &ShardSizes::default(), &mut deflate);
    // What the module inflates stays for the page's life; so here.
    let mut restore = |stored: &[u8]| inflate(stored).map(|bytes| &*bytes.leak());
    let mut sharded = Index::open_sharded(
        &sharded_files.manifest,
        &sharded_files.files[0],
        &mut restore,
    )?;

    let queries = fs::read_to_string(queries_path)
        .map_err(|e| format!("cannot read queries file `{queries_path}`: {e}"))?;
    let options = SearchOptions {
        limit: depth,
        params,
        ..SearchOptions::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    for (line_number, line) in queries.lines().enumerate() {
        let Some((id, text)) = line.split_once('\t') else {
            return Err(
                format!("{queries_path}:{}: expected `id<TAB>text`", line_number + 1).into(),
            );
        };
        // A question ends with a space or full stop: no word is still being typed.
        let query = Query::parse(text);
        let results = index.search(&query, &options);
        let sharded_results = loop {
            let results = sharded.search(&query, &options);
            let missing = sharded.take_missing();
            if missing.is_empty() {
                break results;
            }
            for shard in missing {
                let bytes = sharded_files
                    .stored_bytes(&sharded, shard)
                    .ok_or("a shard the manifest lacks")?;
                sharded
                    .add_shard(shard, bytes, &mut restore)
                    .map_err(|e| e.error.message())?;
            }
        };
        if sharded_results != results {
            return Err(format!(
                "query {id}: the sharded index ranks differently from the embedded one"
            )
            .into());
        }
        for hit in results.hits {
            writeln!(out, "{id}\t{}", hit.id)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Applies `name=value` pairs, separated by commas, to `params`.
fn with_overrides(mut params: Bm25fParams, spec: &str) -> Result<Bm25fParams, Box<dyn Error>> {
    for pair in spec.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("RANKING: `{pair}` is not name=value"))?;
        let value: f32 = value
            .trim()
            .parse()
            .map_err(|_| format!("RANKING: `{value}` is not a number"))?;
        let field = match name.trim() {
            "k1" => &mut params.k1,
            "title_weight" => &mut params.title_weight,
            "body_weight" => &mut params.body_weight,
            "heading_weight" => &mut params.heading_weight,
            "title_b" => &mut params.title_b,
            "body_b" => &mut params.body_b,
            "link_weight" => &mut params.link_weight,
            "prefix_weight" => &mut params.prefix_weight,
            "typo_weight" => &mut params.typo_weight,
            "semantic_weight" => &mut params.semantic_weight,
            other => return Err(format!("RANKING: no parameter `{other}`").into()),
        };
        *field = value;
    }
    Ok(params)
}

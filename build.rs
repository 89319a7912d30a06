//! Indexes the corpus folder and writes the index for `src/lib.rs` to embed.
//!
//! - `SEARCH_CORPUS`: the folder to index (default `seeds/`); a relative path
//!   is taken from this folder (the Makefile passes absolute paths).
//! - `SEARCH_BASE_URL`: prepended to each document's path to make its link
//!   (default empty: links relative to the page).
//! - `SEARCH_MAX_FILE_MB`: the largest document file, in megabytes (default 10);
//!   a larger one fails the build, naming it.
//!
//! All the work is the indexer's and the engine's; this file only wires them to Cargo.

use std::env;
use std::error::Error;
use std::fs;
use std::path::PathBuf;

use engine::{format, IndexBuilder};
use indexer::corpus::{load_dir, max_file_bytes, LoadOptions};

fn main() {
    if let Err(error) = try_main() {
        // Cargo shows a failed build script's stderr: say what to fix.
        eprintln!("error: {error}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn Error>> {
    // Without the `corpus` feature the module carries no index of its own:
    // the indexer's bundles hand it one (see src/lib.rs).
    if env::var_os("CARGO_FEATURE_CORPUS").is_none() {
        return Ok(());
    }
    println!("cargo:rerun-if-env-changed=SEARCH_CORPUS");
    println!("cargo:rerun-if-env-changed=SEARCH_BASE_URL");
    println!("cargo:rerun-if-env-changed=SEARCH_MAX_FILE_MB");
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let corpus_dir = match env::var_os("SEARCH_CORPUS") {
        Some(dir) if !dir.is_empty() => manifest_dir.join(dir),
        _ => manifest_dir.join("seeds"),
    };
    // A folder here makes Cargo rerun us when anything below it changes.
    println!("cargo:rerun-if-changed={}", corpus_dir.display());

    let max_file_bytes = max_file_bytes(env::var("SEARCH_MAX_FILE_MB").ok().as_deref())?;
    let options = LoadOptions {
        base_url: env::var("SEARCH_BASE_URL").unwrap_or_default(),
        max_file_bytes,
        ..LoadOptions::default()
    };
    let corpus = load_dir(&corpus_dir, &options)?;
    for skipped in &corpus.skipped {
        println!(
            "cargo:warning=skipped {}: {}",
            corpus_dir.join(&skipped.path).display(),
            skipped.reason
        );
    }

    // The module filters and sorts only with the `facets` feature: a corpus
    // whose pages set values for them fails here rather than lose them.
    if env::var_os("CARGO_FEATURE_FACETS").is_none() {
        if let Some(page) = corpus
            .documents
            .iter()
            .find(|d| !d.filters.is_empty() || !d.sort.is_empty())
        {
            return Err(format!(
                "`{}` sets filter or sort values, and this module is built without filters and sorting; \
                 build with `make build SEARCH_FEATURES=facets` (or cargo's `--features facets`)",
                corpus_dir.join(&page.id).display()
            )
            .into());
        }
    }
    // Pages in several languages are narrowed to one by a filter the index
    // makes (`language`), which needs the `facets` feature too.
    if env::var_os("CARGO_FEATURE_FACETS").is_none() {
        let code = |d: &engine::SourceDocument| engine::analysis::page_language_code(&d.language);
        if let Some(first) = corpus.documents.first() {
            if let Some(other) = corpus.documents.iter().find(|d| code(d) != code(first)) {
                return Err(format!(
                    "`{}` is in the language `{}` and `{}` in `{}`: pages in several languages need filters \
                     (results are narrowed to the visitor's language); build with \
                     `make build SEARCH_FEATURES=facets` (or cargo's `--features facets`)",
                    corpus_dir.join(&first.id).display(),
                    code(first),
                    corpus_dir.join(&other.id).display(),
                    code(other)
                )
                .into());
            }
        }
    }
    // Each page's language and its passages' (codes), to name a page if
    // this module can't read the index's languages (kept only then).
    let without_stemmers = env::var_os("CARGO_FEATURE_LANGUAGES").is_none();
    let languages_of: Vec<(String, String, Vec<String>)> = corpus
        .documents
        .iter()
        .filter(|_| without_stemmers)
        .map(|d| {
            let passages = d.language_runs.iter();
            let passages = passages.map(|r| engine::analysis::language_code(&r.language));
            (d.id.clone(), d.language.clone(), passages.collect())
        })
        .collect();
    let mut builder = IndexBuilder::new();
    for document in corpus.documents {
        builder.add(document);
    }
    let index = builder.build();
    // An index in a stemmed language other than English (its pages', or
    // long passages' in one) needs the `languages` feature's stemmers.
    if without_stemmers {
        let languages = index.languages();
        if let Some(language) = languages
            .iter()
            .find(|code| engine::analysis::needs_stemmers(std::slice::from_ref(code)))
        {
            let named = languages_of.iter().find_map(|(id, page, passages)| {
                if page == language {
                    Some((id, "is in"))
                } else {
                    passages
                        .contains(language)
                        .then_some((id, "holds passages in"))
                }
            });
            let (page, says) = named.map_or(("", "is in"), |(id, says)| (id.as_str(), says));
            return Err(format!(
                "`{}` {says} the language `{language}`, and this module is built with English's \
                 stemmer only; build with `make build SEARCH_FEATURES=facets,languages` (or cargo's \
                 `--features languages`)",
                corpus_dir.join(page).display(),
            )
            .into());
        }
    }
    let bytes = format::encode(&index);
    let out = PathBuf::from(env::var("OUT_DIR")?).join("index.bin");
    fs::write(&out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok(())
}

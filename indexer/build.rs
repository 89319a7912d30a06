//! The command-line indexer carries the engine's wasm module and the web
//! client, so that indexing a site runs no Rust toolchain: this finds them.
//!
//! `make engine` builds them into `target/engine/` (the default); another
//! folder can be given with `SITE_SEARCH_ENGINE_DIR`. The library alone
//! (what the root package's build script uses) needs none of them.

use std::env;
use std::path::PathBuf;

/// What a bundle is made of besides the index: the module and its glue, the
/// API sites import (as sharded and as embedded bundles have it), the widget, the landing script, and the API's TypeScript declarations.
const ASSETS: [&str; 17] = [
    "embedded/engine_bg.wasm",
    "embedded/engine.js",
    "embedded-facets/engine_bg.wasm",
    "embedded-facets/engine.js",
    "embedded-languages/engine_bg.wasm",
    "embedded-languages/engine.js",
    "sharded/engine_bg.wasm",
    "sharded/engine.js",
    "sharded-facets/engine_bg.wasm",
    "sharded-facets/engine.js",
    "sharded-languages/engine_bg.wasm",
    "sharded-languages/engine.js",
    "search.js",
    "search-embedded.js",
    "widget.js",
    "highlight.js",
    "search.d.ts",
];

fn main() {
    println!("cargo:rerun-if-env-changed=SITE_SEARCH_ENGINE_DIR");
    if env::var_os("CARGO_FEATURE_CLI").is_none() {
        return;
    }
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by Cargo"));
    let dir = match env::var_os("SITE_SEARCH_ENGINE_DIR") {
        Some(dir) if !dir.is_empty() => manifest_dir.join(dir),
        _ => manifest_dir.join("../target/engine"),
    };
    for asset in ASSETS {
        let path = dir.join(asset);
        println!("cargo:rerun-if-changed={}", path.display());
        if !path.is_file() {
            eprintln!(
                "error: the indexer carries the engine's wasm module and the widget, and `{}` is missing.\n\
                 Build them first with `make engine` (which `make build` runs), or set \
                 SITE_SEARCH_ENGINE_DIR to a folder holding {}.",
                path.display(),
                ASSETS.join(", ")
            );
            std::process::exit(1);
        }
    }
    let dir = dir.canonicalize().expect("the folder exists");
    println!("cargo:rustc-env=SITE_SEARCH_ENGINE_DIR={}", dir.display());
}

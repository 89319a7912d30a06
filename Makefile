# Two commands do everything (see README.md):
#   make serve   install what is missing, build, and serve the demo on http://localhost:$(PORT)
#   make test    install what the tests need, and run every test
# and:
#   make build   the deployable result in dist/: the widget in dist/search/ (widget.js, the
#                API search.js, the module engine.js + engine_bg.wasm with the seeds compiled
#                in; a self-contained folder to copy to any site), the demo pages, the corpus
#                under dist/docs/ for the result links; and the indexer,
#                target/release/site-search-index
#   make engine  the six index-less modules the indexer carries, in target/engine/
#   make bench   the seed budgets (bench/budget.mjs, prints), then the suite side by side with
#                Pagefind, MiniSearch and lunr on the seeds, Cranfield, CISI and 1k-50k documents
#                (bench/peers.mjs, about 30 minutes; writes BENCHMARKS.md and docs/bench/*.svg)
#   make relevance  ranking quality on Cranfield and CISI (../shared/ir) beside lunr and
#                MiniSearch, on Python's docs judged by their index, and on the Debian FAQ
#                in ten languages beside Pagefind; writes the tables into BENCHMARKS.md
#   make screenshots  the widget's pictures in docs/screenshots/ (light, dark, phone)
#   make fuzz    each fuzz target (engine/fuzz/) for FUZZ_SECONDS (default 300); not in
#                `make test`, whose tests replay the crashes found (see TESTING.md)
#   make bench-queries  latency by kind of query (exact, prefix, typo, phrase) in Chromium,
#                with Cranfield embedded (built into target/bench-cranfield/); writes BENCHMARKS.md
#
# SEARCH_CORPUS=/path/to/folder indexes your own documents instead of seeds/.
# SEARCH_BASE_URL is put before each document's path to make its link (default: docs/,
# where `make build` copies the corpus); set it to your site, e.g. SEARCH_BASE_URL=/ .
# SEARCH_FEATURES=facets,languages builds the module with metadata, filters and sorting,
# and every language's stemmer: the default for any SEARCH_CORPUS but the seeds (the
# indexer gives each site the smallest module its index needs).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

PORT ?= 8080
WASM_TARGET := wasm32-unknown-unknown
DIST := dist

# The module is built with nightly when it is installed with std's source, to
# rebuild std with panic = "immediate-abort" and no source locations: no panic
# messages, file paths or formatting code in the module, about 14 KB less
# gzipped (see BENCHMARKS.md). `-Zfmt-debug=none` makes `{:?}` print nothing:
# no message of the module uses it (serde's would, for a string of the wrong
# type, which the boundary checks itself), and it drops every Debug impl,
# 3.1 KB gzipped of the sharded module. Otherwise stable builds the same module, larger.
# Recursive (=) so the choice is made when a recipe runs, after `setup` has
# added what it could. Each toolchain has its own target folder.
NIGHTLY = $(shell rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' && echo yes)
WASM_CARGO = $(if $(NIGHTLY),CARGO_PROFILE_WASM_PANIC=immediate-abort RUSTFLAGS="-Zlocation-detail=none -Zfmt-debug=none" cargo +nightly,cargo)
WASM_CARGO_FLAGS = $(if $(NIGHTLY),--target-dir target/nightly -Zbuild-std=std$(comma)panic_abort -Zpanic-immediate-abort)
WASM = $(if $(NIGHTLY),target/nightly,target)/$(WASM_TARGET)/wasm/search.wasm
comma := ,

# wasm-opt must accept the features that Rust's wasm target now emits.
# --low-memory-unused lets it fold `pointer + small constant` into a load's
# offset; the two differ only when the sum wraps past 4 GB, which no pointer
# of ours does. With --converge (passes rerun until the module stops
# shrinking) that is 0.28 KB less gzipped wasm (BENCHMARKS.md).
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals
WASM_OPT_FLAGS := -Oz --converge --low-memory-unused --strip-debug --strip-producers $(WASM_FEATURES)

# Absolute, so that Cargo's build script (run from this folder) and cp agree.
SEARCH_CORPUS := $(abspath $(or $(SEARCH_CORPUS),seeds))
# Filters, sorting and metadata for any corpus but the seeds (which set none;
# the build script refuses a corpus that sets some in a module without them).
SEARCH_FEATURES ?= $(if $(filter $(abspath seeds),$(SEARCH_CORPUS)),,facets$(comma)languages)
SEARCH_BASE_URL ?= docs/
export SEARCH_CORPUS SEARCH_BASE_URL SEARCH_MAX_FILE_MB

.PHONY: build engine indexer serve test setup setup-test lint test-engine test-js bench bench-queries relevance clean check-corpus screenshots fuzz

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --browser

build: setup indexer
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search $(WASM_CARGO_FLAGS) $(if $(SEARCH_FEATURES),--features $(SEARCH_FEATURES))
	rm -rf $(DIST)
	mkdir -p $(DIST)/search $(DIST)/docs
	$(call wasm_bundle,$(WASM),$(DIST)/search)
	cp -R www/. $(DIST)/
	node_modules/.bin/terser www/search/widget.js --module --compress --mangle -o $(DIST)/search/widget.js
	node_modules/.bin/terser www/search/highlight.js --module --compress --mangle -o $(DIST)/search/highlight.js
	$(call served_api_js,$(DIST)/search/search.js)
	cp -R "$(SEARCH_CORPUS)/." $(DIST)/docs/
	@echo "built $(DIST)/ from $(SEARCH_CORPUS): $$(wc -c < $(DIST)/search/engine_bg.wasm) bytes of wasm"

# The engine's modules without an index, with their glue and the web client:
# what the indexer carries (indexer/build.rs reads them from here). For
# embedded bundles (the index handed in at start-up: `load`) and for sharded
# ones (`sharded`: the fetches, inflating), each without and with metadata,
# filters and sort (`facets`), and with those and every language's stemmer
# (`facets,languages`): each bundle gets the smallest it can.
ENGINE_DIR := target/engine
ENGINE_TARGET_DIR = $(if $(NIGHTLY),target/nightly-engine,target/engine-build)
ENGINE_WASM = $(ENGINE_TARGET_DIR)/$(WASM_TARGET)/wasm/search.wasm
ENGINE_CARGO_FLAGS = $(subst target/nightly,target/nightly-engine,$(WASM_CARGO_FLAGS)) $(if $(NIGHTLY),,--target-dir target/engine-build)
engine: setup
	rm -rf $(ENGINE_DIR)
	mkdir -p $(ENGINE_DIR)/embedded $(ENGINE_DIR)/embedded-facets $(ENGINE_DIR)/embedded-languages $(ENGINE_DIR)/sharded $(ENGINE_DIR)/sharded-facets $(ENGINE_DIR)/sharded-languages
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features load $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/embedded)
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features load,facets $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/embedded-facets)
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features load,facets,languages $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/embedded-languages)
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features sharded $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/sharded)
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features sharded,facets $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/sharded-facets)
	$(WASM_CARGO) build --profile wasm --target $(WASM_TARGET) -p search --no-default-features --features sharded,facets,languages $(ENGINE_CARGO_FLAGS)
	$(call wasm_bundle,$(ENGINE_WASM),$(ENGINE_DIR)/sharded-languages)
	cp www/search/search.d.ts $(ENGINE_DIR)/
	$(call api_js,$(ENGINE_DIR)/search.js)
	$(call embedded_api_js,$(ENGINE_DIR)/search-embedded.js)
	node_modules/.bin/terser www/search/widget.js --module --compress --mangle -o $(ENGINE_DIR)/widget.js
	node_modules/.bin/terser www/search/highlight.js --module --compress --mangle -o $(ENGINE_DIR)/highlight.js

# The indexer command, carrying the engine: target/release/site-search-index.
indexer: engine
	cargo build --release -p site-search-index

# search.js, the API sites import, into $(1) mangled, without its comments
# (1.3 KB gzipped less to fetch), but not compressed: the indexer rewrites two
# of its statements (`const SHARDED=null;`, `const SITE_ROOT=null;`), which
# keep their names and are not folded into the code that reads them.
define api_js
	node_modules/.bin/terser www/search/search.js --module --mangle 'reserved=[SHARDED,SITE_ROOT]' --format 'comments=false' -o $(1)
endef

# search.js for the indexer's embedded bundles: SHARDED is null, folded into
# the code and the sharded mode's code dropped (compressed, 810 → 632 bytes
# gzipped); `const SITE_ROOT=null;` is kept as a statement of its own for the
# indexer to rewrite (no constant propagation, no joined declarations).
define embedded_api_js
	test "$$(grep -c '^const SHARDED = null;$$' www/search/search.js)" = 1
	grep -v '^const SHARDED = null;$$' www/search/search.js | node_modules/.bin/terser --module --define SHARDED=null --compress passes=2,reduce_vars=false,join_vars=false --mangle 'reserved=[SITE_ROOT]' --format 'comments=false' -o $(1)
endef

# search.js for `make build`'s folder, which no indexer rewrites: compressed
# too, every constant folded and the sharded mode's code dropped (810 → 570
# bytes gzipped).
define served_api_js
	node_modules/.bin/terser www/search/search.js --module --compress passes=2 --mangle --format 'comments=false' -o $(1)
endef

# $(1): a module built by cargo; $(2): the folder that gets engine.js and
# engine_bg.wasm (optimised) from it. The glue has no default path to the
# wasm: search.js always hands it the module it compiled. The module's
# imports and exports get one- or two-letter names, and the glue with them
# (scripts/minify_names.mjs: wasm-bindgen's hashed names were 0.9 KB of the
# gzipped module and 0.6 KB of the glue).
define wasm_bundle
	wasm-bindgen --target web --out-name engine --no-typescript --omit-default-module-path --out-dir $(2) $(1)
	node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) $(2)/engine_bg.wasm -o $(2)/engine_bg.wasm
	node_modules/.bin/wasm-opt $(WASM_FEATURES) --minify-imports-and-exports-and-modules $(2)/engine_bg.wasm -o $(2)/engine_bg.wasm > $(2)/names.json
	node scripts/minify_names.mjs $(2) $(2)/names.json
	rm $(2)/names.json
	node_modules/.bin/terser $(2)/engine.js --module --compress --mangle -o $(2)/engine.js
endef

# Runs only the build script on $(SEARCH_CORPUS), with the toolchain and flags
# of `build`; Cargo's JSON messages on stdout. For tests/build_script.test.mjs.
check-corpus:
	@$(WASM_CARGO) check --profile wasm --target $(WASM_TARGET) -p search $(WASM_CARGO_FLAGS) $(if $(SEARCH_FEATURES),--features $(SEARCH_FEATURES)) --message-format json

serve: build
	node scripts/serve.mjs $(DIST) --port $(PORT)

lint: setup engine
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features load -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features load,facets -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features load,facets,languages -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features sharded -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features sharded,facets -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search --no-default-features --features sharded,facets,languages -- -D warnings

test-engine: engine
	cargo test -p engine --features build
	cargo test -p site-search-index
	cargo test -p search --lib

test-js:
	node --test tests/

test: setup-test lint test-engine build test-js

bench: setup-test build
	node bench/budget.mjs
	node bench/peers.mjs

screenshots: setup-test build
	node scripts/screenshots.mjs

relevance: setup-test build
	node bench/relevance.mjs
	node bench/manual.mjs
	node bench/languages.mjs

bench-queries: setup-test
	node bench/query_kinds.mjs

fuzz:
	scripts/fuzz.sh

clean:
	cargo clean
	rm -rf $(DIST)

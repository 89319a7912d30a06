# Two commands do everything (see README.md):
#   make serve   install what is missing, build, and serve the demo on http://localhost:$(PORT)
#   make test    install what the tests need, and run every test
# and:
#   make build   the deployable result in dist/ (the page, dist/pkg/search.js + search_bg.wasm,
#                and the corpus under dist/docs/ for the result links)
#   make bench   size and speed budgets, measured in Chromium (writes nothing; see BENCHMARKS.md)
#
# SEARCH_CORPUS=/path/to/folder indexes your own documents instead of seeds/.
# SEARCH_BASE_URL is put before each document's path to make its link (default: docs/,
# where `make build` copies the corpus); set it to your site, e.g. SEARCH_BASE_URL=/ .

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

PORT ?= 8080
WASM_TARGET := wasm32-unknown-unknown
WASM := target/$(WASM_TARGET)/release/search.wasm
DIST := dist
# wasm-opt must accept the features that Rust's wasm target now emits.
WASM_OPT_FLAGS := -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals

# Absolute, so that Cargo's build script (run from this folder) and cp agree.
SEARCH_CORPUS := $(abspath $(or $(SEARCH_CORPUS),seeds))
SEARCH_BASE_URL ?= docs/
export SEARCH_CORPUS SEARCH_BASE_URL

.PHONY: build serve test setup setup-test lint test-engine test-js bench clean

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --browser

build: setup
	cargo build --release --target $(WASM_TARGET) -p search
	rm -rf $(DIST)
	mkdir -p $(DIST)/pkg $(DIST)/docs
	wasm-bindgen --target web --out-name search --out-dir $(DIST)/pkg $(WASM)
	node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) $(DIST)/pkg/search_bg.wasm -o $(DIST)/pkg/search_bg.wasm
	cp -R www/. $(DIST)/
	cp -R "$(SEARCH_CORPUS)/." $(DIST)/docs/
	@echo "built $(DIST)/ from $(SEARCH_CORPUS): $$(wc -c < $(DIST)/pkg/search_bg.wasm) bytes of wasm"

serve: build
	node scripts/serve.mjs $(DIST) --port $(PORT)

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --features engine/build -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -p search -- -D warnings

test-engine:
	cargo test -p engine --features build

test-js:
	node --test tests/

test: setup-test lint test-engine build test-js

bench: build
	node bench/budget.mjs

clean:
	cargo clean
	rm -rf $(DIST)

#!/usr/bin/env bash
# Installs what building needs, skipping what is already there:
# the wasm32 target, the wasm-bindgen CLI of exactly the version in Cargo.lock,
# and the npm tools (wasm-opt from binaryen, terser, playwright-core, and the peers lunr,
# minisearch and Pagefind's Linux x64 binary for the relevance and peer benchmarks) from package-lock.json.
# With --browser, also Chromium for the browser tests (Debian's package, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release module is built with nightly where it is installed (see the
# Makefile); it then needs std's source and the wasm target too.
# Not fatal: without them the Makefile builds on stable, a larger module.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  components=$(rustup component list --toolchain nightly --installed)
  if ! grep -q '^rust-std-wasm32-unknown-unknown' <<<"$components"; then
    say "adding the wasm32 target to nightly"
    rustup target add wasm32-unknown-unknown --toolchain nightly || say "could not; building on stable (larger module)"
  fi
  if ! grep -q '^rust-src' <<<"$components"; then
    say "adding rust-src to nightly"
    rustup component add rust-src --toolchain nightly || say "could not; building on stable (larger module)"
  fi
fi

# The CLI must match the wasm-bindgen crate exactly, or it refuses the module.
version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
if [ -z "$version" ]; then
  say "cannot find the wasm-bindgen version in Cargo.lock"; exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
  say "installing wasm-bindgen-cli $version (a few minutes, once)"
  # Not --locked: the CLI's own lock file pins a webpki-roots release that has
  # since been yanked from crates.io.
  cargo install wasm-bindgen-cli --version "$version"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/terser ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools"
  npm ci --no-audit --no-fund
fi

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Chromium for the browser tests"
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { say "installing Chromium needs root: run 'apt-get install chromium' as root"; exit 1; }
    sudo=sudo
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

#!/usr/bin/env bash
# Runs each fuzz target of engine/fuzz/ for FUZZ_SECONDS (default 300) with
# debug assertions on (integer overflow is a crash too), and prints how many
# inputs each ran. Not part of `make test`; see TESTING.md.
#
#   make fuzz                          all three targets, 5 minutes each
#   make fuzz FUZZ_SECONDS=3600        an hour each
#   make fuzz FUZZ_TARGETS=decode      one target
#
# Installs nightly Rust and cargo-fuzz when they are missing. The corpus that
# libFuzzer grows is kept in engine/fuzz/corpus/<target>/ (not committed) and
# starts from the committed inputs in engine/fuzz/seeds/<target>/. A crash
# stops the run with the input saved in engine/fuzz/artifacts/<target>/: fix
# the cause, then copy the input to engine/fuzz/regressions/<target>/, where
# `make test` replays it (engine/tests/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/../engine"

seconds=${FUZZ_SECONDS:-300}
targets=${FUZZ_TARGETS:-search decode excerpt shards}
cargo_fuzz_version=0.13.2

say() { printf 'fuzz: %s\n' "$*"; }

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "installing nightly Rust (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal
fi
if [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$cargo_fuzz_version" ]; then
  say "installing cargo-fuzz $cargo_fuzz_version (a minute or two, once)"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked
fi

summary=()
for target in $targets; do
  mkdir -p "fuzz/corpus/$target"
  log="fuzz/artifacts/$target.log"
  mkdir -p fuzz/artifacts
  say "$target for ${seconds} s (log: engine/$log)"
  if ! cargo +nightly fuzz run --debug-assertions "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    tail -n 40 "$log"
    say "$target CRASHED; the input is in engine/fuzz/artifacts/$target/ (see the top of this script)"
    exit 1
  fi
  runs=$(awk '/^stat::number_of_executed_units:/ { print $2 }' "$log")
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  summary+=("$(printf '%-8s %12s inputs in %s s, no crash (corpus: %s inputs)' "$target" "$runs" "$seconds" "$corpus")")
done
say "done, $(rustc +nightly --version)"
printf '  %s\n' "${summary[@]}"

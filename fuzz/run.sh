#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other, with the corpus kept
# in fuzz/corpus/ between runs. A crash stops with its input saved under fuzz/artifacts/TARGET/:
# add that input to tests/fuzz_regressions.rs, fix the code, and run again.
#   fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
targets=("$@")
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
for target in "${targets[@]}"; do
  echo "== $target: ${seconds}s"
  if [ ! -d "corpus/$target" ]; then
    # Start from the example articles, so the fuzzer begins with well-formed input.
    mkdir -p "corpus/$target"
    cp ../content/*.md "corpus/$target/"
  fi
  status=0
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
    >"run-$target.log" 2>&1 || status=$?
  grep -E 'stat::number_of_executed_units|SUMMARY|Test unit written' "run-$target.log" || true
  if [ "$status" -ne 0 ]; then
    echo "$target found a crash: see fuzz/run-$target.log and fuzz/artifacts/$target/" >&2
    exit 1
  fi
done

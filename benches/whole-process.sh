#!/usr/bin/env bash
# Whole-process timings of the release binary on the built-in corpus:
# `cyberkg build` and `cyberkg export` in every format, RUNS times each
# (default 5); prints the median and the spread in milliseconds.
# Usage: cargo build --release && bash benches/whole-process.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bin=target/release/cyberkg
[ -x "$bin" ] || { echo "build it first: cargo build --release" >&2; exit 1; }
measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-28s median %5s ms   min %5s ms   max %5s ms   (%s runs)\n' "$label" \
    "$(echo "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)" "$runs"
}
measure "build (in memory)" "$bin" build
for format in turtle ntriples nquads trig rdfxml jsonld; do
  measure "export --format $format" "$bin" export --format "$format"
done

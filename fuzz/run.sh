#!/usr/bin/env bash
# Builds the fuzz targets and runs each for a bounded time, one after the
# other (one libFuzzer process, one job at a time); fails if any target
# crashes, hangs or runs out of memory. See docs/fuzzing.md.
#
# Usage: fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]
#   SECONDS_PER_TARGET  default 60
#   TARGET              default every target in fuzz/Cargo.toml
# Environment:
#   FUZZ_PROFILE=release|dev  release (default): optimised with debug
#                 assertions and overflow checks, as `cargo fuzz build`
#                 builds; dev: unoptimised, compiles in less time (the CI
#                 smoke).
#   FUZZ_RUNS=N   also stop a target after N executions.
#   FUZZ_ARGS     more libFuzzer flags, for example "-seed=1".
#
# No cargo-fuzz needed: the build passes the flags `cargo fuzz build -s
# none` passes (SanitizerCoverage for libFuzzer, no sanitizer), all of them
# stable rustc options, so a stable toolchain builds it. With cargo-fuzz
# installed, `cargo fuzz run -s none TARGET` (in fuzz/) runs the same code.
#
# Seeds are read from fuzz/corpus/TARGET (committed, never written); what
# libFuzzer adds goes to fuzz/target/corpus/TARGET, crashes to
# fuzz/artifacts/TARGET/, the output to fuzz/target/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")"

seconds=${1:-60}
shift || true
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^cyberkg-fuzz$')
fi
profile=${FUZZ_PROFILE:-release}

# The longest input per target: large enough for the seeds (pieces of the
# texts, queries, requests) and for SPARQL beyond its nesting limit (64
# levels), small enough to keep the executions fast.
max_len() {
  case $1 in
    un_layout | parallel_layout | markdown_layout) echo 8192 ;;
    load_formats) echo 4096 ;;
    sparql) echo 4096 ;;
    http_request) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

triple=$(rustc -vV | sed -n 's/^host: //p')
flags="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
flags+=" -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing"
flags+=" -Cllvm-args=-simplifycfg-branch-fold-threshold=0"
case $triple in *-linux-*) flags+=" -Cllvm-args=-sanitizer-coverage-stack-depth" ;; esac
flags+=" -Cdebug-assertions -Coverflow-checks"
cargo_profile=()
case $profile in
  release) cargo_profile=(--release) flags+=" -Ccodegen-units=1" ;;
  dev) ;;
  *) echo "fuzz/run.sh: FUZZ_PROFILE is '$profile'; expected release or dev" >&2 && exit 2 ;;
esac
bins=()
for target in "${targets[@]}"; do bins+=(--bin "$target"); done

echo "fuzz/run.sh: building ${targets[*]} ($profile, $triple)"
# --target: the flags then reach neither build scripts nor proc macros.
RUSTFLAGS="$flags ${RUSTFLAGS:-}" nice cargo build --locked --target "$triple" "${cargo_profile[@]}" "${bins[@]}"
out=target/$triple/$([ "$profile" = dev ] && echo debug || echo release)

mkdir -p target/logs
failed=()
summary=()
for target in "${targets[@]}"; do
  mkdir -p "target/corpus/$target" "artifacts/$target"
  log=target/logs/$target.log
  runs=()
  [ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")
  echo "fuzz/run.sh: $target for at most ${seconds} s (log: fuzz/$log)"
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  if nice "$out/$target" -max_total_time="$seconds" "${runs[@]}" \
    -max_len="$(max_len "$target")" -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="artifacts/$target/" ${FUZZ_ARGS:-} \
    "target/corpus/$target" "corpus/$target" >"$log" 2>&1; then
    status=ok
  else
    status="FAILED (exit $?)"
    failed+=("$target")
    tail -n 40 "$log" >&2
  fi
  # The last status line (`#N DONE cov: … exec/s: …`) and the run's totals.
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  summary+=("$target: $status; ${executions:-?} executions, ${speed:-?} exec/s; $last")
done

printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz/run.sh: ${failed[*]} failed; the input is in fuzz/artifacts/<target>/ (replay: $out/<target> FILE)" >&2
  exit 1
fi

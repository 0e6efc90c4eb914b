#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind) on the built-in corpus, for
# the targets of issue 10: `cyberkg build` (in memory), `cyberkg export
# --format turtle`, and Oxigraph's own Turtle serialization of the same
# triples, to compare the export against the build plus that serialization.
#
# Usage: benches/callgrind.sh [--report FILE]
#
# Oxigraph's serialization is measured through pyoxigraph (the venv of
# benches/scale.sh): the union of the graph's named graphs, which cyberkg's
# Turtle export holds, is written by `cyberkg export --format ntriples`, bulk
# loaded into the default graph of an in-memory pyoxigraph Store, and then
# `Store.dump(format=TURTLE, prefixes=...)` writes it with the prefixes of
# cyberkg's own Turtle. Its count is a difference of two whole Python
# processes under callgrind (PYTHONHASHSEED=0 in both): the one that loads
# and dumps, minus the one that only loads; Python's start, its imports and
# the bulk load cancel out, and what remains is the dump call (the store's
# scan, the term decoding, the Turtle serializer, and Python's small part of
# the call). Collecting only inside the dump (--toggle-collect) is not
# possible: pyoxigraph's dump method is inlined into pyo3's generic
# trampoline, which no symbol names. Instruction counts of the whole process
# include the process start and every thread.
#
# The binary: $CYBERKG, else $CARGO_TARGET_DIR/release/cyberkg, else
# target/release/cyberkg. It takes a few minutes (valgrind is ~50x slower).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() {
  echo "benches/callgrind.sh: $*" >&2
  exit 1
}
report=""
while [ $# -gt 0 ]; do
  case $1 in
    --report) report=${2:?--report needs a file name}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument $1 (see --help)." ;;
  esac
done

bin=${CYBERKG:-${CARGO_TARGET_DIR:-target}/release/cyberkg}
[ -x "$bin" ] || die "no cyberkg binary at $bin; build one with 'cargo build --release' or set CYBERKG."
command -v valgrind >/dev/null || die "valgrind is missing; install it (Debian: apt-get install valgrind)."
py=benches/.venv/bin/python
"$py" -c 'import pyoxigraph' 2>/dev/null ||
  die "pyoxigraph is not installed in benches/.venv; run benches/scale.sh --sizes 1 once, which installs it."

work=$(mktemp -d "${TMPDIR:-/tmp}/cyberkg-callgrind.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

# count NAME [callgrind options] -- COMMAND...: prints the instructions collected.
count() {
  local name=$1
  shift
  local options=()
  while [ "$1" != "--" ]; do
    options+=("$1")
    shift
  done
  shift
  echo "benches/callgrind.sh: $name" >&2
  if ! valgrind --tool=callgrind "${options[@]}" --callgrind-out-file="$work/$name.callgrind" \
    "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    die "$name failed under valgrind: $(grep -v '^==' "$work/$name.err" | tail -n 1)"
  fi
  sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$work/$name.err"
}

build=$(count build -- "$bin" -q build)
export_turtle=$(count export-turtle -- "$bin" -q export --format turtle -o "$work/cyberkg.ttl")
"$bin" -q export --format ntriples -o "$work/union.nt" || die "cyberkg export --format ntriples failed."
triples=$(grep -c . "$work/union.nt" || true)
export PYTHONHASHSEED=0
load_only=$(count pyoxigraph-load -- "$py" benches/pyoxigraph-run.py load-only "$work/union.nt")
load_dump=$(count pyoxigraph-load-dump -- "$py" benches/pyoxigraph-run.py dump "$work/union.nt" "$work/cyberkg.ttl" "$work/oxigraph.ttl")

python3 - "$build" "$export_turtle" "$load_only" "$load_dump" "$triples" \
  "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$("$bin" --version)" \
  "$("$py" -c 'import pyoxigraph; print(pyoxigraph.__version__)')" \
  "$(wc -c <"$work/cyberkg.ttl")" "$(wc -c <"$work/oxigraph.ttl")" >"$work/report.md" <<'EOF'
import sys

build, export, load_only, load_dump, triples = map(int, sys.argv[1:6])
commit, version, pyoxigraph, cyberkg_bytes, oxigraph_bytes = sys.argv[6:]
inside = load_dump - load_only
m = lambda n: f"{n / 1e6:,.1f} M"
print(f"benches/callgrind.sh (commit {commit}, {version}, pyoxigraph {pyoxigraph}); built-in corpus, {triples:,} triples in the union")
print()
print("| what | instructions | target |")
print("|---|---:|---|")
print(f"| `cyberkg build` (in memory, whole process) | {m(build)} | <= 220 M |")
print(f"| `cyberkg export --format turtle` (whole process: build + export; {int(cyberkg_bytes):,} bytes) | {m(export)} | <= 1.3x (build + Oxigraph's serialization) |")
print(f"| pyoxigraph: load the N-Triples (whole Python process) | {m(load_only)} | |")
print(f"| pyoxigraph: load + `Store.dump` to Turtle ({int(oxigraph_bytes):,} bytes) | {m(load_dump)} | |")
print(f"| Oxigraph's Turtle serialization: the difference | {m(inside)} | |")
print(f"| export / (build + Oxigraph's serialization) | {export / (build + inside):.2f}x | <= 1.3x |")
print(f"| export's own part: export - build | {m(export - build)} ({(export - build) / inside:.1f}x Oxigraph's serialization) | |")
EOF
cat "$work/report.md"
if [ -n "$report" ]; then
  cp "$work/report.md" "$report"
  echo "benches/callgrind.sh: wrote $report" >&2
fi

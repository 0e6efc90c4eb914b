#!/usr/bin/env bash
# Load rates of two engines' own bulk loaders on the same split export
# (issue 11, part 5): Virtuoso's (ld_dir + rdf_loader_run + checkpoint, via
# isql-vt) and `oxigraph load --location` (the PyPI oxigraph CLI), both of
# the same `cyberkg export --split-quads` .nq.gz files of N generated
# documents (benches/make-corpus). Prints a Markdown table row per engine:
# quads, seconds, quads/s. Speed is measured here, never asserted in tests.
#
# Usage: bash benches/bulk-load.sh [DOCUMENTS] [QUADS-PER-FILE]
#   defaults: 100 documents (layouts un,parallel,markdown), 100000 quads a file.
# The cyberkg binary: $CYBERKG, else target/release/cyberkg. Needs
# virtuoso-t, isql-vt and oxigraph (bash .ci/setup installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "benches/bulk-load.sh: $*" >&2
  exit 1
}

documents=${1:-100}
per_file=${2:-100000}
bin=${CYBERKG:-target/release/cyberkg}
[ -x "$bin" ] || die "no cyberkg binary at $bin; build one with 'cargo build --release' or set CYBERKG."
command -v virtuoso-t >/dev/null || die "virtuoso-t is missing; run 'bash .ci/setup'."
oxigraph="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/oxigraph"
[ -x "$oxigraph" ] || oxigraph=$(command -v oxigraph) || die "the oxigraph CLI is missing; run 'bash .ci/setup'."

work=$(mktemp -d)
virtuoso_pid=
cleanup() {
  [ -n "$virtuoso_pid" ] && kill "$virtuoso_pid" 2>/dev/null && wait "$virtuoso_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "benches/bulk-load.sh: $documents documents, split every $per_file quads" >&2
benches/make-corpus "$documents" "$work/corpus" --layouts un,parallel,markdown >/dev/null 2>&1 ||
  die "benches/make-corpus $documents failed."
"$bin" -q export --corpus "$work/corpus" --split-quads "$per_file" --output-dir "$work/dump" ||
  die "cyberkg export --split-quads failed."
quads=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["quads"])' "$work/dump/manifest.json")
files=$(ls "$work"/dump/*.nq.gz | wc -l)

# --- Virtuoso ----------------------------------------------------------------
sql_port=$(free_port)
http_port=$(free_port)
mkdir "$work/virtuoso"
cat >"$work/virtuoso/virtuoso.ini" <<EOF
[Database]
DatabaseFile = $work/virtuoso/virtuoso.db
ErrorLogFile = $work/virtuoso/virtuoso.log
LockFile = $work/virtuoso/virtuoso.lck
TransactionFile = $work/virtuoso/virtuoso.trx
xa_persistent_file = $work/virtuoso/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = $work/virtuoso/virtuoso-temp.db
TransactionFile = $work/virtuoso/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:$sql_port
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
DirsAllowed = $work/dump
[HTTPServer]
ServerPort = 127.0.0.1:$http_port
ServerRoot = $work/virtuoso
EOF
virtuoso-t +foreground +configfile "$work/virtuoso/virtuoso.ini" >/dev/null 2>&1 &
virtuoso_pid=$!
for _ in $(seq 1 600); do
  isql-vt "127.0.0.1:$sql_port" dba dba VERBOSE=OFF 'EXEC=select 1;' >/dev/null 2>&1 && break
  sleep 0.1
done
start=$(now)
isql-vt "127.0.0.1:$sql_port" dba dba VERBOSE=OFF \
  "EXEC=ld_dir('$work/dump', '*.nq.gz', 'urn:cyberkg:no-graph'); rdf_loader_run(); checkpoint;" >/dev/null
end=$(now)
virtuoso_s=$(python3 -c "print(f'{$end - $start:.2f}')")
errors=$(isql-vt "127.0.0.1:$sql_port" dba dba VERBOSE=OFF BANNER=OFF \
  'EXEC=SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;' | tr -d '[:space:]')
[ "$errors" = 0 ] || die "Virtuoso's loader failed on $errors files."
kill "$virtuoso_pid"
wait "$virtuoso_pid" 2>/dev/null || true
virtuoso_pid=

# --- Oxigraph ----------------------------------------------------------------
start=$(now)
"$oxigraph" load --location "$work/oxigraph" --file "$work"/dump/*.nq.gz >/dev/null 2>&1 ||
  die "oxigraph load failed."
end=$(now)
oxigraph_s=$(python3 -c "print(f'{$end - $start:.2f}')")

rate() { python3 -c "print(f'{$quads / $1:,.0f}')"; }
echo "| engine (loader) | documents | files | quads | seconds | quads/s |"
echo "|---|---|---|---|---|---|"
echo "| Virtuoso $(virtuoso-t --help 2>&1 | sed -n 's/^Version \([0-9.]*\).*/\1/p') (ld_dir + rdf_loader_run + checkpoint) | $documents | $files | $quads | $virtuoso_s | $(rate "$virtuoso_s") |"
echo "| Oxigraph $("$oxigraph" --version | cut -d' ' -f2) (oxigraph load --location) | $documents | $files | $quads | $oxigraph_s | $(rate "$oxigraph_s") |"

#!/usr/bin/env bash
# `cyberkg push` at scale beside Oxigraph's own bulk path (issue 11, part 6):
# the same generated corpus (benches/make-corpus N, built once into an
# on-disk store when the binary has RocksDB, else rebuilt in memory by each
# push) is sent to a fresh `oxigraph serve` (the PyPI CLI) three ways:
#   1. cyberkg push                           (Graph Store, one transaction a batch)
#   2. cyberkg push --bulk --batch-size 100000 (no_transaction: Oxigraph's bulk loader)
#   3. curl POST of the same N-Quads file to /store?no_transaction (Oxigraph's
#      own bulk path, the baseline: no client work at all)
# and prints a Markdown table row per way: seconds, triples/s, the client's
# peak RSS and the server's RSS at the end, and the ratio to the baseline.
# Speed is measured here, never asserted in tests.
#
# Usage: bash benches/push.sh [DOCUMENTS] [RUNS]   (defaults: 100 documents, 1 run)
# The cyberkg binary: $CYBERKG, else target/release/cyberkg.
set -euo pipefail
cd "$(dirname "$0")/.."

die() {
  echo "benches/push.sh: $*" >&2
  exit 1
}

documents=${1:-100}
runs=${2:-1}
bin=${CYBERKG:-target/release/cyberkg}
[ -x "$bin" ] || die "no cyberkg binary at $bin; build one with 'cargo build --release' or set CYBERKG."
oxigraph="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/oxigraph"
[ -x "$oxigraph" ] || oxigraph=$(command -v oxigraph) || die "the oxigraph CLI is missing; run 'bash .ci/setup'."
command -v curl >/dev/null || die "curl is missing."

work=$(mktemp -d)
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}
cleanup() {
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }

echo "benches/push.sh: $documents documents, $runs run(s)" >&2
benches/make-corpus "$documents" "$work/corpus" >/dev/null 2>&1 || die "benches/make-corpus $documents failed."
store_args=(--corpus "$work/corpus")
if "$bin" -q build --corpus "$work/corpus" --location "$work/store" >/dev/null 2>&1; then
  store_args=(--location "$work/store")
else
  echo "benches/push.sh: this binary has no on-disk store; each push builds the corpus in memory first" >&2
fi
"$bin" -q export "${store_args[@]}" --format nquads -o "$work/all.nq"
triples=$(wc -l <"$work/all.nq")

port=
start_server() {
  rm -rf "$work/db"
  port=$(free_port)
  "$oxigraph" serve --location "$work/db" --bind "127.0.0.1:$port" >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  die "oxigraph serve did not start."
}

# One way, timed: the command's arguments, with PORT replaced by the fresh
# server's port. Prints "seconds client-KB server-KB".
measure() {
  start_server
  local args=() arg
  for arg in "$@"; do args+=("${arg//PORT/$port}"); done
  local started ended client_kb server_kb loaded
  started=$(now)
  /usr/bin/time -f "%M" -o "$work/time" "${args[@]}" >/dev/null
  ended=$(now)
  client_kb=$(tail -1 "$work/time")
  server_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
  loaded=$(curl -s -H 'Accept: text/csv' --data-urlencode 'query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }' "http://127.0.0.1:$port/query" | tail -1 | tr -d '\r')
  stop_server
  [ "$loaded" = "$triples" ] || die "the server holds $loaded triples, not $triples after: $*"
  python3 -c 'import sys; print(float(sys.argv[2]) - float(sys.argv[1]), sys.argv[3], sys.argv[4])' "$started" "$ended" "$client_kb" "$server_kb"
}

declare -A total client server
names=("cyberkg push" "cyberkg push --bulk --batch-size 100000" "curl POST /store?no_transaction (Oxigraph's bulk path)")
for run in $(seq "$runs"); do
  echo "benches/push.sh: run $run of $runs" >&2
  i=0
  for way in push bulk baseline; do
    case $way in
      push) result=$(measure "$bin" -q push "${store_args[@]}" --endpoint "http://127.0.0.1:PORT/store") ;;
      bulk) result=$(measure "$bin" -q push "${store_args[@]}" --bulk --batch-size 100000 --endpoint "http://127.0.0.1:PORT/store") ;;
      baseline) result=$(measure curl -s -f -X POST -H 'Content-Type: application/n-quads' --data-binary "@$work/all.nq" "http://127.0.0.1:PORT/store?no_transaction") ;;
    esac
    read -r s c v <<<"$result"
    total[$way]=$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "${total[$way]:-0}" "$s")
    client[$way]=$c
    server[$way]=$v
    i=$((i + 1))
  done
done

echo "$triples triples ($documents documents), mean of $runs run(s):"
echo
echo "| way | seconds | triples/s | × baseline time | client peak RSS | server RSS after |"
echo "|---|---|---|---|---|---|"
i=0
for way in push bulk baseline; do
  python3 - "${names[$i]}" "${total[$way]}" "$runs" "$triples" "${total[baseline]}" "${client[$way]}" "${server[$way]}" <<'PY'
import sys
name, total, runs, triples, baseline, client, server = sys.argv[1:]
seconds = float(total) / int(runs)
base = float(baseline) / int(runs)
print(f"| {name} | {seconds:.2f} | {int(triples) / seconds:,.0f} | {seconds / base:.2f} | {int(client) / 1024:,.0f} MiB | {int(server) / 1024:,.0f} MiB |")
PY
  i=$((i + 1))
done

#!/usr/bin/env bash
# Every named query (queries/*.rq) over HTTP, on the built-in corpus, to
# `cyberkg serve` and to `oxigraph serve-read-only` holding the same quads,
# side by side in one run (issue 11's target: each <= 10 ms on cyberkg).
# A query that calls a remote SERVICE (Wikidata) is listed, not timed.
#
# Usage: benches/named-queries.sh [--runs 21] [--report FILE]
#
# Each query is POSTed (application/sparql-query, results as SPARQL JSON)
# --runs times to each server, one at a time; the table gives the median
# and the slowest of curl's time_total in milliseconds, and the ratio of
# the medians. The build is excluded: both servers are started (and the
# store loaded) before the first request. --report FILE writes the table.
# Nothing here asserts a speed; it is not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=21
report=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --report) report=${2:?--report needs a file name}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benches/named-queries.sh: unknown argument $1 (see --help)." >&2; exit 1 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "benches/named-queries.sh: --runs takes a positive number, not '$runs'." >&2; exit 1; }

# shellcheck source=benches/servers.sh
source benches/servers.sh
work=$(mktemp -d)
trap 'stop_servers; rm -rf "$work"' EXIT
start_servers "$work"

# time_query URL FILE: "median max" of curl's time_total, in ms, over $runs runs.
time_query() {
  local url=$1 file=$2 times=() status
  for _ in $(seq "$runs"); do
    read -r status seconds < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' \
      -H 'Content-Type: application/sparql-query' -H 'Accept: application/sparql-results+json' \
      --data-binary "@$file" "$url/query")
    [ "$status" = 200 ] || bench_die "$(basename "$file") got HTTP $status from $url."
    times+=("$seconds")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk -v n="$runs" '
    { t[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", t[int((n + 1) / 2)], t[n] }'
}

table="| named query | cyberkg p50 (ms) | cyberkg max | Oxigraph p50 (ms) | Oxigraph max | cyberkg / Oxigraph |
|---|---:|---:|---:|---:|---:|"
for file in queries/*.rq; do
  if grep -q '^ *SERVICE <' "$file"; then
    # A federated query's time is the remote endpoint's; the servers refuse it by default.
    table+=$'\n'"| $(basename "$file" .rq) | skipped: calls a remote SERVICE | | | | |"
    continue
  fi
  read -r ours ours_max < <(time_query "$CYBERKG_URL" "$file")
  read -r theirs theirs_max < <(time_query "$OXIGRAPH_URL" "$file")
  ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  table+=$'\n'"| $(basename "$file" .rq) | $ours | $ours_max | $theirs | $theirs_max | $ratio |"
done
echo "built-in corpus, $QUADS quads, $runs runs per query, $(nproc) cores"
echo "$table"
[ -z "$report" ] || printf '%s\n' "$table" >"$report"

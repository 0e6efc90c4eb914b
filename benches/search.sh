#!/usr/bin/env bash
# Full-text search on the built-in corpus (or --corpus CORPUS): the time of
# `cyberkg search` from the command line, of the /search page and of a
# SPARQL query through SERVICE <https://w3id.org/cyberkg/search> on
# `cyberkg serve` (issue 12's target: search p50 <= 10 ms).
#
# Usage: benches/search.sh [--runs 21] [--corpus CORPUS] [--report FILE]
#
# Each query runs --runs times, one at a time. The command line's time is
# the whole process (it builds the corpus in memory, then the index, then
# searches); the server's is curl's time_total for one request, after the
# server has started and answered one search of each kind (its index is
# built by then). The table gives the median and the slowest in ms.
# --report FILE writes the table. Nothing here asserts a speed; it is not
# part of .ci/run. The binary: $CYBERKG, else
# $CARGO_TARGET_DIR/release/cyberkg, else target/release/cyberkg.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=21
report=""
corpus=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?--runs needs a number}; shift 2 ;;
    --corpus) corpus=(--corpus "${2:?--corpus needs a path}"); shift 2 ;;
    --report) report=${2:?--report needs a file name}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benches/search.sh: unknown argument $1 (see --help)." >&2; exit 1 ;;
  esac
done
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "benches/search.sh: --runs takes a positive number, not '$runs'." >&2; exit 1; }

die() {
  echo "benches/search.sh: $*" >&2
  exit 1
}
cyberkg=${CYBERKG:-${CARGO_TARGET_DIR:-target}/release/cyberkg}
[ -x "$cyberkg" ] || die "no cyberkg binary at $cyberkg; build one with 'cargo build --release' or set CYBERKG."
command -v curl >/dev/null || die "curl is missing (Debian: apt-get install curl)."

work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$cyberkg" serve "${corpus[@]}" --bind "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
url="http://127.0.0.1:$port"
deadline=$((SECONDS + 600))
until curl -sf -o /dev/null "$url/search"; do
  [ $SECONDS -lt $deadline ] || die "the server at $url did not answer within 600 s."
  sleep 0.2
done

# median_max: "median max" in ms of the seconds on standard input.
median_max() {
  sort -g | awk '{ t[NR] = $1 * 1000 } END { printf "%.1f %.1f\n", t[int((NR + 1) / 2)], t[NR] }'
}

# time_cli WORDS: the whole `cyberkg search` process, --runs times.
time_cli() {
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$cyberkg" search "${corpus[@]}" "$1" -r csv >/dev/null
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
  done | median_max
}

# time_http ARGS...: curl's time_total for one request, --runs times (200 only).
time_http() {
  curl -s -o /dev/null "$@"  # warm: the first search builds the index
  for _ in $(seq "$runs"); do
    read -r status seconds < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@")
    [ "$status" = 200 ] || die "HTTP $status for $*"
    echo "$seconds"
  done | median_max
}

service_query() {
  printf 'SELECT ?hit ?score WHERE { SERVICE <https://w3id.org/cyberkg/search> { ?hit cyberkg:matches "%s" ; cyberkg:score ?score } } ORDER BY DESC(?score) LIMIT 10' "$1"
}

table="| query | CLI p50 (ms) | CLI max | /search p50 (ms) | /search max | SERVICE p50 (ms) | SERVICE max | hits |
|---|---:|---:|---:|---:|---:|---:|---:|"
for words in 网络主权 主權 sovereignty "international cooperation"; do
  hits=$(("$("$cyberkg" search "${corpus[@]}" "$words" -r csv --limit 10000 | wc -l)" - 1))
  read -r cli cli_max < <(time_cli "$words")
  read -r page page_max < <(time_http --get --data-urlencode "q=$words" "$url/search")
  read -r sparql sparql_max < <(time_http -H 'Accept: application/sparql-results+json' \
    --data-urlencode "query=$(service_query "$words")" "$url/query")
  table+=$'\n'"| $words | $cli | $cli_max | $page | $page_max | $sparql | $sparql_max | $hits |"
done

echo "cyberkg search, ${corpus[*]:-built-in corpus}, $runs runs each:"
echo "$table"
[ -z "$report" ] || printf '%s\n' "$table" >"$report"

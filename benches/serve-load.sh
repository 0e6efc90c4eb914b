#!/usr/bin/env bash
# Load on loopback with wrk: `cyberkg serve` and `oxigraph serve-read-only`
# holding the same quads, the same requests, side by side in one run, on
# the built-in corpus and on generated corpora (issue 11's targets: 64
# connections of a cheap query with 0 failed requests; pages and
# descriptions p50 <= 20 ms, not growing with the store).
#
# Usage: benches/serve-load.sh [--sizes builtin,100] [--duration 30]
#                              [--connections 64] [--report FILE]
#
# For each size (builtin: the built-in corpus; N: benches/make-corpus N,
# UN layout), both servers are started over the same quads (see
# benches/servers.sh), then wrk runs --duration seconds per request with
# --connections connections and 2 threads:
#   cheap       SELECT of one chapter, LIMIT 1 (both servers)
#   named       queries/who-is-named-where.rq as GET /query (both)
#   paragraph   a paragraph's HTML page (cyberkg); DESCRIBE of it (Oxigraph)
#   entity      an entity's HTML page (cyberkg); DESCRIBE of it (Oxigraph)
#   turtle      the paragraph's Turtle description (cyberkg); DESCRIBE as Turtle (Oxigraph)
#   home        the home page (cyberkg only)
# Oxigraph has no pages: its DESCRIBE of the same IRI is the nearest request
# (its answer holds less: no fragments, no labels, no markup).
# The table: requests/s, p50 and p99 latency (ms), and failed requests
# (non-2xx answers plus socket errors), per request and server.
# Needs wrk (Debian: apt-get install wrk). Nothing here asserts a speed.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=builtin,100
duration=30
connections=64
report=""
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value such as builtin,100}; shift 2 ;;
    --duration) duration=${2:?--duration needs seconds}; shift 2 ;;
    --connections) connections=${2:?--connections needs a number}; shift 2 ;;
    --report) report=${2:?--report needs a file name}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "benches/serve-load.sh: unknown argument $1 (see --help)." >&2; exit 1 ;;
  esac
done
[[ $sizes =~ ^(builtin|[0-9]+)(,(builtin|[0-9]+))*$ ]] || { echo "benches/serve-load.sh: --sizes takes builtin and numbers separated by commas, not '$sizes'." >&2; exit 1; }
command -v wrk >/dev/null || { echo "benches/serve-load.sh: wrk is missing (Debian: apt-get install wrk)." >&2; exit 1; }

# shellcheck source=benches/servers.sh
source benches/servers.sh
work=$(mktemp -d)
trap 'stop_servers; rm -rf "$work"' EXIT

urlencode() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }

# The first value of ?x in a SELECT's CSV answer from the cyberkg server.
first_value() {
  curl -sf --get --data-urlencode "query=$1" -H 'Accept: text/csv' "$CYBERKG_URL/query" | sed -n 2p | tr -d '\r'
}

# measure LABEL SERVER URL [ACCEPT]: one row of the table.
measure() {
  local label=$1 server=$2 url=$3 accept=${4:-*/*} out
  out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Accept: $accept" "$url")
  awk -v label="$label" -v server="$server" '
    function ms(value) {
      if (value ~ /us$/) return value / 1000
      if (value ~ /ms$/) return value + 0
      if (value ~ /s$/) return value * 1000
      return value
    }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Requests\/sec/ { rate = $2 }
    /Non-2xx or 3xx responses/ { failed += $NF }
    /Socket errors/ { gsub(",", ""); failed += $4 + $6 + $8 + $10 }
    END { printf "| %s | %s | %.0f | %.1f | %.1f | %d |\n", label, server, rate, p50, p99, failed }
  ' <<<"$out"
}

table="| corpus | quads | request | server | requests/s | p50 (ms) | p99 (ms) | failed |
|---|---:|---|---|---:|---:|---:|---:|"
IFS=, read -ra size_list <<<"$sizes"
for size in "${size_list[@]}"; do
  corpus_args=()
  if [ "$size" != builtin ]; then
    python3 benches/make-corpus "$size" "$work/corpus-$size" --layouts un >/dev/null
    corpus_args=(--corpus "$work/corpus-$size")
  fi
  mkdir -p "$work/$size"
  start_servers "$work/$size" "${corpus_args[@]}"
  base=$(first_value 'SELECT ?x WHERE { ?d a void:Dataset ; void:rootResource ?r ; void:uriSpace ?x } LIMIT 1')
  paragraph=$(first_value "SELECT ?x WHERE { ?x a doco:Paragraph ; schema:position 3 ; dcterms:isPartOf ?s . ?s a doco:Section ; schema:position 1 ; dcterms:isPartOf/schema:position 2 } ORDER BY DESC(?x) LIMIT 1")
  entity="${base}entity/peoples-republic-of-china"
  cheap=$(urlencode 'SELECT ?c WHERE { ?c a <http://purl.org/spar/doco/Chapter> } LIMIT 1')
  named=$(urlencode "$(cat queries/who-is-named-where.rq)")
  describe_paragraph=$(urlencode "DESCRIBE <$paragraph>")
  describe_entity=$(urlencode "DESCRIBE <$entity>")
  rows=()
  rows+=("$(measure cheap cyberkg "$CYBERKG_URL/query?query=$cheap" application/sparql-results+json)")
  rows+=("$(measure cheap Oxigraph "$OXIGRAPH_URL/query?query=$cheap" application/sparql-results+json)")
  rows+=("$(measure named cyberkg "$CYBERKG_URL/query?query=$named" application/sparql-results+json)")
  rows+=("$(measure named Oxigraph "$OXIGRAPH_URL/query?query=$named" application/sparql-results+json)")
  rows+=("$(measure paragraph cyberkg "$CYBERKG_URL/${paragraph#"$base"}" text/html)")
  rows+=("$(measure paragraph "Oxigraph (DESCRIBE)" "$OXIGRAPH_URL/query?query=$describe_paragraph" application/n-triples)")
  rows+=("$(measure entity cyberkg "$CYBERKG_URL/${entity#"$base"}" text/html)")
  rows+=("$(measure entity "Oxigraph (DESCRIBE)" "$OXIGRAPH_URL/query?query=$describe_entity" application/n-triples)")
  rows+=("$(measure turtle cyberkg "$CYBERKG_URL/${paragraph#"$base"}" text/turtle)")
  rows+=("$(measure turtle "Oxigraph (DESCRIBE)" "$OXIGRAPH_URL/query?query=$describe_paragraph" text/turtle)")
  rows+=("$(measure home cyberkg "$CYBERKG_URL/" text/html)")
  for row in "${rows[@]}"; do
    table+=$'\n'"| $size | $QUADS |${row#|}"
  done
  stop_servers
done
echo "$(nproc) cores, wrk -t2 -c$connections -d${duration}s"
echo "$table"
[ -z "$report" ] || printf '%s\n' "$table" >"$report"

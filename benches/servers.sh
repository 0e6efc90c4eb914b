# Sourced by benches/named-queries.sh and benches/serve-load.sh: start
# `cyberkg serve` and `oxigraph serve-read-only` over the same quads, on
# loopback, and stop both (and remove their data) when the script exits.
#
# start_servers DIR [--corpus CORPUS]
#   1. `cyberkg export --format nquads` of the corpus (the built-in one when
#      no --corpus) to DIR/quads.nq;
#   2. `oxigraph load --location DIR/oxigraph --file DIR/quads.nq`, then
#      `oxigraph serve-read-only --union-default-graph` on a free port (the
#      union default graph is what cyberkg's endpoint and named queries use);
#   3. `cyberkg serve` over the same corpus, in memory, on another free port.
# Sets CYBERKG_URL, OXIGRAPH_URL and QUADS (the number of quads).
#
# The binaries: $CYBERKG, else $CARGO_TARGET_DIR/release/cyberkg, else
# target/release/cyberkg; the oxigraph command pip installed (.ci/setup).

bench_die() {
  echo "benches: $*" >&2
  exit 1
}

cyberkg_bin=${CYBERKG:-${CARGO_TARGET_DIR:-target}/release/cyberkg}
[ -x "$cyberkg_bin" ] || bench_die "no cyberkg binary at $cyberkg_bin; build one with 'cargo build --release' or set CYBERKG."
oxigraph_bin="$(python3 -c "import sysconfig; print(sysconfig.get_path('scripts'))")/oxigraph"
[ -x "$oxigraph_bin" ] || bench_die "no oxigraph command at $oxigraph_bin; run .ci/setup (it pip-installs the oxigraph server)."
command -v curl >/dev/null || bench_die "curl is missing (Debian: apt-get install curl)."

server_pids=()
stop_servers() {
  local pid
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  server_pids=()
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for URL SECONDS: until a SPARQL ASK there answers 200.
wait_for() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null --get --data-urlencode 'query=ASK {}' "$url/query"; do
    [ $SECONDS -lt $deadline ] || bench_die "the server at $url did not answer within $2 s."
    sleep 0.2
  done
}

start_servers() {
  local dir=$1
  shift
  "$cyberkg_bin" export "$@" --format nquads -o "$dir/quads.nq"
  QUADS=$(wc -l < "$dir/quads.nq")
  "$oxigraph_bin" load --location "$dir/oxigraph" --file "$dir/quads.nq" >/dev/null 2>&1
  local oxigraph_port cyberkg_port
  oxigraph_port=$(free_port)
  "$oxigraph_bin" serve-read-only --location "$dir/oxigraph" --union-default-graph \
    --bind "127.0.0.1:$oxigraph_port" >"$dir/oxigraph.log" 2>&1 &
  server_pids+=($!)
  cyberkg_port=$(free_port)
  "$cyberkg_bin" serve "$@" --bind "127.0.0.1:$cyberkg_port" >"$dir/cyberkg.log" 2>&1 &
  server_pids+=($!)
  OXIGRAPH_URL="http://127.0.0.1:$oxigraph_port"
  CYBERKG_URL="http://127.0.0.1:$cyberkg_port"
  wait_for "$OXIGRAPH_URL" 600
  wait_for "$CYBERKG_URL" 600
}

#!/usr/bin/env bash
# Scale benchmark of issue 10: cyberkg's build of N generated documents
# against Oxigraph's own bulk loader on the same quads, side by side in one
# run, for each size.
#
# Usage: benches/scale.sh [--sizes 10,100,1000] [--disk] [--report FILE]
#                         [--layouts un] [--seed 1]
#
# For each size N, in a fresh temporary directory (removed at the end):
#   1. benches/make-corpus N writes N varied documents (--layouts, default un);
#   2. `cyberkg build --corpus DIR` in memory: wall time, peak RSS;
#   3. `cyberkg export --corpus DIR --format nquads -o FILE`: the quads (its
#      time and RSS are shown too, but are not what the targets are about);
#   4. pyoxigraph `Store().bulk_load(path=FILE, format=RdfFormat.N_QUADS)` in
#      memory (benches/pyoxigraph-run.py, in a venv at benches/.venv with
#      pyoxigraph pinned to the oxigraph version of Cargo.lock; created here
#      when missing): wall time of the whole Python process, peak RSS;
#   5. with --disk: `cyberkg build --corpus DIR --location DB1` (a binary
#      built with --features rocksdb) and `oxigraph load --location DB2 --file
#      FILE` (the oxigraph server package from pip, installed by .ci/setup).
# Wall time is measured around each process, peak RSS by GNU time (-v), so
# both sides pay their own process start. Then it prints a Markdown table:
# size, quads, each side's time and RSS, the ratios cyberkg/Oxigraph (the
# issue's targets: in memory time <= 1.0x and RSS <= 1.3x; on disk time <=
# 1.0x and RSS <= 1 GiB), and the growth per quad from the smallest size;
# --report FILE writes the same Markdown to FILE.
#
# The binary: $CYBERKG, else $CARGO_TARGET_DIR/release/cyberkg, else
# target/release/cyberkg (build it with `cargo build --release`).
# Nothing here asserts a speed; it is not part of .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() {
  echo "benches/scale.sh: $*" >&2
  exit 1
}

sizes=10,100,1000
disk=0
report=""
layouts=un
seed=1
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value such as 10,100}; shift 2 ;;
    --disk) disk=1; shift ;;
    --report) report=${2:?--report needs a file name}; shift 2 ;;
    --layouts) layouts=${2:?--layouts needs a value such as un,parallel}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown argument $1 (see --help)." ;;
  esac
done
[[ $sizes =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--sizes takes numbers separated by commas, not '$sizes'."

bin=${CYBERKG:-${CARGO_TARGET_DIR:-target}/release/cyberkg}
[ -x "$bin" ] || die "no cyberkg binary at $bin; build one with 'cargo build --release' (with --features rocksdb for --disk) or set CYBERKG."
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing; install it (Debian: apt-get install time)."
command -v python3 >/dev/null || die "python3 is missing; it runs benches/make-corpus and pyoxigraph."

# pyoxigraph, the version of the oxigraph crate in Cargo.lock.
oxigraph_version=$(awk '/^name = "oxigraph"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
[ -n "$oxigraph_version" ] || die "Cargo.lock names no oxigraph crate, so the pyoxigraph version to pin is unknown."
venv=benches/.venv
py=$venv/bin/python
if ! "$py" -c "import pyoxigraph, sys; sys.exit(pyoxigraph.__version__ != '$oxigraph_version')" 2>/dev/null; then
  echo "benches/scale.sh: installing pyoxigraph==$oxigraph_version into $venv" >&2
  { [ -x "$py" ] || python3 -m venv "$venv"; } >/dev/null 2>&1 ||
    die "python3 cannot create a venv at $venv; install python3-venv (Debian)."
  "$py" -m pip install -q "pyoxigraph==$oxigraph_version" >&2 ||
    die "pip could not install pyoxigraph==$oxigraph_version into $venv."
fi

oxigraph_cli=""
if [ "$disk" = 1 ]; then
  scripts=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
  for candidate in "$scripts/oxigraph" "$(command -v oxigraph || true)"; do
    if [ -n "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then
      oxigraph_cli=$candidate
      break
    fi
  done
  [ -n "$oxigraph_cli" ] || die "--disk needs the oxigraph command (pip install oxigraph, as .ci/setup does)."
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cyberkg-scale.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$disk" = 1 ]; then
  "$bin" -q build --location "$work/probe" >/dev/null 2>"$work/probe.err" ||
    die "--disk needs a cyberkg built with the rocksdb feature (cargo build --release --features rocksdb); $bin says: $(head -n 1 "$work/probe.err")"
  rm -rf "$work/probe"
fi

# measure NAME COMMAND...: runs it, sets $seconds and $rss_kb.
measure() {
  local name=$1
  shift
  local start end
  start=$(date +%s%N)
  if ! /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    die "$name failed ($*): $(grep -v '^\s*$' "$work/$name.err" | tail -n 1)"
  fi
  end=$(date +%s%N)
  seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
  rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
}

results=$work/results.tsv
: >"$results"
IFS=, read -r -a size_list <<<"$sizes"
for n in "${size_list[@]}"; do
  corpus=$work/corpus-$n
  nq=$work/corpus-$n.nq
  echo "benches/scale.sh: $n documents: generating" >&2
  benches/make-corpus "$n" "$corpus" --layouts "$layouts" --seed "$seed" 2>/dev/null ||
    die "benches/make-corpus $n failed."

  echo "benches/scale.sh: $n documents: cyberkg build (in memory)" >&2
  measure "build-$n" "$bin" -q build --corpus "$corpus"
  build_s=$seconds build_kb=$rss_kb

  echo "benches/scale.sh: $n documents: cyberkg export --format nquads" >&2
  measure "export-$n" "$bin" -q export --corpus "$corpus" --format nquads -o "$nq"
  export_s=$seconds export_kb=$rss_kb
  quads=$(grep -c . "$nq" || true)

  echo "benches/scale.sh: $n documents: pyoxigraph bulk_load of $quads quads (in memory)" >&2
  measure "pyoxigraph-$n" "$py" benches/pyoxigraph-run.py load "$nq"
  py_s=$seconds py_kb=$rss_kb
  loaded=$(sed -n 's/^quads=\([0-9]*\).*/\1/p' "$work/pyoxigraph-$n.out")
  py_inner=$(sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$work/pyoxigraph-$n.out")
  [ "$loaded" = "$quads" ] || die "pyoxigraph loaded $loaded quads from $nq, which holds $quads lines."

  disk_s=- disk_kb=- ox_s=- ox_kb=-
  if [ "$disk" = 1 ]; then
    echo "benches/scale.sh: $n documents: cyberkg build --location (RocksDB)" >&2
    measure "disk-build-$n" "$bin" -q build --corpus "$corpus" --location "$work/db-cyberkg-$n"
    disk_s=$seconds disk_kb=$rss_kb
    rm -rf "$work/db-cyberkg-$n"
    echo "benches/scale.sh: $n documents: oxigraph load --location (RocksDB)" >&2
    measure "oxigraph-load-$n" "$oxigraph_cli" load --location "$work/db-oxigraph-$n" --file "$nq"
    ox_s=$seconds ox_kb=$rss_kb
    rm -rf "$work/db-oxigraph-$n"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$quads" \
    "$build_s" "$build_kb" "$export_s" "$export_kb" "$py_s" "$py_kb" "$py_inner" \
    "$disk_s" "$disk_kb" "$ox_s" "$ox_kb" >>"$results"
  rm -rf "$corpus" "$nq"
done

# The table, as Markdown.
machine="$(nproc) cores ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 - "$results" "$layouts" "$seed" "$machine" "$commit" "$("$bin" --version)" \
  "$oxigraph_version" "$(cut -d' ' -f1-3 /proc/loadavg)" "$disk" "$sizes" >"$work/report.md" <<'EOF'
import sys

results, layouts, seed, machine, commit, version, oxigraph, load, disk, sizes = sys.argv[1:]
disk = disk == "1"
rows = []
with open(results) as tsv:
    for line in tsv:
        f = line.rstrip("\n").split("\t")
        num = lambda v: None if v == "-" else float(v)
        rows.append({
            "n": int(f[0]), "quads": int(f[1]),
            "build_s": num(f[2]), "build_kb": num(f[3]),
            "export_s": num(f[4]), "export_kb": num(f[5]),
            "py_s": num(f[6]), "py_kb": num(f[7]), "py_inner": num(f[8]),
            "disk_s": num(f[9]), "disk_kb": num(f[10]),
            "ox_s": num(f[11]), "ox_kb": num(f[12]),
        })

mib = lambda kb: f"{kb / 1024:,.0f}"
secs = lambda s: f"{s:,.2f}"
ratio = lambda a, b: f"{a / b:.2f}x"
out = []
out.append(f"benches/scale.sh --sizes {sizes}{' --disk' if disk else ''} --layouts {layouts} --seed {seed}")
out.append("")
out.append(f"- commit {commit}, {version}; pyoxigraph / oxigraph {oxigraph}")
out.append(f"- machine: {machine}; load average at the end: {load}")
out.append("")
out.append("In memory (time: wall clock of the whole process; RSS: peak resident set):")
out.append("")
out.append("| documents | quads | cyberkg build s | RSS MiB | pyoxigraph bulk_load s (load alone) | RSS MiB | time ratio (target <= 1.0x) | RSS ratio (target <= 1.3x) | cyberkg export nquads s | RSS MiB |")
out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for r in rows:
    out.append(
        f"| {r['n']:,} | {r['quads']:,} | {secs(r['build_s'])} | {mib(r['build_kb'])} "
        f"| {secs(r['py_s'])} ({secs(r['py_inner'])}) | {mib(r['py_kb'])} "
        f"| {ratio(r['build_s'], r['py_s'])} | {ratio(r['build_kb'], r['py_kb'])} "
        f"| {secs(r['export_s'])} | {mib(r['export_kb'])} |"
    )
if disk:
    out.append("")
    out.append("On disk (RocksDB):")
    out.append("")
    out.append("| documents | quads | cyberkg build --location s | RSS MiB | oxigraph load --location s | RSS MiB | time ratio (target <= 1.0x) | cyberkg RSS (target <= 1,024 MiB) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        out.append(
            f"| {r['n']:,} | {r['quads']:,} | {secs(r['disk_s'])} | {mib(r['disk_kb'])} "
            f"| {secs(r['ox_s'])} | {mib(r['ox_kb'])} | {ratio(r['disk_s'], r['ox_s'])} "
            f"| {'within' if r['disk_kb'] <= 1024 * 1024 else 'over'} |"
        )
out.append("")
out.append("Growth per quad (time in microseconds, memory in bytes of peak RSS; in brackets: relative to the smallest size, 1.00 is linear):")
out.append("")
columns = [("cyberkg build", "build_s", "build_kb"), ("pyoxigraph", "py_s", "py_kb")]
if disk:
    columns += [("cyberkg --location", "disk_s", "disk_kb"), ("oxigraph load", "ox_s", "ox_kb")]
out.append("| documents | quads | " + " | ".join(f"{c} us/quad | {c} B/quad" for c, _, _ in columns) + " |")
out.append("|---:|---:|" + "---:|---:|" * len(columns))
first = rows[0]
for r in rows:
    cells = []
    for _, s, kb in columns:
        t = r[s] * 1e6 / r["quads"]
        m = r[kb] * 1024 / r["quads"]
        t0 = first[s] * 1e6 / first["quads"]
        m0 = first[kb] * 1024 / first["quads"]
        cells.append(f"{t:,.2f} ({t / t0:.2f})")
        cells.append(f"{m:,.0f} ({m / m0:.2f})")
    out.append(f"| {r['n']:,} | {r['quads']:,} | " + " | ".join(cells) + " |")
print("\n".join(out))
EOF
cat "$work/report.md"
if [ -n "$report" ]; then
  cp "$work/report.md" "$report"
  echo "benches/scale.sh: wrote $report" >&2
fi

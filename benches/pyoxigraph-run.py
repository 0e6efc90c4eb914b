"""Oxigraph's own loader and serializer, through pyoxigraph, for the
benchmarks in benches/ (scale.sh and callgrind.sh); the counterpart cyberkg
is measured against.

Usage (with the pyoxigraph of benches/.venv, see scale.sh):
  python pyoxigraph-run.py load FILE.nq
      Store() in memory, bulk_load of the N-Quads file; prints
      "quads=N seconds=S" (S: the load alone, without Python's start).
  python pyoxigraph-run.py load-only FILE.nt
  python pyoxigraph-run.py dump FILE.nt PREFIXES.ttl OUT.ttl
      The N-Triples into the default graph; `dump` also serializes it as
      Turtle with the @prefix lines of PREFIXES.ttl (cyberkg's own Turtle
      export, so both write the same prefixes). callgrind.sh runs both and
      takes the difference as the serialization's instructions.
"""

import re
import sys
import time

try:
    import pyoxigraph
except ImportError:
    sys.exit("pyoxigraph-run.py: pyoxigraph is not installed in this Python; run benches/scale.sh, which installs it into benches/.venv.")


def load(path, fmt, to_default=False):
    store = pyoxigraph.Store()
    started = time.perf_counter()
    if to_default:
        store.bulk_load(path=path, format=fmt, to_graph=pyoxigraph.DefaultGraph())
    else:
        store.bulk_load(path=path, format=fmt)
    return store, time.perf_counter() - started


def prefixes(path):
    found = {}
    with open(path, encoding="utf-8") as turtle:
        for line in turtle:
            match = re.match(r"@prefix\s+([A-Za-z0-9_-]*):\s+<([^>]*)>\s*\.", line)
            if match:
                found[match.group(1)] = match.group(2)
            elif line.strip() and not line.startswith("@"):
                break
    return found


def main(argv):
    if len(argv) >= 2 and argv[0] == "load":
        store, seconds = load(argv[1], pyoxigraph.RdfFormat.N_QUADS)
        print(f"quads={len(store)} seconds={seconds:.3f}")
    elif len(argv) >= 2 and argv[0] == "load-only":
        store, _ = load(argv[1], pyoxigraph.RdfFormat.N_TRIPLES, to_default=True)
        print(f"triples={len(store)}")
    elif len(argv) >= 4 and argv[0] == "dump":
        store, _ = load(argv[1], pyoxigraph.RdfFormat.N_TRIPLES, to_default=True)
        store.dump(
            output=argv[3],
            format=pyoxigraph.RdfFormat.TURTLE,
            from_graph=pyoxigraph.DefaultGraph(),
            prefixes=prefixes(argv[2]),
        )
        print(f"triples={len(store)}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

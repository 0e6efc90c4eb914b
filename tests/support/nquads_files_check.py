"""Reads each file of a split export on its own with rdflib, an RDF
implementation independent of Oxigraph and sophia (gzip by Python's own
module), and prints what it found as one JSON object:
{"files": {NAME: QUADS}, "graphs": {GRAPH: QUADS}}.

Usage: nquads_files_check.py FILE...
A file that is not valid N-Quads on its own makes rdflib raise: exit 1.
"""
import gzip
import json
import sys
from pathlib import Path

import rdflib


def main():
    files = {}
    graphs = {}
    for name in sys.argv[1:]:
        path = Path(name)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            data = stream.read()
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format="nquads")
        count = 0
        for _s, _p, _o, graph in dataset.quads((None, None, None, None)):
            count += 1
            key = str(graph.identifier if hasattr(graph, "identifier") else graph)
            graphs[key] = graphs.get(key, 0) + 1
        # Every line is one quad: no line was merged or lost.
        lines = sum(1 for line in data.splitlines() if line.strip())
        if lines != count:
            sys.exit(f"{name}: {lines} lines but {count} quads")
        files[path.name] = count
    print(json.dumps({"files": files, "graphs": graphs}, sort_keys=True))


main()

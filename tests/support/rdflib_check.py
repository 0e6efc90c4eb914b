"""Parses cyberkg exports with rdflib, an RDF implementation independent of
Oxigraph and sophia, and compares each with a reference N-Quads export.

Usage: rdflib_check.py REFERENCE.nq FILE:FORMAT...
FORMAT is a cyberkg format name. Dataset formats (nquads, trig) are compared
quad for quad; triple formats with the union of the reference's graphs. The
graph has no blank nodes, so set equality is isomorphism. Prints one line per
file and exits 1 at the first difference.
"""
import sys

import rdflib

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "rdfxml": "xml",
    "jsonld": "json-ld",
}
DATASET_FORMATS = {"nquads", "trig"}


def quads(path, fmt):
    dataset = rdflib.Dataset()
    dataset.parse(path, format=RDFLIB_FORMAT[fmt])
    found = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        for term in (s, p, o):
            if isinstance(term, rdflib.BNode):
                raise SystemExit(f"{path}: blank node {term} found; cyberkg emits none")
        graph = g.identifier if hasattr(g, "identifier") else g
        found.add((s, p, o, graph))
    return found


def main():
    reference_path, *checks = sys.argv[1:]
    reference = quads(reference_path, "nquads")
    union = {(s, p, o) for s, p, o, _ in reference}
    for check in checks:
        path, fmt = check.rsplit(":", 1)
        found = quads(path, fmt)
        if fmt in DATASET_FORMATS:
            expected, got = reference, found
        else:
            expected, got = union, {(s, p, o) for s, p, o, _ in found}
        if expected != got:
            missing = sorted(map(str, expected - got))[:3]
            extra = sorted(map(str, got - expected))[:3]
            print(f"{fmt}: {len(got)} statements, expected {len(expected)}; missing {missing}; unexpected {extra}")
            raise SystemExit(1)
        print(f"{fmt}: {len(got)} statements, same as the reference")


if __name__ == "__main__":
    main()

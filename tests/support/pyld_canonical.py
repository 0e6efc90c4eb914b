"""Canonicalizes an N-Quads file with pyld, an implementation of RDF Dataset
Canonicalization (URDNA2015, the algorithm RDFC-1.0 standardised) independent
of Oxigraph, and writes the canonical N-Quads to stdout, byte for byte.

Usage: pyld_canonical.py FILE.nq
"""
import sys

from pyld import jsonld


def main():
    (path,) = sys.argv[1:]
    with open(path, encoding="utf-8") as file:
        text = file.read()
    canonical = jsonld.normalize(
        text,
        {
            "algorithm": "URDNA2015",
            "inputFormat": "application/n-quads",
            "format": "application/n-quads",
        },
    )
    sys.stdout.buffer.write(canonical.encode("utf-8"))


if __name__ == "__main__":
    main()

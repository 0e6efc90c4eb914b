"""Queries a running `cyberkg serve` with SPARQLWrapper, a SPARQL client that
knows nothing of this project, and checks the answers with the standard
library and rdflib.

Usage: sparqlwrapper_check.py ENDPOINT   (e.g. http://127.0.0.1:7878/query)

SELECT in every results format SPARQLWrapper reads (JSON, XML, CSV, TSV), by
GET, by an HTML-form POST and by a direct application/sparql-query POST; ASK;
CONSTRUCT as Turtle, RDF/XML and JSON-LD parsed by rdflib; and a syntax error,
which must come back as SPARQLWrapper's QueryBadFormed (HTTP 400) naming the
line and column. Prints one line per check and exits 1 at the first failure.
"""
import csv
import io
import sys

import rdflib
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

CHAPTERS = """SELECT ?n ?title WHERE {
  ?chapter a doco:Chapter ; cyberkg:inEdition/dcterms:identifier "iscc2017/en-un" ;
     schema:position ?n ; dcterms:title ?title
} ORDER BY ?n"""
TITLES = ["Opportunities and challenges", "Basic principles", "Strategic goals", "Plan of action"]
CONSTRUCT = """CONSTRUCT { ?chapter dcterms:title ?title } WHERE {
  ?chapter a doco:Chapter ; cyberkg:inEdition/dcterms:identifier "iscc2017/en-un" ; dcterms:title ?title
}"""
CHAPTER_4 = rdflib.URIRef("https://w3id.org/cyberkg/iscc2017/en-un/chapter-4")
TITLE = rdflib.URIRef("http://purl.org/dc/terms/title")


def fail(message):
    print(f"FAIL {message}")
    sys.exit(1)


def check(name, found, expected):
    if found != expected:
        fail(f"{name}: expected {expected!r}, found {found!r}")
    print(f"ok   {name}")


def client(endpoint, query, return_format, method=GET, request_method=URLENCODED):
    sparql = SPARQLWrapper(endpoint)
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setMethod(method)
    sparql.setRequestMethod(request_method)
    sparql.setTimeout(60)
    return sparql.query()


def titles_from(return_format, converted):
    if return_format == JSON:
        return [row["title"]["value"] for row in converted["results"]["bindings"]]
    if return_format == XML:
        titles = []
        for binding in converted.getElementsByTagName("binding"):
            if binding.getAttribute("name") == "title":
                titles.append(binding.getElementsByTagName("literal")[0].firstChild.data)
        return titles
    if return_format == CSV:
        rows = list(csv.DictReader(io.StringIO(converted.decode("utf-8"))))
        return [row["title"] for row in rows]
    if return_format == TSV:
        lines = converted.decode("utf-8").splitlines()[1:]
        # TSV writes literals in Turtle syntax: "Plan of action"@en
        return [line.split("\t")[1].rsplit("@", 1)[0].strip('"') for line in lines]
    raise ValueError(return_format)


def main():
    endpoint = sys.argv[1]
    for method, request_method, how in [
        (GET, URLENCODED, "GET"),
        (POST, URLENCODED, "POST form"),
        (POST, POSTDIRECTLY, "POST sparql-query"),
    ]:
        for return_format in (JSON, XML, CSV, TSV):
            converted = client(endpoint, CHAPTERS, return_format, method, request_method).convert()
            check(f"SELECT {return_format} by {how}", titles_from(return_format, converted), TITLES)

    answer = client(endpoint, "ASK { ?s a doco:Chapter }", JSON).convert()
    check("ASK json", answer.get("boolean"), True)

    turtle = client(endpoint, CONSTRUCT, TURTLE).convert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    check("CONSTRUCT turtle", (len(graph), str(graph.value(CHAPTER_4, TITLE))), (4, "Plan of action"))
    for return_format in (RDFXML, JSONLD):
        graph = client(endpoint, CONSTRUCT, return_format).convert()
        if not isinstance(graph, rdflib.Graph):
            fail(f"CONSTRUCT {return_format}: SPARQLWrapper gave {type(graph)}, not an rdflib graph")
        check(
            f"CONSTRUCT {return_format}",
            (len(graph), str(graph.value(CHAPTER_4, TITLE))),
            (4, "Plan of action"),
        )

    try:
        client(endpoint, "SELECT * WHERE {\n  ?s ?p }", JSON).convert()
        fail("a broken query was answered")
    except QueryBadFormed as error:
        check("broken query names line:column", "query:2:10: SPARQL syntax error" in str(error), True)


if __name__ == "__main__":
    main()

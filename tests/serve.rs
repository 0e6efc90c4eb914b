//! `cyberkg serve` from the outside: the real binary on a free loopback
//! port, spoken to by clients that know nothing of this project (curl,
//! Python's SPARQLWrapper, headless Chromium driven by Selenium). Each test
//! starts its own server and kills it when it ends, even on failure; every
//! wait is a bounded loop, and no assertion depends on how long anything took.

mod common;

use common::cyberkg_server::Server;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Quad;
use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// What curl received.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Runs curl with `args` (and `-i` to see the status and headers).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn curl(args: &[&str]) -> Answer {
    let output = Command::new("curl")
        .args(["-sS", "-i", "--max-time", "120", "-H", "Expect:"])
        .args(args)
        .output()
        .expect("curl runs (.ci/setup installs it when missing)");
    assert!(
        output.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// GET `path` with `Accept: accept`.
fn get(server: &Server, path: &str, accept: &str) -> Answer {
    curl(&["-H", &format!("Accept: {accept}"), &server.url(path)])
}

/// GET /query?query=… with `Accept: accept`.
fn query_get(server: &Server, query: &str, accept: &str) -> Answer {
    curl(&[
        "-G",
        "--data-urlencode",
        &format!("query={query}"),
        "-H",
        &format!("Accept: {accept}"),
        &server.url("/query"),
    ])
}

/// Parses RDF into sorted quads.
fn parse(format: RdfFormat, text: &str) -> Vec<Quad> {
    let mut quads = RdfParser::from_format(format)
        .for_reader(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{format}: {e}\n{text}"));
    quads.sort_by_cached_key(ToString::to_string);
    quads
}

const CHAPTERS: &str = "SELECT ?n ?title WHERE { ?c a doco:Chapter ; cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ; schema:position ?n ; dcterms:title ?title } ORDER BY ?n";
const TITLES: [&str; 4] = [
    "Opportunities and challenges",
    "Basic principles",
    "Strategic goals",
    "Plan of action",
];

/// The titles in an answer of CHAPTERS, whatever its format.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn titles(content_type: &str, body: &str) -> Vec<String> {
    match content_type {
        "application/sparql-results+json" => {
            let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
            json["results"]["bindings"]
                .as_array()
                .expect("bindings")
                .iter()
                .map(|row| {
                    row["title"]["value"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        }
        "application/sparql-results+xml" => body
            .split("<binding name=\"title\"><literal xml:lang=\"en\">")
            .skip(1)
            .filter_map(|rest| {
                rest.split_once("</literal>")
                    .map(|(title, _)| title.to_owned())
            })
            .collect(),
        "text/csv; charset=utf-8" => body
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(',').map(|(_, title)| title.to_owned()))
            .collect(),
        "text/tab-separated-values; charset=utf-8" => body
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once('\t'))
            .map(|(_, title)| title.trim_end_matches("@en").trim_matches('"').to_owned())
            .collect(),
        other => panic!("unexpected content type {other}"),
    }
}

#[test]
fn select_by_get_and_post_in_every_results_format() {
    let server = Server::start(&[]);
    let formats = [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ];
    for accept in formats {
        let answers = [
            query_get(&server, CHAPTERS, accept),
            curl(&[
                "--data-urlencode",
                &format!("query={CHAPTERS}"),
                "-H",
                &format!("Accept: {accept}"),
                &server.url("/query"),
            ]),
            curl(&[
                "--data-binary",
                CHAPTERS,
                "-H",
                "Content-Type: application/sparql-query",
                "-H",
                &format!("Accept: {accept}"),
                &server.url("/query"),
            ]),
        ];
        for answer in answers {
            assert_eq!(answer.status, 200, "{accept}: {}", answer.body);
            let content_type = answer.header("content-type").expect("a content type");
            assert!(content_type.starts_with(accept), "{content_type}");
            assert_eq!(answer.header("vary"), Some("accept"));
            assert_eq!(titles(content_type, &answer.body), TITLES, "{accept}");
        }
    }
    let ask = query_get(&server, "ASK { ?s a doco:Chapter }", "*/*");
    assert_eq!(
        ask.header("content-type"),
        Some("application/sparql-results+json")
    );
    assert_eq!(ask.body, "{\"head\":{},\"boolean\":true}");
    let default = curl(&[
        "-G",
        "--data-urlencode",
        &format!("query={CHAPTERS}"),
        &server.url("/query"),
    ]);
    assert_eq!(
        default.header("content-type"),
        Some("application/sparql-results+json")
    );
}

#[test]
fn construct_in_turtle_and_n_triples() {
    let server = Server::start(&[]);
    let query =
        "CONSTRUCT { ?c dcterms:title ?title } WHERE { ?c a doco:Chapter ; dcterms:title ?title }";
    let turtle = query_get(&server, query, "text/turtle");
    let ntriples = query_get(&server, query, "application/n-triples");
    assert_eq!(
        turtle.header("content-type"),
        Some("text/turtle; charset=utf-8")
    );
    assert_eq!(
        ntriples.header("content-type"),
        Some("application/n-triples; charset=utf-8")
    );
    assert!(
        turtle
            .body
            .contains("@prefix dcterms: <http://purl.org/dc/terms/> .")
    );
    let from_turtle = parse(RdfFormat::Turtle, &turtle.body);
    assert_eq!(from_turtle, parse(RdfFormat::NTriples, &ntriples.body));
    // Four UN chapters, two each in the government English and the Chinese
    // (Simplified and Traditional titles on one node).
    assert_eq!(from_turtle.len(), 4 + 2 + 2 * 2, "{}", turtle.body);
    assert_eq!(ntriples.body.lines().count(), from_turtle.len());
    let store = common::default_store();
    let expected = common::select(
        &store,
        "SELECT ?c ?title WHERE { ?c a doco:Chapter ; dcterms:title ?title }",
    );
    assert_eq!(expected.len(), from_turtle.len());
}

#[test]
fn graph_store_protocol_and_dataset_description() {
    let server = Server::start(&[]);
    let store = common::default_store();
    let dataset = get(&server, "/store", "*/*");
    assert_eq!(dataset.status, 200);
    assert_eq!(
        dataset.header("content-type"),
        Some("application/n-quads; charset=utf-8")
    );
    assert_eq!(
        parse(RdfFormat::NQuads, &dataset.body).len(),
        store.len().expect("len")
    );
    let trig = get(&server, "/store", "application/trig");
    assert_eq!(
        parse(RdfFormat::TriG, &trig.body),
        parse(RdfFormat::NQuads, &dataset.body)
    );

    let union = get(&server, "/store?default", "application/n-triples");
    assert_eq!(union.status, 200);
    let distinct: std::collections::BTreeSet<_> = dataset
        .body
        .lines()
        .map(|line| line.rsplitn(3, ' ').nth(2).unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        union.body.lines().count(),
        distinct.len(),
        "the default graph is the union"
    );

    let metadata = get(
        &server,
        "/store?graph=https%3A%2F%2Fw3id.org%2Fcyberkg%2Fgraph%2Fmetadata",
        "text/turtle",
    );
    assert_eq!(metadata.status, 200);
    let void = get(&server, "/.well-known/void", "*/*");
    assert_eq!(void.status, 200);
    assert_eq!(
        void.header("content-type"),
        Some("text/turtle; charset=utf-8")
    );
    assert_eq!(
        void.body, metadata.body,
        "/.well-known/void is the metadata graph"
    );
    assert!(
        void.body
            .contains("<https://w3id.org/cyberkg/dataset> a void:Dataset"),
        "{}",
        void.body
    );

    let missing = get(
        &server,
        "/store?graph=https%3A%2F%2Fexample.org%2Fnone",
        "*/*",
    );
    assert_eq!(
        (missing.status, missing.body.as_str()),
        (404, "the store has no graph <https://example.org/none>\n")
    );
    let put = curl(&[
        "-X",
        "PUT",
        "--data-binary",
        "<a:b> <a:c> <a:d> .",
        &server.url("/store"),
    ]);
    assert_eq!((put.status, put.header("allow")), (405, Some("GET, HEAD")));
}

#[test]
fn bad_requests_get_a_status_and_one_line() {
    let server = Server::start(&[]);
    let broken = query_get(&server, "SELECT * WHERE {\n  ?s ?p }", "*/*");
    assert_eq!(broken.status, 400);
    assert_eq!(
        broken.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert!(
        broken.body.starts_with("query:2:10: SPARQL syntax error: "),
        "{}",
        broken.body
    );
    assert_eq!(broken.body.lines().count(), 1);

    let wrong_type = curl(&[
        "--data-binary",
        CHAPTERS,
        "-H",
        "Content-Type: text/plain",
        &server.url("/query"),
    ]);
    assert_eq!(wrong_type.status, 415, "{}", wrong_type.body);
    assert_eq!(
        wrong_type.body,
        "unsupported Content-Type 'text/plain' for a SPARQL query; send application/sparql-query or application/x-www-form-urlencoded\n"
    );
    let unacceptable = query_get(&server, CHAPTERS, "image/png");
    assert_eq!(unacceptable.status, 406);
    assert!(unacceptable.body.starts_with("none of the media types in 'Accept: image/png' is available here; ask for one of application/sparql-results+json, "));
    assert_eq!(query_get(&server, CHAPTERS, "text/turtle").status, 406);

    let big = tempfile::NamedTempFile::new().expect("a temporary file");
    let mut text = String::from("ASK {}\n");
    while text.len() <= (1 << 20) {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    big.as_file().write_all(text.as_bytes()).expect("write");
    let too_large = curl(&[
        "--data-binary",
        &format!("@{}", big.path().display()),
        "-H",
        "Content-Type: application/sparql-query",
        &server.url("/query"),
    ]);
    assert_eq!(too_large.status, 413);
    assert_eq!(
        too_large.body,
        "the request body is larger than this server's limit of 1048576 bytes\n"
    );

    let update = curl(&[
        "--data-binary",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "-H",
        "Content-Type: application/sparql-update",
        &server.url("/update"),
    ]);
    assert_eq!(update.status, 403);
    assert_eq!(
        update.body,
        "this server is read-only: SPARQL updates are refused unless it is started with --writable\n"
    );

    let service = query_get(
        &server,
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "*/*",
    );
    assert_eq!(service.status, 403);
    assert_eq!(
        service.body,
        "SERVICE <http://example.org/sparql> is not allowed: cyberkg calls no other endpoint unless --allow-service names its host (--allow-service example.org)\n"
    );

    assert_eq!(get(&server, "/query", "*/*").status, 400);
    assert_eq!(get(&server, "/no/such/thing", "*/*").status, 404);
    let ask = query_get(&server, "ASK {}", "*/*");
    assert_eq!(
        (ask.status, ask.header("access-control-allow-origin")),
        (200, None),
        "no CORS without --cors"
    );
}

#[test]
fn timeout_row_cap_cors_and_updates_when_asked_for() {
    let server = Server::start(&[
        "--timeout-s",
        "1",
        "--max-rows",
        "5",
        "--cors",
        "--writable",
    ]);
    // Every node's closure over every predicate but rdf:type: about 2.8 million
    // pairs, half a minute in a debug build; Oxigraph checks the cancellation
    // token at each store access, so the evaluation also stops.
    let slow = query_get(
        &server,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (!rdf:type)* ?b }",
        "*/*",
    );
    assert_eq!(slow.status, 503, "{}", slow.body);
    assert_eq!(
        slow.body,
        "the query ran longer than this server's limit of 1 s (--timeout-s) and was stopped\n"
    );
    let after = query_get(&server, "ASK { ?s a doco:Chapter }", "*/*");
    assert_eq!(
        (after.status, after.body.as_str()),
        (200, "{\"head\":{},\"boolean\":true}")
    );

    let capped = query_get(&server, CHAPTERS, "text/csv");
    assert_eq!(capped.status, 200, "4 rows are within the cap of 5");
    let over = query_get(
        &server,
        "SELECT ?p WHERE { ?p a doco:Paragraph }",
        "text/csv",
    );
    assert_eq!(over.status, 500);
    assert_eq!(
        over.body,
        "the query has more than 5 results, this server's limit (--max-rows); add a LIMIT, or start the server with a higher --max-rows\n"
    );

    assert_eq!(after.header("access-control-allow-origin"), Some("*"));
    let preflight = curl(&[
        "-X",
        "OPTIONS",
        "-H",
        "Origin: https://example.org",
        &server.url("/query"),
    ]);
    assert_eq!(preflight.status, 204);
    // oxhttp 0.3.3 drops Access-Control-Allow-Methods (see src/serve/server.rs);
    // without it browsers allow GET, HEAD and POST, which are all /query takes.
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("accept, content-type")
    );
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));

    let insert = curl(&[
        "--data-urlencode",
        "update=INSERT DATA { GRAPH <https://example.org/notes> { <https://w3id.org/cyberkg/iscc2017/en-un/chapter-4> rdfs:comment \"read twice\"@en } }",
        &server.url("/update"),
    ]);
    assert_eq!(insert.status, 204, "{}", insert.body);
    let check = query_get(&server, "ASK { ?c rdfs:comment \"read twice\"@en }", "*/*");
    assert_eq!(check.body, "{\"head\":{},\"boolean\":true}");
    let load = curl(&[
        "--data-binary",
        "LOAD <http://example.org/data.ttl>",
        "-H",
        "Content-Type: application/sparql-update",
        &server.url("/update"),
    ]);
    assert_eq!(load.status, 403);
}

#[test]
fn resources_dereference_as_rdf_and_as_pages() {
    let server = Server::start(&[]);
    let paragraph = "/iscc2017/en-un/chapter-4/section-2/paragraph-2";
    let iri = format!("https://w3id.org/cyberkg{paragraph}");
    let turtle = get(&server, paragraph, "text/turtle");
    assert_eq!(turtle.status, 200);
    assert_eq!(
        turtle.header("content-type"),
        Some("text/turtle; charset=utf-8")
    );
    assert_eq!(turtle.header("vary"), Some("accept"));
    let quads = parse(RdfFormat::Turtle, &turtle.body);
    let has = |subject: &str, predicate: &str, object: &str| {
        quads.iter().any(|q| {
            q.subject.to_string() == subject
                && q.predicate.as_str() == predicate
                && q.object.to_string().starts_with(object)
        })
    };
    assert!(has(
        &format!("<{iri}>"),
        "http://schema.org/text",
        "\"In January 2015"
    ));
    assert!(has(
        &format!("<{iri}#text-span>"),
        "https://w3id.org/cyberkg/vocab#startLine",
        "\""
    ));
    assert!(
        has(
            "<https://w3id.org/cyberkg/entity/shanghai-cooperation-organization>",
            "http://www.w3.org/2004/02/skos/core#prefLabel",
            "\"上海合作组织\"@zh-hans"
        ),
        "the labels of the neighbours"
    );

    let html = get(
        &server,
        paragraph,
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    );
    assert_eq!(html.status, 200);
    assert_eq!(
        html.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    for expected in [
        "<title>Paragraph 2 · cyberkg</title>",
        "<a class=\"mention\" href=\"/entity/shanghai-cooperation-organization\" title=\"Shanghai Cooperation Organisation\">Shanghai Cooperation Organization</a>",
        "<a href=\"/iscc2017/en-un/chapter-4/section-2\">Section 2: Advancing and establishing a rule-based order in cyberspace</a>",
        "No other version is aligned with this part.",
    ] {
        assert!(html.body.contains(expected), "{expected}\n{}", html.body);
    }
    assert!(!html.body.contains("<script"), "no script");

    let aligned = get(
        &server,
        "/iscc2017/zh/chapter-3/section-1/paragraph-1",
        "text/html",
    );
    for version in ["iscc2017/zh", "iscc2017/en-gov", "iscc2017/en-un"] {
        assert!(
            aligned.body.contains(&format!("{version}</a></h2>")),
            "{version}\n{}",
            aligned.body
        );
    }

    let chapter = get(&server, "/iscc2017/en-un/chapter-4", "text/turtle");
    assert!(
        chapter
            .body
            .contains("<https://w3id.org/cyberkg/iscc2017/en-un/chapter-4> a doco:Chapter"),
        "nothing is rewritten"
    );
    let chapter = get(&server, "/iscc2017/en-un/chapter-4", "text/html");
    assert!(
        chapter
            .body
            .contains("<a href=\"/iscc2017/en-un/chapter-4/section-9\">Section 9: ")
    );
    let unknown = get(&server, "/iscc2017/en-un/chapter-5", "text/turtle");
    assert_eq!(
        (unknown.status, unknown.body.as_str()),
        (
            404,
            "no resource <https://w3id.org/cyberkg/iscc2017/en-un/chapter-5> in this graph\n"
        )
    );
}

#[test]
fn home_and_entity_pages_show_what_they_should() {
    let server = Server::start(&[]);
    let home = get(&server, "/", "text/html");
    assert_eq!(home.status, 200);
    for expected in [
        "<a href=\"/iscc2017/en-un/chapter-1\">Chapter I: Opportunities and challenges</a>",
        "<a href=\"/iscc2017/en-gov/chapter-3\">Chapter III: Strategic Goals</a>",
        "<a href=\"/iscc2017/zh/chapter-2\">",
        "<a href=\"/entity/brics\">BRICS</a>",
        "<form action=\"/query\" method=\"get\" id=\"query-form\">",
    ] {
        assert!(home.body.contains(expected), "{expected}");
    }
    for external in ["<link", "<script", "<img", "src=", "@import", "url("] {
        assert!(
            !home.body.contains(external),
            "no external resource: {external}"
        );
    }

    let entity = get(
        &server,
        "/entity/shanghai-cooperation-organization",
        "text/html",
    );
    assert_eq!(entity.status, 200);
    for expected in [
        "<h1>Shanghai Cooperation Organisation</h1>",
        "<span lang=\"zh-Hans\">上海合作组织</span>",
        "<a href=\"http://www.wikidata.org/entity/Q485207\" rel=\"noopener noreferrer\">Wikidata Q485207</a>",
        "<a href=\"/iscc2017/en-un/chapter-4/section-2/paragraph-2\">Chapter IV › Section 2 › Paragraph 2</a>",
        "<a href=\"/iscc2017/en-un/chapter-4/section-3/paragraph-3\">",
    ] {
        assert!(
            entity.body.contains(expected),
            "{expected}\n{}",
            entity.body
        );
    }
}

#[test]
fn sparqlwrapper_talks_to_the_endpoint() {
    let server = Server::start(&[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/sparqlwrapper_check.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(server.url("/query"))
        .output()
        .expect("python3 runs (.ci/setup installs SPARQLWrapper and rdflib)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "SPARQLWrapper found a problem or is missing (pip install SPARQLWrapper rdflib):\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|line| line.starts_with("ok "))
            .count(),
        17,
        "{stdout}"
    );
}

#[test]
fn the_readme_python_snippet_prints_what_the_readme_shows() {
    let readme = include_str!("../README.md");
    let block = |fence: &str, after: usize| -> (usize, &str) {
        let start = readme[after..]
            .find(fence)
            .map(|at| after + at + fence.len())
            .expect("the README has the block");
        let end = start + readme[start..].find("```").expect("the block ends");
        (end, &readme[start..end])
    };
    let (end, snippet) = block("```python\n", 0);
    let (_, expected) = block("```text\n", end);
    assert!(snippet.contains("SPARQLWrapper(\"http://127.0.0.1:7878/query\")"));
    let server = Server::start(&[]);
    let script = snippet.replace("http://127.0.0.1:7878/query", &server.url("/query"));
    let output = Command::new("python3")
        .args(["-c", &script])
        .output()
        .expect("python3 runs (.ci/setup installs SPARQLWrapper)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn a_browser_follows_links_and_runs_a_query() {
    let server = Server::start(&[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/browser_check.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(server.url(""))
        .output()
        .expect("python3 runs (.ci/setup installs selenium, chromium and chromium-driver)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the browser check failed (needs chromium, chromium-driver and selenium: see .ci/setup):\n{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|line| line.starts_with("ok "))
            .count(),
        19,
        "{stdout}"
    );
}

#[test]
fn start_up_errors_are_one_line() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("address").port();
    common::cyberkg()
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(format!(
            "cyberkg: cannot listen on 127.0.0.1:{port}: "
        )));
    common::cyberkg()
        .args(["serve", "--bind", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "cyberkg: invalid --bind 'nowhere': ",
        ));
    common::cyberkg()
        .args(["serve", "--timeout-s", "0"])
        .assert()
        .code(2)
        .stderr("cyberkg: --timeout-s must be at least 1 (second)\n");
}

#[test]
fn the_help_is_the_manual() {
    let output = common::cyberkg()
        .args(["serve", "--help"])
        .output()
        .expect("help");
    let help = String::from_utf8_lossy(&output.stdout);
    for expected in [
        "Examples:",
        "--base http://127.0.0.1:7878/",
        "never silently truncated",
        "--timeout-s <SECONDS>",
        "[default: 127.0.0.1:7878]",
        "--allow-service <HOST[:PORT]>",
        "cyberkg serve --allow-service query.wikidata.org",
    ] {
        assert!(help.contains(expected), "{expected}\n{help}");
    }
}

#[test]
fn federated_queries_reach_only_the_hosts_allowed() {
    // The second local server stands in for Wikidata (see the Turtle file).
    let wikidata = common::oxigraph_server::Server::oxigraph();
    wikidata.add_turtle(include_str!("support/wikidata-stand-in.ttl"));
    let endpoint = wikidata.url("/query");
    let federated = cyberkg::queries::named("wikidata-memberships")
        .expect("the named query")
        .replace("https://query.wikidata.org/sparql", &endpoint);
    let post = |server: &Server| {
        curl(&[
            "--data-binary",
            &federated,
            "-H",
            "Content-Type: application/sparql-query",
            "-H",
            "Accept: text/csv",
            &server.url("/query"),
        ])
    };

    let allowed = Server::start(&["--allow-service", &format!("127.0.0.1:{}", wikidata.port)]);
    let answer = post(&allowed);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let rows: Vec<&str> = answer.body.lines().collect();
    assert_eq!(rows.len(), 11, "a header and ten rows: {}", answer.body);
    assert_eq!(
        rows.iter()
            .filter(|row| row.starts_with("BRICS,") && row.ends_with(",true"))
            .count(),
        5,
        "the five members the strategy states: {}",
        answer.body
    );
    assert!(rows.contains(&"BRICS,http://www.wikidata.org/entity/Q155,Brazil,Brazil,true"));

    // Another port of the same host is not allowed, nor is any host by default.
    for args in [&["--allow-service", "127.0.0.1:1"][..], &[]] {
        let refusing = Server::start(args);
        let refused = post(&refusing);
        assert_eq!(refused.status, 403, "{args:?}: {}", refused.body);
        assert!(
            refused
                .body
                .starts_with(&format!("SERVICE <{endpoint}> is not allowed: ")),
            "{}",
            refused.body
        );
        assert_eq!(refused.body.lines().count(), 1);
    }

    // An allowed endpoint that is down is the other server's failure: 502.
    let down = format!(
        "http://127.0.0.1:{}/query",
        common::oxigraph_server::free_port()
    );
    let any_port = Server::start(&["--allow-service", "127.0.0.1"]);
    let failed = curl(&[
        "--data-binary",
        &federated.replace(&endpoint, &down),
        "-H",
        "Content-Type: application/sparql-query",
        &any_port.url("/query"),
    ]);
    assert_eq!(failed.status, 502, "{}", failed.body);
    assert!(
        failed.body.starts_with(&format!(
            "the query failed: SERVICE <{down}> could not be reached: "
        )),
        "{}",
        failed.body
    );
    assert_eq!(post(&any_port).status, 200, "the server keeps answering");
}

/// A cross product under COUNT: Oxigraph reads the store once and then
/// loops over what it holds, so its cancellation token is never checked again.
const CROSS_PRODUCT: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

/// Runs `queries` at once, one curl each, and returns their answers in order.
fn concurrently(server: &Server, queries: &[&str]) -> Vec<Answer> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = queries
            .iter()
            .map(|query| scope.spawn(move || query_get(server, query, "*/*")))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_else(|_| panic!("curl failed")))
            .collect()
    })
}

#[test]
fn a_query_past_its_deadline_is_stopped_and_gives_its_worker_back() {
    let server = Server::start(&["--timeout-s", "2", "--workers", "2"]);
    // Twice as many runaway queries as workers: each is killed at its
    // deadline, and its worker replaced, so none keeps a slot.
    let slow = concurrently(&server, &[CROSS_PRODUCT; 4]);
    for answer in &slow {
        assert_eq!(answer.status, 503, "{}", answer.body);
        assert_eq!(
            answer.body,
            "the query ran longer than this server's limit of 2 s (--timeout-s) and was stopped\n"
        );
    }
    let started = std::time::Instant::now();
    let after = query_get(&server, "ASK {}", "*/*");
    assert_eq!(
        (after.status, after.body.as_str()),
        (200, "{\"head\":{},\"boolean\":true}")
    );
    // The replacements load the store in the background; allow for a debug build.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_query_past_its_memory_budget_ends_its_worker_not_the_server() {
    let server = Server::start(&["--max-query-memory-mb", "64", "--timeout-s", "60"]);
    // Each BIND doubles the string: 2^40 characters unless stopped.
    let mut query = String::from("SELECT (STRLEN(?v40) AS ?n) WHERE { BIND(\"0123456789\" AS ?v0)");
    for i in 1..=40 {
        query.push_str(&format!(" BIND(CONCAT(?v{p}, ?v{p}) AS ?v{i})", p = i - 1));
    }
    query.push('}');
    let greedy = query_get(&server, &query, "*/*");
    assert_eq!(greedy.status, 503, "{}", greedy.body);
    assert_eq!(
        greedy.body,
        "the query needed more memory than this server's limit per query (--max-query-memory-mb) and was stopped\n"
    );
    let after = query_get(&server, "ASK { ?s a doco:Chapter }", "*/*");
    assert_eq!(
        (after.status, after.body.as_str()),
        (200, "{\"head\":{},\"boolean\":true}")
    );
}

#[test]
fn queries_wait_in_a_queue_and_only_then_get_busy_with_retry_after() {
    let server = Server::start(&["--workers", "2", "--timeout-s", "5", "--queue-wait-s", "1"]);
    // Twenty concurrent queries for two workers: all answered, none "busy".
    let counted = "SELECT (COUNT(*) AS ?n) WHERE { ?p a doco:Paragraph ; ?q ?o }";
    let answers = concurrently(&server, &[counted; 20]);
    let first = &answers[0];
    assert_eq!(first.status, 200, "{}", first.body);
    for answer in &answers {
        assert_eq!((answer.status, &answer.body), (200, &first.body));
    }
    // Both workers held by runaway queries: a third query waits a second, then is told when to retry.
    std::thread::scope(|scope| {
        let runaway: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| query_get(&server, CROSS_PRODUCT, "*/*")))
            .collect();
        std::thread::sleep(Duration::from_millis(1500));
        let busy = query_get(&server, "ASK {}", "*/*");
        assert_eq!(busy.status, 503, "{}", busy.body);
        assert_eq!(busy.header("retry-after"), Some("5"));
        assert_eq!(
            busy.body,
            "the server is busy: its 2 SPARQL workers stayed busy for 1 s (the queue's limit); try again later\n"
        );
        for handle in runaway {
            let answer = handle.join().unwrap_or_else(|_| panic!("curl failed"));
            assert_eq!(answer.status, 503, "{}", answer.body);
        }
    });
    // The killed workers' replacements load the store (about a second in a
    // debug build on a busy machine), longer than this server's queue wait:
    // a client that honours Retry-After gets its answer.
    let mut after = query_get(&server, "ASK {}", "*/*");
    for _retry in 0..10 {
        if after.status != 503 {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
        after = query_get(&server, "ASK {}", "*/*");
    }
    assert_eq!(after.status, 200, "{}", after.body);
}

#[test]
fn the_search_service_answers_in_the_workers_and_follows_updates() {
    let server = Server::start(&["--writable"]);
    let search = |words: &str| {
        let answer = query_get(
            &server,
            &format!(
                "SELECT ?hit WHERE {{ SERVICE <https://w3id.org/cyberkg/search> {{ ?hit cyberkg:matches \"{words}\" ; cyberkg:score ?score }} }} ORDER BY DESC(?score) ?hit"
            ),
            "text/csv",
        );
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer
            .body
            .lines()
            .skip(1)
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // The same hits as the command line's, without --allow-service.
    let cli = common::cyberkg()
        .args(["search", "主權", "-r", "csv", "--limit", "1000"])
        .output()
        .expect("runs");
    let mut from_cli: Vec<String> = String::from_utf8_lossy(&cli.stdout)
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(8).map(str::to_owned))
        .collect();
    let mut served = search("主權");
    assert!(served.len() >= 5, "{served:?}");
    from_cli.sort();
    served.sort();
    assert_eq!(served, from_cli);
    // A text added by an update is found by the next search.
    assert!(search("独角兽").is_empty());
    let insert = curl(&[
        "--data-urlencode",
        "update=INSERT DATA { GRAPH <https://example.org/notes> { <https://example.org/note> cyberkg:inEdition <https://w3id.org/cyberkg/iscc2017/zh> ; schema:text \"网络空间的独角兽\"@zh-hans } }",
        &server.url("/update"),
    ]);
    assert_eq!(insert.status, 204, "{}", insert.body);
    assert_eq!(search("独角兽"), ["https://example.org/note"]);
}

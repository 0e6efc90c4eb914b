//! `cyberkg push` against real Graph Stores on loopback: an Oxigraph server
//! (`pip install oxigraph`, installed by .ci/setup) ends up holding exactly
//! the local graph, replacing its graphs and leaving others alone; a wrong
//! path, a closed port and a busy server give one-line messages; busy
//! answers are retried a bounded number of times.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside #[test] functions: a failed precondition should stop the test"
)]

mod common;
use common::oxigraph_server::{Server, free_port};
use common::{cyberkg, default_store, select};
use cyberkg::http::Method;

use std::io::{BufRead, BufReader};
use std::process::{ChildStdout, Command, Stdio};

/// The test's Graph Store that answers 503 to its first `failures` requests.
struct FlakyServer {
    server: Server,
    log: BufReader<ChildStdout>,
}

impl FlakyServer {
    fn start(failures: u32) -> Self {
        Self::start_with(&failures.to_string(), &[])
    }

    /// One that answers every request with a redirect to /moved.
    fn start_redirecting() -> Self {
        Self::start_with("redirect", &[])
    }

    /// The same over HTTPS, with a self-signed certificate no client trusts.
    fn start_tls() -> Self {
        let tls = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/tls/");
        Self::start_with(
            "0",
            &[
                &format!("{tls}self-signed.crt"),
                &format!("{tls}self-signed.key"),
            ],
        )
    }

    fn start_with(failures: &str, tls: &[&str]) -> Self {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/flaky_graph_store.py"
        );
        let mut child = Command::new("python3")
            .arg(script)
            .arg(failures)
            .args(tls)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs");
        let mut log = BufReader::new(child.stdout.take().expect("stdout"));
        let mut port = String::new();
        log.read_line(&mut port).expect("the port");
        let port = port.trim().parse().expect("a port number");
        let server = Server {
            child,
            port,
            directory: tempfile::tempdir().expect("temp dir"),
        };
        Self { server, log }
    }

    /// The next `count` request lines (`METHOD PATH STATUS`).
    fn requests(&mut self, count: usize) -> Vec<String> {
        (0..count)
            .map(|_| {
                let mut line = String::new();
                self.log.read_line(&mut line).expect("a request line");
                line.trim().to_owned()
            })
            .collect()
    }
}

/// Canonical N-Quads of some N-Quads text, for comparing datasets.
fn canonical(nquads: &str) -> Vec<u8> {
    let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(nquads)
        .collect::<Result<Vec<_>, _>>()
        .expect("valid N-Quads");
    cyberkg::canonical::CanonicalNQuads::new(quads).to_bytes()
}

/// A push report with its last sentence's timing (` in 0.47 s: 34460
/// triples/s.`) checked for its shape and cut, so the rest can be compared
/// exactly.
fn untimed(stdout: &[u8]) -> String {
    let text = String::from_utf8(stdout.to_vec()).expect("UTF-8");
    let Some((head, timing)) = text.rsplit_once(") in ") else {
        panic!("no timing in the report: {text}");
    };
    let Some((seconds, rate)) = timing.split_once(" s: ") else {
        panic!("no ' s: ' in the timing: {timing}");
    };
    let (whole, fraction) = seconds.split_once('.').expect("seconds with a fraction");
    let is_number = |text: &str| !text.is_empty() && text.chars().all(|c| c.is_ascii_digit());
    assert!(
        is_number(whole) && fraction.len() == 2 && is_number(fraction),
        "{timing}"
    );
    let rate = rate.strip_suffix(" triples/s.\n").expect("a rate");
    assert!(is_number(rate), "{timing}");
    format!("{head}).\n")
}

/// The local graph's named graphs and their sizes, in push order.
fn local_graphs() -> Vec<(String, usize)> {
    let store = default_store();
    select(
        &store,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY STR(?g)",
    )
    .into_iter()
    .map(|row| (row["g"].clone(), row["n"].parse().expect("a count")))
    .collect()
}

#[test]
fn a_pushed_graph_is_the_same_on_the_server_and_replaces_only_its_graphs() {
    let server = Server::oxigraph();
    let endpoint = server.url("/store");
    // Something the push must replace, and something it must leave alone.
    for (graph, triple) in [
        (
            "https://w3id.org/cyberkg/graph/text",
            "<http://example.org/stale> <http://example.org/p> \"gone after the push\" .",
        ),
        (
            "http://example.org/other",
            "<http://example.org/kept> <http://example.org/p> \"still there\" .",
        ),
    ] {
        common::oxigraph_server::request(
            Method::PUT,
            &format!("{endpoint}?graph={graph}"),
            &[("Content-Type", "application/n-triples")],
            triple,
        );
    }

    let batch_size = 4000;
    let graphs = local_graphs();
    let mut expected = String::new();
    let (mut triples, mut requests) = (0, 0);
    for (graph, count) in &graphs {
        let graph_requests = count.div_ceil(batch_size);
        let plural = if graph_requests == 1 { "" } else { "s" };
        expected.push_str(&format!(
            "<{graph}>: {count} triples in {graph_requests} request{plural}\n"
        ));
        triples += count;
        requests += graph_requests;
    }
    expected.push_str(&format!(
        "Pushed {triples} triples in {} graphs to {endpoint} ({requests} requests).\n",
        graphs.len()
    ));
    assert!(requests > graphs.len(), "some graph needs several batches");
    let pushed = cyberkg()
        .args(["push", "--endpoint", &endpoint, "--batch-size", "4000"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(untimed(&pushed.get_output().stdout), expected);

    // The server holds the local dataset plus the graph it had of its own.
    let local = cyberkg()
        .args(["export", "--format", "nquads"])
        .output()
        .expect("runs");
    let mut with_other = String::from_utf8(local.stdout).expect("UTF-8");
    with_other.push_str(
        "<http://example.org/kept> <http://example.org/p> \"still there\" <http://example.org/other> .\n",
    );
    assert!(
        canonical(&server.dump()) == canonical(&with_other),
        "the server's dataset differs from the local one"
    );
    let count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <http://example.org/other>) }";
    let store = default_store();
    assert_eq!(server.select(count), select(&store, count));
    assert_eq!(
        server.select(count)[0]["n"],
        store.len().expect("len").to_string()
    );
    for query in [
        "PREFIX doco: <http://purl.org/spar/doco/> PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/> PREFIX cyberkg: <https://w3id.org/cyberkg/vocab#>
         SELECT ?n ?title WHERE { GRAPH ?g { ?c a doco:Chapter ; cyberkg:inEdition ?e ; schema:position ?n ; dcterms:title ?title . ?e dcterms:identifier \"iscc2017/en-un\" } } ORDER BY ?n",
        "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
         SELECT ?label (COUNT(?a) AS ?mentions) WHERE {
           GRAPH ?annotations { ?a oa:hasBody ?entity }
           GRAPH ?entities { ?entity skos:prefLabel ?label FILTER(LANG(?label) = \"en\") }
         } GROUP BY ?label ORDER BY DESC(?mentions) ?label LIMIT 10",
    ] {
        let remote = server.select(query);
        assert!(!remote.is_empty(), "{query}");
        assert_eq!(remote, select(&store, query), "{query}");
    }
}

#[test]
fn a_wrong_path_is_a_one_line_refusal_with_the_status_and_the_answer() {
    let server = Server::oxigraph();
    let endpoint = server.url("/nope");
    let (first_graph, _) = local_graphs().into_iter().next().expect("a graph");
    cyberkg()
        .args(["push", "--endpoint", &endpoint])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "cyberkg: {endpoint} refused the PUT of graph <{first_graph}>: 404 Not Found: PUT /nope is not supported by this server\n"
        ));
}

#[test]
fn an_unreachable_endpoint_is_retried_a_bounded_number_of_times() {
    let endpoint = format!("http://127.0.0.1:{}/store", free_port());
    for (retries, attempts) in [("0", "1 attempt"), ("2", "3 attempts")] {
        cyberkg()
            .args(["push", "--endpoint", &endpoint, "--retries", retries])
            .assert()
            .code(1)
            .stdout("")
            .stderr(format!(
                "cyberkg: cannot reach {endpoint}: connection refused ({attempts})\n"
            ));
    }
}

#[test]
fn a_busy_endpoint_is_retried_then_succeeds_or_gives_up() {
    let graph = "https://w3id.org/cyberkg/graph/facts";
    let encoded = "https%3A%2F%2Fw3id.org%2Fcyberkg%2Fgraph%2Ffacts";
    let mut busy_twice = FlakyServer::start(2);
    let endpoint = busy_twice.server.url("/store");
    let pushed = cyberkg()
        .args(["push", "--endpoint", &endpoint, "--graph", graph])
        .args(["--header", "Authorization: Bearer secret"])
        .assert()
        .success();
    let report = untimed(&pushed.get_output().stdout);
    let count = match local_graphs().iter().find(|(g, _)| g == graph) {
        Some((_, count)) => *count,
        None => panic!("the build has no graph {graph}"),
    };
    assert!(
        report.ends_with(&format!(
            "Pushed {count} triples in 1 graph to {endpoint} (1 request).\n"
        )),
        "{report}"
    );
    assert_eq!(
        busy_twice.requests(3),
        [
            format!("PUT /store?graph={encoded} 503"),
            format!("PUT /store?graph={encoded} 503"),
            format!("PUT /store?graph={encoded} 204"),
        ]
    );

    let always_busy = FlakyServer::start(100);
    let endpoint = always_busy.server.url("/store");
    cyberkg()
        .args(["push", "--endpoint", &endpoint, "--graph", graph, "--retries", "1"])
        .assert()
        .code(1)
        .stderr(format!(
            "cyberkg: {endpoint} refused the PUT of graph <{graph}>: 503 Service Unavailable: busy, try again (2 attempts)\n"
        ));
}

#[test]
fn bad_endpoints_headers_and_graphs_are_usage_errors() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--endpoint", "ftp://example.org/store"],
            "cyberkg: invalid --endpoint 'ftp://example.org/store': expected an http:// or https:// URL such as http://localhost:7878/store\n",
        ),
        (
            &["--endpoint", "localhost:7878/store"],
            "cyberkg: invalid --endpoint 'localhost:7878/store': expected an http:// or https:// URL such as http://localhost:7878/store\n",
        ),
        (
            &[
                "--endpoint",
                "http://127.0.0.1:9/store",
                "--header",
                "Authorization Bearer secret",
            ],
            "cyberkg: invalid --header: expected 'Name: value', for example 'Authorization: Bearer TOKEN'\n",
        ),
        (
            &[
                "--endpoint",
                "http://127.0.0.1:9/store",
                "--graph",
                "https://example.org/none",
            ],
            "cyberkg: the store has no graph <https://example.org/none>; it has ",
        ),
    ];
    for (args, message) in cases {
        cyberkg()
            .arg("push")
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::starts_with(message));
    }
}

#[test]
fn a_terminal_sees_a_progress_bar_and_a_pipe_does_not() {
    let server = Server::oxigraph();
    let endpoint = server.url("/store");
    let total: usize = local_graphs().iter().map(|(_, count)| count).sum();
    // indicatif's human_len: thousands separated by commas.
    let digits = total.to_string();
    let mut with_commas = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            with_commas.push(',');
        }
        with_commas.push(digit);
    }
    let terminal = common::on_terminal(&["push", "--endpoint", &endpoint, "--batch-size", "2000"]);
    assert!(
        terminal.contains(&format!("/{with_commas} triples graph annotations")),
        "{terminal}"
    );
    assert!(
        terminal.contains(&format!("Pushed {total} triples in ")),
        "{terminal}"
    );
    let quiet = common::on_terminal(&["-q", "push", "--endpoint", &endpoint]);
    assert!(!quiet.contains(" triples graph "), "{quiet}");
    assert!(
        quiet.contains(&format!("Pushed {total} triples in ")),
        "{quiet}"
    );
}

#[test]
fn https_is_spoken_and_an_untrusted_certificate_refused_at_once() {
    let mut server = FlakyServer::start_tls();
    let endpoint = format!("https://127.0.0.1:{}/store", server.server.port);
    cyberkg()
        .args(["push", "--endpoint", &endpoint])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "cyberkg: cannot push to {endpoint}: the TLS handshake failed: invalid peer certificate: UnknownIssuer\n"
        ));
    // The handshake failed, so the server saw no request; the same server
    // answers a client told to trust anything (curl -k), which shows it was up.
    let curl = Command::new("curl")
        .args(["-sk", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT"])
        .args(["--data-binary", "<http://e.org/s> <http://e.org/p> 1 ."])
        .arg(format!("{endpoint}?default"))
        .output()
        .expect("curl runs");
    assert_eq!(String::from_utf8_lossy(&curl.stdout), "204");
    assert_eq!(server.requests(1), ["PUT /store?default 204"]);
}

#[test]
fn a_redirect_is_not_followed_and_names_its_target() {
    let mut server = FlakyServer::start_redirecting();
    let endpoint = server.server.url("/store");
    let moved = server.server.url("/moved");
    cyberkg()
        .args(["push", "--endpoint", &endpoint, "--retries", "2"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "cyberkg: cannot push to {endpoint}: the server redirected to {moved}, and redirects are not followed\n"
        ));
    // The first request was the PUT that got the redirect.
    let first = server.requests(1);
    assert!(
        first[0].starts_with("PUT /store?graph=") && first[0].ends_with(" 301"),
        "{first:?}"
    );
}

/// A corpus of 100 documents (`benches/make-corpus`, about 870,000 quads)
/// sent with `--bulk`: every request carries `no_transaction`, so the
/// Oxigraph server loads each batch with its bulk loader, and the server
/// ends up holding exactly the local dataset.
#[test]
fn a_hundred_documents_are_pushed_through_oxigraphs_bulk_loader() {
    let directory = tempfile::tempdir().expect("temp dir");
    let corpus = directory.path().join("corpus");
    let made = Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/make-corpus"))
        .arg("100")
        .arg(&corpus)
        .output()
        .expect("python3 runs benches/make-corpus");
    assert!(made.status.success(), "{made:?}");
    let corpus = corpus.to_str().expect("UTF-8");
    let location = directory.path().join("store");
    let location = location.to_str().expect("UTF-8");
    // Build once into an on-disk store when there is one, so push and the
    // comparison read the same build; else each command builds again.
    let store_args: Vec<&str> = if cfg!(feature = "rocksdb") {
        cyberkg()
            .args(["build", "-q", "--corpus", corpus, "--location", location])
            .assert()
            .success();
        vec!["--location", location]
    } else {
        vec!["--corpus", corpus]
    };

    let server = Server::oxigraph();
    let endpoint = server.url("/store");
    let pushed = cyberkg()
        .args([
            "push",
            "-q",
            "--bulk",
            "--batch-size",
            "100000",
            "--endpoint",
            &endpoint,
        ])
        .args(&store_args)
        .assert()
        .success()
        .stderr("");
    let report = untimed(&pushed.get_output().stdout);
    let expected = common::graph_counts(&store_args);
    let total: u64 = expected.iter().map(|(_, count)| count).sum();
    assert!(total > 500_000, "{total} quads");
    assert!(
        report.contains(&format!(
            "Pushed {total} triples in {} graphs to {endpoint} (",
            expected.len()
        )),
        "{report}"
    );
    assert!(report.ends_with(" requests, bulk).\n"), "{report}");

    let on_server: Vec<(String, u64)> = server
        .select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        )
        .into_iter()
        .map(|row| (row["g"].clone(), row["n"].parse().expect("a count")))
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(on_server, expected_sorted);

    // Quad for quad: the server's dump and the local export hold the same
    // lines (the graph has no blank nodes, so lines compare as they are).
    let local = cyberkg()
        .args(["export", "--format", "nquads"])
        .args(&store_args)
        .output()
        .expect("runs");
    assert!(local.status.success());
    let local = String::from_utf8(local.stdout).expect("UTF-8");
    let mut local: Vec<&str> = local.lines().collect();
    let dump = server.dump();
    let mut remote: Vec<&str> = dump.lines().collect();
    local.sort_unstable();
    remote.sort_unstable();
    assert_eq!(local.len(), remote.len());
    assert!(
        local == remote,
        "the server's dataset differs from the local one"
    );
}

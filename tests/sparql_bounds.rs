//! SPARQL that used to crash or hang cyberkg, through the real binary:
//! texts beyond cyberkg's limits (nesting, size, chained operators) get one
//! sentence and exit 2 instead of a stack overflow; texts just within them
//! still run; `--timeout-s` stops a query that never reads the store again;
//! an undeclared prefix and an update given as a query are named as such.
//! Every run is bounded by a timeout.

mod common;
use common::cyberkg;
use common::cyberkg_server::Server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Generous: a debug build on a busy machine builds the graph in seconds.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// The exit code and stderr of `cyberkg query TEXT` (plus `extra` arguments).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn query(text: &str, extra: &[&str]) -> (Option<i32>, String, String) {
    let output = cyberkg()
        .arg("query")
        .args(extra)
        .arg(text)
        .timeout(RUN_LIMIT)
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `ASK{FILTER(` + n × `(` + `1` + n × `)` + `)}`: the issue's 2 KB request.
fn parentheses(n: usize) -> String {
    format!("ASK{{FILTER({}1{})}}", "(".repeat(n), ")".repeat(n))
}

fn braces(n: usize) -> String {
    format!("SELECT * {}{}", "{".repeat(n), "}".repeat(n))
}

fn unions(n: usize) -> String {
    format!("SELECT * {{ {} }}", vec!["{ ?s ?p ?o }"; n].join(" UNION "))
}

#[test]
fn nesting_beyond_the_limit_is_one_sentence_and_exit_2() {
    // `{` and `(` of "ASK{FILTER(" are levels 1 and 2; the 65th level is the
    // 63rd added parenthesis, at column 11 + 63.
    for (text, column) in [(parentheses(1000), 74), (braces(3000), 74)] {
        let (code, stdout, stderr) = query(&text, &[]);
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "cyberkg: <command line>:1:{column}: the query nests brackets ((, {{ and [ together) deeper than 64 levels, cyberkg's limit for SPARQL it parses; simplify or split the query"
            )
        );
        assert!(stdout.is_empty());
    }
}

#[test]
fn long_chains_beyond_the_limit_are_one_sentence_and_exit_2() {
    for text in [
        unions(1200),
        format!("ASK {{ FILTER({}) }}", vec!["1"; 1200].join(" || ")),
        format!(
            "SELECT * {{ ?s {} ?o }}",
            vec!["<http://e.org/p>"; 1200].join("/")
        ),
    ] {
        let (code, _, stderr) = query(&text, &[]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.starts_with("cyberkg: <command line>:1:")
                && stderr.contains(": the query has more than 1000 operators that each deepen its algebra (UNION, OPTIONAL, MINUS, FILTER, BIND, groups, ||, &&, arithmetic, property paths), cyberkg's limit for SPARQL it parses; simplify or split the query")
                && stderr.lines().count() == 1,
            "{stderr}"
        );
    }
}

#[test]
fn a_query_longer_than_the_limit_is_refused_from_a_file() {
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("long.rq");
    // A comment past 1 MiB: still nothing to parse, and refused.
    let text = format!("ASK {{}}\n#{}", "x".repeat(1 << 20));
    std::fs::write(&file, text).expect("written");
    let output = cyberkg()
        .args(["query", "-f"])
        .arg(&file)
        .timeout(RUN_LIMIT)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "cyberkg: {}:2:{}: the query is longer than 1048576 bytes, cyberkg's limit for SPARQL it parses; simplify or split the query",
            file.display(),
            (1 << 20) - 7 + 1
        )
    );
}

#[test]
fn queries_just_within_the_limits_run() {
    // "ASK{FILTER(" is two levels: 62 more parentheses reach 64.
    let none = "{ ?s <http://e.org/none> ?o }";
    for (text, answer) in [
        (parentheses(62), "true"),
        // No variables: an empty header line.
        (braces(63), ""),
        (
            format!("SELECT ?s ?o {{ {} }}", vec![none; 480].join(" UNION ")),
            "?s\t?o",
        ),
        (
            format!("ASK {{ FILTER({}) }}", vec!["1"; 990].join(" || ")),
            "true",
        ),
    ] {
        let (code, stdout, stderr) = query(&text, &["-r", "tsv"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(stdout.lines().next(), Some(answer), "{stdout}");
    }
}

#[test]
fn timeout_stops_a_query_that_never_reads_the_store_again() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output_file = directory.path().join("n.tsv");
    let output = cyberkg()
        .args(["query", "--timeout-s", "2", "-o"])
        .arg(&output_file)
        .arg("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c. ?d ?e ?f. ?g ?h ?i }")
        .timeout(RUN_LIMIT)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "cyberkg: <command line>: the query ran longer than 2 s (--timeout-s) and was stopped"
    );
    assert!(output.stdout.is_empty());
    let left: Vec<_> = std::fs::read_dir(directory.path())
        .expect("listed")
        .collect();
    assert!(left.is_empty(), "no output or temporary file: {left:?}");
    // A quick query within its deadline answers as usual.
    let (code, stdout, stderr) = query("ASK {}", &["--timeout-s", "30"]);
    assert_eq!((code, stdout.trim_end()), (Some(0), "true"), "{stderr}");
    // Zero is not a deadline.
    let (code, _, stderr) = query("ASK {}", &["--timeout-s", "0"]);
    assert_eq!(code, Some(2), "{stderr}");
}

#[test]
fn an_undeclared_prefix_and_an_update_are_named() {
    let (code, _, stderr) = query("SELECT * { ?s foo:bar ?o }", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.starts_with(
            "cyberkg: <command line>:1:15: the prefix 'foo:' is not declared; add 'PREFIX foo: <IRI>' before the query, or use one of the predeclared prefixes (cyberkg, "
        ) && stderr.lines().count() == 1,
        "{stderr}"
    );
    let (code, _, stderr) = query("INSERT DATA { <http://e.org/s> <http://e.org/p> 1 }", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "cyberkg: <command line>: this is a SPARQL update, not a query; cyberkg runs updates only at /update of a server started with 'cyberkg serve --writable' (and 'cyberkg load' adds RDF files)"
    );
}

/// One HTTP/1.1 request to `/query`, the query as an
/// `application/sparql-query` body; the status line and the body.
fn post_query(port: u16, query: &str) -> (String, String) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return (String::new(), String::new());
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let _ = write!(
        stream,
        "POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/sparql-results+json\r\nContent-Type: application/sparql-query\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{query}",
        query.len()
    );
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((&reply, ""));
    (
        head.lines().next().unwrap_or_default().to_owned(),
        body.to_owned(),
    )
}

#[test]
fn the_server_answers_400_and_keeps_serving() {
    let mut server = Server::start(&[]);
    for (text, reason) in [
        (parentheses(1000), "query:1:74: the query nests brackets"),
        (braces(3000), "query:1:74: the query nests brackets"),
        (unions(1200), "the query has more than 1000 operators"),
        (
            "INSERT DATA { <http://e.org/s> <http://e.org/p> 1 }".to_owned(),
            "query: this is a SPARQL update, not a query",
        ),
    ] {
        let (status, body) = post_query(server.port, &text);
        assert!(status.contains(" 400 "), "{status}: {body}");
        assert!(body.contains(reason), "{body}");
    }
    // Within the limits, but deeper than a request thread's default stack
    // when the server checks, writes back and drops its algebra.
    let (status, body) = post_query(
        server.port,
        &format!("SELECT (1{} AS ?x) {{}}", " + 1".repeat(990)),
    );
    assert!(status.contains(" 200 "), "{status}: {body}");
    assert!(body.contains("\"991\""), "{body}");
    let (status, body) = post_query(server.port, "ASK {}");
    assert!(status.contains(" 200 "), "still serving: {status}: {body}");
    assert!(server.child.try_wait().ok().flatten().is_none(), "alive");
}

#[test]
fn max_memory_stops_a_query_that_keeps_allocating() {
    let directory = tempfile::tempdir().expect("temp dir");
    let output_file = directory.path().join("n.tsv");
    // Each BIND doubles the string: 2^40 characters unless stopped.
    let mut greedy =
        String::from("SELECT (STRLEN(?v40) AS ?n) WHERE { BIND(\"0123456789\" AS ?v0)");
    for i in 1..=40 {
        greedy.push_str(&format!(" BIND(CONCAT(?v{p}, ?v{p}) AS ?v{i})", p = i - 1));
    }
    greedy.push('}');
    let output = cyberkg()
        .args(["query", "--max-memory-mb", "64", "-o"])
        .arg(&output_file)
        .arg(&greedy)
        .timeout(RUN_LIMIT)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "cyberkg: <command line>: the query needed more than 64 MiB of memory (--max-memory-mb) and was stopped"
    );
    let left: Vec<_> = std::fs::read_dir(directory.path())
        .expect("listed")
        .collect();
    assert!(left.is_empty(), "no output or temporary file: {left:?}");
    // A query within the cap answers as usual.
    let (code, stdout, stderr) = query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?p a doco:Paragraph }",
        &["--max-memory-mb", "64"],
    );
    assert_eq!((code, stdout.trim_end()), (Some(0), "?n\n116"), "{stderr}");
}

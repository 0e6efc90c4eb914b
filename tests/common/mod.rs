//! Helpers shared by the integration tests.

// `allow`, not `expect`: a helper is dead in some test binaries and live
// in others, so an `expect` would fail in the binaries that use them all.
#![allow(
    dead_code,
    reason = "each test binary uses its own subset of these helpers"
)]

pub mod cyberkg_server;
pub mod oxigraph_server;
pub mod virtuoso;

use assert_cmd::Command;
use oxigraph::store::Store;

/// The real `cyberkg` binary, ready for arguments.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn cyberkg() -> Command {
    Command::cargo_bin("cyberkg").expect("the cyberkg binary")
}

/// Runs cyberkg with `args`; asserts exit code `code`, empty stdout and exactly `message` on stderr.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn fails(args: &[&str], code: i32, message: &str) {
    let output = cyberkg().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end(), format!("cyberkg: {message}"), "{args:?}");
    assert!(output.stdout.is_empty(), "{args:?} printed on stdout");
    assert!(!stderr.contains("panicked"), "{args:?}");
}

/// Writes `text` as `name` in `directory` and returns its path.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn write(
    directory: &std::path::Path,
    name: &str,
    text: impl AsRef<[u8]>,
) -> std::path::PathBuf {
    let path = directory.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("folders");
    }
    std::fs::write(&path, text).expect("written");
    path
}

/// Runs `cyberkg query` with a SELECT over the corpus the arguments name;
/// the CSV rows, header first, the rest sorted.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn select_corpus(corpus_args: &[&str], query: &str) -> Vec<String> {
    let output = cyberkg()
        .arg("query")
        .args(corpus_args)
        .args(["-q", "-r", "csv", query])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    if lines.len() > 1 {
        lines[1..].sort();
    }
    lines
}

/// The built-in parallel text cut into two pages before Chapter III; the
/// second opens with the title line followed by `marker` (a page marker
/// such as `(2)`), as a saved web page does.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn built_in_pages(marker: &str) -> (String, String) {
    let text = include_str!("../../data/corpus/strategy-parallel-zh-en.txt");
    let lines: Vec<&str> = text.split('\n').collect();
    let chapter_3 = lines
        .iter()
        .position(|l| l.contains("第三章"))
        .expect("chapter 3");
    (
        lines[..chapter_3].join("\n") + "\n",
        format!("{}{marker}\n{}", lines[0], lines[chapter_3..].join("\n")),
    )
}

/// The graph of the built-in corpus in a fresh in-memory store.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn default_store() -> Store {
    cyberkg::pipeline::builtin()
        .expect("the built-in graph builds")
        .store
}

/// Runs a SELECT over the union graph; each row maps variable names to the
/// lexical form of the value (IRIs without brackets).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn select(store: &Store, query: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    use oxigraph::model::Term;
    use oxigraph::sparql::QueryResults;
    let prepared = cyberkg::sparql::prepare(query, "test", &cyberkg::sparql::Services::none())
        .expect("valid query");
    let QueryResults::Solutions(solutions) = prepared.on_store(store).execute().expect("runs")
    else {
        panic!("not a SELECT");
    };
    solutions
        .map(|row| {
            row.expect("row")
                .iter()
                .map(|(variable, term)| {
                    let value = match term {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    };
                    (variable.as_str().to_owned(), value)
                })
                .collect()
        })
        .collect()
}

/// Runs the real binary with `args` on a pseudo-terminal (util-linux's
/// `script`, 100 columns), as a user at a terminal would; returns everything
/// it wrote there (stdout and stderr together, with terminal control codes).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn on_terminal(args: &[&str]) -> String {
    let binary = assert_cmd::cargo::cargo_bin("cyberkg");
    let quote = |word: &str| format!("'{}'", word.replace('\'', "'\\''"));
    let mut command = format!("stty cols 100; {}", quote(&binary.to_string_lossy()));
    for arg in args {
        command.push(' ');
        command.push_str(&quote(arg));
    }
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script runs (util-linux; .ci/setup installs it when missing)");
    assert!(output.status.success(), "{command}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `cyberkg export --split-quads` with `args` (the store's flags and
/// more) into `directory`, and returns its manifest.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn split_export(args: &[&str], directory: &std::path::Path) -> serde_json::Value {
    let output = cyberkg()
        .args(["export", "-q"])
        .args(args)
        .arg("--output-dir")
        .arg(directory)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty() && stderr.is_empty(), "{stderr}");
    let manifest = std::fs::read_to_string(directory.join("manifest.json")).expect("a manifest");
    serde_json::from_str(&manifest).expect("manifest.json is JSON")
}

/// The quads of each graph of the store the arguments name, as cyberkg's
/// own SPARQL counts them: `(graph IRI, quads)`, sorted.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn graph_counts(corpus_args: &[&str]) -> Vec<(String, u64)> {
    select_corpus(
        corpus_args,
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    )
    .iter()
    .skip(1)
    .map(|row| {
        let (graph, count) = row.rsplit_once(',').expect("two columns");
        (graph.to_owned(), count.parse().expect("a count"))
    })
    .collect()
}

/// SPARQL JSON results as rows, each mapping variables to values (the
/// lexical form, without type or language: what two engines must agree on).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn json_rows(answer: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let json: serde_json::Value = serde_json::from_str(answer).expect("JSON results");
    json["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|row| {
            row.as_object()
                .expect("row")
                .iter()
                .map(|(variable, value)| {
                    (
                        variable.clone(),
                        value["value"].as_str().expect("value").to_owned(),
                    )
                })
                .collect()
        })
        .collect()
}

/// A split export manifest's quads per graph, `(graph IRI, quads)`, sorted
/// (cyberkg's graphs are all named).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn manifest_graph_counts(manifest: &serde_json::Value) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = manifest["graphs"]
        .as_array()
        .expect("graphs")
        .iter()
        .map(|g| {
            (
                g["graph"].as_str().expect("named").to_owned(),
                g["quads"].as_u64().expect("count"),
            )
        })
        .collect();
    counts.sort();
    counts
}

/// The file names of `directory`, sorted.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn names(directory: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("a directory")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

//! The split export handed to a real big engine: Debian's Virtuoso loads
//! the `.nq.gz` files with its own bulk loader (`ld_dir`, `rdf_loader_run`,
//! `checkpoint`), and then holds, graph for graph, the quads cyberkg's own
//! store counts, and answers the named queries as cyberkg does. Virtuoso
//! adds graphs of its own (`http://www.openlinksw.com/schemas/virtrdf#`,
//! …); only cyberkg's are compared. Values are compared by their lexical
//! form (Virtuoso writes `typed-literal` where SPARQL 1.1 JSON says
//! `literal`).

mod common;
use common::virtuoso::Virtuoso;
use common::{cyberkg, graph_counts, json_rows, manifest_graph_counts, split_export};

use std::collections::BTreeMap;
use std::path::Path;

/// Named queries whose answers Virtuoso must give as cyberkg does: each
/// touches only cyberkg's vocabulary, so Virtuoso's own graphs (in its
/// default graph, the union of all) cannot add rows. Not `outline-un`:
/// Virtuoso 7.2.5 binds `?section` in rows where the OPTIONAL group that
/// binds it does not match (a chapter gets a section number), which is
/// Virtuoso's evaluation of OPTIONAL, not a difference in the loaded data.
const COMPARED_QUERIES: &[&str] = &[
    "paragraph-counts",
    "editions",
    "un-bodies",
    "timeline",
    "forums-for-partnership",
];

/// The graphs of cyberkg's base.
const GRAPH_PREFIX: &str = "https://w3id.org/cyberkg/graph/";

/// Per-graph quads of the graphs under cyberkg's base, as Virtuoso counts them.
#[expect(clippy::expect_used)]
fn virtuoso_graph_counts(virtuoso: &Virtuoso) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = virtuoso
        .select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        .into_iter()
        .filter(|row| row["g"].starts_with(GRAPH_PREFIX))
        .map(|row| (row["g"].clone(), row["n"].parse().expect("a count")))
        .collect();
    counts.sort();
    counts
}

/// cyberkg's own answer to a named query, rows sorted.
#[expect(clippy::expect_used)]
fn cyberkg_answer(corpus_args: &[&str], name: &str) -> Vec<BTreeMap<String, String>> {
    let output = cyberkg()
        .args(["query", "-q", "-r", "json", "--name", name])
        .args(corpus_args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut rows = json_rows(&String::from_utf8_lossy(&output.stdout));
    rows.sort();
    rows
}

#[test]
fn virtuoso_bulk_loads_the_split_files_and_answers_as_cyberkg() {
    let directory = tempfile::tempdir().expect("temp dir");
    let files = directory.path().join("dump");
    let manifest = split_export(&["--split-quads", "5000"], &files);
    let files = std::fs::canonicalize(&files).expect("absolute");
    let virtuoso = Virtuoso::start(&files);
    virtuoso.bulk_load(&files, "*.nq.gz");

    let loaded = virtuoso_graph_counts(&virtuoso);
    assert_eq!(
        loaded,
        manifest_graph_counts(&manifest),
        "{}",
        virtuoso.log()
    );
    assert_eq!(loaded, graph_counts(&[]));
    assert_eq!(
        loaded.iter().map(|(_, quads)| quads).sum::<u64>(),
        manifest["quads"].as_u64().expect("quads")
    );

    for name in COMPARED_QUERIES {
        let query = cyberkg::queries::named(name).expect("a named query");
        let mut answer = virtuoso.select(query);
        answer.sort();
        let expected = cyberkg_answer(&[], name);
        assert!(!expected.is_empty(), "{name} has an answer");
        assert_eq!(answer, expected, "{name}");
    }
}

#[test]
fn virtuoso_loads_a_hundred_generated_documents_graph_for_graph() {
    let directory = tempfile::tempdir().expect("temp dir");
    let corpus = directory.path().join("corpus");
    let made = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/make-corpus"))
        .arg("100")
        .arg(&corpus)
        .args(["--layouts", "un,parallel,markdown"])
        .output()
        .expect("python3 runs benches/make-corpus");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let corpus = corpus.to_str().expect("UTF-8");
    let files = directory.path().join("dump");
    let manifest = split_export(&["--corpus", corpus, "--split-quads", "100000"], &files);
    assert!(manifest["files"].as_array().map(Vec::len) > Some(1));
    let files = std::fs::canonicalize(&files).expect("absolute");
    let virtuoso = Virtuoso::start(&files);
    virtuoso.bulk_load(&files, "*.nq.gz");
    let loaded = virtuoso_graph_counts(&virtuoso);
    assert_eq!(loaded, manifest_graph_counts(&manifest));
    assert_eq!(loaded, graph_counts(&["--corpus", corpus]));
}

//! Canonical N-Quads, `hash`, `verify` and `load`, through the real binary:
//! the canonical bytes are the same from run to run and after a round trip
//! through an N-Quads file, and they (and so the hash) are the bytes pyld, an
//! independent RDFC-1.0 (URDNA2015) implementation, writes; `verify` tells
//! an exact export from an edited one, with counts and examples; bad files
//! are reported as FILE:line:column and load nothing.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside #[test] functions: a failed precondition should stop the test"
)]

mod common;
use common::cyberkg;

use sha2::{Digest, Sha256};
use std::path::Path;

/// What a run printed on stdout (it must succeed).
fn stdout_of(args: &[&str]) -> String {
    let output = cyberkg().args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "cyberkg {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The canonical N-Quads of the built-in graph.
fn canonical() -> String {
    stdout_of(&["export", "--canonical"])
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 path")
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// pyld's canonical N-Quads of an N-Quads file (installed by .ci/setup).
fn pyld_canonical(file: &Path) -> String {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/pyld_canonical.py"
    );
    let output = std::process::Command::new("python3")
        .arg(script)
        .arg(file)
        .output()
        .expect("python3 runs (bash .ci/setup installs pyld)");
    assert!(
        output.status.success(),
        "pyld failed (bash .ci/setup installs it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn canonical_export_is_the_same_bytes_every_run_sorted_one_quad_a_line() {
    let first = canonical();
    let second = stdout_of(&["export", "--format", "nquads", "--canonical"]);
    assert!(first == second, "two canonical exports differ");
    assert!(first.ends_with(" .\n"));
    let lines: Vec<&str> = first.lines().collect();
    assert!(lines.len() > 1000, "the whole graph: {} lines", lines.len());
    assert!(
        lines
            .windows(2)
            .all(|pair| pair[0].as_bytes() < pair[1].as_bytes()),
        "lines are sorted by code point and distinct"
    );
    assert!(
        !first.contains("^^<http://www.w3.org/2001/XMLSchema#string>"),
        "canonical N-Quads leave out xsd:string"
    );
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("canonical.nq");
    cyberkg()
        .args(["export", "--canonical", "-o", path_str(&file)])
        .assert()
        .success()
        .stdout("");
    assert!(std::fs::read_to_string(&file).expect("written") == first);
}

#[test]
fn canonical_with_another_format_is_a_usage_error() {
    for args in [
        &["export", "--canonical", "--format", "turtle"][..],
        &["export", "--canonical", "-o", "graph.ttl"][..],
    ] {
        cyberkg()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr("cyberkg: --canonical writes RDFC-1.0 canonical N-Quads only, not turtle; use --format nquads (or an .nq file)\n");
    }
}

#[test]
fn hash_and_canonical_bytes_equal_pyld_an_independent_canonicalizer() {
    let directory = tempfile::tempdir().expect("temp dir");
    let export = directory.path().join("graph.nq");
    cyberkg()
        .args(["export", "-o", path_str(&export)])
        .assert()
        .success();
    let expected = pyld_canonical(&export);
    let ours = canonical();
    assert!(
        ours == expected,
        "cyberkg's canonical N-Quads differ from pyld's"
    );
    let quads = expected.lines().count();
    cyberkg().arg("hash").assert().success().stdout(format!(
        "sha256:{} (RDFC-1.0 canonical N-Quads, {quads} quads)\n",
        sha256_hex(expected.as_bytes())
    ));
}

#[test]
fn blank_nodes_get_the_labels_pyld_gives_them() {
    // Two isomorphic blank-node cycles in a named graph, a blank graph name,
    // and a blank node told apart only by its neighbours: RDFC-1.0's
    // hard cases, where a fake canonicalizer would differ.
    let text = r#"_:a <http://e.org/p> _:b <http://e.org/g> .
_:b <http://e.org/p> _:c <http://e.org/g> .
_:c <http://e.org/p> _:a <http://e.org/g> .
_:x <http://e.org/p> _:y <http://e.org/g> .
_:y <http://e.org/p> _:z <http://e.org/g> .
_:z <http://e.org/p> _:x <http://e.org/g> .
_:a <http://e.org/label> "tab\there \"quoted\" \\ back"@en _:graph .
_:m <http://e.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
_:m <http://e.org/q> _:n .
_:n <http://e.org/q> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://e.org/s> <http://e.org/p> "plain"^^<http://www.w3.org/2001/XMLSchema#string> .
"#;
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("blank.nq");
    std::fs::write(&file, text).expect("written");
    let quads = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
        .for_slice(text)
        .collect::<Result<Vec<_>, _>>()
        .expect("valid N-Quads");
    let ours = cyberkg::canonical::CanonicalNQuads::new(quads);
    let expected = pyld_canonical(&file);
    assert_eq!(String::from_utf8(ours.to_bytes()).expect("UTF-8"), expected);
    assert!(expected.contains("_:c14n0"), "pyld relabelled: {expected}");
}

#[test]
fn verify_says_an_exact_export_holds_the_same_dataset() {
    let directory = tempfile::tempdir().expect("temp dir");
    let quads = canonical().lines().count();
    let nquads = directory.path().join("graph.nq");
    let turtle = directory.path().join("graph.ttl");
    let unknown = directory.path().join("graph.txt");
    for file in [&nquads, &turtle] {
        cyberkg()
            .args(["export", "-o", path_str(file)])
            .assert()
            .success();
    }
    std::fs::copy(&nquads, &unknown).expect("copied");
    cyberkg()
        .args(["verify", path_str(&nquads)])
        .assert()
        .success()
        .stdout(format!(
            "{}: the same dataset as the store ({quads} quads, compared graph by graph)\n",
            nquads.display()
        ));
    // The graph holds each triple in one graph only, so the union has as many.
    cyberkg()
        .args(["verify", path_str(&turtle)])
        .assert()
        .success()
        .stdout(format!(
            "{}: the same graph as the store ({quads} triples, compared with the union of the store's graphs)\n",
            turtle.display()
        ));
    cyberkg()
        .args(["verify", path_str(&unknown), "--format", "nquads"])
        .assert()
        .success();
    cyberkg()
        .args(["verify", path_str(&unknown)])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "cyberkg: cannot tell the RDF format of '{}' from its extension; add --format (one of turtle, ntriples, nquads, trig, rdfxml, jsonld)\n",
            unknown.display()
        ));
}

#[test]
fn verify_reads_the_file_again_with_sophia() {
    let directory = tempfile::tempdir().expect("temp dir");
    let trig = directory.path().join("graph.trig");
    cyberkg()
        .args(["export", "-o", path_str(&trig)])
        .assert()
        .success();
    let quads = canonical().lines().count();
    cyberkg()
        .args(["verify", "-v", path_str(&trig)])
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "sophia, an independent RDF parser, also reads {} as isomorphic to the store ({quads} of {quads} statements)",
            trig.display()
        )));
}

#[test]
fn verify_counts_and_shows_what_an_edited_export_lacks_and_adds() {
    let canonical = canonical();
    let lines: Vec<&str> = canonical.lines().collect();
    let removed = [3, 50, 400, 700, 900, 1000, 1001];
    let kept: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(index, _)| !removed.contains(index))
        .map(|(_, line)| *line)
        .collect();
    let added = [
        "<http://example.org/s> <http://example.org/p> \"added\"@en <https://w3id.org/cyberkg/graph/text> .",
        "<http://example.org/s> <http://example.org/p> <http://example.org/o> .",
    ];
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("edited.nq");
    let mut text = kept.join("\n");
    text.push('\n');
    text.push_str(&added.join("\n"));
    text.push('\n');
    std::fs::write(&file, text).expect("written");

    let name = file.display();
    let mut expected = format!(
        "7 quads of the store's {} missing from {name}:\n",
        lines.len()
    );
    for index in &removed[..5] {
        expected.push_str(&format!("  {}\n", lines[*index]));
    }
    expected.push_str("  … and 2 more\n");
    expected.push_str(&format!("2 quads of {name} not in the store:\n"));
    // Canonical order: '"' sorts before '<'.
    expected.push_str(&format!("  {}\n  {}\n", added[0], added[1]));
    cyberkg()
        .args(["verify", path_str(&file)])
        .assert()
        .code(1)
        .stdout(expected)
        .stderr(format!(
            "cyberkg: {name} differs from the store: 7 quads missing, 2 extra (compared graph by graph)\n"
        ));
}

#[test]
fn bad_files_are_reported_at_their_line_and_column() {
    let directory = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "bad.nt",
            "<http://e.org/s> <http://e.org/p> \"x\" .\n<http://e.org/s> <http://e.org/p> .\n",
            "2:35: The object of a triple must be an IRI, a blank node or a literal",
        ),
        (
            "bad.ttl",
            "@prefix ex: <http://e.org/> .\nex:a ex:b ex:c .\nex:a ex:b nope:c .\n",
            "3:11: The prefix nope: has not been declared",
        ),
        (
            "bad.nq",
            "<http://e.org/s> <http://e.org/p> \"x\" <http://e.org/g> .\n<http://e.org/s> <http://e.org/p> \"unterminated <http://e.org/g> .\n",
            "2:35: Unexpected end of file",
        ),
        (
            "bad.jsonld",
            "{\"@id\": \n",
            "2:1: Unexpected end of file, a value was expected",
        ),
    ];
    for (name, text, error) in cases {
        let file = directory.path().join(name);
        std::fs::write(&file, text).expect("written");
        for command in ["verify", "load"] {
            cyberkg()
                .args([command, path_str(&file)])
                .assert()
                .code(1)
                .stdout("")
                .stderr(format!("cyberkg: {}:{error}\n", file.display()));
        }
    }
    let missing = directory.path().join("missing.nt");
    cyberkg()
        .args(["verify", path_str(&missing)])
        .assert()
        .code(1)
        .stderr(format!(
            "cyberkg: cannot read {}: No such file or directory (os error 2)\n",
            missing.display()
        ));
}

#[test]
fn load_adds_each_file_to_its_own_graph_of_a_fresh_in_memory_build() {
    let quads = canonical().lines().count();
    let directory = tempfile::tempdir().expect("temp dir");
    let wikidata = directory.path().join("wikidata extract.ttl");
    std::fs::write(
        &wikidata,
        "@prefix wd: <http://www.wikidata.org/entity/> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         wd:Q7886981 rdfs:label \"ASEAN Regional Forum\"@en ; wd:P31 _:class .\n\
         _:class rdfs:label \"forum\"@en .\n",
    )
    .expect("written");
    let export = directory.path().join("graph.nq");
    cyberkg()
        .args(["export", "-o", path_str(&export)])
        .assert()
        .success();
    cyberkg()
        .args(["load", path_str(&wikidata), path_str(&export)])
        .assert()
        .success()
        .stdout(format!(
            "{}: 3 quads into <https://w3id.org/cyberkg/graph/external/wikidata-extract> (3 new)\n\
             {}: {quads} quads into 6 graphs (0 new)\n\
             Loaded 3 new quads from 2 files into a fresh in-memory build, which now holds {} quads; it is not kept (add --location DIR to keep it).\n",
            wikidata.display(),
            export.display(),
            quads + 3
        ));
    cyberkg()
        .args([
            "load",
            path_str(&wikidata),
            "--graph",
            "https://example.org/wd",
            "--base",
            "https://example.org/kg/",
        ])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(format!(
            "{}: 3 quads into <https://example.org/wd> (3 new)\n",
            wikidata.display()
        )));
    cyberkg()
        .args(["load", path_str(&wikidata), "--graph", "not an iri"])
        .assert()
        .code(2)
        .stderr("cyberkg: invalid --graph 'not an iri': not an absolute IRI\n");
}

/// The same build, written to an N-Quads file and loaded into a new on-disk
/// store, has the same canonical bytes and hash; a load that fails changes nothing.
#[cfg(feature = "rocksdb")]
#[test]
fn a_build_loaded_from_n_quads_has_the_same_canonical_bytes_and_loads_are_atomic() {
    let directory = tempfile::tempdir().expect("temp dir");
    let export = directory.path().join("graph.nq");
    let store = directory.path().join("store");
    cyberkg()
        .args(["export", "-o", path_str(&export)])
        .assert()
        .success();
    cyberkg()
        .args(["load", "--location", path_str(&store), path_str(&export)])
        .assert()
        .success();
    let in_memory = canonical();
    let loaded = stdout_of(&["export", "--canonical", "--location", path_str(&store)]);
    assert!(
        loaded == in_memory,
        "the loaded store's canonical N-Quads differ"
    );
    let hash = stdout_of(&["hash"]);
    assert_eq!(stdout_of(&["hash", "--location", path_str(&store)]), hash);

    let good = directory.path().join("good.nt");
    let bad = directory.path().join("bad.nt");
    std::fs::write(&good, "<http://e.org/s> <http://e.org/p> \"x\" .\n").expect("written");
    std::fs::write(&bad, "<http://e.org/s> <http://e.org/p> .\n").expect("written");
    cyberkg()
        .args([
            "load",
            "--location",
            path_str(&store),
            path_str(&good),
            path_str(&bad),
        ])
        .assert()
        .code(1)
        .stderr(format!(
            "cyberkg: {}:1:35: The object of a triple must be an IRI, a blank node or a literal\n",
            bad.display()
        ));
    assert_eq!(stdout_of(&["hash", "--location", path_str(&store)]), hash);
    cyberkg()
        .args(["load", "--location", path_str(&store), path_str(&good)])
        .assert()
        .success();
    assert_ne!(stdout_of(&["hash", "--location", path_str(&store)]), hash);
    cyberkg()
        .args([
            "query",
            "--location",
            path_str(&store),
            "-r",
            "csv",
            "SELECT ?o WHERE { GRAPH <https://w3id.org/cyberkg/graph/external/good> { ?s ?p ?o } }",
        ])
        .assert()
        .success()
        .stdout("o\r\nx\r\n");
}

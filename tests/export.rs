//! Exports: every format parses back, with parsers other than the writer, to
//! the graph in the store; exports are byte-identical from run to run; the
//! whole graph matches a snapshot that changes only on purpose.

mod common;
use common::{cyberkg, default_store};

use cyberkg::crosscheck;
use cyberkg::export::{ALL_FORMATS, ExportFormat, write_store};
use oxigraph::store::Store;
use std::path::Path;

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn export(store: &Store, format: ExportFormat) -> String {
    let mut out = Vec::new();
    write_store(store, None, format, &mut out).expect("export");
    String::from_utf8(out).expect("exports are UTF-8")
}

#[test]
fn every_format_parses_back_with_sophia_to_the_graph_in_the_store() {
    let store = default_store();
    let reference = export(&store, ExportFormat::NQuads);
    assert_eq!(
        reference.lines().count(),
        store.len().expect("len"),
        "the N-Quads reference holds every quad"
    );
    let distinct_triples = {
        let mut triples: Vec<_> = reference
            .lines()
            .map(|l| l.rsplitn(3, ' ').nth(2).unwrap_or_default().to_owned())
            .collect();
        triples.sort();
        triples.dedup();
        triples.len()
    };
    for format in ALL_FORMATS
        .into_iter()
        .filter(|f| *f != ExportFormat::RdfXml)
    {
        let text = export(&store, format);
        let check = crosscheck::compare(&reference, format, &text)
            .unwrap_or_else(|e| panic!("{format}: {e}"));
        let expected = if format.is_dataset() {
            store.len().expect("len")
        } else {
            distinct_triples
        };
        assert_eq!(
            (check.isomorphic, check.expected, check.found),
            (true, expected, expected),
            "{format}"
        );
    }
}

#[test]
fn every_format_written_by_the_cli_parses_back_with_rdflib() {
    let directory = tempfile::tempdir().expect("temp dir");
    let reference = directory.path().join("reference.nq");
    cyberkg()
        .args(["export", "--format", "nquads", "-o"])
        .arg(&reference)
        .assert()
        .success()
        .stdout("");
    let mut checks = Vec::new();
    for format in ALL_FORMATS {
        let file = directory
            .path()
            .join(format!("graph.{}", format.extension()));
        cyberkg()
            .arg("export")
            .arg("-o")
            .arg(&file)
            .assert()
            .success();
        checks.push(format!("{}:{}", file.display(), format.name()));
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/rdflib_check.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .arg(&reference)
        .args(&checks)
        .output()
        .expect("python3 runs (the test set-up installs it with rdflib: see .ci/test)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "rdflib found a difference or is missing (pip install rdflib):\n{stdout}{stderr}"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.ends_with("same as the reference"))
            .count(),
        ALL_FORMATS.len(),
        "{stdout}"
    );
}

#[test]
fn exports_are_byte_identical_from_run_to_run_and_file_equals_stdout() {
    let directory = tempfile::tempdir().expect("temp dir");
    for format in ALL_FORMATS {
        let first = cyberkg()
            .args(["export", "--format", format.name()])
            .output()
            .expect("runs");
        let second = cyberkg()
            .args(["export", "--format", format.name()])
            .output()
            .expect("runs");
        assert!(
            first.status.success() && !first.stdout.is_empty(),
            "{format}"
        );
        assert!(first.stdout == second.stdout, "{format}: two runs differ");
        let file = directory
            .path()
            .join(format!("graph.{}", format.extension()));
        cyberkg()
            .arg("export")
            .arg("-o")
            .arg(&file)
            .assert()
            .success();
        assert!(
            std::fs::read(&file).expect("written") == first.stdout,
            "{format}: -o differs from stdout"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(directory.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );
}

#[test]
fn turtle_starts_with_the_prefixes_in_a_fixed_order() {
    let turtle = export(&default_store(), ExportFormat::Turtle);
    let prefixes: Vec<&str> = turtle
        .lines()
        .take_while(|l| l.starts_with("@prefix"))
        .collect();
    assert_eq!(prefixes.len(), 15, "{prefixes:?}");
    assert_eq!(
        prefixes[0],
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> ."
    );
    assert!(
        turtle.contains("<https://w3id.org/cyberkg/iscc2017/en-un/chapter-4> a doco:Chapter ;"),
        "pretty Turtle: `a` first, prefixed names"
    );
}

#[test]
fn exporting_one_graph_keeps_only_its_quads() {
    let output = cyberkg()
        .args([
            "export",
            "--format",
            "nquads",
            "--graph",
            "https://w3id.org/cyberkg/graph/metadata",
        ])
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(text.lines().count() > 3);
    assert!(
        text.lines()
            .all(|l| l.ends_with("<https://w3id.org/cyberkg/graph/metadata> .")),
        "{text}"
    );
}

/// Compares `current` with the snapshot file `name`, or rewrites it when CYBERKG_UPDATE_SNAPSHOTS is set.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn matches_snapshot(name: &str, current: &str) {
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("CYBERKG_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, current).expect("snapshot written");
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap_or_else(|_| {
        panic!("tests/snapshots/{name} exists (refresh with CYBERKG_UPDATE_SNAPSHOTS=1)")
    });
    if expected != current {
        let expected_lines: std::collections::BTreeSet<&str> = expected.lines().collect();
        let current_lines: std::collections::BTreeSet<&str> = current.lines().collect();
        let removed: Vec<_> = expected_lines.difference(&current_lines).take(5).collect();
        let added: Vec<_> = current_lines.difference(&expected_lines).take(5).collect();
        panic!(
            "{name} changed; if on purpose, rerun with CYBERKG_UPDATE_SNAPSHOTS=1.\nremoved: {removed:#?}\nadded: {added:#?}"
        );
    }
}

#[test]
fn the_whole_graph_matches_its_snapshots() {
    // The annotations graph (about 11,000 quads) is kept as one line per
    // mention instead; tests/entities.rs checks every annotation exactly.
    let annotations = "<https://w3id.org/cyberkg/graph/annotations> .";
    let nquads = export(&default_store(), ExportFormat::NQuads);
    let graph: String = nquads
        .lines()
        .filter(|l| !l.ends_with(annotations))
        .map(|l| format!("{l}\n"))
        .collect();
    matches_snapshot("default-graph.nq", &graph);
    let built = cyberkg::pipeline::builtin().expect("builds");
    let mut mentions: Vec<String> = built
        .extracted
        .mentions
        .iter()
        .map(|m| {
            format!(
                "{}/{}\t{}\t{}\t{}\t{}\t{}\n",
                m.document,
                m.path.join("/"),
                m.field.name(),
                m.start,
                m.end,
                m.entity,
                m.exact
            )
        })
        .collect();
    mentions.sort();
    matches_snapshot("mentions.tsv", &mentions.concat());
}

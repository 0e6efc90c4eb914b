//! The layering of the workspace, checked on the dependency graph cargo
//! resolves: the text layer and the search index have no RDF crate anywhere
//! below them, the library
//! knows no server or command line, and the server no command line. The
//! compiler then enforces the rest: a module cannot import from a crate its
//! crate does not depend on.

#![expect(
    clippy::expect_used,
    reason = "test helpers outside #[test] functions: a failed precondition should stop the test"
)]

use std::collections::BTreeSet;

/// The crates a workspace member depends on (normal dependencies, the whole
/// tree below it), from `cargo tree`.
fn dependencies_of(package: &str) -> BTreeSet<String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "--locked",
            "--edges",
            "normal",
            "--prefix",
            "none",
            "--format",
            "{p}",
            "--package",
            package,
            "--manifest-path",
        ])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let names: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(names.contains(package), "cargo tree lists {package} itself");
    names
}

/// Crates that hold or speak RDF.
const RDF_CRATES: &[&str] = &[
    "oxigraph",
    "oxrdf",
    "oxttl",
    "oxrdfxml",
    "oxjsonld",
    "oxrdfio",
    "spargebra",
    "spareval",
    "sparesults",
    "sophia",
    "sophia_api",
    "shacl",
    "rudof_rdf",
];

/// The RDF crates anywhere below `package`.
fn rdf_below(package: &str) -> Vec<&'static str> {
    let dependencies = dependencies_of(package);
    RDF_CRATES
        .iter()
        .copied()
        .filter(|name| dependencies.contains(*name))
        .collect()
}

#[test]
fn the_text_layer_has_no_rdf_crate_below_it() {
    let rdf = rdf_below("cyberkg-text");
    assert!(
        rdf.is_empty(),
        "cyberkg-text depends on the RDF crates {rdf:?}"
    );
    assert!(!dependencies_of("cyberkg-text").contains("cyberkg"));
}

#[test]
fn the_search_index_has_no_rdf_crate_below_it() {
    let rdf = rdf_below("cyberkg-search");
    assert!(
        rdf.is_empty(),
        "cyberkg-search depends on the RDF crates {rdf:?}"
    );
    let dependencies = dependencies_of("cyberkg-search");
    assert!(dependencies.contains("cyberkg-text"));
    assert!(dependencies.contains("tantivy"));
    assert!(!dependencies.contains("cyberkg"));
}

#[test]
fn each_layer_depends_only_on_the_layers_below_it() {
    let library = dependencies_of("cyberkg");
    assert!(library.contains("cyberkg-text"));
    assert!(library.contains("cyberkg-search"));
    assert!(library.contains("oxigraph"));
    for upper in ["cyberkg-server", "cyberkg-cli", "clap"] {
        assert!(!library.contains(upper), "the library depends on {upper}");
    }
    let server = dependencies_of("cyberkg-server");
    assert!(server.contains("cyberkg"));
    for upper in ["cyberkg-cli", "clap"] {
        assert!(!server.contains(upper), "the server depends on {upper}");
    }
}

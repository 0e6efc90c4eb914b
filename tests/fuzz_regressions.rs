//! Every input the fuzzers found a crash with, replayed through the same
//! target body (`fuzz/src/lib.rs`, compiled in here), and every seed of the
//! fuzz corpora: none may panic. Inputs are files under
//! `tests/fuzz-regressions/<target>/` (added with the fix of what they
//! found; see docs/fuzzing.md) and `fuzz/corpus/<target>/`.

#[path = "../fuzz/src/lib.rs"]
mod targets;

use std::path::{Path, PathBuf};

/// The files directly under `directory`, sorted (none if it does not exist).
fn files(directory: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Runs `target` on every regression input and seed of `name`; returns
/// how many seeds there were, so that a test sees its corpus was found.
fn replay(name: &str, target: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regressions = files(&root.join("tests/fuzz-regressions").join(name));
    let seeds = files(&root.join("fuzz/corpus").join(name));
    for path in regressions.iter().chain(&seeds) {
        let data = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        eprintln!("replaying {}", path.display());
        target(&data);
    }
    seeds.len()
}

#[test]
fn un_layout_inputs_never_panic() {
    assert!(replay("un_layout", targets::un_layout) > 0);
}

#[test]
fn parallel_layout_inputs_never_panic() {
    assert!(replay("parallel_layout", targets::parallel_layout) > 0);
}

#[test]
fn markdown_layout_inputs_never_panic() {
    assert!(replay("markdown_layout", targets::markdown_layout) > 0);
}

#[test]
fn load_formats_inputs_never_panic() {
    assert!(replay("load_formats", targets::load_formats) > 0);
}

#[test]
fn sparql_inputs_never_panic() {
    assert!(replay("sparql", targets::sparql) > 0);
}

#[test]
fn http_request_inputs_never_panic() {
    assert!(replay("http_request", targets::http_request) > 0);
}

#[test]
fn requests_are_read_from_their_text() {
    let parsed = targets::parse_request(
        b"POST /query?a=1\naccept: text/csv\nContent-Type: application/sparql-query\nFuzz-Writable: yes\n\nASK {}",
    );
    let parsed = parsed.map(|(request, writable)| {
        (
            request.path,
            request.query,
            request.accept,
            request.content_type,
            request.body,
            writable,
        )
    });
    assert_eq!(
        parsed,
        Some((
            "/query".to_owned(),
            "a=1".to_owned(),
            Some("text/csv".to_owned()),
            Some("application/sparql-query".to_owned()),
            b"ASK {}".to_vec(),
            true
        ))
    );
}

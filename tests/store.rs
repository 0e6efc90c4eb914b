//! The on-disk store (`--location`, cargo feature `rocksdb`): a build
//! persists, reads give the same answers and byte-identical exports as the
//! in-memory store, a rebuild replaces the build's graphs (under any base)
//! and keeps loaded ones, and a store held by another process is a clear
//! error.
#![cfg(feature = "rocksdb")]

mod common;
use common::cyberkg;

use predicates::prelude::*;

#[test]
fn a_build_persists_and_reads_like_the_in_memory_store() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("store");
    let path = store.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "in the store at {path} in "
        )));
    for format in ["nquads", "turtle", "jsonld"] {
        let on_disk = cyberkg()
            .args(["export", "--location", path, "--format", format])
            .output()
            .expect("runs");
        let in_memory = cyberkg()
            .args(["export", "--format", format])
            .output()
            .expect("runs");
        assert!(
            on_disk.status.success(),
            "{}",
            String::from_utf8_lossy(&on_disk.stderr)
        );
        assert!(
            on_disk.stdout == in_memory.stdout,
            "{format}: the on-disk export differs from the in-memory one"
        );
    }
    let query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a doco:Paragraph }";
    cyberkg()
        .args(["query", "--location", path, "-r", "csv", query])
        .assert()
        .success()
        .stdout("n\r\n116\r\n");
    // A second build replaces the first instead of adding to it.
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .success();
    let again = cyberkg()
        .args(["export", "--location", path, "--format", "nquads"])
        .output()
        .expect("runs");
    let in_memory = cyberkg()
        .args(["export", "--format", "nquads"])
        .output()
        .expect("runs");
    assert!(
        again.stdout == in_memory.stdout,
        "a rebuild must not duplicate or keep stale quads"
    );
}

#[test]
fn a_rebuild_keeps_loaded_graphs_and_drops_the_old_build() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("store");
    let path = store.to_str().expect("UTF-8");
    let extract = directory.path().join("wikidata-extract.nt");
    let loaded = "<http://www.wikidata.org/entity/Q1065> <http://www.w3.org/2000/01/rdf-schema#label> \"United Nations\"@en <https://w3id.org/cyberkg/graph/external/wikidata-extract> .\n";
    std::fs::write(
        &extract,
        loaded.replace(
            " <https://w3id.org/cyberkg/graph/external/wikidata-extract>",
            "",
        ),
    )
    .expect("written");
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .success();
    cyberkg()
        .args(["load", "--location", path])
        .arg(&extract)
        .assert()
        .success();
    // Rebuilt under another base: the old build goes, the loaded graph stays.
    let base = "https://example.org/kg/";
    cyberkg()
        .args(["build", "--location", path, "--base", base])
        .assert()
        .success();
    let on_disk = cyberkg()
        .args(["export", "--location", path, "--format", "nquads"])
        .output()
        .expect("runs");
    let in_memory = cyberkg()
        .args(["export", "--base", base, "--format", "nquads"])
        .output()
        .expect("runs");
    let mut expected: Vec<String> = String::from_utf8(in_memory.stdout)
        .expect("UTF-8")
        .lines()
        .chain(loaded.lines())
        .map(str::to_owned)
        .collect();
    expected.sort();
    let mut found: Vec<String> = String::from_utf8(on_disk.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect();
    found.sort();
    assert_eq!(found.len(), expected.len());
    assert!(
        found == expected,
        "the rebuilt store is not the new build plus the loaded graph"
    );
}

#[test]
fn a_store_held_by_another_process_is_a_clear_error() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("store");
    let path = store.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .success();
    // This test process holds the store open (RocksDB's LOCK) while the binary tries to use it.
    let held = oxigraph::store::Store::open(&store).expect("opened by the test");
    let message = format!(
        "cyberkg: the store at {path} is in use by another process (for example a running `cyberkg serve` or `oxigraph serve`); stop it or use another --location\n"
    );
    for args in [
        vec!["query", "--location", path, "ASK {}"],
        vec!["build", "--location", path],
        vec!["export", "--location", path],
    ] {
        cyberkg()
            .args(&args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(message.clone());
    }
    drop(held);
    cyberkg()
        .args([
            "query",
            "--location",
            path,
            "-r",
            "csv",
            "ASK { ?s a doco:Chapter }",
        ])
        .assert()
        .success();
}

#[test]
fn location_must_be_a_directory_holding_a_build() {
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("file");
    std::fs::write(&file, "not a store").expect("written");
    let path = file.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .code(1)
        .stderr(format!(
            "cyberkg: cannot open a store at {path}: it is a file, not a directory\n"
        ));
    let occupied = directory.path().join("documents");
    std::fs::create_dir(&occupied).expect("created");
    std::fs::write(occupied.join("notes.txt"), "mine").expect("written");
    let occupied = occupied.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "--location", occupied])
        .assert()
        .code(1)
        .stderr(format!("cyberkg: cannot open a store at {occupied}: the directory holds other files and no store; use a new or empty directory\n"));
    let empty = directory.path().join("empty");
    let empty = empty.to_str().expect("UTF-8");
    cyberkg()
        .args(["export", "--location", empty])
        .assert()
        .code(1)
        .stderr(format!("cyberkg: the store at {empty} holds no cyberkg graph; run `cyberkg build --location {empty}` first\n"));
}

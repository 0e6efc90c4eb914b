//! `cyberkg export --split-quads`: numbered N-Quads files of at most N
//! quads, each read on its own by rdflib; decompressed and concatenated
//! they are `export --format nquads` byte for byte; byte-identical from run
//! to run (and, with the `rocksdb` feature, from an on-disk store); the
//! manifest's counts and hashes are the files' and the store's own; the
//! output directory rules; and the exact message of each bad argument.

mod common;
use common::{cyberkg, fails, graph_counts, manifest_graph_counts, names, split_export};

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every file of `directory` with its bytes.
#[expect(clippy::expect_used)]
fn contents(directory: &Path) -> BTreeMap<String, Vec<u8>> {
    names(directory)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(directory.join(&name)).expect("readable");
            (name, bytes)
        })
        .collect()
}

/// A gzip file's content.
#[expect(clippy::expect_used)]
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut text)
        .expect("valid gzip");
    text
}

/// `cyberkg export --format nquads` of the built-in corpus.
#[expect(clippy::expect_used)]
fn whole_export() -> Vec<u8> {
    let output = cyberkg()
        .args(["export", "-q", "--format", "nquads"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    output.stdout
}

/// The data files the manifest lists, as paths in `directory`.
#[expect(clippy::expect_used)]
fn data_files(manifest: &serde_json::Value, directory: &Path) -> Vec<PathBuf> {
    manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| directory.join(file["name"].as_str().expect("a name")))
        .collect()
}

/// rdflib's reading of each file on its own: quads per file and per graph.
#[expect(clippy::expect_used)]
fn rdflib_counts(files: &[PathBuf]) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/nquads_files_check.py");
    let output = std::process::Command::new("python3")
        .arg(script)
        .args(files)
        .output()
        .expect("python3 runs (the test set-up installs it with rdflib: see .ci/test)");
    assert!(
        output.status.success(),
        "rdflib could not read a file on its own:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn split_files_are_the_whole_export_each_readable_alone_and_counted_in_the_manifest() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("dump");
    let manifest = split_export(&["--split-quads", "5000"], &out);
    let files = data_files(&manifest, &out);
    let names: Vec<&str> = manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|file| file["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        [
            "cyberkg-00001.nq.gz",
            "cyberkg-00002.nq.gz",
            "cyberkg-00003.nq.gz",
            "cyberkg-00004.nq.gz",
            "cyberkg-00005.nq.gz"
        ]
    );
    assert_eq!(
        self::names(&out),
        [
            "cyberkg-00001.nq.gz",
            "cyberkg-00002.nq.gz",
            "cyberkg-00003.nq.gz",
            "cyberkg-00004.nq.gz",
            "cyberkg-00005.nq.gz",
            "manifest.json"
        ],
        "no temporary sort run or recipe is left"
    );

    // Decompressed and concatenated: the whole N-Quads export, byte for byte.
    let concatenated: Vec<u8> = files
        .iter()
        .flat_map(|file| gunzip(&std::fs::read(file).expect("readable")))
        .collect();
    let whole = whole_export();
    assert!(concatenated == whole, "the files are not the whole export");
    let total = whole.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(manifest["quads"].as_u64(), Some(total));
    assert_eq!(manifest["quads_per_file"].as_u64(), Some(5000));
    assert_eq!(manifest["compression"], "gzip");
    assert_eq!(manifest["media_type"], "application/n-quads");

    // Each file: at most N quads, whole lines, its size and SHA-256 as listed,
    // and a gzip header with no time and no name.
    for (entry, file) in manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .zip(&files)
    {
        let bytes = std::fs::read(file).expect("readable");
        assert_eq!(entry["bytes"].as_u64(), Some(bytes.len() as u64));
        let sha256: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(entry["sha256"].as_str(), Some(sha256.as_str()));
        assert_eq!(&bytes[..10], b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff");
        let text = gunzip(&bytes);
        let quads = text.iter().filter(|&&b| b == b'\n').count() as u64;
        assert!(text.ends_with(b"\n"));
        assert!(quads <= 5000);
        assert_eq!(entry["quads"].as_u64(), Some(quads));
    }

    // rdflib reads every file alone, finding the manifest's counts; the
    // graphs' counts are cyberkg's own SPARQL counts.
    let read = rdflib_counts(&files);
    for entry in manifest["files"].as_array().expect("files") {
        let name = entry["name"].as_str().expect("name");
        assert_eq!(read["files"][name], entry["quads"], "{name}");
    }
    let store_graphs = graph_counts(&[]);
    assert_eq!(manifest_graph_counts(&manifest), store_graphs);
    for (graph, quads) in &store_graphs {
        assert_eq!(read["graphs"][graph].as_u64(), Some(*quads), "{graph}");
    }
}

#[test]
fn split_exports_are_byte_identical_from_run_to_run_and_plain_files_are_the_gzip_content() {
    let directory = tempfile::tempdir().expect("temp dir");
    let first = directory.path().join("first");
    let second = directory.path().join("second");
    split_export(&["--split-quads", "3000", "--for", "qlever"], &first);
    split_export(&["--split-quads", "3000", "--for", "qlever"], &second);
    assert!(contents(&first) == contents(&second));
    assert!(names(&first).contains(&"Qleverfile".to_owned()));

    let plain = directory.path().join("plain");
    let manifest = split_export(&["--split-quads", "3000", "--compress", "none"], &plain);
    assert_eq!(manifest["compression"], "none");
    let gzipped = contents(&first);
    let plain_files = data_files(&manifest, &plain);
    assert_eq!(plain_files.len(), 8);
    for file in plain_files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(name.ends_with(".nq"), "{name}");
        let text = std::fs::read(&file).expect("readable");
        assert!(gunzip(&gzipped[&format!("{name}.gz")]) == text, "{name}");
    }
}

#[test]
fn one_graph_splits_alone() {
    let directory = tempfile::tempdir().expect("temp dir");
    let graph = "https://w3id.org/cyberkg/graph/text";
    let out = directory.path().join("text");
    let manifest = split_export(&["--split-quads", "1000", "--graph", graph], &out);
    let expected = graph_counts(&[])
        .into_iter()
        .find(|(name, _)| name == graph)
        .map(|(_, quads)| quads);
    assert_eq!(manifest["quads"].as_u64(), expected);
    assert_eq!(manifest["graphs"].as_array().map(Vec::len), Some(1));
    let read = rdflib_counts(&data_files(&manifest, &out));
    assert_eq!(read["graphs"][graph].as_u64(), expected);
}

#[test]
fn every_recipe_is_written_listed_and_names_the_directory() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("dump");
    let mut args = vec!["--split-quads", "20000"];
    for engine in [
        "virtuoso", "qlever", "jena", "graphdb", "neptune", "oxigraph",
    ] {
        args.extend(["--for", engine]);
    }
    let manifest = split_export(&args, &out);
    let absolute = std::fs::canonicalize(&out).expect("absolute");
    let listed: Vec<(String, Vec<String>)> = manifest["recipes"]
        .as_array()
        .expect("recipes")
        .iter()
        .map(|recipe| {
            (
                recipe["engine"].as_str().expect("engine").to_owned(),
                recipe["files"]
                    .as_array()
                    .expect("files")
                    .iter()
                    .map(|f| f.as_str().expect("name").to_owned())
                    .collect(),
            )
        })
        .collect();
    let expected = [
        ("virtuoso", vec!["virtuoso-load.sql"]),
        ("qlever", vec!["Qleverfile"]),
        ("jena", vec!["jena-load.sh"]),
        ("graphdb", vec!["graphdb-load.sh", "graphdb-repository.ttl"]),
        ("neptune", vec!["neptune-loader.json"]),
        ("oxigraph", vec!["oxigraph-load.sh"]),
    ]
    .map(|(engine, files)| {
        (
            engine.to_owned(),
            files.into_iter().map(str::to_owned).collect(),
        )
    });
    assert_eq!(listed, expected);
    let read = |name: &str| std::fs::read_to_string(out.join(name)).expect("a recipe");
    let file = absolute.join("cyberkg-00001.nq.gz").display().to_string();
    assert!(read("virtuoso-load.sql").contains(&format!(
        "ld_dir('{}', 'cyberkg-*.nq.gz', 'urn:cyberkg:no-graph');\nrdf_loader_run();\ncheckpoint;\n",
        absolute.display()
    )));
    assert!(read("Qleverfile").contains("FORMAT            = nq\n"));
    assert!(read("Qleverfile").contains("CAT_INPUT_FILES   = zcat ${INPUT_FILES}\n"));
    assert!(read("jena-load.sh").contains(&file));
    assert!(read("graphdb-load.sh").contains("importrdf preload --force -c "));
    assert!(read("graphdb-repository.ttl").contains("graphdb:ruleset \"empty\""));
    assert!(read("oxigraph-load.sh").contains(&file));
    let neptune: serde_json::Value =
        serde_json::from_str(&read("neptune-loader.json")).expect("JSON");
    assert_eq!(neptune["format"], "nquads");
    assert!(
        neptune["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("<S3-URI"))
    );
}

#[test]
fn an_earlier_split_export_is_replaced_whole_and_anything_else_is_refused() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("dump");
    split_export(&["--split-quads", "2000", "--for", "jena"], &out);
    assert_eq!(names(&out).len(), 13);
    // Fewer, larger files: the old ones and the old recipe are gone.
    split_export(&["--split-quads", "30000"], &out);
    assert_eq!(names(&out), ["cyberkg-00001.nq.gz", "manifest.json"]);

    // A file no manifest names: refused, nothing touched.
    let before = contents(&out);
    common::write(&out, "notes.txt", "mine");
    let shown = out.display();
    fails(
        &[
            "export",
            "--split-quads",
            "10",
            "--output-dir",
            &shown.to_string(),
        ],
        1,
        &format!(
            "cannot write {shown}: it holds notes.txt, which the earlier export's manifest.json does not name; remove it or give a new or empty directory"
        ),
    );
    std::fs::remove_file(out.join("notes.txt")).expect("removed");
    assert!(contents(&out) == before);

    // A directory of other files, a regular file, a missing parent.
    let other = directory.path().join("other");
    common::write(&other, "data.csv", "a,b\n");
    let shown = other.display().to_string();
    fails(
        &["export", "--split-quads", "10", "--output-dir", &shown],
        1,
        &format!(
            "cannot write {shown}: it is not empty and holds no manifest.json of an earlier cyberkg split export; give a new or empty directory"
        ),
    );
    assert_eq!(names(&other), ["data.csv"]);
    let file = other.join("data.csv").display().to_string();
    fails(
        &["export", "--split-quads", "10", "--output-dir", &file],
        1,
        &format!(
            "cannot write {file}: it is a regular file; --output-dir needs a new or empty directory, or an earlier split export"
        ),
    );
    let orphan = directory.path().join("missing/dump").display().to_string();
    fails(
        &["export", "--split-quads", "10", "--output-dir", &orphan],
        1,
        &format!(
            "cannot write {orphan}: the directory {} does not exist",
            directory.path().join("missing").display()
        ),
    );

    // An empty directory is filled; nothing is left beside it.
    let empty = directory.path().join("empty");
    std::fs::create_dir(&empty).expect("created");
    split_export(&["--split-quads", "30000"], &empty);
    assert_eq!(names(&empty), ["cyberkg-00001.nq.gz", "manifest.json"]);
    assert_eq!(names(directory.path()), ["dump", "empty", "other"]);
}

#[test]
fn bad_split_arguments_are_usage_errors() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("dump").display().to_string();
    let table: [(&[&str], &str); 5] = [
        (
            &["--split-quads", "0", "--output-dir", &out],
            "invalid value '0' for '--split-quads <N>': 0 is not in 1..18446744073709551615",
        ),
        (
            &["--split-quads", "10"],
            "the following required arguments were not provided: --output-dir <DIR>",
        ),
        (
            &[
                "--split-quads",
                "10",
                "--output-dir",
                &out,
                "--for",
                "oracle",
            ],
            "invalid value 'oracle' for '--for <ENGINE>': expected one of virtuoso, qlever, jena, graphdb, neptune, oxigraph",
        ),
        (
            &["--split-quads", "10", "--output-dir", &out, "-o", "x.nq"],
            "the argument '--split-quads <N>' cannot be used with '--output <FILE>'",
        ),
        (
            &[
                "--split-quads",
                "10",
                "--output-dir",
                &out,
                "--compress",
                "zip",
            ],
            "invalid value 'zip' for '--compress <KIND>' [possible values: gzip, none]",
        ),
    ];
    for (args, message) in table {
        let mut full = vec!["export"];
        full.extend(args);
        fails(&full, 2, &format!("{message} (see 'cyberkg --help')"));
    }
    // --output-dir alone: for --split-quads or --format text (tests/tables.rs).
    fails(
        &["export", "--output-dir", &out],
        2,
        "--output-dir is for --split-quads N or --format text; use -o FILE for one RDF file",
    );
    fails(
        &[
            "export",
            "--split-quads",
            "10",
            "--output-dir",
            &out,
            "--format",
            "turtle",
        ],
        2,
        "--split-quads writes N-Quads only, not turtle; leave out --format",
    );
    assert_eq!(names(directory.path()), Vec::<String>::new());
}

#[cfg(feature = "rocksdb")]
#[test]
fn an_on_disk_store_splits_byte_identically_to_the_in_memory_one() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("store");
    let location = store.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "-q", "--location", location])
        .assert()
        .success();
    let memory = directory.path().join("memory");
    let disk = directory.path().join("disk");
    split_export(&["--split-quads", "4000"], &memory);
    split_export(&["--split-quads", "4000", "--location", location], &disk);
    assert!(contents(&memory) == contents(&disk));
}

//! Tables and texts for people who do not write SPARQL: `cyberkg table`
//! (CSV, XLSX), `query -r xlsx`, the server's XLSX answers and `export
//! --format text`. Every file is read back by an independent reader
//! (Python's csv module, openpyxl: tests/support/spreadsheet_read.py) and
//! compared cell by cell with what the graph holds, asked here with SPARQL
//! of its own rather than through the library's table code.

mod common;
use common::cyberkg_server::Server;
use common::{cyberkg, default_store, fails, names, select};

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The file an independent reader makes of a CSV or XLSX file: its rows, and for XLSX its sheets and creation date.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn read_back(kind: &str, file: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/spreadsheet_read.py");
    let output = std::process::Command::new("python3")
        .arg(&script)
        .arg(kind)
        .arg(file)
        .output()
        .expect("python3 runs (the test set-up installs openpyxl: see .ci/setup)");
    assert!(
        output.status.success(),
        "the reader failed (pip install 'openpyxl>=3.1,<4'):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the reader prints JSON")
}

/// The rows of a read-back table, header first.
fn rows(table: &Value) -> Vec<Vec<Value>> {
    table["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| row.as_array().cloned().unwrap_or_default())
                .collect()
        })
        .unwrap_or_default()
}

/// The aligned paragraphs as the graph holds them, asked independently:
/// each Chinese paragraph with the UN and government paragraphs that
/// translate it, in document order.
fn aligned_in_graph() -> Vec<BTreeMap<String, String>> {
    select(
        &default_store(),
        r#"SELECT ?chapter ?section ?paragraph ?zh ?zhText ?gov ?govText ?un ?unText WHERE {
          ?zh a doco:Paragraph ;
            cyberkg:inEdition/dcterms:identifier "iscc2017/zh" ;
            cyberkg:documentOrder ?order ;
            schema:position ?paragraph ;
            schema:text ?zhText ;
            dcterms:isPartOf ?parent .
          FILTER (LANG(?zhText) = "zh-hans")
          ?gov schema:translationOfWork ?zh ;
            cyberkg:inEdition/dcterms:identifier "iscc2017/en-gov" ;
            schema:text ?govText .
          ?un schema:translationOfWork ?zh ;
            cyberkg:inEdition/dcterms:identifier "iscc2017/en-un" ;
            schema:text ?unText .
          {
            ?parent a doco:Section ; schema:position ?section ;
              dcterms:isPartOf/schema:position ?chapter .
          } UNION {
            ?parent a doco:Chapter ; schema:position ?chapter .
          }
        } ORDER BY ?order"#,
    )
}

/// A number cell as the readers give it: a string in CSV, a number in XLSX, absent as "" or null.
fn number_cell(value: Option<&String>, xlsx: bool) -> Value {
    match (value, xlsx) {
        (Some(n), true) => json!(n.parse::<i64>().unwrap_or(-1)),
        (Some(n), false) => json!(n),
        (None, true) => Value::Null,
        (None, false) => json!(""),
    }
}

/// What a reader should find in `cyberkg table`'s output.
fn expected_table(xlsx: bool) -> Vec<Vec<Value>> {
    let header = [
        "chapter",
        "section",
        "paragraph",
        "iscc2017/zh",
        "iscc2017/zh IRI",
        "iscc2017/en-gov",
        "iscc2017/en-gov IRI",
        "iscc2017/en-un",
        "iscc2017/en-un IRI",
    ];
    let mut expected = vec![header.iter().map(|name| json!(name)).collect::<Vec<_>>()];
    for row in aligned_in_graph() {
        let mut cells: Vec<Value> = ["chapter", "section", "paragraph"]
            .iter()
            .map(|name| number_cell(row.get(*name), xlsx))
            .collect();
        for name in ["zhText", "zh", "govText", "gov", "unText", "un"] {
            cells.push(json!(row.get(name).cloned().unwrap_or_default()));
        }
        expected.push(cells);
    }
    expected
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn run_table(args: &[&str]) {
    let output = cyberkg().arg("table").args(args).output().expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty(), "{args:?} wrote on stdout");
}

#[test]
fn the_table_holds_every_aligned_paragraph_with_its_three_texts_in_csv_and_xlsx() {
    let directory = tempfile::tempdir().expect("temp dir");
    let csv = directory.path().join("aligned.csv");
    let xlsx = directory.path().join("aligned.xlsx");
    run_table(&["-o", &csv.display().to_string()]);
    run_table(&["-o", &xlsx.display().to_string()]);

    let store = default_store();
    let aligned_un = select(
        &store,
        r#"SELECT (COUNT(DISTINCT ?un) AS ?n) WHERE {
          ?un a doco:Paragraph ;
            cyberkg:inEdition/dcterms:identifier "iscc2017/en-un" ;
            schema:translationOfWork ?original .
        }"#,
    );
    let aligned_un: usize = aligned_un[0]["n"].parse().expect("a count");
    assert_eq!(aligned_un, 25, "Chapters II and III of the UN English");

    let from_csv = rows(&read_back("csv", &csv));
    let from_xlsx = read_back("xlsx", &xlsx);
    assert_eq!(from_csv.len(), aligned_un + 1, "a header and one row each");
    assert_eq!(from_csv, expected_table(false));
    assert_eq!(rows(&from_xlsx), expected_table(true));
    assert_eq!(from_xlsx["sheets"], json!(["aligned"]));
    assert_eq!(from_xlsx["created"], json!("2017-03-01T00:00:00"));

    // A known paragraph (Chapter II, section 1, paragraph 2): its English
    // texts are exactly the source files', its Chinese the graph's Simplified.
    let row = from_csv
        .iter()
        .find(|row| row.get(..3) == Some(&[json!("2"), json!("1"), json!("2")][..]))
        .expect("Chapter II, section 1, paragraph 2");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let un_source = std::fs::read_to_string(corpus.join("strategy-un-english.txt")).expect("read");
    let parallel_source =
        std::fs::read_to_string(corpus.join("strategy-parallel-zh-en.txt")).expect("read");
    let text = |index: usize| row[index].as_str().unwrap_or_default().to_owned();
    assert!(text(7).starts_with("The international community must diligently adhere"));
    assert!(un_source.lines().any(|line| line == text(7)), "{}", text(7));
    assert!(text(5).starts_with("The international community should observe"));
    assert!(parallel_source.contains(&text(5)), "{}", text(5));
    assert!(text(3).starts_with("国际社会要切实遵守《联合国宪章》宗旨与原则"));
    assert_eq!(
        text(8),
        "https://w3id.org/cyberkg/iscc2017/en-un/chapter-2/section-1/paragraph-2"
    );
}

#[test]
fn with_sentences_each_row_is_a_group_of_aligned_sentences() {
    let directory = tempfile::tempdir().expect("temp dir");
    let csv = directory.path().join("sentences.csv");
    let xlsx = directory.path().join("sentences.xlsx");
    run_table(&["--sentences", "-o", &csv.display().to_string()]);
    run_table(&["--sentences", "-o", &xlsx.display().to_string()]);
    let from_csv = rows(&read_back("csv", &csv));
    let from_xlsx = rows(&read_back("xlsx", &xlsx));
    assert_eq!(
        from_csv[0],
        json!([
            "chapter",
            "section",
            "paragraph",
            "sentences",
            "iscc2017/zh",
            "iscc2017/zh IRI",
            "iscc2017/en-gov",
            "iscc2017/en-gov IRI",
            "iscc2017/en-un",
            "iscc2017/en-un IRI"
        ])
        .as_array()
        .cloned()
        .unwrap_or_default()
    );
    assert_eq!(from_csv.len(), from_xlsx.len());
    let cell = |row: &[Value], index: usize| match &row[index] {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    for (a, b) in from_csv.iter().zip(&from_xlsx).skip(1) {
        for index in 0..a.len() {
            assert_eq!(cell(a, index), cell(b, index), "{a:?}");
        }
    }
    // Every sentence of the three versions' aligned paragraphs is in
    // exactly one row, in its version's column, asked of the graph
    // independently.
    let store = default_store();
    for (edition, column) in [
        ("iscc2017/zh", 5),
        ("iscc2017/en-gov", 7),
        ("iscc2017/en-un", 9),
    ] {
        let expected: BTreeSet<String> = select(
            &store,
            &format!(
                r#"SELECT DISTINCT ?s WHERE {{
                  ?s a doco:Sentence ; dcterms:isPartOf ?p .
                  ?p cyberkg:inEdition/dcterms:identifier "{edition}" .
                  {{ ?p schema:workTranslation ?t }} UNION {{ ?p schema:translationOfWork ?o }}
                }}"#
            ),
        )
        .into_iter()
        .map(|row| row["s"].clone())
        .collect();
        let listed: Vec<String> = from_csv
            .iter()
            .skip(1)
            .flat_map(|row| {
                cell(row, column)
                    .split(' ')
                    .filter(|iri| !iri.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(
            listed.len(),
            expected.len(),
            "{edition}: each sentence once"
        );
        assert_eq!(
            listed.into_iter().collect::<BTreeSet<_>>(),
            expected,
            "{edition}"
        );
    }
    // Chapter II, section 1, paragraph 1: one Chinese sentence, which both
    // translations render in two (parallel text line 6, UN text), so one row.
    let rows_of: Vec<&Vec<Value>> = from_csv
        .iter()
        .filter(|row| row.get(..3) == Some(&[json!("2"), json!("1"), json!("1")][..]))
        .collect();
    assert_eq!(rows_of.len(), 1, "{rows_of:?}");
    let row = rows_of[0];
    assert_eq!(cell(row, 3), "1");
    assert!(cell(row, 4).starts_with("网络空间互联互通"));
    assert_eq!(
        cell(row, 6),
        "In the interconnected cyberspace, countries are bound together by intertwined interests. A secure, stable and prosperous cyberspace is of great significance to all countries and the world."
    );
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let parallel_source =
        std::fs::read_to_string(corpus.join("strategy-parallel-zh-en.txt")).expect("read");
    assert!(parallel_source.contains(&cell(row, 6)));
    assert!(cell(row, 8).starts_with("Cyberspace is interconnected"));
    assert_eq!(cell(row, 9).split(' ').count(), 2, "two UN sentences");
}

#[test]
fn the_same_results_give_byte_identical_xlsx_files() {
    let directory = tempfile::tempdir().expect("temp dir");
    let paths: Vec<PathBuf> = ["one.xlsx", "two.xlsx"]
        .iter()
        .map(|name| directory.path().join(name))
        .collect();
    for path in &paths {
        run_table(&["-o", &path.display().to_string()]);
    }
    let bytes: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    assert_eq!(bytes[0], bytes[1], "cyberkg table");

    // And `query -r xlsx`, to stdout through a pipe, twice.
    let query = "SELECT ?n ?title WHERE { ?c a doco:Chapter ; cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ; schema:position ?n ; dcterms:title ?title } ORDER BY ?n";
    let runs: Vec<Vec<u8>> = (0..2)
        .map(|_| {
            let output = cyberkg()
                .args(["query", "-q", "-r", "xlsx", query])
                .output()
                .expect("runs");
            assert!(output.status.success());
            output.stdout
        })
        .collect();
    assert_eq!(runs[0], runs[1], "cyberkg query -r xlsx");
    let file = directory.path().join("chapters.xlsx");
    std::fs::write(&file, &runs[0]).expect("written");
    assert_eq!(
        rows(&read_back("xlsx", &file)),
        [
            vec![json!("n"), json!("title")],
            vec![json!(1), json!("Opportunities and challenges")],
            vec![json!(2), json!("Basic principles")],
            vec![json!(3), json!("Strategic goals")],
            vec![json!(4), json!("Plan of action")],
        ]
    );
}

#[test]
fn query_results_in_xlsx_are_the_csv_results_cell_by_cell() {
    let directory = tempfile::tempdir().expect("temp dir");
    let xlsx = directory.path().join("mentions.xlsx");
    let csv = directory.path().join("mentions.csv");
    for file in [&xlsx, &csv] {
        cyberkg()
            .args(["query", "--name", "aligned-mentions", "-o"])
            .arg(file)
            .assert()
            .success();
    }
    let from_csv = rows(&read_back("csv", &csv));
    let from_xlsx = rows(&read_back("xlsx", &xlsx));
    assert!(from_csv.len() > 10, "{}", from_csv.len());
    assert_eq!(from_csv.len(), from_xlsx.len());
    // The numbers (chapter, section, paragraph) are numbers in XLSX, the
    // rest the same text as SPARQL CSV's.
    let numeric: BTreeSet<usize> = [1, 2, 3].into();
    for (csv_row, xlsx_row) in from_csv.iter().zip(&from_xlsx).skip(1) {
        for (column, (csv_cell, xlsx_cell)) in csv_row.iter().zip(xlsx_row).enumerate() {
            if numeric.contains(&column) {
                assert_eq!(
                    csv_cell.as_str().and_then(|t| t.parse::<i64>().ok()),
                    xlsx_cell.as_i64(),
                    "{csv_row:?}"
                );
            } else {
                assert_eq!(csv_cell, xlsx_cell, "{csv_row:?}");
            }
        }
    }
    assert_eq!(from_csv[0], from_xlsx[0], "the variables' names");
}

/// `GET path` with `accept`: the status line, headers and body.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn http_get(server: &Server, path: &str, accept: &str) -> (String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).expect("connects");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: test\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .expect("sent");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("read");
    let end = reply
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a head");
    (
        String::from_utf8_lossy(&reply[..end]).into_owned(),
        reply[end + 4..].to_vec(),
    )
}

#[test]
fn the_server_answers_select_in_xlsx_from_its_workers() {
    let server = Server::start(&["--workers", "1"]);
    let query = "SELECT ?n ?title WHERE { ?c a doco:Chapter ; cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ; schema:position ?n ; dcterms:title ?title } ORDER BY ?n";
    let path = format!("/query?query={}", encode(query));
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    let (head, body) = http_get(&server, &path, xlsx);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains(&format!("content-type: {xlsx}")),
        "{head}"
    );
    let (_, again) = http_get(&server, &path, xlsx);
    assert_eq!(body, again, "the same bytes for the same results");
    let directory = tempfile::tempdir().expect("temp dir");
    let file = directory.path().join("answer.xlsx");
    std::fs::write(&file, &body).expect("written");
    let read = read_back("xlsx", &file);
    assert_eq!(read["sheets"], json!(["results"]));
    let found = rows(&read);
    assert_eq!(found[0], [json!("n"), json!("title")]);
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(found[4], [json!(4), json!("Plan of action")]);
    // The same query from `cyberkg query -r xlsx` gives the same workbook.
    let output = cyberkg()
        .args(["query", "-q", "-r", "xlsx", query])
        .output()
        .expect("runs");
    assert_eq!(output.stdout, body);
    // An ASK has no table: not offered as XLSX.
    let (head, _) = http_get(&server, &format!("/query?query={}", encode("ASK {}")), xlsx);
    assert!(head.starts_with("HTTP/1.1 406"), "{head}");
}

/// Percent-encodes a query for a URL.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn text_export(args: &[&str], directory: &Path) {
    let output = cyberkg()
        .args(["export", "--format", "text", "--output-dir"])
        .arg(directory)
        .args(args)
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_text_export_has_a_file_per_paragraph_with_its_text_and_a_metadata_row() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("texts");
    text_export(&[], &out);
    let metadata = rows(&read_back("csv", &out.join("metadata.csv")));
    assert_eq!(
        metadata[0],
        [
            "document",
            "language",
            "chapter",
            "section",
            "paragraph",
            "iri",
            "file"
        ]
        .map(|name| json!(name))
    );
    // Every paragraph of the graph, in its edition's language, independently asked.
    let in_graph: BTreeMap<String, BTreeMap<String, String>> = select(
        &default_store(),
        r#"SELECT ?paragraph ?document ?language ?text WHERE {
          ?paragraph a doco:Paragraph ; cyberkg:inEdition ?edition ; schema:text ?text .
          ?edition dcterms:identifier ?document ; schema:inLanguage ?language .
          FILTER (LANGMATCHES(LANG(?text), ?language))
        }"#,
    )
    .into_iter()
    .map(|row| (row["paragraph"].clone(), row))
    .collect();
    assert_eq!(
        in_graph.len(),
        116,
        "64 UN, 25 + 25 parallel, 2 of the letter"
    );
    assert_eq!(metadata.len(), in_graph.len() + 1);
    let mut listed = BTreeSet::from(["metadata.csv".to_owned()]);
    for row in &metadata[1..] {
        let cell = |index: usize| row[index].as_str().unwrap_or_default().to_owned();
        let paragraph = &in_graph[&cell(5)];
        assert_eq!(cell(0), paragraph["document"], "{row:?}");
        assert_eq!(cell(1), paragraph["language"], "{row:?}");
        let text = std::fs::read_to_string(out.join(cell(6))).expect("the file is UTF-8");
        assert_eq!(text, format!("{}\n", paragraph["text"]), "{row:?}");
        listed.insert(cell(6));
    }
    assert_eq!(listed.into_iter().collect::<Vec<_>>(), names(&out));
    let known = metadata
        .iter()
        .find(|row| {
            row[5] == json!("https://w3id.org/cyberkg/iscc2017/zh/chapter-2/section-1/paragraph-2")
        })
        .expect("the known paragraph");
    assert_eq!(
        known,
        &[
            "iscc2017/zh",
            "zh-Hans",
            "2",
            "1",
            "2",
            "https://w3id.org/cyberkg/iscc2017/zh/chapter-2/section-1/paragraph-2",
            "iscc2017_zh_chapter-2_section-1_paragraph-2.txt"
        ]
        .map(|cell| json!(cell))
    );
}

#[test]
fn the_section_export_gathers_each_parts_paragraphs_under_its_heading() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("sections");
    text_export(&["--unit", "section"], &out);
    let metadata = rows(&read_back("csv", &out.join("metadata.csv")));
    let parts = select(
        &default_store(),
        "SELECT DISTINCT ?part WHERE { ?p a doco:Paragraph ; dcterms:isPartOf ?part }",
    );
    assert_eq!(metadata.len(), parts.len() + 1);
    let row = metadata
        .iter()
        .find(|row| row[5] == json!("https://w3id.org/cyberkg/iscc2017/en-un/chapter-3/section-1"))
        .expect("Chapter III, section 1 of the UN English");
    assert_eq!(row[2..5], [json!("3"), json!("1"), json!("")]);
    let text =
        std::fs::read_to_string(out.join(row[6].as_str().unwrap_or_default())).expect("the file");
    let paragraphs = select(
        &default_store(),
        "SELECT ?text WHERE { ?p dcterms:isPartOf <https://w3id.org/cyberkg/iscc2017/en-un/chapter-3/section-1> ; a doco:Paragraph ; schema:position ?n ; schema:text ?text } ORDER BY ?n",
    );
    let mut expected = "Defending sovereignty and security\n".to_owned();
    for paragraph in &paragraphs {
        expected.push('\n');
        expected.push_str(&paragraph["text"]);
        expected.push('\n');
    }
    assert_eq!(paragraphs.len(), 2);
    assert_eq!(text, expected);
}

#[test]
fn a_text_export_replaces_only_an_earlier_text_export() {
    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("texts");
    text_export(&[], &out);
    assert_eq!(names(&out).len(), 117);
    // Sections replace paragraphs whole: no paragraph file is left.
    text_export(&["--unit", "section"], &out);
    let sections = names(&out);
    assert!(sections.len() < 117, "{}", sections.len());
    assert!(!sections.iter().any(|name| name.contains("paragraph")));
    let shown = out.display().to_string();

    // A file the metadata does not name: refused, nothing touched.
    common::write(&out, "notes.txt", "mine");
    fails(
        &["export", "--format", "text", "--output-dir", &shown],
        1,
        &format!(
            "cannot write {shown}: it holds notes.txt, which the earlier export's metadata.csv does not name; remove it or give a new or empty directory"
        ),
    );
    std::fs::remove_file(out.join("notes.txt")).expect("removed");
    assert_eq!(names(&out), sections);

    // A split export is not a text export, and the reverse.
    let dump = directory.path().join("dump");
    cyberkg()
        .args(["export", "--split-quads", "20000", "--output-dir"])
        .arg(&dump)
        .assert()
        .success();
    let dump_shown = dump.display().to_string();
    fails(
        &["export", "--format", "text", "--output-dir", &dump_shown],
        1,
        &format!(
            "cannot write {dump_shown}: it is not empty and holds no metadata.csv of an earlier cyberkg text export; give a new or empty directory"
        ),
    );
    fails(
        &["export", "--split-quads", "10", "--output-dir", &shown],
        1,
        &format!(
            "cannot write {shown}: it is not empty and holds no manifest.json of an earlier cyberkg split export; give a new or empty directory"
        ),
    );
}

#[test]
fn bad_flag_combinations_are_one_line_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", "--format", "text"],
            "--format text writes a directory of files; give --output-dir DIR",
        ),
        (
            &[
                "export",
                "--format",
                "text",
                "-o",
                "x.txt",
                "--output-dir",
                "d",
            ],
            "-o does not apply to --format text, which writes plain-text files into --output-dir",
        ),
        (
            &[
                "export",
                "--format",
                "text",
                "--canonical",
                "--output-dir",
                "d",
            ],
            "--canonical does not apply to --format text, which writes plain-text files into --output-dir",
        ),
        (
            &["export", "--unit", "section"],
            "--unit is for --format text; leave it out for an RDF export",
        ),
        (
            &["export", "--output-dir", "d"],
            "--output-dir is for --split-quads N or --format text; use -o FILE for one RDF file",
        ),
        (
            &["table", "-o", "aligned.xls"],
            "cannot tell the table format of 'aligned.xls' from its extension; add --format csv or --format xlsx",
        ),
        (
            &["query", "-r", "xlsx", "ASK {}"],
            "--results-format xlsx is for SELECT queries; ASK results take table, json, xml, csv or tsv",
        ),
        (
            &["query", "-r", "xlsx", "CONSTRUCT WHERE { ?s ?p ?o }"],
            "--results-format xlsx is for SELECT queries; CONSTRUCT and DESCRIBE results take one of turtle, ntriples, nquads, trig, rdfxml, jsonld",
        ),
    ];
    for (args, message) in cases {
        fails(args, 2, message);
    }
}

/// Runs cyberkg with `args` on a pseudo-terminal (Python's pty module):
/// its exit code and what it printed there.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn on_terminal(args: &[&str]) -> (i32, String) {
    let program = assert_cmd::cargo::cargo_bin("cyberkg");
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))",
        ])
        .arg(&program)
        .args(args)
        .output()
        .expect("python3 runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).replace("\r\n", "\n"),
    )
}

#[test]
fn xlsx_is_never_written_to_a_terminal() {
    let refusal = "cyberkg: XLSX is binary and stdout is a terminal; write it to a file with -o FILE.xlsx (or redirect stdout)\n";
    for args in [
        &["table", "--format", "xlsx"][..],
        &["query", "-r", "xlsx", "SELECT * {}"][..],
    ] {
        assert_eq!(on_terminal(args), (2, refusal.to_owned()), "{args:?}");
    }
    // CSV on a terminal is text, and fine.
    let (code, printed) = on_terminal(&["table", "-q"]);
    assert_eq!(code, 0);
    assert!(
        printed.starts_with("chapter,section,paragraph,"),
        "{printed}"
    );
}

#[test]
fn the_readme_shows_real_rows() {
    let readme = include_str!("../README.md");
    let after = |marker: &str| -> Vec<&str> {
        let start = readme.find(marker).map_or(0, |at| at + marker.len());
        readme[start..]
            .lines()
            .skip(1)
            .take_while(|line| !line.starts_with('$') && !line.starts_with("```"))
            .collect()
    };
    let output = cyberkg().args(["table", "-q"]).output().expect("runs");
    let csv = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        after("$ cyberkg table | sed -n '1p;3p'"),
        [lines[0], lines[2]]
    );

    let output = cyberkg()
        .args(["table", "-q", "--sentences"])
        .output()
        .expect("runs");
    let csv = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        after("$ cyberkg table --sentences | sed -n '1p;5p'"),
        [lines[0], lines[4]]
    );
    assert_eq!(lines.len() - 1, 63, "the README's count of rows");

    let directory = tempfile::tempdir().expect("temp dir");
    let out = directory.path().join("texts");
    text_export(&[], &out);
    let metadata = std::fs::read_to_string(out.join("metadata.csv")).expect("read");
    assert_eq!(
        after("$ head -3 texts/metadata.csv"),
        metadata.lines().take(3).collect::<Vec<_>>()
    );
    assert_eq!(after("$ ls texts | wc -l"), [names(&out).len().to_string()]);
}

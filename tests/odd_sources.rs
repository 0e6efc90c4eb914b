//! Damaged copies of the built-in texts through the real binary: each
//! defect is a diagnostic with its position, `build` still exits 0, and the
//! graph still conforms to the shapes. The copies are made here, by editing
//! the built-in text, so each test shows exactly what it breaks.

mod common;
use common::cyberkg;

use std::path::{Path, PathBuf};

const UN: &str = include_str!("../data/corpus/strategy-un-english.txt");
const PARALLEL: &str = include_str!("../data/corpus/strategy-parallel-zh-en.txt");

/// Writes `text` as `name` in `directory` and returns its path.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn write(directory: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = directory.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

/// Runs `cyberkg build --source FILE`; asserts exit 0 and returns stderr's lines.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn build(file: &Path) -> Vec<String> {
    let output = cyberkg()
        .args(["build", "--source"])
        .arg(file)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    stderr.lines().map(str::to_owned).collect()
}

#[test]
fn a_paragraph_broken_by_thousands_of_page_breaks_is_one_paragraph() {
    let directory = tempfile::tempdir().expect("temp dir");
    let lines: Vec<String> = (0..3_000).map(|i| format!("continued line {i}")).collect();
    let text = format!("Chapter I Start\n\nFirst\n\n{}\n", lines.join("\n\n"));
    let file = write(directory.path(), "broken.txt", text);
    let stderr = build(&file);
    let notes = stderr.iter().filter(|l| l.contains("note[page-break]"));
    assert_eq!(notes.count(), 3_000);
    let last = format!(
        "{}:6003:1: note[page-break]: this line starts in lower case: it continues the paragraph of line 3 (split by a page break), and the two are joined",
        file.display()
    );
    assert!(stderr.contains(&last), "{:?}", stderr.last());
    let output = cyberkg()
        .args(["query", "--source"])
        .arg(&file)
        .args([
            "-q",
            "SELECT (STRLEN(?t) AS ?n) WHERE { ?p a doco:Paragraph ; schema:text ?t }",
        ])
        .output()
        .expect("runs");
    let expected = format!("First {}", lines.join(" ")).chars().count();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&expected.to_string()), "{stdout}");
}

#[test]
fn a_byte_order_mark_is_a_note_and_leaks_into_no_literal() {
    let directory = tempfile::tempdir().expect("temp dir");
    let un = write(directory.path(), "un.txt", format!("\u{feff}{UN}"));
    let parallel = write(directory.path(), "zh.txt", format!("\u{feff}{PARALLEL}"));
    for file in [&un, &parallel] {
        let stderr = build(file);
        let note = format!(
            "{}:1:1: note[byte-order-mark]: the file starts with a UTF-8 byte-order mark; it is not part of the text, and positions count from the character after it",
            file.display()
        );
        assert!(stderr.contains(&note), "{stderr:?}");
    }
    let output = cyberkg()
        .args(["export", "-q", "--format", "ntriples", "--source"])
        .arg(&un)
        .arg("--source")
        .arg(&parallel)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let triples = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(!triples.contains('\u{feff}'), "a byte-order mark leaked");
    assert!(triples.contains("<https://w3id.org/cyberkg/un/letter> <https://w3id.org/cyberkg/vocab#circulatedBy> \"Conference on Disarmament\"@en ."));
    assert!(
        triples.contains("<https://w3id.org/cyberkg/zh/zh> <http://purl.org/dc/terms/title> \"网络空间国际合作战略\"@zh-hans ."),
        "the parallel text's title is recognised"
    );
    // Positions count from after the mark: the page-break note is where it
    // is in the built-in text.
    let stderr = build(&un);
    assert!(
        stderr
            .iter()
            .any(|l| l.starts_with(&format!("{}:194:1: note[page-break]", un.display()))),
        "{stderr:?}"
    );
}

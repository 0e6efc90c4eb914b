//! Damaged copies of the built-in texts through the real binary: each
//! defect is a diagnostic with its position, `build` still exits 0, and the
//! graph still conforms to the shapes. The copies are made here, by editing
//! the built-in text, so each test shows exactly what it breaks.

mod common;
use common::cyberkg;

use std::path::{Path, PathBuf};

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

//! Damaged copies of the built-in texts through the real binary: each
//! defect is a diagnostic with its position, `build` still exits 0, and the
//! graph still conforms to the shapes. The copies are made here, by editing
//! the built-in text, so each test shows exactly what it breaks.

mod common;
use common::{cyberkg, write};

use std::path::Path;

const UN: &str = include_str!("../data/corpus/strategy-un-english.txt");
const PARALLEL: &str = include_str!("../data/corpus/strategy-parallel-zh-en.txt");

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

/// The warnings about heading numbers among `stderr`'s lines, with the
/// file's path shortened to `FILE`.
fn numbering_warnings(stderr: &[String], file: &Path) -> Vec<String> {
    stderr
        .iter()
        .filter(|l| l.contains("[duplicate-number]") || l.contains("[number-order]"))
        .map(|l| l.replace(&file.display().to_string(), "FILE"))
        .collect()
}

#[test]
fn repeated_heading_numbers_are_warnings_and_never_merge_parts() {
    let directory = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, String, &[&str]); 3] = [
        (
            "section-twice.txt",
            UN.replace(
                "\n2. The principle of sovereignty",
                "\n1. The principle of sovereignty",
            ),
            &[
                "FILE:86:4: warning[duplicate-number]: section 1 repeats the number of section 1 at FILE:78:4; it is kept as a part of its own, 'section-1-2'",
                "FILE:94:4: warning[number-order]: section 3 follows section 1 at FILE:86:4; expected section 2, so a heading may be missing or misnumbered",
            ],
        ),
        (
            "chapter-ii-twice.txt",
            UN.replace(
                "\nChapter III Strategic goals",
                "\nChapter II Strategic goals",
            ),
            &[
                "FILE:108:12: warning[duplicate-number]: chapter 2 repeats the number of chapter 2 at FILE:74:12; it is kept as a part of its own, 'chapter-2-2'",
                "FILE:148:12: warning[number-order]: chapter 4 follows chapter 2 at FILE:108:12; expected chapter 3, so a heading may be missing or misnumbered",
            ],
        ),
        (
            "no-chapter-iii.txt",
            UN.replace("\nChapter III Strategic goals\n", "\n"),
            &[
                "FILE:111:4: warning[duplicate-number]: section 1 repeats the number of section 1 at FILE:78:4; it is kept as a part of its own, 'section-1-2'",
                "FILE:117:4: warning[duplicate-number]: section 2 repeats the number of section 2 at FILE:86:4; it is kept as a part of its own, 'section-2-2'",
                "FILE:123:4: warning[duplicate-number]: section 3 repeats the number of section 3 at FILE:94:4; it is kept as a part of its own, 'section-3-2'",
                "FILE:129:4: warning[duplicate-number]: section 4 repeats the number of section 4 at FILE:100:4; it is kept as a part of its own, 'section-4-2'",
                "FILE:147:12: warning[number-order]: chapter 4 follows chapter 2 at FILE:74:12; expected chapter 3, so a heading may be missing or misnumbered",
            ],
        ),
    ];
    for (name, text, expected) in cases {
        assert_ne!(text, UN, "{name}: the edit applies");
        let file = write(directory.path(), name, text);
        assert_eq!(numbering_warnings(&build(&file), &file), expected, "{name}");
        cyberkg()
            .args(["validate", "--source"])
            .arg(&file)
            .assert()
            .success()
            .stdout("0 violations: the graph conforms\n");
    }
}

#[test]
fn a_repeated_chapter_of_the_parallel_text_is_kept_apart_and_still_aligns() {
    let directory = tempfile::tempdir().expect("temp dir");
    let text = PARALLEL.replace(
        "第三章 戰略目標Chapter III. Strategic Goals",
        "第二章 戰略目標Chapter II. Strategic Goals",
    );
    assert_ne!(text, PARALLEL);
    let file = write(directory.path(), "parallel.txt", text);
    let stderr = build(&file);
    assert_eq!(
        numbering_warnings(&stderr, &file),
        [
            "FILE:20:11: warning[duplicate-number]: chapter 2 repeats the number of chapter 2 at FILE:3:11; it is kept as a part of its own, 'chapter-2-2'"
        ]
    );
    // Both editions get the same keys, so every paragraph still aligns.
    assert!(
        !stderr.iter().any(|l| l.contains("[alignment-count]")),
        "{stderr:?}"
    );
    let output = cyberkg()
        .args(["export", "-q", "--format", "ntriples", "--source"])
        .arg(&file)
        .output()
        .expect("runs");
    let triples = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(triples.contains("<https://w3id.org/cyberkg/parallel/en/chapter-2-2/section-6/paragraph-1> <http://schema.org/translationOfWork> <https://w3id.org/cyberkg/parallel/zh/chapter-2-2/section-6/paragraph-1> ."), "aligned");
    assert!(triples.contains("<https://w3id.org/cyberkg/parallel/zh/chapter-2-2> <http://schema.org/position> \"2\"^^<http://www.w3.org/2001/XMLSchema#integer> ."), "the printed number stays the position");
}

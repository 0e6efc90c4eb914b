//! Property tests: the parsers never panic on any text, always return their
//! documents, and never produce a span or a diagnostic outside the text.

use cyberkg::document::parallel::{ParallelIds, parse_parallel_text};
use cyberkg::document::un::{UnIds, parse_un_text};
use cyberkg::document::{Errata, Parsed, Part, SourceText, Span, Text};
use proptest::prelude::*;

/// Fragments of both layouts, damage included, to recombine at random.
const FRAGMENTS: &[&str] = &[
    "Chapter I Opportunities",
    "Chapter IV. Plan",
    "Chapter XL",
    "1. The principle of peace",
    "12.",
    "Preface",
    "Conclusion",
    "Contents",
    "\tPret\tface\t3",
    "I.\tBasic\t\t4",
    "\t1.\tThe one\t4",
    "Chapter\t\t\tPage",
    "- Xi Jinping, 16 December 2015",
    "— ",
    "(Signed) Fu Cong Ambassador",
    "Letter dated 3 March 2017 from X, addressed to Y",
    "7 March 2017 English",
    "issued on 1 March 2017",
    "such as the Forum.",
    "lower case start",
    "第二章 基本原則",
    "一、和平原則",
    "第十二章",
    "十、",
    "網(wǎng)絡(luò )空間",
    "(chuàng )",
    "(全文)",
    "【中英文對照】",
    "數字?zhù)櫆稀薄?/td>",
    "?xún)?yōu)",
    "。",
    "、",
    "“",
    "”",
    "《聯合國憲章》",
    "2030年",
    "Chapter II. Basic Principles",
    "The Principle of Peace",
    "(ICT)",
    "?",
    "<br>",
    "/p>",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    "",
    "é",
    "𠀀",
    "\u{feff}",
];

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..80).prop_map(|parts| parts.concat())
}

fn check_text(text: &Text, length: usize, what: &str) -> Result<(), TestCaseError> {
    let Span { start, end } = text.span;
    prop_assert!(
        start <= end && end <= length,
        "{what}: span {start}..{end} outside 0..{length}"
    );
    for repair in &text.repairs {
        prop_assert!(
            repair.span.start <= repair.span.end && repair.span.end <= length,
            "{what}: repair span outside the text"
        );
    }
    Ok(())
}

fn check_part(part: &Part, length: usize) -> Result<(), TestCaseError> {
    for text in [&part.title, &part.text].into_iter().flatten() {
        check_text(text, length, "part")?;
    }
    if let Some(attribution) = &part.attribution {
        check_text(&attribution.text, length, "attribution")?;
    }
    for child in &part.children {
        check_part(child, length)?;
    }
    Ok(())
}

fn check(parsed: &Parsed, source: &SourceText, documents: usize) -> Result<(), TestCaseError> {
    let length = source.char_len();
    let lines = source.text.split('\n').count();
    prop_assert!(parsed.documents.len() >= documents);
    for document in &parsed.documents {
        if let Some(title) = &document.title {
            check_text(title, length, "title")?;
        }
        for part in &document.parts {
            check_part(part, length)?;
        }
    }
    for diagnostic in &parsed.diagnostics {
        prop_assert!(
            diagnostic.start <= diagnostic.end && diagnostic.end <= length,
            "{diagnostic}"
        );
        prop_assert!(
            diagnostic.line >= 1 && diagnostic.line <= lines && diagnostic.column >= 1,
            "{diagnostic}"
        );
    }
    Ok(())
}

fn un_ids() -> UnIds {
    UnIds {
        source: "un".into(),
        edition: "t/en-un".into(),
        letter: "t/letter".into(),
    }
}

fn parallel_ids() -> ParallelIds {
    ParallelIds {
        source: "p".into(),
        chinese: "t/zh".into(),
        english: "t/en".into(),
    }
}

fn errata() -> Errata {
    Errata::from_toml("e", "[[erratum]]\nid = \"e\"\nsource = \"p\"\nline = 2\nfind = \"?zhù)\"\nreplace = \"鴻\"\nreason = \"r\"\n\n[[erratum]]\nid = \"u\"\nsource = \"un\"\nline = 3\nfind = \"Forum\"\nreplace = \"Forums\"\nreason = \"r\"\n")
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn un_parser_never_panics_on_fragments(text in fragments()) {
        let source = SourceText::new("t.txt", text);
        check(&parse_un_text(&source, &un_ids(), &errata()), &source, 1)?;
    }

    #[test]
    fn parallel_parser_never_panics_on_fragments(text in fragments()) {
        let source = SourceText::new("t.txt", text);
        check(&parse_parallel_text(&source, &parallel_ids(), &errata()), &source, 2)?;
    }

    #[test]
    fn parsers_never_panic_on_any_text(text in any::<String>()) {
        let source = SourceText::new("t.txt", text);
        check(&parse_un_text(&source, &un_ids(), &errata()), &source, 1)?;
        check(&parse_parallel_text(&source, &parallel_ids(), &errata()), &source, 2)?;
    }
}

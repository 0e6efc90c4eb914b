//! Property tests: the parsers never panic on any text, always return their
//! documents, and never produce a span or a diagnostic outside the text;
//! the sentence splitter and the sentence aligner never panic either, and
//! keep their invariants (sentences in order inside the literal and the
//! span; links covering every sentence once).

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

/// The sentences of `literal`, read from `file` (which may not hold it at
/// all), keep their invariants.
fn check_sentences(literal: &str, file: &str, chinese: bool) -> Result<(), TestCaseError> {
    use cyberkg::document::Language;
    use cyberkg::document::sentences::sentences;
    let source = SourceText::new("t.txt", file);
    let length = file.chars().count();
    let text = Text::plain(literal, Span::new(length / 3, length));
    let language = if chinese {
        Language::SIMPLIFIED_CHINESE
    } else {
        Language::ENGLISH
    };
    let found = sentences(&text, &language, &source);
    let mut previous_end = 0;
    for (index, sentence) in found.iter().enumerate() {
        prop_assert_eq!(sentence.number as usize, index + 1);
        prop_assert!(previous_end <= sentence.start && sentence.start < sentence.end);
        prop_assert!(sentence.end <= literal.chars().count());
        let value: String = literal
            .chars()
            .skip(sentence.start)
            .take(sentence.end - sentence.start)
            .collect();
        prop_assert_eq!(&sentence.text.value, &value);
        let span = sentence.text.span;
        prop_assert!(
            text.span.start <= span.start && span.start <= span.end && span.end <= text.span.end,
            "sentence span {:?} outside {:?}",
            span,
            text.span
        );
        previous_end = sentence.end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sentences_keep_their_invariants(literal in fragments(), file in fragments(), chinese in any::<bool>()) {
        check_sentences(&literal, &literal, chinese)?;
        check_sentences(&literal, &file, chinese)?;
    }

    #[test]
    fn sentences_of_any_text_keep_their_invariants(literal in any::<String>(), file in any::<String>(), chinese in any::<bool>()) {
        check_sentences(&literal, &file, chinese)?;
    }

    #[test]
    fn sentence_links_cover_every_sentence_once(
        original in prop::collection::vec(0usize..400, 0..12),
        translation in prop::collection::vec(0usize..1200, 0..12),
    ) {
        use cyberkg::sentence_alignment::{LengthModel, Priors, Unit, align};
        let units = |lengths: &[usize]| -> Vec<Unit> {
            lengths.iter().map(|&length| Unit { length, ..Unit::default() }).collect()
        };
        let model = LengthModel { ratio: 3.5, variance: 20.0 };
        let links = align(&units(&original), &units(&translation), &model, &Priors::GALE_CHURCH);
        let sources: Vec<u32> = links.iter().flat_map(|l| l.original.clone()).collect();
        let targets: Vec<u32> = links.iter().flat_map(|l| l.translation.clone()).collect();
        prop_assert_eq!(sources, (1..=original.len() as u32).collect::<Vec<_>>());
        prop_assert_eq!(targets, (1..=translation.len() as u32).collect::<Vec<_>>());
        prop_assert!(links.iter().all(|l| (0.0..=1.0).contains(&l.score)));
    }
}

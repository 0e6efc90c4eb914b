//! Pages of one article: the built-in parallel text cut into page files
//! gives the same Chinese and government-English editions as the single
//! file — the same parts, numbers, titles, texts and repairs (so the
//! curated errata reach the lines on the second page too), with every span
//! pointing at the same characters in its own page — and the same
//! alignment with the UN edition. Also a page with the parts the built-in
//! page lacks (Preface with its epigraph, Chapter IV, the Conclusion), as
//! the full article has them, written here for the test.

mod common;
use common::{built_in_pages, select_corpus, write as put};

use cyberkg::corpus::{Corpus, Inputs};
use cyberkg::document::{Document, ParsedCorpus, Part, PartKind, parse_corpus};
use std::path::Path;

const PARALLEL: &str = include_str!("../data/corpus/strategy-parallel-zh-en.txt");
const UN: &str = include_str!("../data/corpus/strategy-un-english.txt");

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn parse(inputs: &Inputs) -> ParsedCorpus {
    let corpus = Corpus::collect(inputs).expect("the corpus is collected");
    parse_corpus(&corpus).expect("the errata are well-formed")
}

/// Everything an edition's parts say, with each span read out of the
/// file it points into: what must not change when a file becomes pages.
fn outline(parsed: &ParsedCorpus, document: &Document) -> Vec<String> {
    let mut lines = Vec::new();
    for (path, part) in document.walk() {
        let source = &parsed.texts[document.source_at(&path)];
        let span_text = |t: &cyberkg::document::Text| source.slice(t.span);
        lines.push(format!(
            "{} {:?} {:?} title={:?}@{:?} text={:?}@{:?} repairs={:?}",
            path.join("/"),
            part.kind,
            part.number,
            part.title.as_ref().map(|t| &t.value),
            part.title.as_ref().map(span_text),
            part.text.as_ref().map(|t| &t.value),
            part.text.as_ref().map(span_text),
            repairs(part, source),
        ));
    }
    lines
}

/// A part's repairs: kind, the damaged characters read from the source at
/// the repair's span, the replacement and the erratum.
fn repairs(part: &Part, source: &cyberkg::document::SourceText) -> Vec<String> {
    part.title
        .iter()
        .chain(&part.text)
        .flat_map(|t| &t.repairs)
        .map(|r| {
            format!(
                "{}:{}->{}:{:?}",
                r.kind.name(),
                source.slice(r.span),
                r.replacement,
                r.erratum_id
            )
        })
        .collect()
}

#[test]
fn the_built_in_page_cut_in_two_gives_the_same_editions() {
    let whole = parse(&Inputs::default());
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    // The second page repeats the title line with a page marker, as a
    // saved web page does; path order is the wrong order on purpose.
    let (first, second) = built_in_pages(
        "(2)
",
    );
    put(root, "b-first.txt", &first);
    put(root, "a-second.txt", &second);
    put(root, "un.txt", UN);
    let pages = parse(&Inputs {
        corpus: vec![root.to_path_buf()],
        ..Inputs::default()
    });
    for id in ["iscc2017/zh", "iscc2017/en-gov", "iscc2017/en-un"] {
        let (one, two) = (
            whole.document(id).expect("in the built-in corpus"),
            pages.document(id).expect("in the pages' corpus"),
        );
        assert_eq!(outline(&whole, one), outline(&pages, two), "{id}");
        assert_eq!(
            one.title.as_ref().map(|t| &t.value),
            two.title.as_ref().map(|t| &t.value)
        );
    }
    let chinese = pages.document("iscc2017/zh").expect("Chinese");
    let sources: Vec<&str> = chinese
        .parts
        .iter()
        .map(|p| chinese.source_at(&[p.segment()]))
        .collect();
    assert_eq!(
        sources,
        ["b-first", "a-second"],
        "each chapter keeps its own page"
    );
    let erratum_repairs = |document: &Document| -> usize {
        document
            .walk()
            .iter()
            .flat_map(|(_, p)| p.title.iter().chain(&p.text))
            .flat_map(|t| &t.repairs)
            .filter(|r| r.erratum_id.is_some())
            .count()
    };
    let whole_chinese = whole.document("iscc2017/zh").expect("Chinese");
    assert!(erratum_repairs(whole_chinese) >= 3);
    assert_eq!(
        erratum_repairs(chinese),
        erratum_repairs(whole_chinese),
        "every curated erratum applies, on either page"
    );
    let mut whole_alignments = whole.alignments.clone();
    let mut page_alignments = pages.alignments.clone();
    whole_alignments.sort_by(|a, b| a.translation.cmp(&b.translation));
    page_alignments.sort_by(|a, b| a.translation.cmp(&b.translation));
    assert_eq!(whole_alignments, page_alignments);
    let codes = |parsed: &ParsedCorpus| {
        let mut codes: Vec<(&str, String)> = parsed
            .diagnostics
            .iter()
            .map(|d| (d.code, d.message.clone()))
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(codes(&whole), codes(&pages), "the same diagnostics");
}

/// Two pages with the parts of the article the built-in page lacks, as the full article
/// lays them out (text written for this test), after the title line of
/// the built-in page with a page marker.
const FIRST_PAGE: &str = "前言Preface
網絡空間是人類共同的活動空間。Cyberspace is the common space of activities for mankind.
——習近平- Xi Jinping, 16 December 2015
網絡空間的前途命運應由世界各國共同掌握。The future of cyberspace should be in the hands of all countries.
";

const LAST_PAGE: &str = "第四章 行動計劃Chapter IV. Plan of Action
一、倡導和促進網絡空間和平與穩定1. Peace and Stability in Cyberspace
中國將參與雙邊和多邊信任措施的討論。China will participate in discussions on confidence-building measures.
結束語Conclusion
中國願與國際社會攜手努力。China stands ready to work with the international community.
";

#[test]
fn pages_with_the_preface_chapter_iv_and_the_conclusion_join_the_article() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    put(root, "page-2.txt", PARALLEL);
    let title_line = PARALLEL.lines().next().expect("a title line").trim_end();
    put(root, "page-1.txt", format!("{title_line}(1)\n{FIRST_PAGE}"));
    put(
        root,
        "page-3.txt",
        format!("{title_line}第3頁\n{LAST_PAGE}"),
    );
    put(root, "un.txt", UN);
    let parsed = parse(&Inputs {
        corpus: vec![root.to_path_buf()],
        ..Inputs::default()
    });
    for id in ["iscc2017/zh", "iscc2017/en-gov"] {
        let edition = parsed.document(id).expect("the edition");
        let top: Vec<(PartKind, Option<u32>)> =
            edition.parts.iter().map(|p| (p.kind, p.number)).collect();
        assert_eq!(
            top,
            [
                (PartKind::Preface, None),
                (PartKind::Chapter, Some(2)),
                (PartKind::Chapter, Some(3)),
                (PartKind::Chapter, Some(4)),
                (PartKind::Conclusion, None),
            ],
            "{id}: pages placed by their first heading, the Conclusion last"
        );
        let preface = &edition.parts[0];
        let kinds: Vec<PartKind> = preface.children.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [PartKind::Epigraph, PartKind::Paragraph], "{id}");
    }
    let english = parsed.document("iscc2017/en-gov").expect("English");
    let epigraph = &english.parts[0].children[0];
    assert_eq!(
        epigraph.text.as_ref().map(|t| t.value.as_str()),
        Some("Cyberspace is the common space of activities for mankind.")
    );
    let attribution = epigraph.attribution.as_ref().expect("attributed");
    assert_eq!(attribution.text.value, "Xi Jinping, 16 December 2015");
    let chinese = parsed.document("iscc2017/zh").expect("Chinese");
    let zh_attribution = chinese.parts[0].children[0]
        .attribution
        .as_ref()
        .expect("attributed");
    assert_eq!(zh_attribution.text.value, "习近平");
    // Spans point into page 3 for its parts.
    let page_3 = &parsed.texts[chinese.source_at(&["chapter-4".to_owned()])];
    let section = &chinese.parts[3].children[0];
    assert_eq!(
        section
            .title
            .as_ref()
            .map(|t| page_3.slice(t.span))
            .as_deref(),
        Some("倡導和促進網絡空間和平與穩定")
    );
    // Aligned with the UN edition wherever both have the part.
    let un = parsed
        .alignments
        .iter()
        .find(|a| a.translation == "iscc2017/en-un")
        .expect("the UN edition is aligned");
    let paths: Vec<String> = un.paths.iter().map(|p| p.join("/")).collect();
    for path in ["preface", "chapter-4", "chapter-4/section-1", "conclusion"] {
        assert!(paths.contains(&path.to_owned()), "{path} in {paths:?}");
    }
}

/// The CSV rows of a SELECT over the corpus the arguments name, sorted, without the header.
fn select(corpus_args: &[&str], query: &str) -> Vec<String> {
    select_corpus(corpus_args, query).split_off(1)
}

/// Per edition: paragraphs, aligned parts, parts that name an entity.
const PER_EDITION: &str = "SELECT ?id (COUNT(DISTINCT ?paragraph) AS ?paragraphs) (COUNT(DISTINCT ?aligned) AS ?alignedParts) (COUNT(DISTINCT ?naming) AS ?namingParts) WHERE {
  ?edition a cyberkg:Edition ; dcterms:identifier ?id .
  { ?paragraph a doco:Paragraph ; cyberkg:inEdition ?edition }
  UNION { ?aligned cyberkg:inEdition ?edition ; schema:translationOfWork ?original }
  UNION { ?naming cyberkg:inEdition ?edition ; schema:mentions ?entity }
} GROUP BY ?id";

#[test]
fn a_markdown_pair_two_pages_and_the_un_edition_build_into_one_graph() {
    let directory = tempfile::tempdir().expect("temp dir");
    let root = directory.path();
    for name in ["strategy-en.md", "strategy-zh.md"] {
        let text = std::fs::read_to_string(Path::new("examples/own-corpus").join(name))
            .expect("the example");
        put(root, &format!("examplia/{name}"), &text);
    }
    let (first, second) = built_in_pages(" - 2");
    put(root, "iscc/page-1.txt", &first);
    put(root, "iscc/page-2.txt", &second);
    put(root, "iscc/un.txt", UN);
    let root_arg = root.to_str().expect("UTF-8 path");
    let together = select(&["--corpus", root_arg], PER_EDITION);
    let builtin = select(&[], PER_EDITION);
    let iscc: Vec<&String> = together
        .iter()
        .filter(|r| r.starts_with("iscc2017/"))
        .collect();
    assert_eq!(
        iscc,
        builtin
            .iter()
            .filter(|r| !r.starts_with("iscc2017/letter"))
            .collect::<Vec<_>>(),
        "the strategy's editions count as in the built-in corpus (the letter aside: its file is here too)"
    );
    let examplia: Vec<&String> = together
        .iter()
        .filter(|r| r.starts_with("examplia/"))
        .collect();
    // Every part of the translation aligns (the document itself, not in an
    // edition, aside), and both name the same number of parts' entities.
    let columns = |row: &str| -> Vec<String> { row.split(',').map(str::to_owned).collect() };
    let (en, zh) = (columns(examplia[0]), columns(examplia[1]));
    assert_eq!(
        (en[0].as_str(), zh[0].as_str()),
        ("examplia/ncs-2025/en", "examplia/ncs-2025/zh")
    );
    assert_eq!(
        (
            en[1].as_str(),
            en[2].as_str(),
            zh[1].as_str(),
            zh[2].as_str()
        ),
        ("11", "0", "11", "19"),
        "{together:?}"
    );
    assert_eq!(en[3], zh[3], "{together:?}");
    assert_ne!(en[3], "0", "{together:?}");
    // The Chinese edition's chapters come from their own pages.
    let pages = select(
        &["--corpus", root_arg],
        "SELECT ?chapter ?file WHERE { ?c a doco:Chapter ; cyberkg:inEdition ?e ; schema:position ?chapter ; prov:wasDerivedFrom ?s . ?e dcterms:identifier \"iscc2017/zh\" . ?s cyberkg:fileName ?file }",
    );
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert!(
        pages[0].starts_with("2,") && pages[0].ends_with("page-1.txt"),
        "{pages:?}"
    );
    assert!(
        pages[1].starts_with("3,") && pages[1].ends_with("page-2.txt"),
        "{pages:?}"
    );
}

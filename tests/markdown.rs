//! The Markdown layout through the real binary, on the README's example
//! corpus (`examples/own-corpus/`: a fictional strategy in English and its
//! Chinese translation): parts and positions, paragraph spans against the
//! files' characters, the alignment, mentions in both languages, the front
//! matter's metadata, and bad front matter refused at its
//! `file:line:column`.

mod common;
use common::{cyberkg, fails, select};

use oxigraph::io::RdfFormat;
use oxigraph::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

const CORPUS: &str = "examples/own-corpus";
const ENGLISH: &str = include_str!("../examples/own-corpus/strategy-en.md");
const CHINESE: &str = include_str!("../examples/own-corpus/strategy-zh.md");
const BASE: &str = "https://w3id.org/cyberkg/";
const PREFIXES: &str = "PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX doco: <http://purl.org/spar/doco/>
PREFIX cyberkg: <https://w3id.org/cyberkg/vocab#>
";

/// The graph `cyberkg export --corpus DIR` writes, in a store.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn exported(corpus: &str) -> Store {
    let output = cyberkg()
        .args(["export", "--corpus", corpus, "--format", "nquads"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let store = Store::new().expect("a store");
    store
        .load_from_slice(RdfFormat::NQuads, &output.stdout)
        .expect("N-Quads");
    store
}

fn rows(store: &Store, query: &str) -> Vec<BTreeMap<String, String>> {
    select(store, &format!("{PREFIXES}{query}"))
}

/// An IRI under the base without the base.
fn short(iri: &str) -> &str {
    iri.strip_prefix(BASE).unwrap_or(iri)
}

/// The expected outline of both documents: (path, title) of every headed part.
const OUTLINE_EN: &[(&str, &str)] = &[
    ("preface", "Preface"),
    ("chapter-1", "Principles"),
    ("chapter-1/section-1", "Peace"),
    ("chapter-1/section-2", "Sovereignty"),
    ("chapter-2", "Actions"),
    ("chapter-2/section-1", "International cooperation"),
    ("chapter-2/section-2", "Domestic resilience"),
    ("conclusion", "Conclusion"),
];
const OUTLINE_ZH: &[(&str, &str)] = &[
    ("preface", "前言"),
    ("chapter-1", "原则"),
    ("chapter-1/section-1", "和平"),
    ("chapter-1/section-2", "主权"),
    ("chapter-2", "行动"),
    ("chapter-2/section-1", "国际合作"),
    ("chapter-2/section-2", "国内韧性"),
    ("conclusion", "结束语"),
];

#[test]
fn chapters_sections_and_their_positions_follow_the_headings() {
    let store = exported(CORPUS);
    for (document, outline) in [("en", OUTLINE_EN), ("zh", OUTLINE_ZH)] {
        let root = format!("{BASE}examplia/ncs-2025/{document}");
        let found: Vec<(String, String)> = rows(
            &store,
            &format!(
                "SELECT ?part ?title WHERE {{ ?part cyberkg:inEdition <{root}> ; dcterms:title ?title }} ORDER BY ?part"
            ),
        )
        .iter()
        .map(|row| {
            let part = row["part"].strip_prefix(&format!("{root}/")).unwrap_or_default();
            (part.to_owned(), row["title"].clone())
        })
        .collect();
        let mut expected: Vec<(String, String)> = outline
            .iter()
            .map(|(path, title)| ((*path).to_owned(), (*title).to_owned()))
            .collect();
        expected.sort();
        assert_eq!(found, expected, "{document}");
        // Every heading's title is in the file, on a '##' or '###' line.
        let text = if document == "en" { ENGLISH } else { CHINESE };
        for (path, title) in outline {
            let marker = if path.contains("section") {
                "### "
            } else {
                "## "
            };
            assert!(
                text.lines()
                    .any(|l| l.starts_with(marker) && l.ends_with(title)),
                "{title}"
            );
        }
        let positions: Vec<(String, String, String)> = rows(
            &store,
            &format!(
                "SELECT ?part ?kind ?position WHERE {{ ?part cyberkg:inEdition <{root}> ; a ?kind ; schema:position ?position . FILTER(?kind IN (doco:Chapter, doco:Section)) }} ORDER BY ?part"
            ),
        )
        .iter()
        .map(|row| {
            (
                short(&row["part"]).to_owned(),
                short(&row["kind"]).rsplit('/').next().unwrap_or_default().to_owned(),
                row["position"].clone(),
            )
        })
        .collect();
        let id = format!("examplia/ncs-2025/{document}");
        let expected: Vec<(String, String, String)> = [
            ("chapter-1", "Chapter", "1"),
            ("chapter-1/section-1", "Section", "1"),
            ("chapter-1/section-2", "Section", "2"),
            ("chapter-2", "Chapter", "2"),
            ("chapter-2/section-1", "Section", "1"),
            ("chapter-2/section-2", "Section", "2"),
        ]
        .iter()
        .map(|(p, k, n)| (format!("{id}/{p}"), (*k).to_owned(), (*n).to_owned()))
        .collect();
        assert_eq!(positions, expected, "{document}");
    }
}

/// The text a reader sees of a Markdown paragraph's source: the example
/// corpus uses emphasis, one link and line breaks inside a paragraph.
fn rendered(source: &str) -> String {
    let mut text = source.replace('\n', " ").replace('*', "");
    while let (Some(open), Some(middle)) = (text.find('['), text.find("](")) {
        let Some(close) = text[middle..].find(')').map(|i| middle + i) else {
            break;
        };
        text = format!(
            "{}{}{}",
            &text[..open],
            &text[open + 1..middle],
            &text[close + 1..]
        );
    }
    text
}

#[test]
fn every_paragraph_span_points_at_its_source_characters() {
    let store = exported(CORPUS);
    let found = rows(
        &store,
        "SELECT ?part ?text ?file ?start ?end WHERE {
            ?part a doco:Paragraph ; schema:text ?text ; cyberkg:textSpan ?span .
            ?span cyberkg:startOffset ?start ; cyberkg:endOffset ?end ; cyberkg:sourceFile ?source .
            ?source cyberkg:fileName ?file }",
    );
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut with_markup = 0;
    for row in &found {
        let text = match Path::new(&row["file"]).file_name().and_then(|n| n.to_str()) {
            Some("strategy-en.md") => ENGLISH,
            Some("strategy-zh.md") => CHINESE,
            other => panic!("an unexpected source file {other:?}"),
        };
        let (start, end): (usize, usize) = (
            row["start"].parse().unwrap_or_default(),
            row["end"].parse().unwrap_or_default(),
        );
        let characters: String = text.chars().skip(start).take(end - start).collect();
        if characters != row["text"] {
            with_markup += 1;
            assert_eq!(rendered(&characters), row["text"], "{}", row["part"]);
        }
        *counts.entry(row["file"].clone()).or_default() += 1;
    }
    // A paragraph with emphasis and a link, one with a line break (English),
    // one with emphasis (Chinese): the spans cover their markup.
    assert_eq!(with_markup, 3);
    let counts: Vec<usize> = counts.into_values().collect();
    assert_eq!(counts, [11, 11]);
}

#[test]
fn the_translation_aligns_part_by_part_with_its_original() {
    let store = exported(CORPUS);
    let links = rows(
        &store,
        "SELECT ?translation ?original WHERE { ?translation schema:translationOfWork ?original }",
    );
    let links: Vec<(String, String)> = links
        .iter()
        .map(|row| {
            (
                short(&row["translation"]).to_owned(),
                short(&row["original"]).to_owned(),
            )
        })
        .collect();
    // The document, 8 headed parts and 11 paragraphs: 20 links, each from
    // a Chinese part to the English part at the same path.
    assert_eq!(links.len(), 20, "{links:?}");
    for (translation, original) in &links {
        let path = translation.strip_prefix("examplia/ncs-2025/zh");
        assert_eq!(
            path,
            original.strip_prefix("examplia/ncs-2025/en"),
            "{translation} → {original}"
        );
    }
}

#[test]
fn mentions_are_found_in_both_languages() {
    let store = exported(CORPUS);
    let found = rows(
        &store,
        "SELECT DISTINCT ?document ?entity WHERE { ?part cyberkg:inEdition ?document ; schema:mentions ?entity }",
    );
    let found: Vec<(String, String)> = found
        .iter()
        .map(|row| {
            (
                short(&row["document"]).to_owned(),
                short(&row["entity"]).to_owned(),
            )
        })
        .collect();
    for document in ["examplia/ncs-2025/en", "examplia/ncs-2025/zh"] {
        for entity in [
            "entity/united-nations",
            "entity/internet-governance-forum",
            "entity/g20",
            "entity/charter-of-the-united-nations",
        ] {
            assert!(
                found.contains(&(document.to_owned(), entity.to_owned())),
                "{document} {entity}: {found:?}"
            );
        }
    }
    // The emphasised *Internet* / *互联网* is found in the rendered text.
    for (part, exact) in [
        (
            "examplia/ncs-2025/en/chapter-1/section-2/paragraph-1",
            "Internet",
        ),
        (
            "examplia/ncs-2025/zh/chapter-1/section-2/paragraph-1",
            "互联网",
        ),
    ] {
        let hits = rows(
            &store,
            &format!(
                "PREFIX oa: <http://www.w3.org/ns/oa#>
                SELECT ?exact WHERE {{ ?target oa:hasSource <{BASE}{part}> ; oa:hasSelector ?selector . ?selector oa:exact ?exact }}"
            ),
        );
        let exacts: Vec<&str> = hits.iter().map(|row| row["exact"].as_str()).collect();
        assert!(exacts.contains(&exact), "{part}: {exacts:?}");
    }
}

#[test]
fn front_matter_gives_the_metadata() {
    let store = exported(CORPUS);
    let found = rows(
        &store,
        "SELECT ?document ?title ?language ?date ?publisher ?country WHERE {
            ?document a cyberkg:Edition ; dcterms:title ?title ; schema:inLanguage ?language ;
                dcterms:issued ?date ; dcterms:publisher ?publisher ; cyberkg:country ?country }
            ORDER BY ?document",
    );
    let found: Vec<Vec<String>> = found
        .iter()
        .map(|row| {
            [
                "document",
                "title",
                "language",
                "date",
                "publisher",
                "country",
            ]
            .iter()
            .map(|key| short(&row[*key]).to_owned())
            .collect()
        })
        .collect();
    assert_eq!(
        found,
        [
            [
                "examplia/ncs-2025/en",
                "National Cyberspace Strategy of the Republic of Examplia",
                "en",
                "2025-05-01",
                "Ministry of Digital Affairs of the Republic of Examplia",
                "Republic of Examplia",
            ],
            [
                "examplia/ncs-2025/zh",
                "埃克森普利亚共和国国家网络空间战略",
                "zh-Hans",
                "2025-06-01",
                "埃克森普利亚共和国数字事务部",
                "Republic of Examplia",
            ],
        ]
        .map(|row| row.map(str::to_owned).to_vec())
    );
    let layouts = rows(
        &store,
        "SELECT DISTINCT ?layout WHERE { ?s cyberkg:layout ?layout }",
    );
    assert_eq!(layouts.len(), 1);
    assert_eq!(layouts[0]["layout"], "markdown");
}

#[test]
fn the_graph_conforms_to_the_shapes() {
    let output = cyberkg()
        .args(["validate", "--corpus", CORPUS])
        .output()
        .map_err(|e| e.to_string());
    let output = output.as_ref().map(|o| {
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        )
    });
    assert_eq!(
        output,
        Ok((Some(0), "0 violations: the graph conforms".to_owned()))
    );
}

#[test]
fn differing_paragraph_counts_are_warned_about_and_not_aligned() {
    let directory = tempfile::tempdir().map_err(|e| e.to_string());
    let Ok(directory) = directory else {
        panic!("{directory:?}");
    };
    let shorter = CHINESE.replace("- 培训网络外交官员；\n", "");
    assert_ne!(shorter, CHINESE);
    common::write(directory.path(), "en.md", ENGLISH);
    common::write(directory.path(), "zh.md", &shorter);
    let output = cyberkg()
        .args(["build", "--corpus"])
        .arg(directory.path())
        .output()
        .map_err(|e| e.to_string());
    let Ok(output) = output else {
        panic!("{output:?}");
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let alignment: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("[alignment-count]"))
        .collect();
    assert_eq!(alignment.len(), 1, "{stderr}");
    assert!(
        alignment[0].contains("zh.md:") && alignment[0].contains("chapter-2/section-1"),
        "{}",
        alignment[0]
    );
}

#[test]
fn bad_front_matter_is_refused_at_its_position() {
    let directory = tempfile::tempdir().map_err(|e| e.to_string());
    let Ok(directory) = directory else {
        panic!("{directory:?}");
    };
    let table = [
        (
            "unknown.md",
            "+++\ntitle = \"T\"\nauthor = \"me\"\n+++\n# T\n",
            "3:1: unknown field `author`, expected one of `id`, `title`, `language`, `date`, `publisher`, `translation-of`, `translation_of`, `country`",
        ),
        (
            "date.md",
            "+++\ntitle = \"T\"\ndate = 2025-02-30\n+++\n",
            "3:8: invalid date",
        ),
        (
            "language.md",
            "+++\nlanguage = \"english language\"\n+++\n",
            "2:12: 'english language' is not a well-formed BCP 47 language tag",
        ),
        (
            "unclosed.md",
            "+++\ntitle = \"T\"\n\n# T\n",
            "1:1: the front matter opened by this +++ line is never closed; end it with a line holding only +++",
        ),
    ];
    for (name, text, message) in table {
        let path = common::write(directory.path(), name, text);
        let path = path.display().to_string();
        let output = cyberkg()
            .args(["build", "--source", &path])
            .output()
            .map_err(|e| e.to_string());
        let Ok(output) = output else {
            panic!("{output:?}");
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.starts_with(&format!("cyberkg: {path}:{message}")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}");
    }
    // The exact one-line message for one of them.
    let path = directory.path().join("unknown.md").display().to_string();
    fails(
        &["build", "--source", &path],
        1,
        &format!(
            "{path}:3:1: unknown field `author`, expected one of `id`, `title`, `language`, `date`, `publisher`, `translation-of`, `translation_of`, `country`"
        ),
    );
}

//! The built-in graph against the source texts: the structure of each
//! version, the alignment, language tags, clean Simplified Chinese, and
//! provenance spans that point at exactly the characters of each text.

mod common;
use common::{default_store, select};

use oxigraph::store::Store;
use std::collections::BTreeMap;

#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn count(store: &Store, query: &str) -> usize {
    select(store, query)
        .first()
        .and_then(|row| row.get("n"))
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

#[test]
fn each_version_has_the_structure_of_its_text() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?edition (COUNT(DISTINCT ?chapter) AS ?chapters) (COUNT(DISTINCT ?section) AS ?sections) (COUNT(DISTINCT ?paragraph) AS ?paragraphs) WHERE {
            VALUES ?type { cyberkg:Edition cyberkg:CoverLetter } ?root a ?type ; dcterms:identifier ?edition .
            OPTIONAL { ?chapter a doco:Chapter ; cyberkg:inEdition ?root }
            OPTIONAL { ?section a doco:Section ; cyberkg:inEdition ?root }
            OPTIONAL { ?paragraph a doco:Paragraph ; cyberkg:inEdition ?root }
        } GROUP BY ?edition ORDER BY ?edition",
    );
    let summary: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["edition"], r["chapters"], r["sections"], r["paragraphs"]
            )
        })
        .collect();
    // UN text: Chapters I-IV; II has 4 sections, III 6, IV 9; paragraphs: Preface 3, I 3, II 12, III 13, IV 31, Conclusion 2.
    // Parallel text: Chapters II-III, 10 sections, 25 paragraphs (the seeds README: "Its 25 paragraphs").
    assert_eq!(
        summary,
        vec![
            "iscc2017/en-gov 2 10 25",
            "iscc2017/en-un 4 19 64",
            "iscc2017/un-letter 0 0 2",
            "iscc2017/zh 2 10 25"
        ]
    );

    let per_chapter = select(
        &store,
        "SELECT ?n (COUNT(?p) AS ?paragraphs) WHERE {
            ?root dcterms:identifier \"iscc2017/en-un\" .
            ?chapter a doco:Chapter ; cyberkg:inEdition ?root ; schema:position ?n .
            ?p a doco:Paragraph ; dcterms:isPartOf+ ?chapter .
        } GROUP BY ?n ORDER BY ?n",
    );
    let per_chapter: Vec<String> = per_chapter
        .iter()
        .map(|r| format!("{}:{}", r["n"], r["paragraphs"]))
        .collect();
    assert_eq!(per_chapter, vec!["1:3", "2:12", "3:13", "4:31"]);

    let others = select(
        &store,
        "SELECT ?kind (COUNT(?p) AS ?paragraphs) WHERE {
            VALUES ?kind { doco:Preface deo:Conclusion }
            ?part a ?kind . ?p a doco:Paragraph ; dcterms:isPartOf ?part .
        } GROUP BY ?kind ORDER BY ?kind",
    );
    let others: Vec<String> = others
        .iter()
        .map(|r| {
            format!(
                "{} {}",
                r["kind"].rsplit('/').next().unwrap_or(""),
                r["paragraphs"]
            )
        })
        .collect();
    assert_eq!(
        others,
        vec!["Conclusion 2", "Preface 3"],
        "ordered by class IRI: deo before doco"
    );
    let chapters = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { { ?x a doco:Preface } UNION { ?x a deo:Conclusion } ?x a doco:Chapter }",
    );
    assert_eq!(chapters, 0, "the Preface and Conclusion are not chapters");
}

#[test]
fn section_titles_are_the_printed_ones() {
    let store = default_store();
    let titles = |edition: &str| -> Vec<String> {
        select(
            &store,
            &format!(
                "SELECT ?title WHERE {{ ?root dcterms:identifier \"{edition}\" . ?c a doco:Chapter ; cyberkg:inEdition ?root ; schema:position 3 .
                 ?s dcterms:isPartOf ?c ; a doco:Section ; schema:position ?n ; dcterms:title ?title . FILTER(LANGMATCHES(LANG(?title), \"{}\")) }} ORDER BY ?n",
                if edition.ends_with("zh") { "zh-Hans" } else { "en" }
            ),
        )
        .into_iter()
        .map(|r| r["title"].clone())
        .collect()
    };
    // strategy-un-english.txt lines 112-142; strategy-parallel-zh-en.txt lines 22-37.
    assert_eq!(
        titles("iscc2017/en-un")[0],
        "Defending sovereignty and security"
    );
    assert_eq!(
        titles("iscc2017/en-un")[5],
        "Building a cyberculture exchange platform"
    );
    assert_eq!(
        titles("iscc2017/en-gov")[1],
        "Developing A System of International Rules"
    );
    assert_eq!(
        titles("iscc2017/zh"),
        vec![
            "维护主权与安全",
            "构建国际规则体系",
            "促进互联网公平治理",
            "保护公民合法权益",
            "促进数字经济合作",
            "打造网上文化交流平台"
        ]
    );
}

#[test]
fn english_parts_are_aligned_with_their_chinese_originals() {
    let store = default_store();
    // Every Chinese part (2 chapters, 10 sections, 25 paragraphs) and the root has exactly two translations.
    let rows = select(
        &store,
        "SELECT ?zh (COUNT(?en) AS ?n) WHERE { ?zh cyberkg:inEdition|^cyberkg:inEdition? ?root . ?root dcterms:identifier \"iscc2017/zh\" .
         FILTER NOT EXISTS { ?zh a doco:Sentence }
         OPTIONAL { ?zh schema:workTranslation ?en } } GROUP BY ?zh",
    );
    assert_eq!(
        rows.len(),
        38,
        "the root, 2 chapters, 10 sections and 25 paragraphs"
    );
    assert!(rows.iter().all(|r| r["n"] == "2"), "{rows:?}");
    // The links go both ways and only between parts of the same kind, number and position.
    let links = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?en schema:translationOfWork ?zh }",
    );
    assert_eq!(links, 2 * 38);
    let one_way = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?en schema:translationOfWork ?zh FILTER NOT EXISTS { ?zh schema:workTranslation ?en } }",
    );
    assert_eq!(one_way, 0);
    let other_type = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?en schema:translationOfWork ?zh ; a ?type FILTER NOT EXISTS { ?zh a ?type } }",
    );
    assert_eq!(other_type, 0);
    let other_position = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?en schema:translationOfWork ?zh ; schema:position ?a . ?zh schema:position ?b FILTER(?a != ?b) }",
    );
    assert_eq!(other_position, 0);
    // UN Chapter II section 1 paragraph 2 is the Charter paragraph in all three versions.
    let rows = select(
        &store,
        "SELECT ?un ?zh WHERE { ?root dcterms:identifier \"iscc2017/en-un\" .
         ?c cyberkg:inEdition ?root ; a doco:Chapter ; schema:position 2 . ?s dcterms:isPartOf ?c ; schema:position 1 .
         ?p dcterms:isPartOf ?s ; schema:position 2 ; schema:text ?un ; schema:translationOfWork ?orig .
         ?orig schema:text ?zh . FILTER(LANGMATCHES(LANG(?zh), \"zh-Hans\")) }",
    );
    assert_eq!(rows.len(), 1);
    assert!(rows[0]["un"].contains("Charter of the United Nations"));
    assert!(
        rows[0]["zh"].contains("《联合国宪章》"),
        "{}",
        rows[0]["zh"]
    );
    // Parts outside Chapters II-III have no counterpart.
    let outside = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?c a doco:Chapter ; schema:position 4 ; schema:translationOfWork ?x }",
    );
    assert_eq!(outside, 0);
}

#[test]
fn every_text_literal_is_language_tagged() {
    let store = default_store();
    let untagged = select(
        &store,
        "SELECT ?s ?p WHERE { VALUES ?p { dcterms:title schema:text cyberkg:attribution cyberkg:sender cyberkg:addressee cyberkg:signatory cyberkg:signatoryRole cyberkg:circulatedBy dcterms:publisher dcterms:description rdfs:comment cyberkg:evidence }
         ?s ?p ?o . FILTER(LANG(?o) = \"\") }",
    );
    assert!(untagged.is_empty(), "untagged text: {untagged:?}");
    let tags = select(
        &store,
        "SELECT DISTINCT ?tag WHERE { ?s schema:text|dcterms:title ?o BIND(LCASE(LANG(?o)) AS ?tag) } ORDER BY ?tag",
    );
    let tags: Vec<&str> = tags.iter().map(|r| r["tag"].as_str()).collect();
    assert_eq!(tags, vec!["en", "zh-hans", "zh-hant"]);
    let chinese_nodes = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a doco:Paragraph ; schema:text ?a , ?b . FILTER(LANGMATCHES(LANG(?a), \"zh-Hans\") && LANGMATCHES(LANG(?b), \"zh-Hant\")) }",
    );
    assert_eq!(
        chinese_nodes, 25,
        "every Chinese paragraph has a Simplified and a Traditional text"
    );
    let chinese_sentences = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a doco:Sentence ; schema:text ?a , ?b . FILTER(LANGMATCHES(LANG(?a), \"zh-Hans\") && LANGMATCHES(LANG(?b), \"zh-Hant\")) }",
    );
    let all_chinese_sentences = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a doco:Sentence ; cyberkg:inEdition/dcterms:identifier \"iscc2017/zh\" }",
    );
    assert_eq!(
        (chinese_sentences, all_chinese_sentences),
        (65, 65),
        "every Chinese sentence has a Simplified and a Traditional text"
    );
}

#[test]
fn the_chinese_is_clean_simplified_chinese() {
    let store = default_store();
    let texts = select(
        &store,
        "SELECT ?t WHERE { GRAPH <https://w3id.org/cyberkg/graph/text> { ?s schema:text|dcterms:title ?t } FILTER(LANGMATCHES(LANG(?t), \"zh-Hans\")) FILTER NOT EXISTS { ?s a doco:Sentence } }",
    );
    assert_eq!(
        texts.len(),
        25 + 12 + 1,
        "25 paragraphs, 12 headings, the title"
    );
    for row in &texts {
        let text = &row["t"];
        assert!(
            !text.contains('?') && !text.contains("/td>"),
            "corruption left in {text}"
        );
        assert!(
            !text
                .chars()
                .any(|c| c.is_ascii_alphabetic() || "āáǎàēéěèīíǐìōóǒòūúǔù".contains(c)),
            "pinyin or Latin left in {text}"
        );
        assert_eq!(hanconv::t2s(text), *text, "not fully Simplified: {text}");
    }
    let traditional = select(
        &store,
        "SELECT ?t WHERE { ?s schema:text ?t FILTER(LANGMATCHES(LANG(?t), \"zh-Hant\")) }",
    );
    assert!(
        traditional.iter().any(|r| r["t"].contains("網絡")),
        "the Traditional text keeps its script"
    );
    let digital_divide = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a doco:Paragraph ; schema:text ?t FILTER(CONTAINS(?t, \"数字鸿沟\")) }",
    );
    assert_eq!(
        digital_divide, 2,
        "both corrupted 'digital divide' spans are repaired (lines 19 and 36)"
    );
}

#[test]
fn spans_point_at_the_characters_each_text_was_read_from() {
    let store = default_store();
    let files: BTreeMap<&str, Vec<char>> = [
        (
            "data/corpus/strategy-un-english.txt",
            include_str!("../data/corpus/strategy-un-english.txt"),
        ),
        (
            "data/corpus/strategy-parallel-zh-en.txt",
            include_str!("../data/corpus/strategy-parallel-zh-en.txt"),
        ),
    ]
    .into_iter()
    .map(|(name, text)| (name, text.chars().collect()))
    .collect();
    let rows = select(
        &store,
        "SELECT ?node ?text ?file ?start ?end ?line ?column ?repaired WHERE {
            ?node schema:text|dcterms:title ?text ; cyberkg:textSpan|cyberkg:titleSpan ?span .
            ?span cyberkg:startOffset ?start ; cyberkg:endOffset ?end ; cyberkg:startLine ?line ; cyberkg:startColumn ?column ; cyberkg:sourceFile/cyberkg:fileName ?file .
            FILTER(LANGMATCHES(LANG(?text), \"en\") || LANGMATCHES(LANG(?text), \"zh-Hant\"))
            FILTER NOT EXISTS { ?node schema:text ?t2 ; dcterms:title ?t3 }
            BIND(EXISTS { ?node cyberkg:repair ?r } || EXISTS {
                ?node a doco:Sentence ; dcterms:isPartOf/cyberkg:repair ?r .
                ?r cyberkg:startOffset ?repairStart ; cyberkg:endOffset ?repairEnd .
                FILTER(?repairStart < ?end && ?start < ?repairEnd)
            } AS ?repaired)
        }",
    );
    assert!(rows.len() > 150, "{}", rows.len());
    let strip_glosses = |text: &str| -> String {
        // The independent reading of the seeds README: a gloss is "(" pinyin ")" after a CJK character.
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            out.push(c);
            if ('\u{4e00}'..='\u{9fff}').contains(&c) && chars.peek() == Some(&'(') {
                let rest: String = chars.clone().take(10).collect();
                if let Some(end) = rest.find(')')
                    && rest[1..end].chars().all(|c| c.is_lowercase() || c == ' ')
                    && end > 1
                {
                    for _ in 0..rest[..=end].chars().count() {
                        chars.next();
                    }
                }
            }
        }
        out
    };
    let mut checked = 0;
    for row in rows.iter().filter(|r| r["repaired"] == "false") {
        let chars = &files[row["file"].as_str()];
        let (start, end): (usize, usize) = (
            row["start"].parse().expect("start"),
            row["end"].parse().expect("end"),
        );
        let slice: String = chars[start..end].iter().collect();
        assert_eq!(strip_glosses(&slice), row["text"], "{}", row["node"]);
        let line = chars[..start].iter().filter(|c| **c == '\n').count() + 1;
        let column = start
            - chars[..start]
                .iter()
                .rposition(|c| *c == '\n')
                .map_or(0, |i| i + 1)
            + 1;
        assert_eq!(
            (line.to_string(), column.to_string()),
            (row["line"].clone(), row["column"].clone()),
            "{}",
            row["node"]
        );
        checked += 1;
    }
    assert!(checked > 150, "{checked}");
}

#[test]
fn repairs_are_recorded_with_the_damaged_characters() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?kind ?original ?replacement ?line WHERE { ?node cyberkg:repair ?r . ?r cyberkg:repairKind ?kind ; cyberkg:originalText ?original ; cyberkg:replacementText ?replacement ; cyberkg:startLine ?line }
         ORDER BY ?line ?kind",
    );
    let summary: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?}->{:?}",
                r["line"], r["kind"], r["original"], r["replacement"]
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            "15 erratum \"各自?xún)?yōu)勢\"->\"各自優勢\"",
            "19 erratum \"數字?zhù)櫆稀薄?\"->\"數字鴻溝”。\"",
            "19 html-remnant \"/td>\"->\"\"",
            "36 erratum \"數字?zhù)櫆稀保瑢?shí)現\"->\"數字鴻溝”，實(shí)現\"",
            "192 page-break \"\\n\\n\"->\" \"",
            "226 erratum \"informationsharing\"->\"information-sharing\"",
        ]
    );
    let joined = select(
        &store,
        "SELECT ?t WHERE { ?p a doco:Paragraph ; schema:text ?t FILTER(STRSTARTS(?t, \"China will strengthen regional cooperation.\")) }",
    );
    assert_eq!(joined.len(), 1);
    assert!(joined[0]["t"].ends_with("organizations such as the ASEAN Regional Forum, and it will put forward a plan for the BRICS States to adopt a mechanism to combat cybercrime and cyberterrorism."));
}

#[test]
fn the_cover_letter_states_its_facts() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?created ?issued ?stated ?sender ?addressee ?signatory ?role ?edition WHERE { ?l a cyberkg:CoverLetter ; dcterms:created ?created ; dcterms:issued ?issued ;
         cyberkg:statedIssueDate ?stated ; cyberkg:sender ?sender ; cyberkg:addressee ?addressee ; cyberkg:signatory ?signatory ; cyberkg:signatoryRole ?role ; cyberkg:transmits/dcterms:identifier ?edition }",
    );
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    // strategy-un-english.txt lines 4, 6, 9 and 13.
    assert_eq!(
        (
            row["created"].as_str(),
            row["issued"].as_str(),
            row["stated"].as_str()
        ),
        ("2017-03-03", "2017-03-07", "2017-03-01")
    );
    assert_eq!(
        row["sender"],
        "the Permanent Mission of the People's Republic of China"
    );
    assert_eq!(
        row["addressee"],
        "the Secretary-General of the Conference on Disarmament"
    );
    assert_eq!(
        (row["signatory"].as_str(), row["role"].as_str()),
        (
            "Fu Cong",
            "Ambassador for Disarmament Affairs of China to the Conference on Disarmament"
        )
    );
    assert_eq!(row["edition"], "iscc2017/en-un");
    let epigraph = select(
        &store,
        "SELECT ?text ?by ?date WHERE { ?e a cyberkg:Epigraph ; schema:text ?text ; cyberkg:attribution ?by ; dcterms:date ?date }",
    );
    assert_eq!(epigraph.len(), 1);
    assert!(
        epigraph[0]["text"].starts_with("Cyberspace is a shared space of activities for humankind")
    );
    assert_eq!(
        epigraph[0]["by"],
        "Xi Jinping, President of the People's Republic of China, 16 December 2015"
    );
    assert_eq!(epigraph[0]["date"], "2015-12-16");
}

#[test]
fn no_blank_nodes_and_stable_iris() {
    let store = default_store();
    let blank = count(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }",
    );
    assert_eq!(blank, 0);
    let iris = select(
        &store,
        "SELECT ?s WHERE { ?s a doco:Paragraph ; schema:position 4 ; dcterms:isPartOf/schema:position 5 ; dcterms:isPartOf/dcterms:isPartOf/schema:position 4 }",
    );
    let iris: Vec<&str> = iris.iter().map(|r| r["s"].as_str()).collect();
    assert_eq!(
        iris,
        vec!["https://w3id.org/cyberkg/iscc2017/en-un/chapter-4/section-5/paragraph-4"]
    );
}

#[test]
fn the_dataset_describes_itself_with_counts_that_hold() {
    let store = default_store();
    let described = |property: &str| -> usize {
        let rows = select(
            &store,
            &format!(
                "SELECT ?n WHERE {{ ?d a void:Dataset ; void:uriSpace \"https://w3id.org/cyberkg/\" ; {property} ?n }}"
            ),
        );
        rows[0]["n"].parse().expect("a count")
    };
    let count = |query: &str| -> usize { select(&store, query)[0]["n"].parse().expect("a count") };
    let content = "GRAPH ?g { ?s ?p ?o } FILTER(?g != <https://w3id.org/cyberkg/graph/metadata>)";
    // The build writes the curated-data nodes of the provenance graph with the description; they are not counted.
    let curated = "FILTER NOT EXISTS { GRAPH ?g { ?s a cyberkg:CuratedData ; dcterms:identifier ?id FILTER(?id IN (\"entities\", \"facts\", \"logic\")) } }";
    assert_eq!(
        described("void:triples"),
        count(&format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {content} {curated} }} }}"
        ))
    );
    assert_eq!(
        described("void:properties"),
        count(&format!(
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ {content} {curated} }}"
        ))
    );
    assert_eq!(
        described("void:classes"),
        count(&format!(
            "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE {{ GRAPH ?g {{ ?s a ?o }} FILTER(?g != <https://w3id.org/cyberkg/graph/metadata>) {curated} }}"
        ))
    );
    let links = select(
        &store,
        "SELECT ?target ?n WHERE { ?l a void:Linkset ; void:objectsTarget ?target ; void:triples ?n } ORDER BY ?target",
    );
    let wikidata = count(
        "SELECT (COUNT(*) AS ?n) WHERE { ?e owl:sameAs ?i FILTER(STRSTARTS(STR(?i), \"http://www.wikidata.org/entity/\")) }",
    );
    let dbpedia = count(
        "SELECT (COUNT(*) AS ?n) WHERE { ?e owl:sameAs ?i FILTER(STRSTARTS(STR(?i), \"http://dbpedia.org/resource/\")) }",
    );
    let links: Vec<(String, String)> = links
        .into_iter()
        .map(|r| (r["target"].clone(), r["n"].clone()))
        .collect();
    assert_eq!(
        links,
        vec![
            ("https://dbpedia.org/".to_owned(), dbpedia.to_string()),
            ("https://www.wikidata.org/".to_owned(), wikidata.to_string())
        ]
    );
    assert_eq!(wikidata, 29);
    // DCAT: one distribution per export format; dates from the manifest, not the clock.
    let media: Vec<String> = select(
        &store,
        "SELECT ?m WHERE { ?d dcat:distribution/dcat:mediaType ?m } ORDER BY ?m",
    )
    .into_iter()
    .map(|r| r["m"].clone())
    .collect();
    assert_eq!(media.len(), cyberkg::export::ALL_FORMATS.len());
    assert!(media.contains(&"https://www.iana.org/assignments/media-types/text/turtle".to_owned()));
    let dates = select(
        &store,
        "SELECT ?issued ?modified WHERE { ?d a dcat:Dataset ; dcterms:issued ?issued ; dcterms:modified ?modified }",
    );
    assert_eq!(
        (dates[0]["issued"].as_str(), dates[0]["modified"].as_str()),
        ("2017-03-01", "2017-03-07")
    );
    // PROV-O: the build used each source file, whose SHA-256 is that of the file's bytes.
    let used = select(
        &store,
        "SELECT ?file ?sha WHERE { ?b a prov:Activity ; prov:used ?s . ?s cyberkg:fileName ?file ; cyberkg:sha256 ?sha }",
    );
    assert_eq!(
        used.len(),
        6,
        "two texts, the errata, the entities, the facts and the logic"
    );
    for row in &used {
        let bytes =
            std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(&row["file"]))
                .expect("the file exists");
        assert_eq!(
            row["sha"],
            cyberkg::corpus::sha256_hex(&bytes),
            "{}",
            row["file"]
        );
    }
}

#[test]
fn a_rebuild_knows_the_graphs_earlier_builds_wrote() {
    use cyberkg::graph::{Base, GraphNames};
    use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
    let store = default_store();
    let names = GraphNames::new(&Base::default()).expect("the default base");
    let ours: Vec<NamedNode> = names.all().into_iter().cloned().collect();
    let mut found = GraphNames::written_before(&store).expect("readable");
    let mut expected = ours.clone();
    expected.sort_unstable();
    found.sort_unstable();
    assert_eq!(found, expected);

    // A loaded graph, and one named like a metadata graph without a build's
    // description in it, are not a build's.
    let add = |graph: &str| {
        store
            .insert(&Quad::new(
                NamedNode::new_unchecked("http://example.org/s"),
                NamedNode::new_unchecked("http://example.org/p"),
                Literal::new_simple_literal("o"),
                GraphName::NamedNode(NamedNode::new_unchecked(graph)),
            ))
            .expect("inserted");
    };
    add("https://w3id.org/cyberkg/graph/external/wikidata-extract");
    add("http://example.org/other/graph/metadata");
    let mut again = GraphNames::written_before(&store).expect("readable");
    again.sort_unstable();
    assert_eq!(again, expected);

    // A build under another base, copied into the same store, is found too.
    let elsewhere = "https://example.org/kg/";
    let metadata = names.metadata.as_str();
    for quad in store
        .quads_for_pattern(None, None, None, Some(names.metadata.as_ref().into()))
        .collect::<Result<Vec<_>, _>>()
        .expect("readable")
    {
        store
            .insert(&Quad::new(
                quad.subject,
                quad.predicate,
                quad.object,
                GraphName::NamedNode(NamedNode::new_unchecked(
                    metadata.replace("https://w3id.org/cyberkg/", elsewhere),
                )),
            ))
            .expect("inserted");
    }
    let both = GraphNames::written_before(&store).expect("readable");
    assert_eq!(both.len(), 12, "{both:?}");
    assert!(
        both.iter()
            .any(|g| g.as_str() == "https://example.org/kg/graph/annotations")
    );
}

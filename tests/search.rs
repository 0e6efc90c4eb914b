//! Full-text search (`cyberkg search` and `SERVICE <https://w3id.org/cyberkg/search>`)
//! against the source text: both Chinese scripts give the same hits, which
//! are the parts whose text holds the word; English inflections meet in
//! their Snowball stem; a phrase ranks first; the filters filter; the
//! SERVICE joins the graph; bad input is one line and exit 2; an on-disk
//! index follows its store.

mod common;

use common::{cyberkg, default_store, fails, select};
use std::collections::BTreeSet;

/// The hits of `cyberkg search ARGS -r json`, in order.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn hits(args: &[&str]) -> Vec<serde_json::Value> {
    let output = cyberkg()
        .arg("search")
        .args(args)
        .args(["-r", "json", "--limit", "10000"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    parsed.as_array().expect("an array").clone()
}

/// The IRIs of the hits, in order.
fn iris(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .map(|hit| hit["iri"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// The parts (paragraphs and headings, not sentences: a hit names the
/// paragraph) whose text (or title) in `language` satisfies `filter`, an
/// expression over `?t` (the lower-cased text).
fn parts_where(language: &str, filter: &str) -> BTreeSet<String> {
    let query = format!(
        "SELECT DISTINCT ?p WHERE {{
           ?p cyberkg:inEdition ?e . FILTER NOT EXISTS {{ ?p a doco:Sentence }}
           {{ ?p schema:text ?text }} UNION {{ ?p dcterms:title ?text }}
           FILTER(LANGMATCHES(LANG(?text), \"{language}\"))
           BIND(LCASE(STR(?text)) AS ?t) FILTER({filter}) }}"
    );
    select(&default_store(), &query)
        .into_iter()
        .map(|row| row["p"].clone())
        .collect()
}

#[test]
fn simplified_and_traditional_queries_find_the_parts_that_hold_the_word() {
    let simplified = hits(&["主权"]);
    let traditional = hits(&["主權"]);
    assert_eq!(iris(&simplified), iris(&traditional));
    assert_eq!(iris(&hits(&["网络主权"])), iris(&hits(&["網絡主權"])));
    // Every Chinese part whose text has the two characters, and no other.
    let expected = parts_where("zh", "CONTAINS(?t, \"主权\")");
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(
        iris(&simplified).into_iter().collect::<BTreeSet<_>>(),
        expected
    );
    for hit in &traditional {
        assert_eq!(hit["language"], "zh");
        let snippet = hit["snippet"].as_str().unwrap_or_default();
        // The marks are code-point ranges of the snippet, on the word.
        let marked: Vec<String> = hit["marks"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|mark| {
                let start = mark[0].as_u64().unwrap_or_default() as usize;
                let end = mark[1].as_u64().unwrap_or_default() as usize;
                snippet.chars().skip(start).take(end - start).collect()
            })
            .collect();
        assert!(
            !marked.is_empty() && marked.iter().all(|word| word == "主权"),
            "{marked:?} in {snippet}"
        );
    }
}

#[test]
fn english_inflections_meet_in_their_stem() {
    // Snowball English: cooperate, cooperation, cooperating → "cooper".
    let cooperate = iris(&hits(&["cooperate", "--language", "en"]));
    let expected = parts_where(
        "en",
        "REGEX(?t, \"\\\\bcooperat(e|es|ed|ing|ion|ions)\\\\b\")",
    );
    assert_eq!(cooperate.iter().cloned().collect::<BTreeSet<_>>(), expected);
    let only_noun = parts_where(
        "en",
        "CONTAINS(?t, \"cooperation\") && !REGEX(?t, \"\\\\bcooperate\\\\b\")",
    );
    assert!(
        only_noun.iter().any(|part| cooperate.contains(part)),
        "'cooperate' finds a part that only says 'cooperation'"
    );
    // Porter2 keeps "sovereignty" a stem of its own ("sovereignti"): the
    // query "sovereign" does not find a part that only says "sovereignty",
    // and "sovereignty" finds exactly the parts that say it.
    let sovereign = iris(&hits(&["sovereign"]));
    let sovereignty_only = parts_where(
        "en",
        "CONTAINS(?t, \"sovereignty\") && !REGEX(?t, \"\\\\bsovereigns?\\\\b\")",
    );
    assert!(!sovereign.is_empty() && !sovereignty_only.is_empty());
    assert!(
        sovereign
            .iter()
            .all(|part| !sovereignty_only.contains(part))
    );
    let sovereignty = iris(&hits(&["sovereignty", "--language", "en"]));
    assert_eq!(
        sovereignty.into_iter().collect::<BTreeSet<_>>(),
        parts_where("en", "REGEX(?t, \"\\\\bsovereignt(y|ies)\\\\b\")")
    );
}

#[test]
fn a_part_with_the_phrase_ranks_first() {
    let found = iris(&hits(&["international cooperation", "--language", "en"]));
    let phrase = parts_where("en", "CONTAINS(?t, \"international cooperation\")");
    assert!(phrase.contains(&found[0]), "{found:?}");
    assert!(
        found.iter().any(|part| !phrase.contains(part)),
        "some hits have both words apart"
    );
    // The phrase hits come before the hits with the words apart.
    let last_phrase = found.iter().rposition(|part| phrase.contains(part));
    let first_apart = found.iter().position(|part| !phrase.contains(part));
    assert!(last_phrase < first_apart, "{found:?}");
}

#[test]
fn edition_and_language_filter_the_hits() {
    let all = hits(&["cooperation"]);
    let un = hits(&["cooperation", "--edition", "en-un"]);
    let full_id = hits(&["cooperation", "--edition", "iscc2017/en-un"]);
    assert_eq!(iris(&un), iris(&full_id));
    assert!(!un.is_empty() && un.len() < all.len());
    assert!(un.iter().all(|hit| hit["edition"] == "iscc2017/en-un"));
    let expected: Vec<String> = iris(&all)
        .into_iter()
        .filter(|iri| iri.contains("/en-un/"))
        .collect();
    assert_eq!(iris(&un), expected, "filtering keeps the order");
    let chinese = hits(&["合作", "--language", "zh"]);
    assert!(!chinese.is_empty());
    assert!(chinese.iter().all(|hit| hit["language"] == "zh"));
    assert!(hits(&["合作", "--language", "en"]).is_empty());
    // Places come from the graph's structure.
    let heading = hits(&["数字经济", "--edition", "zh"]);
    assert!(heading.iter().any(|hit| hit["kind"] == "heading"
        && hit["chapter"] == 3
        && hit["section"] == 5
        && hit["paragraph"].is_null()));
}

#[test]
fn the_table_marks_the_words_and_counts_the_hits() {
    let output = cyberkg()
        .args(["search", "主權", "--edition", "zh", "--limit", "1"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(table.contains("«主权»"), "{table}");
    assert!(table.trim_end().ends_with("\n1 hit"), "{table}");
    let csv = cyberkg()
        .args(["search", "主权", "-r", "csv", "--limit", "2"])
        .output()
        .expect("runs");
    let csv = String::from_utf8_lossy(&csv.stdout);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("rank,score,edition,language,kind,chapter,section,paragraph,iri,snippet")
    );
    assert_eq!(lines.filter(|line| line.contains("«主权»")).count(), 2);
}

#[test]
fn the_search_service_joins_the_graph() {
    // The entities named in the paragraphs that say 主权, through the
    // SERVICE, against the same set computed from the texts.
    let query = "SELECT DISTINCT ?entity WHERE {
      SERVICE <https://w3id.org/cyberkg/search> { ?part cyberkg:matches \"主權\"@zh ; cyberkg:score ?score }
      ?part a doco:Paragraph ; schema:mentions ?entity }";
    let output = cyberkg()
        .args(["query", "-r", "csv", query])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let found: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect();
    let expected: BTreeSet<String> = select(
        &default_store(),
        "SELECT DISTINCT ?entity WHERE {
           ?part a doco:Paragraph ; schema:text ?t ; schema:mentions ?entity
           FILTER(LANGMATCHES(LANG(?t), \"zh\") && CONTAINS(?t, \"主权\")) }",
    )
    .into_iter()
    .map(|row| row["entity"].clone())
    .collect();
    assert!(expected.len() >= 5, "{expected:?}");
    assert_eq!(found, expected);
    // Scores and snippets come back as literals, best first.
    let scored = cyberkg()
        .args([
            "query",
            "-r",
            "csv",
            "SELECT ?part ?score ?snippet WHERE { SERVICE <https://w3id.org/cyberkg/search> { ?part cyberkg:matches \"international cooperation\"@en ; cyberkg:score ?score ; cyberkg:snippet ?snippet } } ORDER BY DESC(?score) LIMIT 1",
        ])
        .output()
        .expect("runs");
    let answer = String::from_utf8_lossy(&scored.stdout);
    let first = iris(&hits(&["international cooperation", "--language", "en"]))[0].clone();
    assert!(answer.contains(&first), "{answer}");
    assert!(answer.contains("«international» «cooperation»"), "{answer}");
}

#[test]
fn the_search_service_is_allowed_without_allow_service_and_others_are_not() {
    fails(
        &[
            "query",
            "SELECT * WHERE { SERVICE <https://w3id.org/cyberkg/search> { ?p cyberkg:matches \"x\" } SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        ],
        1,
        "<command line>: SERVICE <http://example.org/sparql> is not allowed: cyberkg calls no other endpoint unless --allow-service names its host (--allow-service example.org)",
    );
    fails(
        &[
            "query",
            "SELECT * WHERE { SERVICE <https://w3id.org/cyberkg/search> { ?p cyberkg:score ?s } }",
        ],
        1,
        "<command line>: the query failed: SERVICE <https://w3id.org/cyberkg/search>: write triple patterns of one variable, e.g. { ?hit cyberkg:matches \"网络主权\" ; cyberkg:score ?score ; cyberkg:snippet ?snippet }",
    );
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    fails(
        &["search", ""],
        2,
        "the search query \"\" has no word to search for; give at least one word (Chinese or English)",
    );
    fails(
        &["search", "，。！"],
        2,
        "the search query \"，。！\" has no word to search for; give at least one word (Chinese or English)",
    );
    fails(
        &["search", "x", "--language", "fr"],
        2,
        "invalid value 'fr' for '--language <LANGUAGE>' [possible values: zh, en] (see 'cyberkg --help')",
    );
    fails(
        &["search", "x", "--edition", "fr"],
        2,
        "unknown edition 'fr' for --edition; expected one of iscc2017/en-gov, iscc2017/en-un, iscc2017/un-letter, iscc2017/zh (or the part after the last '/', e.g. en-gov)",
    );
}

/// An on-disk store's index lives beside it and follows its texts: a text
/// added with `load` is found at the next search (the index is rebuilt),
/// and an unchanged store reuses it.
#[cfg(feature = "rocksdb")]
#[test]
fn an_on_disk_index_is_rebuilt_when_the_store_changes() {
    let directory = tempfile::tempdir().expect("temp dir");
    let store = directory.path().join("store");
    let path = store.to_str().expect("UTF-8");
    cyberkg()
        .args(["build", "--location", path])
        .assert()
        .success();
    let search = |words: &str| iris(&hits(&["--location", path, words]));
    assert!(search("独角兽").is_empty());
    let index = directory.path().join("store.search");
    assert!(index.join("cyberkg-fingerprint").is_file());
    let built = std::fs::read_to_string(index.join("cyberkg-fingerprint")).expect("fingerprint");
    assert!(!search("主权").is_empty());
    assert_eq!(
        std::fs::read_to_string(index.join("cyberkg-fingerprint")).expect("fingerprint"),
        built,
        "the same store reuses its index"
    );
    let added = directory.path().join("added.nt");
    std::fs::write(
        &added,
        "<https://example.org/p> <https://w3id.org/cyberkg/vocab#inEdition> <https://w3id.org/cyberkg/iscc2017/zh> .\n\
         <https://example.org/p> <http://schema.org/text> \"网络空间的独角兽\"@zh-hans .\n",
    )
    .expect("written");
    cyberkg()
        .args(["load", "--location", path, added.to_str().expect("UTF-8")])
        .assert()
        .success();
    assert_eq!(search("独角兽"), ["https://example.org/p"]);
    assert_ne!(
        std::fs::read_to_string(index.join("cyberkg-fingerprint")).expect("fingerprint"),
        built
    );
}

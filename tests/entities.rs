//! What the strategy names: the Chapter IV organizations against a hand-made
//! answer key, annotation offsets against their literals, Wikidata links
//! against an independent list, mentions backed by annotations, Chinese
//! mentions aligned with English ones, curated facts, and an extractor that
//! never panics.

mod common;

use common::{default_store, select};
use cyberkg::document::Language;
use cyberkg::extract::{EntityTable, Matcher};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const ORGANIZATION_KINDS: &str = "\"intergovernmental-organization\", \"organ\", \"forum\", \"non-profit\", \"government-agency\", \"diplomatic-mission\", \"event\"";

#[test]
fn chapter_4_organizations_match_the_hand_made_answer_key() {
    let key: toml::Table =
        toml::from_str(include_str!("expected/chapter-4-organizations.toml")).expect("answer key");
    let expected = |value: &toml::Value| -> BTreeSet<String> {
        value
            .as_array()
            .expect("a list")
            .iter()
            .map(|v| v.as_str().expect("a key").to_owned())
            .collect()
    };
    let store = default_store();
    let found = |scope: &str| -> BTreeSet<String> {
        let query = format!(
            "SELECT DISTINCT ?key WHERE {{
               ?c cyberkg:inEdition/dcterms:identifier \"iscc2017/en-un\" ; a doco:Chapter ; schema:position 4 .
               {scope}
               ?p a doco:Paragraph ; schema:mentions ?e . ?e cyberkg:entityKind ?kind ; dcterms:identifier ?key
               FILTER(?kind IN ({ORGANIZATION_KINDS})) }}"
        );
        select(&store, &query)
            .into_iter()
            .map(|r| r["key"].clone())
            .collect()
    };
    assert_eq!(
        found("?p dcterms:isPartOf ?c ."),
        expected(&key["intro"]),
        "the chapter's introduction"
    );
    let sections = key["section"].as_table().expect("sections");
    assert_eq!(sections.len(), 9);
    for (number, organizations) in sections {
        let scope = format!(
            "?s dcterms:isPartOf ?c ; a doco:Section ; schema:position {number} . ?p dcterms:isPartOf ?s ."
        );
        assert_eq!(
            found(&scope),
            expected(organizations),
            "Chapter IV section {number}"
        );
    }
}

#[test]
fn every_annotation_selects_exactly_its_quote() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?a ?text ?start ?end ?exact ?prefix ?suffix ?lang WHERE {
           ?a a oa:Annotation ; oa:hasTarget ?t . ?t oa:hasSource ?part ; cyberkg:selectedProperty ?property ; dcterms:language ?lang ; oa:hasSelector ?pos , ?quote .
           ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
           ?quote a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
           ?part ?property ?text FILTER(LANGMATCHES(LANG(?text), ?lang)) }",
    );
    assert!(rows.len() > 500, "{} annotations", rows.len());
    let tagged = select(
        &store,
        "SELECT ?x WHERE { ?s oa:exact|oa:prefix|oa:suffix ?x FILTER(LANG(?x) != \"\") }",
    );
    assert!(
        tagged.is_empty(),
        "oa:exact, oa:prefix and oa:suffix are xsd:string (WADM)"
    );
    for row in &rows {
        let chars: Vec<char> = row["text"].chars().collect();
        let (start, end): (usize, usize) = (
            row["start"].parse().expect("start"),
            row["end"].parse().expect("end"),
        );
        assert!(
            start < end && end <= chars.len(),
            "{}: {start}..{end} outside the text",
            row["a"]
        );
        let at = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
        assert_eq!(at(start, end), row["exact"], "{}", row["a"]);
        assert_eq!(
            at(start.saturating_sub(32), start),
            row["prefix"],
            "{}",
            row["a"]
        );
        assert_eq!(
            at(end, (end + 32).min(chars.len())),
            row["suffix"],
            "{}",
            row["a"]
        );
    }
    let unbacked = select(
        &store,
        "SELECT ?p ?e WHERE { ?p schema:mentions ?e FILTER NOT EXISTS { ?a oa:hasBody ?e ; oa:hasTarget/oa:hasSource ?p } }",
    );
    assert!(
        unbacked.is_empty(),
        "schema:mentions without an annotation: {unbacked:?}"
    );
    let no_shortcut = select(
        &store,
        "SELECT ?a WHERE { ?a oa:hasBody ?e ; oa:hasTarget/oa:hasSource ?p FILTER NOT EXISTS { ?p schema:mentions ?e } }",
    );
    assert!(
        no_shortcut.is_empty(),
        "annotations without schema:mentions: {no_shortcut:?}"
    );
}

#[test]
fn wikidata_links_are_exactly_the_verified_ones() {
    let verified: toml::Table =
        toml::from_str(include_str!("expected/verified-qids.toml")).expect("list");
    let expected: BTreeSet<(String, String)> = verified
        .iter()
        .map(|(key, value)| {
            (
                key.clone(),
                format!(
                    "http://www.wikidata.org/entity/{}",
                    value[0].as_str().expect("QID")
                ),
            )
        })
        .collect();
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?key ?item WHERE { ?e dcterms:identifier ?key ; owl:sameAs ?item FILTER(STRSTARTS(STR(?item), \"http://www.wikidata.org/entity/\")) }",
    );
    let found: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r["key"].clone(), r["item"].clone()))
        .collect();
    assert_eq!(found, expected);
    let shared = select(
        &store,
        "SELECT ?item WHERE { ?a owl:sameAs ?item . ?b owl:sameAs ?item FILTER(?a != ?b) }",
    );
    assert!(
        shared.is_empty(),
        "two entities share an identifier: {shared:?}"
    );
    let unsourced = select(
        &store,
        "SELECT ?e WHERE { ?e owl:sameAs ?item FILTER(STRSTARTS(STR(?item), \"http://www.wikidata.org/\")) FILTER NOT EXISTS { ?e cyberkg:wikidataSource ?s ; cyberkg:wikidataConfidence ?c } }",
    );
    assert!(unsourced.is_empty(), "links without sources: {unsourced:?}");
    // Known-wrong values from the reference never appear.
    for wrong in [
        "Q1194395", "Q16635", "Q481014", "Q887521", "Q890084", "Q907571",
    ] {
        let hits = select(
            &store,
            &format!(
                "SELECT ?e WHERE {{ ?e owl:sameAs <http://www.wikidata.org/entity/{wrong}> }}"
            ),
        );
        assert!(hits.is_empty(), "{wrong} is a known-wrong identifier");
    }
    let g20 = select(
        &store,
        "SELECT ?e WHERE { ?e owl:sameAs <http://www.wikidata.org/entity/Q19771> }",
    );
    assert_eq!(
        g20,
        vec![BTreeMap::from([(
            "e".to_owned(),
            "https://w3id.org/cyberkg/entity/g20".to_owned()
        )])],
        "Q19771 is the G20, not the WEF"
    );
}

#[test]
fn entities_have_one_preferred_label_per_language_and_organizations_have_organizational_parents() {
    let store = default_store();
    let doubled = select(
        &store,
        "SELECT ?e ?l WHERE { ?e a cyberkg:Entity ; skos:prefLabel ?a , ?b FILTER(?a != ?b && LANG(?a) = LANG(?b)) BIND(LANG(?a) AS ?l) }",
    );
    assert!(doubled.is_empty(), "{doubled:?}");
    let unlabelled = select(
        &store,
        "SELECT ?e WHERE { ?e a cyberkg:Entity FILTER NOT EXISTS { ?e skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), \"en\")) } }",
    );
    assert!(unlabelled.is_empty(), "{unlabelled:?}");
    let parents = select(
        &store,
        "SELECT ?child ?parent WHERE { ?c org:subOrganizationOf ?p . ?c dcterms:identifier ?child . ?p dcterms:identifier ?parent } ORDER BY ?child",
    );
    let parents: BTreeMap<String, String> = parents
        .into_iter()
        .map(|r| (r["child"].clone(), r["parent"].clone()))
        .collect();
    for (child, parent) in [
        ("un-general-assembly", "united-nations"),
        ("un-security-council", "united-nations"),
        ("ccpcj", "ecosoc"),
        ("asean-regional-forum", "asean"),
    ] {
        assert_eq!(
            parents.get(child).map(String::as_str),
            Some(parent),
            "{child}"
        );
    }
    let non_organization = select(
        &store,
        "SELECT ?c WHERE { ?c org:subOrganizationOf ?p FILTER NOT EXISTS { ?p a org:Organization } }",
    );
    assert!(non_organization.is_empty(), "{non_organization:?}");
}

#[test]
fn chinese_mentions_are_aligned_with_english_ones() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?zh ?en ?key WHERE {
           ?zh cyberkg:inEdition/dcterms:identifier \"iscc2017/zh\" ; schema:mentions ?e ; schema:workTranslation ?en .
           ?en schema:mentions ?e . ?e dcterms:identifier ?key }",
    );
    let shared: BTreeSet<&str> = rows.iter().map(|r| r["key"].as_str()).collect();
    for key in [
        "charter-of-the-united-nations",
        "united-nations",
        "cyberterrorism",
        "digital-divide",
        "agenda-2030",
        "internet-plus",
    ] {
        assert!(
            shared.contains(key),
            "{key} is named in a Chinese paragraph and in its English translation"
        );
    }
    let chinese = select(
        &store,
        "SELECT ?exact WHERE { ?a oa:hasTarget ?t . ?t dcterms:language \"zh-Hans\" ; oa:hasSelector/oa:exact ?exact }",
    );
    assert!(chinese.len() > 50, "{} Chinese mentions", chinese.len());
    assert!(
        chinese.iter().any(|r| r["exact"] == "数字鸿沟"),
        "the repaired 'digital divide' (数字鸿沟) is found"
    );
}

#[test]
fn the_curated_facts_hold() {
    let store = default_store();
    let publishers = select(
        &store,
        "SELECT ?key WHERE { ?d dcterms:identifier \"iscc2017/zh\" ; schema:publisher ?p . ?p dcterms:identifier ?key } ORDER BY ?key",
    );
    let publishers: Vec<&str> = publishers.iter().map(|r| r["key"].as_str()).collect();
    assert_eq!(
        publishers,
        vec!["cyberspace-administration-of-china", "foreign-ministry"]
    );
    let members = select(
        &store,
        "SELECT ?key WHERE { ?b dcterms:identifier \"brics\" ; schema:member/dcterms:identifier ?key } ORDER BY ?key",
    );
    let members: Vec<&str> = members.iter().map(|r| r["key"].as_str()).collect();
    assert_eq!(
        members,
        vec![
            "brazil",
            "india",
            "peoples-republic-of-china",
            "russia",
            "south-africa"
        ]
    );
    let submission = select(
        &store,
        "SELECT ?date ?agent ?recipient WHERE { ?x a schema:Action ; dcterms:date ?date ; schema:agent/dcterms:identifier ?agent ; schema:recipient/dcterms:identifier ?recipient }",
    );
    assert_eq!(submission.len(), 1);
    assert_eq!(
        (
            submission[0]["date"].as_str(),
            submission[0]["agent"].as_str(),
            submission[0]["recipient"].as_str()
        ),
        (
            "2015-01",
            "shanghai-cooperation-organization",
            "un-general-assembly"
        )
    );
    let epigraph = select(
        &store,
        "SELECT ?who WHERE { ?e a cyberkg:Epigraph ; dcterms:creator/dcterms:identifier ?who }",
    );
    assert_eq!(epigraph.len(), 1);
    assert_eq!(epigraph[0]["who"], "xi-jinping");
    let signed = select(
        &store,
        "SELECT ?who WHERE { ?l a cyberkg:CoverLetter ; dcterms:creator/dcterms:identifier ?who }",
    );
    assert_eq!(signed[0]["who"], "fu-cong");
    // Every asserted fact triple is reified and points at evidence whose quote is in the text.
    let facts = select(
        &store,
        "SELECT ?fact (SUM(IF(CONTAINS(?text, ?quote), 1, 0)) AS ?holding) WHERE { ?fact a cyberkg:CuratedFact ; cyberkg:evidenceQuote ?quote ; cyberkg:evidencePart ?part .
         ?part schema:text|dcterms:title|cyberkg:attribution ?text } GROUP BY ?fact",
    );
    assert_eq!(facts.len(), 5);
    for row in &facts {
        assert_ne!(
            row["holding"], "0",
            "the evidence quote of {} is not in its part",
            row["fact"]
        );
    }
}

#[test]
fn the_strategy_logic_has_its_principles_goals_and_action_lines() {
    let store = default_store();
    let rows = select(
        &store,
        "SELECT ?scheme (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c skos:inScheme ?s . ?s a skos:ConceptScheme ; cyberkg:statedIn ?chapter . ?chapter a doco:Chapter BIND(STRAFTER(STR(?s), \"logic/\") AS ?scheme) } GROUP BY ?scheme ORDER BY ?scheme",
    );
    let counts: Vec<String> = rows
        .iter()
        .map(|r| format!("{} {}", r["scheme"], r["n"]))
        .collect();
    assert_eq!(counts, vec!["action-plan 9", "goals 6", "principles 4"]);
    let labels = select(
        &store,
        "SELECT ?l WHERE { ?c skos:notation \"II.2\" ; skos:prefLabel ?l } ORDER BY ?l",
    );
    let labels: Vec<&str> = labels.iter().map(|r| r["l"].as_str()).collect();
    assert_eq!(
        labels,
        vec!["The principle of sovereignty", "主权原则", "主權原則"]
    );
    let stated = select(
        &store,
        "SELECT ?section WHERE { ?c skos:notation \"III.5\" ; cyberkg:statedIn ?section }",
    );
    assert_eq!(stated.len(), 3, "goal 5 is stated in the three versions");
}

#[test]
fn no_acronym_in_the_texts_is_unknown_or_mismatched() {
    let built = cyberkg::pipeline::builtin().expect("builds");
    let acronyms: Vec<String> = built
        .extracted
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert!(acronyms.is_empty(), "{acronyms:#?}");
}

/// The real table and its matcher, compiled once for all property cases.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn matcher() -> &'static (EntityTable, Matcher<'static>) {
    static MATCHER: std::sync::OnceLock<(EntityTable, Matcher<'static>)> =
        std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let table: &'static EntityTable = Box::leak(Box::new(
            EntityTable::parse("data/entities.toml", include_str!("../data/entities.toml"))
                .expect("table"),
        ));
        (table.clone(), Matcher::new(table).expect("matcher"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn extraction_never_panics_and_stays_inside_the_text(text in "(ASEAN|ASEAN Regional Forum|G-20|G20|ICTs|联合国|东盟|Forum on China–Africa|the|\\(|\\)|[a-zA-Z \\-–—]{0,6}|[\\u{4e00}-\\u{4e10}]|\\PC){0,40}") {
        let (table, matcher) = matcher();
        let length = text.chars().count();
        for language in [Language::ENGLISH, Language::SIMPLIFIED_CHINESE] {
            for (start, end, key) in matcher.find_spans(&text, &language) {
                prop_assert!(start < end && end <= length, "{start}..{end} of {length}");
                prop_assert!(table.get(&key).is_some());
            }
        }
    }
}

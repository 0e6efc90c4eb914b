//! SHACL validation: the built-in graph conforms to `ontology/shapes.ttl`; a
//! graph broken on purpose does not, and the report names each broken node
//! with a readable message; a malformed shapes file is a clear error.

use cyberkg::validate::{
    BUILTIN_SHAPES, PropertyPath, Report, SHAPES_NAME, ValidateError, validate,
};
use oxigraph::model::{NamedNode, Term};
use oxigraph::sparql::SparqlEvaluator;
use oxigraph::store::Store;
use std::error::Error;

type TestResult = Result<(), Box<dyn Error>>;

const BASE: &str = "https://w3id.org/cyberkg/";
const SHAPES: &str = "https://w3id.org/cyberkg/shapes#";

fn store() -> Result<Store, Box<dyn Error>> {
    Ok(cyberkg::pipeline::builtin()?.store)
}

fn update(store: &Store, update: &str) -> TestResult {
    let prefixes = "PREFIX schema: <http://schema.org/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX cyberkg: <https://w3id.org/cyberkg/vocab#>
        PREFIX entity: <https://w3id.org/cyberkg/entity/>\n";
    SparqlEvaluator::new()
        .parse_update(&format!("{prefixes}{update}"))?
        .on_store(store)
        .execute()?;
    Ok(())
}

fn iri(path: &str) -> String {
    format!("{BASE}{path}")
}

/// The focus nodes of the report, each once.
fn focus_nodes(report: &Report) -> Vec<String> {
    let mut nodes: Vec<String> = report
        .violations
        .iter()
        .map(|v| v.focus.to_string())
        .collect();
    nodes.dedup();
    nodes
}

#[test]
fn the_built_in_graph_conforms() -> TestResult {
    let report = validate(&store()?, BUILTIN_SHAPES, SHAPES_NAME)?;
    assert!(report.conforms, "{report}");
    assert!(report.violations.is_empty());
    assert_eq!(report.to_string(), "0 violations: the graph conforms\n");
    Ok(())
}

#[test]
fn the_shapes_file_on_disk_is_the_built_in_one() -> TestResult {
    let on_disk =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ontology/shapes.ttl"))?;
    assert_eq!(on_disk, BUILTIN_SHAPES);
    Ok(())
}

#[test]
fn a_broken_graph_does_not_conform_and_the_report_names_each_break() -> TestResult {
    let store = store()?;
    let paragraph = iri("iscc2017/en-un/chapter-1/paragraph-1");
    let selector = iri("iscc2017/en-gov/chapter-2/section-1/paragraph-3#mention-text-0-position");
    let sentence = iri("iscc2017/en-un/chapter-2/section-1/paragraph-1/sentence-2");
    let link = iri("iscc2017/en-un/chapter-2/section-1/paragraph-1/sentence-link-1");
    // 1. A paragraph loses its text.
    update(
        &store,
        &format!(
            "DELETE {{ GRAPH ?g {{ <{paragraph}> schema:text ?text }} }} WHERE {{ GRAPH ?g {{ <{paragraph}> schema:text ?text }} }}"
        ),
    )?;
    // 2. An entity gets a second English preferred label.
    update(
        &store,
        "INSERT { GRAPH ?g { entity:united-nations skos:prefLabel \"The United Nations Organization\"@en } } WHERE { GRAPH ?g { entity:united-nations skos:prefLabel ?label } }",
    )?;
    // 3. A forum becomes part of a concept.
    update(
        &store,
        "DELETE { GRAPH ?g { entity:asean-regional-forum org:subOrganizationOf ?parent } } INSERT { GRAPH ?g { entity:asean-regional-forum org:subOrganizationOf entity:cyberterrorism } } WHERE { GRAPH ?g { entity:asean-regional-forum org:subOrganizationOf ?parent } }",
    )?;
    // 4. A mention ends far beyond its paragraph.
    update(
        &store,
        &format!(
            "DELETE {{ GRAPH ?g {{ <{selector}> oa:end ?end }} }} INSERT {{ GRAPH ?g {{ <{selector}> oa:end 100000 }} }} WHERE {{ GRAPH ?g {{ <{selector}> oa:end ?end }} }}"
        ),
    )?;
    // 5. A sentence loses its span.
    update(
        &store,
        &format!(
            "DELETE {{ GRAPH ?g {{ <{sentence}> cyberkg:textSpan ?span }} }} WHERE {{ GRAPH ?g {{ <{sentence}> cyberkg:textSpan ?span }} }}"
        ),
    )?;
    // 6. A sentence alignment scores above 1.
    update(
        &store,
        &format!(
            "DELETE {{ GRAPH ?g {{ <{link}> cyberkg:alignmentScore ?score }} }} INSERT {{ GRAPH ?g {{ <{link}> cyberkg:alignmentScore 1.5 }} }} WHERE {{ GRAPH ?g {{ <{link}> cyberkg:alignmentScore ?score }} }}"
        ),
    )?;

    let report = validate(&store, BUILTIN_SHAPES, SHAPES_NAME)?;
    assert!(!report.conforms);
    let text = report.to_string();
    let expected_lines = [
        format!(
            "<{paragraph}> schema:text: A paragraph needs a schema:text, a language-tagged string [shape:Paragraph-text]"
        ),
        format!(
            "<{}> skos:prefLabel: An entity may have only one skos:prefLabel per language, each language-tagged [shape:Entity-prefLabel-perLanguage]",
            iri("entity/united-nations")
        ),
        format!(
            "<{}> org:subOrganizationOf: org:subOrganizationOf points to something that is not an org:Organization [shape:SubOrganization-parent]",
            iri("entity/asean-regional-forum")
        ),
        format!(
            "<{selector}> oa:end: A position selector's oa:end lies beyond the end of the selected literal [shape:TextPositionSelector]"
        ),
        format!(
            "<{sentence}> cyberkg:textSpan: A sentence needs exactly one cyberkg:textSpan, the span of the source it was read from [shape:Sentence-textSpan]"
        ),
        format!(
            "<{link}> cyberkg:alignmentScore: A sentence alignment needs exactly one cyberkg:alignmentScore, an xsd:decimal from 0 to 1 [shape:SentenceAlignment-score]"
        ),
    ];
    for line in &expected_lines {
        assert!(
            text.lines().any(|l| l == line),
            "missing line\n{line}\nin\n{text}"
        );
    }
    assert_eq!(
        text.lines().last(),
        Some(format!("{} violations", report.violations.len()).as_str())
    );

    // The concept is the offending value, and each violation comes from a named shape.
    let sub_organization = report.violations_of(&iri("entity/asean-regional-forum"));
    assert_eq!(sub_organization.len(), 1, "{text}");
    assert_eq!(
        sub_organization[0].value,
        Some(Term::from(NamedNode::new(iri("entity/cyberterrorism"))?))
    );
    assert_eq!(
        sub_organization[0].path,
        Some(PropertyPath::Predicate(NamedNode::new(
            "http://www.w3.org/ns/org#subOrganizationOf"
        )?))
    );
    for violation in &report.violations {
        assert!(
            matches!(&violation.source_shape, Some(Term::NamedNode(shape)) if shape.as_str().starts_with(SHAPES)),
            "{violation:?}"
        );
    }

    // Nothing else broke, except that the paragraph's mentions now select a text that is gone.
    let paragraph_mentions = format!("<{paragraph}#mention-");
    for focus in focus_nodes(&report) {
        let expected = [
            &paragraph,
            &iri("entity/united-nations"),
            &iri("entity/asean-regional-forum"),
            &selector,
            &sentence,
            &link,
        ]
        .iter()
        .any(|node| focus == format!("<{node}>"));
        assert!(
            expected || focus.starts_with(&paragraph_mentions),
            "unexpected violation at {focus}\n{text}"
        );
    }
    let orphans = report
        .violations
        .iter()
        .filter(|v| v.focus.to_string().starts_with(&paragraph_mentions))
        .collect::<Vec<_>>();
    assert!(!orphans.is_empty(), "{text}");
    for orphan in orphans {
        assert!(
            orphan
                .message
                .starts_with("A position selector selects a literal that does not exist"),
            "{orphan:?}"
        );
    }

    // The same graph gives the same report.
    assert_eq!(
        validate(&store, BUILTIN_SHAPES, SHAPES_NAME)?.to_string(),
        text
    );
    Ok(())
}

#[test]
fn malformed_shapes_name_the_file_and_the_position() -> TestResult {
    let store = Store::new()?;
    let shapes =
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\nshape:Paragraph a sh:NodeShape .\n";
    match validate(&store, shapes, "ontology/broken.ttl") {
        Err(ValidateError::ShapesSyntax(error)) => {
            assert_eq!(
                (error.name.as_str(), error.line, error.column),
                ("ontology/broken.ttl", 3, 1)
            );
            let message = error.to_string();
            assert!(
                message
                    .starts_with("ontology/broken.ttl:3:1: invalid Turtle in the SHACL shapes: "),
                "{message}"
            );
            assert!(
                message.contains("shape"),
                "the message should name the undefined prefix: {message}"
            );
        }
        other => return Err(format!("expected a syntax error, got {other:?}").into()),
    }
    Ok(())
}

#[test]
fn shapes_that_would_call_a_remote_endpoint_are_refused() -> TestResult {
    let store = Store::new()?;
    let shapes = "@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetNode <urn:x> ;
            sh:sparql [ sh:select \"SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> { $this ?p ?o } }\" ] .";
    match validate(&store, shapes, "remote.ttl") {
        Err(error @ ValidateError::Shapes { .. }) => {
            let message = error.to_string();
            assert!(
                message.starts_with("remote.ttl: not a valid SHACL shapes graph: "),
                "{message}"
            );
            assert!(message.contains("uses SERVICE"), "{message}");
        }
        other => return Err(format!("expected a shapes error, got {other:?}").into()),
    }
    Ok(())
}

#[test]
fn shapes_that_are_turtle_but_not_shacl_are_an_error_naming_the_file() -> TestResult {
    let store = Store::new()?;
    let shapes = "@prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:shape> a sh:NodeShape ; sh:targetClass <urn:Class> ; sh:property [ sh:path <urn:p> ; sh:minCount \"many\" ] .";
    match validate(&store, shapes, "odd.ttl") {
        Err(error @ ValidateError::Shapes { .. }) => assert!(
            error
                .to_string()
                .starts_with("odd.ttl: not a valid SHACL shapes graph: "),
            "{error}"
        ),
        other => return Err(format!("expected a shapes error, got {other:?}").into()),
    }
    Ok(())
}

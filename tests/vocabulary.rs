//! The vocabulary contract: `ontology/cyberkg.ttl` declares every term that
//! `src/graph/vocab.rs` names, and the graph uses nothing else.
//!
//! Our own terms must carry exactly one OWL kind, one label and one comment
//! in English and in Simplified Chinese, and `rdfs:isDefinedBy` the
//! ontology; reused terms must say which vocabulary defines them. The
//! built-in graph (every named graph the pipeline builds: text, provenance,
//! entities, annotations, facts, metadata) is then held against the file:
//! every predicate, class and datatype it uses is declared, every domain and
//! range the ontology states is true of the data, and every node carries the
//! superclasses of its classes as explicit types. Each test reports all
//! offenders at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::error::Error;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use cyberkg::graph::vocab::{self, all_terms, cyberkg as ns};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term, TermRef, TripleRef,
};
use oxigraph::store::Store;

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

/// The ontology's own IRI (the namespace without its `#`).
const ONTOLOGY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/cyberkg/vocab");

const OWL_ONTOLOGY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Ontology");
const OWL_CLASS: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");
const OWL_OBJECT_PROPERTY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#ObjectProperty");
const OWL_DATATYPE_PROPERTY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#DatatypeProperty");
const OWL_ANNOTATION_PROPERTY: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#AnnotationProperty");
const OWL_VERSION_INFO: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
const OWL_UNION_OF: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#unionOf");
const DCTERMS_LICENSE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/license");
const VANN_PREFERRED_NAMESPACE_PREFIX: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/vocab/vann/preferredNamespacePrefix");
const VANN_PREFERRED_NAMESPACE_URI: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("http://purl.org/vocab/vann/preferredNamespaceUri");

/// The kinds a `cyberkg:` term may be declared as: exactly one of them.
const OWL_KINDS: [NamedNodeRef<'static>; 3] =
    [OWL_CLASS, OWL_OBJECT_PROPERTY, OWL_DATATYPE_PROPERTY];

/// Every type that says what kind of term something is; a term has at most one.
const ALL_KINDS: [NamedNodeRef<'static>; 6] = [
    OWL_CLASS,
    OWL_OBJECT_PROPERTY,
    OWL_DATATYPE_PROPERTY,
    OWL_ANNOTATION_PROPERTY,
    rdfs::CLASS,
    rdf::PROPERTY,
];

/// The two languages every `cyberkg:` label and comment is written in.
const LANGUAGES: [&str; 2] = ["en", "zh-Hans"];

/// For each reused namespace, the vocabulary its terms are `rdfs:isDefinedBy`.
const DEFINING_VOCABULARIES: &[(&str, &str)] = &[
    (vocab::doco::NS, "http://purl.org/spar/doco"),
    (vocab::deo::NS, "http://purl.org/spar/deo"),
    (vocab::dcterms::NS, "http://purl.org/dc/terms/"),
    (vocab::schema::NS, "http://schema.org/"),
    (vocab::prov::NS, "http://www.w3.org/ns/prov#"),
    (vocab::void::NS, "http://rdfs.org/ns/void#"),
    (
        vocab::rdf::NS,
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    ),
    (vocab::rdfs::NS, "http://www.w3.org/2000/01/rdf-schema#"),
    (vocab::xsd::NS, "http://www.w3.org/2001/XMLSchema#"),
    (vocab::oa::NS, "http://www.w3.org/ns/oa#"),
    (vocab::org::NS, "http://www.w3.org/ns/org#"),
    (vocab::skos::NS, "http://www.w3.org/2004/02/skos/core#"),
    (vocab::owl::NS, "http://www.w3.org/2002/07/owl#"),
    (vocab::dcat::NS, "http://www.w3.org/ns/dcat#"),
];

fn ontology_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("ontology")
        .join("cyberkg.ttl")
}

/// Parses `ontology/cyberkg.ttl` into a store, naming the file in any error.
fn load_ontology_store() -> TestResult<Store> {
    let path = ontology_path();
    let file =
        File::open(&path).map_err(|error| format!("cannot open {}: {error}", path.display()))?;
    let store = Store::new()?;
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle),
            BufReader::new(file),
        )
        .map_err(|error| format!("{} is not valid Turtle: {error}", path.display()))?;
    Ok(store)
}

/// The ontology's triples, for lookups by subject and predicate.
fn ontology() -> TestResult<Graph> {
    let mut graph = Graph::new();
    for quad in load_ontology_store()?.iter() {
        graph.insert(quad?.as_ref());
    }
    Ok(graph)
}

/// Every quad of every graph the pipeline builds from the built-in corpus
/// (documents and provenance, and also entities, annotations and facts).
fn built_in_graph() -> TestResult<Vec<Quad>> {
    let built = cyberkg::pipeline::builtin()?;
    let quads = built.store.iter().collect::<Result<Vec<_>, _>>()?;
    Ok(quads)
}

fn is_cyberkg(term: NamedNodeRef<'_>) -> bool {
    term.as_str().starts_with(ns::NS)
}

/// The named types the ontology gives `term`.
fn types_of<'a>(ontology: &'a Graph, term: NamedNodeRef<'a>) -> BTreeSet<NamedNodeRef<'a>> {
    ontology
        .objects_for_subject_predicate(term, rdf::TYPE)
        .filter_map(|object| match object {
            TermRef::NamedNode(class) => Some(class),
            _ => None,
        })
        .collect()
}

/// The OWL kinds (`owl:Class`, `owl:ObjectProperty`, `owl:DatatypeProperty`) of `term`.
fn owl_kinds<'a>(ontology: &'a Graph, term: NamedNodeRef<'a>) -> Vec<NamedNodeRef<'a>> {
    types_of(ontology, term)
        .into_iter()
        .filter(|kind| OWL_KINDS.contains(kind))
        .collect()
}

/// Whether the ontology declares `term`: with an OWL kind for our own terms,
/// with `rdfs:isDefinedBy` for reused ones.
fn is_declared(ontology: &Graph, term: NamedNodeRef<'_>) -> bool {
    if is_cyberkg(term) {
        !owl_kinds(ontology, term).is_empty()
    } else {
        ontology
            .object_for_subject_predicate(term, rdfs::IS_DEFINED_BY)
            .is_some()
    }
}

/// The named objects of `subject predicate ?object`.
fn named_objects<'a>(
    ontology: &'a Graph,
    subject: NamedNodeRef<'a>,
    predicate: NamedNodeRef<'a>,
) -> Vec<NamedNodeRef<'a>> {
    ontology
        .objects_for_subject_predicate(subject, predicate)
        .filter_map(|object| match object {
            TermRef::NamedNode(node) => Some(node),
            _ => None,
        })
        .collect()
}

/// The language-tagged values of `subject predicate ?literal`, by lower-case
/// language tag (Oxigraph lower-cases tags: `zh-Hans` becomes `zh-hans`).
fn texts_by_language(
    ontology: &Graph,
    subject: NamedNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> BTreeMap<String, Vec<String>> {
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for object in ontology.objects_for_subject_predicate(subject, predicate) {
        if let TermRef::Literal(literal) = object
            && let Some(language) = literal.language()
        {
            texts
                .entry(language.to_ascii_lowercase())
                .or_default()
                .push(literal.value().to_owned());
        }
    }
    texts
}

/// `class` and all its superclasses by `rdfs:subClassOf` in the ontology.
fn with_superclasses(ontology: &Graph, class: NamedNodeRef<'_>) -> BTreeSet<NamedNode> {
    let mut classes = BTreeSet::new();
    let mut pending = vec![class.into_owned()];
    while let Some(class) = pending.pop() {
        if classes.insert(class.clone()) {
            pending.extend(
                named_objects(ontology, class.as_ref(), rdfs::SUB_CLASS_OF)
                    .into_iter()
                    .map(NamedNodeRef::into_owned),
            );
        }
    }
    classes
}

/// The classes a domain or range stands for: itself if it is a named class,
/// the members of its `owl:unionOf` list if it is a union of named classes,
/// and `None` for any other class expression (which the tests cannot check).
fn class_alternatives(ontology: &Graph, class: TermRef<'_>) -> Option<Vec<NamedNode>> {
    let union = match class {
        TermRef::NamedNode(class) => return Some(vec![class.into_owned()]),
        TermRef::BlankNode(node) => ontology.object_for_subject_predicate(node, OWL_UNION_OF)?,
        _ => return None,
    };
    let mut members = Vec::new();
    let mut list = union;
    while list != rdf::NIL.into() {
        let TermRef::BlankNode(cell) = list else {
            return None;
        };
        match ontology.object_for_subject_predicate(cell, rdf::FIRST)? {
            TermRef::NamedNode(member) => members.push(member.into_owned()),
            _ => return None,
        }
        if members.len() > ontology.len() {
            return None; // a cyclic list
        }
        list = ontology.object_for_subject_predicate(cell, rdf::REST)?;
    }
    (!members.is_empty()).then_some(members)
}

/// How a domain or range reads in a message: `<a>` or `<a> or <b>`.
fn describe_alternatives(classes: &[NamedNode]) -> String {
    classes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

fn is_han(character: char) -> bool {
    matches!(character, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

fn report(problems: &BTreeSet<String>) -> String {
    let list: Vec<&str> = problems.iter().map(String::as_str).collect();
    format!(
        "{} problem(s) in {}:\n  {}",
        problems.len(),
        ontology_path().display(),
        list.join("\n  ")
    )
}

#[test]
fn ontology_parses_as_turtle() -> TestResult {
    let store = load_ontology_store()?;
    let triples = store.len()?;
    assert!(
        triples > 100,
        "{} parsed to only {triples} triples",
        ontology_path().display()
    );
    Ok(())
}

#[test]
fn ontology_header_names_the_namespace_version_and_licenses() -> TestResult {
    let ontology = ontology()?;
    let mut problems = BTreeSet::new();
    if !ontology.contains(TripleRef::new(ONTOLOGY, rdf::TYPE, OWL_ONTOLOGY)) {
        problems.insert(format!("{ONTOLOGY} is not declared an owl:Ontology"));
    }
    for predicate in [vocab::dcterms::TITLE, vocab::dcterms::DESCRIPTION] {
        let texts = texts_by_language(&ontology, ONTOLOGY, predicate);
        for language in LANGUAGES {
            if !texts.contains_key(&language.to_ascii_lowercase()) {
                problems.insert(format!("{ONTOLOGY} has no {predicate} in @{language}"));
            }
        }
    }
    let licenses: BTreeSet<&str> = named_objects(&ontology, ONTOLOGY, DCTERMS_LICENSE)
        .into_iter()
        .map(NamedNodeRef::as_str)
        .collect();
    let expected_licenses = BTreeSet::from([
        "https://spdx.org/licenses/Apache-2.0.html",
        "https://spdx.org/licenses/MIT.html",
    ]);
    if licenses != expected_licenses {
        problems.insert(format!(
            "dcterms:license is {licenses:?}, expected {expected_licenses:?} (Cargo.toml: MIT OR Apache-2.0)"
        ));
    }
    let literal_values = |predicate| -> Vec<String> {
        ontology
            .objects_for_subject_predicate(ONTOLOGY, predicate)
            .filter_map(|object| match object {
                TermRef::Literal(literal) => Some(literal.value().to_owned()),
                _ => None,
            })
            .collect()
    };
    let version = literal_values(OWL_VERSION_INFO);
    if version != [env!("CARGO_PKG_VERSION")] {
        problems.insert(format!(
            "owl:versionInfo is {version:?}, expected the crate version {:?}",
            env!("CARGO_PKG_VERSION")
        ));
    }
    let namespace = literal_values(VANN_PREFERRED_NAMESPACE_URI);
    if namespace != [ns::NS] {
        problems.insert(format!(
            "vann:preferredNamespaceUri is {namespace:?}, expected {:?} (vocab::cyberkg::NS)",
            ns::NS
        ));
    }
    let prefix = literal_values(VANN_PREFERRED_NAMESPACE_PREFIX);
    let expected_prefix: Vec<&str> = vocab::PREFIXES
        .iter()
        .filter(|(_, namespace)| *namespace == ns::NS)
        .map(|(prefix, _)| *prefix)
        .collect();
    if prefix != expected_prefix {
        problems.insert(format!(
            "vann:preferredNamespacePrefix is {prefix:?}, expected {expected_prefix:?} (vocab::PREFIXES)"
        ));
    }
    assert!(problems.is_empty(), "{}", report(&problems));
    Ok(())
}

#[test]
fn every_cyberkg_term_has_a_kind_labels_comments_and_is_defined_by_the_ontology() -> TestResult {
    let ontology = ontology()?;
    let mut problems = BTreeSet::new();
    for &term in ns::ALL {
        let kinds = owl_kinds(&ontology, term);
        let local_name = term.as_str().trim_start_matches(ns::NS);
        let named_like_a_class = local_name.starts_with(|c: char| c.is_ascii_uppercase());
        match kinds.as_slice() {
            [] => {
                problems.insert(format!(
                    "{term}: no rdf:type owl:Class, owl:ObjectProperty or owl:DatatypeProperty"
                ));
            }
            [kind] if (*kind == OWL_CLASS) != named_like_a_class => {
                problems.insert(format!(
                    "{term}: declared {kind}, but its local name '{local_name}' is cased like a {}",
                    if named_like_a_class {
                        "class"
                    } else {
                        "property"
                    }
                ));
            }
            _ => {}
        }
        for predicate in [rdfs::LABEL, rdfs::COMMENT] {
            let texts = texts_by_language(&ontology, term, predicate);
            for language in LANGUAGES {
                let values = texts
                    .get(&language.to_ascii_lowercase())
                    .map_or(&[][..], Vec::as_slice);
                match values {
                    [value] if value.trim().is_empty() => {
                        problems.insert(format!("{term}: empty {predicate} in @{language}"));
                    }
                    [value] if language.starts_with("zh") && !value.chars().any(is_han) => {
                        problems.insert(format!(
                            "{term}: {predicate} in @{language} has no Chinese characters: {value:?}"
                        ));
                    }
                    [_] => {}
                    _ => {
                        problems.insert(format!(
                            "{term}: {} {predicate} in @{language}, expected exactly one",
                            values.len()
                        ));
                    }
                }
            }
        }
        let defined_by = named_objects(&ontology, term, rdfs::IS_DEFINED_BY);
        if defined_by != [ONTOLOGY] {
            problems.insert(format!(
                "{term}: rdfs:isDefinedBy is {defined_by:?}, expected exactly {ONTOLOGY}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", report(&problems));
    Ok(())
}

#[test]
fn every_reused_term_is_defined_by_its_vocabulary_and_commented() -> TestResult {
    let ontology = ontology()?;
    let mut problems = BTreeSet::new();
    let reused = all_terms().into_iter().filter(|term| !is_cyberkg(*term));
    for term in reused {
        let Some((_, vocabulary)) = DEFINING_VOCABULARIES
            .iter()
            .find(|(namespace, _)| term.as_str().starts_with(namespace))
        else {
            problems.insert(format!(
                "{term}: its namespace is not in DEFINING_VOCABULARIES of tests/vocabulary.rs"
            ));
            continue;
        };
        let defined_by = named_objects(&ontology, term, rdfs::IS_DEFINED_BY);
        if defined_by != [NamedNodeRef::new_unchecked(vocabulary)] {
            problems.insert(format!(
                "{term}: rdfs:isDefinedBy is {defined_by:?}, expected exactly <{vocabulary}>"
            ));
        }
        let english_comments = texts_by_language(&ontology, term, rdfs::COMMENT)
            .get("en")
            .map_or(0, Vec::len);
        if english_comments != 1 {
            problems.insert(format!(
                "{term}: {english_comments} rdfs:comment in @en saying how cyberkg uses it, expected exactly one"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", report(&problems));
    Ok(())
}

#[test]
fn built_in_graph_uses_only_vocab_module_terms_declared_in_the_ontology() -> TestResult {
    let ontology = ontology()?;
    let quads = built_in_graph()?;
    let known: BTreeSet<NamedNodeRef<'_>> = all_terms().into_iter().collect();
    // Simple and language-tagged literals carry these two implicitly.
    let implicit_datatypes = [xsd::STRING, rdf::LANG_STRING];
    let mut used: BTreeSet<(&str, NamedNodeRef<'_>)> = BTreeSet::new();
    for quad in &quads {
        used.insert(("predicate", quad.predicate.as_ref()));
        match &quad.object {
            Term::NamedNode(class) if quad.predicate == rdf::TYPE => {
                used.insert(("class", class.as_ref()));
            }
            Term::Literal(literal) if !implicit_datatypes.contains(&literal.datatype()) => {
                used.insert(("datatype", literal.datatype()));
            }
            _ => {}
        }
    }
    let mut problems = BTreeSet::new();
    for (role, term) in used {
        let in_vocab_module = if role == "datatype" {
            vocab::xsd::ALL.contains(&term)
        } else {
            known.contains(&term)
        };
        if !in_vocab_module {
            let list = if role == "datatype" {
                "vocab::xsd::ALL"
            } else {
                "vocab::all_terms()"
            };
            problems.insert(format!("{term} (used as {role}): not in {list}"));
        }
        if !is_declared(&ontology, term) {
            problems.insert(format!(
                "{term} (used as {role}): not declared in the ontology"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the built-in graph uses terms outside the vocabulary; {}",
        report(&problems)
    );
    Ok(())
}

#[test]
fn ontology_declares_no_cyberkg_term_missing_from_the_vocab_module() -> TestResult {
    let ontology = ontology()?;
    let known: BTreeSet<NamedNodeRef<'_>> = ns::ALL.iter().copied().collect();
    let mut problems = BTreeSet::new();
    for triple in ontology.iter() {
        let subject = match triple.subject {
            NamedOrBlankNodeRef::NamedNode(node) => Some(node),
            _ => None,
        };
        let object = match triple.object {
            TermRef::NamedNode(node) => Some(node),
            _ => None,
        };
        let mentions = [
            ("declared", subject),
            ("used as predicate", Some(triple.predicate)),
            ("referred to", object),
        ];
        for (how, term) in mentions {
            if let Some(term) = term.filter(|term| is_cyberkg(*term) && !known.contains(term)) {
                problems.insert(format!(
                    "{term}: {how} in the ontology but not in vocab::cyberkg::ALL"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", report(&problems));
    Ok(())
}

#[test]
fn no_cyberkg_term_is_declared_with_two_kinds() -> TestResult {
    let ontology = ontology()?;
    let mut problems = BTreeSet::new();
    let subjects: BTreeSet<NamedNodeRef<'_>> = ontology
        .iter()
        .filter_map(|triple| match triple.subject {
            NamedOrBlankNodeRef::NamedNode(node) if is_cyberkg(node) => Some(node),
            _ => None,
        })
        .collect();
    for term in subjects {
        let kinds: Vec<String> = types_of(&ontology, term)
            .into_iter()
            .filter(|kind| ALL_KINDS.contains(kind))
            .map(|kind| kind.to_string())
            .collect();
        if kinds.len() > 1 {
            problems.insert(format!("{term}: declared as {}", kinds.join(" and ")));
        }
    }
    assert!(problems.is_empty(), "{}", report(&problems));
    Ok(())
}

#[test]
fn domains_and_ranges_of_cyberkg_properties_hold_in_the_built_in_graph() -> TestResult {
    let ontology = ontology()?;
    let quads = built_in_graph()?;
    // Every node's types in the data, with their superclasses in the ontology.
    let mut types: HashMap<Term, BTreeSet<NamedNode>> = HashMap::new();
    for quad in &quads {
        if quad.predicate == rdf::TYPE
            && let Term::NamedNode(class) = &quad.object
        {
            types
                .entry(quad.subject.clone().into())
                .or_default()
                .extend(with_superclasses(&ontology, class.as_ref()));
        }
    }
    let has_type = |node: &Term, class: NamedNodeRef<'_>| {
        types
            .get(node)
            .is_some_and(|classes| classes.contains(&class.into_owned()))
    };
    // "<property>: <what is wrong>" -> (how many quads, one example subject)
    let mut problems: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for quad in quads
        .iter()
        .filter(|quad| is_cyberkg(quad.predicate.as_ref()))
    {
        let property = quad.predicate.as_ref();
        let subject: Term = quad.subject.clone().into();
        let mut wrong = Vec::new();
        let alternatives = |predicate| -> Vec<Option<Vec<NamedNode>>> {
            ontology
                .objects_for_subject_predicate(property, predicate)
                .map(|class| class_alternatives(&ontology, class))
                .collect()
        };
        for domain in alternatives(rdfs::DOMAIN) {
            match domain {
                Some(classes) if classes.iter().any(|c| has_type(&subject, c.as_ref())) => {}
                Some(classes) => wrong.push(format!(
                    "subject is not a {}",
                    describe_alternatives(&classes)
                )),
                None => wrong.push(
                    "its domain is neither a named class nor an owl:unionOf of named classes"
                        .to_owned(),
                ),
            }
        }
        let kinds = owl_kinds(&ontology, property);
        let ranges = alternatives(rdfs::RANGE);
        if ranges.iter().any(Option::is_none) {
            wrong.push(
                "its range is neither a named class nor an owl:unionOf of named classes".to_owned(),
            );
        }
        let ranges = ranges.into_iter().flatten();
        match (&quad.object, kinds.as_slice()) {
            (Term::Literal(literal), [OWL_DATATYPE_PROPERTY]) => {
                for range in ranges {
                    if !range.iter().any(|datatype| literal.datatype() == *datatype) {
                        wrong.push(format!(
                            "object has datatype {}, not the range {}",
                            literal.datatype(),
                            describe_alternatives(&range)
                        ));
                    }
                }
            }
            (Term::NamedNode(_), [OWL_OBJECT_PROPERTY]) => {
                for range in ranges {
                    if !range.iter().any(|c| has_type(&quad.object, c.as_ref())) {
                        wrong.push(format!("object is not a {}", describe_alternatives(&range)));
                    }
                }
            }
            (object, kinds) => wrong.push(format!(
                "declared as [{}], which does not fit its object, {}",
                kinds
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                match object {
                    Term::Literal(_) => "a literal",
                    Term::NamedNode(_) => "an IRI",
                    _ => "a blank node",
                }
            )),
        }
        for what in wrong {
            let entry = problems
                .entry(format!("{property}: {what}"))
                .or_insert_with(|| (0, quad.subject.to_string()));
            entry.0 += 1;
        }
    }
    let problems: BTreeSet<String> = problems
        .into_iter()
        .map(|(problem, (count, example))| format!("{problem} ({count} quads, e.g. {example})"))
        .collect();
    assert!(
        problems.is_empty(),
        "the ontology states what the built-in graph does not bear out; {}",
        report(&problems)
    );
    Ok(())
}

#[test]
fn every_typed_node_also_carries_the_superclasses_the_ontology_states() -> TestResult {
    let ontology = ontology()?;
    let quads = built_in_graph()?;
    // The graph states superclasses as explicit types (an edition is also a
    // schema:CreativeWork, a forum also an org:Organization and a
    // cyberkg:Entity), so that queries need no RDFS inference.
    // Keyed by the node as N-Triples text, for a stable order of examples.
    let mut types: BTreeMap<String, BTreeSet<NamedNode>> = BTreeMap::new();
    for quad in &quads {
        if quad.predicate == rdf::TYPE
            && let Term::NamedNode(class) = &quad.object
        {
            types
                .entry(quad.subject.to_string())
                .or_default()
                .insert(class.clone());
        }
    }
    // "<class> without <superclass>" -> (how many nodes, one example node)
    let mut problems: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for (node, classes) in &types {
        for class in classes {
            for superclass in with_superclasses(&ontology, class.as_ref()) {
                if !classes.contains(&superclass) {
                    let entry = problems
                        .entry(format!("typed {class} but not {superclass}"))
                        .or_insert_with(|| (0, node.clone()));
                    entry.0 += 1;
                }
            }
        }
    }
    let problems: BTreeSet<String> = problems
        .into_iter()
        .map(|(problem, (count, example))| format!("{problem} ({count} nodes, e.g. {example})"))
        .collect();
    assert!(
        problems.is_empty(),
        "the built-in graph leaves out superclasses the ontology states; {}",
        report(&problems)
    );
    Ok(())
}

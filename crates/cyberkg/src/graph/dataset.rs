//! The dataset's description of itself (graph `metadata`): VoID, DCAT and
//! PROV-O, so that other tools can discover what the graph holds.
//!
//! The fixed statements (titles, description, keywords, publisher,
//! licences, vocabularies, example resources, the linksets and their
//! targets, the build and its software agent, the curated files' titles)
//! are data, not code: `data/dataset.trig`, compiled in and read with
//! Oxigraph's TriG parser. Its relative IRIs are minted under the build's
//! base exactly as `mint` mints every other IRI (the base plus the
//! path, no dot-segment removal), and it may only name the graphs
//! `<graph/metadata>` and `<graph/provenance>` and no blank node. A file
//! that cannot be read is a [`CuratedDataError`] with `file:line:column`.
//!
//! Invariants: every number is counted from the quads of the other graphs
//! (never typed in); every date comes from the sources' manifest, never from
//! the clock, and no build time is recorded, so the same inputs describe
//! themselves in the same bytes. The SPARQL endpoint is not stated here: a
//! server adds `void:sparqlEndpoint` where it serves the description.

use super::vocab::{cyberkg, dcat, dcterms, owl, prov, rdf, schema, void};
use super::{
    Base, Builder, GraphError, GraphNames, date, document_iri, integer, lang, mint, string,
};
use crate::format::{ALL_FORMATS, ExportFormat};
use cyberkg_text::corpus::{self, Corpus};
use cyberkg_text::data_file::CuratedDataError;
use cyberkg_text::document::ParsedCorpus;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

/// The fixed statements of the description, compiled in.
pub const BUILTIN_DATASET: &str = include_str!("../../../../data/dataset.trig");

/// The name messages give the built-in fixed statements.
pub const DATASET_NAME: &str = "data/dataset.trig";

/// The base the data file's relative IRIs are read under, before
/// [`rebase`] mints them under the build's base. `.invalid` is reserved
/// (RFC 2606), so no IRI the file states absolutely can start with it.
const PLACEHOLDER_BASE: &str = "https://cyberkg.invalid/base/";

/// A linkset of the fixed statements, and the URI space of the dataset its
/// links point into (its `void:objectsTarget`'s `void:uriSpace`).
struct Linkset {
    node: NamedNode,
    uri_space: String,
}

/// Statistics of the content graphs.
struct Statistics {
    triples: usize,
    entities: usize,
    classes: usize,
    properties: usize,
    distinct_subjects: usize,
    /// The number of links of each linkset, in the order of the linksets.
    links: Vec<usize>,
}

/// A 128-bit fingerprint of a term or a triple: two SipHash-1-3 digests
/// (std's fixed-key [`DefaultHasher`]) of the value behind two different
/// seeds. Sets of fingerprints count distinct values without keeping
/// them: 16 bytes a value instead of its strings. Two different values
/// share a fingerprint with a probability of about n²/2¹²⁹ (below 10⁻²⁴
/// for ten million triples), the only way a count could be off.
fn fingerprint(value: &impl Hash) -> u128 {
    let digest = |seed: u8| {
        let mut hasher = DefaultHasher::new();
        seed.hash(&mut hasher);
        value.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(digest(0)) << 64) | u128::from(digest(1))
}

/// A hasher for keys that are fingerprints already: their low 64 bits.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u128` is used; anything else is folded in, still correct.
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u128(&mut self, value: u128) {
        // Truncation intended: the low half of a fingerprint is a hash already.
        self.0 = value as u64;
    }
}

type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<Prehashed>>;
type FingerprintSet = HashSet<u128, BuildHasherDefault<Prehashed>>;

/// The bit of a triple held in a content graph (every graph the dataset
/// description counts: all quads before the description itself).
const CONTENT: u8 = 1 << 7;

/// What a build counts while its quads go by, chunk after chunk, so that
/// no quad has to be kept or read back: the dataset statistics of the
/// content graphs (distinct triples, subjects, entities, classes,
/// properties, the `owl:sameAs` links) and the number of distinct triples
/// of each named graph of the build, as a store holds them.
///
/// Distinct triples and subjects are kept as [fingerprints](fingerprint);
/// classes, properties and link targets, which are few, as themselves.
pub struct Tally {
    names: GraphNames,
    base: String,
    /// Per distinct triple: a bit per graph of [`GraphNames::all`] that holds it, and [`CONTENT`].
    triples: FingerprintMap<u8>,
    subjects: FingerprintSet,
    entities: FingerprintSet,
    classes: HashSet<Term>,
    properties: HashSet<NamedNode>,
    /// The objects of the distinct `owl:sameAs` content triples.
    link_targets: Vec<String>,
}

impl Tally {
    /// An empty tally of a build under `base`.
    pub fn new(base: &Base) -> Result<Self, GraphError> {
        Ok(Self {
            names: GraphNames::new(base)?,
            base: base.as_str().to_owned(),
            triples: FingerprintMap::default(),
            subjects: FingerprintSet::default(),
            entities: FingerprintSet::default(),
            classes: HashSet::new(),
            properties: HashSet::new(),
            link_targets: Vec::new(),
        })
    }

    /// Counts quads of the content graphs (everything but the description).
    pub fn observe_content(&mut self, quads: &[Quad]) {
        for quad in quads {
            self.observe(quad, true);
        }
    }

    /// Counts quads of the description: graph counts only.
    pub(super) fn observe_description(&mut self, quads: &[Quad]) {
        for quad in quads {
            self.observe(quad, false);
        }
    }

    fn observe(&mut self, quad: &Quad, content: bool) {
        let graph_bit = match &quad.graph_name {
            GraphName::NamedNode(graph) => self
                .names
                .all()
                .iter()
                .position(|name| *name == graph)
                .map_or(0, |index| 1 << index),
            _ => 0,
        };
        // The subject's fingerprint stands for it in the triple's: its IRI is hashed once.
        let subject = fingerprint(&quad.subject);
        let key = fingerprint(&(subject, &quad.predicate, &quad.object));
        let bits = self.triples.entry(key).or_insert(0);
        let new_content_triple = content && *bits & CONTENT == 0;
        *bits |= graph_bit | if content { CONTENT } else { 0 };
        if !content {
            return;
        }
        if new_content_triple
            && quad.predicate.as_ref() == owl::SAME_AS
            && let Term::NamedNode(target) = &quad.object
        {
            self.link_targets.push(target.as_str().to_owned());
        }
        if self.subjects.insert(subject)
            && let NamedOrBlankNode::NamedNode(node) = &quad.subject
            && node.as_str().starts_with(&self.base)
        {
            // A fragment (`#title-span`) counts as its resource.
            let resource = node.as_str().split('#').next().unwrap_or_default();
            self.entities.insert(fingerprint(&resource));
        }
        if quad.predicate.as_ref() == rdf::TYPE && !self.classes.contains(&quad.object) {
            self.classes.insert(quad.object.clone());
        }
        if !self.properties.contains(&quad.predicate) {
            self.properties.insert(quad.predicate.clone());
        }
    }

    /// The number of distinct triples of each graph of [`GraphNames::all`], in that order.
    pub fn graph_triples(&self) -> [usize; 6] {
        let mut counts = [0; 6];
        for bits in self.triples.values() {
            for (index, count) in counts.iter_mut().enumerate() {
                *count += usize::from(bits & (1 << index) != 0);
            }
        }
        counts
    }

    /// The statistics of the content graphs, with the links of each of `linksets`.
    fn statistics(&self, linksets: &[Linkset]) -> Statistics {
        Statistics {
            triples: self
                .triples
                .values()
                .filter(|bits| *bits & CONTENT != 0)
                .count(),
            entities: self.entities.len(),
            classes: self.classes.len(),
            properties: self.properties.len(),
            distinct_subjects: self.subjects.len(),
            links: linksets
                .iter()
                .map(|linkset| {
                    self.link_targets
                        .iter()
                        .filter(|target| target.starts_with(&linkset.uri_space))
                        .count()
                })
                .collect(),
        }
    }
}

/// The media type of an export format, as an IANA IRI.
fn media_type(format: ExportFormat) -> String {
    format!(
        "https://www.iana.org/assignments/media-types/{}",
        format.rdf_format().media_type()
    )
}

/// Reads the fixed statements of `text` (TriG, named `file` in messages),
/// their IRIs minted under `base`: a syntax error is a
/// [`CuratedDataError`] at its `line:column`; a blank node, a quoted
/// triple, a statement outside `GRAPH <graph/metadata>` and
/// `GRAPH <graph/provenance>` one of the file.
fn fixed_statements(
    text: &str,
    file: &str,
    base: &Base,
    names: &GraphNames,
) -> Result<Vec<Quad>, GraphError> {
    let parser = oxttl::TriGParser::new()
        .with_base_iri(PLACEHOLDER_BASE)
        .map_err(|error| GraphError::Iri {
            path: PLACEHOLDER_BASE.to_owned(),
            error,
        })?;
    let mut statements = Vec::new();
    for quad in parser.for_slice(text.as_bytes()) {
        let quad = quad.map_err(|error| {
            let start = error.location().start;
            CuratedDataError::at(
                file,
                usize::try_from(start.line)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
                usize::try_from(start.column)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
                error.message(),
            )
        })?;
        statements.push(fixed_statement(quad, file, base, names)?);
    }
    Ok(statements)
}

/// One statement of the data file, checked and with its IRIs under `base`.
fn fixed_statement(
    quad: Quad,
    file: &str,
    base: &Base,
    names: &GraphNames,
) -> Result<Quad, GraphError> {
    let unusable = |problem: String| GraphError::from(CuratedDataError::new(file, problem));
    let NamedOrBlankNode::NamedNode(subject) = quad.subject else {
        return Err(unusable(format!(
            "the subject {} is a blank node; name every resource with an IRI",
            quad.subject
        )));
    };
    let object: Term = match quad.object {
        Term::NamedNode(node) => rebase(node, base)?.into(),
        Term::Literal(literal) => literal.into(),
        object => {
            return Err(unusable(format!(
                "the object {object} is neither an IRI nor a literal"
            )));
        }
    };
    let graph = match quad.graph_name {
        GraphName::NamedNode(graph) => rebase(graph, base)?,
        _ => {
            return Err(unusable(
                "a statement is outside GRAPH <graph/metadata> and GRAPH <graph/provenance>"
                    .to_owned(),
            ));
        }
    };
    if graph != names.metadata && graph != names.provenance {
        return Err(unusable(format!(
            "the graph {graph} is neither <graph/metadata> nor <graph/provenance>"
        )));
    }
    Ok(Quad::new(
        rebase(subject, base)?,
        rebase(quad.predicate, base)?,
        object,
        graph,
    ))
}

/// `node`, read under [`PLACEHOLDER_BASE`], minted under `base` instead.
fn rebase(node: NamedNode, base: &Base) -> Result<NamedNode, GraphError> {
    match node.as_str().strip_prefix(PLACEHOLDER_BASE) {
        Some(path) => mint(base, path),
        None => Ok(node),
    }
}

/// The linksets of the fixed statements: each `void:Linkset` with the
/// `void:uriSpace` of its `void:objectsTarget`.
fn linksets(statements: &[Quad]) -> Vec<Linkset> {
    let object_of = |subject: &NamedNode, predicate| {
        statements
            .iter()
            .find_map(|q| match (&q.subject, &q.object) {
                (NamedOrBlankNode::NamedNode(s), object)
                    if s == subject && q.predicate.as_ref() == predicate =>
                {
                    Some(object)
                }
                _ => None,
            })
    };
    statements
        .iter()
        .filter(|q| q.predicate.as_ref() == rdf::TYPE && q.object == void::LINKSET.into())
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(node) => Some(node),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .filter_map(|node| {
            let Some(Term::NamedNode(target)) = object_of(node, void::OBJECTS_TARGET) else {
                return None;
            };
            let Some(Term::Literal(space)) = object_of(target, void::URI_SPACE) else {
                return None;
            };
            Some(Linkset {
                node: node.clone(),
                uri_space: space.value().to_owned(),
            })
        })
        .collect()
}

/// Writes the description of a dataset whose other graphs hold `content`:
/// the fixed statements of [`BUILTIN_DATASET`], then what is counted and
/// derived.
pub(super) fn write_description(
    builder: &mut Builder<'_>,
    corpus: &Corpus,
    parsed: &ParsedCorpus,
    tally: &Tally,
) -> Result<(), GraphError> {
    let base = builder.base;
    let fixed = fixed_statements(BUILTIN_DATASET, DATASET_NAME, base, &builder.names)?;
    let linksets = linksets(&fixed);
    let stats = tally.statistics(&linksets);
    builder.quads.extend(fixed);
    let dataset = mint(base, "dataset")?;
    write_dates(builder, &dataset, corpus);
    write_statistics(builder, &dataset, &stats, &linksets);
    for document in &parsed.documents {
        builder.metadata(
            &dataset,
            void::ROOT_RESOURCE,
            document_iri(base, &document.id)?,
        );
    }
    write_distributions(builder, &dataset)?;
    write_build(builder, corpus)
}

/// `dcterms:issued` and `dcterms:modified`: the first and the last date of
/// the sources' manifest, none if no source has a date.
fn write_dates(builder: &mut Builder<'_>, dataset: &NamedNode, corpus: &Corpus) {
    let dates: BTreeSet<_> = corpus.sources.iter().filter_map(|s| s.meta.date).collect();
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        builder.metadata(dataset, dcterms::ISSUED, date(*first));
        builder.metadata(dataset, dcterms::MODIFIED, date(*last));
    }
}

/// The URI space, the VoID statistics and the number of links of each linkset.
fn write_statistics(
    builder: &mut Builder<'_>,
    dataset: &NamedNode,
    stats: &Statistics,
    linksets: &[Linkset],
) {
    builder.metadata(dataset, void::URI_SPACE, string(builder.base.as_str()));
    builder.metadata(dataset, void::TRIPLES, integer(stats.triples));
    builder.metadata(dataset, void::ENTITIES, integer(stats.entities));
    builder.metadata(dataset, void::CLASSES, integer(stats.classes));
    builder.metadata(dataset, void::PROPERTIES, integer(stats.properties));
    builder.metadata(
        dataset,
        void::DISTINCT_SUBJECTS,
        integer(stats.distinct_subjects),
    );
    for (linkset, count) in linksets.iter().zip(&stats.links) {
        builder.metadata(&linkset.node, void::TRIPLES, integer(*count));
    }
}

/// One `dcat:Distribution` per export format.
fn write_distributions(builder: &mut Builder<'_>, dataset: &NamedNode) -> Result<(), GraphError> {
    for format in ALL_FORMATS {
        let distribution = mint(
            builder.base,
            &format!("dataset/distribution/{}", format.name()),
        )?;
        builder.metadata(dataset, dcat::DISTRIBUTION, distribution.clone());
        builder.metadata(&distribution, rdf::TYPE, dcat::DISTRIBUTION_CLASS);
        let title = format!(
            "The whole graph as {} (cyberkg export --format {})",
            format.rdf_format().name(),
            format.name()
        );
        builder.metadata(&distribution, dcterms::TITLE, lang(&title, "en"));
        builder.metadata(
            &distribution,
            dcat::MEDIA_TYPE,
            NamedNode::new_unchecked(media_type(format)),
        );
        builder.metadata(
            &distribution,
            dcterms::FORMAT,
            string(format.rdf_format().media_type()),
        );
    }
    Ok(())
}

/// PROV-O: the software's version and what the build used: the sources,
/// the errata and the curated files (their names and SHA-256 in the
/// provenance graph). No time: it would change every run.
fn write_build(builder: &mut Builder<'_>, corpus: &Corpus) -> Result<(), GraphError> {
    let base = builder.base;
    let build = mint(base, "dataset/build")?;
    let agent = mint(base, "dataset/software")?;
    let version = env!("CARGO_PKG_VERSION");
    let title = format!("cyberkg {version}");
    builder.metadata(&agent, dcterms::TITLE, lang(&title, "en"));
    builder.metadata(&agent, schema::SOFTWARE_VERSION, string(version));
    for source in &corpus.sources {
        let source = mint(base, &format!("source/{}", source.id))?;
        builder.metadata(&build, prov::USED, source);
    }
    builder.metadata(&build, prov::USED, mint(base, "source/errata")?);
    let mut curated = vec![
        (
            "entities".to_owned(),
            corpus::ENTITIES_NAME,
            &corpus.entities,
        ),
        ("facts".to_owned(), corpus::FACTS_NAME, &corpus.facts),
        ("logic".to_owned(), corpus::LOGIC_NAME, &corpus.logic),
    ];
    // The user's entity tables (--entities), numbered in the order given.
    for (index, table) in corpus.extra_entities.iter().enumerate() {
        curated.push((format!("entities-{}", index + 2), &table.name, &table.text));
    }
    for (key, file, text) in curated {
        let node = mint(base, &format!("source/{key}"))?;
        builder.metadata(&build, prov::USED, node.clone());
        builder.provenance(&node, cyberkg::FILE_NAME, string(file));
        let sha256 = corpus::sha256_hex(text.as_bytes());
        builder.provenance(&node, cyberkg::SHA256, string(&sha256));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, base: &str) -> Result<Vec<Quad>, GraphError> {
        let base = Base::new(base).expect("a valid base");
        let names = GraphNames::new(&base).expect("graph names");
        fixed_statements(text, "x.trig", &base, &names)
    }

    fn problem(text: &str) -> CuratedDataError {
        match read(text, super::super::DEFAULT_BASE) {
            Err(GraphError::CuratedData(error)) => error,
            other => panic!("expected a data file error, got {other:?}"),
        }
    }

    #[test]
    fn the_builtin_statements_use_declared_terms_only() {
        let statements = read(BUILTIN_DATASET, super::super::DEFAULT_BASE).expect("it parses");
        let terms = super::super::vocab::all_terms();
        for quad in &statements {
            assert!(terms.contains(&quad.predicate.as_ref()), "{quad}");
            if quad.predicate.as_ref() == rdf::TYPE {
                let Term::NamedNode(class) = &quad.object else {
                    panic!("{quad}");
                };
                assert!(terms.contains(&class.as_ref()), "{quad}");
            }
        }
    }

    #[test]
    fn the_builtin_linksets_are_found_with_their_uri_spaces() {
        let statements = read(BUILTIN_DATASET, "http://example.org/kg/").expect("it parses");
        let spaces: BTreeSet<String> = linksets(&statements)
            .into_iter()
            .map(|l| format!("{} {}", l.node.as_str(), l.uri_space))
            .collect();
        assert_eq!(
            spaces.into_iter().collect::<Vec<_>>(),
            [
                "http://example.org/kg/dataset/links/dbpedia http://dbpedia.org/resource/",
                "http://example.org/kg/dataset/links/wikidata http://www.wikidata.org/entity/",
            ]
        );
    }

    #[test]
    fn relative_iris_are_minted_as_every_other_iri() {
        let text = "GRAPH <graph/metadata> { <dataset> <p> <https://example.com/x> . }";
        let statements = read(text, "http://example.org/a/../").expect("it parses");
        assert_eq!(
            statements[0].to_string(),
            "<http://example.org/a/../dataset> <http://example.org/a/../p> \
             <https://example.com/x> <http://example.org/a/../graph/metadata>"
        );
    }

    #[test]
    fn a_syntax_error_is_at_its_line_and_column() {
        let error = problem("GRAPH <graph/metadata> {\n  <dataset> a ;\n}\n");
        assert_eq!(
            (error.file.as_str(), error.position),
            ("x.trig", Some((2, 15)))
        );
        assert!(error.to_string().starts_with("x.trig:2:15: "), "{error}");
    }

    #[test]
    fn blank_nodes_and_other_graphs_are_refused() {
        for (text, expected) in [
            (
                "GRAPH <graph/metadata> { _:b <p> <o> . }",
                "x.trig: the subject _:b is a blank node; name every resource with an IRI",
            ),
            (
                "GRAPH <graph/metadata> { <s> <p> [] . }",
                "neither an IRI nor a literal",
            ),
            (
                "<s> <p> <o> .",
                "x.trig: a statement is outside GRAPH <graph/metadata> and GRAPH <graph/provenance>",
            ),
            (
                "GRAPH <graph/text> { <s> <p> <o> . }",
                "x.trig: the graph <https://w3id.org/cyberkg/graph/text> is neither",
            ),
        ] {
            let error = problem(text).to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}

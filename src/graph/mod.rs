//! The graph stage: documents and alignments become RDF quads.
//!
//! This is the only module that mints IRIs and names vocabulary terms. It
//! keeps three invariants users rely on:
//! - IRIs derive from stable keys (`<base><document id>/chapter-2/section-1/paragraph-3`),
//!   never from counters that depend on input order, and no blank nodes are emitted;
//! - every text literal is language-tagged (`en`, `zh-Hans`, and `zh-Hant`
//!   for the cleaned Traditional text beside the Simplified);
//! - every heading and paragraph points to the span of the source file it
//!   was read from (code-point offsets), and every repair is recorded.
//!
//! Quads go to three named graphs: `graph/text` (the editions, their parts
//! and the alignment), `graph/provenance` (source files, spans, repairs) and
//! `graph/metadata` (the dataset description).

pub mod dataset;
pub mod entities;
pub mod iri;
pub mod vocab;

use crate::corpus::{Corpus, EditionMeta};
use crate::document::{
    Document, DocumentKind, Language, ParsedCorpus, Part, PartKind, Repair, SourceText, Span,
    TRADITIONAL_CHINESE_TAG, Text,
};
pub use iri::{Base, BaseError, DEFAULT_BASE};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use vocab::{cyberkg, dcterms, deo, doco, prov, rdf, rdfs, schema, xsd};

/// Why quads could not be built (only reachable with an IRI-breaking document id).
#[derive(Debug, thiserror::Error)]
pub enum GraphError {
    /// A minted IRI was invalid.
    #[error("cannot mint an IRI for '{path}' under the base: {error}")]
    Iri {
        /// The path that was appended to the base.
        path: String,
        /// Why the IRI is invalid.
        #[source]
        error: oxigraph::model::IriParseError,
    },
    /// A date in the manifest is not an ISO 8601 date.
    #[error("{0}")]
    Metadata(String),
}

/// The names of the graphs under a base.
#[derive(Debug, Clone)]
pub struct GraphNames {
    /// Editions, parts, text and alignment.
    pub text: NamedNode,
    /// Source files, spans and repairs.
    pub provenance: NamedNode,
    /// The dataset description.
    pub metadata: NamedNode,
    /// Entities and the strategy's logic.
    pub entities: NamedNode,
    /// Mentions as Web Annotations, and `schema:mentions`.
    pub annotations: NamedNode,
    /// Curated facts with their evidence.
    pub facts: NamedNode,
}

impl GraphNames {
    /// The graph names under `base`.
    pub fn new(base: &Base) -> Result<Self, GraphError> {
        Ok(Self {
            text: mint(base, "graph/text")?,
            provenance: mint(base, "graph/provenance")?,
            metadata: mint(base, "graph/metadata")?,
            entities: mint(base, "graph/entities")?,
            annotations: mint(base, "graph/annotations")?,
            facts: mint(base, "graph/facts")?,
        })
    }

    /// All of them, in a fixed order.
    pub fn all(&self) -> [&NamedNode; 6] {
        [
            &self.text,
            &self.provenance,
            &self.entities,
            &self.annotations,
            &self.facts,
            &self.metadata,
        ]
    }
}

fn mint(base: &Base, path: &str) -> Result<NamedNode, GraphError> {
    base.iri(path).map_err(|error| GraphError::Iri {
        path: path.to_owned(),
        error,
    })
}

fn lang(value: &str, tag: &str) -> Term {
    Literal::new_language_tagged_literal_unchecked(value, tag.to_ascii_lowercase()).into()
}

fn integer(value: usize) -> Term {
    Literal::new_typed_literal(value.to_string(), xsd::INTEGER).into()
}

fn string(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

fn date(value: impl ToString) -> Term {
    Literal::new_typed_literal(value.to_string(), xsd::DATE).into()
}

/// Checks a manifest date (`2017-03-01`) before it becomes an `xsd:date`.
fn checked_date(value: &str, what: &str) -> Result<Term, GraphError> {
    let ok = value.len() == 10
        && value.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if ok {
        Ok(date(value))
    } else {
        Err(GraphError::Metadata(format!(
            "data/corpus/manifest.toml: {what} '{value}' is not an ISO 8601 date (YYYY-MM-DD)"
        )))
    }
}

struct Builder<'a> {
    base: &'a Base,
    names: GraphNames,
    quads: Vec<Quad>,
}

impl<'a> Builder<'a> {
    fn new(base: &'a Base) -> Result<Self, GraphError> {
        Ok(Self {
            base,
            names: GraphNames::new(base)?,
            quads: Vec::new(),
        })
    }

    fn add(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
        graph: &NamedNode,
    ) {
        self.quads.push(Quad::new(
            subject.clone(),
            predicate,
            object.into(),
            GraphName::NamedNode(graph.clone()),
        ));
    }

    fn text_graph(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
    ) {
        let graph = self.names.text.clone();
        self.add(subject, predicate, object, &graph);
    }

    fn provenance(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
    ) {
        let graph = self.names.provenance.clone();
        self.add(subject, predicate, object, &graph);
    }

    /// The literal(s) of a text: its value in the document language, plus the Traditional form.
    fn texts(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        text: &Text,
        language: Language,
    ) {
        self.text_graph(subject, predicate, lang(&text.value, language.tag()));
        if let Some(traditional) = &text.traditional {
            self.text_graph(
                subject,
                predicate,
                lang(traditional, TRADITIONAL_CHINESE_TAG),
            );
        }
    }

    /// A span node `<subject#name>` in the provenance graph.
    fn span(
        &mut self,
        subject: &NamedNode,
        name: &str,
        span: Span,
        source: &NamedNode,
        text: &SourceText,
    ) -> Result<NamedNode, GraphError> {
        let node = NamedNode::new(format!("{}#{name}", subject.as_str())).map_err(|error| {
            GraphError::Iri {
                path: name.to_owned(),
                error,
            }
        })?;
        let position = text.position(span.start);
        self.provenance(&node, rdf::TYPE, cyberkg::TEXT_SPAN);
        self.provenance(&node, cyberkg::SOURCE_FILE_OF, source.clone());
        self.provenance(&node, cyberkg::START_OFFSET, integer(span.start));
        self.provenance(&node, cyberkg::END_OFFSET, integer(span.end));
        self.provenance(&node, cyberkg::START_LINE, integer(position.line));
        self.provenance(&node, cyberkg::START_COLUMN, integer(position.column));
        Ok(node)
    }

    fn repairs(
        &mut self,
        subject: &NamedNode,
        repairs: &[Repair],
        source: &NamedNode,
        text: &SourceText,
        errata: &NamedNode,
        counter: &mut usize,
    ) -> Result<(), GraphError> {
        for repair in repairs {
            *counter += 1;
            let node = self.span(
                subject,
                &format!("repair-{counter}"),
                repair.span,
                source,
                text,
            )?;
            self.provenance(subject, cyberkg::REPAIR_OF, node.clone());
            self.provenance(&node, rdf::TYPE, cyberkg::REPAIR);
            self.provenance(&node, cyberkg::REPAIR_KIND, string(repair.kind.name()));
            self.provenance(&node, cyberkg::ORIGINAL_TEXT, string(&repair.original));
            self.provenance(
                &node,
                cyberkg::REPLACEMENT_TEXT,
                string(&repair.replacement),
            );
            self.provenance(&node, rdfs::COMMENT, lang(&repair.reason, "en"));
            if let Some(id) = &repair.erratum_id {
                self.provenance(&node, cyberkg::ERRATUM, string(id));
                self.provenance(&node, prov::WAS_DERIVED_FROM, errata.clone());
            }
        }
        Ok(())
    }
}

/// Everything a document's parts need to know while being written.
struct DocumentContext<'a> {
    root: NamedNode,
    language: Language,
    source: NamedNode,
    text: &'a SourceText,
    errata: NamedNode,
    order: usize,
}

fn part_type(kind: PartKind) -> Vec<NamedNodeRef<'static>> {
    match kind {
        PartKind::Preface => vec![doco::PREFACE],
        PartKind::Epigraph => vec![cyberkg::EPIGRAPH, doco::BLOCK_QUOTATION],
        PartKind::Chapter => vec![doco::CHAPTER],
        PartKind::Section => vec![doco::SECTION],
        PartKind::Conclusion => vec![deo::CONCLUSION],
        PartKind::Paragraph => vec![doco::PARAGRAPH],
        PartKind::Signature => vec![cyberkg::SIGNATURE],
    }
}

fn write_part(
    builder: &mut Builder<'_>,
    context: &mut DocumentContext<'_>,
    parent: &NamedNode,
    part: &Part,
) -> Result<(), GraphError> {
    let node =
        NamedNode::new(format!("{}/{}", parent.as_str(), part.segment())).map_err(|error| {
            GraphError::Iri {
                path: part.segment(),
                error,
            }
        })?;
    context.order += 1;
    for class in part_type(part.kind) {
        builder.text_graph(&node, rdf::TYPE, class);
    }
    builder.text_graph(&node, dcterms::IS_PART_OF, parent.clone());
    builder.text_graph(parent, dcterms::HAS_PART, node.clone());
    builder.text_graph(&node, cyberkg::IN_EDITION, context.root.clone());
    builder.text_graph(&node, cyberkg::DOCUMENT_ORDER, integer(context.order));
    builder.provenance(&node, prov::WAS_DERIVED_FROM, context.source.clone());
    if let (Some(number), true) = (part.number, part.kind.is_numbered()) {
        builder.text_graph(&node, schema::POSITION, integer(number as usize));
    }
    let mut repairs = 0;
    if let Some(title) = &part.title {
        builder.texts(&node, dcterms::TITLE, title, context.language);
        let span = builder.span(
            &node,
            "title-span",
            title.span,
            &context.source,
            context.text,
        )?;
        builder.provenance(&node, cyberkg::TITLE_SPAN, span);
        builder.repairs(
            &node,
            &title.repairs,
            &context.source,
            context.text,
            &context.errata,
            &mut repairs,
        )?;
    }
    if let Some(text) = &part.text {
        builder.texts(&node, schema::TEXT, text, context.language);
        let span = builder.span(&node, "text-span", text.span, &context.source, context.text)?;
        builder.provenance(&node, cyberkg::TEXT_SPAN_OF, span);
        builder.repairs(
            &node,
            &text.repairs,
            &context.source,
            context.text,
            &context.errata,
            &mut repairs,
        )?;
    }
    if let Some(attribution) = &part.attribution {
        builder.texts(
            &node,
            cyberkg::ATTRIBUTION,
            &attribution.text,
            context.language,
        );
        if let Some(day) = attribution.date {
            builder.text_graph(&node, dcterms::DATE, date(day));
        }
        let span = builder.span(
            &node,
            "attribution-span",
            attribution.text.span,
            &context.source,
            context.text,
        )?;
        builder.provenance(&node, cyberkg::ATTRIBUTION_SPAN, span);
    }
    for child in &part.children {
        write_part(builder, context, &node, child)?;
    }
    Ok(())
}

/// The IRI of a document.
pub fn document_iri(base: &Base, id: &str) -> Result<NamedNode, GraphError> {
    mint(base, id)
}

/// The IRI of a part of a document, from its path of segments.
pub fn part_iri(base: &Base, document: &str, path: &[String]) -> Result<NamedNode, GraphError> {
    let mut iri = document.to_owned();
    for segment in path {
        iri.push('/');
        iri.push_str(segment);
    }
    mint(base, &iri)
}

fn write_document(
    builder: &mut Builder<'_>,
    document: &Document,
    meta: Option<&EditionMeta>,
    text: &SourceText,
    errata: &NamedNode,
) -> Result<NamedNode, GraphError> {
    let base = builder.base;
    let root = document_iri(base, &document.id)?;
    let source = mint(base, &format!("source/{}", document.source_id))?;
    builder.text_graph(&root, rdf::TYPE, schema::CREATIVE_WORK);
    builder.text_graph(
        &root,
        rdf::TYPE,
        match document.kind {
            DocumentKind::Edition => cyberkg::EDITION,
            DocumentKind::CoverLetter(_) => cyberkg::COVER_LETTER,
        },
    );
    builder.text_graph(&root, dcterms::IDENTIFIER, string(&document.id));
    builder.text_graph(&root, schema::IN_LANGUAGE, string(document.language.tag()));
    builder.provenance(&root, prov::WAS_DERIVED_FROM, source.clone());
    match (&document.title, meta.and_then(|m| m.title.as_deref())) {
        (_, Some(title)) => {
            builder.text_graph(&root, dcterms::TITLE, lang(title, document.language.tag()))
        }
        (Some(title), None) => {
            builder.texts(&root, dcterms::TITLE, title, document.language);
            let span = builder.span(&root, "title-span", title.span, &source, text)?;
            builder.provenance(&root, cyberkg::TITLE_SPAN, span);
        }
        (None, None) => {}
    }
    if let Some(meta) = meta {
        if let Some(publisher) = &meta.publisher {
            builder.text_graph(&root, dcterms::PUBLISHER, lang(publisher, "en"));
        }
        if let Some(issued) = &meta.issued {
            let issued = checked_date(issued, &format!("the issue date of {}", meta.id))?;
            builder.text_graph(&root, dcterms::ISSUED, issued);
        }
        if let Some(evidence) = &meta.evidence {
            builder.provenance(&root, cyberkg::EVIDENCE, lang(evidence, "en"));
        }
    }
    if let DocumentKind::CoverLetter(letter) = &document.kind {
        let optional_texts = [
            (cyberkg::CIRCULATED_BY, &letter.circulated_by),
            (cyberkg::SENDER, &letter.sender),
            (cyberkg::ADDRESSEE, &letter.addressee),
            (cyberkg::SIGNATORY, &letter.signatory),
            (cyberkg::SIGNATORY_ROLE, &letter.signatory_role),
        ];
        for (predicate, value) in optional_texts {
            if let Some(value) = value {
                builder.text_graph(&root, predicate, lang(&value.value, "en"));
            }
        }
        if let Some(day) = letter.letter_date {
            builder.text_graph(&root, dcterms::CREATED, date(day));
        }
        if let Some(day) = letter
            .document_date
            .filter(|_| meta.and_then(|m| m.issued.as_ref()).is_none())
        {
            builder.text_graph(&root, dcterms::ISSUED, date(day));
        }
        if let Some(day) = letter.stated_issue_date {
            builder.text_graph(&root, cyberkg::STATED_ISSUE_DATE, date(day));
        }
        if let Some(edition) = &letter.transmits {
            let edition = document_iri(base, edition)?;
            builder.text_graph(&root, cyberkg::TRANSMITS, edition.clone());
            builder.text_graph(&edition, cyberkg::TRANSMITTED_BY, root.clone());
        }
    }
    let mut context = DocumentContext {
        root: root.clone(),
        language: document.language,
        source,
        text,
        errata: errata.clone(),
        order: 0,
    };
    for part in &document.parts {
        write_part(builder, &mut context, &root, part)?;
    }
    Ok(root)
}

fn write_sources(
    builder: &mut Builder<'_>,
    corpus: &Corpus,
    parsed: &ParsedCorpus,
) -> Result<NamedNode, GraphError> {
    for source in &corpus.sources {
        let node = mint(builder.base, &format!("source/{}", source.id))?;
        builder.provenance(&node, rdf::TYPE, cyberkg::SOURCE_FILE);
        builder.provenance(&node, rdf::TYPE, prov::ENTITY);
        builder.provenance(&node, dcterms::IDENTIFIER, string(&source.id));
        builder.provenance(&node, cyberkg::FILE_NAME, string(&source.name));
        builder.provenance(&node, cyberkg::LAYOUT, string(source.layout.name()));
        builder.provenance(&node, cyberkg::SHA256, string(&source.sha256));
        let count = parsed.texts.get(&source.id).map_or(0, |t| t.char_len());
        builder.provenance(&node, cyberkg::CODE_POINT_COUNT, integer(count));
        builder.provenance(&node, dcterms::TITLE, lang(&source.meta.title, "en"));
        for language in &source.meta.languages {
            builder.provenance(&node, dcterms::LANGUAGE, string(language));
        }
        if !source.meta.publisher.is_empty() {
            builder.provenance(
                &node,
                dcterms::PUBLISHER,
                lang(&source.meta.publisher, "en"),
            );
        }
        if !source.meta.date.is_empty() {
            let day = checked_date(
                &source.meta.date,
                &format!("the date of source {}", source.id),
            )?;
            builder.provenance(&node, dcterms::DATE, day);
        }
        builder.provenance(
            &node,
            dcterms::DESCRIPTION,
            lang(&source.meta.description, "en"),
        );
    }
    let errata = mint(builder.base, "source/errata")?;
    builder.provenance(&errata, rdf::TYPE, cyberkg::CURATED_DATA);
    builder.provenance(&errata, rdf::TYPE, prov::ENTITY);
    builder.provenance(&errata, dcterms::IDENTIFIER, string("errata"));
    builder.provenance(
        &errata,
        cyberkg::FILE_NAME,
        string(crate::corpus::ERRATA_NAME),
    );
    builder.provenance(
        &errata,
        cyberkg::SHA256,
        string(&crate::corpus::sha256_hex(corpus.errata.as_bytes())),
    );
    builder.provenance(
        &errata,
        dcterms::TITLE,
        lang("Curated errata of the source texts", "en"),
    );
    Ok(errata)
}

/// Builds every quad of the graph for a parsed corpus.
pub fn build_quads(
    corpus: &Corpus,
    parsed: &ParsedCorpus,
    base: &Base,
) -> Result<Vec<Quad>, GraphError> {
    let mut builder = Builder::new(base)?;
    let errata = write_sources(&mut builder, corpus, parsed)?;
    for document in &parsed.documents {
        let meta = corpus
            .sources
            .iter()
            .flat_map(|s| s.meta.editions.values())
            .find(|e| e.id == document.id);
        let Some(text) = parsed.texts.get(&document.source_id) else {
            continue;
        };
        write_document(&mut builder, document, meta, text, &errata)?;
    }
    for alignment in &parsed.alignments {
        for path in &alignment.paths {
            let translation = part_iri(base, &alignment.translation, path)?;
            let original = part_iri(base, &alignment.original, path)?;
            builder.text_graph(&translation, schema::TRANSLATION_OF_WORK, original.clone());
            builder.text_graph(&original, schema::WORK_TRANSLATION, translation);
        }
    }
    Ok(builder.quads)
}

/// The dataset's description of itself (VoID, DCAT, PROV-O), counted from
/// `content`, the quads of every other graph.
pub fn describe_dataset(
    corpus: &Corpus,
    parsed: &ParsedCorpus,
    content: &[Quad],
    base: &Base,
) -> Result<Vec<Quad>, GraphError> {
    let mut builder = Builder::new(base)?;
    dataset::write_description(&mut builder, corpus, parsed, content)?;
    Ok(builder.quads)
}

/// What the strategy names, ready for the graph.
pub struct Named<'a> {
    /// The entity table.
    pub table: &'a crate::extract::EntityTable,
    /// Every mention found.
    pub mentions: &'a [crate::extract::Mention],
    /// The strategy's logic.
    pub logic: &'a crate::extract::curated::Logic,
    /// Facts whose evidence was found.
    pub facts: &'a [crate::extract::curated::CheckedFact],
}

/// Builds the quads of entities, mentions, the strategy's logic and facts.
pub fn build_named_quads(
    named: &Named<'_>,
    parsed: &ParsedCorpus,
    base: &Base,
) -> Result<Vec<Quad>, GraphError> {
    let mut builder = Builder::new(base)?;
    entities::write_entities(&mut builder, named.table)?;
    entities::write_mentions(&mut builder, named.mentions)?;
    entities::write_logic(&mut builder, named.logic, &parsed.documents)?;
    entities::write_facts(&mut builder, named.facts)?;
    Ok(builder.quads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_dates_are_checked() {
        assert!(checked_date("2017-03-01", "x").is_ok());
        for bad in ["2017-3-1", "1 March 2017", "", "2017-03-01T00:00"] {
            assert!(checked_date(bad, "x").is_err(), "{bad}");
        }
    }
}

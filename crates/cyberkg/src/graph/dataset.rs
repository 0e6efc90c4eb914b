//! The dataset's description of itself (graph `metadata`): VoID, DCAT and
//! PROV-O, so that other tools can discover what the graph holds.
//!
//! Invariants: every number is counted from the quads of the other graphs
//! (never typed in); every date comes from the sources' manifest, never from
//! the clock, and no build time is recorded, so the same inputs describe
//! themselves in the same bytes. The SPARQL endpoint is not stated here: a
//! server adds `void:sparqlEndpoint` where it serves the description.

use super::vocab::{cyberkg, dcat, dcterms, owl, prov, rdf, rdfs, schema, void};
use super::{Base, Builder, GraphError, date, document_iri, integer, lang, mint, string};
use crate::format::{ALL_FORMATS, ExportFormat};
use cyberkg_text::corpus::{self, Corpus};
use cyberkg_text::document::ParsedCorpus;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Quad, Term};
use std::collections::BTreeSet;

/// Target datasets of the identity links: (key, dataset IRI, URI space, title).
const LINK_TARGETS: [(&str, &str, &str, &str); 2] = [
    (
        "wikidata",
        "https://www.wikidata.org/",
        "http://www.wikidata.org/entity/",
        "Wikidata",
    ),
    (
        "dbpedia",
        "https://dbpedia.org/",
        "http://dbpedia.org/resource/",
        "DBpedia",
    ),
];

/// The vocabularies the graph uses.
const VOCABULARIES: [&str; 12] = [
    "http://purl.org/spar/doco/",
    "http://purl.org/spar/deo/",
    "http://purl.org/dc/terms/",
    "http://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/ns/oa#",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/2002/07/owl#",
    "http://rdfs.org/ns/void#",
    "http://www.w3.org/ns/dcat#",
    "https://w3id.org/cyberkg/vocab",
];

/// Statistics of the content graphs.
struct Statistics {
    triples: usize,
    entities: usize,
    classes: usize,
    properties: usize,
    distinct_subjects: usize,
    links: Vec<usize>,
}

fn statistics(quads: &[Quad], base: &Base) -> Statistics {
    let triples: BTreeSet<(String, String, String)> = quads
        .iter()
        .map(|q| {
            (
                q.subject.to_string(),
                q.predicate.to_string(),
                q.object.to_string(),
            )
        })
        .collect();
    let subjects: BTreeSet<String> = quads.iter().map(|q| q.subject.to_string()).collect();
    let entities = quads
        .iter()
        .filter_map(|q| match &q.subject {
            NamedOrBlankNode::NamedNode(node) if node.as_str().starts_with(base.as_str()) => Some(
                node.as_str()
                    .split('#')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            _ => None,
        })
        .collect::<BTreeSet<_>>()
        .len();
    let classes = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == rdf::TYPE)
        .map(|q| q.object.to_string())
        .collect::<BTreeSet<_>>()
        .len();
    let properties = quads
        .iter()
        .map(|q| q.predicate.as_str())
        .collect::<BTreeSet<_>>()
        .len();
    let links = LINK_TARGETS
        .iter()
        .map(|(_, _, space, _)| {
            triples
                .iter()
                .filter(|(_, p, o)| {
                    p.trim_matches(['<', '>']) == owl::SAME_AS.as_str()
                        && o.trim_start_matches('<').starts_with(space)
                })
                .count()
        })
        .collect();
    Statistics {
        triples: triples.len(),
        entities,
        classes,
        properties,
        distinct_subjects: subjects.len(),
        links,
    }
}

/// The media type of an export format, as an IANA IRI.
fn media_type(format: ExportFormat) -> String {
    format!(
        "https://www.iana.org/assignments/media-types/{}",
        format.rdf_format().media_type()
    )
}

/// Writes the description of a dataset whose other graphs hold `content`.
pub(super) fn write_description(
    builder: &mut Builder<'_>,
    corpus: &Corpus,
    parsed: &ParsedCorpus,
    content: &[Quad],
) -> Result<(), GraphError> {
    let base = builder.base;
    let graph = builder.names.metadata.clone();
    let dataset = mint(base, "dataset")?;
    let stats = statistics(content, base);
    let add = |builder: &mut Builder<'_>,
               s: &NamedNode,
               p: oxigraph::model::NamedNodeRef<'_>,
               o: Term| builder.add(s, p, o, &graph);

    add(builder, &dataset, rdf::TYPE, void::DATASET.into());
    add(builder, &dataset, rdf::TYPE, dcat::DATASET.into());
    add(
        builder,
        &dataset,
        dcterms::TITLE,
        lang(
            "China's International Strategy of Cooperation on Cyberspace (2017) as a knowledge graph",
            "en",
        ),
    );
    add(
        builder,
        &dataset,
        dcterms::TITLE,
        lang("《网络空间国际合作战略》（2017）知识图谱", "zh-Hans"),
    );
    add(
        builder,
        &dataset,
        dcterms::DESCRIPTION,
        lang(
            "The Chinese original, the government's English and the UN's English of the strategy, aligned paragraph by paragraph, with every heading and paragraph traced to the characters of its source text, the organizations, forums, states, people, documents and concepts it names (linked to Wikidata and DBpedia where verified), and its principles, goals and plan of action.",
            "en",
        ),
    );
    for keyword in [
        "cyberspace",
        "cyber diplomacy",
        "China",
        "United Nations",
        "international relations",
        "Internet governance",
    ] {
        add(builder, &dataset, dcat::KEYWORD, lang(keyword, "en"));
    }
    add(
        builder,
        &dataset,
        dcterms::PUBLISHER,
        lang("The cyberkg developers", "en"),
    );
    for licence in [
        "https://spdx.org/licenses/MIT.html",
        "https://spdx.org/licenses/Apache-2.0.html",
    ] {
        add(
            builder,
            &dataset,
            dcterms::LICENSE,
            NamedNode::new_unchecked(licence).into(),
        );
    }
    add(
        builder,
        &dataset,
        dcterms::RIGHTS,
        lang(
            "The curation, the annotations and the code that built this graph are available under MIT OR Apache-2.0. The texts of the strategy are official documents of the Government of the People's Republic of China and of the United Nations, reproduced as they were published.",
            "en",
        ),
    );
    let dates: BTreeSet<&str> = corpus
        .sources
        .iter()
        .map(|s| s.meta.date.as_str())
        .filter(|d| !d.is_empty())
        .collect();
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        add(builder, &dataset, dcterms::ISSUED, date(first));
        add(builder, &dataset, dcterms::MODIFIED, date(last));
    }
    add(builder, &dataset, void::URI_SPACE, string(base.as_str()));
    add(builder, &dataset, void::TRIPLES, integer(stats.triples));
    add(builder, &dataset, void::ENTITIES, integer(stats.entities));
    add(builder, &dataset, void::CLASSES, integer(stats.classes));
    add(
        builder,
        &dataset,
        void::PROPERTIES,
        integer(stats.properties),
    );
    add(
        builder,
        &dataset,
        void::DISTINCT_SUBJECTS,
        integer(stats.distinct_subjects),
    );
    for vocabulary in VOCABULARIES {
        add(
            builder,
            &dataset,
            void::VOCABULARY,
            NamedNode::new_unchecked(vocabulary).into(),
        );
    }
    for document in &parsed.documents {
        add(
            builder,
            &dataset,
            void::ROOT_RESOURCE,
            document_iri(base, &document.id)?.into(),
        );
    }
    for example in [
        "iscc2017/en-un/chapter-4/section-3/paragraph-2",
        "entity/shanghai-cooperation-organization",
        "logic/goal-1",
    ] {
        add(
            builder,
            &dataset,
            void::EXAMPLE_RESOURCE,
            mint(base, example)?.into(),
        );
    }

    for ((key, target, space, title), count) in LINK_TARGETS.iter().zip(&stats.links) {
        let linkset = mint(base, &format!("dataset/links/{key}"))?;
        let target = NamedNode::new_unchecked(*target);
        add(builder, &dataset, void::SUBSET, linkset.clone().into());
        add(builder, &linkset, rdf::TYPE, void::LINKSET.into());
        add(
            builder,
            &linkset,
            dcterms::TITLE,
            lang(
                &format!("Identity links from cyberkg entities to {title}"),
                "en",
            ),
        );
        add(builder, &linkset, void::LINK_PREDICATE, owl::SAME_AS.into());
        add(
            builder,
            &linkset,
            void::SUBJECTS_TARGET,
            dataset.clone().into(),
        );
        add(
            builder,
            &linkset,
            void::OBJECTS_TARGET,
            target.clone().into(),
        );
        add(builder, &linkset, void::TRIPLES, integer(*count));
        add(builder, &target, rdf::TYPE, void::DATASET.into());
        add(builder, &target, dcterms::TITLE, lang(title, "en"));
        add(builder, &target, void::URI_SPACE, string(space));
    }

    for format in ALL_FORMATS {
        let distribution = mint(base, &format!("dataset/distribution/{}", format.name()))?;
        add(
            builder,
            &dataset,
            dcat::DISTRIBUTION,
            distribution.clone().into(),
        );
        add(
            builder,
            &distribution,
            rdf::TYPE,
            dcat::DISTRIBUTION_CLASS.into(),
        );
        add(
            builder,
            &distribution,
            dcterms::TITLE,
            lang(
                &format!(
                    "The whole graph as {} (cyberkg export --format {})",
                    format.rdf_format().name(),
                    format.name()
                ),
                "en",
            ),
        );
        add(
            builder,
            &distribution,
            dcat::MEDIA_TYPE,
            NamedNode::new_unchecked(media_type(format)).into(),
        );
        add(
            builder,
            &distribution,
            dcterms::FORMAT,
            string(format.rdf_format().media_type()),
        );
    }

    // PROV-O: the build, what it used and what ran it (no time: it would change every run).
    let build = mint(base, "dataset/build")?;
    let agent = mint(base, "dataset/software")?;
    add(
        builder,
        &dataset,
        prov::WAS_GENERATED_BY,
        build.clone().into(),
    );
    add(builder, &build, rdf::TYPE, prov::ACTIVITY.into());
    add(
        builder,
        &build,
        rdfs::COMMENT,
        lang(
            "The build that parsed the sources, applied the errata, found the mentions and wrote this graph.",
            "en",
        ),
    );
    add(
        builder,
        &build,
        prov::WAS_ASSOCIATED_WITH,
        agent.clone().into(),
    );
    add(builder, &agent, rdf::TYPE, prov::SOFTWARE_AGENT.into());
    add(
        builder,
        &agent,
        dcterms::TITLE,
        lang(&format!("cyberkg {}", env!("CARGO_PKG_VERSION")), "en"),
    );
    add(
        builder,
        &agent,
        schema::SOFTWARE_VERSION,
        string(env!("CARGO_PKG_VERSION")),
    );
    for source in &corpus.sources {
        add(
            builder,
            &build,
            prov::USED,
            mint(base, &format!("source/{}", source.id))?.into(),
        );
    }
    add(
        builder,
        &build,
        prov::USED,
        mint(base, "source/errata")?.into(),
    );
    let curated = [
        (
            "entities",
            corpus::ENTITIES_NAME,
            &corpus.entities,
            "The curated entity table",
        ),
        (
            "facts",
            corpus::FACTS_NAME,
            &corpus.facts,
            "The curated facts with their evidence",
        ),
        (
            "logic",
            corpus::LOGIC_NAME,
            &corpus.logic,
            "The strategy's logic: which chapters state principles, goals and action lines",
        ),
    ];
    for (key, file, text, title) in curated {
        let node = mint(base, &format!("source/{key}"))?;
        add(builder, &build, prov::USED, node.clone().into());
        builder.provenance(&node, rdf::TYPE, cyberkg::CURATED_DATA);
        builder.provenance(&node, rdf::TYPE, prov::ENTITY);
        builder.provenance(&node, dcterms::IDENTIFIER, string(key));
        builder.provenance(&node, cyberkg::FILE_NAME, string(file));
        builder.provenance(
            &node,
            cyberkg::SHA256,
            string(&corpus::sha256_hex(text.as_bytes())),
        );
        builder.provenance(&node, dcterms::TITLE, lang(title, "en"));
    }
    Ok(())
}

//! Vocabulary terms, one module per namespace: the public contract users write SPARQL against.
//!
//! Every term the graph emits is a constant here, and a test checks that
//! each one is declared in `ontology/cyberkg.ttl` (our own terms with labels
//! and comments in English and Chinese; reused terms with `rdfs:isDefinedBy`).

use oxigraph::model::NamedNodeRef;

/// Namespace prefixes used in exports and accepted in queries without a `PREFIX` line.
pub const PREFIXES: &[(&str, &str)] = &[
    ("cyberkg", cyberkg::NS),
    ("dcat", dcat::NS),
    ("oa", oa::NS),
    ("org", org::NS),
    ("skos", skos::NS),
    ("dcterms", dcterms::NS),
    ("deo", deo::NS),
    ("doco", doco::NS),
    ("owl", owl::NS),
    ("prov", prov::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("schema", schema::NS),
    ("void", void::NS),
    ("xsd", xsd::NS),
];

/// The full-text search service cyberkg answers itself, from the index of
/// the store's texts (`crate::search`), never over the network: fixed, like
/// the vocabulary's namespace, whatever `--base` says.
pub const SEARCH_SERVICE: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/cyberkg/search");

/// `prefix:local` for an IRI under one of [`PREFIXES`] (see
/// [`super::iri::compact`]), for the command line's tables and the pages.
pub fn compact(iri: &str) -> Option<String> {
    super::iri::compact(
        iri,
        PREFIXES
            .iter()
            .map(|(prefix, namespace)| (*prefix, *namespace)),
    )
}

macro_rules! terms {
    ($(#[$doc:meta])* $ns:literal { $($(#[$term_doc:meta])* $name:ident = $local:literal;)* }) => {
        $(#[$doc])*
        pub const NS: &str = $ns;
        $(
            $(#[$term_doc])*
            pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
        )*
        /// Every term of this namespace the graph uses.
        pub const ALL: &[NamedNodeRef<'static>] = &[$($name),*];
    };
}

/// The project's own vocabulary, for what the standard ones lack.
pub mod cyberkg {
    use super::*;
    terms! {
        /// Namespace of the cyberkg vocabulary (fixed: it does not follow `--base`).
        "https://w3id.org/cyberkg/vocab#" {
            /// Class: one version of the strategy (Chinese original, government English, UN English).
            EDITION = "Edition";
            /// Class: the UN cover letter, the UN document that carries an edition.
            COVER_LETTER = "CoverLetter";
            /// Class: the epigraph of the Preface.
            EPIGRAPH = "Epigraph";
            /// Class: the signature block of a letter.
            SIGNATURE = "Signature";
            /// Class: a source file of the corpus.
            SOURCE_FILE = "SourceFile";
            /// Class: curated data the build reads (the errata).
            CURATED_DATA = "CuratedData";
            /// Class: a span of code points in a source file.
            TEXT_SPAN = "TextSpan";
            /// Class: a repair of damaged source text.
            REPAIR = "Repair";
            /// Class: a link between sentences of an original and of a translation.
            SENTENCE_ALIGNMENT = "SentenceAlignment";
            /// A sentence of the original a sentence alignment links.
            ALIGNED_SOURCE = "source";
            /// A sentence of the translation a sentence alignment links.
            ALIGNED_TARGET = "target";
            /// How a sentence alignment was computed (`gale-church+anchors`).
            ALIGNMENT_METHOD = "alignmentMethod";
            /// A sentence alignment's probability under its method, 0 to 1.
            ALIGNMENT_SCORE = "alignmentScore";
            /// A sentence alignment's kind: `1-1`, `1-2`, `2-1`, `1-3`, `3-1`, `1-0`, `0-1`.
            ALIGNMENT_KIND = "alignmentKind";
            /// The translation's paragraph a sentence alignment belongs to.
            ALIGNED_PARAGRAPH = "alignedParagraph";
            /// How many entities both sides of a sentence alignment mention.
            SHARED_ENTITY_COUNT = "sharedEntityCount";
            /// Full-text search (only inside `SERVICE <https://w3id.org/cyberkg/search>`):
            /// the part has a text that matches these words; the literal's
            /// language tag (`@zh`, `@en`), if any, restricts the texts searched.
            MATCHES = "matches";
            /// Full-text search: the hit's BM25 relevance score (`xsd:double`, higher is better).
            SCORE = "score";
            /// Full-text search: the best passage of the hit's text, matched words between « and ».
            SNIPPET = "snippet";
            /// The edition a part belongs to (shortcut for `dcterms:isPartOf+`).
            IN_EDITION = "inEdition";
            /// 1-based reading order of a part within its document.
            DOCUMENT_ORDER = "documentOrder";
            /// The span a part's `schema:text` was read from.
            TEXT_SPAN_OF = "textSpan";
            /// The span a part's `dcterms:title` was read from.
            TITLE_SPAN = "titleSpan";
            /// The span an epigraph's attribution was read from.
            ATTRIBUTION_SPAN = "attributionSpan";
            /// The attribution line of an epigraph.
            ATTRIBUTION = "attribution";
            /// The source file a span lies in.
            SOURCE_FILE_OF = "sourceFile";
            /// First code point of a span (0-based, in the whole file).
            START_OFFSET = "startOffset";
            /// One past the last code point of a span.
            END_OFFSET = "endOffset";
            /// 1-based line where a span starts.
            START_LINE = "startLine";
            /// 1-based column (in code points) where a span starts.
            START_COLUMN = "startColumn";
            /// A repair applied to a part's text.
            REPAIR_OF = "repair";
            /// What kind of damage a repair undid (`erratum`, `html-remnant`, `page-break`).
            REPAIR_KIND = "repairKind";
            /// The damaged characters as they stand in the source.
            ORIGINAL_TEXT = "originalText";
            /// What replaced them.
            REPLACEMENT_TEXT = "replacementText";
            /// The id of the curated erratum a repair applied.
            ERRATUM = "erratum";
            /// Lower-case hex SHA-256 of a file (a source text or the errata).
            SHA256 = "sha256";
            /// Path of a file (a source text or the errata) as messages name it, e.g. `data/errata.toml`.
            FILE_NAME = "fileName";
            /// Layout of a source file (`un-english`, `parallel-zh-en`, `markdown`).
            LAYOUT = "layout";
            /// Number of Unicode code points in a source file.
            CODE_POINT_COUNT = "codePointCount";
            /// Where metadata not stated by the text comes from.
            EVIDENCE = "evidence";
            /// The edition a cover letter transmits.
            TRANSMITS = "transmits";
            /// The cover letter that transmits an edition.
            TRANSMITTED_BY = "transmittedBy";
            /// The body a UN document was circulated by.
            CIRCULATED_BY = "circulatedBy";
            /// The sender of a letter, as the text names it.
            SENDER = "sender";
            /// The addressee of a letter, as the text names it.
            ADDRESSEE = "addressee";
            /// The signatory of a letter, as the text names them.
            SIGNATORY = "signatory";
            /// The signatory's function, as printed after the name.
            SIGNATORY_ROLE = "signatoryRole";
            /// The country or issuing body a document is from, as its metadata names it.
            COUNTRY = "country";
            /// The issue date a letter states for the document it transmits.
            STATED_ISSUE_DATE = "statedIssueDate";
            /// Class: anything of the curated entity table.
            ENTITY = "Entity";
            /// Class: a formal intergovernmental organization.
            INTERGOVERNMENTAL_ORGANIZATION = "IntergovernmentalOrganization";
            /// Class: a standing forum or grouping that is not a formal organization.
            FORUM = "Forum";
            /// Class: a non-profit organization.
            NON_PROFIT = "NonProfit";
            /// Class: a government ministry or office.
            GOVERNMENT_AGENCY = "GovernmentAgency";
            /// Class: a diplomatic mission.
            DIPLOMATIC_MISSION = "DiplomaticMission";
            /// Class: a policy initiative or plan.
            INITIATIVE = "Initiative";
            /// The kind of an entity in the curated table (`forum`, `state`, …).
            ENTITY_KIND = "entityKind";
            /// How many public sources verify an entity's Wikidata link (`verified`, `single-source`).
            WIKIDATA_CONFIDENCE = "wikidataConfidence";
            /// A public source that verifies an entity's Wikidata link.
            WIKIDATA_SOURCE = "wikidataSource";
            /// A public source that verifies an entity's DBpedia link.
            DBPEDIA_SOURCE = "dbpediaSource";
            /// The property whose literal an annotation's offsets index (`schema:text`, `dcterms:title`).
            SELECTED_PROPERTY = "selectedProperty";
            /// A part of the text that states a principle, goal or action line.
            STATED_IN = "statedIn";
            /// Class: a fact curated with its evidence.
            CURATED_FACT = "CuratedFact";
            /// The part of the text that is a fact's evidence.
            EVIDENCE_PART = "evidencePart";
            /// The exact words of the evidence.
            EVIDENCE_QUOTE = "evidenceQuote";
            /// Class: two translations of one part of an original, compared word by word.
            TRANSLATION_COMPARISON = "TranslationComparison";
            /// The part of the original whose translations a comparison compares.
            COMPARISON_OF = "comparisonOf";
            /// A translated part a comparison compares (two per comparison).
            COMPARED_TRANSLATION = "comparedTranslation";
            /// How alike two translations are in wording, from 0 to 1 (xsd:decimal).
            WORD_SIMILARITY = "wordSimilarity";
            /// How a comparison was computed.
            COMPARISON_METHOD = "comparisonMethod";
        }
    }
}

/// W3C Web Annotation vocabulary.
pub mod oa {
    use super::*;
    terms! {
        /// Namespace of the Web Annotation vocabulary.
        "http://www.w3.org/ns/oa#" {
            /// An annotation.
            ANNOTATION = "Annotation";
            /// A part of a resource.
            SPECIFIC_RESOURCE = "SpecificResource";
            /// Start and end offsets.
            TEXT_POSITION_SELECTOR = "TextPositionSelector";
            /// Exact text with context.
            TEXT_QUOTE_SELECTOR = "TextQuoteSelector";
            /// The body (the entity).
            HAS_BODY = "hasBody";
            /// The target.
            HAS_TARGET = "hasTarget";
            /// The resource a specific resource is part of.
            HAS_SOURCE = "hasSource";
            /// A selector.
            HAS_SELECTOR = "hasSelector";
            /// First code point.
            START = "start";
            /// One past the last code point.
            END = "end";
            /// The selected text.
            EXACT = "exact";
            /// Text before.
            PREFIX = "prefix";
            /// Text after.
            SUFFIX = "suffix";
            /// Why the annotation was made.
            MOTIVATED_BY = "motivatedBy";
            /// The motivation of identifying a resource.
            IDENTIFYING = "identifying";
        }
    }
}

/// W3C Organization Ontology.
pub mod org {
    use super::*;
    terms! {
        /// Namespace of ORG.
        "http://www.w3.org/ns/org#" {
            /// An organization.
            ORGANIZATION = "Organization";
            /// A formal organization.
            FORMAL_ORGANIZATION = "FormalOrganization";
            /// A unit of a larger formal organization.
            ORGANIZATIONAL_UNIT = "OrganizationalUnit";
            /// A post.
            POST = "Post";
            /// The organization this one belongs to.
            SUB_ORGANIZATION_OF = "subOrganizationOf";
            /// Who holds a post.
            HELD_BY = "heldBy";
        }
    }
}

/// SKOS.
pub mod skos {
    use super::*;
    terms! {
        /// Namespace of SKOS.
        "http://www.w3.org/2004/02/skos/core#" {
            /// A concept.
            CONCEPT = "Concept";
            /// A concept scheme.
            CONCEPT_SCHEME = "ConceptScheme";
            /// The preferred label (one per language).
            PREF_LABEL = "prefLabel";
            /// Other labels and acronyms.
            ALT_LABEL = "altLabel";
            /// The scheme of a concept.
            IN_SCHEME = "inScheme";
            /// A top concept of a scheme.
            HAS_TOP_CONCEPT = "hasTopConcept";
            /// The scheme a top concept heads.
            TOP_CONCEPT_OF = "topConceptOf";
            /// A notation (`II.1`).
            NOTATION = "notation";
        }
    }
}

/// OWL.
pub mod owl {
    use super::*;
    terms! {
        /// Namespace of OWL.
        "http://www.w3.org/2002/07/owl#" {
            /// The same thing in another dataset.
            SAME_AS = "sameAs";
        }
    }
}

/// DoCO, the Document Components Ontology.
pub mod doco {
    use super::*;
    terms! {
        /// Namespace of DoCO.
        "http://purl.org/spar/doco/" {
            /// A numbered chapter.
            CHAPTER = "Chapter";
            /// A numbered section.
            SECTION = "Section";
            /// A paragraph.
            PARAGRAPH = "Paragraph";
            /// A sentence of a paragraph.
            SENTENCE = "Sentence";
            /// The Preface.
            PREFACE = "Preface";
            /// A block quotation (the epigraph's superclass).
            BLOCK_QUOTATION = "BlockQuotation";
        }
    }
}

/// DEO, the Discourse Elements Ontology.
pub mod deo {
    use super::*;
    terms! {
        /// Namespace of DEO.
        "http://purl.org/spar/deo/" {
            /// The Conclusion.
            CONCLUSION = "Conclusion";
        }
    }
}

/// Dublin Core terms.
pub mod dcterms {
    use super::*;
    terms! {
        /// Namespace of DCMI Metadata Terms.
        "http://purl.org/dc/terms/" {
            /// Title or heading.
            TITLE = "title";
            /// A part's direct parent.
            IS_PART_OF = "isPartOf";
            /// A direct child part.
            HAS_PART = "hasPart";
            /// A stable identifier string.
            IDENTIFIER = "identifier";
            /// Publisher.
            PUBLISHER = "publisher";
            /// Issue date.
            ISSUED = "issued";
            /// Creation date (the date a letter is dated).
            CREATED = "created";
            /// A date.
            DATE = "date";
            /// Description.
            DESCRIPTION = "description";
            /// Language code.
            LANGUAGE = "language";
            /// The creator (of a quotation).
            CREATOR = "creator";
            /// A related resource (an entity's organization when it is not itself an organization).
            RELATION = "relation";
            /// A licence.
            LICENSE = "license";
            /// A statement of rights.
            RIGHTS = "rights";
            /// Last modification date.
            MODIFIED = "modified";
            /// A file format (of a distribution).
            FORMAT = "format";
        }
    }
}

/// schema.org, in the `http://schema.org/` form Wikidata and DBpedia use.
pub mod schema {
    use super::*;
    terms! {
        /// Namespace of schema.org.
        "http://schema.org/" {
            /// A creative work.
            CREATIVE_WORK = "CreativeWork";
            /// A country.
            COUNTRY = "Country";
            /// A person.
            PERSON = "Person";
            /// A place.
            PLACE = "Place";
            /// An event (a summit or conference series).
            EVENT = "Event";
            /// An action (such as submitting a proposal).
            ACTION = "Action";
            /// What a text names.
            MENTIONS = "mentions";
            /// A member of a group.
            MEMBER = "member";
            /// The organization that published a work (an entity; `dcterms:publisher` is its printed name).
            PUBLISHER = "publisher";
            /// Who performed an action.
            AGENT = "agent";
            /// What an action acted on.
            OBJECT = "object";
            /// Who received it.
            RECIPIENT = "recipient";
            /// The version of a piece of software.
            SOFTWARE_VERSION = "softwareVersion";
            /// Language of a work (BCP 47 code).
            IN_LANGUAGE = "inLanguage";
            /// Position: printed number of chapters and sections, order of paragraphs.
            POSITION = "position";
            /// Running text.
            TEXT = "text";
            /// The work this one translates.
            TRANSLATION_OF_WORK = "translationOfWork";
            /// A translation of this work.
            WORK_TRANSLATION = "workTranslation";
        }
    }
}

/// PROV-O.
pub mod prov {
    use super::*;
    terms! {
        /// Namespace of PROV-O.
        "http://www.w3.org/ns/prov#" {
            /// An entity.
            ENTITY = "Entity";
            /// Derivation from a source.
            WAS_DERIVED_FROM = "wasDerivedFrom";
            /// An activity (the build).
            ACTIVITY = "Activity";
            /// A piece of software acting as an agent.
            SOFTWARE_AGENT = "SoftwareAgent";
            /// What an activity used.
            USED = "used";
            /// Who carried out an activity.
            WAS_ASSOCIATED_WITH = "wasAssociatedWith";
            /// The activity that generated an entity.
            WAS_GENERATED_BY = "wasGeneratedBy";
        }
    }
}

/// VoID.
pub mod void {
    use super::*;
    terms! {
        /// Namespace of VoID.
        "http://rdfs.org/ns/void#" {
            /// A dataset.
            DATASET = "Dataset";
            /// The IRI prefix of the dataset's resources.
            URI_SPACE = "uriSpace";
            /// A top-level resource of the dataset.
            ROOT_RESOURCE = "rootResource";
            /// A set of links to another dataset.
            LINKSET = "Linkset";
            /// Number of triples.
            TRIPLES = "triples";
            /// Number of entities (resources in the URI space).
            ENTITIES = "entities";
            /// Number of distinct classes.
            CLASSES = "classes";
            /// Number of distinct properties.
            PROPERTIES = "properties";
            /// Number of distinct subjects.
            DISTINCT_SUBJECTS = "distinctSubjects";
            /// The predicate of a linkset's links.
            LINK_PREDICATE = "linkPredicate";
            /// The dataset the links start from.
            SUBJECTS_TARGET = "subjectsTarget";
            /// The dataset the links point into.
            OBJECTS_TARGET = "objectsTarget";
            /// A resource worth looking at first.
            EXAMPLE_RESOURCE = "exampleResource";
            /// A vocabulary the dataset uses.
            VOCABULARY = "vocabulary";
            /// A subset of the dataset (a linkset).
            SUBSET = "subset";
        }
    }
}

/// DCAT, the Data Catalog Vocabulary.
pub mod dcat {
    use super::*;
    terms! {
        /// Namespace of DCAT.
        "http://www.w3.org/ns/dcat#" {
            /// A dataset.
            DATASET = "Dataset";
            /// A distribution of a dataset (one export format).
            DISTRIBUTION_CLASS = "Distribution";
            /// A distribution of this dataset.
            DISTRIBUTION = "distribution";
            /// The media type of a distribution.
            MEDIA_TYPE = "mediaType";
            /// A keyword.
            KEYWORD = "keyword";
        }
    }
}

/// RDF.
pub mod rdf {
    use super::*;
    terms! {
        /// Namespace of RDF.
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#" {
            /// `rdf:type`.
            TYPE = "type";
            /// A reified statement (which curated fact supports a triple).
            STATEMENT = "Statement";
            /// Its subject.
            SUBJECT = "subject";
            /// Its predicate.
            PREDICATE = "predicate";
            /// Its object.
            OBJECT = "object";
        }
    }
}

/// RDF Schema.
pub mod rdfs {
    use super::*;
    terms! {
        /// Namespace of RDFS.
        "http://www.w3.org/2000/01/rdf-schema#" {
            /// A human-readable comment (the reason of a repair).
            COMMENT = "comment";
        }
    }
}

/// XML Schema datatypes.
pub mod xsd {
    use super::*;
    terms! {
        /// Namespace of XSD.
        "http://www.w3.org/2001/XMLSchema#" {
            /// Integers.
            INTEGER = "integer";
            /// Year and month.
            G_YEAR_MONTH = "gYearMonth";
            /// Dates.
            DATE = "date";
            /// Decimals (alignment scores).
            DECIMAL = "decimal";
        }
    }
}

/// Every vocabulary term the graph may emit.
pub fn all_terms() -> Vec<NamedNodeRef<'static>> {
    [
        cyberkg::ALL,
        doco::ALL,
        deo::ALL,
        dcterms::ALL,
        schema::ALL,
        prov::ALL,
        void::ALL,
        rdf::ALL,
        rdfs::ALL,
        xsd::ALL,
        oa::ALL,
        org::ALL,
        skos::ALL,
        owl::ALL,
        dcat::ALL,
    ]
    .concat()
}

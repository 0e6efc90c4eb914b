//! Vocabulary terms, one module per namespace: the public contract users write SPARQL against.
//!
//! Every term the graph emits is a constant here, and a test checks that
//! each one is declared in `ontology/cyberkg.ttl` (our own terms with labels
//! and comments in English and Chinese; reused terms with `rdfs:isDefinedBy`).

use oxigraph::model::NamedNodeRef;

/// Namespace prefixes used in exports and accepted in queries without a `PREFIX` line.
pub const PREFIXES: &[(&str, &str)] = &[
    ("cyberkg", cyberkg::NS),
    ("dcterms", dcterms::NS),
    ("deo", deo::NS),
    ("doco", doco::NS),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", prov::NS),
    ("rdf", rdf::NS),
    ("rdfs", rdfs::NS),
    ("schema", schema::NS),
    ("void", void::NS),
    ("xsd", xsd::NS),
];

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
            /// Layout of a source file (`un-english`, `parallel-zh-en`).
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
            /// The issue date a letter states for the document it transmits.
            STATED_ISSUE_DATE = "statedIssueDate";
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
            /// Dates.
            DATE = "date";
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
    ]
    .concat()
}

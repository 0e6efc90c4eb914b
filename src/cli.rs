//! The command line: clap types only. Each subcommand's work lives in
//! `commands/<name>.rs`; these doc comments are the user's manual (`--help`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// China's International Strategy of Cooperation on Cyberspace (2017) as a linked-data knowledge graph.
///
/// Every command works on the built-in corpus in memory unless --location
/// names an on-disk store made by `cyberkg build --location DIR`.
///
/// Examples:
///   cyberkg build
///   cyberkg query --name outline
///   cyberkg query 'SELECT ?title WHERE { ?c a doco:Chapter ; dcterms:title ?title }'
///   cyberkg export --format trig -o strategy.trig
#[derive(Debug, Parser)]
#[command(name = "cyberkg", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse the corpus, print diagnostics, load the graph and print a summary.
    ///
    /// Without --location the graph is built in memory (a dry run that checks
    /// everything); with --location it is written to an on-disk store that
    /// `query` and `export` can then read.
    ///
    /// Examples:
    ///   cyberkg build
    ///   cyberkg build --diagnostics json 2> diagnostics.jsonl
    ///   cyberkg build --location ./store --base https://example.org/kg/
    Build(BuildArgs),
    /// Run a SPARQL query: inline, from a file, or one of the named queries in queries/.
    ///
    /// The default graph is the union of all named graphs, and the prefixes
    /// cyberkg, dcterms, deo, doco, owl, prov, rdf, rdfs, schema, void and xsd
    /// are predeclared. SELECT and ASK results print as a table on a terminal
    /// (TSV otherwise); CONSTRUCT and DESCRIBE results as Turtle by default.
    ///
    /// Examples:
    ///   cyberkg query --name side-by-side-chapter-3
    ///   cyberkg query --query-file my.rq --results-format json
    ///   cyberkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?p a doco:Paragraph }'
    ///   cyberkg query 'CONSTRUCT WHERE { ?s dcterms:title ?t }' --results-format ntriples
    Query(QueryArgs),
    /// Write the graph in an RDF syntax, byte-identical from run to run.
    ///
    /// The format is taken from --format, else from the extension of -o,
    /// else Turtle. Triple formats hold the union of all named graphs; N-Quads
    /// and TriG keep the graphs. A file is written atomically: a failure never
    /// leaves half a file.
    ///
    /// Examples:
    ///   cyberkg export > strategy.ttl
    ///   cyberkg export -o strategy.nq
    ///   cyberkg export --format jsonld --graph https://w3id.org/cyberkg/graph/text
    #[command(visible_alias = "dump")]
    Export(ExportArgs),
    /// List the entities the strategy names: kind, labels, Wikidata link, mentions per document.
    ///
    /// Every entity of data/entities.toml is listed, linked or not. Mention
    /// counts come from the annotations in the store.
    ///
    /// Examples:
    ///   cyberkg entities
    ///   cyberkg entities --type forum
    ///   cyberkg entities --format csv -o entities.csv
    Entities(EntitiesArgs),
    /// List the named queries of queries/ with what each asks.
    ///
    /// Example:
    ///   cyberkg queries
    Queries,
}

/// Where the graph comes from.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// Directory of an on-disk Oxigraph store (RocksDB); without it, a fresh in-memory store.
    #[arg(long, short = 'l', value_name = "DIR")]
    pub location: Option<PathBuf>,
}

/// What an in-memory build reads.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Build from this file instead of the built-in corpus (repeatable); its
    /// layout (UN English or Chinese-English parallel) is recognised from its text.
    #[arg(long = "source", short = 's', value_name = "FILE")]
    pub sources: Vec<PathBuf>,
    /// Base IRI of every resource of the graph (must end with '/').
    #[arg(long, value_name = "IRI", default_value = crate::graph::DEFAULT_BASE)]
    pub base: String,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub store: StoreArgs,
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// How to print diagnostics on stderr: human lines, or JSON Lines for tools.
    #[arg(long, value_enum, default_value_t = DiagnosticsFormat::Human, value_name = "FORMAT")]
    pub diagnostics: DiagnosticsFormat,
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagnosticsFormat {
    /// `file:line:column: severity[code]: message`.
    Human,
    /// One JSON object a line.
    Json,
}

/// Arguments of `query`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("query_source").required(true).args(["query", "query_file", "name"]))]
pub struct QueryArgs {
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub store: StoreArgs,
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// The SPARQL query text.
    pub query: Option<String>,
    /// Read the query from this file.
    #[arg(long, short = 'f', value_name = "FILE")]
    pub query_file: Option<PathBuf>,
    /// Run the named query queries/NAME.rq (see `cyberkg queries`).
    #[arg(long, short = 'n', value_name = "NAME")]
    pub name: Option<String>,
    /// Output format: table, json, xml, csv, tsv for SELECT/ASK; turtle,
    /// ntriples, nquads, trig, rdfxml, jsonld for CONSTRUCT/DESCRIBE.
    #[arg(long, short = 'r', value_name = "FORMAT")]
    pub results_format: Option<String>,
    /// Write the results to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub store: StoreArgs,
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// RDF syntax: turtle, ntriples, nquads, trig, rdfxml or jsonld.
    #[arg(long, short = 'F', value_name = "FORMAT")]
    pub format: Option<String>,
    /// Export only this named graph.
    #[arg(long, short = 'g', value_name = "IRI")]
    pub graph: Option<String>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub store: StoreArgs,
    #[allow(missing_docs)] // documented by its fields' help
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Only entities of this kind: state, intergovernmental-organization, organ, forum,
    /// non-profit, government-agency, diplomatic-mission, event, person, post, place,
    /// document, initiative, concept.
    #[arg(long = "type", short = 't', value_name = "KIND")]
    pub kind: Option<String>,
    /// Output format.
    #[arg(long, short = 'F', value_enum, default_value_t = ListFormat::Table, value_name = "FORMAT")]
    pub format: ListFormat,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A readable table.
    Table,
    /// A JSON array of objects.
    Json,
    /// Comma-separated values with a header.
    Csv,
}

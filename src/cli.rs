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
///   cyberkg query --name outline-un
///   cyberkg query 'SELECT ?title WHERE { ?c a doco:Chapter ; dcterms:title ?title }'
///   cyberkg export --format trig -o strategy.trig
#[derive(Debug, Parser)]
#[command(
    name = "cyberkg",
    version,
    about,
    long_about,
    propagate_version = true,
    verbatim_doc_comment
)]
pub struct Cli {
    /// More log output on stderr: -v stage timings, -vv details, -vvv everything.
    #[arg(long, short = 'v', action = clap::ArgAction::Count, global = true, conflicts_with = "quiet")]
    pub verbose: u8,
    /// Less output on stderr: no progress display and no diagnostic notes (warnings stay).
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The long help of every `-o FILE`: what may be at the path, and what becomes of it.
const OUTPUT_HELP: &str = "Write to this file instead of stdout, atomically: a temporary file in the same \
directory, then a rename, so a failure never leaves half a file. A new file gets the mode \
the umask gives (0666 minus the umask), a replaced file keeps its mode. A symbolic link is \
followed: its target is replaced and the link stays. '-' and /dev/stdout mean stdout. \
Anything else at the path (a directory, a device such as /dev/null, a FIFO, a socket) \
is refused, never replaced.";

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
    #[command(verbatim_doc_comment)]
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
    ///   cyberkg query --name paragraph-counts -o counts.xlsx
    ///   cyberkg query --name wikidata-memberships --allow-service query.wikidata.org
    ///     (a federated query: it needs network access to Wikidata)
    #[command(verbatim_doc_comment)]
    Query(QueryArgs),
    /// Write the graph in an RDF syntax, byte-identical from run to run; or the texts as plain files.
    ///
    /// The format is taken from --format, else from the extension of -o,
    /// else Turtle. Triple formats hold the union of all named graphs; N-Quads
    /// and TriG keep the graphs. A file is written atomically: a failure never
    /// leaves half a file.
    ///
    /// --format text --output-dir DIR writes the texts for text-analysis
    /// tools instead (R's readtext and quanteda, Voyant): one UTF-8 .txt file
    /// per paragraph (or per section with --unit section) of every edition,
    /// in the edition's language, and a metadata.csv with the columns
    /// document, language, chapter, section, paragraph, iri, file. The
    /// directory is written whole, then renamed into place: it may be new,
    /// empty, or an earlier text export (only the files its metadata.csv
    /// names), which is replaced.
    ///
    /// Examples:
    ///   cyberkg export > strategy.ttl
    ///   cyberkg export -o strategy.nq
    ///   cyberkg export --format jsonld --graph https://w3id.org/cyberkg/graph/text
    ///   cyberkg export --format text --output-dir texts/
    ///   cyberkg export --format text --unit section --output-dir sections/
    #[command(verbatim_doc_comment)]
    #[command(visible_alias = "dump")]
    Export(ExportArgs),
    /// The aligned paragraphs side by side, one row each, as CSV or XLSX: for a spreadsheet.
    ///
    /// One row per paragraph of the original that has translations (the
    /// 25 paragraphs of the Chinese original, Chapters II and III, for the
    /// built-in corpus): its chapter, section and paragraph numbers, then
    /// each edition's text and the IRI of its paragraph, the original's
    /// columns first. The rows come from the graph's alignment
    /// (schema:workTranslation), the texts in each edition's language
    /// (Simplified Chinese for the original). The format is --format,
    /// else the extension of -o, else CSV. XLSX is binary: it needs -o or a
    /// redirection, never a terminal. The same store gives the same bytes.
    ///
    /// Examples:
    ///   cyberkg table -o aligned.xlsx
    ///   cyberkg table > aligned.csv
    ///   cyberkg table --location ./store --format xlsx > aligned.xlsx
    ///   cyberkg table --sentences -o sentences.xlsx
    #[command(verbatim_doc_comment)]
    Table(TableArgs),
    /// Full-text search: the paragraphs and headings whose text has every word of QUERY, best first.
    ///
    /// Chinese is cut into words with jieba, and Traditional is folded to
    /// Simplified on both sides (主權 finds 主权); English words match by
    /// their Snowball English stem (cooperate finds cooperation). Hits are
    /// ranked by BM25, with a bonus for the words together as a phrase. The index is
    /// built from the store's texts: in memory, or with --location beside
    /// the store (DIR.search), rebuilt whenever the store's texts change.
    /// In SPARQL the same search is SERVICE <https://w3id.org/cyberkg/search>.
    ///
    /// Examples:
    ///   cyberkg search 网络主权
    ///   cyberkg search 'international cooperation' --edition en-un --limit 5
    ///   cyberkg search 主權 --language zh -r json
    #[command(verbatim_doc_comment)]
    Search(SearchArgs),
    /// List the entities the strategy names: kind, labels, Wikidata link, mentions per document.
    ///
    /// Every entity of data/entities.toml is listed, linked or not. Mention
    /// counts come from the annotations in the store.
    ///
    /// Examples:
    ///   cyberkg entities
    ///   cyberkg entities --type forum
    ///   cyberkg entities --format csv -o entities.csv
    #[command(verbatim_doc_comment)]
    Entities(EntitiesArgs),
    /// Print a shell completion script for bash, zsh, fish, elvish or PowerShell.
    ///
    /// Examples:
    ///   cyberkg completions bash > /etc/bash_completion.d/cyberkg
    ///   cyberkg completions zsh > "${fpath[1]}/_cyberkg"
    #[command(verbatim_doc_comment)]
    Completions(CompletionsArgs),
    /// Write the manual pages (roff), one per command, generated from this help.
    ///
    /// Examples:
    ///   cyberkg man | man -l -
    ///   cyberkg man --directory man/
    #[command(verbatim_doc_comment)]
    Man(ManArgs),
    /// Print the SHA-256 of the graph's RDFC-1.0 canonical N-Quads: one line, the same on every machine.
    ///
    /// The hash names the dataset, not a file: two stores holding the same
    /// quads (blank nodes renamed or not, any order, any backend) print the
    /// same line, `sha256:<64 hex digits> (RDFC-1.0 canonical N-Quads, N quads)`.
    /// It is the SHA-256 of `cyberkg export --format nquads --canonical`.
    ///
    /// Examples:
    ///   cyberkg hash
    ///   cyberkg hash --location ./store | cut -d' ' -f1
    #[command(verbatim_doc_comment)]
    Hash(HashArgs),
    /// Check that an RDF file holds the same dataset as the store; list what is missing and extra.
    ///
    /// N-Quads and TriG files are compared graph by graph; the other formats
    /// with the union of the store's graphs. Both sides are canonicalized
    /// (RDFC-1.0) first, so blank-node labels and order do not matter. Exits
    /// 0 when they are the same and 1 when not, after printing how many quads
    /// are missing from the file and how many are extra, with up to 5 of each.
    ///
    /// Examples:
    ///   cyberkg verify strategy.nq
    ///   cyberkg verify strategy.ttl --location ./store
    ///   cyberkg verify graph.txt --format ntriples
    #[command(verbatim_doc_comment)]
    Verify(VerifyArgs),
    /// Add external RDF (a Wikidata extract, say) to the graph, each file in its own named graph.
    ///
    /// Triples go to the graph <BASE>graph/external/<file stem> (or --graph);
    /// in N-Quads and TriG files the quads of named graphs keep their graph
    /// and only the default graph goes there. Every file is parsed before
    /// anything is added: a syntax error (FILE:line:column) loads nothing.
    ///
    /// With --location the data is added to that on-disk store (created if
    /// the directory is new) and kept, for `query` and `export` to join
    /// across. Without it, the files are loaded into a fresh in-memory build
    /// that is thrown away at exit: a check of what would be loaded. A later
    /// `cyberkg build --location` replaces the graphs of the build and keeps
    /// the loaded ones.
    ///
    /// Examples:
    ///   cyberkg load wikidata.nt
    ///   cyberkg load --location ./store wikidata.nt
    ///   cyberkg load --location ./store people.ttl --graph https://example.org/people
    #[command(verbatim_doc_comment)]
    Load(LoadArgs),
    /// Send the graph to a SPARQL 1.1 Graph Store over HTTP(S), graph by graph.
    ///
    /// Each named graph of the store replaces the graph of the same name on
    /// the endpoint: the first batch is an HTTP PUT to ENDPOINT?graph=IRI, the
    /// following batches POSTs (Turtle, one triple a line). Other graphs on
    /// the endpoint are left alone. An attempt that gets no answer within
    /// --timeout-s (30 s) is abandoned. A batch that fails to connect, times
    /// out or gets a 5xx or 429 answer is retried (--retries times, waiting
    /// 0.25 s, 0.5 s, 1 s...), so one batch gives up after at most
    /// (retries + 1) x timeout plus those waits (2 min 2 s by default);
    /// any other refusal stops at once with the endpoint's status
    /// and the first line of its answer. https:// endpoints must present a
    /// certificate from a public authority (the Mozilla root list); a failed
    /// handshake stops at once. On a terminal, a progress bar shows the batches.
    ///
    /// Examples:
    ///   cyberkg push --endpoint http://localhost:7878/store
    ///   cyberkg push --endpoint http://localhost:3030/ds/data --graph https://w3id.org/cyberkg/graph/text
    ///   cyberkg push --endpoint http://db:7878/store --header 'Authorization: Bearer TOKEN' --location ./store
    ///   cyberkg push --endpoint https://my-cluster.example.org:8182/gsp/ --header 'Authorization: Bearer TOKEN'
    #[command(verbatim_doc_comment)]
    Push(PushArgs),
    /// Serve the graph over HTTP: SPARQL endpoint, Graph Store, and a page for every IRI.
    ///
    /// At the paths Oxigraph's server uses: /query (SPARQL 1.1 Protocol, GET
    /// or POST; results by content negotiation), /update (refused with 403
    /// unless --writable), /store (Graph Store Protocol, read-only: ?default,
    /// ?graph=IRI, or the whole dataset as N-Quads or TriG), and
    /// /.well-known/void (the dataset description). Every IRI under the base
    /// is served at its path: <BASE>X at http://HOST:PORT/X, as RDF (Turtle,
    /// N-Triples, RDF/XML, JSON-LD, N-Quads, TriG) or, for a browser, as a
    /// page; / is the outline of the three versions and a query form.
    ///
    /// Nothing is rewritten: with the default base, /iscc2017/en-un/chapter-4
    /// describes <https://w3id.org/cyberkg/iscc2017/en-un/chapter-4>. For IRIs
    /// that resolve on this server, use --base http://127.0.0.1:7878/.
    ///
    /// Safe by default: read-only, on loopback, a query stopped after
    /// --timeout-s (503), one with more than --max-rows results refused (500,
    /// never silently truncated), request bodies up to 1 MiB (413), CORS
    /// headers only with --cors, no LOAD from any host, and SERVICE only to
    /// the hosts --allow-service names (403 otherwise).
    ///
    /// Connections: at most --max-connections open; at the cap the oldest
    /// idle one is closed for the new one (503 with Retry-After when every
    /// one is answering a request). A request's head, and then its body,
    /// must each arrive within --request-timeout-s, however slowly the
    /// bytes come; an idle keep-alive connection is closed after it too.
    ///
    /// Examples:
    ///   cyberkg serve
    ///   cyberkg serve --base http://127.0.0.1:7878/ --cors
    ///   cyberkg serve --allow-service query.wikidata.org
    ///   cyberkg serve --location ./store --bind 0.0.0.0:7878 --timeout-s 30
    ///   curl -H 'Accept: text/csv' 'http://127.0.0.1:7878/query?query=ASK%7B%7D'
    ///   curl -o results.xlsx --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 9' \
    ///     -H 'Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' \
    ///     http://127.0.0.1:7878/query
    #[command(verbatim_doc_comment)]
    Serve(ServeArgs),
    /// Check the graph against SHACL shapes and list every violation.
    ///
    /// The shapes are ontology/shapes.ttl (compiled in) unless --shapes
    /// names another file. Each violation is one line: focus node, path,
    /// message and shape. The exit code is 1 when any violation is found.
    ///
    /// Examples:
    ///   cyberkg validate
    ///   cyberkg validate --location ./store --shapes my-shapes.ttl
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),
    /// List the named queries of queries/ with what each asks.
    ///
    /// Example:
    ///   cyberkg queries
    #[command(verbatim_doc_comment)]
    Queries,
    /// A SPARQL worker process of `serve` (internal: started by the server,
    /// speaks its protocol on standard input and output).
    #[command(hide = true, name = "sparql-worker")]
    SparqlWorker(WorkerArgs),
}

/// Arguments of the hidden `sparql-worker`, given by `serve`.
#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Open this on-disk store read-only; without it, read a snapshot on standard input.
    #[arg(long, value_name = "DIR")]
    pub location: Option<PathBuf>,
    /// The memory a query may allocate beyond the store, in MiB.
    #[arg(long, value_name = "MIB")]
    pub max_query_memory_mb: Option<u64>,
    /// How long a SERVICE call may take.
    #[arg(
        long = "service-timeout-s",
        value_name = "SECONDS",
        default_value_t = 5
    )]
    pub service_timeout_s: u64,
    #[command(flatten)]
    pub services: ServiceArgs,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// Address and port to listen on (a host name resolves to all its addresses).
    #[arg(long, value_name = "ADDRESS:PORT", default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Stop a query or update after this many seconds and answer 503.
    #[arg(long = "timeout-s", value_name = "SECONDS", default_value_t = 5)]
    pub timeout_s: u64,
    /// Refuse (500, with the reason) a query with more result rows or triples than this.
    #[arg(long, value_name = "ROWS", default_value_t = 10_000)]
    pub max_rows: usize,
    /// Run SPARQL updates sent to /update (refused with 403 otherwise).
    #[arg(long)]
    pub writable: bool,
    /// Send CORS headers (Access-Control-Allow-Origin: *) so that pages of other sites may query.
    #[arg(long)]
    pub cors: bool,
    /// Evaluate queries in this many worker processes (default: one per core,
    /// at least 2). A query past --timeout-s or --max-query-memory-mb ends
    /// its worker, and a fresh one takes its place.
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Stop a query that allocates more than this many MiB (beyond the store) and answer 503.
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    pub max_query_memory_mb: u64,
    /// How long a query waits for a free worker before a 503 with Retry-After.
    #[arg(long = "queue-wait-s", value_name = "SECONDS", default_value_t = 10)]
    pub queue_wait_s: u64,
    /// Keep at most this many connections open (the oldest idle one is closed for a new one).
    #[arg(
        long,
        value_name = "CONNECTIONS",
        default_value_t = cyberkg_server::Limits::default().max_connections
    )]
    pub max_connections: usize,
    /// Close a connection whose request head, or then its body, takes longer than this to arrive.
    #[arg(
        long = "request-timeout-s",
        value_name = "SECONDS",
        default_value_t = cyberkg_server::Limits::default().header_timeout.as_secs()
    )]
    pub request_timeout_s: u64,
    #[command(flatten)]
    pub services: ServiceArgs,
}

/// Which hosts a query's `SERVICE` may call.
#[derive(Debug, Args)]
pub struct ServiceArgs {
    /// Let SERVICE call endpoints on this host (repeatable; HOST allows every
    /// port, HOST:PORT one). Without it, a query with SERVICE is refused
    /// before it runs. Redirects are not followed; a call may take 60 s
    /// (`query`) or --timeout-s (`serve`).
    #[arg(long = "allow-service", value_name = "HOST[:PORT]")]
    pub allow_service: Vec<cyberkg::sparql::ServiceHost>,
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
    /// Build from a corpus of one's own instead of the built-in one (repeatable):
    /// a directory (read recursively, in sorted order), a quoted glob
    /// ('strategies/**/*.md'), or a corpus manifest (corpus.toml).
    ///
    /// Ids come from the manifest, a Markdown file's front matter, or the
    /// file's path relative to the directory (strategies/fr/2021.md →
    /// strategies/fr/2021); two files with one id are an error. A directory
    /// holding a corpus.toml is read through it. Parallel-layout files that
    /// start with the same title line are pages of one article, merged into
    /// one Chinese and one English edition. Example:
    ///   cyberkg build --corpus my-corpus/ --entities my-entities.toml
    #[arg(long = "corpus", short = 'c', value_name = "PATH")]
    pub corpus: Vec<PathBuf>,
    /// Build from this file instead of the built-in corpus (repeatable); its
    /// layout (UN English, Chinese-English parallel or Markdown) is
    /// recognised from its text, its id from its file name.
    #[arg(long = "source", short = 's', value_name = "FILE")]
    pub sources: Vec<PathBuf>,
    /// Add the entities of this table (repeatable), in the schema of
    /// data/entities.toml; checked with the built-in table (no key or
    /// Wikidata id twice, identifiers only with a source, Chinese names in
    /// Simplified characters), and found in every document.
    #[arg(long = "entities", value_name = "FILE")]
    pub entities: Vec<PathBuf>,
    /// Base IRI of every resource of the graph (must end with '/').
    #[arg(long, value_name = "IRI", default_value = cyberkg::graph::DEFAULT_BASE)]
    pub base: String,
}

/// Arguments of `build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub store: StoreArgs,
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
    #[command(flatten)]
    pub store: StoreArgs,
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
    /// Output format: table, json, xml, csv, tsv for SELECT/ASK, xlsx for
    /// SELECT (binary: needs -o or a redirection, never a terminal); turtle,
    /// ntriples, nquads, trig, rdfxml, jsonld for CONSTRUCT/DESCRIBE.
    #[arg(long, short = 'r', value_name = "FORMAT")]
    pub results_format: Option<String>,
    /// Write the results to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", long_help = OUTPUT_HELP)]
    pub output: Option<PathBuf>,
    /// Stop the query after this many seconds and exit 1 (default: no limit).
    ///
    /// The deadline covers the evaluation, until every result is in memory;
    /// writing them is not timed. A query that reads no more from the store
    /// (a COUNT over a cross product) is stopped one second after the
    /// deadline; nothing is written, and no file is left at -o.
    #[arg(long = "timeout-s", value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout_s: Option<u64>,
    /// Stop the query when the process has grown by more than this many MiB
    /// since the evaluation started (no limit by default). Checked every
    /// 20 ms (Linux), so a burst may pass the cap by what it allocates in
    /// that time; nothing is written, and no file is left at -o.
    #[arg(long = "max-memory-mb", value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_memory_mb: Option<u64>,
    #[command(flatten)]
    pub services: ServiceArgs,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// RDF syntax: turtle, ntriples, nquads, trig, rdfxml or jsonld; or text (plain-text files, with --output-dir).
    #[arg(long, short = 'F', value_name = "FORMAT")]
    pub format: Option<String>,
    /// What one file of --format text holds: a paragraph, or a section (its
    /// heading, then its paragraphs; a chapter, preface or conclusion for
    /// the paragraphs outside any section).
    #[arg(long, value_enum, value_name = "PART")]
    pub unit: Option<TextUnit>,
    /// Export only this named graph.
    #[arg(long, short = 'g', value_name = "IRI")]
    pub graph: Option<String>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", long_help = OUTPUT_HELP)]
    pub output: Option<PathBuf>,
    /// Write RDFC-1.0 canonical N-Quads (N-Quads only; implies --format nquads when no format is given).
    #[arg(long)]
    pub canonical: bool,
    /// Write numbered N-Quads files of at most N quads each into --output-dir, with a manifest.json.
    ///
    /// For the bulk loaders of big engines: each file is valid N-Quads on
    /// its own, every quad carries its graph, and the files, decompressed
    /// and concatenated, are `cyberkg export --format nquads` byte for
    /// byte. The export streams through an external sort (temporary runs
    /// in the output directory), so memory stays bounded whatever the
    /// store's size; the same store content, in memory or on disk, gives
    /// byte-identical files. manifest.json lists each file's quads, bytes
    /// and SHA-256, and the quads of each graph.
    ///
    /// The directory is written whole, then put in place by a rename: it
    /// may be new (its parent must exist), empty, or hold an earlier split
    /// export (only the files its manifest.json names), which is replaced.
    /// Anything else there is refused, never touched.
    ///
    /// Examples:
    ///   cyberkg export --split-quads 1000000 --output-dir dump/
    ///   cyberkg export --split-quads 500000 --compress none --output-dir dump/ --for qlever
    ///   cyberkg export --location ./store --split-quads 1000000 --output-dir /data/kg --for virtuoso
    #[arg(long, value_name = "N", requires = "output_dir", conflicts_with_all = ["output", "canonical"], value_parser = clap::value_parser!(u64).range(1..), verbatim_doc_comment)]
    pub split_quads: Option<u64>,
    /// The directory of --split-quads or --format text (new, empty, or an earlier export of the same kind).
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    /// Compression of the --split-quads files: gzip (.nq.gz, fixed header and level) or none (.nq).
    #[arg(long, value_enum, value_name = "KIND", default_value_t = Compress::Gzip, requires = "split_quads")]
    pub compress: Compress,
    /// Also write ENGINE's loading recipe beside the files (repeatable):
    /// virtuoso, qlever, jena, graphdb, neptune, oxigraph.
    ///
    /// virtuoso-load.sql (isql: ld_dir, rdf_loader_run, checkpoint),
    /// Qleverfile, jena-load.sh (tdb2.xloader), graphdb-load.sh and
    /// graphdb-repository.ttl (ImportRDF preload), neptune-loader.json (the
    /// loader request, with placeholders for the S3 URI, IAM role and
    /// region), oxigraph-load.sh (oxigraph load). Recipes name the
    /// directory's absolute path.
    #[arg(long = "for", value_name = "ENGINE", requires = "split_quads", value_parser = parse_engine, verbatim_doc_comment)]
    pub engines: Vec<cyberkg::bulk::Engine>,
}

/// What one file of a text export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextUnit {
    /// One paragraph a file.
    Paragraph,
    /// One section a file (or chapter, preface, conclusion, for their own paragraphs).
    Section,
}

/// Arguments of `table`.
#[derive(Debug, Args)]
pub struct TableArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// csv or xlsx (default: from the extension of -o, else csv).
    #[arg(long, short = 'F', value_enum, value_name = "FORMAT")]
    pub format: Option<TableFormat>,
    /// One row per group of aligned sentences instead of per paragraph
    /// (the sentences that alignment links join, with a `sentences` column
    /// numbering the groups in each paragraph).
    #[arg(long)]
    pub sentences: bool,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", long_help = OUTPUT_HELP)]
    pub output: Option<PathBuf>,
}

/// Formats of `table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values (RFC 4180) with a header, UTF-8.
    Csv,
    /// An Excel workbook (Office Open XML), one sheet.
    Xlsx,
}

/// Compression of split export files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Compress {
    /// gzip, level 6, a header without time or file name.
    Gzip,
    /// Plain N-Quads.
    None,
}

/// An `--for` engine name.
fn parse_engine(name: &str) -> Result<cyberkg::bulk::Engine, String> {
    name.parse()
        .map_err(|e: cyberkg::bulk::recipes::UnknownEngine| {
            e.to_string()
                .trim_start_matches(&format!("unknown engine '{name}'; "))
                .to_owned()
        })
}

/// Arguments of `entities`.
#[derive(Debug, Args)]
pub struct EntitiesArgs {
    #[command(flatten)]
    pub store: StoreArgs,
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
    #[arg(long, short = 'o', value_name = "FILE", long_help = OUTPUT_HELP)]
    pub output: Option<PathBuf>,
}

/// Arguments of `hash`.
#[derive(Debug, Args)]
pub struct HashArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The RDF file to compare with the store.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Its RDF syntax (turtle, ntriples, nquads, trig, rdfxml, jsonld); default: from its extension.
    #[arg(long, short = 'F', value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
}

/// Arguments of `load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The RDF files to add.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Put the triples (the default graph of N-Quads and TriG files) in this named graph.
    #[arg(long, short = 'g', value_name = "IRI")]
    pub graph: Option<String>,
    /// The files' RDF syntax (turtle, ntriples, nquads, trig, rdfxml, jsonld); default: from each extension.
    #[arg(long, short = 'F', value_name = "FORMAT")]
    pub format: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
}

/// Arguments of `push`.
#[derive(Debug, Args)]
pub struct PushArgs {
    /// The Graph Store endpoint (for Oxigraph `http://HOST:PORT/store`, for Fuseki `http://HOST:PORT/DATASET/data`).
    #[arg(long, short = 'e', value_name = "URL")]
    pub endpoint: String,
    /// Send only this named graph.
    #[arg(long, short = 'g', value_name = "IRI")]
    pub graph: Option<String>,
    /// Add this header to every request (repeatable), for example 'Authorization: Bearer TOKEN'.
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Triples per request.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,
    /// How many times to retry a request that could not connect, got no answer in time, or got a 5xx or 429 answer.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub retries: u32,
    /// Give up an attempt (connect, send the batch, read the answer) after this many seconds.
    #[arg(long = "timeout-s", value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout_s: u64,
    /// For an Oxigraph server: add `no_transaction` to every request, so the
    /// server loads each batch with its bulk loader (no transaction, far less
    /// memory for big batches), and send N-Triples. A batch that fails
    /// midway may then be partly loaded; a rerun replaces each graph whole.
    #[arg(long)]
    pub bulk: bool,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
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

/// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The words to search for, Chinese (either script) or English.
    pub query: String,
    /// Only texts in this language.
    #[arg(long, value_enum)]
    pub language: Option<SearchLanguage>,
    /// Only parts of this edition: its identifier (iscc2017/en-gov) or the last part of it (en-gov).
    #[arg(long, value_name = "ID")]
    pub edition: Option<String>,
    /// At most this many hits.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,
    /// Output format: a table (matched words in «»), JSON (code-point offsets of the marks) or CSV.
    #[arg(long, short = 'r', value_enum, default_value_t = ListFormat::Table)]
    pub results_format: ListFormat,
    /// Write the hits to this file (atomically) instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE", long_help = OUTPUT_HELP)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
}

/// The languages `search --language` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchLanguage {
    /// Chinese, Simplified or Traditional.
    Zh,
    /// English.
    En,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write cyberkg.1 and cyberkg-COMMAND.1 into this directory instead of printing cyberkg.1.
    #[arg(long, short = 'd', value_name = "DIR")]
    pub directory: Option<PathBuf>,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub corpus: CorpusArgs,
    /// SHACL shapes in Turtle (default: the built-in ontology/shapes.ttl).
    #[arg(long, value_name = "FILE")]
    pub shapes: Option<PathBuf>,
}

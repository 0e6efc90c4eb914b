//! The bodies of the fuzz targets: one function per parser of outside
//! input, taking the fuzzer's bytes and returning nothing. A target finds a
//! bug when it panics, overflows its stack or never returns; every error
//! the code under test returns is a correct answer to bad input.
//!
//! Design: each function drives the same library calls the product makes
//! with a user's file or request, from the first call that sees the bytes
//! (`Corpus::from_files` for a `--source` file, `RdfParser` as `load` and
//! `verify` read a file, `sparql::prepare` as `query` and `/query` do,
//! `App::handle` as the server does), so a crash here is a crash there.
//! This file is also compiled into the root workspace's
//! `tests/fuzz_regressions.rs` (`#[path]`), which replays every crash the
//! fuzzer found and the seed corpora: it uses only the crates the root
//! package depends on (`cyberkg`, `cyberkg_server`, `oxigraph`).
//!
//! Each target, and what its bytes are:
//! - [`un_layout`], [`parallel_layout`]: a source file's bytes, decoded as
//!   `build --source FILE` does and parsed in that layout, then carried
//!   through the text and graph stages (mentions, facts, quads, dataset
//!   description; everything of `build` but the store).
//! - [`load_formats`]: one byte choosing the RDF format (and `load`'s or
//!   `verify`'s way of reading), then the file's bytes; parsed with
//!   Oxigraph as `load`/`verify` do, then stored, canonicalised (RDFC-1.0)
//!   and read again by sophia (`cyberkg::crosscheck`), as `verify` does.
//! - [`sparql`]: the text of a query or an update, prepared as the CLI and
//!   the server do (predeclared prefixes, the `SERVICE` check), and parsed
//!   as an update.
//! - [`http_request`]: a request written as text (see [`parse_request`]),
//!   answered by [`cyberkg_server::App::handle`] over a graph built from
//!   the start of the built-in UN text.

use cyberkg::corpus::{Corpus, Layout, SourceMeta};
use cyberkg::export::{ALL_FORMATS, ExportFormat, write_store};
use cyberkg::extract::curated::Logic;
use cyberkg::extract::{EntityTable, Matcher};
use cyberkg::graph::{Base, GraphNames, Named, build_named_quads, build_quads};
use cyberkg_server::{App, Method, Request, ServeConfig};
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, Quad};
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

/// This process's directory in the temporary directory.
fn temporary_directory() -> &'static Path {
    static DIRECTORY: OnceLock<PathBuf> = OnceLock::new();
    DIRECTORY.get_or_init(|| {
        let directory = std::env::temp_dir().join(format!("cyberkg-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&directory)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", directory.display()));
        directory
    })
}

/// The file the layout targets write their input to, so that it is read
/// by `Corpus::from_files` exactly as a `--source` file is: one per
/// process, thread and name, rewritten at every input (the regression
/// tests run targets on parallel threads).
fn source_path(name: &str) -> PathBuf {
    let thread: String = format!("{:?}", std::thread::current().id())
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    temporary_directory().join(format!("thread-{thread}-{name}"))
}

/// The curated data every build uses, read once per process, and the
/// entity table's matcher, compiled once.
struct Curated {
    table: &'static EntityTable,
    matcher: Matcher<'static>,
    logic: Logic,
}

fn curated() -> &'static Curated {
    static TABLE: OnceLock<EntityTable> = OnceLock::new();
    static CURATED: OnceLock<Curated> = OnceLock::new();
    CURATED.get_or_init(|| {
        let table = TABLE.get_or_init(|| {
            EntityTable::parse(
                cyberkg::corpus::ENTITIES_NAME,
                cyberkg::corpus::BUILTIN_ENTITIES,
            )
            .unwrap_or_else(|e| panic!("{e}"))
        });
        Curated {
            table,
            matcher: Matcher::new(table).unwrap_or_else(|e| panic!("{e}")),
            logic: Logic::parse(cyberkg::corpus::LOGIC_NAME, cyberkg::corpus::BUILTIN_LOGIC)
                .unwrap_or_else(|e| panic!("{e}")),
        }
    })
}

/// Reads `data` as the source file `name` in `layout`, and runs every stage
/// of `build` on it but the store and the dataset description: parsing
/// (with the errata and the alignment of a translation), the diagnostics
/// as printed, the mentions, the facts and the quads.
fn source_file(data: &[u8], name: &str, layout: Layout) {
    source_file_as(data, name, name, layout);
}

/// [`source_file`], with the metadata a file named `meta_name` is given.
fn source_file_as(data: &[u8], name: &str, meta_name: &str, layout: Layout) {
    let path = source_path(name);
    std::fs::write(&path, data).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    // Unreadable input (here: invalid UTF-8) is an error, a correct answer.
    let Ok(mut corpus) = Corpus::from_files(&[&path]) else {
        return;
    };
    // Forced, not sniffed: every input reaches the layout's parser. The
    // metadata is what a file of that layout is given (derived ids).
    let sniffed_as = match layout {
        Layout::UnEnglish | Layout::Markdown => "",
        Layout::ParallelZhEn => "中",
    };
    for source in &mut corpus.sources {
        source.layout = layout;
        source.meta = SourceMeta::derived(Path::new(meta_name), sniffed_as);
        if layout == Layout::Markdown {
            // Both readings of a Markdown text: Chinese (no word
            // boundaries, Simplified folding) for an odd first byte.
            let chinese = data.first().is_some_and(|b| b % 2 == 1);
            source.meta.languages = vec![if chinese { "zh-Hant" } else { "en" }.to_owned()];
        }
    }
    let Ok(parsed) = cyberkg::document::parse_corpus(&corpus) else {
        return;
    };
    for diagnostic in &parsed.diagnostics {
        let _ = diagnostic.to_string();
    }
    let curated = curated();
    let extracted = cyberkg::extract::extract_mentions_with(&parsed, &curated.matcher);
    let facts = cyberkg::extract::curated::check_facts(
        cyberkg::corpus::FACTS_NAME,
        &corpus.facts,
        &parsed,
        curated.table,
    )
    .map(|(facts, _)| facts)
    .unwrap_or_default();
    let base = Base::default();
    let Ok(mut quads) = build_quads(&corpus, &parsed, &base) else {
        return;
    };
    let named = Named {
        table: curated.table,
        mentions: &extracted.mentions,
        logic: &curated.logic,
        facts: &facts,
    };
    if let Ok(named) = build_named_quads(&named, &parsed, &base) {
        quads.extend(named);
    }
    // Not the dataset description: it reads no input of its own, and its
    // statistics (every quad formatted as strings) were 56 % of each
    // execution (perf), which kept the targets at 130 executions a second.
}

/// A source file in the UN layout (`strategy-un-english.txt`'s).
pub fn un_layout(data: &[u8]) {
    source_file(data, "fuzz-un.txt", Layout::UnEnglish);
}

/// A source file in the parallel Chinese–English layout.
pub fn parallel_layout(data: &[u8]) {
    source_file(data, "fuzz-parallel.txt", Layout::ParallelZhEn);
}

/// A source file in the Markdown layout. Written as `.txt`, so that the
/// collector does not refuse bad front matter first: the parser's own
/// reading of any front matter is fuzzed too.
pub fn markdown_layout(data: &[u8]) {
    source_file_as(
        data,
        "fuzz-markdown.txt",
        "fuzz-markdown.md",
        Layout::Markdown,
    );
}

/// An RDF file for `load` or `verify`. The first byte chooses the format
/// (`% 6`, in [`ALL_FORMATS`] order) and the reader (`/ 6 % 2`: 0 reads
/// as `load` does, renaming blank nodes into the file's graph; 1 as
/// `verify` does); the rest is the file.
pub fn load_formats(data: &[u8]) {
    let Some((&selector, file)) = data.split_first() else {
        return;
    };
    let format = ALL_FORMATS[usize::from(selector) % ALL_FORMATS.len()];
    let as_load = (selector / 6) % 2 == 0;
    let base = Base::default();
    let default_graph = if as_load {
        match cyberkg::graph::iri::external_graph(&base, Path::new("fuzz.ttl")) {
            Ok(graph) => GraphName::NamedNode(graph),
            Err(_) => return,
        }
    } else {
        GraphName::DefaultGraph
    };
    // As `commands::rdf_file::read_rdf_file` (the binary crate) reads a file.
    let mut parser = RdfParser::from_format(format.rdf_format()).with_default_graph(default_graph);
    if as_load {
        parser = parser.rename_blank_nodes();
    }
    let mut quads = Vec::new();
    for quad in parser.for_reader(file) {
        match quad {
            Ok(quad) => quads.push(quad),
            Err(RdfParseError::Io(_)) => return,
            Err(RdfParseError::Syntax(error)) => {
                // What `load` and `verify` report: the message and the position.
                let _ = (error.to_string(), error.location());
                return;
            }
        }
    }
    let Ok(store) = Store::new() else {
        return;
    };
    if store.extend(quads.iter().cloned()).is_err() {
        return;
    }
    // `verify`: the file's canonical form (a dataset, or the union of its
    // graphs), then sophia's reading of the same text against the store.
    let canonical = if format.is_dataset() {
        cyberkg::canonical::CanonicalNQuads::new(quads)
    } else {
        cyberkg::canonical::CanonicalNQuads::new(quads.into_iter().map(|quad| {
            Quad::new(
                quad.subject,
                quad.predicate,
                quad.object,
                GraphName::DefaultGraph,
            )
        }))
    };
    let _ = canonical.sha256_hex();
    let Ok(text) = std::str::from_utf8(file) else {
        return;
    };
    let mut reference = Vec::new();
    if write_store(&store, None, ExportFormat::NQuads, &mut reference).is_err() {
        return;
    }
    let Ok(reference) = String::from_utf8(reference) else {
        return;
    };
    let _ = cyberkg::crosscheck::compare(&reference, format, text);
}

/// A SPARQL query or update, as `cyberkg query`, `/query` and `/update`
/// read it: prepared (parsed with the predeclared prefixes, `SERVICE`
/// checked), and parsed as an update.
///
/// The entry points every user's SPARQL goes through: the lexical check
/// against the limits, then parsing on the SPARQL stack (`parse_query`,
/// `parse_update`), and `prepare`'s `SERVICE` check.
pub fn sparql(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let services = cyberkg::sparql::Services::none();
    if let Err(error) = cyberkg::sparql::prepare(text, "fuzz.rq", &services) {
        let _ = error.to_string();
    }
    if let Err(error) = cyberkg::sparql::parse_update(text, "fuzz.ru") {
        let _ = error.to_string();
    }
}

/// Reads the fuzzer's bytes as a request written as text, the way an HTTP
/// request starts but without HTTP's framing (the wire format is the HTTP
/// library's, not ours):
///
/// ```text
/// METHOD TARGET
/// Accept: text/turtle
/// Content-Type: application/x-www-form-urlencoded
/// Fuzz-Writable: yes
///
/// body bytes
/// ```
///
/// The head is UTF-8, lines end in `\n`; `TARGET` is split at its first
/// `?` into path and query string, as the server does; `Accept` and
/// `Content-Type` (any case) become the request's headers, other lines are
/// ignored, and a `Fuzz-Writable` line sends the request to a writable
/// server with CORS over a fresh store. Returns the request and whether
/// it goes to the writable server.
pub fn parse_request(data: &[u8]) -> Option<(Request, bool)> {
    let (head, body) = match data.windows(2).position(|pair| pair == b"\n\n") {
        Some(end) => (&data[..end], &data[end + 2..]),
        None => (data, &[][..]),
    };
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split('\n');
    let first = lines.next()?;
    let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
    let mut request = Request::new(Method::from_name(method), target);
    request.body = body.to_vec();
    let mut writable = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_owned();
        match name.trim().to_ascii_lowercase().as_str() {
            "accept" => request.accept = Some(value),
            "content-type" => request.content_type = Some(value),
            "fuzz-writable" => writable = true,
            _ => {}
        }
    }
    Some((request, writable))
}

/// The lines of the built-in UN text the server's graph is built from:
/// the cover letter, the contents, the preface and the first chapter's
/// start, enough for every kind of page.
const UN_EXCERPT_LINES: usize = 60;

/// The limits of the fuzzed servers: short, so that an expensive query
/// costs the fuzzer at most this long.
fn config(writable: bool) -> ServeConfig {
    ServeConfig {
        timeout: Duration::from_secs(2),
        max_rows: 1000,
        writable,
        cors: writable,
        ..ServeConfig::default()
    }
}

/// The read-only server (the graph `build --source` makes of the first
/// [`UN_EXCERPT_LINES`] lines of the UN text) and that graph's dataset
/// description, all a writable server needs to start; built once per process.
fn servers() -> &'static (App, Vec<Quad>) {
    static SERVERS: OnceLock<(App, Vec<Quad>)> = OnceLock::new();
    SERVERS.get_or_init(|| {
        let text: String = include_str!("../../data/corpus/strategy-un-english.txt")
            .lines()
            .take(UN_EXCERPT_LINES)
            .map(|line| format!("{line}\n"))
            .collect();
        let path = temporary_directory().join("un-excerpt.txt");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        let corpus = Corpus::from_files(&[&path]).unwrap_or_else(|e| panic!("{e}"));
        let base = Base::default();
        let built = cyberkg::pipeline::build(&corpus, &base, &cyberkg::store::Location::Memory)
            .unwrap_or_else(|e| panic!("{e}"));
        let names = GraphNames::new(&base).unwrap_or_else(|e| panic!("{e}"));
        let description = built
            .store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(names.metadata.as_ref())),
            )
            .collect::<Result<Vec<_>, _>>()
            .unwrap_or_else(|e| panic!("{e}"));
        let app = App::new(built.store, config(false)).unwrap_or_else(|e| panic!("{e}"));
        (app, description)
    })
}

/// A request to the server, answered by `App::handle` (as the server does
/// after reading it from the socket; that reading is the HTTP library's).
pub fn http_request(data: &[u8]) {
    let Some((request, writable)) = parse_request(data) else {
        return;
    };
    if writable {
        let Ok(store) = Store::new() else {
            return;
        };
        if store.extend(servers().1.iter().cloned()).is_err() {
            return;
        }
        let Ok(app) = App::new(store, config(true)) else {
            return;
        };
        let _ = app.handle(&request);
    } else {
        let _ = servers().0.handle(&request);
    }
}

//! `cyberkg build`: parse, report diagnostics, load the store, summarize.

use super::failure::{CommandResult, Failure};
use super::output::plural;
use super::stores::CorpusConfig;
use crate::cli::{BuildArgs, DiagnosticsFormat};
use comfy_table::{Table, presets};
use cyberkg::document::{Diagnostic, DocumentKind, ParsedCorpus, PartKind, Severity};
use cyberkg::graph::GraphNames;
use cyberkg::store::Location;
use oxigraph::model::GraphNameRef;
use oxigraph::store::Store;
use std::io::Write;
use std::time::Instant;

/// Runs `cyberkg build`.
pub fn run(args: BuildArgs, quiet: bool) -> CommandResult {
    let started = Instant::now();
    let config = CorpusConfig::resolve(&args.corpus)?;
    let location = Location::from_flag(args.store.location.as_deref());
    let spinner = super::progress::spinner(
        quiet,
        "building the graph (parse, find mentions, load the store)…",
    );
    let built = cyberkg::pipeline::build(&config.corpus, &config.base, &location);
    drop(spinner);
    let built = built.map_err(|e| Failure::Runtime(e.into()))?;
    let shown = built
        .diagnostics()
        .filter(|d| !quiet || d.severity == Severity::Warning);
    print_diagnostics(shown, args.diagnostics)?;
    let (store, parsed) = (&built.store, &built.parsed);
    let names = GraphNames::new(&config.base).map_err(|e| Failure::Runtime(e.into()))?;
    let summary = summary(
        parsed,
        store,
        &names,
        &location,
        config.corpus.sources.len(),
        started,
    )?;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(summary.as_bytes())
        .map_err(anyhow::Error::from)?;
    Ok(())
}

fn print_diagnostics<'a>(
    diagnostics: impl Iterator<Item = &'a Diagnostic>,
    format: DiagnosticsFormat,
) -> CommandResult {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let line = match format {
            DiagnosticsFormat::Human => diagnostic.to_string(),
            DiagnosticsFormat::Json => {
                serde_json::to_string(diagnostic).map_err(anyhow::Error::from)?
            }
        };
        writeln!(stderr, "{line}").map_err(anyhow::Error::from)?;
    }
    Ok(())
}

fn summary(
    parsed: &ParsedCorpus,
    store: &Store,
    names: &GraphNames,
    location: &Location,
    sources: usize,
    started: Instant,
) -> Result<String, Failure> {
    let documents = documents_table(parsed);
    let graphs = graphs_table(store, names);
    let warnings = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let notes = parsed.diagnostics.len() - warnings;
    let where_ = match location {
        Location::Memory => "in memory".to_owned(),
        Location::Disk(path) => format!("in the store at {}", path.display()),
    };
    Ok(format!(
        "Built {} from {} {where_} in {:.0} ms.\n\n{documents}\n\n{graphs}\n\nDiagnostics: {}, {}{}.\n",
        plural(parsed.documents.len(), "document"),
        plural(sources, "source"),
        started.elapsed().as_secs_f64() * 1000.0,
        plural(warnings, "warning"),
        plural(notes, "note"),
        if parsed.diagnostics.is_empty() {
            ""
        } else {
            " (printed on stderr)"
        },
    ))
}

/// One row a document: its kind, language, part counts and alignment.
fn documents_table(parsed: &ParsedCorpus) -> Table {
    let mut documents = Table::new();
    documents.load_preset(presets::NOTHING);
    documents.set_header([
        "document",
        "kind",
        "language",
        "chapters",
        "sections",
        "paragraphs",
        "aligned with",
    ]);
    for document in &parsed.documents {
        let kind = match document.kind {
            DocumentKind::Edition => "edition",
            DocumentKind::CoverLetter(_) => "cover letter",
        };
        let aligned = parsed
            .alignments
            .iter()
            .find(|a| a.translation == document.id)
            .map_or_else(
                || "-".to_owned(),
                |a| format!("{} ({} parts)", a.original, a.paths.len()),
            );
        documents.add_row([
            document.id.clone(),
            kind.to_owned(),
            document.language.tag().to_owned(),
            document.count(PartKind::Chapter).to_string(),
            document.count(PartKind::Section).to_string(),
            document.count(PartKind::Paragraph).to_string(),
            aligned,
        ]);
    }
    documents
}

/// One row a graph with its triple count, then the total.
fn graphs_table(store: &Store, names: &GraphNames) -> Table {
    let mut graphs = Table::new();
    graphs.load_preset(presets::NOTHING);
    graphs.set_header(["graph", "triples"]);
    let mut total = 0;
    for name in names.all() {
        let count = store
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(name.as_ref())),
            )
            .count();
        total += count;
        graphs.add_row([name.as_str().to_owned(), count.to_string()]);
    }
    graphs.add_row(["total".to_owned(), total.to_string()]);
    graphs
}

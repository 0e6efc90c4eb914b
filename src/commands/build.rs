//! `cyberkg build`: parse, report diagnostics, load the store, summarize.
//!
//! On a terminal a bar follows the documents (done / total, quads, rate);
//! `-v` adds the time of each stage. The summary's counts come from the
//! build itself ([`cyberkg::pipeline::Built::graph_triples`]), not from
//! reading the store back.

use super::failure::{CommandResult, Failure};
use super::output::plural;
use super::stores::CorpusConfig;
use crate::cli::{BuildArgs, DiagnosticsFormat};
use comfy_table::{Table, presets};
use cyberkg::document::{Diagnostic, DocumentKind, ParsedCorpus, PartKind, Severity};
use cyberkg::graph::GraphNames;
use cyberkg::pipeline::Timings;
use cyberkg::store::Location;
use std::io::Write;
use std::time::{Duration, Instant};

/// Runs `cyberkg build`.
pub fn run(args: BuildArgs, quiet: bool, verbose: u8) -> CommandResult {
    let started = Instant::now();
    let config = CorpusConfig::resolve(&args.corpus)?;
    let read = started.elapsed();
    let location = Location::from_flag(args.store.location.as_deref());
    let bar = super::progress::bar(quiet, config.corpus.sources.len() as u64, "documents");
    if let Some(bar) = &bar {
        bar.set_message("building the graph (parse, find mentions)…");
        bar.tick();
    }
    let built = cyberkg::pipeline::build_with_progress(
        &config.corpus,
        &config.base,
        &location,
        |progress| {
            if let Some(bar) = &bar {
                bar.set_length(progress.documents_total as u64);
                bar.set_position(progress.documents_done as u64);
                let seconds = started.elapsed().as_secs_f64().max(1e-3);
                bar.set_message(format!(
                    "building the graph: {} quads, {:.0} quads/s",
                    progress.quads,
                    progress.quads as f64 / seconds
                ));
            }
        },
    );
    drop(bar);
    let built = built.map_err(|e| Failure::Runtime(e.into()))?;
    if verbose > 0 {
        print_timings(read, &built.timings, started.elapsed())?;
    }
    let shown = built
        .diagnostics()
        .filter(|d| !quiet || d.severity == Severity::Warning);
    print_diagnostics(shown, args.diagnostics)?;
    let names = GraphNames::new(&config.base).map_err(|e| Failure::Runtime(e.into()))?;
    let summary = summary(
        &built.parsed,
        &built.graph_triples,
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

/// The time of each stage on stderr (`-v`): reading the corpus, then the
/// pipeline's stages, then the whole command.
fn print_timings(read: Duration, timings: &Timings, total: Duration) -> CommandResult {
    let stages = [
        ("read", read),
        ("parse", timings.parse),
        ("extract", timings.extract),
        ("graph", timings.graph),
        ("load", timings.load),
        ("statistics", timings.statistics),
        ("total", total),
    ];
    let mut stderr = std::io::stderr().lock();
    writeln!(stderr, "stage timings:").map_err(anyhow::Error::from)?;
    for (stage, took) in stages {
        writeln!(
            stderr,
            "  {stage:<10} {:>9.1} ms",
            took.as_secs_f64() * 1000.0
        )
        .map_err(anyhow::Error::from)?;
    }
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
    graph_triples: &[usize; 6],
    names: &GraphNames,
    location: &Location,
    sources: usize,
    started: Instant,
) -> Result<String, Failure> {
    let documents = documents_table(parsed);
    let graphs = graphs_table(graph_triples, names);
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
fn graphs_table(graph_triples: &[usize; 6], names: &GraphNames) -> Table {
    let mut graphs = Table::new();
    graphs.load_preset(presets::NOTHING);
    graphs.set_header(["graph", "triples"]);
    for (name, count) in names.all().into_iter().zip(graph_triples) {
        graphs.add_row([name.as_str().to_owned(), count.to_string()]);
    }
    let total: usize = graph_triples.iter().sum();
    graphs.add_row(["total".to_owned(), total.to_string()]);
    graphs
}

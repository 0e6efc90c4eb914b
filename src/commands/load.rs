//! `cyberkg load`: add external RDF files to the graph, each in a named graph of its own.
//!
//! All or nothing: every file is parsed into memory before the store is
//! touched, then all the quads are added in one transaction, so a file that
//! fails to parse (reported as `FILE:line:column: message`) loads nothing.
//! A file's default graph goes to `<base>graph/external/<file stem>` (or
//! `--graph`); the quads of named graphs in N-Quads and TriG keep their
//! graph. Blank nodes are renamed per file, so two files never share one by
//! accident. Also home of the RDF file reader `verify` uses.

use super::failure::{CommandResult, Failure};
use super::output::{plural, write_output};
use super::rdf_file::{file_format, read_rdf_file};
use super::stores::{graph_flag, reading_store, store_label};
use crate::cli::LoadArgs;
use cyberkg::export::ExportFormat;
use cyberkg::graph::{Base, GraphNames};
use cyberkg::store::{self, Location};
use oxigraph::model::{NamedNode, Quad};
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;

/// One file to load, resolved before anything is read.
struct Plan {
    path: PathBuf,
    format: ExportFormat,
    graph: NamedNode,
}

/// Runs `cyberkg load`.
pub fn run(args: LoadArgs, quiet: bool) -> CommandResult {
    let explicit_graph = graph_flag(args.graph.as_deref())?;
    let base = Base::new(&args.corpus.base).map_err(|e| Failure::Usage(e.to_string()))?;
    if let Some(location) = &args.store.location
        && !args.corpus.sources.is_empty()
    {
        return Err(Failure::Usage(format!(
            "--source applies to the in-memory build; to load into a rebuilt {} run `cyberkg build --location {} --source …` first",
            location.display(),
            location.display()
        )));
    }
    let plans = plans(&args, &base, explicit_graph.as_ref())?;
    // Parse everything first: nothing is loaded unless every file parses.
    let files = read_files(&plans, quiet)?;
    let store = match &args.store.location {
        Some(path) => {
            store::open(&Location::Disk(path.clone())).map_err(|e| Failure::Runtime(e.into()))?
        }
        None => reading_store(None, &args.corpus)?,
    };
    let storage = |e: oxigraph::store::StorageError| {
        let store = store_label(args.store.location.as_deref());
        Failure::Runtime(anyhow::Error::new(e).context(format!("cannot load into {store}")))
    };
    let owned = GraphNames::written_before(&store).map_err(storage)?;
    refuse_build_graph(owned, &base, explicit_graph.as_ref())?;
    let mut report = String::new();
    let mut counted = HashSet::new();
    let mut new_total = 0;
    for (plan, quads) in plans.iter().zip(&files) {
        let mut new = 0;
        for quad in quads {
            if counted.insert(quad) && !store.contains(quad).map_err(storage)? {
                new += 1;
            }
        }
        new_total += new;
        let graphs: BTreeSet<String> = quads.iter().map(|q| q.graph_name.to_string()).collect();
        let file = plan.path.display();
        match graphs.len() {
            0 => report.push_str(&format!("{file}: no quads\n")),
            count => {
                let into = if count == 1 {
                    graphs.into_iter().collect()
                } else {
                    plural(count, "graph")
                };
                report.push_str(&format!(
                    "{file}: {} into {into} ({new} new)\n",
                    plural(quads.len(), "quad"),
                ));
            }
        }
    }
    // One transaction: all files or none.
    let spinner = super::progress::spinner(quiet, "adding the quads to the store…");
    store.extend(files.into_iter().flatten()).map_err(storage)?;
    drop(spinner);
    let total = store.len().map_err(storage)?;
    let from = plural(plans.len(), "file");
    let loaded = plural(new_total, "new quad");
    report.push_str(&match &args.store.location {
        Some(path) => format!(
            "Loaded {loaded} from {from} into the store at {}, which now holds {}.\n",
            path.display(),
            plural(total, "quad")
        ),
        None => format!(
            "Loaded {loaded} from {from} into a fresh in-memory build, which now holds {}; it is not kept (add --location DIR to keep it).\n",
            plural(total, "quad")
        ),
    });
    write_output(None, |out| {
        out.write_all(report.as_bytes())?;
        Ok(())
    })
}

/// Refuses a `--graph` that `cyberkg build` writes (one of this base's,
/// or of any earlier build in the store): the next build empties those
/// graphs, so the loaded data would silently disappear. A file's own named
/// graphs (N-Quads, TriG) are not refused: loading an export of a build
/// back (a restore) is meant to put quads in the build's graphs, and a
/// later build replaces them with its own.
fn refuse_build_graph(
    written_before: Vec<NamedNode>,
    base: &Base,
    explicit_graph: Option<&NamedNode>,
) -> Result<(), Failure> {
    let Some(graph) = explicit_graph else {
        return Ok(());
    };
    let names = GraphNames::new(base).map_err(|e| Failure::Runtime(e.into()))?;
    if written_before.contains(graph) || names.all().contains(&graph) {
        return Err(Failure::Usage(format!(
            "cannot load into --graph {graph}: it is a graph `cyberkg build` writes, and the next build would empty it; choose a graph of your own (by default each file gets <{}graph/external/FILE-STEM>)",
            base.as_str()
        )));
    }
    Ok(())
}

/// What to read from each file, and into which graph: `--graph`, or a
/// graph named after the file.
fn plans(
    args: &LoadArgs,
    base: &Base,
    explicit_graph: Option<&NamedNode>,
) -> Result<Vec<Plan>, Failure> {
    let mut plans = Vec::new();
    for path in &args.files {
        let format = file_format(path, args.format.as_deref())?;
        let graph = match explicit_graph {
            Some(graph) => graph.clone(),
            None => cyberkg::graph::iri::external_graph(base, path).map_err(|e| {
                Failure::Usage(format!(
                    "cannot name a graph after {}: {e}; give one with --graph",
                    path.display()
                ))
            })?,
        };
        plans.push(Plan {
            path: path.clone(),
            format,
            graph,
        });
    }
    Ok(plans)
}

/// The quads of every planned file, with a progress bar on a terminal.
fn read_files(plans: &[Plan], quiet: bool) -> Result<Vec<Vec<Quad>>, Failure> {
    let mut files = Vec::new();
    let progress = super::progress::bar(quiet, plans.len() as u64, "files");
    for plan in plans {
        if let Some(bar) = &progress {
            bar.set_message(format!("reading {}", plan.path.display()));
        }
        let quads = read_rdf_file(&plan.path, plan.format, plan.graph.clone().into(), true)
            .map_err(|e| Failure::Runtime(e.into()))?;
        files.push(quads);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
    }
    Ok(files)
}

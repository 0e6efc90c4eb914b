//! `cyberkg export` (alias `dump`): write the store in an RDF syntax.

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use super::stores::{check_graph_exists, graph_flag, reading_store};
use crate::cli::ExportArgs;
use cyberkg::export::{ExportFormat, format_names, write_canonical, write_store};

/// Runs `cyberkg export`.
pub fn run(args: ExportArgs) -> CommandResult {
    let format = match (&args.format, &args.output) {
        (Some(name), _) => name
            .parse::<ExportFormat>()
            .map_err(|e| Failure::Usage(format!("{e} (for --format)")))?,
        (None, Some(path)) => ExportFormat::from_extension(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the RDF format of '{}' from its extension; add --format (one of {})",
                path.display(),
                format_names()
            ))
        })?,
        (None, None) if args.canonical => ExportFormat::NQuads,
        (None, None) => ExportFormat::Turtle,
    };
    if args.canonical && format != ExportFormat::NQuads {
        return Err(Failure::Usage(format!(
            "--canonical writes RDFC-1.0 canonical N-Quads only, not {format}; use --format nquads (or an .nq file)"
        )));
    }
    let graph = graph_flag(args.graph.as_deref())?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    if let Some(graph) = &graph {
        check_graph_exists(&store, graph)?;
    }
    write_output(args.output.as_deref(), |out| {
        if args.canonical {
            Ok(write_canonical(&store, graph.as_ref(), out)?)
        } else {
            Ok(write_store(&store, graph.as_ref(), format, out)?)
        }
    })
}

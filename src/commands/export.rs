//! `cyberkg export` (alias `dump`): write the store in an RDF syntax.

use super::{CommandResult, Failure, reading_store, write_output};
use crate::cli::ExportArgs;
use cyberkg::export::{ExportFormat, format_names, write_canonical, write_store};
use iri_string::types::IriStr;
use oxigraph::model::{NamedNode, NamedOrBlankNode};
use oxigraph::store::Store;

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

/// Validates a `--graph IRI` flag.
pub(crate) fn graph_flag(iri: Option<&str>) -> Result<Option<NamedNode>, Failure> {
    let Some(iri) = iri else {
        return Ok(None);
    };
    IriStr::new(iri)
        .map_err(|_| Failure::Usage(format!("invalid --graph '{iri}': not an absolute IRI")))?;
    NamedNode::new(iri)
        .map(Some)
        .map_err(|e| Failure::Usage(format!("invalid --graph '{iri}': {e}")))
}

/// A usage error naming the store's graphs when `graph` is not one of them.
pub(crate) fn check_graph_exists(store: &Store, graph: &NamedNode) -> Result<(), Failure> {
    let mut known: Vec<String> = store
        .named_graphs()
        .filter_map(Result::ok)
        .filter_map(|g| match g {
            NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    if known.iter().any(|k| k == graph.as_str()) {
        return Ok(());
    }
    known.sort();
    Err(Failure::Usage(format!(
        "the store has no graph <{}>; it has {}",
        graph.as_str(),
        known.join(", ")
    )))
}

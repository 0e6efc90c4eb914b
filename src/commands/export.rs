//! `cyberkg export` (alias `dump`): write the store in an RDF syntax.

use super::{CommandResult, Failure, reading_store, write_output};
use crate::cli::ExportArgs;
use crate::export::{ExportFormat, format_names, write_store};
use iri_string::types::IriStr;
use oxigraph::model::{NamedNode, NamedOrBlankNode};

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
        (None, None) => ExportFormat::Turtle,
    };
    let graph = match &args.graph {
        Some(iri) => {
            IriStr::new(iri).map_err(|_| {
                Failure::Usage(format!("invalid --graph '{iri}': not an absolute IRI"))
            })?;
            Some(
                NamedNode::new(iri.as_str())
                    .map_err(|e| Failure::Usage(format!("invalid --graph '{iri}': {e}")))?,
            )
        }
        None => None,
    };
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    if let Some(graph) = &graph {
        let known: Vec<String> = store
            .named_graphs()
            .filter_map(Result::ok)
            .filter_map(|g| match g {
                NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        if !known.iter().any(|k| k == graph.as_str()) {
            let mut known = known;
            known.sort();
            return Err(Failure::Usage(format!(
                "the store has no graph <{}>; it has {}",
                graph.as_str(),
                known.join(", ")
            )));
        }
    }
    write_output(args.output.as_deref(), |out| {
        Ok(write_store(&store, graph.as_ref(), format, out)?)
    })
}

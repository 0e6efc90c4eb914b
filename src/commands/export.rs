//! `cyberkg export` (alias `dump`): write the store in an RDF syntax.

use super::failure::{CommandResult, Failure};
use super::output::{ExportDirectory, write_output, write_output_dir};
use super::stores::{check_graph_exists, graph_flag, reading_store};
use crate::cli::{Compress, ExportArgs, TextUnit};
use cyberkg::bulk::{Compression, SplitExport};
use cyberkg::export::{ExportFormat, format_names, write_canonical, write_store};
use std::num::NonZeroU64;
use std::path::Path;

/// The `--format` of the plain-text export, which is no RDF syntax.
const TEXT_FORMAT: &str = "text";

/// Runs `cyberkg export`.
pub fn run(args: ExportArgs) -> CommandResult {
    if args
        .format
        .as_deref()
        .is_some_and(|name| name.eq_ignore_ascii_case(TEXT_FORMAT))
    {
        return text(&args);
    }
    if args.unit.is_some() {
        return Err(Failure::Usage(
            "--unit is for --format text; leave it out for an RDF export".to_owned(),
        ));
    }
    if args.output_dir.is_some() && args.split_quads.is_none() {
        return Err(Failure::Usage(
            "--output-dir is for --split-quads N or --format text; use -o FILE for one RDF file"
                .to_owned(),
        ));
    }
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
        (None, None) if args.canonical || args.split_quads.is_some() => ExportFormat::NQuads,
        (None, None) => ExportFormat::Turtle,
    };
    if args.canonical && format != ExportFormat::NQuads {
        return Err(Failure::Usage(format!(
            "--canonical writes RDFC-1.0 canonical N-Quads only, not {format}; use --format nquads (or an .nq file)"
        )));
    }
    if let (Some(quads_per_file), Some(directory)) = (args.split_quads, &args.output_dir) {
        return split(&args, quads_per_file, directory, format);
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

/// `export --format text --output-dir DIR [--unit paragraph|section]`: the
/// texts as plain files and a metadata.csv, the directory written whole
/// then renamed into place.
fn text(args: &ExportArgs) -> CommandResult {
    let refused = [
        (args.output.is_some(), "-o"),
        (args.canonical, "--canonical"),
        (args.split_quads.is_some(), "--split-quads"),
        (args.graph.is_some(), "--graph"),
    ];
    if let Some((_, flag)) = refused.iter().find(|(given, _)| *given) {
        return Err(Failure::Usage(format!(
            "{flag} does not apply to --format text, which writes plain-text files into --output-dir"
        )));
    }
    let Some(directory) = &args.output_dir else {
        return Err(Failure::Usage(
            "--format text writes a directory of files; give --output-dir DIR".to_owned(),
        ));
    };
    let unit = match args.unit.unwrap_or(TextUnit::Paragraph) {
        TextUnit::Paragraph => cyberkg::text_export::TextUnit::Paragraph,
        TextUnit::Section => cyberkg::text_export::TextUnit::Section,
    };
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    write_output_dir(directory, ExportDirectory::Text, |staging, _| {
        let files = cyberkg::text_export::write(&store, unit, staging)?;
        tracing::info!(
            "wrote {files} text files and {}",
            cyberkg::text_export::METADATA_NAME
        );
        Ok(())
    })
}

/// `export --split-quads N --output-dir DIR`: numbered N-Quads files, a
/// manifest and recipes, the directory written whole then renamed into place.
fn split(
    args: &ExportArgs,
    quads_per_file: u64,
    directory: &Path,
    format: ExportFormat,
) -> CommandResult {
    if format != ExportFormat::NQuads {
        return Err(Failure::Usage(format!(
            "--split-quads writes N-Quads only, not {format}; leave out --format"
        )));
    }
    let quads_per_file = NonZeroU64::new(quads_per_file)
        .ok_or_else(|| Failure::Usage("--split-quads needs at least 1 quad a file".to_owned()))?;
    let graph = graph_flag(args.graph.as_deref())?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    if let Some(graph) = &graph {
        check_graph_exists(&store, graph)?;
    }
    let export = SplitExport::new(quads_per_file)
        .with_compression(match args.compress {
            Compress::Gzip => Compression::Gzip,
            Compress::None => Compression::None,
        })
        .with_graph(graph)
        .with_engines(&args.engines);
    write_output_dir(
        directory,
        ExportDirectory::SplitQuads,
        |staging, absolute| {
            let manifest = export.write(&store, staging, absolute)?;
            tracing::info!(
                "wrote {} quads in {} files",
                manifest.quads,
                manifest.files.len()
            );
            Ok(())
        },
    )
}

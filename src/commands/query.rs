//! `cyberkg query`: run SPARQL over the store; `cyberkg queries`: list the named queries.

use super::failure::{CommandResult, Failure};
use super::output::write_output;
use super::stores::reading_store;
use crate::cli::QueryArgs;
use anyhow::Context as _;
use comfy_table::{ContentArrangement, Table, presets};
use cyberkg::export::{ExportFormat, sort_triples, write_triples};
use cyberkg::queries::{NAMED_QUERIES, description};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, QuerySolutionIter, QueryTripleIter};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResultsFormat {
    /// A readable table (SELECT, ASK).
    Table,
    /// A SPARQL results format (SELECT, ASK).
    Solutions(QueryResultsFormat),
    /// An RDF syntax (CONSTRUCT, DESCRIBE).
    Rdf(ExportFormat),
}

const SOLUTION_FORMATS: &str = "table, json, xml, csv or tsv";

impl ResultsFormat {
    fn parse(name: &str) -> Result<Self, Failure> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "table" => ResultsFormat::Table,
            "json" | "srj" => ResultsFormat::Solutions(QueryResultsFormat::Json),
            "xml" | "srx" => ResultsFormat::Solutions(QueryResultsFormat::Xml),
            "csv" => ResultsFormat::Solutions(QueryResultsFormat::Csv),
            "tsv" => ResultsFormat::Solutions(QueryResultsFormat::Tsv),
            other => ResultsFormat::Rdf(other.parse().map_err(|_| {
                Failure::Usage(format!(
                    "unknown results format '{name}' for --results-format; expected {SOLUTION_FORMATS} for SELECT and ASK, or one of {} for CONSTRUCT and DESCRIBE",
                    cyberkg::export::format_names()
                ))
            })?),
        })
    }

    fn from_extension(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" | "srj" | "xml" | "srx" | "csv" | "tsv" => Self::parse(&extension).ok(),
            _ => ExportFormat::from_extension(path).map(ResultsFormat::Rdf),
        }
    }

    fn name(self) -> String {
        match self {
            ResultsFormat::Table => "table".to_owned(),
            ResultsFormat::Solutions(format) => format.file_extension().to_owned(),
            ResultsFormat::Rdf(format) => format.name().to_owned(),
        }
    }
}

/// The query text and where it came from (for error positions).
fn query_text(args: &QueryArgs) -> Result<(String, String), Failure> {
    if let Some(name) = &args.name {
        return NAMED_QUERIES
            .iter()
            .find(|(n, _)| n == name)
            .map(|(n, text)| ((*text).to_owned(), format!("queries/{n}.rq")))
            .ok_or_else(|| {
                let names: Vec<&str> = NAMED_QUERIES.iter().map(|(n, _)| *n).collect();
                Failure::Usage(format!(
                    "no named query '{name}'; the named queries are {}",
                    names.join(", ")
                ))
            });
    }
    if let Some(path) = &args.query_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read query file {}", path.display()))?;
        return Ok((text, path.display().to_string()));
    }
    Ok((
        args.query.clone().unwrap_or_default(),
        "<command line>".to_owned(),
    ))
}

/// How long one `SERVICE` call of `cyberkg query` may take.
const SERVICE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// A term as a table cell: IRIs compacted with the known prefixes, literals as their value.
fn cell(term: &Term) -> String {
    match term {
        Term::NamedNode(node) => cyberkg::graph::vocab::compact(node.as_str())
            .unwrap_or_else(|| format!("<{}>", node.as_str())),
        Term::BlankNode(node) => node.to_string(),
        Term::Literal(literal) => literal.value().to_owned(),
        // Triple terms: oxigraph's rdf-12 feature, which the shacl crate
        // turns on for every build (were it off, rustc would flag this arm).
        other => other.to_string(),
    }
}

/// Runs `cyberkg query`.
pub fn run(args: QueryArgs) -> CommandResult {
    let (text, origin) = query_text(&args)?;
    let explicit = match (&args.results_format, &args.output) {
        (Some(name), _) => Some(ResultsFormat::parse(name)?),
        (None, Some(path)) => ResultsFormat::from_extension(path),
        (None, None) => None,
    };
    let services =
        cyberkg::sparql::Services::allowing(args.services.allow_service.clone(), SERVICE_TIMEOUT);
    let prepared = cyberkg::sparql::prepare(&text, &origin, &services)
        .map_err(|error| Failure::Runtime(error.into()))?;
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let results = prepared
        .on_store(&store)
        .execute()
        .with_context(|| format!("{origin}: the query failed"))?;
    let on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let output = args.output.as_deref();
    match results {
        QueryResults::Solutions(solutions) => {
            let format = results_format(explicit, on_terminal, "SELECT")?;
            write_solutions(solutions, format, &origin, output)
        }
        QueryResults::Boolean(value) => {
            let format = results_format(explicit, on_terminal, "ASK")?;
            write_output(output, |out| match format {
                ResultsFormat::Solutions(format) => {
                    QueryResultsSerializer::from_format(format)
                        .serialize_boolean_to_writer(out, value)?;
                    Ok(())
                }
                _ => Ok(writeln!(out, "{value}")?),
            })
        }
        QueryResults::Graph(triples) => write_graph(triples, explicit, &origin, output),
    }
}

/// The format of SELECT or ASK (`kind`) results: `--results-format` or the
/// output file's extension, else a table on a terminal and TSV elsewhere.
fn results_format(
    explicit: Option<ResultsFormat>,
    on_terminal: bool,
    kind: &str,
) -> Result<ResultsFormat, Failure> {
    match explicit {
        Some(ResultsFormat::Rdf(format)) => Err(wrong_format(format.name(), kind)),
        Some(format) => Ok(format),
        None if on_terminal => Ok(ResultsFormat::Table),
        None => Ok(ResultsFormat::Solutions(QueryResultsFormat::Tsv)),
    }
}

/// Writes SELECT results: serialized in a results format, or as a table
/// followed by a count.
fn write_solutions(
    solutions: QuerySolutionIter<'_>,
    format: ResultsFormat,
    origin: &str,
    output: Option<&Path>,
) -> CommandResult {
    let variables = solutions.variables().to_vec();
    let rows: Vec<_> = solutions
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{origin}: the query failed"))?;
    write_output(output, |out| match format {
        ResultsFormat::Solutions(format) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, variables)?;
            for row in &rows {
                serializer.serialize(row.iter())?;
            }
            serializer.finish()?;
            Ok(())
        }
        _ => {
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            fit(&mut table);
            table.set_header(variables.iter().map(|v| v.as_str().to_owned()));
            for row in &rows {
                table.add_row(
                    variables
                        .iter()
                        .map(|v| row.get(v).map(cell).unwrap_or_default()),
                );
            }
            writeln!(out, "{table}")?;
            writeln!(
                out,
                "{} result{}",
                rows.len(),
                if rows.len() == 1 { "" } else { "s" }
            )?;
            Ok(())
        }
    })
}

/// Writes CONSTRUCT and DESCRIBE results, sorted, in an RDF format (Turtle
/// unless asked otherwise).
fn write_graph(
    triples: QueryTripleIter<'_>,
    explicit: Option<ResultsFormat>,
    origin: &str,
    output: Option<&Path>,
) -> CommandResult {
    let format = match explicit {
        Some(ResultsFormat::Rdf(format)) => format,
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--results-format {} is for SELECT and ASK queries; CONSTRUCT and DESCRIBE results take one of {}",
                other.name(),
                cyberkg::export::format_names()
            )));
        }
        None => ExportFormat::Turtle,
    };
    let mut triples: Vec<Triple> = triples
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("{origin}: the query failed"))?;
    sort_triples(&mut triples);
    write_output(output, |out| Ok(write_triples(&triples, format, out)?))
}

/// Off a terminal (a pipe, a file), tables wrap at 120 columns.
fn fit(table: &mut Table) {
    if table.width().is_none() {
        table.set_width(120);
    }
}

fn wrong_format(name: &str, kind: &str) -> Failure {
    Failure::Usage(format!(
        "--results-format {name} is for CONSTRUCT and DESCRIBE queries; {kind} results take {SOLUTION_FORMATS}"
    ))
}

/// Runs `cyberkg queries`.
pub fn list() -> CommandResult {
    let mut table = Table::new();
    table
        .load_preset(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic);
    fit(&mut table);
    table.set_header(["name", "what it asks"]);
    for (name, text) in NAMED_QUERIES {
        table.add_row([(*name).to_owned(), description(text)]);
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{table}").map_err(anyhow::Error::from)?;
    Ok(())
}

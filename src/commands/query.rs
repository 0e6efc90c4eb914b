//! `cyberkg query`: run SPARQL over the store; `cyberkg queries`: list the named queries.

use super::failure::{CommandResult, Failure, position_after};
use super::output::{refuse_binary_on_terminal, write_output};
use super::stores::reading_store;
use crate::cli::QueryArgs;
use anyhow::Context as _;
use comfy_table::{ContentArrangement, Table, presets};
use cyberkg::export::{ExportFormat, sort_triples, write_triples};
use cyberkg::queries::{NAMED_QUERIES, description};
use cyberkg::search::{IndexPlace, Search};
use cyberkg::store::Location;
use oxigraph::model::{Term, Triple, Variable};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, PreparedSparqlQuery, QueryResults, QuerySolution};
use oxigraph::store::Store;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResultsFormat {
    /// A readable table (SELECT, ASK).
    Table,
    /// A SPARQL results format (SELECT, ASK).
    Solutions(QueryResultsFormat),
    /// An XLSX workbook (SELECT).
    Xlsx,
    /// An RDF syntax (CONSTRUCT, DESCRIBE).
    Rdf(ExportFormat),
}

const SOLUTION_FORMATS: &str = "table, json, xml, csv or tsv";

/// The formats of SELECT results alone.
const SELECT_FORMATS: &str = "table, json, xml, csv, tsv or xlsx";

impl ResultsFormat {
    fn parse(name: &str) -> Result<Self, Failure> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "table" => ResultsFormat::Table,
            "json" | "srj" => ResultsFormat::Solutions(QueryResultsFormat::Json),
            "xml" | "srx" => ResultsFormat::Solutions(QueryResultsFormat::Xml),
            "csv" => ResultsFormat::Solutions(QueryResultsFormat::Csv),
            "tsv" => ResultsFormat::Solutions(QueryResultsFormat::Tsv),
            "xlsx" => ResultsFormat::Xlsx,
            other => ResultsFormat::Rdf(other.parse().map_err(|_| {
                Failure::Usage(format!(
                    "unknown results format '{name}' for --results-format; expected {SOLUTION_FORMATS} for SELECT and ASK, xlsx for SELECT, or one of {} for CONSTRUCT and DESCRIBE",
                    cyberkg::export::format_names()
                ))
            })?),
        })
    }

    fn from_extension(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "json" | "srj" | "xml" | "srx" | "csv" | "tsv" | "xlsx" => Self::parse(&extension).ok(),
            _ => ExportFormat::from_extension(path).map(ResultsFormat::Rdf),
        }
    }

    fn name(self) -> String {
        match self {
            ResultsFormat::Table => "table".to_owned(),
            ResultsFormat::Xlsx => "xlsx".to_owned(),
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
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read query file {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|error| not_utf8(path, &error))?;
        return Ok((text, path.display().to_string()));
    }
    Ok((
        args.query.clone().unwrap_or_default(),
        "<command line>".to_owned(),
    ))
}

/// `FILE:LINE:COLUMN: …` for a query file that is not UTF-8, at its first bad byte.
fn not_utf8(path: &Path, error: &std::string::FromUtf8Error) -> Failure {
    let valid = error.utf8_error().valid_up_to();
    let position = position_after(&error.as_bytes()[..valid]);
    let byte = error.as_bytes().get(valid).copied().unwrap_or_default();
    Failure::Runtime(anyhow::anyhow!(
        "{}:{position}: the query file is not valid UTF-8 (byte {byte:#04x} at byte offset {valid}); save it as UTF-8",
        path.display()
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
    if explicit == Some(ResultsFormat::Xlsx) {
        refuse_binary_on_terminal(args.output.as_deref(), "XLSX")?;
    }
    let services =
        cyberkg::sparql::Services::allowing(args.services.allow_service.clone(), SERVICE_TIMEOUT);
    let token = CancellationToken::new();
    let query =
        cyberkg::sparql::parse_checked(&text, &origin, &services).map_err(prepare_failure)?;
    let location = args.store.location.as_deref();
    let store = reading_store(location, &args.corpus)?;
    // The search service answers from this store's index, built only if the
    // query calls it.
    let search = Search::new(
        store.clone(),
        IndexPlace::beside(&Location::from_flag(location)),
    );
    let services = services.with_search(Arc::new(search));
    let prepared = cyberkg::sparql::prepare_parsed(query, &services, token.clone());
    let watchdog = (args.timeout_s.is_some() || args.max_memory_mb.is_some()).then(|| {
        Watchdog::start(
            Limits {
                time: args.timeout_s.map(Duration::from_secs),
                memory_mib: args.max_memory_mb,
            },
            token,
            &origin,
        )
    });
    // Optimizing and evaluating recurse over the query's tree: on the stack
    // sized for cyberkg's SPARQL limits, as the parsing was.
    let evaluated = cyberkg::sparql::on_sparql_stack(|| evaluate(prepared, &store, &origin))
        .with_context(|| format!("{origin}: cannot start the query"))?;
    if let Some(watchdog) = watchdog {
        watchdog.disarm()?;
    }
    let evaluated = evaluated?;
    let on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let output = args.output.as_deref();
    match evaluated {
        Evaluated::Solutions { variables, rows } => {
            let format = results_format(explicit, on_terminal, "SELECT")?;
            write_solutions(&variables, &rows, format, &origin, output)
        }
        Evaluated::Boolean(value) => {
            let format = results_format(explicit, on_terminal, "ASK")?;
            if format == ResultsFormat::Xlsx {
                return Err(Failure::Usage(format!(
                    "--results-format xlsx is for SELECT queries; ASK results take {SOLUTION_FORMATS}"
                )));
            }
            write_output(output, |out| match format {
                ResultsFormat::Solutions(format) => {
                    QueryResultsSerializer::from_format(format)
                        .serialize_boolean_to_writer(out, value)?;
                    Ok(())
                }
                _ => Ok(writeln!(out, "{value}")?),
            })
        }
        Evaluated::Triples(triples) => write_graph(triples, explicit, output),
    }
}

/// A refused query: beyond cyberkg's limits, or an update given to `query`,
/// is a usage error (exit 2); not SPARQL, or a refused `SERVICE`, a runtime
/// error (exit 1), as a bad input file is.
fn prepare_failure(error: cyberkg::sparql::PrepareError) -> Failure {
    use cyberkg::sparql::PrepareError;
    match error {
        PrepareError::Limit { .. } | PrepareError::WrongOperation { .. } => {
            Failure::Usage(error.to_string())
        }
        other => Failure::Runtime(other.into()),
    }
}

/// A query's results, all in memory: evaluation ends before any output is
/// written, so that `--timeout-s` never leaves half an answer.
enum Evaluated {
    /// SELECT.
    Solutions {
        variables: Vec<Variable>,
        rows: Vec<QuerySolution>,
    },
    /// ASK.
    Boolean(bool),
    /// CONSTRUCT and DESCRIBE, sorted.
    Triples(Vec<Triple>),
}

/// Evaluates a prepared query and collects its results.
fn evaluate(
    prepared: PreparedSparqlQuery,
    store: &Store,
    origin: &str,
) -> Result<Evaluated, Failure> {
    let failed = || format!("{origin}: the query failed");
    let results = prepared.on_store(store).execute().with_context(failed)?;
    Ok(match results {
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            let rows = solutions
                .collect::<Result<Vec<_>, _>>()
                .with_context(failed)?;
            Evaluated::Solutions { variables, rows }
        }
        QueryResults::Boolean(value) => Evaluated::Boolean(value),
        QueryResults::Graph(triples) => {
            let mut triples: Vec<Triple> = triples
                .collect::<Result<Vec<_>, _>>()
                .with_context(failed)?;
            sort_triples(&mut triples);
            Evaluated::Triples(triples)
        }
    })
}

/// How long a query may run on after its `--timeout-s` deadline before
/// the process stops it: Oxigraph checks the cancellation token only when
/// it reads the store, so a query that loops over what it already holds
/// (a `COUNT(*)` over a cross product) never notices it.
const GRACE: Duration = Duration::from_secs(1);

/// How often the watchdog looks at the clock and the process's size.
const TICK: Duration = Duration::from_millis(20);

/// What the watchdog enforces: `--timeout-s` and `--max-memory-mb`.
#[derive(Clone, Copy)]
struct Limits {
    time: Option<Duration>,
    memory_mib: Option<u64>,
}

/// `--timeout-s` and `--max-memory-mb`. At the deadline it cancels the
/// query's token; if the evaluation has not returned [`GRACE`] later, or
/// as soon as the process has grown by more than the memory cap since the
/// evaluation started (its resident size, read every [`TICK`]), it prints
/// one line and ends the process with exit 1. Nothing has been written by
/// then (results are collected first), so no output file or temporary file
/// is left.
struct Watchdog {
    limits: Limits,
    origin: String,
    state: Arc<(Mutex<WatchState>, Condvar)>,
}

#[derive(Default)]
struct WatchState {
    /// The evaluation has returned: the watchdog stands down.
    finished: bool,
    /// The deadline passed and the token was cancelled.
    fired: bool,
}

impl Watchdog {
    fn start(limits: Limits, token: CancellationToken, origin: &str) -> Self {
        let state = Arc::new((Mutex::new(WatchState::default()), Condvar::new()));
        let watched = Arc::clone(&state);
        let origin_owned = origin.to_owned();
        let started = Instant::now();
        let baseline = resident_bytes();
        if limits.memory_mib.is_some() && baseline.is_none() {
            tracing::warn!(
                "--max-memory-mb is not enforced: this system does not report the process's size"
            );
        }
        let spawned = std::thread::Builder::new()
            .name("cyberkg watchdog".to_owned())
            .spawn(move || {
                let (lock, finished) = &*watched;
                let Ok(mut guard) = lock.lock() else { return };
                loop {
                    let Ok((next, _)) =
                        finished.wait_timeout_while(guard, TICK, |state| !state.finished)
                    else {
                        return;
                    };
                    guard = next;
                    if guard.finished {
                        return;
                    }
                    // The lock is held while it prints and exits: the main
                    // thread cannot start writing.
                    if let (Some(cap), Some(baseline), Some(now)) =
                        (limits.memory_mib, baseline, resident_bytes())
                        && now.saturating_sub(baseline) > cap << 20
                    {
                        eprintln!("cyberkg: {}", too_big(&origin_owned, cap));
                        std::process::exit(1);
                    }
                    let Some(limit) = limits.time else { continue };
                    let elapsed = started.elapsed();
                    if elapsed >= limit && !guard.fired {
                        guard.fired = true;
                        token.cancel();
                    }
                    if elapsed >= limit + GRACE {
                        eprintln!("cyberkg: {}", timed_out(&origin_owned, limit));
                        std::process::exit(1);
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(
                "--timeout-s and --max-memory-mb are not enforced: cannot start their thread: {error}"
            );
        }
        Watchdog {
            limits,
            origin: origin.to_owned(),
            state,
        }
    }

    /// The evaluation has returned: stands the watchdog down, and fails if
    /// the deadline had passed (the answer may then be incomplete).
    fn disarm(self) -> CommandResult {
        let (lock, finished) = &*self.state;
        let fired = match lock.lock() {
            Ok(mut guard) => {
                guard.finished = true;
                guard.fired
            }
            Err(poisoned) => poisoned.into_inner().fired,
        };
        finished.notify_all();
        match (fired, self.limits.time) {
            (true, Some(limit)) => Err(Failure::Runtime(anyhow::anyhow!(
                "{}",
                timed_out(&self.origin, limit)
            ))),
            _ => Ok(()),
        }
    }
}

/// The process's resident size in bytes (`VmRSS`, Linux); `None` elsewhere.
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib << 10)
}

/// The one line of a query stopped by `--max-memory-mb`.
fn too_big(origin: &str, cap_mib: u64) -> String {
    format!(
        "{origin}: the query needed more than {cap_mib} MiB of memory (--max-memory-mb) and was stopped"
    )
}

/// The one line of a query stopped by `--timeout-s`.
fn timed_out(origin: &str, limit: Duration) -> String {
    format!(
        "{origin}: the query ran longer than {} s (--timeout-s) and was stopped",
        limit.as_secs()
    )
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
    variables: &[Variable],
    rows: &[QuerySolution],
    format: ResultsFormat,
    origin: &str,
    output: Option<&Path>,
) -> CommandResult {
    if format == ResultsFormat::Solutions(QueryResultsFormat::Xml) {
        cyberkg::export::check_xml_solutions(rows)
            .map_err(|refused| Failure::Runtime(anyhow::anyhow!("{origin}: {refused}")))?;
    }
    write_output(output, |out| match format {
        ResultsFormat::Xlsx => {
            let sheet = cyberkg::spreadsheet::solutions_sheet(variables, rows);
            cyberkg::spreadsheet::write_xlsx(&sheet, out)
                .with_context(|| format!("{origin}: cannot write the results"))?;
            Ok(())
        }
        ResultsFormat::Solutions(format) => {
            let mut serializer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(out, variables.to_vec())?;
            for row in rows {
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
            for row in rows {
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

/// Writes CONSTRUCT and DESCRIBE results in an RDF format (Turtle unless
/// asked otherwise).
fn write_graph(
    triples: Vec<Triple>,
    explicit: Option<ResultsFormat>,
    output: Option<&Path>,
) -> CommandResult {
    let format = match explicit {
        Some(ResultsFormat::Rdf(format)) => format,
        Some(other) => {
            return Err(Failure::Usage(format!(
                "--results-format {} is for {} queries; CONSTRUCT and DESCRIBE results take one of {}",
                other.name(),
                if other == ResultsFormat::Xlsx {
                    "SELECT"
                } else {
                    "SELECT and ASK"
                },
                cyberkg::export::format_names()
            )));
        }
        None => ExportFormat::Turtle,
    };
    write_output(output, |out| Ok(write_triples(&triples, format, out)?))
}

/// Off a terminal (a pipe, a file), tables wrap at 120 columns.
fn fit(table: &mut Table) {
    if table.width().is_none() {
        table.set_width(120);
    }
}

fn wrong_format(name: &str, kind: &str) -> Failure {
    let formats = if kind == "SELECT" {
        SELECT_FORMATS
    } else {
        SOLUTION_FORMATS
    };
    Failure::Usage(format!(
        "--results-format {name} is for CONSTRUCT and DESCRIBE queries; {kind} results take {formats}"
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

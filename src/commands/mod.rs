//! Commands: each subcommand resolves its raw flags into a validated
//! configuration once, then does its work through the library stages.
//!
//! Errors are [`Failure`]s: a usage error (exit 2) or a runtime error
//! (exit 1), each printed by `main` as one line `cyberkg: <message>`.

pub mod build;
pub mod docs;
pub mod entities;
pub mod export;
pub mod hash;
pub mod load;
pub mod progress;
pub mod push;
pub mod query;
pub mod serve;
pub mod validate;
pub mod verify;

use crate::cli::{Cli, Command, CorpusArgs};
use cyberkg::corpus::Corpus;
use cyberkg::graph::Base;
use cyberkg::store::{self, Location};
use oxigraph::store::Store;
use std::fmt;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// The command line asks for something impossible (exit 2).
    Usage(String),
    /// The work failed (exit 1).
    Runtime(anyhow::Error),
    /// stdout was closed by its reader: not an error.
    BrokenPipe,
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Runtime(_) => 1,
            Failure::BrokenPipe => 0,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Runtime(error) => {
                // One line: the error and its causes, without repeating a cause the message already quotes.
                let mut line = error.to_string();
                for cause in error.chain().skip(1) {
                    let cause = cause.to_string();
                    if !line.contains(&cause) {
                        line.push_str(": ");
                        line.push_str(&cause);
                    }
                }
                f.write_str(&line)
            }
            Failure::BrokenPipe => f.write_str("broken pipe"),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        let broken_pipe = error.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            Failure::BrokenPipe
        } else {
            Failure::Runtime(error)
        }
    }
}

/// A `Result` of a command.
pub type CommandResult = Result<(), Failure>;

/// Prints a clap error the way every other error is printed, and returns its exit code.
pub fn report_usage(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            // clap's message is its first paragraph (a list of missing
            // arguments continues on indented lines); usage and tips follow.
            let rendered = error.render().to_string();
            let message = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("cyberkg: {message} (see 'cyberkg --help')");
            ExitCode::from(2)
        }
    }
}

/// Sends `tracing` events to stderr: errors only with `-q`, warnings by
/// default, then info (`-v`, stage timings), debug (`-vv`) and trace (`-vvv`).
pub fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => tracing::Level::ERROR,
        (false, 0) => tracing::Level::WARN,
        (false, 1) => tracing::Level::INFO,
        (false, 2) => tracing::Level::DEBUG,
        (false, _) => tracing::Level::TRACE,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> CommandResult {
    match cli.command {
        Command::Build(args) => build::run(args, cli.quiet),
        Command::Query(args) => query::run(args),
        Command::Export(args) => export::run(args),
        Command::Entities(args) => entities::run(args),
        Command::Completions(args) => docs::completions(args),
        Command::Man(args) => docs::man(args),
        Command::Hash(args) => hash::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Load(args) => load::run(args, cli.quiet),
        Command::Push(args) => push::run(args, cli.quiet),
        Command::Serve(args) => serve::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Queries => query::list(),
    }
}

/// The validated corpus arguments.
pub struct CorpusConfig {
    /// The corpus to read.
    pub corpus: Corpus,
    /// The base IRI.
    pub base: Base,
}

impl CorpusConfig {
    /// Validates `--base` and reads `--source` files (or the built-in corpus).
    pub fn resolve(args: &CorpusArgs) -> Result<Self, Failure> {
        let base = Base::new(&args.base).map_err(|e| Failure::Usage(e.to_string()))?;
        let corpus = if args.sources.is_empty() {
            Corpus::builtin()
        } else {
            Corpus::from_files(&args.sources)
        };
        let corpus = corpus.map_err(|e| Failure::Runtime(e.into()))?;
        Ok(Self { corpus, base })
    }

    /// Whether the user gave anything but the defaults.
    pub fn is_default(args: &CorpusArgs) -> bool {
        args.sources.is_empty() && args.base == cyberkg::graph::DEFAULT_BASE
    }
}

/// How messages name the store a command reads: `the store at PATH`, or
/// `the in-memory store` (the corpus built for this run).
pub fn store_label(location: Option<&Path>) -> String {
    match location {
        Some(path) => format!("the store at {}", path.display()),
        None => "the in-memory store".to_owned(),
    }
}

/// The store a reading command works on: the on-disk store of `--location`,
/// or a fresh in-memory store holding the corpus.
pub fn reading_store(location: Option<&Path>, corpus: &CorpusArgs) -> Result<Store, Failure> {
    let location = Location::from_flag(location);
    match &location {
        Location::Disk(path) => {
            if !CorpusConfig::is_default(corpus) {
                return Err(Failure::Usage(format!(
                    "--source and --base apply to the in-memory store; to rebuild {} run `cyberkg build --location {}` with them",
                    path.display(),
                    path.display()
                )));
            }
            store::open_existing(&location).map_err(|e| Failure::Runtime(e.into()))
        }
        Location::Memory => {
            let config = CorpusConfig::resolve(corpus)?;
            let built = cyberkg::pipeline::build(&config.corpus, &config.base, &location)
                .map_err(|e| Failure::Runtime(e.into()))?;
            Ok(built.store)
        }
    }
}

/// "1 document", "2 documents".
pub(crate) fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

/// An I/O error's message without the random temporary path tempfile appends.
fn without_temp_path(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" at path ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Writes output to a file atomically (temporary file in the same directory,
/// then rename), or to stdout.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> CommandResult {
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush().map_err(anyhow::Error::from)?;
            Ok(())
        }
        Some(path) => {
            let directory = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
                _ => std::path::PathBuf::from("."),
            };
            if !directory.is_dir() {
                return Err(Failure::Runtime(anyhow::anyhow!(
                    "cannot write {}: the directory {} does not exist",
                    path.display(),
                    directory.display()
                )));
            }
            if path.is_dir() {
                return Err(Failure::Runtime(anyhow::anyhow!(
                    "cannot write {}: it is a directory",
                    path.display()
                )));
            }
            let file = tempfile::Builder::new()
                .prefix(".cyberkg-")
                .suffix(".tmp")
                .tempfile_in(&directory)
                .map_err(|e| {
                    anyhow::anyhow!("cannot write {}: {}", path.display(), without_temp_path(&e))
                })?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            let file = out
                .into_inner()
                .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error()))?;
            file.as_file()
                .sync_all()
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            file.persist(path)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
            Ok(())
        }
    }
}

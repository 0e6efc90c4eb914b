//! Commands: each subcommand resolves its raw flags into a validated
//! configuration once, then does its work through the library stages.
//!
//! Errors are [`Failure`]s: a usage error (exit 2) or a runtime error
//! (exit 1), each printed by `main` as one line `cyberkg: <message>`.
//!
//! This module only dispatches. Below the commands: `failure.rs` (exit
//! codes), `output.rs` (atomic output, logging), `stores.rs` (corpus,
//! store and `--graph` resolution), `rdf_file.rs` (reading a user's RDF
//! file), `progress.rs`. A command never imports another command.

pub mod build;
pub mod docs;
pub mod entities;
pub mod export;
pub mod failure;
pub mod hash;
pub mod load;
pub mod output;
pub mod progress;
pub mod push;
pub mod query;
pub mod rdf_file;
pub mod search;
pub mod serve;
pub mod stores;
pub mod table;
pub mod validate;
pub mod verify;
pub mod worker;

pub use failure::{CommandResult, Failure, report_usage};
pub use output::init_logging;

use crate::cli::{Cli, Command};

/// Runs a parsed command line.
pub fn run(cli: Cli) -> CommandResult {
    match cli.command {
        Command::Build(args) => build::run(args, cli.quiet, cli.verbose),
        Command::Query(args) => query::run(args),
        Command::Export(args) => export::run(args),
        Command::Table(args) => table::run(args),
        Command::Search(args) => search::run(args),
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
        Command::SparqlWorker(args) => worker::run(args),
    }
}

//! The `cyberkg` binary: parse the command line, run the command, print one
//! error, return an exit code (0 success, 1 runtime error, 2 usage error).

mod cli;
mod commands;

use crate::cli::Cli;
use crate::commands::Failure;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return commands::report_usage(&error),
    };
    commands::init_logging(cli.verbose, cli.quiet);
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("cyberkg: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

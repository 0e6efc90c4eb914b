//! Why a command failed, and the exit code that says so: 0 success (and a
//! closed stdout, which is not an error), 1 runtime error, 2 usage error.

use std::fmt;
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

/// The 1-based `line:column` just after `before`, the start of a user's
/// file up to where something went wrong (a bad byte, a parser that stopped).
pub(crate) fn position_after(before: &[u8]) -> cyberkg::document::source::Position {
    let before = String::from_utf8_lossy(before);
    let characters = before.chars().count();
    cyberkg::document::source::SourceText::new("", before).position(characters)
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

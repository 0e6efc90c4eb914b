//! Where a command's output goes: stdout, or a file written atomically
//! (a temporary file in the same directory, then a rename); and the log
//! lines on stderr.

use super::failure::CommandResult;
use super::failure::Failure;
use std::io::Write;
use std::path::Path;

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

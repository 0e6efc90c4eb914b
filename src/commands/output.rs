//! Where a command's output goes: stdout, or a file written atomically
//! (a temporary file in the same directory, then a rename); and the log
//! lines on stderr.
//!
//! Invariant: `-o PATH` never destroys anything but a regular file. The
//! path is resolved before a byte is written: a new path or a regular file
//! is written (a new file gets the mode the umask gives, 0666 & !umask; a
//! replaced file keeps its mode); a symbolic link is followed and its
//! regular target replaced, so the link stays a link; `-` and `/dev/stdout`
//! mean stdout; anything else (a directory, a device such as `/dev/null`
//! or `/dev/full`, a FIFO, a socket) is refused with one sentence. Every
//! failure names the path the user gave, never the temporary file. A
//! closed stdout ends the command quietly ([`Failure::BrokenPipe`]),
//! whichever serializer (serde_json, csv, Oxigraph's) saw the error.

use super::failure::CommandResult;
use super::failure::Failure;
use std::fs::{self, Permissions};
use std::io::{self, IsTerminal as _, Write};
use std::path::{Path, PathBuf};

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

/// What the system said about a failed write, without the random
/// temporary path tempfile appends (" at path /dir/.cyberkg-XXXX.tmp"):
/// the operating system's own sentence when there is one.
fn io_reason(error: &io::Error) -> String {
    if let Some(code) = error.raw_os_error() {
        return io::Error::from_raw_os_error(code).to_string();
    }
    let text = error.to_string();
    match text.find(" at path ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// `cannot write PATH: REASON`, naming the path the user gave.
fn write_failure(shown: &Path, reason: impl std::fmt::Display) -> Failure {
    Failure::Runtime(anyhow::anyhow!(
        "cannot write {}: {reason}",
        shown.display()
    ))
}

/// Where `-o` writes, resolved before anything is written.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// No `-o`, `-o -` or `-o /dev/stdout`.
    Stdout,
    /// A regular file to create or replace.
    File {
        /// The path as the user gave it, for messages.
        shown: PathBuf,
        /// The file replaced: `shown`, or the target of the symbolic link `shown` is.
        file: PathBuf,
        /// The mode of the file replaced, kept; `None` for a new file.
        mode: Option<u32>,
    },
}

/// What a file that is not a regular file is, for messages.
fn kind_of(file_type: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

impl Target {
    /// Resolves `-o PATH`: refuses anything but a new path or a regular
    /// file (directly or through symbolic links).
    fn resolve(path: Option<&Path>) -> Result<Self, Failure> {
        use std::os::unix::fs::PermissionsExt as _;
        let Some(shown) = path else {
            return Ok(Target::Stdout);
        };
        if shown == Path::new("-") || shown == Path::new("/dev/stdout") {
            return Ok(Target::Stdout);
        }
        let metadata = match fs::symlink_metadata(shown) {
            Ok(metadata) => Some(metadata),
            Err(error) if error.kind() == io::ErrorKind::NotFound => None,
            Err(error) => return Err(write_failure(shown, io_reason(&error))),
        };
        let (file, metadata) = match metadata {
            Some(link) if link.file_type().is_symlink() => {
                let file = fs::canonicalize(shown).map_err(|error| {
                    let reason = if error.kind() == io::ErrorKind::NotFound {
                        "it is a symbolic link to a file that does not exist".to_owned()
                    } else {
                        format!("cannot follow the symbolic link: {}", io_reason(&error))
                    };
                    write_failure(shown, reason)
                })?;
                let metadata =
                    fs::metadata(&file).map_err(|e| write_failure(shown, io_reason(&e)))?;
                (file, Some(metadata))
            }
            other => (shown.to_owned(), other),
        };
        let mode = match metadata {
            Some(metadata) if metadata.is_file() => Some(metadata.permissions().mode() & 0o7777),
            Some(metadata) => {
                let kind = kind_of(metadata.file_type());
                let advice = if metadata.is_dir() {
                    ""
                } else {
                    "; -o only creates or replaces regular files (write to stdout with -o - or a shell redirection instead)"
                };
                let through = if file == shown {
                    String::new()
                } else {
                    format!(" (through the symbolic link, {})", file.display())
                };
                return Err(write_failure(
                    shown,
                    format!("it is {kind}{through}{advice}"),
                ));
            }
            None => {
                let directory = directory_of(&file);
                if !directory.is_dir() {
                    return Err(write_failure(
                        shown,
                        format!("the directory {} does not exist", directory.display()),
                    ));
                }
                None
            }
        };
        Ok(Target::File {
            shown: shown.to_owned(),
            file,
            mode,
        })
    }
}

/// The directory a file is in (`.` for a bare file name).
fn directory_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// stdout, remembering whether its reader went away.
struct Stdout<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> Stdout<W> {
    fn watch<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        if let Err(error) = &result
            && error.kind() == io::ErrorKind::BrokenPipe
        {
            self.closed = true;
        }
        result
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.watch(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.watch(result)
    }
}

/// Writes output to stdout, or to a file atomically (a temporary file in
/// the same directory, then a rename): see the module's invariant.
pub fn write_output(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> CommandResult {
    use std::os::unix::fs::PermissionsExt as _;
    match Target::resolve(path)? {
        Target::Stdout => {
            let mut out = Stdout {
                inner: io::BufWriter::new(io::stdout().lock()),
                closed: false,
            };
            let written = write(&mut out).and_then(|()| Ok(out.flush()?));
            match written {
                // Whatever error the serializer made of it, a closed stdout is no failure.
                Err(_) if out.closed => Err(Failure::BrokenPipe),
                Err(error) => Err(Failure::from(error)),
                Ok(()) => Ok(()),
            }
        }
        Target::File { shown, file, mode } => {
            let temporary = tempfile::Builder::new()
                .prefix(".cyberkg-")
                .suffix(".tmp")
                .permissions(Permissions::from_mode(0o666))
                .tempfile_in(directory_of(&file))
                .map_err(|e| write_failure(&shown, io_reason(&e)))?;
            let mut out = io::BufWriter::new(temporary);
            write(&mut out).map_err(|e| write_failure(&shown, without_io_chain(&e)))?;
            let temporary = out
                .into_inner()
                .map_err(|e| write_failure(&shown, io_reason(e.error())))?;
            if let Some(mode) = mode {
                temporary
                    .as_file()
                    .set_permissions(Permissions::from_mode(mode))
                    .map_err(|e| write_failure(&shown, io_reason(&e)))?;
            }
            temporary
                .as_file()
                .sync_all()
                .map_err(|e| write_failure(&shown, io_reason(&e)))?;
            temporary
                .persist(&file)
                .map_err(|e| write_failure(&shown, io_reason(&e.error)))?;
            Ok(())
        }
    }
}

/// Which export writes an output directory, and so which earlier export
/// it may replace: each kind recognises its own by the index file that
/// names every file it wrote, and only its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportDirectory {
    /// `export --split-quads`, named by its `manifest.json`.
    SplitQuads,
    /// `export --format text`, named by its `metadata.csv`.
    Text,
}

impl ExportDirectory {
    /// The file that lists what the export wrote.
    fn index_name(self) -> &'static str {
        match self {
            ExportDirectory::SplitQuads => cyberkg::bulk::MANIFEST_NAME,
            ExportDirectory::Text => cyberkg::text_export::METADATA_NAME,
        }
    }

    /// The export's name in messages.
    fn what(self) -> &'static str {
        match self {
            ExportDirectory::SplitQuads => "split export",
            ExportDirectory::Text => "text export",
        }
    }

    /// The files an earlier export of this kind wrote, by its index file's
    /// text; `None` if the text is not such an index.
    fn owned_names(self, index: &str) -> Option<std::collections::BTreeSet<String>> {
        match self {
            ExportDirectory::SplitQuads => cyberkg::bulk::Manifest::parse(index)
                .map(|manifest| manifest.file_names().map(str::to_owned).collect()),
            ExportDirectory::Text => cyberkg::text_export::owned_file_names(index),
        }
    }
}

/// Writes a directory of files (a split or a text export) atomically:
/// `write` fills a new temporary directory beside `path`, which then takes
/// its place by a rename. `path` may be absent (its parent must exist), an
/// empty directory, or a directory (or a symbolic link to one) holding only
/// what an earlier export of the same `kind` wrote there, by its index file
/// (`manifest.json`, `metadata.csv`); anything else is refused and left
/// untouched. `write` gets the temporary directory and the absolute path
/// the files will have.
pub fn write_output_dir(
    path: &Path,
    kind: ExportDirectory,
    write: impl FnOnce(&Path, &Path) -> anyhow::Result<()>,
) -> CommandResult {
    use std::os::unix::fs::PermissionsExt as _;
    let target = resolve_output_dir(path, kind)?;
    let parent = directory_of(&target.directory);
    let failed = |error: &io::Error| write_failure(path, io_reason(error));
    let staging = tempfile::Builder::new()
        .prefix(".cyberkg-")
        .suffix(".tmp")
        .permissions(Permissions::from_mode(target.mode.unwrap_or(0o777)))
        .tempdir_in(&parent)
        .map_err(|e| failed(&e))?;
    if let Some(mode) = target.mode {
        fs::set_permissions(staging.path(), Permissions::from_mode(mode))
            .map_err(|e| failed(&e))?;
    }
    let absolute = fs::canonicalize(&parent)
        .map_err(|e| failed(&e))?
        .join(target.directory.file_name().unwrap_or_default());
    write(staging.path(), &absolute).map_err(|e| write_failure(path, without_io_chain(&e)))?;
    if target.replaces_files {
        // rename(2) replaces only an empty directory: move the old one
        // aside (onto an empty directory of our own), the new one in, then
        // remove the old; put it back if the second rename fails.
        let aside = tempfile::Builder::new()
            .prefix(".cyberkg-old-")
            .tempdir_in(&parent)
            .map_err(|e| failed(&e))?;
        fs::rename(&target.directory, aside.path()).map_err(|e| failed(&e))?;
        if let Err(error) = fs::rename(staging.path(), &target.directory) {
            let _ = fs::rename(aside.path(), &target.directory);
            return Err(failed(&error));
        }
        drop(aside);
    } else {
        fs::rename(staging.path(), &target.directory).map_err(|e| failed(&e))?;
    }
    let _ = staging.keep();
    Ok(())
}

/// Where `--output-dir` writes, resolved before anything is written.
struct OutputDir {
    /// The directory replaced or created (a symbolic link followed).
    directory: PathBuf,
    /// The mode of the directory replaced; `None` for a new one.
    mode: Option<u32>,
    /// Whether it holds files (of an earlier export) to replace.
    replaces_files: bool,
}

/// Resolves `--output-dir`: see [`write_output_dir`].
fn resolve_output_dir(shown: &Path, kind: ExportDirectory) -> Result<OutputDir, Failure> {
    use std::os::unix::fs::PermissionsExt as _;
    let metadata = match fs::metadata(shown) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(shown).is_ok() {
                return Err(write_failure(
                    shown,
                    "it is a symbolic link to a directory that does not exist",
                ));
            }
            let parent = directory_of(shown);
            if !parent.is_dir() {
                return Err(write_failure(
                    shown,
                    format!("the directory {} does not exist", parent.display()),
                ));
            }
            return Ok(OutputDir {
                directory: shown.to_owned(),
                mode: None,
                replaces_files: false,
            });
        }
        Err(error) => return Err(write_failure(shown, io_reason(&error))),
    };
    if !metadata.is_dir() {
        return Err(write_failure(
            shown,
            format!(
                "it is {}; --output-dir needs a new or empty directory, or an earlier {}",
                if metadata.is_file() {
                    "a regular file"
                } else {
                    kind_of(metadata.file_type())
                },
                kind.what()
            ),
        ));
    }
    let directory = fs::canonicalize(shown).map_err(|e| write_failure(shown, io_reason(&e)))?;
    let mut names = Vec::new();
    for entry in fs::read_dir(&directory).map_err(|e| write_failure(shown, io_reason(&e)))? {
        let entry = entry.map_err(|e| write_failure(shown, io_reason(&e)))?;
        names.push(entry.file_name());
    }
    names.sort();
    let mode = Some(metadata.permissions().mode() & 0o7777);
    if names.is_empty() {
        return Ok(OutputDir {
            directory,
            mode,
            replaces_files: false,
        });
    }
    let owned = fs::read_to_string(directory.join(kind.index_name()))
        .ok()
        .and_then(|text| kind.owned_names(&text))
        .ok_or_else(|| {
            write_failure(
                shown,
                format!(
                    "it is not empty and holds no {} of an earlier cyberkg {}; give a new or empty directory",
                    kind.index_name(),
                    kind.what()
                ),
            )
        })?;
    for name in &names {
        let regular = fs::symlink_metadata(directory.join(name)).is_ok_and(|m| m.is_file());
        if !regular || !name.to_str().is_some_and(|name| owned.contains(name)) {
            return Err(write_failure(
                shown,
                format!(
                    "it holds {}, which the earlier export's {} does not name; remove it or give a new or empty directory",
                    name.to_string_lossy(),
                    kind.index_name()
                ),
            ));
        }
    }
    Ok(OutputDir {
        directory,
        mode,
        replaces_files: true,
    })
}

/// Refuses to send `format` (a binary format such as XLSX) to stdout when
/// stdout is a terminal, before any work: its bytes would garble the
/// screen. A pipe or a redirection is fine.
pub fn refuse_binary_on_terminal(path: Option<&Path>, format: &str) -> Result<(), Failure> {
    let to_stdout = path.is_none_or(|p| p == Path::new("-") || p == Path::new("/dev/stdout"));
    if to_stdout && io::stdout().is_terminal() {
        return Err(Failure::Usage(format!(
            "{format} is binary and stdout is a terminal; write it to a file with -o FILE.{} (or redirect stdout)",
            format.to_ascii_lowercase()
        )));
    }
    Ok(())
}

/// A writer's error as one line: its message, with an I/O cause in the
/// operating system's words (and never a temporary path).
fn without_io_chain(error: &anyhow::Error) -> String {
    let mut line = error.to_string();
    if let Some(io_error) = error.chain().find_map(|c| c.downcast_ref::<io::Error>()) {
        let reason = io_reason(io_error);
        if !line.contains(&reason) {
            line.push_str(": ");
            line.push_str(&reason);
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_reasons_never_show_the_temporary_path() {
        let full = io::Error::from_raw_os_error(28);
        assert_eq!(io_reason(&full), "No space left on device (os error 28)");
        // How tempfile reports a failure to create its file.
        let created = io::Error::new(
            io::ErrorKind::StorageFull,
            "No space left on device at path \"/data/.cyberkg-Ab12Cd.tmp\"",
        );
        assert_eq!(io_reason(&created), "No space left on device");
    }

    #[test]
    fn a_full_disk_is_a_failure_naming_the_users_path_and_leaves_nothing() {
        let directory = tempfile::tempdir().map_err(|e| e.to_string());
        let Ok(directory) = directory else {
            panic!("{directory:?}");
        };
        let path = directory.path().join("graph.nt");
        let result = write_output(Some(&path), |out| {
            out.write_all(b"<a> <b> <c> .\n")?;
            Err(anyhow::Error::new(io::Error::from_raw_os_error(28))
                .context("cannot write the export"))
        });
        let message = match result {
            Err(Failure::Runtime(error)) => error.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(
            message,
            format!(
                "cannot write {}: cannot write the export: No space left on device (os error 28)",
                path.display()
            )
        );
        let left: Vec<_> = fs::read_dir(directory.path())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.file_name())
                    .collect()
            })
            .unwrap_or_default();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn targets_are_resolved_before_writing() {
        assert_eq!(Target::resolve(None).ok(), Some(Target::Stdout));
        assert_eq!(
            Target::resolve(Some(Path::new("-"))).ok(),
            Some(Target::Stdout)
        );
        assert_eq!(
            Target::resolve(Some(Path::new("/dev/stdout"))).ok(),
            Some(Target::Stdout)
        );
        let message = match Target::resolve(Some(Path::new("/dev/null"))) {
            Err(failure) => failure.to_string(),
            Ok(target) => format!("{target:?}"),
        };
        assert_eq!(
            message,
            "cannot write /dev/null: it is a character device; -o only creates or replaces regular files (write to stdout with -o - or a shell redirection instead)"
        );
    }
}

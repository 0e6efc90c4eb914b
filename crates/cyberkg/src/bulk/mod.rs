//! Bulk files for other engines: the store as numbered N-Quads files (gzip
//! or plain), a manifest, and each engine's loading recipe.
//!
//! Big engines load many files in parallel with their own bulk loaders, so
//! `cyberkg export --split-quads N` hands them files of at most N quads
//! each, every one valid N-Quads on its own (a file is a sequence of whole
//! lines; each quad carries its graph). The quads come in the order of
//! `cyberkg export --format nquads` through an external merge sort
//! ([`sort`]), so memory stays bounded whatever the store's size, and the
//! files decompressed and concatenated are that export byte for byte.
//!
//! Invariant: the same store content (in memory or on disk, run after run)
//! gives byte-identical files and manifest: fixed file names, a fixed gzip
//! header (no time, no file name, "unknown" system) and compression level,
//! no timestamps, and graph counts in the files' order. The recipes
//! ([`recipes`]) name the directory the files will be read from, so they
//! are left out of that promise and of the manifest's hashes.

pub mod recipes;
mod sort;

pub use recipes::Engine;

use crate::export::serializer;
use crate::format::ExportFormat;
use flate2::GzBuilder;
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad};
use oxigraph::store::Store;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::num::NonZeroU64;
use std::path::Path;

/// The manifest's file name in the output directory.
pub const MANIFEST_NAME: &str = "manifest.json";

/// The gzip level: fixed, so that the bytes are too (zlib's default).
const GZIP_LEVEL: u32 = 6;

/// The memory a sort run may hold by default (estimated): 256 MiB.
pub const DEFAULT_RUN_BUDGET: usize = 256 << 20;

/// How the files are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// gzip (`.nq.gz`), level 6, a header without time or name.
    Gzip,
    /// Plain N-Quads (`.nq`).
    None,
}

impl Compression {
    /// The files' extension.
    pub fn extension(self) -> &'static str {
        match self {
            Compression::Gzip => "nq.gz",
            Compression::None => "nq",
        }
    }
}

/// What a split export wrote: `manifest.json`, also read back to tell which
/// files of a directory an earlier export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `cyberkg VERSION`: a manifest cyberkg wrote.
    pub generator: String,
    /// The files' media type, `application/n-quads`.
    pub media_type: String,
    /// `gzip` or `none`.
    pub compression: Compression,
    /// The most quads in one file.
    pub quads_per_file: u64,
    /// All quads, in all files.
    pub quads: u64,
    /// The files, in order.
    pub files: Vec<FileEntry>,
    /// Quads per graph, in the files' order; `graph` is `null` for the default graph.
    pub graphs: Vec<GraphEntry>,
    /// The loading recipes written beside the files.
    #[serde(default)]
    pub recipes: Vec<RecipeEntry>,
}

/// One data file of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Its name in the directory.
    pub name: String,
    /// How many quads it holds.
    pub quads: u64,
    /// Its size on disk.
    pub bytes: u64,
    /// The SHA-256 of its bytes on disk (as `sha256sum` prints it).
    pub sha256: String,
}

/// The quads of one graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEntry {
    /// The graph's IRI, or `None` for the default graph.
    pub graph: Option<String>,
    /// Its quads.
    pub quads: u64,
}

/// One recipe file of a [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipeEntry {
    /// The engine it is for.
    pub engine: Engine,
    /// Its files in the directory.
    pub files: Vec<String>,
}

impl Manifest {
    /// Every file name the export wrote, the manifest's own included.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .map(|file| file.name.as_str())
            .chain(
                self.recipes
                    .iter()
                    .flat_map(|recipe| recipe.files.iter().map(String::as_str)),
            )
            .chain(std::iter::once(MANIFEST_NAME))
    }

    /// Reads a manifest; `None` when the text is not one cyberkg wrote.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str::<Self>(text)
            .ok()
            .filter(|manifest| manifest.generator.starts_with("cyberkg "))
    }
}

/// Why a split export failed.
#[derive(Debug, thiserror::Error)]
pub enum BulkError {
    /// Reading the store failed.
    #[error("cannot read the store: {0}")]
    Storage(#[source] oxigraph::store::StorageError),
    /// Writing a file failed.
    #[error("cannot write {name}: {source}")]
    Write {
        /// The file, by its name in the directory.
        name: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A temporary run of the sort could not be written or read back.
    #[error("cannot write or read back a temporary sort run: {0}")]
    Spill(#[source] std::io::Error),
}

/// A split export: numbered N-Quads files of at most N quads, a manifest
/// and recipes, in the order and bytes the module's invariant promises.
#[derive(Debug, Clone)]
pub struct SplitExport {
    quads_per_file: NonZeroU64,
    compression: Compression,
    graph: Option<NamedNode>,
    engines: Vec<Engine>,
    run_budget: usize,
}

impl SplitExport {
    /// Files of at most `quads_per_file` quads, gzip, every graph, no recipe.
    pub fn new(quads_per_file: NonZeroU64) -> Self {
        Self {
            quads_per_file,
            compression: Compression::Gzip,
            graph: None,
            engines: Vec::new(),
            run_budget: DEFAULT_RUN_BUDGET,
        }
    }

    /// Compresses the files so.
    #[must_use]
    pub fn with_compression(mut self, compression: Compression) -> Self {
        self.compression = compression;
        self
    }

    /// Exports only this graph.
    #[must_use]
    pub fn with_graph(mut self, graph: Option<NamedNode>) -> Self {
        self.graph = graph;
        self
    }

    /// Adds the loading recipes of these engines (each once, in this order).
    #[must_use]
    pub fn with_engines(mut self, engines: &[Engine]) -> Self {
        for engine in engines {
            if !self.engines.contains(engine) {
                self.engines.push(*engine);
            }
        }
        self
    }

    /// The memory (estimated bytes of quads) one sort run may hold; smaller
    /// budgets spill more runs to temporary files. The bytes written do not
    /// depend on it.
    #[must_use]
    pub fn with_run_budget(mut self, bytes: usize) -> Self {
        self.run_budget = bytes.max(1);
        self
    }

    /// Writes the files, the recipes and the manifest into `directory`,
    /// which should be empty (sort runs spill there too, unnamed).
    /// `loading_directory` is where the engines will read the files from,
    /// named in the recipes (usually `directory` itself, or where the
    /// files will be once `directory` is renamed).
    pub fn write(
        &self,
        store: &Store,
        directory: &Path,
        loading_directory: &Path,
    ) -> Result<Manifest, BulkError> {
        let graph = self
            .graph
            .as_ref()
            .map(|g| GraphNameRef::NamedNode(g.as_ref()));
        let quads = store
            .quads_for_pattern(None, None, None, graph)
            .map(|quad| quad.map_err(BulkError::Storage));
        let sorted = sort::sorted(quads, self.run_budget, directory)?;
        let mut manifest = Manifest {
            generator: format!("cyberkg {}", env!("CARGO_PKG_VERSION")),
            media_type: "application/n-quads".to_owned(),
            compression: self.compression,
            quads_per_file: self.quads_per_file.get(),
            quads: 0,
            files: Vec::new(),
            graphs: Vec::new(),
            recipes: Vec::new(),
        };
        let mut part: Option<Part> = None;
        let mut graph: Option<GraphName> = None;
        for quad in sorted {
            let quad = quad?;
            if graph.as_ref() != Some(&quad.graph_name) {
                manifest.graphs.push(GraphEntry {
                    graph: match &quad.graph_name {
                        GraphName::DefaultGraph => None,
                        GraphName::NamedNode(node) => Some(node.as_str().to_owned()),
                        GraphName::BlankNode(node) => Some(format!("_:{}", node.as_str())),
                    },
                    quads: 0,
                });
                graph = Some(quad.graph_name.clone());
            }
            if let Some(entry) = manifest.graphs.last_mut() {
                entry.quads += 1;
            }
            let full = part
                .as_ref()
                .is_some_and(|part| part.quads == self.quads_per_file.get());
            if full && let Some(done) = part.take() {
                manifest.files.push(done.finish()?);
            }
            let current = match &mut part {
                Some(current) => current,
                None => part.insert(Part::create(
                    directory,
                    manifest.files.len() + 1,
                    self.compression,
                )?),
            };
            current.write(&quad)?;
            manifest.quads += 1;
        }
        if let Some(done) = part.take() {
            manifest.files.push(done.finish()?);
        }
        for engine in &self.engines {
            let written = recipes::write(*engine, &manifest, directory, loading_directory)?;
            manifest.recipes.push(written);
        }
        write_file(directory, MANIFEST_NAME, |out| {
            serde_json::to_writer_pretty(&mut *out, &manifest)?;
            out.write_all(b"\n")
        })?;
        Ok(manifest)
    }
}

/// `cyberkg-00001.nq.gz`: numbered from 1, five digits (more past 99,999).
pub fn file_name(number: usize, compression: Compression) -> String {
    format!("cyberkg-{number:05}.{}", compression.extension())
}

/// Writes `name` in `directory` through `write`, naming it in any error.
pub(crate) fn write_file(
    directory: &Path,
    name: &str,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), BulkError> {
    let failed = |source| BulkError::Write {
        name: name.to_owned(),
        source,
    };
    let mut out = BufWriter::new(File::create(directory.join(name)).map_err(failed)?);
    write(&mut out).map_err(failed)?;
    out.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|file| file.sync_all())
        .map_err(failed)
}

/// A writer that hashes and counts what passes through it.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hash.update(&buf[..written]);
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A file's bytes on their way to disk: compressed or not. The encoder is
/// boxed: with flate2's zlib-rs backend (which rust_xlsxwriter's zip turns
/// on for the whole build) it is several times the size of the plain writer.
enum Sink {
    Gzip(Box<flate2::write::GzEncoder<Hashing<BufWriter<File>>>>),
    Plain(Hashing<BufWriter<File>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Gzip(out) => out.write(buf),
            Sink::Plain(out) => out.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Gzip(out) => out.flush(),
            Sink::Plain(out) => out.flush(),
        }
    }
}

/// One data file being written.
struct Part {
    name: String,
    quads: u64,
    out: oxigraph::io::WriterQuadSerializer<Sink>,
}

impl Part {
    fn create(
        directory: &Path,
        number: usize,
        compression: Compression,
    ) -> Result<Self, BulkError> {
        let name = file_name(number, compression);
        let file = File::create(directory.join(&name)).map_err(|source| BulkError::Write {
            name: name.clone(),
            source,
        })?;
        let hashing = Hashing {
            inner: BufWriter::new(file),
            hash: Sha256::new(),
            bytes: 0,
        };
        let sink = match compression {
            // No time, no file name, "unknown" operating system: the bytes
            // depend only on the quads.
            Compression::Gzip => Sink::Gzip(Box::new(
                GzBuilder::new()
                    .mtime(0)
                    .operating_system(255)
                    .write(hashing, flate2::Compression::new(GZIP_LEVEL)),
            )),
            Compression::None => Sink::Plain(hashing),
        };
        Ok(Self {
            name,
            quads: 0,
            out: serializer(ExportFormat::NQuads).for_writer(sink),
        })
    }

    fn write(&mut self, quad: &Quad) -> Result<(), BulkError> {
        self.out
            .serialize_quad(quad)
            .map_err(|source| BulkError::Write {
                name: self.name.clone(),
                source,
            })?;
        self.quads += 1;
        Ok(())
    }

    fn finish(self) -> Result<FileEntry, BulkError> {
        let failed = |source| BulkError::Write {
            name: self.name.clone(),
            source,
        };
        let hashing = match self.out.finish().map_err(failed)? {
            Sink::Gzip(encoder) => encoder.finish().map_err(failed)?,
            Sink::Plain(hashing) => hashing,
        };
        let Hashing {
            inner, hash, bytes, ..
        } = hashing;
        inner
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .map_err(failed)?;
        Ok(FileEntry {
            name: self.name.clone(),
            quads: self.quads,
            bytes,
            sha256: crate::corpus::hex(&hash.finalize()),
        })
    }
}

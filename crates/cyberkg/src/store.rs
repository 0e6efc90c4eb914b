//! The Oxigraph store: the only place that opens one.
//!
//! In memory by default (`Store::new`), on disk with `--location DIR`
//! (Oxigraph's RocksDB backend, behind the `rocksdb` cargo feature). A build
//! replaces the graphs of earlier builds and its own, then bulk-loads its
//! quads chunk by chunk, by value ([`Loader`]), so a rebuilt store holds exactly one build, beside the graphs
//! added with `cyberkg load`, which stay. Storage failures become
//! one-sentence [`StoreError`]s that name the directory: above all, a store
//! held by another process.

use oxigraph::model::{NamedNode, Quad};
use oxigraph::store::{StorageError, Store};
use std::path::{Path, PathBuf};

/// Why a store could not be opened or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the store's lock.
    #[error("the store at {} is in use by another process (for example a running `cyberkg serve` or `oxigraph serve`); stop it or use another --location", .path.display())]
    Locked {
        /// The store directory.
        path: PathBuf,
    },
    /// `--location` names something that is not a store directory.
    #[error("cannot open a store at {}: {reason}", .path.display())]
    NotAStore {
        /// The path given.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A read needs data that is not there.
    #[error("the store at {} holds no cyberkg graph; run `cyberkg build --location {}` first", .path.display(), .path.display())]
    Empty {
        /// The store directory.
        path: PathBuf,
    },
    /// This binary was built without the on-disk store.
    #[error(
        "this cyberkg was built without the on-disk store, so --location is unavailable; rebuild with `cargo build --release --features rocksdb` (needs libclang-dev), or leave out --location to use the in-memory store"
    )]
    NoDiskSupport,
    /// Any other storage failure.
    #[error("store error at {location}: {error}")]
    Storage {
        /// Where (a directory or "memory").
        location: String,
        /// What Oxigraph said.
        #[source]
        error: StorageError,
    },
}

/// Where a store lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A fresh in-memory store.
    Memory,
    /// A RocksDB directory.
    Disk(PathBuf),
}

impl Location {
    /// From the optional `--location` flag.
    pub fn from_flag(path: Option<&Path>) -> Self {
        path.map_or(Location::Memory, |p| Location::Disk(p.to_owned()))
    }

    fn describe(&self) -> String {
        match self {
            Location::Memory => "memory".to_owned(),
            Location::Disk(path) => path.display().to_string(),
        }
    }

    /// A storage failure at this location, as a [`StoreError`].
    pub fn storage_error(&self, error: StorageError) -> StoreError {
        let text = error.to_string();
        match self {
            Location::Disk(path) if is_lock_error(&text) => {
                StoreError::Locked { path: path.clone() }
            }
            Location::Disk(path)
                if text.contains("Not a directory") || text.contains("File exists") =>
            {
                StoreError::NotAStore {
                    path: path.clone(),
                    reason: "it is a file, not a directory".to_owned(),
                }
            }
            _ => StoreError::Storage {
                location: self.describe(),
                error,
            },
        }
    }
}

/// Whether a RocksDB error text says that the LOCK file is held.
fn is_lock_error(text: &str) -> bool {
    let text = text.to_lowercase();
    text.contains("lock")
        && (text.contains("resource temporarily unavailable")
            || text.contains("hold")
            || text.contains("already"))
}

/// Opens a store for writing (creating a disk store if needed).
pub fn open(location: &Location) -> Result<Store, StoreError> {
    match location {
        Location::Memory => Store::new().map_err(|error| location.storage_error(error)),
        Location::Disk(path) => open_disk(location, path),
    }
}

#[cfg(feature = "rocksdb")]
fn open_disk(location: &Location, path: &Path) -> Result<Store, StoreError> {
    if path.is_file() {
        return Err(StoreError::NotAStore {
            path: path.to_owned(),
            reason: "it is a file, not a directory".to_owned(),
        });
    }
    // RocksDB would silently write its files among whatever a directory holds.
    let holds_other_files = path.is_dir()
        && !path.join("CURRENT").is_file()
        && std::fs::read_dir(path).is_ok_and(|mut entries| entries.next().is_some());
    if holds_other_files {
        return Err(StoreError::NotAStore {
            path: path.to_owned(),
            reason: "the directory holds other files and no store; use a new or empty directory"
                .to_owned(),
        });
    }
    Store::open(path).map_err(|error| location.storage_error(error))
}

#[cfg(not(feature = "rocksdb"))]
fn open_disk(_: &Location, _: &Path) -> Result<Store, StoreError> {
    Err(StoreError::NoDiskSupport)
}

/// Opens an on-disk store read-only, beside a process that may write it
/// (a SPARQL worker of `serve --location`): it sees the store as it was
/// when opened.
#[cfg(feature = "rocksdb")]
pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
    Store::open_read_only(path)
        .map_err(|error| Location::Disk(path.to_owned()).storage_error(error))
}

/// Without the `rocksdb` feature there is no on-disk store to open.
#[cfg(not(feature = "rocksdb"))]
pub fn open_read_only(_: &Path) -> Result<Store, StoreError> {
    Err(StoreError::NoDiskSupport)
}

/// Opens an existing store for reading; a disk store must already hold a build.
pub fn open_existing(location: &Location) -> Result<Store, StoreError> {
    if let Location::Disk(path) = location
        && path.is_file()
    {
        return Err(StoreError::NotAStore {
            path: path.clone(),
            reason: "it is a file, not a directory".to_owned(),
        });
    }
    if let Location::Disk(path) = location
        && !path.join("CURRENT").is_file()
    {
        if cfg!(not(feature = "rocksdb")) {
            return Err(StoreError::NoDiskSupport);
        }
        return Err(StoreError::Empty { path: path.clone() });
    }
    let store = open(location)?;
    if let Location::Disk(path) = location
        && store
            .is_empty()
            .map_err(|error| location.storage_error(error))?
    {
        return Err(StoreError::Empty { path: path.clone() });
    }
    Ok(store)
}

/// Empties `graphs` (the graphs of earlier builds and of this one), then
/// bulk-loads `quads`; every other graph of the store is left as it was.
pub fn replace_graphs(
    store: &Store,
    location: &Location,
    graphs: &[NamedNode],
    quads: Vec<Quad>,
) -> Result<(), StoreError> {
    let mut loader = Loader::replacing(store, location, graphs)?;
    loader.add(quads)?;
    loader.finish()
}

/// Quads on their way into a store through Oxigraph's bulk loader, handed
/// over by value (never cloned), chunk after chunk.
///
/// In memory each chunk is inserted at once, so nothing waits in a
/// buffer; on disk chunks are gathered into batches of up to
/// [`DISK_BATCH`] quads, because each batch becomes a set of RocksDB
/// files. Either way the memory a load needs is bounded by a chunk or a
/// batch, not by the whole graph. Nothing is visible in the store before
/// [`Loader::finish`].
pub struct Loader<'a> {
    store: &'a Store,
    location: &'a Location,
    loader: oxigraph::store::BulkLoader<'a>,
    pending: Vec<Quad>,
    batch: usize,
}

/// The most quads a disk load gathers before writing them: Oxigraph's
/// own batch size for its bulk loader.
pub const DISK_BATCH: usize = 1_000_000;

impl<'a> Loader<'a> {
    /// Empties `graphs` (the graphs of earlier builds and of this one) and
    /// starts a bulk load; every other graph of the store is left as it was.
    pub fn replacing(
        store: &'a Store,
        location: &'a Location,
        graphs: &[NamedNode],
    ) -> Result<Self, StoreError> {
        for graph in graphs {
            store
                .clear_graph(graph)
                .map_err(|error| location.storage_error(error))?;
        }
        Ok(Self {
            store,
            location,
            loader: store.bulk_loader(),
            pending: Vec::new(),
            batch: match location {
                Location::Memory => 0,
                Location::Disk(_) => DISK_BATCH,
            },
        })
    }

    /// Hands `quads` to the bulk loader (at once in memory, in batches on disk).
    pub fn add(&mut self, quads: Vec<Quad>) -> Result<(), StoreError> {
        if self.batch == 0 {
            return self.load(quads);
        }
        if self.pending.is_empty() {
            self.pending = quads;
        } else {
            self.pending.extend(quads);
        }
        if self.pending.len() >= self.batch {
            let batch = std::mem::take(&mut self.pending);
            self.load(batch)?;
        }
        Ok(())
    }

    fn load(&mut self, quads: Vec<Quad>) -> Result<(), StoreError> {
        let location = self.location;
        self.loader
            .load_quads(quads)
            .map_err(|error| location.storage_error(error))
    }

    /// Loads what is left, commits the load and flushes a disk store.
    pub fn finish(mut self) -> Result<(), StoreError> {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.load(rest)?;
        }
        let location = self.location;
        self.loader
            .commit()
            .map_err(|error| location.storage_error(error))?;
        flush(self.store, location)
    }
}

#[cfg(feature = "rocksdb")]
fn flush(store: &Store, location: &Location) -> Result<(), StoreError> {
    store.flush().map_err(|error| location.storage_error(error))
}

#[cfg(not(feature = "rocksdb"))]
fn flush(_: &Store, _: &Location) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_errors_are_recognised() {
        assert!(is_lock_error(
            "IO error: While lock file: /tmp/x/LOCK: Resource temporarily unavailable"
        ));
        assert!(is_lock_error(
            "IO error: lock hold by current process, acquire time 1 acquiring thread 2: /tmp/x/LOCK: No locks available"
        ));
        assert!(!is_lock_error("IO error: No such file or directory"));
    }

    #[test]
    fn replacing_graphs_leaves_the_others_alone() -> Result<(), StoreError> {
        use oxigraph::model::{GraphName, Literal};
        let store = open(&Location::Memory)?;
        let node = |iri: &str| NamedNode::new_unchecked(format!("http://example.org/{iri}"));
        let quad = |value: &str, graph: &str| {
            Quad::new(
                node("s"),
                node("p"),
                Literal::new_simple_literal(value),
                GraphName::NamedNode(node(graph)),
            )
        };
        let location = Location::Memory;
        let rebuild = || {
            replace_graphs(
                &store,
                &location,
                &[node("built")],
                vec![quad("new", "built")],
            )
        };
        replace_graphs(
            &store,
            &location,
            &[],
            vec![quad("old", "built"), quad("kept", "loaded")],
        )?;
        rebuild()?;
        let mut held: Vec<String> = store
            .iter()
            .filter_map(Result::ok)
            .map(|q| q.to_string())
            .collect();
        held.sort();
        assert_eq!(
            held,
            [
                "<http://example.org/s> <http://example.org/p> \"kept\" <http://example.org/loaded>",
                "<http://example.org/s> <http://example.org/p> \"new\" <http://example.org/built>",
            ]
        );
        // The same quads twice: still one copy.
        rebuild()?;
        assert_eq!(store.len().ok(), Some(2));
        Ok(())
    }
}

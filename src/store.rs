//! The Oxigraph store: the only place that opens one.
//!
//! In memory by default (`Store::new`), on disk with `--location DIR`
//! (Oxigraph's RocksDB backend, behind the `rocksdb` cargo feature). Loading
//! replaces the store's whole content in one bulk load (graphs added with
//! `cyberkg load` included), so a rebuilt store holds
//! exactly one build. Storage failures become one-sentence [`StoreError`]s
//! that name the directory: above all, a store held by another process.

use oxigraph::model::Quad;
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

    fn storage_error(&self, error: StorageError) -> StoreError {
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

/// Replaces the store's whole content with `quads` (external graphs added
/// with `cyberkg load` are removed too).
pub fn replace_all(store: &Store, location: &Location, quads: &[Quad]) -> Result<(), StoreError> {
    store
        .clear()
        .map_err(|error| location.storage_error(error))?;
    let mut loader = store.bulk_loader();
    loader
        .load_quads(quads.iter().cloned())
        .map_err(|error| location.storage_error(error))?;
    loader
        .commit()
        .map_err(|error| location.storage_error(error))?;
    flush(store, location)
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
    fn memory_store_round_trip() -> Result<(), StoreError> {
        let store = open(&Location::Memory)?;
        let quad = oxigraph::model::Quad::new(
            oxigraph::model::NamedNode::new_unchecked("http://example.org/s"),
            oxigraph::model::NamedNode::new_unchecked("http://example.org/p"),
            oxigraph::model::Literal::new_simple_literal("o"),
            oxigraph::model::GraphName::DefaultGraph,
        );
        replace_all(&store, &Location::Memory, std::slice::from_ref(&quad))?;
        replace_all(&store, &Location::Memory, std::slice::from_ref(&quad))?;
        assert_eq!(store.len().ok(), Some(1));
        Ok(())
    }
}

//! `cyberkg hash`: the SHA-256 of the graph's RDFC-1.0 canonical N-Quads.
//!
//! One line, `sha256:<hex> (RDFC-1.0 canonical N-Quads, N quads)`, whose
//! first word is stable across runs, machines and backends: it names the
//! dataset, not a serialization of it (see [`cyberkg::canonical`]).

use super::failure::CommandResult;
use super::output::write_output;
use super::stores::{reading_store, store_label};
use crate::cli::HashArgs;
use anyhow::Context as _;
use cyberkg::canonical::CanonicalNQuads;

/// Runs `cyberkg hash`.
pub fn run(args: HashArgs) -> CommandResult {
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let canonical = CanonicalNQuads::from_store(&store, None).with_context(|| {
        format!(
            "cannot read {}",
            store_label(args.store.location.as_deref())
        )
    })?;
    write_output(None, |out| {
        writeln!(out, "{}", canonical.summary())?;
        Ok(())
    })
}

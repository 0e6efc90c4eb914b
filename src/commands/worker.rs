//! The hidden `sparql-worker`: one of `serve`'s query-evaluating processes
//! (see `cyberkg_server::worker`). It opens its store as told and hands
//! over to the server crate's worker loop.

use super::failure::{CommandResult, Failure};
use crate::cli::WorkerArgs;
use cyberkg_server::worker::{WorkerOptions, WorkerStore, run_worker};
use std::time::Duration;

/// Runs a worker until the server closes its standard input.
pub fn run(args: WorkerArgs) -> CommandResult {
    let store = match &args.location {
        Some(path) => WorkerStore::Opened(
            cyberkg::store::open_read_only(path).map_err(|e| Failure::Runtime(e.into()))?,
        ),
        None => WorkerStore::Snapshot,
    };
    run_worker(WorkerOptions {
        store,
        max_query_memory: args.max_query_memory_mb.map(|mib| mib << 20),
        services: cyberkg::sparql::Services::allowing(
            args.services.allow_service,
            Duration::from_secs(args.service_timeout_s),
        ),
    })
    .map_err(|why| Failure::Runtime(anyhow::anyhow!(why)))
}

//! `cyberkg serve`: validate the flags, open the store, serve it until stopped.

use super::failure::{CommandResult, Failure};
use super::stores::reading_store;
use crate::cli::ServeArgs;
use anyhow::Context as _;
use cyberkg_server::worker::{Pool, WorkerCommand};
use cyberkg_server::{App, Limits, MAX_BODY_BYTES, ServeConfig};
use oxigraph::store::Store;
use std::ffi::OsString;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

/// The addresses of `--bind`.
fn addresses(bind: &str) -> Result<Vec<SocketAddr>, Failure> {
    let addresses: Vec<SocketAddr> = bind
        .to_socket_addrs()
        .map_err(|e| {
            Failure::Usage(format!(
                "invalid --bind '{bind}': {e} (expected ADDRESS:PORT, e.g. 127.0.0.1:7878)"
            ))
        })?
        .collect();
    if addresses.is_empty() {
        return Err(Failure::Usage(format!(
            "invalid --bind '{bind}': it names no address"
        )));
    }
    Ok(addresses)
}

/// Starts the worker processes queries run in: this same binary's hidden
/// `sparql-worker`, given the store (a snapshot, or the directory to open
/// read-only), the memory budget and the `SERVICE` policy.
fn start_workers(args: &ServeArgs, store: &Store) -> Result<Pool, Failure> {
    let program = std::env::current_exe()
        .context("cannot find this program's path to start its SPARQL workers")?;
    let mut worker_args: Vec<OsString> = vec![
        "sparql-worker".into(),
        "--max-query-memory-mb".into(),
        args.max_query_memory_mb.to_string().into(),
        "--service-timeout-s".into(),
        args.timeout_s.to_string().into(),
    ];
    if let Some(location) = &args.store.location {
        worker_args.push("--location".into());
        worker_args.push(location.clone().into_os_string());
    }
    for host in &args.services.allow_service {
        worker_args.push("--allow-service".into());
        worker_args.push(host.to_string().into());
    }
    let size = args.workers.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .max(2)
    });
    let command = WorkerCommand {
        program,
        args: worker_args,
        snapshot: args.store.location.is_none(),
    };
    Pool::start(command, store, size, MAX_QUEUED)
        .map_err(|why| Failure::Runtime(anyhow::anyhow!("cannot start the SPARQL workers: {why}")))
}

/// At most this many queries wait for a worker; more get a 503 at once.
const MAX_QUEUED: usize = 512;

/// Runs `cyberkg serve`.
pub fn run(args: ServeArgs) -> CommandResult {
    let addresses = addresses(&args.bind)?;
    if args.timeout_s == 0 {
        return Err(Failure::Usage(
            "--timeout-s must be at least 1 (second)".to_owned(),
        ));
    }
    if args.max_rows == 0 {
        return Err(Failure::Usage("--max-rows must be at least 1".to_owned()));
    }
    if args.workers == Some(0) {
        return Err(Failure::Usage("--workers must be at least 1".to_owned()));
    }
    if args.max_query_memory_mb == 0 {
        return Err(Failure::Usage(
            "--max-query-memory-mb must be at least 1 (MiB)".to_owned(),
        ));
    }
    if args.max_connections == 0 {
        return Err(Failure::Usage(
            "--max-connections must be at least 1".to_owned(),
        ));
    }
    if args.request_timeout_s == 0 {
        return Err(Failure::Usage(
            "--request-timeout-s must be at least 1 (second)".to_owned(),
        ));
    }
    let limits = Limits {
        max_connections: args.max_connections,
        header_timeout: Duration::from_secs(args.request_timeout_s),
        body_timeout: Duration::from_secs(args.request_timeout_s),
    };
    let config = ServeConfig {
        timeout: Duration::from_secs(args.timeout_s),
        max_rows: args.max_rows,
        max_body_bytes: MAX_BODY_BYTES,
        writable: args.writable,
        cors: args.cors,
        services: cyberkg::sparql::Services::allowing(
            args.services.allow_service.clone(),
            Duration::from_secs(args.timeout_s),
        ),
        queue_wait: Duration::from_secs(args.queue_wait_s),
        ..ServeConfig::default()
    };
    let store = reading_store(args.store.location.as_deref(), &args.corpus)?;
    let pool = start_workers(&args, &store)?;
    let workers = pool.size();
    let app = App::new(store, config)
        .map_err(|e| Failure::Runtime(e.into()))?
        .with_workers(pool);
    let base = app.base().to_owned();
    let mut mode = if args.writable {
        "writable".to_owned()
    } else {
        "read-only".to_owned()
    };
    if !args.services.allow_service.is_empty() {
        let hosts: Vec<String> = args
            .services
            .allow_service
            .iter()
            .map(ToString::to_string)
            .collect();
        mode.push_str(&format!("; SERVICE calls to {}", hosts.join(", ")));
    }
    mode.push_str(&format!("; queries in {workers} worker processes"));
    let bind = args.bind.clone();
    cyberkg_server::run(app, &addresses, limits, || {
        let shown: Vec<String> = addresses.iter().map(|a| format!("http://{a}/")).collect();
        eprintln!(
            "cyberkg: serving <{base}> at {} ({mode}; SPARQL at /query); stop with Ctrl-C",
            shown.join(" and ")
        );
    })
    .with_context(|| format!("cannot listen on {bind}"))
    .map_err(Failure::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses_are_checked() {
        assert_eq!(
            addresses("127.0.0.1:7878").ok(),
            Some(vec![SocketAddr::from(([127, 0, 0, 1], 7878))])
        );
        for bad in ["127.0.0.1", "nowhere:port", ":"] {
            let error = addresses(bad)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                error.starts_with(&format!("invalid --bind '{bad}': ")),
                "{error}"
            );
        }
    }
}

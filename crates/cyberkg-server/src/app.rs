//! The server's state and configuration, below every handler: the store,
//! the base its IRIs are under, the limits and opt-ins.

use crate::error::ServeError;
use crate::worker::Pool;
use cyberkg::search::{IndexPlace, Search};
use oxigraph::store::Store;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;

/// The largest request body accepted (a query, an update, a form): 1 MiB.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// How the server behaves: the safety limits and the opt-ins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeConfig {
    /// A query or update still running after this long is stopped (503).
    pub timeout: Duration,
    /// A query with more result rows (or triples) than this is refused (500).
    pub max_rows: usize,
    /// The largest request body (413 beyond).
    pub max_body_bytes: usize,
    /// Whether `/update` runs SPARQL updates (403 otherwise).
    pub writable: bool,
    /// Whether replies carry CORS headers (`Access-Control-Allow-Origin: *`).
    pub cors: bool,
    /// The hosts a `SERVICE` may call (`--allow-service`; none by default).
    pub services: cyberkg::sparql::Services,
    /// How long a query waits for a free SPARQL worker before a 503 with `Retry-After`.
    pub queue_wait: Duration,
    /// At most this many parts are listed on one page of a long list (an
    /// entity's mentions); the rest are on `?page=2`, `?page=3`, ….
    pub parts_per_page: usize,
}

impl Default for ServeConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
            max_rows: 10_000,
            max_body_bytes: MAX_BODY_BYTES,
            writable: false,
            cors: false,
            services: cyberkg::sparql::Services::none(),
            queue_wait: Duration::from_secs(10),
            parts_per_page: 100,
        }
    }
}

/// The server's state: the store, the base its IRIs are under, the configuration.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) base: String,
    pub(crate) config: ServeConfig,
    /// Evaluations running now in this process (see [`crate::evaluate::MAX_WORKERS`]).
    pub(crate) workers: Arc<AtomicUsize>,
    /// The worker processes queries run in, when the server has them
    /// ([`App::with_workers`]); without them, queries run on threads here.
    pub(crate) pool: Option<Pool>,
}

impl App {
    /// A server over `store`; the base is read from the store's dataset description.
    pub fn new(store: Store, mut config: ServeConfig) -> Result<Self, ServeError> {
        let base = crate::lookup::base_of(&store)?;
        // Queries evaluated here (without worker processes) search this
        // store; the index is built at the first search.
        if config.services.search().is_none() {
            let search = Search::new(store.clone(), IndexPlace::Memory);
            config.services = config.services.with_search(Arc::new(search));
        }
        Ok(Self {
            store,
            base,
            config,
            workers: Arc::default(),
            pool: None,
        })
    }

    /// The same server, evaluating queries in `pool`'s worker processes, where
    /// the deadline and the memory cap really stop them.
    pub fn with_workers(self, pool: Pool) -> Self {
        Self {
            pool: Some(pool),
            ..self
        }
    }

    /// The base IRI of the graph's resources (`https://w3id.org/cyberkg/` by default).
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The configuration.
    pub fn config(&self) -> &ServeConfig {
        &self.config
    }
}

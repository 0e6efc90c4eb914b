//! The server's side: a fixed number of worker processes, a bounded queue
//! in front of them, and a fresh worker for every one that is killed or dies.
//!
//! Invariants: a worker is given one job at a time; a worker whose job
//! outlives its deadline is killed (SIGKILL) at the deadline, so its core
//! and memory come back at once; every killed or dead worker is replaced by
//! a new one started from the current snapshot, in the background, and the
//! queue waits for it; after [`Pool::refresh`] (a writable server's
//! update) no job runs on a worker started before it.

use super::child::Snapshot;
use super::{Job, Outcome, read_reply, write_line};
use oxigraph::io::RdfFormat;
use oxigraph::store::Store;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a new worker may take to load its store.
const START_TIMEOUT: Duration = Duration::from_secs(600);

/// At most this much of a worker's standard error is kept, for the reason it died.
const STDERR_KEPT: usize = 4096;

/// How to start a worker process.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The program (the `cyberkg` binary).
    pub program: PathBuf,
    /// Its arguments (`sparql-worker` and its flags).
    pub args: Vec<OsString>,
    /// Whether the worker reads a snapshot of the store on its standard
    /// input (an in-memory store); otherwise it opens the store itself.
    pub snapshot: bool,
}

/// Why a job got no answer from the pool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PoolError {
    /// Every worker stayed busy for the whole wait, or the queue was full.
    Busy,
    /// The job outlived its deadline; its worker was killed.
    TimedOut,
    /// The worker ran out of its memory budget and ended.
    OutOfMemory,
    /// The worker ended for another reason (the message says which).
    Crashed(String),
}

/// A pool of worker processes with a bounded queue.
#[derive(Clone)]
pub struct Pool {
    shared: Arc<Shared>,
}

struct Shared {
    command: WorkerCommand,
    size: usize,
    max_queued: usize,
    state: Mutex<State>,
    available: Condvar,
    /// Asks the launcher thread for a replacement worker.
    launcher: Mutex<Option<mpsc::Sender<Launch>>>,
}

/// What the launcher thread is asked to do.
enum Launch {
    /// Start the pool's workers and say whether they all started.
    Initial(mpsc::Sender<Result<(), String>>),
    /// Start one worker in place of a discarded one.
    Replace,
}

/// The launcher thread: starts every worker, until the pool is gone.
fn launcher(shared: &std::sync::Weak<Shared>, requests: &mpsc::Receiver<Launch>) {
    while let Ok(request) = requests.recv() {
        let Some(shared) = shared.upgrade() else {
            return;
        };
        match request {
            Launch::Initial(told) => {
                let started = (0..shared.size).try_for_each(|_| {
                    let snapshot = Arc::clone(&shared.lock().snapshot);
                    let worker = Worker::start(&shared.command, &snapshot, 0)?;
                    shared.lock().idle.push(worker);
                    Ok(())
                });
                let _ = told.send(started);
            }
            Launch::Replace => shared.replace(),
        }
    }
}

struct State {
    idle: Vec<Worker>,
    queued: usize,
    generation: u64,
    snapshot: Arc<Vec<u8>>,
}

struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: mpsc::Receiver<Option<(Outcome, Vec<u8>)>>,
    stderr: Option<JoinHandle<String>>,
    generation: u64,
}

impl Pool {
    /// Starts `size` workers over `store` (waiting until each has loaded
    /// it); at most `max_queued` jobs wait for a worker at once.
    pub fn start(
        command: WorkerCommand,
        store: &Store,
        size: usize,
        max_queued: usize,
    ) -> Result<Self, String> {
        let snapshot = Arc::new(if command.snapshot {
            snapshot_of(store)?
        } else {
            Vec::new()
        });
        let size = size.max(1);
        let shared = Arc::new(Shared {
            command,
            size,
            max_queued,
            state: Mutex::new(State {
                idle: Vec::with_capacity(size),
                queued: 0,
                generation: 0,
                snapshot,
            }),
            available: Condvar::new(),
            launcher: Mutex::new(None),
        });
        // Every worker is started by one long-lived thread: Linux sends a
        // worker its parent-death signal when the *thread* that started it
        // ends, so a worker started by a short-lived thread would die with it.
        let (launch, requests) = mpsc::channel::<Launch>();
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("cyberkg worker launcher".to_owned())
            .spawn(move || launcher(&weak, &requests))
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        let (told, started) = mpsc::channel();
        launch
            .send(Launch::Initial(told))
            .map_err(|_| "the worker launcher stopped".to_owned())?;
        started
            .recv()
            .map_err(|_| "the worker launcher stopped".to_owned())??;
        *shared
            .launcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(launch);
        Ok(Self { shared })
    }

    /// Runs `job` on a worker: waits at most `wait` for one, then at most
    /// `timeout` for the answer.
    pub(crate) fn run(
        &self,
        job: &Job,
        wait: Duration,
        timeout: Duration,
    ) -> Result<(Outcome, Vec<u8>), PoolError> {
        let mut worker = self.shared.checkout(wait)?;
        let sent = write_line(&mut worker.stdin, job).and_then(|()| worker.stdin.flush());
        if sent.is_err() {
            let why = worker.death();
            self.shared.discard(worker);
            return Err(why);
        }
        match worker.replies.recv_timeout(timeout) {
            Ok(Some(reply)) => {
                self.shared.checkin(worker);
                Ok(reply)
            }
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                let why = worker.death();
                self.shared.discard(worker);
                Err(why)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.shared.discard(worker);
                Err(PoolError::TimedOut)
            }
        }
    }

    /// After the store changed: later jobs run on workers holding the new state.
    pub fn refresh(&self, store: &Store) -> Result<(), String> {
        let snapshot = Arc::new(if self.shared.command.snapshot {
            snapshot_of(store)?
        } else {
            Vec::new()
        });
        let stale = {
            let mut state = self.shared.lock();
            state.generation += 1;
            state.snapshot = snapshot;
            std::mem::take(&mut state.idle)
        };
        for worker in stale {
            self.shared.discard(worker);
        }
        Ok(())
    }

    /// The number of workers.
    pub fn size(&self) -> usize {
        self.shared.size
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn checkout(&self, wait: Duration) -> Result<Worker, PoolError> {
        let deadline = Instant::now() + wait;
        let mut state = self.lock();
        if state.idle.is_empty() && state.queued >= self.max_queued {
            return Err(PoolError::Busy);
        }
        state.queued += 1;
        loop {
            if let Some(worker) = state.idle.pop() {
                state.queued -= 1;
                return Ok(worker);
            }
            let now = Instant::now();
            if now >= deadline {
                state.queued -= 1;
                return Err(PoolError::Busy);
            }
            state = self
                .available
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn checkin(&self, worker: Worker) {
        let mut state = self.lock();
        if worker.generation == state.generation {
            state.idle.push(worker);
            self.available.notify_one();
        } else {
            drop(state);
            self.discard(worker);
        }
    }

    /// Kills `worker` and starts its replacement in the background.
    fn discard(&self, mut worker: Worker) {
        let _ = worker.child.kill();
        let _ = worker.child.wait();
        let asked = self
            .launcher
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_some_and(|launch| launch.send(Launch::Replace).is_ok());
        if !asked {
            // Without the launcher, start it here: slower for this request, but the slot is not lost.
            self.replace();
        }
    }

    /// Starts a worker from the current snapshot and makes it available,
    /// retrying (every second) until one starts.
    fn replace(&self) {
        loop {
            let (snapshot, generation) = {
                let state = self.lock();
                (Arc::clone(&state.snapshot), state.generation)
            };
            match Worker::start(&self.command, &snapshot, generation) {
                Ok(mut worker) => {
                    let mut state = self.lock();
                    if worker.generation == state.generation {
                        state.idle.push(worker);
                        self.available.notify_one();
                        return;
                    }
                    drop(state);
                    let _ = worker.child.kill();
                    let _ = worker.child.wait();
                }
                Err(why) => {
                    eprintln!("cyberkg: cannot start a SPARQL worker: {why}; retrying");
                    std::thread::sleep(Duration::from_secs(1));
                }
            }
        }
    }
}

impl Worker {
    fn start(command: &WorkerCommand, snapshot: &[u8], generation: u64) -> Result<Self, String> {
        let program = command.program.display();
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run {program}: {e}"))?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            return Err("the worker's standard streams are not piped".to_owned());
        };
        let stderr = std::thread::Builder::new()
            .name("cyberkg worker stderr".to_owned())
            .spawn(move || keep_tail(BufReader::new(stderr)))
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        let (sender, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("cyberkg worker replies".to_owned())
            .spawn(move || {
                let mut stdout = BufReader::new(stdout);
                loop {
                    let reply = read_reply(&mut stdout).ok().flatten();
                    let ended = reply.is_none();
                    if sender.send(reply).is_err() || ended {
                        return;
                    }
                }
            })
            .map_err(|e| format!("cannot start a thread: {e}"))?;
        let mut worker = Worker {
            child,
            stdin,
            replies,
            stderr: Some(stderr),
            generation,
        };
        if command.snapshot {
            let announced = Snapshot {
                bytes: snapshot.len(),
            };
            let sent = write_line(&mut worker.stdin, &announced)
                .and_then(|()| worker.stdin.write_all(snapshot))
                .and_then(|()| worker.stdin.flush());
            if let Err(e) = sent {
                let _ = worker.child.kill();
                let _ = worker.child.wait();
                return Err(format!(
                    "cannot send the store to the worker: {e} ({})",
                    worker.stderr_text()
                ));
            }
        }
        match worker.replies.recv_timeout(START_TIMEOUT) {
            Ok(Some((Outcome::Ready, _))) => Ok(worker),
            _ => {
                let _ = worker.child.kill();
                let status = worker.child.wait();
                let told = worker.stderr_text();
                Err(match status {
                    Ok(status) => format!("{program} sparql-worker {}: {told}", describe(status)),
                    Err(e) => format!("{program} sparql-worker did not start: {e}"),
                })
            }
        }
    }

    fn stderr_text(&mut self) -> String {
        self.stderr
            .take()
            .and_then(|handle| handle.join().ok())
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    /// Why a worker that stopped answering stopped: waits for its end.
    fn death(&mut self) -> PoolError {
        let status = self.child.wait();
        let told = self.stderr_text();
        if told.contains("memory allocation of") {
            PoolError::OutOfMemory
        } else if told.contains("overflowed its stack") {
            PoolError::Crashed(
                "its evaluation overflowed the stack (the query nests too deeply)".to_owned(),
            )
        } else {
            PoolError::Crashed(match status {
                Ok(status) => format!("the worker process evaluating it {}", describe(status)),
                Err(e) => format!("the worker process evaluating it is lost: {e}"),
            })
        }
    }
}

/// "exited with status 1", "was killed by signal 9".
fn describe(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return format!("was killed by signal {signal}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "ended".to_owned(),
    }
}

/// Reads a stream to its end, keeping its last [`STDERR_KEPT`] bytes.
fn keep_tail(mut stream: impl BufRead) -> String {
    let mut kept = String::new();
    let mut line = String::new();
    while matches!(stream.read_line(&mut line), Ok(n) if n > 0) {
        kept.push_str(&line);
        line.clear();
        if kept.len() > STDERR_KEPT {
            let mut cut = kept.len() - STDERR_KEPT;
            while !kept.is_char_boundary(cut) {
                cut += 1;
            }
            kept.drain(..cut);
        }
    }
    kept
}

/// The store as N-Quads, for the workers to load.
fn snapshot_of(store: &Store) -> Result<Vec<u8>, String> {
    store
        .dump_to_writer(RdfFormat::NQuads, Vec::new())
        .map_err(|e| format!("cannot snapshot the store for the SPARQL workers: {e}"))
}

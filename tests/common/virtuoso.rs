//! A real OpenLink Virtuoso (Debian's `virtuoso-t`, installed by .ci/setup)
//! in the foreground on free loopback ports, with a temporary database and
//! a generated `virtuoso.ini`, for the tests that hand the split export to
//! its own bulk loader. Killed, its directory removed, when dropped.

#![expect(
    clippy::expect_used,
    reason = "test helpers: a failed precondition should stop the test"
)]

use super::oxigraph_server::{free_port, request};
use cyberkg::http::Method;
use std::collections::BTreeMap;
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A Virtuoso server of this test, killed when dropped.
pub struct Virtuoso {
    child: Child,
    /// The SQL port isql-vt connects to.
    pub sql_port: u16,
    /// The HTTP port of `/sparql`.
    pub http_port: u16,
    /// The database, the ini file and the log, removed with it.
    pub directory: tempfile::TempDir,
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `virtuoso.ini` for a database in `directory` on loopback ports, whose
/// file functions (the bulk loader's included) may read `allowed`.
fn ini(directory: &Path, sql_port: u16, http_port: u16, allowed: &Path) -> String {
    let dir = directory.display();
    format!(
        "[Database]\n\
         DatabaseFile = {dir}/virtuoso.db\n\
         ErrorLogFile = {dir}/virtuoso.log\n\
         LockFile = {dir}/virtuoso.lck\n\
         TransactionFile = {dir}/virtuoso.trx\n\
         xa_persistent_file = {dir}/virtuoso.pxa\n\
         ErrorLogLevel = 7\n\
         FileExtend = 200\n\
         MaxCheckpointRemap = 2000\n\
         Striping = 0\n\
         TempStorage = TempDatabase\n\
         \n\
         [TempDatabase]\n\
         DatabaseFile = {dir}/virtuoso-temp.db\n\
         TransactionFile = {dir}/virtuoso-temp.trx\n\
         MaxCheckpointRemap = 2000\n\
         Striping = 0\n\
         \n\
         [Parameters]\n\
         ServerPort = 127.0.0.1:{sql_port}\n\
         DisableUnixSocket = 1\n\
         ServerThreads = 10\n\
         CheckpointInterval = 0\n\
         NumberOfBuffers = 100000\n\
         MaxDirtyBuffers = 60000\n\
         DirsAllowed = {allowed}\n\
         \n\
         [HTTPServer]\n\
         ServerPort = 127.0.0.1:{http_port}\n\
         ServerRoot = {dir}\n\
         ServerThreads = 4\n\
         \n\
         [SPARQL]\n\
         ResultSetMaxRows = 1000000\n\
         MaxQueryExecutionTime = 120\n",
        allowed = allowed.display(),
    )
}

impl Virtuoso {
    /// `virtuoso-t +foreground` with a new database, once both its SQL and
    /// its HTTP ports accept connections; its loader may read `allowed`.
    pub fn start(allowed: &Path) -> Self {
        let directory = tempfile::tempdir().expect("temp dir");
        let (sql_port, http_port) = (free_port(), free_port());
        let config = directory.path().join("virtuoso.ini");
        std::fs::write(&config, ini(directory.path(), sql_port, http_port, allowed))
            .expect("virtuoso.ini written");
        let child = Command::new("virtuoso-t")
            .arg("+foreground")
            .arg("+configfile")
            .arg(&config)
            .current_dir(directory.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("virtuoso-t starts (bash .ci/setup installs virtuoso-opensource-7-bin)");
        let mut server = Self {
            child,
            sql_port,
            http_port,
            directory,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        for port in [http_port, sql_port] {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Some(status) = server.child.try_wait().expect("status") {
                    panic!(
                        "virtuoso-t exited before listening: {status}\n{}",
                        server.log()
                    );
                }
                assert!(
                    Instant::now() < deadline,
                    "virtuoso-t is not listening after 60 s\n{}",
                    server.log()
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        server
    }

    /// Its error log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.directory.path().join("virtuoso.log")).unwrap_or_default()
    }

    /// Runs SQL statements with isql-vt as dba; the output, which must hold no error.
    pub fn isql(&self, statements: &str) -> String {
        let output = Command::new("isql-vt")
            .arg(format!("127.0.0.1:{}", self.sql_port))
            .args(["dba", "dba", "VERBOSE=OFF", "BANNER=OFF"])
            .arg(format!("EXEC={statements}"))
            .stdin(Stdio::null())
            .output()
            .expect("isql-vt runs");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && !stdout.contains("*** Error") && !stderr.contains("Error"),
            "isql-vt: {statements}\n{stdout}{stderr}"
        );
        stdout
    }

    /// Loads the files of `directory` matching `pattern` with Virtuoso's
    /// own bulk loader (`ld_dir`, `rdf_loader_run`, `checkpoint`), checks
    /// that every file loaded without error, and returns the time taken.
    pub fn bulk_load(&self, directory: &Path, pattern: &str) -> Duration {
        let started = Instant::now();
        self.isql(&format!(
            "ld_dir('{}', '{pattern}', 'urn:cyberkg:no-graph'); rdf_loader_run(); checkpoint;",
            directory.display()
        ));
        let elapsed = started.elapsed();
        let failed = self.isql(
            "SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_state <> 2 OR ll_error IS NOT NULL;",
        );
        assert_eq!(failed.trim(), "0", "files the loader did not load");
        elapsed
    }

    /// A SELECT on `/sparql` (a form POST): each row maps variables to values.
    pub fn select(&self, query: &str) -> Vec<BTreeMap<String, String>> {
        let body = format!(
            "query={}",
            percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC)
        );
        let answer = request(
            Method::POST,
            &format!("http://127.0.0.1:{}/sparql", self.http_port),
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/sparql-results+json"),
            ],
            &body,
        );
        super::json_rows(&answer)
    }
}

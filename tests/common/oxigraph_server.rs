//! A real Oxigraph server (`pip install oxigraph`, installed by .ci/setup)
//! on a free loopback port, for the tests that push to one or federate
//! with one.

#![expect(
    clippy::expect_used,
    reason = "test helpers: a failed precondition should stop the test"
)]

use cyberkg::http::{Client, Method};
use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server process of this test, killed when dropped.
pub struct Server {
    /// The server process.
    pub child: Child,
    /// Its loopback port.
    pub port: u16,
    /// Its store, removed with it.
    pub directory: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (just released by the system).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

/// The `oxigraph` command pip installed (its scripts directory first, then PATH).
fn oxigraph_command() -> std::path::PathBuf {
    let scripts = Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_path('scripts'))",
        ])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let installed = std::path::Path::new(&scripts).join("oxigraph");
    if installed.is_file() {
        installed
    } else {
        "oxigraph".into()
    }
}

impl Server {
    /// `oxigraph serve` on a free loopback port, once it accepts connections.
    pub fn oxigraph() -> Self {
        let directory = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let child = Command::new(oxigraph_command())
            .arg("serve")
            .arg("--location")
            .arg(directory.path().join("db"))
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oxigraph starts (bash .ci/setup installs it with pip)");
        let mut server = Self {
            child,
            port,
            directory,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = server.child.try_wait().expect("status") {
                panic!("oxigraph serve exited before listening: {status}");
            }
            assert!(
                Instant::now() < deadline,
                "oxigraph serve is not listening after 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A SELECT on the server's /query: each row maps variables to values.
    pub fn select(&self, query: &str) -> Vec<BTreeMap<String, String>> {
        let answer = request(
            Method::POST,
            &self.url("/query"),
            &[
                ("Content-Type", "application/sparql-query"),
                ("Accept", "application/sparql-results+json"),
            ],
            query,
        );
        super::json_rows(&answer)
    }

    /// Everything the server holds, as N-Quads.
    pub fn dump(&self) -> String {
        request(
            Method::GET,
            &self.url("/store"),
            &[("Accept", "application/n-quads")],
            "",
        )
    }

    /// Adds Turtle to the server's default graph (Graph Store Protocol POST).
    pub fn add_turtle(&self, turtle: &str) {
        request(
            Method::POST,
            &self.url("/store?default"),
            &[("Content-Type", "text/turtle")],
            turtle,
        );
    }
}

/// Sends one request with cyberkg's own client and returns the body of its
/// answer, which must have a success status.
pub fn request(method: Method, url: &str, headers: &[(&str, &str)], body: &str) -> String {
    let response = Client::new(Duration::from_secs(60))
        .request(method, url, headers, body.as_bytes().to_vec())
        .expect("the server answers");
    let status = response.status();
    let text = response.into_body().to_string().expect("a UTF-8 answer");
    assert!(status.is_success(), "{status}: {text}");
    text
}

//! `cyberkg serve` on a free loopback port, for the tests that speak raw
//! HTTP to it: the real binary, killed when the test ends, even on failure.

#![expect(
    clippy::expect_used,
    reason = "test helpers: a failed precondition should stop the test"
)]

use super::oxigraph_server::free_port;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `cyberkg serve` of this test, killed when dropped.
pub struct Server {
    /// The server process.
    pub child: Child,
    /// Its loopback port.
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// `cyberkg serve ARGS` on a free loopback port, once it says it is
    /// listening (it prints that line after binding every address). A port
    /// another process took first is given up for another.
    pub fn start(args: &[&str]) -> Self {
        for _attempt in 0..5 {
            let port = free_port();
            let stderr = tempfile::NamedTempFile::new().expect("a temporary file");
            let child = Command::new(assert_cmd::cargo::cargo_bin("cyberkg"))
                .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(stderr.reopen().expect("reopen"))
                .spawn()
                .expect("the cyberkg binary starts");
            let mut server = Self { child, port };
            // Building the graph takes seconds in a debug build on a busy machine.
            let deadline = Instant::now() + Duration::from_secs(120);
            while Instant::now() < deadline {
                let said = std::fs::read_to_string(stderr.path()).unwrap_or_default();
                if said.starts_with("cyberkg: serving <") {
                    // Tests that start it with --base check their own base.
                    if !args.contains(&"--base") {
                        assert!(
                            said.starts_with(&format!(
                                "cyberkg: serving <https://w3id.org/cyberkg/> at http://127.0.0.1:{port}/ ("
                            )),
                            "{said}"
                        );
                    }
                    assert!(
                        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
                        "listening"
                    );
                    return server;
                }
                if let Some(status) = server.child.try_wait().expect("wait") {
                    assert!(
                        said.contains("cannot listen on"),
                        "cyberkg serve exited ({status}): {said}"
                    );
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        panic!("cyberkg serve did not start listening");
    }
}

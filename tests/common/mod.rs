//! Helpers shared by the integration tests.

#![allow(
    dead_code,
    reason = "each test binary uses its own subset of these helpers"
)]

use assert_cmd::Command;
use oxigraph::store::Store;

/// The real `cyberkg` binary, ready for arguments.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn cyberkg() -> Command {
    Command::cargo_bin("cyberkg").expect("the cyberkg binary")
}

/// The graph of the built-in corpus in a fresh in-memory store.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
pub fn default_store() -> Store {
    cyberkg::pipeline::builtin()
        .expect("the built-in graph builds")
        .store
}

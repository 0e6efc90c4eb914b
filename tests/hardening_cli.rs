//! Issue 9 ("Hardening") through the real binary, for the command line: `-o`
//! never destroys what is at its path, a closed stdout is a quiet exit,
//! XML outputs never hold characters XML cannot carry, messages name what
//! went wrong and where, `load` keeps out of the build's graphs, `push`
//! gives up on a silent endpoint in bounded time, and `--help`'s examples
//! run. Every test is bounded: no sleeping, no network beyond loopback.

mod common;
use common::{cyberkg, fails, write};

use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::Path;
use std::process::{Command, Stdio};

const UN: &str = include_str!("../data/corpus/strategy-un-english.txt");

fn text(path: &Path) -> &str {
    path.to_str().unwrap_or_default()
}

/// The mode bits of a file.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("exists")
        .permissions()
        .mode()
        & 0o7777
}

/// Runs the binary under `sh` with `umask` set first (the test process's
/// own umask is not ours to change).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn with_umask(umask: &str, args: &[&str]) {
    let binary = assert_cmd::cargo::cargo_bin("cyberkg");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .expect("sh runs");
    assert!(status.success(), "{args:?}");
}

#[test]
fn output_refuses_anything_but_a_new_path_or_a_regular_file() {
    let directory = tempfile::tempdir().expect("temp dir");
    let refused = |path: &Path, what: &str| {
        fails(
            &["export", "-F", "ntriples", "-o", text(path)],
            1,
            &format!(
                "cannot write {}: it is {what}; -o only creates or replaces regular files (write to stdout with -o - or a shell redirection instead)",
                path.display()
            ),
        );
    };
    // A device: a copy of /dev/full (a regression must not replace the
    // system's own), made with mknod when this runs as root.
    let full = directory.path().join("full");
    let devices = Command::new("mknod")
        .arg(&full)
        .args(["c", "1", "7"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if devices {
        refused(&full, "a character device");
        assert!(
            std::fs::metadata(&full)
                .expect("kept")
                .file_type()
                .is_char_device()
        );
    }
    let fifo = directory.path().join("fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    refused(&fifo, "a named pipe (FIFO)");
    assert!(
        std::fs::metadata(&fifo)
            .expect("kept")
            .file_type()
            .is_fifo()
    );
    let socket_path = directory.path().join("socket");
    let _socket = std::os::unix::net::UnixListener::bind(&socket_path).expect("a socket");
    refused(&socket_path, "a socket");
    assert!(
        std::fs::metadata(&socket_path)
            .expect("kept")
            .file_type()
            .is_socket()
    );
    // A symbolic link to something else: refused too, naming where the link leads.
    let to_fifo = directory.path().join("to-fifo");
    std::os::unix::fs::symlink(&fifo, &to_fifo).expect("a link");
    refused(
        &to_fifo,
        &format!(
            "a named pipe (FIFO) (through the symbolic link, {})",
            fifo.display()
        ),
    );
    let dangling = directory.path().join("dangling");
    std::os::unix::fs::symlink(directory.path().join("nowhere"), &dangling).expect("a link");
    fails(
        &["export", "-F", "ntriples", "-o", text(&dangling)],
        1,
        &format!(
            "cannot write {}: it is a symbolic link to a file that does not exist",
            dangling.display()
        ),
    );
    // No temporary file is left behind by any refusal.
    let mut names: Vec<String> = std::fs::read_dir(directory.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.retain(|name| name != "full");
    names.sort();
    assert_eq!(names, ["dangling", "fifo", "socket", "to-fifo"]);
}

#[test]
fn a_symbolic_link_is_followed_and_stays_a_link() {
    let directory = tempfile::tempdir().expect("temp dir");
    let target = write(directory.path(), "target.nt", "old");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let link = directory.path().join("link.nt");
    std::os::unix::fs::symlink("target.nt", &link).expect("a link");
    cyberkg()
        .args(["export", "-o", text(&link)])
        .assert()
        .success()
        .stdout("");
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("kept")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let written = std::fs::read_to_string(&target).expect("written");
    assert!(written.starts_with('<'), "{written}");
    assert_eq!(mode(&target), 0o640, "the target keeps its mode");
}

#[test]
fn stdout_by_name_is_stdout() {
    for name in ["-", "/dev/stdout"] {
        let output = cyberkg()
            .args(["query", "ASK {}", "-r", "json", "-o", name])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{name}: {output:?}");
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "{\"head\":{},\"boolean\":true}",
            "{name}"
        );
    }
}

#[test]
fn new_files_get_the_umask_mode_and_replaced_files_keep_theirs() {
    let directory = tempfile::tempdir().expect("temp dir");
    let shared = directory.path().join("shared.nt");
    with_umask("002", &["export", "-o", text(&shared)]);
    assert_eq!(mode(&shared), 0o664);
    let private = directory.path().join("private.csv");
    with_umask("077", &["entities", "-F", "csv", "-o", text(&private)]);
    assert_eq!(mode(&private), 0o600);
    // Replaced: the old mode stays, whatever the umask.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o604)).expect("chmod");
    with_umask(
        "077",
        &["query", "ASK {}", "-r", "json", "-o", text(&shared)],
    );
    assert_eq!(mode(&shared), 0o604);
    assert_eq!(
        std::fs::read_to_string(&shared).expect("written"),
        "{\"head\":{},\"boolean\":true}"
    );
    let pages = directory.path().join("man");
    std::fs::create_dir(&pages).expect("a directory");
    with_umask("022", &["man", "--directory", text(&pages)]);
    assert_eq!(mode(&pages.join("cyberkg.1")), 0o644);
}

#[test]
fn a_failed_write_names_the_users_path_never_the_temporary_file() {
    // /proc takes no new files: creating the temporary file fails.
    let path = Path::new("/proc/cyberkg-hardening-test.nt");
    let output = cyberkg()
        .args(["export", "-o", text(path)])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("cyberkg: cannot write /proc/cyberkg-hardening-test.nt: "),
        "{stderr}"
    );
    assert!(
        !stderr.contains(".cyberkg-") && !stderr.contains(".tmp"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

/// Runs `args` with a stdout whose reader is gone before the first byte:
/// the exit status and stderr.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn into_a_closed_pipe(args: &[&str]) -> (Option<i32>, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = Command::new(assert_cmd::cargo::cargo_bin("cyberkg"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_is_a_quiet_success_for_every_command() {
    let directory = tempfile::tempdir().expect("temp dir");
    let export = directory.path().join("graph.nt");
    cyberkg()
        .args(["export", "-o", text(&export)])
        .assert()
        .success();
    let rdf = write(
        directory.path(),
        "extra.ttl",
        "<http://e.org/s> <http://e.org/p> \"o\" .\n",
    );
    let commands: [&[&str]; 18] = [
        &["completions", "bash"],
        &["completions", "zsh"],
        &["man"],
        &["entities"],
        &["entities", "-F", "json"],
        &["entities", "-F", "csv"],
        &["export"],
        &["export", "-F", "rdfxml"],
        &["query", "SELECT * { ?s ?p ?o }"],
        &["query", "SELECT * { ?s ?p ?o }", "-r", "json"],
        &["query", "SELECT * { ?s ?p ?o }", "-r", "xml"],
        &["query", "CONSTRUCT WHERE { ?s ?p ?o }"],
        &["queries"],
        &["hash"],
        &["verify", text(&export)],
        &["validate"],
        &["load", text(&rdf)],
        &["build", "-q"],
    ];
    for args in commands {
        assert_eq!(
            into_a_closed_pipe(args),
            (Some(0), String::new()),
            "{args:?}"
        );
    }
}

/// The UN text with a form feed (a PDF page break) inside the first
/// paragraph of chapter I.
fn with_form_feed() -> String {
    let at = UN.find("virtual space").unwrap_or(UN.len() / 2);
    format!("{}\u{c}{}", &UN[..at], &UN[at..])
}

/// Asserts that `python3`'s XML parser (an independent one) reads `xml`.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn well_formed(xml: &[u8]) {
    let mut child = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.stdin.buffer)",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs (.ci/setup installs it)");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), xml).expect("written");
    let output = child.wait_with_output().expect("exits");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn xml_outputs_refuse_characters_xml_cannot_carry() {
    let directory = tempfile::tempdir().expect("temp dir");
    let source = write(directory.path(), "paged.txt", with_form_feed());
    let source = text(&source);
    // The parser says what it saw, with the position.
    let built = cyberkg()
        .args(["build", "--source", source])
        .output()
        .expect("runs");
    assert!(built.status.success());
    let stderr = String::from_utf8_lossy(&built.stderr);
    assert!(
        stderr
            .lines()
            .any(|line| line.starts_with(&format!("{source}:"))
                && line.contains("note[control-character]: ")
                && line.contains("U+000C (form feed)")),
        "{stderr}"
    );
    // RDF/XML: refused, nothing written; other formats carry it.
    let output = directory.path().join("graph.rdf");
    let run = cyberkg()
        .args(["export", "--source", source, "-o", text(&output)])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "cyberkg: cannot write {}: RDF/XML cannot carry the literal \"",
            output.display()
        )) && stderr.contains(
            "it holds U+000C (form feed), which XML 1.0 does not allow, even escaped; write it in another format"
        ),
        "{stderr}"
    );
    assert!(!output.exists());
    cyberkg()
        .args(["export", "--source", source, "-F", "ntriples"])
        .assert()
        .success()
        .stdout(predicates::str::contains("\\f"));
    // SPARQL XML results and RDF/XML query results: refused the same way.
    fails(
        &["query", "SELECT (\"page\\fbreak\" AS ?x) {}", "-r", "xml"],
        1,
        "<command line>: SPARQL XML results cannot carry the literal \"page\\fbreak\": it holds U+000C (form feed), which XML 1.0 does not allow, even escaped; write it in another format (Turtle, N-Triples or JSON-LD for graphs, JSON for results)",
    );
    fails(
        &["query", "SELECT (\"a\\rb\" AS ?x) {}", "-r", "xml"],
        1,
        "<command line>: SPARQL XML results cannot carry the literal \"a\\rb\": it holds U+000D (carriage return), which an XML reader would turn into a line feed; write it in another format (Turtle, N-Triples or JSON-LD for graphs, JSON for results)",
    );
    let construct = cyberkg()
        .args([
            "query",
            "CONSTRUCT { <http://e.org/s> <http://e.org/p> \"a\\u0000b\" } WHERE {}",
            "-r",
            "rdfxml",
        ])
        .output()
        .expect("runs");
    assert_eq!(construct.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&construct.stderr).contains("it holds U+0000 (NUL)"),
        "{construct:?}"
    );
    // What XML can carry still goes, and another parser reads it.
    let fine = cyberkg()
        .args(["query", "SELECT (\"tab\\there\" AS ?x) {}", "-r", "xml"])
        .output()
        .expect("runs");
    assert!(fine.status.success());
    well_formed(&fine.stdout);
    let export = cyberkg()
        .args(["export", "-F", "rdfxml"])
        .output()
        .expect("runs");
    assert!(export.status.success());
    well_formed(&export.stdout);
}

#[test]
fn verify_and_load_refuse_rdf_xml_that_is_not_xml() {
    let directory = tempfile::tempdir().expect("temp dir");
    let document = |value: &str| {
        format!(
            "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://e.org/s\">\n    <p xmlns=\"http://e.org/\">{value}</p>\n  </rdf:Description>\n</rdf:RDF>\n"
        )
    };
    let raw = write(directory.path(), "raw.rdf", document("page\u{c}break"));
    let reference = write(
        directory.path(),
        "reference.rdf",
        document("page&#12;break"),
    );
    for (file, message) in [
        (
            &raw,
            "4:34: the file holds U+000C (form feed), which XML 1.0 does not allow: it is not well-formed XML",
        ),
        (
            &reference,
            "4:34: the file holds U+000C (form feed) (as the character reference &#12;), which XML 1.0 does not allow: it is not well-formed XML",
        ),
    ] {
        for command in ["verify", "load"] {
            fails(
                &[command, text(file)],
                1,
                &format!("{}:{message}", file.display()),
            );
        }
    }
}

#[test]
fn rdf_xml_syntax_errors_have_a_position() {
    let directory = tempfile::tempdir().expect("temp dir");
    let broken = write(
        directory.path(),
        "broken.rdf",
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  <rdf:Description rdf:about=\"http://e.org/s\">\n  </rdf:Descriptio>\n</rdf:RDF>\n",
    );
    for command in ["load", "verify"] {
        let output = cyberkg()
            .args([command, text(&broken)])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("cyberkg: {}:4:", broken.display())),
            "{command}: {stderr}"
        );
    }
}

#[test]
fn messages_name_what_is_wrong() {
    let directory = tempfile::tempdir().expect("temp dir");
    let query = write(directory.path(), "bad.rq", b"SELECT *\n{ ?s ?p \xff }");
    fails(
        &["query", "-f", text(&query)],
        1,
        &format!(
            "{}:2:9: the query file is not valid UTF-8 (byte 0xff at byte offset 17); save it as UTF-8",
            query.display()
        ),
    );
    let source = write(directory.path(), "un.txt", UN);
    fails(
        &["build", "-s", text(&source), "-s", text(&source)],
        2,
        &format!(
            "--source {} is given twice; give each file once",
            source.display()
        ),
    );
    let again = directory.path().join(".").join("un.txt");
    fails(
        &["build", "-s", text(&source), "-s", text(&again)],
        2,
        &format!(
            "--source {} and --source {} are the same file; give each file once",
            source.display(),
            again.display()
        ),
    );
    fails(
        &["build", "--base", "http://ex.org/%zz/"],
        2,
        "invalid --base 'http://ex.org/%zz/': column 15: '%zz' is not a percent-encoding ('%' must be followed by two hexadecimal digits, as in %20)",
    );
}

#[test]
fn load_keeps_out_of_the_graphs_the_build_writes() {
    let directory = tempfile::tempdir().expect("temp dir");
    let triples = write(
        directory.path(),
        "people.ttl",
        "<http://e.org/s> <http://e.org/p> \"o\" .\n",
    );
    fails(
        &[
            "load",
            text(&triples),
            "--graph",
            "https://w3id.org/cyberkg/graph/text",
        ],
        2,
        "cannot load into --graph <https://w3id.org/cyberkg/graph/text>: it is a graph `cyberkg build` writes, and the next build would empty it; choose a graph of your own (by default each file gets <https://w3id.org/cyberkg/graph/external/FILE-STEM>)",
    );
    // A file's own named graphs may be the build's: loading an export back is a restore.
    let quads = write(
        directory.path(),
        "inside.nq",
        "<http://e.org/s> <http://e.org/p> \"o\" <https://w3id.org/cyberkg/graph/entities> .\n",
    );
    cyberkg().args(["load", text(&quads)]).assert().success();
    cyberkg()
        .args([
            "load",
            text(&triples),
            "--graph",
            "https://example.org/people",
        ])
        .assert()
        .success();
}

#[cfg(feature = "rocksdb")]
#[test]
fn blank_nodes_of_a_loaded_file_get_the_same_labels_on_every_run() {
    let directory = tempfile::tempdir().expect("temp dir");
    let file = write(
        directory.path(),
        "blank.trig",
        "_:g { <http://e.org/s> <http://e.org/p> _:o . _:o <http://e.org/q> \"x\" . }\n<http://e.org/g> { _:o <http://e.org/q> \"y\" . }\n",
    );
    let export = |name: &str| {
        let store = directory.path().join(name);
        cyberkg()
            .args(["load", "--location", text(&store), text(&file)])
            .assert()
            .success();
        let output = cyberkg()
            .args(["export", "-F", "nquads", "--location", text(&store)])
            .output()
            .expect("runs");
        assert!(output.status.success());
        output.stdout
    };
    let first = export("first");
    assert!(String::from_utf8_lossy(&first).contains("_:b"));
    assert_eq!(first, export("second"), "byte-identical");
}

#[test]
fn push_gives_up_on_a_silent_endpoint_in_bounded_time() {
    // Accepts connections (the kernel's backlog) and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().expect("address").port();
    let endpoint = format!("http://127.0.0.1:{port}/store");
    fails(
        &[
            "push",
            "--endpoint",
            &endpoint,
            "--timeout-s",
            "1",
            "--retries",
            "1",
            "--graph",
            "https://w3id.org/cyberkg/graph/metadata",
        ],
        1,
        &format!("cannot reach {endpoint}: no answer within 1 s (2 attempts)"),
    );
    drop(listener);
}

#[test]
fn every_example_of_the_help_runs() {
    let help = cyberkg().arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let examples: Vec<&str> = help
        .split_once("Examples:\n")
        .map(|(_, rest)| rest)
        .unwrap_or_default()
        .lines()
        .take_while(|line| line.starts_with("  cyberkg "))
        .collect();
    assert!(examples.len() >= 4, "{help}");
    let directory = tempfile::tempdir().expect("temp dir");
    for example in examples {
        let binary = assert_cmd::cargo::cargo_bin("cyberkg");
        let command = example.trim().replacen("cyberkg", "\"$0\"", 1);
        let output = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .arg(&binary)
            .current_dir(directory.path())
            .stdin(Stdio::null())
            .output()
            .expect("sh runs");
        assert!(
            output.status.success(),
            "{example}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// RDF/XML whose descriptions nest `depth` levels, one per line.
fn nested_rdf_xml(depth: usize) -> String {
    let mut text = String::from(
        "<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:ex=\"http://ex.org/\">\n",
    );
    for level in 0..depth {
        text.push_str(&format!(
            "<rdf:Description rdf:about=\"http://ex.org/n{level}\"><ex:p>\n"
        ));
    }
    text.push_str(&"</ex:p></rdf:Description>".repeat(depth));
    text.push_str("\n</rdf:RDF>\n");
    text
}

#[test]
fn deeply_nested_rdf_xml_is_refused_at_the_element_past_the_limit() {
    let directory = tempfile::tempdir().expect("temp dir");
    // 2 elements per level (rdf:Description, ex:p) under rdf:RDF: the 1,001st
    // element is the second of line 502, after its 48-character rdf:Description.
    let deep = write(directory.path(), "deep.rdf", nested_rdf_xml(20_000));
    for command in ["load", "verify"] {
        let started = std::time::Instant::now();
        let output = cyberkg()
            .args([command, text(&deep)])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "cyberkg: {}:502:49: the elements nest deeper than 1000 levels, cyberkg's limit for RDF/XML; write the data unnested (one rdf:Description per resource) or in another format",
                deep.display()
            ),
            "{command}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
    }
    // Within the limit, the file is read (verify then compares it with the graph).
    let within = write(directory.path(), "within.rdf", nested_rdf_xml(400));
    let output = cyberkg()
        .args(["verify", text(&within)])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("nest deeper"), "{stderr}");
}

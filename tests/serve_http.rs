//! `cyberkg serve` against clients that misbehave at the HTTP level: idle
//! and slow connections, pipelining, bodies that lie or stall. Raw
//! `TcpStream`s to the real binary on a free loopback port; every read and
//! wait is bounded, and the time limits asserted are the server's own
//! deadlines (given with `--request-timeout-s`) and the "a plain query is
//! answered within a second" the server promises under each attack.

mod common;

use common::cyberkg_server::Server;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// No read or write of these tests waits longer than this.
const BOUND: Duration = Duration::from_secs(20);

/// The deadline the tests give the server (`--request-timeout-s`).
const DEADLINE: Duration = Duration::from_secs(2);

/// A plain query, on a connection the server may keep open.
const ASK: &str = "GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\nAccept: application/sparql-results+json\r\n\r\n";

/// A reply as read from the socket.
#[derive(Debug)]
struct Reply {
    status: u16,
    /// Names in lower case.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A connection to `server`, every read and write bounded.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connects");
    stream.set_read_timeout(Some(BOUND)).expect("read timeout");
    stream
        .set_write_timeout(Some(BOUND))
        .expect("write timeout");
    stream
}

/// Reads one reply (the status line, the headers, a `Content-Length` body).
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn read_reply(reader: &mut BufReader<TcpStream>) -> Reply {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header line");
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let mut reply = Reply {
        status,
        headers,
        body: String::new(),
    };
    let length = reply
        .header("content-length")
        .map_or(0, |length| length.parse().expect("a length"));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the whole body");
    reply.body = String::from_utf8(body).expect("UTF-8");
    reply
}

/// Sends `request` on a new connection and reads its reply.
#[expect(
    clippy::expect_used,
    reason = "a test helper: a failed precondition should stop the test"
)]
fn exchange(server: &Server, request: &str) -> (Reply, BufReader<TcpStream>) {
    let mut stream = connect(server);
    stream.write_all(request.as_bytes()).expect("sent");
    let mut reader = BufReader::new(stream);
    (read_reply(&mut reader), reader)
}

/// Whether the server closed the connection (end of stream, or a reset)
/// within [`BOUND`], with nothing more to read.
fn closed(reader: &mut impl Read) -> bool {
    let mut byte = [0];
    match reader.read(&mut byte) {
        Ok(0) => true,
        Ok(_) => false,
        Err(error) => error.kind() == ErrorKind::ConnectionReset,
    }
}

/// A plain `ASK {}` on a new connection, answered (true) within a second.
fn answers_a_plain_query(server: &Server) {
    let started = Instant::now();
    let (reply, _) = exchange(server, ASK);
    let took = started.elapsed();
    assert_eq!(
        (reply.status, reply.body.as_str()),
        (200, "{\"head\":{},\"boolean\":true}")
    );
    assert!(took < Duration::from_secs(1), "a plain query took {took:?}");
}

/// A misbehaving client, run on its own thread.
type Attack<T> = Box<dyn FnOnce() -> T + Send>;

/// What an attack saw: what happened, after how long, the status it got (0 for none).
type Outcome = (&'static str, Duration, u16);

/// Runs `attacks` on threads and meanwhile checks, until they all end, that a plain query is answered.
fn under_attack<T: Send + 'static>(server: &Server, attacks: Vec<Attack<T>>) -> Vec<T> {
    let running: Vec<_> = attacks.into_iter().map(std::thread::spawn).collect();
    for _check in 0..100 {
        answers_a_plain_query(server);
        if running.iter().all(std::thread::JoinHandle::is_finished) {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    running
        .into_iter()
        .map(|attack| attack.join().unwrap_or_else(|_| panic!("an attack failed")))
        .collect()
}

/// Asserts that `took` is the server's deadline: not before it, and not
/// long after (a busy machine may add a little).
fn at_the_deadline(what: &str, took: Duration) {
    assert!(
        took >= DEADLINE - Duration::from_millis(100) && took < DEADLINE * 3,
        "{what} after {took:?}, not at the {DEADLINE:?} deadline"
    );
}

#[test]
fn idle_connections_are_shed_and_never_lock_out_a_query() {
    // Default limits: 256 connections. oxhttp's server answered nobody once
    // 128 idle connections held its 128 threads.
    let server = Server::start(&[]);
    let fresh: Vec<TcpStream> = (0..150).map(|_| connect(&server)).collect();
    let kept_alive: Vec<BufReader<TcpStream>> = (0..150)
        .map(|_| {
            let (reply, reader) = exchange(&server, ASK);
            assert_eq!(reply.status, 200);
            reader
        })
        .collect();
    answers_a_plain_query(&server);
    // 300 idle connections against a cap of 256: each one over the cap
    // closed the oldest idle one to make room.
    let mut oldest = fresh.into_iter().next().expect("a connection");
    assert!(closed(&mut oldest), "the oldest idle connection was shed");
    let mut newest = kept_alive.into_iter().last().expect("a connection");
    newest.get_mut().write_all(ASK.as_bytes()).expect("sent");
    assert_eq!(read_reply(&mut newest).status, 200, "the newest is kept");
}

#[test]
fn at_the_cap_with_every_connection_answering_a_new_one_gets_503() {
    let server = Server::start(&["--max-connections", "4", "--request-timeout-s", "2"]);
    // Four requests whose bodies never come: each connection is answering a
    // request (hyper asks for the body with `100 Continue`) until the body deadline.
    let started = Instant::now();
    let mut busy: Vec<BufReader<TcpStream>> = (0..4)
        .map(|_| {
            let (go_on, reader) = exchange(
                &server,
                "POST /query HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\nContent-Length: 6\r\nExpect: 100-continue\r\n\r\n",
            );
            assert_eq!(go_on.status, 100);
            reader
        })
        .collect();
    let (refused, mut connection) = exchange(&server, ASK);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(
        refused.body,
        "this server has 4 connections open, all answering a request (--max-connections); try again in a second\n"
    );
    assert!(closed(&mut connection), "a refused connection is closed");
    for reader in &mut busy {
        let timed_out = read_reply(reader);
        assert_eq!(timed_out.status, 408);
        assert!(closed(reader));
    }
    at_the_deadline("the stalled bodies were cut", started.elapsed());
    answers_a_plain_query(&server);
}

#[test]
fn deadlines_cut_slow_clients_while_others_are_answered() {
    let server = Server::start(&["--request-timeout-s", "2"]);
    let port = server.port;
    let connect = move || {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(BOUND));
        stream
    };
    let attacks: Vec<Attack<Outcome>> = vec![
        // Slowloris: a request head, a byte a second (hyper starts its header
        // deadline when it starts waiting, and never restarts it per read).
        Box::new(move || {
            let mut stream = connect();
            let started = Instant::now();
            let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
            let _ = stream.write_all(b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nX-Slow: ");
            for _byte in 0..30 {
                if stream.write_all(b"a").is_err() {
                    break;
                }
                match stream.read(&mut [0; 64]) {
                    Ok(0) => break,
                    Ok(_) => panic!("the server answered an incomplete head"),
                    Err(error) if error.kind() == ErrorKind::ConnectionReset => break,
                    Err(_still_open) => {}
                }
            }
            ("a slowloris client was cut", started.elapsed(), 0)
        }),
        // A connection that never sends a byte.
        Box::new(move || {
            let mut stream = connect();
            let started = Instant::now();
            assert!(closed(&mut stream));
            ("a silent connection was closed", started.elapsed(), 0)
        }),
        // A keep-alive connection left idle after one request.
        Box::new(move || {
            let mut stream = connect();
            let _ = stream.write_all(ASK.as_bytes());
            let mut reader = BufReader::new(stream);
            assert_eq!(read_reply(&mut reader).status, 200);
            let idle_since = Instant::now();
            assert!(closed(&mut reader));
            (
                "an idle keep-alive connection was closed",
                idle_since.elapsed(),
                0,
            )
        }),
        // A body that stalls halfway: 20 of its 40 bytes, then nothing.
        Box::new(move || {
            let mut stream = connect();
            let started = Instant::now();
            let _ = stream.write_all(
                b"POST /query HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\nContent-Length: 40\r\n\r\nASK { ?s ?p ?o FILTE",
            );
            let mut reader = BufReader::new(stream);
            let reply = read_reply(&mut reader);
            assert_eq!(
                reply.body,
                "the request body did not arrive within this server's limit of 2 s\n"
            );
            assert!(closed(&mut reader), "a stalled body ends the connection");
            ("a stalled body was cut", started.elapsed(), reply.status)
        }),
    ];
    let outcomes = under_attack(&server, attacks);
    for (what, took, _) in &outcomes {
        at_the_deadline(what, *took);
    }
    assert_eq!(
        outcomes[3].2, 408,
        "a stalled body gets 408 Request Timeout"
    );
}

#[test]
fn pipelining_a_lying_length_the_server_name_and_cors_preflights() {
    let server = Server::start(&["--cors"]);
    // Three requests in one write get three answers, in order.
    let select = |n: u8, last: &str| {
        format!(
            "GET /query?query=SELECT%20({n}%20AS%20%3Fn)%20%7B%7D HTTP/1.1\r\nHost: test\r\nAccept: text/csv\r\n{last}\r\n"
        )
    };
    let pipelined = [
        select(1, ""),
        select(2, ""),
        select(3, "Connection: close\r\n"),
    ]
    .concat();
    let (first, mut reader) = exchange(&server, &pipelined);
    let answers = [first, read_reply(&mut reader), read_reply(&mut reader)];
    let bodies: Vec<&str> = answers.iter().map(|reply| reply.body.as_str()).collect();
    assert_eq!(bodies, ["n\r\n1\r\n", "n\r\n2\r\n", "n\r\n3\r\n"]);
    assert!(closed(&mut reader), "closed after the last, as it asked");
    let version = format!("cyberkg/{}", env!("CARGO_PKG_VERSION"));
    assert_eq!(answers[0].header("server"), Some(version.as_str()));

    // A Content-Length over the limit, and no body: 413 at once, then closed.
    let started = Instant::now();
    let (too_large, mut reader) = exchange(
        &server,
        "POST /query HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\nContent-Length: 1000000000000\r\n\r\n",
    );
    let took = started.elapsed();
    assert_eq!(too_large.status, 413);
    assert!(took < Duration::from_secs(1), "413 after {took:?}");
    assert_eq!(
        too_large.body,
        "the request body is larger than this server's limit of 1048576 bytes\n"
    );
    assert!(closed(&mut reader), "the unread body ends the connection");

    // hyper, unlike oxhttp 0.3.3, sends Access-Control-Allow-Methods.
    let (preflight, _) = exchange(
        &server,
        "OPTIONS /query HTTP/1.1\r\nHost: test\r\nOrigin: https://example.org\r\nAccess-Control-Request-Method: POST\r\n\r\n",
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-methods"),
        Some("GET, HEAD, POST, OPTIONS")
    );
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("accept, content-type")
    );
}

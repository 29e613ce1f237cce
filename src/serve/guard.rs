//! A guard in front of tiny_http, which has no limits of its own.
//!
//! tiny_http reads a request head of any size into memory, waits for a slow client forever, and
//! stops accepting connections for good after one failed `accept` (say, out of file
//! descriptors). So the preview listens itself and hands each connection to tiny_http, on an
//! internal loopback socket, only through a guard that enforces limits: a request head of at
//! most `MAX_HEAD` bytes, sent within `HEAD_TIME`; a body of at most `MAX_BODY` bytes (the
//! preview only answers GET and HEAD); at most `MAX_CONNECTIONS` connections at once; and a
//! client that stops reading its answer is dropped after `SEND_TIME`. Whatever breaks a limit
//! gets its HTTP status and a closed connection; nothing else is touched on the way through.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The longest request line and headers accepted.
pub const MAX_HEAD: usize = 16 * 1024;
/// The largest request body accepted.
pub const MAX_BODY: u64 = 64 * 1024;
/// How long a client may take to send a whole request head, once it started.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// How long a client may leave its answer unread before it is dropped.
pub const SEND_TIME: Duration = Duration::from_secs(10);
/// Connections served at once; more are answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 4096;

/// Each connection's threads only copy bytes: a small stack is plenty.
const STACK: usize = 64 * 1024;

/// The running guard: its accept loop, stopped by `stop`.
pub struct Guard {
    address: SocketAddr,
    stopping: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Starts guarding `public`; returns the guard and the internal listener for tiny_http.
pub fn start(public: TcpListener) -> io::Result<(Guard, TcpListener)> {
    let internal = TcpListener::bind("127.0.0.1:0")?;
    let inner = internal.local_addr()?;
    let address = public.local_addr()?;
    let stopping = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stopping);
    let thread = std::thread::spawn(move || accept_loop(&public, inner, &flag));
    let guard = Guard {
        address,
        stopping,
        thread: Some(thread),
    };
    Ok((guard, internal))
}

impl Guard {
    /// Stops accepting connections and waits for the accept loop to end.
    pub fn stop(mut self) {
        self.stopping.store(true, Ordering::SeqCst);
        // Wake the loop from `accept`.
        drop(TcpStream::connect(self.address));
        if let Some(thread) = self.thread.take() {
            drop(thread.join());
        }
    }
}

fn accept_loop(public: &TcpListener, inner: SocketAddr, stopping: &AtomicBool) {
    let open = Arc::new(AtomicUsize::new(0));
    while !stopping.load(Ordering::SeqCst) {
        let client = match public.accept() {
            Ok((client, _)) => client,
            // Out of descriptors or a connection reset before it was accepted: wait and go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            refuse(&client, 503, "Service Unavailable");
            continue;
        }
        let open = Arc::clone(&open);
        let spawned = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn(move || {
                guard_connection(client, inner);
                open.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread could be made: the connection was dropped with the closure.
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Carries one connection to tiny_http and back, checking each request head on the way in.
fn guard_connection(client: TcpStream, inner: SocketAddr) {
    let Ok(server) = TcpStream::connect(inner) else {
        return refuse(&client, 503, "Service Unavailable");
    };
    let (Ok(client_out), Ok(server_in)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    drop(client_out.set_write_timeout(Some(SEND_TIME)));
    let refusing = Arc::new(AtomicBool::new(false));
    let refusing_seen = Arc::clone(&refusing);
    let answers = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || copy_answers(server_in, client_out, &refusing_seen));
    let Ok(answers) = answers else {
        return;
    };
    let verdict = copy_requests(&client, &server);
    match verdict {
        Verdict::Closed => drop(server.shutdown(Shutdown::Write)),
        Verdict::Refused(status, reason) => {
            // Let earlier answers finish first, so the refusal is not written into one.
            refusing.store(true, Ordering::SeqCst);
            drop(server.shutdown(Shutdown::Both));
            drop(answers.join());
            return refuse(&client, status, reason);
        }
    }
    drop(answers.join());
}

/// Copies answers to the client until either side closes or the client stops reading; then
/// closes the client too, unless a refusal is still to be written to it.
fn copy_answers(mut server: TcpStream, mut client: TcpStream, refusing: &AtomicBool) {
    drop(io::copy(&mut server, &mut client));
    drop(server.shutdown(Shutdown::Both));
    if !refusing.load(Ordering::SeqCst) {
        drop(client.shutdown(Shutdown::Both));
    }
}

/// How a client's side of a connection ended.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// The client closed (or the server did).
    Closed,
    /// The client broke a limit: answer this status and close.
    Refused(u16, &'static str),
}

/// Copies requests to the server, each head checked against the limits.
fn copy_requests(mut client: &TcpStream, mut server: &TcpStream) -> Verdict {
    let mut requests = Requests::default();
    let mut buffer = [0u8; 8192];
    loop {
        let timeout = requests.head_deadline().map(|deadline| {
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(1))
        });
        drop(client.set_read_timeout(timeout));
        let read = match client.read(&mut buffer) {
            Ok(0) => return Verdict::Closed,
            Ok(read) => read,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Verdict::Refused(408, "Request Timeout");
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Verdict::Closed,
        };
        let passed = match requests.feed(&buffer[..read]) {
            Ok(passed) => passed,
            Err(refused) => return refused,
        };
        if server.write_all(&passed).is_err() {
            return Verdict::Closed;
        }
    }
}

/// Where a connection is in its stream of requests.
#[derive(Debug, Default)]
struct Requests {
    /// The head being received, and when its first byte came.
    head: Vec<u8>,
    head_started: Option<Instant>,
    /// Body bytes still to pass through before the next head.
    body_left: u64,
}

impl Requests {
    fn head_deadline(&self) -> Option<Instant> {
        self.head_started.map(|started| started + HEAD_TIME)
    }

    /// Takes the bytes just read; returns those to pass on, or the refusal.
    fn feed(&mut self, mut bytes: &[u8]) -> Result<Vec<u8>, Verdict> {
        let mut passed = Vec::with_capacity(bytes.len());
        while let Some((&byte, rest)) = bytes.split_first() {
            if self.body_left > 0 {
                let take = bytes
                    .len()
                    .min(usize::try_from(self.body_left).unwrap_or(usize::MAX));
                passed.extend_from_slice(&bytes[..take]);
                self.body_left -= take as u64;
                bytes = &bytes[take..];
                continue;
            }
            self.head_started.get_or_insert_with(Instant::now);
            self.head.push(byte);
            bytes = rest;
            if self.head.ends_with(b"\r\n\r\n") || self.head.ends_with(b"\n\n") {
                self.body_left = body_length(&self.head)?;
                passed.append(&mut self.head);
                self.head_started = None;
            } else if self.head.len() > MAX_HEAD {
                return Err(Verdict::Refused(431, "Request Header Fields Too Large"));
            }
        }
        Ok(passed)
    }
}

/// The length of the body that follows a complete head, if it is one the preview accepts.
fn body_length(head: &[u8]) -> Result<u64, Verdict> {
    let text = String::from_utf8_lossy(head);
    let mut length = 0;
    for line in text.lines().skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Verdict::Refused(411, "Length Required"));
        }
        if name.eq_ignore_ascii_case("content-length") {
            length = value
                .trim()
                .parse::<u64>()
                .map_err(|_| Verdict::Refused(400, "Bad Request"))?;
        }
    }
    if length > MAX_BODY {
        return Err(Verdict::Refused(413, "Content Too Large"));
    }
    Ok(length)
}

/// Answers `status` and closes; a client that is gone already is no matter.
fn refuse(mut client: &TcpStream, status: u16, reason: &str) {
    drop(client.set_write_timeout(Some(SEND_TIME)));
    drop(write!(
        client,
        "HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    ));
    drop(client.shutdown(Shutdown::Both));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_bodies_pass_through_unchanged() {
        let mut requests = Requests::default();
        let stream = b"GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\n";
        let mut passed = Vec::new();
        for chunk in stream.chunks(5) {
            passed.extend(requests.feed(chunk).unwrap());
        }
        assert_eq!(passed, stream);
        assert!(requests.head_started.is_none());
    }

    #[test]
    fn a_head_waits_until_it_is_complete() {
        let mut requests = Requests::default();
        assert!(requests.feed(b"GET / HTTP/1.1\r\nHo").unwrap().is_empty());
        assert!(requests.head_deadline().is_some());
        assert_eq!(
            requests.feed(b"st: x\r\n\r\n").unwrap(),
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        );
    }

    #[test]
    fn oversized_heads_and_bodies_are_refused() {
        let mut requests = Requests::default();
        let huge = vec![b'a'; MAX_HEAD + 1];
        assert_eq!(
            requests.feed(&huge),
            Err(Verdict::Refused(431, "Request Header Fields Too Large"))
        );
        for (head, status) in [
            ("GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413),
            ("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ] {
            let verdict = Requests::default().feed(head.as_bytes()).unwrap_err();
            assert!(
                matches!(verdict, Verdict::Refused(s, _) if s == status),
                "{head}"
            );
        }
    }
}

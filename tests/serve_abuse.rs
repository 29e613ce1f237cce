//! The preview server under load and abuse, all on 127.0.0.1: many connections at once, slow
//! and stalled clients, huge headers, malformed requests and path traversal each get a quick,
//! correct answer (or a closed connection), memory stays bounded, and normal requests keep
//! being answered throughout. Every loop here is bounded in count and time.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::start_preview as start;

/// How long any answer may take, even under abuse.
const QUICK: Duration = Duration::from_secs(5);

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(QUICK * 2)).unwrap();
    stream.set_write_timeout(Some(QUICK * 2)).unwrap();
    stream
}

/// Sends `raw`, closes the sending side, and reads the answer until the server closes the
/// connection or goes quiet for `QUICK`; the status, or `None` when the server closed without one
/// (a fair answer to garbage).
fn exchange(address: SocketAddr, raw: &[u8]) -> (Option<u16>, String) {
    let mut stream = connect(address);
    // The server may close while garbage is still being sent.
    let _ = stream.write_all(raw);
    let _ = stream.shutdown(std::net::Shutdown::Write);
    read_answer(&mut stream)
}

fn read_answer(stream: &mut TcpStream) -> (Option<u16>, String) {
    stream.set_read_timeout(Some(QUICK)).unwrap();
    let mut raw = Vec::new();
    let mut chunk = [0u8; 65536];
    while let Ok(read) = stream.read(&mut chunk) {
        if read == 0 {
            break;
        }
        raw.extend_from_slice(&chunk[..read]);
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .strip_prefix("HTTP/1.")
        .and_then(|rest| rest.get(2..5))
        .and_then(|code| code.parse().ok());
    (status, text)
}

fn get(address: SocketAddr, target: &str) -> (Option<u16>, String) {
    exchange(
        address,
        format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

/// A normal request is answered, and quickly.
fn assert_still_serving(address: SocketAddr) {
    let started = Instant::now();
    let (status, body) = get(address, "/briefing/");
    assert_eq!(status, Some(200), "{body}");
    assert!(body.contains("Ukraine Briefing"));
    assert!(
        started.elapsed() < QUICK,
        "a normal request took {:?}",
        started.elapsed()
    );
}

/// The resident memory of this process, in bytes (the server runs inside it).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

#[test]
fn a_thousand_concurrent_connections_are_all_answered() {
    let site = common::Site::example();
    let preview = start(site.root());
    let address = preview.address();
    let started = Instant::now();
    let mut streams: Vec<TcpStream> = (0..1000).map(|_| connect(address)).collect();
    for stream in &mut streams {
        stream
            .write_all(b"GET /briefing/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .unwrap();
    }
    for stream in &mut streams {
        let (status, body) = read_answer(stream);
        assert_eq!(status, Some(200));
        assert!(body.contains("Ukraine Briefing"));
    }
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    drop(streams);
    assert_still_serving(address);
    preview.stop();
}

#[test]
fn slow_and_stalled_clients_do_not_hold_up_the_others() {
    let site = common::Site::example();
    // A large file, so that a client that stops reading fills the socket and blocks a writer.
    site.write_bytes("static/big.bin", &vec![b'x'; 64 << 20]);
    let preview = start(site.root());
    let address = preview.address();
    // Slowloris: a header byte a second, more of them than the server has workers.
    let slow: Vec<_> = (0..20)
        .map(|_| {
            std::thread::spawn(move || {
                let mut stream = connect(address);
                for byte in b"GET /briefing/ HTTP/1.1\r\nHost: l".iter().take(6) {
                    if stream.write_all(&[*byte]).is_err() {
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            })
        })
        .collect();
    // Stalled readers: ask for the large file and never read it.
    let stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut stream = connect(address);
            stream
                .write_all(b"GET /briefing/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..10 {
        assert_still_serving(address);
        std::thread::sleep(Duration::from_millis(200));
    }
    for thread in slow {
        thread.join().unwrap();
    }
    drop(stalled);
    assert_still_serving(address);
    preview.stop();
}

#[test]
fn a_request_head_left_unfinished_is_timed_out() {
    let site = common::Site::example();
    let preview = start(site.root());
    let address = preview.address();
    let mut stream = connect(address);
    let started = Instant::now();
    stream
        .write_all(b"GET /briefing/ HTTP/1.1\r\nHost: loc")
        .unwrap();
    stream.set_read_timeout(Some(QUICK * 4)).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    let waited = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    let limit = briefing::serve::guard::HEAD_TIME;
    assert!(waited >= limit && waited < limit + QUICK, "{waited:?}");
    preview.stop();
}

#[test]
fn huge_headers_get_a_quick_answer_and_bounded_memory() {
    let site = common::Site::example();
    let preview = start(site.root());
    let address = preview.address();
    assert_still_serving(address);
    let before = resident_bytes();
    let long_line = format!(
        "GET /briefing/ HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 << 20)
    );
    let many_lines = format!(
        "GET /briefing/ HTTP/1.1\r\nHost: localhost\r\n{}\r\n",
        "X-Many: b\r\n".repeat(1 << 20)
    );
    let long_target = format!(
        "GET /briefing/{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "c".repeat(16 << 20)
    );
    for raw in [long_line, many_lines, long_target] {
        let started = Instant::now();
        let (status, _) = exchange(address, raw.as_bytes());
        assert!(
            status.is_none_or(|s| (400..500).contains(&s)),
            "a huge request got {status:?}"
        );
        assert!(
            started.elapsed() < QUICK * 2,
            "took {:?}",
            started.elapsed()
        );
        assert_still_serving(address);
    }
    let grown = resident_bytes().saturating_sub(before);
    assert!(grown < 256 << 20, "memory grew by {} MB", grown >> 20);
    preview.stop();
}

#[test]
fn malformed_requests_get_an_error_and_the_server_goes_on() {
    let site = common::Site::example();
    let preview = start(site.root());
    let address = preview.address();
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let requests: Vec<&[u8]> = vec![
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /briefing/\r\n\r\n",
        b"GET /briefing/ HTTP/9.9\r\nHost: l\r\n\r\n",
        b"GET /briefing/ FTP/1.1\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"GET /briefing/%ff%fe HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET /briefing/%zz HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET /briefing/\xff\xfe HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET /briefing/ HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"GET /briefing/ HTTP/1.1\r\nX-Latin: caf\xe9\r\n\r\n",
        b"GET /briefing/ HTTP/1.1\r\nHost: l\r\nContent-Length: -1\r\n\r\n",
        b"GET /briefing/ HTTP/1.1\r\nHost: l\r\nContent-Length: 99999999999999999999\r\n\r\n",
        b"POST /briefing/ HTTP/1.1\r\nHost: l\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\nshort",
        b"GET /briefing/ HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzzz\r\n\r\n",
        b"GET /briefing/ HTTP/1.1\r\nHost: l\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
        b"DELETE /briefing/ HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET http://elsewhere.invalid/ HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET * HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        b"GET /briefing/\0 HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n",
        &garbage,
    ];
    for raw in requests {
        let started = Instant::now();
        let (status, text) = exchange(address, raw);
        let shown = String::from_utf8_lossy(&raw[..raw.len().min(60)]).into_owned();
        assert!(
            started.elapsed() < QUICK,
            "{shown:?} took {:?}",
            started.elapsed()
        );
        if let Some(status) = status {
            assert!(
                status == 200 && text.contains("Ukraine Briefing") || status >= 300,
                "{shown:?} got {status}"
            );
        }
        assert_still_serving(address);
    }
    preview.stop();
}

#[test]
fn no_traversal_reaches_a_file_outside_the_site() {
    let site = common::Site::example();
    let outside = site.root().parent().unwrap().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "SECRET").unwrap();
    site.write("static/ok.txt", "fine");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, site.root().join("static/linked")).unwrap();
        std::os::unix::fs::symlink(&outside, site.root().join("content/linked")).unwrap();
    }
    let preview = start(site.root());
    let address = preview.address();
    assert_eq!(get(address, "/briefing/ok.txt").0, Some(200));
    let targets = [
        "/briefing/../outside/secret.txt",
        "/briefing/../../outside/secret.txt",
        "/../../../../etc/passwd",
        "/briefing/%2e%2e/%2e%2e/outside/secret.txt",
        "/briefing/%2E%2E%2F%2E%2E%2Foutside%2Fsecret.txt",
        "/briefing/%252e%252e/%252e%252e/outside/secret.txt",
        "/briefing/..%5c..%5coutside%5csecret.txt",
        "/briefing/..\\..\\outside\\secret.txt",
        "/briefing/%c0%ae%c0%ae/%c0%ae%c0%ae/outside/secret.txt",
        "/briefing/linked/secret.txt",
        "/briefing/content/linked/secret.txt",
        "/briefing/./././../outside/secret.txt",
        "//etc/passwd",
        "/briefing//etc/passwd",
        "/briefing/%2fetc%2fpasswd",
        "/briefing/ok.txt/../../outside/secret.txt",
    ];
    for target in targets {
        let started = Instant::now();
        let (status, text) = get(address, target);
        assert!(
            started.elapsed() < QUICK,
            "{target} took {:?}",
            started.elapsed()
        );
        assert!(!text.contains("SECRET"), "{target} leaked the secret");
        assert!(!text.contains("root:x:"), "{target} leaked /etc/passwd");
        assert!(status.is_some_and(|s| s >= 300), "{target} got {status:?}");
    }
    preview.stop();
}

#[test]
fn the_server_listens_only_on_this_machine_unless_told_otherwise() {
    use clap::Parser;
    let cli = briefing::cli::Cli::try_parse_from(["briefing", "serve"]).unwrap();
    let briefing::cli::Command::Serve(args) = cli.command else {
        panic!("not the serve command");
    };
    assert!(args.bind.is_loopback(), "{}", args.bind);
}

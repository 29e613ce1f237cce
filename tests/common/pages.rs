//! Helpers for the GitHub Pages tests: the example site with another base URL, the briefing
//! binary, and a plain static HTTP server that behaves like GitHub Pages where the tests need.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{copy_dir, repo};

/// Copies the example briefing into a temp folder with another `base_url`, and `cname`.
pub fn example_site(base_url: &str, cname: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    copy_dir(&repo().join("themes"), &dir.path().join("themes"));
    let toml = std::fs::read_to_string(repo().join("site.toml")).unwrap();
    let mut lines: Vec<String> = Vec::new();
    for line in toml.lines() {
        if line.starts_with("base_url") {
            lines.push(format!("base_url = \"{base_url}\""));
            if let Some(cname) = cname {
                lines.push(format!("cname = \"{cname}\""));
            }
        } else {
            lines.push(line.to_string());
        }
    }
    std::fs::write(dir.path().join("site.toml"), lines.join("\n") + "\n").unwrap();
    dir
}

/// Runs the briefing binary in `dir`.
pub fn briefing(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// Runs the briefing binary and asserts it succeeded; returns its stderr.
pub fn briefing_ok(dir: &Path, args: &[&str]) -> String {
    let output = briefing(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "briefing {args:?} failed:\n{stderr}"
    );
    stderr
}

/// A static file server on 127.0.0.1 that serves `root` under the URL path `mount` (`/` or
/// `/repo/`): folders answer with their `index.html`, a folder without its slash is redirected,
/// and a missing file answers 404 with the site's `404.html`, as GitHub Pages does.
pub struct StaticServer {
    pub port: u16,
}

impl StaticServer {
    pub fn start(root: PathBuf, mount: &str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mount = mount.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = serve(stream, &root, &mount);
            }
        });
        StaticServer { port }
    }

    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn serve(mut stream: TcpStream, root: &Path, mount: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let (status, headers, body) = respond(root, mount, path);
    let mut response = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        response.push_str(&header);
        response.push_str("\r\n");
    }
    response.push_str("\r\n");
    stream.write_all(response.as_bytes())?;
    stream.write_all(&body)
}

fn respond(root: &Path, mount: &str, path: &str) -> (&'static str, Vec<String>, Vec<u8>) {
    let not_found = || {
        let body = std::fs::read(root.join("404.html")).unwrap_or_default();
        ("404 Not Found", Vec::new(), body)
    };
    let decoded = percent_decode(path);
    let Some(relative) = decoded
        .strip_prefix(mount)
        .or_else(|| (decoded == mount.trim_end_matches('/')).then_some(""))
    else {
        return not_found();
    };
    if relative.split('/').any(|part| part == "..") {
        return not_found();
    }
    if decoded == mount.trim_end_matches('/') && mount != "/" {
        return (
            "301 Moved Permanently",
            vec![format!("Location: {mount}")],
            Vec::new(),
        );
    }
    let file = root.join(relative);
    if file.is_dir() {
        if !relative.is_empty() && !relative.ends_with('/') {
            return (
                "301 Moved Permanently",
                vec![format!("Location: {path}/")],
                Vec::new(),
            );
        }
        return match std::fs::read(file.join("index.html")) {
            Ok(body) => ("200 OK", Vec::new(), body),
            Err(_) => not_found(),
        };
    }
    match std::fs::read(&file) {
        Ok(body) => ("200 OK", Vec::new(), body),
        Err(_) => not_found(),
    }
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An HTTP response as the crawler sees it.
pub struct Response {
    pub status: u16,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

/// A plain HTTP/1.1 GET to the local server.
pub fn http_get(port: u16, path: &str) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let location = head
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .map(str::to_string);
    Response {
        status,
        location,
        body: raw[split + 4..].to_vec(),
    }
}

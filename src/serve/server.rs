//! The HTTP side of `serve`: answers requests from the site built in memory.
//!
//! A request path is only ever looked up in the map of rendered files, never joined to a folder
//! on disk, so `..`, `%2e%2e` or a symlink cannot reach a file outside the site. `route` decides
//! every answer as a pure function of the current site and the request target; the tiny_http
//! side only carries bytes.

use std::io::Write;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response};

use super::files::SiteFiles;
use super::reload::{EVENTS_PATH, Event, Hub, inject_script};
use crate::error::Diagnostic;

/// One build of the site as it is served.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Counts the builds that changed the site; pages reload when it moves on.
    pub version: u64,
    /// `/` or the base path of `base_url`, such as `/repo/`.
    pub base_path: String,
    /// The last good build, by path under the output folder (`articles/x/index.html`).
    pub files: SiteFiles,
    /// The errors of the last build when it failed, else empty.
    pub errors: Vec<Diagnostic>,
}

/// What to answer to a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// A file of the site (or the 404 page), with its status and MIME type.
    File {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
    /// A redirect, e.g. from a folder without its trailing slash.
    Redirect(String),
    /// The live-reload event stream.
    Events,
    /// A request path that tries to leave the site.
    Forbidden,
    /// A method other than GET and HEAD.
    MethodNotAllowed,
    /// A path that is not valid percent-encoded UTF-8.
    BadRequest,
}

/// Decides the answer to a GET or HEAD of `target` (path and query, as sent).
pub fn route(snapshot: &Snapshot, target: &str) -> Reply {
    let raw_path = target.split(['?', '#']).next().unwrap_or("");
    let Ok(path) = percent_decode_str(raw_path).decode_utf8() else {
        return Reply::BadRequest;
    };
    if path == EVENTS_PATH {
        return Reply::Events;
    }
    if path
        .split(['/', '\\'])
        .any(|segment| segment == ".." || segment == ".")
        || path.contains('\0')
    {
        return Reply::Forbidden;
    }
    let base = snapshot.base_path.as_str();
    let Some(relative) = path.strip_prefix(base) else {
        // The site lives under its base path; the bare origin leads there.
        if path == "/" || format!("{path}/") == base {
            return Reply::Redirect(base.to_string());
        }
        return not_found(snapshot);
    };
    let relative = relative.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        return file(snapshot, &format!("{relative}index.html"), 200)
            .unwrap_or_else(|| not_found(snapshot));
    }
    if let Some(reply) = file(snapshot, relative, 200) {
        return reply;
    }
    if snapshot
        .files
        .contains_key(&format!("{relative}/index.html"))
    {
        // The path as sent (still percent-encoded) can hold no line break.
        return Reply::Redirect(format!("{raw_path}/"));
    }
    not_found(snapshot)
}

fn file(snapshot: &Snapshot, path: &str, status: u16) -> Option<Reply> {
    let bytes = snapshot.files.get(path)?;
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        inject_script(bytes, snapshot.version)
    } else {
        bytes.clone()
    };
    Some(Reply::File {
        status,
        content_type,
        body,
    })
}

/// The site's own 404 page, or a bare one (with the live-reload script, so that a site whose
/// first build failed still shows its errors) when it has none.
fn not_found(snapshot: &Snapshot) -> Reply {
    file(snapshot, "404.html", 404).unwrap_or_else(|| Reply::File {
        status: 404,
        content_type: "text/html; charset=utf-8".into(),
        body: inject_script(
            b"<!DOCTYPE html><title>Not found</title><body><h1>Not found</h1></body>",
            snapshot.version,
        ),
    })
}

/// The MIME type of a file, by its extension; text types say they are UTF-8.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || matches!(mime.subtype().as_str(), "json" | "javascript" | "xml")
        || mime.suffix().is_some_and(|s| s.as_str() == "xml");
    if text {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Answers one request; event streams are handed to a thread of their own.
pub fn handle(request: Request, snapshot: &Snapshot, hub: &Arc<Hub>) {
    let reply = match request.method() {
        Method::Get | Method::Head => route(snapshot, request.url()),
        _ => Reply::MethodNotAllowed,
    };
    let result = match reply {
        Reply::Events => {
            let hub = Arc::clone(hub);
            let greeting = greeting(snapshot);
            std::thread::spawn(move || stream_events(request, &hub, greeting));
            return;
        }
        Reply::File {
            status,
            content_type,
            body,
        } => request.respond(with_headers(
            Response::from_data(body).with_status_code(status),
            &[
                ("Content-Type", &content_type),
                ("Cache-Control", "no-store"),
            ],
        )),
        Reply::Redirect(location) => request.respond(with_headers(
            Response::empty(302),
            &[("Location", &location), ("Cache-Control", "no-store")],
        )),
        Reply::Forbidden => {
            request.respond(Response::from_string("forbidden").with_status_code(403))
        }
        Reply::MethodNotAllowed => request.respond(with_headers(
            Response::from_string("only GET and HEAD").with_status_code(405),
            &[("Allow", "GET, HEAD")],
        )),
        Reply::BadRequest => {
            request.respond(Response::from_string("bad request").with_status_code(400))
        }
    };
    // A client that went away is no error of the server's.
    drop(result);
}

/// Adds headers; a value that is not a valid header (never the case for ours) is left out.
fn with_headers<R: std::io::Read>(
    mut response: Response<R>,
    headers: &[(&str, &str)],
) -> Response<R> {
    for (name, value) in headers {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    response
}

/// What a page is told first: the build it talks to, and the errors of a failed build.
fn greeting(snapshot: &Snapshot) -> Vec<Event> {
    let mut events = vec![Event::Hello(snapshot.version)];
    if !snapshot.errors.is_empty() {
        events.push(Event::errors(&snapshot.errors));
    }
    events
}

/// How often an idle event stream gets a comment, which also notices pages that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Sends events to one page until it goes away or the server stops.
///
/// tiny_http's responses buffer chunked bodies, which would hold events back, so the stream is
/// written on the raw connection: a fixed response head, then one frame per event, flushed.
fn stream_events(request: Request, hub: &Hub, greeting: Vec<Event>) {
    let events = hub.subscribe();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut send = |text: &str| {
        writer
            .write_all(text.as_bytes())
            .and_then(|()| writer.flush())
    };
    if send(head).is_err() {
        return;
    }
    for event in greeting {
        if send(&event.frame()).is_err() {
            return;
        }
    }
    loop {
        let text = match events.recv_timeout(KEEP_ALIVE) {
            Ok(event) => event.frame(),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if send(&text).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn snapshot() -> Snapshot {
        let files = [
            ("index.html", "<html><body>home</body></html>"),
            ("404.html", "<html><body>missing</body></html>"),
            ("articles/a/index.html", "<html><body>story</body></html>"),
            ("style.css", "body{}"),
            ("index.json", "{}"),
        ];
        Snapshot {
            version: 1,
            base_path: "/repo/".into(),
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
                .collect::<HashMap<_, _>>()
                .into(),
            errors: Vec::new(),
        }
    }

    fn status_and_body(reply: Reply) -> (u16, String) {
        match reply {
            Reply::File { status, body, .. } => (status, String::from_utf8(body).unwrap()),
            other => panic!("not a file: {other:?}"),
        }
    }

    #[test]
    fn pages_are_served_under_the_base_path_with_the_script() {
        let (status, body) = status_and_body(route(&snapshot(), "/repo/articles/a/?x=1"));
        assert_eq!(status, 200);
        assert!(body.contains("story") && body.contains("briefing-live-reload"));
        let (_, home) = status_and_body(route(&snapshot(), "/repo/"));
        assert!(home.contains("home"));
    }

    #[test]
    fn folders_without_a_slash_and_the_bare_origin_redirect() {
        assert_eq!(
            route(&snapshot(), "/repo/articles/a"),
            Reply::Redirect("/repo/articles/a/".into())
        );
        assert_eq!(route(&snapshot(), "/"), Reply::Redirect("/repo/".into()));
        assert_eq!(
            route(&snapshot(), "/repo"),
            Reply::Redirect("/repo/".into())
        );
    }

    #[test]
    fn missing_pages_get_the_sites_404_page() {
        for target in ["/repo/nope/", "/other/index.html", "/repo/articles/b/"] {
            let (status, body) = status_and_body(route(&snapshot(), target));
            assert_eq!(status, 404, "{target}");
            assert!(body.contains("missing"), "{target}");
        }
    }

    #[test]
    fn traversal_is_refused_plain_or_encoded() {
        for target in [
            "/repo/../../etc/passwd",
            "/repo/%2e%2e/%2e%2e/etc/passwd",
            "/repo/%2E%2E%2Fsite.toml",
            "/repo/articles/..%5c..%5csite.toml",
        ] {
            assert_eq!(route(&snapshot(), target), Reply::Forbidden, "{target}");
        }
        assert_eq!(route(&snapshot(), "/repo/%ff"), Reply::BadRequest);
    }

    #[test]
    fn mime_types_follow_the_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("index.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        let (_, css) = match route(&snapshot(), "/repo/style.css") {
            Reply::File {
                content_type, body, ..
            } => (content_type, body),
            other => panic!("{other:?}"),
        };
        assert_eq!(css, b"body{}", "stylesheets get no script");
    }
}

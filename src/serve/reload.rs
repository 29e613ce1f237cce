//! Live reload: the script `serve` injects into the pages it serves, the events it sends to
//! them over Server-Sent Events, and what kind of event a rebuild calls for.
//!
//! The script is added when a page is served, never to the built files, so `briefing build`
//! output stays free of it. Pages reload after a rebuild that changed anything but stylesheets;
//! a stylesheet-only change swaps the stylesheets in place; a failed build shows its errors in
//! an overlay until a good build clears it.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

use serde::Serialize;

use super::files::SiteFiles;
use crate::error::Diagnostic;

/// Where pages listen for events; outside any base path so it works for every site.
pub const EVENTS_PATH: &str = "/__briefing/events";

/// Something the open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The site changed: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The last build failed: show these errors (JSON) over the page.
    Errors(String),
    /// Sent when a page connects: the build it is talking to.
    Hello(u64),
}

impl Event {
    /// The event as a Server-Sent Events frame.
    pub fn frame(&self) -> String {
        let (name, data) = match self {
            Event::Reload => ("reload", String::new()),
            Event::Css => ("css", String::new()),
            Event::Errors(json) => ("errors", json.clone()),
            Event::Hello(version) => ("hello", version.to_string()),
        };
        // JSON never holds a raw newline, which would end the `data:` line.
        format!("event: {name}\ndata: {data}\n\n")
    }

    /// The `Errors` event for the diagnostics of a failed build.
    pub fn errors(diagnostics: &[Diagnostic]) -> Event {
        let shown: Vec<ShownDiagnostic> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ShownDiagnostic::from)
            .collect();
        Event::Errors(serde_json::to_string(&shown).unwrap_or_else(|_| "[]".into()))
    }
}

/// A diagnostic as the overlay shows it.
#[derive(Debug, Serialize)]
struct ShownDiagnostic {
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
    /// The whole compiler-style line, `content/x.md:3:8: message`.
    text: String,
}

impl From<&Diagnostic> for ShownDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        ShownDiagnostic {
            file: d.path.display().to_string(),
            line: d.line,
            column: d.column,
            message: d.message.clone(),
            text: d.to_string(),
        }
    }
}

/// The pages listening for events.
#[derive(Debug, Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    /// Registers a page; it receives every event sent from now on.
    pub fn subscribe(&self) -> Receiver<Event> {
        let (sender, receiver) = channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(sender);
        }
        receiver
    }

    /// Sends an event to every page, forgetting those that went away.
    pub fn send(&self, event: &Event) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|client| client.send(event.clone()).is_ok());
        }
    }

    /// Disconnects every page (on shutdown).
    pub fn close(&self) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.clear();
        }
    }
}

/// What a rebuild changed, as far as open pages care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Nothing,
    StylesheetsOnly,
    Pages,
}

/// Compares two builds of the site file by file.
pub fn change_between(old: &SiteFiles, new: &SiteFiles) -> Change {
    let changed = old.differing_paths(new);
    if changed.is_empty() {
        Change::Nothing
    } else if changed.iter().all(|path| path.ends_with(".css")) {
        Change::StylesheetsOnly
    } else {
        Change::Pages
    }
}

/// The script added to every served page.
const SCRIPT: &str = r#"<script id="briefing-live-reload">
(() => {
  const events = new EventSource("__EVENTS__");
  const version = "__VERSION__";
  const overlayId = "briefing-error-overlay";
  function clearOverlay() {
    const old = document.getElementById(overlayId);
    if (old) old.remove();
  }
  function showErrors(errors) {
    clearOverlay();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    // `all:initial` keeps the theme's styles (for `pre`, `h2`...) off the overlay.
    box.style.cssText = "all:initial;position:fixed;inset:0;z-index:2147483647;display:block;" +
      "overflow:auto;padding:2rem;background:rgb(24,24,24);color:#fff;" +
      "font:15px/1.5 ui-monospace,Menlo,Consolas,monospace";
    const add = (tag, text, css) => {
      const element = document.createElement(tag);
      element.textContent = text;
      element.style.cssText = "all:initial;display:block;font:inherit;white-space:pre-wrap;" +
        "margin:0 0 1rem;color:#fff;" + css;
      box.appendChild(element);
      return element;
    };
    add("h2", "briefing: the build failed", "color:#ff8a80;font-weight:bold;font-size:1.15rem");
    for (const error of errors) {
      const line = add("pre", error.text, "");
      line.className = "briefing-error";
      line.dataset.file = error.file;
      if (error.line) line.dataset.line = error.line;
    }
    add("p", "Fix the file and save it: this page comes back by itself. " +
      "Until then the last good build is served.", "color:#bbb");
    document.body.appendChild(box);
  }
  function swapStylesheets() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("briefing-reload", Date.now());
      link.href = url.toString();
    }
  }
  events.addEventListener("hello", (e) => {
    // A build this page has not seen happened while it was not listening.
    if (e.data !== version) location.reload();
    clearOverlay();
  });
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("css", () => { clearOverlay(); swapStylesheets(); });
  events.addEventListener("errors", (e) => showErrors(JSON.parse(e.data)));
})();
</script>
"#;

/// Adds the live-reload script to an HTML page of build `version`, before its `</body>` (or at
/// its end).
pub fn inject_script(html: &[u8], version: u64) -> Vec<u8> {
    let script = SCRIPT
        .replace("__EVENTS__", EVENTS_PATH)
        .replace("__VERSION__", &version.to_string());
    let at = find_last_ignore_case(html, b"</body").unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + script.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(script.as_bytes());
    page.extend_from_slice(&html[at..]);
    page
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn files(entries: &[(&str, &str)]) -> SiteFiles {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect::<HashMap<_, _>>()
            .into()
    }

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let page = inject_script(b"<html><body><p>x</p></BODY></html>", 7);
        let page = String::from_utf8(page).unwrap();
        let script = page.find("briefing-live-reload").unwrap();
        assert!(script > page.find("<p>x</p>").unwrap());
        assert!(script < page.find("</BODY>").unwrap());
        assert!(page.contains(EVENTS_PATH));
        assert!(page.contains(r#"const version = "7";"#));
    }

    #[test]
    fn a_page_without_a_body_tag_gets_the_script_at_its_end() {
        let page = String::from_utf8(inject_script(b"<p>bare</p>", 7)).unwrap();
        assert!(page.starts_with("<p>bare</p><script"));
    }

    #[test]
    fn stylesheet_only_changes_are_told_apart_from_page_changes() {
        let old = files(&[("index.html", "a"), ("style.css", "x")]);
        assert_eq!(change_between(&old, &old), Change::Nothing);
        let css = files(&[("index.html", "a"), ("style.css", "y")]);
        assert_eq!(change_between(&old, &css), Change::StylesheetsOnly);
        let page = files(&[("index.html", "b"), ("style.css", "y")]);
        assert_eq!(change_between(&old, &page), Change::Pages);
        let removed = files(&[("style.css", "x")]);
        assert_eq!(change_between(&old, &removed), Change::Pages);
    }

    #[test]
    fn errors_are_sent_as_one_line_of_json_with_file_and_line() {
        let d = Diagnostic::error("content/a.md", "date: bad\nvalue").at(3, 8);
        let frame = Event::errors(&[d]).frame();
        assert!(frame.starts_with("event: errors\ndata: ["));
        assert_eq!(frame.matches('\n').count(), 3, "{frame}");
        assert!(frame.contains(r#""file":"content/a.md","line":3"#));
    }
}

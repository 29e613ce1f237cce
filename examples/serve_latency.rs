//! Measures save-to-served on a running preview, over HTTP, as an editor sees it:
//! `cargo run --release --example serve_latency -- SITE_ROOT content/path/to/article.md [ROUNDS]`.
//!
//! It starts `serve` on a free port, then, ROUNDS times (default 7): writes a new line into the
//! article, asks the server for the article's page every millisecond until the page shows the
//! line (the fast pass: this includes the watcher's debounce), then waits for the whole pass to
//! be published. It prints each round and the medians; the article is restored at the end.
//! With `--overlap` it waits only a second between rounds, so that each fast pass runs while
//! the whole pass of the round before is still building, and times the last whole pass only.
//! With `--description` it edits the article's `description` line instead (give the newest
//! article), and each round waits until the article page, the front page and the Atom feed all
//! show the new description: the lists that show an article are rebuilt too.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use briefing::BuildOptions;
use briefing::config::Overrides;
use briefing::content::markdown::Highlighter;
use briefing::serve::{Outcome, Pass, Preview};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(article)) = (args.next(), args.next()) else {
        fail("usage: serve_latency SITE_ROOT ARTICLE_UNDER_ROOT [ROUNDS]");
    };
    let rest: Vec<String> = args.collect();
    let overlap = rest.iter().any(|a| a == "--overlap");
    let description = rest.iter().any(|a| a == "--description");
    let rounds: usize = rest.iter().find_map(|n| n.parse().ok()).unwrap_or(7);
    let root = PathBuf::from(root);
    let path = root.join(&article);
    let original = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{e}")));
    let parsed = briefing::content::parse_article(
        &original,
        std::path::Path::new(&article),
        &Highlighter::default(),
    )
    .unwrap_or_else(|e| fail(&format!("{e:?}")));
    let options = BuildOptions {
        root,
        overrides: Overrides::default(),
        drafts: false,
        today: chrono::Local::now().date_naive(),
        force: true,
        memory_hint: None,
    };
    let (outcomes, received) = channel();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| fail(&format!("{e}")));
    let started = Instant::now();
    let preview = Preview::start(listener, options, move |outcome| {
        let summary = match outcome {
            Outcome::Built { pass, elapsed, .. } => (*pass, *elapsed, true),
            Outcome::Failed { pass, elapsed, .. } => (*pass, *elapsed, false),
        };
        let _ = outcomes.send(summary);
    })
    .unwrap_or_else(|e| fail(&format!("{e}")));
    println!("first build: {:.0} ms", ms(started.elapsed()));
    let _ = received.recv();
    let base = base_path(&preview.url());
    let page = format!("{base}{}", parsed.site_path());
    let mut pages = vec![page];
    if description {
        pages.extend([base.clone(), format!("{base}atom.xml")]);
    }
    let (mut fast, mut whole) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        let marker = format!("Edited in round {round} at {:?}.", started.elapsed());
        let saved = Instant::now();
        write(&path, &edited(&original, &marker, description));
        for page in &pages {
            while !get(preview.address(), page).contains(&marker) {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        let served = saved.elapsed();
        if overlap && round < rounds {
            println!("round {round}: fast pass served after {:.0} ms", ms(served));
            fast.push(ms(served));
            std::thread::sleep(Duration::from_secs(1));
            continue;
        }
        let rebuilt = wait_for_whole(&received).map(|_| saved.elapsed());
        println!(
            "round {round}: fast pass served after {:.0} ms, whole pass after {}",
            ms(served),
            rebuilt.map_or("(failed)".into(), |d| format!("{:.0} ms", ms(d)))
        );
        fast.push(ms(served));
        whole.extend(rebuilt.map(ms));
    }
    write(&path, &original);
    let _ = wait_for_whole(&received);
    preview.stop();
    println!(
        "median save-to-served: fast pass {:.0} ms, whole pass {:.0} ms",
        median(&mut fast),
        median(&mut whole)
    );
}

/// The article with `marker` as a new last line, or as its description.
fn edited(original: &str, marker: &str, description: bool) -> String {
    if !description {
        return format!("{original}\n{marker}\n");
    }
    let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
    let Some(line) = lines.iter_mut().find(|l| l.starts_with("description = ")) else {
        fail("--description: the article has no `description = ` line");
    };
    *line = format!("description = \"{marker}\"");
    lines.join("\n") + "\n"
}

/// Waits for the whole pass after a change; its time, or `None` if it failed.
fn wait_for_whole(received: &Receiver<(Pass, Duration, bool)>) -> Option<Duration> {
    loop {
        let (pass, elapsed, ok) = received.recv().ok()?;
        if pass == Pass::Whole {
            return ok.then_some(elapsed);
        }
    }
}

fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("//").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("/".into(), |i| after_scheme[i..].to_string())
}

fn get(address: SocketAddr, target: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return String::new();
    };
    let request = format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut body = Vec::new();
    if stream.write_all(request.as_bytes()).is_err() || stream.read_to_end(&mut body).is_err() {
        return String::new();
    }
    String::from_utf8_lossy(&body).into_owned()
}

fn write(path: &PathBuf, text: &str) {
    if let Err(e) = std::fs::write(path, text) {
        fail(&format!("cannot write {}: {e}", path.display()));
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2);
}

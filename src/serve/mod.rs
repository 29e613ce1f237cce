//! `briefing serve`: a local preview that rebuilds the site in memory when its sources change
//! and tells the open pages to reload.
//!
//! Four parts, one per module: `rebuild` builds the site in memory, reusing parsed articles;
//! `watch` reports changed sources; `server` answers HTTP requests from the last good build;
//! `reload` is the script and the events that keep open pages current. `Preview` ties them
//! together with a few threads and reports each build to a callback, so only `cli` prints.

pub mod cli;
pub mod guard;
pub mod rebuild;
pub mod reload;
pub mod server;
pub mod watch;

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::BuildOptions;
use crate::error::{BuildError, Diagnostic};
use rebuild::{Built, Rebuilder};
use reload::{Change, Event, Hub, change_between};
use server::Snapshot;

/// How many threads answer HTTP requests (event streams have threads of their own); a client
/// that stops reading holds one for at most `guard::SEND_TIME`.
const WORKERS: usize = 32;

/// How often idle threads look whether the preview is stopping.
const POLL: Duration = Duration::from_millis(100);

/// What one build of the preview did, for the terminal.
#[derive(Debug)]
pub enum Outcome {
    Built {
        articles: usize,
        /// Articles parsed for this build; the others were unchanged.
        parsed: usize,
        files: usize,
        change: Change,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    /// The build failed; the last good site is still served.
    Failed {
        diagnostics: Vec<Diagnostic>,
        elapsed: Duration,
    },
}

/// The site as currently served, shared by the HTTP threads and the rebuilder.
type Current = Arc<RwLock<Arc<Snapshot>>>;

/// A running preview server; `stop` ends it.
pub struct Preview {
    address: SocketAddr,
    current: Current,
    stopping: Arc<AtomicBool>,
    hub: Arc<Hub>,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<watch::Watcher>,
    guard: Option<guard::Guard>,
}

impl Preview {
    /// Builds the site, serves it on `listener` and rebuilds it when its sources change,
    /// handing every build's outcome to `report`.
    pub fn start(
        listener: TcpListener,
        options: BuildOptions,
        report: impl Fn(&Outcome) + Send + 'static,
    ) -> io::Result<Preview> {
        let address = listener.local_addr()?;
        let root = options.root.clone();
        let mut rebuilder = Rebuilder::new(options, format!("http://{address}"));
        let current: Current = Arc::default();
        let hub = Arc::new(Hub::default());
        report(&rebuild_once(&mut rebuilder, &current, &hub));
        let (changes, changed) = channel();
        let watcher = watch::watch(&root, changes).map_err(io::Error::other)?;
        let (guard, listener) = guard::start(listener)?;
        let http = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
        let http = Arc::new(http);
        let stopping = Arc::new(AtomicBool::new(false));
        let mut threads: Vec<JoinHandle<()>> = (0..WORKERS)
            .map(|_| {
                let (http, current, hub, stopping) =
                    (http.clone(), current.clone(), hub.clone(), stopping.clone());
                std::thread::spawn(move || answer_requests(&http, &current, &hub, &stopping))
            })
            .collect();
        let (rebuild_current, rebuild_hub, rebuild_stopping) =
            (current.clone(), hub.clone(), stopping.clone());
        threads.push(std::thread::spawn(move || {
            let mut rebuilder = rebuilder;
            while let Some(paths) = next_batch(&changed, &rebuild_stopping) {
                rebuilder.forget(&paths);
                report(&rebuild_once(
                    &mut rebuilder,
                    &rebuild_current,
                    &rebuild_hub,
                ));
            }
        }));
        Ok(Preview {
            address,
            current,
            stopping,
            hub,
            threads,
            watcher: Some(watcher),
            guard: Some(guard),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL of the site's front page, under its base path.
    pub fn url(&self) -> String {
        let base_path = self
            .current
            .read()
            .map(|snapshot| snapshot.base_path.clone())
            .unwrap_or_default();
        format!("http://{}{}", self.address, base_path)
    }

    /// Stops watching, closes the event streams and waits for the threads to finish.
    pub fn stop(mut self) {
        self.watcher.take();
        if let Some(guard) = self.guard.take() {
            guard.stop();
        }
        self.stopping.store(true, Ordering::SeqCst);
        self.hub.close();
        for thread in self.threads.drain(..) {
            // A thread that panicked has nothing left to clean up.
            drop(thread.join());
        }
    }
}

/// Waits for the next batch of changed paths, merging the batches already waiting; `None`
/// when the preview stops.
fn next_batch(changed: &Receiver<Vec<PathBuf>>, stopping: &AtomicBool) -> Option<Vec<PathBuf>> {
    loop {
        if stopping.load(Ordering::SeqCst) {
            return None;
        }
        match changed.recv_timeout(POLL) {
            Ok(mut paths) => {
                while let Ok(more) = changed.try_recv() {
                    paths.extend(more);
                }
                return Some(paths);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

fn answer_requests(
    http: &tiny_http::Server,
    current: &Current,
    hub: &Arc<Hub>,
    stopping: &AtomicBool,
) {
    while !stopping.load(Ordering::SeqCst) {
        let request = match http.recv_timeout(POLL) {
            Ok(Some(request)) => request,
            Ok(None) => continue,
            // Not a request's fault but the listener's: wait rather than spin.
            Err(_) => {
                std::thread::sleep(POLL);
                continue;
            }
        };
        let snapshot = match current.read() {
            Ok(snapshot) => Arc::clone(&snapshot),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        server::handle(request, &snapshot, hub);
    }
}

/// Builds the site, publishes the result and tells the open pages.
fn rebuild_once(rebuilder: &mut Rebuilder, current: &Current, hub: &Hub) -> Outcome {
    let started = Instant::now();
    let result = rebuilder.build();
    let previous = match current.read() {
        Ok(snapshot) => Arc::clone(&snapshot),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    };
    let (next, event, outcome) = match result {
        Ok(built) => succeeded(&previous, built, started),
        Err(error) => failed(&previous, &error, started),
    };
    if let Ok(mut slot) = current.write() {
        *slot = Arc::new(next);
    }
    if let Some(event) = event {
        hub.send(&event);
    }
    outcome
}

fn succeeded(
    previous: &Snapshot,
    built: Built,
    started: Instant,
) -> (Snapshot, Option<Event>, Outcome) {
    let files: HashMap<String, Vec<u8>> = built
        .files
        .into_iter()
        .map(|file| (file.path, file.bytes))
        .collect();
    let change = change_between(&previous.files, &files);
    let recovered = !previous.errors.is_empty();
    let event = match change {
        _ if recovered => Some(Event::Reload),
        Change::Pages => Some(Event::Reload),
        Change::StylesheetsOnly => Some(Event::Css),
        Change::Nothing => None,
    };
    let snapshot = Snapshot {
        version: previous.version + u64::from(event.is_some()),
        base_path: built.base_path,
        files: Arc::new(files),
        errors: Vec::new(),
    };
    let outcome = Outcome::Built {
        articles: built.articles,
        parsed: built.parsed,
        files: snapshot.files.len(),
        change,
        elapsed: started.elapsed(),
        warnings: built.warnings,
    };
    (snapshot, event, outcome)
}

fn failed(
    previous: &Snapshot,
    error: &BuildError,
    started: Instant,
) -> (Snapshot, Option<Event>, Outcome) {
    let diagnostics = error.diagnostics();
    let snapshot = Snapshot {
        version: previous.version,
        base_path: previous.base_path.clone(),
        files: Arc::clone(&previous.files),
        errors: diagnostics.clone(),
    };
    let event = Event::errors(&diagnostics);
    let outcome = Outcome::Failed {
        diagnostics,
        elapsed: started.elapsed(),
    };
    (snapshot, Some(event), outcome)
}

/// Binds `address:port`; when the port is taken, the error says so.
pub fn bind(address: IpAddr, port: u16) -> io::Result<TcpListener> {
    TcpListener::bind((address, port))
}

/// The first port after `port` that can be bound on `address`, if one of the next 100 can.
pub fn next_free_port(address: IpAddr, port: u16) -> Option<u16> {
    (port.saturating_add(1)..=port.saturating_add(100))
        .find(|&candidate| TcpListener::bind((address, candidate)).is_ok())
}

/// Opens `url` in the desktop's browser.
pub fn open_in_browser(url: &str) -> io::Result<()> {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    std::process::Command::new(program)
        .args(args)
        .arg(url)
        .spawn()
        .map(drop)
}

//! `briefing serve`: a local preview that rebuilds the site in memory when its sources change
//! and tells the open pages to reload.
//!
//! The parts, one per module: `rebuild` builds the whole site in memory, reusing parsed
//! articles; `fast` re-renders only the pages that show edited articles; `watch` reports changed
//! sources; `server` answers HTTP requests from the current `files`; `reload` is the script and
//! the events that keep open pages current. `Preview` ties them together with a few threads and
//! reports each pass to a callback, so only `cli` prints.
//!
//! Every change is answered twice. The fast pass serves the edited article and the pages that
//! show it within milliseconds; the whole pass, on a thread of its own, rebuilds everything
//! (analysis, related news, search index) and replaces the served site with a result
//! byte-identical to a clean build; open pages reload again only if that changed any byte. A
//! whole pass overtaken by newer changes is dropped: the one after them is the one served.

pub mod cli;
pub mod fast;
pub mod files;
pub mod guard;
pub mod rebuild;
pub mod reload;
pub mod server;
pub mod watch;

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::BuildOptions;
use crate::error::{BuildError, Diagnostic};
use fast::{Fast, FastState};
use files::SiteFiles;
use rebuild::{Built, Rebuilder};
use reload::{Change, Event, Hub, change_between};
use server::Snapshot;

/// How many threads answer HTTP requests (event streams have threads of their own); a client
/// that stops reading holds one for at most `guard::SEND_TIME`.
const WORKERS: usize = 32;

/// How often idle threads look whether the preview is stopping.
const POLL: Duration = Duration::from_millis(100);

/// Which of the two passes after a change an outcome is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// The pages that show the edited articles, over the last whole build.
    Fast,
    /// The whole site, byte-identical to a clean build.
    Whole,
}

/// What one pass of the preview did, for the terminal.
#[derive(Debug)]
pub enum Outcome {
    Built {
        pass: Pass,
        articles: usize,
        /// Articles parsed for this pass; the others were unchanged.
        parsed: usize,
        /// Files rendered by a fast pass; every file of the site for a whole one.
        files: usize,
        change: Change,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    /// The pass failed; the last good site is still served.
    Failed {
        pass: Pass,
        diagnostics: Vec<Diagnostic>,
        elapsed: Duration,
    },
}

/// The site as currently served, shared by the HTTP threads and the rebuilder.
type Current = Arc<RwLock<Arc<Snapshot>>>;

/// What the thread that publishes builds waits for.
enum Message {
    /// Sources changed.
    Changed(Vec<PathBuf>),
    /// A whole pass ended; `generation` counts the changes it saw.
    Whole {
        generation: u64,
        result: Box<Result<Built, BuildError>>,
        elapsed: Duration,
    },
}

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
    /// handing every pass's outcome to `report`.
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
        let started = Instant::now();
        let first = rebuilder.build();
        let mut publisher = Publisher {
            root: root.clone(),
            current: current.clone(),
            hub: hub.clone(),
            fast: None,
            edited: BTreeSet::new(),
            generation: 0,
        };
        report(&publisher.whole(first, started.elapsed()));
        let (messages, received) = channel();
        let changes = messages.clone();
        let watcher = watch::watch(&root, move |paths| {
            // The receiver is gone only when serve is stopping.
            drop(changes.send(Message::Changed(paths)));
        })
        .map_err(io::Error::other)?;
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
        let (requests, requested) = channel();
        let whole_stopping = stopping.clone();
        // Not joined on stop: a whole pass of a big site can take seconds, and Ctrl-C should
        // not wait for it. It ends at its next look at `stopping`, or with the process.
        std::thread::spawn(move || {
            build_whole(rebuilder, &requested, &messages, &whole_stopping);
        });
        let publish_stopping = stopping.clone();
        threads.push(std::thread::spawn(move || {
            while let Some(message) = next_message(&received, &publish_stopping) {
                if let Some(outcome) = publisher.receive(message, &requests) {
                    report(&outcome);
                }
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

/// The whole passes: builds the site after each batch of changes (merging the batches that
/// arrived meanwhile) and hands the result to the publisher. A stop request is seen between
/// builds.
fn build_whole(
    mut rebuilder: Rebuilder,
    requested: &Receiver<(u64, Vec<PathBuf>)>,
    publisher: &Sender<Message>,
    stopping: &AtomicBool,
) {
    // One core is left to the fast passes, which may run while this builds.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .ok();
    while let Some((mut generation, mut paths)) = next_message(requested, stopping) {
        while let Ok((later, more)) = requested.try_recv() {
            generation = later;
            paths.extend(more);
        }
        rebuilder.forget(&paths);
        let started = Instant::now();
        let result = Box::new(match &pool {
            Some(pool) => pool.install(|| rebuilder.build()),
            None => rebuilder.build(),
        });
        let message = Message::Whole {
            generation,
            result,
            elapsed: started.elapsed(),
        };
        if publisher.send(message).is_err() {
            return;
        }
    }
}

/// Waits for the next message; `None` when the preview stops.
fn next_message<T>(received: &Receiver<T>, stopping: &AtomicBool) -> Option<T> {
    loop {
        if stopping.load(Ordering::SeqCst) {
            return None;
        }
        match received.recv_timeout(POLL) {
            Ok(message) => return Some(message),
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
        server::handle(request, &read(current), hub);
    }
}

fn read(current: &Current) -> Arc<Snapshot> {
    match current.read() {
        Ok(snapshot) => Arc::clone(&snapshot),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    }
}

/// Publishes the passes' results as the served site and tells the open pages.
struct Publisher {
    root: PathBuf,
    current: Current,
    hub: Arc<Hub>,
    /// The last whole build, for fast passes; `None` until one succeeded.
    fast: Option<FastState>,
    /// The files changed since the last whole build that was published.
    edited: BTreeSet<PathBuf>,
    /// Counts the batches of changes; a whole pass that did not see the last one is stale.
    generation: u64,
}

impl Publisher {
    /// Handles one message; returns the outcome of the pass it published, if any.
    fn receive(
        &mut self,
        message: Message,
        requests: &Sender<(u64, Vec<PathBuf>)>,
    ) -> Option<Outcome> {
        match message {
            Message::Changed(paths) => {
                self.generation += 1;
                self.edited.extend(paths.iter().cloned());
                // First the fast pass, so that the whole one does not take the cores from it.
                let outcome = self.fast();
                // The whole pass is gone only when serve is stopping.
                drop(requests.send((self.generation, paths)));
                outcome
            }
            Message::Whole {
                generation,
                result,
                elapsed,
            } => (generation == self.generation).then(|| self.whole(*result, elapsed)),
        }
    }

    /// Runs a fast pass over the edits since the last whole build, if it can take them.
    fn fast(&mut self) -> Option<Outcome> {
        let started = Instant::now();
        let state = self.fast.as_mut()?;
        let previous = read(&self.current);
        let (next, event, outcome) = match state.apply(&self.edited) {
            Fast::NotApplicable => return None,
            Fast::Failed(error) => failed(&previous, &error, Pass::Fast, started),
            Fast::Built {
                files,
                parsed,
                rendered,
                warnings,
            } => {
                let (next, event, change) = succeeded(&previous, previous.base_path.clone(), files);
                let outcome = Outcome::Built {
                    pass: Pass::Fast,
                    articles: 0,
                    parsed,
                    files: rendered,
                    change,
                    elapsed: started.elapsed(),
                    warnings,
                };
                (next, event, outcome)
            }
        };
        self.publish(next, event);
        Some(outcome)
    }

    /// Publishes a whole build; a successful one becomes the base of the next fast passes.
    fn whole(&mut self, result: Result<Built, BuildError>, elapsed: Duration) -> Outcome {
        let started = Instant::now();
        let previous = read(&self.current);
        let built = match result {
            Ok(built) => built,
            Err(error) => {
                if !self.fast_can_fix(&error) {
                    self.fast = None;
                }
                let (next, event, mut outcome) = failed(&previous, &error, Pass::Whole, started);
                if let Outcome::Failed { elapsed: e, .. } = &mut outcome {
                    *e += elapsed;
                }
                self.publish(next, event);
                return outcome;
            }
        };
        let files: HashMap<String, Vec<u8>> = built
            .files
            .into_iter()
            .map(|file| (file.path, file.bytes))
            .collect();
        let files = SiteFiles::whole(files);
        let base = Arc::clone(files.base());
        let (next, event, change) = succeeded(&previous, built.base_path, files);
        let count = next.files.len();
        self.publish(next, event);
        self.edited.clear();
        self.fast = FastState::new(&self.root, built.site, base).ok();
        Outcome::Built {
            pass: Pass::Whole,
            articles: built.articles,
            parsed: built.parsed,
            files: count,
            change,
            elapsed: elapsed + started.elapsed(),
            warnings: built.warnings,
        }
    }

    /// Whether fast passes can still be trusted after a whole pass failed: when every error is
    /// in an edited file, which fast passes read again. (After a broken template, say, a fast
    /// pass with the old templates would wrongly clear the error.)
    fn fast_can_fix(&self, error: &BuildError) -> bool {
        error
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .all(|d| self.edited.iter().any(|path| path.ends_with(&d.path)))
    }

    fn publish(&self, next: Snapshot, event: Option<Event>) {
        if let Ok(mut slot) = self.current.write() {
            *slot = Arc::new(next);
        }
        if let Some(event) = event {
            self.hub.send(&event);
        }
    }
}

/// The snapshot that serves `files`, and what open pages must do about it.
fn succeeded(
    previous: &Snapshot,
    base_path: String,
    files: SiteFiles,
) -> (Snapshot, Option<Event>, Change) {
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
        base_path,
        files,
        errors: Vec::new(),
    };
    (snapshot, event, change)
}

fn failed(
    previous: &Snapshot,
    error: &BuildError,
    pass: Pass,
    started: Instant,
) -> (Snapshot, Option<Event>, Outcome) {
    let diagnostics = error.diagnostics();
    let snapshot = Snapshot {
        version: previous.version,
        base_path: previous.base_path.clone(),
        files: previous.files.clone(),
        errors: diagnostics.clone(),
    };
    let event = Event::errors(&diagnostics);
    let outcome = Outcome::Failed {
        pass,
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

//! The `serve` subcommand's arguments and terminal output; the rest of `serve` never prints.

use std::io::{BufRead, IsTerminal, Write};
use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::channel;

use clap::Args;

use super::reload::Change;
use super::{Outcome, Pass, Preview, bind, next_free_port, open_in_browser};
use crate::BuildOptions;
use crate::cli::print_diagnostics;
use crate::config::Overrides;

/// Where the site is and where to serve it.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The address to listen on; only this machine can connect to the default.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "ADDRESS")]
    pub bind: IpAddr,
    /// The port to listen on.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// When the port is taken, use the next free one without asking.
    #[arg(long)]
    pub next_free_port: bool,
    /// Open the site in the browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Include drafts and articles dated in the future.
    #[arg(long)]
    pub drafts: bool,
}

/// Serves the site until Ctrl-C; exit code 1 when the server cannot start.
pub fn run_serve(args: &ServeArgs) -> ExitCode {
    let Some(listener) = listen(args) else {
        return ExitCode::from(1);
    };
    let options = BuildOptions {
        root: args.root.clone(),
        overrides: Overrides::default(),
        drafts: args.drafts,
        today: chrono::Local::now().date_naive(),
        force: true,
        memory_hint: None,
    };
    let preview = match Preview::start(listener, options, print_outcome) {
        Ok(preview) => preview,
        Err(e) => {
            eprintln!("error: cannot start the preview server: {e}");
            return ExitCode::from(1);
        }
    };
    let url = preview.url();
    eprintln!("Serving {url} (Ctrl-C to stop)");
    if args.open && open_in_browser(&url).is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
    let (interrupted, interrupt) = channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = interrupted.send(());
    }) {
        eprintln!("warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    // Returns on Ctrl-C, or at once if no handler could be set (the channel is then closed).
    let _ = interrupt.recv();
    preview.stop();
    eprintln!("Stopped.");
    ExitCode::SUCCESS
}

/// Binds the port; when it is taken, says so and offers the next free one.
fn listen(args: &ServeArgs) -> Option<TcpListener> {
    let error = match bind(args.bind, args.port) {
        Ok(listener) => return Some(listener),
        Err(error) => error,
    };
    let taken = error.kind() == std::io::ErrorKind::AddrInUse;
    let free = next_free_port(args.bind, args.port).filter(|_| taken);
    let Some(free) = free else {
        eprintln!(
            "error: cannot listen on {}:{}: {error}",
            args.bind, args.port
        );
        return None;
    };
    eprintln!("Port {} is in use; port {free} is free.", args.port);
    if args.next_free_port || (std::io::stdin().is_terminal() && confirm(free)) {
        return bind(args.bind, free)
            .map_err(|e| eprintln!("error: cannot listen on {}:{free}: {e}", args.bind))
            .ok();
    }
    eprintln!(
        "error: serve on it with `--port {free}`, or pass `--next-free-port` to take the next free port"
    );
    None
}

fn confirm(port: u16) -> bool {
    eprint!("Serve on port {port} instead? [Y/n] ");
    drop(std::io::stderr().flush());
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim(), "" | "y" | "Y" | "yes")
}

fn print_outcome(outcome: &Outcome) {
    match outcome {
        Outcome::Built {
            pass: Pass::Fast,
            parsed,
            files,
            elapsed,
            warnings,
            ..
        } => {
            print_diagnostics(warnings);
            eprintln!(
                "Re-rendered {files} file(s) showing {parsed} edited article(s) in {} ms; rebuilding the whole site",
                elapsed.as_millis()
            );
        }
        Outcome::Built {
            pass: Pass::Whole,
            articles,
            parsed,
            files,
            change,
            elapsed,
            warnings,
        } => {
            print_diagnostics(warnings);
            let change = match change {
                Change::Nothing => "no change",
                Change::StylesheetsOnly => "stylesheets changed",
                Change::Pages => "pages changed",
            };
            eprintln!(
                "Built {articles} article(s) ({parsed} parsed) into {files} files in memory in {} ms ({change})",
                elapsed.as_millis()
            );
        }
        Outcome::Failed {
            diagnostics,
            elapsed,
            ..
        } => {
            print_diagnostics(diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: build failed with {errors} error(s) in {} ms; still serving the last good site",
                elapsed.as_millis()
            );
        }
    }
}

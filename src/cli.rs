//! The command line: clap on top of the library; the only place that prints.

mod import;
mod pages;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::config::Overrides;
use crate::error::{BuildError, Diagnostic, Severity};
use crate::{BuildOptions, build_with_progress};

/// Build a news briefing site from article files.
#[derive(Debug, Parser)]
#[command(name = "briefing", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site from content/ into the output folder.
    Build(BuildArgs),
    /// Create a new briefing site, ready to publish on GitHub Pages.
    Init(InitArgs),
    /// Check every link, fragment and asset of the built site.
    Check(CheckArgs),
    /// Preview the site: serve it locally, rebuild on every save, reload open pages.
    Serve(crate::serve::cli::ServeArgs),
    /// Turn raw article text files into Markdown articles.
    Import(import::ImportArgs),
}

/// Where a site is, and the values of `site.toml` the command line overrides.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder, holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The output folder, instead of the output_dir of site.toml.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The base URL, instead of the base_url of site.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

impl SiteArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            base_url: self.base_url.clone(),
            output_dir: self.output.clone(),
        }
    }
}

/// Where the site is and how to build it.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Include drafts and articles dated in the future.
    #[arg(long)]
    pub drafts: bool,
    /// Build even if nothing changed since the last build.
    #[arg(long)]
    pub force: bool,
    /// Print no progress, only problems and the summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how long each stage took and the peak memory after it.
    #[arg(long)]
    pub timings: bool,
}

/// Where to create a new site.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder of the new site (made when missing).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// The theme to start from.
    #[arg(long, default_value = "default", value_name = "NAME")]
    pub theme: String,
}

/// Which built site to check.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Check links to other sites too (needs the network; skipped without one).
    #[arg(long)]
    pub external: bool,
}

impl BuildArgs {
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.site.root.clone(),
            overrides: self.site.overrides(),
            drafts: self.drafts,
            today: chrono::Local::now().date_naive(),
            force: self.force,
            memory_hint: None,
        }
    }
}

/// Parses the arguments, runs the command, and returns the exit code:
/// 0 on success, 1 on content, config or template errors, 2 on usage errors.
pub fn run() -> ExitCode {
    execute(Cli::parse(), None)
}

/// Runs a parsed command line; a build tells `memory_hint` what it expects to allocate.
pub fn execute(cli: Cli, memory_hint: Option<crate::MemoryHint>) -> ExitCode {
    match cli.command {
        Command::Build(args) => run_build(&args, memory_hint),
        Command::Init(args) => pages::run_init(&args),
        Command::Check(args) => pages::run_check(&args),
        Command::Serve(args) => crate::serve::cli::run_serve(&args),
        Command::Import(args) => import::run_import(&args),
    }
}

fn run_build(args: &BuildArgs, memory_hint: Option<crate::MemoryHint>) -> ExitCode {
    let started = Instant::now();
    let progress = progress::BuildProgress::new(args.quiet, args.timings);
    let options = BuildOptions {
        memory_hint,
        ..args.options()
    };
    let result = build_with_progress(&options, &progress);
    progress.finish();
    match result {
        Ok(report) if report.up_to_date => {
            eprintln!(
                "Nothing changed since the last build: {} is up to date (--force rebuilds it)",
                report.output_dir.display()
            );
            ExitCode::SUCCESS
        }
        Ok(report) => {
            print_diagnostics(&report.warnings);
            eprintln!(
                "Built {} article(s) and {} topic(s): {} files in {} ({:.2} s{})",
                report.articles,
                report.topics,
                report.files,
                report.output_dir.display(),
                started.elapsed().as_secs_f64(),
                crate::progress::peak_memory().map_or_else(String::new, |bytes| format!(
                    ", peak memory {:.0} MiB",
                    bytes as f64 / f64::from(1 << 20)
                ))
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            report_failure(&error);
            ExitCode::from(1)
        }
    }
}

/// Prints every diagnostic of a failed command, then a one-line verdict.
pub fn report_failure(error: &BuildError) {
    let diagnostics = error.diagnostics();
    print_diagnostics(&diagnostics);
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!("error: build failed with {errors} error(s); the previous output was left untouched");
}

/// Prints diagnostics, errors prefixed with `error:` as compilers do.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        match diagnostic.severity {
            Severity::Error => eprintln!("error: {diagnostic}"),
            Severity::Warning => eprintln!("{diagnostic}"),
        }
    }
}

//! `briefing import`: the arguments, and the report of what was imported, skipped or failed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::ingest::files::{ImportOptions, Outcome, extract_all, import};

/// Which raw article files to import, and where to.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Raw article files (.txt) or saved pages (.html, .htm), or folders holding them.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write the articles into this folder.
    #[arg(long, default_value = "content", value_name = "DIR")]
    pub into: PathBuf,
    /// Print the extracted articles as a JSON array instead of writing files.
    #[arg(long)]
    pub json: bool,
    /// Overwrite articles that already exist.
    #[arg(long)]
    pub force: bool,
    /// Say what would be written, without writing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs the import; exit code 1 when any file failed (after all the others were handled).
pub fn run_import(args: &ImportArgs) -> ExitCode {
    let outcomes = if args.json {
        let (records, outcomes) = extract_all(&args.paths);
        match serde_json::to_string_pretty(&records) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: cannot print JSON: {e}"),
        }
        outcomes
    } else {
        import(&ImportOptions {
            inputs: args.paths.clone(),
            into: args.into.clone(),
            force: args.force,
            dry_run: args.dry_run,
        })
    };
    let failed = print_summary(&outcomes, args.dry_run, args.json);
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Prints one line per file and the totals; returns how many failed.
fn print_summary(outcomes: &[Outcome], dry_run: bool, json: bool) -> usize {
    let (mut imported, mut skipped, mut failed) = (0, 0, 0);
    let verb = if dry_run { "would write" } else { "wrote" };
    for outcome in outcomes {
        match outcome {
            Outcome::Imported { source, target } => {
                imported += 1;
                eprintln!("{}: {verb} {}", source.display(), target.display());
            }
            Outcome::Skipped { source, reason } => {
                skipped += 1;
                eprintln!("{}: skipped: {reason}", source.display());
            }
            Outcome::Failed { source, reason } => {
                failed += 1;
                eprintln!("error: {}: {reason}", source.display());
            }
        }
    }
    if !json {
        eprintln!("Imported {imported}, skipped {skipped}, failed {failed}");
    } else if skipped + failed > 0 {
        eprintln!("Skipped {skipped}, failed {failed}");
    }
    failed
}

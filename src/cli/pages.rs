//! The `init` and `check` commands: what they print and the exit codes they return.

use std::process::ExitCode;

use super::{CheckArgs, InitArgs, print_diagnostics};
use crate::check::{CheckOptions, CheckReport, ExternalOutcome, check};
use crate::init::{InitOptions, init, theme_names};

/// `briefing init`: 0 when the site was made, 1 when it would overwrite, 2 for a bad theme.
pub fn run_init(args: &InitArgs) -> ExitCode {
    if !theme_names().contains(&args.theme.as_str()) {
        eprintln!(
            "error: there is no theme `{}` in briefing; choose one of: {}",
            args.theme,
            theme_names().join(", ")
        );
        return ExitCode::from(2);
    }
    let options = InitOptions {
        dir: args.dir.clone(),
        theme: args.theme.clone(),
        today: chrono::Local::now().date_naive(),
    };
    match init(&options) {
        Ok(report) => {
            let gitignore = if report.gitignore_extended {
                "added the output folder to .gitignore"
            } else {
                "wrote .gitignore"
            };
            eprintln!(
                "Created a briefing site in {}: {} files, and {gitignore}.",
                args.dir.display(),
                report.written.len()
            );
            eprintln!(
                "Next: add articles under content/, run `briefing build` and `briefing check`, then push to GitHub and set Settings → Pages → Source to \"GitHub Actions\"."
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            print_diagnostics(&error.diagnostics());
            ExitCode::from(1)
        }
    }
}

/// `briefing check`: 0 when every link resolves, 1 when one does not or the site is missing.
pub fn run_check(args: &CheckArgs) -> ExitCode {
    let options = CheckOptions {
        root: args.site.root.clone(),
        overrides: args.site.overrides(),
        external: args.external,
    };
    match check(&options) {
        Ok(report) => print_check_report(&report),
        Err(error) => {
            print_diagnostics(&error.diagnostics());
            ExitCode::from(1)
        }
    }
}

fn print_check_report(report: &CheckReport) -> ExitCode {
    for broken in &report.broken {
        eprintln!(
            "error: {} (from {}): `{}`: {}",
            broken.page, broken.source, broken.url, broken.reason
        );
    }
    let external = match &report.external {
        ExternalOutcome::NotAsked { links } => {
            format!("{links} external link(s) not checked (pass --external to check them)")
        }
        ExternalOutcome::Skipped { links, reason } => {
            format!("{links} external link(s) skipped: {reason}")
        }
        ExternalOutcome::Checked { links } => format!("{links} external link(s) checked"),
    };
    eprintln!(
        "Checked {} page(s) in {}: {} internal link(s); {external}; {} broken.",
        report.pages,
        report.output_dir.display(),
        report.internal_links,
        report.broken.len()
    );
    if report.broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

//! What feeds, sitemaps and the search index add to a build, stage by stage.
//!
//! `cargo run --release --example output_cost -- SITE_DIR` loads the site, then times each
//! output stage on its own and prints the size of what it wrote (the search index by kind of
//! file, since a reader downloads only the metadata, a shard per word and a few docs chunks).
//! The search index's words are gathered while the site loads (`search_words`); its stage here
//! only writes them out.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use briefing::content::markdown::Highlighter;
use briefing::output::{feeds, search, sitemap};
use briefing::render::{Collected, RenderedFile, article_topics};
use briefing::{BuildOptions, load_site};

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: output_cost SITE_DIR");
        return ExitCode::from(2);
    };
    let options = BuildOptions {
        root,
        overrides: Default::default(),
        drafts: false,
        force: false,
        memory_hint: None,
        today: chrono::Local::now().date_naive(),
    };
    let started = Instant::now();
    let cpu_before = cpu_seconds().unwrap_or(0.0);
    let site = match load_site(&options, &Highlighter::default()) {
        Ok((site, _)) => site,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    println!(
        "load: {} articles, {} topics in {:.2} s ({:.2} s of CPU)",
        site.articles.len(),
        site.topics.len(),
        started.elapsed().as_secs_f64(),
        cpu_seconds().unwrap_or(0.0) - cpu_before
    );
    let memberships = article_topics(&site);
    let outcome = [
        time("feeds", || feeds::render_feeds(&site, &memberships)),
        time("sitemaps", || sitemap::render_sitemaps(&site)),
        time("search", || {
            let files = Collected::default();
            search::render_search_index(&site, &files).map(|()| files.into_files())
        }),
    ];
    if outcome.iter().any(|ok| !ok) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn time<E: std::fmt::Display>(
    stage: &str,
    run: impl FnOnce() -> Result<Vec<RenderedFile>, E>,
) -> bool {
    let started = Instant::now();
    let cpu_before = cpu_seconds();
    match run() {
        Ok(files) => {
            let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
            let cpu = match (cpu_before, cpu_seconds()) {
                (Some(before), Some(after)) => format!(" ({:.2} s of CPU)", after - before),
                _ => String::new(),
            };
            println!(
                "{stage}: {:.2} s{cpu}, {} files, {:.1} MiB",
                started.elapsed().as_secs_f64(),
                files.len(),
                bytes as f64 / 1048576.0
            );
            if stage == "search" {
                print_by_kind(&files);
            }
            true
        }
        Err(e) => {
            eprintln!("{stage}: {e}");
            false
        }
    }
}

/// The CPU time this process has used: on a shared machine wall time says little.
fn cpu_seconds() -> Option<f64> {
    briefing::progress::cpu_time().map(|t| t.as_secs_f64())
}

/// Search files grouped by kind: `terms/`, `docs/`, metadata, script.
fn print_by_kind(files: &[RenderedFile]) {
    let mut kinds: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for file in files {
        let path = file.path.trim_start_matches(search::BUNDLE_DIR);
        let kind = match path.split_once('/') {
            Some((folder, _)) => folder.to_string(),
            None => path.rsplit('.').next().unwrap_or(path).to_string(),
        };
        let entry = kinds.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += file.bytes.len();
        entry.2 = entry.2.max(file.bytes.len());
    }
    for (kind, (count, bytes, largest)) in kinds {
        println!(
            "  {kind:<10} {count:>6} files {:>9.1} KiB (largest {:.1} KiB)",
            bytes as f64 / 1024.0,
            largest as f64 / 1024.0
        );
    }
}

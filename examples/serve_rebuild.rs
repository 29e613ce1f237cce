//! Measures `serve`'s two passes after one article is saved, on a site given on the command line:
//! `cargo run --release --example serve_rebuild -- SITE_ROOT content/path/to/article.md`.
//!
//! It builds the site once (cold), then edits the article six times, and each time
//! times the fast pass (the pages that show the article) and the whole pass (the whole site,
//! as a clean build), and counts the files where they differ; the article is restored at the end.
//! The times are of the passes alone: `serve_latency` measures save-to-served over HTTP.
//! `--fast-only` after the article skips the whole passes (each takes as long as a build);
//! Odd rounds append to the body (only the article's page changes, unless the article is in a
//! feed); even rounds edit its `description` (so every list that shows the article changes).

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use briefing::BuildOptions;
use briefing::config::Overrides;
use briefing::serve::fast::{Fast, FastState};
use briefing::serve::rebuild::Rebuilder;

fn main() {
    let mut args = std::env::args().skip(1);
    let (root, article) = (args.next(), args.next());
    let flags: Vec<String> = args.collect();
    let fast_only = flags.iter().any(|f| f == "--fast-only");
    let (Some(root), Some(article)) = (root, article) else {
        eprintln!("usage: serve_rebuild SITE_ROOT ARTICLE_UNDER_ROOT");
        std::process::exit(2);
    };
    let root = PathBuf::from(root);
    let article = root.join(article);
    let original = std::fs::read_to_string(&article).unwrap_or_else(|e| {
        eprintln!("cannot read {}: {e}", article.display());
        std::process::exit(2);
    });
    let options = BuildOptions {
        root,
        overrides: Overrides::default(),
        drafts: false,
        today: chrono::Local::now().date_naive(),
        force: true,
        memory_hint: None,
    };
    let root = options.root.clone();
    let mut rebuilder = Rebuilder::new(options, "http://127.0.0.1:1111".into());
    let started = Instant::now();
    let Ok(built) = rebuilder.build() else {
        eprintln!("the site does not build");
        std::process::exit(1);
    };
    println!(
        "cold build: {:.0} ms ({} files)",
        started.elapsed().as_secs_f64() * 1000.0,
        built.files.len()
    );
    let files: HashMap<String, Vec<u8>> =
        built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
    let mut state = FastState::new(&root, built.site, Arc::new(files)).unwrap_or_else(|e| {
        eprintln!("{e:?}");
        std::process::exit(1);
    });
    for round in 1..=6 {
        let edited = if round % 2 == 0 {
            original.replacen(
                "description = \"",
                &format!("description = \"Round {round}: "),
                1,
            )
        } else {
            format!("{original}\nEdited in round {round}.\n")
        };
        if let Err(e) = std::fs::write(&article, edited) {
            eprintln!("cannot write {}: {e}", article.display());
            break;
        }
        let started = Instant::now();
        let fast = state.apply(&BTreeSet::from([article.clone()]));
        let fast_ms = started.elapsed().as_secs_f64() * 1000.0;
        if fast_only {
            let rendered = match fast {
                Fast::Built { rendered, .. } => rendered,
                _ => 0,
            };
            println!("round {round}: fast pass {fast_ms:.1} ms ({rendered} files)");
            continue;
        }
        let started = Instant::now();
        rebuilder.forget(std::slice::from_ref(&article));
        let whole = rebuilder.build();
        let whole_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (
            Fast::Built {
                files, rendered, ..
            },
            Ok(whole),
        ) = (fast, whole)
        else {
            println!("round {round}: a pass did not build");
            continue;
        };
        let differing = whole
            .files
            .iter()
            .filter(|f| files.get(&f.path) != Some(&f.bytes))
            .count();
        println!(
            "round {round}: fast pass {fast_ms:.1} ms ({rendered} files), whole pass {whole_ms:.0} ms ({} files; {differing} differ from the fast pass's site)",
            whole.files.len()
        );
    }
    if let Err(e) = std::fs::write(&article, original) {
        eprintln!("cannot restore {}: {e}", article.display());
    }
}

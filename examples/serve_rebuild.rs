//! Measures `serve`'s rebuild after one article is saved, on a site given on the command line:
//! `cargo run --release --example serve_rebuild -- SITE_ROOT content/path/to/article.md`.
//!
//! It builds the site once (cold), then appends a line to the article and rebuilds, five
//! times, printing each rebuild's time; the article is restored at the end.

use std::path::PathBuf;
use std::time::Instant;

use briefing::BuildOptions;
use briefing::config::Overrides;
use briefing::serve::rebuild::Rebuilder;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(article)) = (args.next(), args.next()) else {
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
    };
    let mut rebuilder = Rebuilder::new(options, "http://127.0.0.1:1111".into());
    let started = Instant::now();
    let built = rebuilder.build();
    println!(
        "cold build: {:.0} ms ({} files)",
        started.elapsed().as_secs_f64() * 1000.0,
        built.map(|b| b.files.len()).unwrap_or(0)
    );
    for round in 1..=5 {
        let edited = format!("{original}\nEdited in round {round}.\n");
        if let Err(e) = std::fs::write(&article, edited) {
            eprintln!("cannot write {}: {e}", article.display());
            break;
        }
        let started = Instant::now();
        rebuilder.forget(std::slice::from_ref(&article));
        let parsed = rebuilder.build().map(|b| b.parsed);
        println!(
            "rebuild after an edit: {:.0} ms (parsed {parsed:?})",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    if let Err(e) = std::fs::write(&article, original) {
        eprintln!("cannot restore {}: {e}", article.display());
    }
}

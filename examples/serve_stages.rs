//! Where a whole rebuild's time goes, stage by stage, on a site given on the command line:
//! `cargo run --release --example serve_stages -- SITE_ROOT`.
//!
//! `serve` answers an edit with a pass that re-renders only the pages showing the edited article
//! and a full pass after it; this shows what the full pass costs and so what the fast one avoids.

use std::path::PathBuf;
use std::time::Instant;

use briefing::content::markdown::{Highlighter, HtmlPolicy};
use briefing::content::{self, LoadOptions};
use briefing::progress::Silent;
use briefing::render::{self, Templates};
use briefing::{config, output, site};

fn main() {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: serve_stages SITE_ROOT");
        std::process::exit(2);
    };
    let mut clock = Clock(Instant::now());
    let config = config::load(&root, &config::Overrides::default()).unwrap_or_else(|e| {
        eprintln!("{e:?}");
        std::process::exit(1);
    });
    clock.lap("config");
    let listing = briefing::walk::Listing::of(&config.content_dir());
    let (sources, _) = content::find_sources(&config.root, &listing);
    clock.lap("walk content/");
    let options = LoadOptions {
        drafts: false,
        today: chrono::Local::now().date_naive(),
        html_policy: HtmlPolicy::Sanitise,
    };
    let loaded = content::load(&sources, options, &Highlighter::default());
    clock.lap("parse every article");
    let site = site::assemble(config, loaded.articles, Vec::new());
    clock.lap("assemble (analysis, topics, related)");
    let config = &site.config;
    let templates = Templates::load_for(config).unwrap_or_else(|e| {
        eprintln!("{e:?}");
        std::process::exit(1);
    });
    let theme =
        render::theme::ThemeInfo::load(&config.theme_dir(), &config.root).unwrap_or_else(|e| {
            eprintln!("{e:?}");
            std::process::exit(1);
        });
    clock.lap("templates");
    let article_topics = render::article_topics(&site);
    let sink = render::Collected::default();
    let pages = render::render_site(&site, &templates, &theme, &sink, &Silent).unwrap_or(0);
    clock.lap(&format!("render {pages} pages"));
    let _ = output::index_json::render_index_json(&site, &article_topics);
    clock.lap("index.json");
    let feeds = output::feeds::render_feeds(&site, &article_topics).map_or(0, |f| f.len());
    clock.lap(&format!("{feeds} feeds"));
    let _ = output::sitemap::render_sitemaps(&site);
    clock.lap("sitemaps");
    let sink = render::Collected::default();
    let _ = output::search::render_search_index(&site, &sink);
    let search = sink.into_files().len();
    clock.lap(&format!("search index ({search} files)"));
}

struct Clock(Instant);

impl Clock {
    fn lap(&mut self, stage: &str) {
        println!(
            "{:>8.0} ms  {stage}",
            self.0.elapsed().as_secs_f64() * 1000.0
        );
        self.0 = Instant::now();
    }
}

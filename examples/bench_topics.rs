//! Times the grouping stages (analysis, stories, related news, entities) on a large site, next
//! to the rest of the build, so that they can be seen not to dominate it.
//!
//! ```text
//! python3 ../shared/bench/gen_corpus.py --n 10000 --out /tmp/corpus-10000
//! mkdir -p /tmp/site-10000 && ln -sfn /tmp/corpus-10000/zola/content /tmp/site-10000/content
//! ln -sfn "$PWD/themes" /tmp/site-10000/themes
//! printf 'title = "Bench"\nbase_url = "https://example.org/"\n' > /tmp/site-10000/site.toml
//! cargo run --release --example bench_topics -- /tmp/site-10000
//! ```
//!
//! The generated articles all name their topics in front matter, which wins over clustering;
//! the stories are also timed with those topics removed, so that every article is clustered.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use briefing::config::Overrides;
use briefing::content::markdown::Highlighter;
use briefing::{BuildOptions, analyse, entities, related, topics};

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bench_topics SITE_DIR (a folder with site.toml and content/)");
        return ExitCode::from(2);
    };
    let options = BuildOptions {
        root,
        overrides: Overrides::default(),
        drafts: false,
        force: true,
        today: chrono::Local::now().date_naive(),
    };
    let start = Instant::now();
    let (site, _) = match briefing::load_site(&options, &Highlighter::default()) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let load = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let files = match briefing::render_files(&site) {
        Ok(files) => files.len(),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let render = start.elapsed().as_secs_f64();
    let config = &site.config.config;
    let articles = &site.articles;
    let timed = |label: &str, run: &dyn Fn() -> usize| {
        let start = Instant::now();
        let count = run();
        println!(
            "{label:<44} {:>7.3} s  ({count})",
            start.elapsed().as_secs_f64()
        );
    };
    println!("{} articles", articles.len());
    println!(
        "{:<44} {load:>7.3} s",
        "load + assemble (parse, analyse, group, link)"
    );
    println!(
        "{:<44} {render:>7.3} s  ({files} files)",
        "render every file in memory"
    );
    let analysis = analyse::analyse(articles, &config.entities.aliases);
    timed("analyse (entities, TF-IDF, neighbours)", &|| {
        analyse::analyse(articles, &config.entities.aliases)
            .neighbours
            .len()
    });
    let threshold = config.stories.threshold;
    timed("topics, front matter kept (stories)", &|| {
        topics::group(articles, &config.topics, threshold, &analysis).len()
    });
    let mut unlabelled = articles.clone();
    unlabelled.iter_mut().for_each(|a| a.topics.clear());
    timed("topics, every article clustered (stories)", &|| {
        topics::group(&unlabelled, &[], threshold, &analysis).len()
    });
    let stories = topics::group(&unlabelled, &[], threshold, &analysis);
    timed("related news (k links per article)", &|| {
        related::rank(articles, &analysis, &stories, &config.related)
            .links
            .len()
    });
    timed("entities (pages)", &|| {
        entities::collect(articles, &analysis).list.len()
    });
    ExitCode::SUCCESS
}

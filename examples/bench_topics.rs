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
//! `--no-render` skips rendering the site. The last line gives the whole analysis (entities,
//! topics, related news) in one go: wall time, CPU time and the peak memory it added (Linux:
//! the peak is reset through `/proc/self/clear_refs` just before).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use briefing::config::Overrides;
use briefing::content::markdown::Highlighter;
use briefing::{BuildOptions, analyse, duplicates, entities, related, topics};

fn main() -> ExitCode {
    let render = !std::env::args().any(|a| a == "--no-render");
    let Some(root) = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
    else {
        eprintln!("usage: bench_topics SITE_DIR (a folder with site.toml and content/)");
        return ExitCode::from(2);
    };
    let options = BuildOptions {
        root,
        overrides: Overrides::default(),
        drafts: false,
        force: true,
        memory_hint: None,
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
    let files = match render.then(|| briefing::render_files(&site)) {
        Some(Ok(files)) => files.len(),
        Some(Err(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
        None => 0,
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
    let copies = duplicates::find(articles, &analysis.signatures);
    timed("related news (k links per article)", &|| {
        related::rank(articles, &analysis, &stories, &copies, &config.related)
            .links
            .len()
    });
    timed("entities (pages)", &|| {
        entities::collect(articles, &analysis).list.len()
    });
    timed(
        "near-duplicates from the analysis' signatures (groups)",
        &|| {
            duplicates::find(articles, &analysis.signatures)
                .groups
                .len()
        },
    );
    drop((analysis, stories, unlabelled));
    whole_analysis(articles, config);
    ExitCode::SUCCESS
}

/// Times entities, topics and related news as the build runs them, every article clustered.
fn whole_analysis(articles: &[briefing::model::Article], config: &briefing::config::Config) {
    let mut unlabelled = articles.to_vec();
    unlabelled.iter_mut().for_each(|a| a.topics.clear());
    let before = memory_kib();
    // Writing 5 resets the peak resident size to the current one (Linux 4.0 and later).
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (cpu_before, start) = (cpu_seconds(), Instant::now());
    let analysis = analyse::analyse(&unlabelled, &config.entities.aliases);
    let copies = duplicates::find(&unlabelled, &analysis.signatures);
    let stories = topics::group(&unlabelled, &[], config.stories.threshold, &analysis);
    let related = related::rank(&unlabelled, &analysis, &stories, &copies, &config.related);
    let entities = entities::collect(&unlabelled, &analysis);
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().map(|after| after - cpu_before.unwrap_or(after));
    let peak = memory_kib();
    println!(
        "whole analysis, every article clustered: {wall:.3} s wall, {} CPU, {} stories, {} entities, {} links; peak memory added {}",
        cpu.map_or("?".into(), |c| format!("{c:.3} s")),
        stories.len(),
        entities.list.len(),
        related.links.iter().map(Vec::len).sum::<usize>(),
        match (reset, before, peak) {
            (true, Some((rss, _)), Some((_, hwm))) =>
                format!("{:.1} MB", (hwm - rss) as f64 / 1024.0),
            _ => "unknown".into(),
        }
    );
}

/// (resident, peak resident) in KiB, from `/proc/self/status`.
fn memory_kib() -> Option<(i64, i64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// User plus system CPU time of the process, from `/proc/self/stat` (clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

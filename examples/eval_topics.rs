//! Measures automatic stories and related news against the labelled event clusters of
//! `../shared/corpus/event-clusters` (see that folder's README for the metrics).
//!
//! ```text
//! cargo run --release --example eval_topics [-- CORPUS_DIR [STORY_THRESHOLD]]
//! ```
//!
//! The figures are printed for the whole corpus, then for each half of its topics (odd and
//! even topic numbers) built as a site of its own: a change that helps one half only is fitted
//! to these files, not an idea that holds on stories never seen.
//!
//! Each `.txt` becomes an article (first line the headline, the rest the body), with no
//! configured topics; the site is assembled as `briefing build` does, and its automatic topics
//! and related links are scored: pairwise and B-cubed precision/recall/F1 of the stories against
//! the event clusters, precision@3 of the related links and the share of them that point to the
//! other event of the same topic (hard negatives).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefing::config::{Config, SiteConfig};
use briefing::model::{Article, Site, TopicKind};
use briefing::urls::parse_base_url;

/// One labelled article: its file and its event cluster.
struct Label {
    file: String,
    event: String,
    topic: String,
}

fn main() -> ExitCode {
    let corpus = std::env::args().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/event-clusters"),
        PathBuf::from,
    );
    let labels = match read_labels(&corpus.join("labels.tsv")) {
        Ok(labels) => labels,
        Err(e) => {
            eprintln!(
                "corpus absent: cannot read {}: {e}\nnothing measured; pass the event-clusters folder as the first argument",
                corpus.join("labels.tsv").display()
            );
            return ExitCode::from(2);
        }
    };
    let threshold: Option<f32> = std::env::args().nth(2).and_then(|t| t.parse().ok());
    // The whole corpus (no parity), then odd and even topic numbers.
    let halves = [
        ("whole corpus", None),
        ("odd topics", Some(1)),
        ("even topics", Some(0)),
    ];
    for (n, (name, parity)) in halves.into_iter().enumerate() {
        let kept: Vec<&Label> = labels
            .iter()
            .filter(|l| parity.is_none_or(|p| topic_number(l) % 2 == p))
            .collect();
        println!("== {name}");
        if !evaluate(&corpus, &kept, threshold, n == 0) {
            return ExitCode::FAILURE;
        }
        println!();
    }
    ExitCode::SUCCESS
}

fn topic_number(label: &Label) -> u32 {
    label.topic.parse().unwrap_or(0)
}

/// Builds a site from the labelled articles and prints its figures (and its stories when
/// `detail`); false when an article lost its label.
fn evaluate(corpus: &Path, labels: &[&Label], threshold: Option<f32>, detail: bool) -> bool {
    let articles: Vec<Article> = labels
        .iter()
        .filter_map(|label| article_from(&corpus.join(&label.file), &label.file))
        .collect();
    if articles.len() != labels.len() {
        eprintln!(
            "{} of {} labelled files could not be read",
            labels.len() - articles.len(),
            labels.len()
        );
    }
    let start = Instant::now();
    let mut config = site_config();
    if let Some(threshold) = threshold {
        config.config.stories.threshold = threshold;
    }
    let site = briefing::site::assemble(config, articles, Vec::new());
    let elapsed = start.elapsed();
    let gold: BTreeMap<&str, &Label> = labels.iter().map(|l| (l.file.as_str(), *l)).collect();
    let truth: Vec<&Label> = site
        .articles
        .iter()
        .filter_map(|a| gold.get(a.source.to_string_lossy().as_ref()).copied())
        .collect();
    if truth.len() != site.articles.len() {
        eprintln!("internal error: an article lost its label");
        return false;
    }
    report(&site, &truth, elapsed.as_secs_f64(), detail);
    true
}

fn read_labels(path: &Path) -> std::io::Result<Vec<Label>> {
    let text = std::fs::read_to_string(path)?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Some(Label {
                file: (*cells.first()?).to_string(),
                topic: (*cells.get(1)?).to_string(),
                event: (*cells.get(3)?).to_string(),
            })
        })
        .collect())
}

/// A raw text file as an article: the first non-empty line is the headline.
fn article_from(path: &Path, name: &str) -> Option<Article> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let title = lines.next()?.to_string();
    let body_text = lines.collect::<Vec<_>>().join("\n\n");
    Some(Article {
        source: PathBuf::from(name),
        slug: briefing::slug::slugify(name),
        title,
        word_count: body_text.split_whitespace().count(),
        body_text,
        ..Article::default()
    })
}

fn site_config() -> SiteConfig {
    let config = Config {
        title: "Event clusters".into(),
        base_url: "https://example.org/".into(),
        ..Config::default()
    };
    SiteConfig {
        base_url: parse_base_url(&config.base_url)
            .unwrap_or_else(|_| unreachable!("a fixed, valid URL")),
        config,
        root: PathBuf::from("."),
        output_dir: PathBuf::from("output"),
    }
}

/// For each article, the index of its automatic story.
fn predicted(site: &Site) -> Vec<usize> {
    let mut story = vec![usize::MAX; site.articles.len()];
    for (t, topic) in site.topics.iter().enumerate() {
        if topic.kind == TopicKind::Automatic {
            for id in &topic.articles {
                story[id.index()] = t;
            }
        }
    }
    story
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn report(site: &Site, truth: &[&Label], seconds: f64, detail: bool) {
    let story = predicted(site);
    let n = truth.len();
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    for i in 0..n {
        for j in i + 1..n {
            match (story[i] == story[j], truth[i].event == truth[j].event) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fn_ += 1,
                _ => {}
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let (mut bp, mut br) = (0.0, 0.0);
    for i in 0..n {
        let same_story = (0..n).filter(|&j| story[j] == story[i]).count() as f64;
        let same_event = (0..n).filter(|&j| truth[j].event == truth[i].event).count() as f64;
        let both = (0..n)
            .filter(|&j| story[j] == story[i] && truth[j].event == truth[i].event)
            .count() as f64;
        bp += both / same_story;
        br += both / same_event;
    }
    let (bp, br) = (bp / n as f64, br / n as f64);
    let stories = site
        .topics
        .iter()
        .filter(|t| t.kind == TopicKind::Automatic)
        .count();
    println!("articles {n}, events {}, automatic stories {stories}", {
        let mut events: Vec<&str> = truth.iter().map(|l| l.event.as_str()).collect();
        events.sort_unstable();
        events.dedup();
        events.len()
    });
    println!("pairwise  P {p:.3}  R {r:.3}  F1 {:.3}", f1(p, r));
    println!("B-cubed   P {bp:.3}  R {br:.3}  F1 {:.3}", f1(bp, br));
    related_report(site, truth, 3);
    related_report(site, truth, site.config.config.related.k);
    println!("assemble (analysis, stories, related, entities): {seconds:.3} s");
    if !detail {
        return;
    }
    println!("\nstories of 2 or more articles:");
    for topic in site.topics.iter().filter(|t| t.articles.len() > 1) {
        let mut events: BTreeMap<&str, usize> = BTreeMap::new();
        for id in &topic.articles {
            *events.entry(truth[id.index()].event.as_str()).or_default() += 1;
        }
        println!("  {:<40} {:?}", topic.name, events);
    }
}

/// Precision@k (macro over articles with links) and the hard-negative rate of the first `k`
/// related links.
fn related_report(site: &Site, truth: &[&Label], k: usize) {
    let (mut precision_sum, mut with_links, mut links, mut hard, mut good) = (0.0, 0, 0, 0, 0);
    for (i, label) in truth.iter().enumerate() {
        let related = site.related.of(briefing::model::ArticleId(i as u32));
        let top = &related[..related.len().min(k)];
        if top.is_empty() {
            continue;
        }
        let same = top
            .iter()
            .filter(|id| truth[id.index()].event == label.event)
            .count();
        hard += top
            .iter()
            .filter(|id| {
                let other = truth[id.index()];
                other.topic == label.topic && other.event != label.event
            })
            .count();
        precision_sum += same as f64 / top.len() as f64;
        with_links += 1;
        links += top.len();
        good += same;
    }
    println!(
        "related@{k}  precision {:.3} (micro {:.3})  hard-negative rate {:.3}  articles with links {with_links}/{}",
        precision_sum / with_links.max(1) as f64,
        good as f64 / links.max(1) as f64,
        hard as f64 / links.max(1) as f64,
        truth.len()
    );
}

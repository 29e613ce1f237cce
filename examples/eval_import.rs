//! Measures how well `briefing import` finds article bodies in scraped pages.
//!
//! Reads `../shared/corpus/scraped-pages/` (or the folder given as the first argument): every
//! `pages/<id>.txt` is extracted as `briefing import pages/` would (knowing the lines pages of
//! one outlet share; `EVAL_ALONE=1` extracts each page on its own) and its body compared with `gold/<id>.txt` by the benchmark's
//! article-body F1 over word 4-gram shingles (see the corpus README). Prints F1, precision,
//! recall and pages per second. Run with `cargo run --release --example eval_import`.
//!
//! With `--html`, the saved pages `html/<id>.html.gz` are imported instead, as `briefing
//! import page.html` would (decompressed before the clock starts). Speed is given per second
//! of this thread's CPU time, so other work on the machine changes it less; `EVAL_REPEAT=N`
//! imports each page N times and counts the fastest run.

mod common;

use common::gunzip;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefing::ingest::SharedLines;
use briefing::ingest::body_text;
use briefing::ingest::files::{extract_bytes_with, shared_lines};
use briefing::ingest::html::extract_html;

/// Word 4-grams, as the benchmark counts them.
const SHINGLE: usize = 4;

fn main() -> ExitCode {
    let html = std::env::args().any(|a| a == "--html");
    let corpus = std::env::args()
        .skip(1)
        .find(|a| a != "--html")
        .map_or_else(default_corpus, PathBuf::from);
    if html {
        return eval_html(&corpus);
    }
    let pages_dir = corpus.join("pages");
    let gold_dir = corpus.join("gold");
    if !pages_dir.is_dir() || !gold_dir.is_dir() {
        eprintln!(
            "corpus not found: {} must hold pages/ and gold/ (pass another folder as the first argument)",
            corpus.display()
        );
        return ExitCode::from(2);
    }
    let pages = match page_files(&pages_dir) {
        Ok(pages) => pages,
        Err(e) => {
            eprintln!("cannot list {}: {e}", pages_dir.display());
            return ExitCode::from(2);
        }
    };
    let verbose = std::env::var_os("EVAL_VERBOSE").is_some();
    let started = Instant::now();
    let shared = if std::env::var_os("EVAL_ALONE").is_some() {
        SharedLines::default()
    } else {
        shared_lines(&pages)
    };
    let mut elapsed = started.elapsed().as_secs_f64();
    let mut scores = Vec::new();
    for page in &pages {
        let (Ok(raw), Ok(gold)) = (
            std::fs::read(page),
            std::fs::read_to_string(gold_dir.join(page.file_name().unwrap_or_default())),
        ) else {
            eprintln!("{}: cannot read the page or its gold file", page.display());
            continue;
        };
        let started = Instant::now();
        let extracted = extract_bytes_with(&raw, &shared);
        elapsed += started.elapsed().as_secs_f64();
        let predicted = match &extracted {
            Ok(article) => body_text(&article.body),
            Err(reason) => {
                eprintln!("{}: no article: {reason}", page.display());
                String::new()
            }
        };
        let score = shingle_match(&gold, &predicted);
        if verbose {
            let title = extracted.as_ref().map(|a| a.title.as_str()).unwrap_or("");
            println!(
                "{:.3} {:.3} {} {title}",
                score.precision().unwrap_or(0.0),
                score.recall().unwrap_or(0.0),
                page.file_stem().and_then(|s| s.to_str()).unwrap_or("")
            );
        }
        scores.push(score);
    }
    report(&scores, elapsed);
    ExitCode::SUCCESS
}

/// `--html`: every `html/<id>.html.gz` imported alone, against its gold body.
fn eval_html(corpus: &Path) -> ExitCode {
    let (html_dir, gold_dir) = (corpus.join("html"), corpus.join("gold"));
    let pages = match page_files(&gold_dir) {
        Ok(pages) if html_dir.is_dir() => pages,
        _ => {
            eprintln!(
                "corpus not found: {} must hold html/ and gold/ (pass another folder as the first argument)",
                corpus.display()
            );
            return ExitCode::from(2);
        }
    };
    let verbose = std::env::var_os("EVAL_VERBOSE").is_some();
    let repeat: usize = std::env::var("EVAL_REPEAT")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1)
        .max(1);
    let (mut cpu, mut wall, mut scores, mut ids) = (0.0, 0.0, Vec::new(), Vec::new());
    for gold_file in &pages {
        let id = gold_file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let page = html_dir.join(format!("{id}.html.gz"));
        let (Some(raw), Ok(gold)) = (gunzip(&page), std::fs::read_to_string(gold_file)) else {
            eprintln!("{}: cannot read the page or its gold file", page.display());
            continue;
        };
        // The fastest of `EVAL_REPEAT` runs: the least disturbed by other work on the machine.
        let mut fastest = (f64::MAX, f64::MAX);
        let mut extracted = Err(String::new());
        for _ in 0..repeat {
            let (started, cpu_started) = (Instant::now(), thread_cpu_seconds());
            extracted = extract_html(&raw);
            let spent = (
                thread_cpu_seconds() - cpu_started,
                started.elapsed().as_secs_f64(),
            );
            fastest = (fastest.0.min(spent.0), fastest.1.min(spent.1));
        }
        cpu += fastest.0;
        wall += fastest.1;
        let predicted = match &extracted {
            Ok(article) => body_text(&article.body),
            Err(reason) => {
                eprintln!("{}: {reason}", page.display());
                String::new()
            }
        };
        let score = shingle_match(&gold, &predicted);
        if verbose {
            let title = extracted.as_ref().map(|a| a.title.as_str()).unwrap_or("");
            println!(
                "{:.3} {:.3} {id} {title}",
                score.precision().unwrap_or(0.0),
                score.recall().unwrap_or(0.0),
            );
        }
        scores.push(score);
        ids.push(id.to_string());
    }
    report(&scores, wall);
    report_halves(&ids, &scores);
    println!(
        "CPU speed:  {:.0} pages/second on one core ({cpu:.3} s of this thread's CPU time)",
        scores.len() as f64 / cpu.max(1e-9)
    );
    ExitCode::SUCCESS
}

fn thread_cpu_seconds() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn default_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/scraped-pages")
}

fn page_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    pages.sort();
    Ok(pages)
}

/// True positives, false positives and false negatives of one page, as shingle counts.
#[derive(Debug, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn precision(&self) -> Option<f64> {
        let predicted = self.tp + self.fp;
        (predicted > 0).then(|| self.tp as f64 / predicted as f64)
    }

    fn recall(&self) -> Option<f64> {
        let gold = self.tp + self.fn_;
        (gold > 0).then(|| self.tp as f64 / gold as f64)
    }
}

/// Tokens are `\w+` runs: letters, digits, marks and underscores.
fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens = tokens(text);
    let n = SHINGLE.min(tokens.len());
    let mut counts = HashMap::new();
    if n == 0 {
        return counts;
    }
    for window in tokens.windows(n) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

/// The multiset overlap of gold and predicted shingles.
fn shingle_match(gold: &str, predicted: &str) -> Score {
    let (gold, predicted) = (shingles(gold), shingles(predicted));
    let mut score = Score {
        tp: 0,
        fp: 0,
        fn_: 0,
    };
    for (shingle, &g) in &gold {
        let p = predicted.get(shingle).copied().unwrap_or(0);
        score.tp += g.min(p);
        score.fn_ += g.saturating_sub(p);
    }
    for (shingle, &p) in &predicted {
        score.fp += p.saturating_sub(gold.get(shingle).copied().unwrap_or(0));
    }
    score
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Precision, recall and F1 over pages, as the benchmark computes them.
fn summary(scores: &[Score]) -> (f64, f64, f64) {
    let precision = mean(scores.iter().filter_map(Score::precision));
    let recall = mean(scores.iter().filter_map(Score::recall));
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (f1, precision, recall)
}

/// The figures of two halves of the pages (by the parity of the page id's first hex digit,
/// which the ids, being hashes, spread at random): constants fitted to some pages would show
/// as a gap between them.
fn report_halves(ids: &[String], scores: &[Score]) {
    for (name, parity) in [("odd", 1), ("even", 0)] {
        let half: Vec<Score> = ids
            .iter()
            .zip(scores)
            .filter(|(id, _)| {
                let first = id.chars().next().and_then(|c| c.to_digit(16));
                first.is_some_and(|d| d % 2 == parity)
            })
            .map(|(_, score)| *score)
            .collect();
        let (f1, precision, recall) = summary(&half);
        println!(
            "{name} half: {} pages, F1 {f1:.3} (P {precision:.3}, R {recall:.3})",
            half.len()
        );
    }
}

fn report(scores: &[Score], seconds: f64) {
    let (f1, precision, recall) = summary(scores);
    println!("pages:      {}", scores.len());
    println!("F1:         {f1:.3}");
    println!("precision:  {precision:.3}");
    println!("recall:     {recall:.3}");
    println!(
        "speed:      {:.0} pages/second (extraction only, {seconds:.3} s)",
        scores.len() as f64 / seconds.max(1e-9)
    );
}

/// As the `briefing` binary: the allocator import runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

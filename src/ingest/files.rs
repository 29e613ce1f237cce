//! `briefing import`: raw article files in, Markdown articles out.
//!
//! Every input is handled on its own: a file that holds no article is skipped with its reason, a
//! file that cannot be read or written is a failure, and neither stops the others. Articles are
//! written atomically (a temporary file renamed into place) and an existing article is never
//! overwritten unless asked for. Files are read twice: first to learn which lines the articles
//! of one outlet share (its menus and footers), then to extract each. Nothing here prints; the command line reports the outcome.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::encoding::decode;
use super::html::{extract_html, is_html_path};
use super::markdown::{article_file, body_markdown};
use super::{Extracted, RelatedLink, SharedLines, body_text, extract_with, outlet_key};
use crate::model::Quote;
use crate::slug::slugify;

/// What `briefing import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Files, or folders whose `.txt`, `.html` and `.htm` files are imported.
    pub inputs: Vec<PathBuf>,
    /// Where articles are written.
    pub into: PathBuf,
    pub force: bool,
    pub dry_run: bool,
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Written to `target` (or, on a dry run, would be).
    Imported { source: PathBuf, target: PathBuf },
    /// Not imported, for a reason that is not an error (no article, file already there).
    Skipped { source: PathBuf, reason: String },
    /// Reading or writing failed.
    Failed { source: PathBuf, reason: String },
}

/// Reads one raw article file (text, or a saved HTML page) and extracts its article, knowing
/// the lines its outlet's other articles share; the inner error says why it was skipped.
pub fn read_raw_article(
    path: &Path,
    shared: &SharedLines,
) -> Result<Result<Extracted, String>, std::io::Error> {
    let bytes = std::fs::read(path)?;
    Ok(extract_file_bytes(path, &bytes, shared))
}

/// Extracts an article from a file's bytes, as HTML or text by the file's extension.
pub fn extract_file_bytes(
    path: &Path,
    bytes: &[u8],
    shared: &SharedLines,
) -> Result<Extracted, String> {
    if is_html_path(path) {
        extract_html(bytes)
    } else {
        extract_bytes_with(bytes, shared)
    }
}

/// Decodes and extracts an article from raw bytes; the error is the reason to skip it.
pub fn extract_bytes(bytes: &[u8]) -> Result<Extracted, String> {
    extract_bytes_with(bytes, &SharedLines::default())
}

/// `extract_bytes`, knowing the lines other articles of the outlet share.
pub fn extract_bytes_with(bytes: &[u8], shared: &SharedLines) -> Result<Extracted, String> {
    let decoded = decode(bytes).map_err(|e| e.to_string())?;
    let furniture = if shared.is_empty() {
        HashSet::new()
    } else {
        outlet_key(&decoded.text)
            .map(|outlet| shared.for_outlet(&outlet))
            .unwrap_or_default()
    };
    extract_with(&decoded.text, &furniture).map_err(|e| e.to_string())
}

/// The lines the given text files share per outlet; unreadable files are left to the second
/// pass, and HTML pages have their own furniture detection.
pub fn shared_lines(files: &[PathBuf]) -> SharedLines {
    let mut shared = SharedLines::default();
    for file in files.iter().filter(|f| !is_html_path(f)) {
        if let Some(decoded) = std::fs::read(file).ok().and_then(|b| decode(&b).ok()) {
            shared.add(&decoded.text);
        }
    }
    shared
}

/// The files to import: files as given, folders walked for `.txt`, `.html` and `.htm` files,
/// in a stable order.
pub fn input_files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Outcome>) {
    let mut files = Vec::new();
    let mut failures = Vec::new();
    for input in inputs {
        if !input.is_dir() {
            files.push(input.clone());
            continue;
        }
        for entry in crate::walk::sorted(input) {
            match entry {
                Ok(e) if e.file_type().is_file() && is_raw_text(e.path()) => {
                    files.push(e.into_path())
                }
                Ok(_) => {}
                Err(e) => failures.push(Outcome::Failed {
                    source: e.path().unwrap_or(input).to_path_buf(),
                    reason: format!("cannot read the folder: {e}"),
                }),
            }
        }
    }
    (files, failures)
}

fn is_raw_text(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'));
    let text = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    !hidden && (text || is_html_path(path))
}

/// Imports every input into `options.into`; one outcome per input file.
pub fn import(options: &ImportOptions) -> Vec<Outcome> {
    let (files, mut outcomes) = input_files(&options.inputs);
    let shared = shared_lines(&files);
    let mut claimed = BTreeSet::new();
    for source in files {
        let outcome = match read_raw_article(&source, &shared) {
            Err(e) => Outcome::Failed {
                reason: format!("cannot read: {e}"),
                source,
            },
            Ok(Err(reason)) => Outcome::Skipped { source, reason },
            Ok(Ok(article)) => {
                let target = target_path(&options.into, &article, &source, &mut claimed);
                write_article(options, source, target, &article)
            }
        };
        outcomes.push(outcome);
    }
    outcomes
}

/// `DIR/<slug>.md`, with `-2`, `-3`… when another input of this run already took the name.
fn target_path(
    into: &Path,
    article: &Extracted,
    source: &Path,
    claimed: &mut BTreeSet<String>,
) -> PathBuf {
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let base = [slugify(&article.title), slugify(stem)]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "article".to_string());
    let mut slug = base.clone();
    let mut n = 2;
    while !claimed.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    into.join(format!("{slug}.md"))
}

fn write_article(
    options: &ImportOptions,
    source: PathBuf,
    target: PathBuf,
    article: &Extracted,
) -> Outcome {
    if target.exists() && !options.force {
        return Outcome::Skipped {
            reason: format!(
                "{} already exists (use --force to overwrite it)",
                target.display()
            ),
            source,
        };
    }
    if options.dry_run {
        return Outcome::Imported { source, target };
    }
    match write_atomically(&target, article_file(article).as_bytes()) {
        Ok(()) => Outcome::Imported { source, target },
        Err(e) => Outcome::Failed {
            reason: format!("cannot write {}: {e}", target.display()),
            source,
        },
    }
}

/// Writes a temporary file beside the target, then renames it into place, so a reader never
/// sees half an article.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// One input file as `--json` shows it.
#[derive(Debug, Serialize)]
pub struct JsonRecord {
    pub source_file: String,
    pub title: String,
    pub dek: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub source_url: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub reading_minutes: Option<u32>,
    pub quotes: Vec<Quote>,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<RelatedLink>,
    pub body_markdown: String,
    pub body_text: String,
    pub removed: Vec<String>,
}

impl JsonRecord {
    pub fn new(source: &Path, article: Extracted) -> JsonRecord {
        JsonRecord {
            source_file: source.display().to_string(),
            body_markdown: body_markdown(&article.body),
            body_text: body_text(&article.body),
            title: article.title,
            dek: article.dek,
            author: article.author,
            outlet: article.outlet,
            date: article.date,
            updated: article.updated,
            source_url: article.source_url,
            image: article.image,
            language: article.language,
            reading_minutes: article.reading_minutes,
            quotes: article.quotes,
            highlights: article.highlights,
            related_headlines: article.related_headlines,
            removed: article.removed,
        }
    }
}

/// `--json`: the extracted article of every input, and the outcome of those that gave none.
pub fn extract_all(inputs: &[PathBuf]) -> (Vec<JsonRecord>, Vec<Outcome>) {
    let (files, mut outcomes) = input_files(inputs);
    let shared = shared_lines(&files);
    let mut records = Vec::new();
    for source in files {
        match read_raw_article(&source, &shared) {
            Ok(Ok(article)) => records.push(JsonRecord::new(&source, article)),
            Ok(Err(reason)) => outcomes.push(Outcome::Skipped { source, reason }),
            Err(e) => outcomes.push(Outcome::Failed {
                reason: format!("cannot read: {e}"),
                source,
            }),
        }
    }
    (records, outcomes)
}

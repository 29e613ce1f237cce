//! Import: raw article text (scraped or copied from news sites, boilerplate and all) becomes a
//! clean, structured article.
//!
//! Everything here is a pure function from text to an `Extracted` article: `encoding` reads the
//! bytes, `text` measures lines, `sections` takes out labelled blocks (quotes, highlights,
//! related headlines), `header` reads the headline, byline, date and reading time, and
//! `boilerplate` finds the body among the page furniture. `markdown` writes the result as an
//! article file, which `content` reads like any other; `files` is the `briefing import` command.

pub mod boilerplate;
pub mod encoding;
pub mod files;
pub mod header;
pub mod markdown;
mod region;
pub mod sections;
pub mod text;

use serde::Serialize;

use crate::model::Quote;
pub use boilerplate::Block;
use text::Line;

/// An article as extracted from raw text, ready to be written as Markdown with front matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extracted {
    pub title: String,
    pub dek: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    /// `YYYY-MM-DD`, when the text gives a date.
    pub date: Option<String>,
    pub reading_minutes: Option<u32>,
    pub quotes: Vec<Quote>,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<String>,
    pub body: Vec<Block>,
    /// Lines dropped as boilerplate, in page order, for review.
    pub removed: Vec<String>,
}

/// Why a text holds no article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoArticle(pub String);

impl std::fmt::Display for NoArticle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Extracts the article from decoded text.
pub fn extract(text: &str) -> Result<Extracted, NoArticle> {
    let lines = text::lines(text);
    let found = sections::find(&lines);
    let head = locate_headline(&lines).ok_or_else(|| {
        NoArticle("no headline: the text has no line of words to take as a title".into())
    })?;
    let mut used = vec![false; lines.len()];
    for &i in found.taken.iter().chain(&head.copies).chain(&head.masthead) {
        used[i] = true;
    }
    let dek = find_dek(&lines, &head, &used);
    if let Some(i) = dek {
        used[i] = true;
    }
    let body = boilerplate::find_body(&lines, &used, &head.copies);
    if body.blocks.is_empty() {
        return Err(NoArticle(
            "no article: no paragraph of running text was found".into(),
        ));
    }
    let meta = read_meta(&lines, &head, &body, &used);
    let outlet = head
        .headline
        .outlet
        .clone()
        .or_else(|| head.masthead.map(|i| lines[i].text.clone()))
        .or_else(|| meta.sign_off.map(|i| lines[i].text.clone()));
    let mut kept = used.clone();
    kept[body.start..body.end].fill(true);
    for &i in &body.dropped {
        kept[i] = false;
    }
    for i in meta.used_lines() {
        kept[i] = true;
    }
    Ok(Extracted {
        title: head.headline.title.clone(),
        dek: dek.map(|i| lines[i].text.clone()),
        author: meta.author,
        outlet,
        date: meta.date,
        reading_minutes: meta.reading_minutes,
        quotes: found.quotes,
        highlights: found.highlights,
        related_headlines: found.related_headlines,
        body: body.blocks,
        removed: removed_lines(&lines, &kept),
    })
}

/// Where the headline is: its line, its copies further down, and a masthead above it.
struct HeadlineAt {
    headline: header::Headline,
    /// Every line that is the headline (the first is the headline line itself).
    copies: Vec<usize>,
    masthead: Option<usize>,
}

/// The headline is the first line of words; a one- or two-word line above it is a masthead.
fn locate_headline(lines: &[Line]) -> Option<HeadlineAt> {
    let first = lines.iter().position(|l| l.words > 0)?;
    let next_is_title = lines.get(first + 1).is_some_and(|l| l.words >= 3);
    let (masthead, at) = if header::is_masthead(&lines[first]) && next_is_title {
        (Some(first), first + 1)
    } else {
        (None, first)
    };
    let headline = header::split_site_name(&lines[at].text);
    let same = |l: &Line| l.text.eq_ignore_ascii_case(&headline.title) || l.text == lines[at].text;
    let copies = std::iter::once(at)
        .chain((at + 1..lines.len()).filter(|&i| same(&lines[i])))
        .collect();
    Some(HeadlineAt {
        headline,
        copies,
        masthead,
    })
}

/// The standfirst: the line right under a copy of the headline, when it reads like one.
fn find_dek(lines: &[Line], head: &HeadlineAt, used: &[bool]) -> Option<usize> {
    head.copies
        .iter()
        .map(|&c| c + 1)
        .filter(|&i| i < lines.len() && !used[i])
        .find(|&i| {
            let line = &lines[i];
            (6..=45).contains(&line.words)
                && line.stop_ratio >= 0.1
                && header::byline(&line.text).is_none()
                && header::date(&line.text).is_none()
        })
}

/// Byline, date, reading time and a sign-off, with the lines they came from.
#[derive(Debug, Default)]
struct Meta {
    author: Option<String>,
    date: Option<String>,
    reading_minutes: Option<u32>,
    sign_off: Option<usize>,
    lines: Vec<usize>,
}

impl Meta {
    fn used_lines(&self) -> impl Iterator<Item = usize> + '_ {
        self.lines.iter().copied().chain(self.sign_off)
    }
}

/// How far from the headline and the body start bylines and dates are looked for.
const HEADER_REACH: usize = 12;

fn read_meta(lines: &[Line], head: &HeadlineAt, body: &boilerplate::Body, used: &[bool]) -> Meta {
    let mut meta = Meta::default();
    let near_headline = head
        .copies
        .iter()
        .flat_map(|&c| c + 1..c + 1 + HEADER_REACH);
    let near_body = body.start.saturating_sub(HEADER_REACH)..body.start;
    let mut candidates: Vec<usize> = near_headline
        .chain(near_body)
        .chain(body.dropped.iter().copied())
        .filter(|&i| i < lines.len() && !used[i])
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for &i in &candidates {
        read_meta_line(lines, i, &mut meta);
    }
    if meta.date.is_none() {
        meta.date = lines.iter().find_map(|l| header::date(&l.text));
    }
    meta.sign_off =
        (body.end..lines.len().min(body.end + 3)).find(|&i| !used[i] && is_sign_off(&lines[i]));
    meta
}

fn read_meta_line(lines: &[Line], i: usize, meta: &mut Meta) {
    let text = &lines[i].text;
    let mut found = false;
    if meta.author.is_none() {
        meta.author = header::byline(text).or_else(|| bare_by_author(lines, i, meta));
        found |= meta.author.is_some();
    }
    if meta.reading_minutes.is_none() {
        meta.reading_minutes = header::reading_minutes(text);
        found |= meta.reading_minutes.is_some();
    }
    if meta.date.is_none() {
        meta.date = header::date(text);
        found |= meta.date.is_some();
    }
    if found || text.eq_ignore_ascii_case("by") {
        meta.lines.push(i);
    }
}

/// "Editor / By": a bare "By" line names the author on the line before it (or after it).
fn bare_by_author(lines: &[Line], i: usize, meta: &mut Meta) -> Option<String> {
    if !lines[i].text.eq_ignore_ascii_case("by") {
        return None;
    }
    let before = i.checked_sub(1).filter(|&j| header::is_name(&lines[j]));
    let after = Some(i + 1).filter(|&j| j < lines.len() && header::is_name(&lines[j]));
    let at = before.or(after)?;
    meta.lines.push(at);
    Some(lines[at].text.clone())
}

/// An outlet's sign-off under the article: one to four capitalised words, no sentence.
fn is_sign_off(line: &Line) -> bool {
    (1..=4).contains(&line.words)
        && line.capital_ratio >= 0.99
        && !line.text.contains(['?', '!', '.', ':', '©'])
        && !line.text.chars().any(|c| c.is_ascii_digit())
}

fn removed_lines(lines: &[Line], kept: &[bool]) -> Vec<String> {
    lines
        .iter()
        .zip(kept)
        .filter(|(_, k)| !**k)
        .map(|(l, _)| l.text.clone())
        .collect()
}

/// The body as plain text, paragraphs separated by blank lines.
pub fn body_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(Block::text)
        .collect::<Vec<_>>()
        .join("\n\n")
}

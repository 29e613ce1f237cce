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
pub mod html;
pub mod markdown;
mod region;
pub mod sections;
pub mod text;

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::model::Quote;
pub use boilerplate::{Block, Marked, MarkedKind};
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
    /// `YYYY-MM-DD`, when the page says when it was last updated.
    pub updated: Option<String>,
    /// The page's canonical web address.
    pub source_url: Option<String>,
    /// The lead image's web address.
    pub image: Option<String>,
    /// The page's language code (`en`, `fr-CA`), when it declares one.
    pub language: Option<String>,
    pub reading_minutes: Option<u32>,
    pub quotes: Vec<Quote>,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<RelatedLink>,
    pub body: Vec<Block>,
    /// Lines dropped as boilerplate, in page order, for review.
    pub removed: Vec<String>,
}

/// A headline the page lists as related, with its web address when the page links it.
///
/// Serialised as a plain string without an address and as `{title, url}` with one, the two
/// forms `related_headlines` takes in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedLink {
    pub title: String,
    pub url: Option<String>,
}

impl RelatedLink {
    /// A headline without a link.
    pub fn title(title: impl Into<String>) -> RelatedLink {
        RelatedLink {
            title: title.into(),
            url: None,
        }
    }
}

impl Serialize for RelatedLink {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match &self.url {
            None => serializer.serialize_str(&self.title),
            Some(url) => {
                let mut table = serializer.serialize_struct("RelatedLink", 2)?;
                table.serialize_field("title", &self.title)?;
                table.serialize_field("url", url)?;
                table.end()
            }
        }
    }
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
    extract_with(text, &HashSet::new())
}

/// Extracts the article, knowing lines that other articles of its outlet share (see
/// `SharedLines`); if they leave no article, they are ignored.
pub fn extract_with(text: &str, shared: &HashSet<String>) -> Result<Extracted, NoArticle> {
    let lines = text::lines(text);
    if shared.is_empty() {
        return extract_lines(lines);
    }
    let mut marked = lines.clone();
    for line in &mut marked {
        line.shared = shared.contains(&line.text);
    }
    extract_lines(marked).or_else(|_| extract_lines(lines))
}

/// The outlet a text names in its headline line (or masthead), for grouping articles.
pub fn outlet_key(text: &str) -> Option<String> {
    let lines = text::lines(text);
    let head = locate_headline(&lines)?;
    head.headline
        .outlet
        .or_else(|| head.masthead.map(|i| lines[i].text.clone()))
        .map(|outlet| outlet.to_lowercase())
}

/// Lines that several articles of one outlet share: menus, footers, newsletter prompts. Seen
/// across a batch of imports, they are the outlet's furniture even when they read like prose.
#[derive(Debug, Default, Clone)]
pub struct SharedLines {
    /// For each outlet and line, the distinct headlines the line appeared under.
    seen: HashMap<String, HashMap<String, HashSet<String>>>,
}

impl SharedLines {
    /// Notes the lines of one text.
    pub fn add(&mut self, text: &str) {
        let lines = text::lines(text);
        let Some(head) = locate_headline(&lines) else {
            return;
        };
        let Some(outlet) = outlet_key(text) else {
            return;
        };
        let by_line = self.seen.entry(outlet).or_default();
        for line in lines.iter().filter(|l| l.words > 0) {
            by_line
                .entry(line.text.clone())
                .or_default()
                .insert(head.headline.title.clone());
        }
    }

    /// Whether no text was noted.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// The lines of `outlet` seen under two different headlines, or three for a line of prose
    /// length: two versions of one story share paragraphs, three different stories do not.
    pub fn for_outlet(&self, outlet: &str) -> HashSet<String> {
        let needed = |line: &str| if line.split(' ').count() >= 8 { 3 } else { 2 };
        self.seen
            .get(outlet)
            .map(|by_line| {
                by_line
                    .iter()
                    .filter(|(line, titles)| titles.len() >= needed(line))
                    .map(|(line, _)| line.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn extract_lines(lines: Vec<Line>) -> Result<Extracted, NoArticle> {
    let found = sections::find(&lines);
    let head = locate_headline(&lines).ok_or_else(|| {
        NoArticle("no headline: the text has no line of words to take as a title".into())
    })?;
    let mut used = vec![false; lines.len()];
    for &i in found.taken.iter().chain(&head.copies).chain(&head.masthead) {
        used[i] = true;
    }
    let mut dek = find_dek(&lines, &head, &used);
    if let Some(i) = dek {
        used[i] = true;
    }
    let mut body = boilerplate::find_body(&lines, &used, &head.copies);
    if let Some(i) = dek.filter(|_| body.blocks.is_empty()) {
        // The only prose under the headline is the article, not its standfirst.
        used[i] = false;
        dek = None;
        body = boilerplate::find_body(&lines, &used, &head.copies);
    }
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
        updated: None,
        source_url: None,
        image: None,
        language: None,
        reading_minutes: meta.reading_minutes,
        quotes: found.quotes,
        highlights: found.highlights,
        related_headlines: found
            .related_headlines
            .into_iter()
            .map(RelatedLink::title)
            .collect(),
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
    // A sign-off closes the article and the page: right under the body, among the last lines.
    let last_lines = lines.len().saturating_sub(3);
    meta.sign_off = (body.end.max(last_lines)..lines.len().min(body.end + 3))
        .find(|&i| !used[i] && is_sign_off(&lines[i]));
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

/// A raw article file's bytes as the Markdown article `briefing import` would write; the error
/// says why the file holds no article.
pub fn raw_to_markdown(bytes: &[u8]) -> Result<String, String> {
    files::extract_bytes(bytes).map(|article| markdown::article_file(&article))
}

/// `raw_to_markdown` for a file of any kind `briefing import` reads: a saved HTML page
/// (`.html`, `.htm`) or raw text.
pub fn raw_file_to_markdown(path: &std::path::Path, bytes: &[u8]) -> Result<String, String> {
    files::extract_file_bytes(path, bytes, &SharedLines::default())
        .map(|article| markdown::article_file(&article))
}

/// The body as plain text, paragraphs separated by blank lines (images have no text).
pub fn body_text(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(Block::text)
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::*;
    use crate::content::markdown::Highlighter;
    use crate::content::parse_article;

    const SEED: &str = include_str!("../../tests/fixtures/seeds/000.txt");

    /// Whatever the input, an imported article is a valid article file with a title.
    fn check_any_text(text: &str) {
        if let Ok(markdown) = raw_to_markdown(text.as_bytes()) {
            let article = parse_article(&markdown, Path::new("x.md"), &Highlighter::default());
            let article = article.unwrap_or_else(|e| panic!("{e:?} in\n{markdown}"));
            assert!(!article.title.trim().is_empty());
        }
    }

    proptest! {
        #[test]
        fn random_text_never_panics(text in "\\PC{0,400}") {
            check_any_text(&text);
        }

        #[test]
        fn random_lines_never_panic(lines in prop::collection::vec("[ -~“”‘’—\\n]{0,80}|- [a-z ]{0,20}|\"[a-z]{1,9}\"|Key Takeaways|Highlights|Related|By|3 Min Read", 0..40)) {
            check_any_text(&lines.join("\n"));
        }

        #[test]
        fn truncated_seeds_never_panic(cut in 0usize..SEED.len(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let mut raw = SEED.as_bytes()[..cut].to_vec();
            raw.extend(bytes);
            let _ = raw_to_markdown(&raw);
            check_any_text(&String::from_utf8_lossy(&raw));
        }
    }

    #[test]
    fn headline_site_names_and_mastheads_give_the_outlet() {
        let body =
            "The talks resumed on Monday after a week of delays, officials said in a statement.";
        let article = extract(&format!("Talks resume | The Daily Paper\nHome\n{body}")).unwrap();
        assert_eq!(article.title, "Talks resume");
        assert_eq!(article.outlet.as_deref(), Some("The Daily Paper"));
        let article = extract(&format!("T4K3.news\nTalks resume in Geneva\n{body}")).unwrap();
        assert_eq!(article.outlet.as_deref(), Some("T4K3.news"));
    }

    #[test]
    fn bylines_and_dates_next_to_the_headline_are_read() {
        let text = "Talks resume in Geneva\nBy Jane Doe, Reporter\nAugust 18, 2025\nThe talks resumed on Monday after a week of delays, officials said in a statement.";
        let article = extract(text).unwrap();
        assert_eq!(article.author.as_deref(), Some("Jane Doe"));
        assert_eq!(article.date.as_deref(), Some("2025-08-18"));
        assert_eq!(article.body.len(), 1);
        assert!(article.removed.is_empty(), "{:?}", article.removed);
    }

    #[test]
    fn lines_an_outlet_repeats_across_stories_are_its_furniture() {
        let footer =
            "Our newsletter brings you the best of the week, so sign up now and you will see.";
        let story = |title: &str, body: &str| {
            format!("{title} | The Paper\nHome\n{title}\n{body}\n{body} Again.\n{footer}\n")
        };
        let prose = |topic: &str| {
            format!("The {topic} talks resumed on Monday after a week of delays, officials said.")
        };
        let texts: Vec<String> = ["Geneva", "Paris", "Rome"]
            .iter()
            .map(|city| story(&format!("Talks in {city}"), &prose(city)))
            .collect();
        let alone = extract(&texts[0]).unwrap();
        assert!(body_text(&alone.body).contains("newsletter"));
        let mut shared = SharedLines::default();
        for text in &texts {
            shared.add(text);
        }
        let furniture = shared.for_outlet("the paper");
        let article = extract_with(&texts[0], &furniture).unwrap();
        assert!(!body_text(&article.body).contains("newsletter"));
        assert!(article.removed.iter().any(|l| l.contains("newsletter")));
        let mut two = SharedLines::default();
        two.add(&texts[0]);
        two.add(&texts[1]);
        assert!(
            two.for_outlet("the paper")
                .iter()
                .all(|l| !l.contains("newsletter"))
        );
    }

    #[test]
    fn a_page_of_menus_is_no_article() {
        let err = extract("Home\nWorld\nBusiness\nSign In").unwrap_err();
        assert!(err.to_string().contains("no article"));
    }
}

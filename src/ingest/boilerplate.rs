//! Finding the article body among menus, share buttons, teasers and footers.
//!
//! Each line gets a score: running prose earns its word count, everything else costs a little.
//! The body is the stretch of lines with the highest total (a maximum-sum run), so a page's
//! navigation, "most read" lists and footer fall away on their own while a subheading, a caption
//! or a short list between paragraphs stays. Inside that stretch, lines that look like page
//! furniture (runs of short lines, lines the page repeats) are dropped and listed for review.

use std::collections::HashMap;

use serde::Serialize;

use super::sections::bullet;
use super::text::{Line, ends_sentence};

/// A piece of the article body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Block {
    Paragraph(String),
    Heading(String),
    ListItem(String),
    /// A block read from HTML, whose inline Markdown (links) is already written.
    Marked(Marked),
}

/// A block of an HTML page: what kind it is, its inline Markdown (escaped text and links) and
/// its plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marked {
    pub kind: MarkedKind,
    pub markdown: String,
    /// Empty for an image: a picture is no text of the article.
    pub text: String,
}

/// The kinds of block an HTML page has and plain text does not tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkedKind {
    Paragraph,
    /// A heading, level 2 to 4 (the article's own title is level 1).
    Heading(u8),
    /// A list item, numbered or not, at a nesting depth from 0.
    Item {
        ordered: bool,
        depth: u8,
    },
    Quote,
    /// An image line with its caption, already in `markdown`.
    Image,
}

impl Block {
    /// The block's plain text.
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) | Block::Heading(t) | Block::ListItem(t) => t,
            Block::Marked(marked) => &marked.text,
        }
    }
}

/// The body of a page: its blocks and where it lies.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Body {
    pub blocks: Vec<Block>,
    /// Index of the first line of the body stretch.
    pub start: usize,
    /// Index after the last line of the body stretch.
    pub end: usize,
    /// Lines inside the stretch that were dropped.
    pub dropped: Vec<usize>,
}

/// What a line that is not prose costs: a little, plus a little per word, plus more for each
/// furniture line before it in the same run. A lone subheading or caption inside an article
/// costs little; the long runs of menus, teasers and form labels between an article and its
/// comments or "more stories" cost more than a paragraph is worth.
fn furniture_cost(line: &Line, run: usize) -> f32 {
    2.0 + 1.5 * run as f32 + 0.25 * line.words.min(20) as f32
}

/// Line scores: prose earns its words, furniture costs more the longer its run.
fn scores(lines: &[Line], excluded: &[bool]) -> Vec<f32> {
    let mut run = 0;
    lines
        .iter()
        .zip(excluded)
        .map(|(line, &ex)| {
            if ex {
                0.0
            } else if line.is_prose() {
                run = 0;
                line.words as f32
            } else {
                run += 1;
                -furniture_cost(line, run - 1)
            }
        })
        .collect()
}

/// Finds the body; `excluded` lines (headline, labelled blocks) are neither body nor dropped,
/// and `anchors` are the lines holding the headline.
pub fn find_body(lines: &[Line], excluded: &[bool], anchors: &[usize]) -> Body {
    let prose: Vec<bool> = lines
        .iter()
        .zip(excluded)
        .map(|(l, &ex)| !ex && l.is_prose())
        .collect();
    let (start, end) = super::region::choose(&scores(lines, excluded), &prose, anchors);
    let counts = repeat_counts(lines);
    let mut body = Body {
        start,
        end,
        ..Body::default()
    };
    for i in start..end {
        if excluded[i] {
            continue;
        }
        match block_of(lines, excluded, i, start..end, &counts) {
            Some(block) => body.blocks.push(block),
            None => body.dropped.push(i),
        }
    }
    body
}

/// How often each line's text occurs in the page.
fn repeat_counts(lines: &[Line]) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        *counts.entry(line.text.as_str()).or_insert(0) += 1;
    }
    counts
}

/// What a line inside the body stretch is, or `None` when it is furniture.
fn block_of(
    lines: &[Line],
    excluded: &[bool],
    i: usize,
    range: std::ops::Range<usize>,
    counts: &HashMap<&str, usize>,
) -> Option<Block> {
    let line = &lines[i];
    if line.shared {
        return None;
    }
    let repeated = counts.get(line.text.as_str()).copied().unwrap_or(0) > 1;
    if let Some(item) = bullet(&line.text) {
        return (!repeated || line.is_prose()).then(|| Block::ListItem(item.to_string()));
    }
    if line.is_prose() {
        return Some(Block::Paragraph(line.text.clone()));
    }
    if repeated {
        return None;
    }
    let next = (i + 1..range.end)
        .find(|&j| !excluded[j])
        .map(|j| &lines[j]);
    let previous = (range.start..i)
        .rev()
        .find(|&j| !excluded[j])
        .map(|j| &lines[j]);
    let isolated = previous.is_none_or(|p| !p.is_short()) && next.is_none_or(|n| !n.is_short());
    if is_heading(line) && next.is_some_and(Line::is_prose) && isolated {
        return Some(Block::Heading(line.text.clone()));
    }
    let caption_like = line.is_near_prose();
    (caption_like && isolated).then(|| Block::Paragraph(line.text.clone()))
}

/// A subheading: a few words, no closing full stop.
fn is_heading(line: &Line) -> bool {
    (2..=14).contains(&line.words) && !ends_sentence(&line.text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    const PROSE: &str = "The company, which is expected to lay off thousands of employees beginning this week, confirmed it on Monday.";

    #[test]
    fn menus_before_and_footers_after_the_body_fall_away() {
        let text = format!(
            "Home\nWorld\nBusiness\nSign In\n{PROSE}\nA subheading here\n{PROSE}\nFacebook\nTwitter\nEmail\n{PROSE}\nMost Read\nOne headline about things\nAnother headline about things\nPrivacy\nTerms"
        );
        let page = lines(&text);
        let body = find_body(&page, &vec![false; page.len()], &[]);
        assert_eq!(body.start, 4);
        assert_eq!(body.end, 11);
        assert_eq!(body.blocks[1], Block::Heading("A subheading here".into()));
        assert_eq!(body.blocks.len(), 4, "{:?}", body.blocks);
        assert_eq!(body.dropped, vec![7, 8, 9]);
    }

    #[test]
    fn no_prose_means_no_body() {
        let page = lines("Home\nWorld\nSign In");
        assert!(
            find_body(&page, &[false, false, false], &[])
                .blocks
                .is_empty()
        );
    }
}

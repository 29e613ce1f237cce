//! What the extractor leaves around the article that is not the article: the headline and
//! standfirst again, the byline and dateline, copyright lines, and lists of links to other
//! stories ("Don't miss", "More from...").
//!
//! The tests are the text import's (`text::Line`): a block is judged by its words, not by its
//! markup, so the rules hold on sites never seen. Dropped blocks are listed in `removed`.

use crate::ingest::text::{Line, is_legal_notice};
use crate::ingest::{Block, Marked, MarkedKind, header};

/// How many blocks at each end of the body may be header or footer lines.
const EDGE: usize = 4;

/// The body without its furniture, and the texts of the blocks removed.
pub fn clean(blocks: Vec<Block>, title: &str, dek: Option<&str>) -> (Vec<Block>, Vec<String>) {
    let count = blocks.len();
    let mut kept = Vec::with_capacity(count);
    let mut removed = Vec::new();
    for (i, block) in blocks.into_iter().enumerate() {
        let text = block.text();
        let at_edge = i < EDGE || i + EDGE >= count;
        // Measuring a block's words (`Line`) is the costly test: the body's blocks are only
        // measured at its edges or when they are a lone link.
        let furniture = same_text(text, title)
            || dek.is_some_and(|d| same_text(text, d))
            || is_legal_notice(text)
            || (at_edge
                && !more_words_than(text, MAX_HEADER_WORDS)
                && is_header_line(&Line::new(text)))
            || is_link_only(&block);
        if furniture {
            removed.push(text.to_string());
        } else {
            kept.push(block);
        }
    }
    (kept, removed)
}

/// Whether the body holds at least one paragraph of running prose.
pub fn has_prose(blocks: &[Block]) -> bool {
    blocks.iter().any(|b| Line::new(b.text()).is_prose())
}

fn same_text(a: &str, b: &str) -> bool {
    !a.is_empty() && a.trim().eq_ignore_ascii_case(b.trim())
}

/// A header line has at most this many words.
const MAX_HEADER_WORDS: usize = 12;

/// Whether text has more than `n` words as `Line` counts them (it may count more, never
/// fewer), reading only the first `n + 1`: a paragraph at an edge is not measured whole.
fn more_words_than(text: &str, n: usize) -> bool {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .nth(n)
        .is_some()
}

/// A byline, dateline or reading time: short, and no sentence.
fn is_header_line(line: &Line) -> bool {
    line.words <= MAX_HEADER_WORDS
        && !line.is_prose()
        && (header::byline(&line.text).is_some()
            || header::date(&line.text).is_some()
            || header::reading_minutes(&line.text).is_some())
}

/// A block that is nothing but a link to another page, with no sentence of its own: a
/// teaser, not the article. (Images are kept; an article's own list of links is prose-like
/// enough to stay.)
fn is_link_only(block: &Block) -> bool {
    let Block::Marked(Marked {
        kind,
        markdown,
        text,
    }) = block
    else {
        return false;
    };
    let trimmed = markdown.trim();
    !matches!(kind, MarkedKind::Image)
        && trimmed.starts_with('[')
        && trimmed.ends_with(">)")
        && trimmed.matches("](<").count() == 1
        && !Line::new(text).is_prose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(markdown: &str, text: &str) -> Block {
        Block::Marked(Marked {
            kind: MarkedKind::Paragraph,
            markdown: markdown.into(),
            text: text.into(),
        })
    }

    #[test]
    fn words_are_counted_only_as_far_as_needed_and_as_lines_count_them() {
        assert!(!more_words_than("By Jane Doe — 3 min read", 12));
        assert!(more_words_than("one two three", 2));
        assert!(!more_words_than("one - two -- three", 3));
        let long = "word ".repeat(13);
        assert_eq!(
            more_words_than(&long, MAX_HEADER_WORDS),
            Line::new(&long).words > MAX_HEADER_WORDS
        );
    }

    #[test]
    fn headline_byline_teasers_and_footer_are_removed() {
        let prose =
            "The council said the work came in under the estimate it had published in March.";
        let blocks = vec![
            paragraph("Harbour reopens", "Harbour reopens"),
            paragraph("By Mara Quill", "By Mara Quill"),
            paragraph("14 March 2025", "14 March 2025"),
            paragraph(prose, prose),
            paragraph(
                "[Storm sinks two trawlers](<https://x.org/a>)",
                "Storm sinks two trawlers",
            ),
            paragraph(prose, prose),
            paragraph("© 2025 The Courier", "© 2025 The Courier"),
        ];
        let (kept, removed) = clean(blocks, "Harbour reopens", None);
        assert_eq!(kept.len(), 2);
        assert_eq!(
            removed,
            [
                "Harbour reopens",
                "By Mara Quill",
                "14 March 2025",
                "Storm sinks two trawlers",
                "© 2025 The Courier"
            ]
        );
        assert!(has_prose(&kept));
        assert!(!has_prose(&[paragraph("Home", "Home")]));
    }
}

//! Labelled blocks that news pages set apart from the body: "Key Takeaways" quotes, "Highlights"
//! bullets and "Related News" headline lists.
//!
//! A block starts at a short label line and runs while its lines keep the block's shape (quote
//! then attribution; bullets; short headlines), so the body around it is never swallowed.

use crate::model::Quote;

use super::text::{Line, ends_sentence};

/// What the labelled blocks of a page hold, and which lines they used.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Sections {
    pub quotes: Vec<Quote>,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<String>,
    /// Line indexes (labels included) that belong to a block, not to the body.
    pub taken: Vec<usize>,
}

/// The kinds of labelled block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Quotes,
    Highlights,
    Related,
}

/// Finds every labelled block of a page.
pub fn find(lines: &[Line]) -> Sections {
    let mut sections = Sections::default();
    let mut i = 0;
    while i < lines.len() {
        let Some(label) = label_of(&lines[i]) else {
            i += 1;
            continue;
        };
        let end = match label {
            Label::Quotes => quote_block(lines, i + 1, &mut sections.quotes),
            Label::Highlights => item_block(lines, i + 1, is_highlight, &mut sections.highlights),
            Label::Related => {
                item_block(lines, i + 1, is_headline, &mut sections.related_headlines)
            }
        };
        if end > i + 1 {
            sections.taken.extend(i..end);
        }
        i = end.max(i + 1);
    }
    sections
}

/// A section label: a short line naming one of the blocks.
pub fn label_of(line: &Line) -> Option<Label> {
    if line.words > 5 {
        return None;
    }
    label_named(&line.text)
}

/// The label a short text (whitespace collapsed) names, if it is one: every label is a few
/// words, so this needs no measuring of the text.
pub fn label_named(text: &str) -> Option<Label> {
    let name = text.trim_end_matches([':', ' ']).to_lowercase();
    match name.as_str() {
        "key takeaways" | "key quotes" | "what they said" => Some(Label::Quotes),
        "highlights" | "key points" | "at a glance" | "in brief" => Some(Label::Highlights),
        "related" | "related news" | "related stories" | "related articles" | "related content"
        | "more on this story" | "see also" | "read more" | "read next" => Some(Label::Related),
        _ => None,
    }
}

/// Reads "quote line, attribution line" pairs; returns the index after the block.
fn quote_block(lines: &[Line], start: usize, quotes: &mut Vec<Quote>) -> usize {
    let mut i = start;
    while let (Some(said), Some(by)) = (lines.get(i), lines.get(i + 1)) {
        let Some(text) = quoted(&said.text) else {
            break;
        };
        if quoted(&by.text).is_some() || by.words > 20 || ends_sentence(&by.text) {
            break;
        }
        let (speaker, context) = split_attribution(&by.text);
        quotes.push(Quote {
            text: text.to_string(),
            speaker,
            context,
        });
        i += 2;
    }
    i
}

/// The text inside quotation marks when the whole line is one quotation.
fn quoted(text: &str) -> Option<&str> {
    let inner = text
        .strip_prefix(['"', '“', '„', '«', '\''])?
        .trim_end()
        .strip_suffix(['"', '”', '“', '»', '\''])?;
    (!inner.trim().is_empty()).then(|| inner.trim())
}

/// Words that open the context of an attribution: "Zelensky after the Washington talks".
const CONTEXT_WORDS: &[&str] = &[
    "about",
    "after",
    "at",
    "before",
    "during",
    "in",
    "on",
    "over",
    "regarding",
    "speaking",
    "to",
    "when",
    "while",
    "said",
    "says",
    "told",
];

/// Splits "German Chancellor Friedrich Merz on a ceasefire" at the first lower-case context word.
fn split_attribution(text: &str) -> (String, String) {
    let text = text.trim_start_matches(['—', '–', '-', ' ']);
    let words: Vec<&str> = text.split(' ').collect();
    let cut = words
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, w)| CONTEXT_WORDS.contains(w))
        .map_or(words.len(), |(i, _)| i);
    let speaker = words[..cut].join(" ").trim_end_matches(',').to_string();
    (speaker, words[cut..].join(" "))
}

/// Collects items while `fits` holds, and while lines keep a bullet when the first had one;
/// returns the index after the block.
fn item_block(
    lines: &[Line],
    start: usize,
    fits: fn(&Line) -> bool,
    items: &mut Vec<String>,
) -> usize {
    let bulleted = lines.get(start).is_some_and(|l| bullet(&l.text).is_some());
    let same_shape = |l: &Line| fits(l) && (!bulleted || bullet(&l.text).is_some());
    let mut i = start;
    while let Some(line) = lines.get(i).filter(|l| same_shape(l)) {
        items.push(strip_bullet(&line.text).to_string());
        i += 1;
    }
    i
}

/// A bullet line, or a short line, under "Highlights".
fn is_highlight(line: &Line) -> bool {
    bullet(&line.text).is_some() || (line.words <= 15 && !ends_sentence(&line.text))
}

/// A headline: a few words, not a sentence, not another label.
fn is_headline(line: &Line) -> bool {
    (3..=25).contains(&line.words) && !line.ends_sentence && label_of(line).is_none()
}

/// The text after a list bullet (`-`, `*`, `•`, `–`), when the line has one.
pub fn bullet(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(['-', '*', '•', '–', '·', '▪'])?;
    rest.starts_with(' ').then(|| rest.trim_start())
}

fn strip_bullet(text: &str) -> &str {
    bullet(text).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::text::lines;

    #[test]
    fn key_takeaways_become_quotes_with_speaker_and_context() {
        let page = lines(
            "Key Takeaways\n\"We talk.\"\nGerman Chancellor Friedrich Merz on a ceasefire\n“Yes.”\nZelensky after the talks\nThe body goes on here with a sentence.",
        );
        let sections = find(&page);
        assert_eq!(sections.quotes.len(), 2);
        assert_eq!(
            sections.quotes[0].speaker,
            "German Chancellor Friedrich Merz"
        );
        assert_eq!(sections.quotes[0].context, "on a ceasefire");
        assert_eq!(sections.quotes[1].text, "Yes.");
        assert_eq!(sections.taken, vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn highlights_and_related_lists_stop_at_prose() {
        let page = lines(
            "Highlights\n- One thing\n- Another\nA short subheading\nA paragraph of body text follows the list, as it does.\nRelated News\nEU seeks red lines ahead of talks\nLeaders to meet on Ukraine",
        );
        let sections = find(&page);
        assert_eq!(sections.highlights, ["One thing", "Another"]);
        assert_eq!(
            sections.related_headlines,
            [
                "EU seeks red lines ahead of talks",
                "Leaders to meet on Ukraine"
            ]
        );
        assert!(!sections.taken.contains(&3));
        assert!(!sections.taken.contains(&4));
    }

    #[test]
    fn a_label_without_items_takes_nothing() {
        let page = lines("Related\nThis is a sentence of prose that ends properly.");
        assert!(find(&page).taken.is_empty());
    }
}

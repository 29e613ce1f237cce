//! What a page sets apart from its article, taken out before the extractor sees the page:
//! labelled boxes ("Key Takeaways" quotes, "Highlights", "Related" links) become front matter,
//! and page furniture (share bars, newsletter prompts, comment threads, recommendation rails)
//! is removed.
//!
//! Labels are the text import's own (`sections::label_of`), so both imports agree on what a
//! box is. Furniture is recognised by the words publishers use in its `class` and `id`
//! (`share`, `newsletter`, `related`...), a convention that holds across sites, and only when
//! the element is small or mostly links, so a wrapper that happens to carry such a class
//! never takes the article with it.

use std::sync::LazyLock;

use dom_query::{Document, NodeRef, Selection};
use rustc_hash::FxHashMap;
use url::Url;

use super::ascii_lowercase;
use super::body::{self, collapse};
use super::meta::absolute_url;
use crate::ingest::sections::{self, Label};
use crate::ingest::text::lines;
use crate::ingest::{Block, RelatedLink};
use crate::model::Quote;

/// At most this many related headlines are kept.
const MAX_RELATED: usize = 20;

/// Furniture larger than this (in characters of text) is only removed when mostly links.
pub(super) const SMALL_BOX: usize = 1500;

/// Words in `class` and `id` that name page furniture.
const FURNITURE: &[&str] = &[
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "subscription",
    "signup",
    "cookie",
    "consent",
    "promo",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsor",
    "sponsored",
    "comments",
    "comment",
    "related",
    "recommended",
    "recirculation",
    "popular",
    "trending",
    "breadcrumb",
    "breadcrumbs",
    "outbrain",
    "taboola",
    "paywall",
    "modal",
    "popup",
    "toolbar",
];

/// Elements that are never article text.
pub(super) const FURNITURE_TAGS: &[&str] = &["nav", "form", "button", "dialog", "select", "footer"];

/// The boxes taken out of a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Boxes {
    pub quotes: Vec<Quote>,
    pub highlights: Vec<String>,
    pub related: Vec<RelatedLink>,
}

/// Takes labelled boxes and furniture out of `doc`; links are read against `base`.
pub fn take(doc: &Document, base: Option<&Url>) -> Boxes {
    let mut boxes = Boxes::default();
    take_labelled(doc, base, &mut boxes);
    remove_furniture(doc, base, &mut boxes);
    boxes.related.truncate(MAX_RELATED);
    boxes
}

/// A label is at most this long (in bytes of collapsed text).
const MAX_LABEL: usize = 40;

/// Elements that may hold a box's label.
const LABEL_TAGS: &[&str] = &[
    "h2", "h3", "h4", "h5", "h6", "strong", "b", "p", "span", "div", "header", "dt",
];

/// The elements of the page's body, in document order (as `body *` selects them, without
/// matching a selector against every node).
fn body_elements(doc: &Document) -> Vec<NodeRef<'_>> {
    doc.body()
        .map(|body| body.descendants_it().filter(NodeRef::is_element).collect())
        .unwrap_or_default()
}

/// An element's tag name (lowercase, as the parser gives it) tested by `test`.
fn name_is(node: &NodeRef, test: impl Fn(&str) -> bool) -> bool {
    node.element_ref().is_some_and(|e| test(&e.name.local))
}

fn take_labelled(doc: &Document, base: Option<&Url>, boxes: &mut Boxes) {
    for node in &body_elements(doc) {
        let heading = name_is(node, |n| matches!(n, "h2" | "h3" | "h4" | "h5" | "h6"));
        // A label is a leaf (or a heading); a wrapper's text would cost a pass over the page.
        let leaf =
            || name_is(node, |n| LABEL_TAGS.contains(&n)) && node.first_element_child().is_none();
        if !(heading || leaf()) || node.parent().is_none() {
            continue;
        }
        let raw = node.text();
        let Some(len) = collapsed_len_within(&raw, MAX_LABEL).filter(|&len| len > 0) else {
            continue;
        };
        let Some(label) = sections::label_named(collapse(&raw).trim()) else {
            continue;
        };
        let Some(container) = box_of(node, len) else {
            continue;
        };
        if read_box(&container, label, base, boxes) {
            container.remove_from_parent();
        }
    }
}

/// The length `collapse` would give `text`, without building it.
fn collapsed_len(text: &str) -> usize {
    collapsed_len_within(text, usize::MAX).unwrap_or(usize::MAX)
}

/// The length `collapse` would give `text`, without building it, if at most `max`: a long
/// paragraph is given up after its first words, not measured whole.
fn collapsed_len_within(text: &str, max: usize) -> Option<usize> {
    let mut len = 0;
    for (i, word) in text.split_whitespace().enumerate() {
        len += word.len() + usize::from(i > 0);
        if len > max {
            return None;
        }
    }
    Some(len)
}

/// The nearest ancestor that holds the label and the box's content, if it is box-sized.
fn box_of<'a>(label: &NodeRef<'a>, label_len: usize) -> Option<NodeRef<'a>> {
    let mut node = label.parent()?;
    for _ in 0..3 {
        let len = collapsed_len(&node.text());
        if len > SMALL_BOX * 2 {
            return None;
        }
        if len > label_len + 20 {
            return Some(node);
        }
        node = node.parent()?;
    }
    None
}

/// Reads one labelled box into `boxes`; whether it held what its label says. A box is mostly
/// its links or items: a "Read more" button inside an article names no box.
fn read_box(container: &NodeRef, label: Label, base: Option<&Url>, boxes: &mut Boxes) -> bool {
    let text_len = collapsed_len(&container.text());
    match label {
        Label::Related => {
            if link_density(container, text_len) < 0.5 {
                return false;
            }
            let before = boxes.related.len();
            collect_links(container, base, &mut boxes.related);
            boxes.related.len() > before
        }
        Label::Highlights => {
            let items: Vec<String> = within(container, "li")
                .iter()
                .map(|li| collapse(&li.text()))
                .filter(|t| !t.is_empty())
                .collect();
            let item_len: usize = items.iter().map(String::len).sum();
            if items.is_empty() || item_len * 2 < text_len {
                return false;
            }
            boxes.highlights.extend(items);
            true
        }
        Label::Quotes => {
            let text: Vec<String> = body::blocks_of(container)
                .iter()
                .map(|b| Block::text(b).to_string())
                .filter(|t| !t.is_empty())
                .collect();
            let found = sections::find(&lines(&text.join("\n")));
            let any = !found.quotes.is_empty();
            boxes.quotes.extend(found.quotes);
            any
        }
    }
}

/// Links with headline-like text (three words or more) as related headlines.
fn collect_links(container: &NodeRef, base: Option<&Url>, related: &mut Vec<RelatedLink>) {
    for link in &within(container, "a[href]") {
        let title = collapse(&link.text());
        let words = title
            .split(' ')
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
        if words < 3 || related.iter().any(|r| r.title == title) {
            continue;
        }
        let url = link
            .attr("href")
            .and_then(|href| absolute_url(base, &href[..]));
        related.push(RelatedLink { title, url });
    }
}

fn remove_furniture(doc: &Document, base: Option<&Url>, boxes: &mut Boxes) {
    for node in &body_elements(doc) {
        let Some(kind) = furniture_kind(node) else {
            continue;
        };
        let text_len = collapsed_len(&node.text());
        if text_len > SMALL_BOX && link_density(node, text_len) < 0.5 {
            continue;
        }
        if kind == Furniture::Related {
            collect_links(node, base, &mut boxes.related);
        }
        node.remove_from_parent();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Furniture {
    Related,
    Other,
}

fn furniture_kind(node: &NodeRef) -> Option<Furniture> {
    let element = node.element_ref()?;
    if FURNITURE_TAGS.contains(&&*element.name.local) {
        return Some(Furniture::Other);
    }
    ["class", "id"].iter().find_map(|name| {
        let attr = element.attrs.iter().find(|a| &*a.name.local == *name)?;
        attr.value
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .find_map(furniture_word)
    })
}

/// The furniture a word of a `class` or `id` names: one table look-up per word (every
/// element of the page has its words looked up) rather than a comparison with each name.
pub(super) fn furniture_word(word: &[u8]) -> Option<Furniture> {
    static WORDS: LazyLock<FxHashMap<&'static [u8], Furniture>> = LazyLock::new(|| {
        let kind = |w: &str| match w {
            "related" => Furniture::Related,
            _ => Furniture::Other,
        };
        FURNITURE.iter().map(|w| (w.as_bytes(), kind(w))).collect()
    });
    let mut buffer = [0; 16];
    WORDS.get(ascii_lowercase(word, &mut buffer)?).copied()
}

/// The elements under `node` that `selector` matches.
fn within<'a>(node: &NodeRef<'a>, selector: &str) -> Vec<NodeRef<'a>> {
    Selection::from(*node).select(selector).nodes().to_vec()
}

/// The share of an element's text that is link text.
fn link_density(node: &NodeRef, text_len: usize) -> f32 {
    let linked: usize = within(node, "a")
        .iter()
        .map(|a| collapsed_len(&a.text()))
        .sum();
    linked as f32 / text_len.max(1) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take_from(html: &str) -> (Boxes, String) {
        let doc = Document::from(html);
        let base = Url::parse("https://paper.example/news/a").ok();
        let boxes = take(&doc, base.as_ref());
        (boxes, collapse(&doc.select("body").text()))
    }

    #[test]
    fn labelled_boxes_become_fields_and_leave_the_page() {
        let (boxes, rest) = take_from(
            r#"<body><p>Article text that stays in the body of the page.</p>
            <div><h3>Highlights</h3><ul><li>First point</li><li>Second point</li></ul></div>
            <section><h2>Related News</h2><ul><li><a href="/b">Talks stall in Geneva again</a></li><li><a href="javascript:x()">Markets fall on the news</a></li></ul></section>
            <div><h4>Key Takeaways</h4><p>"We will talk."</p><p>Zelensky, on the next round</p></div></body>"#,
        );
        assert_eq!(rest, "Article text that stays in the body of the page.");
        assert_eq!(boxes.highlights, vec!["First point", "Second point"]);
        assert_eq!(
            boxes.related,
            vec![
                RelatedLink {
                    title: "Talks stall in Geneva again".into(),
                    url: Some("https://paper.example/b".into())
                },
                RelatedLink::title("Markets fall on the news"),
            ]
        );
        assert_eq!(boxes.quotes.len(), 1);
        assert_eq!(boxes.quotes[0].speaker, "Zelensky");
        assert_eq!(boxes.quotes[0].context, "on the next round");
    }

    #[test]
    fn every_furniture_word_is_found_in_any_case() {
        // The look-up lowercases into a 16-byte buffer: a longer word would never be found.
        for word in FURNITURE {
            let upper = word.to_ascii_uppercase();
            assert!(furniture_word(upper.as_bytes()).is_some(), "{word}");
        }
        assert_eq!(furniture_word(b"Related"), Some(Furniture::Related));
        assert_eq!(furniture_word(b"article"), None);
    }

    #[test]
    fn furniture_goes_but_a_wrapper_named_like_it_stays() {
        let prose = "Words of the article that run on for a while. ".repeat(60);
        let (_, rest) = take_from(&format!(
            r#"<body><div class="post has-share-bar"><p>{prose}</p><div class="share-tools"><a href="/s">Share on Facebook</a></div></div><nav>Home World</nav><div id="newsletter-signup">Sign up now</div></body>"#
        ));
        assert!(rest.starts_with("Words of the article"));
        for gone in ["Share on Facebook", "Home World", "Sign up now"] {
            assert!(!rest.contains(gone), "{gone} in {rest}");
        }
    }
}

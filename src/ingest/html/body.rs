//! The article's HTML (what the extractor kept) as Markdown blocks: paragraphs, headings,
//! lists, block quotes, images with their alt text and caption, and links.
//!
//! Every piece of text is escaped (`ingest::markdown::escape`), so the page's own markup never
//! becomes the site's; only web links (`http`, `https`) and `mailto:` survive, so a
//! `javascript:` or `data:` URL is dropped and its text kept. The walk is bounded by the
//! nesting cap of `prepare`, and stops descending past `MAX_WALK_DEPTH` all the same.

use dom_query::NodeRef;

use crate::ingest::markdown::escape;
use crate::ingest::{Block, Marked, MarkedKind};

/// Deeper than `prepare::MAX_DEPTH`: a fragment re-parsed from the extractor's output is
/// never this deep, but the walk must not trust that.
const MAX_WALK_DEPTH: usize = 256;

/// Elements whose text is never article text.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "button", "input", "select", "textarea",
    "form", "nav", "iframe", "object", "video", "audio",
];

/// The blocks of an article's HTML.
#[cfg(test)]
pub fn blocks(html: &str) -> Vec<Block> {
    blocks_of(&dom_query::Document::fragment(html).root())
}

/// The blocks of what an element holds, read from the page's own tree (no second parse).
pub fn blocks_of(node: &NodeRef) -> Vec<Block> {
    let mut writer = Writer::default();
    writer.walk(node, 0);
    writer.flush();
    writer.blocks
}

/// Collects inline text until a block boundary, then emits it as one block.
#[derive(Default)]
struct Writer {
    blocks: Vec<Block>,
    markdown: String,
    text: String,
    /// A heading being written, with its level.
    heading: Option<u8>,
    /// The enclosing lists, innermost last: whether each is numbered.
    lists: Vec<bool>,
    /// Inside how many list items.
    items: usize,
    quotes: usize,
    /// The last image, waiting for a caption.
    image: Option<usize>,
}

impl Writer {
    fn walk(&mut self, node: &NodeRef, depth: usize) {
        if depth > MAX_WALK_DEPTH {
            return;
        }
        for child in node.children() {
            if child.is_text() {
                self.push_text(&child.text());
            } else if child.is_element() {
                self.element(&child, depth + 1);
            }
        }
    }

    fn element(&mut self, node: &NodeRef, depth: usize) {
        let name = node.node_name().unwrap_or_default().to_ascii_lowercase();
        match name.as_str() {
            n if SKIPPED.contains(&n) => {}
            "br" => self.push_text(" "),
            "img" => self.image(node),
            "a" => self.link(node, depth),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                let level = name.as_bytes()[1] - b'0';
                self.heading = Some(level.max(2));
                self.walk(node, depth);
                self.flush();
                self.heading = None;
            }
            "ul" | "ol" => {
                self.flush();
                self.lists.push(name == "ol");
                self.walk(node, depth);
                self.flush();
                self.lists.pop();
            }
            "li" => {
                self.flush();
                self.items += 1;
                self.walk(node, depth);
                self.flush();
                self.items -= 1;
            }
            "blockquote" => {
                self.flush();
                self.quotes += 1;
                self.walk(node, depth);
                self.flush();
                self.quotes -= 1;
            }
            "figcaption" => self.caption(node),
            "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside"
            | "figure" | "table" | "tr" | "dl" | "dt" | "dd" | "pre" | "address" | "center"
            | "details" | "summary" | "hr" | "picture" => {
                self.flush();
                self.walk(node, depth);
                self.flush();
            }
            "td" | "th" => {
                self.push_text(" ");
                self.walk(node, depth);
                self.push_text(" ");
            }
            _ => self.walk(node, depth),
        }
    }

    /// Appends text, with runs of whitespace made one space.
    fn push_text(&mut self, raw: &str) {
        let mut normalised = String::with_capacity(raw.len());
        for (i, word) in raw.split_whitespace().enumerate() {
            if i > 0 {
                normalised.push(' ');
            }
            normalised.push_str(word);
        }
        let starts_with_space = raw.starts_with(char::is_whitespace);
        let ends_with_space = raw.ends_with(char::is_whitespace);
        if starts_with_space || (normalised.is_empty() && !raw.is_empty()) {
            self.space();
        }
        if !normalised.is_empty() {
            self.markdown.push_str(&escape(&normalised));
            self.text.push_str(&normalised);
            if ends_with_space {
                self.space();
            }
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
            self.markdown.push(' ');
        }
    }

    fn link(&mut self, node: &NodeRef, depth: usize) {
        let url = node.attr("href").and_then(|href| web_url(&href));
        let text = collapse(&node.text());
        match url {
            Some(url) if !text.is_empty() => {
                self.markdown
                    .push_str(&format!("[{}](<{url}>)", escape(&text)));
                self.text.push_str(&text);
            }
            // An image link, or a link to nowhere: keep what it holds.
            _ => self.walk(node, depth),
        }
    }

    fn image(&mut self, node: &NodeRef) {
        let src = ["src", "data-src", "data-original"]
            .iter()
            .find_map(|name| node.attr(name).and_then(|v| web_url(&v)));
        let Some(src) = src else {
            return;
        };
        self.flush();
        let alt = collapse(&node.attr("alt").unwrap_or_default());
        self.blocks.push(Block::Marked(Marked {
            kind: MarkedKind::Image,
            markdown: format!("![{}](<{src}>)", escape(&alt)),
            text: String::new(),
        }));
        self.image = Some(self.blocks.len() - 1);
    }

    /// A caption goes under its image, in italics; it is not text of the article.
    fn caption(&mut self, node: &NodeRef) {
        let caption = collapse(&node.text());
        self.flush();
        let Some(Block::Marked(image)) = self.image.and_then(|i| self.blocks.get_mut(i)) else {
            return;
        };
        if !caption.is_empty() {
            image
                .markdown
                .push_str(&format!("  \n*{}*", escape(&caption)));
        }
    }

    /// Ends the block being written.
    fn flush(&mut self) {
        let text = self.text.trim().to_string();
        let markdown = self.markdown.trim().to_string();
        self.text.clear();
        self.markdown.clear();
        if text.is_empty() {
            return;
        }
        let kind = match (self.heading, self.items, self.quotes) {
            (Some(level), _, _) => MarkedKind::Heading(level),
            (None, 1.., _) => MarkedKind::Item {
                ordered: self.lists.last().copied().unwrap_or(false),
                depth: self.lists.len().saturating_sub(1).min(8) as u8,
            },
            (None, 0, 1..) => MarkedKind::Quote,
            (None, 0, 0) => MarkedKind::Paragraph,
        };
        self.image = None;
        self.blocks.push(Block::Marked(Marked {
            kind,
            markdown,
            text,
        }));
    }
}

/// Whitespace runs made single spaces, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A link target that may appear on a page: an absolute web or mail link, with characters that
/// would end a Markdown `<...>` destination encoded.
pub fn web_url(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    if !allowed || href.len() > 2048 {
        return None;
    }
    Some(
        href.replace(' ', "%20")
            .replace('<', "%3C")
            .replace('>', "%3E")
            .replace(['\n', '\r', '\t'], ""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::markdown::body_markdown;

    fn markdown(html: &str) -> String {
        body_markdown(&blocks(html))
    }

    #[test]
    fn structure_becomes_markdown() {
        let md = markdown(
            "<h2>Sub</h2><p>One <a href=\"https://x.org/a b\">link</a> here.</p><ul><li>a</li><li>b<ol><li>c</li></ol></li></ul><blockquote><p>Said.</p></blockquote>",
        );
        assert_eq!(
            md,
            "## Sub\n\nOne [link](<https://x.org/a%20b>) here.\n\n- a\n- b\n    1. c\n\n> Said.\n"
        );
    }

    #[test]
    fn images_keep_alt_and_caption_but_add_no_text() {
        let found = blocks(
            "<figure><img src=\"https://x.org/i.jpg\" alt=\"A [map]\"><figcaption>The route</figcaption></figure><p>Text.</p>",
        );
        assert_eq!(
            body_markdown(&found),
            "![A \\[map\\]](<https://x.org/i.jpg>)  \n*The route*\n\nText.\n"
        );
        assert_eq!(crate::ingest::body_text(&found), "Text.");
    }

    #[test]
    fn script_and_data_links_lose_their_link_not_their_text() {
        let md = markdown(
            "<p><a href=\"javascript:alert(1)\">click</a> and <a href=\"data:text/html,x\">data</a> <img src=\"data:image/png,x\"></p>",
        );
        assert_eq!(md, "click and data\n");
    }

    #[test]
    fn page_markup_in_text_stays_text() {
        let md = markdown("<p>&lt;script&gt;alert(1)&lt;/script&gt; *x* # y</p>");
        assert_eq!(md, "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* # y\n");
    }
}

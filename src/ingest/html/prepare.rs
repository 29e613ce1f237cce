//! A pass over the markup before it is parsed: drops what can never be article text and bounds
//! what could make parsing slow.
//!
//! Scripts, styles, SVG drawings, templates and comments are half the bytes of a typical news
//! page; cutting them out first doubles the speed of everything after (the JSON-LD scripts are
//! kept aside for the metadata). Nesting is capped: HTML parsers and extractors spend time (and
//! in places stack) per level of nesting, and 20,000 nested `<div>`s took an HTML parser 4 s
//! and the extractor 90 s. Tags deeper than `MAX_DEPTH` are dropped, their text kept, so such a
//! page still imports, flattened, in milliseconds.

/// Deeper nesting than any real article page has (they stay under 60).
pub const MAX_DEPTH: usize = 200;

/// Elements whose whole content is dropped.
const DROPPED: &[&str] = &[
    "script", "style", "svg", "math", "template", "noscript", "iframe", "object", "canvas",
];

/// Elements that have no content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements that close themselves when a sibling of their kind opens, so their start tags
/// alone say nothing about depth.
const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody", "rp", "rt",
];

/// The markup to parse, and the JSON-LD scripts taken out of it.
#[derive(Debug, Default)]
pub struct Prepared {
    pub html: String,
    pub json_ld: Vec<String>,
    /// Whether tags were dropped for nesting too deep.
    pub flattened: bool,
}

/// Strips scripts, styles and comments, and drops tags nested deeper than `MAX_DEPTH`.
pub fn prepare(html: &str) -> Prepared {
    let mut out = Prepared {
        html: String::with_capacity(html.len() / 2),
        ..Prepared::default()
    };
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        out.html.push_str(&html[at..start]);
        at = match Tag::read(html, start) {
            Some(tag) => handle_tag(html, &tag, &mut depth, &mut out),
            None => {
                out.html.push_str("&lt;");
                start + 1
            }
        };
    }
    out.html.push_str(&html[at..]);
    out
}

/// Emits (or drops) one tag, returning where the scan goes on.
fn handle_tag(html: &str, tag: &Tag, depth: &mut usize, out: &mut Prepared) -> usize {
    match tag.kind {
        TagKind::Comment | TagKind::Other => return tag.end,
        TagKind::Start if is_in(&tag.name, DROPPED) && !tag.self_closed => {
            let close = find_close(html, tag.end, &tag.name);
            if tag.name == "script" && is_json_ld(&html[tag.start..tag.end]) {
                out.json_ld.push(html[tag.end..close.0].to_string());
            }
            return close.1;
        }
        TagKind::Start if nests(tag) => {
            *depth += 1;
            if *depth > MAX_DEPTH {
                out.flattened = true;
                return tag.end;
            }
        }
        TagKind::End if !is_in(&tag.name, VOID) && !is_in(&tag.name, SELF_CLOSING) => {
            let was = *depth;
            *depth = depth.saturating_sub(1);
            if was > MAX_DEPTH {
                return tag.end;
            }
        }
        _ => {}
    }
    out.html.push_str(&html[tag.start..tag.end]);
    tag.end
}

/// Whether a `<script ...>` tag holds JSON-LD.
fn is_json_ld(tag: &str) -> bool {
    tag.as_bytes()
        .windows(b"ld+json".len())
        .any(|w| w.eq_ignore_ascii_case(b"ld+json"))
}

fn nests(tag: &Tag) -> bool {
    !tag.self_closed && !is_in(&tag.name, VOID) && !is_in(&tag.name, SELF_CLOSING)
}

fn is_in(name: &str, list: &[&str]) -> bool {
    list.contains(&name)
}

/// The end of an element's raw content: (where `</name` starts, after its `>`).
fn find_close(html: &str, from: usize, name: &str) -> (usize, usize) {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(offset) = html[at..].find("</") {
        let start = at + offset;
        let name_end = start + 2 + name.len();
        let matches = bytes
            .get(start + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if matches && !bytes.get(name_end).is_some_and(u8::is_ascii_alphanumeric) {
            let end = html[name_end..]
                .find('>')
                .map_or(html.len(), |e| name_end + e + 1);
            return (start, end);
        }
        at = start + 2;
    }
    (html.len(), html.len())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Start,
    End,
    Comment,
    /// `<!DOCTYPE>`, `<?xml ?>`, `<![CDATA[`: nothing for the article.
    Other,
}

/// One tag as found in the markup.
#[derive(Debug)]
struct Tag {
    kind: TagKind,
    /// Lowercase.
    name: String,
    self_closed: bool,
    start: usize,
    /// After the closing `>`.
    end: usize,
}

impl Tag {
    /// The tag starting at `start` (a `<`), or `None` when the `<` is text.
    fn read(html: &str, start: usize) -> Option<Tag> {
        let rest = &html[start..];
        let tag = |kind, name: &str, self_closed, end| Tag {
            kind,
            name: name.to_ascii_lowercase(),
            self_closed,
            start,
            end,
        };
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            return Some(tag(TagKind::Comment, "", false, end));
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(html.len(), |e| start + e + 1);
            return Some(tag(TagKind::Other, "", false, end));
        }
        let (kind, name_start) = match rest.as_bytes().get(1) {
            Some(b'/') => (TagKind::End, 2),
            Some(b) if b.is_ascii_alphabetic() => (TagKind::Start, 1),
            _ => return None,
        };
        let name_len = rest[name_start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .unwrap_or(rest.len() - name_start);
        if name_len == 0 {
            return None;
        }
        let attrs_start = name_start + name_len;
        let close = attrs_end(&rest[attrs_start..]).map(|e| attrs_start + e);
        let end = close.map_or(html.len(), |e| start + e + 1);
        let attrs = &rest[attrs_start..close.unwrap_or(rest.len())];
        let name = &rest[name_start..attrs_start];
        Some(tag(kind, name, attrs.ends_with('/'), end))
    }
}

/// Where the `>` closing a tag's attributes is, skipping `>` inside quoted values.
fn attrs_end(attrs: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in attrs.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_styles_and_comments_go_json_ld_is_kept_aside() {
        let page = r#"<head><style>p>a{}</style><script type="application/ld+json">{"@type":"NewsArticle"}</script><script>if (a<b) x("</div>")</script></head><!-- <p>old</p> --><body><p title="a>b">Text &amp; more</p></body>"#;
        let prepared = prepare(page);
        assert_eq!(
            prepared.html,
            r#"<head></head><body><p title="a>b">Text &amp; more</p></body>"#
        );
        assert_eq!(prepared.json_ld, vec![r#"{"@type":"NewsArticle"}"#]);
        assert!(!prepared.flattened);
    }

    #[test]
    fn deep_nesting_is_flattened_and_text_kept() {
        let page = format!(
            "{}<p>deep</p>{}",
            "<div>".repeat(20_000),
            "</div>".repeat(20_000)
        );
        let prepared = prepare(&page);
        assert!(prepared.flattened);
        assert_eq!(prepared.html.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(prepared.html.matches("</div>").count(), MAX_DEPTH);
        assert!(prepared.html.contains("<p>deep</p>"));
    }

    #[test]
    fn unclosed_paragraphs_and_void_tags_do_not_count_as_depth() {
        let page = "<p>one <br> two <img src=x>".repeat(1000);
        let prepared = prepare(&page);
        assert!(!prepared.flattened);
        assert_eq!(prepared.html, page);
    }

    #[test]
    fn a_lone_less_than_sign_is_text() {
        assert_eq!(prepare("a < b <").html, "a &lt; b &lt;");
        assert_eq!(
            prepare("<!doctype html><x-y a=1>t</x-y>").html,
            "<x-y a=1>t</x-y>"
        );
    }
}

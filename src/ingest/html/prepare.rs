//! A pass over the markup before it is parsed: drops what can never be article text and bounds
//! what could make parsing slow.
//!
//! Scripts, styles, SVG drawings, templates and comments are half the bytes of a typical news
//! page; cutting them out first doubles the speed of everything after (the JSON-LD scripts are
//! kept aside for the metadata). Of the rest, attributes nothing reads (tracking data, event
//! handlers), navigation, selects and buttons (never written out) and runs of whitespace are
//! another quarter: they go too, with a byte scan, as parsing is the dearest step.
//!
//! Page furniture (share bars, newsletter prompts, footers, comment links...) is half of a page's
//! elements once parsed, and `boxes` removes it before extraction; the furniture it would
//! remove whatever it holds (named by `boxes`' own tags and `class`/`id` words, with at most
//! `boxes::SMALL_BOX` bytes of text, no box label, byline, author or `<time>`, which `boxes`
//! and `meta` read first) is dropped here, unparsed. So are empty inline elements (icons,
//! spacers): nothing reads them, and each element costs every later walk.
//!
//! Nesting is capped: HTML parsers and extractors spend time (and in places stack) per level
//! of nesting, and 20,000 nested `<div>`s took an HTML parser 4 s and the extractor 90 s. Tags
//! deeper than `MAX_DEPTH` are dropped, their text kept, so such a page still imports,
//! flattened, in milliseconds.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use super::body::collapse;
use super::{ascii_lowercase, boxes};
use crate::ingest::sections;

/// Deeper nesting than any real article page has (they stay under 60).
pub const MAX_DEPTH: usize = 200;

/// The longest box label `boxes` looks for, in bytes.
const MAX_LABEL: usize = 40;

/// Bits of `classes`: which list a name is in.
const DROP: u16 = 1;
const SKIP: u16 = 1 << 1;
const VOID_: u16 = 1 << 2;
const SELF_CLOSE: u16 = 1 << 3;
const BLOCK: u16 = 1 << 4;
const PRE: u16 = 1 << 5;
const MEDIUM: u16 = 1 << 6;
const SCRIPT: u16 = 1 << 7;
const LINK: u16 = 1 << 8;
const FURNITURE_TAG: u16 = 1 << 9;
const KEEP_EMPTY: u16 = 1 << 10;
const HEAD: u16 = 1 << 11;
const META: u16 = 1 << 12;
const IMAGE: u16 = 1 << 13;

/// Inline elements that mean something empty: form fields, embedded content, table parts,
/// links (anchors), times (`meta` reads their `datetime`).
const KEPT_EMPTY: &[&str] = &[
    "textarea", "iframe", "canvas", "object", "video", "audio", "td", "th", "a", "time",
];

/// Elements whose whole content is dropped.
const DROPPED: &[&str] = &[
    "script", "style", "svg", "math", "template", "noscript", "iframe", "object", "canvas",
];

/// Elements whose content is never article text (the Markdown writer skips them), dropped
/// whole when their end tag is found: navigation is a sixth of a news page's markup.
const SKIPPED: &[&str] = &["nav", "select", "button"];

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

/// Elements that lay out as blocks (or hold no text): whitespace alone next to one of their
/// tags is never text, so it is not kept as a node that parsing, the extractor's scoring and
/// the Markdown writer would each visit (a fifth of a page's nodes). `pre` is not one.
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "base",
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "nav",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "colgroup",
    "col",
    "figure",
    "figcaption",
    "blockquote",
    "form",
    "fieldset",
    "hr",
    "address",
    "center",
    "details",
    "summary",
    "picture",
    "source",
    "option",
    "optgroup",
];

/// Elements whose whitespace is content.
const PREFORMATTED: &[&str] = &["pre", "textarea", "listing"];

/// Elements whose attributes are all kept: lazy-loading images hide their address in
/// attributes of any name, which the extractor looks for by their values.
const MEDIA: &[&str] = &[
    "img", "picture", "source", "video", "audio", "embed", "track",
];

/// Media whose attributes are kept by value: those naming an image file (`image_address`),
/// besides those read by name. The rest (sizes, widths, pinning captions, tracking) are a
/// third of the bytes of an `<img>`, and nothing reads them.
const IMAGES: &[&str] = &["img", "picture", "source"];

/// Elements that may come before the `<body>`: the HTML parser puts any `<meta>` found among
/// them in the `<head>`, where no element of the article is.
const HEAD_CONTENT: &[&str] = &[
    "html", "head", "title", "meta", "link", "base", "style", "script", "noscript", "template",
];

/// What the keys of the `<meta>` tags read contain (`meta` reads titles, descriptions,
/// authors, the site's name, dates, addresses, images and languages; the extractor, titles
/// and authors): a `<meta>` in the `<head>` whose `property` and `name` contain none of them
/// (viewport, robots, tags, app ids, card types...) is not kept.
const META_KEY_PARTS: &[&str] = &[
    "title",
    "author",
    "creator",
    "description",
    "site_name",
    "application-name",
    "date",
    "time",
    "url",
    "image",
    "locale",
    "language",
];

/// Attributes that the metadata, the boxes, the extractor or the Markdown writer read; the
/// others (tracking data, event handlers, ARIA labels...) are a third of a page's bytes.
fn is_kept_attribute(name: &str) -> bool {
    // A `match` rather than a table: asked of every attribute of the page, it compiles to a
    // comparison of lengths and a few of bytes.
    let mut buffer = [0; 16];
    ascii_lowercase(name.as_bytes(), &mut buffer).is_some_and(|lower| {
        matches!(
            lower,
            b"class"
                | b"id"
                | b"href"
                | b"src"
                | b"srcset"
                | b"data-src"
                | b"data-srcset"
                | b"data-original"
                | b"alt"
                | b"content"
                | b"property"
                | b"name"
                | b"itemprop"
                | b"rel"
                | b"role"
                | b"style"
                | b"hidden"
                | b"aria-hidden"
                | b"aria-modal"
                | b"lang"
                | b"dir"
                | b"datetime"
                | b"colspan"
                | b"rowspan"
                | b"summary"
                | b"charset"
                | b"http-equiv"
                | b"type"
        )
    })
}

/// The markup to parse, and the JSON-LD scripts taken out of it.
#[derive(Debug, Default)]
pub struct Prepared {
    pub html: String,
    pub json_ld: Vec<String>,
    /// Whether tags were dropped for nesting too deep.
    pub flattened: bool,
}

/// Where the scan is: how deep in elements, and inside how many preformatted ones.
#[derive(Default)]
struct Scan<'a> {
    depth: usize,
    /// Whether an element that belongs in the `<body>` has started.
    in_body: bool,
    preformatted: usize,
    /// Whether the last tag written was one of `BLOCKS`.
    after_block: bool,
    /// Inline start tags written last, with nothing after them yet: where each starts in the
    /// output, and its name. An inline element found empty at its end tag is taken back.
    empty_inline: Vec<(usize, &'a str)>,
}

/// Strips scripts, styles, comments and unused attributes, makes runs of whitespace one, and
/// drops tags nested deeper than `MAX_DEPTH`.
pub fn prepare(html: &str) -> Prepared {
    let mut out = Prepared {
        html: String::with_capacity(html.len() / 2),
        ..Prepared::default()
    };
    let mut scan = Scan::default();
    let mut at = 0;
    while let Some(offset) = memchr::memchr(b'<', &html.as_bytes()[at..]) {
        let start = at + offset;
        let tag = Tag::read(html, start);
        let text = &html[at..start];
        let beside_block = scan.after_block || tag.as_ref().is_some_and(|t| t.is(BLOCK));
        if !(beside_block && scan.preformatted == 0 && is_blank(text)) {
            if !text.is_empty() {
                scan.empty_inline.clear();
            }
            push_text(text, scan.preformatted > 0, &mut out.html);
            // Dropped tags (comments) join what is around them: text ends the block.
            scan.after_block &= text.is_empty();
        }
        at = match tag {
            Some(tag) => handle_tag(html, &tag, &mut scan, &mut out),
            None => {
                scan.empty_inline.clear();
                scan.after_block = false;
                out.html.push_str("&lt;");
                start + 1
            }
        };
    }
    push_text(&html[at..], scan.preformatted > 0, &mut out.html);
    out
}

/// Appends text with each run of whitespace made one character (a line break if it held
/// one), unless the text is preformatted.
fn push_text(text: &str, preformatted: bool, out: &mut String) {
    let bytes = text.as_bytes();
    let plain = || {
        memchr::memchr3(b'\n', b'\t', b'\r', bytes).is_none()
            && memchr::memmem::find(bytes, b"  ").is_none()
            && !bytes.contains(&0x0C)
    };
    if preformatted || plain() {
        out.push_str(text);
        return;
    }
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let run = bytes[i..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        if run > 1 || bytes[i] != b' ' {
            out.push_str(&text[copied..i]);
            let line_break = bytes[i..i + run].contains(&b'\n');
            out.push(if line_break { '\n' } else { ' ' });
            copied = i + run;
        }
        i += run;
    }
    out.push_str(&text[copied..]);
}

/// Emits (or drops) one tag, returning where the scan goes on.
fn handle_tag<'a>(html: &'a str, tag: &Tag<'a>, scan: &mut Scan<'a>, out: &mut Prepared) -> usize {
    if tag.kind == TagKind::Start {
        scan.in_body |= !tag.is(HEAD);
        if tag.is(META) && !scan.in_body && !is_read_meta(tag) {
            return tag.end;
        }
    }
    // Furniture `boxes` would drop whatever it holds is not parsed at all.
    if tag.kind == TagKind::Start
        && nests(tag)
        && !tag.is(DROP | SKIP)
        && is_furniture(tag)
        && let Some((_, end)) = find_close(html, tag.end, tag.name, true)
        && is_small_furniture(&html[tag.end..end])
    {
        return end;
    }
    match tag.kind {
        TagKind::Comment | TagKind::Other => return tag.end,
        TagKind::Start if tag.is(DROP) && !tag.self_closed => {
            let close =
                find_close(html, tag.end, tag.name, false).unwrap_or((html.len(), html.len()));
            if tag.is(SCRIPT) && is_json_ld(&html[tag.start..tag.end]) {
                out.json_ld.push(html[tag.end..close.0].to_string());
            }
            return close.1;
        }
        TagKind::Start if tag.is(SKIP) && !tag.self_closed => {
            // Unclosed, it would take the rest of the page with it: then it stays.
            if let Some((_, end)) = find_close(html, tag.end, tag.name, true) {
                return end;
            }
        }
        TagKind::Start if tag.is(LINK) && !is_canonical(tag) => {
            return tag.end;
        }
        TagKind::Start if nests(tag) => {
            scan.depth += 1;
            if scan.depth > MAX_DEPTH {
                out.flattened = true;
                return tag.end;
            }
            if tag.is(PRE) {
                scan.preformatted += 1;
            }
        }
        TagKind::End if !tag.is(VOID_ | SELF_CLOSE) => {
            let was = scan.depth;
            scan.depth = scan.depth.saturating_sub(1);
            if was > MAX_DEPTH {
                return tag.end;
            }
            if tag.is(PRE) {
                scan.preformatted = scan.preformatted.saturating_sub(1);
            }
        }
        _ => {}
    }
    scan.after_block = tag.is(BLOCK);
    if tag.kind == TagKind::End && take_back_empty(tag, scan, &mut out.html) {
        return tag.end;
    }
    let at = out.html.len();
    if tag.kind == TagKind::Start && (!tag.is(MEDIUM) || tag.is(IMAGE)) {
        push_start_tag(tag, &mut out.html);
    } else {
        out.html.push_str(&html[tag.start..tag.end]);
    }
    if tag.kind == TagKind::Start
        && nests(tag)
        && !tag.is(BLOCK | MEDIUM | PRE | KEEP_EMPTY)
        && !names_author(tag.attrs)
    {
        scan.empty_inline.push((at, tag.name));
    } else {
        scan.empty_inline.clear();
    }
    tag.end
}

/// Whether an attribute's value names an image file, as the extractor looks for the address
/// of a lazy-loading image (in any case, so a value it could read is never dropped).
fn names_image(value: &str) -> bool {
    const EXTENSIONS: &[&[u8]] = &[b"jpg", b"jpeg", b"png", b"webp", b"avif", b"gif"];
    let bytes = value.as_bytes();
    memchr::memchr_iter(b'.', bytes).any(|dot| {
        EXTENSIONS.iter().any(|ext| {
            bytes
                .get(dot + 1..dot + 1 + ext.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(ext))
        })
    })
}

/// Whether a `<meta>` in the `<head>` may be read: its `property` or `name` contains a key
/// read (`META_KEY_PARTS`), or it has an `itemprop` (which `meta` reads by any name).
fn is_read_meta(tag: &Tag) -> bool {
    Attributes(tag.attrs).any(|Attribute { name, value, .. }| {
        if name.eq_ignore_ascii_case("itemprop") {
            return true;
        }
        if !(name.eq_ignore_ascii_case("property") || name.eq_ignore_ascii_case("name")) {
            return false;
        }
        let key = value.as_bytes();
        (0..key.len()).any(|at| {
            META_KEY_PARTS.iter().any(|part| {
                key.get(at..at + part.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(part.as_bytes()))
            })
        })
    })
}

/// Whether a tag's attributes may name an author (`meta` takes the first byline it finds,
/// even an empty one, so such an element stays).
fn names_author(attrs: &str) -> bool {
    ["author", "byline"].iter().any(|word| {
        attrs
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    })
}

/// Takes back an inline element that holds nothing (an icon's `<i class=...></i>`, an empty
/// link or `<span>`): it adds nothing to the text, and each element costs parsing, the
/// extractor's walks and the Markdown writer's. Block elements stay: to the extractor an
/// empty `<div>` is structure (a `<div>` holding one is not a paragraph).
fn take_back_empty(end: &Tag, scan: &mut Scan, out: &mut String) -> bool {
    match scan.empty_inline.last() {
        Some(&(at, name)) if name.eq_ignore_ascii_case(end.name) => {
            out.truncate(at);
            scan.empty_inline.pop();
            true
        }
        _ => false,
    }
}

/// A start tag with only the attributes anything reads.
fn push_start_tag(tag: &Tag, out: &mut String) {
    out.push('<');
    out.push_str(tag.name);
    let image = tag.is(IMAGE);
    for attribute in Attributes(tag.attrs) {
        let name = attribute.name;
        if is_kept_attribute(name)
            || image && (name.eq_ignore_ascii_case("loading") || names_image(attribute.value))
        {
            out.push(' ');
            out.push_str(attribute.raw);
        }
    }
    // A space first: `/` right after an unquoted value would be read as part of it.
    out.push_str(if tag.self_closed { " />" } else { ">" });
}

/// Whether an element is page furniture as `boxes` tells it (by its tag, else by the first
/// furniture word of its `class`, else of its `id`), other than a "related" rail, whose links
/// `boxes` keeps. A value holding character references is not read (its words may differ
/// once decoded): `boxes` still sees such an element.
fn is_furniture(tag: &Tag) -> bool {
    if tag.is(FURNITURE_TAG) {
        return true;
    }
    let (mut class, mut id) = (None, None);
    for Attribute { name, value, .. } in Attributes(tag.attrs) {
        let slot = match name.len() {
            5 if name.eq_ignore_ascii_case("class") => &mut class,
            2 if name.eq_ignore_ascii_case("id") => &mut id,
            _ => continue,
        };
        slot.get_or_insert(value);
    }
    let kind = [class, id].into_iter().flatten().find_map(|value| {
        if value.contains('&') {
            return Some(None);
        }
        value
            .as_bytes()
            .split(|b| !b.is_ascii_alphanumeric())
            .find_map(boxes::furniture_word)
            .map(Some)
    });
    kind == Some(Some(boxes::Furniture::Other))
}

/// Whether furniture's content is small enough that `boxes` would drop it whatever it holds
/// (its text, counted as every byte outside tags, is at most `boxes::SMALL_BOX`), and holds
/// nothing read before that: no box label (`boxes` reads labelled boxes first), no heading
/// (whose words may make one), no `<time>`, byline or author (`meta` reads them).
fn is_small_furniture(inner: &str) -> bool {
    let bytes = inner.as_bytes();
    let mut text = 0;
    let mut at = 0;
    loop {
        let segment =
            memchr::memchr(b'<', &bytes[at..]).map_or(&inner[at..], |open| &inner[at..at + open]);
        text += segment.len();
        if text > boxes::SMALL_BOX || may_be_label(segment) {
            return false;
        }
        at += segment.len();
        if at == bytes.len() {
            break;
        }
        match memchr::memchr(b'>', &bytes[at..]) {
            Some(close) => at += close + 1,
            None => return false,
        }
    }
    // Lowercased once, then searched for each word (faster than a search in any case).
    let lower = bytes.to_ascii_lowercase();
    !["time", "author", "byline"]
        .iter()
        .any(|word| memchr::memmem::find(&lower, word.as_bytes()).is_some())
}

/// Whether a piece of text may be a box label.
fn may_be_label(text: &str) -> bool {
    let text = text.trim();
    // Every label is 7 to 40 bytes long and starts with one of these letters: most text is
    // told apart without building its collapsed, lowercase form.
    let plausible = (7..=2 * MAX_LABEL).contains(&text.len())
        && text
            .as_bytes()
            .first()
            .is_some_and(|b| b"kwhairsmKWHAIRSM".contains(b));
    plausible && sections::label_named(&collapse(text)).is_some()
}

/// Whether a `<link>` gives the page's canonical address (the only link the import reads).
fn is_canonical(tag: &Tag) -> bool {
    Attributes(tag.attrs)
        .filter(|a| a.name.eq_ignore_ascii_case("rel"))
        .any(|a| {
            a.value
                .as_bytes()
                .windows(b"canonical".len())
                .any(|w| w.eq_ignore_ascii_case(b"canonical"))
        })
}

/// Whether a `<script ...>` tag holds JSON-LD.
fn is_json_ld(tag: &str) -> bool {
    tag.as_bytes()
        .windows(b"ld+json".len())
        .any(|w| w.eq_ignore_ascii_case(b"ld+json"))
}

/// Whether text is only whitespace (and not empty).
fn is_blank(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_whitespace())
}

fn nests(tag: &Tag) -> bool {
    !tag.self_closed && !tag.is(VOID_ | SELF_CLOSE)
}

/// The lists above with their bits, for `classes`.
const NAME_LISTS: [(u16, &[&str]); 14] = [
    (KEEP_EMPTY, KEPT_EMPTY),
    (FURNITURE_TAG, boxes::FURNITURE_TAGS),
    (DROP, DROPPED),
    (SKIP, SKIPPED),
    (VOID_, VOID),
    (SELF_CLOSE, SELF_CLOSING),
    (BLOCK, BLOCKS),
    (PRE, PREFORMATTED),
    (MEDIUM, MEDIA),
    (SCRIPT, &["script"]),
    (LINK, &["link"]),
    (HEAD, HEAD_CONTENT),
    (META, &["meta"]),
    (IMAGE, IMAGES),
];

/// Which of the lists above a name is in, as bits (`DROP`, `SKIP`, ...): one table look-up
/// per tag or attribute rather than a comparison with every name of every list.
fn classes(name: &str) -> u16 {
    static TABLE: LazyLock<FxHashMap<&'static [u8], u16>> = LazyLock::new(|| {
        let mut table = FxHashMap::default();
        for (bit, names) in NAME_LISTS {
            for name in names {
                *table.entry(name.as_bytes()).or_default() |= bit;
            }
        }
        table
    });
    let mut buffer = [0; 16];
    ascii_lowercase(name.as_bytes(), &mut buffer)
        .and_then(|lower| TABLE.get(lower))
        .copied()
        .unwrap_or(0)
}

/// The end of an element's content: (where its `</name` starts, after its `>`). Raw text
/// (scripts, styles) holds no elements; other content may hold more of its kind (`nested`).
fn find_close(html: &str, from: usize, name: &str, nested: bool) -> Option<(usize, usize)> {
    let bytes = html.as_bytes();
    let mut open = 1usize;
    let mut at = from;
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        at = start + 1;
        let closing = bytes.get(start + 1) == Some(&b'/');
        if !closing && !nested {
            continue;
        }
        let name_start = start + 1 + usize::from(closing);
        let name_end = name_start + name.len();
        let matches = bytes
            .get(name_start..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && !bytes.get(name_end).is_some_and(u8::is_ascii_alphanumeric);
        if !matches {
            continue;
        }
        if !closing {
            open += 1;
            continue;
        }
        open -= 1;
        if open == 0 {
            let end =
                memchr::memchr(b'>', &bytes[name_end..]).map_or(html.len(), |e| name_end + e + 1);
            return Some((start, end));
        }
    }
    None
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
struct Tag<'a> {
    kind: TagKind,
    /// As written (HTML names are ASCII case-insensitive).
    name: &'a str,
    /// The markup between the name and the closing `>`.
    attrs: &'a str,
    self_closed: bool,
    /// The lists its name is in (`classes`).
    class: u16,
    start: usize,
    /// After the closing `>`.
    end: usize,
}

impl<'a> Tag<'a> {
    /// Whether its name is in one of the lists `bits` stand for.
    fn is(&self, bits: u16) -> bool {
        self.class & bits != 0
    }

    /// The tag starting at `start` (a `<`), or `None` when the `<` is text.
    fn read(html: &'a str, start: usize) -> Option<Tag<'a>> {
        let rest = &html[start..];
        let tag = |kind, name, attrs, self_closed, end| Tag {
            kind,
            name,
            attrs,
            self_closed,
            class: classes(name),
            start,
            end,
        };
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = memchr::memmem::find(comment.as_bytes(), b"-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            return Some(tag(TagKind::Comment, "", "", false, end));
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            let end = rest.find('>').map_or(html.len(), |e| start + e + 1);
            return Some(tag(TagKind::Other, "", "", false, end));
        }
        let (kind, name_start) = match rest.as_bytes().get(1) {
            Some(b'/') => (TagKind::End, 2),
            Some(b) if b.is_ascii_alphabetic() => (TagKind::Start, 1),
            _ => return None,
        };
        let name_len = rest.as_bytes()[name_start..]
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b':'))
            .unwrap_or(rest.len() - name_start);
        if name_len == 0 {
            return None;
        }
        let attrs_start = name_start + name_len;
        let close = attrs_end(&rest[attrs_start..]).map(|e| attrs_start + e);
        let end = close.map_or(html.len(), |e| start + e + 1);
        let attrs = &rest[attrs_start..close.unwrap_or(rest.len())];
        let name = &rest[name_start..attrs_start];
        Some(tag(kind, name, attrs, attrs.ends_with('/'), end))
    }
}

/// Where the `>` closing a tag's attributes is, skipping `>` inside quoted values.
fn attrs_end(attrs: &str) -> Option<usize> {
    let bytes = attrs.as_bytes();
    let mut at = 0;
    loop {
        at += memchr::memchr3(b'"', b'\'', b'>', &bytes[at..])?;
        match bytes[at] {
            b'>' => return Some(at),
            quote => at += 2 + memchr::memchr(quote, &bytes[at + 1..])?,
        }
    }
}

/// One attribute of a tag.
struct Attribute<'a> {
    name: &'a str,
    /// Its whole markup, `name="value"`.
    raw: &'a str,
    /// Its value, without quotes (character references not decoded).
    value: &'a str,
}

/// The attributes of a tag, in order.
struct Attributes<'a>(&'a str);

impl<'a> Iterator for Attributes<'a> {
    type Item = Attribute<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self
            .0
            .trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        let bytes = rest.as_bytes();
        if bytes.is_empty() {
            self.0 = rest;
            return None;
        }
        // A name runs to whitespace, `/`, `=` (after its first character) or the end.
        let name_len = 1 + bytes[1..]
            .iter()
            .position(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'=')
            .unwrap_or(bytes.len() - 1);
        let after_name = name_len + count_spaces(&bytes[name_len..]);
        let (end, value) = if bytes.get(after_name) == Some(&b'=') {
            let at = after_name + 1 + count_spaces(&bytes[after_name + 1..]);
            let end = at + value_len(&bytes[at..]);
            let value = match bytes.get(at) {
                // Without its closing quote when it has one (an unclosed value runs to the end).
                Some(&q @ (b'"' | b'\'')) => {
                    let closed = end - at >= 2 && bytes[end - 1] == q;
                    &rest[at + 1..end - usize::from(closed)]
                }
                _ => &rest[at..end],
            };
            (end, value)
        } else {
            (name_len, "")
        };
        self.0 = &rest[end..];
        Some(Attribute {
            name: &rest[..name_len],
            raw: &rest[..end],
            value,
        })
    }
}

fn count_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_whitespace()).count()
}

/// The length of an attribute value: quoted up to its closing quote, or up to whitespace.
fn value_len(bytes: &[u8]) -> usize {
    match bytes.first() {
        Some(&q @ (b'"' | b'\'')) => memchr::memchr(q, &bytes[1..]).map_or(bytes.len(), |p| p + 2),
        _ => bytes
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(bytes.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_is_found_in_any_case() {
        // The look-up lowercases into a 16-byte buffer: a longer name would never be found.
        for (bit, names) in NAME_LISTS {
            for name in names {
                assert!(classes(&name.to_ascii_uppercase()) & bit != 0, "{name}");
            }
        }
        assert!(is_kept_attribute("DATA-ORIGINAL") && !is_kept_attribute("onclick"));
    }

    #[test]
    fn scripts_styles_and_comments_go_json_ld_is_kept_aside() {
        let page = r#"<head><style>p>a{}</style><script type="application/ld+json">{"@type":"NewsArticle"}</script><script>if (a<b) x("</div>")</script></head><!-- <p>old</p> --><body><p class="a>b">Text &amp; more</p></body>"#;
        let prepared = prepare(page);
        assert_eq!(
            prepared.html,
            r#"<head></head><body><p class="a>b">Text &amp; more</p></body>"#
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
            prepare("<!doctype html><x-y id=1>t</x-y>").html,
            "<x-y id=1>t</x-y>"
        );
    }

    #[test]
    fn unread_attributes_go_and_media_keep_theirs() {
        let page = r#"<a onclick="go('>')" href='/a b' data-track=x CLASS=c disabled>x</a><br/><img data-lazy="i.jpg" alt="">"#;
        assert_eq!(
            prepare(page).html,
            r#"<a href='/a b' CLASS=c>x</a><br /><img data-lazy="i.jpg" alt="">"#
        );
    }

    #[test]
    fn image_attributes_are_kept_by_name_or_when_they_name_an_image_file() {
        let page = r#"<img src="a.png" width="600" data-pin-description="Pin it" data-lazy-src="B.JPEG?w=1" sizes="50vw" loading="lazy" class="wp-image"><picture data-x="1"><source srcset="c.webp 2x" media="(min-width: 1px)"></picture>"#;
        assert_eq!(
            prepare(page).html,
            r#"<img src="a.png" data-lazy-src="B.JPEG?w=1" loading="lazy" class="wp-image"><picture><source srcset="c.webp 2x"></picture>"#
        );
    }

    #[test]
    fn attribute_values_are_read_without_their_quotes() {
        let values: Vec<(&str, &str, &str)> =
            Attributes(r#" class = "a b" id='x' data=unq/ hidden/ x="unclosed"#)
                .map(|a| (a.name, a.raw, a.value))
                .collect();
        assert_eq!(
            values,
            vec![
                ("class", r#"class = "a b""#, "a b"),
                ("id", "id='x'", "x"),
                ("data", "data=unq/", "unq/"),
                ("hidden", "hidden", ""),
                ("x", r#"x="unclosed"#, "unclosed"),
            ]
        );
    }

    #[test]
    fn head_meta_tags_nothing_reads_go_body_ones_stay() {
        let page = r#"<html><head><meta charset="utf-8"><meta name="viewport" content="w"><meta property="og:type" content="article"><meta property="OG:Title" content="T"><meta name="twitter:creator" content="@a"><meta itemprop="x" content="y"><meta name="parsely-pub-date" content="2025"></head><body><meta name="robots" content="no"><p>t</p></body></html>"#;
        assert_eq!(
            prepare(page).html,
            r#"<html><head><meta property="OG:Title" content="T"><meta name="twitter:creator" content="@a"><meta itemprop="x" content="y"><meta name="parsely-pub-date" content="2025"></head><body><meta name="robots" content="no"><p>t</p></body></html>"#
        );
        // Before any element of the body, a `<meta>` belongs to the head even without one.
        assert_eq!(
            prepare(r#"<title>T</title><meta name="keywords" content="k"><div><meta name="keywords" content="k"></div>"#).html,
            r#"<title>T</title><div><meta name="keywords" content="k"></div>"#
        );
    }

    #[test]
    fn only_the_canonical_link_is_kept() {
        let page =
            r#"<link rel="stylesheet" href="s.css"><link rel=canonical href="https://x.org/a">"#;
        assert_eq!(
            prepare(page).html,
            r#"<link rel=canonical href="https://x.org/a">"#
        );
    }

    #[test]
    fn whitespace_runs_become_one_except_when_preformatted() {
        let page = "<b>a  b\t\n\n  c d</b>\n   <pre> x\n\n  y </pre>";
        assert_eq!(prepare(page).html, "<b>a b\nc d</b>\n<pre> x\n\n  y </pre>");
    }

    #[test]
    fn whitespace_alone_beside_a_block_tag_goes_between_inline_tags_stays() {
        let page = "<div>\n  <p>a <b>b</b> <i>c</i></p>\n</div> <span>d</span>";
        assert_eq!(
            prepare(page).html,
            "<div><p>a <b>b</b> <i>c</i></p></div><span>d</span>"
        );
        // A comment dropped between words leaves the space that was beside it.
        let page = "<div>By<!-- --> <!-- -->Reuters</div>\n<pre> </pre>";
        assert_eq!(prepare(page).html, "<div>By Reuters</div><pre> </pre>");
    }

    #[test]
    fn small_furniture_goes_whole_before_parsing() {
        let page = r#"<div class="share-bar"><a href="/s">Share</a><div>x</div></div><p>Text</p><footer>(c) Paper</footer>"#;
        assert_eq!(prepare(page).html, "<p>Text</p>");
        // Furniture by `id` when its `class` names none, in any case.
        assert_eq!(
            prepare(r#"<div class=box ID="Newsletter">Sign up</div>"#).html,
            ""
        );
    }

    #[test]
    fn furniture_stays_for_boxes_when_something_reads_it_or_it_is_large() {
        for page in [
            // A "related" rail: `boxes` keeps its links.
            r#"<div class=related><a href=/a>One story</a></div>"#,
            // The `class` is asked before the `id`, as `boxes` does.
            r#"<div id=share class=related-links>Text</div>"#,
            // A box label, a byline, a time: read before furniture goes.
            r#"<div class=promo><b>Key Takeaways</b><p>"We talk."</p></div>"#,
            r#"<div class=social><span class=BYLINE>By Ann</span></div>"#,
            r#"<div class=social><time datetime=2025-01-02>Jan 2</time></div>"#,
            // A character reference: the decoded words are not those written.
            r#"<div class="&#115;hare ad">Text</div>"#,
            // Unclosed: it would take the rest of the page.
            r#"<div class=share>Share<p>Text"#,
        ] {
            assert_eq!(prepare(page).html, page);
        }
        let large = format!(
            r#"<div class=comments><p>{}</p></div>"#,
            "word ".repeat(400)
        );
        assert_eq!(prepare(&large).html, large);
    }

    #[test]
    fn empty_inline_elements_are_taken_back_blocks_and_anchors_stay() {
        let page = r#"<p>a<span class="icon"></span> b<b><i></i></b>c<span> </span>d</p>"#;
        assert_eq!(prepare(page).html, "<p>a bc<span> </span>d</p>");
        for kept in [
            "<div></div>",
            "<a name=top></a>",
            r#"<time datetime=2025-01-02></time>"#,
            r#"<span class=byline></span>"#,
            "<td></td>",
        ] {
            assert_eq!(prepare(kept).html, kept);
        }
    }

    #[test]
    fn navigation_goes_whole_unless_unclosed() {
        let page =
            "<nav><ul><li><nav>Sub</nav></li></ul>Home</nav><p>Text</p><button>Share</button>";
        assert_eq!(prepare(page).html, "<p>Text</p>");
        assert_eq!(prepare("<nav>Home<p>Text").html, "<nav>Home<p>Text");
    }
}

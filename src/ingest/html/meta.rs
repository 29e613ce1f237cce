//! What a page says about its article, in order of trust: JSON-LD (`NewsArticle`, `Article`
//! and their kin), then OpenGraph, Twitter and `article:*` meta tags, then `<title>`, `<time>`
//! and byline markup.
//!
//! JSON-LD is written for search engines from the publisher's own database, so it is the most
//! exact; meta tags come next; markup is the last resort. Every web address is made absolute
//! against the page's own address and kept only if it is `http` or `https`.

use std::collections::HashMap;

use dom_query::{Document, NodeRef};
use serde_json::Value;
use url::Url;

use super::body::collapse;
use crate::ingest::header;

/// The metadata of a page; every field is optional.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    pub title: Option<String>,
    pub dek: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    pub updated: Option<String>,
    pub source_url: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
}

/// JSON-LD types that describe an article.
const ARTICLE_TYPES: &[&str] = &[
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
];

/// Reads the metadata of a parsed page and its JSON-LD scripts.
pub fn read(doc: &Document, json_ld: &[String]) -> PageMeta {
    let ld = json_ld
        .iter()
        .filter_map(|text| serde_json::from_str::<Value>(text.trim()).ok())
        .find_map(|value| find_article(&value).cloned())
        .unwrap_or(Value::Null);
    let markup = Markup::read(doc);
    let tag = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| markup.tags.get(*k).filter(|v| !v.is_empty()).cloned())
    };
    let base = base_url(&markup, &ld, &tag(&["og:url"]));
    let absolute = |raw: Option<String>| raw.and_then(|r| absolute_url(base.as_ref(), &r));
    let outlet = ld_name(&ld["publisher"]).or_else(|| tag(&["og:site_name", "application-name"]));
    let page_title = markup.title.clone().unwrap_or_default();
    PageMeta {
        title: title(&ld, &tag, &collapse(&page_title), outlet.as_deref()),
        dek: ld_text(&ld["description"])
            .or_else(|| tag(&["og:description", "description", "twitter:description"])),
        author: ld_author(&ld["author"])
            .or_else(|| tag(&["author", "article:author", "parsely-author", "dc.creator"]))
            .filter(|a| !a.contains("://"))
            .or_else(|| byline(doc)),
        outlet: outlet.or_else(|| header::split_site_name(&collapse(&page_title)).outlet),
        date: ld_text(&ld["datePublished"])
            .or_else(|| {
                tag(&[
                    "article:published_time",
                    "og:published_time",
                    "datepublished",
                    "pubdate",
                    "publishdate",
                    "parsely-pub-date",
                    "dc.date",
                    "date",
                ])
            })
            .or_else(|| markup.time.clone())
            .as_deref()
            .and_then(day),
        updated: ld_text(&ld["dateModified"])
            .or_else(|| tag(&["article:modified_time", "og:updated_time", "datemodified"]))
            .as_deref()
            .and_then(day),
        source_url: markup
            .canonical
            .clone()
            .or_else(|| tag(&["og:url"]))
            .or_else(|| ld_url(&ld["mainEntityOfPage"]))
            .or_else(|| ld_text(&ld["url"]))
            .and_then(|u| absolute_url(base.as_ref(), &u)),
        image: absolute(ld_url(&ld["image"])).or_else(|| {
            absolute(tag(&[
                "og:image",
                "og:image:url",
                "twitter:image",
                "twitter:image:src",
            ]))
        }),
        language: language(&markup, &ld, &tag),
    }
}

/// The headline: JSON-LD's as written; a meta or `<title>` one without the site name it
/// often carries.
fn title(
    ld: &Value,
    tag: &impl Fn(&[&str]) -> Option<String>,
    page_title: &str,
    outlet: Option<&str>,
) -> Option<String> {
    if let Some(headline) = ld_text(&ld["headline"]) {
        return Some(headline);
    }
    let same_site = |site: &str| {
        outlet.is_none_or(|o| {
            let (o, s) = (o.to_lowercase(), site.to_lowercase());
            o.contains(&s) || s.contains(&o)
        })
    };
    let meta = tag(&["og:title", "twitter:title"]).map(|t| {
        let split = header::split_site_name(&t);
        match split.outlet {
            Some(site) if outlet.is_some() && same_site(&site) => split.title,
            _ => t,
        }
    });
    meta.or_else(|| {
        let split = header::split_site_name(page_title);
        (!split.title.is_empty()).then_some(split.title)
    })
}

/// The first article object in a JSON-LD value (arrays and `@graph` searched).
fn find_article(value: &Value) -> Option<&Value> {
    match value {
        Value::Array(items) => items.iter().find_map(find_article),
        Value::Object(map) => {
            let is_article = match map.get("@type") {
                Some(Value::String(t)) => is_article_type(t),
                Some(Value::Array(types)) => types
                    .iter()
                    .any(|t| t.as_str().is_some_and(is_article_type)),
                _ => false,
            };
            if is_article {
                return Some(value);
            }
            map.get("@graph").and_then(find_article)
        }
        _ => None,
    }
}

fn is_article_type(name: &str) -> bool {
    let name = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    ARTICLE_TYPES.contains(&name.as_str())
}

/// A JSON-LD string value, whitespace collapsed; `None` when empty or not a string.
fn ld_text(value: &Value) -> Option<String> {
    value.as_str().map(collapse).filter(|text| !text.is_empty())
}

/// A name: a string, or an object's `name`.
fn ld_name(value: &Value) -> Option<String> {
    ld_text(value).or_else(|| ld_text(&value["name"]))
}

/// One or several authors, as "A, B and C".
fn ld_author(value: &Value) -> Option<String> {
    let names: Vec<String> = match value {
        Value::Array(items) => items.iter().filter_map(ld_name).collect(),
        other => ld_name(other).into_iter().collect(),
    };
    match names.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

/// A URL: a string, an object's `url` or `@id`, or the first of a list.
fn ld_url(value: &Value) -> Option<String> {
    match value {
        Value::Array(items) => items.iter().find_map(ld_url),
        other => ld_text(other)
            .or_else(|| ld_text(&other["url"]))
            .or_else(|| ld_text(&other["@id"])),
    }
}

/// What the markup says besides JSON-LD, read in one walk over the page.
#[derive(Debug, Default)]
struct Markup {
    /// `<meta>` values by lowercase `property`, `name` or `itemprop`; the first of each wins.
    tags: HashMap<String, String>,
    /// The first `<title>`'s text.
    title: Option<String>,
    /// The first `<link rel=canonical>`'s address.
    canonical: Option<String>,
    /// The first `<time datetime>`'s value.
    time: Option<String>,
    /// `<html lang>`.
    lang: Option<String>,
}

impl Markup {
    fn read(doc: &Document) -> Markup {
        let mut found = Markup::default();
        for node in doc.root().descendants_it() {
            let Some(element) = node.element_ref() else {
                continue;
            };
            let attr = |name: &str| {
                element
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == name)
                    .map(|a| a.value.to_string())
            };
            let first = |slot: &Option<String>, value: Option<String>| slot.clone().or(value);
            match &*element.name.local {
                "meta" => found.add_tag(attr("content"), || {
                    ["property", "name", "itemprop"]
                        .iter()
                        .find_map(|k| attr(k))
                }),
                "link" if found.canonical.is_none() && is_canonical(attr("rel")) => {
                    found.canonical = attr("href").map(|href| href.trim().to_string());
                }
                "title" if found.title.is_none() => found.title = Some(node.text().to_string()),
                "time" => found.time = first(&found.time, attr("datetime")),
                "html" => found.lang = first(&found.lang, attr("lang")),
                _ => {}
            }
        }
        found
    }

    fn add_tag(&mut self, content: Option<String>, key: impl Fn() -> Option<String>) {
        let Some(content) = content else {
            return;
        };
        if let Some(key) = key() {
            self.tags
                .entry(key.to_ascii_lowercase())
                .or_insert_with(|| collapse(&content));
        }
    }
}

fn is_canonical(rel: Option<String>) -> bool {
    rel.is_some_and(|rel| {
        rel.split_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
    })
}

/// The page's own address, against which relative links are read.
fn base_url(markup: &Markup, ld: &Value, og_url: &Option<String>) -> Option<Url> {
    markup
        .canonical
        .clone()
        .into_iter()
        .chain(og_url.clone())
        .chain(ld_url(&ld["mainEntityOfPage"]))
        .chain(ld_text(&ld["url"]))
        .filter_map(|u| Url::parse(&u).ok())
        .find(|u| matches!(u.scheme(), "http" | "https"))
}

/// `raw` made absolute against `base`, if it then is a web address.
pub fn absolute_url(base: Option<&Url>, raw: &str) -> Option<String> {
    let raw = raw.trim();
    let url = match base {
        Some(base) => base.join(raw).ok()?,
        None => Url::parse(raw).ok()?,
    };
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// A `YYYY-MM-DD` day from an ISO 8601 timestamp or a date as people write it.
fn day(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let prefix = raw.get(..10).unwrap_or(raw);
    if chrono::NaiveDate::parse_from_str(prefix, "%Y-%m-%d").is_ok() {
        return Some(prefix.to_string());
    }
    header::date(raw)
}

/// The author from byline markup: `rel=author`, `itemprop=author`, a `byline` class.
fn byline(doc: &Document) -> Option<String> {
    // Asked only when nothing else names the author: one walk finds the first element of
    // each kind, instead of a selector's walk for each.
    let mut found: [Option<NodeRef>; BYLINE_KINDS.len()] = Default::default();
    for node in doc.root().descendants_it().filter(NodeRef::is_element) {
        for (slot, is_kind) in found.iter_mut().zip(BYLINE_KINDS) {
            if slot.is_none() && is_kind(&node) {
                *slot = Some(node);
            }
        }
    }
    found.iter().flatten().find_map(|node| {
        let text = collapse(&node.text());
        let name = header::byline(&text).unwrap_or(text);
        let words = name.split(' ').count();
        (!name.is_empty() && words <= 6).then_some(name)
    })
}

/// Where a byline may be, most trusted first, as the selectors `[itemprop=author]
/// [itemprop=name]`, `[rel=author]`, `[itemprop=author]`, `.byline` and `.author` (classes
/// compared as in a page without a doctype, as `prepare` leaves them: in any case).
const BYLINE_KINDS: [fn(&NodeRef) -> bool; 5] = [
    |node| {
        has_attr(node, "itemprop", "name")
            && node
                .ancestors_it(None)
                .any(|a| has_attr(&a, "itemprop", "author"))
    },
    |node| has_attr(node, "rel", "author"),
    |node| has_attr(node, "itemprop", "author"),
    |node| has_class(node, "byline"),
    |node| has_class(node, "author"),
];

fn has_attr(node: &NodeRef, name: &str, value: &str) -> bool {
    node.element_ref().is_some_and(|e| {
        e.attrs
            .iter()
            .any(|a| &*a.name.local == name && &*a.value == value)
    })
}

fn has_class(node: &NodeRef, class: &str) -> bool {
    node.element_ref().is_some_and(|e| {
        e.attrs.iter().any(|a| {
            &*a.name.local == "class"
                && a.value
                    .split_ascii_whitespace()
                    .any(|c| c.eq_ignore_ascii_case(class))
        })
    })
}

/// The page's language: `<html lang>`, JSON-LD `inLanguage`, `og:locale`.
fn language(
    markup: &Markup,
    ld: &Value,
    tag: &impl Fn(&[&str]) -> Option<String>,
) -> Option<String> {
    markup
        .lang
        .clone()
        .or_else(|| ld_text(&ld["inLanguage"]))
        .or_else(|| tag(&["og:locale", "content-language", "language"]))
        .map(|l| l.trim().replace('_', "-"))
        .filter(|l| {
            (2..=35).contains(&l.len()) && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta_of(html: &str) -> PageMeta {
        let prepared = super::super::prepare::prepare(html);
        read(&Document::from(prepared.html.as_str()), &prepared.json_ld)
    }

    #[test]
    fn json_ld_wins_over_meta_tags() {
        let page = r#"<html lang="en-GB"><head><title>Page title - Site</title>
            <meta property="og:title" content="OG title">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"x"},{"@type":["NewsArticle"],"headline":"LD headline","author":[{"@type":"Person","name":"A One"},{"name":"B Two"}],"publisher":{"name":"The Paper"},"datePublished":"2025-08-18T10:31:00+02:00","dateModified":"2025-08-19","image":{"url":"/lead.jpg"},"mainEntityOfPage":{"@id":"https://paper.example/a"}}]}</script>
            </head><body></body></html>"#;
        let meta = meta_of(page);
        assert_eq!(meta.title.as_deref(), Some("LD headline"));
        assert_eq!(meta.author.as_deref(), Some("A One and B Two"));
        assert_eq!(meta.outlet.as_deref(), Some("The Paper"));
        assert_eq!(meta.date.as_deref(), Some("2025-08-18"));
        assert_eq!(meta.updated.as_deref(), Some("2025-08-19"));
        assert_eq!(meta.source_url.as_deref(), Some("https://paper.example/a"));
        assert_eq!(
            meta.image.as_deref(),
            Some("https://paper.example/lead.jpg")
        );
        assert_eq!(meta.language.as_deref(), Some("en-GB"));
    }

    #[test]
    fn title_site_names_are_split_off() {
        let meta = meta_of("<title>Talks resume in Geneva | The Paper</title><p>x</p>");
        assert_eq!(meta.title.as_deref(), Some("Talks resume in Geneva"));
        assert_eq!(meta.outlet.as_deref(), Some("The Paper"));
    }

    #[test]
    fn script_urls_and_bad_dates_are_dropped() {
        let meta = meta_of(
            r#"<meta property="og:image" content="javascript:alert(1)"><link rel="canonical" href="data:text/html,x"><meta property="article:published_time" content="soon">"#,
        );
        assert_eq!(meta.image, None);
        assert_eq!(meta.source_url, None);
        assert_eq!(meta.date, None);
    }
}

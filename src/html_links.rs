//! Links and ids in rendered HTML, read with a real HTML parser (`tl`), shared by the build's
//! base-path guard and by `briefing check`.
//!
//! Regular expressions miss unquoted attributes, entities and comments; a parser does not.

use std::collections::BTreeSet;

/// The attributes whose values are URLs the browser loads or follows.
const URL_ATTRIBUTES: [&str; 5] = ["href", "src", "poster", "srcset", "action"];

/// The `<meta>` properties whose `content` is a URL of the site (OpenGraph, cards).
const META_URLS: [&str; 4] = ["og:url", "og:image", "twitter:image", "twitter:url"];

/// One URL in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlLink {
    /// The element, e.g. `a`, `img`, `link`.
    pub element: String,
    /// The attribute, e.g. `href`.
    pub attribute: &'static str,
    /// The URL, with HTML entities decoded.
    pub url: String,
    /// The `rel` of the element, for `<link rel="canonical">` and the like.
    pub rel: String,
}

/// What a page links to and which fragments it offers.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageLinks {
    pub links: Vec<HtmlLink>,
    /// Every `id`, and every `name` of an `<a>`: the targets of `#fragment` links.
    pub ids: BTreeSet<String>,
}

/// Reads the links and ids of an HTML page.
pub fn read(html: &str) -> Result<PageLinks, String> {
    let dom = tl::parse(html, tl::ParserOptions::default())
        .map_err(|e| format!("cannot parse the HTML: {e}"))?;
    let mut page = PageLinks::default();
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let element = tag.name().as_utf8_str().to_ascii_lowercase();
        let attributes = tag.attributes();
        let value = |name: &str| {
            attributes
                .get(name)
                .flatten()
                .map(|v| decode_entities(&v.as_utf8_str()))
        };
        if let Some(id) = value("id") {
            page.ids.insert(id);
        }
        if element == "a"
            && let Some(name) = value("name")
        {
            page.ids.insert(name);
        }
        let rel = value("rel").unwrap_or_default();
        let meta_url = element == "meta"
            && value("property")
                .or_else(|| value("name"))
                .is_some_and(|p| META_URLS.contains(&p.as_str()));
        if meta_url && let Some(url) = value("content").filter(|u| !u.trim().is_empty()) {
            page.links.push(HtmlLink {
                element: element.clone(),
                attribute: "content",
                url: url.trim().to_string(),
                rel: String::new(),
            });
        }
        for attribute in URL_ATTRIBUTES {
            let Some(raw) = value(attribute) else {
                continue;
            };
            for url in urls_of(attribute, &raw) {
                page.links.push(HtmlLink {
                    element: element.clone(),
                    attribute,
                    url,
                    rel: rel.clone(),
                });
            }
        }
    }
    Ok(page)
}

/// The URLs an attribute holds: one, or several for `srcset` (`a.png 1x, b.png 2x`).
fn urls_of(attribute: &str, value: &str) -> Vec<String> {
    if attribute == "srcset" {
        return value
            .split(',')
            .filter_map(|candidate| candidate.split_whitespace().next())
            .map(str::to_string)
            .collect();
    }
    let url = value.trim();
    if url.is_empty() {
        Vec::new()
    } else {
        vec![url.to_string()]
    }
}

/// The links of a page that start with `/` but not with the site's base path: on a site
/// published under `/repo/`, `href="/about/"` leaves the site.
pub fn escaping_links(html: &str, base_path: &str) -> Result<Vec<HtmlLink>, String> {
    if !may_escape(html, base_path) {
        return Ok(Vec::new());
    }
    Ok(read(html)?
        .links
        .into_iter()
        .filter(|link| escapes(&link.url, base_path))
        .collect())
}

/// Whether a URL is root-relative and outside the base path.
pub fn escapes(url: &str, base_path: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.starts_with(base_path)
        && url != base_path.trim_end_matches('/')
}

/// A quick scan for `="/...` values outside the base path, so that pages whose every
/// root-relative value is fine (nearly all of them) are not parsed a second time.
fn may_escape(html: &str, base_path: &str) -> bool {
    if base_path == "/" {
        return false;
    }
    html.match_indices('=').any(|(i, _)| {
        let value = html[i + 1..].trim_start_matches(['"', '\'', ' ']);
        value.starts_with('/') && escapes(value, base_path)
    })
}

/// Decodes the character references that appear in attribute values.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| Some((decode_entity(&after[..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    let number = |digits: &str, radix| u32::from_str_radix(digits, radix).ok();
    let code = match name {
        "amp" => '&' as u32,
        "lt" => '<' as u32,
        "gt" => '>' as u32,
        "quot" => '"' as u32,
        "apos" => '\'' as u32,
        _ => match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
            Some(hex) => number(hex, 16)?,
            None => number(name.strip_prefix('#')?, 10)?,
        },
    };
    char::from_u32(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_links_ids_and_srcset_with_entities_decoded() {
        let html = r#"<html><head><link rel="stylesheet" href="/r/style.css"></head>
<body><h2 id="why">Why</h2><a name="old"></a>
<a href="/r/a/?x=1&amp;y=2#why">a</a><img src=pic.png srcset="s.png 1x, l.png 2x">
<meta property="og:image" content="/r/card.png"><meta name="description" content="not a URL">
<!-- <a href="/commented/"> --></body></html>"#;
        let page = read(html).unwrap();
        let urls: Vec<&str> = page.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/r/style.css",
                "/r/a/?x=1&y=2#why",
                "pic.png",
                "s.png",
                "l.png",
                "/r/card.png"
            ]
        );
        assert_eq!(page.links[0].rel, "stylesheet");
        assert!(page.ids.contains("why") && page.ids.contains("old"));
    }

    #[test]
    fn root_relative_links_outside_the_base_path_escape() {
        let html = r#"<a href="/repo/x/">ok</a><a href="//cdn.example/x">ok</a><a href="/about/">bad</a><img src='/logo.png'>"#;
        let escaping: Vec<String> = escaping_links(html, "/repo/")
            .unwrap()
            .into_iter()
            .map(|l| l.url)
            .collect();
        assert_eq!(escaping, ["/about/", "/logo.png"]);
        assert!(escaping_links(html, "/").unwrap().is_empty());
        assert!(!may_escape(r#"<a href="/repo/">"#, "/repo/"));
        assert!(!escapes("/repo", "/repo/"));
    }

    #[test]
    fn unknown_or_broken_entities_are_kept() {
        assert_eq!(decode_entities("a&#39;b&#x2F;&nope;&"), "a'b/&nope;&");
    }
}

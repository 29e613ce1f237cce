//! The base-path guard: a rendered page may not hold a root-relative link outside the base
//! path, because on a site published under `/repo/` such a link leaves the site.
//!
//! Templates make links with `url()`, which knows the base path; this guard catches the ones
//! written by hand (`href="/about/"`), and names the template and line they come from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::Diagnostic;
use crate::html_links::{HtmlLink, escaping_links};

/// Fails with a diagnostic naming the template (and line, when the link is in its text) when
/// `html`, rendered from `template`, links outside `base_path`.
pub fn check(
    html: &str,
    base_path: &str,
    template: &str,
    sources: &BTreeMap<String, (PathBuf, String)>,
) -> Result<(), Diagnostic> {
    // A page the parser cannot read is left to the browser checks: the guard only forbids.
    let escaping = escaping_links(html, base_path).unwrap_or_default();
    let Some(first) = escaping.first() else {
        return Ok(());
    };
    let more = match escaping.len() - 1 {
        0 => String::new(),
        n => format!(" ({n} more on this page)"),
    };
    let message = format!(
        "`{}` in <{} {}> is a root-relative link outside the base path `{base_path}`, so it breaks when the site is published under a sub-path: write it as {{{{ url(path=\"{}\") }}}}{more}",
        first.url,
        first.element,
        first.attribute,
        first.url.trim_start_matches('/'),
    );
    let searched = std::iter::once(template).chain(
        sources
            .keys()
            .map(String::as_str)
            .filter(|n| *n != template),
    );
    for name in searched {
        let Some((path, text)) = sources.get(name) else {
            continue;
        };
        if let Some(offset) = find_in_template(text, first) {
            return Err(Diagnostic::error(path, message).at_offset(text, offset, 1));
        }
    }
    let path = sources
        .get(template)
        .map_or_else(|| PathBuf::from(template), |(path, _)| path.clone());
    Err(Diagnostic::error(
        path,
        format!(
            "{message}; the link is not in the template's text but in a value it shows (an article body, front matter or site.toml)"
        ),
    ))
}

/// Where the template text writes the link: the whole value, or the literal start of a value
/// that goes on with an expression (`href="/x/{{ slug }}"`).
fn find_in_template(text: &str, link: &HtmlLink) -> Option<usize> {
    let url = link.url.as_str();
    for quote in ["\"", "'", ""] {
        let pattern = format!("={quote}{url}{quote}");
        if let Some(i) = text.find(&pattern) {
            return Some(i + 1 + quote.len());
        }
    }
    text.match_indices('=')
        .filter_map(|(i, _)| {
            let value_start = i + 1 + usize::from(text[i + 1..].starts_with(['"', '\'']));
            let value = &text[value_start..];
            let literal_len = value
                .find(['"', '\'', '{', ' ', '>'])
                .unwrap_or(value.len());
            let literal = &value[..literal_len];
            (literal.len() > 1 && literal.starts_with('/') && url.starts_with(literal))
                .then_some((literal.len(), value_start))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, offset)| offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(templates: &[(&str, &str)]) -> BTreeMap<String, (PathBuf, String)> {
        templates
            .iter()
            .map(|(name, text)| {
                let path = PathBuf::from(format!("themes/t/templates/{name}"));
                (name.to_string(), (path, text.to_string()))
            })
            .collect()
    }

    #[test]
    fn a_hand_written_link_is_found_in_the_parent_template_with_its_line() {
        let sources = sources(&[
            ("page.html", "{% extends \"base.html\" %}"),
            (
                "base.html",
                "<head>\n<link href=\"/repo/a.css\">\n<a href=\"/about/\">",
            ),
        ]);
        let html = "<link href=\"/repo/a.css\"><a href=\"/about/\">";
        let err = check(html, "/repo/", "page.html", &sources).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("themes/t/templates/base.html:3:10: `/about/`"),
            "{message}"
        );
        assert!(message.contains("url(path=\"about/\")"), "{message}");
        assert!(check(html, "/", "page.html", &sources).is_ok());
    }

    #[test]
    fn a_link_built_from_a_literal_and_a_value_points_at_the_literal() {
        let sources = sources(&[("tag.html", "<p>\n<a href=\"/tags/{{ slug }}/\">")]);
        let err = check("<a href=\"/tags/x/\">", "/repo/", "tag.html", &sources).unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(10)));
    }

    #[test]
    fn a_link_from_a_value_names_the_template_without_a_line() {
        let sources = sources(&[("article.html", "{{ body | safe }}")]);
        let err = check("<img src=\"/x.png\">", "/repo/", "article.html", &sources).unwrap_err();
        assert_eq!(err.line, None);
        assert!(
            err.message.contains("in a value it shows"),
            "{}",
            err.message
        );
    }
}

//! Links between articles: `[see](other.md)` in a body becomes the link to that article's page.
//!
//! An article's URL depends on its slug, which is known only once every file is read, so
//! Markdown rendering leaves a marker for each local link and this pass, run on the loaded
//! articles before the site is assembled, puts the URL in. Root-relative site paths in bodies
//! (`/topics/x/`) get the base path here too, so they work on a site published under `/repo/`.

use std::collections::HashMap;
use std::path::Path;

use crate::content::markdown::html_escape;
use crate::error::Diagnostic;
use crate::html_links;
use crate::model::{Article, LinkTarget, LocalLink};
use crate::urls::BaseUrl;

/// The folder that `@/` links start from, relative to the site root.
const CONTENT_DIR: &str = "content";

/// Puts the URL of every local link into the articles' HTML; a link to a Markdown file that is
/// not a published article is left as written, with a warning naming the file and line. Raw
/// HTML links outside the base path, which no pass can fix, are errors naming the article.
pub fn resolve(articles: &mut [Article], base_url: &BaseUrl) -> Vec<Diagnostic> {
    let pages = page_urls(articles, base_url);
    articles
        .iter_mut()
        .flat_map(|article| resolve_in(article, &pages, base_url))
        .collect()
}

/// `resolve` for one article newly read into a site whose articles are `site_articles`
/// (`serve`'s fast pass, after an edit that kept the article's slug).
pub fn resolve_one(
    article: &mut Article,
    site_articles: &[Article],
    base_url: &BaseUrl,
) -> Vec<Diagnostic> {
    if article.local_links.is_empty() {
        return escaping_raw_html(article, base_url);
    }
    resolve_in(article, &page_urls(site_articles, base_url), base_url)
}

/// Each article's page URL by its source path.
fn page_urls(articles: &[Article], base_url: &BaseUrl) -> HashMap<String, String> {
    articles
        .iter()
        .map(|a| (slash_path(&a.source), base_url.link(&a.site_path())))
        .collect()
}

fn resolve_in(
    article: &mut Article,
    pages: &HashMap<String, String>,
    base_url: &BaseUrl,
) -> Vec<Diagnostic> {
    let mut diagnostics = escaping_raw_html(article, base_url);
    if article.local_links.is_empty() {
        return diagnostics;
    }
    let from = slash_path(&article.source);
    let urls: Vec<String> = article
        .local_links
        .iter()
        .map(|link| {
            url_of(link, &from, pages, base_url).unwrap_or_else(|missing| {
                diagnostics.push(missing_article(&article.source, link, &missing));
                link.written.clone()
            })
        })
        .collect();
    article.body_html = replace_markers(&article.body_html, &urls);
    diagnostics
}

/// Raw HTML in a body (`<a href="/x">`) is not rewritten, so a root-relative link there would
/// leave a site published under a sub-path; the template guard would stop the build, but only
/// the article can be fixed.
fn escaping_raw_html(article: &Article, base_url: &BaseUrl) -> Vec<Diagnostic> {
    let escaping =
        html_links::escaping_links(&article.body_html, &base_url.path).unwrap_or_default();
    escaping
        .into_iter()
        .map(|link| {
            Diagnostic::error(
                &article.source,
                format!(
                    "raw HTML links to `{}`, outside the base path `{}`: write it as a Markdown link, `[text]({})`, which gets the base path",
                    link.url, base_url.path, link.url
                ),
            )
        })
        .collect()
}

/// The URL a link resolves to, or the file it names when that is not a published article.
fn url_of(
    link: &LocalLink,
    from: &str,
    pages: &HashMap<String, String>,
    base_url: &BaseUrl,
) -> Result<String, String> {
    match &link.target {
        LinkTarget::SitePath(path) => Ok(site_path_url(path, base_url)),
        LinkTarget::Article { path, fragment } => {
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let file = match decoded.strip_prefix("@/") {
                Some(in_content) => crate::urls::join_path(CONTENT_DIR, in_content),
                None => crate::urls::join_path(parent_of(from), &decoded),
            };
            let page = pages.get(&file).ok_or(file)?;
            Ok(if fragment.is_empty() {
                page.clone()
            } else {
                format!("{page}#{fragment}")
            })
        }
    }
}

/// A root-relative path gets the base path, unless it already starts with it.
fn site_path_url(path: &str, base_url: &BaseUrl) -> String {
    let base = base_url.path.trim_end_matches('/');
    let already_based = path == base || path.starts_with(&base_url.path);
    if already_based {
        path.to_string()
    } else {
        base_url.link(path)
    }
}

fn missing_article(source: &Path, link: &LocalLink, file: &str) -> Diagnostic {
    let mut warning = Diagnostic::warning(
        source,
        format!(
            "link to `{}`: there is no published article at {file} (misspelled, moved, or a draft?); the link is left as written",
            link.written
        ),
    );
    warning.line = Some(link.line);
    warning
}

/// A path with `/` separators, as links write them.
fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(parent, _)| parent)
}

/// Replaces each quoted `LocalLink::marker` in `html` by its URL, escaped for an attribute.
fn replace_markers(html: &str, urls: &[String]) -> String {
    let prefix = format!("\"{}", LocalLink::marker(0).trim_end_matches('0'));
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(&prefix) {
        let after = &rest[start + prefix.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let url = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|i| urls.get(i))
            .filter(|_| after[digits..].starts_with('"'));
        out.push_str(&rest[..start + 1]);
        match url {
            Some(url) => {
                out.push_str(&html_escape(url));
                rest = &after[digits..];
            }
            None => rest = &rest[start + 1..],
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::Highlighter;
    use crate::content::parse_article;
    use crate::urls::parse_base_url;

    fn article(path: &str, text: &str) -> Article {
        parse_article(text, Path::new(path), &Highlighter::default()).unwrap()
    }

    #[test]
    fn markdown_links_become_article_urls_under_the_base_path() {
        let mut articles = vec![
            article(
                "content/a.md",
                "+++\ntitle = \"A\"\n+++\nSee [b](b.md#why), [c](sub/c.md) and [topics](/topics/).\n",
            ),
            article("content/b.md", "+++\ntitle = \"Bee\"\n+++\n[a](@/a.md)\n"),
            article(
                "content/sub/c.md",
                "+++\ntitle = \"C\"\n+++\n[a](../a.md)\n",
            ),
        ];
        let base = parse_base_url("https://x.github.io/repo/").unwrap();
        let warnings = resolve(&mut articles, &base);
        assert!(warnings.is_empty(), "{warnings:?}");
        let a = &articles[0].body_html;
        assert!(a.contains("href=\"/repo/articles/bee/#why\""), "{a}");
        assert!(a.contains("href=\"/repo/articles/c/\""), "{a}");
        assert!(a.contains("href=\"/repo/topics/\""), "{a}");
        assert!(articles[1].body_html.contains("href=\"/repo/articles/a/\""));
        assert!(articles[2].body_html.contains("href=\"/repo/articles/a/\""));
    }

    #[test]
    fn a_missing_article_is_a_warning_with_file_and_line_and_the_link_stays() {
        let mut articles = vec![article(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\nIntro\n\nSee [gone](gone.md).\n",
        )];
        let base = parse_base_url("https://x.org/").unwrap();
        let warnings = resolve(&mut articles, &base);
        assert_eq!(warnings.len(), 1);
        let message = warnings[0].to_string();
        assert!(message.starts_with("content/a.md:6: warning:"), "{message}");
        assert!(message.contains("content/gone.md"), "{message}");
        assert!(articles[0].body_html.contains("href=\"gone.md\""));
    }

    #[test]
    fn raw_html_links_outside_the_base_path_are_errors_naming_the_article() {
        let mut articles = vec![article(
            "content/a.md",
            "+++\ntitle = \"A\"\n+++\n<a href=\"/about/\">about</a> and [ok](/about/)\n",
        )];
        let base = parse_base_url("https://x.org/repo/").unwrap();
        let errors = resolve(&mut articles, &base);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].is_error());
        assert!(
            errors[0]
                .to_string()
                .starts_with("content/a.md: raw HTML links to `/about/`")
        );
        let root = parse_base_url("https://x.org/").unwrap();
        assert!(resolve(&mut articles, &root).is_empty());
    }

    #[test]
    fn paths_already_under_the_base_path_are_kept() {
        let base = parse_base_url("https://x.org/repo/").unwrap();
        assert_eq!(site_path_url("/repo/tags/", &base), "/repo/tags/");
        assert_eq!(site_path_url("/repo", &base), "/repo");
        assert_eq!(site_path_url("/tags/", &base), "/repo/tags/");
    }

    #[test]
    fn markers_not_made_by_the_renderer_are_left_alone() {
        let html = "<a href=\"briefing-link-7\">x</a><a href=\"briefing-link-0x\">";
        assert_eq!(replace_markers(html, &["/a/".into()]), html);
    }
}

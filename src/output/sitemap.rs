//! `sitemap.xml`, the Google News sitemap `news-sitemap.xml`, and `robots.txt` naming both.
//!
//! Search engines find the pages through these files, so they list every page exactly once, by
//! the same canonical URL the page declares, and say when it last changed. The page list comes
//! from the site model through `site_pages`, the same list the renderer turns into pages.

use std::io;

use chrono::{Duration, SecondsFormat};

use crate::error::{BuildError, Diagnostic};
use crate::model::{Article, ArticleDate, ArticleId, Site};
use crate::output::feeds::{element, finish, xml_writer};
use crate::render::RenderedFile;
use crate::render::pagination::page_path;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
/// Google News reads only the articles of the last two days.
const NEWS_WINDOW_HOURS: i64 = 48;

/// A page of the site and when it last changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    /// The site path, e.g. `articles/x/` (the home page is `""`).
    pub site_path: String,
    pub lastmod: Option<ArticleDate>,
}

/// Every HTML page the site has (not the 404 page), in a stable order: the front page and the
/// pages of its list, the lists of topics and tags, the search page, then articles, and the
/// pages of each topic, tag and section list.
pub fn site_pages(site: &Site) -> Vec<SitePage> {
    let per_page = site.config.config.paginate_by;
    let every_article: Vec<ArticleId> = (0..site.articles.len())
        .map(|i| ArticleId(i as u32))
        .collect();
    let newest = site.articles.first().and_then(last_change);
    let front_page = site.front_page;
    let shown = site.duplicates.shown(&every_article);
    let mut pages = list_pages(site, "", front_page.listed(&shown), front_page.per_page);
    pages.push(page("topics/", newest));
    pages.push(page("tags/", newest));
    pages.push(page("entities/", newest));
    pages.push(page(crate::output::search::SEARCH_PAGE, None));
    pages.extend(
        site.articles
            .iter()
            .map(|a| page(&a.site_path(), last_change(a))),
    );
    for topic in &site.topics {
        pages.extend(list_pages(
            site,
            &topic.site_path(),
            &topic.articles,
            per_page,
        ));
    }
    for tag in &site.tags {
        pages.extend(list_pages(site, &tag.site_path(), &tag.articles, per_page));
    }
    for entity in &site.entities.list {
        let lastmod = entity
            .articles
            .first()
            .and_then(|id| last_change(site.article(*id)));
        pages.push(page(&entity.site_path(), lastmod));
    }
    pages.push(page(crate::render::ARCHIVE_PAGE, newest));
    for month in &site.archive {
        pages.extend(list_pages(
            site,
            &month.site_path(),
            &month.articles,
            per_page,
        ));
    }
    for section in &site.sections {
        let per_page = section.paginate_by.unwrap_or(per_page);
        pages.extend(list_pages(
            site,
            &section.site_path,
            &section.articles,
            per_page,
        ));
    }
    pages
}

/// The pages of a paginated list (as `render` cuts it: a story from several outlets is
/// listed once), each last changed when its newest article did.
fn list_pages(site: &Site, site_path: &str, ids: &[ArticleId], per_page: usize) -> Vec<SitePage> {
    let ids = site.duplicates.shown(ids);
    if ids.is_empty() {
        return vec![page(site_path, None)];
    }
    ids.chunks(per_page.max(1))
        .enumerate()
        .map(|(i, chunk)| {
            let lastmod = chunk
                .iter()
                .filter_map(|id| last_change(site.article(*id)))
                .max_by_key(ArticleDate::moment);
            page(&page_path(site_path, i + 1), lastmod)
        })
        .collect()
}

fn page(site_path: &str, lastmod: Option<ArticleDate>) -> SitePage {
    SitePage {
        site_path: site_path.to_string(),
        lastmod,
    }
}

/// When an article last changed: its `updated` date, else its date.
fn last_change(article: &Article) -> Option<ArticleDate> {
    match (article.updated, article.date) {
        (Some(u), Some(d)) if u.moment() < d.moment() => Some(d),
        (updated, date) => updated.or(date),
    }
}

/// Renders `sitemap.xml`, `news-sitemap.xml` and `robots.txt`.
pub fn render_sitemaps(site: &Site) -> Result<Vec<RenderedFile>, BuildError> {
    let fail = |path: &str, e: io::Error| {
        BuildError::Output(Diagnostic::error(path, format!("cannot write: {e}")))
    };
    let sitemap = write_sitemap(site).map_err(|e| fail("sitemap.xml", e))?;
    let news = write_news_sitemap(site).map_err(|e| fail("news-sitemap.xml", e))?;
    Ok(vec![
        RenderedFile::new("sitemap.xml", sitemap),
        RenderedFile::new("news-sitemap.xml", news),
        RenderedFile::new("robots.txt", robots_txt(site)),
    ])
}

fn write_sitemap(site: &Site) -> io::Result<Vec<u8>> {
    let base = &site.config.base_url;
    let mut w = xml_writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for page in site_pages(site) {
                w.create_element("url").write_inner_content(|w| {
                    element(w, "loc", &base.absolute(&page.site_path))?;
                    if let Some(lastmod) = page.lastmod {
                        element(w, "lastmod", &w3c_datetime(lastmod))?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// `2025-08-18` for a day, `2025-08-18T10:31:00+00:00` for a moment: both W3C Datetime.
fn w3c_datetime(date: ArticleDate) -> String {
    match date {
        ArticleDate::Day(_) => date.to_rfc3339(),
        ArticleDate::Moment(moment) => moment.to_rfc3339_opts(SecondsFormat::Secs, false),
    }
}

/// The articles of the two days up to the newest article, newest first.
///
/// The window ends at the newest article rather than at the clock, so the same content always
/// gives the same file; on a briefing that is kept up to date the two are the same day.
pub fn news_articles(site: &Site) -> Vec<&Article> {
    let Some(newest) = site.articles.first().and_then(|a| a.date) else {
        return Vec::new();
    };
    let since = newest.moment() - Duration::hours(NEWS_WINDOW_HOURS);
    site.articles
        .iter()
        .take_while(|a| a.date.is_some_and(|d| d.moment() >= since))
        .collect()
}

fn write_news_sitemap(site: &Site) -> io::Result<Vec<u8>> {
    let config = &site.config.config;
    let base = &site.config.base_url;
    let mut w = xml_writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .with_attribute(("xmlns:news", NEWS_NS))
        .write_inner_content(|w| {
            for article in news_articles(site) {
                let Some(date) = article.date else { continue };
                w.create_element("url").write_inner_content(|w| {
                    element(w, "loc", &base.absolute(&article.site_path()))?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication")
                            .write_inner_content(|w| {
                                element(w, "news:name", &config.title)?;
                                element(w, "news:language", &news_language(&config.language))
                            })?;
                        element(w, "news:publication_date", &w3c_datetime(date))?;
                        element(w, "news:title", &article.title)
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// Google News wants an ISO 639 code (`en`), or `zh-cn` / `zh-tw`; `en-GB` becomes `en`.
fn news_language(language: &str) -> String {
    let lower = language.trim().to_ascii_lowercase().replace('_', "-");
    if lower == "zh-cn" || lower == "zh-tw" {
        return lower;
    }
    let primary = lower.split('-').next().unwrap_or("");
    if (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase()) {
        primary.to_string()
    } else {
        "en".to_string()
    }
}

/// `robots.txt`: crawl everything, and where the sitemaps are. Crawlers read it only at the
/// host's root, so on a site under a sub-path it only helps if copied there.
fn robots_txt(site: &Site) -> String {
    let base = &site.config.base_url;
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\nSitemap: {}\n",
        base.absolute("sitemap.xml"),
        base.absolute("news-sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::date_from_str;
    use crate::output::{test_article, test_site};

    const SITE: &str =
        "title = \"T\"\nbase_url = \"https://x.org/sub/\"\nlanguage = \"en-GB\"\npaginate_by = 3\n";

    fn site() -> Site {
        let mut updated = test_article("Updated", Some("2025-03-01T10:00:00Z"), &["Talks"]);
        updated.updated = date_from_str("2025-03-02");
        updated.tags = vec!["Kyiv".into()];
        test_site(
            SITE,
            vec![
                updated,
                test_article("Day before", Some("2025-02-28T09:00:00Z"), &["Talks"]),
                test_article("Week before", Some("2025-02-20"), &[]),
                test_article("Undated", None, &[]),
            ],
        )
    }

    fn file<'a>(files: &'a [RenderedFile], path: &str) -> &'a str {
        let file = files.iter().find(|f| f.path == path).unwrap();
        std::str::from_utf8(&file.bytes).unwrap()
    }

    #[test]
    fn every_page_once_with_its_last_change() {
        let pages = site_pages(&site());
        let paths: Vec<&str> = pages.iter().map(|p| p.site_path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "",
                "page/2/",
                "topics/",
                "tags/",
                "entities/",
                "search/",
                "articles/updated/",
                "articles/day-before/",
                "articles/week-before/",
                "articles/undated/",
                "topics/talks/",
                "topics/story/",
                "topics/undated/",
                "tags/kyiv/",
                "archive/",
                "archive/2025/03/",
                "archive/2025/02/"
            ]
        );
        let lastmod = |path: &str| {
            pages
                .iter()
                .find(|p| p.site_path == path)
                .unwrap()
                .lastmod
                .map(|d| d.to_rfc3339())
        };
        assert_eq!(lastmod("articles/updated/").as_deref(), Some("2025-03-02"));
        assert_eq!(lastmod("topics/talks/").as_deref(), Some("2025-03-02"));
        assert_eq!(lastmod("articles/undated/"), None);
        let files = render_sitemaps(&site()).unwrap();
        let sitemap = file(&files, "sitemap.xml");
        assert_eq!(sitemap.matches("<url>").count(), paths.len());
        assert!(sitemap.contains(
            "<loc>https://x.org/sub/articles/updated/</loc>\n    <lastmod>2025-03-02</lastmod>"
        ));
        assert!(sitemap.contains(
            "<loc>https://x.org/sub/articles/day-before/</loc>\n    <lastmod>2025-02-28T09:00:00+00:00</lastmod>"
        ));
    }

    #[test]
    fn news_sitemap_holds_the_last_two_days_with_publication_details() {
        let titles: Vec<String> = news_articles(&site())
            .iter()
            .map(|a| a.title.clone())
            .collect();
        assert_eq!(titles, ["Updated", "Day before"]);
        let files = render_sitemaps(&site()).unwrap();
        let news = file(&files, "news-sitemap.xml");
        assert_eq!(news.matches("<news:news>").count(), 2);
        assert!(news.contains("<news:name>T</news:name>"));
        assert!(news.contains("<news:language>en</news:language>"));
        assert!(
            news.contains(
                "<news:publication_date>2025-03-01T10:00:00+00:00</news:publication_date>"
            )
        );
        let robots = file(&files, "robots.txt");
        assert!(robots.contains("Sitemap: https://x.org/sub/sitemap.xml\n"));
    }

    #[test]
    fn news_language_is_an_iso_639_code() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh_TW"), "zh-tw");
        assert_eq!(news_language("fil"), "fil");
        assert_eq!(news_language("??"), "en");
    }

    #[test]
    fn a_site_without_dated_articles_has_an_empty_news_sitemap() {
        let site = test_site(SITE, vec![test_article("Undated", None, &[])]);
        assert!(news_articles(&site).is_empty());
    }
}

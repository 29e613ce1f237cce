//! Typed template contexts, one struct per page kind.
//!
//! Each page gets only what it shows: list pages get `ArticleSummary`s (made once per article
//! and shared by reference), never article bodies. This keeps rendering linear in the number of
//! articles. The fields are the theme contract documented in the README.

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

use super::pagination::Pager;
use super::partial::SharedValue;
use crate::model::{
    Article, ArticleDate, Entity, EntityKind, Quote, RelatedHeadline, Site, Tag, Topic, TopicKind,
};
use crate::output::feeds::{FeedLink, feed_links};
use crate::output::search::SEARCH_PAGE;

/// The site, as every page sees it.
#[derive(Debug, Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub language: String,
    /// The absolute base URL, ending in `/`.
    pub base_url: String,
    /// The link to the front page (the base path).
    pub home_url: String,
    pub topics_url: String,
    pub tags_url: String,
    /// The archive of months.
    pub archive_url: String,
    /// The index of people, places and organisations.
    pub entities_url: String,
    pub stylesheet_url: String,
    pub syntax_stylesheet_url: String,
    /// The search page, which the header's search box submits to (`?q=`).
    pub search_url: String,
    /// The site's Atom, RSS and JSON feeds, for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// The topics with the most articles, for the navigation bar.
    pub nav_topics: Vec<Link>,
    /// The theme's `name` from its `theme.toml`.
    pub theme_name: String,
    /// The theme's `[extra]` options, overridden by the `[extra]` of `site.toml`.
    pub extra: toml::Table,
    /// This view converted for Tera, once for every page (`shared_value`).
    #[serde(skip)]
    shared: OnceLock<Result<SharedValue, String>>,
}

/// A page's context: its own fields, converted for Tera page by page, and the site, which
/// the pages share (`site` in templates). Pages skip `site` when serialised.
pub trait PageContext: Serialize {
    fn site(&self) -> &SiteView;
}

macro_rules! page_contexts {
    ($($page:ident),*) => {
        $(impl PageContext for $page<'_> {
            fn site(&self) -> &SiteView {
                self.site
            }
        })*
    };
}

page_contexts!(
    ArticlePage,
    EntityPage,
    IndexPage,
    ListPage,
    TermsPage,
    SearchPage,
    NotFoundPage
);

/// What goes in a page's `<head>`.
#[derive(Debug, Serialize)]
pub struct PageMeta {
    /// The `<title>`: the page's own title, then the site's.
    pub title: String,
    pub description: String,
    /// The absolute URL of this page.
    pub canonical_url: String,
    /// `index`, `article`, `topic`, `tag`, `entity`, `topics`, `tags`, `entities`, `search` or `404`.
    pub kind: &'static str,
    /// Feeds of this page's own subject (a topic's), besides the site's.
    pub feeds: Vec<FeedLink>,
}

/// A named link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// An article as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleSummary {
    pub title: String,
    pub url: String,
    /// RFC 3339 or `YYYY-MM-DD`, for `<time datetime>`.
    pub date: Option<String>,
    /// `18 August 2025`.
    pub date_display: Option<String>,
    /// The dek, else the summary, else the start of the body.
    pub teaser: String,
    pub outlet: Option<String>,
    pub author: Option<String>,
    pub reading_minutes: u32,
    pub topics: Vec<Link>,
}

/// An article as its own page shows it.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub title: &'a str,
    pub url: String,
    pub dek: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub author: Option<&'a str>,
    pub outlet: Option<&'a str>,
    pub source_url: Option<&'a str>,
    /// The lead image's absolute URL, for the page, link previews and JSON-LD.
    pub image_url: Option<String>,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub updated: Option<String>,
    pub updated_display: Option<String>,
    pub reading_minutes: u32,
    pub word_count: usize,
    pub body_html: &'a str,
    pub quotes: &'a [Quote],
    pub highlights: &'a [String],
    pub related_headlines: &'a [RelatedHeadline],
    pub topics: Vec<Link>,
    pub tags: Vec<Link>,
    pub extra: &'a toml::Table,
    /// schema.org `NewsArticle` as JSON, safe inside `<script type="application/ld+json">`.
    pub json_ld: String,
}

/// `article.html`.
#[derive(Debug, Serialize)]
pub struct ArticlePage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    pub article: ArticleView<'a>,
    /// Related articles in this briefing, best first.
    pub related: Vec<&'a ArticleSummary>,
    /// The people the article names, most mentioned first, linked to their pages.
    pub people: Vec<Link>,
    /// The other outlets that published the same story, linked to their copies.
    pub also_reported_by: Vec<Link>,
}

/// A quote on an entity page, with the article it comes from.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    pub text: &'a str,
    /// Who said it, as the article gives it; empty when unknown.
    pub speaker: &'a str,
    pub context: &'a str,
    pub article: &'a ArticleSummary,
}

/// `entity.html`: a person, place or organisation, with its quotes and articles.
#[derive(Debug, Serialize)]
pub struct EntityPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    pub name: &'a str,
    /// `person`, `place` or `organisation`.
    pub kind: EntityKind,
    pub quotes: Vec<QuoteView<'a>>,
    /// Newest first.
    pub articles: Vec<&'a ArticleSummary>,
}

/// A topic with its newest stories, on the front page.
#[derive(Debug, Serialize)]
pub struct TopicTeaser<'a> {
    pub name: &'a str,
    pub url: String,
    pub description: &'a str,
    pub kind: TopicKind,
    pub article_count: usize,
    pub articles: Vec<&'a ArticleSummary>,
}

/// `index.html`, the front page.
#[derive(Debug, Serialize)]
pub struct IndexPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    /// The stories, on the first page only.
    pub topics: Vec<TopicTeaser<'a>>,
    /// The topics with the most articles (two or more), on the first page only.
    pub most_covered: Vec<Term<'a>>,
    /// This page's slice of the latest articles.
    pub latest: Vec<&'a ArticleSummary>,
    pub pager: Pager,
}

/// `topic.html` and `tag.html`: one group of articles, newest first.
#[derive(Debug, Serialize)]
pub struct ListPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    pub name: &'a str,
    pub description: &'a str,
    /// `configured` or `automatic` for topics; absent for tags.
    pub kind: Option<TopicKind>,
    /// All the articles of the list, on every page.
    pub article_count: usize,
    /// This page's articles.
    pub articles: Vec<&'a ArticleSummary>,
    pub pager: Pager,
    /// A topic's key quotes, on its first page only.
    pub quotes: Vec<QuoteView<'a>>,
    /// A topic's most-mentioned people, on its first page only.
    pub people: Vec<Link>,
}

/// One entry of `topics.html` or `tags.html`.
#[derive(Debug, Serialize)]
pub struct Term<'a> {
    pub name: &'a str,
    pub url: String,
    pub description: &'a str,
    pub article_count: usize,
    pub latest: Option<&'a ArticleSummary>,
}

/// `topics.html`, `tags.html` and `entities.html`: every topic, tag or entity.
#[derive(Debug, Serialize)]
pub struct TermsPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    pub heading: &'static str,
    pub terms: Vec<Term<'a>>,
}

/// `search.html`: the search page; its script (`search/briefing-search.js`) fills it in the browser.
#[derive(Debug, Serialize)]
pub struct SearchPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    /// The folder of the search script and index (`search/` under the base path).
    pub bundle_url: String,
}

/// `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundPage<'a> {
    #[serde(skip)]
    pub site: &'a SiteView,
    pub page: PageMeta,
    pub latest: Vec<&'a ArticleSummary>,
}

/// How many topics the navigation bar shows.
const NAV_TOPICS: usize = 6;

impl SiteView {
    pub fn new(site: &Site, theme: &super::theme::ThemeInfo) -> Self {
        let config = &site.config.config;
        let base = &site.config.base_url;
        let mut by_size: Vec<&Topic> = site
            .topics
            .iter()
            .filter(|t| !t.articles.is_empty())
            .collect();
        by_size.sort_by(|a, b| {
            b.articles
                .len()
                .cmp(&a.articles.len())
                .then(a.slug.cmp(&b.slug))
        });
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            base_url: base.absolute(""),
            home_url: base.link(""),
            topics_url: base.link("topics/"),
            tags_url: base.link("tags/"),
            archive_url: base.link(super::ARCHIVE_PAGE),
            entities_url: base.link("entities/"),
            stylesheet_url: base.link("style.css"),
            syntax_stylesheet_url: base.link("syntax.css"),
            search_url: base.link(SEARCH_PAGE),
            feeds: feed_links(base, "", &config.title),
            nav_topics: by_size
                .into_iter()
                .take(NAV_TOPICS)
                .map(|t| topic_link(site, t))
                .collect(),
            theme_name: theme.name.clone(),
            extra: theme.merged_extra(&config.extra),
            shared: OnceLock::new(),
        }
    }

    /// This view as a Tera value, converted on first use and then shared by every page.
    pub fn shared_value(&self) -> Result<&SharedValue, &str> {
        self.shared
            .get_or_init(|| {
                serde_json::to_value(self)
                    .map(SharedValue::new)
                    .map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

pub fn topic_link(site: &Site, topic: &Topic) -> Link {
    Link {
        name: topic.name.clone(),
        url: site.config.base_url.link(&topic.site_path()),
    }
}

pub fn entity_link(site: &Site, entity: &Entity) -> Link {
    Link {
        name: entity.name.clone(),
        url: site.config.base_url.link(&entity.site_path()),
    }
}

pub fn tag_link(site: &Site, tag: &Tag) -> Link {
    Link {
        name: tag.name.clone(),
        url: site.config.base_url.link(&tag.site_path()),
    }
}

fn dates(date: Option<&ArticleDate>) -> (Option<String>, Option<String>) {
    (
        date.map(ArticleDate::to_rfc3339),
        date.map(ArticleDate::display),
    )
}

/// The summaries of every article, indexed like `Site::articles`.
pub fn summaries(site: &Site, article_topics: &[Vec<usize>]) -> Vec<ArticleSummary> {
    site.articles
        .par_iter()
        .zip(article_topics)
        .map(|(article, topic_ids)| summary(site, article, topic_ids))
        .collect()
}

/// One article's summary; `topic_ids` are its topics' indices in `site.topics`.
pub fn summary(site: &Site, article: &Article, topic_ids: &[usize]) -> ArticleSummary {
    let (date, date_display) = dates(article.date.as_ref());
    ArticleSummary {
        title: article.title.clone(),
        url: site.config.base_url.link(&article.site_path()),
        date,
        date_display,
        teaser: article.teaser(),
        outlet: article.outlet.clone(),
        author: article.author.clone(),
        reading_minutes: article.reading_minutes,
        topics: topic_ids
            .iter()
            .map(|&t| topic_link(site, &site.topics[t]))
            .collect(),
    }
}

impl<'a> ArticleView<'a> {
    pub fn new(site: &'a Site, article: &'a Article, topic_ids: &[usize]) -> Self {
        let (date, date_display) = dates(article.date.as_ref());
        let (updated, updated_display) = dates(article.updated.as_ref());
        let tags = article
            .tags
            .iter()
            .filter_map(|name| {
                let slug = crate::slug::slugify(name);
                let found = site.tags.binary_search_by(|t| t.slug.as_str().cmp(&slug));
                found.ok().map(|i| &site.tags[i])
            })
            .map(|t| tag_link(site, t))
            .collect();
        ArticleView {
            title: &article.title,
            url: site.config.base_url.link(&article.site_path()),
            dek: article.dek.as_deref(),
            summary: article.summary.as_deref(),
            author: article.author.as_deref(),
            outlet: article.outlet.as_deref(),
            source_url: article.source_url.as_deref(),
            image_url: image_url(site, article),
            date,
            date_display,
            updated,
            updated_display,
            reading_minutes: article.reading_minutes,
            word_count: article.word_count,
            body_html: &article.body_html,
            quotes: &article.quotes,
            highlights: &article.highlights,
            related_headlines: &article.related_headlines,
            topics: topic_ids
                .iter()
                .map(|&t| topic_link(site, &site.topics[t]))
                .collect(),
            tags,
            extra: &article.extra,
            json_ld: news_article_json_ld(site, article, topic_ids),
        }
    }
}

/// The other copies of an article's story, each named by its outlet (else its source's host,
/// else its title) and linked to its page.
pub fn also_reported_by(site: &Site, id: crate::model::ArticleId) -> Vec<Link> {
    site.duplicates
        .others(id)
        .map(|other| {
            let article = site.article(other);
            let host = article.source_url.as_deref().and_then(|u| {
                let rest = u.split_once("://")?.1;
                rest.split(['/', '?', '#']).next().filter(|h| !h.is_empty())
            });
            Link {
                name: article
                    .outlet
                    .as_deref()
                    .or(host)
                    .unwrap_or(&article.title)
                    .to_string(),
                url: site.config.base_url.link(&article.site_path()),
            }
        })
        .collect()
}

/// The absolute URL of an article's lead image.
fn image_url(site: &Site, article: &Article) -> Option<String> {
    let image = article.image.as_deref()?;
    Some(if image.contains("://") {
        image.to_string()
    } else {
        site.config.base_url.absolute(image)
    })
}

/// The article as schema.org `NewsArticle`, for search engines and link previews.
fn news_article_json_ld(site: &Site, article: &Article, topic_ids: &[usize]) -> String {
    let canonical = site.config.base_url.absolute(&article.site_path());
    let publisher = article
        .outlet
        .as_deref()
        .unwrap_or(&site.config.config.title);
    let ld = NewsArticleLd {
        context: "https://schema.org",
        kind: "NewsArticle",
        article_section: topic_ids
            .iter()
            .map(|&t| site.topics[t].name.as_str())
            .collect(),
        author: article.author.as_deref().map(|name| {
            [Thing {
                kind: "Person",
                name,
            }]
        }),
        date_modified: article.updated.or(article.date).map(|d| d.to_rfc3339()),
        date_published: article.date.map(|d| d.to_rfc3339()),
        description: article.dek.as_deref().or(article.summary.as_deref()),
        headline: &article.title,
        image: image_url(site, article).map(|url| [url]),
        in_language: &site.config.config.language,
        keywords: &article.tags,
        main_entity_of_page: WebPage {
            id: &canonical,
            kind: "WebPage",
        },
        publisher: Thing {
            kind: "Organization",
            name: publisher,
        },
        url: &canonical,
        word_count: article.word_count,
    };
    let json = serde_json::to_string(&ld).unwrap_or_default();
    // `<` never appears raw, so the text cannot close its script element.
    json.replace('<', "\\u003c")
}

/// schema.org's `NewsArticle`, as `news_article_json_ld` writes it: written straight from this
/// struct (a `serde_json::Value` built and then printed cost three times as much), its keys
/// in the order a JSON object's keys sort, as they were.
#[derive(Serialize)]
struct NewsArticleLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection", skip_serializing_if = "Vec::is_empty")]
    article_section: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<[Thing<'a>; 1]>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<[String; 1]>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    keywords: &'a [String],
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: WebPage<'a>,
    publisher: Thing<'a>,
    url: &'a str,
    #[serde(rename = "wordCount")]
    word_count: usize,
}

/// A schema.org `Person` or `Organization`: its type and name.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

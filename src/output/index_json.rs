//! `index.json`: the site's data for tools and scripts, from the same model as the pages.

use serde::Serialize;

use crate::model::{ArticleId, EntityKind, Site, TopicKind};
use crate::render::RenderedFile;
use crate::slug::slugify;

#[derive(Serialize)]
struct Index<'a> {
    articles: Vec<ArticleEntry<'a>>,
    topics: Vec<TopicEntry<'a>>,
}

#[derive(Serialize)]
struct ArticleEntry<'a> {
    /// The link to the page, as it appears in the site's links.
    url: String,
    /// The source file, relative to the site root.
    source: String,
    title: &'a str,
    date: Option<String>,
    topics: Vec<&'a str>,
    tags: Vec<String>,
    /// The people, places and organisations it names, most mentioned first.
    entities: Vec<EntityEntry<'a>>,
    /// Related articles, best first.
    related: Vec<String>,
}

#[derive(Serialize)]
struct EntityEntry<'a> {
    name: &'a str,
    kind: EntityKind,
    url: String,
}

#[derive(Serialize)]
struct TopicEntry<'a> {
    slug: &'a str,
    name: &'a str,
    kind: TopicKind,
    articles: Vec<String>,
}

/// Builds `index.json`.
pub fn render_index_json(site: &Site, article_topics: &[Vec<usize>]) -> RenderedFile {
    let base = &site.config.base_url;
    let url_of = |i: usize| base.link(&site.articles[i].site_path());
    let articles = site
        .articles
        .iter()
        .enumerate()
        .map(|(i, article)| ArticleEntry {
            url: url_of(i),
            source: article.source.to_string_lossy().replace('\\', "/"),
            title: &article.title,
            date: article.date.map(|d| d.to_rfc3339()),
            topics: article_topics[i]
                .iter()
                .map(|&t| site.topics[t].slug.as_str())
                .collect(),
            tags: article
                .tags
                .iter()
                .map(|t| slugify(t))
                .filter(|s| !s.is_empty())
                .collect(),
            entities: site
                .entities
                .of(ArticleId(i as u32))
                .map(|e| EntityEntry {
                    name: &e.name,
                    kind: e.kind,
                    url: base.link(&e.site_path()),
                })
                .collect(),
            related: site
                .related
                .of(ArticleId(i as u32))
                .iter()
                .map(|id| url_of(id.index()))
                .collect(),
        })
        .collect();
    let topics = site
        .topics
        .iter()
        .map(|topic| TopicEntry {
            slug: &topic.slug,
            name: &topic.name,
            kind: topic.kind,
            articles: topic.articles.iter().map(|id| url_of(id.index())).collect(),
        })
        .collect();
    let json = serde_json::to_string_pretty(&Index { articles, topics }).unwrap_or_default();
    RenderedFile::new("index.json", json + "\n")
}

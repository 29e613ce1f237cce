//! Render: the site model through the theme's templates into HTML files in memory.
//!
//! Nothing here touches the disk; `output` writes what this returns. Pages are rendered in
//! parallel and returned in a fixed order, so the output is the same on every build.

pub mod context;
pub mod templates;

use rayon::prelude::*;

use crate::error::BuildError;
use crate::model::{ArticleId, Site, TopicKind};
use context::{
    ArticlePage, ArticleSummary, ArticleView, IndexPage, ListPage, NotFoundPage, PageMeta,
    SiteView, Term, TermsPage, TopicTeaser,
};
pub use templates::Templates;

/// A file of the built site: its path under the output folder and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedFile {
    /// A relative path with `/` separators, e.g. `articles/x/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl RenderedFile {
    pub fn new(path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        RenderedFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// How many stories each topic shows on the front page.
const FRONT_PAGE_STORIES_PER_TOPIC: usize = 3;

/// Everything the pages share, computed once per build.
struct Shared<'a> {
    site: &'a Site,
    view: SiteView,
    summaries: Vec<ArticleSummary>,
    /// For each article, the indices of its topics in `site.topics`.
    article_topics: Vec<Vec<usize>>,
}

impl Shared<'_> {
    fn summaries_of(&self, ids: &[ArticleId]) -> Vec<&ArticleSummary> {
        ids.iter().map(|id| &self.summaries[id.index()]).collect()
    }

    fn meta(
        &self,
        title: Option<&str>,
        description: &str,
        site_path: &str,
        kind: &'static str,
    ) -> PageMeta {
        let site_title = &self.view.title;
        PageMeta {
            title: title.map_or_else(|| site_title.clone(), |t| format!("{t} · {site_title}")),
            description: if description.is_empty() {
                self.view.description.clone()
            } else {
                description.to_string()
            },
            canonical_url: self.site.config.base_url.absolute(site_path),
            kind,
        }
    }
}

/// For each article, the topics it belongs to, without a scan of every topic per article.
pub fn article_topics(site: &Site) -> Vec<Vec<usize>> {
    let mut memberships = vec![Vec::new(); site.articles.len()];
    for (t, topic) in site.topics.iter().enumerate() {
        for id in &topic.articles {
            memberships[id.index()].push(t);
        }
    }
    memberships
}

/// Renders every HTML page of the site.
pub fn render_site(site: &Site, templates: &Templates) -> Result<Vec<RenderedFile>, BuildError> {
    let article_topics = article_topics(site);
    let shared = Shared {
        site,
        view: SiteView::new(site),
        summaries: context::summaries(site, &article_topics),
        article_topics,
    };
    let mut files = vec![
        render_index_page(&shared, templates)?,
        render_topics_page(&shared, templates)?,
        render_tags_page(&shared, templates)?,
        render_not_found_page(&shared, templates)?,
    ];
    let articles: Vec<RenderedFile> = (0..site.articles.len())
        .into_par_iter()
        .map(|i| render_article_page(&shared, templates, ArticleId(i as u32)))
        .collect::<Result<_, _>>()?;
    files.extend(articles);
    for topic in &site.topics {
        files.push(render_list_page(
            &shared,
            templates,
            "topic.html",
            &topic.name,
            &topic.description,
            Some(topic.kind),
            &topic.site_path(),
            &topic.articles,
        )?);
    }
    for tag in &site.tags {
        files.push(render_list_page(
            &shared,
            templates,
            "tag.html",
            &tag.name,
            "",
            None,
            &tag.site_path(),
            &tag.articles,
        )?);
    }
    Ok(files)
}

fn page_file(site_path: &str) -> String {
    format!("{site_path}index.html")
}

fn render_index_page(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let mut topics: Vec<TopicTeaser<'_>> = site
        .topics
        .iter()
        .filter(|t| !t.articles.is_empty())
        .map(|topic| TopicTeaser {
            name: &topic.name,
            url: site.config.base_url.link(&topic.site_path()),
            description: &topic.description,
            kind: topic.kind,
            article_count: topic.articles.len(),
            articles: shared.summaries_of(
                &topic.articles[..topic.articles.len().min(FRONT_PAGE_STORIES_PER_TOPIC)],
            ),
        })
        .collect();
    // The topic with the newest story leads; article ids are in site order (newest first).
    topics.sort_by_key(|t| {
        let first = site
            .topics
            .iter()
            .find(|x| x.name == t.name)
            .and_then(|x| x.articles.first());
        first.map_or(u32::MAX, |id| id.0)
    });
    let latest_count = site.articles.len().min(site.config.config.paginate_by);
    let page = IndexPage {
        site: &shared.view,
        page: shared.meta(None, "", "", "index"),
        topics,
        latest: shared.summaries.iter().take(latest_count).collect(),
    };
    Ok(RenderedFile::new(
        "index.html",
        templates.render("index.html", &page)?,
    ))
}

fn render_article_page(
    shared: &Shared<'_>,
    templates: &Templates,
    id: ArticleId,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let article = site.article(id);
    let description = article
        .dek
        .as_deref()
        .or(article.summary.as_deref())
        .unwrap_or(&shared.summaries[id.index()].teaser);
    let page = ArticlePage {
        site: &shared.view,
        page: shared.meta(
            Some(&article.title),
            description,
            &article.site_path(),
            "article",
        ),
        article: ArticleView::new(site, article, &shared.article_topics[id.index()]),
        related: shared.summaries_of(site.related.of(id)),
    };
    Ok(RenderedFile::new(
        page_file(&article.site_path()),
        templates.render("article.html", &page)?,
    ))
}

#[allow(
    clippy::too_many_arguments,
    reason = "topic and tag pages differ only in these values"
)]
fn render_list_page(
    shared: &Shared<'_>,
    templates: &Templates,
    template: &str,
    name: &str,
    description: &str,
    kind: Option<TopicKind>,
    site_path: &str,
    ids: &[ArticleId],
) -> Result<RenderedFile, BuildError> {
    let page = ListPage {
        site: &shared.view,
        page: shared.meta(
            Some(name),
            description,
            site_path,
            if kind.is_some() { "topic" } else { "tag" },
        ),
        name,
        description,
        kind,
        articles: shared.summaries_of(ids),
    };
    Ok(RenderedFile::new(
        page_file(site_path),
        templates.render(template, &page)?,
    ))
}

fn render_topics_page(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let terms = site
        .topics
        .iter()
        .map(|topic| Term {
            name: &topic.name,
            url: site.config.base_url.link(&topic.site_path()),
            description: &topic.description,
            article_count: topic.articles.len(),
            latest: topic
                .articles
                .first()
                .map(|id| &shared.summaries[id.index()]),
        })
        .collect();
    let page = TermsPage {
        site: &shared.view,
        page: shared.meta(Some("Topics"), "", "topics/", "topics"),
        heading: "Topics",
        terms,
    };
    Ok(RenderedFile::new(
        "topics/index.html",
        templates.render("topics.html", &page)?,
    ))
}

fn render_tags_page(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let terms = site
        .tags
        .iter()
        .map(|tag| Term {
            name: &tag.name,
            url: site.config.base_url.link(&tag.site_path()),
            description: "",
            article_count: tag.articles.len(),
            latest: tag.articles.first().map(|id| &shared.summaries[id.index()]),
        })
        .collect();
    let page = TermsPage {
        site: &shared.view,
        page: shared.meta(Some("Tags"), "", "tags/", "tags"),
        heading: "Tags",
        terms,
    };
    Ok(RenderedFile::new(
        "tags/index.html",
        templates.render("tags.html", &page)?,
    ))
}

fn render_not_found_page(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<RenderedFile, BuildError> {
    let page = NotFoundPage {
        site: &shared.view,
        page: shared.meta(Some("Page not found"), "", "404.html", "404"),
        latest: shared.summaries.iter().take(5).collect(),
    };
    Ok(RenderedFile::new(
        "404.html",
        templates.render("404.html", &page)?,
    ))
}

//! Render: the site model through the theme's templates into HTML files in memory.
//!
//! Nothing here touches the disk: each page goes to a `FileSink` as soon as it is rendered (the
//! build's sink writes it to the output folder, so the site is never whole in memory). Pages are
//! rendered in parallel; every page has its own path, so the output is the same on every build
//! whatever order they finish in.

pub mod base_path;
pub mod context;
pub mod guard;
pub mod memo;
pub mod pagination;
pub mod partial;
pub mod subset;
pub mod templates;
pub mod theme;
pub mod topic_page;

use std::borrow::Cow;

use rayon::prelude::*;

use crate::error::BuildError;
use crate::model::{ArticleId, Entity, EntityKind, Site, TopicKind};
use crate::output::feeds::feed_links;
use crate::output::search::{BUNDLE_DIR, SEARCH_PAGE};
use crate::progress::Progress;
use context::{
    ArticlePage, ArticleSummary, ArticleView, EntityPage, IndexPage, ListPage, NotFoundPage,
    PageMeta, QuoteView, SearchPage, SiteView, Term, TermsPage, TopicTeaser,
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

/// Where rendered files go as they are made: the staged output folder of a build, or a list
/// in memory (`Collected`). Called from the rendering threads.
pub trait FileSink: Sync {
    /// Takes one file; a later file at the same path replaces an earlier one.
    fn put(&self, file: RenderedFile) -> Result<(), BuildError>;
}

/// A sink that keeps the files in memory, for `serve` and tests.
#[derive(Debug, Default)]
pub struct Collected(std::sync::Mutex<Vec<RenderedFile>>);

impl FileSink for Collected {
    fn put(&self, file: RenderedFile) -> Result<(), BuildError> {
        if let Ok(mut files) = self.0.lock() {
            files.push(file);
        }
        Ok(())
    }
}

impl Collected {
    /// The files by path; of files with the same path, the one put last.
    pub fn into_files(self) -> Vec<RenderedFile> {
        let mut files = self.0.into_inner().unwrap_or_default();
        // Stable: files put at one path keep their order, so `dedup` can keep the last.
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.reverse();
        files.dedup_by(|later, earlier| later.path == earlier.path);
        files.reverse();
        files
    }
}

/// A sink that remembers the paths put through it, for the alias pages' check.
struct Recording<'a> {
    sink: &'a dyn FileSink,
    paths: std::sync::Mutex<std::collections::HashSet<String>>,
    progress: &'a dyn Progress,
}

impl FileSink for Recording<'_> {
    fn put(&self, file: RenderedFile) -> Result<(), BuildError> {
        if let Ok(mut paths) = self.paths.lock() {
            paths.insert(file.path.clone());
        }
        self.progress.advance(1);
        self.sink.put(file)
    }
}

/// How many people an article page lists.
const PEOPLE_PER_ARTICLE: usize = 8;

/// The site path of the archive's index of months.
pub const ARCHIVE_PAGE: &str = "archive/";
/// How many topics the front page lists as the most covered.
const MOST_COVERED: usize = 5;

/// How many stories each topic shows on the front page.
const FRONT_PAGE_STORIES_PER_TOPIC: usize = 3;

/// Everything the pages share, computed once per build.
struct Shared<'a> {
    site: &'a Site,
    view: SiteView,
    summaries: Cow<'a, [ArticleSummary]>,
    /// For each article, the indices of its topics in `site.topics`.
    article_topics: Cow<'a, [Vec<usize>]>,
}

impl<'a> Shared<'a> {
    fn new(site: &'a Site, theme: &theme::ThemeInfo) -> Self {
        let article_topics = article_topics(site);
        Shared {
            site,
            view: SiteView::new(site, theme),
            summaries: Cow::Owned(context::summaries(site, &article_topics)),
            article_topics: Cow::Owned(article_topics),
        }
    }
}

impl Shared<'_> {
    /// A link to a list of articles, with its size and newest article.
    fn term<'a>(
        &'a self,
        name: &'a str,
        description: &'a str,
        site_path: &str,
        ids: &[ArticleId],
    ) -> Term<'a> {
        // A story from several outlets counts once, as the term's own page lists it.
        let shown = self.site.duplicates.shown(ids);
        Term {
            name,
            url: self.site.config.base_url.link(site_path),
            description,
            article_count: shown.len(),
            latest: shown.first().map(|id| &self.summaries[id.index()]),
        }
    }

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
            feeds: Vec::new(),
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

/// Renders every HTML page of the site into `sink`; returns how many.
pub fn render_site(
    site: &Site,
    templates: &Templates,
    theme: &theme::ThemeInfo,
    sink: &dyn FileSink,
    progress: &dyn Progress,
) -> Result<usize, BuildError> {
    templates.clear_partials();
    let shared = Shared::new(site, theme);
    let lists = list_specs(site);
    let list_pages: usize = lists
        .iter()
        .map(|spec| page_count(spec.ids.len(), spec.per_page))
        .sum();
    // The front page and its next pages; topics, tags, archive, entities, 404 and search.
    let front_page = site.front_page;
    let front_pages = page_count(front_page.listed(&site.articles).len(), front_page.per_page);
    let index_pages = front_pages + 6;
    progress.stage(
        "render",
        Some(site.articles.len() + site.entities.list.len() + list_pages + index_pages),
    );
    let sink = Recording {
        sink,
        paths: std::sync::Mutex::default(),
        progress,
    };
    render_index_pages(&shared, templates, &sink)?;
    for file in render_index_of_terms(&shared, templates)? {
        sink.put(file)?;
    }
    sink.put(render_not_found_page(&shared, templates)?)?;
    sink.put(render_search_page(&shared, templates)?)?;
    (0..site.articles.len()).into_par_iter().try_for_each(|i| {
        sink.put(render_article_page(
            &shared,
            templates,
            ArticleId(i as u32),
        )?)
    })?;
    templates.clear_partials();
    // Page by page, not list by list: the longest list (a section of every article) would
    // otherwise render its hundreds of pages on one thread while the others wait.
    let pages_of_lists: Vec<_> = lists
        .iter()
        .flat_map(|spec| {
            list_slices(&shared, spec)
                .into_iter()
                .map(move |slice| (spec, slice))
        })
        .collect();
    pages_of_lists
        .into_par_iter()
        .try_for_each(|(spec, slice)| {
            sink.put(render_list_page(&shared, templates, spec, slice)?)
        })?;
    site.entities
        .list
        .par_iter()
        .try_for_each(|entity| sink.put(render_entity_page(&shared, templates, entity)?))?;
    let taken = sink.paths.into_inner().unwrap_or_default();
    let aliases = render_alias_pages(site, &taken)?;
    let count = taken.len() + aliases.len();
    for file in aliases {
        sink.sink.put(file)?;
    }
    Ok(count)
}

/// How many pages a list of `len` articles takes (an empty list still has its page).
fn page_count(len: usize, per_page: usize) -> usize {
    len.div_ceil(per_page.max(1)).max(1)
}

fn page_file(site_path: &str) -> String {
    format!("{site_path}index.html")
}

/// The stories of the front page: each topic with its newest articles, the topic with the
/// newest story first (article ids are in site order, newest first).
fn front_page_topics<'a>(shared: &'a Shared<'_>) -> Vec<TopicTeaser<'a>> {
    let site = shared.site;
    let mut topics: Vec<(ArticleId, TopicTeaser<'a>)> = site
        .topics
        .iter()
        .filter_map(|topic| {
            let stories = site.duplicates.shown(&topic.articles);
            let newest = *stories.first()?;
            let shown = &stories[..stories.len().min(FRONT_PAGE_STORIES_PER_TOPIC)];
            let teaser = TopicTeaser {
                name: &topic.name,
                url: site.config.base_url.link(&topic.site_path()),
                description: &topic.description,
                kind: topic.kind,
                article_count: stories.len(),
                articles: shared.summaries_of(shown),
            };
            Some((newest, teaser))
        })
        .collect();
    topics.sort_by_key(|(newest, _)| *newest);
    topics.into_iter().map(|(_, teaser)| teaser).collect()
}

/// The topics with the most articles, for the front page's "most covered" list.
fn most_covered_topics<'a>(shared: &'a Shared<'_>) -> Vec<Term<'a>> {
    let site = shared.site;
    let mut topics: Vec<&crate::model::Topic> = site
        .topics
        .iter()
        .filter(|t| t.articles.len() > 1)
        .collect();
    topics.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then(a.slug.cmp(&b.slug))
    });
    topics
        .into_iter()
        .take(MOST_COVERED)
        .map(|t| shared.term(&t.name, &t.description, &t.site_path(), &t.articles))
        .collect()
}

/// The front page, with the stories, then the latest articles paginated: `page/2/`, ...
/// (unless the content's `_index.md` says otherwise: `FrontPage`). Some 500 pages at 10,000
/// articles: rendered in parallel, as the others.
fn render_index_pages(
    shared: &Shared<'_>,
    templates: &Templates,
    sink: &dyn FileSink,
) -> Result<(), BuildError> {
    let site = shared.site;
    let stories = front_page_stories(shared);
    let slices = pagination::paginate(
        site.front_page.listed(&stories),
        site.front_page.per_page,
        "",
        &site.config.base_url,
    );
    slices
        .into_par_iter()
        .try_for_each(|slice| sink.put(render_index_page(shared, templates, slice)?))
}

/// The articles of the front page's list: one copy of each story, in site order.
fn front_page_stories<'a>(shared: &'a Shared<'_>) -> Vec<&'a ArticleSummary> {
    (0..shared.summaries.len())
        .filter(|&i| shared.site.duplicates.is_shown(ArticleId(i as u32)))
        .map(|i| &shared.summaries[i])
        .collect()
}

/// One page of the front page's list; the first also shows the stories.
fn render_index_page(
    shared: &Shared<'_>,
    templates: &Templates,
    slice: pagination::Slice<'_, &ArticleSummary>,
) -> Result<RenderedFile, BuildError> {
    let first = slice.pager.current == 1;
    let title = (!first).then(|| page_title("Latest", slice.pager.current));
    let page = IndexPage {
        site: &shared.view,
        page: shared.meta(title.as_deref(), "", &slice.site_path, "index"),
        topics: if first {
            front_page_topics(shared)
        } else {
            Vec::new()
        },
        most_covered: if first {
            most_covered_topics(shared)
        } else {
            Vec::new()
        },
        latest: slice.items.to_vec(),
        pager: slice.pager,
    };
    let html = templates.render_page("index.html", &page)?;
    Ok(RenderedFile::new(page_file(&slice.site_path), html))
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
        people: site
            .entities
            .of(id)
            .filter(|e| e.kind == EntityKind::Person)
            .take(PEOPLE_PER_ARTICLE)
            .map(|e| context::entity_link(site, e))
            .collect(),
        also_reported_by: context::also_reported_by(site, id),
    };
    Ok(RenderedFile::new(
        page_file(&article.site_path()),
        templates.render_page("article.html", &page)?,
    ))
}

/// A paginated list of articles: a topic or a tag.
struct ListSpec<'a> {
    template: &'static str,
    per_page: usize,
    kind_name: &'static str,
    name: &'a str,
    description: &'a str,
    kind: Option<TopicKind>,
    site_path: String,
    /// The articles listed: one copy of each story.
    ids: Vec<ArticleId>,
}

fn list_specs(site: &Site) -> Vec<ListSpec<'_>> {
    let per_page = site.config.config.paginate_by;
    let topics = site.topics.iter().map(|topic| ListSpec {
        template: "topic.html",
        per_page,
        kind_name: "topic",
        name: &topic.name,
        description: &topic.description,
        kind: Some(topic.kind),
        site_path: topic.site_path(),
        ids: site.duplicates.shown(&topic.articles),
    });
    let tags = site.tags.iter().map(|tag| ListSpec {
        template: "tag.html",
        per_page,
        kind_name: "tag",
        name: &tag.name,
        description: "",
        kind: None,
        site_path: tag.site_path(),
        ids: site.duplicates.shown(&tag.articles),
    });
    let sections = site.sections.iter().map(|section| ListSpec {
        template: "section.html",
        per_page: section.paginate_by.unwrap_or(per_page),
        kind_name: "section",
        name: &section.title,
        description: &section.description,
        kind: None,
        site_path: section.site_path.clone(),
        ids: site.duplicates.shown(&section.articles),
    });
    let months = site.archive.iter().map(|month| ListSpec {
        template: "month.html",
        per_page,
        kind_name: "month",
        name: &month.name,
        description: "",
        kind: None,
        site_path: month.site_path(),
        ids: site.duplicates.shown(&month.articles),
    });
    topics.chain(tags).chain(sections).chain(months).collect()
}

/// The pages of a list.
fn list_slices<'a>(
    shared: &Shared<'_>,
    spec: &'a ListSpec<'_>,
) -> Vec<pagination::Slice<'a, ArticleId>> {
    pagination::paginate(
        &spec.ids,
        spec.per_page,
        &spec.site_path,
        &shared.site.config.base_url,
    )
}

fn render_list_page(
    shared: &Shared<'_>,
    templates: &Templates,
    spec: &ListSpec<'_>,
    slice: pagination::Slice<'_, ArticleId>,
) -> Result<RenderedFile, BuildError> {
    let title = page_title(spec.name, slice.pager.current);
    let topic_first_page = spec.kind.is_some() && slice.pager.current == 1;
    let first_page: &[ArticleId] = if topic_first_page { &spec.ids } else { &[] };
    let mut meta = shared.meta(
        Some(&title),
        spec.description,
        &slice.site_path,
        spec.kind_name,
    );
    if spec.kind.is_some() {
        let feed_title = format!("{} · {}", spec.name, shared.view.title);
        meta.feeds = feed_links(&shared.site.config.base_url, &spec.site_path, &feed_title);
    }
    let page = ListPage {
        site: &shared.view,
        page: meta,
        name: spec.name,
        description: spec.description,
        kind: spec.kind,
        article_count: spec.ids.len(),
        articles: shared.summaries_of(slice.items),
        quotes: topic_page::key_quotes(shared.site, &shared.summaries, first_page),
        people: topic_page::people(shared.site, first_page),
        pager: slice.pager,
    };
    let html = templates.render_page(spec.template, &page)?;
    Ok(RenderedFile::new(page_file(&slice.site_path), html))
}

/// "Ukraine talks", then "Ukraine talks (page 2)".
fn page_title(name: &str, page: usize) -> String {
    if page > 1 {
        format!("{name} (page {page})")
    } else {
        name.to_string()
    }
}

/// A page listing every topic, tag, month or entity.
struct TermsSpec {
    template: &'static str,
    heading: &'static str,
    site_path: &'static str,
    kind: &'static str,
}

fn render_terms_page(
    shared: &Shared<'_>,
    templates: &Templates,
    spec: TermsSpec,
    terms: Vec<Term<'_>>,
) -> Result<RenderedFile, BuildError> {
    let page = TermsPage {
        site: &shared.view,
        page: shared.meta(Some(spec.heading), "", spec.site_path, spec.kind),
        heading: spec.heading,
        terms,
    };
    Ok(RenderedFile::new(
        page_file(spec.site_path),
        templates.render_page(spec.template, &page)?,
    ))
}

/// The four indexes of terms: `topics/`, `tags/`, `archive/` and `entities/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TermsIndex {
    Topics,
    Tags,
    Archive,
    Entities,
}

impl TermsIndex {
    const ALL: [TermsIndex; 4] = [
        TermsIndex::Topics,
        TermsIndex::Tags,
        TermsIndex::Archive,
        TermsIndex::Entities,
    ];
}

/// `topics/`, `tags/`, `archive/` and `entities/`.
fn render_index_of_terms(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<Vec<RenderedFile>, BuildError> {
    TermsIndex::ALL
        .into_iter()
        .map(|index| render_terms_index(shared, templates, index))
        .collect()
}

fn render_terms_index(
    shared: &Shared<'_>,
    templates: &Templates,
    index: TermsIndex,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let spec = |template, heading, site_path, kind| TermsSpec {
        template,
        heading,
        site_path,
        kind,
    };
    let (spec, terms) = match index {
        TermsIndex::Topics => (
            spec("topics.html", "Topics", "topics/", "topics"),
            site.topics
                .iter()
                .map(|t| shared.term(&t.name, &t.description, &t.site_path(), &t.articles))
                .collect(),
        ),
        TermsIndex::Tags => (
            spec("tags.html", "Tags", "tags/", "tags"),
            site.tags
                .iter()
                .map(|t| shared.term(&t.name, "", &t.site_path(), &t.articles))
                .collect(),
        ),
        TermsIndex::Archive => (
            spec("archive.html", "Archive", ARCHIVE_PAGE, "archive"),
            site.archive
                .iter()
                .map(|m| shared.term(&m.name, "", &m.site_path(), &m.articles))
                .collect(),
        ),
        TermsIndex::Entities => {
            let mut entities: Vec<&Entity> = site.entities.list.iter().collect();
            // The most written-about first: an index of thousands of names is read from the top.
            entities.sort_by(|a, b| {
                b.articles
                    .len()
                    .cmp(&a.articles.len())
                    .then(a.slug.cmp(&b.slug))
            });
            let terms = entities
                .into_iter()
                .map(|e| shared.term(&e.name, kind_label(e.kind), &e.site_path(), &e.articles))
                .collect();
            let heading = "People, places and organisations";
            (
                spec("entities.html", heading, "entities/", "entities"),
                terms,
            )
        }
    };
    render_terms_page(shared, templates, spec, terms)
}

fn render_search_page(
    shared: &Shared<'_>,
    templates: &Templates,
) -> Result<RenderedFile, BuildError> {
    let page = SearchPage {
        site: &shared.view,
        page: shared.meta(Some("Search"), "", SEARCH_PAGE, "search"),
        bundle_url: shared.site.config.base_url.link(BUNDLE_DIR),
    };
    Ok(RenderedFile::new(
        page_file(SEARCH_PAGE),
        templates.render_page("search.html", &page)?,
    ))
}

fn render_entity_page(
    shared: &Shared<'_>,
    templates: &Templates,
    entity: &Entity,
) -> Result<RenderedFile, BuildError> {
    let site = shared.site;
    let quotes = entity
        .quotes
        .iter()
        .filter_map(|q| {
            let quote = site.article(q.article).quotes.get(q.index)?;
            Some(QuoteView {
                text: &quote.text,
                speaker: &quote.speaker,
                context: &quote.context,
                article: &shared.summaries[q.article.index()],
            })
        })
        .collect();
    let page = EntityPage {
        site: &shared.view,
        page: shared.meta(Some(&entity.name), "", &entity.site_path(), "entity"),
        name: &entity.name,
        kind: entity.kind,
        quotes,
        articles: shared.summaries_of(&site.duplicates.shown(&entity.articles)),
    };
    Ok(RenderedFile::new(
        page_file(&entity.site_path()),
        templates.render_page("entity.html", &page)?,
    ))
}

fn kind_label(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Place => "Place",
        EntityKind::Organisation => "Organisation",
        EntityKind::Other => "",
    }
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
        templates.render_page("404.html", &page)?,
    ))
}

/// Redirect pages from each article's old URLs (`aliases`) to its page.
fn render_alias_pages(
    site: &Site,
    taken: &std::collections::HashSet<String>,
) -> Result<Vec<RenderedFile>, BuildError> {
    let mut files: Vec<RenderedFile> = Vec::new();
    let mut clashes = Vec::new();
    for article in &site.articles {
        let target = site.config.base_url.absolute(&article.site_path());
        for alias in &article.aliases {
            let written = alias.path.trim().trim_start_matches('/');
            let path = if written.ends_with(".html") {
                written.to_string()
            } else {
                format!("{}/index.html", written.trim_end_matches('/'))
            };
            if taken.contains(&path) || files.iter().any(|f| f.path == path) {
                clashes.push(
                    crate::error::Diagnostic::error(
                        &article.source,
                        format!(
                            "aliases: `{written}` is already a page of the site; remove it or change it"
                        ),
                    )
                    .at(alias.line, alias.column),
                );
                continue;
            }
            files.push(RenderedFile::new(path, redirect_page(&target)));
        }
    }
    if clashes.is_empty() {
        Ok(files)
    } else {
        Err(BuildError::Content(clashes))
    }
}

fn redirect_page(target: &str) -> String {
    let url = crate::content::markdown::html_escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Redirect</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n</body>\n</html>\n"
    )
}

//! The site model: articles, topics and tags, built once and then only read.
//!
//! Every stage after `content` works on these types. Articles are referred to by `ArticleId`,
//! their index in `Site::articles`, which is sorted newest first, so pages never clone articles
//! and iteration order is the same on every build.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

pub use crate::analyse::entities::EntityKind;
use crate::config::SiteConfig;

/// An article's index in `Site::articles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ArticleId(pub u32);

impl ArticleId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A publication date as the source gave it: a day, or a moment with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleDate {
    Day(NaiveDate),
    Moment(DateTime<FixedOffset>),
}

impl ArticleDate {
    /// The calendar day, in the date's own offset.
    pub fn day(&self) -> NaiveDate {
        match self {
            ArticleDate::Day(day) => *day,
            ArticleDate::Moment(moment) => moment.date_naive(),
        }
    }

    /// The moment, with a bare day taken as midnight UTC; used for sorting and feeds.
    pub fn moment(&self) -> DateTime<FixedOffset> {
        match self {
            ArticleDate::Day(day) => day
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                .and_utc()
                .fixed_offset(),
            ArticleDate::Moment(moment) => *moment,
        }
    }

    /// `2025-08-18` or `2025-08-18T10:31:00+00:00`, as in the source.
    pub fn to_rfc3339(&self) -> String {
        match self {
            ArticleDate::Day(day) => day.format("%Y-%m-%d").to_string(),
            ArticleDate::Moment(moment) => moment.to_rfc3339(),
        }
    }

    /// `18 August 2025`, for readers.
    pub fn display(&self) -> String {
        self.day().format("%-d %B %Y").to_string()
    }
}

/// A quote pulled out of an article ("Key Takeaways").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    pub speaker: String,
    /// What the quote was about, e.g. "on whether U.S. support for Ukraine would end".
    pub context: String,
}

/// A headline the source listed as related news, with its link when the source had one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedHeadline {
    pub title: String,
    pub url: Option<String>,
    /// The link to the article of this briefing it names, if any (`headlines::link_local`).
    pub local_url: Option<String>,
}

/// An old URL of an article, with where its file says it: a clash with a page is found only
/// when the pages are known, and is reported at this line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alias {
    /// The site path, as written (`/old/path/`).
    pub path: String,
    pub line: usize,
    pub column: usize,
}

/// One article, parsed and rendered to HTML, with everything the pages show about it.
#[derive(Debug, Clone, Default)]
pub struct Article {
    /// The file it came from, relative to the site root.
    pub source: PathBuf,
    pub slug: String,
    pub title: String,
    /// The standfirst under the headline.
    pub dek: Option<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub outlet: Option<String>,
    pub source_url: Option<String>,
    /// The lead image: a web URL, or a site path of a file under `static/`.
    pub image: Option<String>,
    pub date: Option<ArticleDate>,
    pub updated: Option<ArticleDate>,
    pub reading_minutes: u32,
    pub word_count: usize,
    /// Topic names from the front matter; these always win over rules and clustering.
    pub topics: Vec<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub highlights: Vec<String>,
    pub related_headlines: Vec<RelatedHeadline>,
    pub quotes: Vec<Quote>,
    /// Old URLs (site paths) that should redirect here.
    pub aliases: Vec<Alias>,
    /// Ordering hint from Zola/Hugo front matter; lower first among equal dates.
    pub weight: i64,
    pub extra: toml::Table,
    /// The body, rendered.
    pub body_html: String,
    /// The body as plain text, paragraphs separated by blank lines (for analysis and search).
    pub body_text: String,
    /// Links in the body to other articles or site paths, resolved once every article is known;
    /// `body_html` holds a `LocalLink::marker` for each until then.
    pub local_links: Vec<LocalLink>,
}

/// A link in an article body that only the whole site can resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalLink {
    pub target: LinkTarget,
    /// The link destination as written, put back when the target cannot be resolved.
    pub written: String,
    /// The 1-based line of the link in its file.
    pub line: usize,
}

/// Where a local link points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another Markdown file, relative to the linking article (`other.md`), or to `content/`
    /// when written `@/other.md` (as in Zola); with its fragment, if any.
    Article { path: String, fragment: String },
    /// A root-relative site path such as `/topics/x/`, which must honour the base path.
    SitePath(String),
}

impl LocalLink {
    /// The placeholder written into `body_html` for the link with this index.
    pub fn marker(index: usize) -> String {
        // A relative URL, so that the sanitiser of raw HTML keeps it.
        format!("briefing-link-{index}")
    }
}

/// How many words a teaser made from the body keeps.
const TEASER_WORDS: usize = 40;

impl Article {
    /// A line or two to show for the article in lists and feeds: its dek or summary, else the
    /// first words of its first paragraph.
    pub fn teaser(&self) -> String {
        if let Some(text) = self.dek.as_ref().or(self.summary.as_ref()) {
            return text.clone();
        }
        let first = self.body_text.split("\n\n").next().unwrap_or("");
        let mut words = first.split_whitespace();
        let teaser: Vec<&str> = words.by_ref().take(TEASER_WORDS).collect();
        let more = if words.next().is_some() { "…" } else { "" };
        format!("{}{more}", teaser.join(" "))
    }

    /// The site path of the article's page.
    pub fn site_path(&self) -> String {
        format!("articles/{}/", self.slug)
    }
}

/// Where a topic came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    /// Named in `site.toml` or in an article's front matter.
    Configured,
    /// Found by grouping articles about the same story.
    Automatic,
}

/// A story: a named group of articles, newest first.
#[derive(Debug, Clone)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub kind: TopicKind,
    pub articles: Vec<ArticleId>,
}

impl Topic {
    pub fn site_path(&self) -> String {
        format!("topics/{}/", self.slug)
    }
}

/// A tag with its articles, newest first.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub articles: Vec<ArticleId>,
}

impl Tag {
    pub fn site_path(&self) -> String {
        format!("tags/{}/", self.slug)
    }
}

/// A folder of articles with its own list page (a Zola or Hugo section).
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub description: String,
    /// The list page's site path, e.g. `news/`.
    pub site_path: String,
    /// Articles per list page, when the section sets its own.
    pub paginate_by: Option<usize>,
    /// Newest first.
    pub articles: Vec<ArticleId>,
}

/// How the front page lists the latest articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontPage {
    /// Articles per page.
    pub per_page: usize,
    /// Whether the list goes on over `page/2/`, `page/3/`, ...; when not, the front page
    /// shows the newest `per_page` and the sections, topics and archive list the rest.
    pub paginated: bool,
}

impl FrontPage {
    /// What the front page lists of `latest` (newest first): all of it over its pages, or
    /// its one page's worth.
    pub fn listed<'a, T>(&self, latest: &'a [T]) -> &'a [T] {
        if self.paginated {
            latest
        } else {
            &latest[..latest.len().min(self.per_page)]
        }
    }
}

/// A calendar month of the archive, with its articles, newest first.
#[derive(Debug, Clone)]
pub struct Month {
    /// `August 2025`.
    pub name: String,
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    pub articles: Vec<ArticleId>,
}

impl Month {
    /// `archive/2025/08/`.
    pub fn site_path(&self) -> String {
        format!("archive/{:04}/{:02}/", self.year, self.month)
    }
}

/// For each article, the articles related to it, best first.
#[derive(Debug, Clone, Default)]
pub struct RelatedIndex {
    pub links: Vec<Vec<ArticleId>>,
}

impl RelatedIndex {
    pub fn of(&self, id: ArticleId) -> &[ArticleId] {
        self.links.get(id.index()).map_or(&[], Vec::as_slice)
    }
}

/// An entity's index in `Site::entities`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EntityId(pub u32);

impl EntityId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A quote of an article, by the article and the quote's place in its `quotes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuoteRef {
    pub article: ArticleId,
    pub index: usize,
}

/// A person, place or organisation the articles name, with its own page.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The fullest common form of the name, e.g. `Volodymyr Zelenskyy`.
    pub name: String,
    pub slug: String,
    pub kind: EntityKind,
    /// The articles that name it, in site order.
    pub articles: Vec<ArticleId>,
    /// The quotes it is the speaker of, in site order.
    pub quotes: Vec<QuoteRef>,
}

impl Entity {
    pub fn site_path(&self) -> String {
        format!("entities/{}/", self.slug)
    }
}

/// The entities of the site and, per article, the ones it names, most mentioned first.
#[derive(Debug, Clone, Default)]
pub struct Entities {
    /// Sorted by slug.
    pub list: Vec<Entity>,
    pub by_article: Vec<Vec<EntityId>>,
}

impl Entities {
    pub fn get(&self, id: EntityId) -> &Entity {
        &self.list[id.index()]
    }

    /// The entities an article names, most mentioned first.
    pub fn of(&self, id: ArticleId) -> impl Iterator<Item = &Entity> {
        let ids = self
            .by_article
            .get(id.index())
            .map_or(&[][..], Vec::as_slice);
        ids.iter().map(|e| self.get(*e))
    }
}

/// The whole briefing, immutable once built.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    /// Newest first; undated articles last, by title.
    pub articles: Vec<Article>,
    pub topics: Vec<Topic>,
    pub tags: Vec<Tag>,
    pub sections: Vec<Section>,
    pub front_page: FrontPage,
    /// The dated articles by month, newest month first.
    pub archive: Vec<Month>,
    /// People, places and organisations with pages of their own.
    pub entities: Entities,
    pub related: RelatedIndex,
    /// The same story published by several outlets: shown once in lists.
    pub duplicates: crate::duplicates::DuplicateGroups,
    /// Every article's words for the search page, indexed when the search files are written.
    pub search: crate::search_words::SearchWords,
}

impl Site {
    pub fn article(&self, id: ArticleId) -> &Article {
        &self.articles[id.index()]
    }

    /// The topics an article belongs to, in site order.
    pub fn topics_of(&self, id: ArticleId) -> impl Iterator<Item = &Topic> {
        self.topics.iter().filter(move |t| t.articles.contains(&id))
    }
}

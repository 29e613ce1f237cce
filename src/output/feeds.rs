//! Feeds: Atom, RSS 2.0 and JSON Feed 1.1 for the whole site and for each topic.
//!
//! People follow briefings in feed readers, so every feed carries the full article (body HTML),
//! its dates, author and categories. All three formats are written from one `Entry` per article,
//! made from the site model, so they never disagree. Undated articles are left out: a feed is a
//! timeline, and an entry without a date cannot be placed on it (Atom even requires one).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::io;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use serde::Serialize;

use crate::error::{BuildError, Diagnostic};
use crate::model::{ArticleId, Site};
use crate::render::RenderedFile;
use crate::urls::BaseUrl;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";
const GENERATOR: &str = "briefing";

/// The three feed formats, each written to a fixed file name in the feed's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

impl FeedFormat {
    /// Every format, in the order pages link them.
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

    /// The file name; with the folder, it makes the feed's stable URL.
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    /// The media type, for `<link rel="alternate" type=…>`.
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    fn label(self) -> &'static str {
        match self {
            FeedFormat::Atom => "Atom",
            FeedFormat::Rss => "RSS",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

/// A feed as a page's `<head>` links it.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    /// `Ukraine Briefing (Atom)`.
    pub title: String,
    /// The format's name: `Atom`, `RSS` or `JSON Feed`.
    pub label: &'static str,
    pub media_type: &'static str,
    /// Absolute URL of the feed.
    pub url: String,
}

/// The links to the three feeds in `dir` (a site path: `""` or `topics/x/`).
pub fn feed_links(base: &BaseUrl, dir: &str, title: &str) -> Vec<FeedLink> {
    FeedFormat::ALL
        .iter()
        .map(|&format| FeedLink {
            title: format!("{title} ({})", format.label()),
            label: format.label(),
            media_type: format.media_type(),
            url: base.absolute(&format!("{dir}{}", format.file_name())),
        })
        .collect()
}

/// One feed: its folder, its page and the articles it carries, newest first.
struct Channel<'a> {
    title: String,
    description: &'a str,
    /// Site path of the folder holding the feed files, and of the page they follow.
    dir: String,
    entries: Vec<&'a Entry>,
}

/// An article as every feed format shows it.
struct Entry {
    url: String,
    title: String,
    /// The dek or summary as written; Atom and JSON Feed leave it out when there is none.
    summary: Option<String>,
    /// The summary, or the first words of the body: RSS's `description`, which readers show
    /// in lists, so it must stay short (the body is in `content:encoded`).
    teaser: String,
    content_html: String,
    author: Option<String>,
    published: DateTime<FixedOffset>,
    updated: DateTime<FixedOffset>,
    categories: Vec<String>,
}

/// Renders every feed of the site: `atom.xml`, `rss.xml` and `feed.json` at the root and in
/// each topic's folder.
pub fn render_feeds(
    site: &Site,
    article_topics: &[Vec<usize>],
) -> Result<Vec<RenderedFile>, BuildError> {
    render_feeds_where(site, article_topics, |_| true)
}

/// Renders the feeds that carry one of the `changed` articles (for `serve`'s fast pass).
pub fn render_feeds_showing(
    site: &Site,
    article_topics: &[Vec<usize>],
    changed: &BTreeSet<ArticleId>,
) -> Result<Vec<RenderedFile>, BuildError> {
    render_feeds_where(site, article_topics, |ids| {
        ids.iter().any(|id| changed.contains(id))
    })
}

/// Renders the feeds whose articles satisfy `wanted`; entries are made only for those.
fn render_feeds_where(
    site: &Site,
    article_topics: &[Vec<usize>],
    wanted: impl Fn(&[ArticleId]) -> bool,
) -> Result<Vec<RenderedFile>, BuildError> {
    let limit = site.config.config.feeds.limit;
    let newest = |ids: &mut dyn Iterator<Item = ArticleId>| -> Vec<ArticleId> {
        ids.filter(|id| site.article(*id).date.is_some())
            .take(limit)
            .collect()
    };
    let config = &site.config.config;
    let mut channels = vec![(
        config.title.clone(),
        config.description.as_str(),
        String::new(),
        newest(&mut (0..site.articles.len()).map(|i| ArticleId(i as u32))),
    )];
    channels.extend(site.topics.iter().map(|topic| {
        (
            format!("{} · {}", topic.name, config.title),
            topic.description.as_str(),
            topic.site_path(),
            newest(&mut topic.articles.iter().copied()),
        )
    }));
    channels.retain(|(_, _, _, ids)| wanted(ids));
    let entries: HashMap<ArticleId, Entry> = channels
        .iter()
        .flat_map(|(_, _, _, ids)| ids.iter().copied())
        .collect::<BTreeSet<ArticleId>>()
        .into_iter()
        .filter_map(|id| Some((id, entry(site, id, &article_topics[id.index()])?)))
        .collect();
    let mut files = Vec::with_capacity(channels.len() * 3);
    for (title, description, dir, ids) in channels {
        let channel = Channel {
            title,
            description,
            dir,
            entries: ids.iter().filter_map(|id| entries.get(id)).collect(),
        };
        for format in FeedFormat::ALL {
            let path = format!("{}{}", channel.dir, format.file_name());
            let bytes = write_feed(site, &channel, format).map_err(|e| {
                BuildError::Output(Diagnostic::error(&path, format!("cannot write feed: {e}")))
            })?;
            files.push(RenderedFile::new(path, bytes));
        }
    }
    Ok(files)
}

fn entry(site: &Site, id: ArticleId, topic_ids: &[usize]) -> Option<Entry> {
    let article = site.article(id);
    let published = article.date?.moment();
    let updated = article
        .updated
        .map_or(published, |d| d.moment())
        .max(published);
    let categories = topic_ids
        .iter()
        .map(|&t| site.topics[t].name.clone())
        .chain(article.tags.iter().map(|t| t.trim().to_string()))
        .filter(|c| !c.is_empty())
        .collect();
    Some(Entry {
        url: site.config.base_url.absolute(&article.site_path()),
        title: article.title.clone(),
        summary: article.dek.clone().or_else(|| article.summary.clone()),
        teaser: article.teaser(),
        content_html: article.body_html.clone(),
        author: article.author.clone().or_else(|| article.outlet.clone()),
        published,
        updated,
        categories,
    })
}

fn write_feed(site: &Site, channel: &Channel<'_>, format: FeedFormat) -> io::Result<Vec<u8>> {
    match format {
        FeedFormat::Atom => write_atom(site, channel),
        FeedFormat::Rss => write_rss(site, channel),
        FeedFormat::Json => write_json(site, channel),
    }
}

/// The newest change among the entries: the feed's own `updated`. A feed with no dated entry
/// gets the Unix epoch, so the output does not depend on when the site was built.
fn channel_updated(channel: &Channel<'_>) -> DateTime<FixedOffset> {
    channel
        .entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_default()
}

fn rfc3339(moment: DateTime<FixedOffset>) -> String {
    moment.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Drops the characters XML 1.0 cannot carry at all (most C0 controls), which imported text
/// may hold; everything else is escaped by the writer.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
    };
    // Bytes first: a control is one byte, and U+FFFE/U+FFFF start with 0xEF, so text with
    // neither needs no decoding.
    let suspect = |b: &u8| (*b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r')) || *b == 0xEF;
    if !text.as_bytes().iter().any(suspect) || text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

fn text(value: &str) -> BytesText<'_> {
    match xml_safe(value) {
        Cow::Borrowed(s) => BytesText::new(s),
        Cow::Owned(s) => BytesText::from_escaped(quick_xml::escape::escape(&s).into_owned()),
    }
}

/// An XML writer into memory, indented for people reading the file.
pub(crate) type XmlWriter = Writer<Vec<u8>>;

/// A writer that has written the XML declaration.
pub(crate) fn xml_writer() -> io::Result<XmlWriter> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    Ok(writer)
}

/// The written document, ending in a newline.
pub(crate) fn finish(writer: XmlWriter) -> Vec<u8> {
    let mut bytes = writer.into_inner();
    bytes.push(b'\n');
    bytes
}

/// `<name>value</name>`, escaped.
pub(crate) fn element(w: &mut XmlWriter, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name).write_text_content(text(value))?;
    Ok(())
}

fn write_atom(site: &Site, channel: &Channel<'_>) -> io::Result<Vec<u8>> {
    let base = &site.config.base_url;
    let page_url = base.absolute(&channel.dir);
    let self_url = base.absolute(&format!("{}{}", channel.dir, FeedFormat::Atom.file_name()));
    let mut w = xml_writer()?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", xml_safe(&site.config.config.language).as_ref()))
        .write_inner_content(|w| {
            element(w, "title", &channel.title)?;
            if !channel.description.is_empty() {
                element(w, "subtitle", channel.description)?;
            }
            element(w, "id", &page_url)?;
            link(w, "self", FeedFormat::Atom.media_type(), &self_url)?;
            link(w, "alternate", "text/html", &page_url)?;
            element(w, "updated", &rfc3339(channel_updated(channel)))?;
            w.create_element("author")
                .write_inner_content(|w| element(w, "name", &site.config.config.title))?;
            element(w, "generator", GENERATOR)?;
            for entry in &channel.entries {
                atom_entry(w, entry)?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

fn link(w: &mut XmlWriter, rel: &str, media_type: &str, href: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", media_type))
        .with_attribute(("href", href))
        .write_empty()?;
    Ok(())
}

fn atom_entry(w: &mut XmlWriter, entry: &Entry) -> io::Result<()> {
    w.create_element("entry").write_inner_content(|w| {
        element(w, "title", &entry.title)?;
        link(w, "alternate", "text/html", &entry.url)?;
        element(w, "id", &entry.url)?;
        element(w, "published", &rfc3339(entry.published))?;
        element(w, "updated", &rfc3339(entry.updated))?;
        if let Some(author) = &entry.author {
            w.create_element("author")
                .write_inner_content(|w| element(w, "name", author))?;
        }
        for category in &entry.categories {
            w.create_element("category")
                .with_attribute(("term", xml_safe(category).as_ref()))
                .write_empty()?;
        }
        if let Some(summary) = &entry.summary {
            element(w, "summary", summary)?;
        }
        // xml:base makes the body's relative links resolve against the article's own URL.
        w.create_element("content")
            .with_attribute(("type", "html"))
            .with_attribute(("xml:base", entry.url.as_str()))
            .write_text_content(text(&entry.content_html))?;
        Ok(())
    })?;
    Ok(())
}

fn write_rss(site: &Site, channel: &Channel<'_>) -> io::Result<Vec<u8>> {
    let base = &site.config.base_url;
    let self_url = base.absolute(&format!("{}{}", channel.dir, FeedFormat::Rss.file_name()));
    let description = if channel.description.is_empty() {
        channel.title.as_str()
    } else {
        channel.description
    };
    let mut w = xml_writer()?;
    w.create_element("rss")
        .with_attribute(("version", "2.0"))
        .with_attribute(("xmlns:atom", ATOM_NS))
        .with_attribute(("xmlns:content", CONTENT_NS))
        .with_attribute(("xmlns:dc", DC_NS))
        .write_inner_content(|w| {
            w.create_element("channel").write_inner_content(|w| {
                element(w, "title", &channel.title)?;
                element(w, "link", &base.absolute(&channel.dir))?;
                element(w, "description", description)?;
                element(w, "language", &site.config.config.language)?;
                element(w, "generator", GENERATOR)?;
                if !channel.entries.is_empty() {
                    element(w, "lastBuildDate", &channel_updated(channel).to_rfc2822())?;
                }
                w.create_element("atom:link")
                    .with_attribute(("href", self_url.as_str()))
                    .with_attribute(("rel", "self"))
                    .with_attribute(("type", FeedFormat::Rss.media_type()))
                    .write_empty()?;
                for entry in &channel.entries {
                    rss_item(w, entry)?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(finish(w))
}

fn rss_item(w: &mut XmlWriter, entry: &Entry) -> io::Result<()> {
    w.create_element("item").write_inner_content(|w| {
        element(w, "title", &entry.title)?;
        element(w, "link", &entry.url)?;
        w.create_element("guid")
            .with_attribute(("isPermaLink", "true"))
            .write_text_content(text(&entry.url))?;
        element(w, "pubDate", &entry.published.to_rfc2822())?;
        if let Some(author) = &entry.author {
            element(w, "dc:creator", author)?;
        }
        for category in &entry.categories {
            element(w, "category", category)?;
        }
        element(w, "description", &entry.teaser)?;
        element(w, "content:encoded", &entry.content_html)?;
        Ok(())
    })?;
    Ok(())
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    language: &'a str,
    authors: [JsonAuthor<'a>; 1],
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

fn write_json(site: &Site, channel: &Channel<'_>) -> io::Result<Vec<u8>> {
    let base = &site.config.base_url;
    let config = &site.config.config;
    let feed = JsonFeed {
        version: JSON_FEED_VERSION,
        title: &channel.title,
        home_page_url: base.absolute(&channel.dir),
        feed_url: base.absolute(&format!("{}{}", channel.dir, FeedFormat::Json.file_name())),
        description: channel.description,
        language: &config.language,
        authors: [JsonAuthor {
            name: &config.title,
        }],
        items: channel
            .entries
            .iter()
            .map(|entry| JsonItem {
                id: &entry.url,
                url: &entry.url,
                title: &entry.title,
                content_html: &entry.content_html,
                summary: entry.summary.as_deref(),
                date_published: rfc3339(entry.published),
                date_modified: rfc3339(entry.updated),
                authors: entry
                    .author
                    .as_deref()
                    .map(|name| JsonAuthor { name })
                    .into_iter()
                    .collect(),
                tags: &entry.categories,
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&feed).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{test_article, test_site};
    use crate::render::article_topics;

    const SITE: &str = "title = \"B & B\"\nbase_url = \"https://x.org/sub/\"\n[feeds]\nlimit = 2\n";

    fn feeds(site: &Site) -> Vec<RenderedFile> {
        render_feeds(site, &article_topics(site)).unwrap()
    }

    fn text_of<'a>(files: &'a [RenderedFile], path: &str) -> &'a str {
        let file = files.iter().find(|f| f.path == path).unwrap();
        std::str::from_utf8(&file.bytes).unwrap()
    }

    /// Every element's text, read back by an XML parser: proves the file is well-formed.
    fn parsed_texts(xml: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let (mut texts, mut raw) = (Vec::new(), String::new());
        loop {
            let event = reader.read_event().unwrap();
            match &event {
                Event::Text(t) => raw.push_str(&t[..]),
                Event::GeneralRef(r) => raw.push_str(&format!("&{};", &r[..])),
                _ if !raw.is_empty() => {
                    texts.push(quick_xml::escape::unescape(&raw).unwrap().into_owned());
                    raw.clear();
                }
                _ => {}
            }
            if matches!(event, Event::Eof) {
                break;
            }
        }
        texts
    }

    #[test]
    fn site_and_topic_feeds_in_three_formats_newest_first_up_to_the_limit() {
        let site = test_site(
            SITE,
            vec![
                test_article("Old", Some("2025-01-01"), &["Talks"]),
                test_article("Middle", Some("2025-02-01"), &[]),
                test_article("New", Some("2025-03-01T10:00:00+02:00"), &["Talks"]),
            ],
        );
        let files = feeds(&site);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "atom.xml",
                "rss.xml",
                "feed.json",
                "topics/talks/atom.xml",
                "topics/talks/rss.xml",
                "topics/talks/feed.json",
                "topics/middle/atom.xml",
                "topics/middle/rss.xml",
                "topics/middle/feed.json"
            ]
        );
        let atom = text_of(&files, "atom.xml");
        let new = atom.find("<title>New</title>").unwrap();
        let middle = atom.find("<title>Middle</title>").unwrap();
        assert!(
            new < middle && !atom.contains("<title>Old</title>"),
            "{atom}"
        );
        assert!(atom.contains("<published>2025-03-01T10:00:00+02:00</published>"));
        assert!(atom.contains("<updated>2025-03-01T10:00:00+02:00</updated>\n  <author>"));
        let topic = text_of(&files, "topics/talks/rss.xml");
        assert!(topic.contains("<title>Old</title>") && !topic.contains("<title>Middle</title>"));
        assert!(
            topic.contains("<pubDate>Sat, 1 Mar 2025 10:00:00 +0200</pubDate>"),
            "{topic}"
        );
        assert!(topic.contains("href=\"https://x.org/sub/topics/talks/rss.xml\""));
    }

    #[test]
    fn untrusted_text_is_escaped_and_control_characters_dropped() {
        let mut article = test_article("A <b>bold</b> & \u{1}odd title", Some("2025-01-01"), &[]);
        article.body_html = "<p>x &amp; y</p>".into();
        article.author = Some("Ann \"Q\" <a@b>".into());
        let site = test_site(SITE, vec![article]);
        let files = feeds(&site);
        for path in ["atom.xml", "rss.xml"] {
            let texts = parsed_texts(text_of(&files, path));
            assert!(
                texts.iter().any(|t| t == "A <b>bold</b> & odd title"),
                "{texts:?}"
            );
            assert!(texts.iter().any(|t| t == "<p>x &amp; y</p>"), "{texts:?}");
            assert!(texts.iter().any(|t| t == "Ann \"Q\" <a@b>"), "{texts:?}");
        }
        let json: serde_json::Value =
            serde_json::from_slice(&files.iter().find(|f| f.path == "feed.json").unwrap().bytes)
                .unwrap();
        assert_eq!(json["version"], JSON_FEED_VERSION);
        assert_eq!(json["items"][0]["content_html"], "<p>x &amp; y</p>");
        assert_eq!(json["items"][0]["authors"][0]["name"], "Ann \"Q\" <a@b>");
    }

    #[test]
    fn rss_description_is_a_short_teaser_and_the_body_goes_in_content() {
        let mut article = test_article("Long", Some("2025-01-01"), &[]);
        let paragraph = "word ".repeat(500);
        article.body_text = format!("{paragraph}\n\nSecond paragraph.");
        article.body_html = format!("<p>{paragraph}</p><p>Second paragraph.</p>");
        let site = test_site(SITE, vec![article]);
        let texts = parsed_texts(text_of(&feeds(&site), "rss.xml"));
        let teaser = format!("{}…", "word ".repeat(40).trim_end());
        assert!(texts.contains(&teaser), "{texts:?}");
        assert!(
            texts
                .iter()
                .any(|t| t.ends_with("<p>Second paragraph.</p>"))
        );
    }

    #[test]
    fn undated_articles_stay_out_and_an_empty_feed_is_still_valid() {
        let site = test_site(SITE, vec![test_article("Undated", None, &[])]);
        let files = feeds(&site);
        let atom = text_of(&files, "atom.xml");
        assert!(!atom.contains("Undated"));
        assert!(
            atom.contains("<updated>1970-01-01T00:00:00Z</updated>"),
            "{atom}"
        );
        let json: serde_json::Value = serde_json::from_str(text_of(&files, "feed.json")).unwrap();
        assert_eq!(json["items"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn links_name_the_format_and_honour_the_base_path() {
        let base = crate::urls::parse_base_url("https://u.github.io/repo").unwrap();
        let links = feed_links(&base, "topics/t/", "T");
        assert_eq!(links[0].url, "https://u.github.io/repo/topics/t/atom.xml");
        assert_eq!(links[1].title, "T (RSS)");
        assert_eq!(links[2].media_type, "application/feed+json");
    }

    #[test]
    fn xml_safe_keeps_text_and_whitespace_and_drops_controls() {
        assert!(matches!(xml_safe("plain\ttext\n"), Cow::Borrowed(_)));
        // U+FF71 starts with the same byte as U+FFFE.
        assert!(matches!(xml_safe("ｱ café"), Cow::Borrowed(_)));
        assert_eq!(xml_safe("a\u{0}b\u{1b}c\u{FFFE}"), "abc");
    }
}

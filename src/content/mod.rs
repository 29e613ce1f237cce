//! Content: every `.md` file under `content/` becomes an `Article`.
//!
//! A raw `.txt` article or saved `.html`/`.htm` page dropped in `content/` is imported in memory
//! (`crate::ingest`) and then read like the Markdown file `briefing import` would have written
//! for it.
//!
//! Files are read and parsed in parallel, and every problem in every file is collected, so one
//! build tells the user about all of them. Drafts and future articles are dropped here, so later
//! stages only ever see what will be published.

pub mod front_matter;
pub mod links;
pub mod markdown;
pub mod section;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::{Diagnostic, line_column};
use crate::model::Article;
use crate::slug::slugify;
use crate::walk::Listing;
use front_matter::{FrontMatter, HeadlineEntry, Split};
use markdown::{Highlighter, HtmlPolicy};
use section::SectionSource;
use toml::Spanned;

/// What decides which articles are published.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Publish drafts and future-dated articles too.
    pub drafts: bool,
    /// Articles dated after this day are future articles.
    pub today: NaiveDate,
    /// What raw HTML in bodies may do.
    pub html_policy: HtmlPolicy,
}

/// The articles of a site, and every problem found while reading them.
#[derive(Debug, Default)]
pub struct Loaded {
    /// In file-path order; the site model sorts them by date.
    pub articles: Vec<Article>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A file under `content/` that briefing reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// As read from disk.
    pub path: PathBuf,
    /// Relative to the site root, for messages and `index.json`.
    pub display: PathBuf,
}

/// Lists the content files in a stable order, reporting folders that cannot be read.
pub fn find_sources(root: &Path, content: &Listing) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let content_dir = content.dir.as_path();
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    if !content_dir.is_dir() {
        diagnostics.push(Diagnostic::warning(
            content_dir,
            "no content folder: the site has no articles yet (add Markdown files under content/)",
        ));
        return (sources, diagnostics);
    }
    for entry in &content.entries {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_article_file(entry.path()) => {
                let path = entry.path().to_path_buf();
                let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                sources.push(SourceFile { path, display });
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(content_dir).to_path_buf();
                diagnostics.push(Diagnostic::warning(path, format!("skipped: {e}")));
            }
        }
    }
    (sources, diagnostics)
}

fn is_article_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    // Zola's section files describe a folder, not an article.
    path.extension()
        .is_some_and(|ext| ext == "md" || is_raw_extension(ext))
        && name != "_index.md"
        && !name.starts_with('.')
}

fn is_raw_extension(ext: &std::ffi::OsStr) -> bool {
    ["txt", "html", "htm"]
        .iter()
        .any(|raw| ext.eq_ignore_ascii_case(raw))
}

/// Finds and parses the sections (`_index.md` files) of the content folder, in path order.
pub fn load_sections(root: &Path, content: &Listing) -> (Vec<SectionSource>, Vec<Diagnostic>) {
    let mut sections = Vec::new();
    let mut diagnostics = Vec::new();
    let content_dir = content.dir.as_path();
    let content_relative = content_dir.strip_prefix(root).unwrap_or(content_dir);
    for entry in content
        .entries
        .iter()
        .filter_map(|entry| entry.as_ref().ok())
    {
        if entry.file_name() != section::SECTION_FILE || !entry.file_type().is_file() {
            continue;
        }
        let display = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let parsed = std::fs::read(entry.path())
            .map_err(|e| vec![Diagnostic::error(display, format!("cannot read: {e}"))])
            .and_then(|bytes| {
                let text = decode_utf8(&bytes, display).map_err(|d| vec![d])?;
                section::parse_section(text, display, content_relative)
            });
        match parsed {
            Ok(Some(section)) => sections.push(section),
            Ok(None) => {}
            Err(mut errors) => diagnostics.append(&mut errors),
        }
    }
    (sections, diagnostics)
}

/// Reads and parses every source, keeps what is to be published, and checks slugs are unique.
pub fn load(sources: &[SourceFile], options: LoadOptions, highlighter: &Highlighter) -> Loaded {
    let results: Vec<Result<Article, Vec<Diagnostic>>> = sources
        .par_iter()
        .map(|source| read_article(source, options.html_policy, highlighter))
        .collect();
    collect(results, options)
}

/// Keeps the parsed articles that are to be published (in the order given) and checks that
/// their slugs are unique; `serve` calls it with articles it parsed earlier and kept.
pub fn collect(results: Vec<Result<Article, Vec<Diagnostic>>>, options: LoadOptions) -> Loaded {
    let mut loaded = Loaded {
        articles: Vec::with_capacity(results.len()),
        diagnostics: Vec::new(),
    };
    for result in results {
        match result {
            Ok(article) => {
                if let Some(article) = publishable(article, options, &mut loaded.diagnostics) {
                    loaded.articles.push(article);
                }
            }
            Err(mut diagnostics) => loaded.diagnostics.append(&mut diagnostics),
        }
    }
    loaded
        .diagnostics
        .extend(separate_title_slugs(&mut loaded.articles));
    loaded.diagnostics.extend(duplicate_slugs(&loaded.articles));
    loaded
}

/// Reads and parses one source file.
pub fn read_article(
    source: &SourceFile,
    policy: HtmlPolicy,
    highlighter: &Highlighter,
) -> Result<Article, Vec<Diagnostic>> {
    let bytes = std::fs::read(&source.path).map_err(|e| {
        vec![Diagnostic::error(
            &source.display,
            format!("cannot read: {e}"),
        )]
    })?;
    if source.path.extension().is_some_and(is_raw_extension) {
        let markdown =
            crate::ingest::raw_file_to_markdown(&source.path, &bytes).map_err(|reason| {
                vec![Diagnostic::warning(
                    &source.display,
                    format!("skipped: {reason}"),
                )]
            })?;
        return parse_article(&markdown, &source.display, highlighter);
    }
    let text = decode_utf8(&bytes, &source.display).map_err(|d| vec![d])?;
    parse_article_with(text, &source.display, policy, highlighter)
}

/// Content files must be UTF-8; the error points at the first bad byte.
fn decode_utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        let text = std::str::from_utf8(valid).unwrap_or_default();
        Diagnostic::error(
            path,
            "not valid UTF-8: save the file as UTF-8 (raw articles in other encodings go through `briefing import`)",
        )
        .at_offset(text, text.len(), 1)
    })
}

/// Parses one Markdown file with front matter into an article, sanitising raw HTML.
pub fn parse_article(
    text: &str,
    path: &Path,
    highlighter: &Highlighter,
) -> Result<Article, Vec<Diagnostic>> {
    parse_article_with(text, path, HtmlPolicy::Sanitise, highlighter)
}

/// Parses one Markdown file with front matter into an article.
pub fn parse_article_with(
    text: &str,
    path: &Path,
    policy: HtmlPolicy,
    highlighter: &Highlighter,
) -> Result<Article, Vec<Diagnostic>> {
    let split = front_matter::split(text, path).map_err(|d| vec![d])?;
    let front_matter::Parsed {
        value,
        errors,
        dropped,
    } = front_matter::parse::<FrontMatter>(&split, path);
    let Some(fm) = value else {
        return Err(errors);
    };
    let mut checks = Vec::new();
    let mut article = from_front_matter(fm, &split, path, (policy, highlighter), &mut checks);
    let errors = front_matter::with_checks(errors, &dropped, checks);
    // Body lines count from the line after the closing `+++`.
    let body_line = split.front_matter_line + split.front_matter.matches('\n').count() + 1;
    for link in &mut article.local_links {
        link.line += body_line - 1;
    }
    if errors.is_empty() {
        Ok(article)
    } else {
        Err(errors)
    }
}

fn from_front_matter(
    fm: FrontMatter,
    split: &Split<'_>,
    path: &Path,
    (policy, highlighter): (HtmlPolicy, &Highlighter),
    errors: &mut Vec<Diagnostic>,
) -> Article {
    let title = match &fm.title {
        Some(title) if !title.get_ref().trim().is_empty() => title.get_ref().trim().to_string(),
        _ => {
            errors.push(
                Diagnostic::error(
                    path,
                    "title: missing; add `title = \"...\"` to the front matter",
                )
                .at(split.front_matter_line.saturating_sub(1).max(1), 1),
            );
            String::new()
        }
    };
    let at = |message: String, value: &Spanned<String>| {
        Diagnostic::error(path, message).at_offset(
            split.front_matter,
            value.span().start,
            split.front_matter_line,
        )
    };
    for alias in &fm.aliases {
        if !is_safe_alias(alias.get_ref()) {
            let message = format!(
                "aliases: `{}` is not a path inside the site; write it like \"/old/path/\"",
                alias.get_ref()
            );
            errors.push(at(message, alias));
        }
    }
    let mut date_of = |field: &str, value: &Option<toml::Spanned<toml::Value>>| {
        value.as_ref().and_then(|v| {
            front_matter::parse_date(field, v, split, path)
                .map_err(|d| errors.push(d))
                .ok()
        })
    };
    let date = date_of("date", &fm.date);
    let updated = date_of("updated", &fm.updated);
    let slug = article_slug(&fm, &title, path);
    let body = markdown::render_with(split.body, highlighter, policy);
    let mut taxonomies = fm.taxonomies;
    let topics = merge_names(fm.topics, taxonomies.remove("topics"));
    let tags = merge_names(fm.tags, taxonomies.remove("tags"));
    Article {
        source: path.to_path_buf(),
        slug,
        title,
        dek: non_empty(fm.dek),
        summary: non_empty(fm.summary).or_else(|| non_empty(fm.description)),
        author: non_empty(fm.author),
        outlet: non_empty(fm.outlet),
        source_url: checked(
            fm.source_url,
            |url| web_link("source_url", url),
            errors,
            &at,
        ),
        image: checked(fm.image, image_link, errors, &at),
        date,
        updated,
        reading_minutes: fm
            .reading_minutes
            .unwrap_or_else(|| markdown::reading_minutes(body.word_count)),
        word_count: body.word_count,
        topics,
        tags,
        draft: fm.draft,
        highlights: fm.highlights,
        related_headlines: fm
            .related_headlines
            .into_iter()
            .map(|entry| match entry {
                HeadlineEntry::Linked { title, url } => crate::model::RelatedHeadline {
                    title,
                    url: checked(url, |u| web_link("related_headlines", u), errors, &at),
                    local_url: None,
                },
                title => title.into(),
            })
            .collect(),
        quotes: fm.quotes,
        aliases: fm
            .aliases
            .into_iter()
            .map(|alias| {
                let (line, column) = line_column(split.front_matter, alias.span().start);
                crate::model::Alias {
                    path: alias.into_inner(),
                    line: line + split.front_matter_line - 1,
                    column,
                }
            })
            .collect(),
        weight: fm.weight,
        extra: fm.extra,
        body_html: body.html,
        body_text: body.text,
        local_links: body.local_links,
    }
}

/// A front-matter link that `check` accepts (trimmed, or as `check` rewrites it); when it
/// refuses, its message is reported at the value's place in the file.
fn checked(
    value: Option<Spanned<String>>,
    check: impl FnOnce(&str) -> Result<String, String>,
    errors: &mut Vec<Diagnostic>,
    at: &impl Fn(String, &Spanned<String>) -> Diagnostic,
) -> Option<String> {
    let value = value.filter(|v| !v.get_ref().trim().is_empty())?;
    check(value.get_ref().trim())
        .map_err(|message| errors.push(at(message, &value)))
        .ok()
}

/// Links from front matter go on pages as `href`s: only web links, never `javascript:` or `data:`.
fn web_link(field: &str, url: &str) -> Result<String, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(url.to_string());
    }
    Err(format!(
        "{field}: `{url}` is not a web link; write a full http:// or https:// URL"
    ))
}

/// A lead image is a web link or a path inside the site (a file under `static/`).
fn image_link(url: &str) -> Result<String, String> {
    if url.contains("://") {
        return web_link("image", url);
    }
    if is_safe_alias(url) {
        return Ok(url.trim_start_matches('/').to_string());
    }
    Err(format!(
        "image: `{url}` is neither a web link nor a path inside the site (like \"images/lead.jpg\")"
    ))
}

/// An alias is a site path of plain segments: no `..`, no scheme, no empty path.
fn is_safe_alias(alias: &str) -> bool {
    let trimmed = alias.trim().trim_matches('/');
    !trimmed.is_empty()
        && !trimmed.contains(['\\', ':', '?', '#', '"', '<', '>'])
        && trimmed
            .split('/')
            .all(|segment| !segment.is_empty() && segment != "." && segment != "..")
}

/// The slug from `slug`, else the title, else the file name; always one safe path segment.
fn article_slug(fm: &FrontMatter, title: &str, path: &Path) -> String {
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    [
        fm.slug.as_ref().map(|s| s.get_ref().as_str()),
        Some(title),
        Some(stem),
    ]
    .into_iter()
    .flatten()
    .map(slugify)
    .find(|s| !s.is_empty())
    .unwrap_or_else(|| "article".to_string())
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Names from two places, trimmed, first spelling kept, without repeats.
fn merge_names(first: Vec<String>, second: Option<Vec<String>>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    // Each name's slug once, not once per comparison.
    let mut slugs: Vec<String> = Vec::new();
    for name in first.iter().chain(second.iter().flatten()) {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let slug = slugify(name);
        if !slugs.contains(&slug) {
            slugs.push(slug);
            names.push(name.to_string());
        }
    }
    names
}

/// Drops drafts and future articles unless asked for, and warns about undated ones.
fn publishable(
    article: Article,
    options: LoadOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    if options.drafts {
        return Some(article);
    }
    if article.draft {
        return None;
    }
    match article.date {
        Some(date) if date.day() > options.today => None,
        Some(_) => Some(article),
        None => {
            diagnostics.push(Diagnostic::warning(
                &article.source,
                "no date: the article is listed as undated, after the dated ones (add `date = 2025-08-18`)",
            ));
            Some(article)
        }
    }
}

/// Articles whose titles give the same slug (two stories headlined alike) take the slugs of
/// their file names instead, as Zola and Hugo name pages, with a warning naming the files. A
/// slug set in front matter is kept, and a clash that remains is an error (`duplicate_slugs`).
fn separate_title_slugs(articles: &mut [Article]) -> Vec<Diagnostic> {
    let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, article) in articles.iter().enumerate() {
        by_slug.entry(article.slug.clone()).or_default().push(i);
    }
    let mut warnings = Vec::new();
    for (slug, indices) in by_slug.into_iter().filter(|(_, v)| v.len() > 1) {
        let from_title: Vec<usize> = indices
            .into_iter()
            .filter(|&i| slugify(&articles[i].title) == slug)
            .collect();
        let mut renamed = Vec::new();
        for &i in &from_title {
            let stem = articles[i]
                .source
                .file_stem()
                .map(|s| slugify(&s.to_string_lossy()))
                .unwrap_or_default();
            if !stem.is_empty() && stem != slug {
                articles[i].slug = stem;
                renamed.push(i);
            }
        }
        if let Some((&first, rest)) = renamed.split_first() {
            let names: Vec<String> = rest
                .iter()
                .map(|&i| format!("{} (`{}`)", articles[i].source.display(), articles[i].slug))
                .collect();
            warnings.push(Diagnostic::warning(
                &articles[first].source,
                format!(
                    "the title's slug `{slug}` is shared with {}: each takes its file name's slug (`{}` here); set `slug = \"...\"` to choose",
                    if names.is_empty() { "an article with that slug".to_string() } else { names.join(", ") },
                    articles[first].slug
                ),
            ));
        }
    }
    warnings
}

/// One error per slug that more than one article claims, naming every file.
fn duplicate_slugs(articles: &[Article]) -> Vec<Diagnostic> {
    let mut by_slug: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for article in articles {
        by_slug
            .entry(&article.slug)
            .or_default()
            .push(&article.source);
    }
    by_slug
        .into_iter()
        .filter(|(_, paths)| paths.len() > 1)
        .map(|(slug, paths)| {
            let others: Vec<String> = paths[1..].iter().map(|p| p.display().to_string()).collect();
            Diagnostic::error(
                paths[0],
                format!(
                    "slug `{slug}` is also used by {}: give one of them a different `slug = \"...\"`",
                    others.join(", ")
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article(text, Path::new("content/a.md"), &Highlighter::default())
    }

    #[test]
    fn a_full_article_is_read() {
        let article = parse(
            "+++\ntitle = \"Talks resume\"\ndate = 2025-08-18\ndek = \"A dek\"\ntopics = [\"Ukraine talks\"]\nhighlights = [\"h1\"]\nrelated_headlines = [\"Other\", { title = \"Linked\", url = \"https://x.org/a\" }]\n[[quotes]]\ntext = \"We talk.\"\nspeaker = \"Zelensky\"\ncontext = \"after the talks\"\n+++\nBody *text* here.\n",
        )
        .unwrap();
        assert_eq!(article.slug, "talks-resume");
        assert_eq!(article.dek.as_deref(), Some("A dek"));
        assert_eq!(article.topics, ["Ukraine talks"]);
        assert_eq!(article.quotes[0].speaker, "Zelensky");
        assert_eq!(
            article.related_headlines[1].url.as_deref(),
            Some("https://x.org/a")
        );
        assert_eq!(article.word_count, 3);
        assert_eq!(article.reading_minutes, 1);
        assert!(article.body_html.contains("<em>text</em>"));
    }

    #[test]
    fn every_error_of_a_file_is_reported() {
        let errors = parse("+++\ndate = \"soon\"\nupdated = \"later\"\n+++\n").unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("title: missing"));
        assert!(messages[1].starts_with("content/a.md:2:8: date:"));
        assert!(messages[2].starts_with("content/a.md:3:11: updated:"));
    }

    #[test]
    fn a_wrong_type_and_an_unsafe_alias_are_both_reported() {
        let errors =
            parse("+++\ntitle = \"A\"\nweight = \"heavy\"\naliases = [\"../x\", 3]\n+++\n")
                .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "content/a.md:3:10: weight: invalid type: string \"heavy\", expected i64",
                "content/a.md:4:20: aliases[1]: invalid type: integer `3`, expected a string",
                "content/a.md:4:12: aliases: `../x` is not a path inside the site; write it like \"/old/path/\"",
            ]
        );
    }

    #[test]
    fn a_wrong_title_is_not_also_missing() {
        for (title, error) in [
            (
                "title = 1",
                "content/a.md:2:9: title: invalid type: integer `1`, expected a string",
            ),
            (
                "title =",
                "content/a.md:2:8: title: string values must be quoted",
            ),
            (
                "title = \"A",
                "content/a.md:2:11: title: invalid basic string",
            ),
        ] {
            let errors = parse(&format!("+++\n{title}\ndraft = 1\n+++\n")).unwrap_err();
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            assert_eq!(messages.len(), 2, "{messages:#?}");
            assert!(messages[0].starts_with(error), "{messages:#?}");
            assert!(
                messages[1].starts_with("content/a.md:3:9: draft:"),
                "{messages:#?}"
            );
        }
        let errors = parse("+++\ndraft = 1\n+++\n").unwrap_err();
        assert!(
            errors[0].message.starts_with("title: missing"),
            "{errors:?}"
        );
    }

    #[test]
    fn drafts_and_future_articles_are_held_back() {
        let options = LoadOptions {
            drafts: false,
            today: NaiveDate::from_ymd_opt(2025, 8, 18).unwrap(),
            html_policy: HtmlPolicy::Sanitise,
        };
        let future = parse("+++\ntitle = \"F\"\ndate = 2025-08-19\n+++\n").unwrap();
        let draft = parse("+++\ntitle = \"D\"\ndraft = true\ndate = 2025-08-01\n+++\n").unwrap();
        let mut diagnostics = Vec::new();
        assert!(publishable(future.clone(), options, &mut diagnostics).is_none());
        assert!(publishable(draft, options, &mut diagnostics).is_none());
        let with_drafts = LoadOptions {
            drafts: true,
            ..options
        };
        assert!(publishable(future, with_drafts, &mut diagnostics).is_some());
        let undated = parse("+++\ntitle = \"U\"\n+++\n").unwrap();
        assert!(publishable(undated, options, &mut diagnostics).is_some());
        assert!(diagnostics[0].message.contains("no date"));
    }

    #[test]
    fn alike_titles_take_their_file_names_slugs_with_a_warning() {
        let mut articles = vec![
            parse_article(
                "+++\ntitle = \"Same\"\n+++\n",
                Path::new("content/1-same.md"),
                &Highlighter::default(),
            )
            .unwrap(),
            parse_article(
                "+++\ntitle = \"same!\"\n+++\n",
                Path::new("content/2-same.md"),
                &Highlighter::default(),
            )
            .unwrap(),
        ];
        let warnings = separate_title_slugs(&mut articles);
        assert_eq!(warnings.len(), 1);
        assert!(!warnings[0].is_error());
        assert!(warnings[0].to_string().contains("content/2-same.md"));
        assert_eq!(articles[0].slug, "1-same");
        assert_eq!(articles[1].slug, "2-same");
        assert!(duplicate_slugs(&articles).is_empty());
    }

    #[test]
    fn duplicate_slugs_name_both_files() {
        let a = parse_article(
            "+++\ntitle = \"Same\"\n+++\n",
            Path::new("content/a.md"),
            &Highlighter::default(),
        )
        .unwrap();
        let b = parse_article(
            "+++\ntitle = \"same!\"\n+++\n",
            Path::new("content/b.md"),
            &Highlighter::default(),
        )
        .unwrap();
        let errors = duplicate_slugs(&[a, b]);
        assert_eq!(errors.len(), 1);
        let message = errors[0].to_string();
        assert!(message.starts_with("content/a.md:"));
        assert!(message.contains("content/b.md"));
    }

    #[test]
    fn script_links_in_front_matter_are_errors_at_their_place() {
        let errors = parse(
            "+++\ntitle = \"A\"\nsource_url = \"javascript:alert(1)\"\nimage = \"data:x\"\nrelated_headlines = [\"plain\", { title = \"x\", url = \"data:text/html,x\" }]\n+++\n",
        )
        .unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with(
                "content/a.md:3:14: source_url: `javascript:alert(1)` is not a web link"
            ),
            "{messages:?}"
        );
        assert!(messages[1].starts_with("content/a.md:4:9: image: `data:x`"));
        assert!(
            messages[2].starts_with("content/a.md:5:52: related_headlines: `data:text/html,x`")
        );
    }

    #[test]
    fn a_bad_related_headline_costs_only_itself_and_extra_keys_pass() {
        let text = "+++\ntitle = \"A\"\nrelated_headlines = [\n  \"a\",\n  3,\n  { title = \"b\", url = \"https://x.org/b\", via = \"feed\" },\n  { url = \"https://x.org/c\" },\n]\n+++\n";
        let messages: Vec<String> = parse(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].starts_with("content/a.md:5:3: related_headlines[1]: invalid type"));
        assert_eq!(
            messages[1],
            "content/a.md:7:3: related_headlines[3]: missing field `title`"
        );
    }

    #[test]
    fn aliases_must_stay_inside_the_site() {
        assert!(is_safe_alias("/old/path/"));
        assert!(is_safe_alias("2019/story.html"));
        assert!(!is_safe_alias("/../etc/"));
        assert!(!is_safe_alias("https://x.org/"));
        assert!(!is_safe_alias("/"));
        let errors = parse("+++\ntitle = \"A\"\naliases = [\"../x\"]\n+++\n").unwrap_err();
        assert!(errors[0].message.starts_with("aliases:"));
    }

    #[test]
    fn non_utf8_is_an_error_with_its_line() {
        let err = decode_utf8(b"+++\ntitle = \"\xff\"\n", Path::new("content/x.md")).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(err.message.contains("UTF-8"));
    }

    #[test]
    fn names_are_merged_by_slug_keeping_the_first_spelling() {
        let first = vec![
            " Ukraine talks ".to_string(),
            "ukraine-talks".into(),
            " ".into(),
        ];
        let second = Some(vec!["Ukraine Talks".to_string(), "Kyiv".into()]);
        assert_eq!(merge_names(first, second), ["Ukraine talks", "Kyiv"]);
    }
}

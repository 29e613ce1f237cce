//! The fast pass: after an edit to articles, re-render only the pages that show them.
//!
//! A whole build of a 10,000-article site takes seconds (analysis and the search index alone do),
//! far more than an editor should wait to see a save. Most saves change what an article says, not
//! where it sits in the site, so this pass re-reads only the edited files and, when each keeps its
//! slug, date, weight, topics, tags and aliases and its place in the site's order, puts it into
//! the last whole build's `Site` in place of the old one and renders the pages that show it
//! (`render::subset`), its feeds, `index.json` and the sitemaps, laid over the last whole build's
//! files. An edited file of `static/` (a stylesheet, say) is served as it is. Anything else (a
//! new, deleted or moved article or static file, a template, `site.toml`) is left to the whole
//! pass.
//!
//! What this pass does not redo is the analysis (automatic stories, related news, entities) and
//! the search index, which depend on every article: those stay as the last whole build left them
//! until the whole pass that `serve` runs after every change replaces the result with one
//! byte-identical to a clean build.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::files::{FileMap, SiteFiles};
use crate::content::markdown::{Highlighter, HtmlPolicy};
use crate::content::{self, SourceFile};
use crate::error::{BuildError, Diagnostic};
use crate::model::{Article, ArticleDate, ArticleId, Quote, Site};
use crate::render::context::{self, ArticleSummary};
use crate::render::subset::{Edits, render_pages_showing};
use crate::render::theme::{LoadedTheme, ThemeInfo};
use crate::render::{RenderedFile, Templates};
use crate::site::site_order;
use crate::{output, render};

/// What the fast pass made of a batch of changes.
#[derive(Debug)]
pub enum Fast {
    /// The changes are not edits this pass can take; the whole pass will.
    NotApplicable,
    /// An edited article has errors (the whole pass would stop on them too).
    Failed(BuildError),
    /// The pages that show the edited articles, laid over the last whole build.
    Built {
        files: SiteFiles,
        /// How many articles were read again.
        parsed: usize,
        /// How many files were rendered.
        rendered: usize,
        warnings: Vec<Diagnostic>,
    },
}

/// A changed path, as a static file.
enum Asset {
    /// A static file, with its path in the output.
    Read(String, Vec<u8>),
    /// A theme's static file hidden by the site's own.
    Unchanged,
    /// Not a static file the fast pass can take.
    Other,
}

/// The last whole build, kept for fast passes over it.
pub struct FastState {
    /// The site folder, as the watcher names changed paths under it.
    root: PathBuf,
    /// The last whole build's site, with the articles of fast passes since then put in.
    site: Option<Site>,
    /// Each article's id, by its source file relative to the root.
    ids: HashMap<PathBuf, ArticleId>,
    files: Arc<FileMap>,
    /// `data_fields` of each article of the whole build: while they stay, so do `index.json`
    /// and the sitemaps.
    data_fields: Vec<(String, Option<ArticleDate>)>,
    /// The whole build's article summaries and quotes: while an article's stay, the pages that
    /// list it stay too.
    whole_summaries: Vec<ArticleSummary>,
    whole_quotes: Vec<Vec<Quote>>,
    /// The summaries with those of the edited articles updated, as pages show them now.
    summaries: Vec<ArticleSummary>,
    /// Each article's topics, as indices in `site.topics` (the fast pass keeps the topics).
    article_topics: Vec<Vec<usize>>,
    templates: Templates,
    theme: ThemeInfo,
    policy: HtmlPolicy,
    highlighter: Highlighter,
}

impl FastState {
    /// Keeps a whole build (its site and files) for fast passes; loads its templates again.
    pub fn new(root: &Path, site: Site, files: Arc<FileMap>) -> Result<Self, BuildError> {
        let config = &site.config;
        let LoadedTheme {
            templates,
            info: theme,
        } = LoadedTheme::load(config)?;
        let policy = if config.config.unsafe_html {
            HtmlPolicy::Trust
        } else {
            HtmlPolicy::Sanitise
        };
        let ids = site
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    a.source.clone(),
                    ArticleId(u32::try_from(i).unwrap_or(u32::MAX)),
                )
            })
            .collect();
        let data_fields = site.articles.iter().map(data_fields).collect();
        let article_topics = render::article_topics(&site);
        let summaries = context::summaries(&site, &article_topics);
        Ok(FastState {
            root: root.to_path_buf(),
            data_fields,
            whole_summaries: summaries.clone(),
            whole_quotes: site.articles.iter().map(|a| a.quotes.clone()).collect(),
            summaries,
            article_topics,
            site: Some(site),
            ids,
            files,
            templates,
            theme,
            policy,
            highlighter: Highlighter::default(),
        })
    }

    /// Re-reads the `edited` files (every change since the last whole build) and renders the
    /// pages that show them, when every one is an edit this pass can take.
    pub fn apply(&mut self, edited: &BTreeSet<PathBuf>) -> Fast {
        let Some(site) = self.site.take() else {
            return Fast::NotApplicable;
        };
        let (site, outcome) = self.apply_to(site, edited);
        self.site = Some(site);
        outcome
    }

    fn apply_to(&mut self, mut site: Site, edited: &BTreeSet<PathBuf>) -> (Site, Fast) {
        let mut edits = Edits::default();
        let mut warnings = Vec::new();
        let mut data_changed = false;
        let mut assets = FileMap::new();
        for path in edited {
            match self.read_asset(&site, path) {
                Asset::Read(output_path, bytes) => {
                    assets.insert(output_path, bytes);
                    continue;
                }
                Asset::Unchanged => continue,
                Asset::Other => {}
            }
            let read = match self.read_edit(&site, path) {
                Ok(read) => read,
                Err(outcome) => return (site, outcome),
            };
            let Some((id, article, diagnostics)) = read else {
                return (site, Fast::NotApplicable);
            };
            warnings.extend(diagnostics);
            let i = id.index();
            data_changed |= self.data_fields.get(i) != Some(&data_fields(&article));
            let summary = context::summary(&site, &article, &self.article_topics[i]);
            if summary != self.whole_summaries[i] || article.quotes != self.whole_quotes[i] {
                edits.listed.insert(id);
            }
            self.summaries[i] = summary;
            site = with_article(site, id, article);
            edits.pages.insert(id);
        }
        if edits.pages.is_empty() && assets.is_empty() {
            return (site, Fast::NotApplicable);
        }
        let rendered = if edits.pages.is_empty() {
            Ok(FileMap::new())
        } else {
            self.render(&site, &edits, data_changed)
        };
        let outcome = match rendered.map(|mut over| {
            over.extend(assets);
            over
        }) {
            Ok(over) => Fast::Built {
                rendered: over.len(),
                files: SiteFiles::layered(Arc::clone(&self.files), over),
                parsed: edited.len(),
                warnings,
            },
            Err(error) => Fast::Failed(error),
        };
        (site, outcome)
    }

    /// A file of the site's or the theme's `static/` folder, read again: it is copied as it is.
    fn read_asset(&self, site: &Site, path: &Path) -> Asset {
        let Some(relative) = self.relative(path) else {
            return Asset::Other;
        };
        let config = &site.config;
        let site_static = Path::new("static");
        let theme_static = config
            .theme_dir()
            .join("static")
            .strip_prefix(&config.root)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let in_site = relative.strip_prefix(site_static).ok();
        let in_theme = relative.strip_prefix(&theme_static).ok();
        let Some(output_path) = in_site.or(in_theme) else {
            return Asset::Other;
        };
        // The site's own file of the same name wins over the theme's.
        if in_site.is_none() && config.root.join(site_static).join(output_path).exists() {
            return Asset::Unchanged;
        }
        let output_path = output_path.to_string_lossy().replace('\\', "/");
        match std::fs::read(path) {
            Ok(bytes) if path.is_file() && self.files.contains_key(&output_path) => {
                Asset::Read(output_path, bytes)
            }
            // New, deleted or unreadable: the whole pass says what it means.
            _ => Asset::Other,
        }
    }

    /// The article `path` holds now, with its id and the warnings of reading it; `None` when it
    /// is not an edit this pass can take, an error when the file has errors.
    fn read_edit(
        &self,
        site: &Site,
        path: &Path,
    ) -> Result<Option<(ArticleId, Article, Vec<Diagnostic>)>, Fast> {
        let Some(relative) = self.relative(path) else {
            return Ok(None);
        };
        let Some(&id) = self.ids.get(&relative) else {
            return Ok(None);
        };
        if !path.is_file() {
            return Ok(None);
        }
        let source = SourceFile {
            path: path.to_path_buf(),
            display: relative,
        };
        let mut article = match content::read_article(&source, self.policy, &self.highlighter) {
            Ok(article) => article,
            Err(diagnostics) if diagnostics.iter().any(Diagnostic::is_error) => {
                return Err(Fast::Failed(BuildError::Content(diagnostics)));
            }
            Err(_) => return Ok(None),
        };
        let diagnostics =
            content::links::resolve_one(&mut article, &site.articles, &site.config.base_url);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Fast::Failed(BuildError::Content(diagnostics)));
        }
        Ok(keeps_its_place(site, id, &article).then_some((id, article, diagnostics)))
    }

    /// `path` relative to the site root, as articles name their source.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        if let Ok(relative) = path.strip_prefix(&self.root) {
            return Some(relative.to_path_buf());
        }
        // The watcher may name paths absolutely under a root given relatively, or the reverse.
        let root = self.root.canonicalize().ok()?;
        let path = path.parent()?.canonicalize().ok()?.join(path.file_name()?);
        path.strip_prefix(root).ok().map(Path::to_path_buf)
    }

    /// The pages and feeds that show the edited articles, and the data files (`index.json`,
    /// sitemaps) when `data_changed`.
    fn render(
        &self,
        site: &Site,
        edits: &Edits,
        data_changed: bool,
    ) -> Result<FileMap, BuildError> {
        let mut files = render_pages_showing(
            site,
            &self.templates,
            &self.theme,
            &self.summaries,
            &self.article_topics,
            edits,
        )?;
        let article_topics = &self.article_topics;
        files.extend(output::feeds::render_feeds_showing(
            site,
            article_topics,
            &edits.pages,
        )?);
        if data_changed {
            files.push(output::index_json::render_index_json(site, article_topics));
            files.extend(output::sitemap::render_sitemaps(site)?);
        }
        Ok(files
            .into_iter()
            .map(|RenderedFile { path, bytes }| (path, bytes))
            .collect())
    }
}

/// What `index.json` and the sitemaps show of an article that an edit the fast pass takes can
/// change: the title and the date of the last update. (The other fields are its place in the
/// site, or come from the analysis, which the fast pass keeps.)
fn data_fields(article: &Article) -> (String, Option<ArticleDate>) {
    (article.title.clone(), article.updated)
}

/// The site with `article` in place of article `id`: a new site, made from the old one's parts.
fn with_article(site: Site, id: ArticleId, article: Article) -> Site {
    let mut articles = site.articles;
    if let Some(slot) = articles.get_mut(id.index()) {
        *slot = article;
    }
    Site { articles, ..site }
}

/// Whether `article`, read again, leaves every list, URL and group of the site as it was: the
/// same slug, date, weight, draft state, topics, tags and aliases, and the same place in the
/// site's order (a new title can move it among articles of the same moment).
fn keeps_its_place(site: &Site, id: ArticleId, article: &Article) -> bool {
    let Some(old) = site.articles.get(id.index()) else {
        return false;
    };
    let same = old.slug == article.slug
        && old.date == article.date
        && old.weight == article.weight
        && old.draft == article.draft
        && old.topics == article.topics
        && old.tags == article.tags
        && old.aliases == article.aliases;
    let after_previous = id.index() == 0 || {
        let previous = &site.articles[id.index() - 1];
        site_order(previous, article).is_lt()
    };
    let before_next = site
        .articles
        .get(id.index() + 1)
        .is_none_or(|next| site_order(article, next).is_lt());
    same && after_previous && before_next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::rebuild::Rebuilder;
    use crate::serve::rebuild::tests::{ORIGIN, clean_build, options, site};
    use std::fs;

    /// A whole build of the test site, kept for fast passes.
    fn start(root: &Path) -> (Rebuilder, FastState) {
        let mut rebuilder = Rebuilder::new(options(root), ORIGIN.into());
        let built = rebuilder.build().unwrap();
        let files = built.files.into_iter().map(|f| (f.path, f.bytes)).collect();
        let state = FastState::new(root, built.site, Arc::new(files)).unwrap();
        (rebuilder, state)
    }

    fn edit(root: &Path, file: &str, from: &str, to: &str) -> BTreeSet<PathBuf> {
        let path = root.join(file);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{text}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
        BTreeSet::from([path])
    }

    #[test]
    fn an_edit_renders_the_pages_showing_the_article_and_the_whole_pass_matches_a_clean_build() {
        let dir = site();
        let (mut rebuilder, mut state) = start(dir.path());
        let edited = edit(
            dir.path(),
            "content/b.md",
            "Body of b.",
            "Body of b, edited.",
        );
        let Fast::Built {
            files,
            parsed,
            rendered,
            ..
        } = state.apply(&edited)
        else {
            panic!("the edit was not taken by the fast pass");
        };
        assert_eq!(parsed, 1);
        let clean: HashMap<String, Vec<u8>> = clean_build(dir.path())
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        assert!(rendered < clean.len(), "{rendered} of {}", clean.len());
        for page in [
            "articles/story-b/index.html",
            "index.html",
            "atom.xml",
            "index.json",
        ] {
            assert_eq!(files.get(page), clean.get(page), "{page}");
        }
        rebuilder.forget(&edited.into_iter().collect::<Vec<_>>());
        let whole: HashMap<String, Vec<u8>> = rebuilder
            .build()
            .unwrap()
            .files
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect();
        assert_eq!(whole, clean);
    }

    #[test]
    fn edits_that_move_an_article_or_touch_templates_are_left_to_the_whole_pass() {
        let dir = site();
        let (_, mut state) = start(dir.path());
        let moved = edit(dir.path(), "content/a.md", "\"Talks\"", "\"Other\"");
        assert!(matches!(state.apply(&moved), Fast::NotApplicable));
        let dir = site();
        let (_, mut state) = start(dir.path());
        let template = dir.path().join("themes/default/templates/base.html");
        assert!(matches!(
            state.apply(&BTreeSet::from([template])),
            Fast::NotApplicable
        ));
        let new_file = dir.path().join("content/new.md");
        fs::write(&new_file, "+++\ntitle = \"New\"\n+++\nNew.\n").unwrap();
        assert!(matches!(
            state.apply(&BTreeSet::from([new_file])),
            Fast::NotApplicable
        ));
    }

    #[test]
    fn an_edited_stylesheet_is_served_as_it_is() {
        let dir = site();
        let (_, mut state) = start(dir.path());
        let css = edit(
            dir.path(),
            "themes/default/static/style.css",
            "",
            "/* edited */\n",
        );
        let Fast::Built {
            files, rendered, ..
        } = state.apply(&css)
        else {
            panic!("the stylesheet edit was not taken");
        };
        assert_eq!(rendered, 1);
        let served = files.get("style.css").unwrap();
        assert!(served.starts_with(b"/* edited */"));
        let clean = clean_build(dir.path());
        let built = clean.iter().find(|f| f.path == "style.css").unwrap();
        assert_eq!(served, &built.bytes);
    }

    #[test]
    fn a_broken_edit_fails_with_the_file_and_line() {
        let dir = site();
        let (_, mut state) = start(dir.path());
        let broken = edit(
            dir.path(),
            "content/c.md",
            "date = 2025-08-11",
            "date = \"soon\"",
        );
        let Fast::Failed(error) = state.apply(&broken) else {
            panic!("a broken date was taken");
        };
        let diagnostics = error.diagnostics();
        assert_eq!(diagnostics[0].path, Path::new("content/c.md"));
        assert_eq!(diagnostics[0].line, Some(3));
    }
}

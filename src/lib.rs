//! briefing: a static site generator for news briefings.
//!
//! The build is a pipeline of stages, each a function from its input to its output:
//!
//! ```text
//! site.toml ─► config ─┐
//! content/ ──► content ┴─► site (analysis, duplicates, topics, related, entities, search
//!                              words, tags) ─► render (Tera) ─► output (disk)
//! ```
//!
//! `build` runs them in order; the command line (`cli`) is a thin layer on top.

pub mod analyse;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod duplicates;
pub mod entities;
pub mod error;
pub mod headlines;
pub mod html_links;
pub mod ingest;
pub mod init;
pub mod model;
pub mod output;
pub mod progress;
pub mod related;
pub mod render;
pub mod search_words;
pub mod serve;
pub mod site;
pub mod slug;
#[cfg(test)]
mod test_support;
pub mod toml_read;
pub mod topics;
pub mod urls;
pub mod walk;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use rayon::prelude::*;

use config::{Overrides, SiteConfig};
use content::LoadOptions;
use content::markdown::{Highlighter, highlight_css};
use error::{BuildError, Diagnostic};
use model::Site;
use output::freshness;
use output::writer::StagedOutput;
use progress::{Progress, Silent};
use render::memo::PageMemo;
use render::theme::LoadedTheme;
use render::{Collected, FileSink, RenderedFile};
use walk::Listing;

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    pub overrides: Overrides,
    /// Include drafts and future articles.
    pub drafts: bool,
    /// Articles dated after this day are held back (unless `drafts`).
    pub today: NaiveDate,
    /// Build even when the output is up to date.
    pub force: bool,
    /// Told, once a build knows it has work to do, about how many bytes it will allocate
    /// (`MemoryHint`): the `briefing` binary readies its allocator with it.
    pub memory_hint: Option<MemoryHint>,
}

/// Receives the number of bytes a build expects to allocate, before it reads its content.
pub type MemoryHint = fn(usize);

/// The bytes a build is told it will allocate per content file (`BuildOptions::memory_hint`):
/// about half of what it uses at its peak (32 KiB an article at 10,000 articles, 26 KiB at
/// 100,000), so that all of it is used.
const HINTED_BYTES_PER_FILE: usize = 15 << 10;

impl BuildOptions {
    /// The options that change what a build writes, for its fingerprint.
    fn fingerprint_key(&self) -> impl std::hash::Hash + '_ {
        (
            self.drafts,
            self.today,
            &self.overrides.base_url,
            &self.overrides.output_dir,
        )
    }
}

/// What a successful build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    /// Nothing changed since the last build, so nothing was written.
    pub up_to_date: bool,
    pub articles: usize,
    pub topics: usize,
    pub files: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Reads the configuration and content into the site model.
///
/// Content errors are all collected: the error lists every one (and the warnings with them).
pub fn load_site(
    options: &BuildOptions,
    highlighter: &Highlighter,
) -> Result<(Site, Vec<Diagnostic>), BuildError> {
    let config = config::load(&options.root, &options.overrides)?;
    load_site_with(config, options, highlighter)
}

fn load_site_with(
    config: SiteConfig,
    options: &BuildOptions,
    highlighter: &Highlighter,
) -> Result<(Site, Vec<Diagnostic>), BuildError> {
    load_site_using(config, options, |sources, load_options| {
        content::load(sources, load_options, highlighter)
    })
}

/// `load_site` from a loaded configuration, with the articles read by `load_articles`
/// (`serve` passes one that reuses the articles it parsed before).
pub fn load_site_using(
    config: SiteConfig,
    options: &BuildOptions,
    load_articles: impl FnOnce(&[content::SourceFile], LoadOptions) -> content::Loaded,
) -> Result<(Site, Vec<Diagnostic>), BuildError> {
    let content = Listing::of(&config.content_dir());
    load_site_progress(config, &content, options, load_articles, &Silent)
}

fn load_site_progress(
    config: SiteConfig,
    content: &Listing,
    options: &BuildOptions,
    load_articles: impl FnOnce(&[content::SourceFile], LoadOptions) -> content::Loaded,
    progress: &dyn Progress,
) -> Result<(Site, Vec<Diagnostic>), BuildError> {
    progress.stage("read", None);
    let (sources, mut diagnostics) = content::find_sources(&config.root, content);
    let load_options = LoadOptions {
        drafts: options.drafts,
        today: options.today,
        html_policy: if config.config.unsafe_html {
            content::markdown::HtmlPolicy::Trust
        } else {
            content::markdown::HtmlPolicy::Sanitise
        },
    };
    let loaded = load_articles(&sources, load_options);
    diagnostics.extend(loaded.diagnostics);
    let (sections, section_diagnostics) = content::load_sections(&config.root, content);
    diagnostics.extend(section_diagnostics);
    for static_dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        diagnostics.extend(output::static_links_outside(&static_dir, &config.root));
    }
    let mut articles = loaded.articles;
    diagnostics.extend(content::links::resolve(&mut articles, &config.base_url));
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(BuildError::Content(diagnostics));
    }
    let site = site::assemble_with_progress(config, articles, sections, progress);
    Ok((site, diagnostics))
}

/// Renders every file of the site in memory: pages, static assets and data files, by path.
pub fn render_files(site: &Site) -> Result<Vec<RenderedFile>, BuildError> {
    render_files_with(site, None)
}

/// `render_files`, reusing the pages of `memo` whose context did not change (for `serve`).
pub fn render_files_with(
    site: &Site,
    memo: Option<Arc<PageMemo>>,
) -> Result<Vec<RenderedFile>, BuildError> {
    let mut theme = LoadedTheme::load(&site.config)?;
    if let Some(memo) = memo {
        theme.templates = theme.templates.with_memo(memo);
    }
    let collected = Collected::default();
    render_into(site, &theme, &collected, &Silent)?;
    Ok(collected.into_files())
}

/// Renders every file of the site into `sink`, static files first (so that a page or data
/// file at the same path wins), then the pages, data files and search index.
pub fn render_into(
    site: &Site,
    theme: &LoadedTheme,
    sink: &dyn FileSink,
    progress: &dyn Progress,
) -> Result<(), BuildError> {
    let config = &site.config;
    let mut files = output::pages::pages_files(&config.config);
    files.extend(output::static_files(
        &config.theme_dir().join("static"),
        &config.root,
    )?);
    files.push(RenderedFile::new("syntax.css", highlight_css()));
    files.extend(output::static_files(
        &config.root.join("static"),
        &config.root,
    )?);
    put_all(sink, files)?;
    let article_topics = render::article_topics(site);
    // The search index and the data files are written mostly on one thread: let them work
    // while the pages render. No page has the path of a data file (pages end in `.html`).
    let (pages, data) = rayon::join(
        || render::render_site(site, &theme.templates, &theme.info, sink, progress),
        || render_data_files(site, &article_topics, sink),
    );
    pages?;
    data
}

/// The search index, `index.json`, the feeds and the sitemaps.
fn render_data_files(
    site: &Site,
    article_topics: &[Vec<usize>],
    sink: &dyn FileSink,
) -> Result<(), BuildError> {
    output::search::render_search_index(site, sink)?;
    put_all(
        sink,
        [output::index_json::render_index_json(site, article_topics)],
    )?;
    put_all(sink, output::feeds::render_feeds(site, article_topics)?)?;
    put_all(sink, output::sitemap::render_sitemaps(site)?)
}

fn put_all(
    sink: &dyn FileSink,
    files: impl IntoIterator<Item = RenderedFile>,
) -> Result<(), BuildError> {
    files.into_iter().try_for_each(|file| sink.put(file))
}

/// Builds the site into its output folder; on any error the previous output is left untouched.
/// When nothing changed since the last build (see `output::freshness`), nothing is written.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    build_with_progress(options, &Silent)
}

/// `build`, telling `progress` about each stage.
pub fn build_with_progress(
    options: &BuildOptions,
    progress: &dyn Progress,
) -> Result<BuildReport, BuildError> {
    progress.stage("check", None);
    let config = config::load(&options.root, &options.overrides)?;
    let content = Listing::of(&config.content_dir());
    let fingerprint = freshness::fingerprint(&config, &options.fingerprint_key(), &content);
    if !options.force && freshness::is_fresh(&config.output_dir, &fingerprint) {
        return Ok(BuildReport {
            output_dir: config.output_dir,
            up_to_date: true,
            ..BuildReport::default()
        });
    }
    if let Some(hint) = options.memory_hint {
        hint(content.entries.len() * HINTED_BYTES_PER_FILE);
    }
    let highlighter = Highlighter::default();
    // The theme's templates compile on one thread while the articles are read on the others.
    let (theme, loaded) = rayon::join(
        || LoadedTheme::load(&config),
        || {
            load_site_progress(
                config.clone(),
                &content,
                options,
                |sources, load_options| content::load(sources, load_options, &highlighter),
                progress,
            )
        },
    );
    let theme = theme?;
    let (site, warnings) = loaded?;
    let staged = StagedOutput::begin(&site.config.output_dir, &site.config.root)?;
    render_into(&site, &theme, &staged, progress)?;
    progress.stage("finish", None);
    let written = staged.finish(&freshness::marker_text(&fingerprint))?;
    let report = BuildReport {
        output_dir: site.config.output_dir.clone(),
        up_to_date: false,
        articles: site.articles.len(),
        topics: site.topics.len(),
        files: written,
        warnings,
    };
    drop_in_parallel(site);
    Ok(report)
}

/// Frees the site on every thread: its articles' strings alone take 10 ms to free on one.
fn drop_in_parallel(mut site: Site) {
    let articles = std::mem::take(&mut site.articles);
    rayon::join(|| articles.into_par_iter().for_each(drop), || drop(site));
}

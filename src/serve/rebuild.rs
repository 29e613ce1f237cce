//! Rebuilds for `serve`: the whole site in memory, re-parsing only the articles that changed.
//!
//! Parsing Markdown is the costly part of loading a site, and an edit touches one file, so each
//! parsed article is kept with the size and modification time of its file and reused until the
//! watcher reports the file or its stamp changes. Everything after parsing (ordering, topics,
//! rendering) runs as in `briefing build`, so a rebuild is byte-identical to a clean build.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::content::markdown::{Highlighter, HtmlPolicy};
use crate::content::{self, SourceFile};
use crate::error::{BuildError, Diagnostic};
use crate::model::{Article, Site};
use crate::render::RenderedFile;
use crate::render::memo::PageMemo;
use crate::{BuildOptions, load_site_using, render_files_with};

/// A file's size and modification time: when both are unchanged, so is the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

type Parsed = Result<Article, Vec<Diagnostic>>;

/// A parsed article and the stamp of the file it was parsed from.
#[derive(Debug, Clone)]
struct CachedArticle {
    stamp: Stamp,
    /// What raw HTML was allowed to do when it was parsed (`unsafe_html` of site.toml).
    policy: HtmlPolicy,
    parsed: Parsed,
}

/// A successful in-memory build.
#[derive(Debug)]
pub struct Built {
    pub files: Vec<RenderedFile>,
    /// The base path pages are served under, e.g. `/repo/`.
    pub base_path: String,
    pub articles: usize,
    /// How many articles were parsed for this build (the others came from the cache).
    pub parsed: usize,
    pub warnings: Vec<Diagnostic>,
    /// The site the files were rendered from, for fast passes over this build.
    pub site: Site,
}

/// Builds a site again and again, keeping what it parsed.
pub struct Rebuilder {
    options: BuildOptions,
    /// The scheme, host and port pages are served from, replacing those of `base_url`.
    origin: String,
    highlighter: Highlighter,
    cache: HashMap<PathBuf, CachedArticle>,
    pages: Arc<PageMemo>,
}

impl Rebuilder {
    pub fn new(options: BuildOptions, origin: String) -> Self {
        Rebuilder {
            options,
            origin,
            highlighter: Highlighter::default(),
            cache: HashMap::new(),
            pages: Arc::default(),
        }
    }

    /// Forgets what was parsed from these files, or from files under these folders.
    pub fn forget(&mut self, changed: &[PathBuf]) {
        // Most changes name one file; only the others (folders) need a scan of the cache.
        let folders: Vec<&PathBuf> = changed
            .iter()
            .filter(|path| self.cache.remove(*path).is_none())
            .collect();
        if !folders.is_empty() {
            self.cache
                .retain(|path, _| !folders.iter().any(|folder| path.starts_with(folder)));
        }
    }

    /// Builds the whole site in memory.
    pub fn build(&mut self) -> Result<Built, BuildError> {
        let config = self.config()?;
        let base_path = config.base_url.path.clone();
        let options = self.options.clone();
        let mut parsed = 0;
        let (site, warnings) = load_site_using(config, &options, |sources, load_options| {
            let (results, count) = self.parse(sources, load_options.html_policy);
            parsed = count;
            content::collect(results, load_options)
        })?;
        Ok(Built {
            files: self.render(&site)?,
            base_path,
            articles: site.articles.len(),
            parsed,
            warnings,
            site,
        })
    }

    /// Renders the site, reusing the pages whose context is unchanged since the last build.
    fn render(&self, site: &Site) -> Result<Vec<RenderedFile>, BuildError> {
        let files = render_files_with(site, Some(Arc::clone(&self.pages)));
        self.pages.finish_build();
        files
    }

    /// The site's configuration, with its links pointing at the local server.
    fn config(&self) -> Result<SiteConfig, BuildError> {
        let mut config = config::load(&self.options.root, &self.options.overrides)?;
        config.base_url.origin.clone_from(&self.origin);
        config.config.base_url = config.base_url.absolute("");
        Ok(config)
    }

    /// Every source parsed, from the cache where its file is unchanged; returns how many
    /// were parsed anew. The cache keeps only the current sources.
    fn parse(&mut self, sources: &[SourceFile], policy: HtmlPolicy) -> (Vec<Parsed>, usize) {
        let fresh: Vec<(Stamp, Option<Parsed>)> = sources
            .par_iter()
            .map(|source| {
                let stamp = Stamp::of(&source.path);
                let cached = self
                    .cache
                    .get(&source.path)
                    .filter(|cached| Some(cached.stamp) == stamp && cached.policy == policy);
                match (stamp, cached) {
                    (Some(stamp), Some(_)) => (stamp, None),
                    (stamp, _) => (
                        stamp.unwrap_or(Stamp {
                            len: 0,
                            modified: None,
                        }),
                        Some(content::read_article(source, policy, &self.highlighter)),
                    ),
                }
            })
            .collect();
        let mut cache = HashMap::with_capacity(sources.len());
        let mut parsed = 0;
        for (source, (stamp, new)) in sources.iter().zip(fresh) {
            let entry = match new {
                Some(parsed_now) => {
                    parsed += 1;
                    CachedArticle {
                        stamp,
                        policy,
                        parsed: parsed_now,
                    }
                }
                None => match self.cache.remove(&source.path) {
                    Some(entry) => entry,
                    None => continue,
                },
            };
            cache.insert(source.path.clone(), entry);
        }
        // The site takes its articles by value: copying 10,000 of them is worth two cores.
        let results = sources
            .par_iter()
            .filter_map(|source| cache.get(&source.path))
            .map(|entry| entry.parsed.clone())
            .collect();
        self.cache = cache;
        (results, parsed)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Overrides;
    use chrono::NaiveDate;
    use std::fs;

    /// A three-article site under `/repo/`, with the repository's themes.
    pub(crate) fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::write(
            dir.path().join("site.toml"),
            "title = \"T\"\nbase_url = \"https://user.github.io/repo/\"\n[[topics]]\nname = \"Talks\"\n",
        )
        .unwrap();
        fs::create_dir(dir.path().join("content")).unwrap();
        for (name, topic) in [("a", "Talks"), ("b", "Talks"), ("c", "Other")] {
            fs::write(
                dir.path().join(format!("content/{name}.md")),
                format!("+++\ntitle = \"Story {name}\"\ndate = 2025-08-1{}\ntopics = [\"{topic}\"]\ntags = [\"t\"]\n+++\nBody of {name}.\n", name.len()),
            )
            .unwrap();
        }
        copy_dir(&repo.join("themes"), &dir.path().join("themes"));
        dir
    }

    fn copy_dir(from: &Path, to: &Path) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            let target = to.join(entry.path().strip_prefix(from).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&target).unwrap();
            } else {
                fs::copy(entry.path(), &target).unwrap();
            }
        }
    }

    pub(crate) fn options(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            overrides: Overrides::default(),
            drafts: false,
            today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            force: true,
            memory_hint: None,
        }
    }

    pub(crate) const ORIGIN: &str = "http://127.0.0.1:1111";

    /// What `briefing build` renders, with the same local origin.
    pub(crate) fn clean_build(root: &Path) -> Vec<RenderedFile> {
        let mut options = options(root);
        options.overrides.base_url = Some(format!("{ORIGIN}/repo/"));
        let (site, _) = crate::load_site(&options, &Highlighter::default()).unwrap();
        crate::render_files(&site).unwrap()
    }

    #[test]
    fn links_point_at_the_local_server_under_the_base_path() {
        let dir = site();
        let built = Rebuilder::new(options(dir.path()), ORIGIN.into())
            .build()
            .unwrap();
        assert_eq!(built.base_path, "/repo/");
        let index = built.files.iter().find(|f| f.path == "index.html").unwrap();
        let html = String::from_utf8_lossy(&index.bytes);
        assert!(html.contains("http://127.0.0.1:1111/repo/"), "{html}");
        assert!(html.contains("href=\"/repo/articles/story-a/\""));
    }

    #[test]
    fn an_edit_reparses_one_article_and_matches_a_clean_build() {
        let dir = site();
        let mut rebuilder = Rebuilder::new(options(dir.path()), ORIGIN.into());
        assert_eq!(rebuilder.build().unwrap().parsed, 3);
        let edited = dir.path().join("content/b.md");
        fs::write(
            &edited,
            "+++\ntitle = \"Story b, retitled\"\ndate = 2025-08-19\ntopics = [\"Other\"]\n+++\nNew body.\n",
        )
        .unwrap();
        rebuilder.forget(std::slice::from_ref(&edited));
        let built = rebuilder.build().unwrap();
        assert_eq!(built.parsed, 1);
        assert_eq!(built.files, clean_build(dir.path()));
    }

    #[test]
    fn template_and_config_edits_rebuild_what_depends_on_them() {
        let dir = site();
        let mut rebuilder = Rebuilder::new(options(dir.path()), ORIGIN.into());
        let first = rebuilder.build().unwrap();
        let mut edit = |file: &str, from: &str, to: &str| {
            let path = dir.path().join(file);
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replace(from, to)).unwrap();
            rebuilder.build().unwrap()
        };
        let built = edit(
            "themes/default/templates/partials/footer.html",
            "</footer>",
            "<p>edited footer</p></footer>",
        );
        assert_eq!(built.files, clean_build(dir.path()));
        assert_ne!(built.files, first.files, "the template edit is seen");
        let built = edit("site.toml", "title = \"T\"", "title = \"Renamed\"");
        assert_eq!(built.files, clean_build(dir.path()));
        let index = built.files.iter().find(|f| f.path == "index.html").unwrap();
        assert!(String::from_utf8_lossy(&index.bytes).contains("Renamed"));
    }

    #[test]
    fn deleted_articles_and_broken_front_matter_are_seen() {
        let dir = site();
        let mut rebuilder = Rebuilder::new(options(dir.path()), ORIGIN.into());
        rebuilder.build().unwrap();
        fs::remove_file(dir.path().join("content/c.md")).unwrap();
        let built = rebuilder.build().unwrap();
        assert_eq!(built.articles, 2);
        assert_eq!(built.files, clean_build(dir.path()));
        let broken = dir.path().join("content/a.md");
        fs::write(&broken, "+++\ntitle = \"A\"\ndate = \"soon\"\n+++\n").unwrap();
        rebuilder.forget(std::slice::from_ref(&broken));
        let diagnostics = rebuilder.build().unwrap_err().diagnostics();
        assert_eq!(diagnostics[0].path, Path::new("content/a.md"));
        assert_eq!(diagnostics[0].line, Some(3));
    }
}

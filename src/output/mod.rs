//! Output: the files of the site beyond its pages (static assets, `index.json`, feeds, sitemaps,
//! the search index), and writing everything to disk through `writer`.

pub mod feeds;
pub mod freshness;
pub mod index_json;
mod json_text;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod writer;

use std::path::Path;

use crate::error::{BuildError, Diagnostic};
use crate::render::RenderedFile;

/// Reads every file under `dir` (a theme's or the site's `static/`), in a stable order.
/// Links are followed only while they stay inside the site or `dir` itself: a link to
/// `/etc/passwd` must not publish it (`static_links_outside` warns about such links).
pub fn static_files(dir: &Path, root: &Path) -> Result<Vec<RenderedFile>, BuildError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    let inside = Inside::new(dir, root);
    let walker = crate::walk::sorted(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| inside.contains(entry.path()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            // A broken link: `static_links_outside` has warned about it.
            Err(e) if e.path().is_some_and(|p| p.is_symlink() && !p.exists()) => continue,
            Err(e) => {
                let path = e.path().unwrap_or(dir);
                return Err(BuildError::Output(Diagnostic::error(
                    path.strip_prefix(root).unwrap_or(path),
                    e.to_string(),
                )));
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let bytes = std::fs::read(entry.path()).map_err(|e| BuildError::io(entry.path(), e))?;
        files.push(RenderedFile::new(
            relative.to_string_lossy().replace('\\', "/"),
            bytes,
        ));
    }
    Ok(files)
}

/// A warning for each link under `dir` that leads out of the site, which `static_files` skips.
pub fn static_links_outside(dir: &Path, root: &Path) -> Vec<Diagnostic> {
    let inside = Inside::new(dir, root);
    crate::walk::sorted(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.path_is_symlink() && !inside.contains(entry.path()))
        .map(|entry| {
            let target = std::fs::read_link(entry.path()).unwrap_or_default();
            let (what, fix) = if entry.path().exists() {
                ("outside the site", "copy the file into the site instead")
            } else {
                (
                    "which does not exist",
                    "remove the link or restore its target",
                )
            };
            Diagnostic::warning(
                entry.path().strip_prefix(root).unwrap_or(entry.path()),
                format!("not copied: a link to {}, {what}; {fix}", target.display()),
            )
        })
        .collect()
}

/// The real (link-free) folders a static file may come from: the site and the static folder.
struct Inside {
    bases: Vec<std::path::PathBuf>,
}

impl Inside {
    fn new(dir: &Path, root: &Path) -> Self {
        let bases = [dir, root]
            .into_iter()
            .filter_map(|base| base.canonicalize().ok())
            .collect();
        Inside { bases }
    }

    /// Whether `path`, links resolved, lies in one of the bases (a broken link does not).
    fn contains(&self, path: &Path) -> bool {
        path.canonicalize()
            .is_ok_and(|real| self.bases.iter().any(|base| real.starts_with(base)))
    }
}

/// A site made in memory from a `site.toml` text and articles, for the output stages' tests.
#[cfg(test)]
pub(crate) fn test_site(
    site_toml: &str,
    articles: Vec<crate::model::Article>,
) -> crate::model::Site {
    let config = crate::config::parse(site_toml, Path::new("site.toml")).unwrap();
    let base_url = crate::urls::parse_base_url(&config.base_url).unwrap();
    let config = crate::config::SiteConfig {
        config,
        root: std::path::PathBuf::from("."),
        output_dir: std::path::PathBuf::from("output"),
        base_url,
    };
    crate::site::assemble(config, articles, Vec::new())
}

/// An article with a title, a date (`None` for undated) and topics, for tests.
#[cfg(test)]
pub(crate) fn test_article(
    title: &str,
    date: Option<&str>,
    topics: &[&str],
) -> crate::model::Article {
    crate::model::Article {
        slug: crate::slug::slugify(title),
        title: title.into(),
        date: date.and_then(crate::content::front_matter::date_from_str),
        topics: topics.iter().map(|t| t.to_string()).collect(),
        body_html: format!("<p>About {title}.</p>"),
        body_text: format!("About {title}."),
        ..Default::default()
    }
}

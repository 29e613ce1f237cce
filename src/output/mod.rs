//! Output: the files of the site beyond its pages (static assets, `index.json`, feeds, sitemaps,
//! the search index), and writing everything to disk through `writer`.

pub mod feeds;
pub mod freshness;
pub mod index_json;
pub mod pages;
pub mod search;
pub mod sitemap;
pub mod writer;

use std::path::Path;

use crate::error::{BuildError, Diagnostic};
use crate::render::RenderedFile;

/// Reads every file under `dir` (a theme's or the site's `static/`), in a stable order.
pub fn static_files(dir: &Path, root: &Path) -> Result<Vec<RenderedFile>, BuildError> {
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir);
            BuildError::Output(Diagnostic::error(
                path.strip_prefix(root).unwrap_or(path),
                e.to_string(),
            ))
        })?;
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

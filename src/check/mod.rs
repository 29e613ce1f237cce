//! `briefing check`: after a build, every link, fragment and asset of the output resolves.
//!
//! It reads the output as a browser on the published site would see it: each URL is resolved
//! against the page's address under the base path, then looked up among the built files, and a
//! `#fragment` among the ids of its page. A broken link is reported with the page that holds
//! it and the file that page was made from, so it can be fixed at its source. External links
//! are checked only when asked, since that needs the network.

pub mod external;
mod sources;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, Overrides};
use crate::error::{BuildError, Diagnostic};
use crate::html_links::{self, PageLinks};
use crate::urls::BaseUrl;
pub use external::{ExternalLinks, ExternalOutcome};

/// What `briefing check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site folder, holding `site.toml`.
    pub root: PathBuf,
    /// The same overrides the site was built with.
    pub overrides: Overrides,
    /// Check links to other sites too.
    pub external: bool,
}

/// One link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding the link, relative to the output folder (`articles/x/index.html`).
    pub page: String,
    /// What the page was made from: an article's file and its template, or a template.
    pub source: String,
    pub url: String,
    /// Why it is broken.
    pub reason: String,
}

/// What a check found.
#[derive(Debug)]
pub struct CheckReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    /// Internal links, fragments and assets checked.
    pub internal_links: usize,
    pub broken: Vec<BrokenLink>,
    pub external: ExternalOutcome,
}

/// The built site as read from disk.
struct Output {
    files: BTreeSet<String>,
    pages: BTreeMap<String, PageLinks>,
}

/// Checks the built output of the site at `options.root`.
pub fn check(options: &CheckOptions) -> Result<CheckReport, BuildError> {
    let config = config::load(&options.root, &options.overrides)?;
    let output = read_output(&config.output_dir)?;
    let sources = sources::PageSources::new(&config, &output.files);
    let mut found = check_internal(&output, &sources, &config.base_url);
    let external = if options.external {
        external::check(&found.external_links, &mut found.broken)
    } else {
        ExternalOutcome::NotAsked {
            links: found.external_links.len(),
        }
    };
    Ok(CheckReport {
        output_dir: config.output_dir.clone(),
        pages: output.pages.len(),
        internal_links: found.internal_links,
        broken: found.broken,
        external,
    })
}

/// What the pass over the output's own links found.
struct InternalFindings {
    internal_links: usize,
    broken: Vec<BrokenLink>,
    /// The links to other sites, gathered for `--external`.
    external_links: ExternalLinks,
}

/// Checks every internal link of every page, and gathers the external ones.
fn check_internal(
    output: &Output,
    sources: &sources::PageSources,
    base_url: &BaseUrl,
) -> InternalFindings {
    let mut found = InternalFindings {
        internal_links: 0,
        broken: Vec::new(),
        external_links: ExternalLinks::new(),
    };
    for (page, links) in &output.pages {
        let source = sources.of(page);
        for link in &links.links {
            match classify(&link.url, page, base_url) {
                Target::Skip => {}
                Target::External(url) => found
                    .external_links
                    .entry(url)
                    .or_default()
                    .push((page.clone(), source.clone())),
                Target::Internal { path, fragment } => {
                    found.internal_links += 1;
                    if let Err(reason) = resolve(output, base_url, &path, &fragment) {
                        found.broken.push(BrokenLink {
                            page: page.clone(),
                            source: source.clone(),
                            url: link.url.clone(),
                            reason,
                        });
                    }
                }
            }
        }
    }
    found
}

/// Reads every file name of the output, and the links and ids of every HTML page.
fn read_output(output_dir: &Path) -> Result<Output, BuildError> {
    if !output_dir.join("index.html").is_file() {
        return Err(BuildError::Output(Diagnostic::error(
            output_dir,
            "no built site here (no index.html): run `briefing build` first, with the same --output and --base-url",
        )));
    }
    let mut files = BTreeSet::new();
    for entry in crate::walk::sorted(output_dir) {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(output_dir).to_path_buf();
            BuildError::Output(Diagnostic::error(path, e.to_string()))
        })?;
        if let Ok(relative) = entry.path().strip_prefix(output_dir)
            && entry.file_type().is_file()
        {
            files.insert(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    let pages = files
        .par_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|page| {
            let path = output_dir.join(page);
            let html = std::fs::read_to_string(&path).map_err(|e| BuildError::io(&path, e))?;
            let links = html_links::read(&html)
                .map_err(|e| BuildError::Output(Diagnostic::error(&path, e)))?;
            Ok((page.clone(), links))
        })
        .collect::<Result<_, BuildError>>()?;
    Ok(Output { files, pages })
}

/// What a URL in a page points at.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// Nothing to check: `mailto:`, `data:` and the like.
    Skip,
    External(String),
    /// A path on the site's host (still to be checked against the base path), and a fragment.
    Internal {
        path: String,
        fragment: String,
    },
}

/// Resolves `url`, found on `page`, as the browser would on the published site.
fn classify(url: &str, page: &str, base_url: &BaseUrl) -> Target {
    let url = url.trim();
    let (without_fragment, fragment) = url.split_once('#').unwrap_or((url, ""));
    let fragment = fragment.to_string();
    let scheme = url
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    let path = match scheme {
        Some("http" | "https") => {
            // Another site on the same host (`user.github.io/other/`) is external.
            let same_site = without_fragment
                .strip_prefix(&base_url.origin)
                .filter(|rest| {
                    let path = rest.split_once('?').map_or(*rest, |(p, _)| p);
                    format!("{path}/").starts_with(&base_url.path)
                });
            match same_site {
                Some(rest) => format!("/{}", rest.trim_start_matches('/')),
                None => return Target::External(without_fragment.to_string()),
            }
        }
        Some(_) => return Target::Skip,
        None if url.starts_with("//") => {
            return Target::External(format!("https:{without_fragment}"));
        }
        None if without_fragment.is_empty() => base_url.link(page),
        None if without_fragment.starts_with('/') => without_fragment.to_string(),
        None => {
            let page_dir = page.rsplit_once('/').map_or("", |(dir, _)| dir);
            join_url_path(&base_url.link(page_dir), without_fragment)
        }
    };
    let path = path.split_once('?').map_or(path.as_str(), |(p, _)| p);
    Target::Internal {
        path: path.to_string(),
        fragment,
    }
}

/// Joins a relative URL path to a folder URL path (ending in `/`), resolving `.` and `..`.
fn join_url_path(dir: &str, relative: &str) -> String {
    let trailing_slash = relative.ends_with('/') || relative.ends_with("/.") || relative == ".";
    let mut path = format!("/{}", crate::urls::join_path(dir, relative));
    if trailing_slash && !path.ends_with('/') {
        path.push('/');
    }
    path
}

/// Checks an internal path and fragment against the output, or says why it is broken.
fn resolve(output: &Output, base_url: &BaseUrl, path: &str, fragment: &str) -> Result<(), String> {
    let base = &base_url.path;
    let Some(site_path) = path
        .strip_prefix(base.as_str())
        .or_else(|| (path == base.trim_end_matches('/')).then_some(""))
    else {
        return Err(format!(
            "outside the site: it does not start with the base path `{base}` (if the site was built with another --base-url, pass it to check too)"
        ));
    };
    let site_path = percent_encoding::percent_decode_str(site_path).decode_utf8_lossy();
    let file = served_file(&output.files, &site_path).ok_or_else(|| {
        if site_path.to_ascii_lowercase().ends_with(".md") {
            format!(
                "a Markdown link that is not an article: there is no published article at `{site_path}` (check the file name, or whether it is a draft)"
            )
        } else {
            format!("no such page or file in the output (`{site_path}`)")
        }
    })?;
    if fragment.is_empty() || fragment == "top" {
        return Ok(());
    }
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    match output.pages.get(&file) {
        Some(page) if page.ids.contains(fragment.as_ref()) => Ok(()),
        Some(_) => Err(format!("no element with id `{fragment}` on {file}")),
        None => Err(format!(
            "#{fragment} points into {file}, which is not a page"
        )),
    }
}

/// The file a static server (GitHub Pages) answers with for a site path.
fn served_file(files: &BTreeSet<String>, site_path: &str) -> Option<String> {
    let site_path = site_path.trim_start_matches('/');
    let index = if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        if files.contains(site_path) {
            return Some(site_path.to_string());
        }
        // A folder's URL without its slash is redirected to the folder.
        format!("{site_path}/index.html")
    };
    files.contains(&index).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::parse_base_url;

    fn base() -> BaseUrl {
        parse_base_url("https://x.github.io/repo/").unwrap()
    }

    fn internal(path: &str, fragment: &str) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.into(),
        }
    }

    #[test]
    fn urls_resolve_against_the_page_under_the_base_path() {
        let page = "articles/a/index.html";
        assert_eq!(
            classify("../b/", page, &base()),
            internal("/repo/articles/b/", "")
        );
        assert_eq!(
            classify("pic.png", page, &base()),
            internal("/repo/articles/a/pic.png", "")
        );
        assert_eq!(
            classify("#why", page, &base()),
            internal("/repo/articles/a/index.html", "why")
        );
        assert_eq!(
            classify("/repo/tags/?x=1#t", page, &base()),
            internal("/repo/tags/", "t")
        );
        assert_eq!(
            classify("https://x.github.io/repo/topics/", page, &base()),
            internal("/repo/topics/", "")
        );
        assert_eq!(
            classify("https://x.github.io/other/", page, &base()),
            Target::External("https://x.github.io/other/".into())
        );
        assert_eq!(
            classify("https://x.github.io/repo", page, &base()),
            internal("/repo", "")
        );
        assert_eq!(
            classify("https://other.org/a#b", page, &base()),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(
            classify("//cdn.org/x.js", page, &base()),
            Target::External("https://cdn.org/x.js".into())
        );
        assert_eq!(classify("mailto:a@b.org", page, &base()), Target::Skip);
    }

    #[test]
    fn paths_map_to_the_files_a_static_server_answers_with() {
        let output = Output {
            files: ["index.html", "a/index.html", "style.css"]
                .map(String::from)
                .into(),
            pages: BTreeMap::from([(
                "a/index.html".to_string(),
                PageLinks {
                    links: Vec::new(),
                    ids: ["why".to_string()].into(),
                },
            )]),
        };
        let check = |path: &str, fragment: &str| resolve(&output, &base(), path, fragment);
        assert!(check("/repo/", "").is_ok());
        assert!(check("/repo", "").is_ok());
        assert!(check("/repo/a", "").is_ok());
        assert!(check("/repo/a/", "why").is_ok());
        assert!(check("/repo/style.css", "").is_ok());
        assert!(
            check("/repo/a/", "nope")
                .unwrap_err()
                .contains("no element with id `nope`")
        );
        assert!(check("/repo/b/", "").unwrap_err().contains("no such page"));
        assert!(check("/a/", "").unwrap_err().contains("outside the site"));
        assert!(
            check("/repo/a/x.md", "")
                .unwrap_err()
                .contains("Markdown link")
        );
    }
}

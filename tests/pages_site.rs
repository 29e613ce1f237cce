//! The example briefing, built for GitHub Pages under a sub-path, at a root and on a custom
//! domain, served by a plain static server and crawled from its front page: every link, asset
//! and fragment must resolve, and every page must be reachable.

mod common;

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::path::Path;

use briefing::html_links;
use common::pages::{StaticServer, briefing_ok, example_site, http_get};
use url::Url;

/// An extra article with Markdown links to another article, to a fragment of it, to a site
/// path and to its own heading: each must work wherever the site is published.
const LINKING_ARTICLE: &str = r#"+++
title = "How to read this briefing"
date = 2025-08-19
topics = ["Ukraine talks"]
aliases = ["old/how-to-read/"]
+++
## Where to start

Start with [the call](trump-halts-talks-to-call-putin-tests-western-unity.md), its
[highlights](./trump-halts-talks-to-call-putin-tests-western-unity.md#highlights-heading),
[every topic](/topics/) and [this section](#where-to-start).
"#;

/// What a crawl found.
#[derive(Debug, Default)]
struct Crawl {
    /// The URL paths of the HTML pages fetched.
    pages: BTreeSet<String>,
    /// Links and assets to this site followed, each occurrence counted.
    checked: usize,
    broken: Vec<String>,
    /// Whether a link went into an article body fragment made by Markdown links.
    markdown_links_seen: bool,
}

/// A page or asset fetched, with the ids of a page.
struct Fetched {
    ids: Option<BTreeSet<String>>,
}

/// Crawls from `start`, mapping URLs of the published site onto the local server.
fn crawl(server: &StaticServer, published: &Url, mount: &str, starts: &[(&str, u16)]) -> Crawl {
    let local = Url::parse(&format!("{}{mount}", server.origin())).unwrap();
    let mut crawl = Crawl::default();
    let mut fetched: HashMap<String, Fetched> = HashMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    let mut queue: VecDeque<(Url, u16, String)> = starts
        .iter()
        .map(|(path, status)| (local.join(path).unwrap(), *status, "start".to_string()))
        .collect();
    while let Some((url, expected, from)) = queue.pop_front() {
        let key = url.path().to_string();
        if fetched.contains_key(&key) {
            continue;
        }
        let mut response = http_get(server.port, &key);
        if response.status == 301 {
            let location = response.location.clone().unwrap_or_default();
            response = http_get(server.port, &location);
        }
        if response.status != expected {
            crawl
                .broken
                .push(format!("{from}: {url} answered {}", response.status));
            fetched.insert(key, Fetched { ids: None });
            continue;
        }
        let is_page = key.ends_with('/') || key.ends_with(".html");
        if !is_page {
            fetched.insert(key, Fetched { ids: None });
            continue;
        }
        crawl.pages.insert(key.clone());
        let html = String::from_utf8(response.body).unwrap();
        let page = html_links::read(&html).unwrap();
        for link in &page.links {
            let Ok(target) = url.join(&link.url) else {
                crawl.broken.push(format!("{key}: unparsable {}", link.url));
                continue;
            };
            let Some(target) = on_local_server(target, published, &local) else {
                continue;
            };
            crawl.checked += 1;
            if link.url.contains("briefing-link-") || link.url.ends_with(".md") {
                crawl.broken.push(format!("{key}: unresolved {}", link.url));
            }
            if let Some(fragment) = target.fragment().filter(|f| !f.is_empty()) {
                crawl.markdown_links_seen |= fragment == "highlights-heading";
                let decoded = percent_encoding::percent_decode_str(fragment)
                    .decode_utf8_lossy()
                    .into_owned();
                fragments.push((key.clone(), target.path().to_string(), decoded));
            }
            queue.push_back((target, 200, key.clone()));
        }
        fetched.insert(
            key,
            Fetched {
                ids: Some(page.ids),
            },
        );
    }
    for (from, path, fragment) in fragments {
        let has_id = fetched
            .get(&path)
            .and_then(|f| f.ids.as_ref())
            .is_some_and(|ids| ids.contains(&fragment));
        if !has_id {
            crawl
                .broken
                .push(format!("{from}: no #{fragment} on {path}"));
        }
    }
    crawl
}

/// The URL on the local server for a link to this site, or `None` for another site.
fn on_local_server(mut target: Url, published: &Url, local: &Url) -> Option<Url> {
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    if target.origin() == published.origin() {
        if !target.path().starts_with(published.path()) {
            return None;
        }
        target.set_scheme(local.scheme()).ok()?;
        target.set_host(local.host_str()).ok()?;
        target.set_port(local.port()).ok()?;
    }
    (target.origin() == local.origin()).then_some(target)
}

/// Every HTML page of the output, as URL paths under `mount`.
fn output_pages(output: &Path, mount: &str) -> BTreeSet<String> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let relative = e.path().strip_prefix(output).unwrap().to_string_lossy();
            let path = relative.strip_suffix("index.html").unwrap_or(&relative);
            format!("{mount}{path}")
        })
        .collect()
}

/// Builds, checks, serves and crawls the example site published at `base_url`.
fn publish_and_crawl(base_url: &str, cname: Option<&str>, mount: &str) -> tempfile::TempDir {
    let site = example_site(base_url, cname);
    std::fs::write(site.path().join("content/guide.md"), LINKING_ARTICLE).unwrap();
    briefing_ok(site.path(), &["build"]);
    let report = briefing_ok(site.path(), &["check"]);
    assert!(report.contains("; 0 broken."), "{report}");
    let output = site.path().join("output");
    let server = StaticServer::start(output.clone(), mount);
    let published = Url::parse(base_url).unwrap();
    let missing = format!("{mount}no/such/page/");
    // Redirect pages are reached from old links elsewhere, not from the site: start there too.
    let alias = format!("{mount}old/how-to-read/");
    let starts = [(mount, 200), (missing.as_str(), 404), (alias.as_str(), 200)];
    let crawl = crawl(&server, &published, mount, &starts);
    assert!(crawl.broken.is_empty(), "broken: {:#?}", crawl.broken);
    assert!(
        crawl.markdown_links_seen,
        "the Markdown link to a fragment was followed"
    );
    assert!(crawl.checked > 100, "only {} links followed", crawl.checked);
    let mut expected = output_pages(&output, mount);
    expected.remove(&format!("{mount}404.html"));
    crawl.pages.iter().for_each(|p| {
        expected.remove(p);
    });
    assert!(expected.is_empty(), "pages no link reaches: {expected:?}");
    assert!(output.join(".nojekyll").is_file());
    site
}

#[test]
fn a_project_site_under_a_sub_path_has_no_broken_link() {
    let site = publish_and_crawl("https://example.github.io/briefing/", None, "/briefing/");
    let index = std::fs::read_to_string(site.path().join("output/index.html")).unwrap();
    assert!(index.contains("href=\"/briefing/topics/\""));
    assert!(!site.path().join("output/CNAME").exists());
}

#[test]
fn a_site_at_the_root_has_no_broken_link() {
    publish_and_crawl("https://example.github.io/", None, "/");
}

#[test]
fn a_custom_domain_site_has_no_broken_link_and_a_cname() {
    let site = publish_and_crawl("https://news.example.org/", Some("news.example.org"), "/");
    let cname = std::fs::read_to_string(site.path().join("output/CNAME")).unwrap();
    assert_eq!(cname, "news.example.org\n");
}

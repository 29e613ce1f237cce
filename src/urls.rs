//! The one place that turns a page's site path into a URL.
//!
//! Sites are often published under a sub-path (`https://user.github.io/repo/`), where links
//! written as `/articles/x/` break. Every link, asset and canonical URL is made here, so no
//! template or stage ever builds a URL by hand.

/// A parsed `base_url`: the origin and the base path, which always starts and ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://user.github.io`
    pub origin: String,
    /// `/repo/`
    pub path: String,
}

impl BaseUrl {
    /// The link to a site path such as `articles/x/`: `/repo/articles/x/`.
    pub fn link(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// The absolute URL of a site path, for canonical links, feeds and sitemaps.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.link(site_path))
    }
}

/// Splits `https://host[:port]/path/` into origin and base path, or says what is wrong.
pub fn parse_base_url(url: &str) -> Result<BaseUrl, String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").ok_or_else(|| {
        format!("`{url}` is not an absolute URL; write it like `https://user.github.io/repo/`")
    })?;
    if !matches!(scheme, "http" | "https") {
        return Err(format!("`{url}` must start with https:// or http://"));
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '@') {
        return Err(format!("`{url}` has no valid host name"));
    }
    if path.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "`{url}` may not hold a query, a fragment, spaces or quotes"
        ));
    }
    let mut path = path.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    Ok(BaseUrl {
        origin: format!("{scheme}://{host}"),
        path,
    })
}

/// Joins `relative` to the folder path `dir`, resolving `.` and `..` (never above the top);
/// the result has no leading or trailing `/`.
pub fn join_path(dir: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn join_path_resolves_dots_without_leaving_the_top() {
        assert_eq!(super::join_path("content/a", "../b.md"), "content/b.md");
        assert_eq!(super::join_path("x/", "./y/../z/"), "x/z");
        assert_eq!(super::join_path("", "../../etc"), "etc");
    }

    use super::*;

    #[test]
    fn sub_path_is_kept_in_links_and_absolute_urls() {
        let base = parse_base_url("https://user.github.io/repo").unwrap();
        assert_eq!(base.path, "/repo/");
        assert_eq!(base.link("articles/a/"), "/repo/articles/a/");
        assert_eq!(base.link("/"), "/repo/");
        assert_eq!(
            base.absolute("feed.xml"),
            "https://user.github.io/repo/feed.xml"
        );
    }

    #[test]
    fn root_base_url_links_from_slash() {
        let base = parse_base_url("http://127.0.0.1:1111").unwrap();
        assert_eq!(base.origin, "http://127.0.0.1:1111");
        assert_eq!(base.link("topics/"), "/topics/");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(parse_base_url("example.com").is_err());
        assert!(parse_base_url("ftp://example.com/").is_err());
        assert!(parse_base_url("https:///x").is_err());
        assert!(parse_base_url("https://x.org/a?b").is_err());
    }
}

//! Pagination of list pages: `topics/x/`, then `topics/x/page/2/`, like Zola and Hugo.

use serde::Serialize;

use crate::urls::BaseUrl;

/// Where a list page sits among its siblings; `prev_url` and `next_url` feed `rel` links.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    /// 1-based.
    pub current: usize,
    pub total: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub first_url: String,
    pub last_url: String,
}

/// One page of a list: the items it shows and its place among the pages.
#[derive(Debug)]
pub struct Slice<'a, T> {
    pub items: &'a [T],
    /// The site path of this page, e.g. `topics/x/page/2/`.
    pub site_path: String,
    pub pager: Pager,
}

/// The site path of page `n` of a list whose first page is at `site_path`.
pub fn page_path(site_path: &str, n: usize) -> String {
    if n <= 1 {
        site_path.to_string()
    } else {
        format!("{site_path}page/{n}/")
    }
}

/// Cuts `items` into pages of `per_page` (at least one page, even when empty).
pub fn paginate<'a, T>(
    items: &'a [T],
    per_page: usize,
    site_path: &str,
    base: &BaseUrl,
) -> Vec<Slice<'a, T>> {
    let per_page = per_page.max(1);
    let total = items.len().div_ceil(per_page).max(1);
    let link = |n: usize| base.link(&page_path(site_path, n));
    (1..=total)
        .map(|n| {
            let start = (n - 1) * per_page;
            let end = (start + per_page).min(items.len());
            Slice {
                items: &items[start.min(end)..end],
                site_path: page_path(site_path, n),
                pager: Pager {
                    current: n,
                    total,
                    prev_url: (n > 1).then(|| link(n - 1)),
                    next_url: (n < total).then(|| link(n + 1)),
                    first_url: link(1),
                    last_url: link(total),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::urls::parse_base_url;

    #[test]
    fn pages_link_to_their_neighbours_under_the_base_path() {
        let base = parse_base_url("https://x.org/repo/").unwrap();
        let items: Vec<u32> = (0..45).collect();
        let pages = paginate(&items, 20, "topics/a/", &base);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[0].site_path, "topics/a/");
        assert_eq!(pages[0].pager.prev_url, None);
        assert_eq!(
            pages[0].pager.next_url.as_deref(),
            Some("/repo/topics/a/page/2/")
        );
        assert_eq!(pages[2].items, &[40, 41, 42, 43, 44]);
        assert_eq!(
            pages[2].pager.prev_url.as_deref(),
            Some("/repo/topics/a/page/2/")
        );
        assert_eq!(pages[2].pager.next_url, None);
    }

    #[test]
    fn an_empty_list_still_has_its_first_page() {
        let base = parse_base_url("https://x.org/").unwrap();
        let pages = paginate::<u32>(&[], 20, "tags/t/", &base);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].items.is_empty());
    }
}

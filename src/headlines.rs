//! The source's own related headlines, tied to the articles of this briefing they name.
//!
//! An imported page lists "Related" headlines of its outlet; when the briefing holds one of
//! those articles, the headline becomes a link to it. A headline matches an article by its
//! URL (the article's `source_url`) or, failing that, by its title: nearly the same words.

use std::collections::{BTreeMap, BTreeSet};

use crate::analyse::tokens::{StopWords, fold, words};
use crate::model::{Article, ArticleId};
use crate::urls::BaseUrl;

/// The share of the words of two titles (Jaccard) from which they are taken as one headline:
/// outlets reword a headline a little between the page and its related lists.
const SAME_TITLE: f32 = 0.75;

/// Sets `local_url` on every related headline that names an article of the briefing (other
/// than the one listing it). Articles are indexed by their place in `articles`.
pub fn link_local(articles: &mut [Article], base: &BaseUrl) {
    // Most briefings are written, not imported: no headline to look for, no index to build.
    if articles.iter().all(|a| a.related_headlines.is_empty()) {
        return;
    }
    let index = Index::new(articles);
    let found: Vec<Vec<Option<ArticleId>>> = articles
        .iter()
        .enumerate()
        .map(|(i, article)| {
            article
                .related_headlines
                .iter()
                .map(|h| index.find(h.url.as_deref(), &h.title))
                .map(|found| found.filter(|id| id.index() != i))
                .collect()
        })
        .collect();
    let paths: Vec<String> = articles.iter().map(Article::site_path).collect();
    for (article, matches) in articles.iter_mut().zip(found) {
        for (headline, found) in article.related_headlines.iter_mut().zip(matches) {
            headline.local_url = found.map(|id| base.link(&paths[id.index()]));
        }
    }
}

/// The articles by normalised source URL and by title words.
struct Index {
    by_url: BTreeMap<String, ArticleId>,
    titles: Vec<BTreeSet<String>>,
    by_word: BTreeMap<String, Vec<ArticleId>>,
    stop_words: StopWords,
}

impl Index {
    fn new(articles: &[Article]) -> Index {
        let stop_words = StopWords::default();
        let mut by_url = BTreeMap::new();
        let mut by_word: BTreeMap<String, Vec<ArticleId>> = BTreeMap::new();
        let mut titles = Vec::with_capacity(articles.len());
        for (i, article) in articles.iter().enumerate() {
            let id = ArticleId(i as u32);
            if let Some(url) = article.source_url.as_deref() {
                by_url.entry(normalised_url(url)).or_insert(id);
            }
            let title = title_words(&article.title, &stop_words);
            for word in &title {
                by_word.entry(word.clone()).or_default().push(id);
            }
            titles.push(title);
        }
        Index {
            by_url,
            titles,
            by_word,
            stop_words,
        }
    }

    /// The article a headline names: by URL, else the one whose title shares the most words
    /// (at least `SAME_TITLE` of them; ties go to the first in site order).
    fn find(&self, url: Option<&str>, title: &str) -> Option<ArticleId> {
        if let Some(id) = url.and_then(|u| self.by_url.get(&normalised_url(u))) {
            return Some(*id);
        }
        let words = title_words(title, &self.stop_words);
        let mut candidates: Vec<ArticleId> = words
            .iter()
            .filter_map(|w| self.by_word.get(w))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let mut best: Option<(f32, ArticleId)> = None;
        for id in candidates {
            let other = &self.titles[id.index()];
            let shared = words.intersection(other).count() as f32;
            let jaccard = shared / ((words.len() + other.len()) as f32 - shared);
            if jaccard >= SAME_TITLE && best.is_none_or(|(b, _)| jaccard > b) {
                best = Some((jaccard, id));
            }
        }
        best.map(|(_, id)| id)
    }
}

/// The folded content words of a title.
fn title_words(title: &str, stop_words: &StopWords) -> BTreeSet<String> {
    words(title)
        .into_iter()
        .map(fold)
        .filter(|w| !w.is_empty() && !stop_words.contains(w))
        .collect()
}

/// A URL without its scheme, `www.`, query, fragment and final slash, in lower case: the
/// same page as outlets and importers write it.
fn normalised_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = url.split(['?', '#']).next().unwrap_or(url);
    url.trim_end_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelatedHeadline;
    use crate::urls::parse_base_url;

    fn article(slug: &str, title: &str, source_url: Option<&str>) -> Article {
        Article {
            slug: slug.into(),
            title: title.into(),
            source_url: source_url.map(str::to_string),
            ..Article::default()
        }
    }

    fn headline(title: &str, url: Option<&str>) -> RelatedHeadline {
        RelatedHeadline {
            title: title.into(),
            url: url.map(str::to_string),
            local_url: None,
        }
    }

    #[test]
    fn headlines_link_to_local_articles_by_url_or_title_and_others_stay_plain() {
        let mut articles = vec![
            article("a", "Zelensky meets Trump in Washington", None),
            article(
                "b",
                "Europe backs Kyiv after the summit",
                Some("https://www.news.example/world/europe-backs-kyiv/"),
            ),
            article("c", "Markets rally", None),
        ];
        articles[2].related_headlines = vec![
            headline("Zelensky meets Trump in Washington.", None),
            headline(
                "Europe's leaders",
                Some("http://news.example/world/europe-backs-kyiv?ref=rel"),
            ),
            headline("Oil prices fall", Some("https://other.example/oil")),
            headline("Trump", None),
        ];
        articles[0].related_headlines = vec![headline("Zelensky meets Trump in Washington", None)];
        let base = parse_base_url("https://example.org/briefing/").unwrap();
        link_local(&mut articles, &base);
        let links: Vec<Option<&str>> = articles[2]
            .related_headlines
            .iter()
            .map(|h| h.local_url.as_deref())
            .collect();
        assert_eq!(
            links,
            [
                Some("/briefing/articles/a/"),
                Some("/briefing/articles/b/"),
                None,
                None
            ]
        );
        // An article's own headline in its list is not a link to itself.
        assert_eq!(articles[0].related_headlines[0].local_url, None);
    }
}

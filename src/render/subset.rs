//! Rendering only the pages that show given articles, for `serve`'s fast pass after an edit.
//!
//! When an edit changes what an article says but not where it sits in the site (its slug, date,
//! topics and tags stay), the pages whose output can change are the ones that show it: its own
//! page and, when what lists show of it (its summary) or its quotes changed, the pages of the
//! articles that list it as related, the one page of each list (front page, topic, tag, section,
//! month) whose slice holds it, its entities' pages, the 404 page and the indexes of terms whose
//! newest article it is. This module finds those pages from the model and renders them with the
//! same functions as a whole build, so each is byte-identical to the whole build's page for the
//! same `Site`.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::context::{ArticleSummary, SiteView};
use super::pagination::{self, Slice};
use super::{
    ListSpec, RenderedFile, Shared, Templates, TermsIndex, front_page_stories, list_slices,
    list_specs, render_article_page, render_entity_page, render_index_page, render_list_page,
    render_not_found_page, render_terms_index, theme,
};
use crate::error::BuildError;
use crate::model::{ArticleId, Site};

/// A set of articles.
pub type Changed = BTreeSet<ArticleId>;

/// What changed in the edited articles, as far as pages care.
#[derive(Debug, Default)]
pub struct Edits {
    /// Every edited article: its own page is rendered again.
    pub pages: Changed,
    /// The edited articles whose summary or quotes changed: the pages that list them are
    /// rendered again too.
    pub listed: Changed,
}

/// Renders every page of the site that can show a change of the `edits` (see the module
/// comment), in no particular order. `summaries` are the site's article summaries
/// (`context::summaries`), which `serve` keeps between passes. Runs on the calling thread only:
/// `serve` calls it while a whole build may keep the thread pool busy.
pub fn render_pages_showing(
    site: &Site,
    templates: &Templates,
    theme: &theme::ThemeInfo,
    summaries: &[ArticleSummary],
    article_topics: &[Vec<usize>],
    edits: &Edits,
) -> Result<Vec<RenderedFile>, BuildError> {
    let shared = Shared {
        site,
        view: SiteView::new(site, theme),
        summaries: Cow::Borrowed(summaries),
        article_topics: Cow::Borrowed(article_topics),
    };
    let listed = &edits.listed;
    let shows = |ids: &[ArticleId]| ids.iter().any(|id| listed.contains(id));
    let mut files = Vec::new();
    if !listed.is_empty() {
        files.extend(index_pages(&shared, templates, listed)?);
        files.push(render_not_found_page(&shared, templates)?);
    }
    for id in article_pages(site, edits) {
        files.push(render_article_page(&shared, templates, id)?);
    }
    for spec in list_specs(site) {
        for slice in slices_showing(&shared, &spec, listed) {
            files.push(render_list_page(&shared, templates, &spec, slice)?);
        }
    }
    for entity in &site.entities.list {
        let quoted = entity.quotes.iter().any(|q| listed.contains(&q.article));
        if quoted || shows(&entity.articles) {
            files.push(render_entity_page(&shared, templates, entity)?);
        }
    }
    for index in terms_indexes_showing(site, listed) {
        files.push(render_terms_index(&shared, templates, index)?);
    }
    Ok(files)
}

/// The front page (its stories show the newest articles of each topic) and the pages of the
/// latest articles that hold a changed one.
fn index_pages(
    shared: &Shared<'_>,
    templates: &Templates,
    changed: &Changed,
) -> Result<Vec<RenderedFile>, BuildError> {
    let site = shared.site;
    let per_page = site.front_page.per_page.max(1);
    // Articles are in site order, so an article's place in the list is the number of
    // listed articles before it (near-duplicates are listed once).
    let place = |id: ArticleId| {
        (0..id.index())
            .filter(|&i| site.duplicates.is_shown(ArticleId(i as u32)))
            .count()
    };
    let wanted: BTreeSet<usize> = std::iter::once(1)
        .chain(changed.iter().map(|&id| place(id) / per_page + 1))
        .collect();
    let stories = front_page_stories(shared);
    pagination::paginate(
        site.front_page.listed(&stories),
        per_page,
        "",
        &site.config.base_url,
    )
    .into_iter()
    .filter(|slice| wanted.contains(&slice.pager.current))
    .map(|slice| render_index_page(shared, templates, slice))
    .collect()
}

/// The edited articles and those that list a listed one as related.
fn article_pages(site: &Site, edits: &Edits) -> Changed {
    let relating = (0..site.articles.len())
        .map(|i| ArticleId(u32::try_from(i).unwrap_or(u32::MAX)))
        .filter(|&id| site.related.of(id).iter().any(|r| edits.listed.contains(r)));
    edits.pages.iter().copied().chain(relating).collect()
}

/// The pages of a list whose slice holds a changed article.
fn slices_showing<'a>(
    shared: &Shared<'_>,
    spec: &'a ListSpec<'_>,
    changed: &Changed,
) -> Vec<Slice<'a, ArticleId>> {
    if !spec.ids.iter().any(|id| changed.contains(id)) {
        return Vec::new();
    }
    list_slices(shared, spec)
        .into_iter()
        .filter(|slice| slice.items.iter().any(|id| changed.contains(id)))
        .collect()
}

/// The indexes of terms that show a changed article as some term's newest.
fn terms_indexes_showing(site: &Site, changed: &Changed) -> Vec<TermsIndex> {
    let newest_changed = |mut lists: Box<dyn Iterator<Item = &[ArticleId]> + '_>| {
        lists.any(|ids| ids.first().is_some_and(|id| changed.contains(id)))
    };
    TermsIndex::ALL
        .into_iter()
        .filter(|index| {
            newest_changed(match index {
                TermsIndex::Topics => Box::new(site.topics.iter().map(|t| t.articles.as_slice())),
                TermsIndex::Tags => Box::new(site.tags.iter().map(|t| t.articles.as_slice())),
                TermsIndex::Archive => Box::new(site.archive.iter().map(|m| m.articles.as_slice())),
                TermsIndex::Entities => {
                    Box::new(site.entities.list.iter().map(|e| e.articles.as_slice()))
                }
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{test_article, test_site};
    use std::collections::HashMap;

    fn site() -> Site {
        let articles = (0..24)
            .map(|i| {
                let topic = ["Talks", "Markets", "Weather"][i % 3];
                let date = format!("2025-08-{:02}", i + 1);
                let mut article = test_article(&format!("Story {i}"), Some(&date), &[topic]);
                article.tags = vec![format!("tag {}", i % 4), "all".into()];
                article.body_text = format!("Story {i} about {topic} and ceasefire talks.");
                article
            })
            .collect();
        test_site(
            "title = \"T\"\nbase_url = \"https://example.com/repo/\"\npaginate_by = 3\n",
            articles,
        )
    }

    fn render_all(site: &Site) -> HashMap<String, Vec<u8>> {
        let (templates, theme) = templates(site);
        let sink = super::super::Collected::default();
        super::super::render_site(site, &templates, &theme, &sink, &crate::progress::Silent)
            .unwrap();
        sink.into_files()
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect()
    }

    fn templates(site: &Site) -> (Templates, theme::ThemeInfo) {
        let config = &site.config;
        let templates = Templates::load_for(config).unwrap();
        let theme = theme::ThemeInfo::load(&config.theme_dir(), &config.root).unwrap();
        (templates, theme)
    }

    #[test]
    fn every_page_an_edit_changes_is_rendered_and_matches_the_whole_render() {
        let before = site();
        let old = render_all(&before);
        for edited_index in [0, 7, 23] {
            let mut after = before.clone();
            let article = &mut after.articles[edited_index];
            article.title.push_str(" (updated)");
            article.body_html = "<p>A new first paragraph.</p>".into();
            article.body_text = "A new first paragraph.".into();
            let new = render_all(&after);
            let (templates, theme) = templates(&after);
            let changed = Changed::from([ArticleId(edited_index as u32)]);
            let edits = Edits {
                pages: changed.clone(),
                listed: changed,
            };
            let topics = super::super::article_topics(&after);
            let summaries = super::super::context::summaries(&after, &topics);
            let subset: HashMap<String, Vec<u8>> =
                render_pages_showing(&after, &templates, &theme, &summaries, &topics, &edits)
                    .unwrap()
                    .into_iter()
                    .map(|f| (f.path, f.bytes))
                    .collect();
            for (path, bytes) in &subset {
                assert_eq!(
                    Some(bytes),
                    new.get(path),
                    "{path} differs from the whole render"
                );
            }
            let differing: Vec<&String> = new
                .keys()
                .filter(|path| old.get(*path) != new.get(*path))
                .collect();
            assert!(differing.len() > 5, "{differing:?}");
            for path in differing {
                assert!(
                    subset.contains_key(path),
                    "{path} changed but was not rendered"
                );
            }
            assert!(
                subset.len() < new.len() / 2,
                "{} of {}",
                subset.len(),
                new.len()
            );
        }
    }
}

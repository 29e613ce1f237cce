//! Assembles the immutable `Site` from the parsed articles: order, analysis, duplicates,
//! topics, related news, entities, tags and the words of the search index.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::content::section::SectionSource;
use crate::model::{Article, ArticleId, FrontPage, Month, Section, Site, Tag};
use crate::progress::{Progress, Silent};
use crate::slug::slugify;
use crate::{analyse, duplicates, entities, related, search_words, topics};

/// Sorts the articles and derives everything that groups them.
pub fn assemble(config: SiteConfig, articles: Vec<Article>, sections: Vec<SectionSource>) -> Site {
    assemble_with_progress(config, articles, sections, &Silent)
}

/// `assemble`, telling `progress` when each stage starts.
pub fn assemble_with_progress(
    config: SiteConfig,
    mut articles: Vec<Article>,
    sections: Vec<SectionSource>,
    progress: &dyn Progress,
) -> Site {
    articles.sort_by(site_order);
    crate::headlines::link_local(&mut articles, &config.base_url);
    let (root, sections): (Vec<_>, Vec<_>) =
        sections.into_iter().partition(|s| s.site_path.is_empty());
    let front_page = front_page(config.config.paginate_by, root.first());
    progress.stage("analyse", None);
    // The analysis splits every text into words once, and gathers from them what the
    // duplicate finder and the search index need too.
    // Tags, sections and months need only the articles: they are grouped on whichever thread
    // is free while the analysis runs, as duplicates are found while stories are grouped.
    let (mut analysis, (tags, sections, archive)) = rayon::join(
        || analyse::analyse(&articles, &config.config.entities.aliases),
        || {
            let tags = group_tags(&articles);
            let sections = group_sections(&articles, sections);
            (tags, sections, group_months(&articles))
        },
    );
    progress.stage("duplicates and topics", None);
    let signatures = std::mem::take(&mut analysis.signatures);
    let search_words = std::mem::take(&mut analysis.search);
    let stories = config.config.stories.threshold;
    let (duplicates, topics) = rayon::join(
        || duplicates::find(&articles, &signatures),
        || topics::group(&articles, &config.config.topics, stories, &analysis),
    );
    drop(signatures);
    progress.stage("related", None);
    let related = related::rank(
        &articles,
        &analysis,
        &topics,
        &duplicates,
        &config.config.related,
    );
    progress.stage("entities", None);
    let entities = entities::collect(&articles, &analysis);
    drop(analysis);
    let search = search_words::SearchWords::new(search_words);
    Site {
        config,
        articles,
        topics,
        tags,
        sections,
        front_page,
        archive,
        entities,
        related,
        duplicates,
        search,
    }
}

/// The archive: dated articles by the month of their (local) date, newest month first; within
/// a month, site order.
fn group_months(articles: &[Article]) -> Vec<Month> {
    use chrono::Datelike;
    let mut months: BTreeMap<(i32, u32), Vec<ArticleId>> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        if let Some(date) = article.date {
            let day = date.day();
            let id = ArticleId(u32::try_from(index).unwrap_or(u32::MAX));
            months
                .entry((day.year(), day.month()))
                .or_default()
                .push(id);
        }
    }
    months
        .into_iter()
        .rev()
        .map(|((year, month), articles)| Month {
            name: chrono::NaiveDate::from_ymd_opt(year, month, 1).map_or_else(
                || format!("{year}-{month:02}"),
                |d| d.format("%B %Y").to_string(),
            ),
            year,
            month,
            articles,
        })
        .collect()
}

/// The front page's list: paginated by `site.toml`'s `paginate_by`, unless the content has
/// its own `_index.md`, which decides as in Zola: with a `paginate_by`, paginated by it;
/// without, one page (a Zola or Hugo site's home page lists its newest, and its sections
/// list the rest, so such a site builds the pages it built before).
fn front_page(paginate_by: usize, root: Option<&SectionSource>) -> FrontPage {
    match root {
        None => FrontPage {
            per_page: paginate_by,
            paginated: true,
        },
        Some(root) => FrontPage {
            per_page: root.paginate_by.unwrap_or(paginate_by),
            paginated: root.paginate_by.is_some(),
        },
    }
}

/// Puts each article in the deepest section whose folder holds it.
fn group_sections(articles: &[Article], sources: Vec<SectionSource>) -> Vec<Section> {
    let mut sections: Vec<Section> = sources
        .iter()
        .map(|s| Section {
            title: s.title.clone(),
            description: s.description.clone(),
            site_path: s.site_path.clone(),
            paginate_by: s.paginate_by,
            articles: Vec::new(),
        })
        .collect();
    for (index, article) in articles.iter().enumerate() {
        let deepest = sources
            .iter()
            .enumerate()
            .filter(|(_, s)| article.source.starts_with(&s.dir))
            .max_by_key(|(_, s)| s.dir.components().count());
        if let Some((i, _)) = deepest {
            sections[i]
                .articles
                .push(ArticleId(u32::try_from(index).unwrap_or(u32::MAX)));
        }
    }
    sections
}

/// Newest first; undated articles after dated ones, by title; the slug breaks every tie.
pub fn site_order(a: &Article, b: &Article) -> Ordering {
    let by_date = match (&a.date, &b.date) {
        (Some(x), Some(y)) => y.moment().cmp(&x.moment()),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_date
        .then(a.weight.cmp(&b.weight))
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.slug.cmp(&b.slug))
}

fn group_tags(articles: &[Article]) -> Vec<Tag> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        let id = ArticleId(u32::try_from(index).unwrap_or(u32::MAX));
        for name in &article.tags {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                name: name.trim().to_string(),
                slug,
                articles: Vec::new(),
            });
            if tag.articles.last() != Some(&id) {
                tag.articles.push(id);
            }
        }
    }
    tags.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::date_from_str;

    fn article(title: &str, date: Option<&str>) -> Article {
        Article {
            title: title.into(),
            slug: slugify(title),
            date: date.and_then(date_from_str),
            ..Article::default()
        }
    }

    #[test]
    fn the_archive_groups_dated_articles_by_month_newest_first() {
        let mut list = vec![
            article("Aug late", Some("2025-08-30")),
            article("Aug early", Some("2025-08-01")),
            article("April", Some("2025-04-24")),
            article("Undated", None),
        ];
        list.sort_by(site_order);
        let months = group_months(&list);
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].name, "August 2025");
        assert_eq!(months[0].site_path(), "archive/2025/08/");
        assert_eq!(months[0].articles, vec![ArticleId(0), ArticleId(1)]);
        assert_eq!(months[1].articles, vec![ArticleId(2)]);
    }

    #[test]
    fn newest_first_and_undated_last() {
        let mut list = [
            article("Undated", None),
            article("Old", Some("2024-01-01")),
            article("New", Some("2025-01-01T10:00:00Z")),
            article("Also new", Some("2025-01-01T10:00:00Z")),
        ];
        list.sort_by(site_order);
        let titles: Vec<&str> = list.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Also new", "New", "Old", "Undated"]);
    }
}

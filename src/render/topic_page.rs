//! What a topic page shows beside its timeline: the key quotes of the story and the people
//! involved, so that a reader sees who said what without opening every article.

use super::context::{ArticleSummary, Link, QuoteView, entity_link};
use crate::model::{ArticleId, EntityKind, Site};

/// How many quotes a topic page shows.
const KEY_QUOTES: usize = 6;
/// How many people a topic page lists.
const PEOPLE: usize = 8;

/// The quotes of a topic's articles (front matter or found by the import), newest article
/// first, with their speakers.
pub fn key_quotes<'a>(
    site: &'a Site,
    summaries: &'a [ArticleSummary],
    ids: &[ArticleId],
) -> Vec<QuoteView<'a>> {
    ids.iter()
        .flat_map(|&id| {
            site.article(id).quotes.iter().map(move |quote| QuoteView {
                text: &quote.text,
                speaker: &quote.speaker,
                context: &quote.context,
                article: &summaries[id.index()],
            })
        })
        .filter(|q| !q.text.trim().is_empty())
        .take(KEY_QUOTES)
        .collect()
}

/// The people a topic's articles name, the one named by the most articles first (then by
/// name), linked to their entity pages.
pub fn people(site: &Site, ids: &[ArticleId]) -> Vec<Link> {
    let mut counts: rustc_hash::FxHashMap<crate::model::EntityId, usize> = Default::default();
    for id in ids {
        let named = site.entities.by_article.get(id.index());
        for &entity in named.into_iter().flatten() {
            if site.entities.get(entity).kind == EntityKind::Person {
                *counts.entry(entity).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(crate::model::EntityId, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(PEOPLE)
        .map(|(entity, _)| entity_link(site, site.entities.get(entity)))
        .collect()
}

//! The site's entities as pages: which people, places and organisations get one, the
//! articles that name them and the quotes they gave.

use std::collections::BTreeMap;

use crate::analyse::Analysis;
use crate::analyse::entities::EntityKind;
use crate::model::{Article, ArticleId, Entities, Entity, EntityId, QuoteRef};
use crate::slug::slugify;

/// The entities worth a page: people, places and organisations named by at least one article.
pub fn collect(articles: &[Article], analysis: &Analysis) -> Entities {
    let resolution = &analysis.resolution;
    let mut named = vec![false; resolution.entities.len()];
    for (id, _) in resolution.per_article.iter().flatten() {
        named[*id as usize] = true;
    }
    let mut pages: BTreeMap<String, (u32, Entity)> = BTreeMap::new();
    for (id, entity) in resolution.entities.iter().enumerate() {
        let slug = slugify(&entity.name);
        if entity.kind == EntityKind::Other || slug.is_empty() || !named[id] {
            continue;
        }
        let page = Entity {
            name: entity.name.clone(),
            slug: slug.clone(),
            kind: entity.kind,
            articles: Vec::new(),
            quotes: Vec::new(),
        };
        // Two entities whose names make one slug share a page, the first by resolution order.
        pages.entry(slug).or_insert((id as u32, page));
    }
    let list_ids: Vec<u32> = pages.values().map(|(id, _)| *id).collect();
    let mut list: Vec<Entity> = pages.into_values().map(|(_, e)| e).collect();
    let mut page_of: BTreeMap<u32, EntityId> = BTreeMap::new();
    for (page, id) in list_ids.iter().enumerate() {
        page_of.insert(*id, EntityId(page as u32));
    }
    let by_article: Vec<Vec<EntityId>> = resolution
        .per_article
        .iter()
        .map(|named| {
            named
                .iter()
                .filter_map(|(id, _)| page_of.get(id).copied())
                .collect()
        })
        .collect();
    for (index, ids) in by_article.iter().enumerate() {
        for id in ids {
            list[id.index()].articles.push(ArticleId(index as u32));
        }
    }
    for (index, article) in articles.iter().enumerate() {
        for (q, quote) in article.quotes.iter().enumerate() {
            let speaker = resolution.find(&quote.speaker, &analysis.gazetteer);
            if let Some(page) = speaker.and_then(|id| page_of.get(&id)) {
                list[page.index()].quotes.push(QuoteRef {
                    article: ArticleId(index as u32),
                    index: q,
                });
            }
        }
    }
    Entities { list, by_article }
}

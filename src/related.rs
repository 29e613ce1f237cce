//! Related news: for every article, the other articles most worth reading next.
//!
//! The score mixes shared entities, text similarity, nearness in time and being in the same
//! story, with the weights of `[related]` in `site.toml`. Candidates are the article's nearest
//! neighbours from the inverted index plus its story mates, so the work per article is bounded
//! and the whole stays far from quadratic.

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::analyse::Analysis;
use crate::config::RelatedConfig;
use crate::duplicates::DuplicateGroups;
use crate::model::{Article, ArticleId, RelatedIndex, Topic};
use crate::topics::within_story_similarity;

/// Topics larger than this add no candidates of their own: their members are found through
/// the neighbours, and listing every pair would be quadratic.
const MAX_MATES: usize = 100;

/// How much the similarity of two story mates in what only part of the story shares adds to
/// their rank: inside a story that may hold two events of one kind, it tells them apart.
const SPECIFIC_WEIGHT: f32 = 0.5;

/// What the score of a pair is made of, each part between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Parts {
    entities: f32,
    text: f32,
    time: f32,
    story: f32,
}

/// Ranks the related articles of every article. A near-duplicate is listed as the copy lists
/// show, once, and never as related to another copy of itself: article pages name the other
/// outlets that ran the same story already.
pub fn rank(
    articles: &[Article],
    analysis: &Analysis,
    topics: &[Topic],
    duplicates: &DuplicateGroups,
    config: &RelatedConfig,
) -> RelatedIndex {
    let mut memberships: Vec<Vec<usize>> = vec![Vec::new(); articles.len()];
    for (t, topic) in topics.iter().enumerate() {
        for id in &topic.articles {
            memberships[id.index()].push(t);
        }
    }
    let days = &analysis.days;
    let within: Vec<Option<Vec<Vec<f32>>>> = topics
        .par_iter()
        .map(|topic| {
            let members: Vec<u32> = topic.articles.iter().map(|id| id.0).collect();
            (members.len() > 2 && members.len() <= MAX_MATES)
                .then(|| within_story_similarity(&members, analysis))
        })
        .collect();
    // How alike two articles of one story are in what sets them apart from the rest of it.
    let specific = |i: usize, j: usize| -> f32 {
        let shared = memberships[i].iter().find(|t| memberships[j].contains(t));
        let Some((&t, Some(matrix))) = shared.map(|t| (t, &within[*t])) else {
            return 0.0;
        };
        let position = |a: usize| topics[t].articles.binary_search(&ArticleId(a as u32));
        match (position(i), position(j)) {
            (Ok(x), Ok(y)) => matrix[x][y],
            _ => 0.0,
        }
    };
    let links = (0..articles.len())
        .into_par_iter()
        .map(|i| {
            // Text similarity is known for the neighbours; story mates get it computed.
            let mut candidates: Vec<(u32, Option<f32>)> = analysis.neighbours[i]
                .iter()
                .map(|(j, s)| (*j, Some(*s)))
                .collect();
            for &t in &memberships[i] {
                if topics[t].articles.len() <= MAX_MATES {
                    candidates.extend(topics[t].articles.iter().map(|id| (id.0, None)));
                }
            }
            candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.is_some().cmp(&a.1.is_some())));
            candidates.dedup_by_key(|c| c.0);
            let mut scored: Vec<(u32, bool, f32)> = candidates
                .into_iter()
                .filter(|&(j, _)| j as usize != i)
                .map(|(j, text)| {
                    let j_index = j as usize;
                    let text = text.unwrap_or_else(|| {
                        analysis.text.vectors[i].dot(&analysis.text.vectors[j_index])
                    });
                    let parts = Parts {
                        entities: analysis.entities[i].dot(&analysis.entities[j_index]),
                        text,
                        time: nearness(analysis, days, i, j_index, config.half_life_days),
                        story: shares_topic(&memberships[i], &memberships[j_index]),
                    };
                    let specific = if parts.story > 0.0 {
                        specific(i, j_index)
                    } else {
                        0.0
                    };
                    let rank = score(parts, config) + SPECIFIC_WEIGHT * specific;
                    (j, parts.story > 0.0, rank)
                })
                .filter(|(_, _, s)| *s >= config.threshold)
                .collect();
            // Articles of the same story first: the story was cut from the whole site's
            // similarities, which one pair's score cannot see.
            scored.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
            let own = duplicates.shown_copy(ArticleId(i as u32));
            let mut listed: Vec<ArticleId> = Vec::with_capacity(config.k);
            for (j, _, _) in scored {
                let shown = duplicates.shown_copy(ArticleId(j));
                if listed.len() == config.k {
                    break;
                }
                if shown != own && !listed.contains(&shown) {
                    listed.push(shown);
                }
            }
            listed
        })
        .collect();
    RelatedIndex { links }
}

fn shares_topic(a: &[usize], b: &[usize]) -> f32 {
    if a.iter().any(|t| b.contains(t)) {
        1.0
    } else {
        0.0
    }
}

/// 1 for the same day, halving every `half_life_days`; one half for the same year when a day
/// is missing; 0 for articles about different years, and when either has no date at all: an
/// unknown time is no evidence that two articles tell the same story.
fn nearness(
    analysis: &Analysis,
    days: &[Option<NaiveDate>],
    i: usize,
    j: usize,
    half_life_days: f32,
) -> f32 {
    match (days[i], days[j], analysis.years[i], analysis.years[j]) {
        (Some(a), Some(b), _, _) => {
            let apart = (a - b).num_days().unsigned_abs() as f32;
            0.5f32.powf(apart / half_life_days)
        }
        (_, _, Some(a), Some(b)) if a == b => 0.5,
        _ => 0.0,
    }
}

/// The weighted mean of the parts.
fn score(parts: Parts, config: &RelatedConfig) -> f32 {
    let w = &config.weights;
    let total = w.entities + w.text + w.time + w.story;
    if total <= 0.0 {
        return 0.0;
    }
    (w.entities * parts.entities
        + w.text * parts.text
        + w.time * parts.time
        + w.story * parts.story)
        / total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RelatedWeights;

    #[test]
    fn the_score_is_the_weighted_mean_of_its_parts() {
        let config = RelatedConfig {
            weights: RelatedWeights {
                entities: 1.0,
                text: 1.0,
                time: 0.0,
                story: 2.0,
            },
            ..RelatedConfig::default()
        };
        let parts = Parts {
            entities: 0.5,
            text: 0.5,
            time: 1.0,
            story: 1.0,
        };
        assert!((score(parts, &config) - 0.75).abs() < 1e-6);
    }

    #[test]
    fn nearness_halves_with_each_half_life_and_is_zero_across_years_or_without_a_date() {
        let analysis = Analysis {
            years: vec![Some(2025), Some(2025), Some(2024)],
            ..Analysis::default()
        };
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let days = [day("2025-03-01"), day("2025-03-31"), None];
        assert!((nearness(&analysis, &days, 0, 1, 30.0) - 0.5).abs() < 1e-6);
        assert_eq!(nearness(&analysis, &days, 0, 2, 30.0), 0.0);
        let undated = Analysis {
            years: vec![Some(2025), Some(2025), None],
            ..Analysis::default()
        };
        let days = [day("2025-03-01"), None, None];
        assert!((nearness(&undated, &days, 0, 1, 30.0) - 0.5).abs() < 1e-6);
        assert_eq!(nearness(&undated, &days, 0, 2, 30.0), 0.0);
    }
}

//! Topics: the stories a briefing is organised by.
//!
//! A topic is named in `site.toml` or in an article's front matter `topics`; front matter always
//! wins. Configured topics keep the order the editor gave them; the others follow by name.

use std::collections::BTreeMap;

use crate::config::TopicRule;
use crate::model::{Article, ArticleId, Topic, TopicKind};
use crate::slug::slugify;

/// Groups articles (already in site order) into topics.
pub fn group(articles: &[Article], rules: &[TopicRule]) -> Vec<Topic> {
    let mut topics: Vec<Topic> = rules
        .iter()
        .map(|rule| Topic {
            slug: rule
                .slug
                .as_deref()
                .map(slugify)
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slugify(&rule.name)),
            name: rule.name.trim().to_string(),
            description: rule.description.clone(),
            kind: TopicKind::Configured,
            articles: Vec::new(),
        })
        .collect();
    let mut named: BTreeMap<String, Topic> = BTreeMap::new();
    for (index, article) in articles.iter().enumerate() {
        let id = ArticleId(u32::try_from(index).unwrap_or(u32::MAX));
        for name in &article.topics {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let topic = match topics
                .iter_mut()
                .find(|t| t.slug == slug || slugify(&t.name) == slug)
            {
                Some(topic) => topic,
                None => named.entry(slug.clone()).or_insert_with(|| Topic {
                    name: name.trim().to_string(),
                    slug,
                    description: String::new(),
                    kind: TopicKind::Configured,
                    articles: Vec::new(),
                }),
            };
            if topic.articles.last() != Some(&id) {
                topic.articles.push(id);
            }
        }
    }
    topics.extend(named.into_values());
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(topics: &[&str]) -> Article {
        Article {
            topics: topics.iter().map(|s| s.to_string()).collect(),
            ..Article::default()
        }
    }

    #[test]
    fn front_matter_topics_join_configured_ones_by_slug() {
        let rules = vec![TopicRule {
            name: "Ukraine talks".into(),
            ..TopicRule::default()
        }];
        let articles = vec![
            article(&["ukraine talks", "Economy"]),
            article(&["Ukraine Talks"]),
        ];
        let topics = group(&articles, &rules);
        assert_eq!(topics.len(), 2);
        assert_eq!(topics[0].name, "Ukraine talks");
        assert_eq!(topics[0].articles, vec![ArticleId(0), ArticleId(1)]);
        assert_eq!(topics[1].slug, "economy");
        assert_eq!(topics[1].articles, vec![ArticleId(0)]);
    }
}

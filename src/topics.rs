//! Topics: the stories a briefing is organised by.
//!
//! A topic is named in an article's front matter `topics`, which always wins; else an article
//! joins the `site.toml` topics whose `match` rules its text meets; the articles left over are
//! grouped into automatic stories by what they say, named from their content. Configured topics
//! keep the order the editor gave them; front matter topics follow by name, then the stories,
//! newest first.

use std::collections::{BTreeMap, BTreeSet};

use crate::analyse::Analysis;
use crate::analyse::cluster::{average_link, bisect};
use crate::analyse::entities::EntityKind;
use crate::analyse::tokens::{Analyzer, fold, words};
use crate::analyse::vectors::{SparseVector, sum_by_term};
use crate::config::{MatchRules, TopicRule};
use crate::model::{Article, ArticleId, Topic, TopicKind};
use crate::slug::slugify;

/// How much the words count in the similarity of two articles; the entities they share make
/// up the rest. Names tell stories of one kind apart ("rehab": Tara Reid or Lindsay Lohan).
const TEXT_SHARE: f32 = 0.5;
/// How much less alike two articles count when their datelines name different years: the
/// same kind of event in another year is another story, but a year in the text may also be
/// background ("since 2006"), so it is not final.
const OTHER_YEAR_FACTOR: f32 = 0.25;
/// Articles whose dates are this many days apart or more are never one story.
const STORY_SPAN_DAYS: i64 = 365;

/// Groups articles (already in site order) into configured topics and automatic stories.
///
/// `threshold` is the mean similarity at which articles are taken to tell the same story.
pub fn group(
    articles: &[Article],
    rules: &[TopicRule],
    threshold: f32,
    analysis: &Analysis,
) -> Vec<Topic> {
    let mut topics = configured(articles, rules);
    join_by_rules(&mut topics, articles, rules, analysis);
    let mut placed = vec![false; articles.len()];
    for id in topics.iter().flat_map(|t| &t.articles) {
        placed[id.index()] = true;
    }
    let stories = stories(&placed, threshold, analysis);
    let mut slugs = SlugRegistry::new(topics.iter().map(|t| t.slug.clone()).collect());
    let analyzer = Analyzer::default();
    for members in stories {
        let name = story_name(&members, analysis, &analyzer);
        let slug = slugs.unique(&slugify(&name));
        topics.push(Topic {
            name,
            slug,
            description: String::new(),
            kind: TopicKind::Automatic,
            articles: members.iter().map(|&i| ArticleId(i)).collect(),
        });
    }
    topics
}

/// The topics of `site.toml` and of front matter, with the articles whose front matter names
/// them.
fn configured(articles: &[Article], rules: &[TopicRule]) -> Vec<Topic> {
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

/// Adds the articles without front matter topics to the configured topics whose rules they
/// meet, keeping each topic's articles in site order.
fn join_by_rules(
    topics: &mut [Topic],
    articles: &[Article],
    rules: &[TopicRule],
    analysis: &Analysis,
) {
    let analyzer = Analyzer::default();
    for (t, rule) in rules.iter().enumerate() {
        if rule.rules.is_empty() {
            continue;
        }
        let matcher = Matcher::new(&rule.rules, &analyzer, analysis);
        let before = topics[t].articles.len();
        for (index, article) in articles.iter().enumerate() {
            if article.topics.is_empty() && matcher.matches(index, article) {
                topics[t].articles.push(ArticleId(index as u32));
            }
        }
        if topics[t].articles.len() > before {
            topics[t].articles.sort_unstable();
            topics[t].articles.dedup();
        }
    }
}

/// One topic's rules, prepared for testing many articles.
struct Matcher<'a> {
    /// Per keyword, the term ids of its stems (a keyword with a stem absent from the site
    /// matches nothing).
    keywords: Vec<Option<Vec<u32>>>,
    /// Phrases as folded words between spaces: ` peace deal `.
    phrases: Vec<String>,
    entities: Vec<Option<u32>>,
    threshold: f32,
    analysis: &'a Analysis,
}

impl<'a> Matcher<'a> {
    fn new(rules: &MatchRules, analyzer: &Analyzer, analysis: &'a Analysis) -> Self {
        let keywords = rules
            .keywords
            .iter()
            .map(|k| {
                let stems: Vec<String> = analyzer.tokens(k).into_iter().map(|t| t.stem).collect();
                let ids: Option<Vec<u32>> = stems.iter().map(|s| analysis.text.find(s)).collect();
                ids.filter(|ids| !ids.is_empty())
            })
            .collect();
        let phrases = rules
            .phrases
            .iter()
            .map(|p| format!(" {} ", folded_words(p)))
            .collect();
        let entities = rules
            .entities
            .iter()
            .map(|e| analysis.resolution.find(e, &analysis.gazetteer))
            .collect();
        let count = rules.keywords.len() + rules.phrases.len() + rules.entities.len();
        Matcher {
            keywords,
            phrases,
            entities,
            threshold: rules.threshold.min(count as f32),
            analysis,
        }
    }

    fn matches(&self, index: usize, article: &Article) -> bool {
        let vector = &self.analysis.text.vectors[index].0;
        let has_term = |id: u32| vector.binary_search_by(|(t, _)| t.cmp(&id)).is_ok();
        let keywords = self
            .keywords
            .iter()
            .flatten()
            .filter(|ids| ids.iter().all(|&id| has_term(id)))
            .count();
        let text = format!(" {} ", folded_words(&crate::analyse::full_text(article)));
        let phrases = self
            .phrases
            .iter()
            .filter(|p| text.contains(p.as_str()))
            .count();
        let named = &self.analysis.resolution.per_article[index];
        let entities = self
            .entities
            .iter()
            .flatten()
            .filter(|&&id| named.iter().any(|(e, _)| *e == id))
            .count();
        (keywords + phrases + entities) as f32 >= self.threshold
    }
}

fn folded_words(text: &str) -> String {
    let folded: Vec<String> = words(text)
        .into_iter()
        .map(fold)
        .filter(|w| !w.is_empty())
        .collect();
    folded.join(" ")
}

/// The automatic stories: the articles not `placed` in a topic, grouped by average-link
/// clustering of their similarity, each story's members in site order.
fn stories(placed: &[bool], threshold: f32, analysis: &Analysis) -> Vec<Vec<u32>> {
    let open: Vec<u32> = (0..placed.len() as u32)
        .filter(|&i| !placed[i as usize])
        .collect();
    let mut local = vec![u32::MAX; placed.len()];
    for (position, &article) in open.iter().enumerate() {
        local[article as usize] = position as u32;
    }
    let mut edges = Vec::new();
    for &i in &open {
        for &(j, similarity) in &analysis.neighbours[i as usize] {
            if i < j && !placed[j as usize] {
                let entity = analysis.entities[i as usize].dot(&analysis.entities[j as usize]);
                let similarity = TEXT_SHARE * similarity + (1.0 - TEXT_SHARE) * entity;
                let score = similarity * year_factor(analysis, i as usize, j as usize);
                edges.push((local[i as usize], local[j as usize], score));
            }
        }
    }
    let grouped = average_link(open.len(), &edges, threshold);
    let mut stories: Vec<Vec<u32>> = grouped
        .into_iter()
        .map(|group| group.into_iter().map(|p| open[p as usize]).collect())
        .flat_map(|story| split_events(story, analysis, SPLIT_DEPTH))
        .collect();
    stories.sort();
    stories
}

/// Fewest articles on each side of a story split in two.
const MIN_EVENT: usize = 3;
/// A story splits when the mean similarity between its halves is below this share of the
/// mean inside them.
const SPLIT_RATIO: f32 = 0.5;
/// How many times a story may be split again.
const SPLIT_DEPTH: usize = 3;
/// Stories larger than this are not examined for a split (the check is cubic in the size).
const MAX_SPLIT_SIZE: usize = 150;

/// A story as the separate events it may hold. The same kind of event (a boxer defending
/// his title, a supermarket fire) shares most words and names, so inside a story what all
/// its articles share says nothing: the articles are compared again on the terms only part
/// of them share (the opponent, the town), and the story is cut in two when its halves
/// hardly share those.
fn split_events(story: Vec<u32>, analysis: &Analysis, depth: usize) -> Vec<Vec<u32>> {
    if depth == 0 || story.len() < 2 * MIN_EVENT || story.len() > MAX_SPLIT_SIZE {
        return vec![story];
    }
    let similarity = within_story_similarity(&story, analysis);
    let parts = bisect(&similarity, MIN_EVENT, SPLIT_RATIO).filter(|[a, b]| {
        let a: Vec<u32> = a.iter().map(|&i| story[i]).collect();
        let b: Vec<u32> = b.iter().map(|&i| story[i]).collect();
        names_its_own(&a, &b, analysis) && names_its_own(&b, &a, analysis)
    });
    match parts {
        None => vec![story],
        Some(parts) => parts
            .into_iter()
            .flat_map(|part| {
                let members = part.into_iter().map(|i| story[i]).collect();
                split_events(members, analysis, depth - 1)
            })
            .collect(),
    }
}

/// What tells one event from another of the same kind: who and where (the entities an article
/// names), and when (the year it is about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Entity(u32),
    Year(i32),
}

/// The marks of an article.
fn marks(article: u32, analysis: &Analysis) -> impl Iterator<Item = Mark> + '_ {
    let article = article as usize;
    let named = analysis.resolution.per_article[article].iter();
    named
        .map(|&(entity, _)| Mark::Entity(entity))
        .chain(analysis.years[article].map(Mark::Year))
}

/// How unlikely, at most, the mark that best sets a part apart may be by chance alone (with
/// the Bonferroni correction for the number of marks tried): the usual 5 %.
const SIGNIFICANCE: f64 = 0.05;

/// Whether `part` has a mark (someone or something its articles name, the year they are
/// about) concentrated in it beyond chance: two events of one kind differ in who, where and
/// when (another opponent, another town, another year), while a story cut at random has
/// marks spread over both sides. The test is Fisher's exact test of each mark of `part`
/// against `other`, its best p-value corrected for the number of marks tried.
fn names_its_own(part: &[u32], other: &[u32], analysis: &Analysis) -> bool {
    let tally = |articles: &[u32]| {
        let mut counts: BTreeMap<Mark, usize> = BTreeMap::new();
        for &a in articles {
            for mark in marks(a, analysis) {
                *counts.entry(mark).or_default() += 1;
            }
        }
        counts
    };
    let (mine, theirs) = (tally(part), tally(other));
    let ln_factorials = ln_factorials(part.len() + other.len());
    let best = mine
        .iter()
        .map(|(mark, &count)| {
            let elsewhere = theirs.get(mark).copied().unwrap_or(0);
            let held = [count, elsewhere];
            concentration_p(held, [part.len(), other.len()], &ln_factorials)
        })
        .fold(1.0f64, f64::min);
    best * (mine.len() as f64) < SIGNIFICANCE
}

/// `ln(k!)` for k up to `n`.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut table = vec![0.0; n + 1];
    for k in 1..=n {
        table[k] = table[k - 1] + (k as f64).ln();
    }
    table
}

/// Fisher's exact test, one-sided: the chance that, of the `held[0] + held[1]` articles with
/// a mark, `held[0]` or more fall among the `sizes[0]` articles of the first side when the
/// sides are drawn at random (the upper tail of the hypergeometric distribution).
fn concentration_p(held: [usize; 2], sizes: [usize; 2], ln_factorial: &[f64]) -> f64 {
    let total = sizes[0] + sizes[1];
    let marked = held[0] + held[1];
    let ln_choose = |n: usize, k: usize| ln_factorial[n] - ln_factorial[k] - ln_factorial[n - k];
    let all = ln_choose(total, sizes[0]);
    (held[0]..=marked.min(sizes[0]))
        .filter(|&x| sizes[0] - x <= total - marked)
        .map(|x| (ln_choose(marked, x) + ln_choose(total - marked, sizes[0] - x) - all).exp())
        .sum::<f64>()
        .min(1.0)
}

/// Cosine similarity of a story's articles (site order) over the terms that some but not all
/// of them hold, each weighted by how few hold it, times the nearness of their years.
pub fn within_story_similarity(story: &[u32], analysis: &Analysis) -> Vec<Vec<f32>> {
    let vectors = &analysis.text.vectors;
    let mut held: rustc_hash::FxHashMap<u32, u32> = rustc_hash::FxHashMap::default();
    for &a in story {
        for (term, _) in &vectors[a as usize].0 {
            *held.entry(*term).or_default() += 1;
        }
    }
    let size = story.len() as u32;
    let local: Vec<SparseVector> = story
        .iter()
        .map(|&a| {
            let terms = vectors[a as usize].0.iter().filter_map(|&(term, weight)| {
                let count = held[&term];
                (count > 1 && count < size)
                    .then(|| (term, weight * (size as f32 / count as f32).ln()))
            });
            SparseVector::unit(terms.collect())
        })
        .collect();
    similarity_matrix(&local, |x, y| {
        year_factor(analysis, story[x] as usize, story[y] as usize)
    })
}

/// Every pair's dot product of `vectors` times `factor`, a symmetric matrix. Each row's vector
/// is spread into a dense array once and the vectors after it are read against it: a story of
/// 100 articles makes 5,050 products, each a pass over one sparse vector, instead of 10,000
/// merges of two. The sums are the same numbers, added in the same order, as `dot` gives.
fn similarity_matrix(
    vectors: &[SparseVector],
    factor: impl Fn(usize, usize) -> f32,
) -> Vec<Vec<f32>> {
    let n = vectors.len();
    let width = vectors
        .iter()
        .filter_map(|v| v.0.last())
        .map(|&(term, _)| term as usize + 1)
        .max()
        .unwrap_or(0);
    let mut row = vec![0.0f32; width];
    let mut matrix = vec![vec![0.0f32; n]; n];
    for x in 0..n {
        for &(term, weight) in &vectors[x].0 {
            row[term as usize] = weight;
        }
        for y in x..n {
            // A term `x` lacks adds 0.0, which leaves a sum of positive products unchanged.
            let dot = vectors[y].0.iter().fold(0.0f32, |sum, &(term, weight)| {
                sum + row[term as usize] * weight
            });
            let value = dot * factor(x, y);
            matrix[x][y] = value;
            matrix[y][x] = value;
        }
        for &(term, _) in &vectors[x].0 {
            row[term as usize] = 0.0;
        }
    }
    matrix
}

fn year_factor(analysis: &Analysis, i: usize, j: usize) -> f32 {
    if let (Some(a), Some(b)) = (analysis.days[i], analysis.days[j]) {
        return if (a - b).num_days().abs() < STORY_SPAN_DAYS {
            1.0
        } else {
            0.0
        };
    }
    match (analysis.years[i], analysis.years[j]) {
        (Some(a), Some(b)) if a != b => OTHER_YEAR_FACTOR,
        _ => 1.0,
    }
}

/// A readable name for a story: its main entity and its most telling word ("Lindsay Lohan
/// rehab"), or its two most telling words when it names no one.
fn story_name(members: &[u32], analysis: &Analysis, analyzer: &Analyzer) -> String {
    let entity = main_entity(members, analysis);
    let taken: Vec<String> = entity
        .map(|name| name.split(' ').map(|w| analyzer.stem(w)).collect())
        .unwrap_or_default();
    let words = telling_words(
        members,
        analysis,
        &taken,
        if entity.is_some() { 1 } else { 2 },
    );
    let mut parts: Vec<String> = entity.map(str::to_string).into_iter().collect();
    parts.extend(words);
    let name = parts.join(" ");
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Story".to_string(),
    }
}

/// The entity named by most of the story's articles (people first, then organisations and
/// places, then by mentions).
fn main_entity<'a>(members: &[u32], analysis: &'a Analysis) -> Option<&'a str> {
    let resolution = &analysis.resolution;
    let mut tally: BTreeMap<u32, (usize, u32)> = BTreeMap::new();
    for &m in members {
        for &(id, count) in &resolution.per_article[m as usize] {
            let entry = tally.entry(id).or_default();
            entry.0 += 1;
            entry.1 += count;
        }
    }
    let rank = |kind: EntityKind| match kind {
        EntityKind::Person => 3,
        EntityKind::Organisation => 2,
        EntityKind::Place => 1,
        EntityKind::Other => 0,
    };
    tally
        .into_iter()
        .map(|(id, (articles, mentions))| (&resolution.entities[id as usize], articles, mentions))
        .filter(|(_, articles, _)| articles * 2 >= members.len())
        .max_by(|a, b| {
            (a.1, rank(a.0.kind), a.2)
                .cmp(&(b.1, rank(b.0.kind), b.2))
                .then(b.0.name.cmp(&a.0.name))
        })
        .map(|(entity, _, _)| entity.name.as_str())
}

/// The single words with the highest TF-IDF weight summed over the story, as written.
fn telling_words(
    members: &[u32],
    analysis: &Analysis,
    skip: &[String],
    count: usize,
) -> Vec<String> {
    let mut ranked = sum_by_term(
        members
            .iter()
            .flat_map(|&m| analysis.text.vectors[m as usize].0.iter().copied())
            .collect(),
    );
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .filter(|(term, _)| {
            analysis
                .text
                .terms
                .get(*term as usize)
                .is_some_and(|stem| !skip.contains(stem))
        })
        .filter_map(|(term, _)| analysis.surface_of(term))
        .filter(|word| word.chars().all(char::is_alphabetic))
        .map(str::to_string)
        .take(count)
        .collect()
}

/// Slugs already given out, with the next number to try for each base, so that thousands of
/// stories with the same name (tiny articles, one word each) take linear time, not quadratic.
struct SlugRegistry {
    taken: BTreeSet<String>,
    next: BTreeMap<String, usize>,
}

impl SlugRegistry {
    fn new(taken: BTreeSet<String>) -> Self {
        SlugRegistry {
            taken,
            next: BTreeMap::new(),
        }
    }

    /// `slug`, or `slug-2`, `slug-3`… when taken; the result is recorded as taken.
    fn unique(&mut self, slug: &str) -> String {
        let base = if slug.is_empty() { "story" } else { slug };
        // Every number below `next` is taken already, and `taken` only grows.
        let mut n = self.next.get(base).copied().unwrap_or(2);
        let mut candidate = base.to_string();
        while self.taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.next.insert(base.to_string(), n);
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_similarity_matrix_holds_the_same_numbers_as_pairwise_dots() {
        let vectors: Vec<SparseVector> = (0..12u32)
            .map(|a| {
                let terms = (0..40u32)
                    .filter(|t| (t * 7 + a * 3) % 5 < 2)
                    .map(|t| (t * 3 + a % 2, 1.0 + ((t * 13 + a) % 17) as f32 / 7.0))
                    .collect();
                SparseVector::unit(terms)
            })
            .collect();
        let factor = |x: usize, y: usize| if (x + y).is_multiple_of(4) { 0.5 } else { 1.0 };
        let matrix = similarity_matrix(&vectors, factor);
        for x in 0..vectors.len() {
            for y in 0..vectors.len() {
                let expected = vectors[x].dot(&vectors[y]) * factor(x, y);
                assert_eq!(matrix[x][y].to_bits(), expected.to_bits(), "{x} {y}");
            }
        }
    }

    fn article(topics: &[&str]) -> Article {
        Article {
            topics: topics.iter().map(|s| s.to_string()).collect(),
            ..Article::default()
        }
    }

    fn story(title: &str, body: &str) -> Article {
        Article {
            title: title.into(),
            body_text: body.into(),
            ..Article::default()
        }
    }

    fn rehab_and_oscars() -> Vec<Article> {
        vec![
            story(
                "Lindsay Lohan checks into rehab",
                "Actress Lindsay Lohan entered a rehab clinic in Malibu on Friday. Lohan's \
                 lawyer said the rehab stay was ordered by the court.",
            ),
            story(
                "Lohan begins court-ordered rehab",
                "Lindsay Lohan has begun her court-ordered rehab stay at a Malibu clinic, \
                 her lawyer said. Lohan must stay in rehab for ninety days.",
            ),
            story(
                "Ellen DeGeneres to host the Oscars",
                "The Academy said comedian Ellen DeGeneres will host the Oscars ceremony. \
                 DeGeneres hosted the Oscars ceremony once before.",
            ),
        ]
    }

    #[test]
    fn articles_of_one_story_are_grouped_and_named_from_their_content() {
        let articles = rehab_and_oscars();
        let analysis = crate::analyse::analyse(&articles, &BTreeMap::new());
        let topics = group(&articles, &[], 0.2, &analysis);
        assert_eq!(topics.len(), 2, "{topics:?}");
        assert_eq!(topics[0].articles, vec![ArticleId(0), ArticleId(1)]);
        assert_eq!(topics[0].kind, TopicKind::Automatic);
        assert_eq!(topics[0].name, "Lindsay Lohan rehab");
        assert_eq!(topics[1].articles, vec![ArticleId(2)]);
        assert!(
            topics[1].name.starts_with("Ellen DeGeneres"),
            "{}",
            topics[1].name
        );
    }

    #[test]
    fn rules_add_articles_unless_their_front_matter_names_topics() {
        let mut articles = rehab_and_oscars();
        articles[1].topics = vec!["Courts".into()];
        let rules = vec![TopicRule {
            name: "Celebrity rehab".into(),
            rules: MatchRules {
                keywords: vec!["clinics".into()],
                entities: vec!["Lohan".into()],
                ..MatchRules::default()
            },
            ..TopicRule::default()
        }];
        let analysis = crate::analyse::analyse(&articles, &BTreeMap::new());
        let topics = group(&articles, &rules, 0.2, &analysis);
        assert_eq!(topics[0].name, "Celebrity rehab");
        assert_eq!(topics[0].articles, vec![ArticleId(0)]);
        assert_eq!(topics[1].name, "Courts");
        assert_eq!(topics[1].articles, vec![ArticleId(1)]);
        assert_eq!(topics[2].kind, TopicKind::Automatic);
        assert_eq!(topics[2].articles, vec![ArticleId(2)]);
    }

    #[test]
    fn the_same_kind_of_event_years_apart_is_another_story() {
        let mut articles = rehab_and_oscars();
        articles.truncate(2);
        articles[0].date = crate::content::front_matter::date_from_str("2008-01-10");
        articles[1].date = crate::content::front_matter::date_from_str("2013-05-02");
        let analysis = crate::analyse::analyse(&articles, &BTreeMap::new());
        assert_eq!(group(&articles, &[], 0.2, &analysis).len(), 2);
    }

    #[test]
    fn a_mark_all_of_one_side_hold_and_none_of_the_other_is_unlikely_by_chance() {
        let table = ln_factorials(40);
        // Ten of ten against none of ten: one way in C(20, 10) = 184,756.
        let p = concentration_p([10, 0], [10, 10], &table);
        assert!((p - 1.0 / 184_756.0).abs() < 1e-9, "{p}");
        // Two of three against one of three is what a random cut gives half the time.
        assert!((concentration_p([2, 1], [3, 3], &table) - 0.5).abs() < 1e-9);
        assert!((concentration_p([0, 4], [3, 3], &table) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn taken_slugs_get_a_number() {
        let mut slugs = SlugRegistry::new(BTreeSet::from([
            "ukraine-talks".to_string(),
            "ukraine-talks-3".to_string(),
        ]));
        assert_eq!(slugs.unique("ukraine-talks"), "ukraine-talks-2");
        assert_eq!(slugs.unique("ukraine-talks"), "ukraine-talks-4");
        assert_eq!(slugs.unique("ukraine-talks"), "ukraine-talks-5");
        assert_eq!(slugs.unique(""), "story");
        assert_eq!(slugs.unique("story"), "story-2");
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
        let topics = configured(&articles, &rules);
        assert_eq!(topics.len(), 2);
        assert_eq!(topics[0].name, "Ukraine talks");
        assert_eq!(topics[0].articles, vec![ArticleId(0), ArticleId(1)]);
        assert_eq!(topics[1].slug, "economy");
        assert_eq!(topics[1].articles, vec![ArticleId(0)]);
    }
}

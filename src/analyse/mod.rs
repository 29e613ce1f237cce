//! Analysis: what each article is about, as numbers the grouping stages can compare.
//!
//! For every article: its TF-IDF vector over stemmed words and phrases, the entities it names
//! (merged across the site), and the year it is about. Topics and related news both read this,
//! so the text is analysed once per build.

pub mod cluster;
pub mod entities;
pub mod resolve;
pub mod tokens;
pub mod vectors;

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use rayon::prelude::*;

use crate::model::Article;
use entities::{Gazetteer, Mention};
use resolve::Resolution;
use tokens::{Analyzer, Token};
use vectors::{SparseVector, TfIdf};

/// How many nearest neighbours each article keeps as candidates for stories and related news.
const NEIGHBOURS: usize = 20;
/// Title words count this many times a body word: a headline says what the story is.
const TITLE_WEIGHT: f32 = 2.0;

/// An article's terms with the weight of each occurrence.
type Terms = Vec<(String, f32)>;
/// An article's distinct (stem, lower-case word) pairs.
type Forms = Vec<(String, String)>;

/// What the analysis found in every article of a site, indexed like `Site::articles`.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    pub gazetteer: Gazetteer,
    /// The site's entities and which articles name them.
    pub resolution: Resolution,
    /// TF-IDF over stemmed words, two-word phrases and resolved entities.
    pub text: TfIdf,
    /// TF-IDF over the resolved entities alone.
    pub entities: Vec<SparseVector>,
    /// The year each article is about: its date's, else the year its text names most.
    pub years: Vec<Option<i32>>,
    /// Each article's nearest neighbours by `text`, best first.
    pub neighbours: Vec<Vec<(u32, f32)>>,
    /// Stem → the lower-case word it most often comes from, for naming stories.
    pub surface: BTreeMap<String, String>,
}

/// The text the analysis reads: headline, standfirst, summary and body.
pub fn full_text(article: &Article) -> String {
    let parts = [
        Some(article.title.as_str()),
        article.dek.as_deref(),
        article.summary.as_deref(),
        Some(article.body_text.as_str()),
    ];
    parts.into_iter().flatten().collect::<Vec<_>>().join("\n\n")
}

/// Analyses every article; `aliases` are the editor's `[entities.aliases]`.
pub fn analyse(articles: &[Article], aliases: &BTreeMap<String, Vec<String>>) -> Analysis {
    let gazetteer = Gazetteer::default();
    let texts: Vec<String> = articles.par_iter().map(full_text).collect();
    let mentions: Vec<Vec<Mention>> = articles
        .par_iter()
        .zip(&texts)
        .map(|(article, text)| {
            let mut found = gazetteer.mentions(text);
            let speakers = article
                .quotes
                .iter()
                .filter_map(|q| gazetteer.speaker(&q.speaker));
            found.extend(speakers);
            found
        })
        .collect();
    let resolution = resolve::resolve(&mentions, aliases, &gazetteer);
    let analyzer = Analyzer::default();
    let (documents, surfaces): (Vec<Terms>, Vec<Forms>) = articles
        .par_iter()
        .zip(&texts)
        .enumerate()
        .map(|(i, (article, text))| {
            let tokens = analyzer.tokens(text);
            let mut terms = weighted_terms(&tokens, &analyzer, &article.title);
            terms.extend(entity_terms(&resolution, i));
            (terms, lower_case_forms(&tokens))
        })
        .unzip();
    let text = vectors::tfidf(&documents);
    let entity_documents: Vec<Vec<(String, f32)>> = (0..articles.len())
        .map(|i| entity_terms(&resolution, i))
        .collect();
    let entities = vectors::tfidf(&entity_documents).vectors;
    let max_postings = (articles.len() / 10).clamp(10, 200);
    let neighbours = vectors::nearest(&text.vectors, NEIGHBOURS, max_postings);
    Analysis {
        years: articles.iter().map(year_of).collect(),
        surface: surface_forms(surfaces),
        gazetteer,
        resolution,
        text,
        entities,
        neighbours,
    }
}

fn weighted_terms(tokens: &[Token<'_>], analyzer: &Analyzer, title: &str) -> Vec<(String, f32)> {
    let title_terms = analyzer.terms(title);
    let extra = TITLE_WEIGHT - 1.0;
    let mut terms: Vec<(String, f32)> = Analyzer::terms_of(tokens)
        .into_iter()
        .map(|t| (t, 1.0))
        .collect();
    terms.extend(title_terms.into_iter().map(|t| (t, extra)));
    terms
}

/// An article's entities as terms that cannot clash with words (they start with `=`).
fn entity_terms(resolution: &Resolution, article: usize) -> Vec<(String, f32)> {
    resolution.per_article[article]
        .iter()
        .map(|(id, count)| (format!("={id}"), *count as f32))
        .collect()
}

/// How far into an undated article a dateline may be: a year there dates the article.
const DATELINE_CHARS: usize = 300;

/// The year an article is about: its date's, else a year in its dateline (the first lines,
/// where imported pages keep "December 15th, 2008"). Years further into the text are mostly
/// background ("since 2006") and say nothing about when the story happened.
fn year_of(article: &Article) -> Option<i32> {
    if let Some(date) = &article.date {
        return Some(date.day().year());
    }
    let body = article.body_text.trim_start();
    let mut end = DATELINE_CHARS.min(body.len());
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let head = format!("{}\n{}", article.title, &body[..end]);
    tokens::words(&head)
        .into_iter()
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i32>().ok())
        .find(|y| (1900..=2100).contains(y))
}

/// The distinct (stem, word) pairs of the words a text writes in lower case.
fn lower_case_forms(tokens: &[Token<'_>]) -> Vec<(String, String)> {
    let mut forms: Vec<(String, String)> = tokens
        .iter()
        .filter(|t| t.surface.chars().all(|c| !c.is_uppercase()))
        .map(|t| (t.stem.clone(), t.surface.to_string()))
        .collect();
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// Stem → the lower-case word that most articles write for it (ties: the first in order).
fn surface_forms(per_article: Vec<Vec<(String, String)>>) -> BTreeMap<String, String> {
    let mut counts: HashMap<(String, String), usize> = HashMap::new();
    for pair in per_article.into_iter().flatten() {
        *counts.entry(pair).or_default() += 1;
    }
    let mut best: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for ((stem, word), count) in counts {
        let entry = best.entry(stem).or_insert((0, String::new()));
        if count > entry.0 || (count == entry.0 && word < entry.1) {
            *entry = (count, word);
        }
    }
    best.into_iter()
        .map(|(stem, (_, word))| (stem, word))
        .collect()
}

//! Search without a server: an index of every article's words, written in the same build,
//! and a small script that searches it in the browser.
//!
//! Pagefind did this before, at ~2.7 ms of CPU per article and much memory (half a 10,000-article
//! build). This index is what a briefing needs and no more: each word (folded to lower-case
//! ASCII) maps to the articles holding it with a weight (title above dek, topics and people,
//! those above the body; see `search_words`, which builds it while the site is assembled). It is
//! split into shards by the word's first two letters, so a query fetches one small shard per
//! word; the script matches words by prefix ("zelensk" finds "Zelensky" and "Zelenskyy"), keeps
//! the articles that have every word, ranks them by weight, and fetches the titles and text for
//! excerpts in small chunks, only for the results it shows.

use rayon::prelude::*;
use serde::Serialize;

use super::json_text;
use crate::error::BuildError;
use crate::model::{Article, Site};
use crate::render::{FileSink, RenderedFile};
use crate::search_words::{STOP_WORDS, SearchIndex};

/// The site path of the search page.
pub const SEARCH_PAGE: &str = "search/";
/// The folder of the index and the search script, under the output folder.
pub const BUNDLE_DIR: &str = "search/";
/// The search page's script, which every theme's `search.html` loads from the bundle.
const PAGE_SCRIPT: (&str, &str) = ("briefing-search.js", include_str!("search.js"));
/// Articles per file of titles and texts (`docs/N.json`): a page of results fetches a few.
const DOCS_PER_CHUNK: usize = 16;
/// The text kept per article for excerpts, in bytes (cut at a character boundary).
const EXCERPT_SOURCE_BYTES: usize = 4000;

/// What the script reads first: how the index is laid out.
#[derive(Serialize)]
struct Meta<'a> {
    articles: usize,
    docs_per_chunk: usize,
    stop_words: &'a [&'a str],
}

/// Writes the search index and script into `sink`, under `search/`: `meta.json`,
/// `terms/<ab>.json` (the shards) and `docs/<n>.json` (the articles' URLs, titles, dates and
/// text).
pub fn render_search_index(site: &Site, sink: &dyn FileSink) -> Result<(), BuildError> {
    shards(site.search.index(&site.articles, &site.topics))
        .into_iter()
        .try_for_each(|file| sink.put(file))?;
    site.articles
        .par_chunks(DOCS_PER_CHUNK)
        .enumerate()
        .try_for_each(|(n, chunk)| sink.put(doc_chunk(n, chunk)))?;
    let meta = Meta {
        articles: site.articles.len(),
        docs_per_chunk: DOCS_PER_CHUNK,
        stop_words: &STOP_WORDS,
    };
    sink.put(json_file("meta.json", &meta))?;
    sink.put(RenderedFile::new(
        format!("{BUNDLE_DIR}{}", PAGE_SCRIPT.0),
        PAGE_SCRIPT.1,
    ))
}

/// The shards: for each two-letter prefix, each word with its articles as a flat list of
/// (id gap, weight) pairs, ids ascending (gaps keep the numbers short).
fn shards(index: &SearchIndex) -> Vec<RenderedFile> {
    let mut files = Vec::new();
    let mut json = String::new();
    let mut words = index.postings().peekable();
    let mut previous_key: Option<&str> = None;
    while let Some((word, articles, weights)) = words.next() {
        let key = shard_key(word);
        json.push_str(if previous_key == Some(key) { "," } else { "{" });
        previous_key = Some(key);
        // Words are lower-case ASCII letters and digits: nothing to escape.
        json.push('"');
        json.push_str(word);
        json.push_str("\":");
        push_gaps(&mut json, articles, weights);
        let last = words
            .peek()
            .is_none_or(|(next, _, _)| shard_key(next) != key);
        if last {
            json.push('}');
            files.push(RenderedFile::new(
                format!("{BUNDLE_DIR}terms/{key}.json"),
                std::mem::take(&mut json),
            ));
        }
    }
    files
}

/// Writes the postings as `[gap, weight, ...]`, each article id as the gap to the previous one.
fn push_gaps(json: &mut String, articles: &[u32], weights: &[u8]) {
    // Millions of numbers at 10,000 articles: `itoa` writes them without `fmt`'s machinery.
    let mut digits = itoa::Buffer::new();
    json.push('[');
    let mut previous = 0;
    for (i, (&article, &weight)) in articles.iter().zip(weights).enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(digits.format(article - previous));
        json.push(',');
        json.push_str(digits.format(weight));
        previous = article;
    }
    json.push(']');
}

/// The shard of a word: its first two characters (words are ASCII, at least two long).
pub fn shard_key(word: &str) -> &str {
    word.get(..2).unwrap_or(word)
}

/// A docs chunk: for each article, `[url, title, date, text]`, the URL relative to the base
/// path and the text its dek (or summary) and the start of its body. Written by hand, with
/// `json_text`: the texts are most of the index's bytes.
fn doc_chunk(n: usize, articles: &[Article]) -> RenderedFile {
    let mut json = Vec::with_capacity(articles.len() * (EXCERPT_SOURCE_BYTES + 256));
    json.push(b'[');
    for (i, article) in articles.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.push(b'[');
        json_text::push_string(&mut json, &article.site_path());
        json.push(b',');
        json_text::push_string(&mut json, &article.title);
        json.push(b',');
        let date = article.date.as_ref().map(|d| d.display());
        json_text::push_string(&mut json, date.as_deref().unwrap_or_default());
        json.extend_from_slice(b",\"");
        if let Some(dek) = article.dek.as_deref().or(article.summary.as_deref()) {
            json_text::push_string_contents(&mut json, dek);
            json.extend_from_slice(b"\\n");
        }
        let body = cut(&article.body_text, EXCERPT_SOURCE_BYTES);
        json_text::push_string_contents(&mut json, body);
        json.extend_from_slice(b"\"]");
    }
    json.push(b']');
    RenderedFile::new(format!("{BUNDLE_DIR}docs/{n}.json"), json)
}

fn cut(text: &str, bytes: usize) -> &str {
    let mut end = bytes.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn json_file(name: &str, value: &impl Serialize) -> RenderedFile {
    // Serialising plain strings and numbers cannot fail.
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    RenderedFile::new(format!("{BUNDLE_DIR}{name}"), bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_hold_id_gaps_and_weights_by_prefix() {
        let index = SearchIndex::from_postings(vec![
            ("zelensky", vec![(0, 9), (2, 1)]),
            ("kyiv", vec![(2, 2)]),
            ("zebra", vec![(1, 40)]),
        ]);
        let files = shards(&index);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["search/terms/ky.json", "search/terms/ze.json"]);
        assert_eq!(files[1].bytes, br#"{"zebra":[1,40],"zelensky":[0,9,2,1]}"#);
        assert_eq!(files[0].bytes, br#"{"kyiv":[2,2]}"#);
    }

    #[test]
    fn docs_hold_the_url_title_and_text_cut_at_a_character() {
        let article = Article {
            title: "A \"quoted\" title".into(),
            slug: "a".into(),
            body_text: "é".repeat(EXCERPT_SOURCE_BYTES),
            ..Article::default()
        };
        let file = doc_chunk(3, std::slice::from_ref(&article));
        assert_eq!(file.path, "search/docs/3.json");
        let docs: serde_json::Value = serde_json::from_slice(&file.bytes).unwrap();
        assert_eq!(docs[0][0], "articles/a/");
        assert_eq!(docs[0][1], "A \"quoted\" title");
        assert_eq!(docs[0][3].as_str().unwrap().len(), EXCERPT_SOURCE_BYTES);
    }

    /// The chunk is the JSON serde_json writes for the same entries, byte for byte.
    #[test]
    fn a_docs_chunk_is_the_json_serde_json_writes() {
        let dated = Article {
            title: "Talks \\ \"resume\"".into(),
            slug: "talks".into(),
            dek: Some("Line one\nline\ttwo \u{1}".into()),
            date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).map(crate::model::ArticleDate::Day),
            body_text: "Body “text” with a \"quote\".\n\nNext paragraph.".into(),
            ..Article::default()
        };
        let plain = Article {
            title: "Plain".into(),
            slug: "plain".into(),
            summary: Some("A summary".into()),
            body_text: "x".repeat(EXCERPT_SOURCE_BYTES + 10),
            ..Article::default()
        };
        let articles = [dated, plain];
        let expected: Vec<(String, &str, String, String)> = articles
            .iter()
            .map(|a| {
                let lead = a.dek.as_deref().or(a.summary.as_deref());
                let body = cut(&a.body_text, EXCERPT_SOURCE_BYTES);
                (
                    a.site_path(),
                    a.title.as_str(),
                    a.date.as_ref().map(|d| d.display()).unwrap_or_default(),
                    lead.map_or_else(|| body.to_string(), |lead| format!("{lead}\n{body}")),
                )
            })
            .collect();
        assert!(expected[0].2.contains("2025"), "{:?}", expected[0]);
        let file = doc_chunk(0, &articles);
        assert_eq!(
            String::from_utf8(file.bytes).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
    }
}
